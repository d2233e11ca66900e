//! Where Terraform resources name machine sizes (instance types, machine
//! types, VM sizes, database classes), which catalog knows them, how many
//! machines a resource runs and whether the catalog's list price applies.
//! The sizing rules and the cost model read machines from here, so a cap
//! finding and a cost estimate never disagree.

use std::borrow::Cow;

use crate::catalog::{self, InstanceSpec};
use crate::finding::{Diagnostic, Loc};
use crate::model::references::Wanted;
use crate::model::terraform::{Arg, Module, Nested, Resource};
use crate::terraform::ast::ExprKind;
use crate::terraform::module::Mode;
use crate::terraform::value::Value;

use super::{monthly, usd_rate};

/// The table a size is looked up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Catalog {
    Ec2,
    Rds,
    ElastiCache,
    GcpMachine,
    GcpSqlTier,
    AzureVm,
    AzureDbSku,
}

impl Catalog {
    pub fn lookup(self, name: &str) -> Option<Cow<'static, InstanceSpec>> {
        match self {
            Catalog::Ec2 => catalog::aws_ec2(name).map(Cow::Borrowed),
            Catalog::Rds => catalog::aws_rds(name).map(Cow::Borrowed),
            Catalog::ElastiCache => catalog::aws_elasticache(name).map(Cow::Borrowed),
            Catalog::GcpMachine => catalog::gcp_machine(name),
            Catalog::GcpSqlTier => catalog::gcp_sql_tier(name).map(Cow::Owned),
            Catalog::AzureVm => catalog::azure_vm(name).map(Cow::Borrowed),
            Catalog::AzureDbSku => catalog::azure_db_sku(name).map(Cow::Owned),
        }
    }

    /// Sizes of the same family (and, for Compute Engine, the same shape)
    /// to suggest instead. None for derived specs: a database tier or SKU
    /// name cannot be built from a catalog row safely.
    pub fn family(self, spec: &InstanceSpec) -> Vec<&'static InstanceSpec> {
        match self {
            Catalog::Ec2 => catalog::aws_ec2_family(&spec.family)
                .into_iter()
                .filter(|s| !s.name.contains(".metal"))
                .collect(),
            Catalog::Rds => catalog::aws_rds_family(&spec.family),
            Catalog::ElastiCache => catalog::aws_elasticache_family(&spec.family),
            Catalog::GcpMachine => catalog::gcp_machine_shape(&spec.name),
            // Constrained-vCPU sizes (`E16-4s_v5`) cost as much as their
            // parent: never a way to save.
            Catalog::AzureVm => catalog::azure_vm_family(&spec.family)
                .into_iter()
                .filter(|s| !s.name.contains('-'))
                .collect(),
            Catalog::GcpSqlTier | Catalog::AzureDbSku => Vec::new(),
        }
    }

    /// Month of the prices, for the `price_data_date` property.
    pub fn price_date(self) -> Option<&'static str> {
        match self {
            Catalog::Ec2 => Some(catalog::AWS_EC2_DATA_DATE),
            Catalog::Rds => Some(catalog::AWS_RDS_DATA_DATE),
            Catalog::ElastiCache => Some(catalog::AWS_ELASTICACHE_DATA_DATE),
            Catalog::GcpMachine => Some(catalog::GCP_MACHINE_DATA_DATE),
            Catalog::AzureVm => Some(catalog::AZURE_VM_DATA_DATE),
            Catalog::GcpSqlTier | Catalog::AzureDbSku => None,
        }
    }

    /// The region the catalog's prices are for.
    pub fn price_region(self) -> &'static str {
        match self {
            Catalog::Ec2 | Catalog::Rds | Catalog::ElastiCache => "us-east-1",
            Catalog::GcpMachine | Catalog::GcpSqlTier => "us-central1",
            Catalog::AzureVm | Catalog::AzureDbSku => "eastus",
        }
    }

    /// "an instance type", "a machine type".
    pub fn a_noun(self) -> String {
        let noun = self.noun();
        let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {noun}")
    }

    /// What the provider calls a size.
    pub fn noun(self) -> &'static str {
        match self {
            Catalog::Ec2 => "instance type",
            Catalog::Rds => "instance class",
            Catalog::ElastiCache => "node type",
            Catalog::GcpMachine => "machine type",
            Catalog::GcpSqlTier => "tier",
            Catalog::AzureVm => "VM size",
            Catalog::AzureDbSku => "SKU",
        }
    }
}

/// How many machines of a size a resource runs, when that is fixed in the
/// configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub n: u32,
    /// "nodes", "Multi-AZ instances": for messages when `n > 1`.
    pub noun: &'static str,
}

/// A size named by a resource.
#[derive(Debug, Clone)]
pub struct Machine<'a> {
    /// As written (trimmed).
    pub name: String,
    pub catalog: Catalog,
    /// `None` for a size the catalog does not know: no cap finding.
    pub spec: Option<Cow<'static, InstanceSpec>>,
    pub arg: Arg<'a>,
    /// The value itself: the list element for `instance_types`.
    pub at: Loc,
    /// Normalised path (`instance_types.0`, `node_config.0.machine_type`).
    pub attribute: String,
    /// Whether the catalog's on-demand list price is what this resource
    /// pays: not for spot capacity, Windows licences, Aurora or
    /// licence-included engines.
    pub priced: bool,
    pub count: Option<Count>,
    /// GPUs attached with `guest_accelerator`, counted in `spec.gpus`.
    pub attached_gpus: u32,
}

impl Machine<'_> {
    /// On-demand list price per hour of one machine, where it applies.
    pub fn hourly(&self) -> Option<f64> {
        if self.priced {
            self.spec.as_ref()?.hourly_usd
        } else {
            None
        }
    }

    /// What the resource's machines cost per month, when both the price
    /// and the count are known.
    pub fn monthly_cost(&self) -> Option<f64> {
        let count = self.count.filter(|c| c.n > 0)?;
        Some(monthly(self.hourly()?, count.n))
    }

    /// How the monthly cost is made, for people checking the number:
    /// "m5.large $0.096/h × 730 h × 3 nodes, us-east-1 list price, catalog
    /// 2026-07".
    pub fn basis(&self) -> Option<String> {
        let hourly = self.hourly()?;
        let count = self.count.filter(|c| c.n > 0)?;
        let times = if count.n > 1 {
            format!(" × {} {}", count.n, count.noun)
        } else {
            String::new()
        };
        let date = self
            .catalog
            .price_date()
            .map(|d| format!(", catalog {d}"))
            .unwrap_or_default();
        Some(format!(
            "{} {}/h × 730 h{times}, {} list price{date}",
            self.spec.as_deref().map_or(self.name.as_str(), |s| &s.name),
            usd_rate(hourly),
            self.catalog.price_region(),
        ))
    }

    /// "3 nodes" when the resource runs more than one.
    pub fn count_phrase(&self) -> Option<String> {
        self.count
            .filter(|c| c.n > 1)
            .map(|c| format!("{} {}", c.n, c.noun))
    }

    /// A secondary label where the value was written, when it came
    /// through a variable, a local or a module input.
    pub fn with_origin(&self, d: Diagnostic, r: &Resource<'_>) -> Diagnostic {
        let mut d = d;
        if let Some(origin) = self.arg.origin_elsewhere() {
            d = d.related(origin, format!("`{}` is set here", self.name));
        }
        if let Some(caller) = r.caller() {
            d = d.related(
                caller,
                format!("in module instance `{}` called here", r.module_address()),
            );
        }
        d
    }
}

/// Collects the machines of one resource.
struct Collector<'r, 'a> {
    r: &'r Resource<'a>,
    out: Vec<Machine<'a>>,
}

impl<'a> Collector<'_, 'a> {
    fn push(
        &mut self,
        arg: Arg<'a>,
        value: &Value,
        at: Loc,
        attribute: String,
        catalog: Catalog,
        (priced, count): (bool, Option<Count>),
    ) {
        let Some(name) = value.as_str().map(str::trim) else {
            return;
        };
        self.out.push(Machine {
            name: name.to_owned(),
            catalog,
            spec: catalog.lookup(name),
            arg,
            at,
            attribute,
            priced,
            count,
            attached_gpus: 0,
        });
    }

    /// A top-level argument.
    fn attr(&mut self, name: &str, catalog: Catalog, pricing: (bool, Option<Count>)) {
        if let Some(arg) = self.r.attr(name) {
            let value = arg.value.clone();
            let at = arg.loc();
            self.push(arg, &value, at, name.to_owned(), catalog, pricing);
        }
    }

    /// An argument of a nested block.
    fn nested(
        &mut self,
        nested: &Nested<'a>,
        name: &str,
        catalog: Catalog,
        pricing: (bool, Option<Count>),
    ) {
        if let Some(arg) = self.r.nested_attr(nested, name) {
            let value = arg.value.clone();
            let at = arg.loc();
            let attribute = format!("{}.{name}", nested.path);
            self.push(arg, &value, at, attribute, catalog, pricing);
        }
    }

    /// Compute Engine GPUs attached with `guest_accelerator` blocks: the
    /// catalog has no GPU counts for Google Cloud, and a known count is at
    /// least what the machine has.
    fn accelerators(&mut self, blocks: &[Nested<'a>]) {
        let gpus: u32 = blocks
            .iter()
            .filter_map(|b| whole(self.r.nested_attr(b, "count")))
            .sum();
        let Some(last) = self.out.last_mut() else {
            return;
        };
        if let Some(spec) = last.spec.as_mut() {
            if gpus > spec.gpus.unwrap_or(0) {
                spec.to_mut().gpus = Some(gpus);
                last.attached_gpus = gpus;
                // The machine's price leaves the GPUs out.
                last.priced = false;
            }
        }
    }

    /// Each element of a list argument, pointing at the element when the
    /// list is written out.
    fn list(&mut self, name: &str, catalog: Catalog, pricing: (bool, Option<Count>)) {
        let Some(arg) = self.r.attr(name) else { return };
        let Some(items) = arg.value.as_list() else {
            return;
        };
        let written = match &arg.attr.expr.kind {
            ExprKind::Array(elements) if elements.len() == items.len() => Some(elements),
            _ => None,
        };
        for (i, item) in items.iter().enumerate() {
            let at = written
                .and_then(|elements| elements.get(i))
                .map_or(arg.loc(), |e| Loc::new(arg.file, e.span));
            self.push(
                arg.clone(),
                item,
                at,
                format!("{name}.{i}"),
                catalog,
                pricing,
            );
        }
    }
}

/// The value of an optional argument.
pub enum Known {
    Absent,
    Unknown,
    Value(Value),
}

pub fn known(arg: Option<Arg<'_>>) -> Known {
    match arg {
        None => Known::Absent,
        Some(arg) => match arg.value {
            Value::Null => Known::Absent,
            Value::Unknown => Known::Unknown,
            value => Known::Value(value),
        },
    }
}

/// Absent, or one of `values` (case-insensitively).
pub fn absent_or(arg: Option<Arg<'_>>, values: &[&str]) -> bool {
    match known(arg) {
        Known::Absent => true,
        Known::Unknown => false,
        Known::Value(v) => v
            .to_tf_string()
            .is_some_and(|s| values.iter().any(|x| x.eq_ignore_ascii_case(&s))),
    }
}

/// Absent or known `false`.
pub fn absent_or_false(arg: Option<Arg<'_>>) -> bool {
    match known(arg) {
        Known::Absent => true,
        Known::Unknown => false,
        Known::Value(v) => v.as_bool() == Some(false),
    }
}

/// A known whole number of machines.
pub fn whole(arg: Option<Arg<'_>>) -> Option<u32> {
    let n = arg?.value.as_f64()?;
    (n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX)).then_some(n as u32)
}

fn one(noun: &'static str) -> Option<Count> {
    Some(Count { n: 1, noun })
}

fn counted(n: Option<u32>, noun: &'static str) -> Option<Count> {
    n.map(|n| Count { n, noun })
}

/// Compute: instances, templates, node groups and pools, scale sets.
pub fn compute<'a>(r: &Resource<'a>) -> Vec<Machine<'a>> {
    let mut c = Collector { r, out: Vec::new() };
    match r.rtype {
        "aws_instance" => {
            // Dedicated tenancy is billed above the shared-tenancy price.
            let on_demand = r.blocks("instance_market_options").is_empty()
                && absent_or(r.attr("tenancy"), &["default"]);
            c.attr("instance_type", Catalog::Ec2, (on_demand, one("instances")));
        }
        // Billed at the spot price, which the catalog does not hold.
        "aws_spot_instance_request" => c.attr("instance_type", Catalog::Ec2, (false, None)),
        // Templates run nothing by themselves: no count.
        "aws_launch_template" => {
            let on_demand = r.blocks("instance_market_options").is_empty();
            c.attr("instance_type", Catalog::Ec2, (on_demand, None));
        }
        "aws_launch_configuration" => {
            let on_demand = absent_or(r.attr("spot_price"), &[]);
            c.attr("instance_type", Catalog::Ec2, (on_demand, None));
        }
        "aws_eks_node_group" => {
            let on_demand = absent_or(r.attr("capacity_type"), &["ON_DEMAND"]);
            let single = r
                .attr("instance_types")
                .is_some_and(|a| a.value.as_list().is_some_and(|l| l.len() == 1));
            let desired = r
                .blocks("scaling_config")
                .first()
                .and_then(|s| whole(r.nested_attr(s, "desired_size")));
            let count = if single {
                counted(desired, "nodes")
            } else {
                None
            };
            c.list("instance_types", Catalog::Ec2, (on_demand, count));
        }
        "aws_autoscaling_group" => {
            for policy in r.blocks("mixed_instances_policy") {
                // The on-demand share defaults to 100%.
                let on_demand = r
                    .nested_blocks(&policy, "instances_distribution")
                    .iter()
                    .all(|d| {
                        let share = r.nested_attr(d, "on_demand_percentage_above_base_capacity");
                        share.is_none() || share.and_then(|s| s.value.as_f64()) == Some(100.0)
                    });
                for template in r.nested_blocks(&policy, "launch_template") {
                    for over in r.nested_blocks(&template, "override") {
                        c.nested(&over, "instance_type", Catalog::Ec2, (on_demand, None));
                    }
                }
            }
        }
        "google_compute_instance" => {
            let on_demand = gce_on_demand(r, &r.blocks("scheduling"));
            c.attr(
                "machine_type",
                Catalog::GcpMachine,
                (on_demand, one("instances")),
            );
            c.accelerators(&r.blocks("guest_accelerator"));
        }
        "google_compute_instance_template" | "google_compute_region_instance_template" => {
            let on_demand = gce_on_demand(r, &r.blocks("scheduling"));
            c.attr("machine_type", Catalog::GcpMachine, (on_demand, None));
            c.accelerators(&r.blocks("guest_accelerator"));
        }
        "google_container_node_pool" => {
            let count = gke_nodes(
                r.attr("node_count"),
                r.attr("node_locations"),
                r.attr("location"),
                !r.blocks("autoscaling").is_empty(),
            );
            for config in r.blocks("node_config") {
                node_config(&mut c, &config, count);
            }
        }
        "google_container_cluster" => {
            // The default pool is deleted right after creation.
            if absent_or_false(r.attr("remove_default_node_pool")) {
                let count = gke_nodes(
                    r.attr("initial_node_count"),
                    r.attr("node_locations"),
                    r.attr("location"),
                    !r.blocks("cluster_autoscaling").is_empty(),
                );
                for config in r.blocks("node_config") {
                    node_config(&mut c, &config, count);
                }
            }
            for pool in r.blocks("node_pool") {
                let count = gke_nodes(
                    r.nested_attr(&pool, "node_count"),
                    r.nested_attr(&pool, "node_locations")
                        .or_else(|| r.attr("node_locations")),
                    r.attr("location"),
                    !r.nested_blocks(&pool, "autoscaling").is_empty(),
                );
                for config in r.nested_blocks(&pool, "node_config") {
                    node_config(&mut c, &config, count);
                }
            }
        }
        "azurerm_linux_virtual_machine" => {
            let on_demand = absent_or(r.attr("priority"), &["Regular"]);
            c.attr("size", Catalog::AzureVm, (on_demand, one("instances")));
        }
        // Windows pays a licence on top of the Linux price in the catalog.
        "azurerm_windows_virtual_machine" => {
            c.attr("size", Catalog::AzureVm, (false, one("instances")));
        }
        "azurerm_virtual_machine" => c.attr("vm_size", Catalog::AzureVm, (false, one("instances"))),
        "azurerm_linux_virtual_machine_scale_set" => {
            let on_demand = absent_or(r.attr("priority"), &["Regular"]);
            let count = counted(whole(r.attr("instances")), "instances");
            c.attr("sku", Catalog::AzureVm, (on_demand, count));
        }
        "azurerm_windows_virtual_machine_scale_set" => {
            let count = counted(whole(r.attr("instances")), "instances");
            c.attr("sku", Catalog::AzureVm, (false, count));
        }
        "azurerm_orchestrated_virtual_machine_scale_set" => {
            let count = counted(whole(r.attr("instances")), "instances");
            c.attr("sku_name", Catalog::AzureVm, (false, count));
        }
        "azurerm_kubernetes_cluster" => {
            for pool in r.blocks("default_node_pool") {
                let count = aks_nodes(|name| r.nested_attr(&pool, name));
                c.nested(&pool, "vm_size", Catalog::AzureVm, (true, count));
            }
        }
        "azurerm_kubernetes_cluster_node_pool" => {
            let on_demand = absent_or(r.attr("priority"), &["Regular"])
                && absent_or(r.attr("os_type"), &["Linux"]);
            let count = aks_nodes(|name| r.attr(name));
            c.attr("vm_size", Catalog::AzureVm, (on_demand, count));
        }
        _ => {}
    }
    c.out
}

/// Spot and preemptible VMs are billed at other rates.
pub fn gce_on_demand(r: &Resource<'_>, scheduling: &[Nested<'_>]) -> bool {
    scheduling.iter().all(|s| {
        absent_or_false(r.nested_attr(s, "preemptible"))
            && absent_or(r.nested_attr(s, "provisioning_model"), &["STANDARD"])
    })
}

/// The machines of a GKE node pool.
fn node_config<'a>(c: &mut Collector<'_, 'a>, config: &Nested<'a>, count: Option<Count>) {
    let r = c.r;
    let on_demand = absent_or_false(r.nested_attr(config, "spot"))
        && absent_or_false(r.nested_attr(config, "preemptible"));
    c.nested(
        config,
        "machine_type",
        Catalog::GcpMachine,
        (on_demand, count),
    );
    c.accelerators(&r.nested_blocks(config, "guest_accelerator"));
}

/// The nodes of a GKE pool when they are fixed: the count is per zone, so
/// the zones must be known too (the listed `node_locations`, or the one
/// zone of a zonal location). A regional pool without `node_locations`
/// runs in zones the configuration does not name, and an autoscaled pool
/// has no fixed count.
fn gke_nodes<'a>(
    per_zone: Option<Arg<'a>>,
    node_locations: Option<Arg<'a>>,
    location: Option<Arg<'a>>,
    autoscaled: bool,
) -> Option<Count> {
    if autoscaled {
        return None;
    }
    let per_zone = whole(per_zone)?;
    let zones = match known(node_locations) {
        Known::Value(list) => u32::try_from(list.as_list()?.len()).ok()?,
        Known::Unknown => return None,
        Known::Absent => {
            let location = location?.value.to_tf_string()?;
            if !is_gcp_zone(&location) {
                return None;
            }
            1
        }
    };
    counted(per_zone.checked_mul(zones), "nodes")
}

/// `us-central1-a`: a region followed by a one-letter zone suffix.
fn is_gcp_zone(location: &str) -> bool {
    location.rsplit_once('-').is_some_and(|(region, zone)| {
        zone.len() == 1
            && zone.bytes().all(|b| b.is_ascii_lowercase())
            && region.bytes().last().is_some_and(|b| b.is_ascii_digit())
    })
}

/// The catalog's ElastiCache prices are Redis OSS / Memcached node-hours;
/// Valkey is billed lower. Replication groups default to Redis.
fn cache_engine_priced(r: &Resource<'_>) -> bool {
    absent_or(r.attr("engine"), &["redis", "memcached"])
}

/// The fixed node count of an AKS pool, unless it autoscales
/// (`auto_scaling_enabled` in azurerm 4, `enable_auto_scaling` before).
fn aks_nodes<'a>(attr: impl Fn(&str) -> Option<Arg<'a>>) -> Option<Count> {
    let fixed = absent_or_false(attr("auto_scaling_enabled"))
        && absent_or_false(attr("enable_auto_scaling"));
    if !fixed {
        return None;
    }
    counted(whole(attr("node_count")), "nodes")
}

/// Databases and caches.
pub fn databases<'a>(r: &Resource<'a>) -> Vec<Machine<'a>> {
    let mut c = Collector { r, out: Vec::new() };
    match r.rtype {
        "aws_db_instance" => {
            // The catalog's price is the open-source engines' one.
            let priced = matches!(
                known(r.attr("engine")),
                Known::Value(Value::String(ref e)) if matches!(e.as_str(), "postgres" | "mysql" | "mariadb")
            );
            let count = match known(r.attr("multi_az")) {
                Known::Absent => one("instances"),
                Known::Value(v) if v.as_bool() == Some(false) => one("instances"),
                Known::Value(v) if v.as_bool() == Some(true) => Some(Count {
                    n: 2,
                    noun: "Multi-AZ instances",
                }),
                _ => None,
            };
            c.attr("instance_class", Catalog::Rds, (priced, count));
        }
        // Aurora is priced apart from RDS; the catalog has no Aurora rates.
        "aws_rds_cluster_instance" => c.attr("instance_class", Catalog::Rds, (false, None)),
        "aws_elasticache_cluster" => {
            let count = counted(whole(r.attr("num_cache_nodes")), "nodes");
            c.attr(
                "node_type",
                Catalog::ElastiCache,
                (cache_engine_priced(r), count),
            );
        }
        "aws_elasticache_replication_group" => {
            let count = whole(r.attr("num_cache_clusters")).or_else(|| {
                let groups = whole(r.attr("num_node_groups"))?;
                let replicas = whole(r.attr("replicas_per_node_group"))?;
                groups.checked_mul(replicas.checked_add(1)?)
            });
            c.attr(
                "node_type",
                Catalog::ElastiCache,
                (cache_engine_priced(r), counted(count, "nodes")),
            );
        }
        "google_sql_database_instance" => {
            for settings in r.blocks("settings") {
                c.nested(&settings, "tier", Catalog::GcpSqlTier, (false, None));
            }
        }
        t if t.starts_with("azurerm_") && t.ends_with("_flexible_server") => {
            c.attr("sku_name", Catalog::AzureDbSku, (false, None));
        }
        _ => {}
    }
    c.out
}

/// What an `aws_autoscaling_group` runs, read from the launch template or
/// launch configuration it names in the module.
pub struct AsgFleet<'m, 'a> {
    /// The launch template or configuration, when it is in the module.
    pub template: Option<&'m Resource<'a>>,
    /// The machine, when the group runs one known size; priced only when
    /// all its capacity is on demand, and counted by `desired`.
    pub machine: Option<Machine<'a>>,
    /// Whether all its capacity is on demand; `None` when that cannot be
    /// told.
    pub on_demand: Option<bool>,
    /// `desired_capacity`, else `min_size` (where a group starts), when
    /// known.
    pub desired: Option<u32>,
}

/// Arguments of an autoscaling group that name its template.
const ASG_TEMPLATE_PATHS: [&str; 5] = [
    "launch_template.id",
    "launch_template.name",
    "launch_configuration",
    "mixed_instances_policy.launch_template.launch_template_specification.launch_template_id",
    "mixed_instances_policy.launch_template.launch_template_specification.launch_template_name",
];

pub fn asg_fleet<'m, 'a>(module: &'m Module<'a>, r: &Resource<'a>) -> AsgFleet<'m, 'a> {
    let mut templates: Vec<&'m Resource<'a>> = Vec::new();
    let wanted = Wanted {
        paths: Some(&ASG_TEMPLATE_PATHS),
        target: &|mode, rtype| {
            mode == Mode::Managed
                && matches!(rtype, "aws_launch_template" | "aws_launch_configuration")
        },
        memo: None,
    };
    for reference in r.references_wanted(wanted) {
        let t = &reference.target;
        if t.mode != Mode::Managed
            || !ASG_TEMPLATE_PATHS.contains(&reference.path.as_str())
            || !matches!(
                t.rtype.as_str(),
                "aws_launch_template" | "aws_launch_configuration"
            )
        {
            continue;
        }
        for c in module.find(t.instance, &t.rtype, &t.name) {
            let keyed = t.key.as_ref().is_none_or(|k| c.has_key(k));
            if keyed && !templates.iter().any(|x| x.address == c.address) {
                templates.push(c);
            }
        }
    }
    // Several candidates (a template per instance, a conditional): which
    // one applies is not known.
    let template = match templates.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    let policies = r.blocks("mixed_instances_policy");
    let on_demand = match policies.first() {
        Some(policy) => {
            let shares: Vec<Known> = r
                .nested_blocks(policy, "instances_distribution")
                .iter()
                .map(|d| known(r.nested_attr(d, "on_demand_percentage_above_base_capacity")))
                .collect();
            // The on-demand share above the base defaults to 100%.
            let mut all = Some(true);
            for share in shares {
                match share {
                    Known::Absent => {}
                    Known::Value(v) if v.as_f64() == Some(100.0) => {}
                    Known::Value(v) if v.as_f64().is_some() => all = Some(false),
                    _ => all = None,
                }
            }
            all
        }
        None => template.and_then(|t| match t.rtype {
            "aws_launch_template" => match t.blocks("instance_market_options").first() {
                None => Some(true),
                Some(m) => match known(t.nested_attr(m, "market_type")) {
                    Known::Value(Value::String(s)) if s == "spot" => Some(false),
                    _ => None,
                },
            },
            _ => match known(t.attr("spot_price")) {
                Known::Absent => Some(true),
                Known::Value(_) => Some(false),
                Known::Unknown => None,
            },
        }),
    };
    let desired = match known(r.attr("desired_capacity")) {
        Known::Absent => whole(r.attr("min_size")),
        Known::Value(_) => whole(r.attr("desired_capacity")),
        Known::Unknown => None,
    };
    // Overrides in a mixed-instances policy replace the template's type.
    let overrides: Vec<Machine<'a>> = compute(r);
    let machine = match overrides.as_slice() {
        [] => template.and_then(|t| {
            compute(t)
                .into_iter()
                .find(|m| m.attribute == "instance_type")
        }),
        [first, rest @ ..] if rest.iter().all(|m| m.name == first.name) => Some(first.clone()),
        _ => None,
    };
    let machine = machine.map(|mut m| {
        m.priced = m.priced && on_demand == Some(true);
        m.count = desired.map(|n| Count {
            n,
            noun: "instances",
        });
        m
    });
    AsgFleet {
        template,
        machine,
        on_demand,
        desired,
    }
}
