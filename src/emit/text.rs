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
    /// The message and help as miette shows them: wrapped already when
    /// the report goes to the handler that does not wrap.
    message: std::borrow::Cow<'a, str>,
    help: Option<String>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
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
        self.help
            .as_deref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'b>)
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

/// The help lines of a finding: its help, the resource, and secondary
/// locations too far away for the snippet.
fn help_text(f: &Finding) -> Option<String> {
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
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// Line widths (first line, the others) that miette's wrapping gives text
/// after an indent, at the report's width. Both indents are never empty
/// (textwrap does not wrap a short line that has no indent).
#[derive(Clone, Copy)]
struct Widths([usize; 2]);

impl Widths {
    fn after(initial_indent: &str, subsequent_indent: &str) -> Widths {
        let width = WIDTH.saturating_sub(2);
        Widths([
            width.saturating_sub(textwrap::core::display_width(initial_indent)),
            width.saturating_sub(textwrap::core::display_width(subsequent_indent)),
        ])
    }
}

/// `textwrap::fill` as miette calls it for a message or help (words
/// separated by ASCII spaces, never hyphenated, longer words broken, first
/// fit, an indent on every line), without the indents, which miette adds
/// when it does not wrap itself. `None` where the shortcut might differ
/// from textwrap: anything but printable ASCII, and lines that come out
/// empty (miette trims the indent of those, textwrap does not).
/// textwrap measures every character's Unicode width through a chain of
/// iterators, which made wrapping most of the cost of a text report.
fn wrap_ascii(text: &str, widths: Widths) -> Option<String> {
    if !text
        .bytes()
        .all(|b| b == b'\n' || (b' '..=b'~').contains(&b))
    {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 16);
    // (start, end of the word, end of its trailing spaces)
    let mut words: Vec<(usize, usize, usize)> = Vec::new();
    for line in text.split('\n') {
        words.clear();
        // textwrap puts an empty word first when there is an indent, so
        // a first word too long for the first line starts the next.
        words.push((0, 0, 0));
        let mut at = 0;
        while let Some(rest) = line.as_bytes().get(at..).filter(|r| !r.is_empty()) {
            let word = rest.iter().position(|b| *b == b' ').unwrap_or(rest.len());
            let spaces = rest.iter().skip(word).take_while(|b| **b == b' ').count();
            let (end, to) = (at + word, at + word + spaces);
            // A word longer than a line is broken into pieces that fill one.
            let piece = widths.0[1].max(1);
            while end - at > piece {
                words.push((at, at + piece, at + piece));
                at += piece;
            }
            words.push((at, end, to));
            at = to;
        }
        let emit = |from: usize, to: usize, out: &mut String| -> Option<()> {
            let (first, last) = (words.get(from)?, words.get(to - 1)?);
            let content = line.get(first.0..last.1)?;
            if content.trim().is_empty() {
                return None;
            }
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(content);
            Some(())
        };
        let (mut first_line, mut from, mut width) = (true, 0, 0);
        for (i, w) in words.iter().enumerate() {
            let limit = if first_line { widths.0[0] } else { widths.0[1] };
            let (word, spaces) = (w.1 - w.0, w.2 - w.1);
            if width + word > limit && i > from {
                emit(from, i, &mut out)?;
                first_line = false;
                from = i;
                width = 0;
            }
            width += word + spaces;
        }
        emit(from, words.len(), &mut out)?;
    }
    Some(out)
}

const WIDTH: usize = 100;

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
        let chars = &theme.characters;
        let icon = |s: Severity| match s {
            Severity::Error => &chars.error,
            Severity::Warning => &chars.warning,
            Severity::Note => &chars.advice,
        };
        let vbar = format!("  {} ", chars.vbar);
        let message_widths = [Severity::Error, Severity::Warning, Severity::Note]
            .map(|s| Widths::after(&format!("  {} ", icon(s)), &vbar));
        let help_widths = Widths::after("  help: ", "        ");
        let wrapping = GraphicalReportHandler::new_themed(theme)
            .with_links(false)
            .with_context_lines(1)
            .with_width(WIDTH)
            // Lines break at spaces only, so addresses, paths and prices
            // stay whole (Unicode line-break rules split them at `/` or
            // `-`).
            .with_word_separator(textwrap::WordSeparator::AsciiSpace)
            .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
        // For reports whose text `wrap_ascii` wrapped the same way already.
        let prewrapped = wrapping.clone().with_wrap_lines(false);
        let findings = &cx.report.findings;
        if !cx.quiet {
            // Rendered in parallel, written in order, a chunk at a time so
            // memory does not grow with the number of findings.
            for chunk in findings.chunks(1024) {
                let rendered: Vec<String> = chunk
                    .par_iter()
                    .map(|finding| {
                        let help = help_text(finding);
                        let widths = match finding.severity {
                            Severity::Error => message_widths[0],
                            Severity::Warning => message_widths[1],
                            Severity::Note => message_widths[2],
                        };
                        let wrapped =
                            wrap_ascii(&finding.message, widths).and_then(|m| match &help {
                                Some(h) => Some((m, Some(wrap_ascii(h, help_widths)?))),
                                None => Some((m, None)),
                            });
                        let (handler, message, help) = match wrapped {
                            Some((message, help)) => (&prewrapped, message.into(), help),
                            None => (&wrapping, finding.message.as_str().into(), help),
                        };
                        let report = Report {
                            finding,
                            source: cx.report.excerpts.get(&finding.path).map(Indexed),
                            message,
                            help,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// miette's indentation when it does not wrap, for lines that are not
    /// blank (`wrap_ascii` gives up on those).
    fn indent(wrapped: &str, initial: &str, subsequent: &str) -> String {
        wrapped
            .split('\n')
            .enumerate()
            .map(|(i, l)| format!("{}{l}", if i == 0 { initial } else { subsequent }))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn fill(text: &str, width: usize, initial: &str, subsequent: &str) -> String {
        textwrap::fill(
            text,
            textwrap::Options::new(width)
                .initial_indent(initial)
                .subsequent_indent(subsequent)
                .break_words(true)
                .word_separator(textwrap::WordSeparator::AsciiSpace)
                .word_splitter(textwrap::WordSplitter::NoHyphenation),
        )
    }

    #[test]
    fn wrapping_ascii_text_matches_textwrap() {
        // Words of every length around the line widths, runs of spaces,
        // leading and trailing spaces, several lines, words longer than a
        // line, and indents of different widths.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let indents = [("  ⚠ ", "  │ "), ("  help: ", "        "), ("  ☞ ", " ")];
        let (mut compared, mut declined) = (0, 0);
        for case in 0..3000 {
            let width: usize = [98, 40, 12, 5, 1][case % 5];
            let (initial, subsequent) = indents[case % 3];
            let mut text = String::new();
            for _ in 0..next(40) {
                match next(40) {
                    0 => text.push('\n'),
                    1 => text.push_str("   "),
                    _ => {
                        let len = [1, 3, 8, 20, 45, 90, 120][next(7) as usize];
                        let word: String = (0..next(len) + 1)
                            .map(|_| char::from(b"abc-/._:`$0"[next(11) as usize]))
                            .collect();
                        text.push_str(&word);
                        text.push(' ');
                    }
                }
            }
            let widths = Widths([
                width.saturating_sub(textwrap::core::display_width(initial)),
                width.saturating_sub(textwrap::core::display_width(subsequent)),
            ]);
            let expected = fill(&text, width, initial, subsequent);
            match wrap_ascii(&text, widths) {
                Some(wrapped) => {
                    assert_eq!(
                        indent(&wrapped, initial, subsequent),
                        expected,
                        "{text:?} at width {width}"
                    );
                    compared += 1;
                }
                None => {
                    // Declined only where a line would come out blank.
                    assert!(
                        expected.split('\n').any(|l| l.trim().is_empty()
                            || l.trim() == initial.trim()
                            || l.trim() == subsequent.trim()),
                        "{text:?} at width {width}: {expected:?}"
                    );
                    declined += 1;
                }
            }
        }
        assert!(compared > 1500 && declined > 0, "{compared} {declined}");
    }

    #[test]
    fn text_that_is_not_printable_ascii_is_left_to_textwrap() {
        let widths = Widths::after("  ⚠ ", "  │ ");
        assert_eq!(wrap_ascii("a Name é", widths), None);
        assert_eq!(wrap_ascii("tab\there", widths), None);
        assert_eq!(wrap_ascii("\u{1b}[1mbold", widths), None);
        assert_eq!(
            wrap_ascii("two\nlines", widths).as_deref(),
            Some("two\nlines")
        );
    }
}
