//! Variable type constraints, read only as far as Terraform's conversion to
//! them changes a value: object attributes declared `optional(T)` or
//! `optional(T, default)` that the value leaves out (or sets to null) are
//! filled in. Other conversions are left to the readers of values, which
//! already accept `"true"` for a bool and the like.

use super::ast::{Expr, ExprKind, ObjectKey, map_spans};
use super::value::Value;
use crate::finding::{FileId, Loc};
use crate::source::Span;

/// A type constraint, reduced to the parts that hold optional attributes.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    /// Primitives, `any`, and any type without optional attributes: the
    /// value stays as it is.
    Keep,
    /// `list(T)` and `set(T)`.
    List(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    Object(Vec<Attr>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    pub name: String,
    /// Where the attribute is declared in the type.
    pub span: Span,
    pub ty: Type,
    pub optional: bool,
    pub default: Option<Expr>,
}

/// Whether a `type` expression mentions `optional` at all: only those are
/// read, so variables without optional attributes cost nothing more.
pub fn has_optional(expr: &Expr) -> bool {
    match &expr.kind {
        // `.tf.json` writes the type as a string.
        ExprKind::String(s) => s.contains("optional"),
        ExprKind::Call { name, args, .. } => name == "optional" || args.iter().any(has_optional),
        ExprKind::Array(items) => items.iter().any(has_optional),
        ExprKind::Object(items) => items.iter().any(|i| has_optional(&i.value)),
        _ => false,
    }
}

/// Reads a type constraint; `None` when it cannot be read, and then the
/// value is left as it is.
pub fn parse(expr: &Expr) -> Option<Type> {
    match &expr.kind {
        ExprKind::String(s) => match s.as_str() {
            // Terraform 0.11's quoted types.
            "string" | "list" | "map" => Some(Type::Keep),
            text => {
                let parsed = hcl_edit::parser::parse_expr(text).ok()?;
                let mut lowered = super::hcl::lower_expr(&parsed, expr.span);
                // Spans inside the string are not the file's.
                map_spans(&mut lowered, &|_| expr.span);
                if matches!(lowered.kind, ExprKind::String(_)) {
                    return None;
                }
                parse(&lowered)
            }
        },
        _ => read(expr),
    }
}

fn read(expr: &Expr) -> Option<Type> {
    let ty = match &expr.kind {
        ExprKind::Variable(name) => match name.as_str() {
            "string" | "number" | "bool" | "any" | "list" | "map" | "set" => Type::Keep,
            _ => return None,
        },
        ExprKind::Call { name, args, .. } => match (name.as_str(), args.as_slice()) {
            ("list" | "set", [t]) => Type::List(Box::new(read(t)?)),
            ("map", [t]) => Type::Map(Box::new(read(t)?)),
            ("tuple", [items]) => match &items.kind {
                ExprKind::Array(items) => {
                    Type::Tuple(items.iter().map(read).collect::<Option<_>>()?)
                }
                _ => return None,
            },
            ("object", [attrs]) => match &attrs.kind {
                ExprKind::Object(items) => {
                    let mut out = Vec::with_capacity(items.len());
                    for item in items {
                        let name = match &item.key {
                            ObjectKey::Name(n) => n.clone(),
                            ObjectKey::Expr(e) => match &e.kind {
                                ExprKind::Variable(n) => n.clone(),
                                _ => e.as_literal_str()?.to_owned(),
                            },
                        };
                        out.push(attr(name, item.key_span, &item.value)?);
                    }
                    Type::Object(out)
                }
                _ => return None,
            },
            _ => return None,
        },
        _ => return None,
    };
    Some(ty.pruned())
}

fn attr(name: String, span: Span, expr: &Expr) -> Option<Attr> {
    let (ty, optional, default) = match &expr.kind {
        ExprKind::Call { name, args, .. } if name == "optional" => match args.as_slice() {
            [t] => (read(t)?, true, None),
            [t, d] => (read(t)?, true, Some(d.clone())),
            _ => return None,
        },
        _ => (read(expr)?, false, None),
    };
    Some(Attr {
        name,
        span,
        ty,
        optional,
        default,
    })
}

impl Type {
    /// `Keep` for a type that has no optional attribute anywhere, so that
    /// converting to it does not walk the value.
    fn pruned(self) -> Type {
        let keep = match &self {
            Type::Keep => true,
            Type::List(t) | Type::Map(t) => **t == Type::Keep,
            Type::Tuple(items) => items.iter().all(|t| *t == Type::Keep),
            Type::Object(attrs) => attrs.iter().all(|a| !a.optional && a.ty == Type::Keep),
        };
        if keep { Type::Keep } else { self }
    }
}

/// Terraform's conversion of a value to a type, as far as optional
/// attributes go: an attribute declared `optional` that is absent becomes
/// its default (itself converted) or null; one that is null becomes its
/// default. Nothing is dropped, unknown parts stay unknown, and a map whose
/// keys are partly unknown gets nothing added (the attribute may be there).
/// `default` evaluates a default's expression; `file` is where the type is
/// written.
pub fn convert(
    value: Value,
    ty: &Type,
    file: FileId,
    default: &mut dyn FnMut(&Expr) -> Value,
) -> Value {
    match (ty, value) {
        (Type::Keep, v) => v,
        (Type::List(t), Value::List(items)) => Value::List(
            items
                .into_iter()
                .map(|v| convert(v, t, file, default))
                .collect(),
        ),
        (Type::Tuple(types), Value::List(items)) if types.len() == items.len() => Value::List(
            items
                .into_iter()
                .zip(types)
                .map(|(v, t)| convert(v, t, file, default))
                .collect(),
        ),
        (Type::Map(t), Value::Map(mut m)) => {
            for entry in m.entries.values_mut() {
                entry.value = convert(std::mem::take(&mut entry.value), t, file, default);
            }
            Value::Map(m)
        }
        (Type::Object(attrs), Value::Map(mut m)) => {
            for attr in attrs {
                let filled = |default: &mut dyn FnMut(&Expr) -> Value| {
                    attr.default.as_ref().map_or(Value::Null, |d| {
                        convert(default(d), &attr.ty, file, default)
                    })
                };
                match m.entries.get_mut(&attr.name) {
                    Some(entry) => {
                        let v = convert(std::mem::take(&mut entry.value), &attr.ty, file, default);
                        entry.value = match v {
                            Value::Null if attr.default.is_some() => filled(default),
                            v => v,
                        };
                    }
                    None if attr.optional && !m.partial => {
                        let v = filled(default);
                        m.insert(attr.name.clone(), v, Some(Loc::new(file, attr.span)));
                    }
                    None => {}
                }
            }
            Value::Map(m)
        }
        (_, v) => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::value::Map;

    fn expr(text: &str) -> Expr {
        let parsed = hcl_edit::parser::parse_expr(text).expect("expression");
        super::super::hcl::lower_expr(&parsed, Span::new(0, text.len()))
    }

    fn ty(text: &str) -> Type {
        let e = expr(text);
        assert!(has_optional(&e), "{text}");
        parse(&e).expect("type")
    }

    /// Defaults are constants: literals, lists and objects.
    fn literal(e: &Expr) -> Value {
        match &e.kind {
            ExprKind::Null => Value::Null,
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Number(n) => Value::Number(*n),
            ExprKind::String(s) => Value::String(s.clone()),
            ExprKind::Array(items) => Value::List(items.iter().map(literal).collect()),
            ExprKind::Object(items) => {
                let mut m = Map::new();
                for item in items {
                    if let ObjectKey::Name(k) = &item.key {
                        m.insert(k.clone(), literal(&item.value), None);
                    }
                }
                Value::Map(m)
            }
            _ => Value::Unknown,
        }
    }

    fn conv(value: Value, t: &Type) -> Value {
        convert(value, t, FileId(0), &mut literal)
    }

    fn obj(pairs: &[(&str, Value)]) -> Value {
        let mut m = Map::new();
        for (k, v) in pairs {
            m.insert((*k).to_owned(), v.clone(), None);
        }
        Value::Map(m)
    }

    fn s(x: &str) -> Value {
        Value::String(x.into())
    }

    /// Compares values without the origins of keys.
    fn plain(v: Value) -> Value {
        match v {
            Value::List(items) => Value::List(items.into_iter().map(plain).collect()),
            Value::Map(mut m) => {
                for e in m.entries.values_mut() {
                    e.value = plain(std::mem::take(&mut e.value));
                    e.origin = None;
                }
                Value::Map(m)
            }
            v => v,
        }
    }

    const QUEUE: &str = "object({ name = string, dlq_name = optional(string), create = optional(bool, false), nested = optional(object({ x = optional(number, 3) }), {}) })";

    #[test]
    fn absent_optional_attributes_become_null_or_their_converted_default() {
        let t = ty(QUEUE);
        let out = plain(conv(obj(&[("name", s("orders"))]), &t));
        assert_eq!(
            out,
            obj(&[
                ("name", s("orders")),
                ("dlq_name", Value::Null),
                ("create", Value::Bool(false)),
                ("nested", obj(&[("x", Value::Number(3.0))])),
            ])
        );
        // Given values stay; a null one takes the default; nothing is dropped.
        let given = obj(&[
            ("name", s("orders")),
            ("dlq_name", s("dlq")),
            ("create", Value::Null),
            ("nested", obj(&[("x", Value::Number(5.0))])),
            ("extra", s("kept")),
        ]);
        let out = plain(conv(given, &t));
        assert_eq!(
            out,
            obj(&[
                ("name", s("orders")),
                ("dlq_name", s("dlq")),
                ("create", Value::Bool(false)),
                ("nested", obj(&[("x", Value::Number(5.0))])),
                ("extra", s("kept")),
            ])
        );
    }

    #[test]
    fn collections_of_objects_are_converted_element_by_element() {
        let item = "object({ a = string, b = optional(number, 1) })";
        let want = obj(&[("a", s("x")), ("b", Value::Number(1.0))]);
        for outer in ["list", "set"] {
            let t = ty(&format!("{outer}({item})"));
            let out = plain(conv(Value::List(vec![obj(&[("a", s("x"))])]), &t));
            assert_eq!(out, Value::List(vec![want.clone()]), "{outer}");
        }
        let t = ty(&format!("map({item})"));
        let out = plain(conv(obj(&[("k", obj(&[("a", s("x"))]))]), &t));
        assert_eq!(out, obj(&[("k", want.clone())]));
        let t = ty(&format!("tuple([string, {item}])"));
        let out = plain(conv(Value::List(vec![s("y"), obj(&[("a", s("x"))])]), &t));
        assert_eq!(out, Value::List(vec![s("y"), want.clone()]));
        let t = ty(&format!(
            "object({{ inner = object({{ deeper = list({item}) }}) }})"
        ));
        let given = obj(&[(
            "inner",
            obj(&[("deeper", Value::List(vec![obj(&[("a", s("x"))])]))]),
        )]);
        let out = plain(conv(given, &t));
        assert_eq!(
            out,
            obj(&[("inner", obj(&[("deeper", Value::List(vec![want]))]))])
        );
    }

    #[test]
    fn unknown_parts_stay_unknown_and_partial_maps_get_nothing() {
        let t = ty(QUEUE);
        assert_eq!(conv(Value::Unknown, &t), Value::Unknown);
        assert_eq!(conv(Value::Null, &t), Value::Null);
        let mut partial = Map::new();
        partial.insert("name".into(), Value::Unknown, None);
        partial.partial = true;
        assert_eq!(conv(Value::Map(partial.clone()), &t), Value::Map(partial));
        let out = plain(conv(
            obj(&[("name", s("o")), ("create", Value::Unknown)]),
            &t,
        ));
        assert_eq!(out.get_path(&["create"]), Some(&Value::Unknown), "{out}");
        assert_eq!(out.get_path(&["dlq_name"]), Some(&Value::Null));
    }

    #[test]
    fn only_types_with_optional_attributes_are_read() {
        for text in [
            "string",
            "map(string)",
            "list(object({ a = string }))",
            "any",
        ] {
            assert!(!has_optional(&expr(text)), "{text}");
            assert_eq!(parse(&expr(text)), Some(Type::Keep), "{text}");
        }
        // A type that cannot be read leaves values alone.
        assert_eq!(parse(&expr("object({ a = optional(strin) })")), None);
        assert_eq!(parse(&expr("optional(string)")), None);
        // `.tf.json` writes the type as a string.
        let json = Expr::new(ExprKind::String(QUEUE.into()), Span::new(10, 20));
        assert!(has_optional(&json));
        let from_json = parse(&json).expect("type");
        let given = obj(&[("name", s("orders"))]);
        assert_eq!(
            plain(conv(given.clone(), &from_json)),
            plain(conv(given, &ty(QUEUE)))
        );
    }
}
