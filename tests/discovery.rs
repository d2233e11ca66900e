//! Which files a run checks, which configuration applies, and how module
//! directories are judged.

mod support;

use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

const GP2: &str = "resource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n  type = \"gp2\"\n}\n";

/// "CODE path" for every finding of `costlint check ARGS` run in `dir`.
fn found(dir: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = support::bin()
        .current_dir(dir)
        .args(&all)
        .output()
        .expect("run");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        support::stderr(&out)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
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

#[test]
fn ignore_files_hidden_and_terraform_dirs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "a/main.tf", GP2);
    write(root, "ignored_by_git/main.tf", GP2);
    write(root, "ignored_by_costlint/main.tf", GP2);
    write(root, ".hidden/main.tf", GP2);
    write(root, "a/.terraform/modules/x/main.tf", GP2);
    write(root, ".terraform/main.tf", GP2);
    // .gitignore works without a git repository.
    write(root, ".gitignore", "ignored_by_git/\n");
    write(root, ".costlintignore", "ignored_by_costlint/\n");
    assert_eq!(found(root, &[]), ["CL501 a/main.tf"]);
    // An explicit file is checked even when git ignores it.
    assert_eq!(
        found(root, &["ignored_by_git/main.tf"]),
        ["CL501 ignored_by_git/main.tf"]
    );
}

#[test]
fn config_include_exclude_and_per_path_ignores() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "live/main.tf", GP2);
    write(root, "legacy/main.tf", GP2);
    write(root, "sandbox/main.tf", GP2);
    write(
        root,
        "costlint.toml",
        "exclude = [\"legacy\"]\n\n[per-path-ignores]\n\"sandbox/**\" = [\"ebs-gp2-volume\"]\n",
    );
    assert_eq!(found(root, &[]), ["CL501 live/main.tf"]);
    // The configuration is found walking up from the checked path.
    let live = root.join("live");
    assert_eq!(found(&live, &["."]), ["CL501 main.tf"]);
    assert_eq!(found(&live, &["../sandbox"]), Vec::<String>::new());
}

#[test]
fn a_called_module_is_judged_through_its_caller_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "env/main.tf",
        "module \"disk\" {\n  source = \"../modules/disk\"\n  type   = \"gp3\"\n}\n",
    );
    // With its own default, the module alone would be a finding.
    write(
        root,
        "modules/disk/main.tf",
        "variable \"type\" {\n  default = \"gp2\"\n}\n\nresource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n  type = var.type\n}\n",
    );
    assert!(found(root, &[]).is_empty(), "{:?}", found(root, &[]));
    // Checked on its own, nothing calls it: its defaults apply.
    assert_eq!(found(root, &["modules"]), ["CL501 modules/disk/main.tf"]);
    // Given one file, its whole module is judged.
    write(
        root,
        "solo/variables.tf",
        "variable \"t\" {\n  default = \"gp2\"\n}\n",
    );
    write(
        root,
        "solo/main.tf",
        "resource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n  type = var.t\n}\n",
    );
    assert_eq!(found(root, &["solo/variables.tf"]), ["CL501 solo/main.tf"]);
}

#[test]
fn module_problems_are_findings_not_hangs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join(".git")).expect("a repository root");
    write(
        root,
        "a/main.tf",
        "module \"b\" {\n  source = \"../b\"\n}\n",
    );
    write(
        root,
        "b/main.tf",
        "module \"a\" {\n  source = \"../a\"\n}\n",
    );
    write(
        root,
        "self/main.tf",
        "module \"me\" {\n  source = \"./\"\n}\n",
    );
    write(
        root,
        "missing/main.tf",
        "module \"gone\" {\n  source = \"./nowhere\"\n}\n",
    );
    write(
        root,
        "outside/main.tf",
        "module \"far\" {\n  source = \"../../elsewhere\"\n}\n",
    );
    let got = found(root, &[]);
    assert!(
        got.iter()
            .any(|f| f == "CL004 a/main.tf" || f == "CL004 b/main.tf"),
        "{got:?}"
    );
    assert!(got.contains(&"CL004 self/main.tf".to_owned()), "{got:?}");
    assert!(got.contains(&"CL004 missing/main.tf".to_owned()), "{got:?}");
    assert!(got.contains(&"CL003 outside/main.tf".to_owned()), "{got:?}");
}

#[test]
fn locals_cycles_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "main.tf",
        "locals {\n  a = local.b\n  b = local.a\n}\n\nresource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n  type = local.a\n}\n",
    );
    assert_eq!(found(dir.path(), &[]), ["CL004 main.tf"]);
}

/// A module called by several roots is parsed once per run and shared;
/// what each root finds through it is what it finds checked alone.
#[test]
fn a_module_shared_by_roots_is_judged_for_each() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "modules/disk/main.tf",
        "variable \"type\" {}\n\nresource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n  type = var.type\n}\n\nmodule \"inner\" {\n  source = \"../inner\"\n  type   = var.type\n}\n",
    );
    write(
        root,
        "modules/inner/main.tf",
        "variable \"type\" {}\n\nresource \"aws_ebs_volume\" \"inner\" {\n  availability_zone = \"eu-west-1b\"\n  type = var.type\n}\n",
    );
    write(
        root,
        "modules/broken/main.tf",
        "resource \"aws_ebs_volume\" {\n",
    );
    for (env, ty) in [("a", "gp2"), ("b", "gp3"), ("c", "io1")] {
        write(
            root,
            &format!("env-{env}/main.tf"),
            &format!(
                "module \"disk\" {{\n  source = \"../modules/disk\"\n  type   = \"{ty}\"\n}}\n\nmodule \"broken\" {{\n  source = \"../modules/broken\"\n}}\n"
            ),
        );
    }
    let detailed = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let out = support::bin()
            .current_dir(root)
            .args(&all)
            .output()
            .expect("run");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                format!(
                    "{} {}:{} {} {}",
                    f["code"].as_str().unwrap_or(""),
                    f["path"].as_str().unwrap_or(""),
                    f["start"]["line"],
                    f["message"].as_str().unwrap_or(""),
                    f["related"]
                )
            })
            .collect()
    };
    let together = detailed(&[]);
    let mut alone: Vec<String> = ["env-a", "env-b", "env-c"]
        .iter()
        .flat_map(|env| detailed(&[env]))
        .collect();
    alone.sort();
    alone.dedup();
    let mut sorted = together.clone();
    sorted.sort();
    assert_eq!(sorted, alone);
    assert!(
        together
            .iter()
            .any(|f| f.starts_with("CL000 modules/broken/main.tf"))
    );
    assert!(
        together
            .iter()
            .any(|f| f.starts_with("CL501 modules/inner/main.tf"))
    );
}
