//! The lines of a file that its findings' snippets show. Text output keeps
//! these instead of whole files, so memory follows the findings, not the
//! size of every file that has one.

use std::sync::Arc;

use super::{LineIndex, SourceFile};

/// Lines kept around every span; a snippet shows one line of context and
/// labels up to six lines from the primary one, so this covers every line a
/// snippet can read.
pub const MARGIN_LINES: usize = 8;

#[derive(Debug)]
pub struct Excerpt {
    pub path: Arc<str>,
    /// Length and line count of the whole file.
    len: usize,
    line_count: usize,
    /// Sorted, disjoint and not adjacent.
    pieces: Vec<Piece>,
}

/// Consecutive whole lines of the file.
#[derive(Debug)]
struct Piece {
    /// 0-based, inclusive.
    first_line: usize,
    last_line: usize,
    /// Byte offset of `first_line` in the file.
    start: usize,
    text: Box<str>,
    index: LineIndex,
}

/// What a snippet reads: whole lines around a span.
#[derive(Debug, PartialEq, Eq)]
pub struct Window<'a> {
    /// 0-based line of `text`'s first line.
    pub first_line: usize,
    /// Byte offset of `text` in the file.
    pub offset: usize,
    pub text: &'a str,
    /// Column of the span's start, in characters, when no lines before
    /// were asked for; else 0.
    pub column: usize,
    /// Lines in the whole file.
    pub line_count: usize,
}

impl Excerpt {
    /// The lines of `file` within [`MARGIN_LINES`] of the given 0-based
    /// inclusive line ranges.
    pub fn new(file: &SourceFile, lines: impl IntoIterator<Item = (usize, usize)>) -> Excerpt {
        let line_count = file.index.line_count();
        let last = line_count.saturating_sub(1);
        let mut ranges: Vec<(usize, usize)> = lines
            .into_iter()
            .map(|(a, b)| {
                (
                    a.min(b).saturating_sub(MARGIN_LINES).min(last),
                    a.max(b).saturating_add(MARGIN_LINES).min(last),
                )
            })
            .collect();
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (a, b) in ranges {
            match merged.last_mut() {
                Some((_, end)) if a <= end.saturating_add(1) => *end = (*end).max(b),
                _ => merged.push((a, b)),
            }
        }
        let pieces = merged
            .into_iter()
            .map(|(a, b)| {
                let start = file.index.line_start(a);
                let end = if b >= last {
                    file.text.len()
                } else {
                    file.index.line_start(b + 1)
                };
                Piece::new(a, b, start, file.text.get(start..end).unwrap_or(""))
            })
            .collect();
        Excerpt {
            path: file.path.clone(),
            len: file.text.len(),
            line_count,
            pieces,
        }
    }

    /// Adds the lines `other` kept of the same file.
    pub fn absorb(&mut self, other: Excerpt) {
        let mut all: Vec<Piece> = std::mem::take(&mut self.pieces);
        all.extend(other.pieces);
        all.sort_by_key(|p| (p.first_line, std::cmp::Reverse(p.last_line)));
        let mut out: Vec<Piece> = Vec::with_capacity(all.len());
        for p in all {
            match out.last_mut() {
                Some(prev) if p.first_line <= prev.last_line.saturating_add(1) => {
                    if p.last_line > prev.last_line {
                        // The part of `p` after `prev`, from a line start.
                        let from = p.index.line_start(prev.last_line + 1 - p.first_line);
                        let text = format!("{}{}", prev.text, p.text.get(from..).unwrap_or(""));
                        *prev = Piece::new(prev.first_line, p.last_line, prev.start, &text);
                    }
                }
                _ => out.push(p),
            }
        }
        self.pieces = out;
    }

    /// The whole lines from `before` lines above the line of byte `start`
    /// to `after` lines below the line of byte `end`, as the whole file's
    /// line index gives them; `None` when some of them were not kept.
    pub fn window(
        &self,
        start: usize,
        end: usize,
        before: usize,
        after: usize,
    ) -> Option<Window<'_>> {
        let start = start.min(self.len);
        let end = end.min(self.len).max(start);
        let i = self
            .pieces
            .partition_point(|p| p.start <= start)
            .checked_sub(1)?;
        let p = self.pieces.get(i)?;
        let line_of = |offset: usize| -> Option<usize> {
            let local = offset.checked_sub(p.start)?;
            (local <= p.text.len()).then(|| p.first_line + p.index.line_of(local))
        };
        let first_line = line_of(start)?.saturating_sub(before);
        let last_line = (line_of(end.saturating_sub(usize::from(end > start)))? + after)
            .min(self.line_count.saturating_sub(1));
        if first_line < p.first_line || last_line > p.last_line {
            return None;
        }
        let from = p.index.line_start(first_line - p.first_line);
        let to = p
            .index
            .line_end(last_line - p.first_line, &p.text)
            .max(from);
        let column = if before == 0 {
            p.text
                .get(from..start - p.start)
                .map_or(0, |s| s.chars().count())
        } else {
            0
        };
        Some(Window {
            first_line,
            offset: p.start + from,
            text: p.text.get(from..to)?,
            column,
            line_count: self.line_count,
        })
    }

    /// Bytes of text kept.
    pub fn kept_bytes(&self) -> usize {
        self.pieces.iter().map(|p| p.text.len()).sum()
    }
}

impl Piece {
    fn new(first_line: usize, last_line: usize, start: usize, text: &str) -> Piece {
        Piece {
            first_line,
            last_line,
            start,
            index: LineIndex::new(text),
            text: text.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileKind;
    use std::path::PathBuf;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(
            "f.tf".into(),
            PathBuf::from("/f.tf"),
            FileKind::Terraform,
            text.into(),
        )
    }

    /// What the whole file gives, computed as text output did before
    /// excerpts.
    fn whole_window(
        f: &SourceFile,
        start: usize,
        end: usize,
        before: usize,
        after: usize,
    ) -> Window<'_> {
        let text = &f.text;
        let start = start.min(text.len());
        let end = end.min(text.len()).max(start);
        let first_line = f.index.line_of(start).saturating_sub(before);
        let last_line = (f
            .index
            .line_of(end.saturating_sub(usize::from(end > start)))
            + after)
            .min(f.index.line_count().saturating_sub(1));
        let from = f.index.line_start(first_line);
        let to = f.index.line_end(last_line, text).max(from);
        let column = if before == 0 {
            text.get(from..start).map_or(0, |s| s.chars().count())
        } else {
            0
        };
        Window {
            first_line,
            offset: from,
            text: text.get(from..to).unwrap_or(""),
            column,
            line_count: f.index.line_count(),
        }
    }

    fn text_of(lines: usize, eol: &str) -> String {
        (0..lines)
            .map(|i| format!("line é{i} = {i}{eol}"))
            .collect()
    }

    #[test]
    fn windows_near_kept_lines_are_those_of_the_whole_file() {
        for eol in ["\n", "\r\n", "\r"] {
            for tail in ["", "last without newline"] {
                let text = text_of(200, eol) + tail;
                let f = file(&text);
                let kept = [(3, 3), (40, 42), (60, 60), (199, 200)];
                let e = Excerpt::new(&f, kept);
                for &(a, b) in &kept {
                    for (sa, sb) in [(a, a), (a, b)] {
                        let start = f.index.line_start(sa) + 2;
                        let end = f.index.line_end(sb.min(f.index.line_count() - 1), &f.text);
                        for (before, after) in [(0, 0), (1, 1), (0, 1), (6, 6)] {
                            assert_eq!(
                                e.window(start, end, before, after),
                                Some(whole_window(&f, start, end, before, after)),
                                "{eol:?} {tail:?} lines {sa}..{sb} ±{before},{after}"
                            );
                        }
                    }
                }
                assert!(e.kept_bytes() < text.len() / 2);
            }
        }
    }

    #[test]
    fn lines_not_kept_are_not_made_up() {
        let text = text_of(100, "\n");
        let f = file(&text);
        let e = Excerpt::new(&f, [(10, 10)]);
        let far = f.index.line_start(50);
        assert_eq!(e.window(far, far + 1, 1, 1), None);
        let edge = f.index.line_start(10);
        assert_eq!(e.window(edge, edge + 1, MARGIN_LINES + 1, 0), None);
        assert!(
            e.window(edge, edge + 1, MARGIN_LINES, MARGIN_LINES)
                .is_some()
        );
    }

    #[test]
    fn absorbing_unites_the_lines_of_both() {
        let text = text_of(300, "\n");
        let f = file(&text);
        let mut e = Excerpt::new(&f, [(20, 20), (200, 200)]);
        e.absorb(Excerpt::new(&f, [(30, 30), (100, 100), (200, 200)]));
        e.absorb(Excerpt::new(&f, [(25, 25)]));
        assert_eq!(e.pieces.len(), 3, "{:?}", e.pieces);
        for line in [12, 20, 25, 30, 38, 92, 100, 108, 192, 208] {
            let start = f.index.line_start(line);
            assert_eq!(
                e.window(start, start + 3, 0, 0),
                Some(whole_window(&f, start, start + 3, 0, 0)),
                "line {line}"
            );
        }
        let gap = f.index.line_start(150);
        assert_eq!(e.window(gap, gap, 0, 0), None);
    }
}
