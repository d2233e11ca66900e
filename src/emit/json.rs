//! Machine output with a stable schema, documented in docs/json-output.md.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Value, json};

use super::{CostSummary, Counts, EmitContext, Emitter, LazyArray};
use crate::finding::Finding;

pub struct Json;

pub const SCHEMA_VERSION: u32 = 1;

pub fn finding_json(f: &Finding) -> Value {
    json!({
        "code": f.code,
        "name": f.name,
        "severity": f.severity.as_str(),
        "message": f.message,
        "help": f.help,
        "path": f.path,
        "start": {"line": f.start.line, "column": f.start.column},
        "end": {"line": f.end.line, "column": f.end.column},
        "resource": f.resource,
        "attribute": f.attribute,
        "fingerprint": f.fingerprint,
        "monthly_cost_usd": f.monthly_cost_usd.map(round_cents),
        "related": f.related.iter().map(|l| json!({
            "path": l.path,
            "start": {"line": l.start.line, "column": l.start.column},
            "end": {"line": l.end.line, "column": l.end.column},
            "message": l.message,
        })).collect::<Vec<_>>(),
        "fix": f.fix.as_ref().map(|fix| json!({
            "title": fix.title,
            "edits": fix.edits.iter().map(|e| json!({
                "path": e.path,
                "start": {"line": e.start.line, "column": e.start.column},
                "end": {"line": e.end.line, "column": e.end.column},
                "replacement": e.replacement,
            })).collect::<Vec<_>>(),
        })),
        "properties": f.properties,
    })
}

pub fn round_cents(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// The document, in schema order.
#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    tool: Value,
    summary: Value,
    findings: LazyArray<'a>,
}

impl Emitter for Json {
    fn emit(&self, cx: &EmitContext<'_>, out: &mut dyn Write) -> io::Result<()> {
        let findings = &cx.report.findings;
        let c = Counts::of(findings);
        let costs = CostSummary::of(findings);
        let doc = Doc {
            version: SCHEMA_VERSION,
            tool: json!({"name": "costlint", "version": env!("CARGO_PKG_VERSION")}),
            summary: json!({
                "files": cx.report.files_checked,
                "findings": c.total(),
                "errors": c.errors,
                "warnings": c.warnings,
                "notes": c.notes,
                "monthly_cost_usd": costs.monthly_usd.map(round_cents),
                "monthly_saving_usd": costs.saving_usd.map(round_cents),
            }),
            findings: LazyArray::new(findings.iter().map(finding_json)),
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}
