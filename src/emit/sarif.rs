//! SARIF 2.1.0: one run, every rule in `tool.driver.rules`, results with
//! relative URIs under `%SRCROOT%`.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;
use serde_json::{Value, json};

use super::{EmitContext, Emitter, LazyArray};
use crate::emit::json::round_cents;
use crate::finding::{Finding, Severity};
use crate::rules::RULES;

pub struct Sarif;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// `properties.problem.severity` as GitHub code scanning reads it.
fn problem_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "recommendation",
    }
}

/// Percent-encodes a relative path for a URI reference.
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `file:///abs/dir/` for a directory.
pub fn file_uri(dir: &Path) -> String {
    let s = dir.to_string_lossy().replace('\\', "/");
    let s = if s.starts_with('/') {
        s
    } else {
        format!("/{s}")
    };
    let s = uri_path(&s);
    if s.ends_with('/') {
        format!("file://{s}")
    } else {
        format!("file://{s}/")
    }
}

fn rule_json(r: &crate::rules::RuleMeta) -> Value {
    let docs = r.docs();
    json!({
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary()},
        "fullDescription": {"text": r.section("## What it does").split_whitespace().collect::<Vec<_>>().join(" ")},
        "help": {"text": docs, "markdown": docs},
        "helpUri": r.url(),
        "defaultConfiguration": {"level": level(r.severity)},
        "properties": {
            "tags": ["finops", r.category.name()],
            "problem.severity": problem_severity(r.severity),
        },
    })
}

fn region(start: crate::source::Position, end: crate::source::Position) -> Value {
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column.max(if end.line == start.line { start.column } else { 1 }),
    })
}

fn location(path: &str, start: crate::source::Position, end: crate::source::Position) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": {"uri": uri_path(path), "uriBaseId": "%SRCROOT%"},
            "region": region(start, end),
        }
    })
}

fn result_json(f: &Finding, occurrence: usize) -> Value {
    let mut message = f.message.clone();
    if let Some(help) = &f.help {
        message.push_str(&format!(" Help: {help}"));
    }
    let mut result = json!({
        "ruleId": f.code,
        "ruleIndex": crate::rules::index_of(f.code).unwrap_or(0),
        "level": level(f.severity),
        "message": {"text": message},
        "locations": [location(&f.path, f.start, f.end)],
        "partialFingerprints": {
            "primaryLocationLineHash": format!("{}:{occurrence}", f.line_hash),
            "costlintFingerprint/v1": f.fingerprint,
        },
    });
    let mut props = serde_json::Map::new();
    if let Some(r) = &f.resource {
        props.insert("resource".into(), json!(r));
    }
    if let Some(c) = f.monthly_cost_usd {
        props.insert("monthly_cost_usd".into(), json!(round_cents(c)));
    }
    for (k, v) in &f.properties {
        props.insert(k.clone(), v.clone());
    }
    if !props.is_empty() {
        set(&mut result, "properties", Value::Object(props));
    }
    if !f.related.is_empty() {
        let related = f
            .related
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut loc = location(&l.path, l.start, l.end);
                set(&mut loc, "id", json!(i + 1));
                set(&mut loc, "message", json!({"text": l.message}));
                loc
            })
            .collect();
        set(&mut result, "relatedLocations", Value::Array(related));
    }
    if let Some(fix) = &f.fix {
        let mut by_file: Vec<(&str, Vec<Value>)> = Vec::new();
        for e in &fix.edits {
            let replacement = json!({
                "deletedRegion": {
                    "startLine": e.start.line,
                    "startColumn": e.start.column,
                    "endLine": e.end.line,
                    "endColumn": e.end.column,
                },
                "insertedContent": {"text": e.replacement},
            });
            match by_file.iter_mut().find(|(p, _)| *p == &*e.path) {
                Some((_, list)) => list.push(replacement),
                None => by_file.push((&e.path, vec![replacement])),
            }
        }
        let fixes = json!([{
            "description": {"text": fix.title},
            "artifactChanges": by_file.into_iter().map(|(p, reps)| json!({
                "artifactLocation": {"uri": uri_path(p), "uriBaseId": "%SRCROOT%"},
                "replacements": reps,
            })).collect::<Vec<_>>(),
        }]);
        set(&mut result, "fixes", fixes);
    }
    result
}

/// The log, in the order of the specification's examples.
#[derive(Serialize)]
struct Doc<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Value,
    original_uri_base_ids: Value,
    invocations: Value,
    column_kind: &'static str,
    results: LazyArray<'a>,
}

impl Emitter for Sarif {
    fn emit(&self, cx: &EmitContext<'_>, out: &mut dyn Write) -> io::Result<()> {
        // Occurrence index of identical line hashes within a file, as
        // GitHub computes `primaryLocationLineHash`.
        let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
        let results = cx.report.findings.iter().map(move |f| {
            let n = seen.entry((&f.path, &f.line_hash)).or_insert(0);
            *n += 1;
            result_json(f, *n)
        });
        let root = file_uri(cx.cwd);
        let doc = Doc {
            schema: "https://json.schemastore.org/sarif-2.1.0.json",
            version: "2.1.0",
            runs: [Run {
                tool: json!({"driver": {
                    "name": "costlint",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_HOMEPAGE"),
                    "rules": RULES.iter().map(|r| rule_json(r.meta())).collect::<Vec<_>>(),
                }}),
                original_uri_base_ids: json!({"%SRCROOT%": {"uri": root}}),
                invocations: json!([{
                    "executionSuccessful": true,
                    "workingDirectory": {"uri": root},
                }]),
                column_kind: "unicodeCodePoints",
                results: LazyArray::new(results),
            }],
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}

/// Sets a key of a JSON object (what `value[key] = ...` does, without its
/// panic on a non-object).
fn set(object: &mut Value, key: &str, value: Value) {
    if let Some(map) = object.as_object_mut() {
        map.insert(key.to_owned(), value);
    }
}
