//! The resource view rules see, whatever the input format.

pub mod dump;
pub mod kubernetes;
pub mod references;
pub mod terraform;

use serde::{Deserialize, Serialize};

/// Normalises a tag or label key for comparison: case-insensitive, and
/// `-`, `_`, `.` and spaces ignored, so `CostCenter`, `cost-center` and
/// `cost_center` are one key.
pub fn normalize_key(key: &str) -> String {
    key_chars(key).collect()
}

fn key_chars(key: &str) -> impl Iterator<Item = char> + '_ {
    key.chars()
        .filter(|c| !matches!(c, '-' | '_' | ' ' | '.'))
        .flat_map(char::to_lowercase)
}

fn ascii_key(key: &str) -> impl Iterator<Item = u8> + '_ {
    key.bytes()
        .filter(|c| !matches!(c, b'-' | b'_' | b' ' | b'.'))
        .map(|c| c.to_ascii_lowercase())
}

/// `normalize_key(a) == normalize_key(b)` without allocating: rules ask
/// this for every tag of every resource.
pub fn same_key(a: &str, b: &str) -> bool {
    // Byte by byte while both sides are ASCII, so most pairs (keys that
    // differ early) are told apart without reading either key to its end.
    // An ASCII byte lowercases alike both ways, so the answer is decided
    // here unless a non-ASCII byte turns up, which needs Unicode rules.
    let is_sep = |c: &u8| matches!(c, b'-' | b'_' | b' ' | b'.');
    let (mut x, mut y) = (a.bytes(), b.bytes());
    loop {
        match (x.find(|c| !is_sep(c)), y.find(|c| !is_sep(c))) {
            (None, None) => return true,
            (Some(p), Some(q)) if p.is_ascii() && q.is_ascii() => {
                if !p.eq_ignore_ascii_case(&q) {
                    return false;
                }
            }
            (Some(p), None) | (None, Some(p)) if p.is_ascii() => return false,
            _ => return key_chars(a).eq(key_chars(b)),
        }
    }
}

/// How costly mistakes in an environment are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnvClass {
    Production,
    /// Preview, PR and sandbox environments: non-production and short-lived.
    Ephemeral,
    NonProduction,
    /// A named environment in no class.
    Other,
}

/// `[environments]` in `costlint.toml`: which tag or label names an
/// environment, and which names belong to which class.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct Environments {
    /// Tag/label keys holding the environment name, first match wins
    /// (matched ignoring case, `-`, `_` and spaces).
    pub keys: Vec<String>,
    /// Names (or `*` patterns) of production environments.
    pub production: Vec<String>,
    /// Names (or patterns; `<digits>` matches a number) of ephemeral
    /// environments.
    pub ephemeral: Vec<String>,
    /// Further non-production names; ephemeral ones are non-production too.
    pub non_production: Vec<String>,
    /// Kubernetes annotations that give an object (or every object of a
    /// Namespace) a TTL or an expiry.
    pub ttl_annotations: Vec<String>,
    /// Kubernetes labels that give an object a TTL or an expiry.
    pub ttl_labels: Vec<String>,
    /// Terraform tag/label keys that give a resource a TTL or an expiry
    /// (matched ignoring case, `-`, `_`, `.` and spaces).
    pub ttl_tags: Vec<String>,
    /// Normal forms of the names above, built on first use (the fields are
    /// only ever replaced whole, before a check starts).
    #[serde(skip)]
    #[schemars(skip)]
    compiled: CompiledCache,
}

impl Default for Environments {
    fn default() -> Self {
        let v = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect();
        Environments {
            keys: v(&["environment", "env", "stage"]),
            production: v(&["prod", "production", "prd", "live"]),
            ephemeral: v(&[
                "preview",
                "review",
                "ephemeral",
                "sandbox",
                "pr",
                "temp",
                "tmp",
                "pr-*",
                "preview-*",
                "review-*",
                "ephemeral-*",
                "sandbox-*",
                "*-pr-<digits>",
            ]),
            non_production: v(&[
                "dev",
                "development",
                "test",
                "testing",
                "qa",
                "staging",
                "stage",
            ]),
            ttl_annotations: v(&[
                "janitor/ttl",
                "janitor/expires",
                "k8s-ttl-controller.twin.sh/ttl",
            ]),
            ttl_labels: v(&["cleanup.kyverno.io/ttl"]),
            ttl_tags: v(&[
                "ttl",
                "expires-at",
                "expiry",
                "expiration-date",
                "expires",
                "cloud-nuke-after",
            ]),
            compiled: CompiledCache::default(),
        }
    }
}

impl Environments {
    /// The class of an environment name: the first of production,
    /// ephemeral and non-production with a pattern that matches it.
    pub fn classify(&self, name: &str) -> EnvClass {
        let c = self.compiled();
        let mut buf = [0u8; 64];
        let lower = ascii_lower(name, &mut buf);
        // A run has few environment names and asks about each for every
        // resource; the wildcard patterns cost hundreds of instructions.
        let classes = || c.classes.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(class) = lower.and_then(|l| classes().get(l).copied()) {
            return class;
        }
        let class = self.classify_uncached(name, lower);
        if let Some(l) = lower {
            let mut memo = classes();
            if memo.len() < CLASS_MEMO_MAX {
                memo.insert(l.into(), class);
            }
        }
        class
    }

    fn classify_uncached(&self, name: &str, lower: Option<&[u8]>) -> EnvClass {
        let c = self.compiled();
        let any = |patterns: &[String], fast: &Option<Patterns>| match (fast, lower) {
            (Some(fast), Some(lower)) => fast.matches(lower),
            _ => patterns.iter().any(|p| pattern_matches(p, name)),
        };
        if any(&self.production, &c.production) {
            EnvClass::Production
        } else if any(&self.ephemeral, &c.ephemeral) {
            EnvClass::Ephemeral
        } else if any(&self.non_production, &c.non_production) {
            EnvClass::NonProduction
        } else {
            EnvClass::Other
        }
    }

    /// Rank of `key` among the environment keys.
    pub fn is_env_key(&self, key: &str) -> Option<usize> {
        match self.compiled().keys.as_ref().and_then(|n| n.position(key)) {
            Some(rank) => rank,
            None => self.keys.iter().position(|e| same_key(e, key)),
        }
    }

    /// Whether a Terraform tag key holds a TTL or an expiry.
    pub fn is_ttl_tag(&self, key: &str) -> bool {
        match self
            .compiled()
            .ttl_tags
            .as_ref()
            .and_then(|n| n.position(key))
        {
            Some(found) => found.is_some(),
            None => self.ttl_tags.iter().any(|t| same_key(t, key)),
        }
    }

    fn compiled(&self) -> &Compiled {
        self.compiled.0.get_or_init(|| Compiled {
            keys: ascii_norms(&self.keys),
            ttl_tags: ascii_norms(&self.ttl_tags),
            production: Patterns::new(&self.production),
            ephemeral: Patterns::new(&self.ephemeral),
            non_production: Patterns::new(&self.non_production),
            classes: Default::default(),
        })
    }
}

/// What rules ask of [`Environments`] for every resource, precomputed: the
/// normal forms of keys and the patterns split into exact names and the
/// rest. `None` where a configured name is not ASCII (the general, slower
/// comparison then applies).
#[derive(Debug)]
struct Compiled {
    keys: Option<Norms>,
    ttl_tags: Option<Norms>,
    production: Option<Patterns>,
    ephemeral: Option<Patterns>,
    non_production: Option<Patterns>,
    /// Classes of the lowercase ASCII names asked about so far.
    classes: std::sync::Mutex<crate::fast::HashMap<Box<[u8]>, EnvClass>>,
}

/// Environment names whose class is remembered; past it, names are
/// classified each time (a tree with thousands of names gains nothing).
const CLASS_MEMO_MAX: usize = 1024;

/// Starts empty when cloned, so a clone never carries another value's forms.
#[derive(Debug, Default)]
struct CompiledCache(std::sync::OnceLock<Compiled>);

impl Clone for CompiledCache {
    fn clone(&self) -> Self {
        CompiledCache::default()
    }
}

#[derive(Debug)]
struct Patterns {
    /// Lowercase names without wildcards.
    exact: Vec<String>,
    /// Patterns with `*` or `<digits>`, lowercase.
    wild: Vec<String>,
}

impl Patterns {
    fn new(patterns: &[String]) -> Option<Patterns> {
        let mut out = Patterns {
            exact: Vec::new(),
            wild: Vec::new(),
        };
        for p in patterns {
            if !p.is_ascii() {
                return None;
            }
            let lower = p.to_ascii_lowercase();
            if lower.contains('*') || lower.contains("<digits>") {
                out.wild.push(lower);
            } else {
                out.exact.push(lower);
            }
        }
        Some(out)
    }

    /// `name`: ASCII, lowercase.
    fn matches(&self, name: &[u8]) -> bool {
        self.exact.iter().any(|e| e.as_bytes() == name)
            || self.wild.iter().any(|w| matches_from(w.as_bytes(), name))
    }
}

/// Normal forms of ASCII key names, and the bytes they start with: most
/// tag keys asked about start differently and are answered without being
/// normalised.
#[derive(Debug)]
struct Norms {
    names: Vec<String>,
    first: [bool; 256],
}

fn ascii_norms(names: &[String]) -> Option<Norms> {
    let names: Vec<String> = names
        .iter()
        .map(|n| n.is_ascii().then(|| normalize_key(n)))
        .collect::<Option<_>>()?;
    let mut first = [false; 256];
    for n in &names {
        // A name of separators only (no first byte) matches keys of
        // separators only, which `position` never filters out.
        if let Some(slot) = n.bytes().next().and_then(|b| first.get_mut(usize::from(b))) {
            *slot = true;
        }
    }
    Some(Norms { names, first })
}

impl Norms {
    /// Which name `key` is, if any; `None` when `key` is not ASCII.
    fn position(&self, key: &str) -> Option<Option<usize>> {
        if !key.is_ascii() {
            return None;
        }
        let Some(first) = ascii_key(key).next() else {
            return Some(self.names.iter().position(String::is_empty));
        };
        if self.first.get(usize::from(first)) == Some(&false) {
            return Some(None);
        }
        // Compared as streams: no normal form is built for the key.
        Some(
            self.names
                .iter()
                .position(|n| n.as_bytes().first() == Some(&first) && ascii_key(key).eq(n.bytes())),
        )
    }
}

/// An ASCII name in lowercase, built in `buf`.
fn ascii_lower<'b>(name: &str, buf: &'b mut [u8; 64]) -> Option<&'b [u8]> {
    if !name.is_ascii() {
        return None;
    }
    let out = buf.get_mut(..name.len())?;
    out.copy_from_slice(name.as_bytes());
    out.make_ascii_lowercase();
    Some(out)
}

impl EnvClass {
    pub fn is_non_production(self) -> bool {
        matches!(self, EnvClass::Ephemeral | EnvClass::NonProduction)
    }

    pub fn name(self) -> &'static str {
        match self {
            EnvClass::Production => "production",
            EnvClass::Ephemeral => "ephemeral",
            EnvClass::NonProduction => "non-production",
            EnvClass::Other => "other",
        }
    }
}

/// Case-insensitive match with `*` (any run) and `<digits>` (one or more
/// digits).
pub fn pattern_matches(pattern: &str, name: &str) -> bool {
    // ASCII, the usual case, is compared without allocating.
    if pattern.is_ascii() && name.is_ascii() {
        return matches_from(pattern.as_bytes(), name.as_bytes());
    }
    let p = pattern.to_lowercase();
    let n = name.to_lowercase();
    matches_from(p.as_bytes(), n.as_bytes())
}

/// `p` and `n` are lowercase, or ASCII compared ignoring case.
fn matches_from(mut p: &[u8], mut n: &[u8]) -> bool {
    // Literal bytes are compared in a loop; only `*` and `<digits>` recurse.
    // The token is looked for only at a `<`: checking for it at every byte
    // was most of the cost of matching type and environment patterns.
    loop {
        match p.split_first() {
            None => return n.is_empty(),
            Some((b'*', rest)) => {
                return (0..=n.len())
                    .any(|k| n.get(k..).is_some_and(|tail| matches_from(rest, tail)));
            }
            Some((b'<', _))
                if p.get(..8)
                    .is_some_and(|head| head.eq_ignore_ascii_case(b"<digits>")) =>
            {
                let rest = p.get(8..).unwrap_or_default();
                let digits = n.iter().take_while(|b| b.is_ascii_digit()).count();
                return (1..=digits)
                    .rev()
                    .any(|k| n.get(k..).is_some_and(|tail| matches_from(rest, tail)));
            }
            Some((a, p_rest)) => match n.split_first() {
                Some((b, n_rest)) if a.eq_ignore_ascii_case(b) => {
                    p = p_rest;
                    n = n_rest;
                }
                _ => return false,
            },
        }
    }
}

/// Whether a Terraform resource type takes tags or labels.
pub fn taggable(rtype: &str) -> bool {
    use crate::catalog;
    catalog::aws_taggable(rtype)
        || rtype == "aws_autoscaling_group"
        || catalog::google_labelable(rtype)
        || matches!(
            rtype,
            "google_sql_database_instance" | "google_container_node_pool"
        )
        || catalog::azurerm_taggable(rtype)
}

/// Whether provider `default_tags`/`default_labels` reach a resource type:
/// only the types whose schema merges them (`tags_all`,
/// `terraform_labels`).
pub fn provider_defaults_apply(rtype: &str) -> bool {
    crate::catalog::aws_taggable(rtype) || crate::catalog::google_labelable(rtype)
}

/// `us-east-1a`, `us-east-1-bos-1a` → `us-east-1`.
pub fn aws_zone_region(zone: &str) -> Option<String> {
    crate::catalog::zone_to_region(crate::catalog::Provider::Aws, zone)
}

/// `europe-west1-b` → `europe-west1`.
pub fn gcp_zone_region(zone: &str) -> String {
    crate::catalog::zone_to_region(crate::catalog::Provider::Gcp, zone)
        .unwrap_or_else(|| zone.to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn patterns_match_ignoring_case_ascii_or_not() {
        use super::pattern_matches as m;
        assert!(m("pr-*", "PR-42"));
        assert!(m("*-pr-<digits>", "shop-pr-123"));
        assert!(m("*-PR-<DIGITS>", "shop-pr-123"));
        assert!(!m("*-pr-<digits>", "shop-pr-"));
        assert!(!m("*-pr-<digits>", "shop-pr-12a"));
        assert!(m("m5.*", "M5.XLARGE"));
        assert!(!m("m5.*", "m6i.large"));
        assert!(m("prév-*", "PRÉV-1"));
        assert!(m("ÉPHÉMÈRE", "éphémère"));
        assert!(!m("prév-*", "prev-1"));
    }

    use super::*;

    /// The matcher as first written, fully recursive, as the reference.
    fn reference(p: &[u8], n: &[u8]) -> bool {
        if p.is_empty() {
            return n.is_empty();
        }
        let digits_token = p
            .get(..8)
            .is_some_and(|head| head.eq_ignore_ascii_case(b"<digits>"));
        if let Some(rest) = p.get(8..).filter(|_| digits_token) {
            let digits = n.iter().take_while(|b| b.is_ascii_digit()).count();
            return (1..=digits)
                .rev()
                .any(|k| n.get(k..).is_some_and(|tail| reference(rest, tail)));
        }
        if let Some(rest) = p.strip_prefix(b"*") {
            return (0..=n.len()).any(|k| n.get(k..).is_some_and(|tail| reference(rest, tail)));
        }
        match (p.split_first(), n.split_first()) {
            (Some((a, p_rest)), Some((b, n_rest))) if a.eq_ignore_ascii_case(b) => {
                reference(p_rest, n_rest)
            }
            _ => false,
        }
    }

    #[test]
    fn the_pattern_loop_matches_the_recursive_reference() {
        let patterns = [
            "",
            "*",
            "**",
            "pr-*",
            "*-pr-<digits>",
            "<digits>",
            "<DIGITS>x",
            "a<digits>b<digits>",
            "<digit",
            "<digits",
            "x<",
            "*<digits>",
            "<digits>*",
            "aws_iam_*",
            "m5.*",
            "*.large",
            "p*r*",
            "<>",
            "<digits><digits>",
        ];
        let names = [
            "",
            "pr-1",
            "PR-",
            "shop-pr-12",
            "shop-pr-12a",
            "12",
            "12x",
            "a1b2",
            "a1b",
            "<digit",
            "<digits",
            "<digits>",
            "x<",
            "x",
            "aws_iam_role",
            "aws_instance",
            "m5.large",
            "M5.",
            "prr",
            "pxr",
            "1",
            "11",
            "<>",
        ];
        for p in patterns {
            for n in names {
                assert_eq!(
                    matches_from(p.as_bytes(), n.as_bytes()),
                    reference(p.as_bytes(), n.as_bytes()),
                    "{p} / {n}"
                );
            }
        }
    }

    #[test]
    fn precomputed_forms_answer_as_the_general_comparison() {
        let long = "x".repeat(70);
        let long_pr = format!("{long}-pr-12");
        let names = [
            "prod",
            "PROD",
            "Production",
            "prd",
            "live",
            "preview",
            "pr-42",
            "PR-42",
            "pr",
            "shop-pr-123",
            "shop-pr-",
            "shop-PR-9",
            "review-app",
            "sandbox-1",
            "dev",
            "QA",
            "staging",
            "stage",
            "other",
            "",
            "prév-1",
            "Éphémère",
            long.as_str(),
            long_pr.as_str(),
            "environment",
            "Env",
            "STAGE",
            "cost_center",
            "TTL",
            "expires-at",
            "Expires_At",
            "cloud nuke after",
            "ttl2",
            "e.n.v",
            "-env",
            "_TTL",
            " e n v",
            "--",
            "-",
            "vne",
        ];
        let mut custom = Environments {
            production: vec!["PROD-*".into(), "Prod".into()],
            ephemeral: vec!["ÉPHÉMÈRE".into(), "*-PR-<DIGITS>".into()],
            keys: vec!["Umgebung".into(), "ENV".into()],
            ttl_tags: vec!["Ablauf-Datum".into(), "TTL".into()],
            ..Environments::default()
        };
        custom.non_production.push("prév-*".into());
        // Names of separators only match keys of separators only.
        let separators = Environments {
            keys: vec!["env".into(), "--".into()],
            ttl_tags: vec!["_".into()],
            ..Environments::default()
        };
        for envs in [Environments::default(), custom, separators] {
            let general = |name: &str| {
                let any = |p: &[String]| p.iter().any(|p| pattern_matches(p, name));
                if any(&envs.production) {
                    EnvClass::Production
                } else if any(&envs.ephemeral) {
                    EnvClass::Ephemeral
                } else if any(&envs.non_production) {
                    EnvClass::NonProduction
                } else {
                    EnvClass::Other
                }
            };
            for name in names {
                assert_eq!(envs.classify(name), general(name), "{name}");
                assert_eq!(
                    envs.is_env_key(name),
                    envs.keys.iter().position(|k| same_key(k, name)),
                    "{name}"
                );
                assert_eq!(
                    envs.is_ttl_tag(name),
                    envs.ttl_tags.iter().any(|t| same_key(t, name)),
                    "{name}"
                );
            }
        }
    }

    #[test]
    fn same_key_answers_as_the_normal_forms() {
        let keys = [
            "",
            "-",
            "_ .",
            "env",
            "Env",
            "e-n-v",
            "environment",
            "CostCenter",
            "cost-center",
            "cost_centre",
            "ÉTAPE",
            "étape",
            "etape",
            "K",
            "k",
            "\u{212A}",
            "a\u{212A}",
            "ak",
            "İ",
            "i",
            "i\u{307}",
            "Name",
            "owner",
            "Owner ",
            "ow.ner",
            "ß",
            "ss",
            "x-é",
            "x-É",
        ];
        for a in keys {
            for b in keys {
                assert_eq!(
                    same_key(a, b),
                    normalize_key(a) == normalize_key(b),
                    "{a:?} / {b:?}"
                );
            }
        }
    }

    #[test]
    fn keys_normalise() {
        assert_eq!(normalize_key("CostCenter"), normalize_key("cost-center"));
        assert_eq!(normalize_key("cost_center"), "costcenter");
        assert!(same_key("CostCenter", "cost-center"));
        assert!(same_key("Kosten.Stelle", "kosten_stelle"));
        assert!(same_key("ÉTAPE", "étape"));
        assert!(!same_key("cost-center", "cost-centre"));
        assert!(!same_key("env", "environment"));
        assert!(same_key("-Env", "e_n_v"));
        assert!(same_key("", "-_"));
        assert!(!same_key("env", "nev"));
        assert!(!same_key("", "e"));
    }

    #[test]
    fn classes() {
        let e = Environments::default();
        assert_eq!(e.classify("Prod"), EnvClass::Production);
        assert_eq!(e.classify("pr-1234"), EnvClass::Ephemeral);
        assert_eq!(e.classify("shop-pr-42"), EnvClass::Ephemeral);
        assert_eq!(e.classify("shop-pr-x"), EnvClass::Other);
        assert_eq!(e.classify("staging"), EnvClass::NonProduction);
        assert_eq!(e.classify("perf"), EnvClass::Other);
    }
}
