//! The SARIF output of the example tree passes Microsoft's SARIF validator
//! with the GitHub rules, with zero errors and zero warnings.

mod support;

use std::process::Command;

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
    let report = dir.path().join("validation.sarif");
    let tool = support::tools::sarif_multitool();
    let status = Command::new(&tool)
        .args([
            "validate",
            "--rule-kind",
            "Sarif;Gh",
            "--level",
            "Error;Warning",
            "-o",
        ])
        .arg(&report)
        .arg(&sarif)
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .output()
        .expect("run the SARIF multitool");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("validation log"))
            .expect("json");
    let results = log["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let problems: Vec<String> = results
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
    let broken_report = dir.path().join("broken-validation.sarif");
    let _ = Command::new(&tool)
        .args([
            "validate",
            "--rule-kind",
            "Sarif;Gh",
            "--level",
            "Error;Warning",
            "-o",
        ])
        .arg(&broken_report)
        .arg(&broken)
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .output()
        .expect("run the SARIF multitool");
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&broken_report).expect("validation log"))
            .expect("json");
    assert!(
        log["runs"][0]["results"]
            .as_array()
            .is_some_and(|r| !r.is_empty()),
        "the validator must catch a broken log"
    );
}
