//! Helpers shared by the tag and lifecycle rules: which resources carry
//! cost, where their tags are written, and fixes that add keys.

use crate::finding::{Diagnostic, DraftEdit, DraftFix, FileId, Loc};
use crate::kubernetes::object::Object;
use crate::kubernetes::yaml::Node;
use crate::model::pattern_matches;
use crate::model::terraform::{Module, Resource, tag_paths};
use crate::source::{FileKind, Span};
use crate::terraform::ast::{Attribute, Body, Expr, ExprKind, TemplatePart, TraversalOp};

pub use crate::rules::sizing::container_resources_missing::join;

/// Placeholder value that fixes write for a key nobody has decided yet.
pub const PLACEHOLDER: &str = "TODO";

/// Terraform types skipped by default: IAM, Organizations and IAM Identity
/// Center objects are global and free, so there is no spend to allocate or
/// to clean up.
pub fn default_ignore_types() -> Vec<String> {
    ["aws_iam_*", "aws_organizations_*", "aws_ssoadmin_*"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

/// Whether a resource type matches one of the `*` patterns.
pub fn type_ignored(patterns: &[String], rtype: &str) -> bool {
    patterns.iter().any(|p| pattern_matches(p, rtype))
}

/// What the provider calls a tag: `label` on Google Cloud, `tag` elsewhere.
pub fn tag_word(rtype: &str) -> &'static str {
    if rtype.starts_with("google_") {
        "label"
    } else {
        "tag"
    }
}

/// Where provider-wide defaults are written for a resource type.
pub fn defaults_word(rtype: &str) -> &'static str {
    if rtype.starts_with("google_") {
        "provider default_labels"
    } else {
        "provider default_tags"
    }
}

/// The argument (or nested path) that holds a resource type's tags.
pub fn tags_argument(rtype: &str) -> String {
    if rtype == "aws_autoscaling_group" {
        return "tag".into();
    }
    tag_paths(rtype)
        .first()
        .map_or_else(|| "tags".to_owned(), |p| p.join("."))
}

/// `` `a`, `b` and `c` ``.
pub fn ticked<S: AsRef<str>>(items: &[S], conjunction: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    let refs: Vec<&str> = quoted.iter().map(String::as_str).collect();
    join(&refs, conjunction)
}

/// `` `a`, `b`, `c` and 4 more ``: a bounded list of addresses.
pub fn address_list(addresses: &[String]) -> String {
    const SHOWN: usize = 3;
    if addresses.len() <= SHOWN + 1 {
        return ticked(addresses, "and");
    }
    let head: Vec<String> = addresses
        .iter()
        .take(SHOWN)
        .map(|a| format!("`{a}`"))
        .collect();
    format!("{} and {} more", head.join(", "), addresses.len() - SHOWN)
}

/// `1 resource`, `2 resources`.
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {}", plural(noun, n))
}

/// The resource's own tags argument (its name), else its block header:
/// where a finding about its tags as a whole points.
pub fn tags_anchor<'a>(r: &Resource<'a>) -> (Loc, Option<&'a Attribute>) {
    let own = r
        .tags()
        .attr
        .filter(|(file, _)| *file == r.file)
        .and_then(|(_, span)| attr_at(&r.block.body, span));
    let at = own.map_or_else(|| r.header(), |a| Loc::new(r.file, a.name_span));
    (at, own)
}

/// Whether `loc` is written inside the resource's own block.
pub fn in_block(r: &Resource<'_>, loc: Loc) -> bool {
    loc.file == r.file && within(loc.span, r.block.span)
}

/// Where a tag value is written: its value in the map (found from the
/// key's origin), else the resource's tags argument, else its header.
pub fn value_loc(module: &Module<'_>, r: &Resource<'_>, origin: Option<Loc>) -> Loc {
    match origin {
        Some(key) => Loc::new(key.file, item_value_span(module, key).unwrap_or(key.span)),
        None => tags_anchor(r).0,
    }
}

/// One place a finding is about, with every resource block it affects: a
/// value written once in `locals`, a variable or provider defaults is
/// reported once, where it is written.
pub struct Site<T> {
    pub at: Loc,
    id: String,
    pub blocks: Vec<String>,
    caller: Option<(Loc, String)>,
    pub data: T,
}

/// Sites in the order they were first seen.
pub struct Sites<T>(Vec<Site<T>>);

impl<T> Default for Sites<T> {
    fn default() -> Self {
        Sites(Vec::new())
    }
}

impl<T> Sites<T> {
    /// Records that `r` is affected at `at`; `id` tells findings at one
    /// place apart (the key and value, say).
    pub fn add(&mut self, at: Loc, id: String, r: &Resource<'_>, data: impl FnOnce() -> T) {
        match self.0.iter_mut().find(|s| s.at == at && s.id == id) {
            Some(site) => {
                if !site.blocks.contains(&r.block_address) {
                    site.blocks.push(r.block_address.clone());
                }
            }
            None => self.0.push(Site {
                at,
                id,
                blocks: vec![r.block_address.clone()],
                caller: caller_label(r),
                data: data(),
            }),
        }
    }
}

impl<T> IntoIterator for Sites<T> {
    type Item = Site<T>;
    type IntoIter = std::vec::IntoIter<Site<T>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<T> Site<T> {
    /// `` `aws_instance.api` `` or `` 3 resources (`a`, `b` and `c`) ``.
    pub fn subject(&self) -> String {
        match self.blocks.as_slice() {
            [one] => format!("`{one}`"),
            many => format!("{} ({})", count(many.len(), "resource"), address_list(many)),
        }
    }

    /// Names the resource (and its module call) when there is only one.
    pub fn attach(&self, mut d: Diagnostic) -> Diagnostic {
        d = d.property("resources", self.blocks.len());
        if let [one] = self.blocks.as_slice() {
            d = d.resource(one.clone());
            if let Some((loc, message)) = &self.caller {
                d = d.related(*loc, message.clone());
            }
        }
        d
    }
}

/// Kubernetes objects that cost money while they exist: Namespaces (which
/// hold the rest), workloads, volume claims and load balancers.
pub fn is_cost_bearing(object: &Object<'_>) -> bool {
    match object.kind {
        "Namespace" | "PersistentVolumeClaim" => true,
        "Service" => {
            object.node.path(&["spec", "type"]).and_then(Node::as_str) == Some("LoadBalancer")
        }
        _ => object.is_workload(),
    }
}

/// ``Deployment `api` ``, for messages.
pub fn object_name(object: &Object<'_>) -> String {
    format!("{} `{}`", object.kind, object.shown_name())
}

/// Where a finding about an object's `labels` or `annotations` points:
/// that key when the object has it, else `metadata:`, else `kind:`.
pub fn metadata_anchor(object: &Object<'_>, field: &str) -> Span {
    let Some((meta_key, meta)) = object.node.entry("metadata") else {
        return object
            .node
            .entry("kind")
            .map_or(object.node.span, |(k, _)| k.span);
    };
    meta.entry(field).map_or(meta_key.span, |(key, _)| key.span)
}

/// The text of a label or annotation value (`""` for a YAML null); `None`
/// for a collection.
pub fn scalar_value(node: &Node) -> Option<&str> {
    if node.is_null() {
        return Some("");
    }
    node.as_str()
}

/// Where a finding about a map entry points: its value, or its key when
/// the value is an empty null.
pub fn value_span(key: &Node, value: &Node) -> Span {
    if value.span.is_empty() {
        key.span
    } else {
        value.span
    }
}

/// The module call a resource comes from, as a related location.
pub fn caller_label(r: &Resource<'_>) -> Option<(Loc, String)> {
    let call = r.caller()?;
    Some((
        call,
        format!("in module instance `{}` called here", r.module_address()),
    ))
}

/// The attribute whose expression is written at `span`, anywhere in `body`.
pub fn attr_at(body: &Body, span: Span) -> Option<&Attribute> {
    if let Some(a) = body.attributes.iter().find(|a| a.expr.span == span) {
        return Some(a);
    }
    body.blocks
        .iter()
        .filter(|b| within(span, b.span))
        .find_map(|b| attr_at(&b.body, span))
}

/// Span of the value of the object item whose key was written at `key`
/// (a map entry's origin), searching the module's files and tfvars.
pub fn item_value_span(module: &Module<'_>, key: Loc) -> Option<Span> {
    let in_files = module
        .model
        .configs
        .iter()
        .flat_map(|c| c.files.iter())
        .filter(|f| f.id == key.file)
        .find_map(|f| value_in_body(&f.body, key.span));
    in_files.or_else(|| {
        module
            .model
            .instances
            .iter()
            .flat_map(|i| i.tfvars.values())
            .filter(|(file, _)| *file == key.file)
            .find_map(|(_, expr)| value_in_expr(expr, key.span))
    })
}

fn within(inner: Span, outer: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

fn value_in_body(body: &Body, key: Span) -> Option<Span> {
    body.attributes
        .iter()
        .filter(|a| within(key, a.span))
        .find_map(|a| value_in_expr(&a.expr, key))
        .or_else(|| {
            body.blocks
                .iter()
                .filter(|b| within(key, b.span))
                .find_map(|b| value_in_body(&b.body, key))
        })
}

fn value_in_expr(expr: &Expr, key: Span) -> Option<Span> {
    if !within(key, expr.span) {
        return None;
    }
    if let ExprKind::Object(items) = &expr.kind {
        if let Some(item) = items.iter().find(|i| i.key_span == key) {
            return Some(item.value.span);
        }
    }
    children(expr)
        .into_iter()
        .find_map(|e| value_in_expr(e, key))
}

/// The sub-expressions of an expression.
fn children(expr: &Expr) -> Vec<&Expr> {
    match &expr.kind {
        ExprKind::Object(items) => items.iter().map(|i| &i.value).collect(),
        ExprKind::Array(items) | ExprKind::Call { args: items, .. } => items.iter().collect(),
        ExprKind::Conditional(a, b, c) => vec![a, b, c],
        ExprKind::Unary(_, e) => vec![e],
        ExprKind::Binary(_, a, b) => vec![a, b],
        ExprKind::Traversal(base, ops) => std::iter::once(&**base)
            .chain(ops.iter().filter_map(|op| match op {
                TraversalOp::Index(e) => Some(e),
                _ => None,
            }))
            .collect(),
        ExprKind::For(f) => [
            Some(&f.collection),
            f.key.as_ref(),
            Some(&f.value),
            f.cond.as_ref(),
        ]
        .into_iter()
        .flatten()
        .collect(),
        ExprKind::Template(parts) => parts
            .iter()
            .filter_map(|p| match p {
                TemplatePart::Interp(e) => Some(e),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A fix that adds `keys` with placeholder values to the literal object
/// of a tags argument: `{ ... }` itself, or the last literal argument of
/// `merge(...)`. `None` when the edit would not be unambiguous.
pub fn hcl_add_keys(
    module: &Module<'_>,
    file: FileId,
    expr: &Expr,
    keys: &[&str],
    word: &str,
) -> Option<DraftFix> {
    let source = module.files.get(file)?;
    if source.kind != FileKind::Terraform || keys.is_empty() {
        return None;
    }
    let object = match &expr.kind {
        ExprKind::Object(_) => expr,
        ExprKind::Call {
            name,
            args,
            expand_final: false,
        } if name == "merge" => args
            .iter()
            .rev()
            .find(|a| matches!(a.kind, ExprKind::Object(_)))?,
        _ => return None,
    };
    let ExprKind::Object(items) = &object.kind else {
        return None;
    };
    let text: &str = &source.text;
    let written = text.get(object.span.range())?;
    if !written.starts_with('{') || !written.ends_with('}') {
        return None;
    }
    let close = object.span.end - 1;
    let keys: Vec<String> = keys.iter().map(|k| hcl_key(k)).collect();
    let edit = if written.contains('\n') {
        // One line per key, before the line of the closing brace.
        let line_start = line_start_of(text, close);
        let brace_indent = text.get(line_start..close)?;
        if !is_indent(brace_indent) {
            return None;
        }
        let indent = match items.first() {
            Some(first) => {
                let start = first.key_span.start;
                let indent = text.get(line_start_of(text, start)..start)?;
                if !is_indent(indent) {
                    return None;
                }
                indent.to_owned()
            }
            None => format!("{brace_indent}  "),
        };
        // Keep the `=` column of the last entry; a longer new key is left
        // for `terraform fmt` to realign rather than editing other lines.
        let width = items
            .last()
            .and_then(|i| text.get(i.key_span.start..i.value.span.start)?.find('='))
            .unwrap_or(0);
        let lines: String = keys
            .iter()
            .map(|k| {
                let pad = " ".repeat(width.saturating_sub(k.chars().count()).max(1));
                format!("{indent}{k}{pad}= \"{PLACEHOLDER}\"\n")
            })
            .collect();
        DraftEdit {
            at: Loc::new(file, Span::empty(line_start)),
            replacement: lines,
        }
    } else {
        let entries: Vec<String> = keys
            .iter()
            .map(|k| format!("{k} = \"{PLACEHOLDER}\""))
            .collect();
        match items.last() {
            Some(last) => DraftEdit {
                at: Loc::new(file, Span::empty(last.value.span.end)),
                replacement: format!(", {}", entries.join(", ")),
            },
            None => DraftEdit {
                at: Loc::new(file, object.span),
                replacement: format!("{{ {} }}", entries.join(", ")),
            },
        }
    };
    Some(DraftFix {
        title: fix_title(keys.len(), word),
        edits: vec![edit],
    })
}

/// A fix that adds `keys` with placeholder values to a block-style YAML
/// map whose entries each sit on one line at one indentation.
pub fn yaml_add_keys(text: &str, file: FileId, map: &Node, keys: &[&str]) -> Option<DraftFix> {
    let entries = map.as_map()?;
    let (first, _) = entries.first()?;
    if keys.is_empty() || text.get(map.span.start..)?.starts_with('{') {
        return None;
    }
    let line_start = |at: usize| line_start_of(text, at);
    let indent = text.get(line_start(first.span.start)..first.span.start)?;
    if !indent.chars().all(|c| c == ' ') {
        return None;
    }
    let mut last_end = 0;
    for (k, v) in entries {
        // Merged (`<<`) or aliased entries are written elsewhere.
        let written = within(k.span, map.span) && within(v.span, map.span);
        let one_line = v.span.end >= k.span.end
            && text
                .get(k.span.start..v.span.end)
                .is_some_and(|s| !s.contains('\n'));
        if !written
            || !one_line
            || v.as_str().is_none()
            || k.span.start - line_start(k.span.start) != indent.len()
        {
            return None;
        }
        last_end = last_end.max(v.span.end);
    }
    let at = text
        .get(last_end..)?
        .find('\n')
        .map_or(text.len(), |i| last_end + i);
    let lines: String = keys
        .iter()
        .map(|k| format!("\n{indent}{}: {PLACEHOLDER}", yaml_key(k)))
        .collect();
    Some(DraftFix {
        title: fix_title(keys.len(), "label"),
        edits: vec![DraftEdit {
            at: Loc::new(file, Span::empty(at)),
            replacement: lines,
        }],
    })
}

fn fix_title(n: usize, word: &str) -> String {
    format!(
        "Add the missing {} with a `{PLACEHOLDER}` value",
        plural(word, n)
    )
}

/// `tag` / `tags`.
pub fn plural(word: &str, n: usize) -> String {
    if n == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}

/// Offset of the start of the line holding `at`.
fn line_start_of(text: &str, at: usize) -> usize {
    text.get(..at)
        .and_then(|head| head.rfind('\n'))
        .map_or(0, |i| i + 1)
}

fn is_indent(s: &str) -> bool {
    s.chars().all(|c| c == ' ' || c == '\t')
}

/// A bare HCL identifier when the key is one, else a quoted string.
fn hcl_key(key: &str) -> String {
    let mut chars = key.chars();
    let ident = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident { key.to_owned() } else { quote(key) }
}

/// A plain YAML key when that is unambiguous, else a quoted one.
fn yaml_key(key: &str) -> String {
    let mut chars = key.chars();
    let plain = chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if plain { key.to_owned() } else { quote(key) }
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_quoted_only_when_needed() {
        assert_eq!(hcl_key("cost-center"), "cost-center");
        assert_eq!(hcl_key("kubernetes.io/owner"), "\"kubernetes.io/owner\"");
        assert_eq!(yaml_key("team.example.com/owner"), "team.example.com/owner");
        assert_eq!(yaml_key("cost center"), "\"cost center\"");
    }

    #[test]
    fn lists_stay_short() {
        let a: Vec<String> = (1..=6).map(|i| format!("r{i}")).collect();
        assert_eq!(address_list(&a), "`r1`, `r2`, `r3` and 3 more");
        assert_eq!(address_list(&a[..2]), "`r1` and `r2`");
        assert_eq!(ticked(&["a", "b", "c"], "or"), "`a`, `b` or `c`");
    }
}
