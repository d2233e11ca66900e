use serde::{Deserialize, Serialize};

use crate::catalog::{self, InstanceSpec};
use crate::check::format_usd;
use crate::declare_rule;
use crate::finding::Diagnostic;
use crate::model::terraform::{Module, Resource};
use crate::rules::{Cx, Rule, RuleMeta};

use super::caps::{allowed, cents, describe_spec, monthly};
use super::machines::{self, Catalog, Machine, price_properties, size_key, with_machine_cost};

declare_rule! {
    /// ## What it does
    /// Reports an instance type, database class or cache node type from a
    /// previous generation, or a machine type Google Cloud has deprecated.
    /// That is: EC2 instance types whose
    /// family AWS lists as previous generation, plus the families
    /// tflint-ruleset-aws treats so (c1, c3, cc2, cg1, cr1, g2, hi1, hs1,
    /// i2, m1, m2, m3, r3, t1); RDS classes db.m1–m4, db.r3, db.r4, db.t1
    /// and db.t2; ElastiCache node families c1, m1, m2, m3, r3 and t1; and
    /// Compute Engine machine types Google Cloud has deprecated. It reads the
    /// same arguments as `instance-size-cap` and `database-size-cap` (AWS
    /// and Google Cloud; Azure publishes no generation flag for VM sizes).
    ///
    /// The help line names the current successor of the same size when one
    /// exists, with both monthly list prices when the catalog has them. An
    /// EC2 type is recognised by its family even when the catalog does not
    /// list its size.
    ///
    /// ## Why is this bad?
    /// Older generations cost more for less: an m3.large costs about $97 a
    /// month on demand (us-east-1) for 2 vCPU / 7.5 GiB, an m7i.large about
    /// $74 for 2 faster vCPU / 8 GiB, a quarter less. An RDS db.r4.large
    /// costs the same as a db.r5.large with slower hardware. Previous
    /// generations are also the first to lose capacity, new regions and
    /// reserved-instance offerings, and deprecated Compute Engine types may
    /// stop being available.
    ///
    /// Where the resource runs a fixed number of on-demand machines, the
    /// finding carries their monthly cost, and the `monthly_saving_usd`
    /// property when the successor is cheaper.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_instance" "legacy" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "m3.large"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_instance" "legacy" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "m7i.large"
    /// }
    /// ```
    ///
    /// ## Options
    /// - `allow` (default `[]`): types or families never reported
    ///   (`t2`, `db.t2.micro`, `m3.*`).
    ///
    /// ## References
    /// - [Amazon EC2 previous generation instances](https://aws.amazon.com/ec2/previous-generation/)
    /// - [tflint-ruleset-aws: aws_instance_previous_type](https://github.com/terraform-linters/tflint-ruleset-aws/blob/master/docs/rules/aws_instance_previous_type.md)
    /// - [Amazon RDS DB instance class support](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Support.html)
    /// - [Compute Engine machine families](https://cloud.google.com/compute/docs/machine-resource)
    pub struct PreviousGenerationInstance {
        code: "CL105",
        name: "previous-generation-instance",
        category: Sizing,
        severity: Warning,
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
#[schemars(rename = "PreviousGenerationInstanceOptions")]
pub struct Options {
    /// Types or families never reported (`*` patterns allowed).
    pub allow: Vec<String>,
}

/// What is old about a size, and what replaces it.
struct Previous {
    family: String,
    /// "a previous-generation instance type".
    what: &'static str,
    label: &'static str,
    successor_family: Option<String>,
    successor: Option<&'static InstanceSpec>,
}

/// How one AWS table tells a previous generation and names what replaces
/// it.
struct AwsGeneration {
    /// `db.` or `cache.` before the family.
    prefix: &'static str,
    is_previous: fn(&str) -> bool,
    successor: fn(&str) -> Option<&'static str>,
    successor_type: fn(&str) -> Option<&'static InstanceSpec>,
    what: &'static str,
}

impl AwsGeneration {
    fn check(&self, name: &str) -> Option<Previous> {
        if !(self.is_previous)(name) {
            return None;
        }
        let (family, _) = name.strip_prefix(self.prefix)?.split_once('.')?;
        Some(Previous {
            successor_family: (self.successor)(family).map(|f| format!("{}{f}", self.prefix)),
            successor: (self.successor_type)(name),
            family: family.to_owned(),
            what: self.what,
            label: "previous generation",
        })
    }
}

const EC2: AwsGeneration = AwsGeneration {
    prefix: "",
    is_previous: catalog::previous_generation_ec2,
    successor: catalog::ec2_successor,
    successor_type: catalog::ec2_successor_type,
    what: "a previous-generation instance type",
};

const RDS: AwsGeneration = AwsGeneration {
    prefix: "db.",
    is_previous: catalog::previous_generation_rds_class,
    successor: catalog::rds_successor,
    successor_type: catalog::rds_successor_type,
    what: "a previous-generation instance class",
};

const ELASTICACHE: AwsGeneration = AwsGeneration {
    prefix: "cache.",
    is_previous: catalog::previous_generation_elasticache,
    successor: catalog::elasticache_successor,
    successor_type: catalog::elasticache_successor_type,
    what: "a previous-generation node type",
};

fn previous(m: &Machine<'_>) -> Option<Previous> {
    match m.catalog {
        Catalog::Ec2 => EC2.check(&m.name),
        Catalog::Rds => RDS.check(&m.name),
        Catalog::ElastiCache => ELASTICACHE.check(&m.name),
        Catalog::GcpMachine => {
            let spec = m.spec.as_deref().filter(|s| s.deprecated)?;
            Some(Previous {
                family: spec.family.clone(),
                successor_family: None,
                successor: catalog::gcp_deprecated_successor(&spec.name),
                what: "a machine type Google Cloud has deprecated",
                label: "deprecated",
            })
        }
        _ => None,
    }
}

impl Rule for PreviousGenerationInstance {
    type Options = Options;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_terraform(&self, module: &Module<'_>, options: &Options, cx: &mut Cx<'_>) {
        for r in module.resources() {
            let mut found = machines::compute(r);
            found.extend(machines::databases(r));
            for m in &found {
                let Some(old) = previous(m) else { continue };
                let name = m.spec.as_deref().map_or(m.name.as_str(), |s| &s.name);
                if allowed(&options.allow, name, &old.family) {
                    continue;
                }
                cx.report(report(r, m, name, &old));
            }
        }
    }
}

fn report(r: &Resource<'_>, m: &Machine<'_>, name: &str, old: &Previous) -> Diagnostic {
    let message = format!(
        "`{}` uses {name}{}, {}",
        r.block_address,
        m.count_phrase()
            .map(|p| format!(" ({p})"))
            .unwrap_or_default(),
        old.what
    );
    let old_hourly = m.hourly();
    let new_hourly = old
        .successor
        .and_then(|s| s.hourly_usd)
        .filter(|_| m.priced);
    let help = match (old.successor, old.successor_family.as_deref()) {
        (Some(new), _) => {
            let prices = match (old_hourly, new_hourly) {
                (Some(o), Some(n)) if (o - n).abs() < 1e-9 => format!(
                    ", at the same list price (~{}/month)",
                    format_usd(monthly(o, 1))
                ),
                (Some(o), Some(n)) => format!(
                    ": ~{}/month against ~{}/month for {name}",
                    format_usd(monthly(n, 1)),
                    format_usd(monthly(o, 1))
                ),
                _ => String::new(),
            };
            format!("move to {} ({}){prices}", new.name, describe_spec(new))
        }
        (None, Some(family)) => {
            let size = name.rsplit('.').next().unwrap_or(name);
            format!(
                "move to a current family such as {family} (it has no `{size}` size: choose one by vCPU and memory)"
            )
        }
        (None, None) => format!("move to a current {}", m.catalog.noun()),
    };
    let mut d = Diagnostic::new("", m.at, message)
        .label(old.label)
        .help(help)
        .resource(r.address.clone())
        .attribute(m.attribute.clone())
        .property(size_key(m.catalog), name);
    d = price_properties(d, m);
    if let Some(new) = old.successor {
        d = d.property("successor_type", new.name.as_str());
        if let Some(n) = new_hourly {
            d = d.property("successor_hourly_usd", n);
        }
    } else if let Some(family) = &old.successor_family {
        d = d.property("successor_family", family.as_str());
    }
    d = with_machine_cost(d, m);
    if let (Some(o), Some(n), Some(count)) = (old_hourly, new_hourly, m.count) {
        if n < o && count.n > 0 {
            d = d.property("monthly_saving_usd", cents(monthly(o - n, count.n)));
        }
    }
    m.with_origin(d, r)
}
