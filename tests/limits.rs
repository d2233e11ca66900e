//! Every bound of `[limits]` is enforced where it applies, with a message
//! naming it, and never aborts the run: the other files are still checked.

use std::path::{Path, PathBuf};

use costlint::check::{CheckOptions, check};
use costlint::config::{Selection, Settings};
use costlint::source::fs::MemoryFs;

const ROOT: &str = "/repo";
const GP2: &str = "resource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n  type = \"gp2\"\n}\n";

/// Checks the files (relative paths) under a `costlint.toml` holding
/// `limits`; returns "CODE path: message" for the tool's findings and
/// CL501, plus one per file with a ".good" name.
fn run(limits: &str, files: &[(&str, String)], stdin: Option<String>) -> Vec<String> {
    let root = Path::new(ROOT);
    let select = Selection::from_config(Some(&["CL0".to_owned(), "CL501".to_owned()]), &[], &[])
        .expect("selection");
    let settings = Settings::parse(
        &format!("[limits]\n{limits}"),
        "costlint.toml",
        root,
        &select,
    )
    .expect("config");
    let mut fs = MemoryFs::new();
    let mut paths: Vec<PathBuf> = Vec::new();
    for (name, text) in files {
        fs.insert(root.join(name), text.clone());
        paths.push(root.join(name));
    }
    fs.insert(root.join("good/main.tf"), GP2);
    paths.push(root.join("good/main.tf"));
    paths.sort();
    let opts = CheckOptions {
        cwd: root.to_path_buf(),
        boundary: Some(root.to_path_buf()),
        stdin,
        ..CheckOptions::default()
    };
    let report = check(&paths, &settings, &fs, &opts);
    let found: Vec<String> = report
        .findings
        .iter()
        .map(|f| format!("{} {}: {}", f.code, f.path, f.message))
        .collect();
    assert!(
        found.contains(
            &"CL501 good/main.tf: `aws_ebs_volume.v` uses EBS volume type `gp2`".to_owned()
        ),
        "the good file was not checked: {found:?}"
    );
    found
        .into_iter()
        .filter(|f| !f.contains(" good/"))
        .collect()
}

#[test]
fn max_file_size() {
    let big = format!("# {}\n", "x".repeat(200));
    for name in ["big.tf", "big.yaml", "big.tfvars", "big.tf.json"] {
        assert_eq!(
            run("max-file-size = 100", &[(name, big.clone())], None),
            [format!(
                "CL003 {name}: not checked: file is larger than the limit of 100 bytes"
            )]
        );
    }
    let manifest = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {}}}\n",
        "x".repeat(200)
    );
    assert_eq!(
        run("max-file-size = 100", &[], Some(manifest)),
        ["CL003 <stdin>: not checked: file is larger than the limit of 100 bytes"]
    );
}

fn nested(open: &str, close: &str, levels: usize) -> String {
    format!("{}{}", open.repeat(levels), close.repeat(levels))
}

#[test]
fn max_nesting_depth() {
    let limits = "max-nesting-depth = 8";
    let yaml = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\ndata: {}\n",
        nested("[", "]", 8)
    );
    let found = run(limits, &[("deep.yaml", yaml)], None);
    assert_eq!(
        found,
        [
            "CL000 deep.yaml: invalid YAML: YAML nesting deeper than 8 levels (limits.max-nesting-depth)"
        ]
    );
    for name in ["deep.tf.json", "deep.tfvars.json"] {
        let json = format!("{{\"locals\": {{\"x\": {}}}}}", nested("[", "]", 8));
        assert_eq!(
            run(limits, &[(name, json)], None),
            [format!(
                "CL000 {name}: JSON nesting deeper than 8 levels (limits.max-nesting-depth)"
            )]
        );
    }
    // Within the limit: no finding.
    let json = format!("{{\"locals\": {{\"x\": {}}}}}", nested("[", "]", 5));
    assert!(run(limits, &[("ok.tf.json", json)], None).is_empty());
}

#[test]
fn max_nesting_depth_at_its_ceiling_fits_the_stack() {
    // On a test thread's default stack, in a debug build.
    let limits = "max-nesting-depth = 512";
    let levels = 500;
    // Block style: the YAML scanner itself stops flow style at 255.
    let mut yaml = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n");
    for level in 1..levels {
        yaml.push_str(&format!("{}a:\n", " ".repeat(level)));
    }
    yaml.push_str(&format!("{}a: 1\n", " ".repeat(levels)));
    let json = format!("{{\"locals\": {{\"x\": {}}}}}", nested("[", "]", levels));
    let found = run(
        limits,
        &[("deep.yaml", yaml), ("deep/main.tf.json", json)],
        None,
    );
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn limits_out_of_range_are_configuration_errors() {
    let root = Path::new(ROOT);
    for (text, line, message) in [
        (
            "[limits]\nmax-nesting-depth = 100000\n",
            2,
            "limits.max-nesting-depth must be between 1 and 512",
        ),
        (
            "[limits]\nmax-file-size = 10\nmax-module-depth = 0\n",
            3,
            "limits.max-module-depth must be between 1 and 128",
        ),
    ] {
        let err = Settings::parse(text, "costlint.toml", root, &Selection::default())
            .expect_err("out of range");
        assert_eq!(
            err.to_string(),
            format!("costlint.toml:{line}:1: {message}")
        );
    }
}

#[test]
fn max_alias_expansion() {
    let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: &a [1, 2, 3, 4, 5, 6]\n  b: [*a, *a]\n";
    let found = run(
        "max-alias-expansion = 10",
        &[("alias.yaml", yaml.to_owned())],
        None,
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("CL000 alias.yaml: invalid YAML: YAML aliases expand to more than 10 nodes (limits.max-alias-expansion"),
        "{found:?}"
    );
    assert!(
        run(
            "max-alias-expansion = 20",
            &[("alias.yaml", yaml.to_owned())],
            None
        )
        .is_empty()
    );
}

#[test]
fn max_findings_per_file() {
    let many: String = (0..5)
        .map(|i| GP2.replace("\"v\"", &format!("\"v{i}\"")))
        .collect();
    let found = run("max-findings-per-file = 2", &[("many/main.tf", many)], None);
    assert_eq!(
        found,
        [
            "CL003 many/main.tf: 3 more findings in this file are not shown (limits.max-findings-per-file = 2)",
            "CL501 many/main.tf: `aws_ebs_volume.v0` uses EBS volume type `gp2`",
            "CL501 many/main.tf: `aws_ebs_volume.v1` uses EBS volume type `gp2`",
        ]
    );
}

#[test]
fn max_module_depth() {
    let call = |to: &str| format!("module \"next\" {{\n  source = \"{to}\"\n}}\n");
    let found = run(
        "max-module-depth = 2",
        &[
            ("a/main.tf", call("../b")),
            ("b/main.tf", call("../c")),
            ("c/main.tf", call("../d")),
            ("d/main.tf", GP2.to_owned()),
        ],
        None,
    );
    assert!(
        found.contains(&"CL004 b/main.tf: module nesting deeper than 2 levels (limits.max-module-depth); not expanded".to_owned()),
        "{found:?}"
    );
}
