use serde::{Deserialize, Serialize};

use crate::declare_rule;
use crate::finding::{Diagnostic, Loc};
use crate::model::terraform::{Arg, Module, Nested, Resource};
use crate::rules::sizing::machines::{
    self, Machine, absent_or, absent_or_false, gce_on_demand, whole,
};
use crate::rules::tags::common::caller_label;
use crate::rules::{Cx, Rule, RuleMeta};

use super::common::{described, non_production, with_cost};

declare_rule! {
    /// ## What it does
    /// Reports node groups, node pools and autoscaling groups in
    /// non-production environments that run only on-demand capacity. It
    /// reports:
    /// - `aws_eks_node_group` without `capacity_type = "SPOT"`;
    /// - `aws_autoscaling_group` whose `mixed_instances_policy` keeps
    ///   `on_demand_percentage_above_base_capacity` at 100 (the default),
    ///   or that has no such policy and whose launch template or launch
    ///   configuration in the module asks for no spot capacity;
    /// - `google_container_node_pool`, and the node pools of
    ///   `google_container_cluster` (its default pool unless removed),
    ///   whose `node_config` has neither `spot = true` nor
    ///   `preemptible = true`; `google_compute_instance_template` without
    ///   `scheduling.provisioning_model = "SPOT"` or `preemptible = true`;
    /// - `azurerm_kubernetes_cluster_node_pool` (user pools) and Azure
    ///   virtual machine scale sets without `priority = "Spot"`.
    ///
    /// Only resources whose environment is known to be non-production
    /// (the `non-production` and `ephemeral` classes of `[environments]`)
    /// are reported; a setting not known before `terraform apply`, or a
    /// launch template costlint cannot find, is never reported.
    ///
    /// Where the catalog has the on-demand price of the machines and their
    /// number is fixed (a single instance type and `desired_size`, an
    /// autoscaling group's `desired_capacity`, a node pool's `node_count`),
    /// the finding gives their monthly cost, and `monthly_saving_usd` in
    /// its properties assumes spot capacity costs `spot-discount-percent`
    /// less. Spot prices move with demand; the default of 60% is the low
    /// end of the 60–90% discounts the three clouds advertise.
    ///
    /// ## Why is this bad?
    /// Development, test and preview clusters tolerate a node going away,
    /// and that is all spot capacity asks in exchange for a discount of
    /// 60–90%. Ten m5.xlarge nodes of a development EKS cluster cost about
    /// $1,400 a month on demand ($0.192 per hour × 730 hours × 10) and
    /// typically $400–550 on spot: about $10,000 a year for one setting.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_eks_node_group" "workers" {
    ///   cluster_name   = "shop-dev"
    ///   node_group_name = "workers"
    ///   instance_types = ["m5.xlarge"]
    ///   scaling_config {
    ///     desired_size = 10
    ///     max_size     = 20
    ///     min_size     = 2
    ///   }
    ///   tags = {
    ///     environment = "dev"
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_eks_node_group" "workers" {
    ///   cluster_name    = "shop-dev"
    ///   node_group_name = "workers"
    ///   capacity_type   = "SPOT"
    ///   instance_types  = ["m5.xlarge", "m5a.xlarge", "m6i.xlarge"]
    ///   # ...
    /// }
    /// ```
    ///
    /// ## Options
    /// - `spot-discount-percent` (default `60`): how much less spot
    ///   capacity is assumed to cost than on demand, for the
    ///   `monthly_saving_usd` property.
    ///
    /// ## References
    /// - [Amazon EKS managed node groups: capacity types](https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html#managed-node-group-capacity-types)
    /// - [Amazon EC2 Auto Scaling: groups with multiple instance types and purchase options](https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-mixed-instances-groups.html)
    /// - [GKE Spot VMs](https://cloud.google.com/kubernetes-engine/docs/concepts/spot-vms)
    /// - [AKS: add a spot node pool](https://learn.microsoft.com/azure/aks/spot-node-pool)
    pub struct NonProductionOnDemand {
        code: "CL601",
        name: "non-production-on-demand",
        category: PricingModel,
        severity: Note,
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
#[schemars(rename = "NonProductionOnDemandOptions")]
pub struct Options {
    /// How much less spot capacity is assumed to cost, in percent.
    pub spot_discount_percent: u8,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            spot_discount_percent: 60,
        }
    }
}

/// On-demand capacity found in a resource.
struct OnDemand<'a> {
    at: Loc,
    attribute: String,
    /// "nodes", "instances".
    noun: &'static str,
    /// Why it is on demand: "`capacity_type` is not set".
    why: String,
    help: &'static str,
    machine: Option<Machine<'a>>,
}

const EKS_HELP: &str = "set `capacity_type = \"SPOT\"` and list several instance types of the same size so capacity is found; keep an on-demand group only for what cannot be interrupted";
const ASG_HELP: &str = "add a `mixed_instances_policy` whose `instances_distribution` sets `on_demand_percentage_above_base_capacity` below 100 (0 runs everything above `on_demand_base_capacity` on spot) with `spot_allocation_strategy = \"price-capacity-optimized\"`";
const MIXED_HELP: &str = "lower `on_demand_percentage_above_base_capacity` (0 runs everything above `on_demand_base_capacity` on spot) and set `spot_allocation_strategy = \"price-capacity-optimized\"`";
const GKE_HELP: &str =
    "set `spot = true` in `node_config` (GKE drains spot nodes before they are reclaimed)";
const GCE_HELP: &str = "set `provisioning_model = \"SPOT\"` (with `preemptible = true` and `automatic_restart = false`) in `scheduling`";
const AZURE_HELP: &str = "set `priority = \"Spot\"` with `eviction_policy = \"Delete\"` and `spot_max_price = -1` (pay at most the on-demand price)";

impl Rule for NonProductionOnDemand {
    type Options = Options;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_terraform(&self, module: &Module<'_>, options: &Options, cx: &mut Cx<'_>) {
        let share = f64::from(options.spot_discount_percent.min(100)) / 100.0;
        let note = format!(
            "spot capacity at {}% less than on demand",
            options.spot_discount_percent.min(100)
        );
        for r in module.resources() {
            // Pricing a fleet costs more than telling its environment,
            // which rules share: the environment first, for the types
            // `on_demand` looks at.
            if !TYPES.contains(&r.rtype) {
                continue;
            }
            let Some(env) = non_production(r, cx.environments) else {
                continue;
            };
            let found = on_demand(module, r);
            if found.is_empty() {
                continue;
            }
            for o in found {
                let mut d = Diagnostic::new(
                    "",
                    o.at,
                    format!(
                        "`{}` in {} runs on-demand {}: {}",
                        r.block_address,
                        described(&env),
                        o.noun,
                        o.why
                    ),
                )
                .label("on-demand capacity")
                .help(o.help)
                .resource(r.address.clone())
                .attribute(o.attribute)
                .property(
                    "spot_discount_percent",
                    options.spot_discount_percent.min(100),
                );
                d = with_cost(d, o.machine.as_ref(), share, &note);
                if let Some((call, message)) = caller_label(r) {
                    d = d.related(call, message);
                }
                cx.report(env.annotate(d));
            }
        }
    }
}

/// The single machine a resource runs, for its price.
fn single<'a>(r: &Resource<'a>) -> Option<Machine<'a>> {
    match machines::compute(r).as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// Where a setting is: the argument when written, else the block.
fn at_arg_or(arg: Option<&Arg<'_>>, fallback: Loc) -> Loc {
    arg.map_or(fallback, Arg::loc)
}

fn nested_header(n: &Nested<'_>) -> Loc {
    Loc::new(n.file, n.block.header_span())
}

/// The resource types [`on_demand`] judges.
const TYPES: &[&str] = &[
    "aws_eks_node_group",
    "aws_autoscaling_group",
    "google_container_node_pool",
    "google_container_cluster",
    "google_compute_instance_template",
    "google_compute_region_instance_template",
    "azurerm_kubernetes_cluster_node_pool",
    "azurerm_linux_virtual_machine_scale_set",
    "azurerm_windows_virtual_machine_scale_set",
    "azurerm_orchestrated_virtual_machine_scale_set",
];

fn on_demand<'a>(module: &Module<'a>, r: &Resource<'a>) -> Vec<OnDemand<'a>> {
    let mut out = Vec::new();
    match r.rtype {
        "aws_eks_node_group" => {
            let arg = r.attr("capacity_type");
            if absent_or(arg.clone(), &["ON_DEMAND"]) {
                let why = match &arg {
                    Some(_) => "`capacity_type` is `ON_DEMAND`".to_owned(),
                    None => "`capacity_type` is not set, so it is `ON_DEMAND`".to_owned(),
                };
                out.push(OnDemand {
                    at: at_arg_or(arg.as_ref(), r.header()),
                    attribute: "capacity_type".into(),
                    noun: "nodes",
                    why,
                    help: EKS_HELP,
                    machine: single(r),
                });
            }
        }
        "aws_autoscaling_group" => {
            if whole(r.attr("max_size")) == Some(0) {
                return out;
            }
            let fleet = machines::asg_fleet(module, r);
            if fleet.on_demand != Some(true) {
                return out;
            }
            let policy = r.blocks("mixed_instances_policy");
            let (at, attribute, why, help) = match policy.first() {
                Some(p) => {
                    let share = r
                        .nested_blocks(p, "instances_distribution")
                        .into_iter()
                        .find_map(|d| {
                            r.nested_attr(&d, "on_demand_percentage_above_base_capacity")
                                .map(|a| (a, d.path.clone()))
                        });
                    match share {
                        Some((arg, path)) => (
                            arg.loc(),
                            format!("{path}.on_demand_percentage_above_base_capacity"),
                            "its mixed-instances policy runs 100% on demand".to_owned(),
                            MIXED_HELP,
                        ),
                        None => (
                            nested_header(p),
                            format!("{}.instances_distribution", p.path),
                            "its mixed-instances policy runs 100% on demand (the default of `on_demand_percentage_above_base_capacity`)".to_owned(),
                            MIXED_HELP,
                        ),
                    }
                }
                None => {
                    let template = fleet
                        .template
                        .map(|t| format!(" and `{}` asks for no spot capacity", t.block_address))
                        .unwrap_or_default();
                    (
                        r.header(),
                        "mixed_instances_policy".to_owned(),
                        format!("it has no `mixed_instances_policy`{template}"),
                        ASG_HELP,
                    )
                }
            };
            out.push(OnDemand {
                at,
                attribute,
                noun: "instances",
                why,
                help,
                machine: fleet.machine,
            });
        }
        "google_container_node_pool" => {
            if let Some(o) = gke_pool(r, &r.blocks("node_config"), r.header()) {
                out.push(o);
            }
        }
        "google_container_cluster" => {
            // Autopilot has no node pools to configure.
            if !absent_or_false(r.attr("enable_autopilot")) {
                return out;
            }
            if absent_or_false(r.attr("remove_default_node_pool")) {
                if let Some(mut o) = gke_pool(r, &r.blocks("node_config"), r.header()) {
                    o.why = format!("in its default node pool, {}", o.why);
                    out.push(o);
                }
            }
            for pool in r.blocks("node_pool") {
                let configs = r.nested_blocks(&pool, "node_config");
                if let Some(o) = gke_pool(r, &configs, nested_header(&pool)) {
                    out.push(o);
                }
            }
        }
        "google_compute_instance_template" | "google_compute_region_instance_template" => {
            let scheduling = r.blocks("scheduling");
            if gce_on_demand(r, &scheduling) {
                let model = scheduling
                    .first()
                    .and_then(|s| r.nested_attr(s, "provisioning_model"));
                let (at, why) = match (&model, scheduling.first()) {
                    (Some(arg), _) => (arg.loc(), "`provisioning_model` is `STANDARD`"),
                    (None, Some(s)) => (
                        nested_header(s),
                        "`scheduling` sets no `provisioning_model`, so it is `STANDARD`",
                    ),
                    (None, None) => (
                        r.header(),
                        "it has no `scheduling` block, so its VMs are `STANDARD`",
                    ),
                };
                out.push(OnDemand {
                    at,
                    attribute: "scheduling.provisioning_model".into(),
                    noun: "VMs",
                    why: why.to_owned(),
                    help: GCE_HELP,
                    machine: single(r),
                });
            }
        }
        "azurerm_kubernetes_cluster_node_pool"
        | "azurerm_linux_virtual_machine_scale_set"
        | "azurerm_windows_virtual_machine_scale_set"
        | "azurerm_orchestrated_virtual_machine_scale_set" => {
            // System pools cannot run on spot.
            if r.rtype == "azurerm_kubernetes_cluster_node_pool"
                && !absent_or(r.attr("mode"), &["User"])
            {
                return out;
            }
            let arg = r.attr("priority");
            if absent_or(arg.clone(), &["Regular"]) {
                let why = match &arg {
                    Some(_) => "`priority` is `Regular`".to_owned(),
                    None => "`priority` is not set, so it is `Regular`".to_owned(),
                };
                let noun = if r.rtype == "azurerm_kubernetes_cluster_node_pool" {
                    "nodes"
                } else {
                    "instances"
                };
                out.push(OnDemand {
                    at: at_arg_or(arg.as_ref(), r.header()),
                    attribute: "priority".into(),
                    noun,
                    why,
                    help: AZURE_HELP,
                    machine: single(r),
                });
            }
        }
        _ => {}
    }
    out
}

/// A GKE node pool (its `node_config` blocks, none meaning the default
/// configuration) that asks for neither spot nor preemptible nodes.
fn gke_pool<'a>(r: &Resource<'a>, configs: &[Nested<'a>], header: Loc) -> Option<OnDemand<'a>> {
    let spot_or_preemptible = |c: &Nested<'a>| {
        !(absent_or_false(r.nested_attr(c, "spot"))
            && absent_or_false(r.nested_attr(c, "preemptible")))
    };
    if configs.iter().any(spot_or_preemptible) {
        return None;
    }
    let spot = configs.first().and_then(|c| r.nested_attr(c, "spot"));
    let (at, why) = match (&spot, configs.first()) {
        (Some(arg), _) => (arg.loc(), "`spot` is `false`"),
        (None, Some(c)) => (
            nested_header(c),
            "`node_config` sets neither `spot` nor `preemptible`",
        ),
        (None, None) => (
            header,
            "it has no `node_config`, so its nodes are on demand",
        ),
    };
    // The machine of this pool, when the resource has only one.
    let machine = match r.rtype {
        "google_container_node_pool" => configs.first().and_then(|_| single(r)),
        _ => None,
    };
    let path = configs
        .first()
        .map_or_else(|| "node_config".to_owned(), |c| format!("{}.spot", c.path));
    Some(OnDemand {
        at,
        attribute: path,
        noun: "nodes",
        why: why.to_owned(),
        help: GKE_HELP,
        machine,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options() {
        assert_eq!(Options::default().spot_discount_percent, 60);
        let o: Options = toml::from_str("spot-discount-percent = 70").unwrap();
        assert_eq!(o.spot_discount_percent, 70);
        assert!(toml::from_str::<Options>("spot-discount = 70").is_err());
        assert!(toml::from_str::<Options>("spot-discount-percent = 300").is_err());
    }
}
