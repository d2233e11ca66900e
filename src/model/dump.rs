//! `costlint debug model`: the resolved Terraform model as text, what a
//! careful reviewer would have in their head. Used by snapshot tests.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use super::Environments;
use super::terraform::Module;
use crate::source::fs::FileSystem;
use crate::terraform::module::{BuildOptions, Builder};

pub fn dump_dir(dir: &Path, cwd: &Path, var_files: &[PathBuf], fs: &dyn FileSystem) -> String {
    dump(cwd, var_files, fs, |b| {
        b.build_root(dir);
    })
}

/// The model of a plan (`terraform show -json`).
pub fn dump_plan(plan: &Path, cwd: &Path, fs: &dyn FileSystem) -> String {
    dump(cwd, &[], fs, |b| {
        crate::terraform::plan::build(b, plan);
    })
}

fn dump(
    cwd: &Path,
    var_files: &[PathBuf],
    fs: &dyn FileSystem,
    build: impl FnOnce(&mut Builder<'_>),
) -> String {
    let opts = BuildOptions {
        fs,
        cwd,
        boundary: None,
        var_files,
        workspace: None,
        max_file_size: 16 * 1024 * 1024,
        max_module_depth: 32,
        max_nesting_depth: crate::terraform::json::MAX_DEPTH,
        cache: None,
        blocks: None,
    };
    let mut builder = Builder::new(&opts);
    build(&mut builder);
    let envs = Environments::default();
    let module = Module::new(&builder.model, &builder.files, &envs);
    let files = &builder.files;
    let loc = |l: crate::finding::Loc| -> String {
        match files.get(l.file) {
            Some(f) => {
                let p = f.position(l.span.start);
                format!("{}:{}", f.path, p.line)
            }
            None => "?".into(),
        }
    };
    let mut s = String::new();
    for (i, inst) in builder.model.instances.iter().enumerate() {
        let name = if inst.address.is_empty() {
            "(root)"
        } else {
            &inst.address
        };
        let dir = builder
            .model
            .configs
            .get(inst.config)
            .map(|c| crate::source::display_path(&c.dir, cwd))
            .unwrap_or_default();
        let _ = writeln!(s, "module {name} [{dir}]");
        let mut providers: Vec<_> = inst.providers.iter().collect();
        providers.sort();
        for (k, r) in providers {
            let _ = writeln!(
                s,
                "  provider {k} -> instance {} block {}",
                r.instance, r.decl
            );
        }
        let _ = i;
    }
    for r in module.resources() {
        let _ = writeln!(s, "resource {}", r.address);
        let _ = writeln!(s, "  at {}", loc(r.header()));
        if r.instances_of_block > 1 || r.is_unknown_instance() {
            let n = if r.is_unknown_instance() {
                "unknown".to_owned()
            } else {
                r.instances_of_block.to_string()
            };
            let _ = writeln!(s, "  instances {n}");
        }
        if let Some((region, origin)) = r.region() {
            let _ = writeln!(
                s,
                "  region {region}{}",
                origin.map(|o| format!(" ({})", loc(o))).unwrap_or_default()
            );
        }
        if let Some(caller) = r.caller() {
            let _ = writeln!(s, "  called from {}", loc(caller));
        }
        let tags = r.tags();
        if tags.supported && (!tags.map.entries.is_empty() || tags.map.partial) {
            let _ = writeln!(
                s,
                "  tags{}",
                if tags.map.partial {
                    " (more may come from unknown values)"
                } else {
                    ""
                }
            );
            for (k, e) in &tags.map.entries {
                let origin = e
                    .origin
                    .map(|o| format!(" ({})", loc(o)))
                    .unwrap_or_default();
                let _ = writeln!(s, "    {k} = {}{origin}", e.value);
            }
        }
        for reference in r.references() {
            let t = &reference.target;
            let inst = builder
                .model
                .instance(t.instance)
                .map(|i| i.address.as_str())
                .unwrap_or("");
            let mode = if t.mode == crate::terraform::module::Mode::Data {
                "data."
            } else {
                ""
            };
            let prefix = if inst.is_empty() {
                String::new()
            } else {
                format!("{inst}.")
            };
            let key = t.key.as_ref().map(|k| format!("[{k}]")).unwrap_or_default();
            let attr = t
                .attribute
                .as_ref()
                .map(|a| format!(".{a}"))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "  references {prefix}{mode}{}.{}{key}{attr} from {} ({})",
                t.rtype,
                t.name,
                reference.path,
                loc(reference.at)
            );
        }
        if let Some((env, _)) = r.environment() {
            let _ = writeln!(s, "  environment {env} ({})", envs.classify(&env).name());
        }
    }
    for d in builder
        .diagnostics
        .iter()
        .chain(builder.model.take_eval_diagnostics().iter())
    {
        let _ = writeln!(s, "problem {} {} at {}", d.code, d.message, loc(d.at));
    }
    s
}
