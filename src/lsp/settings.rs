//! Settings an editor passes: as `initializationOptions`, in
//! `workspace/didChangeConfiguration`, or as the answer to
//! `workspace/configuration` for the section `costlint`.

use std::path::PathBuf;

use serde::Deserialize;

use crate::config::Selection;

/// What an editor may set. The command-line flags of the same names do
/// the same; the configuration file still applies underneath.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClientSettings {
    /// Configuration file, instead of the nearest `costlint.toml` upward;
    /// relative to the first workspace folder.
    #[serde(alias = "config")]
    pub config_path: Option<PathBuf>,
    /// Rules to run, replacing the configuration's selection.
    pub select: Option<Vec<String>>,
    /// Rules to add to the selection.
    pub extend_select: Vec<String>,
    /// Rules to skip.
    pub ignore: Vec<String>,
}

impl ClientSettings {
    /// Reads settings from a JSON value: either the settings themselves or
    /// an object with a `costlint` key. `Ok(None)` when it holds none.
    pub fn from_json(value: &serde_json::Value) -> Result<Option<ClientSettings>, String> {
        let value = match value.get("costlint") {
            Some(inner) => inner,
            None => value,
        };
        let Some(object) = value.as_object() else {
            return Ok(None);
        };
        if object.is_empty() {
            return Ok(None);
        }
        let mut settings = ClientSettings::deserialize(value)
            .map_err(|e| format!("invalid costlint settings: {e}"))?;
        // Editors send an empty string for an unset path.
        if settings
            .config_path
            .as_ref()
            .is_some_and(|p| p.as_os_str().is_empty())
        {
            settings.config_path = None;
        }
        Selection::from_config(
            settings.select.as_deref(),
            &settings.extend_select,
            &settings.ignore,
        )
        .map_err(|e| format!("invalid costlint settings: {e}"))?;
        Ok(Some(settings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_or_flat() {
        let s =
            ClientSettings::from_json(&json!({"costlint": {"select": ["CL5"], "configPath": ""}}))
                .unwrap()
                .unwrap();
        assert_eq!(s.select, Some(vec!["CL5".to_owned()]));
        assert_eq!(s.config_path, None);
        let s = ClientSettings::from_json(&json!({"ignore": ["CL104"], "unrelated": 1}))
            .unwrap()
            .unwrap();
        assert_eq!(s.ignore, ["CL104"]);
        assert_eq!(ClientSettings::from_json(&json!(null)).unwrap(), None);
        assert_eq!(ClientSettings::from_json(&json!({})).unwrap(), None);
    }

    #[test]
    fn bad_settings_are_errors() {
        assert!(ClientSettings::from_json(&json!({"select": "CL5"})).is_err());
        assert!(ClientSettings::from_json(&json!({"ignore": ["CL5O1"]})).is_err());
    }
}
