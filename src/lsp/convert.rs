//! Between costlint's types (byte spans, paths, findings) and the
//! protocol's (positions in the negotiated encoding, URIs, diagnostics).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location,
    NumberOrString, Position, Range, Uri,
};

use crate::finding::{Finding, Severity};
use crate::rules::codes;
use crate::source::{LineIndex, Span, floor_char_boundary};

/// How `Position.character` counts: UTF-16 code units (the protocol's
/// default) or bytes, when the client offers UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// A text with its line index, for converting positions.
pub struct Text<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
}

impl Text<'_> {
    pub fn position(&self, offset: usize, enc: Encoding) -> Position {
        let (line, character) = match enc {
            Encoding::Utf16 => self.index.utf16_position(offset, self.text),
            Encoding::Utf8 => {
                let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
                let line = self.index.line_of(offset);
                (line, offset - self.index.line_start(line))
            }
        };
        Position::new(saturate(line), saturate(character))
    }

    pub fn range(&self, span: Span, enc: Encoding) -> Range {
        Range::new(self.position(span.start, enc), self.position(span.end, enc))
    }

    /// Byte offset of a position, clamped to its line and to the text.
    pub fn offset(&self, pos: Position, enc: Encoding) -> usize {
        let line = pos.line as usize;
        let col = pos.character as usize;
        match enc {
            Encoding::Utf16 => self.index.offset_of_utf16(line, col, self.text),
            Encoding::Utf8 => self.index.offset_of_byte_col(line, col, self.text),
        }
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The local path of a `file:` URI.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s
        .strip_prefix("file://")
        .or_else(|| s.strip_prefix("FILE://"))?;
    // `file:///p`, `file://localhost/p`; other hosts are not local.
    let path = match rest.find('/') {
        Some(0) => rest,
        Some(i)
            if rest
                .get(..i)
                .is_some_and(|host| host.eq_ignore_ascii_case("localhost")) =>
        {
            rest.get(i..)?
        }
        _ => return None,
    };
    if path.contains(['?', '#']) {
        return None;
    }
    let decoded = percent_decode(path)?;
    // `/c:/x` is a Windows drive path.
    let drive =
        matches!(decoded.as_bytes(), [b'/', letter, b':', ..] if letter.is_ascii_alphabetic());
    let decoded = match decoded.get(1..) {
        Some(rest) if cfg!(windows) && drive => rest.to_owned(),
        _ => decoded,
    };
    Some(crate::terraform::module::normalize(Path::new(&decoded)))
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A `file:` URI for a local path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let s = path.to_str()?.replace('\\', "/");
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=@".contains(&b) {
            out.push(char::from(b));
        } else if b == b':' && out.len() == "file:///".len() + 1 {
            // A drive letter's colon stays as it is.
            out.push(':');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&out).ok()
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Note => DiagnosticSeverity::INFORMATION,
    }
}

/// A finding as the editor shows it. `related` places a secondary
/// location; those it cannot place are left out.
pub fn diagnostic(
    f: &Finding,
    text: &Text<'_>,
    enc: Encoding,
    related: impl Fn(&crate::finding::Label) -> Option<Location>,
) -> lsp_types::Diagnostic {
    let url = crate::rules::by_code(f.code).map(|r| r.meta().url());
    let related: Vec<DiagnosticRelatedInformation> = f
        .related
        .iter()
        .filter_map(|label| {
            Some(DiagnosticRelatedInformation {
                location: related(label)?,
                message: label.message.clone(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range: text.range(f.span, enc),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.code.to_owned())),
        code_description: url
            .and_then(|u| Uri::from_str(&u).ok())
            .map(|href| CodeDescription { href }),
        source: Some("costlint".to_owned()),
        message: f.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: (f.code == codes::UNUSED_SUPPRESSION).then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}

/// Whether `pos` is inside `range`; an empty range covers its own line
/// from its start, so a syntax error at a point can still be hovered.
pub fn contains(range: &Range, pos: Position) -> bool {
    if range.start == range.end {
        return pos.line == range.start.line && pos.character >= range.start.character;
    }
    range.start <= pos && pos <= range.end
}

pub fn overlaps(a: &Range, b: &Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_round_trip() {
        let p = Path::new("/srv/my infra/main ü.tf");
        let uri = path_to_uri(p).unwrap();
        assert_eq!(uri.as_str(), "file:///srv/my%20infra/main%20%C3%BC.tf");
        assert_eq!(uri_to_path(&uri).unwrap(), p);
        let local = Uri::from_str("file://localhost/a/b.tf").unwrap();
        assert_eq!(uri_to_path(&local).unwrap(), Path::new("/a/b.tf"));
        assert_eq!(
            uri_to_path(&Uri::from_str("untitled:Untitled-1").unwrap()),
            None
        );
        assert_eq!(
            uri_to_path(&Uri::from_str("file://server/share/a.tf").unwrap()),
            None
        );
        assert_eq!(
            uri_to_path(&Uri::from_str("file:///a/../b/./c.tf").unwrap()).unwrap(),
            Path::new("/b/c.tf")
        );
    }

    #[test]
    fn positions_in_both_encodings() {
        let s = "a😀b = \"é\"\nz";
        let index = LineIndex::new(s);
        let t = Text {
            text: s,
            index: &index,
        };
        let b = s.find('b').unwrap();
        assert_eq!(t.position(b, Encoding::Utf16), Position::new(0, 3));
        assert_eq!(t.position(b, Encoding::Utf8), Position::new(0, 5));
        assert_eq!(t.offset(Position::new(0, 3), Encoding::Utf16), b);
        assert_eq!(t.offset(Position::new(0, 5), Encoding::Utf8), b);
        // Past the end of a line: its end.
        assert_eq!(
            t.offset(Position::new(0, 99), Encoding::Utf16),
            s.find('\n').unwrap()
        );
        assert_eq!(t.offset(Position::new(9, 0), Encoding::Utf8), s.len());
    }
}
