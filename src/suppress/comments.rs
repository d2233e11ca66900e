//! Finds comments without a full parse, so suppressions are read even from
//! a file that does not parse, and never from inside strings or heredocs.

use crate::source::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The comment including its marker.
    pub span: Span,
    /// Text after the marker.
    pub body: String,
    /// Nothing but whitespace before it on its line.
    pub own_line: bool,
}

/// Finds the start of the line holding an offset. Asked in increasing
/// order, as the scanners do, it reads the text once: searching back from
/// every comment would be quadratic on a long line full of them.
struct LineStarts<'t> {
    bytes: &'t [u8],
    pos: usize,
    start: usize,
}

impl<'t> LineStarts<'t> {
    fn new(text: &'t str) -> Self {
        LineStarts {
            bytes: text.as_bytes(),
            pos: 0,
            start: 0,
        }
    }

    fn of(&mut self, at: usize) -> usize {
        if at < self.pos {
            self.pos = 0;
            self.start = 0;
        }
        while self.pos < at {
            if matches!(self.bytes.get(self.pos), Some(b'\n' | b'\r')) {
                self.start = self.pos + 1;
            }
            self.pos += 1;
        }
        self.start
    }
}

fn push(
    out: &mut Vec<Comment>,
    text: &str,
    lines: &mut LineStarts<'_>,
    start: usize,
    body_start: usize,
    end: usize,
) {
    let line_start = lines.of(start);
    out.push(Comment {
        span: Span::new(start, end),
        body: text.get(body_start..end).unwrap_or("").to_owned(),
        own_line: text
            .get(line_start..start)
            .is_some_and(|before| before.trim().is_empty()),
    });
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes
        .get(from..)
        .unwrap_or_default()
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |p| from + p)
}

/// HCL comments: `#`, `//` and `/* */`, outside strings, interpolations
/// and heredocs.
pub fn hcl(text: &str) -> Vec<Comment> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Code,
        Str,
    }
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut lines = LineStarts::new(text);
    // Each entry: a string, or an interpolation with its brace depth.
    let mut stack: Vec<(Mode, usize)> = vec![(Mode::Code, 0)];
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let (mode, depth) = *stack.last().unwrap_or(&(Mode::Code, 0));
        match mode {
            Mode::Str => match b {
                b'\\' => i += 1,
                b'"' => {
                    stack.pop();
                }
                // `$${` and `%%{` are escapes, not interpolations.
                b'$' | b'%'
                    if bytes.get(i + 1) == Some(&b'{')
                        && bytes.get(i.wrapping_sub(1)) != Some(&b) =>
                {
                    stack.push((Mode::Code, 0));
                    i += 1;
                }
                b'\n' => {
                    // An unterminated string ends at the line.
                    stack.pop();
                }
                _ => {}
            },
            Mode::Code => match b {
                b'"' => stack.push((Mode::Str, 0)),
                b'{' => {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                }
                b'}' => {
                    if depth == 0 && stack.len() > 1 {
                        stack.pop();
                    } else if let Some(top) = stack.last_mut() {
                        top.1 = top.1.saturating_sub(1);
                    }
                }
                b'#' => {
                    let end = line_end(bytes, i);
                    push(&mut out, text, &mut lines, i, i + 1, end);
                    i = end;
                    continue;
                }
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    let end = line_end(bytes, i);
                    push(&mut out, text, &mut lines, i, i + 2, end);
                    i = end;
                    continue;
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    let end = text
                        .get(i + 2..)
                        .and_then(|t| t.find("*/"))
                        .map_or(bytes.len(), |p| i + 2 + p);
                    push(&mut out, text, &mut lines, i, i + 2, end);
                    i = (end + 2).min(bytes.len());
                    continue;
                }
                b'<' if bytes.get(i + 1) == Some(&b'<') && stack.len() == 1 => {
                    if let Some(after) = skip_heredoc(text, i) {
                        i = after;
                        continue;
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    out
}

/// Skips a heredoc starting at `<<`; returns the offset after it.
fn skip_heredoc(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at + 2..)?;
    let rest_trim = rest.strip_prefix('-').unwrap_or(rest);
    let ident_len = rest_trim
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    if ident_len == 0 {
        return None;
    }
    let ident = rest_trim.get(..ident_len)?;
    let after_ident = at + 2 + (rest.len() - rest_trim.len()) + ident_len;
    // The line break must follow the identifier: looking further for one
    // would make a long line of `<<A` quadratic.
    let to_nl = text
        .get(after_ident..)?
        .bytes()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\r'))?;
    if text.as_bytes().get(after_ident + to_nl) != Some(&b'\n') {
        return None;
    }
    let first_nl = after_ident + to_nl + 1;
    let mut pos = first_nl;
    while pos < text.len() {
        let end = text
            .get(pos..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |p| pos + p);
        if text.get(pos..end).is_some_and(|line| line.trim() == ident) {
            return Some(end);
        }
        pos = end + 1;
    }
    Some(text.len())
}

/// YAML comments: `#` at a line start or after whitespace, outside quoted
/// and block scalars.
pub fn yaml(text: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut lines = LineStarts::new(text);
    let mut block_parent_indent: Option<usize> = None;
    let mut offset = 0;
    for raw_line in text.split_inclusive('\n') {
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(parent) = block_parent_indent {
            if blank || indent > parent {
                offset += raw_line.len();
                continue;
            }
            block_parent_indent = None;
        }
        let bytes = line.as_bytes();
        let mut quote: Option<u8> = None;
        let mut i = 0;
        let mut comment_at = None;
        let after_blank = |i: usize| {
            i.checked_sub(1)
                .and_then(|j| bytes.get(j))
                .is_none_or(|b| matches!(b, b' ' | b'\t'))
        };
        while let Some(&b) = bytes.get(i) {
            match quote {
                Some(b'"') if b == b'\\' => i += 1,
                Some(q) if b == q => {
                    if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 1;
                    } else {
                        quote = None;
                    }
                }
                Some(_) => {}
                None => match b {
                    b'"' | b'\''
                        if i.checked_sub(1).and_then(|j| bytes.get(j)).is_none_or(|b| {
                            matches!(b, b' ' | b'\t' | b'[' | b'{' | b',' | b':' | b'-')
                        }) =>
                    {
                        quote = Some(b)
                    }
                    b'#' if after_blank(i) => {
                        comment_at = Some(i);
                        break;
                    }
                    _ => {}
                },
            }
            i += 1;
        }
        let code_part = line.get(..comment_at.unwrap_or(line.len())).unwrap_or(line);
        if let Some(c) = comment_at {
            push(
                &mut out,
                text,
                &mut lines,
                offset + c,
                offset + c + 1,
                offset + line.len(),
            );
        }
        let code = code_part.trim_end();
        if code.ends_with(['|', '>'])
            || code
                .rsplit_once(' ')
                .is_some_and(|(_, ind)| ind.starts_with(['|', '>']) && ind.len() <= 3)
        {
            block_parent_indent = Some(indent);
        }
        offset += raw_line.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(c: Vec<Comment>) -> Vec<String> {
        c.into_iter().map(|c| c.body.trim().to_owned()).collect()
    }

    #[test]
    fn hcl_comments_not_in_strings() {
        let text = "a = \"# not\" # yes\n// two\nb = \"${x} // no\" /* three */\nc = <<EOT\n# heredoc\nEOT\n# four\n";
        assert_eq!(bodies(hcl(text)), ["yes", "two", "three", "four"]);
        let c = hcl(text);
        assert!(!c[0].own_line && c[1].own_line);
    }

    #[test]
    fn long_lines_of_comments_and_heredoc_markers_are_linear() {
        // Searching back to the line start from every comment, and forward
        // for a line break after every `<<A`, were quadratic: minutes here.
        let text = "/**/".repeat(250_000);
        assert_eq!(hcl(&text).len(), 250_000);
        assert!(hcl(&"x = <<A ".repeat(250_000)).is_empty());
        let text = "a = <<EOT\n# in the heredoc\nEOT\n# after\n";
        assert_eq!(bodies(hcl(text)), ["after"]);
    }

    #[test]
    fn yaml_comments_not_in_scalars() {
        let text =
            "a: \"x # no\"\nb: 'it''s # no' # yes\nc: |\n  # literal\n  text\n# top\nd: e#f\n";
        assert_eq!(bodies(yaml(text)), ["yes", "top"]);
    }
}
