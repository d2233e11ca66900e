use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::declare_rule;
use crate::finding::Diagnostic;
use crate::model::Environments;
use crate::model::terraform::{Arg, Module, Resource};
use crate::rules::sizing::caps::{EnvState, limits_layer, number, resolve};
use crate::rules::sizing::machines::{Known, known};
use crate::rules::tags::common::caller_label;
use crate::rules::{Cx, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports logs kept forever, or longer than the maximum of their
    /// environment. It reports an `aws_cloudwatch_log_group` without
    /// `retention_in_days`, or with `0`, which CloudWatch keeps forever;
    /// and a retention over the maximum on
    /// `aws_cloudwatch_log_group.retention_in_days`, the
    /// `retention_days` of Cloud Logging buckets
    /// (`google_logging_project_bucket_config` and its folder, organization
    /// and billing-account variants), and the `retention_in_days` of
    /// `azurerm_log_analytics_workspace` and
    /// `azurerm_application_insights`.
    ///
    /// The maximum is 365 days by default, and 90 days in non-production
    /// environments (from the resource's `environment`, `env` or `stage`
    /// tag or label). Log groups of the `DELIVERY` class, which CloudWatch
    /// empties after a day, are never reported, and neither are values not
    /// known before `terraform apply`.
    ///
    /// ## Why is this bad?
    /// Stored logs are billed every month for as long as they are kept, so
    /// a log group that is never emptied costs more every month. A service
    /// writing 10 GB of logs a day into a CloudWatch log group with no
    /// retention adds about 300 GB a month: at $0.03 per GB-month that is
    /// about $110 a month after a year and $330 after three, for logs
    /// nobody reads. Log Analytics bills $0.10 per GB-month for retention
    /// past the included 31 days, Cloud Logging $0.01 per GiB-month past
    /// 30 days.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudwatch_log_group" "api" {
    ///   name = "/shop/api"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_cloudwatch_log_group" "api" {
    ///   name              = "/shop/api"
    ///   retention_in_days = 30
    /// }
    /// ```
    ///
    /// Logs that must be kept for years (audit, compliance) are cheaper
    /// exported to object storage with a lifecycle rule than kept in the
    /// logging service.
    ///
    /// ## Options
    /// - `max-retention-days` (default `365`): the longest retention
    ///   wherever no entry of `environments` sets one.
    /// - `environments` (default: `non-production` =
    ///   `max-retention-days = 90`): maxima per environment name (or `*`
    ///   pattern) or class (`production`, `non-production`, `ephemeral`),
    ///   each with `max-retention-days`. An entry that leaves it out takes it
    ///   from the environment's class, then from the rule-wide maximum.
    ///
    /// ```toml
    /// [rules.log-retention-unbounded]
    /// max-retention-days = 400
    ///
    /// [rules.log-retention-unbounded.environments.audit]
    /// max-retention-days = 2557
    /// ```
    ///
    /// ## References
    /// - [Amazon CloudWatch Logs: change log data retention](https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention)
    /// - [Amazon CloudWatch pricing](https://aws.amazon.com/cloudwatch/pricing/)
    /// - [Cloud Logging: configure retention](https://cloud.google.com/logging/docs/buckets#custom-retention)
    /// - [Azure Monitor Logs: data retention](https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure)
    pub struct LogRetentionUnbounded {
        code: "CL404",
        name: "log-retention-unbounded",
        category: Lifecycle,
        severity: Warning,
    }
}

/// A maximum retention, rule-wide or for one environment or class.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RetentionCap {
    /// Longest retention, in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_retention_days: Option<u32>,
}

limits_layer!(RetentionCap { max_retention_days });

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
#[schemars(rename = "LogRetentionUnboundedOptions")]
pub struct Options {
    /// Longest retention in days wherever no environment entry says
    /// otherwise.
    pub max_retention_days: Option<u32>,
    /// Maxima per environment name (or `*` pattern) or class
    /// (`production`, `non-production`, `ephemeral`).
    pub environments: BTreeMap<String, RetentionCap>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_retention_days: Some(365),
            environments: BTreeMap::from([(
                "non-production".to_owned(),
                RetentionCap {
                    max_retention_days: Some(90),
                },
            )]),
        }
    }
}

static BUILTIN_CAPS: OnceLock<BTreeMap<String, RetentionCap>> = OnceLock::new();

impl Options {
    fn cap_for(&self, env: &EnvState, environments: &Environments) -> Option<u32> {
        let top = RetentionCap {
            max_retention_days: self.max_retention_days,
        };
        resolve(
            &top,
            &self.environments,
            BUILTIN_CAPS.get_or_init(|| Options::default().environments),
            env,
            environments,
        )
        .max_retention_days
    }
}

/// The retention argument of each covered type.
fn retention_argument(rtype: &str) -> Option<&'static str> {
    match rtype {
        "aws_cloudwatch_log_group"
        | "azurerm_log_analytics_workspace"
        | "azurerm_application_insights" => Some("retention_in_days"),
        "google_logging_project_bucket_config"
        | "google_logging_folder_bucket_config"
        | "google_logging_organization_bucket_config"
        | "google_logging_billing_account_bucket_config" => Some("retention_days"),
        _ => None,
    }
}

impl Rule for LogRetentionUnbounded {
    type Options = Options;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_terraform(&self, module: &Module<'_>, options: &Options, cx: &mut Cx<'_>) {
        for r in module.resources() {
            let Some(argument) = retention_argument(r.rtype) else {
                continue;
            };
            let arg = r.attr(argument);
            if r.rtype == "aws_cloudwatch_log_group" {
                // Delivery log groups keep events for one day whatever
                // their retention says.
                match known(r.attr("log_group_class")) {
                    Known::Absent => {}
                    Known::Value(v) if v.as_str().is_some_and(|c| c != "DELIVERY") => {}
                    _ => continue,
                }
                match known(arg.clone()) {
                    Known::Absent => {
                        cx.report(forever(r, None, cx.environments));
                        continue;
                    }
                    Known::Value(v) if v.as_f64() == Some(0.0) => {
                        cx.report(forever(r, arg, cx.environments));
                        continue;
                    }
                    _ => {}
                }
            }
            // Other services default to a retention within any sensible
            // maximum (30 or 90 days): only a written value is read.
            let Some(arg) = arg else { continue };
            let Some(days) = arg.value.as_f64().filter(|d| *d > 0.0) else {
                continue;
            };
            let env = EnvState::of_resource(r, cx.environments);
            let Some(max) = options
                .cap_for(&env, cx.environments)
                .filter(|m| days > f64::from(*m))
            else {
                continue;
            };
            cx.report(over_maximum(r, &arg, argument, days, max, &env));
        }
    }
}

/// A CloudWatch log group that is never emptied.
fn forever(r: &Resource<'_>, zero: Option<Arg<'_>>, environments: &Environments) -> Diagnostic {
    let env = EnvState::of_resource(r, environments);
    let (at, message, label) = match &zero {
        Some(arg) => (
            arg.loc(),
            format!(
                "`{}` keeps its logs forever: `retention_in_days = 0` means never expire",
                r.block_address
            ),
            "0: never expire",
        ),
        None => (
            r.header(),
            format!(
                "`{}` keeps its logs forever: it has no `retention_in_days`",
                r.block_address
            ),
            "no `retention_in_days`",
        ),
    };
    let mut d = Diagnostic::new("", at, message)
        .label(label)
        .help(
            "set `retention_in_days` to how long the logs are useful (for example 30), and export what must be kept for years to S3 with a lifecycle rule",
        )
        .resource(r.address.clone())
        .attribute("retention_in_days")
        .property("kept_forever", true);
    if let Some(origin) = zero.as_ref().and_then(Arg::origin_elsewhere) {
        d = d.related(origin, "`0` is set here");
    }
    if let Some((call, message)) = caller_label(r) {
        d = d.related(call, message);
    }
    env.annotate(d)
}

fn over_maximum(
    r: &Resource<'_>,
    arg: &Arg<'_>,
    argument: &str,
    days: f64,
    max: u32,
    env: &EnvState,
) -> Diagnostic {
    let mut d = Diagnostic::new(
        "",
        arg.loc(),
        format!(
            "`{}` keeps its logs for {} days, over the maximum of {} days {}",
            r.block_address,
            number(days),
            number(max.into()),
            env.scope()
        ),
    )
    .label(format!("{} days > {}", number(days), number(max.into())))
    .help(format!(
        "set `{argument}` to at most {} and export what must be kept longer to cheaper storage, or {}",
        number(max.into()),
        env.raise().replace("cap", "maximum")
    ))
    .resource(r.address.clone())
    .attribute(argument)
    .property("retention_days", days)
    .property("max_retention_days", max);
    if let Some(origin) = arg.origin_elsewhere() {
        d = d.related(origin, format!("`{}` is set here", number(days)));
    }
    if let Some((call, message)) = caller_label(r) {
        d = d.related(call, message);
    }
    env.annotate(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maxima_by_environment() {
        let o = Options::default();
        let e = Environments::default();
        let env = |name: &str| EnvState::Known {
            class: e.classify(name),
            described: format!("environment `{name}`"),
            name: name.to_owned(),
            origin: None,
        };
        assert_eq!(o.cap_for(&env("dev"), &e), Some(90));
        assert_eq!(o.cap_for(&env("prod"), &e), Some(365));
        assert_eq!(o.cap_for(&EnvState::Unknown, &e), Some(365));
        assert!(toml::from_str::<Options>("max-days = 3").is_err());
    }
}
