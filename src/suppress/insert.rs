//! Writing a new `costlint:ignore` comment: where it goes so that it covers
//! one finding. Editors offer it as a code action; every candidate is read
//! back with the same directive parser the check uses, so an edit is only
//! offered when it suppresses the finding and keeps the file parsing.

use super::{Region, comments, covers, directives};
use crate::finding::{FileId, Loc};
use crate::source::{FileKind, LineIndex, Span};

/// What the new comment covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// The finding's line: a trailing comment, or a comment on the line
    /// above when the line already ends in a comment.
    Line,
    /// The top-level block, YAML document or Kubernetes object around the
    /// finding: a comment on the line above it.
    Region,
}

/// Text to insert at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Insertion {
    pub at: usize,
    pub text: String,
}

/// The placeholder users replace with why the finding is acceptable.
pub const REASON_PLACEHOLDER: &str = "reason";

/// Regions a comment above can cover, as the check computes them: the
/// top-level blocks of an HCL file, the documents and `List` items of a
/// YAML file. Empty when the file does not parse.
pub fn regions(kind: FileKind, text: &str) -> Vec<Region> {
    match kind {
        FileKind::Terraform | FileKind::TerraformJson => crate::terraform::parse_config(kind, text)
            .map(|body| {
                body.blocks
                    .iter()
                    .map(|b| Region {
                        first: b.span.start,
                        span: b.span,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        FileKind::Yaml => {
            let (docs, error) =
                crate::kubernetes::yaml::load(text, crate::kubernetes::yaml::Limits::default());
            if error.is_some() {
                return Vec::new();
            }
            crate::check::document_regions(&docs)
        }
        _ => Vec::new(),
    }
}

/// The comment that suppresses `code` at `span` in `text`, or `None` when
/// none can be written safely (JSON has no comments; the line is inside a
/// string or block scalar; the edit would break the file).
pub fn suppression(
    kind: FileKind,
    text: &str,
    span: Span,
    code: &'static str,
    placement: Placement,
) -> Option<Insertion> {
    if !matches!(
        kind,
        FileKind::Terraform | FileKind::Tfvars | FileKind::Yaml
    ) {
        return None;
    }
    let index = LineIndex::new(text);
    let comment = format!("# costlint:ignore {code} -- {REASON_PLACEHOLDER}");
    let old_regions = regions(kind, text);
    let candidates = match placement {
        Placement::Line => {
            let line = index.line_of(span.start);
            let mut list = Vec::new();
            if !ends_in_comment(kind, text, &index, line) {
                let content = index.line_text(line, text);
                list.push(Insertion {
                    at: index.line_start(line) + content.trim_end().len(),
                    text: format!(" {comment}"),
                });
            }
            list.push(above(text, &index, line, &comment));
            list
        }
        Placement::Region => {
            let region = old_regions
                .iter()
                .filter(|r| r.span.start <= span.start && span.start <= r.span.end)
                .min_by_key(|r| r.span.len())?;
            vec![above(text, &index, index.line_of(region.first), &comment)]
        }
    };
    candidates
        .into_iter()
        .find(|ins| takes_effect(kind, text, &old_regions, span, code, ins))
}

/// A comment on its own line above 0-based `line`, indented like it.
fn above(text: &str, index: &LineIndex, line: usize, comment: &str) -> Insertion {
    let start = index.line_start(line);
    let content = index.line_text(line, text);
    let indent: String = content
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let end = index.line_end(line, text);
    let newline = if text.get(end..).is_some_and(|r| r.starts_with("\r\n")) {
        "\r\n"
    } else {
        "\n"
    };
    Insertion {
        at: start,
        text: format!("{indent}{comment}{newline}"),
    }
}

fn file_comments(kind: FileKind, text: &str) -> Vec<comments::Comment> {
    match kind {
        FileKind::Yaml => comments::yaml(text),
        _ => comments::hcl(text),
    }
}

/// Whether 0-based `line` ends inside a comment, where a trailing comment
/// would not start a new one.
fn ends_in_comment(kind: FileKind, text: &str, index: &LineIndex, line: usize) -> bool {
    let end = index.line_start(line) + index.line_text(line, text).trim_end().len();
    file_comments(kind, text)
        .iter()
        .any(|c| c.span.start < end && end <= c.span.end)
}

fn parses(kind: FileKind, text: &str) -> bool {
    match kind {
        FileKind::Yaml => {
            crate::kubernetes::yaml::load(text, crate::kubernetes::yaml::Limits::default())
                .1
                .is_none()
        }
        _ => crate::terraform::hcl::parse(text).is_ok(),
    }
}

fn shift(span: Span, at: usize, by: usize) -> Span {
    let move_ = |o: usize| if o >= at { o + by } else { o };
    Span::new(move_(span.start), move_(span.end))
}

/// Reads the edited text back: the new comment must be a valid directive
/// covering the finding, and a file that parsed must still parse.
fn takes_effect(
    kind: FileKind,
    text: &str,
    old_regions: &[Region],
    span: Span,
    code: &'static str,
    ins: &Insertion,
) -> bool {
    let Some((head, tail)) = text.split_at_checked(ins.at) else {
        return false;
    };
    let new = format!("{head}{}{tail}", ins.text);
    let by = ins.text.len();
    let regions: Vec<Region> = old_regions
        .iter()
        .map(|r| Region {
            first: if r.first >= ins.at {
                r.first + by
            } else {
                r.first
            },
            span: shift(r.span, ins.at, by),
        })
        .collect();
    let index = LineIndex::new(&new);
    let (list, problems) = directives(FileId(0), kind, &new, &index, &regions);
    let inserted = Span::new(ins.at, ins.at + by);
    if problems
        .iter()
        .any(|p| p.at.span.start < inserted.end && inserted.start <= p.at.span.end)
    {
        return false;
    }
    let at = Loc::new(FileId(0), shift(span, ins.at, by));
    let ours = list.iter().any(|d| {
        d.span.start >= inserted.start && d.span.end <= inserted.end && covers(d, code, at, &index)
    });
    ours && (!parses(kind, text) || parses(kind, &new))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, ins: &Insertion) -> String {
        format!("{}{}{}", &text[..ins.at], ins.text, &text[ins.at..])
    }

    const TF: &str = "resource \"aws_ebs_volume\" \"data\" {\n  size = 10\n  type = \"gp2\"\n}\n";

    #[test]
    fn line_placement_is_a_trailing_comment() {
        let at = TF.find("\"gp2\"").unwrap();
        let span = Span::new(at, at + 5);
        let ins = suppression(FileKind::Terraform, TF, span, "CL501", Placement::Line).unwrap();
        assert_eq!(
            apply(TF, &ins),
            "resource \"aws_ebs_volume\" \"data\" {\n  size = 10\n  type = \"gp2\" # costlint:ignore CL501 -- reason\n}\n"
        );
    }

    #[test]
    fn a_line_with_a_comment_gets_one_above() {
        let text = TF.replace("\"gp2\"", "\"gp2\" # legacy");
        let at = text.find("\"gp2\"").unwrap();
        let span = Span::new(at, at + 5);
        let ins = suppression(FileKind::Terraform, &text, span, "CL501", Placement::Line).unwrap();
        assert!(
            apply(&text, &ins).contains("  size = 10\n  # costlint:ignore CL501 -- reason\n  type")
        );
    }

    #[test]
    fn region_placement_goes_above_the_block() {
        let at = TF.find("\"gp2\"").unwrap();
        let span = Span::new(at, at + 5);
        let ins = suppression(FileKind::Terraform, TF, span, "CL501", Placement::Region).unwrap();
        assert_eq!(ins.at, 0);
        assert_eq!(ins.text, "# costlint:ignore CL501 -- reason\n");
    }

    #[test]
    fn yaml_list_items_and_crlf() {
        let text = "apiVersion: v1\r\nkind: List\r\nitems:\r\n  - apiVersion: v1\r\n    kind: Pod\r\n    metadata:\r\n      name: a\r\n";
        let at = text.find("name: a").unwrap();
        let span = Span::new(at, at + 7);
        let ins = suppression(FileKind::Yaml, text, span, "CL104", Placement::Region).unwrap();
        assert_eq!(ins.at, text.find("  - apiVersion").unwrap());
        assert_eq!(ins.text, "  # costlint:ignore CL104 -- reason\r\n");
    }

    #[test]
    fn not_inside_a_heredoc_nor_in_json() {
        let text = "locals {\n  x = <<EOT\n  gp2 here\nEOT\n}\n";
        let at = text.find("gp2").unwrap();
        let span = Span::new(at, at + 3);
        let ins = suppression(FileKind::Terraform, text, span, "CL501", Placement::Line);
        // A comment inside the heredoc would be text, not a comment; above
        // the line it is inside the heredoc too.
        assert_eq!(ins, None);
        assert_eq!(
            suppression(
                FileKind::TerraformJson,
                "{}",
                Span::empty(0),
                "CL501",
                Placement::Line
            ),
            None
        );
    }
}
