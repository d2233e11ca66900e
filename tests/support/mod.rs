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
        keep_files: false,
        var_files: Vec::new(),
        plan: None,
        blocks: None,
        manifest_context: Vec::new(),
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

/// Runs `costlint ARGS` in `dir` under a virtual memory limit and a
/// deadline; panics when it is exceeded. Output goes through files, so a
/// large report never blocks on a full pipe.
pub fn run_bounded(dir: &Path, args: &[&str], deadline: std::time::Duration) -> Output {
    use std::time::Instant;
    let exe = env!("CARGO_BIN_EXE_costlint");
    let out_dir = tempfile::tempdir().expect("tempdir");
    let stdout = out_dir.path().join("stdout");
    let stderr = out_dir.path().join("stderr");
    let quoted: Vec<String> = args
        .iter()
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    // 2 GiB of address space: generous for threads' stacks, fatal for a
    // runaway allocation.
    let script = format!(
        "ulimit -v 2097152; exec '{exe}' {} > '{}' 2> '{}' < /dev/null",
        quoted.join(" "),
        stdout.display(),
        stderr.display()
    );
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .spawn()
        .expect("spawn");
    let end = Instant::now() + deadline;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > end {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "costlint {args:?} did not finish within {deadline:?} in {}",
                dir.display()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Output {
        status,
        stdout: std::fs::read(stdout).expect("stdout"),
        stderr: std::fs::read(stderr).expect("stderr"),
    }
}
