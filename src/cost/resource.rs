//! The monthly cost of one resource instance: its machines, its volumes,
//! and for autoscaling groups the instances their launch template starts.

use crate::finding::Loc;
use crate::model::terraform::{Module, Resource};

use super::machines::{self, Catalog, Count, Known, Machine, known, whole};
use super::storage::{self, Site};
use super::{Component, Cost, Estimate, cents};

/// Resource types priced by their machines (and the volumes they declare).
const COMPUTE: &[&str] = &[
    "aws_instance",
    "aws_spot_instance_request",
    "aws_eks_node_group",
    "google_compute_instance",
    "google_container_node_pool",
    "google_container_cluster",
    "azurerm_linux_virtual_machine",
    "azurerm_windows_virtual_machine",
    "azurerm_virtual_machine",
    "azurerm_linux_virtual_machine_scale_set",
    "azurerm_windows_virtual_machine_scale_set",
    "azurerm_orchestrated_virtual_machine_scale_set",
    "azurerm_kubernetes_cluster",
    "azurerm_kubernetes_cluster_node_pool",
];

const DATABASES: &[&str] = &[
    "aws_db_instance",
    "aws_rds_cluster_instance",
    "aws_elasticache_cluster",
    "aws_elasticache_replication_group",
    "google_sql_database_instance",
    "azurerm_postgresql_flexible_server",
    "azurerm_mysql_flexible_server",
];

/// Resources that are a volume.
const VOLUMES: &[&str] = &[
    "aws_ebs_volume",
    "google_compute_disk",
    "google_compute_region_disk",
    "azurerm_managed_disk",
];

/// What one resource instance costs, or why the model cannot say.
pub fn estimate(r: &Resource<'_>, module: &Module<'_>) -> Cost {
    let t = r.rtype;
    let modelled = COMPUTE.contains(&t)
        || DATABASES.contains(&t)
        || VOLUMES.contains(&t)
        || t == "aws_autoscaling_group";
    if !modelled {
        return Cost::NotModelled;
    }
    if r.is_unknown_instance() {
        return Cost::Unpriced(
            "`count` or `for_each` is not known statically, so neither is the number of instances"
                .into(),
        );
    }
    if VOLUMES.contains(&t) {
        return volume_resource(r);
    }
    if t == "aws_autoscaling_group" {
        return autoscaling_group(r, module);
    }
    let found = if COMPUTE.contains(&t) {
        machines::compute(r)
    } else {
        machines::databases(r)
    };
    let mut estimate = Estimate::default();
    let mut reasons = Vec::new();
    for m in &found {
        match machine_component(r, m) {
            Ok(c) => estimate.components.push(c),
            Err(why) => reasons.push(if found.len() > 1 {
                format!("`{}`: {why}", m.attribute)
            } else {
                why
            }),
        }
    }
    if estimate.components.is_empty() {
        return Cost::Unpriced(reasons.into_iter().next().unwrap_or_else(|| no_machine(r)));
    }
    estimate.excluded = reasons;
    add_volumes(&mut estimate, storage::volumes(r), 1);
    Cost::Priced(estimate)
}

/// Why a resource that runs machines has none the model can read.
fn no_machine(r: &Resource<'_>) -> String {
    match r.rtype {
        "aws_instance" | "aws_eks_node_group" => {
            "the instance type is not set here (it comes from a launch template or a default) or is not known statically".into()
        }
        _ => "its machine size is not set or not known statically".into(),
    }
}

fn machine_component(r: &Resource<'_>, m: &Machine<'_>) -> Result<Component, String> {
    let Some(spec) = m.spec.as_deref() else {
        return Err(format!(
            "`{}` is not {} the catalog knows",
            m.name,
            m.catalog.a_noun()
        ));
    };
    if !m.priced {
        return Err(not_list_priced(r, m));
    }
    let Some(hourly) = spec.hourly_usd else {
        let date = m
            .catalog
            .price_date()
            .map(|d| format!(" (catalog {d})"))
            .unwrap_or_default();
        return Err(format!(
            "the catalog has no list price for {}{date}",
            spec.name
        ));
    };
    let Some(count) = m.count else {
        return Err(
            "how many machines it runs is not fixed in the configuration (autoscaled, or not known statically)"
                .into(),
        );
    };
    let (monthly_usd, basis) = if count.n == 0 {
        (0.0, format!("{} × 0 {}", spec.name, count.noun))
    } else {
        (
            super::monthly(hourly, count.n),
            m.basis().unwrap_or_default(),
        )
    };
    Ok(Component {
        what: "compute".into(),
        monthly_usd,
        basis,
        attribute: Some(m.attribute.clone()),
    })
}

/// Why the catalog's on-demand Linux price does not apply.
fn not_list_priced(r: &Resource<'_>, m: &Machine<'_>) -> String {
    if m.attached_gpus > 0 {
        return "its attached GPUs are billed apart from the machine type, at prices the catalog does not hold".into();
    }
    match (r.rtype, m.catalog) {
        ("aws_spot_instance_request", _) => "it is billed at the spot price".into(),
        ("azurerm_windows_virtual_machine" | "azurerm_windows_virtual_machine_scale_set", _) => {
            "Windows adds a licence to the Linux price in the catalog".into()
        }
        ("azurerm_virtual_machine" | "azurerm_orchestrated_virtual_machine_scale_set", _) => {
            "its operating system, and so its licence, is not known".into()
        }
        ("aws_db_instance", _) => {
            "the catalog prices only the postgres, mysql and mariadb engines, and `engine` is another or not known".into()
        }
        ("aws_rds_cluster_instance", _) => "Aurora prices are not in the catalog".into(),
        ("aws_elasticache_cluster" | "aws_elasticache_replication_group", _) => {
            "the catalog prices Redis OSS and Memcached nodes, and `engine` is another or not known"
                .into()
        }
        ("aws_instance", _) if r.blocks("instance_market_options").is_empty() => {
            "dedicated tenancy is billed above the catalog's shared-tenancy price".into()
        }
        (_, Catalog::GcpSqlTier) => "Cloud SQL prices are not in the catalog".into(),
        (_, Catalog::AzureDbSku) => {
            "Azure Database compute prices are not in the catalog".into()
        }
        ("azurerm_kubernetes_cluster_node_pool", _) => {
            "it uses spot priority or Windows nodes, which the catalog does not price".into()
        }
        _ => "it uses spot or preemptible capacity, which the catalog does not price".into(),
    }
}

/// The volumes of a resource, `copies` times (the instances an
/// autoscaling group launches from a template).
fn add_volumes(estimate: &mut Estimate, sites: Vec<Site>, copies: u32) {
    for site in sites {
        let priced = site.volume.and_then(|v| {
            let v = storage::Volume {
                copies: v.copies * copies,
                ..v
            };
            v.price()
        });
        match priced {
            Ok(p) => estimate.components.push(Component {
                what: site.what.into(),
                monthly_usd: p.monthly_usd,
                basis: if copies > 1 {
                    format!("{} × {copies} instances", p.basis)
                } else {
                    p.basis
                },
                attribute: Some(site.type_attribute),
            }),
            Err(why) => estimate.excluded.push(format!("{}: {why}", site.what)),
        }
    }
}

/// A resource that is one volume.
fn volume_resource(r: &Resource<'_>) -> Cost {
    let Some(site) = storage::volumes(r).into_iter().next() else {
        return Cost::Unpriced("no volume is declared".into());
    };
    match site.volume.and_then(|v| v.price()) {
        Ok(p) => Cost::Priced(Estimate {
            components: vec![Component {
                what: site.what.into(),
                monthly_usd: p.monthly_usd,
                basis: p.basis,
                attribute: Some(site.type_attribute),
            }],
            excluded: Vec::new(),
        }),
        Err(why) => Cost::Unpriced(why),
    }
}

/// An autoscaling group runs its desired capacity (the minimum size when
/// none is set, as AWS does) of the instance its launch template or
/// configuration describes.
fn autoscaling_group(r: &Resource<'_>, module: &Module<'_>) -> Cost {
    if !r.blocks("mixed_instances_policy").is_empty() {
        return Cost::Unpriced(
            "it uses a mixed instances policy, so the share of each instance type is not fixed"
                .into(),
        );
    }
    let capacity = match known(r.attr("desired_capacity")) {
        Known::Absent => whole(r.attr("min_size")).map(|n| (n, "min_size")),
        Known::Value(_) => whole(r.attr("desired_capacity")).map(|n| (n, "desired_capacity")),
        Known::Unknown => None,
    };
    let Some((n, from)) = capacity else {
        return Cost::Unpriced("its desired capacity is not known statically".into());
    };
    let Some(template) = machines::asg_fleet(module, r).template else {
        return Cost::Unpriced(
            "its launch template or configuration is not a resource of this configuration".into(),
        );
    };
    let found = machines::compute(template);
    let [m] = found.as_slice() else {
        return Cost::Unpriced(format!(
            "`{}` does not set one instance type",
            template.address
        ));
    };
    let mut m = m.clone();
    m.count = Some(Count {
        n,
        noun: "instances",
    });
    let mut component = match machine_component(template, &m) {
        Ok(c) => c,
        Err(why) => return Cost::Unpriced(format!("`{}`: {why}", template.address)),
    };
    component.basis = format!(
        "{} ({from} of `{}`)",
        component.basis, template.block_address
    );
    component.attribute = Some(from.into());
    let mut estimate = Estimate {
        components: vec![component],
        excluded: Vec::new(),
    };
    if n > 0 {
        add_volumes(&mut estimate, storage::volumes(template), n);
    }
    Cost::Priced(estimate)
}

/// One resource instance and what it costs.
#[derive(Debug, Clone)]
pub struct ResourceCost {
    pub address: String,
    pub block_address: String,
    pub rtype: String,
    /// The header of the resource block.
    pub at: Loc,
    /// The `module` block of the root module the resource comes through,
    /// when it is inside a called module.
    pub root_call: Option<Loc>,
    pub cost: Cost,
}

/// Every resource instance of a root module with its cost, in the
/// module's order.
pub fn module_costs(module: &Module<'_>) -> Vec<ResourceCost> {
    module
        .resources()
        .iter()
        .map(|r| ResourceCost {
            address: r.address.clone(),
            block_address: r.block_address.clone(),
            rtype: r.rtype.to_owned(),
            at: r.header(),
            root_call: root_call(r),
            cost: match estimate(r, module) {
                // Cents keep every output and sum stable.
                Cost::Priced(mut e) => {
                    for c in &mut e.components {
                        c.monthly_usd = cents(c.monthly_usd);
                    }
                    Cost::Priced(e)
                }
                other => other,
            },
        })
        .collect()
}

/// The `module` block in the root module that leads to `r`.
fn root_call(r: &Resource<'_>) -> Option<Loc> {
    let mut instance = r.model.instance(r.instance)?;
    let mut call = None;
    while let Some(parent) = &instance.parent {
        let config = r.model.config_of(parent.parent)?;
        let decl = config.calls.get(parent.call)?;
        call = Some(Loc::new(
            config.file_id(decl.at),
            config.block(decl.at)?.header_span(),
        ));
        instance = r.model.instance(parent.parent)?;
    }
    call
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::Environments;
    use crate::source::fs::MemoryFs;
    use crate::terraform::module::{BuildOptions, Builder};

    /// Every resource instance of a one-file root module with its cost.
    fn costs(tf: &str) -> Vec<(String, Cost)> {
        let mut fs = MemoryFs::new();
        fs.insert("/m/main.tf", tf);
        let opts = BuildOptions {
            fs: &fs,
            cwd: Path::new("/"),
            boundary: None,
            var_files: &[],
            workspace: None,
            max_file_size: 1 << 24,
            max_module_depth: 32,
            max_nesting_depth: crate::terraform::json::MAX_DEPTH,
            cache: None,
            blocks: None,
        };
        let mut builder = Builder::new(&opts);
        builder.build_root(Path::new("/m"));
        let envs = Environments::default();
        let module = Module::new(&builder.model, &builder.files, &envs);
        module_costs(&module)
            .into_iter()
            .map(|c| (c.address, c.cost))
            .collect()
    }

    fn one(tf: &str) -> Cost {
        let mut all = costs(tf);
        assert_eq!(all.len(), 1, "{all:?}");
        all.remove(0).1
    }

    fn usd(cost: &Cost) -> f64 {
        cents(
            cost.monthly_usd()
                .unwrap_or_else(|| panic!("unpriced: {cost:?}")),
        )
    }

    fn why(cost: &Cost) -> &str {
        match cost {
            Cost::Unpriced(why) => why,
            other => panic!("expected unpriced, got {other:?}"),
        }
    }

    #[test]
    fn instance_with_its_root_volume() {
        // m5.large $0.096 × 730 = $70.08; 50 GB gp2 × $0.10 = $5.00
        let cost = one(r#"resource "aws_instance" "a" {
  instance_type = "m5.large"
  root_block_device {
    volume_size = 50
    volume_type = "gp2"
  }
}"#);
        let e = cost.estimate().unwrap();
        assert_eq!(e.components.len(), 2);
        assert_eq!(e.components[0].monthly_usd, 70.08);
        assert_eq!(
            e.components[0].basis,
            "m5.large $0.096/h × 730 h, us-east-1 list price, catalog 2026-07"
        );
        assert_eq!(e.components[1].monthly_usd, 5.0);
        assert_eq!(usd(&cost), 75.08);
        assert!(e.excluded.is_empty());
    }

    #[test]
    fn an_optional_attribute_left_out_of_a_variable_is_absent_not_unknown() {
        // m5.large $70.08; 100 GB gp3 × $0.08 = $8.00, at its baseline IOPS.
        let cost = one(r#"variable "root" {
  type = object({
    volume_type = string
    volume_size = number
    iops        = optional(number)
  })
  default = { volume_type = "gp3", volume_size = 100 }
}
resource "aws_instance" "a" {
  instance_type = "m5.large"
  root_block_device {
    volume_type = var.root.volume_type
    volume_size = var.root.volume_size
    iops        = var.root.iops
  }
}"#);
        assert_eq!(usd(&cost), 78.08);
        assert!(cost.estimate().unwrap().excluded.is_empty(), "{cost:?}");
    }

    #[test]
    fn instance_without_root_volume_settings_is_a_floor() {
        let cost = one(r#"resource "aws_instance" "a" { instance_type = "m5.large" }"#);
        assert_eq!(usd(&cost), 70.08);
        assert_eq!(
            cost.estimate().unwrap().excluded,
            ["root volume: its size and type come from the AMI"]
        );
    }

    #[test]
    fn count_gives_one_priced_instance_each() {
        let all = costs(
            r#"resource "aws_instance" "a" {
  count         = 3
  instance_type = "m5.large"
}"#,
        );
        assert_eq!(all.len(), 3);
        assert!(all.iter().all(|(_, c)| usd(c) == 70.08));
        let unknown = one(r#"variable "n" {}
resource "aws_instance" "a" {
  count         = var.n
  instance_type = "m5.large"
}"#);
        assert!(why(&unknown).contains("`count` or `for_each`"));
    }

    #[test]
    fn unknown_and_unpriced_sizes() {
        assert!(
            why(&one(
                r#"resource "aws_instance" "a" { instance_type = "m5.huge" }"#
            ))
            .contains("not an instance type the catalog knows")
        );
        assert!(
            why(&one(r#"variable "t" {}
resource "aws_instance" "a" { instance_type = var.t }"#))
            .contains("not known statically")
        );
        assert!(
            why(&one(
                r#"resource "aws_spot_instance_request" "a" { instance_type = "m5.large" }"#
            ))
            .contains("spot price")
        );
        assert!(
            why(&one(r#"resource "aws_instance" "a" {
  instance_type = "m5.large"
  instance_market_options { market_type = "spot" }
}"#))
            .contains("spot")
        );
        assert!(
            why(&one(
                r#"resource "azurerm_windows_virtual_machine" "a" { size = "Standard_D4s_v5" }"#
            ))
            .contains("Windows")
        );
        assert!(
            why(&one(r#"resource "aws_instance" "a" {
  instance_type = "m5.large"
  tenancy       = "dedicated"
}"#))
            .contains("dedicated")
        );
        assert!(
            why(&one(r#"resource "aws_elasticache_cluster" "a" {
  engine          = "valkey"
  node_type       = "cache.r5.large"
  num_cache_nodes = 1
}"#))
            .contains("Redis OSS")
        );
        // cache.r5.large $0.216 × 730 × 2 = $315.36
        assert_eq!(
            usd(&one(r#"resource "aws_elasticache_replication_group" "a" {
  node_type          = "cache.r5.large"
  num_cache_clusters = 2
}"#)),
            315.36
        );
        assert_eq!(one(r#"resource "aws_s3_bucket" "a" {}"#), Cost::NotModelled);
        assert_eq!(
            one(r#"resource "aws_launch_template" "a" { instance_type = "m5.large" }"#),
            Cost::NotModelled
        );
    }

    #[test]
    fn autoscaling_group_runs_its_template_at_desired_capacity() {
        // 3 × m5.large = $210.24; 3 × 30 GB gp3 × $0.08 = $7.20
        let tf = r#"resource "aws_launch_template" "web" {
  instance_type = "m5.large"
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 30
      volume_type = "gp3"
    }
  }
}
resource "aws_autoscaling_group" "web" {
  CAPACITY
  launch_template {
    id      = aws_launch_template.web.id
    version = "$Latest"
  }
}"#;
        let all = costs(&tf.replace("CAPACITY", "desired_capacity = 3\n  min_size = 1"));
        let (_, asg) = all
            .iter()
            .find(|(a, _)| a == "aws_autoscaling_group.web")
            .unwrap();
        let e = asg.estimate().unwrap();
        assert_eq!(e.components[0].monthly_usd, 210.24);
        assert_eq!(
            e.components[0].basis,
            "m5.large $0.096/h × 730 h × 3 instances, us-east-1 list price, catalog 2026-07 (desired_capacity of `aws_launch_template.web`)"
        );
        assert_eq!(e.components[1].monthly_usd, 7.2);
        // Without a desired capacity AWS starts the minimum size.
        let all = costs(&tf.replace("CAPACITY", "min_size = 2"));
        let asg = &all
            .iter()
            .find(|(a, _)| a == "aws_autoscaling_group.web")
            .unwrap()
            .1;
        assert_eq!(usd(asg), 140.16 + 4.8);
        let all = costs(&tf.replace("CAPACITY", "desired_capacity = var.n").replace(
            "resource \"aws_autoscaling_group\"",
            "variable \"n\" {}\nresource \"aws_autoscaling_group\"",
        ));
        let asg = &all
            .iter()
            .find(|(a, _)| a == "aws_autoscaling_group.web")
            .unwrap()
            .1;
        assert!(why(asg).contains("desired capacity"));
    }

    #[test]
    fn node_pools_times_their_nodes() {
        // EKS: 2 × t3.medium $0.0416 × 730 = $60.74
        let eks = one(r#"resource "aws_eks_node_group" "a" {
  instance_types = ["t3.medium"]
  scaling_config {
    desired_size = 2
    min_size     = 1
    max_size     = 5
  }
}"#);
        assert_eq!(usd(&eks), 60.74);
        // GKE, zonal: 3 × n2-standard-4 $0.194236 × 730 = $425.38
        let gke = |location: &str, extra: &str| {
            one(&format!(
                r#"resource "google_container_node_pool" "a" {{
  location   = "{location}"
  node_count = 3
  {extra}
  node_config {{ machine_type = "n2-standard-4" }}
}}"#
            ))
        };
        assert_eq!(usd(&gke("us-central1-a", "")), 425.38);
        // Regional: the zones are not named, so the count is unknown...
        assert!(why(&gke("us-central1", "")).contains("not fixed"));
        // ...unless they are listed: 3 per zone × 2 zones.
        assert_eq!(
            usd(&gke(
                "us-central1",
                r#"node_locations = ["us-central1-a", "us-central1-b"]"#
            )),
            850.75
        );
        assert!(
            why(&gke(
                "us-central1-a",
                "autoscaling {\n min_node_count = 1\n max_node_count = 3\n }"
            ))
            .contains("not fixed")
        );
        // AKS: 2 × Standard_D4s_v5 $0.192 × 730 = $280.32
        let aks = one(r#"resource "azurerm_kubernetes_cluster_node_pool" "a" {
  vm_size    = "Standard_D4s_v5"
  node_count = 2
}"#);
        assert_eq!(usd(&aks), 280.32);
    }

    #[test]
    fn databases_and_their_storage() {
        // Multi-AZ doubles both: 2 × db.m5.large $0.178 × 730 = $259.88,
        // 2 × 100 GB gp2 × $0.115 = $23.00.
        let db = one(r#"resource "aws_db_instance" "a" {
  engine            = "postgres"
  instance_class    = "db.m5.large"
  allocated_storage = 100
  multi_az          = true
}"#);
        let e = db.estimate().unwrap();
        assert_eq!(e.components[0].monthly_usd, 259.88);
        assert_eq!(e.components[1].monthly_usd, 23.0);
        assert!(
            why(&one(r#"resource "aws_db_instance" "a" {
  engine         = "sqlserver-ee"
  instance_class = "db.m5.large"
}"#))
            .contains("engines")
        );
        assert!(
            why(&one(r#"resource "google_sql_database_instance" "a" {
  settings { tier = "db-custom-2-7680" }
}"#))
            .contains("Cloud SQL")
        );
    }

    #[test]
    fn volumes_as_resources() {
        // The default type is gp2: 500 × $0.10.
        assert_eq!(
            usd(&one(r#"resource "aws_ebs_volume" "a" { size = 500 }"#)),
            50.0
        );
        assert!(
            why(&one(
                r#"resource "aws_ebs_volume" "a" { snapshot_id = "snap-1" }"#
            ))
            .contains("snapshot")
        );
        // pd-standard by default: 200 × $0.04.
        assert_eq!(
            usd(&one(r#"resource "google_compute_disk" "a" { size = 200 }"#)),
            8.0
        );
        assert_eq!(
            usd(&one(r#"resource "azurerm_managed_disk" "a" {
  storage_account_type = "Premium_LRS"
  disk_size_gb         = 1000
}"#)),
            135.17
        );
    }
}
