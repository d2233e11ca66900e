//! The SARIF output of the example tree passes Microsoft's SARIF validator
//! with the GitHub rules, with zero errors and zero warnings.

mod support;

use std::path::Path;
use std::process::Command;

/// Runs the validator on `log`; returns its findings.
fn validate(log: &Path, dir: &Path) -> Vec<serde_json::Value> {
    let stem = log.file_stem().and_then(|s| s.to_str()).unwrap_or("log");
    let report = dir.join(format!("{stem}.validation.sarif"));
    let out = Command::new(support::tools::sarif_multitool())
        .args([
            "validate",
            "--rule-kind",
            "Sarif;Gh",
            "--level",
            "Error;Warning",
            "-o",
        ])
        .arg(&report)
        .arg(log)
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .output()
        .expect("run the SARIF multitool");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = std::fs::read_to_string(&report).expect("validation log");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    v["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn examples_sarif_passes_the_validator() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sarif = dir.path().join("examples.sarif");
    let out = support::run(&[
        "check",
        "examples",
        "--format",
        "sarif",
        "-o",
        sarif.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", support::stderr(&out));
    let problems: Vec<String> = validate(&sarif, dir.path())
        .iter()
        .map(|r| format!("{} {}: {}", r["ruleId"], r["level"], r["message"]))
        .collect();
    assert!(
        problems.is_empty(),
        "SARIF validator findings:\n{}",
        problems.join("\n")
    );

    // The validator does report problems: a broken log must fail.
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).expect("sarif")).expect("json");
    doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "/absolute/path.tf".into();
    let broken = dir.path().join("broken.sarif");
    std::fs::write(&broken, doc.to_string()).expect("write");
    assert!(
        !validate(&broken, dir.path()).is_empty(),
        "the validator must catch a broken log"
    );
}
