//! A Markdown summary for a pull-request comment or a job summary.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{Counts, EmitContext, Emitter, plural, total_cost};
use crate::check::format_usd;
use crate::finding::Finding;

pub struct Markdown;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', "<br>")
}

impl Emitter for Markdown {
    fn emit(&self, cx: &EmitContext<'_>, out: &mut dyn Write) -> io::Result<()> {
        let findings = &cx.report.findings;
        let c = Counts::of(findings);
        writeln!(out, "## costlint")?;
        writeln!(out)?;
        if c.total() == 0 {
            writeln!(
                out,
                "No findings in {}.",
                plural(cx.report.files_checked, "file", "files")
            )?;
            return Ok(());
        }
        writeln!(
            out,
            "**{}** in {}.",
            plural(c.total(), "finding", "findings"),
            plural(cx.report.files_checked, "file", "files")
        )?;
        writeln!(out)?;
        writeln!(out, "| Severity | Findings |")?;
        writeln!(out, "|---|---:|")?;
        writeln!(out, "| Error | {} |", c.errors)?;
        writeln!(out, "| Warning | {} |", c.warnings)?;
        writeln!(out, "| Note | {} |", c.notes)?;
        if let Some(cost) = total_cost(findings) {
            writeln!(out)?;
            writeln!(
                out,
                "Estimated monthly cost of flagged resources: **{}** (list prices, see each finding).",
                format_usd(cost)
            )?;
        }
        let mut by_file: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in findings {
            by_file.entry(&f.path).or_default().push(f);
        }
        for (path, list) in by_file {
            writeln!(out)?;
            writeln!(out, "### `{path}`")?;
            writeln!(out)?;
            writeln!(out, "| Line | Rule | Severity | Finding | Monthly cost |")?;
            writeln!(out, "|---:|---|---|---|---:|")?;
            for f in list {
                let url = crate::rules::by_code(f.code)
                    .map(|r| r.meta().url())
                    .unwrap_or_default();
                writeln!(
                    out,
                    "| {} | [{}]({url}) `{}` | {} | {} | {} |",
                    f.start.line,
                    f.code,
                    f.name,
                    f.severity,
                    cell(&f.message),
                    f.monthly_cost_usd.map(format_usd).unwrap_or_default(),
                )?;
            }
        }
        Ok(())
    }
}
