//! A JSON reader that keeps byte spans, and the Terraform JSON syntax
//! (`.tf.json`, `.tfvars.json`) lowered into the same [`ast`](super::ast)
//! as HCL.

use super::ParseError;
use super::ast::*;
use crate::source::Span;

#[derive(Debug, Clone, PartialEq)]
pub enum JsonKind {
    Null,
    Bool(bool),
    Number(f64),
    /// The decoded string and whether its source had escapes (then spans
    /// inside it cannot be mapped back exactly).
    String(String, bool),
    Array(Vec<Json>),
    Object(Vec<(String, Span, Json)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Json {
    pub kind: JsonKind,
    pub span: Span,
}

impl Json {
    pub fn get(&self, key: &str) -> Option<&Json> {
        match &self.kind {
            JsonKind::Object(entries) => {
                entries.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v)
            }
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::String(s, _) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match &self.kind {
            JsonKind::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(String, Span, Json)]> {
        match &self.kind {
            JsonKind::Object(entries) => Some(entries),
            _ => None,
        }
    }
}

/// The default of `limits.max-nesting-depth`.
pub const MAX_DEPTH: usize = 256;

/// Parses one JSON value (RFC 8259), at most [`MAX_DEPTH`] deep.
pub fn parse(text: &str) -> Result<Json, ParseError> {
    parse_bounded(text, MAX_DEPTH)
}

/// Parses one JSON value (RFC 8259), at most `max_depth` deep.
pub fn parse_bounded(text: &str, max_depth: usize) -> Result<Json, ParseError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
        max_depth,
    };
    p.ws();
    let value = p.value()?;
    p.ws();
    if p.pos < p.bytes.len() {
        return Err(p.err("unexpected text after the JSON value"));
    }
    Ok(value)
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    depth: usize,
    max_depth: usize,
}

impl Parser<'_> {
    fn err(&self, message: &str) -> ParseError {
        ParseError {
            offset: self.pos.min(self.bytes.len()),
            message: message.to_owned(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, b: u8) -> Result<(), ParseError> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err(&format!("expected `{}`", b as char)))
        }
    }

    fn value(&mut self) -> Result<Json, ParseError> {
        let start = self.pos;
        let kind = match self.peek() {
            None => return Err(self.err("unexpected end of input")),
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => {
                let (s, escaped) = self.string()?;
                JsonKind::String(s, escaped)
            }
            Some(b't') => self.word("true", JsonKind::Bool(true))?,
            Some(b'f') => self.word("false", JsonKind::Bool(false))?,
            Some(b'n') => self.word("null", JsonKind::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err(self.err("expected a JSON value")),
        };
        Ok(Json {
            kind,
            span: Span::new(start, self.pos),
        })
    }

    fn word(&mut self, word: &str, kind: JsonKind) -> Result<JsonKind, ParseError> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(kind)
        } else {
            Err(self.err("expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<JsonKind, ParseError> {
        let start = self.pos;
        while matches!(
            self.peek(),
            Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
        ) {
            self.pos += 1;
        }
        self.text
            .get(start..self.pos)
            .and_then(|s| s.parse::<f64>().ok())
            .map(JsonKind::Number)
            .ok_or_else(|| ParseError {
                offset: start,
                message: "invalid number".into(),
            })
    }

    fn nest(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(self.err(&format!(
                "JSON nesting deeper than {} levels (limits.max-nesting-depth)",
                self.max_depth
            )));
        }
        Ok(())
    }

    fn array(&mut self) -> Result<JsonKind, ParseError> {
        self.nest()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(JsonKind::Array(items));
        }
        loop {
            self.ws();
            items.push(self.value()?);
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.err("expected `,` or `]`")),
            }
        }
        self.depth -= 1;
        Ok(JsonKind::Array(items))
    }

    fn object(&mut self) -> Result<JsonKind, ParseError> {
        self.nest()?;
        self.pos += 1;
        let mut entries = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(JsonKind::Object(entries));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a string key"));
            }
            let key_start = self.pos;
            let (key, _) = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            self.ws();
            self.expect(b':')?;
            self.ws();
            let value = self.value()?;
            entries.push((key, key_span, value));
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.err("expected `,` or `}`")),
            }
        }
        self.depth -= 1;
        Ok(JsonKind::Object(entries))
    }

    fn string(&mut self) -> Result<(String, bool), ParseError> {
        self.pos += 1;
        let mut out = String::new();
        let mut escaped = false;
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(self.text.get(run_start..self.pos).unwrap_or(""));
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok((out, escaped));
                }
                Some(b'\\') => {
                    escaped = true;
                    self.pos += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let c = self.unicode_escape()?;
                            out.push(c);
                            continue;
                        }
                        _ => return Err(self.err("invalid escape")),
                    };
                    self.pos += 1;
                    out.push(c);
                }
                Some(_) => return Err(self.err("control character in string")),
                None => return Err(self.err("unterminated string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let s = self
            .text
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.err("invalid \\u escape"))?;
        let v = u32::from_str_radix(s, 16).map_err(|_| self.err("invalid \\u escape"))?;
        self.pos += 4;
        Ok(v)
    }

    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let hi = self.hex4()?;
        if (0xD800..0xDC00).contains(&hi) && self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u")
        {
            self.pos += 2;
            let lo = self.hex4()?;
            let c = 0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF);
            return Ok(char::from_u32(c).unwrap_or('\u{FFFD}'));
        }
        Ok(char::from_u32(hi).unwrap_or('\u{FFFD}'))
    }
}

// ---- Terraform JSON syntax ------------------------------------------------

/// Block types whose labels are object keys in JSON, with their label count.
fn label_count(block_type: &str) -> usize {
    match block_type {
        "resource" | "data" | "ephemeral" => 2,
        "module" | "provider" | "variable" | "output" | "check" | "dynamic" | "provisioner" => 1,
        _ => 0,
    }
}

/// Lowers a `.tf.json` document.
pub fn lower_config(root: &Json) -> Result<Body, ParseError> {
    let JsonKind::Object(entries) = &root.kind else {
        return Err(ParseError {
            offset: root.span.start,
            message: "a Terraform JSON file must hold an object".into(),
        });
    };
    let mut body = Body {
        span: root.span,
        ..Body::default()
    };
    for (key, key_span, value) in entries {
        if key == "//" {
            continue;
        }
        if key == "locals" {
            // `locals` is a block whose attributes are the locals.
            for obj in objects(value) {
                body.blocks.push(Block {
                    ident: key.clone(),
                    ident_span: *key_span,
                    labels: Vec::new(),
                    body: attributes_only(obj),
                    span: obj.span,
                });
            }
            continue;
        }
        push_blocks(
            &mut body.blocks,
            key,
            *key_span,
            value,
            label_count(key),
            Vec::new(),
        );
    }
    Ok(body)
}

/// A value may be an object or an array of objects, each one block.
fn objects(value: &Json) -> Vec<&Json> {
    match &value.kind {
        JsonKind::Object(_) => vec![value],
        JsonKind::Array(items) => items
            .iter()
            .filter(|i| matches!(i.kind, JsonKind::Object(_)))
            .collect(),
        _ => Vec::new(),
    }
}

fn push_blocks(
    out: &mut Vec<Block>,
    ident: &str,
    ident_span: Span,
    value: &Json,
    labels_left: usize,
    labels: Vec<(String, Span)>,
) {
    if labels_left == 0 {
        for obj in objects(value) {
            out.push(Block {
                ident: ident.to_owned(),
                ident_span,
                labels: labels.clone(),
                body: lower_json_body(obj),
                span: obj.span,
            });
        }
        return;
    }
    for obj in objects(value) {
        if let JsonKind::Object(entries) = &obj.kind {
            for (label, label_span, inner) in entries {
                if label == "//" {
                    continue;
                }
                let mut labels = labels.clone();
                labels.push((label.clone(), *label_span));
                push_blocks(out, ident, ident_span, inner, labels_left - 1, labels);
            }
        }
    }
}

fn attributes_only(obj: &Json) -> Body {
    let mut body = Body {
        span: obj.span,
        ..Body::default()
    };
    if let JsonKind::Object(entries) = &obj.kind {
        for (key, key_span, value) in entries {
            if key == "//" {
                continue;
            }
            body.attributes.push(Attribute {
                name: key.clone(),
                name_span: *key_span,
                expr: lower_json_expr(value),
                span: key_span.cover(value.span),
            });
        }
    }
    body
}

/// Without a provider schema, a JSON property could be an argument or a
/// nested block; it is exposed as both, and readers ask for what they
/// expect.
fn lower_json_body(obj: &Json) -> Body {
    let mut body = attributes_only(obj);
    if let JsonKind::Object(entries) = &obj.kind {
        for (key, key_span, value) in entries {
            if key == "//"
                || matches!(
                    key.as_str(),
                    "count" | "for_each" | "depends_on" | "provider" | "source"
                )
            {
                continue;
            }
            let labels = label_count_nested(key);
            if !objects(value).is_empty() {
                push_blocks(&mut body.blocks, key, *key_span, value, labels, Vec::new());
            }
        }
    }
    body
}

fn label_count_nested(block_type: &str) -> usize {
    match block_type {
        "dynamic" | "provisioner" => 1,
        _ => 0,
    }
}

/// In Terraform JSON, strings are templates and everything else is literal.
pub fn lower_json_expr(value: &Json) -> Expr {
    let kind = match &value.kind {
        JsonKind::Null => ExprKind::Null,
        JsonKind::Bool(b) => ExprKind::Bool(*b),
        JsonKind::Number(n) => ExprKind::Number(*n),
        JsonKind::String(s, escaped) => return lower_json_string(s, *escaped, value.span),
        JsonKind::Array(items) => ExprKind::Array(items.iter().map(lower_json_expr).collect()),
        JsonKind::Object(entries) => ExprKind::Object(
            entries
                .iter()
                .filter(|(k, _, _)| k != "//")
                .map(|(k, ks, v)| ObjectItem {
                    key: ObjectKey::Name(k.clone()),
                    key_span: *ks,
                    value: lower_json_expr(v),
                })
                .collect(),
        ),
    };
    Expr::new(kind, value.span)
}

fn lower_json_string(s: &str, escaped: bool, span: Span) -> Expr {
    if !s.contains("${") && !s.contains("%{") {
        return Expr::new(
            ExprKind::String(s.replace("$${", "${").replace("%%{", "%{")),
            span,
        );
    }
    match hcl_edit::parser::parse_template(s) {
        Ok(template) => {
            let mut expr = Expr::new(
                ExprKind::Template(super::hcl::lower_template(&template, span)),
                span,
            );
            // Without escapes the string's bytes sit one past the quote, so
            // inner spans map back exactly; with escapes they keep the
            // string's span.
            let by = span.start + 1;
            if escaped {
                map_spans(&mut expr, &|_| span);
            } else {
                map_spans(&mut expr, &|s| if s == span { s } else { s.shift(by) });
            }
            expr
        }
        Err(_) => Expr::new(ExprKind::String(s.to_owned()), span),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_spans() {
        let text = r#"{"a": [1, true, null], "b": {"c": "d\n"}}"#;
        let v = parse(text).unwrap();
        let b = v.get("b").unwrap();
        assert_eq!(&text[b.span.range()], r#"{"c": "d\n"}"#);
        assert_eq!(
            b.get("c").unwrap().kind,
            JsonKind::String("d\n".into(), true)
        );
    }

    #[test]
    fn rejects_bad_json_with_offset() {
        let err = parse("{\"a\": }").unwrap_err();
        assert_eq!(err.offset, 6);
        assert!(parse(&"[".repeat(10_000)).is_err());
        assert!(parse("\"abc").is_err());
    }

    #[test]
    fn terraform_json_resources() {
        let text = r#"{"resource": {"aws_instance": {"web": {"instance_type": "${var.size}", "root_block_device": {"volume_type": "gp2"}}}}}"#;
        let body = lower_config(&parse(text).unwrap()).unwrap();
        let block = &body.blocks[0];
        assert_eq!(block.ident, "resource");
        assert_eq!(
            block
                .labels
                .iter()
                .map(|l| l.0.as_str())
                .collect::<Vec<_>>(),
            ["aws_instance", "web"]
        );
        let it = block.body.attr("instance_type").unwrap();
        let ExprKind::Template(parts) = &it.expr.kind else {
            panic!()
        };
        let TemplatePart::Interp(inner) = &parts[0] else {
            panic!()
        };
        assert_eq!(&text[inner.span.range()], "var.size");
        let rbd = block.body.block("root_block_device").unwrap();
        assert_eq!(
            rbd.body.attr("volume_type").unwrap().expr.as_literal_str(),
            Some("gp2")
        );
    }
}
