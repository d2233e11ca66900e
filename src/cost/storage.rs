//! Block storage: where Terraform resources declare volumes, and what a
//! volume costs per month from `rules/catalog/block-storage-prices.csv`.

use crate::catalog::{self, Dimension, StorageRate};
use crate::check::format_usd;
use crate::kubernetes::quantity::trim_number;
use crate::model::terraform::{Arg, Nested, Resource};
use crate::terraform::value::Value;

use super::machines::{Known, known};
use super::usd_rate;

/// A volume whose size and type are known.
#[derive(Debug, Clone, PartialEq)]
pub struct Volume {
    /// The catalog's service: `ebs`, `rds`, `pd`, `regional-pd`,
    /// `managed-disk`.
    pub service: &'static str,
    /// As written (`gp3`, `pd-ssd`, `Premium_LRS`).
    pub volume_type: String,
    pub size_gb: f64,
    pub iops: Option<f64>,
    /// MB/s.
    pub throughput: Option<f64>,
    /// Copies billed: 2 for Multi-AZ RDS storage.
    pub copies: u32,
}

/// A volume's monthly price and how it is made.
#[derive(Debug, Clone, PartialEq)]
pub struct Priced {
    pub monthly_usd: f64,
    pub basis: String,
}

fn price_region(service: &str) -> &'static str {
    match service {
        "pd" | "regional-pd" => "us-central1",
        "managed-disk" => "eastus",
        _ => "us-east-1",
    }
}

fn number(n: f64) -> String {
    if n >= 1000.0 && n.fract() == 0.0 {
        // 3,000 IOPS
        format_usd(n).trim_start_matches('$').to_owned()
    } else {
        trim_number(n)
    }
}

impl Volume {
    /// The same volume with another type, for "what would gp3 cost".
    pub fn with_type(&self, volume_type: &str) -> Volume {
        Volume {
            volume_type: volume_type.to_owned(),
            ..self.clone()
        }
    }

    /// The monthly list price, or why there is none.
    pub fn price(&self) -> Result<Priced, String> {
        if self.service == "managed-disk" {
            return self.tier_price();
        }
        let t = self.volume_type.as_str();
        let gb = catalog::storage_rate(self.service, t, Dimension::Gb)
            .and_then(|r| Some((r, r.usd_monthly?)))
            .ok_or_else(|| format!("no list price for volume type `{t}` in the catalog"))?;
        let mut usd = self.size_gb * gb.1;
        let mut parts = vec![format!(
            "{} GB {t} × {}/GB-month",
            number(self.size_gb),
            usd_rate(gb.1)
        )];
        let mut dates = vec![gb.0.data_date];
        for (dimension, value, unit, default) in [
            (Dimension::Iops, self.iops, "IOPS", "provisioned IOPS"),
            (Dimension::Mbps, self.throughput, "MB/s", "throughput"),
        ] {
            let Some(rate) = catalog::storage_rate(self.service, t, dimension) else {
                continue;
            };
            let included = self.included(rate);
            let value = match value {
                Some(v) => v,
                // Nothing provisioned beyond what the price includes.
                None if included > 0.0 => continue,
                None => return Err(format!("the {default} of this `{t}` volume are not known")),
            };
            if rate.up_to.is_some_and(|max| value > max) {
                return Err(format!(
                    "{} {unit} on `{t}` are billed at tiers the catalog does not hold",
                    number(value)
                ));
            }
            let billed = (value - included).max(0.0);
            if billed == 0.0 {
                continue;
            }
            let Some(price) = rate.usd_monthly else {
                return Err(format!("no list price for {unit} of `{t}` in the catalog"));
            };
            usd += billed * price;
            let above = if included > 0.0 {
                format!(" above the included {}", number(included))
            } else {
                String::new()
            };
            parts.push(format!(
                "{} {unit}{above} × {}/{unit}-month",
                number(billed),
                usd_rate(price)
            ));
            dates.push(rate.data_date);
        }
        let copies = if self.copies > 1 {
            format!(" × {} copies (Multi-AZ)", self.copies)
        } else {
            String::new()
        };
        Ok(Priced {
            monthly_usd: usd * f64::from(self.copies),
            basis: format!(
                "{}{copies}, {} list price, catalog {}",
                parts.join(" + "),
                price_region(self.service),
                dates.into_iter().flatten().max().unwrap_or("")
            ),
        })
    }

    /// What the price includes: gp3's 3,000 IOPS and 125 MB/s; RDS gp3
    /// includes 12,000 IOPS from 400 GB (MySQL, MariaDB and PostgreSQL,
    /// the engines whose instances the catalog prices).
    fn included(&self, rate: &StorageRate) -> f64 {
        if self.service == "rds"
            && rate.dimension == Dimension::Iops
            && rate.volume_type == "gp3"
            && self.size_gb >= 400.0
        {
            return 12000.0;
        }
        rate.above
    }

    /// Azure bills a managed disk as the smallest size tier that holds it.
    fn tier_price(&self) -> Result<Priced, String> {
        let t = self.volume_type.as_str();
        let tier = catalog::disk_tier(self.service, t, self.size_gb).ok_or_else(|| {
            if catalog::storage_type_known(self.service, t) {
                format!(
                    "{} GiB is above the largest `{t}` tier",
                    number(self.size_gb)
                )
            } else {
                format!("no list price for disk type `{t}` in the catalog")
            }
        })?;
        let name = tier.tier.unwrap_or("");
        let price = tier
            .usd_monthly
            .ok_or_else(|| format!("no list price for tier {name} (`{t}`) in the catalog"))?;
        Ok(Priced {
            monthly_usd: price * f64::from(self.copies),
            basis: format!(
                "{} GiB {t} billed as {name} ({} GiB) at {}/month, eastus list price, catalog {}",
                number(self.size_gb),
                number(tier.tier_gib.unwrap_or(0.0)),
                usd_rate(price),
                tier.data_date.unwrap_or("")
            ),
        })
    }
}

/// Like-for-like replacements of a volume at the same size, for savings:
/// gp3 for gp2 with at least gp2's baseline IOPS (3 per GB, 3,000 at
/// least) and, on EBS, its maximum throughput (128 MB/s up to 170 GB, 250
/// MB/s above), so a saving is never bought with a slower volume; gp3 for
/// magnetic `standard`; io2 and gp3 for io1 with the same IOPS, where gp3
/// can provide them. Throughput of io1 depends on I/O size and is not
/// matched.
pub fn alternatives(v: &Volume) -> Vec<Volume> {
    let ebs = v.service == "ebs";
    let rds = v.service == "rds";
    if !(ebs || rds) {
        return Vec::new();
    }
    match v.volume_type.as_str() {
        "gp2" => {
            let iops = (3.0 * v.size_gb).clamp(3000.0, 16000.0);
            let throughput = if v.size_gb <= 170.0 { 128.0 } else { 250.0 };
            vec![Volume {
                iops: Some(iops),
                throughput: ebs.then_some(throughput),
                ..v.with_type("gp3")
            }]
        }
        "standard" => vec![Volume {
            iops: None,
            throughput: None,
            ..v.with_type("gp3")
        }],
        "io1" => {
            let Some(iops) = v.iops else {
                return Vec::new();
            };
            let mut out = Vec::new();
            if ebs {
                out.push(v.with_type("io2"));
            }
            let gp3_holds = if ebs {
                iops <= 16000.0 && iops <= 500.0 * v.size_gb
            } else if v.size_gb < 400.0 {
                iops <= 3000.0
            } else {
                iops <= 64000.0
            };
            if gp3_holds {
                out.push(Volume {
                    throughput: None,
                    ..v.with_type("gp3")
                });
            }
            out
        }
        _ => Vec::new(),
    }
}

/// The cheapest like-for-like replacement and its price, when it costs
/// less than the volume itself.
pub fn cheaper(v: &Volume, current: f64) -> Option<(Volume, Priced)> {
    alternatives(v)
        .into_iter()
        .filter_map(|alt| {
            let p = alt.price().ok()?;
            Some((alt, p))
        })
        .filter(|(_, p)| current - p.monthly_usd >= 0.005)
        .min_by(|a, b| a.1.monthly_usd.total_cmp(&b.1.monthly_usd))
}

/// A place a resource declares a volume.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// "volume", "root volume", "EBS volume", "storage", "boot disk",
    /// "OS disk", "disk".
    pub what: &'static str,
    /// Normalised path of the argument that names the volume type
    /// (`root_block_device.0.volume_type`, `type`, `storage_type`).
    pub type_attribute: String,
    pub volume: Result<Volume, String>,
}

/// A volume's arguments, read from the resource or one of its blocks.
struct Args<'r, 'a> {
    r: &'r Resource<'a>,
    nested: Option<&'r Nested<'a>>,
}

impl<'a> Args<'_, 'a> {
    fn get(&self, name: &str) -> Option<Arg<'a>> {
        match self.nested {
            Some(n) => self.r.nested_attr(n, name),
            None => self.r.attr(name),
        }
    }

    fn path(&self, name: &str) -> String {
        match self.nested {
            Some(n) => format!("{}.{name}", n.path),
            None => name.to_owned(),
        }
    }

    /// A known number, `None` when absent, `Err` when not known statically.
    fn number(&self, name: &str) -> Result<Option<f64>, String> {
        match known(self.get(name)) {
            Known::Absent => Ok(None),
            Known::Value(v) => v
                .as_f64()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .map(Some)
                .ok_or_else(|| format!("`{}` is not a number", self.path(name))),
            Known::Unknown => Err(format!("`{}` is not known statically", self.path(name))),
        }
    }

    /// A known string, `None` when absent, `Err` when not known statically.
    fn text(&self, name: &str) -> Result<Option<String>, String> {
        match known(self.get(name)) {
            Known::Absent => Ok(None),
            Known::Value(v) => v
                .to_tf_string()
                .map(Some)
                .ok_or_else(|| format!("`{}` is not a string", self.path(name))),
            Known::Unknown => Err(format!("`{}` is not known statically", self.path(name))),
        }
    }
}

/// How a resource type writes its volumes.
struct Shape {
    service: &'static str,
    what: &'static str,
    type_arg: &'static str,
    size_arg: &'static str,
    iops_arg: Option<&'static str>,
    throughput_arg: Option<&'static str>,
    /// The type Terraform or the API uses when none is written; `None`
    /// when it comes from somewhere the configuration does not show (an
    /// AMI, an image).
    default_type: Option<&'static str>,
    /// Why the type can be missing.
    no_type: &'static str,
    /// Why the size can be missing.
    no_size: &'static str,
}

fn read(args: &Args<'_, '_>, shape: &Shape) -> Site {
    Site {
        what: shape.what,
        type_attribute: args.path(shape.type_arg),
        volume: volume(args, shape),
    }
}

fn volume(args: &Args<'_, '_>, shape: &Shape) -> Result<Volume, String> {
    let volume_type = match (args.text(shape.type_arg)?, shape.default_type) {
        // Compute Engine accepts a disk type URL.
        (Some(t), _) => t.rsplit('/').next().unwrap_or(&t).to_owned(),
        (None, Some(default)) => default.to_owned(),
        (None, None) => return Err(shape.no_type.to_owned()),
    };
    let size_gb = args
        .number(shape.size_arg)?
        .ok_or_else(|| format!("its size is not set ({})", shape.no_size))?;
    let optional = |arg: Option<&str>| match arg {
        Some(name) => args.number(name),
        None => Ok(None),
    };
    Ok(Volume {
        service: shape.service,
        volume_type,
        size_gb,
        iops: optional(shape.iops_arg)?,
        throughput: optional(shape.throughput_arg)?,
        copies: 1,
    })
}

const EBS_VOLUME: Shape = Shape {
    service: "ebs",
    what: "volume",
    type_arg: "type",
    size_arg: "size",
    iops_arg: Some("iops"),
    throughput_arg: Some("throughput"),
    // hashicorp/aws documents gp2 as the default.
    default_type: Some("gp2"),
    no_type: "",
    no_size: "it comes from the snapshot",
};

const EC2_BLOCK_DEVICE: Shape = Shape {
    service: "ebs",
    what: "EBS volume",
    type_arg: "volume_type",
    size_arg: "volume_size",
    iops_arg: Some("iops"),
    throughput_arg: Some("throughput"),
    default_type: None,
    no_type: "its volume type is not set (it comes from the AMI or snapshot)",
    no_size: "it comes from the AMI or snapshot",
};

const GCE_DISK: Shape = Shape {
    service: "pd",
    what: "disk",
    type_arg: "type",
    size_arg: "size",
    iops_arg: Some("provisioned_iops"),
    throughput_arg: None,
    // The Compute Engine API creates pd-standard when no type is given.
    default_type: Some("pd-standard"),
    no_type: "",
    no_size: "it comes from the image or snapshot",
};

const GCE_BOOT_DISK: Shape = Shape {
    service: "pd",
    what: "boot disk",
    type_arg: "type",
    size_arg: "size",
    iops_arg: Some("provisioned_iops"),
    throughput_arg: None,
    default_type: None,
    no_type: "its disk type is not set",
    no_size: "it comes from the image",
};

const AZURE_DISK: Shape = Shape {
    service: "managed-disk",
    what: "disk",
    type_arg: "storage_account_type",
    size_arg: "disk_size_gb",
    iops_arg: None,
    throughput_arg: None,
    default_type: None,
    no_type: "its `storage_account_type` is not known",
    no_size: "it comes from the source",
};

/// Every volume a resource declares. Templates (`aws_launch_template`,
/// `aws_launch_configuration`) are listed too: what their volumes cost
/// depends on how many instances are launched from them.
pub fn volumes(r: &Resource<'_>) -> Vec<Site> {
    let mut out = Vec::new();
    let top = Args { r, nested: None };
    match r.rtype {
        "aws_ebs_volume" => out.push(read(&top, &EBS_VOLUME)),
        "aws_instance" | "aws_spot_instance_request" | "aws_launch_configuration" => {
            let roots = r.blocks("root_block_device");
            if roots.is_empty() {
                out.push(Site {
                    what: "root volume",
                    type_attribute: "root_block_device".into(),
                    volume: Err("its size and type come from the AMI".into()),
                });
            }
            for block in &roots {
                let args = Args {
                    r,
                    nested: Some(block),
                };
                out.push(read(
                    &args,
                    &Shape {
                        what: "root volume",
                        ..EC2_BLOCK_DEVICE
                    },
                ));
            }
            for block in r.blocks("ebs_block_device") {
                let args = Args {
                    r,
                    nested: Some(&block),
                };
                out.push(read(&args, &EC2_BLOCK_DEVICE));
            }
        }
        "aws_launch_template" => {
            for mapping in r.blocks("block_device_mappings") {
                for ebs in r.nested_blocks(&mapping, "ebs") {
                    let args = Args {
                        r,
                        nested: Some(&ebs),
                    };
                    out.push(read(&args, &EC2_BLOCK_DEVICE));
                }
            }
        }
        "aws_db_instance" => out.push(rds_storage(r)),
        "google_compute_disk" => out.push(read(&top, &GCE_DISK)),
        "google_compute_region_disk" => out.push(read(
            &top,
            &Shape {
                service: "regional-pd",
                ..GCE_DISK
            },
        )),
        "google_compute_instance" => {
            for boot in r.blocks("boot_disk") {
                // An existing disk attached by `source` is priced as its
                // own resource.
                if r.nested_attr(&boot, "source").is_some() {
                    continue;
                }
                for params in r.nested_blocks(&boot, "initialize_params") {
                    let args = Args {
                        r,
                        nested: Some(&params),
                    };
                    out.push(read(&args, &GCE_BOOT_DISK));
                }
            }
        }
        "azurerm_managed_disk" => out.push(read(&top, &AZURE_DISK)),
        "azurerm_linux_virtual_machine" | "azurerm_windows_virtual_machine" => {
            for disk in r.blocks("os_disk") {
                let args = Args {
                    r,
                    nested: Some(&disk),
                };
                out.push(read(
                    &args,
                    &Shape {
                        what: "OS disk",
                        no_size: "it comes from the image",
                        ..AZURE_DISK
                    },
                ));
            }
        }
        _ => {}
    }
    out
}

/// RDS storage: `allocated_storage` of `storage_type` (io1 when `iops` is
/// set, else gp2, as hashicorp/aws documents), twice for Multi-AZ.
fn rds_storage(r: &Resource<'_>) -> Site {
    let args = Args { r, nested: None };
    let site = |volume| Site {
        what: "storage",
        type_attribute: "storage_type".into(),
        volume,
    };
    let volume = (|| {
        let iops = args.number("iops")?;
        let volume_type = match args.text("storage_type")? {
            Some(t) => t,
            None if iops.is_some() => "io1".into(),
            None => "gp2".into(),
        };
        let size_gb = args.number("allocated_storage")?.ok_or_else(|| {
            "`allocated_storage` is not set (it comes from the source database or snapshot)"
                .to_owned()
        })?;
        let copies = match known(r.attr("multi_az")) {
            Known::Absent => 1,
            Known::Value(Value::Bool(b)) => 1 + u32::from(b),
            _ => return Err("`multi_az` is not known statically".to_owned()),
        };
        Ok(Volume {
            service: "rds",
            volume_type,
            size_gb,
            iops,
            throughput: None,
            copies,
        })
    })();
    site(volume)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ebs(t: &str, size: f64) -> Volume {
        Volume {
            service: "ebs",
            volume_type: t.into(),
            size_gb: size,
            iops: None,
            throughput: None,
            copies: 1,
        }
    }

    #[test]
    fn ebs_by_hand() {
        // 500 GB × $0.10
        let gp2 = ebs("gp2", 500.0).price().unwrap();
        assert!((gp2.monthly_usd - 50.0).abs() < 1e-9);
        assert_eq!(
            gp2.basis,
            "500 GB gp2 × $0.10/GB-month, us-east-1 list price, catalog 2026-08"
        );
        // 500 GB × $0.08, the baseline IOPS and throughput included.
        let gp3 = ebs("gp3", 500.0).price().unwrap();
        assert!((gp3.monthly_usd - 40.0).abs() < 1e-9);
        // 40 GB × $0.08 + 1,000 IOPS × $0.005 + 5 MB/s × $0.04 = $8.40
        let tuned = Volume {
            iops: Some(4000.0),
            throughput: Some(130.0),
            ..ebs("gp3", 40.0)
        };
        let p = tuned.price().unwrap();
        assert!((p.monthly_usd - 8.40).abs() < 1e-9, "{}", p.monthly_usd);
        assert!(
            p.basis
                .contains("1,000 IOPS above the included 3,000 × $0.005/IOPS-month"),
            "{}",
            p.basis
        );
        // 30 GB × $0.125 + 300 IOPS × $0.065 = $23.25
        let io1 = Volume {
            iops: Some(300.0),
            ..ebs("io1", 30.0)
        };
        assert!((io1.price().unwrap().monthly_usd - 23.25).abs() < 1e-9);
        // io1 needs its IOPS.
        assert!(ebs("io1", 30.0).price().is_err());
        // io2 above 32,000 IOPS is tiered beyond the table.
        let big = Volume {
            iops: Some(40000.0),
            ..ebs("io2", 1000.0)
        };
        assert!(big.price().unwrap_err().contains("tiers"));
        assert!(ebs("gp9", 10.0).price().is_err());
    }

    #[test]
    fn savings_keep_performance() {
        // 500 GB gp2: $50. gp3 with gp2's 250 MB/s: $40 + 125 MB/s × $0.04 = $45.
        let gp2 = ebs("gp2", 500.0);
        let (alt, p) = cheaper(&gp2, 50.0).unwrap();
        assert_eq!(alt.volume_type, "gp3");
        assert!((p.monthly_usd - 45.0).abs() < 1e-9, "{}", p.monthly_usd);
        // 2,000 GB gp2 gives 6,000 IOPS: gp3 pays 3,000 more.
        // $200 against 2,000 × 0.08 + 3,000 × 0.005 + 125 × 0.04 = $180.
        let (_, p) = cheaper(&ebs("gp2", 2000.0), 200.0).unwrap();
        assert!((p.monthly_usd - 180.0).abs() < 1e-9, "{}", p.monthly_usd);
        // io1 with 3,000 IOPS: io2 costs the same, gp3 far less.
        let io1 = Volume {
            iops: Some(3000.0),
            ..ebs("io1", 200.0)
        };
        let (alt, p) = cheaper(&io1, 220.0).unwrap();
        assert_eq!(alt.volume_type, "gp3");
        assert!((p.monthly_usd - 16.0).abs() < 1e-9, "{}", p.monthly_usd);
        // Beyond what gp3 provides only io2 remains, at the same price.
        let big = Volume {
            iops: Some(20000.0),
            ..ebs("io1", 200.0)
        };
        assert_eq!(cheaper(&big, 1325.0), None);
        // RDS gp3 costs what gp2 does.
        let rds = Volume {
            service: "rds",
            ..ebs("gp2", 100.0)
        };
        assert_eq!(cheaper(&rds, 11.5), None);
    }

    #[test]
    fn rds_storage_by_hand() {
        // 200 GB io1 with 3,000 IOPS: 200 × $0.125 + 3,000 × $0.10 = $325
        let io1 = Volume {
            service: "rds",
            iops: Some(3000.0),
            ..ebs("io1", 200.0)
        };
        assert!((io1.price().unwrap().monthly_usd - 325.0).abs() < 1e-9);
        // The same as gp3: 200 × $0.115, the 3,000 IOPS included.
        let gp3 = io1.with_type("gp3").price().unwrap();
        assert!((gp3.monthly_usd - 23.0).abs() < 1e-9);
        // From 400 GB, 12,000 IOPS are included; 14,000 bills 2,000 ×
        // $0.02, twice for Multi-AZ: 2 × (400 × 0.115 + 40) = $172.
        let multi = Volume {
            service: "rds",
            iops: Some(14000.0),
            copies: 2,
            ..ebs("gp3", 400.0)
        };
        let p = multi.price().unwrap();
        assert!((p.monthly_usd - 172.0).abs() < 1e-9, "{}", p.monthly_usd);
        assert!(p.basis.contains("× 2 copies (Multi-AZ)"), "{}", p.basis);
    }

    #[test]
    fn persistent_and_managed_disks_by_hand() {
        let pd = Volume {
            service: "pd",
            ..ebs("pd-ssd", 100.0)
        };
        assert!((pd.price().unwrap().monthly_usd - 17.0).abs() < 1e-9);
        let regional = Volume {
            service: "regional-pd",
            ..ebs("pd-balanced", 100.0)
        };
        assert!((regional.price().unwrap().monthly_usd - 20.0).abs() < 1e-9);
        let disk = Volume {
            service: "managed-disk",
            ..ebs("Premium_LRS", 1000.0)
        };
        let p = disk.price().unwrap();
        assert_eq!(p.monthly_usd, 135.17);
        assert_eq!(
            p.basis,
            "1,000 GiB Premium_LRS billed as P30 (1,024 GiB) at $135.17/month, eastus list price, catalog 2026-05"
        );
        let unpriced_tier = Volume {
            service: "managed-disk",
            ..ebs("Premium_LRS", 100.0)
        };
        assert!(unpriced_tier.price().unwrap_err().contains("P10"));
    }
}
