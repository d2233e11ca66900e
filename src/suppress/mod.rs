//! Suppressions: `costlint:ignore` comments, the `costlint.dev/ignore`
//! annotation, and baselines.

pub mod baseline;
pub mod comments;
pub mod insert;

use std::collections::BTreeSet;

use crate::finding::{Diagnostic, DraftEdit, DraftFix, FileId, Loc};
use crate::rules::codes;
use crate::source::{FileKind, LineIndex, Span};

/// What a directive covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Findings starting on this 0-based line.
    Line(usize),
    /// Findings starting inside this span (a block, document or object).
    Region(Span),
    File,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    pub file: FileId,
    /// The comment or annotation.
    pub span: Span,
    /// Codes it names that are known rules, with where each is written.
    pub codes: Vec<(&'static str, Span)>,
    pub scope: Scope,
    /// Whether it may be reported as unused (annotations and comments can be).
    pub removable: Option<Span>,
}

/// A region a comment directly above can cover: a top-level block, a YAML
/// document or a Kubernetes object.
#[derive(Debug, Clone, Copy)]
pub struct Region {
    /// Where its first token is.
    pub first: usize,
    pub span: Span,
}

const MARKER: &str = "costlint:ignore";

struct Parsed {
    file_level: bool,
    codes: Vec<(String, Span)>,
    reason: Option<String>,
}

/// Parses `costlint:ignore[-file] CODE[,CODE…] -- reason` from a comment
/// body starting at `base`.
fn parse_body(body: &str, base: usize) -> Option<Parsed> {
    let trimmed_start = body.len() - body.trim_start().len();
    let rest = body.trim_start().strip_prefix(MARKER)?;
    let (file_level, rest, consumed) = match rest.strip_prefix("-file") {
        Some(r) => (true, r, MARKER.len() + 5),
        None => (false, rest, MARKER.len()),
    };
    if !(rest.is_empty() || rest.starts_with([' ', '\t', ':'])) {
        return None;
    }
    let rest_off = base + trimmed_start + consumed;
    let (codes_part, reason) = match rest.split_once("--") {
        Some((codes, reason)) => (
            codes,
            Some(reason.trim().to_owned()).filter(|r| !r.is_empty()),
        ),
        None => (rest, None),
    };
    let mut codes = Vec::new();
    let mut pos = 0;
    for piece in codes_part.split([',', ' ', '\t', ':']) {
        let start = codes_part
            .get(pos..)
            .and_then(|t| t.find(piece))
            .map_or(pos, |i| pos + i);
        pos = start + piece.len();
        if !piece.is_empty() {
            codes.push((
                piece.to_owned(),
                Span::new(rest_off + start, rest_off + start + piece.len()),
            ));
        }
    }
    Some(Parsed {
        file_level,
        codes,
        reason,
    })
}

/// Reads the directives of one file. Problems are CL002 findings.
pub fn directives(
    file: FileId,
    kind: FileKind,
    text: &str,
    index: &LineIndex,
    regions: &[Region],
) -> (Vec<Directive>, Vec<Diagnostic>) {
    // Comments are raw text, so a directive's marker is in the text; in
    // JSON it is too, unless spelled with `\u` escapes.
    let escaped = kind_is_json(kind) && text.contains("\\u");
    // `memmem` searches with SIMD; `str::contains` was a tenth of the
    // time spent finishing a unit, for files that nearly never have one.
    if !escaped && memchr::memmem::find(text.as_bytes(), MARKER.as_bytes()).is_none() {
        return (Vec::new(), Vec::new());
    }
    let comments = match kind {
        FileKind::Yaml => comments::yaml(text),
        FileKind::TerraformJson | FileKind::TfvarsJson | FileKind::Plan => {
            return json_directives(file, text);
        }
        _ => comments::hcl(text),
    };
    let mut out = Vec::new();
    let mut problems = Vec::new();
    // Where the first line of content is: file-level comments go above it.
    let first_code = first_code_offset(text, &comments);
    for comment in &comments {
        let body_start = comment.span.end - comment.body.len();
        let Some(parsed) = parse_body(&comment.body, body_start) else {
            continue;
        };
        let Some(codes) = check(file, comment.span, &parsed, &mut problems) else {
            continue;
        };
        let scope = if parsed.file_level {
            if comment.span.start > first_code {
                problems.push(
                    Diagnostic::new(
                        codes::INVALID_SUPPRESSION,
                        Loc::new(file, comment.span),
                        "`costlint:ignore-file` must be at the top of the file, before any content; it is not applied",
                    )
                    .help("move it above the first block or document, or use `costlint:ignore` on the finding's line"),
                );
                continue;
            }
            Scope::File
        } else if comment.own_line {
            let next = next_code_line(text, index, &comments, comment.span.end);
            match regions.iter().find(|r| index.line_of(r.first) == next) {
                Some(r) => Scope::Region(r.span),
                None => Scope::Line(next),
            }
        } else {
            Scope::Line(index.line_of(comment.span.start))
        };
        out.push(Directive {
            file,
            span: comment.span,
            codes,
            scope,
            removable: Some(removal_span(text, comment)),
        });
    }
    (out, problems)
}

fn kind_is_json(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::TerraformJson | FileKind::TfvarsJson | FileKind::Plan
    )
}

/// Validates a parsed directive: known codes and a reason.
fn check(
    file: FileId,
    at: Span,
    parsed: &Parsed,
    problems: &mut Vec<Diagnostic>,
) -> Option<Vec<(&'static str, Span)>> {
    if parsed.codes.is_empty() {
        problems.push(
            Diagnostic::new(
                codes::INVALID_SUPPRESSION,
                Loc::new(file, at),
                "suppression names no rule; it is not applied",
            )
            .help("name the rule: `costlint:ignore CL501 -- reason`"),
        );
        return None;
    }
    let mut known = Vec::new();
    for (code, span) in &parsed.codes {
        match crate::rules::lookup(code) {
            Some(rule) => known.push((rule.meta().code, *span)),
            None => problems.push(
                Diagnostic::new(
                    codes::INVALID_SUPPRESSION,
                    Loc::new(file, *span),
                    format!("`{code}` is not a costlint rule; this part of the suppression is not applied"),
                )
                .help("use a rule code or name from `costlint rules`"),
            ),
        }
    }
    if parsed.reason.is_none() {
        problems.push(
            Diagnostic::new(
                codes::INVALID_SUPPRESSION,
                Loc::new(file, at),
                "suppression has no reason; it is not applied",
            )
            .help("add why after `--`: `costlint:ignore CL501 -- migrating in Q3`"),
        );
        return None;
    }
    if known.is_empty() { None } else { Some(known) }
}

/// `{"//": "costlint:ignore CL501 -- reason"}` in Terraform JSON covers the
/// object it is in.
fn json_directives(file: FileId, text: &str) -> (Vec<Directive>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let Ok(root) = crate::terraform::json::parse(text) else {
        return (out, problems);
    };
    let mut stack = vec![&root];
    while let Some(node) = stack.pop() {
        match &node.kind {
            crate::terraform::json::JsonKind::Object(entries) => {
                for (key, _, value) in entries {
                    if key == "//" {
                        if let Some(s) = value.as_str() {
                            // Spans inside the string are approximate when it has escapes.
                            if let Some(parsed) = parse_body(s, value.span.start + 1) {
                                let Some(codes) = check(file, value.span, &parsed, &mut problems)
                                else {
                                    continue;
                                };
                                let scope = if parsed.file_level {
                                    Scope::File
                                } else {
                                    Scope::Region(node.span)
                                };
                                out.push(Directive {
                                    file,
                                    span: value.span,
                                    codes,
                                    scope,
                                    removable: None,
                                });
                            }
                        }
                    }
                    stack.push(value);
                }
            }
            crate::terraform::json::JsonKind::Array(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
    out.sort_by_key(|d| d.span);
    (out, problems)
}

/// `costlint.dev/ignore: "CL104,CL501"` on a Kubernetes object; a
/// ` -- reason` is welcome but not required (the annotation is reviewable
/// configuration in itself).
pub fn annotation_directive(
    file: FileId,
    value: &str,
    value_span: Span,
    object_span: Span,
    problems: &mut Vec<Diagnostic>,
) -> Option<Directive> {
    let codes_part = value.split("--").next().unwrap_or("");
    let mut codes = Vec::new();
    for piece in codes_part.split([',', ' ']).filter(|p| !p.is_empty()) {
        match crate::rules::lookup(piece) {
            Some(rule) => codes.push((rule.meta().code, value_span)),
            None => problems.push(
                Diagnostic::new(
                    codes::INVALID_SUPPRESSION,
                    Loc::new(file, value_span),
                    format!("`{piece}` in `costlint.dev/ignore` is not a costlint rule; it is not applied"),
                )
                .help("use rule codes or names from `costlint rules`, separated by commas"),
            ),
        }
    }
    if codes.is_empty() {
        if codes_part.trim().is_empty() {
            problems.push(Diagnostic::new(
                codes::INVALID_SUPPRESSION,
                Loc::new(file, value_span),
                "`costlint.dev/ignore` names no rule",
            ));
        }
        return None;
    }
    Some(Directive {
        file,
        span: value_span,
        codes,
        scope: Scope::Region(object_span),
        removable: None,
    })
}

fn first_code_offset(text: &str, comments: &[Comment]) -> usize {
    let mut pos = 0;
    let bytes = text.as_bytes();
    loop {
        while bytes.get(pos).is_some_and(u8::is_ascii_whitespace) {
            pos += 1;
        }
        if pos >= bytes.len() {
            return text.len();
        }
        // YAML document markers are not content.
        if text.get(pos..).is_some_and(|t| t.starts_with("---")) {
            pos += 3;
            continue;
        }
        match comments.iter().find(|c| c.span.start == pos) {
            Some(c) => pos = c.span.end,
            None => return pos,
        }
    }
}

use comments::Comment;

/// The first line after `from` that is not blank and not only a comment.
fn next_code_line(text: &str, index: &LineIndex, comments: &[Comment], from: usize) -> usize {
    let mut line = index.line_of(from) + 1;
    while line < index.line_count() {
        let start = index.line_start(line);
        let content = index.line_text(line, text).trim();
        let is_comment = comments
            .iter()
            .any(|c| c.own_line && index.line_of(c.span.start) == line);
        if !content.is_empty() && !is_comment && content != "---" {
            return line;
        }
        let _ = start;
        line += 1;
    }
    line
}

/// What deleting a comment should remove: the whole line when the comment
/// is alone on it.
fn removal_span(text: &str, comment: &Comment) -> Span {
    if comment.own_line {
        let before = text.get(..comment.span.start).unwrap_or_default();
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        let end = text
            .get(comment.span.end..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |i| comment.span.end + i + 1);
        Span::new(start, end)
    } else {
        let trimmed = text
            .get(..comment.span.start)
            .unwrap_or_default()
            .trim_end_matches([' ', '\t'])
            .len();
        Span::new(trimmed, comment.span.end)
    }
}

/// Whether a directive covers a diagnostic.
pub fn covers(d: &Directive, code: &str, at: Loc, index: &LineIndex) -> bool {
    if d.file != at.file || !d.codes.iter().any(|(c, _)| *c == code) {
        return false;
    }
    match &d.scope {
        Scope::File => true,
        Scope::Line(line) => index.line_of(at.span.start) == *line,
        Scope::Region(span) => span.start <= at.span.start && at.span.start <= span.end,
    }
}

/// CL001 for every code of a directive that suppressed nothing.
pub fn unused(
    d: &Directive,
    used_codes: &BTreeSet<&'static str>,
    enabled: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let unused: Vec<&(&'static str, Span)> = d
        .codes
        .iter()
        .filter(|(c, _)| !used_codes.contains(c) && enabled(c))
        .collect();
    if unused.is_empty() {
        return Vec::new();
    }
    let whole = unused.len() == d.codes.len();
    let names: Vec<String> = unused.iter().map(|(c, _)| format!("`{c}`")).collect();
    let mut diag = Diagnostic::new(
        codes::UNUSED_SUPPRESSION,
        Loc::new(
            d.file,
            match unused.first() {
                Some((_, span)) if !whole => *span,
                _ => d.span,
            },
        ),
        format!("suppression of {} matches no finding", names.join(", ")),
    )
    .help("remove it, so it does not hide a future finding here");
    if whole {
        if let Some(span) = d.removable {
            diag = diag.fix(DraftFix {
                title: "Remove the unused suppression".into(),
                edits: vec![DraftEdit {
                    at: Loc::new(d.file, span),
                    replacement: String::new(),
                }],
            });
        }
    }
    vec![diag]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs(kind: FileKind, text: &str, regions: &[Region]) -> (Vec<Directive>, Vec<Diagnostic>) {
        directives(FileId(0), kind, text, &LineIndex::new(text), regions)
    }

    #[test]
    fn parses_codes_and_reason() {
        let p = parse_body(" costlint:ignore CL501,ebs-gp2-volume -- legacy", 0).unwrap();
        assert_eq!(p.codes.len(), 2);
        assert_eq!(p.reason.as_deref(), Some("legacy"));
        assert!(parse_body(" costlint:ignorex CL501", 0).is_none());
        assert!(
            parse_body(" costlint:ignore-file CL501 -- x", 0)
                .unwrap()
                .file_level
        );
    }

    #[test]
    fn scopes() {
        let text = "# costlint:ignore CL501 -- above a block\nresource \"a\" \"b\" {\n  type = \"gp2\" # costlint:ignore CL501 -- trailing\n}\n";
        let regions = [Region {
            first: 41,
            span: Span::new(41, text.len() - 1),
        }];
        let (d, problems) = dirs(FileKind::Terraform, text, &regions);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(matches!(d[0].scope, Scope::Region(_)));
        assert_eq!(d[1].scope, Scope::Line(2));
    }

    #[test]
    fn invalid_ones_are_reported() {
        let text = "a = 1\n# costlint:ignore-file CL501 -- late\n# costlint:ignore CL999 -- x\n# costlint:ignore CL501\n# costlint:ignore -- why\n";
        let (d, problems) = dirs(FileKind::Terraform, text, &[]);
        assert!(d.is_empty());
        assert_eq!(problems.len(), 4, "{problems:#?}");
    }

    #[test]
    fn file_level_at_top() {
        let text = "# header\n\n# costlint:ignore-file CL104 -- generated\nkind: Pod\n";
        let (d, problems) = dirs(FileKind::Yaml, text, &[]);
        assert!(problems.is_empty());
        assert_eq!(d[0].scope, Scope::File);
    }
}
