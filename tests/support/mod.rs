//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use costlint::check::{CheckOptions, Report, check};
use costlint::config::{Selection, Settings};
use costlint::emit::{EmitContext, Format, emitter};
use costlint::source::discover::{DiscoverOptions, discover};
use costlint::source::fs::{FileSystem, RealFs};

/// The disk, with a fixture file's siblings hidden: a single-file
/// Terraform fixture is a module of one file, whatever else shares its
/// folder.
pub struct Isolated {
    pub file: PathBuf,
}

impl FileSystem for Isolated {
    fn read(&self, path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
        RealFs.read(path, max)
    }

    fn files_in(&self, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
        if Some(dir) == self.file.parent() {
            return Ok(vec![self.file.clone()]);
        }
        RealFs.files_in(dir)
    }

    fn is_dir(&self, path: &Path) -> bool {
        RealFs.is_dir(path)
    }

    fn is_file(&self, path: &Path) -> bool {
        RealFs.is_file(path)
    }
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_costlint"));
    cmd.current_dir(root()).env_remove("NO_COLOR");
    cmd
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run costlint")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Checks `path` with settings (from a costlint.toml found upward, or the
/// defaults) restricted to `select`, the way the CLI does.
pub fn check_path(path: &Path, select: Option<&[&str]>) -> Report {
    let cwd = root();
    let selection = Selection::from_config(
        select
            .map(|s| s.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>())
            .as_deref(),
        &[],
        &[],
    )
    .expect("selection");
    let settings = match costlint::config::find_config(&cwd.join(path)) {
        Some(config)
            if config.starts_with(cwd.join("rules"))
                || config.starts_with(std::env::temp_dir()) =>
        {
            Settings::load(&config, &selection).expect("config")
        }
        _ => {
            let mut s = Settings::new(&cwd);
            let mut base = Selection::default();
            base.merge(&selection);
            s.apply_selection(&base);
            s
        }
    };
    let files = discover(
        &[path.to_path_buf()],
        &DiscoverOptions {
            cwd: &cwd,
            base_dir: &settings.base_dir,
            include: settings.include.as_ref(),
            exclude: settings.exclude.as_ref(),
            threads: 1,
        },
    )
    .expect("discover")
    .files;
    let opts = CheckOptions {
        cwd: cwd.clone(),
        boundary: Some(cwd.clone()),
        stdin: None,
        keep_sources: true,
        var_files: Vec::new(),
        plan: None,
    };
    let abs = cwd.join(path);
    if abs.is_file() {
        check(&files, &settings, &Isolated { file: abs }, &opts)
    } else {
        check(&files, &settings, &RealFs, &opts)
    }
}

pub fn render(report: &Report, format: Format) -> String {
    let mut out = Vec::new();
    let cwd = root();
    emitter(format)
        .emit(
            &EmitContext {
                report,
                color: false,
                cwd: &cwd,
                quiet: false,
            },
            &mut out,
        )
        .expect("emit");
    String::from_utf8(out).expect("utf-8")
}

pub mod repo;
pub mod tools;

/// Whether to rewrite generated files instead of comparing them.
pub fn bless() -> bool {
    std::env::var_os("BLESS").is_some_and(|v| v == "1")
}
