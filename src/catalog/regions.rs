//! Regions, zones, storage locations and AWS transfer prices.

use crate::fast::HashMap;
use std::borrow::Cow;
use std::sync::OnceLock;

use super::ascii_lowercase;
use super::csv::{Csv, Record};

const REGIONS_CSV: &str = include_str!("../../rules/catalog/cloud-regions.csv");

/// The clouds the catalog knows; a region name only means something
/// together with its provider (`eastus` vs `us-east1` vs `us-east-1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Provider {
    Aws,
    Gcp,
    Azure,
}

impl Provider {
    /// For rules and reports that cover every cloud.
    pub const ALL: [Provider; 3] = [Provider::Aws, Provider::Gcp, Provider::Azure];

    /// The spelling of the table's `provider` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Aws => "aws",
            Provider::Gcp => "gcp",
            Provider::Azure => "azure",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A region, with the grouping rules need to tell "same continent" from
/// "across the world" when they judge data transfer.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub provider: Provider,
    /// Canonical code: `us-east-1`, `europe-west1`, `westeurope`.
    pub name: String,
    /// Human name (`Europe (Ireland)`, `Belgium`, `West Europe`); empty for
    /// the six Azure regions the source listed without one.
    pub display_name: String,
    /// Country or area (`Europe`, `United States`, `Asia Pacific`).
    pub geography: String,
    /// `Africa`, `Asia Pacific`, `Europe`, `Middle East`, `North America`
    /// or `South America`.
    pub continent: String,
    /// AWS only: list price per GB sent from this region to another AWS
    /// region, dated [`super::AWS_TRANSFER_DATA_DATE`].
    pub transfer_out_usd_per_gb: Option<f64>,
}

/// One map per provider, keyed by [`region_key`].
fn regions_by_provider() -> &'static [HashMap<String, Region>; 3] {
    static REGIONS: OnceLock<[HashMap<String, Region>; 3]> = OnceLock::new();
    REGIONS.get_or_init(|| {
        let mut maps: [HashMap<String, Region>; 3] = Default::default();
        let csv = Csv::new(REGIONS_CSV);
        for region in csv.records().filter_map(|record| parse(&record)) {
            let key = region_key(region.provider, &region.name).into_owned();
            if let Some(map) = maps.get_mut(region.provider.index()) {
                map.insert(key, region);
            }
        }
        maps
    })
}

fn parse(record: &Record<'_>) -> Option<Region> {
    let provider = match record.text("provider")? {
        "aws" => Provider::Aws,
        "gcp" => Provider::Gcp,
        "azure" => Provider::Azure,
        _ => return None,
    };
    Some(Region {
        provider,
        name: record.name("region")?.to_owned(),
        display_name: record.text("display_name")?.to_owned(),
        geography: record.name("geography")?.to_owned(),
        continent: record.name("continent")?.to_owned(),
        transfer_out_usd_per_gb: record.positive("interregion_transfer_out_usd_per_gb")?,
    })
}

/// Region codes are lowercase, but GCS locations are often written
/// uppercase (`US-CENTRAL1`), and Azure accepts display names for its
/// codes (`West Europe` for `westeurope`).
fn region_key(provider: Provider, name: &str) -> Cow<'_, str> {
    let name = ascii_lowercase(name.trim());
    if provider == Provider::Azure && name.contains(' ') {
        Cow::Owned(name.replace(' ', ""))
    } else {
        name
    }
}

/// A region by code; for Azure, also by display name, case and spaces
/// ignored (`West Europe` == `westeurope`).
pub fn region(provider: Provider, name: &str) -> Option<&'static Region> {
    regions_by_provider()
        .get(provider.index())?
        .get(region_key(provider, name).as_ref())
}

/// Every region of a provider, sorted by code, for rules that group
/// regions by geography.
pub fn regions(provider: Provider) -> Vec<&'static Region> {
    let mut all: Vec<_> = regions_by_provider()
        .get(provider.index())
        .map(|map| map.values().collect())
        .unwrap_or_default();
    all.sort_by(|a, b| a.name.cmp(&b.name));
    all
}

/// The region a zone belongs to, from the zone name alone (the region need
/// not be in the catalog, so new regions still work).
///
/// - AWS: the first match of `^[a-z]{2,4}(-[a-z]+)+-[0-9]+`, which covers
///   `us-east-1a`, Local Zones (`us-east-1-bos-1a`), Wavelength zones and
///   other partitions (`us-gov-west-1a`). Zone IDs (`use1-az1`) do not name
///   their region and give `None`.
/// - GCP: the zone without its last `-x` (`europe-west1-b`).
/// - Azure: always `None`; its zones are `1`, `2`, `3`.
pub fn zone_to_region(provider: Provider, zone: &str) -> Option<String> {
    let zone = ascii_lowercase(zone.trim());
    match provider {
        Provider::Aws => aws_zone_region(&zone).map(str::to_owned),
        Provider::Gcp => gcp_zone_region(&zone).map(str::to_owned),
        Provider::Azure => None,
    }
}

/// The regex above without a regex engine: segments are split on `-`, and
/// since letters and digits never share a segment the leftmost match is
/// fixed by the segment kinds.
fn aws_zone_region(zone: &str) -> Option<&str> {
    let letters = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase());
    let mut segments = zone.split('-');
    let first = segments.next()?;
    if !(2..=4).contains(&first.len()) || !letters(first) {
        return None;
    }
    let mut end = first.len();
    let mut words = 0;
    for segment in segments {
        if letters(segment) {
            words += 1;
            end += 1 + segment.len();
            continue;
        }
        let digits = segment.bytes().take_while(u8::is_ascii_digit).count();
        if words == 0 || digits == 0 {
            return None;
        }
        return zone.get(..end + 1 + digits);
    }
    None
}

/// Regions are `<geo>-<direction><n>` and zones add `-<letter>` (or a
/// short lowercase suffix), so the region is everything before the last
/// `-`, provided it ends with the region number.
fn gcp_zone_region(zone: &str) -> Option<&str> {
    let (region, suffix) = zone.rsplit_once('-')?;
    let suffix_ok = suffix
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase())
        && suffix
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let region_ok =
        region.contains('-') && region.bytes().last().is_some_and(|b| b.is_ascii_digit());
    (suffix_ok && region_ok).then_some(region)
}

/// Predefined dual-regions of Cloud Storage, from Google Cloud's "Bucket
/// locations" documentation (cloud.google.com/storage/docs/locations).
const GCP_DUAL_REGIONS: &[(&str, [&str; 2])] = &[
    ("asia1", ["asia-northeast1", "asia-northeast2"]),
    ("eur4", ["europe-north1", "europe-west4"]),
    ("eur5", ["europe-west1", "europe-west2"]),
    ("eur7", ["europe-west2", "europe-west3"]),
    ("eur8", ["europe-west3", "europe-west6"]),
    ("nam4", ["us-central1", "us-east1"]),
];

/// The `EU` multi-region holds data "within member states of the European
/// Union" (same documentation), which leaves out London (europe-west2) and
/// Zurich (europe-west6). Listed, not derived, so a new non-EU European
/// region cannot slip in.
const GCP_EU_REGIONS: &[&str] = &[
    "europe-central2",
    "europe-north1",
    "europe-north2",
    "europe-southwest1",
    "europe-west1",
    "europe-west3",
    "europe-west4",
    "europe-west8",
    "europe-west9",
    "europe-west10",
    "europe-west12",
];

/// The regions a GCS or BigQuery location may keep data in, so a rule can
/// tell whether compute in a region reads a bucket without cross-region
/// transfer. Case-insensitive.
///
/// - Multi-regions: `US` = the catalog's `us-*` regions, `ASIA` = its
///   `asia-*` regions (data centers in the United States / in Asia), `EU`
///   = the EU member-state regions above.
/// - Predefined dual-regions (`NAM4`, `EUR4`, ...): their two regions.
/// - Anything shaped like a region (`us-central1`): itself, lowercased.
/// - Anything else: empty.
pub fn gcp_location_regions(location: &str) -> Vec<String> {
    let location = ascii_lowercase(location.trim());
    let prefixed = |prefix: &str| -> Vec<String> {
        regions(Provider::Gcp)
            .into_iter()
            .filter(|region| region.name.starts_with(prefix))
            .map(|region| region.name.clone())
            .collect()
    };
    match location.as_ref() {
        "us" => prefixed("us-"),
        "asia" => prefixed("asia-"),
        "eu" => GCP_EU_REGIONS.iter().map(|r| (*r).to_owned()).collect(),
        name => match GCP_DUAL_REGIONS.iter().find(|(dual, _)| *dual == name) {
            Some((_, members)) => members.iter().map(|r| (*r).to_owned()).collect(),
            None if looks_like_gcp_region(name) => vec![name.to_owned()],
            None => Vec::new(),
        },
    }
}

fn looks_like_gcp_region(name: &str) -> bool {
    name.contains('-')
        && name.bytes().last().is_some_and(|b| b.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// List price per GB sent from an AWS region to any other AWS region
/// (AWS charges by source region only). `None` for regions without a
/// recorded price.
pub fn aws_transfer_price(from_region: &str) -> Option<f64> {
    region(Provider::Aws, from_region)?.transfer_out_usd_per_gb
}

/// US East (N. Virginia) and US East (Ohio) are billed at a reduced rate
/// between each other.
const AWS_US_EAST_PAIR_USD_PER_GB: f64 = 0.01;

/// Like [`aws_transfer_price`], but knows the one pair with its own rate
/// (us-east-1 <-> us-east-2). `None` within a single region, which is not
/// inter-region transfer.
pub fn aws_transfer_price_between(from_region: &str, to_region: &str) -> Option<f64> {
    let from = region(Provider::Aws, from_region)?;
    let to = region(Provider::Aws, to_region)?;
    match (from.name.as_str(), to.name.as_str()) {
        (a, b) if a == b => None,
        ("us-east-1", "us-east-2") | ("us-east-2", "us-east-1") => {
            Some(AWS_US_EAST_PAIR_USD_PER_GB)
        }
        _ => from.transfer_out_usd_per_gb,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_counts_match_the_readme() {
        let counts = Provider::ALL.map(|provider| regions(provider).len());
        assert_eq!(counts, [46, 43, 58]);
    }

    #[test]
    fn lookups() {
        let ireland = region(Provider::Aws, "eu-west-1").unwrap();
        assert_eq!(ireland.continent, "Europe");
        assert_eq!(ireland.transfer_out_usd_per_gb, Some(0.02));

        let belgium = region(Provider::Gcp, "EUROPE-WEST1").unwrap();
        assert_eq!(belgium.name, "europe-west1");
        assert_eq!(belgium.transfer_out_usd_per_gb, None);

        let west_europe = region(Provider::Azure, "West Europe").unwrap();
        assert_eq!(west_europe.name, "westeurope");
        assert_eq!(region(Provider::Azure, "westeurope"), Some(west_europe));
        assert_eq!(region(Provider::Azure, "WESTEUROPE"), Some(west_europe));
        assert!(
            region(Provider::Azure, "Austria East").is_some(),
            "no display name in the table"
        );

        assert_eq!(region(Provider::Aws, "westeurope"), None);
        assert_eq!(region(Provider::Gcp, "us-east-1"), None);
        assert_eq!(Provider::Azure.as_str(), "azure");
    }

    #[test]
    fn aws_zones() {
        let zone = |z| zone_to_region(Provider::Aws, z);
        assert_eq!(zone("us-east-1a").as_deref(), Some("us-east-1"));
        assert_eq!(zone("us-east-1-bos-1a").as_deref(), Some("us-east-1"));
        assert_eq!(
            zone("us-east-1-wl1-bos-wlz-1").as_deref(),
            Some("us-east-1")
        );
        assert_eq!(zone("us-gov-west-1a").as_deref(), Some("us-gov-west-1"));
        assert_eq!(zone("us-isob-east-1a").as_deref(), Some("us-isob-east-1"));
        assert_eq!(zone("eusc-de-east-1a").as_deref(), Some("eusc-de-east-1"));
        assert_eq!(zone("ap-southeast-12b").as_deref(), Some("ap-southeast-12"));
        assert_eq!(zone("use1-az1"), None);
        assert_eq!(zone("us-east1-b"), None);
        assert_eq!(zone("useast-1a"), None, "first segment longer than 4");
        assert_eq!(zone("us-1a"), None, "no word between prefix and number");
        assert_eq!(zone(""), None);
    }

    #[test]
    fn gcp_and_azure_zones() {
        let zone = |z| zone_to_region(Provider::Gcp, z);
        assert_eq!(zone("europe-west1-b").as_deref(), Some("europe-west1"));
        assert_eq!(zone("us-central1-f").as_deref(), Some("us-central1"));
        assert_eq!(
            zone("northamerica-northeast2-a").as_deref(),
            Some("northamerica-northeast2")
        );
        assert_eq!(zone("europe-west1"), None);
        assert_eq!(zone("us-central1-"), None);
        assert_eq!(zone_to_region(Provider::Azure, "1"), None);
    }

    #[test]
    fn every_example_zone_maps_to_its_region() {
        let csv = Csv::new(REGIONS_CSV);
        for record in csv.records() {
            let (Some(provider), Some(region), Some(zone)) = (
                record.text("provider"),
                record.text("region"),
                record.text("zone_name_example"),
            ) else {
                panic!("malformed row");
            };
            let provider = match provider {
                "aws" => Provider::Aws,
                "gcp" => Provider::Gcp,
                _ => continue,
            };
            assert_eq!(
                zone_to_region(provider, zone).as_deref(),
                Some(region),
                "{zone}"
            );
        }
    }

    #[test]
    fn gcp_locations() {
        let eu = gcp_location_regions("EU");
        assert!(eu.contains(&"europe-west1".to_owned()));
        assert!(
            !eu.contains(&"europe-west2".to_owned()),
            "London is not in the EU"
        );
        let us = gcp_location_regions("us");
        assert!(us.contains(&"us-central1".to_owned()));
        assert!(us.iter().all(|r| r.starts_with("us-")));
        assert!(gcp_location_regions("ASIA").contains(&"asia-northeast1".to_owned()));
        assert_eq!(gcp_location_regions("NAM4"), ["us-central1", "us-east1"]);
        assert_eq!(
            gcp_location_regions("eur4"),
            ["europe-north1", "europe-west4"]
        );
        assert_eq!(gcp_location_regions("US-CENTRAL1"), ["us-central1"]);
        assert!(gcp_location_regions("NAM99").is_empty());
        assert!(gcp_location_regions("").is_empty());
    }

    #[test]
    fn gcp_location_members_are_catalog_regions() {
        let names = GCP_EU_REGIONS.iter().chain(
            GCP_DUAL_REGIONS
                .iter()
                .flat_map(|(_, members)| members.iter()),
        );
        for name in names {
            assert!(region(Provider::Gcp, name).is_some(), "{name}");
        }
    }

    #[test]
    fn transfer_prices() {
        assert_eq!(aws_transfer_price("us-east-1"), Some(0.02));
        assert_eq!(aws_transfer_price("sa-east-1"), Some(0.138));
        assert_eq!(aws_transfer_price("ca-west-1"), None);
        assert_eq!(aws_transfer_price("nowhere-1"), None);
        assert_eq!(
            aws_transfer_price_between("us-east-1", "us-east-2"),
            Some(0.01)
        );
        assert_eq!(
            aws_transfer_price_between("us-east-2", "us-east-1"),
            Some(0.01)
        );
        assert_eq!(
            aws_transfer_price_between("us-east-1", "us-west-2"),
            Some(0.02)
        );
        assert_eq!(
            aws_transfer_price_between("af-south-1", "eu-west-1"),
            Some(0.147)
        );
        assert_eq!(aws_transfer_price_between("us-east-1", "us-east-1"), None);
    }
}
