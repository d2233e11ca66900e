//! A Markdown summary for a pull-request comment or a job summary.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{CostSummary, Counts, EmitContext, Emitter, plural};
use crate::check::format_usd;
use crate::cost::SPOT_DISCOUNT;
use crate::cost::report::{PRICE_REGIONS, data_dates_line};
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
        let mut by_file: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in findings {
            by_file.entry(&f.path).or_default().push(f);
        }
        for (path, list) in by_file {
            writeln!(out)?;
            writeln!(out, "### `{path}`")?;
            writeln!(out)?;
            writeln!(
                out,
                "| Line | Rule | Severity | Finding | Monthly cost | Saving if fixed |"
            )?;
            writeln!(out, "|---:|---|---|---|---:|---:|")?;
            for f in list {
                let url = crate::rules::by_code(f.code)
                    .map(|r| r.meta().url())
                    .unwrap_or_default();
                writeln!(
                    out,
                    "| {} | [{}]({url}) `{}` | {} | {} | {} | {} |",
                    f.start.line,
                    f.code,
                    f.name,
                    f.severity,
                    cell(&f.message),
                    f.monthly_cost_usd.map(format_usd).unwrap_or_default(),
                    saving(f).map(format_usd).unwrap_or_default(),
                )?;
            }
        }
        cost_section(out, &CostSummary::of(findings))
    }
}

fn saving(f: &Finding) -> Option<f64> {
    f.properties
        .get("monthly_saving_usd")
        .and_then(serde_json::Value::as_f64)
}

/// The closing table: what the flagged resources cost and what fixing
/// every finding would save, with the assumptions behind both.
fn cost_section(out: &mut dyn Write, summary: &CostSummary) -> io::Result<()> {
    let Some(cost) = summary.monthly_usd else {
        return Ok(());
    };
    writeln!(out)?;
    writeln!(out, "### Estimated monthly cost")?;
    writeln!(out)?;
    writeln!(out, "| | Monthly |")?;
    writeln!(out, "|---|---:|")?;
    writeln!(
        out,
        "| Flagged resources with a known price ({}) | {}\\* |",
        summary.priced_resources,
        format_usd(cost)
    )?;
    if let Some(saving) = summary.saving_usd {
        writeln!(
            out,
            "| Saving if every finding were fixed | {}\\* |",
            format_usd(saving)
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "<sub>\\* On-demand list prices (Linux, no discounts, taxes or licences) for {PRICE_REGIONS}, whatever region a resource is in; 730 hours a month; each resource counted once, and a finding about a volume counts the volume, not the instance it is attached to; resources the catalog cannot price are left out. Savings: gp2 to gp3 and io1 to io2 or gp3 at the same size and performance, a size over its cap at the largest size of its family within the cap, a previous generation at its successor of the same size, and spot capacity at {}% below on-demand. Catalog: {}.</sub>",
        (SPOT_DISCOUNT * 100.0).round(),
        data_dates_line()
    )
}
