//! Baselines: findings already known, matched by fingerprint (rule, file,
//! resource, attribute), so they survive lines moving.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::Finding;

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Baseline {
    pub version: u32,
    /// fingerprint → how many findings share it, and what they were.
    pub findings: BTreeMap<String, BaselineEntry>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Clone)]
pub struct BaselineEntry {
    pub code: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    pub count: usize,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("baseline {path} is not a costlint baseline: {source}")]
    Format {
        path: String,
        #[source]
        source: serde_json::Error,
    },
}

impl Baseline {
    pub fn from_findings(findings: &[Finding]) -> Self {
        let mut out = Baseline {
            version: 1,
            findings: BTreeMap::new(),
        };
        for f in findings {
            out.findings
                .entry(f.fingerprint.clone())
                .and_modify(|e| e.count += 1)
                .or_insert_with(|| BaselineEntry {
                    code: f.code.to_owned(),
                    path: f.path.to_string(),
                    resource: f.resource.clone(),
                    count: 1,
                    message: f.message.clone(),
                });
        }
        out
    }

    pub fn load(path: &Path) -> Result<Self, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Io {
            path: path.display().to_string(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| BaselineError::Format {
            path: path.display().to_string(),
            source,
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Drops findings the baseline knows, up to the count it recorded for
    /// each fingerprint, so a second identical finding is still new.
    pub fn filter(&self, findings: Vec<Finding>) -> Vec<Finding> {
        let mut left: BTreeMap<&str, usize> = self
            .findings
            .iter()
            .map(|(k, v)| (k.as_str(), v.count))
            .collect();
        findings
            .into_iter()
            .filter(|f| match left.get_mut(f.fingerprint.as_str()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            })
            .collect()
    }
}
