//! HCL native syntax: parsed by `hcl-edit` (which keeps spans and bounds
//! nesting), lowered into [`ast`](super::ast).

use hcl_edit::expr::{self, Expression};
use hcl_edit::structure::{self, BlockLabel, Structure};
use hcl_edit::template::{Directive, Element, Template};

use super::ParseError;
use super::ast::*;
use crate::source::Span;

pub fn parse(text: &str) -> Result<Body, ParseError> {
    let body = hcl_edit::parser::parse_body(text).map_err(|err| {
        let loc = err.location();
        ParseError {
            offset: loc.offset().min(text.len()),
            message: first_line(err.message()),
        }
    })?;
    Ok(lower_body(&body, Span::new(0, text.len())))
}

fn first_line(message: &str) -> String {
    let m = message.trim();
    m.lines().next().unwrap_or(m).to_owned()
}

fn span_of(item: &impl hcl_edit::Span, fallback: Span) -> Span {
    item.span().map_or(fallback, Span::from)
}

fn lower_body(body: &structure::Body, fallback: Span) -> Body {
    let span = span_of(body, fallback);
    let mut out = Body {
        span,
        ..Body::default()
    };
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attr) => {
                let aspan = span_of(attr, span);
                out.attributes.push(Attribute {
                    name: attr.key.as_str().to_owned(),
                    name_span: span_of(&attr.key, aspan),
                    expr: lower_expr(&attr.value, aspan),
                    span: aspan,
                });
            }
            Structure::Block(block) => out.blocks.push(lower_block(block, span)),
        }
    }
    out
}

fn lower_block(block: &structure::Block, fallback: Span) -> Block {
    let span = span_of(block, fallback);
    Block {
        ident: block.ident.as_str().to_owned(),
        ident_span: span_of(&block.ident, span),
        labels: block
            .labels
            .iter()
            .map(|label| match label {
                BlockLabel::Ident(id) => (id.as_str().to_owned(), span_of(id, span)),
                BlockLabel::String(s) => (s.as_str().to_owned(), span_of(s, span)),
            })
            .collect(),
        body: lower_body(&block.body, span),
        span,
    }
}

pub(crate) fn lower_expr(e: &Expression, fallback: Span) -> Expr {
    let span = span_of(e, fallback);
    let kind = match e {
        Expression::Null(_) => ExprKind::Null,
        Expression::Bool(b) => ExprKind::Bool(*b.value()),
        Expression::Number(n) => ExprKind::Number(n.value().as_f64().unwrap_or(f64::NAN)),
        Expression::String(s) => ExprKind::String(s.value().clone()),
        Expression::Array(items) => {
            ExprKind::Array(items.iter().map(|i| lower_expr(i, span)).collect())
        }
        Expression::Object(obj) => ExprKind::Object(
            obj.iter()
                .map(|(key, value)| {
                    let (key, key_span) = match key {
                        expr::ObjectKey::Ident(id) => {
                            (ObjectKey::Name(id.as_str().to_owned()), span_of(id, span))
                        }
                        expr::ObjectKey::Expression(ke) => {
                            let lowered = lower_expr(ke, span);
                            let ks = lowered.span;
                            let key = match &lowered.kind {
                                ExprKind::String(s) => ObjectKey::Name(s.clone()),
                                _ => ObjectKey::Expr(lowered),
                            };
                            (key, ks)
                        }
                    };
                    ObjectItem {
                        key,
                        key_span,
                        value: lower_expr(value.expr(), span),
                    }
                })
                .collect(),
        ),
        Expression::StringTemplate(t) => lower_template_kind(t, span),
        Expression::HeredocTemplate(h) => lower_template_kind(&h.template, span),
        Expression::Parenthesis(p) => return lower_expr(p.inner(), span),
        Expression::Variable(v) => ExprKind::Variable(v.as_str().to_owned()),
        Expression::Conditional(c) => ExprKind::Conditional(
            Box::new(lower_expr(&c.cond_expr, span)),
            Box::new(lower_expr(&c.true_expr, span)),
            Box::new(lower_expr(&c.false_expr, span)),
        ),
        Expression::FuncCall(call) => {
            let mut name = String::new();
            for ns in &call.name.namespace {
                name.push_str(ns.as_str());
                name.push_str("::");
            }
            name.push_str(call.name.name.as_str());
            ExprKind::Call {
                name,
                args: call.args.iter().map(|a| lower_expr(a, span)).collect(),
                expand_final: call.args.expand_final(),
            }
        }
        Expression::Traversal(t) => {
            let base = lower_expr(&t.expr, span);
            let ops = t
                .operators
                .iter()
                .map(|op| {
                    let ospan = span_of(op, span);
                    match op.value() {
                        expr::TraversalOperator::AttrSplat(_) => TraversalOp::AttrSplat,
                        expr::TraversalOperator::FullSplat(_) => TraversalOp::FullSplat,
                        expr::TraversalOperator::GetAttr(id) => {
                            TraversalOp::GetAttr(id.as_str().to_owned(), ospan)
                        }
                        expr::TraversalOperator::Index(ie) => {
                            TraversalOp::Index(lower_expr(ie, ospan))
                        }
                        expr::TraversalOperator::LegacyIndex(i) => {
                            TraversalOp::LegacyIndex(*i.value(), ospan)
                        }
                    }
                })
                .collect();
            ExprKind::Traversal(Box::new(base), ops)
        }
        Expression::UnaryOp(u) => {
            let op = match u.operator.value() {
                expr::UnaryOperator::Neg => UnaryOp::Neg,
                expr::UnaryOperator::Not => UnaryOp::Not,
            };
            ExprKind::Unary(op, Box::new(lower_expr(&u.expr, span)))
        }
        Expression::BinaryOp(b) => {
            use expr::BinaryOperator as B;
            let op = match b.operator.value() {
                B::Eq => BinaryOp::Eq,
                B::NotEq => BinaryOp::NotEq,
                B::LessEq => BinaryOp::LessEq,
                B::GreaterEq => BinaryOp::GreaterEq,
                B::Less => BinaryOp::Less,
                B::Greater => BinaryOp::Greater,
                B::Mod => BinaryOp::Mod,
                B::Mul => BinaryOp::Mul,
                B::Div => BinaryOp::Div,
                B::Plus => BinaryOp::Plus,
                B::Minus => BinaryOp::Minus,
                B::And => BinaryOp::And,
                B::Or => BinaryOp::Or,
            };
            ExprKind::Binary(
                op,
                Box::new(lower_expr(&b.lhs_expr, span)),
                Box::new(lower_expr(&b.rhs_expr, span)),
            )
        }
        Expression::ForExpr(f) => ExprKind::For(Box::new(ForExpr {
            key_var: f.intro.key_var.as_ref().map(|k| k.as_str().to_owned()),
            value_var: f.intro.value_var.as_str().to_owned(),
            collection: lower_expr(&f.intro.collection_expr, span),
            key: f.key_expr.as_ref().map(|k| lower_expr(k, span)),
            value: lower_expr(&f.value_expr, span),
            cond: f.cond.as_ref().map(|c| lower_expr(&c.expr, span)),
            grouping: f.grouping,
        })),
    };
    Expr::new(kind, span)
}

fn lower_template_kind(t: &Template, span: Span) -> ExprKind {
    let parts = lower_template(t, span);
    match parts.as_slice() {
        [] => ExprKind::String(String::new()),
        [TemplatePart::Literal(s)] => ExprKind::String(s.clone()),
        _ => ExprKind::Template(parts),
    }
}

/// Lowers a template; `shift` moves spans when the template was parsed out
/// of a larger text (JSON strings).
pub(crate) fn lower_template(t: &Template, span: Span) -> Vec<TemplatePart> {
    let mut parts = Vec::new();
    for element in t.iter() {
        match element {
            Element::Literal(s) => push_literal(&mut parts, s.value()),
            Element::Interpolation(i) => {
                parts.push(TemplatePart::Interp(lower_expr(&i.expr, span)))
            }
            Element::Directive(d) => match d.as_ref() {
                Directive::If(dir) => parts.push(TemplatePart::If {
                    cond: lower_expr(&dir.if_expr.cond_expr, span),
                    then: lower_template(&dir.if_expr.template, span),
                    otherwise: dir
                        .else_expr
                        .as_ref()
                        .map(|e| lower_template(&e.template, span))
                        .unwrap_or_default(),
                }),
                Directive::For(dir) => parts.push(TemplatePart::For {
                    key_var: dir.for_expr.key_var.as_ref().map(|k| k.as_str().to_owned()),
                    value_var: dir.for_expr.value_var.as_str().to_owned(),
                    collection: lower_expr(&dir.for_expr.collection_expr, span),
                    body: lower_template(&dir.for_expr.template, span),
                }),
            },
        }
    }
    parts
}

fn push_literal(parts: &mut Vec<TemplatePart>, s: &str) {
    if let Some(TemplatePart::Literal(prev)) = parts.last_mut() {
        prev.push_str(s);
    } else {
        parts.push(TemplatePart::Literal(s.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_attributes() {
        let text = "resource \"aws_instance\" \"web\" {\n  instance_type = \"m5.large\"\n  tags = { Name = \"x-${var.env}\" }\n}\n";
        let body = parse(text).unwrap();
        let block = &body.blocks[0];
        assert_eq!(block.labels[0].0, "aws_instance");
        let attr = block.body.attr("instance_type").unwrap();
        assert_eq!(&text[attr.expr.span.range()], "\"m5.large\"");
        assert_eq!(attr.expr.as_literal_str(), Some("m5.large"));
        let tags = block.body.attr("tags").unwrap();
        let ExprKind::Object(items) = &tags.expr.kind else {
            panic!()
        };
        assert_eq!(&text[items[0].key_span.range()], "Name");
        assert!(matches!(items[0].value.kind, ExprKind::Template(_)));
    }

    #[test]
    fn syntax_error_has_location() {
        let err = parse("a = {\n").unwrap_err();
        assert!(err.offset <= 6);
        assert!(!err.message.is_empty());
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let text = format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&text).is_err());
    }

    #[test]
    fn heredoc_is_a_string() {
        let body = parse("a = <<-EOT\n    hello\n  EOT\n").unwrap();
        assert_eq!(
            body.attr("a").unwrap().expr.as_literal_str(),
            Some("hello\n")
        );
    }
}
