use serde::{Deserialize, Serialize};

use crate::declare_rule;
use crate::finding::{Diagnostic, Loc};
use crate::kubernetes::object::Object;
use crate::kubernetes::yaml::Node;
use crate::model::kubernetes::{Manifests, NamespaceInfo};
use crate::model::references::Attachments;
use crate::model::terraform::Module;
use crate::rules::lifecycle::ephemeral_env_missing_ttl::namespace_class;
use crate::rules::sizing::caps::EnvState;
use crate::rules::sizing::machines::{self, whole};
use crate::rules::tags::common::{caller_label, metadata_anchor, object_name, ticked};
use crate::rules::{Cx, Rule, RuleMeta};

use super::common::{described, non_production, non_production_object, with_cost};

declare_rule! {
    /// ## What it does
    /// Reports non-production capacity that runs around the clock with
    /// nothing to scale it down outside working hours. It reports:
    /// - an `aws_autoscaling_group` with no `aws_autoscaling_schedule` for
    ///   it in the module (one that refers to the group, or names it);
    /// - a Kubernetes Namespace, Deployment or StatefulSet without a
    ///   kube-downscaler annotation (`downscaler/uptime`,
    ///   `downscaler/downtime`, or `downscaler/exclude` for a deliberate
    ///   exception). An annotation on the Namespace covers everything in
    ///   it; when the Namespace object is part of the run (or in a
    ///   manifest beside the file) and is itself non-production, only the
    ///   Namespace is reported.
    ///
    /// Only resources and objects whose environment is known to be
    /// non-production are reported. Groups and workloads scaled to zero
    /// (`max_size = 0`, `replicas: 0`) are not. When a schedule's group
    /// cannot be told statically, it may be any group's, and no group of
    /// the module is reported.
    ///
    /// Scale-down that the files do not show is not seen: kube-downscaler
    /// run with `--default-uptime`, kube-green `SleepInfo` objects,
    /// Lambda or CI jobs that stop environments at night. Where one of
    /// those does it, turn the rule off for those paths with
    /// `per-path-ignores`.
    ///
    /// For an autoscaling group whose machines and number the catalog can
    /// price, the finding gives their monthly cost, and
    /// `monthly_saving_usd` in its properties assumes they would run only
    /// `uptime-hours-per-week`.
    ///
    /// ## Why is this bad?
    /// A week has 168 hours and a working week about 50 of them. A
    /// development environment that runs around the clock pays for over
    /// 110 idle hours a week: four m5.xlarge instances cost about $560 a
    /// month always on ($0.192 per hour × 730 × 4) and about $200 scheduled
    /// for 12 hours on weekdays, a saving of about 64%.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: shop-dev
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: shop-dev
    ///   annotations:
    ///     downscaler/uptime: Mon-Fri 07:00-19:00 Europe/Berlin
    /// ```
    ///
    /// In Terraform, scale the group down at night and up in the morning:
    /// ```hcl
    /// resource "aws_autoscaling_schedule" "night" {
    ///   scheduled_action_name  = "night"
    ///   autoscaling_group_name = aws_autoscaling_group.workers.name
    ///   recurrence             = "0 19 * * MON-FRI"
    ///   min_size               = 0
    ///   max_size               = 0
    ///   desired_capacity       = 0
    /// }
    /// ```
    ///
    /// ## Options
    /// - `annotations` (default `["downscaler/uptime", "downscaler/downtime",
    ///   "downscaler/exclude"]`): Kubernetes annotations, on an object or its
    ///   Namespace, that show its hours are managed (or deliberately not).
    /// - `uptime-hours-per-week` (default `60`, 12 hours on weekdays): the
    ///   hours a scheduled environment is assumed to run, for the
    ///   `monthly_saving_usd` property.
    ///
    /// ## References
    /// - [kube-downscaler](https://codeberg.org/hjacobs/kube-downscaler)
    /// - [Amazon EC2 Auto Scaling: scheduled scaling](https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html)
    /// - [AWS Instance Scheduler](https://aws.amazon.com/solutions/implementations/instance-scheduler-on-aws/)
    pub struct NonProductionAlwaysOn {
        code: "CL603",
        name: "non-production-always-on",
        category: PricingModel,
        severity: Note,
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
#[schemars(rename = "NonProductionAlwaysOnOptions")]
pub struct Options {
    /// Annotations that show an object's (or its Namespace's) hours are
    /// managed.
    pub annotations: Vec<String>,
    /// Hours a week a scheduled environment is assumed to run.
    pub uptime_hours_per_week: u8,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            annotations: vec![
                "downscaler/uptime".into(),
                "downscaler/downtime".into(),
                "downscaler/exclude".into(),
            ],
            uptime_hours_per_week: 60,
        }
    }
}

const HOURS_PER_WEEK: f64 = 168.0;

impl Rule for NonProductionAlwaysOn {
    type Options = Options;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_terraform(&self, module: &Module<'_>, options: &Options, cx: &mut Cx<'_>) {
        let mut schedules: Option<Attachments<'_, '_>> = None;
        let uptime = f64::from(options.uptime_hours_per_week).min(HOURS_PER_WEEK);
        let share = 1.0 - uptime / HOURS_PER_WEEK;
        let note = format!("running {} of {} hours a week", uptime, HOURS_PER_WEEK);
        for r in module.of_type(&["aws_autoscaling_group"]) {
            if whole(r.attr("max_size")) == Some(0) || whole(r.attr("desired_capacity")) == Some(0)
            {
                continue;
            }
            let Some(env) = non_production(r, cx.environments) else {
                continue;
            };
            let schedules = schedules.get_or_insert_with(|| {
                Attachments::new(module, "aws_autoscaling_schedule", "autoscaling_group_name")
            });
            let found = schedules.of(r, "name");
            if found.unresolved || !found.by.is_empty() {
                continue;
            }
            let fleet = machines::asg_fleet(module, r);
            let mut d = Diagnostic::new(
                "",
                r.header(),
                format!(
                    "`{}` in {} runs around the clock: no `aws_autoscaling_schedule` scales it down",
                    r.block_address,
                    described(&env)
                ),
            )
            .label("no schedule")
            .help("add `aws_autoscaling_schedule` actions that scale the group to 0 in the evening and back up in the morning (`recurrence` in cron syntax, `time_zone` for local hours)")
            .resource(r.address.clone())
            .attribute("aws_autoscaling_schedule")
            .property("uptime_hours_per_week", uptime);
            d = with_cost(d, fleet.machine.as_ref(), share, &note);
            if let Some((call, message)) = caller_label(r) {
                d = d.related(call, message);
            }
            cx.report(env.annotate(d));
        }
    }

    fn check_kubernetes(&self, manifests: &Manifests<'_>, options: &Options, cx: &mut Cx<'_>) {
        let envs = manifests.environments;
        for object in &manifests.objects {
            let judged = match object.kind {
                "Namespace" => object.api_version == "v1",
                "Deployment" | "StatefulSet" => object.is_workload(),
                _ => false,
            };
            if !judged {
                continue;
            }
            if object
                .node
                .path(&["spec", "replicas"])
                .and_then(Node::as_i64)
                == Some(0)
            {
                continue;
            }
            let Some(env) = non_production_object(manifests, object) else {
                continue;
            };
            if options
                .annotations
                .iter()
                .any(|k| object.annotation(k).is_some())
            {
                continue;
            }
            if object.kind != "Namespace" {
                if let (Some(name), Some(ns)) = (object.namespace, manifests.namespace_of(object)) {
                    // Covered by the Namespace's annotation, or reported on
                    // the Namespace, where one annotation covers all of it.
                    if namespace_annotated(ns, options)
                        || namespace_class(name, ns, envs).is_non_production()
                    {
                        continue;
                    }
                }
            }
            cx.report(object_finding(object, &env, options));
        }
    }
}

fn namespace_annotated(ns: &NamespaceInfo, options: &Options) -> bool {
    options
        .annotations
        .iter()
        .any(|k| ns.annotations.contains_key(k))
}

fn object_finding(object: &Object<'_>, env: &EnvState, options: &Options) -> Diagnostic {
    let keys = ticked(&options.annotations, "or");
    let (what, help) = if object.kind == "Namespace" {
        (
            "nothing scales its workloads down outside working hours",
            "add `downscaler/uptime: Mon-Fri 07:00-19:00 UTC` (your hours and time zone) to the Namespace: kube-downscaler then scales every workload in it to zero outside those hours",
        )
    } else {
        (
            "it runs around the clock",
            "add `downscaler/uptime: Mon-Fri 07:00-19:00 UTC` (your hours and time zone) to this object, or to its Namespace to cover everything in it, so kube-downscaler scales it to zero outside those hours",
        )
    };
    let d = Diagnostic::new(
        "",
        Loc::new(object.file, metadata_anchor(object, "annotations")),
        format!(
            "{} in {} has no kube-downscaler annotation ({keys}): {what}",
            object_name(object),
            described(env)
        ),
    )
    .label("no downscaler annotation")
    .help(help)
    .resource(object.address())
    .attribute("metadata.annotations");
    env.annotate(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options() {
        let o = Options::default();
        assert_eq!(o.uptime_hours_per_week, 60);
        assert!(toml::from_str::<Options>("uptime = 3").is_err());
        let o: Options = toml::from_str("annotations = [\"kube-green/managed\"]").unwrap();
        assert_eq!(o.annotations, ["kube-green/managed"]);
    }
}
