//! Azure VM sizes and the database SKUs built on them.

use crate::fast::HashMap;
use std::sync::OnceLock;

use super::{Columns, InstanceSpec, ascii_lowercase, derived};

const SIZES_CSV: &str = include_str!("../../rules/catalog/azure-vm-sizes.csv");

const SIZE_COLUMNS: Columns = Columns {
    name: "size",
    family: "sku_family",
    gpus: Some("gpu_count"),
    prices: &["ondemand_linux_usd_hourly_eastus"],
    current_generation: None,
    deprecation: None,
    shared_cpu: None,
};

/// Sizes whose published memory contradicts their own series: the Dlsv7
/// family has 2 GiB per vCPU (D48ls_v7: 96 GiB) and the D96 prices are
/// exactly twice the D48 ones, yet the docs show 384 GiB. Unknown is better
/// than a value that is probably twice too high, and guessing is not ours
/// to do, so their memory is dropped. See `rules/catalog/README.md`.
const MEMORY_ERRATA: &[&str] = &["Standard_D96lds_v7", "Standard_D96ls_v7"];

/// Tier prefixes of `azurerm_postgresql_flexible_server` /
/// `azurerm_mysql_flexible_server` `sku_name`: Burstable, General Purpose,
/// Memory Optimized.
const DB_TIERS: &[&str] = &["b", "gp", "mo"];

/// Keyed by lowercased name: Terraform users write `Standard_D4s_v5`,
/// `standard_d4s_v5` or anything between, and Azure accepts them all.
fn sizes() -> &'static HashMap<String, InstanceSpec> {
    static SIZES: OnceLock<HashMap<String, InstanceSpec>> = OnceLock::new();
    SIZES.get_or_init(|| {
        let mut sizes = SIZE_COLUMNS.load(SIZES_CSV, str::to_ascii_lowercase);
        for name in MEMORY_ERRATA {
            if let Some(spec) = sizes.get_mut(&name.to_ascii_lowercase()) {
                spec.memory_gib = None;
            }
        }
        sizes
    })
}

/// An Azure VM size, case-insensitively (`Standard_D4s_v5`). Price: Linux
/// pay-as-you-go in eastus, dated [`super::AZURE_VM_DATA_DATE`].
pub fn azure_vm(size: &str) -> Option<&'static InstanceSpec> {
    sizes().get(ascii_lowercase(size.trim()).as_ref())
}

/// The sizes of an Azure quota family (`standardDSv5Family`), sorted by
/// name; promotional sizes are left out. Empty for an empty family name.
pub fn azure_vm_family(family: &str) -> Vec<&'static InstanceSpec> {
    if family.is_empty() {
        return Vec::new();
    }
    super::members(sizes().values(), |spec| {
        spec.family == family && !spec.name.ends_with("_Promo")
    })
}

/// A flexible-server database SKU (`GP_Standard_D4s_v3`,
/// `B_Standard_B1ms`, `MO_Standard_E4ds_v4`): the tier prefix names the
/// pricing tier and the rest is the VM size it runs on, which gives vCPU and
/// memory. No price: database compute is billed per vCore at database
/// rates, not at the VM's price.
pub fn azure_db_sku(sku: &str) -> Option<InstanceSpec> {
    let sku = sku.trim();
    let (tier, size) = sku.split_once('_')?;
    if !DB_TIERS.contains(&ascii_lowercase(tier).as_ref()) {
        return None;
    }
    Some(derived(azure_vm(size)?, sku))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_count_matches_the_readme() {
        assert_eq!(sizes().len(), 1731);
    }

    #[test]
    fn sizes_are_case_insensitive() {
        let d4 = azure_vm("Standard_D4s_v5").unwrap();
        assert_eq!((d4.vcpu, d4.memory_gib), (Some(4.0), Some(16.0)));
        assert_eq!(d4.name, "Standard_D4s_v5");
        assert_eq!(d4.family, "standardDSv5Family");
        assert!(d4.hourly_usd.is_some());
        assert_eq!(azure_vm("standard_d4s_v5"), Some(d4));
        assert_eq!(azure_vm("STANDARD_D4S_V5"), Some(d4));
        assert_eq!(azure_vm("Standard_D4s_v99"), None);
    }

    #[test]
    fn zero_and_erroneous_values_are_unknown() {
        assert_eq!(azure_vm("Standard_A0").unwrap().vcpu, None);
        assert_eq!(azure_vm("Standard_B1ls").unwrap().memory_gib, None);
        assert_eq!(azure_vm("Standard_D96ls_v7").unwrap().memory_gib, None);
        assert_eq!(azure_vm("Standard_D96lds_v7").unwrap().memory_gib, None);
        assert_eq!(
            azure_vm("Standard_D48ls_v7").unwrap().memory_gib,
            Some(96.0)
        );
    }

    #[test]
    fn families() {
        let dsv5 = azure_vm_family("standardDSv5Family");
        assert!(dsv5.iter().any(|s| s.name == "Standard_D4s_v5"));
        assert!(dsv5.iter().all(|s| s.family == "standardDSv5Family"));
        assert!(azure_vm_family("").is_empty());
    }

    #[test]
    fn database_skus() {
        let gp = azure_db_sku("GP_Standard_D4s_v3").unwrap();
        assert_eq!((gp.vcpu, gp.memory_gib), (Some(4.0), Some(16.0)));
        assert_eq!(
            (gp.name.as_str(), gp.hourly_usd),
            ("GP_Standard_D4s_v3", None)
        );

        let burstable = azure_db_sku("B_Standard_B1ms").unwrap();
        assert_eq!(
            (burstable.vcpu, burstable.memory_gib),
            (Some(1.0), Some(2.0))
        );

        let memory = azure_db_sku("MO_Standard_E4ds_v4").unwrap();
        assert_eq!(memory.memory_gib, Some(32.0));

        assert!(azure_db_sku("gp_standard_d4s_v3").is_some());
        assert_eq!(azure_db_sku("Standard_D4s_v3"), None, "no tier");
        assert_eq!(azure_db_sku("XX_Standard_D4s_v3"), None);
        assert_eq!(azure_db_sku("GP_Gen5_2"), None, "single-server SKU");
    }
}
