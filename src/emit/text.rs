//! Human output: miette snippets rendered from a line-indexed source, so
//! thousands of findings in one file stay linear.

use std::fmt;
use std::io::{self, Write};

use rayon::prelude::*;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::{CostSummary, Counts, EmitContext, Emitter, plural};
use crate::check::format_usd;
use crate::finding::{Finding, Severity};
use crate::source::Excerpt;

pub struct Text;

/// A file as miette sees it: the lines kept of it, looked up through its
/// line index.
struct Indexed<'a>(&'a Excerpt);

impl SourceCode for Indexed<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let start = span.offset();
        let w = self
            .0
            .window(start, start.saturating_add(span.len()), before, after)
            .ok_or(MietteError::OutOfBounds)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.0.path.to_string(),
            w.text.as_bytes(),
            SourceSpan::new(w.offset.into(), w.text.len()),
            w.first_line,
            w.column,
            w.line_count,
        )))
    }
}

struct Report<'a> {
    finding: &'a Finding,
    source: Option<Indexed<'a>>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for Report<'_> {}

impl Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{} {}",
            self.finding.code, self.finding.name
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let f = self.finding;
        let mut lines = Vec::new();
        if let Some(h) = &f.help {
            lines.push(h.clone());
        }
        if let Some(r) = &f.resource {
            lines.push(format!("resource: {r}"));
        }
        for label in f.related.iter().filter(|l| !in_snippet(f, l)) {
            lines.push(format!(
                "{}:{}:{}: {}",
                label.path, label.start.line, label.start.column, label.message
            ));
        }
        if lines.is_empty() {
            None
        } else {
            Some(Box::new(lines.join("\n")))
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let f = self.finding;
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            f.label.clone(),
            SourceSpan::new(f.span.start.into(), f.span.len()),
        )];
        for l in f.related.iter().filter(|l| in_snippet(f, l)) {
            labels.push(LabeledSpan::new_with_span(
                Some(l.message.clone()),
                SourceSpan::new(l.span.start.into(), l.span.len()),
            ));
        }
        Some(Box::new(labels.into_iter()))
    }
}

/// Secondary labels close to the primary one share its snippet; others are
/// listed as `path:line:col` so a snippet never spans a whole file.
fn in_snippet(f: &Finding, label: &crate::finding::Label) -> bool {
    const NEAR: usize = 6;
    label.path == f.path
        && label.start.line + NEAR >= f.start.line
        && label.start.line <= f.end.line + NEAR
}

impl Emitter for Text {
    fn emit(&self, cx: &EmitContext<'_>, out: &mut dyn Write) -> io::Result<()> {
        let theme = if cx.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_links(false)
            .with_context_lines(1)
            .with_width(100)
            // Lines break at spaces only, so addresses, paths and prices
            // stay whole (Unicode line-break rules split them at `/` or
            // `-`, and cost more than the rest of the report).
            .with_word_separator(textwrap::WordSeparator::AsciiSpace)
            .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
        let findings = &cx.report.findings;
        if !cx.quiet {
            // Rendered in parallel, written in order, a chunk at a time so
            // memory does not grow with the number of findings.
            for chunk in findings.chunks(1024) {
                let rendered: Vec<String> = chunk
                    .par_iter()
                    .map(|finding| {
                        let report = Report {
                            finding,
                            source: cx.report.excerpts.get(&finding.path).map(Indexed),
                        };
                        let mut text = String::new();
                        if report.source.is_none() {
                            // No snippet: say where, in the form editors link.
                            text = format!(
                                "{}:{}:{}:\n",
                                finding.path, finding.start.line, finding.start.column
                            );
                        }
                        let mut snippet = String::new();
                        if handler.render_report(&mut snippet, &report).is_err() {
                            snippet = format!(
                                "{}:{}:{}: {} {}\n",
                                finding.path,
                                finding.start.line,
                                finding.start.column,
                                finding.code,
                                finding.message
                            );
                        }
                        text.push_str(&snippet);
                        text.push('\n');
                        text
                    })
                    .collect();
                for text in rendered {
                    out.write_all(text.as_bytes())?;
                }
            }
        }
        writeln!(out, "{}", summary(findings, cx.report.files_checked))
    }
}

pub fn summary(findings: &[Finding], files: usize) -> String {
    let c = Counts::of(findings);
    let files = plural(files, "file", "files");
    if c.total() == 0 {
        return format!("No findings in {files}.");
    }
    let mut s = format!(
        "Found {} in {files}: {}, {}, {}.",
        plural(c.total(), "finding", "findings"),
        plural(c.errors, "error", "errors"),
        plural(c.warnings, "warning", "warnings"),
        plural(c.notes, "note", "notes"),
    );
    let costs = CostSummary::of(findings);
    if let Some(cost) = costs.monthly_usd {
        s.push_str(&format!(
            " Flagged resources cost about {}/month",
            format_usd(cost)
        ));
        match costs.saving_usd {
            Some(saving) => s.push_str(&format!(
                "; fixing them would save about {}/month.",
                format_usd(saving)
            )),
            None => s.push('.'),
        }
    }
    s
}
