//! One syntax tree for Terraform, whether written in HCL or JSON, with a
//! byte span on every node. Evaluation and rules read only this.

use crate::source::Span;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Body {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<Block>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub name_span: Span,
    pub expr: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub ident: String,
    pub ident_span: Span,
    pub labels: Vec<(String, Span)>,
    pub body: Body,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Template(Vec<TemplatePart>),
    Array(Vec<Expr>),
    Object(Vec<ObjectItem>),
    Variable(String),
    Traversal(Box<Expr>, Vec<TraversalOp>),
    Call {
        name: String,
        args: Vec<Expr>,
        expand_final: bool,
    },
    Conditional(Box<Expr>, Box<Expr>, Box<Expr>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    For(Box<ForExpr>),
    /// Something the reader could not represent (kept so spans stay whole).
    Invalid,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectItem {
    pub key: ObjectKey,
    pub key_span: Span,
    pub value: Expr,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ObjectKey {
    /// A bare identifier or a literal string.
    Name(String),
    Expr(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub enum TraversalOp {
    GetAttr(String, Span),
    Index(Expr),
    LegacyIndex(u64, Span),
    AttrSplat,
    FullSplat,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    Literal(String),
    Interp(Expr),
    If {
        cond: Expr,
        then: Vec<TemplatePart>,
        otherwise: Vec<TemplatePart>,
    },
    For {
        key_var: Option<String>,
        value_var: String,
        collection: Expr,
        body: Vec<TemplatePart>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForExpr {
    pub key_var: Option<String>,
    pub value_var: String,
    pub collection: Expr,
    pub key: Option<Expr>,
    pub value: Expr,
    pub cond: Option<Expr>,
    pub grouping: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Eq,
    NotEq,
    LessEq,
    GreaterEq,
    Less,
    Greater,
    Mod,
    Mul,
    Div,
    Plus,
    Minus,
    And,
    Or,
}

impl Body {
    pub fn attr(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    pub fn blocks_named<'a, 'b>(
        &'a self,
        ident: &'b str,
    ) -> impl Iterator<Item = &'a Block> + use<'a, 'b> {
        self.blocks.iter().filter(move |b| b.ident == ident)
    }

    pub fn block(&self, ident: &str) -> Option<&Block> {
        self.blocks.iter().find(|b| b.ident == ident)
    }
}

impl Block {
    pub fn label(&self, i: usize) -> Option<&str> {
        self.labels.get(i).map(|(l, _)| l.as_str())
    }

    /// From the block's start to the end of its labels: where a finding
    /// about the block as a whole points.
    pub fn header_span(&self) -> Span {
        let end = self
            .labels
            .last()
            .map_or(self.ident_span.end, |(_, s)| s.end);
        Span::new(self.span.start, end)
    }
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }

    /// The literal string of an expression, when it is one.
    pub fn as_literal_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::String(s) => Some(s),
            ExprKind::Template(parts) => match parts.as_slice() {
                [TemplatePart::Literal(s)] => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    /// `a.b.c` as a list of names, for references like `var.x` or
    /// `aws.west` (only plain attribute steps).
    pub fn as_path(&self) -> Option<Vec<&str>> {
        match &self.kind {
            ExprKind::Variable(v) => Some(vec![v.as_str()]),
            ExprKind::Traversal(base, ops) => {
                let mut path = base.as_path()?;
                for op in ops {
                    match op {
                        TraversalOp::GetAttr(name, _) => path.push(name),
                        _ => return None,
                    }
                }
                Some(path)
            }
            _ => None,
        }
    }
}

/// Rewrites every span under `expr`: spans from parsing a piece of text on
/// its own are moved to where the piece sits in the file.
pub(crate) fn map_spans(expr: &mut Expr, f: &dyn Fn(Span) -> Span) {
    expr.span = f(expr.span);
    match &mut expr.kind {
        ExprKind::Template(parts) => parts.iter_mut().for_each(|p| map_part(p, f)),
        ExprKind::Array(items) => items.iter_mut().for_each(|e| map_spans(e, f)),
        ExprKind::Object(items) => {
            for item in items {
                item.key_span = f(item.key_span);
                if let ObjectKey::Expr(k) = &mut item.key {
                    map_spans(k, f);
                }
                map_spans(&mut item.value, f);
            }
        }
        ExprKind::Traversal(base, ops) => {
            map_spans(base, f);
            for op in ops {
                match op {
                    TraversalOp::GetAttr(_, s) | TraversalOp::LegacyIndex(_, s) => *s = f(*s),
                    TraversalOp::Index(e) => map_spans(e, f),
                    _ => {}
                }
            }
        }
        ExprKind::Call { args, .. } => args.iter_mut().for_each(|e| map_spans(e, f)),
        ExprKind::Conditional(a, b, c) => {
            map_spans(a, f);
            map_spans(b, f);
            map_spans(c, f);
        }
        ExprKind::Unary(_, e) => map_spans(e, f),
        ExprKind::Binary(_, a, b) => {
            map_spans(a, f);
            map_spans(b, f);
        }
        ExprKind::For(fe) => {
            map_spans(&mut fe.collection, f);
            if let Some(k) = &mut fe.key {
                map_spans(k, f);
            }
            map_spans(&mut fe.value, f);
            if let Some(c) = &mut fe.cond {
                map_spans(c, f);
            }
        }
        _ => {}
    }
}

fn map_part(part: &mut TemplatePart, f: &dyn Fn(Span) -> Span) {
    match part {
        TemplatePart::Literal(_) => {}
        TemplatePart::Interp(e) => map_spans(e, f),
        TemplatePart::If {
            cond,
            then,
            otherwise,
        } => {
            map_spans(cond, f);
            then.iter_mut().for_each(|p| map_part(p, f));
            otherwise.iter_mut().for_each(|p| map_part(p, f));
        }
        TemplatePart::For {
            collection, body, ..
        } => {
            map_spans(collection, f);
            body.iter_mut().for_each(|p| map_part(p, f));
        }
    }
}
