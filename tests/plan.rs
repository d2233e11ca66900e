//! `costlint check --plan`: findings on what Terraform resolved, pointing
//! at the `.tf` sources when they are beside the plan.

mod support;

fn findings(args: &[&str]) -> Vec<serde_json::Value> {
    let out = support::run(args);
    assert_eq!(out.status.code(), Some(1), "{}", support::stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&support::stdout(&out)).expect("json");
    doc["findings"].as_array().cloned().unwrap_or_default()
}

fn place(f: &serde_json::Value) -> String {
    format!(
        "{} {}:{} {}",
        f["code"],
        f["path"].as_str().unwrap_or(""),
        f["start"]["line"],
        f["resource"].as_str().unwrap_or("")
    )
}

#[test]
fn findings_move_to_the_configuration() {
    let list = findings(&[
        "check",
        "--plan",
        "tests/fixtures/plan/with_config/plan.json",
        "--format",
        "json",
        "--select",
        "CL501",
    ]);
    let places: Vec<String> = list.iter().map(place).collect();
    assert_eq!(
        places,
        [
            "\"CL501\" tests/fixtures/plan/with_config/main.tf:14 aws_ebs_volume.data",
            "\"CL501\" tests/fixtures/plan/with_config/modules/app/main.tf:13 module.app[\"api\"].aws_instance.this",
            // A registry module not installed has no source here: the plan.
            "\"CL501\" tests/fixtures/plan/with_config/plan.json:45 module.vpc.aws_ebs_volume.scratch",
        ]
    );
    // Two instances of one block are one finding.
    assert_eq!(list[0]["properties"]["instances"], 2);
    // The planned value is a secondary location.
    assert_eq!(
        list[0]["related"][0]["path"],
        "tests/fixtures/plan/with_config/plan.json"
    );
}

#[test]
fn without_configuration_findings_point_at_the_plan() {
    let list = findings(&[
        "check",
        "--plan",
        "tests/fixtures/plan/plan_only/plan.json",
        "--format",
        "json",
        "--select",
        "CL501",
    ]);
    assert_eq!(list.len(), 4);
    assert!(
        list.iter()
            .all(|f| f["path"] == "tests/fixtures/plan/plan_only/plan.json"),
        "{list:#?}"
    );
}

#[test]
fn a_plan_that_is_not_a_plan_is_a_finding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plan.json");
    std::fs::write(&path, "{\"format_version\": \"1.2\"}").expect("write");
    let out = support::run(&[
        "check",
        "--plan",
        path.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        support::stdout(&out).contains("not a Terraform plan"),
        "{}",
        support::stdout(&out)
    );
    let out = support::run(&["check", "--plan", "no/such/plan.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(support::stderr(&out).contains("no/such/plan.json"));
}

/// With paths and a plan, the plan's own directory is judged through the
/// plan only, not a second time from its `.tf` files.
#[test]
fn the_plan_directory_is_not_checked_twice() {
    let list = findings(&[
        "check",
        "tests/fixtures/plan/with_config",
        "--plan",
        "tests/fixtures/plan/with_config/plan.json",
        "--format",
        "json",
        "--select",
        "CL501",
    ]);
    assert_eq!(list.len(), 3, "{list:#?}");
}
