//! Hostile files get a clear finding (or note) while a good file beside
//! them is still checked, within a time and memory bound; nothing panics.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const GOOD_TF: &str = "resource \"aws_ebs_volume\" \"good\" {\n  availability_zone = \"eu-west-1a\"\n  type = \"gp2\"\n}\n";
const GOOD_YAML: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: good\nspec:\n  containers:\n    - name: c\n      image: x\n";

/// Runs `costlint check DIR --format json` under a virtual memory limit
/// and a deadline; returns the findings as "CODE file".
fn check_dir(dir: &Path) -> Vec<String> {
    let exe = env!("CARGO_BIN_EXE_costlint");
    // 2 GiB of address space: generous for threads' stacks, fatal for a
    // runaway allocation.
    let script = format!("ulimit -v 2097152; exec '{exe}' check . --format json");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("costlint did not finish within 60 s on {}", dir.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {err}",
        out.status
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["code"].as_str().unwrap_or(""),
                f["path"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn case(name: &str, contents: &[u8], expected: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("good.tf"), GOOD_TF).expect("write");
    std::fs::write(dir.path().join("good.yaml"), GOOD_YAML).expect("write");
    std::fs::write(dir.path().join(name), contents).expect("write");
    let found = check_dir(dir.path());
    assert!(
        found.contains(&"CL501 good.tf".to_owned()),
        "{name}: the good Terraform file was not checked: {found:?}"
    );
    assert!(
        found.contains(&"CL104 good.yaml".to_owned()),
        "{name}: the good YAML file was not checked: {found:?}"
    );
    let wanted = format!("{expected} {name}");
    assert!(
        found.contains(&wanted),
        "{name}: expected {wanted} in {found:?}"
    );
}

#[test]
fn syntax_errors() {
    case(
        "broken.tf",
        b"resource \"aws_instance\" \"x\" {\n  ami = \"a\"\n",
        "CL000",
    );
    case(
        "broken.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n",
        "CL000",
    );
    case("broken.tf.json", b"{\"resource\": ", "CL000");
    case("broken.tfvars", b"size = \n", "CL000");
}

#[test]
fn yaml_alias_bomb() {
    let mut text = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for name in 'b'..='i' {
        text.push_str(&format!("  {name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        prev = name;
    }
    case("bomb.yaml", text.as_bytes(), "CL000");
}

#[test]
fn deep_nesting() {
    let deep =
        |open: &str, close: &str| format!("{}{}", open.repeat(100_000), close.repeat(100_000));
    case(
        "deep.tf",
        format!("locals {{\n  x = {}\n}}\n", deep("[", "]")).as_bytes(),
        "CL000",
    );
    case(
        "deep.yaml",
        format!(
            "apiVersion: v1\nkind: ConfigMap\ndata: {}\n",
            deep("[", "]")
        )
        .as_bytes(),
        "CL000",
    );
    case("deep.tf.json", deep("[", "]").as_bytes(), "CL000");
    case(
        "deep_braces.tf",
        format!("locals {{\n  x = {}\n}}\n", deep("{a=", "}")).as_bytes(),
        "CL000",
    );
}

#[test]
fn binary_and_invalid_utf8() {
    let mut binary: Vec<u8> = (0..=255u8).cycle().take(64 * 1024).collect();
    binary.insert(0, 0);
    case("binary.tf", &binary, "CL000");
    case(
        "latin1.tf",
        b"resource \"aws_instance\" \"caf\xe9\" {\n}\n",
        "CL000",
    );
    case(
        "latin1.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: caf\xe9\n",
        "CL000",
    );
}

#[test]
fn helm_templates_are_skipped_with_a_note() {
    // Not YAML until rendered.
    case(
        "broken_template.yaml",
        b"apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        {{- include \"containers\" . | nindent 8 }}\n",
        "CL003",
    );
    // Inside a chart, even templates that happen to parse are skipped.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("good.tf"), GOOD_TF).expect("write");
    std::fs::write(dir.path().join("good.yaml"), GOOD_YAML).expect("write");
    std::fs::create_dir_all(dir.path().join("chart/templates")).expect("mkdir");
    std::fs::write(
        dir.path().join("chart/Chart.yaml"),
        "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("chart/templates/pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  containers:\n    - name: c\n      image: {{ .Values.image }}\n",
    )
    .expect("write");
    let found = check_dir(dir.path());
    assert!(
        found.contains(&"CL003 chart/templates/pod.yaml".to_owned()),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|f| f.starts_with("CL104 chart")),
        "{found:?}"
    );
    assert!(found.contains(&"CL501 good.tf".to_owned()), "{found:?}");
}
