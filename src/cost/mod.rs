//! The cost model: what one Terraform resource instance costs per month at
//! list price, from the compiled-in catalog, with the basis of every number
//! ("m5.large $0.096/h × 730 h × 3 instances, us-east-1 list price, catalog
//! 2026-07").
//!
//! It never guesses. An unknown size, type or count, a price the catalog
//! does not hold, or a pricing model it does not cover (spot capacity,
//! licences, Aurora, Cloud SQL) leaves the resource unpriced, with the
//! reason. A part of a priced resource that cannot be priced (a root volume
//! whose size comes from the AMI) is listed as excluded, so the sum is a
//! floor and says so.
//!
//! Prices are for one region per provider (AWS us-east-1, Google Cloud
//! us-central1, Azure eastus), whatever region a resource is in: an
//! estimate is an order of magnitude, shown next to its data date.
//!
//! Kubernetes objects are not priced. A container's requests do not make a
//! bill: nodes do, and how pods pack onto nodes (node sizes, bin packing,
//! daemon sets, spot pools, cluster autoscaler settings) is not in the
//! manifests. A per-pod price would be a guess dressed as a number.

pub mod machines;
pub mod report;
mod resource;
pub mod storage;

pub use resource::{ResourceCost, estimate, module_costs};

use crate::catalog::HOURS_PER_MONTH;
use crate::finding::Diagnostic;
use crate::model::terraform::{Module, Resource};

/// The assumed discount of spot / preemptible capacity below on-demand,
/// used for savings that come from moving to spot. Google Cloud documents
/// 60–91% off for Spot VMs and AWS "up to 90%" for Spot Instances; the
/// low end is used so that a promised saving is not overstated.
pub const SPOT_DISCOUNT: f64 = 0.6;

/// Hourly list price to a month of `machines` machines.
pub fn monthly(hourly_usd: f64, machines: u32) -> f64 {
    hourly_usd * HOURS_PER_MONTH * f64::from(machines)
}

/// Rounded to the cent, so that machine-readable output stays stable.
pub fn cents(usd: f64) -> f64 {
    (usd * 100.0).round() / 100.0
}

/// A unit price as the catalog has it, with at least two decimals and no
/// trailing zeros beyond them: `$0.096`, `$0.10`, `$0.194236`.
pub fn usd_rate(usd: f64) -> String {
    let mut s = format!("{usd:.6}");
    while s.ends_with('0') && s.len() - s.find('.').unwrap_or(s.len()) > 3 {
        s.pop();
    }
    format!("${s}")
}

/// One priced part of a resource: its machines, a volume, provisioned IOPS.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// "compute", "root volume", "storage", "boot disk".
    pub what: String,
    /// For one instance of the resource (its machines and copies included).
    pub monthly_usd: f64,
    /// How the number is made, with the price region and data date.
    pub basis: String,
    /// Normalised attribute path the price comes from.
    pub attribute: Option<String>,
}

/// A priced resource instance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Estimate {
    pub components: Vec<Component>,
    /// Parts that cost money but could not be priced, with why
    /// ("root volume: size and type come from the AMI").
    pub excluded: Vec<String>,
}

impl Estimate {
    pub fn monthly_usd(&self) -> f64 {
        self.components.iter().map(|c| c.monthly_usd).sum()
    }

    /// The components' bases joined, for one-line output.
    pub fn basis(&self) -> String {
        self.components
            .iter()
            .map(|c| c.basis.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// What the model can say about a resource instance.
#[derive(Debug, Clone, PartialEq)]
pub enum Cost {
    Priced(Estimate),
    /// A type the model prices, but not this instance: why.
    Unpriced(String),
    /// A type outside the model: usage-priced (buckets, functions), free
    /// (IAM, networks, templates) or not covered yet.
    NotModelled,
}

impl Cost {
    pub fn estimate(&self) -> Option<&Estimate> {
        match self {
            Cost::Priced(e) => Some(e),
            _ => None,
        }
    }

    pub fn monthly_usd(&self) -> Option<f64> {
        self.estimate().map(Estimate::monthly_usd)
    }
}

/// Gives a finding about a whole resource the resource's estimated monthly
/// cost and its basis, when the model can price it.
pub fn with_resource_cost(d: Diagnostic, r: &Resource<'_>, module: &Module<'_>) -> Diagnostic {
    let Cost::Priced(e) = estimate(r, module) else {
        return d;
    };
    let mut d = d
        .monthly_cost(Some(cents(e.monthly_usd())))
        .property("monthly_cost_basis", e.basis());
    if !e.excluded.is_empty() {
        d = d.property("monthly_cost_excludes", e.excluded);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_keep_the_catalog_digits() {
        assert_eq!(usd_rate(0.096), "$0.096");
        assert_eq!(usd_rate(0.1), "$0.10");
        assert_eq!(usd_rate(1.008), "$1.008");
        assert_eq!(usd_rate(0.194236), "$0.194236");
        assert_eq!(usd_rate(5.28), "$5.28");
        assert_eq!(usd_rate(2.0), "$2.00");
    }

    #[test]
    fn monthly_and_cents() {
        assert_eq!(cents(monthly(0.096, 3)), 210.24);
        assert_eq!(cents(monthly(0.096, 0)), 0.0);
    }
}
