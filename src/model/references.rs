//! Which other resources a resource's expressions refer to, followed
//! through locals, module inputs and module outputs: what the
//! cross-region rule walks.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::fast::HashMap;

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

/// Which references a caller wants: the others are never built, which
/// spares the allocations of a walk most of whose results a rule drops.
#[derive(Clone, Copy)]
pub struct Wanted<'f> {
    /// Only arguments at these paths (`launch_template.id`); all when `None`.
    pub paths: Option<&'f [&'f str]>,
    /// Only targets of these modes and types.
    pub target: &'f dyn Fn(Mode, &str) -> bool,
    /// What earlier walks with the same `target` found behind locals,
    /// variables and outputs: the walks of one module's resources share it.
    pub memo: Option<&'f Memo>,
}

impl Wanted<'_> {
    pub const ALL: Wanted<'static> = Wanted {
        paths: None,
        target: &|_, _| true,
        memo: None,
    };

    fn path(&self, path: &str) -> bool {
        self.paths.is_none_or(|ps| ps.contains(&path))
    }

    /// Whether a block at `path` can hold a wanted argument.
    fn block(&self, path: &str) -> bool {
        self.paths.is_none_or(|ps| {
            ps.iter().any(|p| {
                p.strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with('.'))
            })
        })
    }
}

/// Finds the references of a body evaluated in `scope`.
pub fn references(model: &Model, body: &Body, scope: &Scope, wanted: Wanted<'_>) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut path = String::new();
    walk_body(model, body, scope, &mut path, wanted, &mut out);
    out
}

/// `path` is the prefix of the body's arguments, restored on return.
fn walk_body(
    model: &Model,
    body: &Body,
    scope: &Scope,
    path: &mut String,
    wanted: Wanted<'_>,
    out: &mut Vec<Reference>,
) {
    let len = path.len();
    for attr in &body.attributes {
        if matches!(
            attr.name.as_str(),
            "depends_on" | "provider" | "count" | "for_each" | "lifecycle"
        ) {
            continue;
        }
        push_segment(path, &attr.name);
        if wanted.path(path) {
            let at_file = scope.file;
            visit(&attr.expr, &mut |e, root, ops| {
                let at = Loc::new(at_file, e.span);
                let mut seen = Seen::default();
                let mut found = Vec::new();
                let reached = Cell::new(usize::MAX);
                let chain = Chain {
                    model,
                    wanted,
                    hops: 0,
                    reached: &reached,
                };
                chain.targets(scope.instance, root, ops, scope, &mut seen, &mut found);
                for target in found {
                    out.push(Reference {
                        at,
                        path: path.clone(),
                        target,
                    });
                }
            });
        }
        path.truncate(len);
    }
    for block in &body.blocks {
        if block.ident == "dynamic" {
            // A dynamic block's `content` is the block it writes, at the
            // same path as a literal one (`launch_template.id`).
            push_segment(path, block.label(0).unwrap_or("dynamic"));
            if wanted.block(path) {
                for content in block.body.blocks.iter().filter(|b| b.ident == "content") {
                    walk_body(model, &content.body, scope, path, wanted, out);
                }
            }
            path.truncate(len);
            continue;
        }
        push_segment(path, &block.ident);
        if wanted.block(path) {
            walk_body(model, &block.body, scope, path, wanted, out);
        }
        path.truncate(len);
    }
}

fn push_segment(path: &mut String, name: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(name);
}

/// A local, a variable or an output of a module instance.
type Hop = (InstanceId, &'static str, String);

/// Locals, variables and outputs already followed in one chain, in the
/// order they were followed.
#[derive(Default)]
struct Seen {
    at: HashMap<Hop, usize>,
    order: Vec<Hop>,
}

impl Seen {
    /// Where `hop` is in `order`, when it was followed.
    fn index(&self, hop: &Hop) -> Option<usize> {
        self.at.get(hop).copied()
    }

    fn insert(&mut self, hop: Hop) {
        if !self.at.contains_key(&hop) {
            self.at.insert(hop.clone(), self.order.len());
            self.order.push(hop);
        }
    }
}

/// What a hop's walk found, and the hops it followed on the way.
struct Walked {
    targets: Rc<[Target]>,
    hops: Rc<[Hop]>,
}

/// The targets behind locals, variables and outputs, for one target
/// filter. A hop's targets depend on the hop alone (locals, inputs and
/// outputs are evaluated in their own module's scope), except where its
/// walk skipped a hop the chain it was reached from had followed already,
/// or hit the hop limit: only walks that did neither are kept, and one is
/// reused only in a chain that has followed none of its hops.
#[derive(Default)]
pub struct Memo {
    hops: RefCell<HashMap<Hop, Walked>>,
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

/// One walk from a referring expression: what it wants, and how many
/// locals, inputs and outputs it has gone through.
#[derive(Clone, Copy)]
struct Chain<'m, 'f> {
    model: &'m Model,
    wanted: Wanted<'f>,
    hops: usize,
    /// The earliest hop (by its place in `Seen::order`) that the walk ran
    /// into again and skipped, `usize::MAX` when none.
    reached: &'f Cell<usize>,
}

impl Chain<'_, '_> {
    /// Resources a reference reaches, following locals, inputs and
    /// outputs, pushed to `out`.
    fn targets(
        self,
        instance: InstanceId,
        root: &str,
        ops: &[TraversalOp],
        scope: &Scope,
        seen: &mut Seen,
        out: &mut Vec<Target>,
    ) {
        if self.hops > MAX_HOPS {
            // Cut short wherever it started: nothing is kept.
            self.ran_into(0);
            return;
        }
        let model = self.model;
        let Some(inst) = model.instance(instance) else {
            return;
        };
        let Some(config) = model.configs.get(inst.config) else {
            return;
        };
        let first = attr_name(ops.first());
        match (root, first) {
            ("local", Some(name)) => {
                let Some((file, attr)) = config.local(name) else {
                    return;
                };
                self.hop(
                    (instance, "local", name.to_owned()),
                    seen,
                    out,
                    |seen, out| {
                        self.collect(&attr.expr, &Scope::new(instance, file), seen, out);
                    },
                );
            }
            // A root module's variables come from tfvars: no references.
            ("var", Some(name)) => {
                let Some(call) = inst.parent.as_ref() else {
                    return;
                };
                let parent_config = model.config_of(call.parent);
                let decl = parent_config.and_then(|c| c.calls.get(call.call));
                let (Some(pc), Some(decl)) = (parent_config, decl) else {
                    return;
                };
                let Some(attr) = pc.block(decl.at).and_then(|b| b.body.attr(name)) else {
                    return;
                };
                self.hop(
                    (instance, "var", name.to_owned()),
                    seen,
                    out,
                    |seen, out| {
                        let inner = Scope::new(call.parent, pc.file_id(decl.at))
                            .with_bindings(&call.expansion.bindings);
                        self.collect(&attr.expr, &inner, seen, out);
                    },
                );
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
                        let Some(&at) = child_config.outputs.get(o) else {
                            continue;
                        };
                        let Some(attr) = child_config.block(at).and_then(|b| b.body.attr("value"))
                        else {
                            continue;
                        };
                        self.hop((*child, "output", o.to_owned()), seen, out, |seen, out| {
                            let inner = Scope::new(*child, child_config.file_id(at));
                            self.collect(&attr.expr, &inner, seen, out);
                        });
                    }
                }
            }
            ("data", Some(rtype)) => {
                if let Some(name) = attr_name(ops.get(1)) {
                    if (self.wanted.target)(Mode::Data, rtype)
                        && config.resource_index.contains_key(&(
                            Mode::Data,
                            rtype.to_owned(),
                            name.to_owned(),
                        ))
                    {
                        let rest = ops.get(2..).unwrap_or(&[]);
                        out.push(target(
                            model,
                            instance,
                            Mode::Data,
                            rtype,
                            name,
                            rest,
                            scope,
                        ));
                    }
                }
            }
            // Roots that are never resource types.
            ("each" | "count" | "path" | "terraform" | "self", _) => {}
            (rtype, Some(name))
                if (self.wanted.target)(Mode::Managed, rtype)
                    && config.resource_index.contains_key(&(
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
    }

    /// Follows a local, variable or output once per chain, through the
    /// memo when there is one.
    fn hop(
        self,
        key: Hop,
        seen: &mut Seen,
        out: &mut Vec<Target>,
        walk: impl FnOnce(&mut Seen, &mut Vec<Target>),
    ) {
        if let Some(at) = seen.index(&key) {
            self.ran_into(at);
            return;
        }
        let Some(memo) = self.wanted.memo else {
            seen.insert(key);
            walk(seen, out);
            return;
        };
        if let Some(walked) = memo.hops.borrow().get(&key) {
            // Exactly what walking again would find, unless this chain
            // has already been through one of the hops on the way.
            if walked.hops.iter().all(|h| seen.index(h).is_none()) {
                out.extend(walked.targets.iter().cloned());
                for hop in walked.hops.iter() {
                    seen.insert(hop.clone());
                }
                return;
            }
        }
        let outer = self.reached.replace(usize::MAX);
        let (first_target, first_hop) = (out.len(), seen.order.len());
        seen.insert(key.clone());
        walk(seen, out);
        let inner = self.reached.get();
        // Running into a hop this walk itself followed is what any walk of
        // this hop would do; one followed before it is not.
        if inner >= first_hop {
            let walked = Walked {
                targets: out.get(first_target..).unwrap_or_default().into(),
                hops: seen.order.get(first_hop..).unwrap_or_default().into(),
            };
            memo.hops.borrow_mut().insert(key, walked);
        }
        self.reached.set(outer.min(inner));
    }

    /// Notes that the walk skipped the hop followed `at`-th in the chain.
    fn ran_into(self, at: usize) {
        self.reached.set(self.reached.get().min(at));
    }

    /// The targets of every reference in `expr`, one hop further.
    fn collect(self, expr: &Expr, scope: &Scope, seen: &mut Seen, out: &mut Vec<Target>) {
        let next = Chain {
            hops: self.hops + 1,
            ..self
        };
        visit(expr, &mut |_, root, ops| {
            next.targets(scope.instance, root, ops, scope, seen, out);
        });
    }
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
    let (key, attr_op) = match rest.first() {
        Some(TraversalOp::Index(e)) => (
            Some(Evaluator::new(model).value(e, scope)).filter(Value::is_known),
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
                let paths = [arg];
                let wanted = Wanted {
                    paths: Some(&paths),
                    ..Wanted::ALL
                };
                let mut refs: Vec<Target> = resource
                    .references_wanted(wanted)
                    .into_iter()
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
    let mut seen = Seen::default();
    let reached = Cell::new(usize::MAX);
    let chain = Chain {
        model: r.model,
        wanted: Wanted::ALL,
        hops: 0,
        reached: &reached,
    };
    chain.collect(&for_each.expr, &scope, &mut seen, &mut out);
    for t in &mut out {
        t.key = None;
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::Environments;
    use crate::source::fs::MemoryFs;
    use crate::terraform::module::{BuildOptions, Builder};

    /// Locals reached twice (a diamond), locals in a cycle, a module
    /// output and input leading back to the root, an indexed instance:
    /// every resource's references are the same with a memo shared by all
    /// of them, in any order, as with a fresh walk each.
    #[test]
    fn memo_answers_as_a_fresh_walk() {
        let mut fs = MemoryFs::new();
        fs.insert(
            "/m/main.tf",
            r#"
resource "aws_s3_bucket" "a" { bucket = "a" }
resource "aws_s3_bucket" "b" {
  for_each = toset(["x", "y"])
  bucket   = each.key
}
resource "aws_sqs_queue" "q" { name = "q" }
locals {
  base  = aws_s3_bucket.a.arn
  left  = [local.base, aws_sqs_queue.q.arn]
  right = [local.base, aws_s3_bucket.b["x"].arn]
  both  = concat(local.left, local.right)
  loop1 = [local.loop2, aws_s3_bucket.a.id]
  loop2 = [local.loop1, aws_sqs_queue.q.id]
}
module "child" {
  source = "./child"
  input  = local.both
}
resource "aws_lambda_function" "f1" {
  environment { variables = { A = local.both, B = local.left } }
}
resource "aws_lambda_function" "f2" {
  environment { variables = { A = local.right, B = local.loop1 } }
}
resource "aws_lambda_function" "f3" {
  environment { variables = { A = local.loop2, B = module.child.out, C = local.both } }
}
resource "aws_lambda_function" "f4" {
  environment { variables = { A = module.child.out, B = local.base } }
}
"#,
        );
        fs.insert(
            "/m/child/main.tf",
            r#"
variable "input" {}
locals { again = var.input }
output "out" { value = [local.again, var.input] }
"#,
        );
        let opts = BuildOptions::for_tests(&fs, Path::new("/m"));
        let mut builder = Builder::new(&opts);
        builder.build_root(Path::new("/m"));
        let envs = Environments::default();
        let module = Module::new(&builder.model, &builder.files, &envs);
        let lambdas: Vec<_> = module
            .resources()
            .iter()
            .filter(|r| r.rtype == "aws_lambda_function")
            .collect();
        assert_eq!(lambdas.len(), 4);
        let buckets = |mode: Mode, rtype: &str| mode == Mode::Managed && rtype == "aws_s3_bucket";
        for filter in [&buckets as &dyn Fn(Mode, &str) -> bool, &|_, _| true] {
            let fresh = |r: &Resource<'_>| {
                r.references_wanted(Wanted {
                    paths: None,
                    target: filter,
                    memo: None,
                })
            };
            let expected: Vec<Vec<Reference>> = lambdas.iter().map(|r| fresh(r)).collect();
            assert!(expected.iter().all(|refs| !refs.is_empty()));
            for order in [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]] {
                let memo = Memo::default();
                for _ in 0..2 {
                    for &i in &order {
                        let got = lambdas[i].references_wanted(Wanted {
                            paths: None,
                            target: filter,
                            memo: Some(&memo),
                        });
                        assert_eq!(
                            got, expected[i],
                            "{} in order {order:?}",
                            lambdas[i].address
                        );
                    }
                }
                assert!(!memo.hops.borrow().is_empty());
            }
        }
    }

    /// A dynamic block's content refers from the same path as the literal
    /// block: an autoscaling group's dynamic `launch_template` finds its
    /// template (which prices it and lets the spot rule judge it).
    #[test]
    fn a_dynamic_block_refers_from_the_literal_block_path() {
        let mut fs = MemoryFs::new();
        fs.insert(
            "/m/main.tf",
            r#"
resource "aws_launch_template" "t" { instance_type = "m5.large" }
resource "aws_autoscaling_group" "g" {
  min_size = 1
  max_size = 2
  dynamic "launch_template" {
    for_each = [1]
    iterator = lt
    content {
      id      = aws_launch_template.t.id
      version = "$Latest"
    }
  }
}
"#,
        );
        let opts = BuildOptions::for_tests(&fs, Path::new("/m"));
        let mut builder = Builder::new(&opts);
        builder.build_root(Path::new("/m"));
        let envs = Environments::default();
        let module = Module::new(&builder.model, &builder.files, &envs);
        let group = module
            .resources()
            .iter()
            .find(|r| r.rtype == "aws_autoscaling_group")
            .expect("group");
        let paths: Vec<String> = group.references().into_iter().map(|r| r.path).collect();
        assert_eq!(paths, ["launch_template.id"]);
    }
}
