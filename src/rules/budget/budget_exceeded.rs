use std::collections::BTreeMap;

use globset::{Glob, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use crate::check::format_usd;
use crate::cost::report::root_dir;
use crate::cost::{Cost, ResourceCost, cents, module_costs};
use crate::declare_rule;
use crate::finding::{Diagnostic, Loc};
use crate::model::terraform::Module;
use crate::rules::{Cx, Rule, RuleMeta};
use crate::source::display_path;
use crate::terraform::module::normalize;

declare_rule! {
    /// ## What it does
    /// Reports a Terraform root module whose estimated monthly cost is over
    /// its budget. The estimate is the cost model's (the one `costlint
    /// cost` prints): on-demand list prices of the instances, node pools,
    /// autoscaling groups, databases, caches and block storage the module
    /// and the modules it calls declare, times their `count` and
    /// `for_each` instances. Nothing is reported until a budget is
    /// configured.
    ///
    /// The finding points at the biggest cost in the root module (a
    /// resource, or the `module` block it comes through), names the
    /// biggest contributors with their costs, and says how many resources
    /// are not in the sum: those the catalog cannot price (an unknown size,
    /// spot capacity, a licence) and those outside the cost model
    /// (usage-priced or free, such as buckets, functions and networks).
    /// The estimate is a floor, never a guess.
    ///
    /// ## Why is this bad?
    /// A budget checked on the invoice is checked a month late. One
    /// r5.4xlarge copied from production into staging costs about $736 a
    /// month on demand (us-east-1), and a db.r5.4xlarge replica about
    /// $1,460; checked in the pull request that adds them, the overrun is
    /// a review comment instead of a surprise at month end.
    ///
    /// ## Example
    /// ```toml
    /// # costlint.toml
    /// [rules.budget-exceeded]
    /// budgets = [{ path = "envs/staging", monthly-usd = 1000 }]
    /// ```
    /// ```hcl
    /// # envs/staging/main.tf
    /// resource "aws_instance" "search" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "r5.4xlarge" # ~$736/month
    ///   count         = 2
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_instance" "search" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "r5.xlarge" # ~$184/month
    ///   count         = 2
    /// }
    /// ```
    ///
    /// ## Options
    /// - `budgets` (default `[]`): budgets per root module, as
    ///   `{ path = "envs/prod", monthly-usd = 5000 }`. `path` is the root
    ///   module's directory relative to the configuration file, or a glob
    ///   (`envs/*`); the first entry that matches applies.
    /// - `default-monthly-usd` (default: none): the budget of every root
    ///   module no entry of `budgets` matches.
    /// - `contributors` (default `3`): how many of the biggest costs the
    ///   message names; the `contributors` property lists up to ten.
    ///
    /// ## References
    /// - [AWS Budgets](https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-managing-costs.html)
    /// - [FinOps Foundation: Budget management](https://www.finops.org/framework/capabilities/budget-management/)
    /// - [`costlint cost`](https://github.com/costlint/costlint#estimated-costs)
    pub struct BudgetExceeded {
        code: "CL901",
        name: "budget-exceeded",
        category: Budget,
        severity: Error,
    }
}

/// A budget for the root modules under a path.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Budget {
    /// Root module directory relative to the configuration file, or a glob.
    pub path: String,
    /// Estimated monthly cost allowed, in USD.
    pub monthly_usd: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
#[schemars(rename = "BudgetExceededOptions")]
pub struct Options {
    /// Budgets per root module path; the first that matches applies.
    pub budgets: Vec<Budget>,
    /// Budget of every root module no entry of `budgets` matches.
    pub default_monthly_usd: Option<f64>,
    /// How many of the biggest costs the message names.
    pub contributors: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            budgets: Vec::new(),
            default_monthly_usd: None,
            contributors: 3,
        }
    }
}

/// Most contributors listed in the properties.
const MAX_LISTED: usize = 10;

/// Whether `rel` is `pattern` or under it; `pattern` may be a glob.
fn matches(pattern: &str, rel: &str) -> bool {
    let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
    if pattern.is_empty() || pattern == "." {
        return true;
    }
    let mut b = GlobSetBuilder::new();
    for p in [pattern.to_owned(), format!("{pattern}/**")] {
        match Glob::new(&p) {
            Ok(g) => {
                b.add(g);
            }
            Err(_) => return false,
        }
    }
    b.build().is_ok_and(|set| set.is_match(rel))
}

/// The budget of a root module and where it comes from.
fn budget_of(options: &Options, rel: &str) -> Option<(f64, String)> {
    for b in &options.budgets {
        if matches(&b.path, rel) {
            return Some((b.monthly_usd, format!("the budget of `{}`", b.path)));
        }
    }
    options
        .default_monthly_usd
        .map(|usd| (usd, "`default-monthly-usd`".to_owned()))
}

/// One line of the module's bill: a resource block of the root module, or
/// a `module` block with everything it calls.
struct Contributor {
    name: String,
    at: Loc,
    monthly_usd: f64,
    instances: usize,
}

fn contributors(costs: &[ResourceCost]) -> Vec<Contributor> {
    let mut by: BTreeMap<String, Contributor> = BTreeMap::new();
    for c in costs {
        let Some(usd) = c.cost.monthly_usd() else {
            continue;
        };
        let (name, at) = match c.root_call {
            Some(call) => {
                let module = c
                    .block_address
                    .split('.')
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(".");
                (module.split('[').next().unwrap_or(&module).to_owned(), call)
            }
            None => (c.block_address.clone(), c.at),
        };
        let entry = by.entry(name.clone()).or_insert(Contributor {
            name,
            at,
            monthly_usd: 0.0,
            instances: 0,
        });
        entry.monthly_usd += usd;
        entry.instances += 1;
    }
    let mut out: Vec<Contributor> = by.into_values().collect();
    out.sort_by(|a, b| {
        b.monthly_usd
            .total_cmp(&a.monthly_usd)
            .then_with(|| a.name.cmp(&b.name))
    });
    out
}

fn describe(c: &Contributor) -> String {
    let instances = if c.instances > 1 && !c.name.starts_with("module.") {
        format!(", {} instances", c.instances)
    } else {
        String::new()
    };
    format!("`{}` ({}{instances})", c.name, format_usd(c.monthly_usd))
}

fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

impl Rule for BudgetExceeded {
    type Options = Options;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_terraform(&self, module: &Module<'_>, options: &Options, cx: &mut Cx<'_>) {
        if options.budgets.is_empty() && options.default_monthly_usd.is_none() {
            return;
        }
        let Some(dir) = root_dir(module) else { return };
        let rel = display_path(&normalize(&dir), &normalize(cx.base_dir));
        let Some((budget, from)) = budget_of(options, &rel) else {
            return;
        };
        let costs = module_costs(module);
        let total = cents(costs.iter().filter_map(|c| c.cost.monthly_usd()).sum());
        if total <= budget {
            return;
        }
        let top = contributors(&costs);
        let Some(biggest) = top.first() else { return };
        let unpriced: Vec<(&str, &str)> = costs
            .iter()
            .filter_map(|c| match &c.cost {
                Cost::Unpriced(why) => Some((c.address.as_str(), why.as_str())),
                _ => None,
            })
            .collect();
        let outside = costs.iter().filter(|c| c.cost == Cost::NotModelled).count();
        let shown: Vec<String> = top
            .iter()
            .take(options.contributors.max(1))
            .map(describe)
            .collect();
        let more = top.len().saturating_sub(shown.len());
        let name = root_display(module).unwrap_or_else(|| rel.clone());
        let message = format!(
            "root module `{name}` is estimated at {}/month, over its budget of {}/month by {}; the biggest {} {}{}",
            format_usd(total),
            format_usd(budget),
            format_usd(total - budget),
            if shown.len() == 1 {
                "cost is"
            } else {
                "costs are"
            },
            list(&shown),
            if more > 0 {
                format!(" (and {more} more)")
            } else {
                String::new()
            }
        );
        let mut caveats = Vec::new();
        if !unpriced.is_empty() {
            caveats.push(format!(
                "{} the catalog cannot price",
                plural(unpriced.len(), "resource")
            ));
        }
        if outside > 0 {
            caveats.push(format!(
                "{} outside the cost model (usage-priced or free)",
                plural(outside, "resource")
            ));
        }
        let caveat = if caveats.is_empty() {
            String::new()
        } else {
            format!(
                "; the estimate leaves out {}, so the bill may be higher still",
                list(&caveats)
            )
        };
        let help = format!(
            "reduce the biggest costs, or raise {from} in `[rules.budget-exceeded]`{caveat}; `costlint cost {name}` lists every resource"
        );
        let mut d = Diagnostic::new("", biggest.at, message)
            .label(format!(
                "the biggest cost: {}/month",
                format_usd(biggest.monthly_usd)
            ))
            .help(help)
            .property("module", rel.as_str())
            .property("module_monthly_usd", total)
            .property("budget_monthly_usd", budget)
            .property("over_budget_usd", cents(total - budget))
            .property(
                "contributors",
                top.iter()
                    .take(MAX_LISTED)
                    .map(|c| {
                        serde_json::json!({
                            "resource": c.name,
                            "monthly_usd": cents(c.monthly_usd),
                            "instances": c.instances,
                        })
                    })
                    .collect::<Vec<_>>(),
            )
            .property(
                "unpriced",
                unpriced
                    .iter()
                    .map(|(r, why)| serde_json::json!({"resource": r, "reason": why}))
                    .collect::<Vec<_>>(),
            )
            .property("outside_cost_model", outside);
        for c in top.iter().skip(1).take(options.contributors.max(1) - 1) {
            d = d.related(
                c.at,
                format!("`{}`: {}/month", c.name, format_usd(c.monthly_usd)),
            );
        }
        cx.report(d);
    }
}

/// The root module as the output shows paths: relative to the working
/// directory (the plan file for a plan).
fn root_display(module: &Module<'_>) -> Option<String> {
    let config = module.model.config_of(0)?;
    let path = &module.files.get(config.files.first()?.id)?.path;
    if config.from_plan {
        return Some(path.to_string());
    }
    Some(match path.rsplit_once('/') {
        Some((dir, _)) => dir.to_owned(),
        None => ".".to_owned(),
    })
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_globs() {
        assert!(matches("envs/prod", "envs/prod"));
        assert!(matches("./envs/prod/", "envs/prod"));
        assert!(matches("envs", "envs/prod"));
        assert!(matches("envs/*", "envs/dev"));
        assert!(!matches("envs/prod", "envs/production"));
        assert!(!matches("envs/prod", "other/envs/prod"));
        assert!(matches(".", "anything"));
    }

    #[test]
    fn first_matching_budget_wins() {
        let options = Options {
            budgets: vec![
                Budget {
                    path: "envs/prod".into(),
                    monthly_usd: 5000.0,
                },
                Budget {
                    path: "envs/*".into(),
                    monthly_usd: 500.0,
                },
            ],
            default_monthly_usd: Some(100.0),
            contributors: 3,
        };
        assert_eq!(budget_of(&options, "envs/prod").map(|b| b.0), Some(5000.0));
        assert_eq!(budget_of(&options, "envs/dev").map(|b| b.0), Some(500.0));
        assert_eq!(budget_of(&options, "sandbox").map(|b| b.0), Some(100.0));
        let none = Options {
            default_monthly_usd: None,
            ..options
        };
        assert_eq!(budget_of(&none, "sandbox"), None);
    }
}
