//! Which other resources a resource's expressions refer to, followed
//! through locals, module inputs and module outputs: what the
//! cross-region rule walks.

use crate::fast::HashSet;
use std::sync::Arc;

use crate::finding::Loc;
use crate::model::terraform::{Module, Resource};
use crate::terraform::ast::{Body, Expr, ExprKind, ObjectKey, TemplatePart, TraversalOp};
use crate::terraform::eval::{Evaluator, Scope};
use crate::terraform::module::{InstanceId, Mode, Model};
use crate::terraform::value::Value;

/// A resource block referred to, in a module instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub instance: InstanceId,
    pub mode: Mode,
    pub rtype: String,
    pub name: String,
    /// The instance key, when the reference indexes one and it is known.
    pub key: Option<Value>,
    /// The first attribute read from it (`arn`, `bucket`, `location`).
    pub attribute: Option<String>,
}

/// A reference from a resource: where it is written in the resource, and
/// what it reaches.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// The expression in the referring resource where the chain starts.
    pub at: Loc,
    /// Argument path in the referring resource (`environment.variables`).
    pub path: String,
    pub target: Target,
}

const MAX_HOPS: usize = 64;

/// Finds the references of a body evaluated in `scope`.
pub fn references(model: &Model, body: &Body, scope: &Scope) -> Vec<Reference> {
    let mut out = Vec::new();
    walk_body(model, body, scope, "", &mut out);
    out
}

fn walk_body(model: &Model, body: &Body, scope: &Scope, prefix: &str, out: &mut Vec<Reference>) {
    for attr in &body.attributes {
        if matches!(
            attr.name.as_str(),
            "depends_on" | "provider" | "count" | "for_each" | "lifecycle"
        ) {
            continue;
        }
        let path = join(prefix, &attr.name);
        let at_file = scope.file;
        visit(&attr.expr, &mut |e, root, ops| {
            let at = Loc::new(at_file, e.span);
            let mut seen = HashSet::default();
            for target in targets(model, scope.instance, root, ops, scope, &mut seen, 0).iter() {
                out.push(Reference {
                    at,
                    path: path.clone(),
                    target: target.clone(),
                });
            }
        });
    }
    for block in &body.blocks {
        let name = if block.ident == "dynamic" {
            block.label(0).unwrap_or("dynamic").to_owned()
        } else {
            block.ident.clone()
        };
        walk_body(model, &block.body, scope, &join(prefix, &name), out);
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Calls `f` for every reference-like traversal (and bare variable) in an
/// expression.
pub fn visit(expr: &Expr, f: &mut dyn FnMut(&Expr, &str, &[TraversalOp])) {
    match &expr.kind {
        ExprKind::Variable(name) => f(expr, name, &[]),
        ExprKind::Traversal(base, ops) => {
            if let ExprKind::Variable(name) = &base.kind {
                f(expr, name, ops);
            } else {
                visit(base, f);
            }
            for op in ops {
                if let TraversalOp::Index(i) = op {
                    visit(i, f);
                }
            }
        }
        ExprKind::Template(parts) => visit_parts(parts, f),
        ExprKind::Array(items) => items.iter().for_each(|i| visit(i, f)),
        ExprKind::Object(items) => {
            for item in items {
                if let ObjectKey::Expr(k) = &item.key {
                    visit(k, f);
                }
                visit(&item.value, f);
            }
        }
        ExprKind::Call { args, .. } => args.iter().for_each(|a| visit(a, f)),
        ExprKind::Conditional(a, b, c) => {
            visit(a, f);
            visit(b, f);
            visit(c, f);
        }
        ExprKind::Unary(_, e) => visit(e, f),
        ExprKind::Binary(_, a, b) => {
            visit(a, f);
            visit(b, f);
        }
        ExprKind::For(fe) => {
            visit(&fe.collection, f);
            if let Some(k) = &fe.key {
                visit(k, f);
            }
            visit(&fe.value, f);
            if let Some(c) = &fe.cond {
                visit(c, f);
            }
        }
        _ => {}
    }
}

fn visit_parts(parts: &[TemplatePart], f: &mut dyn FnMut(&Expr, &str, &[TraversalOp])) {
    for p in parts {
        match p {
            TemplatePart::Literal(_) => {}
            TemplatePart::Interp(e) => visit(e, f),
            TemplatePart::If {
                cond,
                then,
                otherwise,
            } => {
                visit(cond, f);
                visit_parts(then, f);
                visit_parts(otherwise, f);
            }
            TemplatePart::For {
                collection, body, ..
            } => {
                visit(collection, f);
                visit_parts(body, f);
            }
        }
    }
}

fn attr_name(op: Option<&TraversalOp>) -> Option<&str> {
    match op {
        Some(TraversalOp::GetAttr(n, _)) => Some(n),
        _ => None,
    }
}

/// Resources a reference reaches, following locals, inputs and outputs.
fn targets(
    model: &Model,
    instance: InstanceId,
    root: &str,
    ops: &[TraversalOp],
    scope: &Scope,
    seen: &mut HashSet<(InstanceId, &'static str, String)>,
    hops: usize,
) -> Arc<Vec<Target>> {
    if hops > MAX_HOPS {
        return Arc::new(Vec::new());
    }
    let Some(inst) = model.instance(instance) else {
        return Arc::new(Vec::new());
    };
    let Some(config) = model.configs.get(inst.config) else {
        return Arc::new(Vec::new());
    };
    let mut out = Vec::new();
    let first = attr_name(ops.first());
    match (root, first) {
        ("local", Some(name)) => {
            let fresh = seen.insert((instance, "local", name.to_owned()));
            if let (true, Some((file, attr))) = (fresh, config.local(name)) {
                collect(
                    model,
                    &attr.expr,
                    &Scope::new(instance, file),
                    seen,
                    hops,
                    &mut out,
                );
            }
        }
        ("var", Some(name)) => {
            let fresh = seen.insert((instance, "var", name.to_owned()));
            // A root module's variables come from tfvars: no references.
            if let Some(call) = inst.parent.as_ref().filter(|_| fresh) {
                let parent_config = model.config_of(call.parent);
                let decl = parent_config.and_then(|c| c.calls.get(call.call));
                if let (Some(pc), Some(decl)) = (parent_config, decl) {
                    if let Some(attr) = pc.block(decl.at).and_then(|b| b.body.attr(name)) {
                        let inner = Scope::new(call.parent, pc.file_id(decl.at))
                            .with_bindings(&call.expansion.bindings);
                        collect(model, &attr.expr, &inner, seen, hops, &mut out);
                    }
                }
            }
        }
        ("module", Some(call)) => {
            let output = match ops.get(1) {
                Some(TraversalOp::GetAttr(o, _)) => Some(o.as_str()),
                _ => attr_name(ops.get(2)),
            };
            for (_, child) in inst.children.get(call).into_iter().flatten() {
                let Some(child_config) = model.config_of(*child) else {
                    continue;
                };
                let outputs: Vec<&str> = match output {
                    Some(o) => vec![o],
                    None => child_config.outputs.keys().map(String::as_str).collect(),
                };
                for o in outputs {
                    if !seen.insert((*child, "output", o.to_owned())) {
                        continue;
                    }
                    let Some(&at) = child_config.outputs.get(o) else {
                        continue;
                    };
                    if let Some(attr) = child_config.block(at).and_then(|b| b.body.attr("value")) {
                        let inner = Scope::new(*child, child_config.file_id(at));
                        collect(model, &attr.expr, &inner, seen, hops, &mut out);
                    }
                }
            }
        }
        ("data", Some(rtype)) => {
            if let Some(name) = attr_name(ops.get(1)) {
                if config.resource_index.contains_key(&(
                    Mode::Data,
                    rtype.to_owned(),
                    name.to_owned(),
                )) {
                    out.push(target(
                        model,
                        instance,
                        Mode::Data,
                        rtype,
                        name,
                        ops.get(2..).unwrap_or(&[]),
                        scope,
                    ));
                }
            }
        }
        (rtype, Some(name))
            if config.resource_index.contains_key(&(
                Mode::Managed,
                rtype.to_owned(),
                name.to_owned(),
            )) =>
        {
            let rest = ops.get(1..).unwrap_or(&[]);
            out.push(target(
                model,
                instance,
                Mode::Managed,
                rtype,
                name,
                rest,
                scope,
            ));
        }
        _ => {}
    }
    Arc::new(out)
}

fn target(
    model: &Model,
    instance: InstanceId,
    mode: Mode,
    rtype: &str,
    name: &str,
    rest: &[TraversalOp],
    scope: &Scope,
) -> Target {
    let eval = Evaluator::new(model);
    let (key, attr_op) = match rest.first() {
        Some(TraversalOp::Index(e)) => (
            Some(eval.value(e, scope)).filter(Value::is_known),
            rest.get(1),
        ),
        Some(TraversalOp::LegacyIndex(i, _)) => (Some(Value::Number(*i as f64)), rest.get(1)),
        other => (None, other),
    };
    Target {
        instance,
        mode,
        rtype: rtype.to_owned(),
        name: name.to_owned(),
        key,
        attribute: attr_name(attr_op).map(str::to_owned),
    }
}

fn collect(
    model: &Model,
    expr: &Expr,
    scope: &Scope,
    seen: &mut HashSet<(InstanceId, &'static str, String)>,
    hops: usize,
    out: &mut Vec<Target>,
) {
    visit(expr, &mut |_, root, ops| {
        out.extend(
            targets(model, scope.instance, root, ops, scope, seen, hops + 1)
                .iter()
                .cloned(),
        );
    });
}

/// Which resources of one type attach to another resource through one
/// argument: the lifecycle configurations of a bucket (`bucket`), the
/// schedules of an autoscaling group (`autoscaling_group_name`). Built
/// once per module and type, then asked per target.
pub struct Attachments<'m, 'a> {
    attachers: Vec<Attacher<'m, 'a>>,
}

struct Attacher<'m, 'a> {
    resource: &'m Resource<'a>,
    /// References written in the argument.
    refs: Vec<Target>,
    /// The argument's value when no reference was found: `None` when the
    /// argument is absent, `Some(None)` when its value is not known.
    literal: Option<Option<String>>,
}

/// The resources attached to a target, and whether some other attacher
/// might be attached to it too (its argument is not known statically).
pub struct Attached<'m, 'a> {
    pub by: Vec<&'m Resource<'a>>,
    pub unresolved: bool,
}

impl<'m, 'a> Attachments<'m, 'a> {
    pub fn new(module: &'m Module<'a>, rtype: &str, arg: &str) -> Self {
        let attachers = module
            .resources()
            .iter()
            .filter(|r| r.rtype == rtype)
            .map(|resource| {
                let mut refs: Vec<Target> = resource
                    .references()
                    .into_iter()
                    .filter(|x| x.path == arg)
                    .map(|x| x.target)
                    .collect();
                if refs.is_empty() {
                    refs = through_for_each(resource, arg);
                }
                let literal = if refs.is_empty() {
                    resource.attr(arg).and_then(|a| match a.value {
                        Value::Null => None,
                        v => Some(v.to_tf_string()),
                    })
                } else {
                    None
                };
                Attacher {
                    resource,
                    refs,
                    literal,
                }
            })
            .collect();
        Attachments { attachers }
    }

    /// What attaches to `target`, whose argument `ident` (`bucket`, `name`)
    /// is what a literal attacher would name. An attacher is counted when
    /// it refers to the target's block (any instance, unless the
    /// reference names another one) or names the target literally; one
    /// whose target cannot be told makes the answer `unresolved`.
    pub fn of(&self, target: &Resource<'a>, ident: &str) -> Attached<'m, 'a> {
        let name = target.attr(ident).and_then(|a| match a.value {
            Value::Null => None,
            v => Some(v.to_tf_string()),
        });
        let mut out = Attached {
            by: Vec::new(),
            unresolved: false,
        };
        for a in &self.attachers {
            if !a.refs.is_empty() {
                let hits = a.refs.iter().any(|t| {
                    t.mode == Mode::Managed
                        && t.instance == target.instance
                        && t.rtype == target.rtype
                        && t.name == target.name
                        && t.key
                            .as_ref()
                            .is_none_or(|k| target.is_unknown_instance() || target.has_key(k))
                });
                if hits {
                    out.by.push(a.resource);
                } else if a
                    .refs
                    .iter()
                    .any(|t| t.mode != Mode::Managed || t.rtype != target.rtype)
                {
                    // Through a data source or another type: the name may
                    // be this target's.
                    out.unresolved = true;
                }
                continue;
            }
            match (&a.literal, &name) {
                (None, _) => {}
                (Some(Some(written)), Some(Some(own))) if written == own => out.by.push(a.resource),
                (Some(Some(_)), Some(Some(_)) | None) => {}
                // An unknown name on either side could be this target's.
                (Some(None), _) | (Some(Some(_)), Some(None)) => out.unresolved = true,
            }
        }
        out
    }
}

/// `bucket = each.value.id` with `for_each = aws_s3_bucket.tenants`: the
/// blocks the `for_each` collection refers to, any instance of them.
fn through_for_each(r: &Resource<'_>, arg: &str) -> Vec<Target> {
    let body = &r.block.body;
    let (Some(attr), Some(for_each)) = (body.attr(arg), body.attr("for_each")) else {
        return Vec::new();
    };
    let mut uses_each = false;
    visit(&attr.expr, &mut |_, root, _| uses_each |= root == "each");
    if !uses_each {
        return Vec::new();
    }
    let scope = Scope::new(r.instance, r.file);
    let mut out = Vec::new();
    let mut seen = HashSet::default();
    collect(r.model, &for_each.expr, &scope, &mut seen, 0, &mut out);
    for t in &mut out {
        t.key = None;
    }
    out
}
