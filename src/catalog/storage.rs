//! Block storage list prices: EBS and RDS storage per GB-month and
//! provisioned IOPS / throughput, Compute Engine persistent disks per
//! GB-month, Azure managed disks per size tier.

use std::sync::OnceLock;

use super::csv;

const STORAGE_CSV: &str = include_str!("../../rules/catalog/block-storage-prices.csv");

/// What a rate is charged for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    /// Per GB-month of provisioned size.
    Gb,
    /// Per provisioned IOPS-month.
    Iops,
    /// Per provisioned MB/s-month of throughput.
    Mbps,
    /// Per disk-month of a size tier (Azure managed disks).
    Disk,
}

impl Dimension {
    fn parse(text: &str) -> Option<Dimension> {
        match text {
            "gb" => Some(Dimension::Gb),
            "iops" => Some(Dimension::Iops),
            "mbps" => Some(Dimension::Mbps),
            "disk" => Some(Dimension::Disk),
            _ => None,
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct StorageRate {
    /// `aws`, `gcp`, `azure`.
    pub provider: &'static str,
    /// `ebs`, `rds`, `pd`, `regional-pd`, `managed-disk`.
    pub service: &'static str,
    /// As Terraform spells it: `gp3`, `pd-balanced`, `Premium_LRS`.
    pub volume_type: &'static str,
    pub dimension: Dimension,
    /// The quantity included before this rate applies (gp3's 3,000 IOPS).
    pub above: f64,
    /// The last quantity this rate is known for: beyond it the price is
    /// not in the table (io2 above 32,000 IOPS is billed at lower tiers).
    pub up_to: Option<f64>,
    /// USD per unit-month; `None` for a size tier without a known price.
    pub usd_monthly: Option<f64>,
    /// Azure tier name (`P30`) and its size in GiB.
    pub tier: Option<&'static str>,
    pub tier_gib: Option<f64>,
    /// Month the price was last confirmed.
    pub data_date: Option<&'static str>,
    /// Key of the source in `rules/catalog/README.md`.
    pub source: &'static str,
}

fn parse(record: &csv::Record<'_>) -> Option<StorageRate> {
    let tier = record.text("tier")?;
    let data_date = record.text("data_date")?;
    let rate = StorageRate {
        provider: record.name("provider")?,
        service: record.name("service")?,
        volume_type: record.name("volume_type")?,
        dimension: Dimension::parse(record.text("dimension")?)?,
        above: record.number("above")??,
        up_to: record.number("up_to")?,
        usd_monthly: record.positive("usd_monthly")?,
        tier: (!tier.is_empty()).then_some(tier),
        tier_gib: record.positive("tier_gib")?,
        data_date: (!data_date.is_empty()).then_some(data_date),
        source: record.name("source")?,
    };
    // A price without its date, or a tier without its size, is unusable.
    let consistent = rate.usd_monthly.is_some() == rate.data_date.is_some()
        && (rate.dimension == Dimension::Disk) == rate.tier_gib.is_some();
    consistent.then_some(rate)
}

fn rates() -> &'static [StorageRate] {
    static RATES: OnceLock<Vec<StorageRate>> = OnceLock::new();
    RATES.get_or_init(|| {
        csv::Csv::new(STORAGE_CSV)
            .records()
            .filter_map(|r| parse(&r))
            .collect()
    })
}

/// The rate of a volume type for one dimension (`ebs`, `gp3`, `Iops`), as
/// written in the table (volume types are case-sensitive in Terraform
/// except Azure's, which are compared ignoring case).
pub fn storage_rate(
    service: &str,
    volume_type: &str,
    dimension: Dimension,
) -> Option<&'static StorageRate> {
    rates().iter().find(|r| {
        r.service == service
            && r.dimension == dimension
            && r.dimension != Dimension::Disk
            && r.volume_type == volume_type
    })
}

/// Whether the table knows a volume type at all (some of its rates may
/// still be missing).
pub fn storage_type_known(service: &str, volume_type: &str) -> bool {
    rates()
        .iter()
        .any(|r| r.service == service && r.volume_type.eq_ignore_ascii_case(volume_type))
}

/// The size tier an Azure managed disk of `size_gib` is billed as: the
/// smallest tier at least that large. `None` above the largest tier.
pub fn disk_tier(service: &str, volume_type: &str, size_gib: f64) -> Option<&'static StorageRate> {
    rates()
        .iter()
        .filter(|r| {
            r.service == service
                && r.dimension == Dimension::Disk
                && r.volume_type.eq_ignore_ascii_case(volume_type)
        })
        .filter(|r| r.tier_gib.is_some_and(|t| t >= size_gib))
        .min_by(|a, b| {
            let (a, b) = (a.tier_gib.unwrap_or(0.0), b.tier_gib.unwrap_or(0.0));
            a.total_cmp(&b)
        })
}

/// The oldest and newest month of the prices in the table, for footnotes.
pub fn storage_data_dates() -> (&'static str, &'static str) {
    let dates = rates().iter().filter_map(|r| r.data_date);
    let oldest = dates.clone().min().unwrap_or("");
    let newest = dates.max().unwrap_or("");
    (oldest, newest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses() {
        let lines = STORAGE_CSV.lines().filter(|l| !l.trim().is_empty()).count();
        assert_eq!(rates().len(), lines - 1, "a row failed to parse");
        assert_eq!(rates().len(), 64);
    }

    #[test]
    fn ebs_rates() {
        let gp3 = storage_rate("ebs", "gp3", Dimension::Gb).unwrap();
        assert_eq!((gp3.usd_monthly, gp3.above), (Some(0.08), 0.0));
        assert_eq!(gp3.data_date, Some("2026-08"));
        let iops = storage_rate("ebs", "gp3", Dimension::Iops).unwrap();
        assert_eq!((iops.usd_monthly, iops.above), (Some(0.005), 3000.0));
        let io2 = storage_rate("ebs", "io2", Dimension::Iops).unwrap();
        assert_eq!(io2.up_to, Some(32000.0));
        assert_eq!(
            storage_rate("ebs", "gp2", Dimension::Gb)
                .unwrap()
                .usd_monthly,
            Some(0.10)
        );
        assert_eq!(storage_rate("ebs", "gp2", Dimension::Iops), None);
        assert_eq!(storage_rate("ebs", "GP2", Dimension::Gb), None);
        assert_eq!(storage_rate("ebs", "io3", Dimension::Gb), None);
    }

    #[test]
    fn rds_and_persistent_disk_rates() {
        let rds = storage_rate("rds", "io1", Dimension::Iops).unwrap();
        assert_eq!(rds.usd_monthly, Some(0.10));
        assert_eq!(storage_rate("rds", "io2", Dimension::Gb), None);
        let regional = storage_rate("regional-pd", "pd-ssd", Dimension::Gb).unwrap();
        let zonal = storage_rate("pd", "pd-ssd", Dimension::Gb).unwrap();
        assert_eq!(regional.usd_monthly, zonal.usd_monthly.map(|p| p * 2.0));
    }

    #[test]
    fn azure_tiers_round_up() {
        let p4 = disk_tier("managed-disk", "Premium_LRS", 30.0).unwrap();
        assert_eq!((p4.tier, p4.usd_monthly), (Some("P4"), Some(5.28)));
        let p30 = disk_tier("managed-disk", "premium_lrs", 1000.0).unwrap();
        assert_eq!((p30.tier, p30.usd_monthly), (Some("P30"), Some(135.17)));
        // A tier the table has no price for: the disk stays unpriced.
        let p10 = disk_tier("managed-disk", "Premium_LRS", 100.0).unwrap();
        assert_eq!((p10.tier, p10.usd_monthly), (Some("P10"), None));
        // Standard HDD starts at 32 GiB.
        let s4 = disk_tier("managed-disk", "Standard_LRS", 8.0).unwrap();
        assert_eq!(s4.tier, Some("S4"));
        assert_eq!(disk_tier("managed-disk", "Premium_LRS", 40000.0), None);
        assert!(storage_type_known("managed-disk", "standardssd_lrs"));
        assert!(!storage_type_known("managed-disk", "UltraSSD_LRS"));
    }

    #[test]
    fn data_dates() {
        assert_eq!(storage_data_dates(), ("2025-03", "2026-08"));
    }

    #[test]
    fn tiers_are_complete_ladders() {
        for volume_type in ["Premium_LRS", "StandardSSD_LRS", "Standard_LRS"] {
            let mut sizes: Vec<f64> = rates()
                .iter()
                .filter(|r| r.volume_type == volume_type)
                .filter_map(|r| r.tier_gib)
                .collect();
            sizes.sort_by(f64::total_cmp);
            assert_eq!(sizes.last(), Some(&32767.0), "{volume_type}");
            assert!(sizes.windows(2).all(|w| w[0] < w[1]), "{volume_type}");
        }
    }
}
