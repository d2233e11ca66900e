//! Terraform: parsing (HCL and JSON), evaluation, and the module model.

pub mod ast;
pub mod eval;
pub mod functions;
pub mod hcl;
pub mod json;
pub mod module;
pub mod plan;
pub mod segments;
pub mod types;
pub mod value;

use crate::source::FileKind;
use ast::{Attribute, Body};

/// A syntax error at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
}

/// Parses a configuration file (`.tf` or `.tf.json`).
pub fn parse_config(kind: FileKind, text: &str) -> Result<Body, ParseError> {
    parse_config_bounded(kind, text, json::MAX_DEPTH)
}

/// [`parse_config`] with JSON at most `max_depth` deep. HCL has its
/// parser's own bound (64 levels of nested expressions).
pub fn parse_config_bounded(
    kind: FileKind,
    text: &str,
    max_depth: usize,
) -> Result<Body, ParseError> {
    match kind {
        FileKind::TerraformJson => json::lower_config(&json::parse_bounded(text, max_depth)?),
        _ => segments::parse_parallel(text),
    }
}

/// Parses a variables file (`.tfvars` or `.tfvars.json`) into assignments.
pub fn parse_tfvars(kind: FileKind, text: &str) -> Result<Vec<Attribute>, ParseError> {
    parse_tfvars_bounded(kind, text, json::MAX_DEPTH)
}

/// [`parse_tfvars`] with JSON at most `max_depth` deep.
pub fn parse_tfvars_bounded(
    kind: FileKind,
    text: &str,
    max_depth: usize,
) -> Result<Vec<Attribute>, ParseError> {
    match kind {
        FileKind::TfvarsJson => {
            let root = json::parse_bounded(text, max_depth)?;
            let entries = root.as_object().ok_or_else(|| ParseError {
                offset: root.span.start,
                message: "a variables file must hold an object".into(),
            })?;
            Ok(entries
                .iter()
                .map(|(k, ks, v)| Attribute {
                    name: k.clone(),
                    name_span: *ks,
                    // Values in .tfvars.json are literal, not templates.
                    expr: literal_json(v),
                    span: ks.cover(v.span),
                })
                .collect())
        }
        _ => {
            let body = hcl::parse(text)?;
            if let Some(block) = body.blocks.first() {
                return Err(ParseError {
                    offset: block.span.start,
                    message: "a variables file holds only assignments, not blocks".into(),
                });
            }
            Ok(body.attributes)
        }
    }
}

pub(crate) fn literal_json(v: &json::Json) -> ast::Expr {
    use ast::{Expr, ExprKind, ObjectItem, ObjectKey};
    use json::JsonKind;
    let kind = match &v.kind {
        JsonKind::Null => ExprKind::Null,
        JsonKind::Bool(b) => ExprKind::Bool(*b),
        JsonKind::Number(n) => ExprKind::Number(*n),
        JsonKind::String(s, _) => ExprKind::String(s.clone()),
        JsonKind::Array(items) => ExprKind::Array(items.iter().map(literal_json).collect()),
        JsonKind::Object(entries) => ExprKind::Object(
            entries
                .iter()
                .map(|(k, ks, v)| ObjectItem {
                    key: ObjectKey::Name(k.clone()),
                    key_span: *ks,
                    value: literal_json(v),
                })
                .collect(),
        ),
    };
    Expr::new(kind, v.span)
}
