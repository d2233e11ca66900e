//! Zed extension: starts `costlint lsp` for Terraform and YAML. Zed runs
//! only language servers that an extension declares; this one finds
//! `costlint` on PATH, or takes `lsp.costlint.binary` from the settings,
//! and passes `lsp.costlint.settings` on as the `costlint` section.

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

struct Costlint;

impl zed::Extension for Costlint {
    fn new() -> Self {
        Costlint
    }

    fn language_server_command(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(language_server_id.as_ref(), worktree)
            .ok()
            .and_then(|s| s.binary);
        let command = binary
            .as_ref()
            .and_then(|b| b.path.clone())
            .or_else(|| worktree.which("costlint"))
            .ok_or_else(|| {
                "costlint is not on PATH; install it, or set lsp.costlint.binary.path".to_string()
            })?;
        let args = binary
            .and_then(|b| b.arguments)
            .unwrap_or_else(|| vec!["lsp".into()]);
        Ok(zed::Command {
            command,
            args,
            env: Vec::new(),
        })
    }

    fn language_server_workspace_configuration(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(
            LspSettings::for_worktree(language_server_id.as_ref(), worktree)
                .ok()
                .and_then(|s| s.settings)
                .map(|s| zed::serde_json::json!({ "costlint": s })),
        )
    }
}

zed::register_extension!(Costlint);
