//! External validators the tests run: installed on first use from npm or
//! PyPI into `target/test-tools/`, so `cargo test` needs nothing installed
//! by hand.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

static INSTALL: Mutex<()> = Mutex::new(());

pub fn tools_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| super::root().join("target"));
    target.join("test-tools")
}

/// Runs a command that must succeed; panics with its output otherwise.
pub fn run_ok(cmd: &mut Command, what: &str) -> std::process::Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Microsoft's SARIF multitool (npm `@microsoft/sarif-multitool`).
pub fn sarif_multitool() -> PathBuf {
    let _guard = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tools_dir().join("npm");
    let exe = dir.join("node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");
    if !exe.is_file() {
        std::fs::create_dir_all(&dir).expect("tools dir");
        run_ok(
            Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "--prefix"])
                .arg(&dir)
                .arg("@microsoft/sarif-multitool@5.7.0"),
            "npm install @microsoft/sarif-multitool",
        );
    }
    assert!(exe.is_file(), "{} missing after install", exe.display());
    exe
}

/// A Python virtual environment with the given PyPI packages; returns its
/// `bin` directory.
pub fn python_tools(name: &str, packages: &[&str]) -> PathBuf {
    let _guard = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let venv = tools_dir().join(format!("venv-{name}"));
    let bin = venv.join("bin");
    let marker = venv.join(".installed");
    let wanted = packages.join(" ");
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(wanted.as_str()) {
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        run_ok(
            Command::new(&python).args(["-m", "venv"]).arg(&venv),
            "python3 -m venv",
        );
        run_ok(
            Command::new(bin.join("pip"))
                .args(["install", "--quiet", "--disable-pip-version-check"])
                .args(packages),
            &format!("pip install {wanted}"),
        );
        std::fs::write(&marker, &wanted).expect("marker");
    }
    bin
}

pub fn exists(p: &Path) -> bool {
    p.exists()
}
