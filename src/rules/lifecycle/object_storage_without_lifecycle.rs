use serde::{Deserialize, Serialize};

use crate::declare_rule;
use crate::finding::{Diagnostic, Loc};
use crate::model::references::Attachments;
use crate::model::terraform::{Module, Nested, Resource};
use crate::rules::sizing::machines::{Known, known};
use crate::rules::tags::common::{caller_label, join};
use crate::rules::{Cx, Rule, RuleMeta};
use crate::terraform::value::Value;

declare_rule! {
    /// ## What it does
    /// Reports object storage buckets that nothing cleans up: no lifecycle
    /// rules, no rule that aborts incomplete multipart uploads, or, on a
    /// versioned bucket, no rule that expires non-current versions. It
    /// reports:
    /// - an `aws_s3_bucket` with no `aws_s3_bucket_lifecycle_configuration`
    ///   for it in the module and no legacy `lifecycle_rule` block;
    /// - an S3 bucket whose lifecycle rules do not abort incomplete
    ///   multipart uploads (`abort_incomplete_multipart_upload`), or, when
    ///   the bucket is versioned (`aws_s3_bucket_versioning` with status
    ///   `Enabled`, or the legacy `versioning` block), do not expire
    ///   non-current versions (`noncurrent_version_expiration`);
    /// - a `google_storage_bucket` without `lifecycle_rule` blocks, or a
    ///   versioned one whose rules never delete non-current versions (a
    ///   `Delete` action that does not only match `LIVE` objects).
    ///
    /// A lifecycle configuration counts for a bucket when it refers to it
    /// (`bucket = aws_s3_bucket.logs.id`, through locals and module
    /// inputs) or names it literally. When a configuration's bucket cannot
    /// be told statically, it may be any bucket's, and buckets without
    /// their own are not reported. Disabled rules do not count; rules whose
    /// status is unknown do. Google Cloud buckets with Autoclass enabled are
    /// not reported: Autoclass moves cold objects to cheaper classes by
    /// itself.
    ///
    /// ## Why is this bad?
    /// Objects are billed every month until they are deleted, and buckets
    /// for logs, exports and build artifacts only ever grow. 5 TB of S3
    /// Standard costs about $115 a month; the same data moved to Glacier
    /// Instant Retrieval after 90 days costs about $20, and deleted after a
    /// year costs nothing. Two costs are invisible in the console: parts of
    /// multipart uploads that never completed are billed as storage but
    /// listed nowhere, and on a versioned bucket every overwrite or delete
    /// keeps the old version, billed at the full price, forever.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "exports" {
    ///   bucket = "shop-exports"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_s3_bucket" "exports" {
    ///   bucket = "shop-exports"
    /// }
    ///
    /// resource "aws_s3_bucket_lifecycle_configuration" "exports" {
    ///   bucket = aws_s3_bucket.exports.id
    ///
    ///   rule {
    ///     id     = "expire"
    ///     status = "Enabled"
    ///     filter {}
    ///
    ///     expiration {
    ///       days = 365
    ///     }
    ///     noncurrent_version_expiration {
    ///       noncurrent_days = 30
    ///     }
    ///     abort_incomplete_multipart_upload {
    ///       days_after_initiation = 7
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Options
    /// - `require-abort-multipart-upload` (default `true`): report S3
    ///   lifecycle rules that leave incomplete multipart uploads behind.
    /// - `require-noncurrent-version-expiration` (default `true`): report
    ///   versioned buckets whose lifecycle rules keep non-current versions
    ///   forever.
    ///
    /// ## References
    /// - [Amazon S3: managing the lifecycle of objects](https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html)
    /// - [Amazon S3: abort incomplete multipart uploads with a lifecycle rule](https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html)
    /// - [Amazon S3 pricing](https://aws.amazon.com/s3/pricing/)
    /// - [Cloud Storage: Object Lifecycle Management](https://cloud.google.com/storage/docs/lifecycle)
    pub struct ObjectStorageWithoutLifecycle {
        code: "CL405",
        name: "object-storage-without-lifecycle",
        category: Lifecycle,
        severity: Note,
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
#[schemars(rename = "ObjectStorageWithoutLifecycleOptions")]
pub struct Options {
    /// Report S3 lifecycle rules that leave incomplete multipart uploads.
    pub require_abort_multipart_upload: bool,
    /// Report versioned buckets whose rules keep non-current versions
    /// forever.
    pub require_noncurrent_version_expiration: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            require_abort_multipart_upload: true,
            require_noncurrent_version_expiration: true,
        }
    }
}

/// What one lifecycle rule does, as far as this rule cares.
struct RuleFacts {
    /// Known `false` only when the rule is disabled.
    maybe_enabled: bool,
    aborts_uploads: bool,
    expires_noncurrent: bool,
}

/// Whether a value is known to be `false` / `"Disabled"`.
fn disabled(known: Known) -> bool {
    match known {
        Known::Value(Value::String(s)) => s.eq_ignore_ascii_case("disabled"),
        Known::Value(v) => v.as_bool() == Some(false),
        _ => false,
    }
}

impl Rule for ObjectStorageWithoutLifecycle {
    type Options = Options;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_terraform(&self, module: &Module<'_>, options: &Options, cx: &mut Cx<'_>) {
        let mut s3: Option<(Attachments<'_, '_>, Attachments<'_, '_>)> = None;
        for r in module.resources() {
            match r.rtype {
                "aws_s3_bucket" => {
                    let (lifecycles, versionings) = s3.get_or_insert_with(|| {
                        (
                            Attachments::new(
                                module,
                                "aws_s3_bucket_lifecycle_configuration",
                                "bucket",
                            ),
                            Attachments::new(module, "aws_s3_bucket_versioning", "bucket"),
                        )
                    });
                    if let Some(d) = s3_bucket(r, lifecycles, versionings, options) {
                        cx.report(d);
                    }
                }
                "google_storage_bucket" => {
                    if let Some(d) = gcs_bucket(r, options) {
                        cx.report(d);
                    }
                }
                _ => {}
            }
        }
    }
}

fn s3_bucket(
    r: &Resource<'_>,
    lifecycles: &Attachments<'_, '_>,
    versionings: &Attachments<'_, '_>,
    options: &Options,
) -> Option<Diagnostic> {
    let configs = lifecycles.of(r, "bucket");
    if configs.unresolved {
        return None;
    }
    let versioning = versionings.of(r, "bucket");
    let versioned = !versioning.unresolved
        && (versioning.by.iter().any(|v| {
            v.blocks("versioning_configuration").iter().any(|c| {
                matches!(known(v.nested_attr(c, "status")), Known::Value(Value::String(ref s)) if s == "Enabled")
            })
        }) || r.blocks("versioning").iter().any(|b| {
            r.nested_attr(b, "enabled")
                .and_then(|a| a.value.as_bool())
                == Some(true)
        }));
    let legacy = r.blocks("lifecycle_rule");
    let mut facts: Vec<RuleFacts> = Vec::new();
    for config in &configs.by {
        for rule in config.blocks("rule") {
            facts.push(RuleFacts {
                maybe_enabled: !disabled(known(config.nested_attr(&rule, "status"))),
                aborts_uploads: !config
                    .nested_blocks(&rule, "abort_incomplete_multipart_upload")
                    .is_empty(),
                expires_noncurrent: !config
                    .nested_blocks(&rule, "noncurrent_version_expiration")
                    .is_empty(),
            });
        }
    }
    for rule in &legacy {
        facts.push(RuleFacts {
            maybe_enabled: !disabled(known(r.nested_attr(rule, "enabled"))),
            aborts_uploads: !matches!(
                known(r.nested_attr(rule, "abort_incomplete_multipart_upload_days")),
                Known::Absent
            ),
            expires_noncurrent: !r
                .nested_blocks(rule, "noncurrent_version_expiration")
                .is_empty(),
        });
    }
    if configs.by.is_empty() && legacy.is_empty() {
        return Some(no_lifecycle(r, versioned, "S3"));
    }
    let enabled: Vec<&RuleFacts> = facts.iter().filter(|f| f.maybe_enabled).collect();
    let mut missing = Vec::new();
    if options.require_abort_multipart_upload && !enabled.iter().any(|f| f.aborts_uploads) {
        missing.push("aborts incomplete multipart uploads");
    }
    if options.require_noncurrent_version_expiration
        && versioned
        && !enabled.iter().any(|f| f.expires_noncurrent)
    {
        missing.push("expires non-current versions");
    }
    if missing.is_empty() {
        return None;
    }
    // Point where rules are written: the configuration, else the bucket's
    // first legacy rule.
    let (at, subject, address, caller) = match (configs.by.first(), legacy.first()) {
        (Some(config), _) => (
            config.header(),
            format!("`{}` (for `{}`)", config.block_address, r.block_address),
            config.address.clone(),
            caller_label(config),
        ),
        (None, Some(rule)) => (
            nested_header(rule),
            format!("`{}`", r.block_address),
            r.address.clone(),
            caller_label(r),
        ),
        (None, None) => return None,
    };
    let mut help = Vec::new();
    if missing.contains(&"aborts incomplete multipart uploads") {
        help.push("`abort_incomplete_multipart_upload { days_after_initiation = 7 }`");
    }
    if missing.contains(&"expires non-current versions") {
        help.push("`noncurrent_version_expiration { noncurrent_days = 30 }`");
    }
    let versioned_note = if versioned {
        " of the versioned bucket"
    } else {
        ""
    };
    let mut d = Diagnostic::new(
        "",
        at,
        format!(
            "{subject} has no lifecycle rule that {}{versioned_note}",
            join(&missing, "or")
        ),
    )
    .label(format!("no rule that {}", join(&missing, "or")))
    .help(format!(
        "add {} to an enabled rule; until then {} are billed as storage forever",
        join(&help, "and"),
        forever_what(&missing)
    ))
    .resource(address)
    .attribute("rule")
    .property("bucket", r.block_address.as_str())
    .property("versioned", versioned)
    .property("missing", missing.clone());
    if let Some((call, message)) = caller {
        d = d.related(call, message);
    }
    Some(d)
}

fn forever_what(missing: &[&str]) -> &'static str {
    match missing {
        [one] if one.starts_with("aborts") => "the parts of uploads that never completed",
        [_] => "the old versions of every overwritten or deleted object",
        _ => "unfinished upload parts and old versions",
    }
}

fn nested_header(n: &Nested<'_>) -> Loc {
    Loc::new(n.file, n.block.header_span())
}

fn gcs_bucket(r: &Resource<'_>, options: &Options) -> Option<Diagnostic> {
    let autoclass = r.blocks("autoclass").iter().any(|a| {
        !matches!(known(r.nested_attr(a, "enabled")), Known::Value(ref v) if v.as_bool() == Some(false))
    });
    if autoclass {
        return None;
    }
    let versioning = r.blocks("versioning");
    let versioned_at = versioning.iter().find_map(|v| {
        let arg = r.nested_attr(v, "enabled")?;
        (arg.value.as_bool() == Some(true)).then(|| arg.loc())
    });
    let rules = r.blocks("lifecycle_rule");
    if rules.is_empty() {
        return Some(no_lifecycle(r, versioned_at.is_some(), "GCS"));
    }
    let versioned_at = versioned_at.filter(|_| options.require_noncurrent_version_expiration)?;
    // A `Delete` rule reaches non-current versions unless it only matches
    // live objects; an unknown action or state may.
    let deletes_noncurrent = rules.iter().any(|rule| {
        let deletes = r.nested_blocks(rule, "action").iter().any(|a| {
            !matches!(known(r.nested_attr(a, "type")), Known::Value(Value::String(ref t)) if t != "Delete")
        });
        let live_only = r.nested_blocks(rule, "condition").iter().any(|c| {
            matches!(known(r.nested_attr(c, "with_state")), Known::Value(Value::String(ref s)) if s == "LIVE")
                || r.nested_attr(c, "is_live").and_then(|a| a.value.as_bool()) == Some(true)
        });
        deletes && !live_only
    });
    if deletes_noncurrent {
        return None;
    }
    let mut d = Diagnostic::new(
        "",
        versioned_at,
        format!(
            "`{}` is versioned but no lifecycle rule deletes non-current versions",
            r.block_address
        ),
    )
    .label("versioned: every overwrite keeps the old version")
    .help("add a `lifecycle_rule` with `action { type = \"Delete\" }` and `condition { days_since_noncurrent_time = 30 }` (or `num_newer_versions = 3`); until then old versions are billed as storage forever")
    .resource(r.address.clone())
    .attribute("lifecycle_rule")
    .property("versioned", true)
    .property("missing", vec!["deletes non-current versions"]);
    if let Some((call, message)) = caller_label(r) {
        d = d.related(call, message);
    }
    Some(d)
}

/// A bucket with no lifecycle rule at all.
fn no_lifecycle(r: &Resource<'_>, versioned: bool, kind: &str) -> Diagnostic {
    let what = if versioned {
        "objects and their non-current versions are"
    } else {
        "objects are"
    };
    let help = if kind == "S3" {
        "add an `aws_s3_bucket_lifecycle_configuration` for this bucket with an enabled rule that expires or transitions objects and has `abort_incomplete_multipart_upload { days_after_initiation = 7 }`"
    } else {
        "add a `lifecycle_rule` that deletes objects (or moves them to a colder class) after the age they stop being useful"
    };
    let help = if versioned && kind == "S3" {
        format!("{help} and `noncurrent_version_expiration`")
    } else if versioned {
        format!("{help}, and one that deletes non-current versions")
    } else {
        help.to_owned()
    };
    let mut d = Diagnostic::new(
        "",
        r.header(),
        format!(
            "`{}` has no lifecycle rules: {what} kept and billed until someone deletes them",
            r.block_address
        ),
    )
    .label("no lifecycle rules")
    .help(help)
    .resource(r.address.clone())
    .attribute(if kind == "S3" {
        "aws_s3_bucket_lifecycle_configuration"
    } else {
        "lifecycle_rule"
    })
    .property("versioned", versioned)
    .property("missing", vec!["lifecycle rules"]);
    if let Some((call, message)) = caller_label(r) {
        d = d.related(call, message);
    }
    d
}
