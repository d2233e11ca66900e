//! Evaluates Terraform expressions in the scope of a module instance.
//!
//! `hcl::eval` cannot represent values that are unknown until apply, and a
//! linter must not guess them, so evaluation is done here over our own
//! syntax tree: `Unknown` propagates, maps may be partly known, and every
//! map key written in the configuration keeps its source location.

use std::cell::{Cell, RefCell};

use super::ast::*;
use super::functions;
use super::module::{Bindings, InstanceId, InstanceKey, Mode, Model, expansions};
use super::types;
use super::value::{Map, Value};
use crate::finding::{Diagnostic, FileId, Loc};
use crate::rules::codes;

/// Why an expression would fail in Terraform. Rules treat it as unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError(pub String);

/// A value and, when it flows unchanged from a literal, where that literal
/// was written (a tfvars line, a variable default, a module input).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Traced {
    pub value: Value,
    pub origin: Option<Loc>,
}

impl Traced {
    pub fn unknown() -> Self {
        Traced {
            value: Value::Unknown,
            origin: None,
        }
    }
}

/// Where an expression is evaluated: the module instance, the file it is
/// written in, and bindings (`each`, `count`, `for` variables, dynamic
/// block iterators), innermost last.
#[derive(Debug, Clone)]
pub struct Scope {
    pub instance: InstanceId,
    pub file: FileId,
    /// An instance's `each`/`count`, shared rather than copied: `each.value`
    /// can be a large map, and scopes are made and cloned often.
    shared: Option<Bindings>,
    /// Bindings on top of the shared ones.
    pub bindings: Vec<(String, Value)>,
}

impl Scope {
    pub fn new(instance: InstanceId, file: FileId) -> Self {
        Scope {
            instance,
            file,
            shared: None,
            bindings: Vec::new(),
        }
    }

    /// This scope with an instance's bindings on top.
    pub fn with_bindings(mut self, bindings: &Bindings) -> Self {
        if bindings.is_empty() {
            return self;
        }
        if self.shared.is_none() && self.bindings.is_empty() {
            self.shared = Some(bindings.clone());
        } else {
            self.bindings.extend(bindings.iter().cloned());
        }
        self
    }

    fn binding(&self, name: &str) -> Option<&Value> {
        let shared = self.shared.as_deref().unwrap_or_default();
        self.bindings
            .iter()
            .rev()
            .chain(shared.iter().rev())
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

/// Guards against runaway evaluation: reference chains are bounded, and a
/// cycle is reported instead of followed.
const MAX_DEPTH: usize = 96;

pub struct Evaluator<'m> {
    pub model: &'m Model,
    depth: Cell<usize>,
    visiting: RefCell<Vec<(InstanceId, &'static str, String)>>,
}

type R = Result<Value, EvalError>;

impl<'m> Evaluator<'m> {
    pub fn new(model: &'m Model) -> Self {
        Evaluator {
            model,
            depth: Cell::new(0),
            visiting: RefCell::new(Vec::new()),
        }
    }

    /// Evaluates, treating failures as unknown.
    pub fn value(&self, expr: &Expr, scope: &Scope) -> Value {
        self.eval(expr, scope).unwrap_or(Value::Unknown)
    }

    pub fn eval(&self, expr: &Expr, scope: &Scope) -> R {
        let depth = self.depth.get();
        if depth > MAX_DEPTH {
            return Ok(Value::Unknown);
        }
        self.depth.set(depth + 1);
        let out = self.eval_inner(expr, scope);
        self.depth.set(depth);
        out
    }

    /// Evaluates and follows plain references back to the literal.
    pub fn traced(&self, expr: &Expr, scope: &Scope) -> Traced {
        match &expr.kind {
            ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::String(_) => {
                Traced {
                    value: self.value(expr, scope),
                    origin: Some(Loc::new(scope.file, expr.span)),
                }
            }
            ExprKind::Traversal(base, ops) => match (&base.kind, ops.as_slice()) {
                (ExprKind::Variable(root), [TraversalOp::GetAttr(name, _)]) if root == "var" => {
                    self.var(scope.instance, name)
                }
                (ExprKind::Variable(root), [TraversalOp::GetAttr(name, _)]) if root == "local" => {
                    self.local(scope.instance, name)
                }
                _ => Traced {
                    value: self.value(expr, scope),
                    origin: None,
                },
            },
            _ => Traced {
                value: self.value(expr, scope),
                origin: None,
            },
        }
    }

    fn enter(&self, instance: InstanceId, kind: &'static str, name: &str) -> bool {
        let mut visiting = self.visiting.borrow_mut();
        if visiting
            .iter()
            .any(|(i, k, n)| *i == instance && *k == kind && n == name)
        {
            return false;
        }
        visiting.push((instance, kind, name.to_owned()));
        true
    }

    fn leave(&self) {
        self.visiting.borrow_mut().pop();
    }

    /// The value of `var.<name>` in a module instance.
    pub fn var(&self, instance: InstanceId, name: &str) -> Traced {
        let Some(inst) = self.model.instance(instance) else {
            return Traced::unknown();
        };
        if let Some(hit) = inst
            .var_cache
            .lock()
            .ok()
            .and_then(|c| c.get(name).cloned())
        {
            return hit;
        }
        if !self.enter(instance, "var", name) {
            return Traced::unknown();
        }
        let traced = self.var_uncached(instance, name);
        self.leave();
        if let Ok(mut cache) = inst.var_cache.lock() {
            cache.insert(name.to_owned(), traced.clone());
        }
        traced
    }

    fn var_uncached(&self, instance: InstanceId, name: &str) -> Traced {
        let Some(inst) = self.model.instance(instance) else {
            return Traced::unknown();
        };
        let Some(config) = self.model.configs.get(inst.config) else {
            return Traced::unknown();
        };
        let Some(&decl) = config.variables.get(name) else {
            return Traced::unknown();
        };
        let decl_file = config.file_id(decl);
        let default = config.block(decl).and_then(|b| b.body.attr("default"));
        let given = match &inst.parent {
            None => inst
                .tfvars
                .get(name)
                .map(|(file, expr)| self.traced(expr, &Scope::new(instance, *file))),
            Some(call) => {
                let parent_config = self.model.config_of(call.parent);
                let call_decl = parent_config.and_then(|c| c.calls.get(call.call));
                match (parent_config, call_decl) {
                    (Some(pc), Some(cd)) => {
                        pc.block(cd.at).and_then(|b| b.body.attr(name)).map(|attr| {
                            let scope = Scope::new(call.parent, pc.file_id(cd.at))
                                .with_bindings(&call.expansion.bindings);
                            self.traced(&attr.expr, &scope)
                        })
                    }
                    _ => None,
                }
            }
        };
        let mut traced = match (given, default) {
            // `null` for a variable with a default takes the default only
            // when `nullable = false`; keep Terraform's default (nullable).
            (Some(t), _) => t,
            (None, Some(attr)) => self.traced(&attr.expr, &Scope::new(instance, decl_file)),
            (None, None) => Traced::unknown(),
        };
        // Terraform converts whatever value a variable gets to its type.
        if let Some(ty) = config.var_types.get(name) {
            let scope = Scope::new(instance, decl_file);
            let value = std::mem::take(&mut traced.value);
            traced.value = types::convert(value, ty, decl_file, &mut |d| self.value(d, &scope));
        }
        traced
    }

    /// The value of `local.<name>`, evaluated once per instance.
    pub fn local(&self, instance: InstanceId, name: &str) -> Traced {
        let Some(inst) = self.model.instance(instance) else {
            return Traced::unknown();
        };
        if let Some(hit) = inst
            .local_cache
            .lock()
            .ok()
            .and_then(|c| c.get(name).cloned())
        {
            return hit;
        }
        let Some(config) = self.model.configs.get(inst.config) else {
            return Traced::unknown();
        };
        let Some((file, attr)) = config.local(name) else {
            return Traced::unknown();
        };
        if !self.enter(instance, "local", name) {
            self.model.push_eval_diagnostic(
                Diagnostic::new(
                    codes::CONFIGURATION_ERROR,
                    Loc::new(file, attr.name_span),
                    format!("local value `{name}` refers to itself through a cycle"),
                )
                .help("Terraform rejects cyclic locals; break the cycle"),
            );
            return Traced::unknown();
        }
        let traced = self.traced(&attr.expr, &Scope::new(instance, file));
        self.leave();
        if let Ok(mut cache) = inst.local_cache.lock() {
            cache.insert(name.to_owned(), traced.clone());
        }
        traced
    }

    fn eval_inner(&self, expr: &Expr, scope: &Scope) -> R {
        match &expr.kind {
            ExprKind::Null => Ok(Value::Null),
            ExprKind::Bool(b) => Ok(Value::Bool(*b)),
            ExprKind::Number(n) => Ok(Value::Number(*n)),
            ExprKind::String(s) => Ok(Value::String(s.clone())),
            ExprKind::Invalid => Ok(Value::Unknown),
            ExprKind::Template(parts) => self.template(parts, scope),
            ExprKind::Array(items) => Ok(Value::List(
                items
                    .iter()
                    .map(|i| self.eval(i, scope))
                    .collect::<Result<_, _>>()?,
            )),
            ExprKind::Object(items) => {
                let mut map = Map::new();
                for item in items {
                    let key = match &item.key {
                        ObjectKey::Name(n) => Value::String(n.clone()),
                        ObjectKey::Expr(e) => self.eval(e, scope)?,
                    };
                    let value = self.eval(&item.value, scope)?;
                    match functions::string_key(&key) {
                        Some(k) => map.insert(k, value, Some(Loc::new(scope.file, item.key_span))),
                        None if key.is_known() => {
                            return Err(EvalError("object key must be a string".into()));
                        }
                        None => map.partial = true,
                    }
                }
                Ok(Value::Map(map))
            }
            ExprKind::Variable(name) => Ok(self.root_value(name, scope)),
            ExprKind::Traversal(base, ops) => self.traversal(base, ops, scope),
            ExprKind::Call {
                name,
                args,
                expand_final,
            } => self.call(name, args, *expand_final, scope),
            ExprKind::Conditional(cond, then, otherwise) => {
                match self.eval(cond, scope)? {
                    Value::Unknown => {
                        let a = self.eval(then, scope).unwrap_or(Value::Unknown);
                        let b = self.eval(otherwise, scope).unwrap_or(Value::Unknown);
                        // Both branches agree: the condition does not matter.
                        Ok(if a == b && a.is_wholly_known() {
                            a
                        } else {
                            Value::Unknown
                        })
                    }
                    c => match c.as_bool() {
                        Some(true) => self.eval(then, scope),
                        Some(false) => self.eval(otherwise, scope),
                        None => Err(EvalError("condition is not a bool".into())),
                    },
                }
            }
            ExprKind::Unary(op, e) => {
                let v = self.eval(e, scope)?;
                match (op, &v) {
                    (_, Value::Unknown) => Ok(Value::Unknown),
                    (UnaryOp::Neg, _) => v
                        .as_f64()
                        .map(|n| Value::Number(-n))
                        .ok_or(EvalError("not a number".into())),
                    (UnaryOp::Not, _) => v
                        .as_bool()
                        .map(|b| Value::Bool(!b))
                        .ok_or(EvalError("not a bool".into())),
                }
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, scope),
            ExprKind::For(f) => self.for_expr(f, scope),
        }
    }

    fn template(&self, parts: &[TemplatePart], scope: &Scope) -> R {
        // `"${x}"` alone is x itself, not its string form (HCL spec).
        if let [TemplatePart::Interp(e)] = parts {
            return self.eval(e, scope);
        }
        let mut out = String::new();
        for part in parts {
            match part {
                TemplatePart::Literal(s) => out.push_str(s),
                TemplatePart::Interp(e) => match self.eval(e, scope)? {
                    Value::Unknown => return Ok(Value::Unknown),
                    Value::Null => return Err(EvalError("null value in a string template".into())),
                    v => match v.to_tf_string() {
                        Some(s) => out.push_str(&s),
                        None => {
                            return Err(EvalError(format!(
                                "cannot use a {} in a string template",
                                v.type_name()
                            )));
                        }
                    },
                },
                TemplatePart::If {
                    cond,
                    then,
                    otherwise,
                } => {
                    let branch = match self.eval(cond, scope)?.as_bool() {
                        Some(true) => then,
                        Some(false) => otherwise,
                        None => return Ok(Value::Unknown),
                    };
                    match self.template(branch, scope)? {
                        Value::String(s) => out.push_str(&s),
                        _ => return Ok(Value::Unknown),
                    }
                }
                TemplatePart::For {
                    key_var,
                    value_var,
                    collection,
                    body,
                } => {
                    let Some(items) = iterate(self.eval(collection, scope)?) else {
                        return Ok(Value::Unknown);
                    };
                    for (k, v) in items {
                        let mut inner = scope.clone();
                        if let Some(kv) = key_var {
                            inner.bindings.push((kv.clone(), k));
                        }
                        inner.bindings.push((value_var.clone(), v));
                        match self.template(body, &inner)? {
                            Value::String(s) => out.push_str(&s),
                            _ => return Ok(Value::Unknown),
                        }
                    }
                }
            }
        }
        Ok(Value::String(out))
    }

    /// A bare name: a binding, or a root that is only useful with a
    /// traversal (`var`, `local`, …).
    fn root_value(&self, name: &str, scope: &Scope) -> Value {
        if let Some(v) = scope.binding(name) {
            return v.clone();
        }
        Value::Unknown
    }

    fn traversal(&self, base: &Expr, ops: &[TraversalOp], scope: &Scope) -> R {
        if let ExprKind::Variable(root) = &base.kind {
            if scope.binding(root).is_none() {
                if let Some((value, used)) = self.reference(root, ops, scope)? {
                    return self.apply_ops(value, ops.get(used..).unwrap_or(&[]), scope);
                }
            }
        }
        let value = self.eval(base, scope)?;
        self.apply_ops(value, ops, scope)
    }

    /// Resolves a reference like `var.x`, `module.a.out`, `aws_s3_bucket.b.region`;
    /// returns the value and how many traversal steps it consumed.
    fn reference(
        &self,
        root: &str,
        ops: &[TraversalOp],
        scope: &Scope,
    ) -> Result<Option<(Value, usize)>, EvalError> {
        let first = match ops.first() {
            Some(TraversalOp::GetAttr(name, _)) => Some(name.as_str()),
            _ => None,
        };
        let model = self.model;
        match (root, first) {
            ("var", Some(name)) => Ok(Some((self.var(scope.instance, name).value, 1))),
            ("local", Some(name)) => Ok(Some((self.local(scope.instance, name).value, 1))),
            ("path", Some(which)) => {
                let dir = model
                    .config_of(scope.instance)
                    .map(|c| c.dir.clone())
                    .unwrap_or_default();
                let value = match which {
                    "module" => crate::source::display_path(&dir, &model.cwd),
                    "root" | "cwd" => ".".to_owned(),
                    _ => return Ok(Some((Value::Unknown, 1))),
                };
                Ok(Some((Value::String(value), 1)))
            }
            ("terraform", Some("workspace")) => Ok(Some((
                model
                    .workspace
                    .clone()
                    .map_or(Value::Unknown, Value::String),
                1,
            ))),
            ("module", Some(name)) => Ok(Some(self.module_ref(
                scope.instance,
                name,
                ops.get(1..).unwrap_or(&[]),
                scope,
            )?)),
            ("data" | "self" | "each" | "count", _) => Ok(Some((Value::Unknown, ops.len()))),
            (rtype, Some(name)) if rtype.contains('_') => Ok(Some(self.resource_ref(
                scope.instance,
                rtype,
                name,
                ops.get(1..).unwrap_or(&[]),
                scope,
            )?)),
            _ => Ok(Some((Value::Unknown, ops.len()))),
        }
    }

    /// `module.<name>[key].<output>`: evaluates only the outputs asked for.
    fn module_ref(
        &self,
        instance: InstanceId,
        name: &str,
        rest: &[TraversalOp],
        scope: &Scope,
    ) -> Result<(Value, usize), EvalError> {
        let Some(inst) = self.model.instance(instance) else {
            return Ok((Value::Unknown, 1 + rest.len()));
        };
        let Some(children) = inst.children.get(name) else {
            // Opaque (remote, not installed) or not expanded.
            return Ok((Value::Unknown, 1 + rest.len()));
        };
        let single = matches!(children.as_slice(), [(InstanceKey::None, _)]);
        let (child, used) = if single {
            (children.first().map(|(_, c)| *c), 1)
        } else {
            match rest.first() {
                Some(TraversalOp::Index(e)) => {
                    let key = self.eval(e, scope)?;
                    (find_child(children, &key), 2)
                }
                Some(TraversalOp::LegacyIndex(i, _)) => {
                    (find_child(children, &Value::Number(*i as f64)), 2)
                }
                _ => return Ok((Value::Unknown, 1 + rest.len())),
            }
        };
        let Some(child) = child else {
            return Ok((Value::Unknown, 1 + rest.len()));
        };
        match rest.get(used - 1) {
            Some(TraversalOp::GetAttr(output, _)) => Ok((self.output(child, output), used + 1)),
            _ => Ok((Value::Unknown, 1 + rest.len())),
        }
    }

    pub fn output(&self, instance: InstanceId, name: &str) -> Value {
        let Some(config) = self.model.config_of(instance) else {
            return Value::Unknown;
        };
        let Some(&at) = config.outputs.get(name) else {
            return Value::Unknown;
        };
        let Some(attr) = config.block(at).and_then(|b| b.body.attr("value")) else {
            return Value::Unknown;
        };
        if !self.enter(instance, "output", name) {
            return Value::Unknown;
        }
        let v = self.value(&attr.expr, &Scope::new(instance, config.file_id(at)));
        self.leave();
        v
    }

    /// `<type>.<name>[key].<argument>`: a configured argument of another
    /// resource is known when its expression is; computed attributes are not.
    fn resource_ref(
        &self,
        instance: InstanceId,
        rtype: &str,
        name: &str,
        rest: &[TraversalOp],
        scope: &Scope,
    ) -> Result<(Value, usize), EvalError> {
        let unknown = Ok((Value::Unknown, 1 + rest.len()));
        let Some(config) = self.model.config_of(instance) else {
            return unknown;
        };
        let Some(&idx) =
            config
                .resource_index
                .get(&(Mode::Managed, rtype.to_owned(), name.to_owned()))
        else {
            return unknown;
        };
        let Some(decl) = config.resources.get(idx) else {
            return unknown;
        };
        let Some(block) = config.block(decl.at) else {
            return unknown;
        };
        let file = config.file_id(decl.at);
        let res_scope = Scope::new(instance, file);
        let multi = block.body.attr("count").is_some() || block.body.attr("for_each").is_some();
        let (bindings, used) = if multi {
            let wanted = match rest.first() {
                Some(TraversalOp::Index(e)) => self.eval(e, scope)?,
                Some(TraversalOp::LegacyIndex(i, _)) => Value::Number(*i as f64),
                _ => return unknown,
            };
            let found = expansions(self, &block.body, &res_scope)
                .into_iter()
                .find(|x| key_matches(&x.key, &wanted));
            match found {
                Some(x) => (x.bindings, 2),
                None => return unknown,
            }
        } else {
            (Bindings::default(), 1)
        };
        let Some(TraversalOp::GetAttr(attr, _)) = rest.get(used - 1) else {
            return unknown;
        };
        let key = format!("{rtype}.{name}.{attr}");
        if !self.enter(instance, "resource", &key) {
            return unknown;
        }
        let inner = res_scope.with_bindings(&bindings);
        let value = if let Some(a) = block.body.attr(attr) {
            self.value(&a.expr, &inner)
        } else {
            let nested: Vec<&Block> = block.body.blocks_named(attr).collect();
            if nested.is_empty() {
                Value::Unknown
            } else {
                Value::List(
                    nested
                        .iter()
                        .map(|b| self.block_object(b, &inner))
                        .collect(),
                )
            }
        };
        self.leave();
        Ok((value, used + 1))
    }

    /// A nested block as an object of its arguments; other attributes may be
    /// computed, so the object is partial.
    fn block_object(&self, block: &Block, scope: &Scope) -> Value {
        let mut map = Map::new();
        for attr in &block.body.attributes {
            map.insert(
                attr.name.clone(),
                self.value(&attr.expr, scope),
                Some(Loc::new(scope.file, attr.name_span)),
            );
        }
        map.partial = true;
        Value::Map(map)
    }

    fn apply_ops(&self, mut value: Value, ops: &[TraversalOp], scope: &Scope) -> R {
        let mut i = 0;
        while let Some(op) = ops.get(i) {
            match op {
                TraversalOp::GetAttr(name, _) => {
                    value = get_key(value, &Value::String(name.clone()))?
                }
                TraversalOp::Index(e) => {
                    let key = self.eval(e, scope)?;
                    value = get_key(value, &key)?;
                }
                TraversalOp::LegacyIndex(n, _) => {
                    value = get_key(value, &Value::Number(*n as f64))?
                }
                TraversalOp::AttrSplat | TraversalOp::FullSplat => {
                    let full = matches!(op, TraversalOp::FullSplat);
                    let rest = ops.get(i + 1..).unwrap_or_default();
                    let take = if full {
                        rest.len()
                    } else {
                        rest.iter()
                            .take_while(|o| matches!(o, TraversalOp::GetAttr(..)))
                            .count()
                    };
                    let inner_ops = rest.get(..take).unwrap_or(rest);
                    let items = match value {
                        Value::Unknown => return Ok(Value::Unknown),
                        Value::Null => Vec::new(),
                        Value::List(items) => items,
                        other => vec![other],
                    };
                    let mut out = Vec::with_capacity(items.len());
                    for item in items {
                        out.push(self.apply_ops(item, inner_ops, scope)?);
                    }
                    value = Value::List(out);
                    i += take;
                }
            }
            i += 1;
        }
        Ok(value)
    }

    fn call(&self, name: &str, args: &[Expr], expand_final: bool, scope: &Scope) -> R {
        match name {
            "try" => {
                for arg in args {
                    match self.eval(arg, scope) {
                        Ok(v) if !v.is_wholly_known() => return Ok(Value::Unknown),
                        Ok(v) => return Ok(v),
                        Err(_) => continue,
                    }
                }
                Err(EvalError("no argument of try() succeeded".into()))
            }
            "can" => match args.first().map(|a| self.eval(a, scope)) {
                Some(Ok(v)) if !v.is_wholly_known() => Ok(Value::Unknown),
                Some(Ok(_)) => Ok(Value::Bool(true)),
                Some(Err(_)) => Ok(Value::Bool(false)),
                None => Err(EvalError("can() needs an argument".into())),
            },
            _ => {
                let mut values = Vec::with_capacity(args.len());
                for (i, arg) in args.iter().enumerate() {
                    let v = self.eval(arg, scope)?;
                    if expand_final && i + 1 == args.len() {
                        match v {
                            Value::List(items) => values.extend(items),
                            Value::Unknown => return Ok(Value::Unknown),
                            other => {
                                return Err(EvalError(format!(
                                    "cannot expand a {}",
                                    other.type_name()
                                )));
                            }
                        }
                    } else {
                        values.push(v);
                    }
                }
                functions::call(name, values)
            }
        }
    }

    fn binary(&self, op: BinaryOp, a: &Expr, b: &Expr, scope: &Scope) -> R {
        let x = self.eval(a, scope)?;
        // Short-circuit where one known side decides.
        match (op, x.as_bool()) {
            (BinaryOp::And, Some(false)) => return Ok(Value::Bool(false)),
            (BinaryOp::Or, Some(true)) => return Ok(Value::Bool(true)),
            _ => {}
        }
        let y = self.eval(b, scope)?;
        if let (BinaryOp::Eq | BinaryOp::NotEq, Some(eq)) = (op, null_eq(&x, &y)) {
            return Ok(Value::Bool(eq == (op == BinaryOp::Eq)));
        }
        if !x.is_wholly_known() || !y.is_wholly_known() {
            return Ok(match (op, y.as_bool()) {
                (BinaryOp::And, Some(false)) => Value::Bool(false),
                (BinaryOp::Or, Some(true)) => Value::Bool(true),
                _ => Value::Unknown,
            });
        }
        let num = |v: &Value| {
            v.as_f64()
                .ok_or_else(|| EvalError(format!("expected a number, got {}", v.type_name())))
        };
        let boolean = |v: &Value| {
            v.as_bool()
                .ok_or_else(|| EvalError(format!("expected a bool, got {}", v.type_name())))
        };
        Ok(match op {
            BinaryOp::Eq => Value::Bool(loose_eq(&x, &y)),
            BinaryOp::NotEq => Value::Bool(!loose_eq(&x, &y)),
            BinaryOp::Less => Value::Bool(num(&x)? < num(&y)?),
            BinaryOp::LessEq => Value::Bool(num(&x)? <= num(&y)?),
            BinaryOp::Greater => Value::Bool(num(&x)? > num(&y)?),
            BinaryOp::GreaterEq => Value::Bool(num(&x)? >= num(&y)?),
            BinaryOp::Plus => Value::Number(num(&x)? + num(&y)?),
            BinaryOp::Minus => Value::Number(num(&x)? - num(&y)?),
            BinaryOp::Mul => Value::Number(num(&x)? * num(&y)?),
            BinaryOp::Div => {
                let d = num(&y)?;
                if d == 0.0 {
                    return Err(EvalError("division by zero".into()));
                }
                Value::Number(num(&x)? / d)
            }
            BinaryOp::Mod => {
                let d = num(&y)?;
                if d == 0.0 {
                    return Err(EvalError("modulo by zero".into()));
                }
                Value::Number(num(&x)? % d)
            }
            BinaryOp::And => Value::Bool(boolean(&x)? && boolean(&y)?),
            BinaryOp::Or => Value::Bool(boolean(&x)? || boolean(&y)?),
        })
    }

    fn for_expr(&self, f: &ForExpr, scope: &Scope) -> R {
        let Some(items) = iterate(self.eval(&f.collection, scope)?) else {
            return Ok(Value::Unknown);
        };
        let mut list = Vec::new();
        let mut map = Map::new();
        for (k, v) in items {
            let mut inner = scope.clone();
            if let Some(kv) = &f.key_var {
                inner.bindings.push((kv.clone(), k));
            }
            inner.bindings.push((f.value_var.clone(), v));
            if let Some(cond) = &f.cond {
                match self.eval(cond, &inner)?.as_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None => return Ok(Value::Unknown),
                }
            }
            let value = self.eval(&f.value, &inner)?;
            match &f.key {
                None => list.push(value),
                Some(key_expr) => {
                    let key = self.eval(key_expr, &inner)?;
                    let Some(key) = functions::string_key(&key) else {
                        if key.is_known() {
                            return Err(EvalError("for expression key must be a string".into()));
                        }
                        map.partial = true;
                        continue;
                    };
                    if f.grouping {
                        let entry = map
                            .entries
                            .entry(key)
                            .or_insert_with(|| super::value::Entry {
                                value: Value::List(Vec::new()),
                                origin: None,
                            });
                        if let Value::List(items) = &mut entry.value {
                            items.push(value);
                        }
                    } else if map.entries.contains_key(&key) {
                        return Err(EvalError(format!(
                            "duplicate key {key:?} in for expression"
                        )));
                    } else {
                        map.insert(key, value, None);
                    }
                }
            }
        }
        Ok(if f.key.is_some() {
            Value::Map(map)
        } else {
            Value::List(list)
        })
    }
}

fn find_child(children: &[(InstanceKey, InstanceId)], key: &Value) -> Option<InstanceId> {
    children
        .iter()
        .find(|(k, _)| key_matches(k, key))
        .map(|(_, c)| *c)
}

fn key_matches(key: &InstanceKey, wanted: &Value) -> bool {
    match (key, wanted) {
        (InstanceKey::Int(i), v) => v.as_f64() == Some(*i as f64),
        (InstanceKey::Str(s), v) => v.as_str() == Some(s),
        _ => false,
    }
}

/// Equality with null is known as soon as the other side's kind is: an
/// object or list is never null, whatever unknowns it holds (Terraform
/// agrees). Only a wholly unknown value may still turn out null.
fn null_eq(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Null, other) | (other, Value::Null) if other.is_known() => {
            Some(matches!(other, Value::Null))
        }
        _ => None,
    }
}

fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::Map(x), Value::Map(y)) => {
            x.entries.len() == y.entries.len()
                && x.entries.iter().all(|(k, e)| {
                    y.entries
                        .get(k)
                        .is_some_and(|f| loose_eq(&e.value, &f.value))
                })
        }
        _ => a == b,
    }
}

/// Items of a collection as (key, value) pairs; `None` when unknown.
fn iterate(v: Value) -> Option<Vec<(Value, Value)>> {
    match v {
        Value::List(items) => Some(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::Number(i as f64), v))
                .collect(),
        ),
        Value::Map(m) if !m.partial => Some(
            m.entries
                .into_iter()
                .map(|(k, e)| (Value::String(k), e.value))
                .collect(),
        ),
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

fn get_key(value: Value, key: &Value) -> R {
    match value {
        Value::Unknown => Ok(Value::Unknown),
        Value::Map(mut m) => {
            let Some(k) = functions::string_key(key) else {
                return if key.is_known() {
                    Err(EvalError("invalid map key".into()))
                } else {
                    Ok(Value::Unknown)
                };
            };
            match m.entries.remove(&k) {
                Some(e) => Ok(e.value),
                None if m.partial => Ok(Value::Unknown),
                None => Err(EvalError(format!("no key {k:?}"))),
            }
        }
        Value::List(mut items) => {
            let Some(n) = key.as_f64() else {
                return if key.is_known() {
                    Err(EvalError("list index must be a number".into()))
                } else {
                    Ok(Value::Unknown)
                };
            };
            if n < 0.0 || n.fract() != 0.0 || n as usize >= items.len() {
                return Err(EvalError("index out of range".into()));
            }
            Ok(items.swap_remove(n as usize))
        }
        Value::Null => Err(EvalError("attribute of null".into())),
        other => Err(EvalError(format!("cannot index a {}", other.type_name()))),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::module::{BuildOptions, Builder};
    use super::*;
    use crate::source::fs::MemoryFs;

    /// The locals `names` of the module instance at `address` ("" for the
    /// root) of a root module made of `files` under /m.
    fn locals(files: &[(&str, &str)], address: &str, names: &[&str]) -> Vec<Value> {
        let mut fs = MemoryFs::new();
        for (path, text) in files {
            fs.insert(Path::new("/m").join(path), *text);
        }
        let opts = BuildOptions::for_tests(&fs, Path::new("/m"));
        let mut builder = Builder::new(&opts);
        builder.build_root(Path::new("/m"));
        let model = &builder.model;
        let id = model
            .instances
            .iter()
            .position(|i| i.address == address)
            .expect("instance");
        let eval = Evaluator::new(model);
        names.iter().map(|n| eval.local(id, n).value).collect()
    }

    fn root_locals(text: &str, names: &[&str]) -> Vec<Value> {
        locals(&[("main.tf", text)], "", names)
    }

    #[test]
    fn null_comparisons_are_known_once_the_other_side_is_not_wholly_unknown() {
        let values = root_locals(
            r#"
locals {
  obj      = { id = aws_vpc.x.id, name = "x" }
  partial  = merge({ a = 1 }, data.x.tags)
  list     = [aws_vpc.x.id]
  unknown  = aws_vpc.x.id
  eq_obj   = local.obj == null
  ne_obj   = local.obj != null
  null_obj = null == local.obj
  partial_ = local.partial == null
  list_    = local.list != null
  string_  = "a" == null
  null_    = null == null
  unknown_ = local.unknown == null
  unk_ne   = local.unknown != null
  other    = local.obj == { id = "i", name = "x" }
  lists    = local.list == ["a"]
}
"#,
            &[
                "eq_obj", "ne_obj", "null_obj", "partial_", "list_", "string_", "null_",
                "unknown_", "unk_ne", "other", "lists",
            ],
        );
        let t = Value::Bool(true);
        let f = Value::Bool(false);
        assert_eq!(
            values,
            [
                f.clone(),
                t.clone(),
                f.clone(),
                f.clone(),
                t.clone(),
                f,
                t,
                // Only a wholly unknown value may be null.
                Value::Unknown,
                Value::Unknown,
                // Other comparisons of partly unknown values stay unknown.
                Value::Unknown,
                Value::Unknown,
            ]
        );
    }

    #[test]
    fn a_module_input_object_with_unknown_attributes_is_not_null() {
        let values = locals(
            &[
                (
                    "main.tf",
                    r#"
resource "azurerm_log_analytics_workspace" "mine" {
  name = "logs"
}
module "aks" {
  source = "./aks"
  log_analytics_workspace = {
    id   = azurerm_log_analytics_workspace.mine.id
    name = "x"
  }
}
"#,
                ),
                (
                    "aks/main.tf",
                    r#"
variable "log_analytics_workspace" {
  default = null
}
locals {
  create = var.log_analytics_workspace == null ? 1 : 0
  given  = var.log_analytics_workspace != null
}
"#,
                ),
            ],
            "module.aks",
            &["create", "given"],
        );
        assert_eq!(values, [Value::Number(0.0), Value::Bool(true)]);
    }

    #[test]
    fn try_falls_back_when_jsondecode_is_given_a_list() {
        let values = root_locals(
            r#"
variable "lifecycle_rule" {
  default = []
}
locals {
  lifecycle_rules = try(jsondecode(var.lifecycle_rule), var.lifecycle_rule)
  count           = length(local.lifecycle_rules) > 0 ? 1 : 0
  from_string     = try(jsondecode("[{\"id\": \"r\", \"days\": 30}]"), [])
  invalid         = try(jsondecode("{"), "fallback")
  can_invalid     = can(jsondecode("{"))
  can_list        = can(jsondecode([]))
  can_null        = can(jsondecode(null))
  can_valid       = can(jsondecode("[1]"))
  unknown         = try(jsondecode(aws_vpc.x.id), [])
  can_unknown     = can(jsondecode(aws_vpc.x.id))
}
"#,
            &[
                "count",
                "from_string",
                "invalid",
                "can_invalid",
                "can_list",
                "can_null",
                "can_valid",
                "unknown",
                "can_unknown",
            ],
        );
        let mut rule = Map::new();
        rule.insert("id".into(), Value::String("r".into()), None);
        rule.insert("days".into(), Value::Number(30.0), None);
        assert_eq!(
            values,
            [
                Value::Number(0.0),
                Value::List(vec![Value::Map(rule)]),
                Value::String("fallback".into()),
                Value::Bool(false),
                Value::Bool(false),
                Value::Bool(false),
                Value::Bool(true),
                // An unknown first argument may yet succeed.
                Value::Unknown,
                Value::Unknown,
            ]
        );
    }

    const QUEUE_TYPE: &str = "object({
    name     = string
    dlq_name = optional(string)
    create   = optional(bool, false)
    nested   = optional(object({ x = optional(number, 3) }), {})
  })";

    #[test]
    fn a_default_gets_the_optional_attributes_of_the_variable_type() {
        let text = format!(
            r#"
variable "queue" {{
  type    = {QUEUE_TYPE}
  default = {{ name = "orders" }}
}}
variable "untyped" {{
  default = {{ name = "orders" }}
}}
locals {{
  dlq      = var.queue.dlq_name != null ? 1 : 0
  create   = var.queue.create ? 1 : 0
  x        = var.queue.nested.x
  untyped  = try(var.untyped.create, "absent")
}}
"#
        );
        let values = root_locals(&text, &["dlq", "create", "x", "untyped"]);
        assert_eq!(
            values,
            [
                Value::Number(0.0),
                Value::Number(0.0),
                Value::Number(3.0),
                Value::String("absent".into()),
            ]
        );
    }

    #[test]
    fn tfvars_and_module_inputs_are_converted_to_the_variable_type() {
        let root = format!(
            r#"
variable "queues" {{
  type = map({QUEUE_TYPE})
}}
module "disk" {{
  source = "./disk"
  disk   = {{ size = 10, type = aws_vpc.x.id }}
}}
locals {{
  create = [for k, q in var.queues : q.create]
  x      = var.queues["b"].nested.x
}}
"#
        );
        let values = locals(
            &[
                ("main.tf", &root),
                (
                    "terraform.tfvars",
                    "queues = {\n  a = { name = \"a\", create = true }\n  b = { name = \"b\", nested = {} }\n}\n",
                ),
            ],
            "",
            &["create", "x"],
        );
        assert_eq!(
            values,
            [
                Value::List(vec![Value::Bool(true), Value::Bool(false)]),
                Value::Number(3.0),
            ]
        );
        let child = r#"
variable "disk" {
  type = object({
    size = number
    type = string
    iops = optional(number)
  })
}
locals {
  iops = var.disk.iops
  type = var.disk.type
}
"#;
        let values = locals(
            &[("main.tf", &root), ("disk/main.tf", child)],
            "module.disk",
            &["iops", "type"],
        );
        assert_eq!(values, [Value::Null, Value::Unknown]);
    }

    #[test]
    fn a_json_configuration_type_string_is_read_too() {
        let values = locals(
            &[(
                "main.tf.json",
                r#"{
  "variable": {
    "queue": {
      "type": "object({ name = string, create = optional(bool, true) })",
      "default": { "name": "orders" }
    }
  },
  "locals": { "create": "${var.queue.create}" }
}"#,
            )],
            "",
            &["create"],
        );
        assert_eq!(values, [Value::Bool(true)]);
    }
}
