//! The whole check over an in-memory file set: discovery by name, module
//! roots, Terraform and Kubernetes models, every rule, suppressions,
//! limits, a plan (`plan.json`), stdin (`-`), a `costlint.toml`, and every
//! output format.
#![no_main]

use std::path::{Path, PathBuf};

use costlint::check::{CheckOptions, check};
use costlint::config::{Selection, Settings};
use costlint::emit::{EmitContext, Format, emitter};
use costlint::source::FileKind;
use costlint_fuzz::{FileSet, ROOT};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let set = FileSet::decode(data);
    let root = Path::new(ROOT);
    let all = Selection::from_config(Some(&["ALL".to_owned()]), &[], &[]).unwrap_or_default();
    let mut settings = set
        .get("costlint.toml")
        .and_then(|t| String::from_utf8(t).ok())
        .and_then(|t| Settings::parse(&t, "costlint.toml", root, &all).ok())
        .unwrap_or_else(|| {
            let mut s = Settings::new(root);
            s.apply_selection(&all);
            s
        });
    // Keep each run short, whatever the configuration asks.
    settings.limits.max_file_size = settings.limits.max_file_size.min(1 << 20);
    let paths: Vec<PathBuf> = set
        .paths
        .iter()
        .filter(|p| FileKind::from_path(p).is_some())
        .cloned()
        .collect();
    let plan = root.join("plan.json");
    let opts = CheckOptions {
        cwd: root.to_path_buf(),
        boundary: Some(root.to_path_buf()),
        stdin: set
            .get("-")
            .map(|b| String::from_utf8_lossy(&b).into_owned()),
        keep_sources: true,
        keep_files: false,
        var_files: Vec::new(),
        plan: set.paths.contains(&plan).then_some(plan),
        blocks: None,
        manifest_context: Vec::new(),
    };
    let report = check(&paths, &settings, &set.fs, &opts);
    for format in [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Markdown,
    ] {
        let mut out = Vec::new();
        let cx = EmitContext {
            report: &report,
            color: false,
            cwd: root,
            quiet: false,
        };
        let _ = emitter(format).emit(&cx, &mut out);
    }
});
