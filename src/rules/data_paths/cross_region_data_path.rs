use serde::{Deserialize, Serialize};

use crate::catalog::{self, Provider};
use crate::declare_rule;
use crate::finding::{Diagnostic, Loc};
use crate::kubernetes::yaml::Node;
use crate::model::kubernetes::Manifests;
use crate::model::references::{Memo, Target, Wanted};
use crate::model::terraform::{Module, Resource};
use crate::rules::{Cx, Rule, RuleMeta};
use crate::terraform::module::Mode;
use crate::terraform::value::Value;

declare_rule! {
    /// ## What it does
    /// Reports data that will cross cloud regions: a compute or
    /// data-moving resource that refers to a data store resolved to another
    /// region; explicit cross-region constructs (VPC and Transit Gateway
    /// peering to another region, S3 replication, RDS read replicas and
    /// DynamoDB replicas in other regions, Azure virtual network peering
    /// across locations); and, when the cluster's region is configured,
    /// Kubernetes containers configured with a regional cloud endpoint in
    /// another region.
    ///
    /// ## Why is this bad?
    /// Inter-region transfer is billed per GB on every byte: $0.02/GB out of
    /// US and EU AWS regions, up to $0.147/GB out of Cape Town and $0.138/GB
    /// out of São Paulo, on top of latency. A service in `eu-west-1` reading
    /// 10 TB a month from a bucket in `us-east-1` pays about $200/month for
    /// the transfer alone, and it shows up on the bill as "data transfer",
    /// not on the resource that causes it. Regions are resolved through
    /// provider configurations, aliases, zones, module inputs and outputs,
    /// and multi-region storage locations (`EU`, `US`) contain their member
    /// regions. Global services (IAM, Route 53, CloudFront, Organizations)
    /// never count.
    ///
    /// ## Example
    /// ```hcl
    /// provider "aws" { region = "eu-west-1" }
    /// provider "aws" {
    ///   alias  = "us"
    ///   region = "us-east-1"
    /// }
    ///
    /// resource "aws_s3_bucket" "events" {
    ///   provider = aws.us
    ///   bucket   = "shop-events"
    /// }
    ///
    /// resource "aws_lambda_function" "ingest" {
    ///   function_name = "ingest"
    ///   environment {
    ///     variables = { BUCKET = aws_s3_bucket.events.id }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Keep the data next to what reads it (or replicate it once, on
    /// purpose, and allow that pair):
    /// ```hcl
    /// resource "aws_s3_bucket" "events" {
    ///   bucket = "shop-events"   # eu-west-1, like the function
    /// }
    /// ```
    ///
    /// ## Options
    /// - `allowed-pairs` (default `[]`): region pairs that may exchange data,
    ///   in either direction, e.g. `[["eu-west-1", "eu-central-1"]]` for a
    ///   deliberate disaster-recovery copy.
    /// - `kubernetes-region` (default unset): the region the checked
    ///   Kubernetes cluster runs in; container environment values naming a
    ///   regional endpoint in another region are reported only when it is set.
    ///
    /// ## References
    /// - [AWS data transfer pricing](https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer)
    /// - [Google Cloud network pricing](https://cloud.google.com/vpc/network-pricing)
    /// - [Azure bandwidth pricing](https://azure.microsoft.com/pricing/details/bandwidth/)
    pub struct CrossRegionDataPath {
        code: "CL301",
        name: "cross-region-data-path",
        category: DataPaths,
        severity: Warning,
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct Options {
    /// Region pairs allowed to exchange data, in either direction.
    pub allowed_pairs: Vec<[String; 2]>,
    /// Region of the Kubernetes cluster being checked.
    pub kubernetes_region: Option<String>,
}

impl Options {
    fn allowed(&self, a: &str, b: &str) -> bool {
        self.allowed_pairs
            .iter()
            .any(|[x, y]| (x == a && y == b) || (x == b && y == a))
    }
}

/// Resources that run code or move data, and so read what they refer to.
const MOVERS: &[&str] = &[
    "aws_instance",
    "aws_spot_instance_request",
    "aws_launch_template",
    "aws_launch_configuration",
    "aws_autoscaling_group",
    "aws_lambda_function",
    "aws_ecs_task_definition",
    "aws_ecs_service",
    "aws_eks_cluster",
    "aws_eks_node_group",
    "aws_batch_job_definition",
    "aws_batch_compute_environment",
    "aws_glue_job",
    "aws_glue_crawler",
    "aws_emr_cluster",
    "aws_datasync_task",
    "aws_kinesis_firehose_delivery_stream",
    "aws_dms_replication_task",
    "aws_sagemaker_notebook_instance",
    "google_compute_instance",
    "google_compute_instance_template",
    "google_compute_region_instance_template",
    "google_cloud_run_service",
    "google_cloud_run_v2_service",
    "google_cloud_run_v2_job",
    "google_cloudfunctions_function",
    "google_cloudfunctions2_function",
    "google_container_cluster",
    "google_container_node_pool",
    "google_dataflow_job",
    "google_dataproc_cluster",
    "google_composer_environment",
    "azurerm_linux_virtual_machine",
    "azurerm_windows_virtual_machine",
    "azurerm_virtual_machine",
    "azurerm_linux_virtual_machine_scale_set",
    "azurerm_windows_virtual_machine_scale_set",
    "azurerm_orchestrated_virtual_machine_scale_set",
    "azurerm_linux_web_app",
    "azurerm_windows_web_app",
    "azurerm_linux_function_app",
    "azurerm_windows_function_app",
    "azurerm_kubernetes_cluster",
    "azurerm_container_group",
    "azurerm_container_app",
    "azurerm_data_factory",
];

/// Resources that hold data others read.
const STORES: &[&str] = &[
    "aws_s3_bucket",
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_dynamodb_table",
    "aws_elasticache_cluster",
    "aws_elasticache_replication_group",
    "aws_efs_file_system",
    "aws_sqs_queue",
    "aws_sns_topic",
    "aws_kinesis_stream",
    "aws_ecr_repository",
    "aws_redshift_cluster",
    "aws_opensearch_domain",
    "aws_msk_cluster",
    "aws_docdb_cluster",
    "aws_neptune_cluster",
    "google_storage_bucket",
    "google_sql_database_instance",
    "google_bigquery_dataset",
    "google_spanner_instance",
    "google_pubsub_topic",
    "google_redis_instance",
    "google_filestore_instance",
    "google_artifact_registry_repository",
    "azurerm_storage_account",
    "azurerm_mssql_server",
    "azurerm_cosmosdb_account",
    "azurerm_postgresql_flexible_server",
    "azurerm_mysql_flexible_server",
    "azurerm_redis_cache",
    "azurerm_container_registry",
    "azurerm_servicebus_namespace",
    "azurerm_eventhub_namespace",
];

fn provider_of(rtype: &str) -> Option<Provider> {
    match rtype.split('_').next() {
        Some("aws") => Some(Provider::Aws),
        Some("google") => Some(Provider::Gcp),
        Some("azurerm") => Some(Provider::Azure),
        _ => None,
    }
}

/// Where a resource's data lives: the regions it spans (several for
/// multi-region locations) and where that was decided.
struct Place {
    regions: Vec<String>,
    shown: String,
    origin: Option<Loc>,
}

fn place(r: &Resource<'_>) -> Option<Place> {
    let provider = provider_of(r.rtype)?;
    let (raw, origin) = match r.rtype {
        // A Spanner config names its region: `regional-us-central1`.
        "google_spanner_instance" => {
            let (config, arg) = r.str_attr("config")?;
            (
                config.strip_prefix("regional-")?.to_owned(),
                Some(arg.loc()),
            )
        }
        _ => r.region()?,
    };
    let regions = match provider {
        // GKE and others take a zone as `location`.
        Provider::Gcp => match catalog::zone_to_region(Provider::Gcp, &raw)
            .filter(|z| catalog::region(provider, z).is_some())
        {
            Some(region) if catalog::region(provider, &raw).is_none() => vec![region],
            _ => catalog::gcp_location_regions(&raw),
        },
        _ => vec![raw.to_lowercase().replace(' ', "")],
    };
    // Only regions the catalog knows: a typo or a variable's placeholder is
    // no reason to report.
    if regions.is_empty()
        || regions
            .iter()
            .any(|reg| catalog::region(provider, reg).is_none())
    {
        return None;
    }
    Some(Place {
        regions,
        shown: raw,
        origin,
    })
}

fn overlaps(a: &Place, b: &Place) -> bool {
    a.regions.iter().any(|r| b.regions.contains(r))
}

/// Per-GB price of moving data from `from` to `to`, when known (AWS).
fn price(provider: Provider, from: &str, to: &str) -> Option<f64> {
    match provider {
        Provider::Aws => catalog::aws_transfer_price_between(from, to),
        _ => None,
    }
}

fn price_text(provider: Provider, from: &Place, to: &Place) -> (String, Option<f64>) {
    match (from.regions.as_slice(), to.regions.as_slice()) {
        ([f], [t]) => match price(provider, f, t) {
            Some(p) => (format!("${p}/GB from {f} to {t}"), Some(p)),
            None => ("billed per GB".into(), None),
        },
        _ => ("billed per GB".into(), None),
    }
}

impl Rule for CrossRegionDataPath {
    type Options = Options;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_terraform(&self, module: &Module<'_>, options: &Options, cx: &mut Cx<'_>) {
        // Movers share what they find behind locals, inputs and outputs.
        let memo = Memo::default();
        for r in module.resources() {
            if MOVERS.contains(&r.rtype) {
                self.movers(module, r, options, &memo, cx);
            }
            self.explicit(module, r, options, cx);
        }
    }

    fn check_kubernetes(&self, manifests: &Manifests<'_>, options: &Options, cx: &mut Cx<'_>) {
        let Some(cluster) = options.kubernetes_region.as_deref() else {
            return;
        };
        for object in &manifests.objects {
            let Some(pod) = object.pod() else { continue };
            for container in pod.containers() {
                for env in container
                    .node
                    .get("env")
                    .and_then(Node::as_seq)
                    .unwrap_or(&[])
                {
                    let Some(value) = env.get("value") else {
                        continue;
                    };
                    let Some(text) = value.as_str() else { continue };
                    let Some((provider, region)) = endpoint_region(text) else {
                        continue;
                    };
                    if region == cluster || options.allowed(cluster, &region) {
                        continue;
                    }
                    let name = env.get("name").and_then(Node::as_str).unwrap_or("?");
                    let (price, per_gb) = match price(provider, &region, cluster) {
                        Some(p) => (format!("${p}/GB from {region} to {cluster}"), Some(p)),
                        None => ("billed per GB".to_owned(), None),
                    };
                    let mut d = Diagnostic::new(
                        "",
                        Loc::new(object.file, value.span),
                        format!(
                            "{} of {} `{}` uses an endpoint in {region} (`{name}`), but the cluster runs in {cluster}: inter-region transfer is {price}",
                            container.display_name(),
                            object.kind,
                            object.shown_name(),
                        ),
                    )
                    .label(format!("endpoint in {region}"))
                    .help(format!("use the {cluster} endpoint and keep the data in {cluster}, or allow the pair in [rules.cross-region-data-path] allowed-pairs if it is deliberate"))
                    .resource(object.address())
                    .attribute(format!("containers.{}.env.{name}", container.name.unwrap_or("?")))
                    .property("from_region", region.clone())
                    .property("to_region", cluster);
                    if let Some(p) = per_gb {
                        d = d.property("usd_per_gb", p);
                    }
                    cx.report(d);
                }
            }
        }
    }
}

impl CrossRegionDataPath {
    /// (a) a mover that refers to a store in another region.
    fn movers(
        &self,
        module: &Module<'_>,
        r: &Resource<'_>,
        options: &Options,
        memo: &Memo,
        cx: &mut Cx<'_>,
    ) {
        let Some(provider) = provider_of(r.rtype) else {
            return;
        };
        let Some(here) = place(r) else { return };
        let mut seen: Vec<String> = Vec::new();
        // The same filter for every mover, as the memo requires; the
        // provider is checked below.
        let wanted = Wanted {
            paths: None,
            target: &|mode, rtype| mode == Mode::Managed && STORES.contains(&rtype),
            memo: Some(memo),
        };
        for reference in r.references_wanted(wanted) {
            let t = &reference.target;
            if t.mode != Mode::Managed
                || !STORES.contains(&t.rtype.as_str())
                || provider_of(&t.rtype) != Some(provider)
            {
                continue;
            }
            let Some((store, there)) = place_of(module, t) else {
                continue;
            };
            if !crosses(options, &here, &there) {
                continue;
            }
            // One finding per store, at its first use.
            if seen.contains(&store.address) {
                continue;
            }
            seen.push(store.address.clone());
            let (price, per_gb) = price_text(provider, &there, &here);
            let mut d = Diagnostic::new(
                "",
                reference.at,
                format!(
                    "`{}` in {} uses `{}` in {}: data between them crosses regions, {price}",
                    r.block_address, here.shown, store.block_address, there.shown
                ),
            )
            .label(format!("`{}` is in {}", store.block_address, there.shown))
            .help(format!(
                "put `{}` in {} (or the reader in {}), or allow the pair in [rules.cross-region-data-path] allowed-pairs if the traffic is deliberate",
                store.block_address, here.shown, there.shown
            ))
            .resource(r.address.clone())
            .attribute(format!("{}->{}", reference.path, store.block_address))
            .related(there.origin.unwrap_or(store.header()), format!("`{}` is in {}", store.block_address, there.shown))
            .property("from_region", there.shown.clone())
            .property("to_region", here.shown.clone());
            if let Some(origin) = here.origin {
                d = d.related(
                    origin,
                    format!("`{}` runs in {}", r.block_address, here.shown),
                );
            }
            if let Some(p) = per_gb {
                d = d.property("usd_per_gb", p);
            }
            cx.report(d);
        }
    }

    /// (b) constructs that move data across regions by design.
    fn explicit(&self, module: &Module<'_>, r: &Resource<'_>, options: &Options, cx: &mut Cx<'_>) {
        match r.rtype {
            "aws_vpc_peering_connection" | "aws_ec2_transit_gateway_peering_attachment" => {
                let Some(here) = place(r) else { return };
                let Some((peer, arg)) = r.str_attr("peer_region") else {
                    return;
                };
                let there = Place {
                    regions: vec![peer.clone()],
                    shown: peer.clone(),
                    origin: Some(arg.loc()),
                };
                if catalog::region(Provider::Aws, &peer).is_none()
                    || overlaps(&here, &there)
                    || pair_allowed(options, &here, &there)
                {
                    return;
                }
                self.report_explicit(r, arg.loc(), "peers with", &here, &there, false, cx);
            }
            "aws_dynamodb_table" => {
                let Some(here) = place(r) else { return };
                for replica in r.blocks("replica") {
                    let Some(arg) = r.nested_attr(&replica, "region_name") else {
                        continue;
                    };
                    let Some(region) = arg.value.as_str().map(str::to_owned) else {
                        continue;
                    };
                    let there = Place {
                        regions: vec![region.clone()],
                        shown: region,
                        origin: Some(arg.loc()),
                    };
                    if catalog::region(Provider::Aws, &there.shown).is_none()
                        || overlaps(&here, &there)
                        || pair_allowed(options, &here, &there)
                    {
                        continue;
                    }
                    self.report_explicit(
                        r,
                        arg.loc(),
                        "replicates every write to",
                        &here,
                        &there,
                        false,
                        cx,
                    );
                }
            }
            "aws_db_instance" => {
                let Some(here) = place(r) else { return };
                let wanted = Wanted {
                    paths: Some(&["replicate_source_db"]),
                    target: &|_, rtype| rtype == "aws_db_instance",
                    memo: None,
                };
                for reference in r.references_wanted(wanted) {
                    let t = &reference.target;
                    if t.rtype != "aws_db_instance" {
                        continue;
                    }
                    let Some((_, there)) = place_of(module, t) else {
                        continue;
                    };
                    if !crosses(options, &here, &there) {
                        continue;
                    }
                    self.report_explicit(
                        r,
                        reference.at,
                        "replicates from a primary in",
                        &here,
                        &there,
                        true,
                        cx,
                    );
                }
            }
            "aws_s3_bucket_replication_configuration" => {
                // The source bucket is `bucket`; destinations are in rules.
                let refs = r.references_wanted(Wanted {
                    paths: None,
                    target: &|_, rtype| rtype == "aws_s3_bucket",
                    memo: None,
                });
                let source = refs
                    .iter()
                    .find(|x| x.path == "bucket" && x.target.rtype == "aws_s3_bucket");
                let Some(source) = source else { return };
                let st = &source.target;
                let Some((_, here)) = place_of(module, st) else {
                    return;
                };
                for dest in refs.iter().filter(|x| {
                    x.path.ends_with("destination.bucket") && x.target.rtype == "aws_s3_bucket"
                }) {
                    let t = &dest.target;
                    let Some((_, there)) = place_of(module, t) else {
                        continue;
                    };
                    if !crosses(options, &here, &there) {
                        continue;
                    }
                    self.report_explicit(
                        r,
                        dest.at,
                        "replicates objects to",
                        &here,
                        &there,
                        false,
                        cx,
                    );
                }
            }
            "azurerm_virtual_network_peering" => {
                let refs = r.references_wanted(Wanted {
                    paths: Some(&["virtual_network_name", "remote_virtual_network_id"]),
                    target: &|_, rtype| rtype == "azurerm_virtual_network",
                    memo: None,
                });
                let local = refs.iter().find(|x| {
                    x.path == "virtual_network_name" && x.target.rtype == "azurerm_virtual_network"
                });
                let remote = refs.iter().find(|x| {
                    x.path == "remote_virtual_network_id"
                        && x.target.rtype == "azurerm_virtual_network"
                });
                let (Some(local), Some(remote)) = (local, remote) else {
                    return;
                };
                let (lt, rt) = (&local.target, &remote.target);
                let Some((_, here)) = place_of(module, lt) else {
                    return;
                };
                let Some((_, there)) = place_of(module, rt) else {
                    return;
                };
                if !crosses(options, &here, &there) {
                    return;
                }
                self.report_explicit(
                    r,
                    remote.at,
                    "peers with a network in",
                    &here,
                    &there,
                    false,
                    cx,
                );
            }
            _ => {}
        }
    }

    /// `here` is where the resource is, `there` the other end; `inbound`
    /// when data flows from there to here (a replica), for the price.
    #[allow(clippy::too_many_arguments)]
    fn report_explicit(
        &self,
        r: &Resource<'_>,
        at: Loc,
        verb: &str,
        here: &Place,
        there: &Place,
        inbound: bool,
        cx: &mut Cx<'_>,
    ) {
        let Some(provider) = provider_of(r.rtype) else {
            return;
        };
        let (price, per_gb) = if inbound {
            price_text(provider, there, here)
        } else {
            price_text(provider, here, there)
        };
        let d = Diagnostic::new(
            "",
            at,
            format!(
                "`{}` in {} {verb} {}: traffic between them is inter-region, {price}",
                r.block_address, here.shown, there.shown
            ),
        );
        // The way the data flows, which the price is for.
        let (from, to) = if inbound {
            (there, here)
        } else {
            (here, there)
        };
        let mut d = d
        .label(format!("{} → {}", from.shown, to.shown))
        .help("keep both ends in one region, or allow the pair in [rules.cross-region-data-path] allowed-pairs if the traffic is deliberate")
        .resource(r.address.clone())
        .attribute(format!("{verb} {}", there.shown))
        .property("from_region", from.shown.clone())
        .property("to_region", to.shown.clone());
        if let Some(origin) = here.origin.filter(|o| *o != at) {
            d = d.related(
                origin,
                format!("`{}` is in {}", r.block_address, here.shown),
            );
        }
        if let Some(p) = per_gb {
            d = d.property("usd_per_gb", p);
        }
        cx.report(d);
    }
}

/// Whether data between two places crosses regions the options do not
/// allow.
fn crosses(options: &Options, a: &Place, b: &Place) -> bool {
    !overlaps(a, b) && !pair_allowed(options, a, b)
}

/// The place of a reference's target resource.
fn place_of<'m, 'a>(module: &'m Module<'a>, t: &Target) -> Option<(&'m Resource<'a>, Place)> {
    target_place(module, t.instance, &t.rtype, &t.name, t.key.as_ref())
}

fn pair_allowed(options: &Options, a: &Place, b: &Place) -> bool {
    a.regions
        .iter()
        .any(|x| b.regions.iter().any(|y| options.allowed(x, y)))
}

/// The place of a referenced resource; with several instances and no key,
/// only when they all agree.
fn target_place<'m, 'a>(
    module: &'m Module<'a>,
    instance: usize,
    rtype: &str,
    name: &str,
    key: Option<&Value>,
) -> Option<(&'m Resource<'a>, Place)> {
    let candidates: Vec<&Resource<'a>> = module
        .find(instance, rtype, name)
        .filter(|c| match key {
            Some(k) => c.has_key(k),
            None => true,
        })
        .collect();
    let first = *candidates.first()?;
    let p = place(first)?;
    for other in candidates.iter().skip(1) {
        let q = place(other)?;
        if q.regions != p.regions {
            return None;
        }
    }
    Some((first, p))
}

/// The region named in a regional cloud endpoint: `s3.eu-west-1.amazonaws.com`,
/// `db.abc.us-east-1.rds.amazonaws.com`, `europe-west1-docker.pkg.dev`.
pub fn endpoint_region(text: &str) -> Option<(Provider, String)> {
    for token in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-')) {
        let host = token.trim_matches('.');
        if let Some(rest) = host.strip_suffix(".amazonaws.com") {
            for label in rest.split('.').rev() {
                let candidate = label.strip_prefix("s3-").unwrap_or(label);
                if catalog::region(Provider::Aws, candidate).is_some() {
                    return Some((Provider::Aws, candidate.to_owned()));
                }
            }
        }
        for suffix in [
            "-docker.pkg.dev",
            "-run.googleapis.com",
            "-aiplatform.googleapis.com",
        ] {
            if let Some(region) = host.strip_suffix(suffix) {
                if catalog::region(Provider::Gcp, region).is_some() {
                    return Some((Provider::Gcp, region.to_owned()));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        assert_eq!(
            endpoint_region("https://s3.eu-west-1.amazonaws.com/bucket").map(|x| x.1),
            Some("eu-west-1".into())
        );
        assert_eq!(
            endpoint_region("mydb.abc123.us-east-1.rds.amazonaws.com:5432").map(|x| x.1),
            Some("us-east-1".into())
        );
        assert_eq!(
            endpoint_region("bucket.s3-ap-southeast-2.amazonaws.com").map(|x| x.1),
            Some("ap-southeast-2".into())
        );
        assert_eq!(
            endpoint_region("europe-west1-docker.pkg.dev/p/r/i").map(|x| x.1),
            Some("europe-west1".into())
        );
        assert_eq!(endpoint_region("https://s3.amazonaws.com/x"), None);
        assert_eq!(endpoint_region("plain text"), None);
    }
}
