//! EC2 instance types, RDS instance classes and ElastiCache node types.

use crate::fast::{HashMap, HashSet};
use std::sync::OnceLock;

use super::{Columns, InstanceSpec};

const EC2_CSV: &str = include_str!("../../rules/catalog/aws-ec2-instance-types.csv");
const RDS_CSV: &str = include_str!("../../rules/catalog/aws-rds-instance-classes.csv");
const ELASTICACHE_CSV: &str = include_str!("../../rules/catalog/aws-elasticache-node-types.csv");

const EC2_COLUMNS: Columns = Columns {
    name: "instance_type",
    family: "family",
    gpus: Some("gpu_count"),
    prices: &["ondemand_linux_usd_hourly_us_east_1"],
    current_generation: Some("current_generation"),
    deprecation: None,
    shared_cpu: None,
};

/// PostgreSQL first: its list price is the higher of the two open-source
/// engines in every row where they differ, so estimates err on the high
/// side. MySQL is the fallback for a row that only has that price.
const RDS_COLUMNS: Columns = Columns {
    name: "instance_class",
    family: "family",
    gpus: None,
    prices: &[
        "ondemand_postgresql_usd_hourly_us_east_1_2022",
        "ondemand_mysql_usd_hourly_us_east_1_2022",
    ],
    current_generation: Some("current_generation"),
    deprecation: None,
    shared_cpu: None,
};

const ELASTICACHE_COLUMNS: Columns = Columns {
    name: "node_type",
    family: "family",
    gpus: None,
    prices: &["ondemand_usd_hourly_us_east_1_2022"],
    current_generation: Some("current_generation"),
    deprecation: None,
    shared_cpu: None,
};

/// Families tflint-ruleset-aws calls previous generation
/// (`rules/aws_instance_previous_type.go`). The AWS Price List still calls
/// some of these current, and users already know tflint's verdicts.
const PREVIOUS_EC2_FAMILIES: &[&str] = &[
    "c1", "c3", "cc2", "cg1", "cr1", "g2", "hi1", "hs1", "i2", "m1", "m2", "m3", "r3", "t1",
];

/// RDS families whose classes tflint-ruleset-aws lists as previous
/// generation; kept by family so that a class missing from the table is
/// still caught.
const PREVIOUS_RDS_FAMILIES: &[&str] = &["m1", "m2", "m3", "m4", "r3", "r4", "t1", "t2"];

/// ElastiCache families tflint-ruleset-aws (`rules/elasticache_node_types.go`)
/// calls previous generation.
const PREVIOUS_ELASTICACHE_FAMILIES: &[&str] = &["c1", "m1", "m2", "m3", "r3", "t1"];

/// Old family -> the current family a user should move to, for help lines
/// like "use m7i.large instead". Chosen as the newest widely available x86
/// family of the same purpose (Graviton only for a1, already Arm), so the
/// suggestion needs no change of AMI architecture:
/// general purpose -> m7i, compute -> c7i, memory (incl. m2, cr1) -> r7i,
/// burstable -> t3, SSD storage -> i4i, HDD dense storage -> d3,
/// graphics -> g5. c4, m4, r4, t2 and g3 are not flagged as previous
/// generation but are several generations behind, so they get a successor.
const EC2_SUCCESSORS: &[(&str, &str)] = &[
    ("a1", "m7g"),
    ("c1", "c7i"),
    ("c3", "c7i"),
    ("c4", "c7i"),
    ("cc2", "c7i"),
    ("cg1", "g5"),
    ("cr1", "r7i"),
    ("d2", "d3"),
    ("g2", "g5"),
    ("g3", "g5"),
    ("hi1", "i4i"),
    ("hs1", "d3"),
    ("i2", "i4i"),
    ("m1", "m7i"),
    ("m2", "r7i"),
    ("m3", "m7i"),
    ("m4", "m7i"),
    ("r3", "r7i"),
    ("r4", "r7i"),
    ("t1", "t3"),
    ("t2", "t3"),
];

/// RDS: old family -> current family of the same purpose. x86 families
/// that every engine offers (Oracle and SQL Server included), so moving
/// needs no engine change, and that have a price in the catalog, so the
/// help line can compare: general purpose -> m5, memory (incl. m2) -> r5,
/// burstable -> t3.
const RDS_SUCCESSORS: &[(&str, &str)] = &[
    ("m1", "m5"),
    ("m2", "r5"),
    ("m3", "m5"),
    ("m4", "m5"),
    ("r3", "r5"),
    ("r4", "r5"),
    ("t1", "t3"),
    ("t2", "t3"),
];

/// ElastiCache: old family -> current family. Node types are managed, so
/// Graviton needs nothing from the client; these families are priced in
/// every size the old ones had: general purpose and compute -> m6g,
/// memory -> r6g, burstable -> t4g.
const ELASTICACHE_SUCCESSORS: &[(&str, &str)] = &[
    ("c1", "m6g"),
    ("m1", "m6g"),
    ("m2", "r6g"),
    ("m3", "m6g"),
    ("r3", "r6g"),
    ("t1", "t4g"),
];

struct Ec2 {
    types: HashMap<String, InstanceSpec>,
    /// Families whose every type the table marks previous generation.
    /// Whole families only: u-12tb1.metal is current while
    /// u-12tb1.112xlarge is not.
    previous_families: HashSet<String>,
}

fn ec2() -> &'static Ec2 {
    static EC2: OnceLock<Ec2> = OnceLock::new();
    EC2.get_or_init(|| {
        let types = EC2_COLUMNS.load(EC2_CSV, str::to_owned);
        let mut current: HashMap<&str, bool> = HashMap::default();
        for spec in types.values() {
            *current.entry(spec.family.as_str()).or_default() |= spec.current_generation;
        }
        let previous_families = current
            .into_iter()
            .filter(|(_, any_current)| !any_current)
            .map(|(family, _)| family.to_owned())
            .collect();
        Ec2 {
            types,
            previous_families,
        }
    })
}

/// Database and cache nodes have no GPUs; the tables have no column for
/// them, so it is set here rather than left unknown.
fn without_gpus(mut specs: HashMap<String, InstanceSpec>) -> HashMap<String, InstanceSpec> {
    for spec in specs.values_mut() {
        spec.gpus = Some(0);
    }
    specs
}

fn rds() -> &'static HashMap<String, InstanceSpec> {
    static RDS: OnceLock<HashMap<String, InstanceSpec>> = OnceLock::new();
    RDS.get_or_init(|| without_gpus(RDS_COLUMNS.load(RDS_CSV, str::to_owned)))
}

fn elasticache() -> &'static HashMap<String, InstanceSpec> {
    static ELASTICACHE: OnceLock<HashMap<String, InstanceSpec>> = OnceLock::new();
    ELASTICACHE
        .get_or_init(|| without_gpus(ELASTICACHE_COLUMNS.load(ELASTICACHE_CSV, str::to_owned)))
}

/// The family of `m5.large`, `db.m5.large` or `cache.m5.large` (`m5`).
fn family_of<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    let (family, _size) = name.strip_prefix(prefix)?.split_once('.')?;
    Some(family)
}

/// EC2 instance type, exact name (`m5.large`). Price: Linux, us-east-1,
/// dated [`super::AWS_EC2_DATA_DATE`].
pub fn aws_ec2(instance_type: &str) -> Option<&'static InstanceSpec> {
    ec2().types.get(instance_type)
}

/// RDS instance class (`db.r6g.xlarge`). Price: Single-AZ PostgreSQL,
/// us-east-1, dated [`super::AWS_RDS_DATA_DATE`]; absent for classes
/// launched since.
pub fn aws_rds(instance_class: &str) -> Option<&'static InstanceSpec> {
    rds().get(instance_class)
}

/// ElastiCache node type (`cache.r7g.large`). Price: Redis OSS /
/// Memcached, us-east-1, dated [`super::AWS_ELASTICACHE_DATA_DATE`].
pub fn aws_elasticache(node_type: &str) -> Option<&'static InstanceSpec> {
    elasticache().get(node_type)
}

/// Whether a whole EC2 family is previous generation: per tflint's list,
/// or because the catalog marks every one of its types so.
pub fn previous_generation_ec2_family(family: &str) -> bool {
    PREVIOUS_EC2_FAMILIES.contains(&family) || ec2().previous_families.contains(family)
}

/// Whether an EC2 instance type is previous generation: its own catalog
/// flag, or its family. Works for sizes missing from the catalog.
pub fn previous_generation_ec2(instance_type: &str) -> bool {
    aws_ec2(instance_type).is_some_and(|spec| !spec.current_generation)
        || family_of(instance_type, "").is_some_and(previous_generation_ec2_family)
}

/// Whether an RDS class (`db.t2.micro`) is previous generation.
pub fn previous_generation_rds_class(class: &str) -> bool {
    aws_rds(class).is_some_and(|spec| !spec.current_generation)
        || family_of(class, "db.").is_some_and(|family| PREVIOUS_RDS_FAMILIES.contains(&family))
}

/// Whether an ElastiCache node type (`cache.m3.medium`) is previous
/// generation.
pub fn previous_generation_elasticache(node_type: &str) -> bool {
    aws_elasticache(node_type).is_some_and(|spec| !spec.current_generation)
        || family_of(node_type, "cache.")
            .is_some_and(|family| PREVIOUS_ELASTICACHE_FAMILIES.contains(&family))
}

fn successor(table: &[(&str, &'static str)], family: &str) -> Option<&'static str> {
    table
        .iter()
        .find(|(old, _)| *old == family)
        .map(|(_, new)| *new)
}

/// The current family to suggest instead of an old one (`m4` -> `m7i`);
/// `None` for families that are current or have no like-for-like successor.
pub fn ec2_successor(family: &str) -> Option<&'static str> {
    successor(EC2_SUCCESSORS, family)
}

/// The successor type of the same size (`m4.large` -> `m7i.large`), only
/// when that type exists: `m3.medium` has no `m7i.medium`, and inventing
/// one would send users to a type they cannot launch. Same size name does
/// not mean same specs (g2.8xlarge has 4 GPUs, g5.8xlarge one).
pub fn ec2_successor_type(instance_type: &str) -> Option<&'static InstanceSpec> {
    let (family, size) = instance_type.split_once('.')?;
    aws_ec2(&format!("{}.{size}", ec2_successor(family)?))
}

/// The current RDS family to suggest instead of a previous one (`t2` ->
/// `t3`).
pub fn rds_successor(family: &str) -> Option<&'static str> {
    successor(RDS_SUCCESSORS, family)
}

/// The successor class of the same size (`db.t2.micro` -> `db.t3.micro`),
/// only when that class exists.
pub fn rds_successor_type(class: &str) -> Option<&'static InstanceSpec> {
    let (family, size) = class.strip_prefix("db.")?.split_once('.')?;
    aws_rds(&format!("db.{}.{size}", rds_successor(family)?))
}

/// The current ElastiCache family to suggest instead of a previous one
/// (`m3` -> `m6g`).
pub fn elasticache_successor(family: &str) -> Option<&'static str> {
    successor(ELASTICACHE_SUCCESSORS, family)
}

/// The successor node type of the same size (`cache.m3.large` ->
/// `cache.m6g.large`), only when that type exists.
pub fn elasticache_successor_type(node_type: &str) -> Option<&'static InstanceSpec> {
    let (family, size) = node_type.strip_prefix("cache.")?.split_once('.')?;
    aws_elasticache(&format!("cache.{}.{size}", elasticache_successor(family)?))
}

/// Every EC2 type of a family (`m5`), sorted by name.
pub fn aws_ec2_family(family: &str) -> Vec<&'static InstanceSpec> {
    super::members(ec2().types.values(), |spec| spec.family == family)
}

/// Every RDS class of a family (`m5` for `db.m5.*`), sorted by name.
pub fn aws_rds_family(family: &str) -> Vec<&'static InstanceSpec> {
    super::members(rds().values(), |spec| spec.family == family)
}

/// Every ElastiCache node type of a family (`r6g` for `cache.r6g.*`),
/// sorted by name.
pub fn aws_elasticache_family(family: &str) -> Vec<&'static InstanceSpec> {
    super::members(elasticache().values(), |spec| spec.family == family)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_counts_match_the_readme() {
        assert_eq!(ec2().types.len(), 1405);
        assert_eq!(rds().len(), 417);
        assert_eq!(elasticache().len(), 112);
    }

    #[test]
    fn ec2_spot_checks() {
        let m5 = aws_ec2("m5.24xlarge").unwrap();
        assert_eq!(m5.family, "m5");
        assert_eq!(m5.vcpu, Some(96.0));
        assert_eq!(m5.memory_gib, Some(384.0));
        assert_eq!(m5.gpus, Some(0));
        assert!(m5.hourly_usd.is_some_and(|p| p > 1.0));
        assert!(m5.current_generation);

        let p = aws_ec2("p4d.24xlarge").unwrap();
        assert_eq!(p.gpus, Some(8));
        // The source's GPU count looked wrong and was left empty.
        assert_eq!(aws_ec2("p6e-gb200.36xlarge").unwrap().gpus, None);
        assert_eq!(aws_ec2("M5.LARGE"), None);
        assert_eq!(aws_ec2("m5.huge"), None);
    }

    #[test]
    fn rds_and_elasticache_spot_checks() {
        let db = aws_rds("db.m5.large").unwrap();
        assert_eq!((db.vcpu, db.memory_gib), (Some(2.0), Some(8.0)));
        assert!(db.hourly_usd.is_some());
        // The PostgreSQL price, higher than MySQL's for this class.
        assert_eq!(aws_rds("db.m1.small").unwrap().hourly_usd, Some(0.06));
        // Newer than the 2022 prices; db.x2m has no specs at all.
        assert_eq!(aws_rds("db.r7g.large").unwrap().hourly_usd, None);
        let x2m = aws_rds("db.x2m.xlarge").unwrap();
        assert_eq!((x2m.vcpu, x2m.memory_gib), (None, None));

        let cache = aws_elasticache("cache.r5.large").unwrap();
        assert_eq!(cache.hourly_usd, Some(0.216));
        assert!(cache.memory_gib.is_some());
        // Removed by the README's price cleaning.
        assert_eq!(aws_elasticache("cache.r5.xlarge").unwrap().hourly_usd, None);
    }

    #[test]
    fn previous_generation() {
        assert!(previous_generation_ec2("m3.large"));
        assert!(previous_generation_ec2("t1.micro"));
        assert!(
            previous_generation_ec2("cg1.4xlarge"),
            "tflint list, not in the table"
        );
        assert!(previous_generation_ec2("a1.large"), "catalog flag");
        assert!(!previous_generation_ec2("m5.large"));
        assert!(
            !previous_generation_ec2("m4.large"),
            "AWS still calls m4 current"
        );
        assert!(previous_generation_ec2("u-12tb1.112xlarge"));
        assert!(!previous_generation_ec2("u-12tb1.metal"));
        assert!(previous_generation_ec2_family("a1"));
        assert!(previous_generation_ec2_family("hi1"));
        assert!(!previous_generation_ec2_family("u-12tb1"), "mixed family");
        assert!(!previous_generation_ec2_family("m7i"));

        assert!(previous_generation_rds_class("db.t2.micro"));
        assert!(previous_generation_rds_class("db.m4.large"));
        assert!(previous_generation_rds_class("db.r3.8xlarge"));
        assert!(!previous_generation_rds_class("db.t3.micro"));
        assert!(!previous_generation_rds_class("db.m5.large"));

        assert!(previous_generation_elasticache("cache.m3.medium"));
        assert!(previous_generation_elasticache("cache.t1.micro"));
        assert!(!previous_generation_elasticache("cache.t2.micro"));
        assert!(!previous_generation_elasticache("cache.r6g.large"));
    }

    #[test]
    fn catalog_flags_agree_with_tflint_families() {
        for spec in rds().values() {
            let listed = PREVIOUS_RDS_FAMILIES.contains(&spec.family.as_str());
            assert_eq!(listed, !spec.current_generation, "{}", spec.name);
        }
        for spec in elasticache().values() {
            let listed = PREVIOUS_ELASTICACHE_FAMILIES.contains(&spec.family.as_str());
            assert_eq!(listed, !spec.current_generation, "{}", spec.name);
        }
    }

    #[test]
    fn successors_are_current_families_in_the_catalog() {
        for (old, new) in EC2_SUCCESSORS {
            assert!(!previous_generation_ec2_family(new), "{old} -> {new}");
            assert!(
                ec2().types.values().any(|spec| spec.family == *new),
                "{new} is not in the catalog"
            );
        }
        // Every previous-generation family has a successor...
        for family in PREVIOUS_EC2_FAMILIES.iter().copied() {
            assert!(ec2_successor(family).is_some(), "{family}");
        }
        // ...except the specialised ones the catalog flags (high-memory and
        // Mac hosts), where a generic suggestion would mislead.
        for family in &ec2().previous_families {
            assert!(
                ec2_successor(family).is_some()
                    || family.starts_with("u-")
                    || family.starts_with("mac"),
                "{family}"
            );
        }
    }

    #[test]
    fn database_successors_are_current_and_cover_every_previous_family() {
        for (old, new) in RDS_SUCCESSORS {
            assert!(PREVIOUS_RDS_FAMILIES.contains(old), "{old}");
            assert!(!PREVIOUS_RDS_FAMILIES.contains(new), "{new}");
            assert!(
                rds()
                    .values()
                    .any(|s| s.family == *new && s.hourly_usd.is_some())
            );
        }
        for family in PREVIOUS_RDS_FAMILIES {
            assert!(rds_successor(family).is_some(), "{family}");
        }
        for (old, new) in ELASTICACHE_SUCCESSORS {
            assert!(PREVIOUS_ELASTICACHE_FAMILIES.contains(old), "{old}");
            assert!(!PREVIOUS_ELASTICACHE_FAMILIES.contains(new), "{new}");
        }
        for family in PREVIOUS_ELASTICACHE_FAMILIES {
            assert!(elasticache_successor(family).is_some(), "{family}");
        }
        assert_eq!(
            rds_successor_type("db.t2.micro").unwrap().name,
            "db.t3.micro"
        );
        assert_eq!(
            rds_successor_type("db.r4.large").unwrap().name,
            "db.r5.large"
        );
        assert_eq!(rds_successor_type("db.m1.small"), None, "no db.m5.small");
        assert_eq!(rds_successor_type("db.m5.large"), None);
        assert_eq!(
            elasticache_successor_type("cache.m3.large").unwrap().name,
            "cache.m6g.large"
        );
        assert_eq!(
            elasticache_successor_type("cache.t1.micro").unwrap().name,
            "cache.t4g.micro"
        );
        // Every size of the old families maps to a priced successor.
        for spec in elasticache().values().filter(|s| !s.current_generation) {
            if let Some(new) = elasticache_successor_type(&spec.name) {
                assert!(new.hourly_usd.is_some(), "{}", new.name);
            }
        }
    }

    #[test]
    fn families_list_their_members() {
        let m5: Vec<&str> = aws_ec2_family("m5")
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        assert!(m5.contains(&"m5.large") && m5.contains(&"m5.24xlarge"));
        assert!(m5.windows(2).all(|w| w[0] < w[1]), "sorted");
        assert!(
            aws_rds_family("t3")
                .iter()
                .all(|s| s.name.starts_with("db.t3."))
        );
        assert!(aws_elasticache_family("r6g").len() >= 7);
        assert!(aws_ec2_family("zz9").is_empty());
    }

    #[test]
    fn successor_types_keep_the_size() {
        assert_eq!(ec2_successor("m4"), Some("m7i"));
        assert_eq!(ec2_successor("m7i"), None);
        assert_eq!(ec2_successor_type("m4.large").unwrap().name, "m7i.large");
        assert_eq!(ec2_successor_type("t2.micro").unwrap().name, "t3.micro");
        assert_eq!(ec2_successor_type("i2.xlarge").unwrap().name, "i4i.xlarge");
        assert_eq!(ec2_successor_type("m3.medium"), None, "no m7i.medium");
        assert_eq!(ec2_successor_type("m5.large"), None);
    }
}
