//! The pre-commit hooks, run by the real `pre-commit` from PyPI with
//! `pre-commit try-repo` against a commit of this checkout, in a
//! temporary project repository: a staged change that makes a finding
//! fails and shows it, a clean one passes.
//!
//! The `costlint` hook (`language: rust`) makes pre-commit `cargo install`
//! the repository; that build is shared through a target directory under
//! `target/test-tools/` and made cheap with profile overrides (see
//! `support::repo::cargo_install_env`): about two minutes on two cores the
//! first time, seconds after.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::repo::{self, git};

const MAIN_TF: &str = r#"resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
  type              = var.volume_type
}
"#;

const VARIABLES_TF: &str = r#"variable "volume_type" {
  type    = string
  default = "gp3"
}
"#;

/// Only the rules this test is about, whatever rules are added later.
const CONFIG: &str = "select = [\"CL0\", \"CL501\"]\n";

fn output(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

struct Setup {
    _tmp: tempfile::TempDir,
    hooks: std::path::PathBuf,
    project: std::path::PathBuf,
    home: std::path::PathBuf,
    pre_commit: std::path::PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let bin = support::tools::python_tools("pre-commit", &["pre-commit==4.7.0"]);
        let tmp = tempfile::tempdir().expect("tempdir");
        let hooks = tmp.path().join("hooks");
        repo::snapshot_checkout(&hooks);
        let project = tmp.path().join("project");
        std::fs::create_dir_all(project.join("infra")).expect("mkdir");
        std::fs::write(project.join("costlint.toml"), CONFIG).expect("write");
        std::fs::write(project.join("infra/main.tf"), MAIN_TF).expect("write");
        std::fs::write(project.join("infra/variables.tf"), VARIABLES_TF).expect("write");
        std::fs::write(project.join("README.md"), "# infra\n").expect("write");
        repo::init_and_commit(&project, "infra");
        Setup {
            home: tmp.path().join("pre-commit-home"),
            hooks,
            project,
            pre_commit: bin.join("pre-commit"),
            _tmp: tmp,
        }
    }

    /// `pre-commit try-repo <hooks> <hook>` on the staged files.
    fn try_repo(&self, hook: &str) -> Output {
        let mut cmd = Command::new(&self.pre_commit);
        cmd.arg("try-repo")
            .arg(&self.hooks)
            .arg(hook)
            .current_dir(&self.project)
            .env("PRE_COMMIT_HOME", &self.home)
            .env("PRE_COMMIT_COLOR", "never")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE");
        if hook == "costlint-system" {
            cmd.env("PATH", repo::path_with(&repo::bin_dir()));
        }
        repo::cargo_install_env(&mut cmd)
            .output()
            .expect("run pre-commit")
    }

    fn stage(&self, rel: &str, text: &str) {
        std::fs::write(self.project.join(rel), text).expect("write");
        git(&self.project, &["add", rel]);
    }
}

fn assert_fails_on_main_tf(o: &Output, hook: &str) {
    let text = output(o);
    assert_eq!(o.status.code(), Some(1), "{hook} should fail:\n{text}");
    // Only variables.tf is staged; the finding is in main.tf, judged with it.
    assert!(
        text.contains("`aws_ebs_volume.data` uses EBS volume type `gp2`"),
        "{hook}:\n{text}"
    );
    assert!(text.contains("infra/main.tf:4:"), "{hook}:\n{text}");
    assert!(text.contains("infra/variables.tf:3:"), "{hook}:\n{text}");
    assert!(text.contains("Failed"), "{hook}:\n{text}");
}

fn assert_passes(o: &Output, hook: &str) {
    let text = output(o);
    assert_eq!(o.status.code(), Some(0), "{hook} should pass:\n{text}");
    assert!(text.contains("Passed"), "{hook}:\n{text}");
}

#[test]
fn hooks_fail_on_findings_and_pass_clean_changes() {
    let s = Setup::new();
    assert!(Path::new(&s.hooks.join(".pre-commit-hooks.yaml")).is_file());

    // A change to variables.tf alone makes main.tf's volume gp2.
    s.stage("infra/variables.tf", &VARIABLES_TF.replace("gp3", "gp2"));
    assert_fails_on_main_tf(&s.try_repo("costlint-system"), "costlint-system");
    // The same with costlint built from the repository by pre-commit.
    assert_fails_on_main_tf(&s.try_repo("costlint"), "costlint");

    // A clean change passes; files that are not Terraform or YAML are not
    // given to the hook at all.
    s.stage("infra/variables.tf", VARIABLES_TF);
    s.stage("infra/main.tf", &MAIN_TF.replace("100", "200"));
    s.stage("README.md", "# infra, bigger\n");
    assert_passes(&s.try_repo("costlint-system"), "costlint-system");
    assert_passes(&s.try_repo("costlint"), "costlint");

    // Nothing matching staged: skipped, not failed.
    git(&s.project, &["commit", "--quiet", "-m", "clean"]);
    s.stage("README.md", "# infra, again\n");
    let o = s.try_repo("costlint-system");
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert!(output(&o).contains("Skipped"), "{}", output(&o));
}
