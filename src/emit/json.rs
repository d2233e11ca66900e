//! Machine output with a stable schema, documented in docs/json-output.md.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{CostSummary, Counts, EmitContext, Emitter};
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

impl Emitter for Json {
    fn emit(&self, cx: &EmitContext<'_>, out: &mut dyn Write) -> io::Result<()> {
        let findings = &cx.report.findings;
        let c = Counts::of(findings);
        let costs = CostSummary::of(findings);
        let doc = json!({
            "version": SCHEMA_VERSION,
            "tool": {"name": "costlint", "version": env!("CARGO_PKG_VERSION")},
            "summary": {
                "files": cx.report.files_checked,
                "findings": c.total(),
                "errors": c.errors,
                "warnings": c.warnings,
                "notes": c.notes,
                "monthly_cost_usd": costs.monthly_usd.map(round_cents),
                "monthly_saving_usd": costs.saving_usd.map(round_cents),
            },
            "findings": findings.iter().map(finding_json).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}
