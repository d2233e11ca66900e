//! `costlint.toml` → [`Settings`]. Every error points at its line.

pub mod schema;
mod selection;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};
use toml::de::{DeTable, DeValue};

pub use selection::{Selection, Selector};

use crate::finding::Severity;
use crate::model::Environments;
use crate::rules::{AnyOptions, RULES};
use crate::source::LineIndex;

pub const CONFIG_NAMES: [&str; 2] = ["costlint.toml", ".costlint.toml"];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Usage(String),
}

/// Guards against hostile input; each has a clear message when hit.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, schemars::JsonSchema, PartialEq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct Limits {
    /// Files larger than this many bytes are skipped with a note.
    pub max_file_size: u64,
    /// Deepest nesting of YAML and JSON collections, at most 512. (HCL has
    /// its parser's own bound of 64 nested expressions.)
    pub max_nesting_depth: usize,
    /// Nodes that YAML aliases may add per file (against alias bombs).
    pub max_alias_expansion: usize,
    /// Findings reported per file before the rest are summarised.
    pub max_findings_per_file: usize,
    /// Deepest chain of local module calls, at most 128.
    pub max_module_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: 16 * 1024 * 1024,
            max_nesting_depth: 256,
            max_alias_expansion: 100_000,
            max_findings_per_file: 10_000,
            max_module_depth: 32,
        }
    }
}

impl Limits {
    /// Highest `max-nesting-depth`: parsers and the model recurse once per
    /// level, and must fit any thread's stack.
    pub const NESTING_CEILING: usize = 512;
    /// Highest `max-module-depth`, for the same reason.
    pub const MODULE_DEPTH_CEILING: usize = 128;

    /// The key and message of a value out of range.
    fn validate(&self) -> Result<(), (&'static str, String)> {
        if !(1..=Self::NESTING_CEILING).contains(&self.max_nesting_depth) {
            return Err((
                "max-nesting-depth",
                format!(
                    "limits.max-nesting-depth must be between 1 and {}",
                    Self::NESTING_CEILING
                ),
            ));
        }
        if !(1..=Self::MODULE_DEPTH_CEILING).contains(&self.max_module_depth) {
            return Err((
                "max-module-depth",
                format!(
                    "limits.max-module-depth must be between 1 and {}",
                    Self::MODULE_DEPTH_CEILING
                ),
            ));
        }
        Ok(())
    }
}

/// The file format, minus `rules` (read separately, per rule).
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ConfigFile {
    /// Rules to enable (codes, code prefixes, names, categories or `ALL`);
    /// replaces the default selection.
    pub select: Option<Vec<String>>,
    /// Rules to enable on top of `select`.
    #[serde(default)]
    pub extend_select: Vec<String>,
    /// Rules to disable.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Lowest severity that makes `costlint check` exit 1.
    pub fail_on: Option<FailOn>,
    /// Extra files to check, as globs relative to this file.
    #[serde(default)]
    pub include: Vec<String>,
    /// Files to skip, as globs relative to this file (on top of
    /// `.gitignore` and `.costlintignore`).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Globs (relative to this file) mapped to rules ignored there.
    #[serde(default)]
    pub per_path_ignores: std::collections::BTreeMap<String, Vec<String>>,
    /// Variable files applied to every root module, after `*.auto.tfvars`.
    #[serde(default)]
    pub var_files: Vec<String>,
    /// Value of `terraform.workspace`; unknown when unset.
    pub workspace: Option<String>,
    #[serde(default)]
    pub environments: Environments,
    #[serde(default)]
    pub limits: Limits,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Note => Some(Severity::Note),
            FailOn::Never => None,
        }
    }
}

/// Everything a check needs to know, resolved.
#[derive(Clone)]
pub struct Settings {
    /// Indexed like [`RULES`].
    pub enabled: Vec<bool>,
    pub severity: HashMap<&'static str, Severity>,
    pub options: HashMap<&'static str, AnyOptions>,
    pub per_path_ignores: Vec<(GlobSet, Vec<&'static str>)>,
    pub include: Option<GlobSet>,
    pub exclude: Option<GlobSet>,
    pub environments: Environments,
    pub limits: Limits,
    pub var_files: Vec<PathBuf>,
    pub workspace: Option<String>,
    pub fail_on: Option<FailOn>,
    /// Directory globs are relative to: the config file's, or the working
    /// directory without one.
    pub base_dir: PathBuf,
    pub config_path: Option<PathBuf>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("config_path", &self.config_path)
            .field("enabled", &self.enabled_codes())
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// Defaults with no configuration file.
    pub fn new(base_dir: &Path) -> Self {
        Settings {
            enabled: Selection::default().resolve(),
            severity: HashMap::new(),
            options: RULES
                .iter()
                .map(|r| (r.meta().code, r.default_options()))
                .collect(),
            per_path_ignores: Vec::new(),
            include: None,
            exclude: None,
            environments: Environments::default(),
            limits: Limits::default(),
            var_files: Vec::new(),
            workspace: None,
            fail_on: None,
            base_dir: base_dir.to_path_buf(),
            config_path: None,
        }
    }

    pub fn is_enabled(&self, code: &str) -> bool {
        crate::rules::index_of(code)
            .and_then(|i| self.enabled.get(i).copied())
            .unwrap_or(false)
    }

    pub fn enabled_codes(&self) -> Vec<&'static str> {
        RULES
            .iter()
            .zip(&self.enabled)
            .filter(|(_, on)| **on)
            .map(|(r, _)| r.meta().code)
            .collect()
    }

    pub fn severity_of(&self, code: &str) -> Severity {
        if let Some(s) = self.severity.get(code) {
            return *s;
        }
        crate::rules::by_code(code).map_or(Severity::Warning, |r| r.meta().severity)
    }

    pub fn options_of(&self, code: &'static str) -> Option<&AnyOptions> {
        self.options.get(code)
    }

    /// Applies command-line selection on top of the file's.
    pub fn apply_selection(&mut self, selection: &Selection) {
        self.enabled = selection.resolve();
    }

    /// Reads a configuration file.
    pub fn load(path: &Path, cli: &Selection) -> Result<Settings, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let base = path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        Settings::parse(&text, &path.display().to_string(), &base, cli).map(|mut s| {
            s.config_path = Some(path.to_path_buf());
            s
        })
    }

    /// Parses configuration text; `display` names it in errors.
    pub fn parse(
        text: &str,
        display: &str,
        base_dir: &Path,
        cli: &Selection,
    ) -> Result<Settings, ConfigError> {
        let index = LineIndex::new(text);
        let err_at = |span: Option<std::ops::Range<usize>>, message: &str| {
            let pos = index.position(span.map_or(0, |s| s.start), text);
            ConfigError::Invalid {
                path: display.to_owned(),
                line: pos.line,
                column: pos.column,
                message: message.to_owned(),
            }
        };
        let mut table = DeTable::parse(text).map_err(|e| err_at(e.span(), e.message()))?;
        let rules_value = table.get_mut().remove("rules");
        let file: ConfigFile = ConfigFile::deserialize(toml::de::Deserializer::from(table))
            .map_err(|e| err_at(e.span(), e.message()))?;

        let mut settings = Settings::new(base_dir);
        settings.environments = file.environments;
        if let Err((key, message)) = file.limits.validate() {
            return Err(err_at(find_key_span(text, key), &message));
        }
        settings.limits = file.limits;
        settings.workspace = file.workspace;
        settings.fail_on = file.fail_on;
        settings.var_files = file.var_files.iter().map(|f| base_dir.join(f)).collect();

        let selection_err =
            |e: selection::UnknownSelector| err_at(find_span(text, &e.0), &e.to_string());
        let mut selection =
            Selection::from_config(file.select.as_deref(), &file.extend_select, &file.ignore)
                .map_err(selection_err)?;
        selection.merge(cli);
        settings.enabled = selection.resolve();

        if let Some(rules) = rules_value {
            let span = rules.span();
            let DeValue::Table(rules) = rules.into_inner() else {
                return Err(err_at(Some(span), "`rules` must be a table of rule tables"));
            };
            for (key, value) in rules {
                let key_span = key.span();
                let Some(rule) = crate::rules::lookup(key.get_ref()) else {
                    return Err(err_at(
                        Some(key_span),
                        &format!("unknown rule `{}` in [rules]", key.get_ref()),
                    ));
                };
                let value_span = value.span();
                let DeValue::Table(mut options) = value.into_inner() else {
                    return Err(err_at(
                        Some(value_span),
                        &format!("`rules.{}` must be a table", key.get_ref()),
                    ));
                };
                let code = rule.meta().code;
                if let Some(sev) = options.remove("severity") {
                    let sev_span = sev.span();
                    let parsed = match sev.get_ref().as_str() {
                        Some("error") => Severity::Error,
                        Some("warning") => Severity::Warning,
                        Some("note") => Severity::Note,
                        _ => {
                            return Err(err_at(
                                Some(sev_span),
                                "severity must be \"error\", \"warning\" or \"note\"",
                            ));
                        }
                    };
                    settings.severity.insert(code, parsed);
                }
                let parsed = rule
                    .parse_options(toml::Spanned::new(value_span.clone(), options))
                    .map_err(|e| err_at(e.span().or(Some(value_span.clone())), e.message()))?;
                settings.options.insert(code, parsed);
            }
        }

        let glob_err = |g: &str, e: globset::Error| {
            err_at(find_span(text, g), &format!("invalid glob `{g}`: {e}"))
        };
        settings.include = build_globset(&file.include).map_err(|(g, e)| glob_err(&g, e))?;
        settings.exclude = build_globset(&file.exclude).map_err(|(g, e)| glob_err(&g, e))?;
        for (pattern, selectors) in &file.per_path_ignores {
            let set = build_globset(std::slice::from_ref(pattern))
                .map_err(|(g, e)| glob_err(&g, e))?
                .unwrap_or_else(GlobSet::empty);
            let mut codes = Vec::new();
            for s in selectors {
                let sel = Selector::parse(s).map_err(selection_err)?;
                codes.extend(sel.codes());
            }
            settings.per_path_ignores.push((set, codes));
        }
        Ok(settings)
    }
}

/// A glob set where `dir/` patterns also match everything under them.
fn build_globset(patterns: &[String]) -> Result<Option<GlobSet>, (String, globset::Error)> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let trimmed = p.trim_start_matches("./");
        let glob = Glob::new(trimmed).map_err(|e| (p.clone(), e))?;
        b.add(glob);
        if !trimmed.contains('*') || trimmed.ends_with('/') {
            let under = format!("{}/**", trimmed.trim_end_matches('/'));
            b.add(Glob::new(&under).map_err(|e| (p.clone(), e))?);
        }
    }
    b.build().map(Some).map_err(|e| (patterns.join(", "), e))
}

fn find_span(text: &str, needle: &str) -> Option<std::ops::Range<usize>> {
    let quoted = format!("\"{needle}\"");
    text.find(&quoted).map(|i| i..i + quoted.len())
}

/// Where a bare `key =` is written.
fn find_key_span(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let start = offset + (line.len() - trimmed.len());
        if trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
        {
            return Some(start..start + key.len());
        }
        offset += line.len();
    }
    None
}

/// The configuration file governing `start`: the closest one upward.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let mut dir = if start.is_dir() {
        Some(start)
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        for name in CONFIG_NAMES {
            let candidate = d.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        dir = d.parent();
    }
    None
}

/// A commented starter configuration (`costlint init`).
pub const STARTER: &str = include_str!("starter.toml");

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, ConfigError> {
        Settings::parse(text, "costlint.toml", Path::new("."), &Selection::default())
    }

    #[test]
    fn unknown_key_points_at_line() {
        let err = parse("select = [\"ALL\"]\n\nbogus = 1\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("costlint.toml:3:"), "{err}");
        assert!(err.contains("bogus"), "{err}");
    }

    #[test]
    fn rule_options_and_severity() {
        let s = parse("[rules.ebs-gp2-volume]\nseverity = \"error\"\ntypes = [\"gp2\"]\n").unwrap();
        assert_eq!(s.severity_of("CL501"), Severity::Error);
        let err = parse("[rules.CL501]\ntypes = [\"gp2\"]\nnope = true\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("costlint.toml:3:"), "{err}");
        let err = parse("[rules.CL999]\n").unwrap_err().to_string();
        assert!(err.contains("unknown rule"), "{err}");
    }

    #[test]
    fn bad_value_points_at_line() {
        let err = parse("fail-on = \"sometimes\"\n").unwrap_err().to_string();
        assert!(err.starts_with("costlint.toml:1:"), "{err}");
        let err = parse("[limits]\nmax-file-size = \"big\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("costlint.toml:2:"), "{err}");
    }

    #[test]
    fn unknown_selector_is_an_error() {
        let err = parse("ignore = [\"CL5O1\"]\n").unwrap_err().to_string();
        assert!(err.starts_with("costlint.toml:1:"), "{err}");
    }

    #[test]
    fn starter_config_parses() {
        parse(STARTER).unwrap();
    }
}
