use crate::declare_rule;
use crate::finding::Diagnostic;
use crate::model::terraform::{Arg, Module, Resource};
use crate::rules::sizing::caps::{cents, monthly};
use crate::rules::sizing::machines::{self, price_properties, size_key};
use crate::rules::tags::common::caller_label;
use crate::rules::{Cx, NoOptions, Rule, RuleMeta};
use crate::terraform::value::Value;

use super::common::{described, non_production};

declare_rule! {
    /// ## What it does
    /// Reports databases outside production that pay for a standby in
    /// another zone. It reads `aws_db_instance` with `multi_az = true`,
    /// `google_sql_database_instance` with `settings.availability_type =
    /// "REGIONAL"`, `azurerm_postgresql_flexible_server` and
    /// `azurerm_mysql_flexible_server` with `high_availability.mode =
    /// "ZoneRedundant"`, `azurerm_mssql_database` and
    /// `azurerm_mssql_elasticpool` with `zone_redundant = true`, and
    /// `azurerm_cosmosdb_account` locations with `zone_redundant = true`.
    ///
    /// Only resources whose environment is known to be non-production
    /// (the `non-production` and `ephemeral` classes of `[environments]`)
    /// are reported, and only when the setting is known before `terraform
    /// apply`.
    ///
    /// For RDS instances of the open-source engines, the finding's monthly
    /// cost is the standby's: one more instance at the catalog's list price
    /// (PostgreSQL, Single-AZ, us-east-1, 2022), which is what turning
    /// Multi-AZ off saves.
    ///
    /// ## Why is this bad?
    /// A Multi-AZ or zone-redundant database runs a second, idle copy of
    /// itself: RDS and Cloud SQL bill twice the instance and its storage
    /// (a db.r5.large PostgreSQL instance costs about $183 a month, $365
    /// Multi-AZ), Azure flexible servers bill the standby as a second
    /// server, and zone-redundant Cosmos DB accounts pay 25% more for their
    /// throughput. A staging or preview database does not need to survive
    /// the loss of a zone: a snapshot restores it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   engine         = "postgres"
    ///   instance_class = "db.r5.large"
    ///   multi_az       = true
    ///   tags = {
    ///     environment = "staging"
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   engine         = "postgres"
    ///   instance_class = "db.r5.large"
    ///   multi_az       = var.environment == "prod"
    ///   tags = {
    ///     environment = "staging"
    ///   }
    /// }
    /// ```
    ///
    /// ## Options
    /// This rule has no options; which environments are non-production is
    /// set under `[environments]`.
    ///
    /// ## References
    /// - [Amazon RDS Multi-AZ deployments](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html)
    /// - [Cloud SQL high availability](https://cloud.google.com/sql/docs/postgres/high-availability)
    /// - [Azure Database for PostgreSQL flexible server: high availability](https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-high-availability)
    /// - [Azure SQL Database: zone-redundant availability](https://learn.microsoft.com/azure/azure-sql/database/high-availability-sla)
    pub struct NonProductionMultiAzDatabase {
        code: "CL602",
        name: "non-production-multi-az-database",
        category: PricingModel,
        severity: Note,
    }
}

/// Where a database type asks for a standby, and how the finding says it.
struct Setting {
    types: &'static [&'static str],
    /// The nested block holding the argument, if any.
    block: Option<&'static str>,
    argument: &'static str,
    /// The value that asks for a standby: `true`, or a string (ignoring
    /// case).
    value: &'static str,
    what: &'static str,
    label: &'static str,
    help: &'static str,
}

const SETTINGS: &[Setting] = &[
    Setting {
        types: &["aws_db_instance"],
        block: None,
        argument: "multi_az",
        value: "true",
        what: "runs a Multi-AZ standby",
        label: "Multi-AZ: a standby instance in another zone",
        help: "set `multi_az = false` outside production (for example `multi_az = var.environment == \"prod\"`); a snapshot restores the database if its zone fails",
    },
    Setting {
        types: &["google_sql_database_instance"],
        block: Some("settings"),
        argument: "availability_type",
        value: "REGIONAL",
        what: "is a regional (high-availability) instance",
        label: "regional: a standby instance in another zone",
        help: "set `availability_type = \"ZONAL\"` outside production; backups restore the instance if its zone fails",
    },
    Setting {
        types: &[
            "azurerm_postgresql_flexible_server",
            "azurerm_mysql_flexible_server",
        ],
        block: Some("high_availability"),
        argument: "mode",
        value: "ZoneRedundant",
        what: "runs a zone-redundant standby server",
        label: "a standby server in another zone",
        help: "remove the `high_availability` block outside production; the standby is billed as a second server",
    },
    Setting {
        types: &["azurerm_mssql_database", "azurerm_mssql_elasticpool"],
        block: None,
        argument: "zone_redundant",
        value: "true",
        what: "is zone-redundant",
        label: "replicas in several zones",
        help: "set `zone_redundant = false` outside production",
    },
    Setting {
        types: &["azurerm_cosmosdb_account"],
        block: Some("geo_location"),
        argument: "zone_redundant",
        value: "true",
        what: "is zone-redundant in this location",
        label: "replicas in several zones",
        help: "set `zone_redundant = false` outside production; zone redundancy adds 25% to the throughput price",
    },
];

fn asks_for_standby(arg: &Arg<'_>, value: &str) -> bool {
    match &arg.value {
        Value::String(s) => s.eq_ignore_ascii_case(value),
        Value::Bool(b) => value == "true" && *b,
        _ => false,
    }
}

fn standbys<'a>(r: &Resource<'a>) -> Vec<(Arg<'a>, String, &'static Setting)> {
    let mut out = Vec::new();
    for setting in SETTINGS.iter().filter(|s| s.types.contains(&r.rtype)) {
        let found: Vec<(Option<Arg<'a>>, String)> = match setting.block {
            None => vec![(r.attr(setting.argument), setting.argument.to_owned())],
            Some(block) => r
                .blocks(block)
                .iter()
                .map(|b| {
                    (
                        r.nested_attr(b, setting.argument),
                        format!("{}.{}", b.path, setting.argument),
                    )
                })
                .collect(),
        };
        for (arg, attribute) in found {
            if let Some(arg) = arg.filter(|a| asks_for_standby(a, setting.value)) {
                out.push((arg, attribute, setting));
            }
        }
    }
    out
}

impl Rule for NonProductionMultiAzDatabase {
    type Options = NoOptions;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_terraform(&self, module: &Module<'_>, _options: &NoOptions, cx: &mut Cx<'_>) {
        for r in module.resources() {
            let found = standbys(r);
            if found.is_empty() {
                continue;
            }
            let Some(env) = non_production(r, cx.environments) else {
                continue;
            };
            for (arg, attribute, s) in found {
                let mut d = Diagnostic::new(
                    "",
                    arg.loc(),
                    format!("`{}` in {} {}", r.block_address, described(&env), s.what),
                )
                .label(s.label)
                .help(s.help)
                .resource(r.address.clone())
                .attribute(attribute);
                if r.rtype == "aws_db_instance" {
                    d = standby_cost(d, r);
                }
                if let Some(origin) = arg.origin_elsewhere() {
                    d = d.related(origin, format!("`{}` is set here", arg.value));
                }
                if let Some((call, message)) = caller_label(r) {
                    d = d.related(call, message);
                }
                cx.report(env.annotate(d));
            }
        }
    }
}

/// The price of the RDS standby: one more instance of the same class.
fn standby_cost(d: Diagnostic, r: &Resource<'_>) -> Diagnostic {
    let Some(m) = machines::databases(r).into_iter().next() else {
        return d;
    };
    let mut d = d.property(size_key(m.catalog), m.name.as_str());
    d = price_properties(d, &m);
    match m.hourly() {
        Some(hourly) => {
            let standby = cents(monthly(hourly, 1));
            d.monthly_cost(Some(standby))
                .property("standby_monthly_usd", standby)
                .property("monthly_saving_usd", standby)
        }
        None => d,
    }
}
