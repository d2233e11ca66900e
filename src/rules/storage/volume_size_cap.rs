use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::declare_rule;
use crate::finding::{Diagnostic, Loc};
use crate::kubernetes::object::Object;
use crate::kubernetes::quantity::Quantity;
use crate::kubernetes::yaml::Node;
use crate::model::Environments;
use crate::model::kubernetes::Manifests;
use crate::model::terraform::{Arg, Module, Nested, Resource};
use crate::rules::sizing::caps::{EnvState, limits_layer, number, resolve};
use crate::rules::tags::common::{caller_label, object_name};
use crate::rules::{Cx, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a volume larger than the cap of its environment, or with
    /// more provisioned IOPS than allowed. Sizes: `aws_ebs_volume.size`, the
    /// `volume_size` of the `root_block_device` and `ebs_block_device`
    /// blocks of `aws_instance`, `aws_spot_instance_request` and
    /// `aws_launch_configuration` and of the `block_device_mappings.ebs` of
    /// `aws_launch_template`; `aws_db_instance.allocated_storage`;
    /// `google_compute_disk` and `google_compute_region_disk` `size`, the
    /// `boot_disk.initialize_params.size` of `google_compute_instance`, the
    /// `disk_size_gb` of `google_compute_instance_template` disks and the
    /// `settings.disk_size` of `google_sql_database_instance`;
    /// `azurerm_managed_disk.disk_size_gb`, the `os_disk.disk_size_gb` of
    /// Azure virtual machines and the `storage_mb` of
    /// `azurerm_postgresql_flexible_server` and
    /// `azurerm_mysql_flexible_server`. Provisioned IOPS: the `iops` of the
    /// same AWS volumes and of `aws_db_instance`, `provisioned_iops` of
    /// Compute Engine disks and `disk_iops_read_write` of Azure managed
    /// disks. In Kubernetes, the `storage` request of a
    /// PersistentVolumeClaim and of each of a StatefulSet's
    /// `volumeClaimTemplates` (one volume per replica).
    ///
    /// Terraform sizes are in GiB as the providers write them; Kubernetes
    /// quantities are compared exactly (`1Ti` = 1,024 GiB, `1T` ≈ 931 GiB).
    /// By default the cap is 1,024 GiB and 16,000 IOPS, and 100 GiB and
    /// 3,000 IOPS (the free gp3 baseline) in non-production environments.
    /// Values not known before `terraform apply` are never reported.
    ///
    /// ## Why is this bad?
    /// Block storage is billed by the provisioned size, not by what is
    /// written to it, every hour the volume exists. A 2 TiB gp3 volume costs
    /// about $164 a month ($0.08 per GB-month) even when it holds 20 GB; the
    /// same disk in ten preview environments is $1,640 a month. Provisioned
    /// IOPS are billed on top: 20,000 IOPS on io2 add about $1,300 a month
    /// ($0.065 per IOPS-month), whether or not the database ever needs
    /// them. Volumes can grow online later, but most of them never shrink.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ebs_volume" "scratch" {
    ///   availability_zone = "eu-west-1a"
    ///   size              = 2048
    ///   type              = "gp3"
    ///   tags = {
    ///     environment = "dev"
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_ebs_volume" "scratch" {
    ///   availability_zone = "eu-west-1a"
    ///   size              = 100
    ///   type              = "gp3"
    ///   tags = {
    ///     environment = "dev"
    ///   }
    /// }
    /// ```
    ///
    /// ## Options
    /// - `max-size-gib` (default `1024`): the largest volume, in GiB,
    ///   wherever no entry of `environments` sets a limit.
    /// - `max-iops` (default `16000`): the most provisioned IOPS per volume
    ///   wherever no entry of `environments` sets a limit.
    /// - `environments` (default: `non-production` = `max-size-gib = 100`,
    ///   `max-iops = 3000`): caps per environment name (or `*` pattern) or
    ///   class (`production`, `non-production`, `ephemeral`), each with
    ///   `max-size-gib` and `max-iops`. A limit an entry leaves out comes
    ///   from the environment's class, then from the rule-wide limits.
    ///
    /// ```toml
    /// [rules.volume-size-cap]
    /// max-size-gib = 4096
    ///
    /// [rules.volume-size-cap.environments.staging]
    /// max-size-gib = 500
    /// ```
    ///
    /// ## References
    /// - [Amazon EBS pricing](https://aws.amazon.com/ebs/pricing/)
    /// - [Compute Engine disk pricing](https://cloud.google.com/compute/disks-image-pricing)
    /// - [Azure managed disks pricing](https://azure.microsoft.com/pricing/details/managed-disks/)
    /// - [Kubernetes persistent volumes](https://kubernetes.io/docs/concepts/storage/persistent-volumes/)
    pub struct VolumeSizeCap {
        code: "CL502",
        name: "volume-size-cap",
        category: Storage,
        severity: Warning,
    }
}

/// A cap on volumes, rule-wide or for one environment or class.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct VolumeCap {
    /// Largest volume, in GiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_size_gib: Option<u32>,
    /// Most provisioned IOPS per volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_iops: Option<u32>,
}

limits_layer!(VolumeCap {
    max_size_gib,
    max_iops
});

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
#[schemars(rename = "VolumeSizeCapOptions")]
pub struct Options {
    /// Largest volume in GiB wherever no environment entry says otherwise.
    pub max_size_gib: Option<u32>,
    /// Most provisioned IOPS per volume wherever no environment entry says
    /// otherwise.
    pub max_iops: Option<u32>,
    /// Caps per environment name (or `*` pattern) or class (`production`,
    /// `non-production`, `ephemeral`).
    pub environments: BTreeMap<String, VolumeCap>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_size_gib: Some(1024),
            max_iops: Some(16_000),
            environments: BTreeMap::from([(
                "non-production".to_owned(),
                VolumeCap {
                    max_size_gib: Some(100),
                    max_iops: Some(3_000),
                },
            )]),
        }
    }
}

static BUILTIN_CAPS: OnceLock<BTreeMap<String, VolumeCap>> = OnceLock::new();

impl Options {
    fn cap_for(&self, env: &EnvState, environments: &Environments) -> VolumeCap {
        let top = VolumeCap {
            max_size_gib: self.max_size_gib,
            max_iops: self.max_iops,
        };
        resolve(
            &top,
            &self.environments,
            BUILTIN_CAPS.get_or_init(|| Options::default().environments),
            env,
            environments,
        )
    }
}

/// What a value measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    /// A size, in GiB once divided by the divisor (1024 for `storage_mb`).
    Size {
        per_gib: u32,
    },
    Iops,
}

/// A volume size or IOPS value written in a resource.
struct Site<'a> {
    arg: Arg<'a>,
    attribute: String,
    measure: Measure,
    /// What the value is of: "" for the volume itself, "root volume",
    /// "storage".
    noun: &'static str,
}

const GIB: Measure = Measure::Size { per_gib: 1 };

impl Rule for VolumeSizeCap {
    type Options = Options;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_terraform(&self, module: &Module<'_>, options: &Options, cx: &mut Cx<'_>) {
        for r in module.resources() {
            let sites = sites(r);
            if sites.is_empty() {
                continue;
            }
            let env = EnvState::of_resource(r, cx.environments);
            let cap = options.cap_for(&env, cx.environments);
            for site in sites {
                let Some(value) = site.arg.value.as_f64().filter(|v| *v >= 0.0) else {
                    continue;
                };
                let (actual, max, unit) = match site.measure {
                    Measure::Size { per_gib } => {
                        (value / f64::from(per_gib), cap.max_size_gib, "GiB")
                    }
                    Measure::Iops => (value, cap.max_iops, "IOPS"),
                };
                let Some(max) = max.filter(|m| actual > f64::from(*m)) else {
                    continue;
                };
                let mut d = Diagnostic::new(
                    "",
                    site.arg.loc(),
                    format!(
                        "`{}` {}, over the cap of {} {unit} {}",
                        r.block_address,
                        fact(&site, value, actual),
                        number(max.into()),
                        env.scope()
                    ),
                )
                .label(format!(
                    "{} {unit} > {} {unit}",
                    number(actual),
                    number(max.into())
                ))
                .help(terraform_help(&site, max, &env))
                .resource(r.address.clone())
                .attribute(site.attribute.clone());
                d = match site.measure {
                    Measure::Size { .. } => {
                        d.property("size_gib", actual).property("cap_size_gib", max)
                    }
                    Measure::Iops => d.property("iops", actual).property("cap_iops", max),
                };
                if let Some(origin) = site.arg.origin_elsewhere() {
                    d = d.related(origin, format!("`{}` is set here", number(value)));
                }
                if let Some((call, message)) = caller_label(r) {
                    d = d.related(call, message);
                }
                cx.report(env.annotate(d));
            }
        }
    }

    fn check_kubernetes(&self, manifests: &Manifests<'_>, options: &Options, cx: &mut Cx<'_>) {
        for object in &manifests.objects {
            // (template name, claim spec); no name for a claim itself.
            let claims: Vec<(Option<&str>, &Node)> = match object.kind {
                "PersistentVolumeClaim" => object
                    .node
                    .get("spec")
                    .map(|spec| (None, spec))
                    .into_iter()
                    .collect(),
                "StatefulSet" => object
                    .node
                    .path(&["spec", "volumeClaimTemplates"])
                    .and_then(Node::as_seq)
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|t| {
                        let name = t.path(&["metadata", "name"]).and_then(Node::as_str);
                        Some((Some(name.unwrap_or("<unnamed>")), t.get("spec")?))
                    })
                    .collect(),
                _ => continue,
            };
            let env = EnvState::of_object(manifests, object);
            let Some(max) = options.cap_for(&env, manifests.environments).max_size_gib else {
                continue;
            };
            for (template, claim) in claims {
                if let Some(d) = claim_finding(object, template, claim, max, &env) {
                    cx.report(d);
                }
            }
        }
    }
}

fn leaf(attribute: &str) -> &str {
    attribute.rsplit('.').next().unwrap_or(attribute)
}

/// "is 2,048 GiB", "has a 200 GiB root volume", "provisions 6,000 IOPS".
fn fact(site: &Site<'_>, value: f64, actual: f64) -> String {
    let n = number(actual);
    match (site.measure, site.noun) {
        (Measure::Iops, "") => format!("provisions {n} IOPS"),
        (Measure::Iops, noun) => format!("provisions {n} IOPS for its {noun}"),
        (_, "") => format!("is {n} GiB"),
        (Measure::Size { per_gib: 1 }, "storage") => format!("has {n} GiB of storage"),
        (_, "storage") => format!(
            "has {n} GiB of storage (`{} = {}`)",
            leaf(&site.attribute),
            crate::terraform::value::format_number(value)
        ),
        (_, noun) => format!("has a {n} GiB {noun}"),
    }
}

fn terraform_help(site: &Site<'_>, max: u32, env: &EnvState) -> String {
    let name = leaf(&site.attribute);
    match site.measure {
        Measure::Size { per_gib } => format!(
            "provision what the data needs now, at most {} GiB (`{name} = {}`), and grow the volume when it fills; or {}",
            number(max.into()),
            u64::from(max) * u64::from(per_gib),
            env.raise()
        ),
        Measure::Iops => format!(
            "provision at most {} IOPS (measure the peak first), or {}",
            number(max.into()),
            env.raise()
        ),
    }
}

/// Every volume size and IOPS value a resource writes.
fn sites<'a>(r: &Resource<'a>) -> Vec<Site<'a>> {
    let mut out = Vec::new();
    let top = |out: &mut Vec<Site<'a>>, name: &str, measure: Measure, noun: &'static str| {
        if let Some(arg) = r.attr(name) {
            out.push(Site {
                arg,
                attribute: name.to_owned(),
                measure,
                noun,
            });
        }
    };
    let nested = |out: &mut Vec<Site<'a>>,
                  block: &Nested<'a>,
                  name: &str,
                  measure: Measure,
                  noun: &'static str| {
        if let Some(arg) = r.nested_attr(block, name) {
            out.push(Site {
                arg,
                attribute: format!("{}.{name}", block.path),
                measure,
                noun,
            });
        }
    };
    match r.rtype {
        "aws_ebs_volume" => {
            top(&mut out, "size", GIB, "");
            top(&mut out, "iops", Measure::Iops, "");
        }
        "aws_db_instance" => {
            top(&mut out, "allocated_storage", GIB, "storage");
            top(&mut out, "iops", Measure::Iops, "storage");
        }
        "aws_instance" | "aws_spot_instance_request" | "aws_launch_configuration" => {
            for (name, noun) in [
                ("root_block_device", "root volume"),
                ("ebs_block_device", "EBS volume"),
            ] {
                for b in r.blocks(name) {
                    nested(&mut out, &b, "volume_size", GIB, noun);
                    nested(&mut out, &b, "iops", Measure::Iops, noun);
                }
            }
        }
        "aws_launch_template" => {
            for mapping in r.blocks("block_device_mappings") {
                for ebs in r.nested_blocks(&mapping, "ebs") {
                    nested(&mut out, &ebs, "volume_size", GIB, "EBS volume");
                    nested(&mut out, &ebs, "iops", Measure::Iops, "EBS volume");
                }
            }
        }
        "google_compute_disk" => {
            top(&mut out, "size", GIB, "");
            top(&mut out, "provisioned_iops", Measure::Iops, "");
        }
        "google_compute_region_disk" => top(&mut out, "size", GIB, ""),
        "google_compute_instance" => {
            for boot in r.blocks("boot_disk") {
                for params in r.nested_blocks(&boot, "initialize_params") {
                    nested(&mut out, &params, "size", GIB, "boot disk");
                    nested(
                        &mut out,
                        &params,
                        "provisioned_iops",
                        Measure::Iops,
                        "boot disk",
                    );
                }
            }
        }
        "google_compute_instance_template" | "google_compute_region_instance_template" => {
            for disk in r.blocks("disk") {
                nested(&mut out, &disk, "disk_size_gb", GIB, "disk");
                nested(&mut out, &disk, "provisioned_iops", Measure::Iops, "disk");
            }
        }
        "google_sql_database_instance" => {
            for settings in r.blocks("settings") {
                nested(&mut out, &settings, "disk_size", GIB, "storage");
            }
        }
        "azurerm_managed_disk" => {
            top(&mut out, "disk_size_gb", GIB, "");
            top(&mut out, "disk_iops_read_write", Measure::Iops, "");
        }
        "azurerm_linux_virtual_machine" | "azurerm_windows_virtual_machine" => {
            for disk in r.blocks("os_disk") {
                nested(&mut out, &disk, "disk_size_gb", GIB, "OS disk");
            }
        }
        "azurerm_postgresql_flexible_server" | "azurerm_mysql_flexible_server" => {
            top(
                &mut out,
                "storage_mb",
                Measure::Size { per_gib: 1024 },
                "storage",
            );
        }
        _ => {}
    }
    out
}

/// A claim (or claim template) whose storage request is over the cap.
fn claim_finding(
    object: &Object<'_>,
    template: Option<&str>,
    claim: &Node,
    max_gib: u32,
    env: &EnvState,
) -> Option<Diagnostic> {
    let node = claim.path(&["resources", "requests", "storage"])?;
    let text = node.as_str()?;
    let q = Quantity::parse(text)?;
    let cap = Quantity::from_units(i128::from(max_gib) << 30);
    if q <= cap {
        return None;
    }
    let gib = q.as_f64() / f64::from(1u32 << 30);
    let replicas = object
        .node
        .path(&["spec", "replicas"])
        .and_then(Node::as_i64)
        .filter(|n| *n > 1);
    let (subject, each) = match template {
        Some(claim_name) => (
            format!(
                "volume claim template `{claim_name}` of {}",
                object_name(object)
            ),
            replicas
                .map(|n| format!(" for each of its {n} replicas"))
                .unwrap_or_default(),
        ),
        None => (object_name(object), String::new()),
    };
    let in_gib = if gib.fract() == 0.0 {
        format!("{} GiB", number(gib))
    } else {
        format!("about {} GiB", number(gib.round()))
    };
    let shown = if text.trim().ends_with("Gi") {
        String::new()
    } else {
        format!(" ({in_gib})")
    };
    let mut d = Diagnostic::new(
        "",
        Loc::new(object.file, node.span),
        format!(
            "{subject} requests {}{shown} of storage{each}, over the cap of {} GiB {}",
            text.trim(),
            number(max_gib.into()),
            env.scope()
        ),
    )
    .label(format!("{in_gib} > {} GiB", number(max_gib.into())))
    .help(format!(
        "request what the data needs now, at most {max_gib}Gi, and expand the claim when it fills (with a StorageClass that allows volume expansion); or {}",
        env.raise()
    ))
    .resource(object.address())
    .attribute(match template {
        Some(name) => format!("volumeClaimTemplates.{name}.resources.requests.storage"),
        None => "spec.resources.requests.storage".to_owned(),
    })
    .property("size_gib", (gib * 100.0).round() / 100.0)
    .property("cap_size_gib", max_gib);
    if let Some(n) = replicas.filter(|_| template.is_some()) {
        d = d.property("replicas", n);
    }
    Some(env.annotate(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_layers() {
        let o = Options::default();
        let e = Environments::default();
        let dev = EnvState::Known {
            class: e.classify("dev"),
            described: "environment `dev`".into(),
            name: "dev".into(),
            origin: None,
        };
        let cap = o.cap_for(&dev, &e);
        assert_eq!((cap.max_size_gib, cap.max_iops), (Some(100), Some(3000)));
        let cap = o.cap_for(&EnvState::Missing, &e);
        assert_eq!((cap.max_size_gib, cap.max_iops), (Some(1024), Some(16000)));
        let o: Options = toml::from_str("[environments.dev]\nmax-size-gib = 500").unwrap();
        let cap = o.cap_for(&dev, &e);
        assert_eq!((cap.max_size_gib, cap.max_iops), (Some(500), Some(3000)));
        assert!(toml::from_str::<Options>("max-size = 3").is_err());
    }
}
