use std::io::{self, Write};

use super::{CliError, ListFormat, io_err};
use crate::rules::RULES;

pub fn show(code_or_name: &str) -> Result<i32, CliError> {
    let Some(rule) = crate::rules::lookup(code_or_name) else {
        return Err(CliError::Usage(format!(
            "unknown rule `{code_or_name}`; `costlint rules` lists them"
        )));
    };
    let mut out = io::stdout().lock();
    out.write_all(crate::docs::rule_page(rule.meta()).as_bytes())
        .map_err(io_err("stdout"))?;
    Ok(0)
}

pub fn list(format: ListFormat) -> Result<i32, CliError> {
    let mut out = io::stdout().lock();
    match format {
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = RULES
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({
                        "code": m.code,
                        "name": m.name,
                        "category": m.category.name(),
                        "severity": m.severity.as_str(),
                        "fixable": m.fixable,
                        "default_enabled": m.default_enabled,
                        "summary": m.summary(),
                        "url": m.url(),
                    })
                })
                .collect();
            let text = serde_json::to_string_pretty(&list).unwrap_or_default();
            writeln!(out, "{text}").map_err(io_err("stdout"))?;
        }
        ListFormat::Text => {
            let width = RULES.iter().map(|r| r.meta().name.len()).max().unwrap_or(0);
            for r in RULES {
                let m = r.meta();
                writeln!(
                    out,
                    "{}  {:<width$}  {:<13}  {:<7}  {}",
                    m.code,
                    m.name,
                    m.category.name(),
                    m.severity.as_str(),
                    m.summary()
                )
                .map_err(io_err("stdout"))?;
            }
        }
    }
    Ok(0)
}
