//! The command line end to end: every output format on examples/, exit
//! codes, errors, stdin, selection, baselines and determinism.

mod support;

use std::io::Write;
use std::process::Stdio;

use support::{run, stderr, stdout};

/// Absolute paths differ between machines; SARIF carries the root.
fn redact(text: &str) -> String {
    let root = support::root().display().to_string();
    text.replace(&format!("file://{root}/"), "file:///ROOT/")
        .replace(&root, "/ROOT")
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({
        snapshot_path => "snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, redact(text));
    });
}

#[test]
fn examples_in_every_format() {
    for format in ["text", "json", "sarif", "github", "markdown"] {
        let out = run(&["check", "examples", "--format", format]);
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{format}: {}", stderr(&out));
        snapshot(&format!("examples_{format}"), &stdout(&out));
    }
}

#[test]
fn cost_of_examples_as_a_table_and_json() {
    let out = run(&["cost", "examples"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    snapshot("cost_examples_table", &stdout(&out));
    let out = run(&["cost", "examples", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    // The total is the sum of the modules, each the sum of its resources.
    let modules = doc["modules"].as_array().expect("modules");
    let sum: f64 = modules
        .iter()
        .filter_map(|m| m["monthly_usd"].as_f64())
        .sum();
    assert!((doc["monthly_usd"].as_f64().expect("total") - sum).abs() < 0.005);
    for m in modules {
        let resources: f64 = m["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .filter_map(|r| r["monthly_usd"].as_f64())
            .sum();
        assert!((m["monthly_usd"].as_f64().expect("module") - resources).abs() < 0.005);
    }
    snapshot("cost_examples_json", &stdout(&out));
    // The same numbers whatever the thread count.
    let one = stdout(&run(&["cost", "examples", "-j", "1"]));
    let two = stdout(&run(&["cost", "examples", "-j", "2"]));
    assert_eq!(one, two);
}

#[test]
fn output_is_identical_for_any_thread_count() {
    for format in ["text", "json", "sarif", "github", "markdown"] {
        let one = stdout(&run(&["check", "examples", "--format", format, "-j", "1"]));
        let two = stdout(&run(&["check", "examples", "--format", format, "-j", "2"]));
        let eight = stdout(&run(&["check", "examples", "--format", format, "-j", "8"]));
        assert_eq!(one, two, "{format}");
        assert_eq!(one, eight, "{format}");
    }
}

#[test]
fn fail_on_decides_the_exit_code() {
    assert_eq!(
        run(&["check", "examples", "-q", "--fail-on", "never"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["check", "examples", "-q", "--fail-on", "warning"])
            .status
            .code(),
        Some(1)
    );
    // Only warnings and notes in the Kubernetes examples' CL104 findings.
    assert_eq!(
        run(&[
            "check",
            "examples/kubernetes/deployment.yaml",
            "-q",
            "--select",
            "CL104",
            "--fail-on",
            "error"
        ])
        .status
        .code(),
        Some(0)
    );
}

#[test]
fn selection_by_code_name_and_category() {
    let codes = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["check", "examples", "--format", "json"];
        a.extend_from_slice(args);
        let doc: serde_json::Value = serde_json::from_str(&stdout(&run(&a))).expect("json");
        let mut codes: Vec<String> = doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["code"].as_str().unwrap_or("").to_owned())
            .collect();
        codes.dedup();
        codes
    };
    assert_eq!(codes(&["--select", "CL501"]), ["CL501"]);
    assert_eq!(codes(&["--select", "ebs-gp2-volume"]), ["CL501"]);
    let mut storage = codes(&["--select", "storage"]);
    storage.sort();
    storage.dedup();
    assert_eq!(storage, ["CL501", "CL502"]);
    let mut pricing = codes(&["--select", "pricing-model"]);
    pricing.sort();
    pricing.dedup();
    assert_eq!(pricing, ["CL601", "CL602", "CL603"]);
    assert!(!codes(&["--ignore", "CL5"]).contains(&"CL501".to_owned()));
    assert!(
        !codes(&["--ignore", "CL501,CL104"])
            .iter()
            .any(|c| c == "CL501" || c == "CL104")
    );
}

#[test]
fn usage_and_config_errors_exit_2_with_one_line() {
    let out = run(&["check", "no/such/dir"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim(),
        "costlint: error: no/such/dir: no such file or directory"
    );

    let out = run(&["check", "examples", "--select", "CL5O1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown rule selector `CL5O1`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stderr(&out).trim().lines().count(), 1);

    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("costlint.toml");
    std::fs::write(
        &config,
        "fail-on = \"warning\"\n\n[rules.ebs-gp2-volume]\ntypes = \"gp2\"\n",
    )
    .expect("write");
    let out = run(&[
        "check",
        "examples",
        "--config",
        config.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("costlint.toml:4:"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    let out = run(&["check", "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn stdin_manifests() {
    let mut child = support::bin()
        .args(["check", "-", "--format", "github"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let manifest =
        std::fs::read_to_string(support::root().join("examples/kubernetes/deployment.yaml"))
            .expect("read");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(manifest.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("file=<stdin>,line=19"), "{text}");
}

#[test]
fn a_broken_pipe_is_not_an_error() {
    let mut child = support::bin()
        .args(["check", "examples", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Close the read end at once.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}", out.status);
}

#[test]
fn baseline_drops_known_findings_and_keeps_new_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tree = dir.path().join("tree");
    std::fs::create_dir_all(&tree).expect("mkdir");
    let tf = tree.join("main.tf");
    std::fs::write(&tf, "resource \"aws_ebs_volume\" \"a\" {\n  availability_zone = \"eu-west-1a\"\n  type = \"gp2\"\n}\n").expect("write");
    let baseline = dir.path().join("baseline.json");
    let out = support::bin()
        .current_dir(dir.path())
        .args([
            "baseline",
            "tree",
            "-o",
            "baseline.json",
            "--select",
            "CL501",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(baseline.is_file());
    // Lines move: still recognised.
    std::fs::write(&tf, "\n\n# moved\nresource \"aws_ebs_volume\" \"a\" {\n  availability_zone = \"eu-west-1a\"\n  type = \"gp2\"\n}\n").expect("write");
    let out = support::bin()
        .current_dir(dir.path())
        .args([
            "check",
            "tree",
            "--baseline",
            "baseline.json",
            "-q",
            "--select",
            "CL501",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // A new finding is reported.
    std::fs::write(
        &tf,
        "resource \"aws_ebs_volume\" \"a\" {\n  availability_zone = \"eu-west-1a\"\n  type = \"gp2\"\n}\nresource \"aws_ebs_volume\" \"b\" {\n  availability_zone = \"eu-west-1a\"\n  type = \"gp2\"\n}\n",
    )
    .expect("write");
    let out = support::bin()
        .current_dir(dir.path())
        .args([
            "check",
            "tree",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
            "--select",
            "CL501",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(doc["findings"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["findings"][0]["resource"], "aws_ebs_volume.b");
}

#[test]
fn rule_and_rules() {
    let out = run(&["rule", "CL501"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("## Why is this bad?"));
    assert_eq!(stdout(&run(&["rule", "ebs-gp2-volume"])), stdout(&out));
    assert_eq!(run(&["rule", "CL999"]).status.code(), Some(2));
    let out = run(&["rules", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(
        list.as_array().map(Vec::len),
        Some(costlint::rules::RULES.len())
    );
    let text = stdout(&run(&["rules"]));
    for r in costlint::rules::RULES {
        assert!(text.contains(r.meta().code) && text.contains(r.meta().name));
    }
}

#[test]
fn init_writes_a_config_that_parses() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = support::bin()
        .current_dir(dir.path())
        .arg("init")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(dir.path().join("costlint.toml")).expect("read");
    assert_eq!(written, costlint::config::STARTER);
    let out = support::bin()
        .current_dir(dir.path())
        .arg("init")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "init must not overwrite");
}

#[test]
fn completions_and_version() {
    let out = run(&["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("costlint"));
    let out = run(&["--version"]);
    assert_eq!(
        stdout(&out).trim(),
        format!("costlint {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn no_color_on_pipes_and_with_no_color() {
    let out = run(&["check", "examples"]);
    assert!(
        !stdout(&out).contains('\u{1b}'),
        "no ANSI escapes when not on a terminal"
    );
}
