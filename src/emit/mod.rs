//! Output formats, one file each behind [`Emitter`].

pub mod github;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use crate::check::Report;
use crate::finding::{Finding, Severity};

/// What every format may need besides the findings.
pub struct EmitContext<'a> {
    pub report: &'a Report,
    /// ANSI colours (text only).
    pub color: bool,
    /// Absolute working directory, which paths are relative to.
    pub cwd: &'a Path,
    pub quiet: bool,
}

/// A JSON array whose elements are built one at a time while it is
/// written: a report of many findings never exists as one JSON tree, which
/// would take several times the memory of the findings themselves.
/// Serializes once; the bytes are those of the same elements in a `Vec`.
pub struct LazyArray<'a>(
    std::cell::RefCell<Option<Box<dyn Iterator<Item = serde_json::Value> + 'a>>>,
);

impl<'a> LazyArray<'a> {
    pub fn new(items: impl Iterator<Item = serde_json::Value> + 'a) -> LazyArray<'a> {
        LazyArray(std::cell::RefCell::new(Some(Box::new(items))))
    }
}

impl serde::Serialize for LazyArray<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let items = self.0.borrow_mut().take();
        let mut seq = serializer.serialize_seq(None)?;
        for item in items.into_iter().flatten() {
            seq.serialize_element(&item)?;
        }
        seq.end()
    }
}

pub trait Emitter {
    fn emit(&self, cx: &EmitContext<'_>, out: &mut dyn Write) -> io::Result<()>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
    Markdown,
}

pub fn emitter(format: Format) -> Box<dyn Emitter> {
    match format {
        Format::Text => Box::new(text::Text),
        Format::Json => Box::new(json::Json),
        Format::Sarif => Box::new(sarif::Sarif),
        Format::Github => Box::new(github::Github),
        Format::Markdown => Box::new(markdown::Markdown),
    }
}

/// Counts by severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Counts {
    pub fn of(findings: &[Finding]) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            match f.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Note => c.notes += 1,
            }
        }
        c
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.notes
    }
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The sum of known monthly costs of flagged resources, each resource
/// counted once.
pub fn total_cost(findings: &[Finding]) -> Option<f64> {
    CostSummary::of(findings).monthly_usd
}

/// What flagged resources cost and what fixing every finding would save,
/// each resource counted once: several findings on one resource (a size
/// cap and missing tags) do not add its cost twice, and two fixes of the
/// same argument (a smaller size, a newer generation) do not add their
/// savings.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CostSummary {
    pub monthly_usd: Option<f64>,
    pub saving_usd: Option<f64>,
    /// Flagged resources with a known cost.
    pub priced_resources: usize,
}

/// Amounts per resource block, from findings on the block (its merged
/// instances) or on single instances.
#[derive(Default)]
struct Amounts {
    block: f64,
    instances: BTreeMap<String, f64>,
}

impl Amounts {
    fn add(&mut self, instance: Option<String>, amount: f64) {
        match instance {
            None => self.block = self.block.max(amount),
            Some(key) => {
                let v = self.instances.entry(key).or_insert(0.0);
                *v = v.max(amount);
            }
        }
    }

    /// A block-level finding covers the instances it merged; findings on
    /// single instances add up.
    fn total(&self) -> f64 {
        self.block.max(self.instances.values().sum())
    }
}

/// Once per (file, resource block, part).
fn once(entries: impl Iterator<Item = (String, Option<String>, f64)>) -> (f64, usize) {
    let mut by: BTreeMap<String, Amounts> = BTreeMap::new();
    for (key, instance, amount) in entries {
        by.entry(key).or_default().add(instance, amount);
    }
    (
        crate::cost::cents(by.values().map(Amounts::total).sum()),
        by.len(),
    )
}

impl CostSummary {
    pub fn of(findings: &[Finding]) -> CostSummary {
        // Findings without a resource stand alone.
        let key = |i: usize, f: &Finding, part: &str| match &f.resource {
            Some(r) => {
                let (block, instance) = crate::check::split_instance(r);
                (format!("{}\u{0}{block}\u{0}{part}", f.path), instance)
            }
            None => (format!("{}\u{0}#{i}\u{0}{part}", f.path), None),
        };
        let costs: Vec<_> = findings
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let (k, instance) = key(i, f, "");
                Some((k, instance, f.monthly_cost_usd?))
            })
            .collect();
        let savings: Vec<_> = findings
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let saving = f.properties.get("monthly_saving_usd")?.as_f64()?;
                let (k, instance) = key(i, f, f.attribute.as_deref().unwrap_or(""));
                Some((k, instance, saving))
            })
            .collect();
        let has_costs = !costs.is_empty();
        let has_savings = !savings.is_empty();
        let (monthly, priced) = once(costs.into_iter());
        let (saving, _) = once(savings.into_iter());
        CostSummary {
            monthly_usd: has_costs.then_some(monthly),
            saving_usd: has_savings.then_some(saving),
            priced_resources: priced,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Position, Span};

    fn finding(resource: &str, attribute: &str, cost: Option<f64>, saving: Option<f64>) -> Finding {
        let mut properties = serde_json::Map::new();
        if let Some(s) = saving {
            properties.insert("monthly_saving_usd".into(), s.into());
        }
        Finding {
            code: "CL101",
            name: "instance-size-cap",
            severity: Severity::Warning,
            message: String::new(),
            help: None,
            label: None,
            path: "main.tf".into(),
            span: Span::empty(0),
            start: Position { line: 1, column: 1 },
            end: Position { line: 1, column: 1 },
            resource: Some(resource.to_owned()),
            attribute: Some(attribute.to_owned()),
            related: Vec::new(),
            fix: None,
            monthly_cost_usd: cost,
            properties,
            fingerprint: String::new(),
            line_hash: String::new(),
        }
    }

    #[test]
    fn each_resource_counts_once() {
        let findings = [
            // A cap and missing tags on one instance: its cost once.
            finding("aws_instance.a", "instance_type", Some(700.0), Some(500.0)),
            finding("aws_instance.a", "tags", Some(710.0), None),
            // A newer generation of the same argument: the larger saving.
            finding("aws_instance.a", "instance_type", Some(700.0), Some(100.0)),
            // Its root volume: another argument, the savings add.
            finding(
                "aws_instance.a",
                "root_block_device.0.volume_type",
                Some(5.0),
                Some(1.0),
            ),
            // Merged instances of a block, and one instance of it alone.
            finding("aws_instance.b", "tags", Some(300.0), None),
            finding(
                "aws_instance.b[\"x\"]",
                "instance_type",
                Some(100.0),
                Some(50.0),
            ),
            // Single instances add up.
            finding("aws_instance.c[0]", "tags", Some(10.0), None),
            finding("aws_instance.c[1]", "tags", Some(10.0), None),
            finding("aws_s3_bucket.d", "tags", None, None),
        ];
        let summary = CostSummary::of(&findings);
        assert_eq!(summary.monthly_usd, Some(710.0 + 300.0 + 20.0));
        assert_eq!(summary.saving_usd, Some(500.0 + 1.0 + 50.0));
        assert_eq!(summary.priced_resources, 3);
        assert_eq!(total_cost(&findings), Some(1030.0));
        let none = CostSummary::of(&findings[8..]);
        assert_eq!(none, CostSummary::default());
    }
}
