use serde::{Deserialize, Serialize};

use super::common::{
    caller_label, default_ignore_types, defaults_word, hcl_add_keys, is_cost_bearing,
    metadata_anchor, object_name, plural, tag_word, tags_anchor, tags_argument, ticked,
    type_ignored, yaml_add_keys,
};
use crate::declare_rule;
use crate::finding::{Diagnostic, Loc};
use crate::model::kubernetes::Manifests;
use crate::model::terraform::{Module, Resource};
use crate::model::{provider_defaults_apply, same_key};
use crate::rules::{Cx, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a resource that takes tags or labels and whose effective
    /// tags or labels lack a required cost-allocation key (by default
    /// `owner`, `cost-center` and `environment`), with one finding per
    /// resource listing every missing key.
    ///
    /// Terraform: every managed resource whose type takes tags, free ones
    /// (security groups, subnets, resource groups) included, as tag
    /// policies usually require; leave them out with `ignore-types`. AWS
    /// `tags` are merged with the provider's `default_tags`; Google Cloud
    /// `labels` (`resource_labels`, `settings.user_labels`,
    /// `node_config.resource_labels` where the type keeps them there) with
    /// the provider's `default_labels`; azurerm `tags` stand alone, because
    /// Azure does not copy resource group tags to resources. Data sources
    /// and types that take no tags are never reported.
    ///
    /// Kubernetes: Namespaces, workloads (Pod, Deployment, StatefulSet,
    /// DaemonSet, ReplicaSet, ReplicationController, Job, CronJob),
    /// PersistentVolumeClaims and Services of type `LoadBalancer`. A label
    /// counts when it is on the object, on its pod template, or on its
    /// Namespace object when that is part of the run or in a manifest
    /// beside the file.
    ///
    /// Keys match ignoring case, `-`, `_`, `.` and spaces, so `CostCenter`
    /// satisfies `cost-center`. When part of a tag map cannot be known
    /// statically (a data source, a variable without a value), nothing is
    /// reported: the missing key may be in that part.
    ///
    /// ## Why is this bad?
    /// Cost reports group spend by tag: AWS Cost Explorer and the Cost and
    /// Usage Report, the Google Cloud billing export and Azure Cost
    /// Management by tag or label, Kubecost and OpenCost by Kubernetes
    /// label. Spend without the key lands in a "no tag" bucket that no team
    /// owns, so nobody is asked about it. One untagged `m5.2xlarge` is
    /// about $280 a month ($0.384 per hour × 730 hours) that appears on no
    /// team's showback; a fleet of them is how untagged spend reaches the
    /// 20–30% share FinOps teams commonly report.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_instance" "api" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "m5.2xlarge"
    ///   tags = {
    ///     Name = "api"
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// provider "aws" {
    ///   default_tags {
    ///     tags = {
    ///       owner       = "team-checkout"
    ///       cost-center = "cc-1042"
    ///     }
    ///   }
    /// }
    ///
    /// resource "aws_instance" "api" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "m5.2xlarge"
    ///   tags = {
    ///     Name        = "api"
    ///     environment = "prod"
    ///   }
    /// }
    /// ```
    ///
    /// The fix adds the missing keys with a `"TODO"` value to a literal
    /// `tags = { … }` (or the last literal map of `merge(…)`) or to an
    /// existing block-style `labels:` map, for you to fill in.
    ///
    /// ## Options
    /// - `required-keys` (default `["owner", "cost-center", "environment"]`):
    ///   keys every resource must have.
    /// - `ignore-types` (default `["aws_iam_*", "aws_organizations_*",
    ///   "aws_ssoadmin_*"]`): Terraform resource types never reported, as
    ///   `*` patterns. The defaults are global and free, so there is no
    ///   spend to allocate.
    ///
    /// ## References
    /// - [AWS: Organizing and tracking costs using cost allocation tags](https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/cost-alloc-tags.html)
    /// - [Terraform AWS provider: default_tags](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/resource-tagging)
    /// - [Google Cloud: Creating and managing labels](https://cloud.google.com/resource-manager/docs/creating-managing-labels)
    /// - [Azure: Use tags to organize resources (tags are not inherited)](https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources)
    /// - [OpenCost: cost allocation by label and namespace](https://www.opencost.io/docs/specification)
    /// - [FinOps Foundation: Allocation](https://www.finops.org/framework/capabilities/allocation/)
    pub struct MissingCostTags {
        code: "CL201",
        name: "missing-cost-tags",
        category: Tags,
        severity: Warning,
        fixable: true,
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct Options {
    /// Tag or label keys every cost-bearing resource must have (matched
    /// ignoring case, `-`, `_`, `.` and spaces).
    pub required_keys: Vec<String>,
    /// Terraform resource types never reported (`*` patterns).
    pub ignore_types: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            required_keys: vec!["owner".into(), "cost-center".into(), "environment".into()],
            ignore_types: default_ignore_types(),
        }
    }
}

impl Rule for MissingCostTags {
    type Options = Options;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_terraform(&self, module: &Module<'_>, options: &Options, cx: &mut Cx<'_>) {
        for r in module.resources() {
            let tags = r.tags();
            // A partial map may hold any missing key in its unknown part.
            if !tags.supported || tags.map.partial || type_ignored(&options.ignore_types, r.rtype) {
                continue;
            }
            let missing: Vec<&str> = options
                .required_keys
                .iter()
                .filter(|k| !tags.contains(k))
                .map(String::as_str)
                .collect();
            if missing.is_empty() {
                continue;
            }
            cx.report(terraform_finding(module, r, &missing, options));
        }
    }

    fn check_kubernetes(&self, manifests: &Manifests<'_>, options: &Options, cx: &mut Cx<'_>) {
        for object in manifests.objects.iter().filter(|o| is_cost_bearing(o)) {
            // A handful of labels against a handful of keys: compared in
            // place rather than normalised into a set.
            let labels = object.labels();
            let pod_labels = object.pod().map(|p| p.labels()).unwrap_or_default();
            let namespace = manifests.namespace_of(object);
            let present = |key: &str| {
                labels
                    .iter()
                    .chain(&pod_labels)
                    .any(|(k, _)| k.as_str().is_some_and(|k| same_key(k, key)))
                    || namespace.is_some_and(|ns| ns.labels.keys().any(|k| same_key(k, key)))
            };
            let missing: Vec<&str> = options
                .required_keys
                .iter()
                .filter(|k| !present(k))
                .map(String::as_str)
                .collect();
            if missing.is_empty() {
                continue;
            }
            let help = if object.kind == "Namespace" {
                format!(
                    "add {} to the Namespace's labels; every object in it counts them",
                    ticked(&missing, "and")
                )
            } else if object.pod().is_some() {
                format!(
                    "add {} to metadata.labels, or to the labels of the pod template or of the Namespace",
                    ticked(&missing, "and")
                )
            } else {
                format!(
                    "add {} to metadata.labels, or to the labels of the Namespace",
                    ticked(&missing, "and")
                )
            };
            let mut d = Diagnostic::new(
                "",
                Loc::new(object.file, metadata_anchor(object, "labels")),
                format!(
                    "{} is missing the cost {} {}",
                    object_name(object),
                    plural("label", missing.len()),
                    ticked(&missing, "and")
                ),
            )
            .label(format!("no {}", ticked(&missing, "or")))
            .help(help)
            .resource(object.address())
            .attribute("metadata.labels")
            .property("missing", missing.clone());
            if let Some(labels) = object.metadata().and_then(|m| m.get("labels")) {
                if let Some(fix) = yaml_add_keys(manifests.text, object.file, labels, &missing) {
                    d = d.fix(fix);
                }
            }
            cx.report(d);
        }
    }
}

fn terraform_finding(
    module: &Module<'_>,
    r: &Resource<'_>,
    missing: &[&str],
    options: &Options,
) -> Diagnostic {
    let tags = r.tags();
    let word = tag_word(r.rtype);
    let argument = tags_argument(r.rtype);
    let (at, own) = tags_anchor(r);
    let keys = ticked(missing, "and");
    let defaults = defaults_word(r.rtype);
    let help = if r.rtype.starts_with("azurerm_") {
        format!("add {keys} to `{argument}`; Azure does not copy resource group tags to resources")
    } else if !provider_defaults_apply(r.rtype) {
        let what = if r.rtype == "aws_autoscaling_group" {
            format!("add a `tag` block for {keys}")
        } else {
            format!("add {keys} to `{argument}`")
        };
        format!("{what}; {defaults} do not reach `{}`", r.rtype)
    } else {
        format!(
            "add {keys} to `{argument}`, or to the {} to cover every resource of the provider",
            defaults.replace("provider ", "provider's ")
        )
    };
    let mut d = Diagnostic::new(
        "",
        at,
        format!(
            "`{}` is missing the cost {} {keys}",
            r.block_address,
            plural(word, missing.len())
        ),
    )
    .label(format!("no {}", ticked(missing, "or")))
    .help(help)
    .resource(r.address.clone())
    .attribute(argument)
    .property("missing", missing.to_vec());
    d = crate::cost::with_resource_cost(d, r, module);
    if let Some(from) = tags.defaults_from {
        let required: Vec<&str> = tags
            .from_defaults()
            .filter(|k| options.required_keys.iter().any(|req| same_key(req, k)))
            .collect();
        let message = match required.len() {
            0 => format!("{defaults} apply here"),
            1 => format!("{} comes from {defaults}", ticked(&required, "and")),
            _ => format!("{} come from {defaults}", ticked(&required, "and")),
        };
        d = d.related(from, message);
    }
    if let Some((call, message)) = caller_label(r) {
        d = d.related(call, message);
    }
    if let Some(attr) = own {
        if let Some(fix) = hcl_add_keys(module, r.file, &attr.expr, missing, word) {
            d = d.fix(fix);
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use crate::check::{CheckOptions, check};
    use crate::config::{Selection, Settings};
    use crate::source::fs::MemoryFs;

    /// Checks one file with CL201 alone and applies every fix.
    fn fixed(path: &str, text: &str) -> String {
        let mut fs = MemoryFs::new();
        fs.insert(path, text);
        let mut settings = Settings::new(Path::new("/"));
        let only = Selection::from_config(Some(&["CL201".to_owned()]), &[], &[]).unwrap();
        let mut selection = Selection::default();
        selection.merge(&only);
        settings.apply_selection(&selection);
        let opts = CheckOptions {
            cwd: PathBuf::from("/"),
            ..CheckOptions::default()
        };
        let report = check(&[PathBuf::from(path)], &settings, &fs, &opts);
        let mut edits: Vec<_> = report
            .findings
            .iter()
            .filter_map(|f| f.fix.as_ref())
            .flat_map(|f| f.edits.iter())
            .collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
        let mut out = text.to_owned();
        for e in edits {
            out.replace_range(e.span.range(), &e.replacement);
        }
        out
    }

    #[test]
    fn the_related_label_names_required_keys_the_provider_defaults_give() {
        let text = r#"provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = { CostCenter = "cc", environment = "prod", team = "x" }
  }
}

resource "aws_s3_bucket" "own" {
  tags = { environment = "dev" }
}

resource "aws_s3_bucket" "none" {}
"#;
        let mut fs = MemoryFs::new();
        fs.insert("/m/main.tf", text);
        let settings = Settings::new(Path::new("/"));
        let opts = CheckOptions {
            cwd: PathBuf::from("/"),
            ..CheckOptions::default()
        };
        let report = check(&[PathBuf::from("/m/main.tf")], &settings, &fs, &opts);
        let related = |address: &str| -> Vec<String> {
            report
                .findings
                .iter()
                .filter(|f| f.code == "CL201" && f.resource.as_deref() == Some(address))
                .flat_map(|f| f.related.iter().map(|l| l.message.clone()))
                .collect()
        };
        assert_eq!(
            related("aws_s3_bucket.none"),
            ["`CostCenter` and `environment` come from provider default_tags"]
        );
        // Its own `environment` wins over the default one.
        assert_eq!(
            related("aws_s3_bucket.own"),
            ["`CostCenter` comes from provider default_tags"]
        );
    }

    #[test]
    fn fixes_add_missing_tags_to_literal_maps() {
        let before = r#"resource "aws_instance" "a" {
  tags = {
    Name        = "a"
    environment = "prod"
  }
}

resource "aws_s3_bucket" "b" {
  tags = { Name = "b" }
}

resource "aws_sqs_queue" "c" {
  tags = {}
}

resource "aws_sns_topic" "d" {
  tags = merge(var.base, {
    owner = "x"
  })
}

variable "base" {
  default = { environment = "dev" }
}
"#;
        let after = r#"resource "aws_instance" "a" {
  tags = {
    Name        = "a"
    environment = "prod"
    owner       = "TODO"
    cost-center = "TODO"
  }
}

resource "aws_s3_bucket" "b" {
  tags = { Name = "b", owner = "TODO", cost-center = "TODO", environment = "TODO" }
}

resource "aws_sqs_queue" "c" {
  tags = { owner = "TODO", cost-center = "TODO", environment = "TODO" }
}

resource "aws_sns_topic" "d" {
  tags = merge(var.base, {
    owner = "x"
    cost-center = "TODO"
  })
}

variable "base" {
  default = { environment = "dev" }
}
"#;
        assert_eq!(fixed("/m/main.tf", before), after);
    }

    #[test]
    fn fixes_add_missing_labels_to_block_maps() {
        let before = "apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: PersistentVolumeClaim
    metadata:
      name: data
      labels:
        app: db # the selector
        environment: prod
    spec: {}
  - apiVersion: v1
    kind: Namespace
    metadata:
      name: shop
      labels: {owner: shop}
";
        let after = "apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: PersistentVolumeClaim
    metadata:
      name: data
      labels:
        app: db # the selector
        environment: prod
        owner: TODO
        cost-center: TODO
    spec: {}
  - apiVersion: v1
    kind: Namespace
    metadata:
      name: shop
      labels: {owner: shop}
";
        assert_eq!(fixed("/m/pvc.yaml", before), after);
    }
}
