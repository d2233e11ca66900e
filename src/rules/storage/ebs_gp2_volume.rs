use serde::{Deserialize, Serialize};

use crate::check::format_usd;
use crate::cost::cents;
use crate::cost::storage::{self, Site};
use crate::declare_rule;
use crate::finding::{Diagnostic, DraftEdit, DraftFix};
use crate::model::terraform::{Arg, Module, Resource};
use crate::rules::{Cx, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports an explicit `gp2` or `io1` EBS volume type on
    /// `aws_ebs_volume.type`, the `root_block_device` and
    /// `ebs_block_device` blocks of `aws_instance`, the
    /// `block_device_mappings.ebs` of `aws_launch_template`, the block
    /// devices of `aws_launch_configuration`, and `aws_db_instance.storage_type`.
    ///
    /// Where the volume's size (and, for io1, its IOPS) are known, the
    /// finding carries the volume's monthly cost and `monthly_saving_usd`:
    /// what the cheapest like-for-like replacement of the same size saves —
    /// gp3 with at least gp2's baseline IOPS (3 per GB, 3,000 at least) and
    /// maximum throughput (128 MB/s up to 170 GB, 250 MB/s above), or io2 or
    /// gp3 with io1's IOPS where gp3 can provide them. RDS storage is priced
    /// at RDS rates, where gp3 costs what gp2 does. Volumes of launch
    /// templates and configurations have no cost of their own: they are
    /// billed per instance launched.
    ///
    /// ## Why is this bad?
    /// gp3 costs $0.08 per GB-month against gp2's $0.10 (about 20% less) and
    /// includes a 3,000 IOPS and 125 MB/s baseline whatever the size, where
    /// gp2 needs 1 TB to reach 3,000 IOPS. io1 costs the same as io2 per GB
    /// and IOPS with 100× the durability; many io1 volumes are better served
    /// by gp3 with provisioned IOPS at a fraction of the price: a 200 GB io1
    /// volume with 3,000 IOPS costs $220 a month (us-east-1), the same size
    /// of gp3, 3,000 IOPS included, $16.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ebs_volume" "data" {
    ///   availability_zone = "eu-west-1a"
    ///   size              = 500
    ///   type              = "gp2"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_ebs_volume" "data" {
    ///   availability_zone = "eu-west-1a"
    ///   size              = 500
    ///   type              = "gp3"
    /// }
    /// ```
    ///
    /// ## Options
    /// - `types` (default `["gp2", "io1"]`): volume types to report.
    ///
    /// ## References
    /// - [Amazon EBS volume types](https://docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html)
    /// - [Amazon EBS pricing](https://aws.amazon.com/ebs/pricing/)
    pub struct EbsGp2Volume {
        code: "CL501",
        name: "ebs-gp2-volume",
        category: Storage,
        severity: Warning,
        fixable: true,
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct Options {
    /// Volume types to report (`gp2`, `io1`, `standard`, …).
    pub types: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            types: vec!["gp2".into(), "io1".into()],
        }
    }
}

/// The volumes of a resource that are billed as they are: not a
/// template's (billed per instance launched), not an instance of a block
/// whose count is unknown.
fn priced_volumes(r: &Resource<'_>) -> Vec<Site> {
    if r.is_unknown_instance()
        || matches!(r.rtype, "aws_launch_template" | "aws_launch_configuration")
    {
        return Vec::new();
    }
    storage::volumes(r)
}

/// The volume's monthly cost and the saving of its cheapest like-for-like
/// replacement, as (key, value) pairs, and the help line with the numbers.
fn with_cost(
    help: String,
    site: Option<&Site>,
) -> (String, Vec<(&'static str, serde_json::Value)>) {
    let Some(volume) = site.and_then(|s| s.volume.as_ref().ok()) else {
        return (help, Vec::new());
    };
    let Ok(priced) = volume.price() else {
        return (help, Vec::new());
    };
    let mut out = vec![
        ("monthly_cost_usd", cents(priced.monthly_usd).into()),
        ("monthly_cost_basis", priced.basis.into()),
    ];
    let Some((alt, alt_price)) = storage::cheaper(volume, priced.monthly_usd) else {
        return (help, out);
    };
    let same = if volume.volume_type == "io1" {
        " with the same IOPS"
    } else {
        ""
    };
    let help = format!(
        "{help}; for this volume `{}`{same} would cost about {}/month instead of {}",
        alt.volume_type,
        format_usd(alt_price.monthly_usd),
        format_usd(priced.monthly_usd)
    );
    out.extend([
        (
            "monthly_saving_usd",
            cents(priced.monthly_usd - alt_price.monthly_usd).into(),
        ),
        ("alternative_type", alt.volume_type.clone().into()),
        (
            "alternative_monthly_usd",
            cents(alt_price.monthly_usd).into(),
        ),
        ("saving_basis", alt_price.basis.into()),
    ]);
    (help, out)
}

/// What to use instead of each type, and why.
fn advice(volume_type: &str) -> (&'static str, &'static str) {
    match volume_type {
        "io1" => (
            "io2",
            "io2 has the same price per GB and IOPS with 100× the durability; gp3 with provisioned IOPS is often cheaper still",
        ),
        "standard" => (
            "gp3",
            "magnetic `standard` volumes are a previous generation; gp3 is faster and priced per GB like gp2 minus 20%",
        ),
        _ => (
            "gp3",
            "gp3 is about 20% cheaper per GB-month and includes 3,000 IOPS and 125 MB/s at any size",
        ),
    }
}

impl Rule for EbsGp2Volume {
    type Options = Options;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_terraform(&self, module: &Module<'_>, options: &Options, cx: &mut Cx<'_>) {
        for r in module.resources() {
            // Priced only for a finding: most resources have no EBS
            // volume type, and pricing reads every volume they declare.
            let sites = std::cell::OnceCell::new();
            let mut report = |arg: Arg<'_>, attribute: String| {
                let Some(vt) = arg.as_str() else { return };
                if !options.types.iter().any(|t| t == vt) {
                    return;
                }
                let (instead, why) = advice(vt);
                let site = sites
                    .get_or_init(|| priced_volumes(r))
                    .iter()
                    .find(|s| s.type_attribute == attribute);
                let (help, cost) = with_cost(format!("use `{instead}`: {why}"), site);
                let mut d = Diagnostic::new(
                    "",
                    arg.loc(),
                    format!("`{}` uses EBS volume type `{vt}`", r.block_address),
                )
                .label(format!("`{vt}` volume"))
                .help(help)
                .resource(r.address.clone())
                .attribute(attribute)
                .property("volume_type", vt)
                .property("suggested_type", instead);
                for (key, value) in cost {
                    d = if key == "monthly_cost_usd" {
                        d.monthly_cost(value.as_f64())
                    } else {
                        d.property(key, value)
                    };
                }
                if let Some(origin) = arg.origin_elsewhere() {
                    d = d.related(origin, format!("`{vt}` is set here"));
                }
                // Only a literal written right here is safe to rewrite.
                if arg.attr.expr.as_literal_str() == Some(vt) {
                    d = d.fix(DraftFix {
                        title: format!("Change the volume type to `{instead}`"),
                        edits: vec![DraftEdit {
                            at: arg.loc(),
                            replacement: format!("\"{instead}\""),
                        }],
                    });
                }
                if let Some(caller) = r.caller() {
                    d = d.related(
                        caller,
                        format!("in module instance `{}` called here", r.module_address()),
                    );
                }
                cx.report(d);
            };
            match r.rtype {
                "aws_ebs_volume" => {
                    if let Some(arg) = r.attr("type") {
                        report(arg, "type".into());
                    }
                }
                "aws_db_instance" => {
                    if let Some(arg) = r.attr("storage_type") {
                        report(arg, "storage_type".into());
                    }
                }
                "aws_instance" | "aws_spot_instance_request" | "aws_launch_configuration" => {
                    for name in ["root_block_device", "ebs_block_device"] {
                        for nested in r.blocks(name) {
                            if let Some(arg) = r.nested_attr(&nested, "volume_type") {
                                report(arg, format!("{}.volume_type", nested.path));
                            }
                        }
                    }
                }
                "aws_launch_template" => {
                    for mapping in r.blocks("block_device_mappings") {
                        for ebs in r.nested_blocks(&mapping, "ebs") {
                            if let Some(arg) = r.nested_attr(&ebs, "volume_type") {
                                report(arg, format!("{}.volume_type", ebs.path));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}
