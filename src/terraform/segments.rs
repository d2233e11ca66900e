//! Parsing a Terraform file one top-level structure at a time, keeping
//! each parsed structure by its text, so that an editor's re-lint after a
//! one-word change parses one block instead of the whole file.
//!
//! A file is cut at the newlines that end a top-level structure. A cut
//! the scanner gets wrong (inside a heredoc, a comment or brackets it
//! misread) leaves the piece before it with an unterminated construct,
//! which fails to parse; any failure parses the whole text instead, so
//! errors and results are exactly those of [`hcl::parse`].

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::ParseError;
use super::ast::{Attribute, Block, Body, Expr, map_spans};
use super::hcl;
use crate::source::Span;

/// Parsed top-level pieces of HCL files, by their text. Shared by the
/// lints of a language-server session; bounded by the bytes of text kept.
pub struct BlockCache {
    inner: Mutex<Inner>,
    budget: usize,
}

#[derive(Default)]
struct Inner {
    pieces: HashMap<Box<str>, Piece>,
    bytes: usize,
    round: u64,
}

impl std::fmt::Debug for BlockCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockCache")
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}

struct Piece {
    /// Spans relative to the start of the piece.
    body: Arc<Body>,
    used: u64,
}

impl BlockCache {
    /// A cache keeping at most about `budget` bytes of source text.
    pub fn new(budget: usize) -> Self {
        BlockCache {
            inner: Mutex::new(Inner::default()),
            budget,
        }
    }

    /// What [`hcl::parse`] returns for `text`, parsing only the pieces not
    /// seen before (in parallel, on the current rayon pool).
    pub fn parse(&self, text: &str) -> Result<Body, ParseError> {
        let Some(pieces) = split(text) else {
            return hcl::parse(text);
        };
        if pieces.len() < 2 {
            return hcl::parse(text);
        }
        let mut parsed: Vec<Option<Arc<Body>>> = Vec::with_capacity(pieces.len());
        {
            let mut inner = self.lock();
            let round = inner.round;
            for range in &pieces {
                let hit = text
                    .get(range.clone())
                    .and_then(|piece| inner.pieces.get_mut(piece));
                parsed.push(hit.map(|hit| {
                    hit.used = round;
                    hit.body.clone()
                }));
            }
        }
        let misses: Vec<(usize, &str)> = pieces
            .iter()
            .zip(&parsed)
            .enumerate()
            .filter(|(_, (_, hit))| hit.is_none())
            .filter_map(|(i, (range, _))| Some((i, text.get(range.clone())?)))
            .collect();
        let fresh: Vec<(usize, &str, Result<Body, ParseError>)> = misses
            .into_par_iter()
            .map(|(i, piece)| (i, piece, hcl::parse(piece)))
            .collect();
        {
            let mut inner = self.lock();
            let round = inner.round;
            for (i, piece, body) in fresh {
                let Ok(body) = body else {
                    return hcl::parse(text);
                };
                let body = Arc::new(body);
                if let Some(slot) = parsed.get_mut(i) {
                    *slot = Some(body.clone());
                }
                if inner.pieces.contains_key(piece) {
                    continue;
                }
                inner.bytes += piece.len();
                inner
                    .pieces
                    .insert(piece.into(), Piece { body, used: round });
            }
        }
        let parsed: Option<Vec<(usize, Arc<Body>)>> = pieces
            .iter()
            .zip(parsed)
            .map(|(range, body)| Some((range.start, body?)))
            .collect();
        parsed
            .and_then(|p| assemble(&p))
            .map_or_else(|| hcl::parse(text), Ok)
    }

    /// Ends a round of parses: pieces not used lately go while the cache
    /// holds more than its budget.
    pub fn end_round(&self) {
        let mut inner = self.lock();
        inner.round += 1;
        if inner.bytes <= self.budget {
            return;
        }
        // The oldest rounds whose pieces, dropped, bring the cache within
        // its budget: found in one sort, dropped in one pass.
        let mut ages: Vec<(u64, usize)> = inner
            .pieces
            .iter()
            .map(|(text, p)| (p.used, text.len()))
            .collect();
        ages.sort_unstable();
        let mut left = inner.bytes;
        let mut newest_dropped = None;
        for (used, len) in ages {
            if left <= self.budget && newest_dropped.is_none_or(|kept| used > kept) {
                break;
            }
            left = left.saturating_sub(len);
            newest_dropped = Some(used);
        }
        let Some(drop_up_to) = newest_dropped else {
            return;
        };
        inner.pieces.retain(|_, p| p.used > drop_up_to);
        inner.bytes = inner.pieces.keys().map(|text| text.len()).sum();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves whole entries behind.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Files smaller than this are parsed whole on one thread.
const PARALLEL_MIN_BYTES: usize = 64 << 10;

/// What [`hcl::parse`] returns for `text`; a big file is cut into runs of
/// top-level structures parsed on the threads of the current rayon pool.
pub fn parse_parallel(text: &str) -> Result<Body, ParseError> {
    let threads = rayon::current_num_threads();
    if text.len() < PARALLEL_MIN_BYTES || threads < 2 {
        return hcl::parse(text);
    }
    let Some(pieces) = split(text) else {
        return hcl::parse(text);
    };
    // A few runs per thread, so that one slow run does not hold the rest.
    let target = (text.len() / (threads * 4)).max(PARALLEL_MIN_BYTES / 4);
    let mut runs: Vec<Range<usize>> = Vec::new();
    for range in pieces {
        match runs.last_mut() {
            Some(run) if run.len() < target => run.end = range.end,
            _ => runs.push(range),
        }
    }
    if runs.len() < 2 {
        return hcl::parse(text);
    }
    let parsed: Result<Vec<(usize, Arc<Body>)>, ()> = runs
        .into_par_iter()
        .map(|run| {
            let piece = text.get(run.clone()).ok_or(())?;
            let body = hcl::parse(piece).map_err(|_| ())?;
            Ok((run.start, Arc::new(body)))
        })
        .collect();
    parsed
        .ok()
        .and_then(|p| assemble(&p))
        .map_or_else(|| hcl::parse(text), Ok)
}

/// One body from pieces parsed alone: `None` when an attribute is defined
/// in two pieces, which parsed whole is an error.
fn assemble(parsed: &[(usize, Arc<Body>)]) -> Option<Body> {
    let mut out = Body::default();
    let mut names = HashSet::new();
    let mut end = 0;
    for (start, body) in parsed {
        for a in &body.attributes {
            if !names.insert(a.name.as_str()) {
                return None;
            }
            let mut a = a.clone();
            shift_attribute(&mut a, *start);
            out.attributes.push(a);
        }
        for b in &body.blocks {
            let mut b = b.clone();
            shift_block(&mut b, *start);
            out.blocks.push(b);
        }
        if !(body.attributes.is_empty() && body.blocks.is_empty()) {
            end = start + body.span.end;
        }
    }
    // The whole file's body spans from its start to the line ending of
    // its last structure.
    out.span = Span::new(0, end);
    Some(out)
}

/// The ranges of `text` that each hold one top-level structure (with the
/// comments and blank lines before it), or `None` when the text has
/// something the scanner does not follow.
fn split(text: &str) -> Option<Vec<Range<usize>>> {
    let b = text.as_bytes();
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    let mut code = false;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'\n' => {
                if depth == 0 && code {
                    pieces.push(start..i + 1);
                    start = i + 1;
                    code = false;
                }
                i += 1;
            }
            b' ' | b'\t' | b'\r' => i += 1,
            b'#' => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'/') => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'*') => i = comment_end(b, i)?,
            _ => {
                code = true;
                match c {
                    b'"' => i = string_end(b, i + 1, 0)?,
                    b'<' if b.get(i + 1) == Some(&b'<') => i = heredoc_end(b, i + 2)?,
                    b'{' | b'[' | b'(' => {
                        depth += 1;
                        i += 1;
                    }
                    b'}' | b']' | b')' => {
                        depth = depth.checked_sub(1)?;
                        i += 1;
                    }
                    _ => i += 1,
                }
            }
        }
    }
    if depth != 0 {
        return None;
    }
    // Comments and blank lines at the end go with the last structure.
    match pieces.last_mut() {
        Some(last) if !code => last.end = b.len(),
        _ if start < b.len() => pieces.push(start..b.len()),
        _ => {}
    }
    Some(pieces)
}

/// Nested strings inside interpolations deeper than this are left to the
/// parser (and its own bound).
const MAX_NESTING: usize = 32;

fn line_end(b: &[u8], from: usize) -> usize {
    memchr::memchr(b'\n', b.get(from..).unwrap_or_default()).map_or(b.len(), |n| from + n)
}

fn comment_end(b: &[u8], from: usize) -> Option<usize> {
    let rest = b.get(from + 2..)?;
    memchr::memmem::find(rest, b"*/").map(|n| from + 2 + n + 2)
}

/// After the opening quote at `from - 1`: the index after the closing one.
fn string_end(b: &[u8], mut i: usize, nesting: usize) -> Option<usize> {
    loop {
        match *b.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => {
                if b.get(i + 1) == Some(&b'\n') {
                    return None;
                }
                i += 2;
            }
            b'\n' => return None,
            b'$' | b'%' => i = template_escape_or_interp(b, i, nesting, false)?,
            _ => i += 1,
        }
    }
}

/// At a `$` or `%`: past `$${`/`%%{` escapes, past a `${…}`/`%{…}`
/// interpolation (on one line when `one_line`), or past the character.
fn template_escape_or_interp(b: &[u8], i: usize, nesting: usize, one_line: bool) -> Option<usize> {
    let c = *b.get(i)?;
    match (b.get(i + 1), b.get(i + 2)) {
        (Some(&d), Some(b'{')) if d == c => Some(i + 3),
        (Some(b'{'), _) => interp_end(b, i + 2, nesting + 1, one_line),
        _ => Some(i + 1),
    }
}

/// Inside `${`: the index after the matching `}`.
fn interp_end(b: &[u8], mut i: usize, nesting: usize, one_line: bool) -> Option<usize> {
    if nesting > MAX_NESTING {
        return None;
    }
    let mut depth = 0usize;
    loop {
        match *b.get(i)? {
            b'\n' if one_line => return None,
            b'"' => i = string_end(b, i + 1, nesting)?,
            b'#' => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'/') => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'*') => i = comment_end(b, i)?,
            b'<' if b.get(i + 1) == Some(&b'<') => return None,
            b'{' | b'[' | b'(' => {
                depth += 1;
                i += 1;
            }
            b'}' if depth == 0 => return Some(i + 1),
            b'}' | b']' | b')' => {
                depth = depth.checked_sub(1)?;
                i += 1;
            }
            _ => i += 1,
        }
    }
}

fn is_ident_byte(c: u8) -> bool {
    // Non-ASCII counts: Unicode letters continue an identifier.
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c >= 0x80
}

/// After `<<`: the index after the closing delimiter of the heredoc.
fn heredoc_end(b: &[u8], mut i: usize) -> Option<usize> {
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    let name_start = i;
    while b.get(i).is_some_and(|&c| is_ident_byte(c)) {
        i += 1;
    }
    let delim = b.get(name_start..i).filter(|d| !d.is_empty())?;
    if b.get(i) == Some(&b'\r') {
        i += 1;
    }
    if b.get(i) != Some(&b'\n') {
        return None;
    }
    i += 1;
    loop {
        // At the start of a content line.
        let mut j = i;
        while matches!(b.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        if b.get(j..j + delim.len()) == Some(delim)
            && !b.get(j + delim.len()).is_some_and(|&c| is_ident_byte(c))
        {
            return Some(j + delim.len());
        }
        loop {
            match *b.get(i)? {
                b'\n' => {
                    i += 1;
                    break;
                }
                b'$' | b'%' => i = template_escape_or_interp(b, i, 0, true)?,
                _ => i += 1,
            }
        }
    }
}

fn shift_attribute(a: &mut Attribute, by: usize) {
    a.span = a.span.shift(by);
    a.name_span = a.name_span.shift(by);
    shift_expr(&mut a.expr, by);
}

fn shift_block(b: &mut Block, by: usize) {
    b.span = b.span.shift(by);
    b.ident_span = b.ident_span.shift(by);
    for (_, s) in &mut b.labels {
        *s = s.shift(by);
    }
    shift_body(&mut b.body, by);
}

fn shift_body(body: &mut Body, by: usize) {
    body.span = body.span.shift(by);
    for a in &mut body.attributes {
        shift_attribute(a, by);
    }
    for b in &mut body.blocks {
        shift_block(b, by);
    }
}

fn shift_expr(e: &mut Expr, by: usize) {
    map_spans(e, &|s| s.shift(by));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the text was parsed in pieces, not whole.
    fn same_as_whole(text: &str) -> bool {
        let cache = BlockCache::new(1 << 20);
        let whole = hcl::parse(text);
        // Twice: parsed, then from the cache.
        for _ in 0..2 {
            assert_eq!(cache.parse(text), whole, "{text:?}");
            cache.end_round();
        }
        let in_pieces = !cache.lock().pieces.is_empty();
        if whole.is_ok() && split(text).is_some_and(|p| p.len() > 1) {
            assert!(in_pieces, "{text:?}");
        }
        in_pieces
    }

    #[test]
    fn pieces_are_top_level_structures_with_what_precedes_them() {
        let text = "# a\nresource \"x\" \"y\" {\n  a = \"}\"\n}\n\nlocals {\n  b = [\n1]\n}\nz = 1";
        let pieces: Vec<&str> = split(text)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|r| text.get(r))
            .collect();
        assert_eq!(
            pieces,
            [
                "# a\nresource \"x\" \"y\" {\n  a = \"}\"\n}\n",
                "\nlocals {\n  b = [\n1]\n}\n",
                "z = 1"
            ]
        );
    }

    #[test]
    fn what_the_scanner_does_not_follow_is_not_split() {
        for text in [
            "a = \"unterminated\n",
            "a = {\n",
            "}\n",
            "a = <<EOF\nno end\n",
            "a = /* open\n",
            "a = <<EOF\n${\nb}\nEOF\n",
        ] {
            assert_eq!(split(text), None, "{text:?}");
        }
    }

    #[test]
    fn pieces_parse_to_what_the_whole_file_parses_to() {
        for text in [
            "",
            "\n\n# only a comment\n",
            "resource \"a\" \"b\" {\n  x = 1\n}\nresource \"a\" \"c\" {\n  y = \"${var.z}\"\n}\n",
            "locals {\n  s = <<-EOT\n    }\n    ${local.x}\n    EOT\n}\noutput \"o\" {\n  value = 1\n}\n",
            "a = jsonencode(<<EOF\n{\"k\": \"}\"}\nEOF\n)\nb = 2\n",
            "x = \"$${literal} %%{also} ${f(\"}\")}\"\n/* }\n*/\ny = 1 // }\nz = 2 # {\n",
            "resource \"a\" \"b\" {\n}\n\n\n   \n",
            "\u{feff}resource \"a\" \"b\" {\r\n  x = 1\r\n}\r\nresource \"a\" \"c\" {}\r\n",
            // Errors come from the whole text.
            "a = 1\na = 2\n",
            "resource \"a\" \"b\" {\n  x = \n}\nresource \"a\" \"c\" {}\n",
            "resource \"a\" \"b\" {\n}\n}\nresource \"a\" \"c\" {}\n",
            "a = <<EOF\nx\nEOFX\nEOF\nb = 1\n",
        ] {
            same_as_whole(text);
        }
    }

    /// Every file of the rule fixtures and examples, and every one-byte
    /// deletion and insertion of a brace, quote or newline in some of
    /// them: whatever the text, the pieces give the whole file's result.
    #[test]
    fn pieces_of_fixtures_and_their_mutations_parse_as_the_whole() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["tests/fixtures", "examples", "rules"] {
            collect_tf(&root.join(dir), &mut files);
        }
        assert!(files.len() > 20, "{} files", files.len());
        let mut mutated = 0;
        let mut in_pieces = 0;
        for (n, path) in files.iter().enumerate() {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            in_pieces += usize::from(same_as_whole(&text));
            if n % 4 != 0 {
                continue;
            }
            // A cache shared by the mutations, as in an editor.
            let cache = BlockCache::new(1 << 20);
            let step = (text.len() / 60).max(1);
            for at in (0..text.len()).step_by(step) {
                if !text.is_char_boundary(at) {
                    continue;
                }
                let mut deleted = text.clone();
                if deleted.is_char_boundary(at + 1) {
                    deleted.replace_range(at..at + 1, "");
                }
                let variants = ["{", "}", "\"", "\n", "<<EOF\n", "/*", "${"]
                    .into_iter()
                    .map(|ins| {
                        let mut t = text.clone();
                        t.insert_str(at, ins);
                        t
                    })
                    .chain(std::iter::once(deleted));
                for t in variants {
                    assert_eq!(cache.parse(&t), hcl::parse(&t), "{}: {t:?}", path.display());
                    mutated += 1;
                }
                cache.end_round();
            }
        }
        assert!(mutated > 1000, "{mutated} mutations");
        assert!(
            in_pieces * 2 > files.len(),
            "{in_pieces} of {}",
            files.len()
        );
    }

    fn collect_tf(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                collect_tf(&p, out);
            } else if p.extension().is_some_and(|e| e == "tf") {
                out.push(p);
            }
        }
    }

    #[test]
    fn a_big_file_parsed_on_several_threads_is_the_file_parsed_whole() {
        let block = |i: usize| {
            format!(
                "resource \"aws_instance\" \"i{i}\" {{\n  ami = \"ami-{i}\"\n  tags = merge(local.t, {{\n    Name = \"${{var.p}}-{i}\"\n  }})\n  user_data = <<-EOF\n    #!/bin/sh\n    echo {i} }}\n    EOF\n}}\n\n"
            )
        };
        let text: String = (0..1200).map(block).collect();
        assert!(text.len() > 2 * PARALLEL_MIN_BYTES);
        assert_eq!(split(&text).map(|p| p.len()), Some(1200));
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("pool");
        let whole = hcl::parse(&text);
        assert!(whole.is_ok());
        assert_eq!(pool.install(|| parse_parallel(&text)), whole);
        // An error near the end, and an attribute defined in the first
        // run and again in the last: errors of the whole file.
        for bad in [
            format!("{text}resource \"x\" \"y\" {{\n  a = \n}}\n"),
            format!("a = 1\n{text}a = 2\n"),
        ] {
            let whole = hcl::parse(&bad);
            assert!(whole.is_err());
            assert_eq!(pool.install(|| parse_parallel(&bad)), whole);
        }
    }

    #[test]
    fn the_cache_keeps_to_its_budget_dropping_what_was_used_longest_ago() {
        let cache = BlockCache::new(40);
        let a = "resource \"a\" \"b\" {\n  x = 1\n}\n";
        let b = "resource \"a\" \"c\" {\n  x = 2\n}\n";
        cache.parse(&format!("{a}{b}")).ok();
        cache.end_round();
        cache.parse(&format!("{b}{b}")).ok();
        cache.end_round();
        {
            let inner = cache.lock();
            assert!(inner.bytes <= 40, "{}", inner.bytes);
            assert!(inner.pieces.contains_key(b));
            assert!(!inner.pieces.contains_key(a));
        }
        // Rounds of two new pieces of 31 bytes each, for a budget of 100:
        // an older round goes whole once the cache is over its budget.
        let cache = BlockCache::new(100);
        let piece = |i: usize| format!("resource \"a\" \"{i:03}\" {{\n  x = 1\n}}\n");
        for round in 0..20 {
            let (p, q) = (piece(2 * round), piece(2 * round + 1));
            assert_eq!(p.len(), 31);
            let text = format!("{p}{q}");
            assert_eq!(cache.parse(&text), hcl::parse(&text));
            cache.end_round();
            let inner = cache.lock();
            let mut kept: Vec<&str> = inner.pieces.keys().map(|k| &**k).collect();
            kept.sort_unstable();
            assert_eq!(kept, [p.as_str(), q.as_str()]);
            assert_eq!(inner.bytes, 62);
        }
    }
}
