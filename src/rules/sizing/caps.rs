//! What the size-cap rules share: caps per environment and how they are
//! resolved, which environment a resource or object belongs to, and how
//! sizes are written in messages.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::catalog::InstanceSpec;
use crate::finding::{Diagnostic, Loc};
use crate::kubernetes::object::Object;
use crate::kubernetes::quantity::trim_number;
use crate::model::kubernetes::{EnvSource, Manifests};
use crate::model::terraform::{EnvTag, Resource};
use crate::model::{EnvClass, Environments, pattern_matches};

/// Which environment a resource belongs to, as far as can be known.
#[derive(Debug, Clone, PartialEq)]
pub enum EnvState {
    Known {
        name: String,
        class: EnvClass,
        /// "environment `dev`", "namespace `shop-dev`": for messages.
        described: String,
        /// Where the environment tag or label was written.
        origin: Option<Loc>,
    },
    /// No environment tag or label: the rule-wide caps apply.
    Missing,
    /// An environment tag whose value is not known statically, or tags
    /// that may hide one: only what is over every environment's cap is
    /// reported.
    Unknown,
}

impl EnvState {
    /// The environment of a Terraform resource ([`EnvTag`]).
    pub fn of_resource(r: &Resource<'_>, environments: &Environments) -> EnvState {
        match r.env_tag(environments).into_owned() {
            EnvTag::Known {
                name,
                origin,
                class,
            } => EnvState::Known {
                class,
                described: format!("environment `{name}`"),
                name,
                origin,
            },
            EnvTag::Unknown => EnvState::Unknown,
            EnvTag::Missing => EnvState::Missing,
        }
    }

    /// The environment of a Kubernetes object: its labels, its pod
    /// template's, its Namespace object's, else the namespace name.
    pub fn of_object(manifests: &Manifests<'_>, object: &Object<'_>) -> EnvState {
        match manifests.env_class(object) {
            Some((class, env)) => EnvState::Known {
                class,
                described: env.describe(),
                origin: match env.source {
                    EnvSource::Label(loc) => Some(loc),
                    _ => None,
                },
                name: env.name,
            },
            None => EnvState::Missing,
        }
    }

    /// Completes "over the cap of 8 vCPU …".
    pub fn scope(&self) -> String {
        match self {
            EnvState::Known { described, .. } => format!("for {described}"),
            EnvState::Missing => "that applies where no environment is set".into(),
            EnvState::Unknown => {
                "that applies in every environment (the environment tag is not known statically)"
                    .into()
            }
        }
    }

    /// The second half of a help line: which cap to raise.
    pub fn raise(&self) -> String {
        match self {
            EnvState::Known { name, .. } => format!("raise the cap for `{name}`"),
            EnvState::Missing => "raise the rule-wide cap".into(),
            EnvState::Unknown => "raise the caps".into(),
        }
    }

    /// Adds `environment` and `environment_class`, and where the
    /// environment was set.
    pub fn annotate(&self, mut d: Diagnostic) -> Diagnostic {
        if let EnvState::Known {
            name,
            class,
            origin,
            ..
        } = self
        {
            d = d
                .property("environment", name.as_str())
                .property("environment_class", class.name());
            if let Some(origin) = origin {
                if *origin != d.at {
                    d = d.related(*origin, format!("environment `{name}` is set here"));
                }
            }
        }
        d
    }
}

/// One set of limits (a cap) that can sit above or below another.
pub trait Layer: Clone {
    /// Takes the limits this layer leaves unset from the layer below.
    fn fill_from(&mut self, below: &Self);
    /// Widens to the looser of the two (an unset limit is no limit).
    fn loosen(&mut self, other: &Self);
}

/// Implements [`Layer`] for a cap whose limits are all `Option`s: each
/// limit is filled from the layer below, and loosened limit by limit.
macro_rules! limits_layer {
    ($ty:ty { $($field:ident),+ $(,)? }) => {
        impl $crate::rules::sizing::caps::Layer for $ty {
            fn fill_from(&mut self, below: &Self) {
                $($crate::rules::sizing::caps::fill(&mut self.$field, &below.$field);)+
            }

            fn loosen(&mut self, other: &Self) {
                $($crate::rules::sizing::caps::looser(&mut self.$field, &other.$field);)+
            }
        }
    };
}
pub(crate) use limits_layer;

/// `a` unless unset, else `b`.
pub fn fill<T: Clone>(a: &mut Option<T>, b: &Option<T>) {
    if a.is_none() {
        a.clone_from(b);
    }
}

/// The looser of two limits; `None` (no limit) is the loosest.
pub fn looser<T: PartialOrd + Clone>(a: &mut Option<T>, b: &Option<T>) {
    match (a.as_ref(), b) {
        (Some(x), Some(y)) if y > x => *a = Some(y.clone()),
        (Some(_), None) => *a = None,
        _ => {}
    }
}

/// The built-in `environments` entries, built once.
static BUILTIN_MACHINE_CAPS: OnceLock<BTreeMap<String, MachineCap>> = OnceLock::new();

/// Keys of `environments` that name a class rather than an environment.
const CLASS_KEYS: [&str; 3] = ["production", "ephemeral", "non-production"];

fn class_keys(class: EnvClass) -> &'static [&'static str] {
    match class {
        EnvClass::Production => &["production"],
        EnvClass::Ephemeral => &["ephemeral", "non-production"],
        EnvClass::NonProduction => &["non-production"],
        EnvClass::Other => &[],
    }
}

/// The cap of an environment. For each limit the first layer that sets it
/// wins: configured entries naming the environment (exact name, then `*`
/// patterns), then for each class the environment is in the configured
/// entry and the built-in one, then the rule-wide limits (`top`). An
/// unknown environment gets the loosest cap of all, so whatever it turns
/// out to be, a finding is right.
pub fn resolve<L: Layer>(
    top: &L,
    configured: &BTreeMap<String, L>,
    builtin: &BTreeMap<String, L>,
    env: &EnvState,
    environments: &Environments,
) -> L {
    match env {
        EnvState::Known { name, class, .. } => chain(top, configured, builtin, name, *class),
        EnvState::Missing => top.clone(),
        EnvState::Unknown => {
            let mut loosest = top.clone();
            for key in configured.keys().chain(builtin.keys()) {
                let class = environments.classify(key);
                loosest.loosen(&chain(top, configured, builtin, key, class));
            }
            for class in [
                EnvClass::Production,
                EnvClass::Ephemeral,
                EnvClass::NonProduction,
                EnvClass::Other,
            ] {
                loosest.loosen(&chain(top, configured, builtin, "", class));
            }
            loosest
        }
    }
}

fn chain<L: Layer>(
    top: &L,
    configured: &BTreeMap<String, L>,
    builtin: &BTreeMap<String, L>,
    name: &str,
    class: EnvClass,
) -> L {
    let named = configured
        .iter()
        .filter(|(key, _)| !CLASS_KEYS.contains(&key.as_str()));
    let exact = named
        .clone()
        .filter(|(key, _)| key.eq_ignore_ascii_case(name));
    let patterns = named.filter(|(key, _)| {
        !key.eq_ignore_ascii_case(name) && !name.is_empty() && pattern_matches(key, name)
    });
    let classes = class_keys(class)
        .iter()
        .flat_map(|key| [configured.get(*key), builtin.get(*key)])
        .flatten();
    let mut out: Option<L> = None;
    for layer in exact
        .chain(patterns)
        .map(|(_, layer)| layer)
        .chain(classes)
        .chain([top])
    {
        match out.as_mut() {
            Some(cap) => cap.fill_from(layer),
            None => out = Some(layer.clone()),
        }
    }
    out.unwrap_or_else(|| top.clone())
}

/// A cap on machine sizes, rule-wide or for one environment or class.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct MachineCap {
    /// Most vCPUs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_vcpu: Option<u32>,
    /// Most memory, in GiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_memory_gib: Option<u32>,
    /// Most GPUs (`0`: none allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_gpus: Option<u32>,
    /// Types (`p4d.24xlarge`, `Standard_NC*`) or families (`x2idn`) that are
    /// never reported, on top of the rule-wide list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
}

impl Layer for MachineCap {
    fn fill_from(&mut self, below: &Self) {
        fill(&mut self.max_vcpu, &below.max_vcpu);
        fill(&mut self.max_memory_gib, &below.max_memory_gib);
        fill(&mut self.max_gpus, &below.max_gpus);
        union(&mut self.allow, &below.allow);
    }

    fn loosen(&mut self, other: &Self) {
        looser(&mut self.max_vcpu, &other.max_vcpu);
        looser(&mut self.max_memory_gib, &other.max_memory_gib);
        looser(&mut self.max_gpus, &other.max_gpus);
        union(&mut self.allow, &other.allow);
    }
}

fn union(a: &mut Vec<String>, b: &[String]) {
    for item in b {
        if !a.contains(item) {
            a.push(item.clone());
        }
    }
}

/// The options of a machine size cap (instances, databases).
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct MachineCaps {
    /// Most vCPUs wherever no environment entry says otherwise.
    pub max_vcpu: Option<u32>,
    /// Most memory in GiB wherever no environment entry says otherwise.
    pub max_memory_gib: Option<u32>,
    /// Most GPUs wherever no environment entry says otherwise (unset: no
    /// limit).
    pub max_gpus: Option<u32>,
    /// Types or families never reported (`*` patterns allowed).
    pub allow: Vec<String>,
    /// Caps per environment name (or `*` pattern) or class (`production`,
    /// `non-production`, `ephemeral`). A limit an entry leaves out comes
    /// from its class, then from the rule-wide limits; the built-in
    /// `non-production` entry stays under whatever is configured.
    pub environments: BTreeMap<String, MachineCap>,
}

impl Default for MachineCaps {
    fn default() -> Self {
        MachineCaps {
            max_vcpu: Some(32),
            max_memory_gib: Some(256),
            max_gpus: None,
            allow: Vec::new(),
            environments: BTreeMap::from([(
                "non-production".to_owned(),
                MachineCap {
                    max_vcpu: Some(8),
                    max_memory_gib: Some(32),
                    max_gpus: Some(0),
                    allow: Vec::new(),
                },
            )]),
        }
    }
}

impl MachineCaps {
    pub fn cap_for(&self, env: &EnvState, environments: &Environments) -> MachineCap {
        let top = MachineCap {
            max_vcpu: self.max_vcpu,
            max_memory_gib: self.max_memory_gib,
            max_gpus: self.max_gpus,
            allow: self.allow.clone(),
        };
        resolve(
            &top,
            &self.environments,
            BUILTIN_MACHINE_CAPS.get_or_init(|| MachineCaps::default().environments),
            env,
            environments,
        )
    }
}

/// One limit a machine is over.
#[derive(Debug, Clone, PartialEq)]
pub struct Excess {
    pub what: &'static str,
    pub actual: f64,
    pub cap: u32,
}

/// Whether an `allow` list names a size (exactly or by a `*` pattern,
/// ignoring case) or its family.
pub fn allowed(allow: &[String], name: &str, family: &str) -> bool {
    allow.iter().any(|entry| {
        pattern_matches(entry, name) || (!family.is_empty() && entry.eq_ignore_ascii_case(family))
    })
}

impl MachineCap {
    pub fn allows(&self, spec: &InstanceSpec) -> bool {
        allowed(&self.allow, &spec.name, &spec.family)
    }

    /// The limits a machine is known to be over; unknown sizes are never
    /// over anything.
    pub fn excess(&self, spec: &InstanceSpec) -> Vec<Excess> {
        let dims = [
            ("vCPU", spec.vcpu, self.max_vcpu),
            ("GiB", spec.memory_gib, self.max_memory_gib),
            ("GPU", spec.gpus.map(f64::from), self.max_gpus),
        ];
        dims.into_iter()
            .filter_map(|(what, actual, cap)| {
                let (actual, cap) = (actual?, cap?);
                (actual > f64::from(cap)).then_some(Excess { what, actual, cap })
            })
            .collect()
    }

    /// Whether a machine is known to be within every limit.
    pub fn fits(&self, spec: &InstanceSpec) -> bool {
        let within = |actual: Option<f64>, cap: Option<u32>| match cap {
            Some(cap) => actual.is_some_and(|a| a <= f64::from(cap)),
            None => true,
        };
        within(spec.vcpu, self.max_vcpu)
            && within(spec.memory_gib, self.max_memory_gib)
            && within(spec.gpus.map(f64::from), self.max_gpus)
    }

    /// "8 vCPU / 32 GiB", with the GPU limit only for a machine that has
    /// GPUs: for the others it is noise.
    pub fn describe_for(&self, spec: &InstanceSpec) -> String {
        if spec.gpus.is_some_and(|g| g > 0) {
            self.describe()
        } else {
            MachineCap {
                max_gpus: None,
                ..self.clone()
            }
            .describe()
        }
    }

    /// "8 vCPU / 32 GiB / no GPU".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(v) = self.max_vcpu {
            parts.push(format!("{v} vCPU"));
        }
        if let Some(m) = self.max_memory_gib {
            parts.push(format!("{m} GiB"));
        }
        match self.max_gpus {
            Some(0) => parts.push("no GPU".into()),
            Some(g) => parts.push(plural(g.into(), "GPU")),
            None => {}
        }
        parts.join(" / ")
    }
}

/// "96 vCPU / 384 GiB / 8 GPUs", with what the catalog knows.
pub fn describe_spec(spec: &InstanceSpec) -> String {
    let mut parts = Vec::new();
    if let Some(v) = spec.vcpu {
        parts.push(format!("{} vCPU", trim_number(v)));
    }
    if let Some(m) = spec.memory_gib {
        parts.push(format!("{} GiB", trim_number(m)));
    }
    if let Some(g) = spec.gpus.filter(|g| *g > 0) {
        parts.push(plural(g.into(), "GPU"));
    }
    parts.join(" / ")
}

/// "1 GPU", "4 GPUs".
pub fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

pub use crate::cost::{cents, monthly};

/// `1,024`, `16,000`, `1.5`: whole numbers with thousands separators.
pub fn number(value: f64) -> String {
    if value.fract() != 0.0 || value.abs() >= 1e15 {
        return trim_number(value);
    }
    let digits = format!("{}", value.abs() as u64);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let sign = if value < 0.0 { "-" } else { "" };
    format!("{sign}{out}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(name: &str) -> EnvState {
        let environments = Environments::default();
        EnvState::Known {
            class: environments.classify(name),
            described: format!("environment `{name}`"),
            name: name.to_owned(),
            origin: None,
        }
    }

    fn cap(vcpu: Option<u32>, memory: Option<u32>, gpus: Option<u32>) -> MachineCap {
        MachineCap {
            max_vcpu: vcpu,
            max_memory_gib: memory,
            max_gpus: gpus,
            allow: Vec::new(),
        }
    }

    #[test]
    fn defaults_by_class() {
        let caps = MachineCaps::default();
        let e = Environments::default();
        assert_eq!(
            caps.cap_for(&known("prod"), &e),
            cap(Some(32), Some(256), None)
        );
        assert_eq!(
            caps.cap_for(&known("dev"), &e),
            cap(Some(8), Some(32), Some(0))
        );
        assert_eq!(
            caps.cap_for(&known("pr-42"), &e),
            cap(Some(8), Some(32), Some(0)),
            "ephemeral is non-production"
        );
        assert_eq!(
            caps.cap_for(&known("perf"), &e),
            cap(Some(32), Some(256), None)
        );
        assert_eq!(
            caps.cap_for(&EnvState::Missing, &e),
            cap(Some(32), Some(256), None)
        );
        assert_eq!(
            caps.cap_for(&EnvState::Unknown, &e),
            cap(Some(32), Some(256), None),
            "the loosest of all"
        );
    }

    #[test]
    fn configured_layers_win_limit_by_limit() {
        let toml = r#"
            max-vcpu = 64
            allow = ["x2idn"]
            [environments.non-production]
            max-vcpu = 16
            [environments.dev]
            max-gpus = 1
            allow = ["g5.xlarge"]
            [environments."pr-*"]
            max-memory-gib = 8
        "#;
        let caps: MachineCaps = toml::from_str(toml).unwrap();
        let e = Environments::default();
        let dev = caps.cap_for(&known("dev"), &e);
        // max-gpus from `dev`, max-vcpu from the configured class, memory
        // from the built-in class entry.
        assert_eq!(
            (dev.max_vcpu, dev.max_memory_gib, dev.max_gpus),
            (Some(16), Some(32), Some(1))
        );
        assert_eq!(dev.allow, ["g5.xlarge", "x2idn"]);
        let pr = caps.cap_for(&known("pr-7"), &e);
        assert_eq!(
            (pr.max_vcpu, pr.max_memory_gib, pr.max_gpus),
            (Some(16), Some(8), Some(0))
        );
        let prod = caps.cap_for(&known("prod"), &e);
        assert_eq!((prod.max_vcpu, prod.max_memory_gib), (Some(64), Some(256)));
        let unknown = caps.cap_for(&EnvState::Unknown, &e);
        assert_eq!(
            (unknown.max_vcpu, unknown.max_memory_gib, unknown.max_gpus),
            (Some(64), Some(256), None)
        );
        assert!(unknown.allow.contains(&"g5.xlarge".to_owned()));
    }

    #[test]
    fn unknown_options_are_rejected() {
        assert!(toml::from_str::<MachineCaps>("max-cpu = 4").is_err());
        assert!(toml::from_str::<MachineCaps>("[environments.dev]\nvcpu = 4").is_err());
    }

    #[test]
    fn excess_and_fit() {
        let spec = crate::catalog::aws_ec2("m5.24xlarge").unwrap();
        let dev = cap(Some(8), Some(32), Some(0));
        let over = dev.excess(spec);
        assert_eq!(over.len(), 2);
        assert!(!dev.fits(spec));
        assert!(dev.fits(crate::catalog::aws_ec2("m5.2xlarge").unwrap()));
        assert_eq!(describe_spec(spec), "96 vCPU / 384 GiB");
        assert_eq!(dev.describe(), "8 vCPU / 32 GiB / no GPU");
        let p = crate::catalog::aws_ec2("p3.8xlarge").unwrap();
        assert_eq!(describe_spec(p), "32 vCPU / 244 GiB / 4 GPUs");
        assert_eq!(dev.excess(p).len(), 3);
    }

    #[test]
    fn numbers_group_thousands() {
        assert_eq!(number(1024.0), "1,024");
        assert_eq!(number(100.0), "100");
        assert_eq!(number(1_000_000.0), "1,000,000");
        assert_eq!(number(1.5), "1.5");
        assert_eq!(number(-2000.0), "-2,000");
    }

    #[test]
    fn allow_by_type_pattern_or_family() {
        let spec = crate::catalog::aws_ec2("p4d.24xlarge").unwrap();
        let mut c = cap(None, None, None);
        assert!(!c.allows(spec));
        c.allow = vec!["p4d".into()];
        assert!(c.allows(spec));
        c.allow = vec!["p4d.*".into()];
        assert!(c.allows(spec));
        c.allow = vec!["P4D.24XLARGE".into()];
        assert!(c.allows(spec));
    }
}
