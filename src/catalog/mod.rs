//! Offline reference data: instance sizes and prices, regions, and which
//! Terraform resources take tags or labels.
//!
//! The tables live in `rules/catalog/` (see its README for columns, sources
//! and caveats) and are compiled in, so a lint run never touches the network
//! or the file system for them. Each table is parsed once, on first use, into
//! hash maps: rules look things up per resource, on modules with thousands of
//! resources.

mod aws;
mod azure;
mod csv;
mod gcp;
mod regions;
mod storage;
mod taggable;

use crate::fast::HashMap;
use std::borrow::Cow;

pub use aws::{
    aws_ec2, aws_ec2_family, aws_elasticache, aws_elasticache_family, aws_rds, aws_rds_family,
    ec2_successor, ec2_successor_type, elasticache_successor, elasticache_successor_type,
    previous_generation_ec2, previous_generation_ec2_family, previous_generation_elasticache,
    previous_generation_rds_class, rds_successor, rds_successor_type,
};
pub use azure::{azure_db_sku, azure_vm, azure_vm_family};
pub use gcp::{gcp_deprecated_successor, gcp_machine, gcp_machine_shape, gcp_sql_tier};
pub use regions::{
    Provider, Region, aws_transfer_price, aws_transfer_price_between, gcp_location_regions, region,
    regions, zone_to_region,
};
pub use storage::{
    Dimension, StorageRate, disk_tier, storage_data_dates, storage_rate, storage_type_known,
};
pub use taggable::{aws_taggable, azurerm_taggable, google_labelable};

/// Month of the EC2 prices (us-east-1); shown next to estimates because
/// prices drift.
pub const AWS_EC2_DATA_DATE: &str = "2026-07";
/// Month of the RDS prices: the newest public table is this old, so RDS
/// estimates deserve the loudest date.
pub const AWS_RDS_DATA_DATE: &str = "2022-01";
/// Month of the ElastiCache prices; types launched since have no price.
pub const AWS_ELASTICACHE_DATA_DATE: &str = "2022-02";
/// Month of the Compute Engine prices (us-central1).
pub const GCP_MACHINE_DATA_DATE: &str = "2026-07";
/// Month of the Azure VM prices (eastus).
pub const AZURE_VM_DATA_DATE: &str = "2026-06";
/// Month the region list was gathered.
pub const CLOUD_REGIONS_DATA_DATE: &str = "2026-08";
/// Month of the AWS inter-region transfer prices, older than the region list.
pub const AWS_TRANSFER_DATA_DATE: &str = "2023-04";
/// Month of the hashicorp/aws schema behind the taggable list.
pub const AWS_TAGGABLE_DATA_DATE: &str = "2026-08";
/// Month of the hashicorp/google schema behind the labelable list.
pub const GOOGLE_LABELABLE_DATA_DATE: &str = "2026-08";
/// Month of the hashicorp/azurerm schema behind the taggable list.
pub const AZURERM_TAGGABLE_DATA_DATE: &str = "2026-08";

/// The month every cloud bills by: 365 × 24 / 12. Used to turn the hourly
/// list prices into the monthly figures users budget with.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// One machine size, the same shape for every provider so rules can compare
/// sizes without knowing where they came from. `None` means the source did
/// not say; rules must not read it as zero.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceSpec {
    /// As the provider spells it (`m5.large`, `db.r6g.xlarge`,
    /// `Standard_D4s_v5`), or as written by the user for derived specs
    /// (custom machine types, Cloud SQL tiers, database SKUs).
    pub name: String,
    /// The part rules reason about for generations and successors: the AWS
    /// family (`m5`), the GCP series (`n2`), the Azure quota family
    /// (`standardDSv5Family`, empty when unknown).
    pub family: String,
    pub vcpu: Option<f64>,
    pub memory_gib: Option<f64>,
    /// GPUs only: AI accelerators and FPGAs are not counted.
    pub gpus: Option<u32>,
    /// On-demand list price in the catalog's price region; see the
    /// `*_DATA_DATE` constant of the lookup that returned it.
    pub hourly_usd: Option<f64>,
    /// `false` only where the source says "previous generation" (AWS);
    /// other providers have no such flag.
    pub current_generation: bool,
    /// GCP `deprecation_state` is `deprecated` or `obsolete`: the type may
    /// stop being available.
    pub deprecated: bool,
    /// Shared-core GCP type: `vcpu` counts burst vCPUs, the sustained share
    /// is a fraction of one.
    pub shared_cpu: bool,
}

/// The columns of one instance table, so every provider is parsed by the
/// same code and validated the same way.
struct Columns {
    name: &'static str,
    family: &'static str,
    gpus: Option<&'static str>,
    /// Price columns in order of preference: the first non-empty one wins.
    prices: &'static [&'static str],
    current_generation: Option<&'static str>,
    deprecation: Option<&'static str>,
    shared_cpu: Option<&'static str>,
}

impl Columns {
    /// `None` for a malformed row: any cell that does not parse rejects the
    /// whole row, so a shifted or corrupted row cannot yield wrong numbers.
    fn parse(&self, record: &csv::Record<'_>) -> Option<InstanceSpec> {
        let mut hourly_usd = None;
        for column in self.prices {
            hourly_usd = hourly_usd.or(record.positive(column)?);
        }
        let deprecated = match self.deprecation {
            Some(column) => match record.text(column)? {
                "" => false,
                "deprecated" | "obsolete" => true,
                _ => return None,
            },
            None => false,
        };
        Some(InstanceSpec {
            name: record.name(self.name)?.to_owned(),
            family: record.text(self.family)?.to_owned(),
            vcpu: record.positive("vcpu")?,
            memory_gib: record.positive("memory_gib")?,
            gpus: match self.gpus {
                Some(column) => record.count(column)?,
                None => None,
            },
            hourly_usd,
            current_generation: match self.current_generation {
                Some(column) => record.flag(column)?,
                None => true,
            },
            deprecated,
            shared_cpu: match self.shared_cpu {
                Some(column) => record.flag(column)?,
                None => false,
            },
        })
    }

    /// Parses an embedded table into a map keyed by `key(name)`.
    fn load(&self, text: &'static str, key: fn(&str) -> String) -> HashMap<String, InstanceSpec> {
        let csv = csv::Csv::new(text);
        csv.records()
            .filter_map(|record| self.parse(&record))
            .map(|spec| (key(&spec.name), spec))
            .collect()
    }
}

/// The specs that satisfy `keep`, sorted by name so that callers get the
/// same answer on every run (the tables are hash maps).
fn members<'a>(
    specs: impl Iterator<Item = &'a InstanceSpec>,
    keep: impl Fn(&InstanceSpec) -> bool,
) -> Vec<&'a InstanceSpec> {
    let mut out: Vec<&InstanceSpec> = specs.filter(|spec| keep(spec)).collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Lowercases only when needed, so lookups of already-canonical names do
/// not allocate.
fn ascii_lowercase(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// A derived spec (custom type, database tier or SKU) keeps the size of the
/// machine it maps to but has its own name and no price: the table's price
/// is for something else.
fn derived(base: &InstanceSpec, name: &str) -> InstanceSpec {
    InstanceSpec {
        name: name.to_owned(),
        hourly_usd: None,
        ..base.clone()
    }
}

#[cfg(test)]
mod tests {
    const TABLES: [(&str, &str); 7] = [
        (
            "aws-ec2-instance-types.csv",
            include_str!("../../rules/catalog/aws-ec2-instance-types.csv"),
        ),
        (
            "aws-rds-instance-classes.csv",
            include_str!("../../rules/catalog/aws-rds-instance-classes.csv"),
        ),
        (
            "aws-elasticache-node-types.csv",
            include_str!("../../rules/catalog/aws-elasticache-node-types.csv"),
        ),
        (
            "gcp-machine-types.csv",
            include_str!("../../rules/catalog/gcp-machine-types.csv"),
        ),
        (
            "azure-vm-sizes.csv",
            include_str!("../../rules/catalog/azure-vm-sizes.csv"),
        ),
        (
            "cloud-regions.csv",
            include_str!("../../rules/catalog/cloud-regions.csv"),
        ),
        (
            "block-storage-prices.csv",
            include_str!("../../rules/catalog/block-storage-prices.csv"),
        ),
    ];

    /// The splitter does not implement quoting; this keeps that safe.
    #[test]
    fn tables_have_no_quoted_fields() {
        for (name, text) in TABLES {
            assert!(!text.contains('"'), "{name} has a quoted field");
        }
    }

    #[test]
    fn hours_per_month() {
        assert_eq!(super::HOURS_PER_MONTH, 365.0 * 24.0 / 12.0);
    }
}
