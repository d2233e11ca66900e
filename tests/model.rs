//! The resolved Terraform model of each fixture under tests/fixtures/model,
//! as `costlint debug model` prints it: addresses, regions, tags with where
//! each key came from, multiplicity, references and problems.

mod support;

use std::path::{Path, PathBuf};

use costlint::source::fs::RealFs;

fn dump(dir: &Path, var_files: &[PathBuf]) -> String {
    costlint::model::dump::dump_dir(
        &support::root().join(dir),
        &support::root(),
        var_files,
        &RealFs,
    )
}

fn snapshot(name: &str) {
    let dir = Path::new("tests/fixtures/model").join(name);
    let text = dump(&dir, &[]);
    insta::with_settings!({
        snapshot_path => support::root().join("tests/fixtures/model"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => format!("costlint debug model {}", dir.display()),
    }, {
        insta::assert_snapshot!(name, text);
    });
}

/// Variables, tfvars (`terraform.tfvars` then `*.auto.tfvars`), locals in
/// any order with a cycle reported, templates, heredocs, conditionals, for
/// expressions, splats, indexing and functions.
#[test]
fn values() {
    snapshot("values");
}

/// `--var-file` comes after the automatic files, and later wins.
#[test]
fn var_file_wins() {
    let dir = Path::new("tests/fixtures/model/values");
    let var_file = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(var_file.path(), "size = \"c5.9xlarge\"\nenv = \"prod\"\n").expect("write");
    let text = dump(dir, &[var_file.path().to_path_buf()]);
    assert!(text.contains("environment prod (production)"), "{text}");
    assert!(text.contains("Name = \"shop-prod\""), "{text}");
}

/// Providers with aliases, regions, zones and default tags/labels; regions
/// from resource arguments, zones and references to other resources.
#[test]
fn providers() {
    snapshot("providers");
}

/// Three levels of local modules, `providers =` passing, `for_each` and
/// `count` on modules, and a root resource using a module output.
#[test]
fn nested() {
    snapshot("nested");
}

#[test]
fn count_for_each() {
    snapshot("count_for_each");
}

/// `tag` blocks and `dynamic "tag"` on an autoscaling group.
#[test]
fn asg_tags() {
    snapshot("asg_tags");
}

/// Unknown parts keep what is known and say that more may come.
#[test]
fn unknowns() {
    snapshot("unknowns");
}

/// References through locals, module inputs and data sources.
#[test]
fn references() {
    snapshot("references");
}

/// Registry modules installed by `terraform init` are expanded from
/// `.terraform/modules/modules.json`; others are opaque.
#[test]
fn remote() {
    snapshot("remote");
}

/// A `.tf.json` configuration models exactly like its HCL twin.
#[test]
fn json_twin_matches_hcl() {
    let normalise = |s: String| -> String {
        s.lines()
            .map(|l| {
                let l = l
                    .replace("twin/hcl/main.tf", "twin/X")
                    .replace("twin/json/main.tf.json", "twin/X");
                // Line numbers differ between the two syntaxes.
                match l.find("twin/X") {
                    Some(i) => {
                        let rest = &l[i + 6..];
                        let digits = rest
                            .trim_start_matches(':')
                            .chars()
                            .take_while(char::is_ascii_digit)
                            .count();
                        format!("{}twin/X{}", &l[..i], &rest[(1 + digits).min(rest.len())..])
                    }
                    None => l,
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            .replace("[tests/fixtures/model/twin/hcl]", "[..]")
            .replace("[tests/fixtures/model/twin/json]", "[..]")
    };
    let hcl = normalise(dump(Path::new("tests/fixtures/model/twin/hcl"), &[]));
    let json = normalise(dump(Path::new("tests/fixtures/model/twin/json"), &[]));
    assert!(
        hcl.contains("aws_instance.web[\"b\"]") && hcl.contains("Name = \"web-b\""),
        "{hcl}"
    );
    assert_eq!(hcl, json);
}

/// A plan's planned values: instances, `tags_all`, provider regions from
/// constant expressions, attributes unknown until apply.
#[test]
fn plan() {
    let path = Path::new("tests/fixtures/plan/with_config/plan.json");
    let text =
        costlint::model::dump::dump_plan(&support::root().join(path), &support::root(), &RealFs);
    insta::with_settings!({
        snapshot_path => support::root().join("tests/fixtures/plan"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => format!("costlint debug model --plan {}", path.display()),
    }, {
        insta::assert_snapshot!("plan_model", text);
    });
}

/// The model of a root module at /repo made of `files`.
fn dump_files(files: &[(&str, &str)]) -> String {
    let mut fs = costlint::source::fs::MemoryFs::new();
    for (path, text) in files {
        fs.insert(Path::new("/repo").join(path), *text);
    }
    costlint::model::dump::dump_dir(Path::new("/repo"), Path::new("/repo"), &[], &fs)
}

/// A module input object whose attributes are unknown is still not null,
/// so `var.x == null ? 1 : 0` is a known 0.
#[test]
fn an_input_object_is_not_null() {
    let text = dump_files(&[
        (
            "main.tf",
            r#"
resource "azurerm_log_analytics_workspace" "mine" {
  name = "logs"
}
module "aks" {
  source = "./aks"
  log_analytics_workspace = {
    id   = azurerm_log_analytics_workspace.mine.id
    name = "x"
  }
}
"#,
        ),
        (
            "aks/main.tf",
            r#"
variable "log_analytics_workspace" {
  default = null
}
resource "azurerm_log_analytics_workspace" "own" {
  count = var.log_analytics_workspace == null ? 1 : 0
  name  = "own"
}
resource "azurerm_log_analytics_workspace" "given" {
  count = var.log_analytics_workspace != null ? 1 : 0
  name  = "given"
}
"#,
        ),
    ]);
    assert!(
        text.contains("resource module.aks.azurerm_log_analytics_workspace.given[0]"),
        "{text}"
    );
    assert!(!text.contains(".own"), "{text}");
}

/// `try(jsondecode(var.x), var.x)` with a list: jsondecode fails, so try
/// gives the list (terraform-aws-s3-bucket's lifecycle rules).
#[test]
fn try_falls_back_from_jsondecode_of_a_list() {
    let text = dump_files(&[(
        "main.tf",
        r#"
variable "lifecycle_rule" {
  default = []
}
variable "cors_rule" {
  default = "[{\"allowed_methods\": [\"GET\"]}]"
}
locals {
  lifecycle_rules = try(jsondecode(var.lifecycle_rule), var.lifecycle_rule)
  cors_rules      = try(jsondecode(var.cors_rule), var.cors_rule)
}
resource "aws_s3_bucket_lifecycle_configuration" "this" {
  count  = length(local.lifecycle_rules) > 0 ? 1 : 0
  bucket = "b"
}
resource "aws_s3_bucket_cors_configuration" "this" {
  count  = length(local.cors_rules) > 0 ? 1 : 0
  bucket = "b"
}
"#,
    )]);
    assert!(
        text.contains("resource aws_s3_bucket_cors_configuration.this[0]"),
        "{text}"
    );
    assert!(!text.contains("lifecycle_configuration"), "{text}");
}

/// Optional attributes of a variable's type are null or their default when
/// the value leaves them out.
#[test]
fn optional_attributes_take_their_defaults() {
    let text = dump_files(&[(
        "main.tf",
        r#"
variable "queue" {
  type = object({
    name     = string
    dlq_name = optional(string)
    create   = optional(bool, false)
  })
  default = { name = "orders" }
}
resource "aws_sqs_queue" "dlq" {
  count = var.queue.dlq_name != null ? 1 : 0
  name  = var.queue.dlq_name
}
resource "aws_sqs_queue" "created" {
  count = var.queue.create ? 1 : 0
  name  = var.queue.name
}
resource "aws_sqs_queue" "named" {
  count = var.queue.name != null ? 1 : 0
  name  = var.queue.name
}
"#,
    )]);
    assert!(text.contains("resource aws_sqs_queue.named[0]"), "{text}");
    assert!(!text.contains("[*]"), "{text}");
    assert!(!text.contains("queue.dlq"), "{text}");
    assert!(!text.contains("queue.created"), "{text}");
}
