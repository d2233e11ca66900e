//! Output formats, one file each behind [`Emitter`].

pub mod github;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

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

/// The sum of known monthly costs of flagged resources.
pub fn total_cost(findings: &[Finding]) -> Option<f64> {
    let costs: Vec<f64> = findings.iter().filter_map(|f| f.monthly_cost_usd).collect();
    if costs.is_empty() {
        None
    } else {
        Some(costs.iter().sum())
    }
}
