//! Hover and code actions on published findings.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Hover, HoverContents,
    MarkupContent, MarkupKind, Position, TextEdit, Uri, WorkspaceEdit,
};

use super::convert::{self, Encoding, Text};
use super::worker::Item;
use crate::rules::codes;
use crate::source::{FileKind, LineIndex};
use crate::suppress::insert::{Placement, suppression};

/// The rule's documentation for every finding under the cursor.
pub fn hover(items: &[&Item], pos: Position) -> Option<Hover> {
    let hits: Vec<&&Item> = items
        .iter()
        .filter(|i| !i.code.is_empty() && convert::contains(&i.diagnostic.range, pos))
        .collect();
    let first = hits.first()?;
    let mut sections = Vec::new();
    for item in &hits {
        let Some(rule) = crate::rules::by_code(item.code) else {
            continue;
        };
        let meta = rule.meta();
        let mut s = format!(
            "**{}** `{}` · {}\n\n{}\n",
            meta.code,
            meta.name,
            item.diagnostic.severity.map_or("warning", |s| match s {
                lsp_types::DiagnosticSeverity::ERROR => "error",
                lsp_types::DiagnosticSeverity::INFORMATION => "note",
                _ => "warning",
            }),
            item.diagnostic.message
        );
        if let Some(help) = &item.help {
            s.push_str(&format!("\n*help:* {help}\n"));
        }
        // Rule pages start at level 2; nest them under the finding.
        let docs = meta.docs().replace("\n## ", "\n#### ");
        let docs = docs
            .strip_prefix("## ")
            .map_or(docs.clone(), |d| format!("#### {d}"));
        s.push_str(&format!(
            "\n---\n\n{docs}\n[{} documentation]({})\n",
            meta.code,
            meta.url()
        ));
        sections.push(s);
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n---\n\n"),
        }),
        range: Some(first.diagnostic.range),
    })
}

pub struct ActionContext<'a> {
    pub path: &'a Path,
    pub uri: &'a Uri,
    /// The buffer's current text (the one the items were computed for).
    pub text: &'a str,
    pub enc: Encoding,
    /// Versions of the open buffers.
    pub versions: &'a HashMap<PathBuf, i32>,
    pub uri_of: &'a dyn Fn(&Path) -> Option<Uri>,
}

fn wants_quickfix(p: &CodeActionParams) -> bool {
    match &p.context.only {
        None => true,
        Some(kinds) => kinds.iter().any(|k| {
            let k = k.as_str();
            k.is_empty() || k == "quickfix" || "quickfix".starts_with(&format!("{k}."))
        }),
    }
}

/// Quick fixes from the rules' own fixes, then suppressions.
pub fn code_actions(
    cx: &ActionContext<'_>,
    items: &[&Item],
    p: &CodeActionParams,
) -> Vec<CodeActionOrCommand> {
    if !wants_quickfix(p) {
        return Vec::new();
    }
    let mut fixes = Vec::new();
    let mut suppressions = Vec::new();
    for item in items
        .iter()
        .filter(|i| !i.code.is_empty() && convert::overlaps(&i.diagnostic.range, &p.range))
    {
        if let Some(action) = fix_action(cx, item) {
            fixes.push(action);
        }
        suppressions.extend(suppress_actions(cx, item));
    }
    let mut out: Vec<CodeAction> = Vec::new();
    for action in fixes.into_iter().chain(suppressions) {
        if !out
            .iter()
            .any(|a| a.title == action.title && a.edit == action.edit)
        {
            out.push(action);
        }
    }
    out.into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

// `WorkspaceEdit.changes` is keyed by `Uri`, whose hash is its text.
#[allow(clippy::mutable_key_type)]
fn fix_action(cx: &ActionContext<'_>, item: &Item) -> Option<CodeAction> {
    let fix = item.fix.as_ref()?;
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (path, (version, edits)) in &fix.edits {
        // Only onto the text the fix was computed for.
        if cx.versions.get(path) != version.as_ref() {
            return None;
        }
        changes.insert((cx.uri_of)(path)?, edits.clone());
    }
    Some(CodeAction {
        title: fix.title.clone(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![item.diagnostic.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }),
        is_preferred: Some(true),
        ..CodeAction::default()
    })
}

/// `aws_instance.web["a"]` or `module.app.aws_instance.web` → the block
/// as written in its file: `aws_instance.web`.
fn local_address(address: &str) -> &str {
    let mut a = address;
    if a.ends_with(']') {
        if let Some(open) = a.rfind('[') {
            a = a.get(..open).unwrap_or(a);
        }
    }
    let mut parts = a.rsplitn(3, '.');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(name), Some(rtype), Some(_)) => a
            .get(a.len().saturating_sub(name.len() + rtype.len() + 1)..)
            .unwrap_or(a),
        _ => a,
    }
}

fn suppress_actions(cx: &ActionContext<'_>, item: &Item) -> Vec<CodeAction> {
    // Syntax errors are fixed, not hidden; suppression findings cannot be
    // suppressed.
    if [
        codes::SYNTAX_ERROR,
        codes::UNUSED_SUPPRESSION,
        codes::INVALID_SUPPRESSION,
    ]
    .contains(&item.code)
    {
        return Vec::new();
    }
    let Some(kind) = FileKind::from_path(cx.path) else {
        return Vec::new();
    };
    let index = LineIndex::new(cx.text);
    let text = Text {
        text: cx.text,
        index: &index,
    };
    let target = match (kind, &item.resource) {
        (FileKind::Yaml, Some(r)) => format!("`{r}`"),
        (FileKind::Yaml, None) => "this object".to_owned(),
        (_, Some(r)) => format!("`{}`", local_address(r)),
        (_, None) => "this block".to_owned(),
    };
    [
        (
            Placement::Line,
            format!("Suppress {} on this line", item.code),
        ),
        (
            Placement::Region,
            format!("Suppress {} for {target}", item.code),
        ),
    ]
    .into_iter()
    .filter_map(|(placement, title)| {
        let ins = suppression(kind, cx.text, item.span, item.code, placement)?;
        let at = text.position(ins.at, cx.enc);
        let edit = TextEdit::new(lsp_types::Range::new(at, at), ins.text);
        Some(CodeAction {
            title: format!("{title} (`costlint:ignore` comment)"),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![item.diagnostic.clone()]),
            edit: Some(WorkspaceEdit {
                changes: Some([(cx.uri.clone(), vec![edit])].into_iter().collect()),
                ..WorkspaceEdit::default()
            }),
            ..CodeAction::default()
        })
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_addresses() {
        assert_eq!(local_address("aws_instance.web"), "aws_instance.web");
        assert_eq!(local_address("aws_instance.web[\"a\"]"), "aws_instance.web");
        assert_eq!(
            local_address("module.app[0].aws_instance.web[2]"),
            "aws_instance.web"
        );
        assert_eq!(
            local_address("module.app.aws_instance.web"),
            "aws_instance.web"
        );
    }
}
