//! `costlint cost`: the estimated monthly cost of every root module and of
//! each resource in it, as a table or JSON.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{Component, Cost, ResourceCost, cents, module_costs};
use crate::catalog;
use crate::check::{CheckOptions, for_each_root};
use crate::config::Settings;
use crate::model::terraform::Module;
use crate::source::fs::FileSystem;
use crate::source::{FileKind, Files, display_path};

/// Version of the JSON document; changes only when a field is removed or
/// changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// The months of the catalog's prices, for footnotes.
pub fn data_dates() -> Vec<(&'static str, String)> {
    let (oldest, newest) = catalog::storage_data_dates();
    vec![
        ("EC2", catalog::AWS_EC2_DATA_DATE.to_owned()),
        ("RDS", catalog::AWS_RDS_DATA_DATE.to_owned()),
        ("ElastiCache", catalog::AWS_ELASTICACHE_DATA_DATE.to_owned()),
        ("Compute Engine", catalog::GCP_MACHINE_DATA_DATE.to_owned()),
        ("Azure VMs", catalog::AZURE_VM_DATA_DATE.to_owned()),
        ("block storage", format!("{oldest} to {newest}")),
    ]
}

/// "EC2 2026-07, RDS 2022-01, …".
pub fn data_dates_line() -> String {
    data_dates()
        .iter()
        .map(|(what, date)| format!("{what} {date}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The regions every price is for.
pub const PRICE_REGIONS: &str = "AWS us-east-1, Google Cloud us-central1, Azure eastus";

/// One line of a module's table: a resource block whose instances cost
/// the same, or one instance.
#[derive(Debug, Clone)]
pub struct Row {
    pub address: String,
    pub rtype: String,
    pub path: String,
    pub line: usize,
    pub instances: usize,
    pub cost: Cost,
}

impl Row {
    /// The row's total: the instance cost times the instances.
    pub fn monthly_usd(&self) -> Option<f64> {
        self.cost
            .monthly_usd()
            .map(|usd| cents(usd * self.instances as f64))
    }
}

/// A root module and its resources.
#[derive(Debug, Clone)]
pub struct ModuleCost {
    /// The module's directory, relative to the working directory.
    pub path: String,
    /// Priced rows first (most expensive first), then unpriced ones.
    pub rows: Vec<Row>,
    /// Resource types outside the model, with their instance counts.
    pub outside: BTreeMap<String, usize>,
}

impl ModuleCost {
    pub fn new(module: &Module<'_>, cwd: &Path) -> ModuleCost {
        let path = root_dir(module).map_or_else(String::new, |d| display_path(&d, cwd));
        let mut rows: Vec<Row> = Vec::new();
        let mut outside: BTreeMap<String, usize> = BTreeMap::new();
        let costs = module_costs(module);
        let mut i = 0;
        while let Some(first) = costs.get(i) {
            let block: Vec<&ResourceCost> = costs
                .iter()
                .skip(i)
                .take_while(|c| c.block_address == first.block_address)
                .collect();
            i += block.len();
            if first.cost == Cost::NotModelled {
                *outside.entry(first.rtype.clone()).or_default() += block.len();
                continue;
            }
            let (path, line) = place(module.files, first);
            let same = block.iter().all(|c| c.cost == first.cost);
            if same {
                rows.push(Row {
                    address: if block.len() > 1 {
                        first.block_address.clone()
                    } else {
                        first.address.clone()
                    },
                    rtype: first.rtype.clone(),
                    path,
                    line,
                    instances: block.len(),
                    cost: first.cost.clone(),
                });
            } else {
                for c in block {
                    let (path, line) = place(module.files, c);
                    rows.push(Row {
                        address: c.address.clone(),
                        rtype: c.rtype.clone(),
                        path,
                        line,
                        instances: 1,
                        cost: c.cost.clone(),
                    });
                }
            }
        }
        rows.sort_by(|a, b| match (a.monthly_usd(), b.monthly_usd()) {
            (Some(x), Some(y)) => y.total_cmp(&x).then_with(|| a.address.cmp(&b.address)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.address.cmp(&b.address),
        });
        ModuleCost {
            path,
            rows,
            outside,
        }
    }

    pub fn monthly_usd(&self) -> f64 {
        cents(self.rows.iter().filter_map(Row::monthly_usd).sum())
    }

    /// Instances priced and unpriced.
    pub fn counts(&self) -> (usize, usize) {
        self.rows
            .iter()
            .fold((0, 0), |(priced, unpriced), r| match r.monthly_usd() {
                Some(_) => (priced + r.instances, unpriced),
                None => (priced, unpriced + r.instances),
            })
    }
}

/// The root module's directory (a plan's file for a plan).
pub fn root_dir(module: &Module<'_>) -> Option<PathBuf> {
    let dir = &module.model.config_of(0)?.dir;
    // A plan's configurations are named `<plan file>#<module address>`.
    match dir.to_str().and_then(|s| s.split_once('#')) {
        Some((plan, _)) => Some(PathBuf::from(plan)),
        None => Some(dir.clone()),
    }
}

fn place(files: &Files, c: &ResourceCost) -> (String, usize) {
    match files.get(c.at.file) {
        Some(f) => (f.path.to_string(), f.position(c.at.span.start).line),
        None => (String::new(), 0),
    }
}

/// Every root module of a run.
#[derive(Debug, Clone, Default)]
pub struct CostReport {
    /// Sorted by path.
    pub modules: Vec<ModuleCost>,
    /// Kubernetes manifest files among the paths, which are not priced.
    pub manifests: usize,
}

impl CostReport {
    /// Prices the root modules among `paths` (absolute, discovered) and the
    /// plan of `opts`.
    pub fn new(
        paths: &[PathBuf],
        settings: &Settings,
        fs: &dyn FileSystem,
        opts: &CheckOptions,
    ) -> CostReport {
        let mut modules = for_each_root(paths, settings, fs, opts, &|builder| {
            let module = Module::new(&builder.model, &builder.files, &settings.environments);
            ModuleCost::new(&module, &opts.cwd)
        });
        modules.sort_by(|a, b| a.path.cmp(&b.path));
        let manifests = paths
            .iter()
            .filter(|p| FileKind::from_path(p) == Some(FileKind::Yaml))
            .count();
        CostReport { modules, manifests }
    }

    pub fn monthly_usd(&self) -> f64 {
        cents(self.modules.iter().map(ModuleCost::monthly_usd).sum())
    }

    /// The table `costlint cost` prints.
    pub fn text(&self) -> String {
        let mut s = String::new();
        if self.modules.is_empty() {
            s.push_str("No Terraform root module found.\n");
        }
        for m in &self.modules {
            render_module(&mut s, m);
        }
        let (priced, unpriced) = self
            .modules
            .iter()
            .map(ModuleCost::counts)
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
        if !self.modules.is_empty() {
            let _ = writeln!(
                s,
                "Total: about {}/month for {} ({} priced{}).",
                usd_cents(self.monthly_usd()),
                plural(self.modules.len(), "root module"),
                plural(priced, "resource"),
                if unpriced > 0 {
                    format!(
                        ", {} could not be priced and {} not counted",
                        plural(unpriced, "resource"),
                        if unpriced == 1 { "is" } else { "are" }
                    )
                } else {
                    String::new()
                }
            );
        }
        if self.manifests > 0 {
            let _ = writeln!(
                s,
                "{} not priced: what pods cost depends on the nodes they are packed onto, which manifests do not say.",
                plural(self.manifests, "Kubernetes manifest file")
            );
        }
        let _ = writeln!(
            s,
            "On-demand list prices for {PRICE_REGIONS}, whatever region a resource is in; 730 hours a month; no discounts, taxes or licences. Catalog: {}.",
            data_dates_line()
        );
        s
    }

    /// The JSON document of `costlint cost --format json`.
    pub fn json(&self) -> Value {
        json!({
            "version": SCHEMA_VERSION,
            "tool": {"name": "costlint", "version": env!("CARGO_PKG_VERSION")},
            "monthly_usd": self.monthly_usd(),
            "modules": self.modules.iter().map(module_json).collect::<Vec<_>>(),
            "kubernetes_manifests_not_priced": self.manifests,
            "assumptions": {
                "hours_per_month": catalog::HOURS_PER_MONTH,
                "price_regions": {"aws": "us-east-1", "google": "us-central1", "azure": "eastus"},
                "data_dates": data_dates()
                    .into_iter()
                    .map(|(what, date)| (what.to_owned(), Value::String(date)))
                    .collect::<serde_json::Map<_, _>>(),
            },
        })
    }
}

/// `$1,482.92`: cents always, so that columns line up.
pub fn usd_cents(usd: f64) -> String {
    let cents = (usd * 100.0).round() as i64;
    let (whole, frac) = (cents / 100, (cents % 100).abs());
    let digits = whole.abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}${grouped}.{frac:02}")
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn render_module(s: &mut String, m: &ModuleCost) {
    let (priced, unpriced) = m.counts();
    let outside: usize = m.outside.values().sum();
    let mut counts = vec![format!("{priced} priced")];
    if unpriced > 0 {
        counts.push(format!("{unpriced} unpriced"));
    }
    if outside > 0 {
        counts.push(format!("{outside} outside the cost model"));
    }
    let _ = writeln!(
        s,
        "{}: about {}/month ({})",
        m.path,
        usd_cents(m.monthly_usd()),
        counts.join(", ")
    );
    for row in &m.rows {
        let instances = if row.instances > 1 {
            format!(" ({} instances)", row.instances)
        } else {
            String::new()
        };
        let amount = row
            .monthly_usd()
            .map_or_else(|| "unpriced".to_owned(), usd_cents);
        let _ = writeln!(
            s,
            "  {amount:>10}  {}{instances}  {}:{}",
            row.address, row.path, row.line
        );
        match &row.cost {
            Cost::Priced(e) => {
                for c in &e.components {
                    let each = if row.instances > 1 { " each" } else { "" };
                    let _ = writeln!(
                        s,
                        "  {:>10}    {} {}{each}: {}",
                        "",
                        c.what,
                        usd_cents(c.monthly_usd),
                        c.basis
                    );
                }
                for x in &e.excluded {
                    let _ = writeln!(s, "  {:>10}    not counted: {x}", "");
                }
            }
            Cost::Unpriced(why) => {
                let _ = writeln!(s, "  {:>10}    {why}", "");
            }
            Cost::NotModelled => {}
        }
    }
    if !m.outside.is_empty() {
        let types: Vec<String> = m
            .outside
            .iter()
            .map(|(t, n)| {
                if *n > 1 {
                    format!("{t} ×{n}")
                } else {
                    t.clone()
                }
            })
            .collect();
        let _ = writeln!(
            s,
            "  Outside the cost model (usage-priced, free or not covered): {}",
            types.join(", ")
        );
    }
    s.push('\n');
}

fn component_json(c: &Component) -> Value {
    json!({
        "what": c.what,
        "monthly_usd": c.monthly_usd,
        "basis": c.basis,
        "attribute": c.attribute,
    })
}

fn module_json(m: &ModuleCost) -> Value {
    let (priced, unpriced) = m.counts();
    json!({
        "path": m.path,
        "monthly_usd": m.monthly_usd(),
        "priced": priced,
        "unpriced": unpriced,
        "resources": m.rows.iter().map(|r| {
            let (components, excluded, why) = match &r.cost {
                Cost::Priced(e) => (
                    e.components.iter().map(component_json).collect::<Vec<_>>(),
                    e.excluded.clone(),
                    None,
                ),
                Cost::Unpriced(why) => (Vec::new(), Vec::new(), Some(why.clone())),
                Cost::NotModelled => (Vec::new(), Vec::new(), None),
            };
            json!({
                "address": r.address,
                "type": r.rtype,
                "path": r.path,
                "line": r.line,
                "instances": r.instances,
                "monthly_usd": r.monthly_usd(),
                "components": components,
                "excluded": excluded,
                "unpriced": why,
            })
        }).collect::<Vec<_>>(),
        "outside_model": m.outside,
    })
}
