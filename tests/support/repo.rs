//! Temporary git repositories for the integration tests of the
//! pre-commit hooks and the GitHub Action.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs git in `dir` with a fixed identity; panics with its output on
/// failure. Returns stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = super::tools::run_ok(
        Command::new("git")
            .args([
                "-c",
                "user.name=costlint tests",
                "-c",
                "user.email=tests@costlint.invalid",
                "-c",
                "commit.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .current_dir(dir),
        &format!("git {args:?}"),
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A new repository at `dir` (created) with its files committed.
pub fn init_and_commit(dir: &Path, message: &str) {
    std::fs::create_dir_all(dir).expect("mkdir");
    git(dir, &["init", "--quiet"]);
    commit_all(dir, message);
}

pub fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "--all"]);
    git(dir, &["commit", "--quiet", "--allow-empty", "-m", message]);
}

/// Copies this checkout as it is on disk (tracked and untracked files,
/// not ignored ones) to `dest` and commits it there: what a user's
/// `rev:` would point at, including work not committed yet.
pub fn snapshot_checkout(dest: &Path) {
    let root = super::root();
    let list = git(
        &root,
        &[
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
    );
    for rel in list.split('\0').filter(|p| !p.is_empty()) {
        let from = root.join(rel);
        if !from.is_file() {
            continue;
        }
        let to = dest.join(rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&from, &to).unwrap_or_else(|e| panic!("copy {rel}: {e}"));
    }
    init_and_commit(dest, "snapshot");
}

/// Environment for a `cargo install` of this crate inside a test: a
/// shared target directory under `target/test-tools/`, so every install
/// after the first only rebuilds costlint itself, and the release profile
/// made cheap (no LTO, no optimisation) since these tests check the
/// wiring, not the speed of the binary.
pub fn cargo_install_env(cmd: &mut Command) -> &mut Command {
    cmd.env("CARGO_TARGET_DIR", install_target_dir())
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
}

pub fn install_target_dir() -> PathBuf {
    super::tools::tools_dir().join("cargo-install-target")
}

/// The directory of the costlint binary built for these tests.
pub fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_costlint"))
        .parent()
        .expect("bin dir")
        .to_path_buf()
}

/// `PATH` with `dir` in front.
pub fn path_with(dir: &Path) -> std::ffi::OsString {
    let mut paths = vec![dir.to_path_buf()];
    if let Some(old) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&old));
    }
    std::env::join_paths(paths).expect("PATH")
}
