//! Compute Engine machine types, including custom ones, and Cloud SQL tiers.

use crate::fast::{HashMap, HashSet};
use std::borrow::Cow;
use std::sync::OnceLock;

use super::{Columns, InstanceSpec, derived};

const MACHINES_CSV: &str = include_str!("../../rules/catalog/gcp-machine-types.csv");

const MACHINE_COLUMNS: Columns = Columns {
    name: "machine_type",
    family: "series",
    gpus: None,
    prices: &["ondemand_usd_hourly_us_central1"],
    current_generation: None,
    deprecation: Some("deprecation_state"),
    shared_cpu: Some("shared_cpu"),
};

const MIB_PER_GIB: f64 = 1024.0;

/// Deprecated machine types -> the type Google Cloud renamed them to, with
/// the same vCPUs and memory: the N1 memory-optimized types became M1, and
/// the first Z3 types gained the local-SSD suffix of their size. The
/// obsolete m2-ultramem2x-96 / m2-ultramemx-96 have no like-for-like type.
const DEPRECATED_SUCCESSORS: &[(&str, &str)] = &[
    ("n1-megamem-96", "m1-megamem-96"),
    ("n1-ultramem-40", "m1-ultramem-40"),
    ("n1-ultramem-80", "m1-ultramem-80"),
    ("n1-ultramem-160", "m1-ultramem-160"),
    ("z3-highmem-88", "z3-highmem-88-highlssd"),
    ("z3-highmem-176", "z3-highmem-176-standardlssd"),
];

struct Machines {
    types: HashMap<String, InstanceSpec>,
    /// Series prefixes (`n2`, `e2`, ...), so `<series>-custom-…` is only
    /// accepted for a series that exists.
    series: HashSet<String>,
}

/// Accelerator-optimized series, whose machine types come with GPUs
/// attached (how many is not in the table). Every other series has none of
/// its own: GPUs are added with `guest_accelerator`, and TPUs are not GPUs.
const GPU_SERIES: &[&str] = &["a2", "a3", "a4", "a4x", "g2", "g4"];

/// Zero GPUs where the series has none, unknown where it bundles some.
fn gpus_of(series: &str) -> Option<u32> {
    (!GPU_SERIES.contains(&series)).then_some(0)
}

fn machines() -> &'static Machines {
    static MACHINES: OnceLock<Machines> = OnceLock::new();
    MACHINES.get_or_init(|| {
        let mut types = MACHINE_COLUMNS.load(MACHINES_CSV, str::to_owned);
        for spec in types.values_mut() {
            spec.gpus = gpus_of(&spec.family);
        }
        let series = types.values().map(|spec| spec.family.clone()).collect();
        Machines { types, series }
    })
}

/// A Compute Engine machine type: a predefined one (`n2-standard-4`,
/// borrowed from the catalog with its us-central1 price, dated
/// [`super::GCP_MACHINE_DATA_DATE`]) or a custom one read from its name
/// (`custom-4-16384`, `n2-custom-4-16384-ext`, `e2-custom-small-4096`),
/// without a price: custom types are billed per vCPU and GiB at rates the
/// catalog does not hold. Accepts the last segment of a self link
/// (`zones/us-central1-a/machineTypes/n2-standard-4`).
pub fn gcp_machine(machine_type: &str) -> Option<Cow<'static, InstanceSpec>> {
    let name = machine_type.trim().rsplit('/').next()?;
    match machines().types.get(name) {
        Some(spec) => Some(Cow::Borrowed(spec)),
        None => custom_machine(name).map(Cow::Owned),
    }
}

/// The current type to use instead of a deprecated one
/// (`n1-ultramem-40` -> `m1-ultramem-40`).
pub fn gcp_deprecated_successor(machine_type: &str) -> Option<&'static InstanceSpec> {
    let name = machine_type.trim().rsplit('/').next()?;
    let (_, new) = DEPRECATED_SUCCESSORS.iter().find(|(old, _)| *old == name)?;
    machines().types.get(*new)
}

/// The predefined types of the same series and shape as `machine_type`
/// (`n2-standard-*` for `n2-standard-64`, `c3-standard-*-lssd` for
/// `c3-standard-8-lssd`), deprecated ones left out, sorted by name.
pub fn gcp_machine_shape(machine_type: &str) -> Vec<&'static InstanceSpec> {
    let Some(name) = machine_type.trim().rsplit('/').next() else {
        return Vec::new();
    };
    let shape = shape_of(name);
    super::members(machines().types.values(), |spec| {
        !spec.deprecated && shape_of(&spec.name) == shape
    })
}

/// The name without its all-digit segments: `n2-standard-4` ->
/// `n2-standard`, `c3-standard-8-lssd` -> `c3-standard-lssd`.
fn shape_of(name: &str) -> String {
    name.split('-')
        .filter(|part| !part.bytes().all(|b| b.is_ascii_digit()))
        .collect::<Vec<_>>()
        .join("-")
}

/// `custom-CPUS-MIB` (N1) or `SERIES-custom-CPUS-MIB`, optionally with
/// `-ext` (extended memory, same naming). E2 shared-core custom types put
/// `micro`/`small`/`medium` in place of the vCPU count; like the predefined
/// e2-micro they burst to 2 vCPUs. Whether the series actually offers
/// custom shapes is the API's concern; the name alone fixes the size.
fn custom_machine(name: &str) -> Option<InstanceSpec> {
    let (series, shape) = match name.strip_prefix("custom-") {
        Some(shape) => ("n1", shape),
        None => name.split_once("-custom-")?,
    };
    if !machines().series.contains(series) {
        return None;
    }
    let shape = shape.strip_suffix("-ext").unwrap_or(shape);
    let (cpus, mib) = shape.split_once('-')?;
    let shared_cpu = series == "e2" && matches!(cpus, "micro" | "small" | "medium");
    let vcpu = if shared_cpu { 2 } else { positive(cpus)? };
    let mut spec = from_shape(name, series, vcpu, positive(mib)?);
    spec.shared_cpu = shared_cpu;
    Some(spec)
}

/// The spec of a shape given by the user: size only, since a custom shape
/// has no list price of its own in the catalog.
fn from_shape(name: &str, family: &str, vcpu: u32, mib: u32) -> InstanceSpec {
    InstanceSpec {
        name: name.to_owned(),
        family: family.to_owned(),
        vcpu: Some(f64::from(vcpu)),
        memory_gib: Some(f64::from(mib) / MIB_PER_GIB),
        gpus: gpus_of(family),
        hourly_usd: None,
        current_generation: true,
        deprecated: false,
        shared_cpu: false,
    }
}

/// A whole number above zero, digits only (no sign, no spaces).
fn positive(text: &str) -> Option<u32> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|n| *n > 0)
}

/// A Cloud SQL tier (`google_sql_database_instance.settings.tier`), sized
/// from the machine it runs on. No price: Cloud SQL bills its own rates,
/// not the machine's.
///
/// - `db-custom-CPUS-MIB`: read from the name (family `custom`).
/// - `db-n1-standard-N`, `db-n1-highmem-N`, `db-f1-micro`, `db-g1-small`:
///   the machine type of the same name (the last two are shared-core).
/// - `db-perf-optimized-N-CPUS` (Enterprise Plus, N2 series): Cloud SQL's
///   "Machine series overview" gives 8 GB per vCPU up to 96 vCPUs and 864 GB
///   at 128, which is exactly `n2-highmem-CPUS`.
pub fn gcp_sql_tier(tier: &str) -> Option<InstanceSpec> {
    let tier = tier.trim();
    let lower = super::ascii_lowercase(tier);
    let rest = lower.strip_prefix("db-")?;
    if let Some(shape) = rest.strip_prefix("custom-") {
        let (cpus, mib) = shape.split_once('-')?;
        return Some(from_shape(tier, "custom", positive(cpus)?, positive(mib)?));
    }
    let machine = if let Some(cpus) = rest.strip_prefix("perf-optimized-n-") {
        Cow::Owned(format!("n2-highmem-{cpus}"))
    } else if rest.starts_with("n1-standard-")
        || rest.starts_with("n1-highmem-")
        || matches!(rest, "f1-micro" | "g1-small")
    {
        Cow::Borrowed(rest)
    } else {
        return None;
    };
    let base = machines().types.get(machine.as_ref())?;
    Some(derived(base, tier))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_count_matches_the_readme() {
        assert_eq!(machines().types.len(), 568);
    }

    #[test]
    fn predefined_types() {
        let n2 = gcp_machine("n2-standard-4").unwrap();
        assert!(matches!(n2, Cow::Borrowed(_)));
        assert_eq!((n2.vcpu, n2.memory_gib), (Some(4.0), Some(16.0)));
        assert_eq!(n2.family, "n2");
        assert_eq!(n2.gpus, Some(0), "N2 has no GPU of its own");
        assert_eq!(gcp_machine("a2-highgpu-1g").unwrap().gpus, None, "bundled");
        assert_eq!(
            gcp_machine("ct5lp-hightpu-1t").unwrap().gpus,
            Some(0),
            "TPU"
        );
        assert!(n2.hourly_usd.is_some());
        assert!(!n2.deprecated && !n2.shared_cpu && n2.current_generation);

        let link = gcp_machine("projects/p/zones/us-central1-a/machineTypes/e2-micro").unwrap();
        assert_eq!(link.name, "e2-micro");
        assert!(link.shared_cpu);

        assert!(gcp_machine("n1-ultramem-40").unwrap().deprecated);
        assert!(
            gcp_machine("m2-ultramemx-96").unwrap().deprecated,
            "obsolete"
        );
        assert_eq!(gcp_machine("n2-standard-3"), None);
    }

    #[test]
    fn deprecated_types_have_renamed_successors() {
        for (old, new) in DEPRECATED_SUCCESSORS {
            let (old, new) = (gcp_machine(old).unwrap(), gcp_machine(new).unwrap());
            assert!(old.deprecated && !new.deprecated, "{}", old.name);
            assert_eq!((old.vcpu, old.memory_gib), (new.vcpu, new.memory_gib));
        }
        assert_eq!(
            gcp_deprecated_successor("n1-ultramem-40").unwrap().name,
            "m1-ultramem-40"
        );
        assert_eq!(gcp_deprecated_successor("n2-standard-4"), None);
        assert_eq!(gcp_deprecated_successor("m2-ultramemx-96"), None);
    }

    #[test]
    fn shapes() {
        let n2: Vec<&str> = gcp_machine_shape("n2-standard-64")
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        assert!(n2.contains(&"n2-standard-2") && n2.contains(&"n2-standard-128"));
        assert!(n2.iter().all(|n| n.starts_with("n2-standard-")), "{n2:?}");
        assert!(
            gcp_machine_shape("c3-standard-8-lssd")
                .iter()
                .all(|s| s.name.ends_with("-lssd"))
        );
        assert!(
            gcp_machine_shape("n1-ultramem-40").is_empty(),
            "deprecated members are left out"
        );
    }

    #[test]
    fn custom_types() {
        let n2 = gcp_machine("n2-custom-4-16384").unwrap();
        assert_eq!((n2.vcpu, n2.memory_gib), (Some(4.0), Some(16.0)));
        assert_eq!((n2.family.as_str(), n2.hourly_usd), ("n2", None));

        let n1 = gcp_machine("custom-4-16384").unwrap();
        assert_eq!((n1.family.as_str(), n1.vcpu), ("n1", Some(4.0)));

        let n2d = gcp_machine("n2d-custom-8-32768").unwrap();
        assert_eq!((n2d.vcpu, n2d.memory_gib), (Some(8.0), Some(32.0)));

        let e2 = gcp_machine("e2-custom-2-4096").unwrap();
        assert_eq!((e2.vcpu, e2.memory_gib), (Some(2.0), Some(4.0)));

        let ext = gcp_machine("n2-custom-2-20480-ext").unwrap();
        assert_eq!((ext.vcpu, ext.memory_gib), (Some(2.0), Some(20.0)));
        assert_eq!(ext.name, "n2-custom-2-20480-ext");

        let shared = gcp_machine("e2-custom-small-4096").unwrap();
        assert!(shared.shared_cpu);
        assert_eq!((shared.vcpu, shared.memory_gib), (Some(2.0), Some(4.0)));

        assert_eq!(gcp_machine("custom-0-4096"), None);
        assert_eq!(gcp_machine("custom-4"), None);
        assert_eq!(gcp_machine("custom-4-16384-extra"), None);
        assert_eq!(gcp_machine("custom-+4-16384"), None);
        assert_eq!(gcp_machine("zz9-custom-4-16384"), None, "unknown series");
        assert_eq!(
            gcp_machine("n2-custom-small-4096"),
            None,
            "shared core is E2 only"
        );
    }

    #[test]
    fn sql_tiers() {
        let custom = gcp_sql_tier("db-custom-2-7680").unwrap();
        assert_eq!((custom.vcpu, custom.memory_gib), (Some(2.0), Some(7.5)));
        assert_eq!(custom.hourly_usd, None);

        let n1 = gcp_sql_tier("db-n1-standard-2").unwrap();
        assert_eq!((n1.vcpu, n1.memory_gib), (Some(2.0), Some(7.5)));
        assert_eq!(
            (n1.name.as_str(), n1.hourly_usd),
            ("db-n1-standard-2", None)
        );
        let highmem = gcp_sql_tier("db-n1-highmem-4").unwrap();
        assert_eq!(highmem.memory_gib, Some(26.0));

        let micro = gcp_sql_tier("db-f1-micro").unwrap();
        assert!(micro.shared_cpu);
        assert_eq!(micro.memory_gib, Some(0.6));
        assert!(gcp_sql_tier("db-g1-small").unwrap().shared_cpu);

        let plus = gcp_sql_tier("db-perf-optimized-N-8").unwrap();
        assert_eq!((plus.vcpu, plus.memory_gib), (Some(8.0), Some(64.0)));
        assert_eq!(plus.name, "db-perf-optimized-N-8");
        let largest = gcp_sql_tier("db-perf-optimized-N-128").unwrap();
        assert_eq!(largest.memory_gib, Some(864.0));

        assert_eq!(gcp_sql_tier("db-n1-highcpu-4"), None);
        assert_eq!(gcp_sql_tier("n1-standard-2"), None);
        assert_eq!(gcp_sql_tier("db-perf-optimized-N-3"), None);
        assert_eq!(gcp_sql_tier("db-custom-2"), None);
    }
}
