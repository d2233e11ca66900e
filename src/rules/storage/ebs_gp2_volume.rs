use serde::{Deserialize, Serialize};

use crate::declare_rule;
use crate::finding::{Diagnostic, DraftEdit, DraftFix};
use crate::model::terraform::{Arg, Module};
use crate::rules::{Cx, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports an explicit `gp2` or `io1` EBS volume type on
    /// `aws_ebs_volume.type`, the `root_block_device` and
    /// `ebs_block_device` blocks of `aws_instance`, the
    /// `block_device_mappings.ebs` of `aws_launch_template`, the block
    /// devices of `aws_launch_configuration`, and `aws_db_instance.storage_type`.
    ///
    /// ## Why is this bad?
    /// gp3 costs $0.08 per GB-month against gp2's $0.10 (about 20% less) and
    /// includes a 3,000 IOPS and 125 MB/s baseline whatever the size, where
    /// gp2 needs 1 TB to reach 3,000 IOPS. io1 costs the same as io2 per GB
    /// and IOPS with 100× the durability; many io1 volumes are better served
    /// by gp3 with provisioned IOPS at a fraction of the price.
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
            let mut report = |arg: Arg<'_>, attribute: String| {
                let Some(vt) = arg.as_str() else { return };
                if !options.types.iter().any(|t| t == vt) {
                    return;
                }
                let (instead, why) = advice(vt);
                let mut d = Diagnostic::new(
                    "",
                    arg.loc(),
                    format!("`{}` uses EBS volume type `{vt}`", r.block_address),
                )
                .label(format!("`{vt}` volume"))
                .help(format!("use `{instead}`: {why}"))
                .resource(r.address.clone())
                .attribute(attribute)
                .property("volume_type", vt)
                .property("suggested_type", instead);
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
