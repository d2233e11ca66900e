//! Hostile files get a clear finding (or note) while a good file beside
//! them is still checked, within a time and memory bound; nothing panics.

mod support;

use std::path::Path;
use std::time::Duration;

const GOOD_TF: &str = "resource \"aws_ebs_volume\" \"good\" {\n  availability_zone = \"eu-west-1a\"\n  type = \"gp2\"\n}\n";
const GOOD_YAML: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: good\nspec:\n  containers:\n    - name: c\n      image: x\n";

/// Runs `costlint check DIR --format json` under a virtual memory limit
/// and a deadline; returns the findings as "CODE file".
fn check_dir(dir: &Path) -> Vec<String> {
    findings(dir)
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

/// The findings of `costlint check DIR --format json`, run under a
/// virtual memory limit and a deadline.
fn findings(dir: &Path) -> Vec<serde_json::Value> {
    // Far above what any case needs in a debug build on a loaded machine;
    // a quadratic or a hang blows it.
    let out = support::run_bounded(
        dir,
        &["check", ".", "--format", "json"],
        Duration::from_secs(120),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {err}",
        out.status
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    doc["findings"].as_array().expect("findings").clone()
}

/// Checks `name` beside a good Terraform file and a good manifest, whose
/// findings must still be reported; returns the findings on `name` as
/// "CODE line: message".
fn run_case(name: &str, contents: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("good.tf"), GOOD_TF).expect("write");
    std::fs::write(dir.path().join("good.yaml"), GOOD_YAML).expect("write");
    std::fs::write(dir.path().join(name), contents).expect("write");
    let all = findings(dir.path());
    let has = |code: &str, path: &str| all.iter().any(|f| f["code"] == code && f["path"] == path);
    assert!(
        has("CL501", "good.tf"),
        "{name}: the good Terraform file was not checked"
    );
    assert!(
        has("CL104", "good.yaml"),
        "{name}: the good YAML file was not checked"
    );
    all.iter()
        .filter(|f| f["path"] == name)
        .map(|f| {
            format!(
                "{} {}: {}",
                f["code"].as_str().unwrap_or(""),
                f["start"]["line"],
                f["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn case(name: &str, contents: &[u8], expected: &str) {
    let found = run_case(name, contents);
    assert!(
        found.iter().any(|f| f.starts_with(&format!("{expected} "))),
        "{name}: expected {expected} in {found:?}"
    );
}

/// A file that must give no finding at all, and break nothing.
fn clean(name: &str, contents: &[u8]) {
    let found = run_case(name, contents);
    assert!(found.is_empty(), "{name}: {found:?}");
}

fn count(found: &[String], code: &str) -> usize {
    found
        .iter()
        .filter(|f| f.starts_with(&format!("{code} ")))
        .count()
}

const MIB: usize = 1024 * 1024;

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

#[test]
fn a_file_over_the_size_limit_is_skipped_with_a_note() {
    // 50 MB, over the default limit of 16 MiB: never read into memory.
    let block = GOOD_TF.replace("good", "big");
    let mut big = String::with_capacity(50 * 1000 * 1000 + block.len());
    let mut i = 0;
    while big.len() < 50 * 1000 * 1000 {
        big.push_str(&block.replace("big", &format!("big{i}")));
        i += 1;
    }
    let found = run_case("big.tf", big.as_bytes());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .starts_with("CL003 1: not checked: file is larger than the limit of 16777216 bytes"),
        "{found:?}"
    );
}

#[test]
fn five_megabytes_on_one_line() {
    let n = 5 * MIB;
    let items = |item: &str| vec![item; n / (item.len() + 1)].join(",");
    clean(
        "line.tf",
        format!("locals {{ x = [{}] }}\n", items("\"abcdefgh\"")).as_bytes(),
    );
    clean(
        "line.tf.json",
        format!("{{\"locals\": {{\"x\": [{}]}}}}", items("\"abcdefgh\"")).as_bytes(),
    );
    let keys: Vec<String> = (0..n / 12).map(|i| format!("k{i}: v")).collect();
    clean(
        "line.yaml",
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\ndata: {{{}}}\n",
            keys.join(", ")
        )
        .as_bytes(),
    );
    // Comments and heredoc markers: each once made the comment scanner
    // quadratic.
    clean("comments.tf", "/**/".repeat(n / 4).as_bytes());
    case("markers.tf", "x = <<A ".repeat(n / 8).as_bytes(), "CL000");
}

#[test]
fn sixty_thousand_resources_in_one_file() {
    let mut text = String::new();
    for i in 0..60_000 {
        text.push_str(&GOOD_TF.replace("good", &format!("v{i}")));
    }
    let found = run_case("many.tf", text.as_bytes());
    // Capped by limits.max-findings-per-file, with a note saying so.
    assert_eq!(found.len(), 10_001);
    assert!(
        found.contains(&"CL003 1: 110000 more findings in this file are not shown (limits.max-findings-per-file = 10000)".to_owned()),
        "{:?}",
        &found[..3]
    );
    // Each volume is gp2 and untagged; the first ones in the file are shown.
    assert_eq!(count(&found, "CL501") + count(&found, "CL201"), 10_000);
    assert!(found.iter().any(|f| f.contains("`aws_ebs_volume.v0` uses")));
}

#[test]
fn sixty_thousand_documents_in_one_yaml_file() {
    let mut text = String::new();
    for i in 0..60_000 {
        text.push_str("---\n");
        text.push_str(&GOOD_YAML.replace("good", &format!("p{i}")));
    }
    let found = run_case("many.yaml", text.as_bytes());
    assert_eq!(found.len(), 10_001);
    assert_eq!(count(&found, "CL104") + count(&found, "CL201"), 10_000);
    assert_eq!(count(&found, "CL003"), 1);
    assert!(found.iter().any(|f| f.contains("Pod `p0`")));
}

#[test]
fn nul_bytes() {
    let found = run_case(
        "nul.tf",
        b"resource \"aws_ebs_volume\" \"v\" {\n  type = \"gp2\0\"\n}\n",
    );
    assert_eq!(
        found,
        ["CL000 2: file contains a NUL byte at offset 45; it looks binary and was not parsed"]
    );
    case("nul.yaml", b"apiVersion: v1\nkind: Pod\0\n", "CL000");
}

#[test]
fn byte_order_mark_and_crlf_line_endings() {
    let crlf = |s: &str| format!("\u{feff}{}", s.replace('\n', "\r\n").replace("good", "bom"));
    // Parsed like any other file, and findings on the right lines.
    let found = run_case("bom.tf", crlf(GOOD_TF).as_bytes());
    assert_eq!(
        found,
        [
            "CL201 1: `aws_ebs_volume.bom` is missing the cost tags `owner`, `cost-center` and `environment`",
            "CL501 3: `aws_ebs_volume.bom` uses EBS volume type `gp2`"
        ]
    );
    let found = run_case("bom.yaml", crlf(GOOD_YAML).as_bytes());
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("CL201 3: Pod `bom`"), "{found:?}");
    assert!(found[1].starts_with("CL104 7: container `c`"), "{found:?}");
}

#[test]
fn tabs_in_yaml_indentation() {
    let found = run_case(
        "tabs.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata:\n\tname: tabs\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("CL000 4: invalid YAML"), "{found:?}");
}

#[test]
fn duplicate_keys() {
    // Kubernetes and Terraform both reject them: which value applies is
    // unknown, so the file is a syntax error rather than a guess.
    let found = run_case(
        "dup.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers: []\nspec:\n  containers: []\n",
    );
    assert_eq!(
        found,
        [
            "CL000 7: invalid YAML: duplicate mapping key `spec` (Kubernetes rejects it; which value applies is unknown)"
        ]
    );
    let found = run_case(
        "dup.tf",
        b"resource \"aws_ebs_volume\" \"v\" {\n  type = \"gp3\"\n  type = \"gp2\"\n}\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("CL000 3: "), "{found:?}");
}

#[test]
fn unterminated_heredoc_and_string() {
    case(
        "heredoc.tf",
        b"locals {\n  x = <<EOT\n  never ends\n}\n",
        "CL000",
    );
    case("string.tf", b"locals {\n  x = \"never ends\n}\n", "CL000");
    case(
        "string.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"never ends\n",
        "CL000",
    );
    case(
        "string.tf.json",
        b"{\"locals\": {\"x\": \"never ends",
        "CL000",
    );
}

#[test]
fn empty_and_comment_only_files() {
    for name in ["empty.tf", "empty.yaml", "empty.tfvars"] {
        clean(name, b"");
    }
    clean("comments.tf", b"# nothing\n// here\n/* at all */\n");
    clean("comments.yaml", b"# nothing\n---\n# here\n");
    clean("comments.tfvars", b"# no variables\n");
    // An empty .tf.json is not a JSON value.
    case("empty.tf.json", b"", "CL000");
}

#[test]
fn yaml_that_is_not_kubernetes_is_skipped_silently() {
    clean(
        "workflow.yml",
        b"name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n",
    );
    clean(
        "compose.yaml",
        b"services:\n  web:\n    image: nginx\n    ports: [\"80:80\"]\n",
    );
    clean("list.yaml", b"- 1\n- 2\n");
    clean("scalar.yaml", b"just text\n");
}
