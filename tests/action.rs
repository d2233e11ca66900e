//! The GitHub Action: `action.yml` and the example workflow match GitHub's
//! schemas (`check-jsonschema` from PyPI), and the action's shell steps
//! (`scripts/action.sh`, exactly what `action.yml` runs) do their job with
//! simulated `GITHUB_*`/`INPUT_*` variables on a pull request that touches
//! `examples/`: SARIF, annotations on the changed lines only, the job
//! summary, the outputs, failing on `fail-on`, and installing costlint.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use support::repo::{self, git};

fn check_jsonschema() -> PathBuf {
    support::tools::python_tools("check-jsonschema", &["check-jsonschema==0.39.0"])
        .join("check-jsonschema")
}

fn validate(schema: &str, file: &Path) -> Output {
    Command::new(check_jsonschema())
        .args(["--builtin-schema", schema])
        .arg(file)
        .output()
        .expect("run check-jsonschema")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn action_and_workflow_match_the_github_schemas() {
    let root = support::root();
    let o = validate("vendor.github-actions", &root.join("action.yml"));
    assert!(o.status.success(), "action.yml:\n{}", text(&o));
    let o = validate(
        "vendor.github-workflows",
        &root.join("examples/workflows/costlint.yml"),
    );
    assert!(o.status.success(), "example workflow:\n{}", text(&o));

    // The validator does catch mistakes.
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = dir.path().join("action.yml");
    let action = std::fs::read_to_string(root.join("action.yml")).expect("read");
    std::fs::write(
        &broken,
        action.replace("using: composite", "using: compost"),
    )
    .expect("write");
    assert!(!validate("vendor.github-actions", &broken).status.success());
}

/// A new resource on the pull request's branch: its lines are the only
/// changed ones.
const PR_TF: &str = r#"resource "aws_ebs_volume" "scratch" {
  availability_zone = "eu-west-1a"
  size              = 50
  type              = "gp2"
}
"#;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).expect("copy");
        }
    }
}

/// A workspace as `actions/checkout` leaves it for a pull request: HEAD is
/// the merge commit of the branch into the base.
struct Workspace {
    tmp: tempfile::TempDir,
    repo: PathBuf,
}

impl Workspace {
    fn pull_request() -> Workspace {
        let tmp = tempfile::tempdir().expect("tempdir");
        let repo = tmp.path().join("repo");
        copy_dir(&support::root().join("examples"), &repo.join("examples"));
        repo::init_and_commit(&repo, "base");
        git(&repo, &["checkout", "--quiet", "-b", "feature"]);
        std::fs::write(repo.join("examples/terraform/aws/pr.tf"), PR_TF).expect("write");
        repo::commit_all(&repo, "add a scratch volume");
        git(&repo, &["checkout", "--quiet", "main"]);
        git(
            &repo,
            &[
                "merge",
                "--quiet",
                "--no-ff",
                "-m",
                "merge feature",
                "feature",
            ],
        );
        Workspace { tmp, repo }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// Runs one step of the action with the variables a runner sets.
    fn step(&self, step: &str, env: &[(&str, &str)]) -> Output {
        for f in ["output", "summary", "path"] {
            let _ = std::fs::remove_file(self.file(f));
        }
        let runner_temp = self.file("runner-temp");
        std::fs::create_dir_all(&runner_temp).expect("mkdir");
        let mut cmd = Command::new("bash");
        cmd.arg(support::root().join("scripts/action.sh"))
            .arg(step)
            .current_dir(&self.repo)
            .env("PATH", repo::path_with(&repo::bin_dir()))
            .env("GITHUB_OUTPUT", self.file("output"))
            .env("GITHUB_STEP_SUMMARY", self.file("summary"))
            .env("GITHUB_PATH", self.file("path"))
            .env("GITHUB_WORKSPACE", &self.repo)
            .env("GITHUB_ACTION_PATH", support::root())
            .env("RUNNER_TEMP", &runner_temp)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("GITHUB_EVENT_NAME", "pull_request")
            .env("GITHUB_BASE_REF", "main")
            .env("NO_COLOR", "1");
        for (k, _) in std::env::vars() {
            if k.starts_with("INPUT_") {
                cmd.env_remove(k);
            }
        }
        // The action's defaults, as action.yml passes them.
        for (k, v) in [
            ("INPUT_PATHS", "examples"),
            ("INPUT_CONFIG", ""),
            ("INPUT_FAIL_ON", "warning"),
            ("INPUT_FORMAT", ""),
            ("INPUT_SARIF_FILE", "costlint.sarif"),
            ("INPUT_SUMMARY", "true"),
            ("INPUT_VERSION", ""),
        ] {
            cmd.env(k, v);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("run action.sh")
    }

    fn outputs(&self) -> BTreeMap<String, String> {
        std::fs::read_to_string(self.file("output"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }
}

fn annotations(o: &Output) -> Vec<String> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| l.starts_with("::"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn run_step_on_a_pull_request() {
    let ws = Workspace::pull_request();
    let o = ws.step(
        "run",
        &[("INPUT_FORMAT", "json=costlint.json text=costlint.txt")],
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = ws.outputs();

    // SARIF with every finding, the new one included.
    assert_eq!(out["sarif-file"], "costlint.sarif");
    let sarif: Value = serde_json::from_str(
        &std::fs::read_to_string(ws.repo.join("costlint.sarif")).expect("sarif"),
    )
    .expect("json");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(out["findings"], results.len().to_string());
    let uri = |r: &Value| {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    };
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "CL501" && uri(r) == "examples/terraform/aws/pr.tf")
    );
    assert!(
        results
            .iter()
            .any(|r| uri(r) != "examples/terraform/aws/pr.tf"),
        "findings on unchanged lines are in the SARIF too"
    );

    // Annotations only on the lines the pull request changed.
    let notes = annotations(&o);
    assert!(!notes.is_empty(), "{}", text(&o));
    for a in &notes {
        assert!(
            a.contains("file=examples/terraform/aws/pr.tf,"),
            "annotation outside the change: {a}"
        );
        let line: usize = a
            .split(",line=")
            .nth(1)
            .and_then(|r| r.split(',').next())
            .and_then(|n| n.parse().ok())
            .expect("line");
        assert!((1..=5).contains(&line), "{a}");
    }
    assert!(
        notes.iter().any(|a| a.starts_with("::warning ")
            && a.contains(
                "title=CL501 ebs-gp2-volume::`aws_ebs_volume.scratch` uses EBS volume type `gp2`"
            )),
        "{notes:#?}"
    );

    // The job summary: counts, and a table per file.
    let summary = std::fs::read_to_string(ws.file("summary")).expect("summary");
    assert!(summary.starts_with("## costlint\n"), "{summary}");
    assert!(
        summary.contains("### `examples/terraform/aws/pr.tf`"),
        "{summary}"
    );
    assert!(
        summary.contains(&format!("**{} findings**", results.len())),
        "{summary}"
    );

    // Extra formats from the same run.
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(ws.repo.join("costlint.json")).expect("json report"),
    )
    .expect("json");
    assert!(json.is_object(), "{json}");
    let txt = std::fs::read_to_string(ws.repo.join("costlint.txt")).expect("text report");
    assert!(txt.contains("ebs-gp2-volume"), "{txt}");

    // Findings at or above fail-on: the last step fails, after the upload.
    assert_eq!(out["status"], "1");
    let o = ws.step("finish", &[("COSTLINT_STATUS", &out["status"])]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("fail-on (warning)"), "{}", text(&o));
}

#[test]
fn run_step_options() {
    let ws = Workspace::pull_request();

    // Outside a pull request every finding is annotated.
    let o = ws.step(
        "run",
        &[("GITHUB_EVENT_NAME", "push"), ("INPUT_SUMMARY", "false")],
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = ws.outputs();
    assert_eq!(annotations(&o).len().to_string(), out["findings"]);
    assert!(!ws.file("summary").exists(), "summary: false writes none");

    // fail-on never: findings, but a green step.
    let o = ws.step("run", &[("INPUT_FAIL_ON", "never")]);
    assert!(o.status.success(), "{}", text(&o));
    let out = ws.outputs();
    assert_ne!(out["findings"], "0");
    assert_eq!(out["status"], "0");
    let o = ws.step(
        "finish",
        &[("COSTLINT_STATUS", "0"), ("INPUT_FAIL_ON", "never")],
    );
    assert!(o.status.success(), "{}", text(&o));

    // Paths, a configuration file and a SARIF path of one's own.
    std::fs::write(ws.repo.join("only-k8s.toml"), "select = [\"CL104\"]\n").expect("write");
    let o = ws.step(
        "run",
        &[
            ("INPUT_PATHS", "examples/kubernetes\nexamples/terraform"),
            ("INPUT_CONFIG", "only-k8s.toml"),
            ("INPUT_SARIF_FILE", "out/k8s.sarif"),
        ],
    );
    // The SARIF directory must exist: the check fails cleanly otherwise.
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    std::fs::create_dir_all(ws.repo.join("out")).expect("mkdir");
    let o = ws.step(
        "run",
        &[
            ("INPUT_PATHS", "examples/kubernetes\nexamples/terraform"),
            ("INPUT_CONFIG", "only-k8s.toml"),
            ("INPUT_SARIF_FILE", "out/k8s.sarif"),
            ("GITHUB_EVENT_NAME", "push"),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(ws.outputs()["sarif-file"], "out/k8s.sarif");
    let notes = annotations(&o);
    assert!(!notes.is_empty());
    assert!(
        notes.iter().all(|a| a.contains("title=CL104 ")),
        "{notes:#?}"
    );

    // A broken configuration fails the run step itself, with the reason.
    std::fs::write(ws.repo.join("bad.toml"), "bogus = 1\n").expect("write");
    let o = ws.step("run", &[("INPUT_CONFIG", "bad.toml")]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("bad.toml:1:"), "{}", text(&o));
}

fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .expect("hash")
        .to_owned()
}

#[test]
fn install_step_uses_a_release_binary_when_there_is_one() {
    let ws = Workspace::pull_request();
    // A release as the action expects it: costlint-<target>.tar.gz and its
    // checksum, here holding the binary under test.
    let releases = ws.file("releases");
    let dir = releases.join("v0.1.0");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let tarball = dir.join("costlint-x86_64-unknown-linux-gnu.tar.gz");
    let status = Command::new("tar")
        .arg("-czf")
        .arg(&tarball)
        .arg("-C")
        .arg(repo::bin_dir())
        .arg("costlint")
        .status()
        .expect("tar");
    assert!(status.success());
    std::fs::write(
        dir.join("costlint-x86_64-unknown-linux-gnu.tar.gz.sha256"),
        format!(
            "{}  costlint-x86_64-unknown-linux-gnu.tar.gz\n",
            sha256(&tarball)
        ),
    )
    .expect("write");
    let url = format!("file://{}", releases.display());

    let o = ws.step(
        "install",
        &[("INPUT_VERSION", "v0.1.0"), ("COSTLINT_RELEASES_URL", &url)],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(ws.outputs()["installed"], "true");
    let path = std::fs::read_to_string(ws.file("path")).expect("GITHUB_PATH");
    let installed = Path::new(path.trim()).join("costlint");
    let v = Command::new(&installed)
        .arg("--version")
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&v.stdout).starts_with("costlint "));

    // A tampered download is refused.
    std::fs::write(
        dir.join("costlint-x86_64-unknown-linux-gnu.tar.gz.sha256"),
        "0000  costlint-x86_64-unknown-linux-gnu.tar.gz\n",
    )
    .expect("write");
    let o = ws.step(
        "install",
        &[("INPUT_VERSION", "v0.1.0"), ("COSTLINT_RELEASES_URL", &url)],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("checksum mismatch"), "{}", text(&o));

    // No binary for that version: build it from its tag.
    let o = ws.step(
        "install",
        &[("INPUT_VERSION", "v9.9.9"), ("COSTLINT_RELEASES_URL", &url)],
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = ws.outputs();
    assert_eq!(out["installed"], "false");
    assert_eq!(out["build-from"], "tag");
    assert_eq!(out["cache-key"], "costlint-Linux-X64-v9.9.9");

    // A branch or commit as the action's ref: build from its checkout,
    // cached by what the binary is made of.
    let o = ws.step(
        "install",
        &[("ACTION_REF", "main"), ("COSTLINT_RELEASES_URL", &url)],
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = ws.outputs();
    assert_eq!(out["installed"], "false");
    assert_eq!(out["build-from"], "checkout");
    let key = &out["cache-key"];
    assert!(
        key.starts_with("costlint-Linux-X64-") && key.len() == "costlint-Linux-X64-".len() + 64,
        "{key}"
    );
}

/// The build step runs `cargo install` from the action's checkout; the
/// second run finds the cached install root and builds nothing. The build
/// shares its target directory with the pre-commit test.
#[test]
fn build_step_installs_from_the_checkout_and_reuses_the_cache() {
    let ws = Workspace::pull_request();
    let hooks = ws.file("action");
    repo::snapshot_checkout(&hooks);
    let root = ws.file("install-root");
    let root_s = root.to_str().expect("utf-8");
    let hooks_s = hooks.to_str().expect("utf-8");
    let env = [
        ("INSTALL_ROOT", root_s),
        ("BUILD_FROM", "checkout"),
        ("GITHUB_ACTION_PATH", hooks_s),
    ];
    let step = |env: &[(&str, &str)]| {
        let mut cmd = Command::new("bash");
        cmd.arg(support::root().join("scripts/action.sh"))
            .arg("build")
            .env("GITHUB_PATH", ws.file("path"));
        repo::cargo_install_env(&mut cmd);
        cmd.envs(env.iter().copied())
            .output()
            .expect("run action.sh build")
    };
    let o = step(&env);
    assert!(o.status.success(), "{}", text(&o));
    assert!(root.join("bin/costlint").is_file());
    let path = std::fs::read_to_string(ws.file("path")).expect("GITHUB_PATH");
    assert_eq!(path.trim(), root.join("bin").to_str().expect("utf-8"));
    let o = step(&env);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("using the cached build"), "{}", text(&o));
}
