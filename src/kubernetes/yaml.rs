//! A YAML loader over `saphyr-parser` events that keeps byte spans on every
//! node, expands `<<` merge keys, and bounds alias expansion and nesting so a
//! hostile file cannot exhaust memory or the stack.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use crate::source::Span;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Plain scalars keep their text; `plain` tells quoted from unquoted.
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub root: Node,
    /// From the document's first token to its last.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub offset: usize,
    pub message: String,
}

/// Limits against hostile input.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_depth: usize,
    /// Nodes that aliases may add, per file, on top of the nodes written out.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 256,
            max_alias_nodes: 100_000,
        }
    }
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// A scalar that YAML 1.2 reads as null (`~`, `null`, or nothing).
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, plain: true } if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Scalar { text, plain: true } => match text.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match &self.value {
            Value::Scalar { text, plain: true } => text.parse().ok(),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value under a string key, and the key node.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(k, v)| (k, v))
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// Follows a path of map keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        let mut node = self;
        for key in keys {
            node = node.get(key)?;
        }
        Some(node)
    }

    fn count(&self) -> usize {
        match &self.value {
            Value::Scalar { .. } => 1,
            Value::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            Value::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|(k, v)| k.count() + v.count())
                    .sum::<usize>()
            }
        }
    }
}

/// Converts saphyr's character indices to byte offsets. Events arrive in
/// order, so a moving cursor makes the conversion linear overall.
struct Offsets<'t> {
    text: &'t str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'t> Offsets<'t> {
    fn new(text: &'t str) -> Self {
        Offsets {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index < self.chars {
            self.chars = 0;
            self.bytes = 0;
        }
        let rest = self.text.get(self.bytes..).unwrap_or("");
        for (i, _) in rest.char_indices() {
            if self.chars == char_index {
                self.bytes += i;
                return self.bytes;
            }
            self.chars += 1;
        }
        self.bytes = self.text.len();
        self.bytes
    }

    fn span(&mut self, span: &saphyr_parser::Span) -> Span {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index());
        Span::new(start, end)
    }
}

enum Frame {
    Seq {
        anchor: usize,
        start: usize,
        items: Vec<Node>,
    },
    Map {
        anchor: usize,
        start: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

/// [`load`] of the documents in each of `ranges` of `text` alone, with
/// spans and error offsets into the whole of `text`, so a caller that
/// wants a few documents of a long stream parses just those. The alias
/// budget is shared by the ranges, as it is by the documents of one file.
pub fn load_ranges(
    text: &str,
    ranges: &[std::ops::Range<usize>],
    limits: Limits,
) -> (Vec<Document>, Option<YamlError>) {
    let (docs, error, _) = load_ranges_counted(text, ranges, limits);
    (docs, error)
}

/// [`load_ranges`], and how many alias nodes the documents expanded.
pub fn load_ranges_counted(
    text: &str,
    ranges: &[std::ops::Range<usize>],
    limits: Limits,
) -> (Vec<Document>, Option<YamlError>, usize) {
    let mut budget = limits.max_alias_nodes;
    let (docs, error) = load_ranges_with(text, ranges, limits, &mut budget);
    (docs, error, limits.max_alias_nodes.saturating_sub(budget))
}

fn load_ranges_with(
    text: &str,
    ranges: &[std::ops::Range<usize>],
    limits: Limits,
    budget: &mut usize,
) -> (Vec<Document>, Option<YamlError>) {
    let mut docs = Vec::new();
    for range in ranges {
        let Some(part) = text.get(range.clone()) else {
            continue;
        };
        let first = docs.len();
        let error = load_with_budget(part, limits, budget, &mut docs);
        for doc in docs.get_mut(first..).into_iter().flatten() {
            doc.span = doc.span.shift(range.start);
            shift(&mut doc.root, range.start);
        }
        if let Some(mut e) = error {
            e.offset += range.start;
            return (docs, Some(e));
        }
    }
    (docs, None)
}

fn shift(node: &mut Node, by: usize) {
    // Iterative: nesting is bounded by `Limits`, but a stack costs nothing.
    let mut todo = vec![node];
    while let Some(node) = todo.pop() {
        node.span = node.span.shift(by);
        match &mut node.value {
            Value::Scalar { .. } => {}
            Value::Seq(items) => todo.extend(items.iter_mut()),
            Value::Map(entries) => {
                for (k, v) in entries {
                    todo.push(k);
                    todo.push(v);
                }
            }
        }
    }
}

/// Parses every document of a YAML stream. On a syntax error, returns the
/// documents completed before it along with the error.
pub fn load(text: &str, limits: Limits) -> (Vec<Document>, Option<YamlError>) {
    let mut docs = Vec::new();
    let mut budget = limits.max_alias_nodes;
    let error = load_with_budget(text, limits, &mut budget, &mut docs);
    (docs, error)
}

/// Layouts go-yaml (and so `kubectl`) and libyaml accept but a strict YAML
/// 1.2 scanner rejects are read after a repair of the text that keeps every
/// byte offset, so spans stay exact; at most this many per stream.
const MAX_REPAIRS: usize = 16;

fn load_with_budget(
    text: &str,
    limits: Limits,
    alias_budget: &mut usize,
    docs: &mut Vec<Document>,
) -> Option<YamlError> {
    let (first_doc, budget) = (docs.len(), *alias_budget);
    let mut error = load_once(text, limits, alias_budget, docs)?;
    let mut repaired: Option<String> = None;
    for _ in 0..MAX_REPAIRS {
        let current = repaired.as_deref().unwrap_or(text);
        let Some(next) = repair(current, &error) else {
            return Some(error);
        };
        docs.truncate(first_doc);
        *alias_budget = budget;
        match load_once(&next, limits, alias_budget, docs) {
            None => return None,
            Some(e) => error = e,
        }
        repaired = Some(next);
    }
    Some(error)
}

/// The text with the layout `error` points at rewritten, byte for byte
/// the same length and lines, or `None` when it is a real error:
/// - a flow collection's closing bracket less indented than its parent
///   block (`args: [` … `]` under `args`) moves to the end of the line
///   before it;
/// - a multi-line quoted scalar whose continuation lines are less
///   indented than its block gets its line breaks as spaces (the value
///   folds them to spaces anyway, and keeps a little more whitespace).
fn repair(text: &str, error: &YamlError) -> Option<String> {
    let bytes = text.as_bytes();
    let at = error.offset;
    match error.message.as_str() {
        "invalid indentation" if matches!(bytes.get(at), Some(b']' | b'}')) => {
            let line_start = text.get(..at)?.rfind('\n')? + 1;
            if !bytes.get(line_start..at)?.iter().all(|b| *b == b' ') {
                return None;
            }
            // The end of the line before, before its `\r` if any.
            let mut end = line_start - 1;
            if end > 0 && bytes.get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
            let prev_start = text.get(..end)?.rfind('\n').map_or(0, |i| i + 1);
            let prev = text.get(prev_start..end)?;
            // A comment would swallow the bracket; a blank line has no end
            // to put it at.
            if prev.trim().is_empty() || prev.contains('#') {
                return None;
            }
            let mut out = String::with_capacity(text.len());
            out.push_str(text.get(..end)?);
            out.push_str(text.get(at..at + 1)?);
            out.push_str(text.get(end..at)?);
            out.push_str(text.get(at + 1..)?);
            Some(out)
        }
        "invalid indentation in quoted scalar" => {
            let quote = *bytes.get(at)?;
            if quote != b'\'' && quote != b'"' {
                return None;
            }
            let mut out = bytes.to_vec();
            let mut i = at + 1;
            loop {
                match *bytes.get(i)? {
                    b'\\' if quote == b'"' => i += 1,
                    b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
                    b if b == quote => break,
                    b'\n' | b'\r' => {
                        if let Some(c) = out.get_mut(i) {
                            *c = b' ';
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            String::from_utf8(out).ok()
        }
        _ => None,
    }
}

fn load_once(
    text: &str,
    limits: Limits,
    alias_budget: &mut usize,
    docs: &mut Vec<Document>,
) -> Option<YamlError> {
    let mut offsets = Offsets::new(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Node, usize)> = HashMap::new();
    let mut doc_start = 0;
    let mut root: Option<Node> = None;

    for event in Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(ev) => ev,
            Err(err) => return Some(scan_error(&err, &mut offsets)),
        };
        let span = offsets.span(&span);
        let completed = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => None,
            Event::DocumentStart(_) => {
                doc_start = span.start;
                anchors.clear();
                root = None;
                None
            }
            Event::DocumentEnd => {
                // An empty document (`---` and comments) has a null root.
                if let Some(root) = root.take().filter(|r| !r.is_null()) {
                    let end = trim_end(text, span.start.max(root.span.end));
                    let start = doc_start.min(root.span.start);
                    docs.push(Document {
                        root,
                        span: Span::new(start, end),
                    });
                }
                None
            }
            Event::Scalar(value, style, anchor, _tag) => {
                let node = Node {
                    value: Value::Scalar {
                        text: value.into_owned(),
                        plain: matches!(style, ScalarStyle::Plain),
                    },
                    span,
                };
                if anchor > 0 {
                    anchors.insert(anchor, (node.clone(), 1));
                }
                Some(node)
            }
            Event::Alias(id) => {
                let Some((node, count)) = anchors.get(&id) else {
                    return Some(error_at(span.start, "alias refers to an unknown anchor"));
                };
                if *count > *alias_budget {
                    return Some(error_at(
                        span.start,
                        &format!(
                            "YAML aliases expand to more than {} nodes (limits.max-alias-expansion, against alias bombs)",
                            limits.max_alias_nodes
                        ),
                    ));
                }
                *alias_budget -= count;
                let mut node = node.clone();
                node.span = span;
                Some(node)
            }
            Event::SequenceStart(anchor, _) => {
                if stack.len() >= limits.max_depth {
                    return Some(too_deep(span.start, limits));
                }
                stack.push(Frame::Seq {
                    anchor,
                    start: span.start,
                    items: Vec::new(),
                });
                None
            }
            Event::MappingStart(anchor, _) => {
                if stack.len() >= limits.max_depth {
                    return Some(too_deep(span.start, limits));
                }
                stack.push(Frame::Map {
                    anchor,
                    start: span.start,
                    entries: Vec::new(),
                    key: None,
                });
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq {
                    anchor,
                    start,
                    items,
                }) => {
                    let end = trim_end(
                        text,
                        span.end.max(items.last().map_or(start, |n| n.span.end)),
                    );
                    let node = Node {
                        value: Value::Seq(items),
                        span: Span::new(start, end),
                    };
                    remember(&mut anchors, anchor, &node);
                    Some(node)
                }
                _ => return Some(error_at(span.start, "unbalanced sequence end")),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map {
                    anchor,
                    start,
                    entries,
                    ..
                }) => {
                    if let Some(key) = duplicate_key(&entries) {
                        return Some(error_at(
                            key.span.start,
                            &format!(
                                "duplicate mapping key `{}` (Kubernetes rejects it; which value applies is unknown)",
                                key.as_str().unwrap_or("")
                            ),
                        ));
                    }
                    let last = entries.last().map_or(start, |(_, v)| v.span.end);
                    let end = trim_end(text, span.end.max(last)).max(last);
                    let node = Node {
                        value: Value::Map(merge_keys(entries)),
                        span: Span::new(start, end),
                    };
                    remember(&mut anchors, anchor, &node);
                    Some(node)
                }
                _ => return Some(error_at(span.start, "unbalanced mapping end")),
            },
        };
        if let Some(node) = completed {
            match stack.last_mut() {
                Some(Frame::Seq { items, .. }) => items.push(node),
                Some(Frame::Map { entries, key, .. }) => match key.take() {
                    Some(k) => entries.push((k, node)),
                    None => *key = Some(node),
                },
                None => root = Some(node),
            }
        }
    }
    None
}

fn remember(anchors: &mut HashMap<usize, (Node, usize)>, anchor: usize, node: &Node) {
    if anchor > 0 {
        anchors.insert(anchor, (node.clone(), node.count()));
    }
}

fn is_merge_key(k: &Node) -> bool {
    matches!(&k.value, Value::Scalar { text, plain: true } if text == "<<")
}

/// The second occurrence of a scalar key written twice in one mapping.
fn duplicate_key(entries: &[(Node, Node)]) -> Option<&Node> {
    // Most mappings are a handful of keys: comparing them pairwise is
    // cheaper than building a set.
    if entries.len() <= 8 {
        fn key((k, _): &(Node, Node)) -> Option<&str> {
            k.as_str().filter(|_| !is_merge_key(k))
        }
        return entries.iter().enumerate().find_map(|(i, e)| {
            let text = key(e)?;
            let before = entries.get(..i)?;
            before.iter().any(|p| key(p) == Some(text)).then_some(&e.0)
        });
    }
    let mut seen = crate::fast::HashSet::default();
    entries
        .iter()
        .map(|(k, _)| k)
        .filter(|k| !is_merge_key(k))
        .find(|k| k.as_str().is_some_and(|text| !seen.insert(text)))
}

/// Applies `<<` merge keys: entries of the merged maps that the map does
/// not set itself, earlier merged maps winning over later ones.
fn merge_keys(entries: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
    if !entries.iter().any(|(k, _)| is_merge_key(k)) {
        return entries;
    }
    // Sets of keys, so a merge of large maps stays linear.
    let scalar = |k: &Node| k.as_str().map(str::to_owned);
    let own_keys: std::collections::HashSet<String> = entries
        .iter()
        .filter(|(k, _)| !is_merge_key(k))
        .filter_map(|(k, _)| scalar(k))
        .collect();
    let mut merged_keys = std::collections::HashSet::new();
    let mut own = Vec::new();
    let mut merged: Vec<(Node, Node)> = Vec::new();
    for (k, v) in entries {
        if is_merge_key(&k) {
            let sources: Vec<Node> = match v.value {
                Value::Map(_) => vec![v],
                Value::Seq(items) => items,
                Value::Scalar { .. } => Vec::new(),
            };
            for source in sources {
                if let Value::Map(source_entries) = source.value {
                    for (sk, sv) in source_entries {
                        // Only scalar keys merge; others are kept as they are.
                        let new = match scalar(&sk) {
                            Some(text) => merged_keys.insert(text),
                            None => true,
                        };
                        if new {
                            merged.push((sk, sv));
                        }
                    }
                }
            }
        } else {
            own.push((k, v));
        }
    }
    for (k, v) in merged {
        if scalar(&k).is_none_or(|text| !own_keys.contains(&text)) {
            own.push((k, v));
        }
    }
    own
}

fn trim_end(text: &str, end: usize) -> usize {
    let head = text.get(..end.min(text.len())).unwrap_or(text);
    head.trim_end().len()
}

fn error_at(offset: usize, message: &str) -> YamlError {
    YamlError {
        offset,
        message: message.to_owned(),
    }
}

fn too_deep(offset: usize, limits: Limits) -> YamlError {
    error_at(
        offset,
        &format!(
            "YAML nesting deeper than {} levels (limits.max-nesting-depth)",
            limits.max_depth
        ),
    )
}

fn scan_error(err: &ScanError, offsets: &mut Offsets<'_>) -> YamlError {
    let message = match err.info() {
        // The scanner counts `[` and `{` levels in a byte.
        "recursion limit exceeded" => "YAML flow nesting deeper than 255 levels".to_owned(),
        info => Cow::Borrowed(info).into_owned(),
    };
    YamlError {
        offset: offsets.byte(err.marker().index()),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let (docs, err) = load(text, Limits::default());
        assert_eq!(err, None);
        assert_eq!(docs.len(), 1);
        docs.into_iter().next().unwrap().root
    }

    #[test]
    fn spans_are_bytes() {
        let text = "é: x\nkey: value\n";
        let root = one(text);
        let (k, v) = root.entry("key").unwrap();
        assert_eq!(&text[k.span.range()], "key");
        assert_eq!(&text[v.span.range()], "value");
    }

    #[test]
    fn multi_document() {
        let (docs, err) = load(
            "a: 1\n---\nb: 2\n---\n# only a comment\n",
            Limits::default(),
        );
        assert_eq!(err, None);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].root.get("b").and_then(Node::as_i64), Some(2));
    }

    #[test]
    fn merge_keys_expand_and_own_keys_win() {
        let root = one("base: &b {cpu: 1, mem: 2}\nx:\n  <<: *b\n  cpu: 3\n");
        let x = root.get("x").unwrap();
        assert_eq!(x.get("cpu").and_then(Node::as_str), Some("3"));
        assert_eq!(x.get("mem").and_then(Node::as_str), Some("2"));
        assert!(x.get("<<").is_none());
    }

    #[test]
    fn alias_bomb_is_an_error() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in 'b'..='j' {
            text.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = name;
        }
        let (_, err) = load(&text, Limits::default());
        assert!(err.unwrap().message.contains("alias"));
    }

    #[test]
    fn deep_flow_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000) + &"]".repeat(100_000);
        let (_, err) = load(&text, Limits::default());
        assert!(err.is_some());
    }

    #[test]
    fn duplicate_keys_are_an_error() {
        let (docs, err) = load("a: 1\n---\nb: 1\nc: 2\nb: 3\n", Limits::default());
        assert_eq!(docs.len(), 1);
        let err = err.unwrap();
        assert_eq!(err.offset, 19);
        assert!(err.message.contains("duplicate mapping key `b`"), "{err:?}");
        // Small mappings compare pairwise, larger ones use a set: the same
        // answer either way, the second occurrence.
        for n in [2, 8, 9, 40] {
            let mut text: String = (0..n - 1).map(|i| format!("k{i}: 1\n")).collect();
            let at = text.len();
            text.push_str("k0: 2\n");
            let (_, err) = load(&text, Limits::default());
            let err = err.unwrap_or_else(|| panic!("{n} keys: no error"));
            assert_eq!(err.offset, at, "{n} keys");
            assert!(err.message.contains("`k0`"), "{err:?}");
            let clean: String = (0..n).map(|i| format!("k{i}: 1\n")).collect();
            assert!(load(&clean, Limits::default()).1.is_none(), "{n} keys");
        }
        // Merged keys are not duplicates, and own keys win over them.
        let root = one("base: &b {cpu: 1}\nx:\n  <<: *b\n  <<: {mem: 2}\n  cpu: 3\n");
        let x = root.get("x").unwrap();
        assert_eq!(x.get("cpu").and_then(Node::as_str), Some("3"));
        assert_eq!(x.get("mem").and_then(Node::as_str), Some("2"));
    }

    #[test]
    fn merging_large_maps_is_linear() {
        // Quadratic merging took minutes here.
        let keys: String = (0..40_000).map(|i| format!("k{i}: v\n  ")).collect();
        let own: String = (0..40_000).map(|i| format!("  o{i}: v\n")).collect();
        let text = format!("base: &b\n  {keys}\nx:\n  <<: *b\n{own}");
        let root = one(&text);
        assert_eq!(
            root.get("x").and_then(Node::as_map).map(<[_]>::len),
            Some(80_000)
        );
    }

    #[test]
    fn syntax_error_keeps_earlier_documents() {
        let (docs, err) = load("a: 1\n---\nb: [1, 2\n", Limits::default());
        assert_eq!(docs.len(), 1);
        assert!(err.is_some());
    }

    /// What `kubectl` reads: a closing bracket under its key, and a quoted
    /// scalar whose next line is less indented. Spans stay those of the
    /// text as written.
    #[test]
    fn lenient_layouts_kubectl_reads_parse_with_exact_spans() {
        for newline in ["\n", "\r\n"] {
            let text = [
                "spec:",
                "  - name: app",
                "    args: [",
                "      \"--verbose\",",
                "    ]",
                "    env:",
                "      - value: 'first part",
                "      second part'",
                "        name: MSG",
                "    b: {",
                "      c: 1",
                "    }",
                "    after: x",
                "",
            ]
            .join(newline);
            // A strict reading fails: the repairs are what this is about.
            let mut strict = Vec::new();
            assert!(load_once(&text, Limits::default(), &mut 1000, &mut strict).is_some());
            let (docs, error) = load(&text, Limits::default());
            assert!(error.is_none(), "{error:?}");
            let root = docs[0]
                .root
                .get("spec")
                .and_then(Node::as_seq)
                .expect("spec")[0]
                .clone();
            let args = root.path(&["args"]).and_then(Node::as_seq).expect("args");
            assert_eq!(args[0].as_str(), Some("--verbose"));
            let env = root.path(&["env"]).and_then(Node::as_seq).expect("env");
            let value = env[0].get("value").expect("value");
            assert!(
                value
                    .as_str()
                    .is_some_and(|v| v.starts_with("first part ") && v.ends_with(" second part"))
            );
            assert_eq!(env[0].get("name").and_then(Node::as_str), Some("MSG"));
            assert_eq!(root.path(&["b", "c"]).and_then(Node::as_str), Some("1"));
            let after = root.path(&["after"]).expect("after");
            assert_eq!(&text[after.span.start..after.span.end], "x");
        }
        // Still errors: a comment where the bracket would go, a bracket
        // after a blank line, an unterminated quote.
        for bad in [
            "a:\n  - c: 1\n    b: [\n      \"x\", # one\n    ]\n    d: 2\n",
            "a:\n  - c: 1\n    b: [\n      \"x\",\n\n    ]\n    d: 2\n",
            "a:\n  - b: 'x\n  y\n",
        ] {
            assert!(load(bad, Limits::default()).1.is_some(), "{bad:?}");
        }
    }
}
