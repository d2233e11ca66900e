use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::declare_rule;
use crate::finding::{Diagnostic, Loc};
use crate::kubernetes::object::Object;
use crate::kubernetes::yaml::Node;
use crate::model::Environments;
use crate::model::kubernetes::Manifests;
use crate::model::terraform::{Arg, Module, Nested, Resource};
use crate::rules::tags::common::{caller_label, object_name};
use crate::rules::{Cx, Rule, RuleMeta};

use super::caps::{EnvState, cents, limits_layer, monthly, number};
use super::machines::{self, Machine, absent_or, whole};

declare_rule! {
    /// ## What it does
    /// Reports an autoscaler whose upper bound (nodes, instances or
    /// replicas) is over the cap of its environment. It reads the
    /// `max_size` of `aws_autoscaling_group` and of an
    /// `aws_eks_node_group` `scaling_config`; the `autoscaling`
    /// `max_node_count` (per zone) and `total_max_node_count` of
    /// `google_container_node_pool` and of the `node_pool` blocks of
    /// `google_container_cluster`; the `max_replicas` of
    /// `google_compute_autoscaler` and `google_compute_region_autoscaler`;
    /// the `max_count` of an autoscaling AKS `default_node_pool` and
    /// `azurerm_kubernetes_cluster_node_pool`; the `capacity.maximum` of each
    /// profile of an enabled `azurerm_monitor_autoscale_setting`. In
    /// Kubernetes, the `maxReplicas` of a HorizontalPodAutoscaler and the
    /// `maxReplicaCount` of a KEDA ScaledObject (when written).
    ///
    /// In non-production environments it also reports a Deployment,
    /// StatefulSet or ReplicaSet whose fixed `replicas` is over the cap,
    /// unless an autoscaler in the run, or in a manifest beside the file,
    /// scales it (its `replicas` is then not what runs).
    ///
    /// The environment comes from the resource's `environment`, `env` or
    /// `stage` tag or label, as for `instance-size-cap`; in Kubernetes from
    /// the object's labels, its Namespace's labels, or the namespace name.
    /// By default the cap is 100, and 10 in non-production environments.
    /// Values not known before `terraform apply`, and Helm placeholders,
    /// are never reported; when only the environment is unknown, the
    /// loosest cap of all environments applies.
    ///
    /// ## Why is this bad?
    /// The upper bound is the only thing between a runaway scaling loop (a
    /// retry storm, a bad metric, a load test pointed at the wrong cluster)
    /// and the invoice. An autoscaling group of m5.large allowed to reach
    /// 500 instances can spend about $35,000 a month ($0.096 per hour × 730
    /// hours × 500) before anyone looks; capped at 10 in a development
    /// account, the worst case is about $700. A bound that a real load
    /// could never need only protects nobody.
    ///
    /// Where the catalog has the list price of the group's machines, the
    /// finding's properties give the monthly cost at the upper bound and at
    /// the cap (`max_monthly_usd`, `cap_monthly_usd`).
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_autoscaling_group" "workers" {
    ///   min_size = 1
    ///   max_size = 500
    ///   launch_template {
    ///     id = aws_launch_template.workers.id
    ///   }
    ///   tag {
    ///     key                 = "environment"
    ///     value               = "dev"
    ///     propagate_at_launch = true
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_autoscaling_group" "workers" {
    ///   min_size = 1
    ///   max_size = 10
    ///   # ...
    /// }
    /// ```
    ///
    /// ## Options
    /// - `max-count` (default `100`): the most nodes, instances or replicas
    ///   an autoscaler may reach wherever no entry of `environments` sets a
    ///   cap.
    /// - `environments` (default: `non-production` = `max-count = 10`):
    ///   caps per environment name (or `*` pattern) or class (`production`,
    ///   `non-production`, `ephemeral`), each with `max-count`. An entry
    ///   that leaves it out takes it from the environment's class, then from
    ///   the rule-wide cap.
    ///
    /// ```toml
    /// [rules.autoscaling-unbounded]
    /// max-count = 200
    ///
    /// [rules.autoscaling-unbounded.environments.staging]
    /// max-count = 30
    /// ```
    ///
    /// ## References
    /// - [Amazon EC2 Auto Scaling: set capacity limits](https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-capacity-limits.html)
    /// - [GKE cluster autoscaler: node pool limits](https://cloud.google.com/kubernetes-engine/docs/concepts/cluster-autoscaler)
    /// - [AKS cluster autoscaler](https://learn.microsoft.com/azure/aks/cluster-autoscaler)
    /// - [Kubernetes Horizontal Pod Autoscaling](https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/)
    /// - [KEDA ScaledObject specification](https://keda.sh/docs/latest/reference/scaledobject-spec/)
    pub struct AutoscalingUnbounded {
        code: "CL106",
        name: "autoscaling-unbounded",
        category: Sizing,
        severity: Warning,
    }
}

/// A cap on an autoscaler's upper bound, rule-wide or for one environment
/// or class.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CountCap {
    /// Most nodes, instances or replicas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_count: Option<u32>,
}

limits_layer!(CountCap { max_count });

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
#[schemars(rename = "AutoscalingUnboundedOptions")]
pub struct Options {
    /// Most nodes, instances or replicas wherever no environment entry
    /// says otherwise.
    pub max_count: Option<u32>,
    /// Caps per environment name (or `*` pattern) or class (`production`,
    /// `non-production`, `ephemeral`).
    pub environments: BTreeMap<String, CountCap>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_count: Some(100),
            environments: BTreeMap::from([(
                "non-production".to_owned(),
                CountCap {
                    max_count: Some(10),
                },
            )]),
        }
    }
}

static BUILTIN_CAPS: OnceLock<BTreeMap<String, CountCap>> = OnceLock::new();

impl Options {
    fn cap_for(&self, env: &EnvState, environments: &Environments) -> Option<u32> {
        let top = CountCap {
            max_count: self.max_count,
        };
        super::caps::resolve(
            &top,
            &self.environments,
            BUILTIN_CAPS.get_or_init(|| Options::default().environments),
            env,
            environments,
        )
        .max_count
    }
}

/// An upper bound written in a resource.
struct Bound<'a> {
    arg: Arg<'a>,
    /// Normalised path: `max_size`, `node_pool.0.autoscaling.0.max_node_count`.
    attribute: String,
    /// What is counted: "instances", "nodes per zone".
    unit: &'static str,
}

impl Rule for AutoscalingUnbounded {
    type Options = Options;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_terraform(&self, module: &Module<'_>, options: &Options, cx: &mut Cx<'_>) {
        for r in module.resources() {
            let bounds = bounds(r);
            if bounds.is_empty() {
                continue;
            }
            let env = EnvState::of_resource(r, cx.environments);
            let Some(cap) = options.cap_for(&env, cx.environments) else {
                continue;
            };
            for bound in bounds {
                let Some(max) = whole(Some(bound.arg.clone())) else {
                    continue;
                };
                if max <= cap {
                    continue;
                }
                let machine = priced_machine(module, r);
                cx.report(terraform_finding(r, &bound, max, cap, &env, machine));
            }
        }
    }

    fn check_kubernetes(&self, manifests: &Manifests<'_>, options: &Options, cx: &mut Cx<'_>) {
        for object in &manifests.objects {
            // Only the kinds below need it, and describing it formats text.
            let env = || EnvState::of_object(manifests, object);
            match object.kind {
                "HorizontalPodAutoscaler" | "ScaledObject" => {
                    let env = env();
                    let field = if object.kind == "ScaledObject" {
                        "maxReplicaCount"
                    } else {
                        "maxReplicas"
                    };
                    let Some(node) = object.node.path(&["spec", field]) else {
                        continue;
                    };
                    let (Some(max), Some(cap)) = (
                        replicas(node),
                        options.cap_for(&env, manifests.environments),
                    ) else {
                        continue;
                    };
                    if max > cap {
                        cx.report(autoscaler_finding(object, node, field, max, cap, &env));
                    }
                }
                "Deployment" | "StatefulSet" | "ReplicaSet" if object.is_workload() => {
                    let env = env();
                    let non_production =
                        matches!(&env, EnvState::Known { class, .. } if class.is_non_production());
                    if !non_production || manifests.scale_targets.scales(object) {
                        continue;
                    }
                    let Some(node) = object.node.path(&["spec", "replicas"]) else {
                        continue;
                    };
                    let (Some(n), Some(cap)) = (
                        replicas(node),
                        options.cap_for(&env, manifests.environments),
                    ) else {
                        continue;
                    };
                    if n > cap {
                        cx.report(replicas_finding(object, node, n, cap, &env));
                    }
                }
                _ => {}
            }
        }
    }
}

/// A plain non-negative integer; anything else (a template placeholder,
/// a string) is not known.
fn replicas(node: &Node) -> Option<u32> {
    node.as_i64().and_then(|n| u32::try_from(n).ok())
}

/// Every upper bound a resource writes.
fn bounds<'a>(r: &Resource<'a>) -> Vec<Bound<'a>> {
    let mut out = Vec::new();
    let mut push = |arg: Option<Arg<'a>>, attribute: String, unit: &'static str| {
        if let Some(arg) = arg {
            out.push(Bound {
                arg,
                attribute,
                unit,
            });
        }
    };
    match r.rtype {
        "aws_autoscaling_group" => push(r.attr("max_size"), "max_size".into(), "instances"),
        "aws_eks_node_group" => {
            for s in r.blocks("scaling_config") {
                push(
                    r.nested_attr(&s, "max_size"),
                    format!("{}.max_size", s.path),
                    "nodes",
                );
            }
        }
        "google_container_node_pool" => {
            for a in r.blocks("autoscaling") {
                gke_bounds(r, &a, &mut push);
            }
        }
        "google_container_cluster" => {
            for pool in r.blocks("node_pool") {
                for a in r.nested_blocks(&pool, "autoscaling") {
                    gke_bounds(r, &a, &mut push);
                }
            }
        }
        "google_compute_autoscaler" | "google_compute_region_autoscaler" => {
            for p in r.blocks("autoscaling_policy") {
                push(
                    r.nested_attr(&p, "max_replicas"),
                    format!("{}.max_replicas", p.path),
                    "instances",
                );
            }
        }
        "azurerm_kubernetes_cluster" => {
            for pool in r.blocks("default_node_pool") {
                if aks_autoscales(|name| r.nested_attr(&pool, name)) {
                    push(
                        r.nested_attr(&pool, "max_count"),
                        format!("{}.max_count", pool.path),
                        "nodes",
                    );
                }
            }
        }
        "azurerm_kubernetes_cluster_node_pool" if aks_autoscales(|name| r.attr(name)) => {
            push(r.attr("max_count"), "max_count".into(), "nodes");
        }
        // A disabled setting scales nothing; unknown is not reported.
        "azurerm_monitor_autoscale_setting" if absent_or(r.attr("enabled"), &["true"]) => {
            for profile in r.blocks("profile") {
                for capacity in r.nested_blocks(&profile, "capacity") {
                    push(
                        r.nested_attr(&capacity, "maximum"),
                        format!("{}.maximum", capacity.path),
                        "instances",
                    );
                }
            }
        }
        _ => {}
    }
    out
}

fn gke_bounds<'a>(
    r: &Resource<'a>,
    autoscaling: &Nested<'a>,
    push: &mut impl FnMut(Option<Arg<'a>>, String, &'static str),
) {
    push(
        r.nested_attr(autoscaling, "max_node_count"),
        format!("{}.max_node_count", autoscaling.path),
        "nodes per zone",
    );
    push(
        r.nested_attr(autoscaling, "total_max_node_count"),
        format!("{}.total_max_node_count", autoscaling.path),
        "nodes",
    );
}

/// `max_count` only applies when the pool autoscales (known `true`):
/// `auto_scaling_enabled` in azurerm 4, `enable_auto_scaling` before.
fn aks_autoscales<'a>(attr: impl Fn(&str) -> Option<Arg<'a>>) -> bool {
    let on = |name: &str| attr(name).and_then(|a| a.value.as_bool()) == Some(true);
    on("auto_scaling_enabled") || on("enable_auto_scaling")
}

/// The on-demand machine a resource scales, when it is one known, priced
/// size: what the upper bound costs.
fn priced_machine<'a>(module: &Module<'a>, r: &Resource<'a>) -> Option<Machine<'a>> {
    let machine = match r.rtype {
        "aws_autoscaling_group" => machines::asg_fleet(module, r).machine,
        "aws_eks_node_group" | "azurerm_kubernetes_cluster_node_pool" => {
            match machines::compute(r).as_slice() {
                [one] => Some(one.clone()),
                _ => None,
            }
        }
        _ => None,
    };
    machine.filter(|m| m.hourly().is_some())
}

fn terraform_finding(
    r: &Resource<'_>,
    bound: &Bound<'_>,
    max: u32,
    cap: u32,
    env: &EnvState,
    machine: Option<Machine<'_>>,
) -> Diagnostic {
    let name = bound
        .attribute
        .rsplit('.')
        .next()
        .unwrap_or(&bound.attribute);
    let mut d = Diagnostic::new(
        "",
        bound.arg.loc(),
        format!(
            "`{}` can scale to {} {}, over the cap of {} {}",
            r.block_address,
            number(max.into()),
            bound.unit,
            number(cap.into()),
            env.scope()
        ),
    )
    .label(format!(
        "{name} = {} > {}",
        number(max.into()),
        number(cap.into())
    ))
    .help(format!(
        "lower `{name}` to at most {} (what the real peak load needs), or {}",
        number(cap.into()),
        env.raise()
    ))
    .resource(r.address.clone())
    .attribute(bound.attribute.clone())
    .property("max_count", max)
    .property("cap_count", cap)
    .property("unit", bound.unit);
    if let Some(origin) = bound.arg.origin_elsewhere() {
        d = d.related(origin, format!("`{max}` is set here"));
    }
    if let Some(m) = machine {
        if let Some(hourly) = m.hourly() {
            d = d
                .property("instance_type", m.name.as_str())
                .property("instance_monthly_usd", cents(monthly(hourly, 1)))
                .property("max_monthly_usd", cents(monthly(hourly, max)))
                .property("cap_monthly_usd", cents(monthly(hourly, cap)));
            if let Some(date) = m.catalog.price_date() {
                d = d.property("price_data_date", date);
            }
        }
    }
    if let Some((call, message)) = caller_label(r) {
        d = d.related(call, message);
    }
    env.annotate(d)
}

fn autoscaler_finding(
    object: &Object<'_>,
    node: &Node,
    field: &str,
    max: u32,
    cap: u32,
    env: &EnvState,
) -> Diagnostic {
    let target = object
        .node
        .path(&["spec", "scaleTargetRef"])
        .and_then(|t| {
            let name = t.get("name").and_then(Node::as_str)?;
            let kind = t.get("kind").and_then(Node::as_str).unwrap_or("Deployment");
            Some(format!("{kind} `{name}`"))
        })
        .unwrap_or_else(|| "its target".to_owned());
    let d = Diagnostic::new(
        "",
        Loc::new(object.file, node.span),
        format!(
            "{} can scale {target} to {} replicas, over the cap of {} {}",
            object_name(object),
            number(max.into()),
            number(cap.into()),
            env.scope()
        ),
    )
    .label(format!(
        "{field}: {} > {}",
        number(max.into()),
        number(cap.into())
    ))
    .help(format!(
        "lower `{field}` to at most {} (what the real peak load needs), or {}",
        number(cap.into()),
        env.raise()
    ))
    .resource(object.address())
    .attribute(format!("spec.{field}"))
    .property("max_count", max)
    .property("cap_count", cap)
    .property("unit", "replicas");
    env.annotate(d)
}

fn replicas_finding(
    object: &Object<'_>,
    node: &Node,
    n: u32,
    cap: u32,
    env: &EnvState,
) -> Diagnostic {
    let d = Diagnostic::new(
        "",
        Loc::new(object.file, node.span),
        format!(
            "{} runs {} replicas, over the cap of {} {}",
            object_name(object),
            number(n.into()),
            number(cap.into()),
            env.scope()
        ),
    )
    .label(format!("replicas: {} > {}", number(n.into()), number(cap.into())))
    .help(format!(
        "run at most {} replicas here (or let a HorizontalPodAutoscaler with a low `maxReplicas` size it), or {}",
        number(cap.into()),
        env.raise()
    ))
    .resource(object.address())
    .attribute("spec.replicas")
    .property("replicas", n)
    .property("cap_count", cap)
    .property("unit", "replicas");
    env.annotate(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known_env(name: &str) -> EnvState {
        let e = Environments::default();
        EnvState::Known {
            class: e.classify(name),
            described: format!("environment `{name}`"),
            name: name.to_owned(),
            origin: None,
        }
    }

    #[test]
    fn caps_by_environment() {
        let o = Options::default();
        let e = Environments::default();
        assert_eq!(o.cap_for(&known_env("dev"), &e), Some(10));
        assert_eq!(o.cap_for(&known_env("prod"), &e), Some(100));
        assert_eq!(o.cap_for(&EnvState::Missing, &e), Some(100));
        assert_eq!(o.cap_for(&EnvState::Unknown, &e), Some(100));
        let o: Options = toml::from_str("[environments.staging]\nmax-count = 30").unwrap();
        assert_eq!(o.cap_for(&known_env("staging"), &e), Some(30));
        assert_eq!(o.cap_for(&known_env("qa"), &e), Some(10));
        assert!(toml::from_str::<Options>("max = 3").is_err());
    }
}
