use std::sync::{Arc, OnceLock};

use super::Span;

/// Line starts of one text, computed once, so that every position lookup is a
/// binary search rather than a scan from the start of the file. A lazy index
/// (what every [`SourceFile`](super::SourceFile) has) is computed on first
/// use: most files of a run never need a position.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: OnceLock<Vec<usize>>,
    /// The text of a lazy index, until it is computed and after.
    text: Option<Arc<str>>,
    len: usize,
}

/// A 1-based line and column. Columns count Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        LineIndex {
            starts: OnceLock::from(line_starts(text)),
            text: None,
            len: text.len(),
        }
    }

    /// An index computed on first use.
    pub fn lazy(text: Arc<str>) -> Self {
        LineIndex {
            starts: OnceLock::new(),
            len: text.len(),
            text: Some(text),
        }
    }

    fn starts(&self) -> &[usize] {
        self.starts
            .get_or_init(|| self.text.as_deref().map(line_starts).unwrap_or_default())
    }

    pub fn line_count(&self) -> usize {
        self.starts().len()
    }

    /// 0-based line containing `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.starts().binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// Byte offset where 0-based `line` starts (clamped to the end of the text).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts().get(line).copied().unwrap_or(self.len)
    }

    /// Byte offset just past the end of 0-based `line`, excluding its line break.
    pub fn line_end(&self, line: usize, text: &str) -> usize {
        let next = self.starts().get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        let mut end = next;
        if end > 0 && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > 0 && bytes.get(end - 1) == Some(&b'\r') && end > self.line_start(line) {
            end -= 1;
        }
        end.max(self.line_start(line))
    }

    /// Text of 0-based `line` without its line break.
    pub fn line_text<'t>(&self, line: usize, text: &'t str) -> &'t str {
        let start = self.line_start(line);
        let end = self.line_end(line, text);
        text.get(start..end).unwrap_or("")
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize, text: &str) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let column = text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// 0-based line and UTF-16 column of a byte offset (the LSP default, and
    /// SARIF's `utf16CodeUnits`).
    pub fn utf16_position(&self, offset: usize, text: &str) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let col = text
            .get(start..offset)
            .map_or(0, |s| s.chars().map(char::len_utf16).sum());
        (line, col)
    }

    /// Inverse of [`utf16_position`](Self::utf16_position), clamped to the line.
    pub fn offset_of_utf16(&self, line: usize, col: usize, text: &str) -> usize {
        if line >= self.starts().len() {
            return text.len();
        }
        let start = self.line_start(line);
        let end = self.line_end(line, text);
        let mut units = 0;
        for (i, c) in text.get(start..end).unwrap_or("").char_indices() {
            if units >= col {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }

    /// Byte offset of a 0-based line and byte column, clamped to the line.
    pub fn offset_of_byte_col(&self, line: usize, col: usize, text: &str) -> usize {
        if line >= self.starts().len() {
            return text.len();
        }
        let start = self.line_start(line);
        let end = self.line_end(line, text);
        floor_char_boundary(text, (start + col).min(end))
    }

    /// Start and end positions of a span.
    pub fn range(&self, span: Span, text: &str) -> (Position, Position) {
        (
            self.position(span.start, text),
            self.position(span.end, text),
        )
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = Vec::with_capacity(text.len() / 32 + 1);
    starts.push(0);
    // memchr's vectorised search, where a byte loop was 1% of a run.
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes.get(i) == Some(&b'\n') || bytes.get(i + 1) != Some(&b'\n') {
            starts.push(i + 1);
        }
    }
    starts
}

pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    if offset >= text.len() {
        return text.len();
    }
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_in_chars() {
        let text = "ab\nçd\r\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        assert_eq!(idx.position(0, text), Position { line: 1, column: 1 });
        assert_eq!(idx.position(3, text), Position { line: 2, column: 1 });
        // 'd' follows a two-byte character
        assert_eq!(idx.position(5, text), Position { line: 2, column: 2 });
        assert_eq!(idx.position(8, text), Position { line: 3, column: 1 });
        assert_eq!(idx.line_text(1, text), "çd");
    }

    #[test]
    fn utf16_roundtrip() {
        let text = "a😀b\nz";
        let idx = LineIndex::new(text);
        assert_eq!(idx.utf16_position(5, text), (0, 3));
        assert_eq!(idx.offset_of_utf16(0, 3, text), 5);
        assert_eq!(idx.offset_of_utf16(0, 99, text), 6);
        assert_eq!(idx.offset_of_utf16(1, 0, text), 7);
    }

    #[test]
    fn lone_cr_is_a_line_break() {
        let text = "a\rb";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(2, text).line, 2);
    }

    #[test]
    fn line_breaks_are_lf_crlf_and_lone_cr() {
        assert_eq!(line_starts("\r\r\n\n\ra\r\n"), [0, 1, 3, 4, 5, 8]);
        assert_eq!(line_starts("x\r"), [0, 2]);
        assert_eq!(line_starts(""), [0]);
    }
}
