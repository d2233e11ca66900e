//! What a rule reports, before and after it is placed in its file.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::source::{Position, Span};

/// How serious a finding is. Ordered so that `Note < Warning < Error`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Index of a file in the [`crate::check::Files`] of one unit of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A place in a file, as rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub file: FileId,
    pub span: Span,
}

impl Loc {
    pub fn new(file: FileId, span: Span) -> Self {
        Loc { file, span }
    }
}

/// A text replacement that is safe to apply without review.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftEdit {
    pub at: Loc,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DraftFix {
    pub title: String,
    pub edits: Vec<DraftEdit>,
}

/// A finding as a rule produces it: spans, not yet lines and columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Option<Severity>,
    pub at: Loc,
    pub message: String,
    pub help: Option<String>,
    /// The label shown under the primary span.
    pub label: Option<String>,
    /// Resource address (`module.app.aws_instance.web`, `Deployment/shop/api`).
    pub resource: Option<String>,
    /// Attribute path inside the resource, normalised (`root_block_device.volume_type`).
    pub attribute: Option<String>,
    pub related: Vec<(Loc, String)>,
    pub fix: Option<DraftFix>,
    pub monthly_cost_usd: Option<f64>,
    /// Numbers behind the finding (caps, sizes, prices) for machine-readable output.
    pub properties: serde_json::Map<String, serde_json::Value>,
}

impl Diagnostic {
    pub fn new(code: &'static str, at: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: None,
            at,
            message: message.into(),
            help: None,
            label: None,
            resource: None,
            attribute: None,
            related: Vec::new(),
            fix: None,
            monthly_cost_usd: None,
            properties: serde_json::Map::new(),
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn resource(mut self, resource: impl Into<String>) -> Self {
        self.resource = Some(resource.into());
        self
    }

    pub fn attribute(mut self, attribute: impl Into<String>) -> Self {
        self.attribute = Some(attribute.into());
        self
    }

    pub fn related(mut self, at: Loc, message: impl Into<String>) -> Self {
        self.related.push((at, message.into()));
        self
    }

    pub fn fix(mut self, fix: DraftFix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }

    pub fn monthly_cost(mut self, usd: Option<f64>) -> Self {
        self.monthly_cost_usd = usd;
        self
    }

    pub fn property(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.properties.insert(key.to_owned(), value.into());
        self
    }
}

/// A secondary location.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    pub path: Arc<str>,
    #[serde(skip)]
    pub span: Span,
    pub start: Position,
    pub end: Position,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edit {
    pub path: Arc<str>,
    #[serde(skip)]
    pub span: Span,
    pub start: Position,
    pub end: Position,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
}

/// A finding placed in its file: what every emitter prints.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub label: Option<String>,
    pub path: Arc<str>,
    pub span: Span,
    pub start: Position,
    pub end: Position,
    pub resource: Option<String>,
    pub attribute: Option<String>,
    pub related: Vec<Label>,
    pub fix: Option<Fix>,
    pub monthly_cost_usd: Option<f64>,
    pub properties: serde_json::Map<String, serde_json::Value>,
    /// Stable identity that survives lines moving: rule, file, resource, attribute.
    pub fingerprint: String,
    /// Hash of the primary line's text with the occurrence index (SARIF
    /// `primaryLocationLineHash`).
    pub line_hash: String,
}

impl Finding {
    /// The order of every output: path, line, column, code, then message.
    pub fn sort_key(&self) -> (&str, usize, usize, &str, &str) {
        (
            &self.path,
            self.start.line,
            self.start.column,
            self.code,
            &self.message,
        )
    }
}

/// FNV-1a, 64 bit: stable across platforms and releases, unlike `std`'s hasher.
pub fn stable_hash(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            hash ^= 0x1f;
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        for b in part.bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}
