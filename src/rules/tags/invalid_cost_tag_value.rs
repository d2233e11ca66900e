use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::common::{
    Sites, default_ignore_types, is_cost_bearing, object_name, scalar_value, tag_word, ticked,
    type_ignored, value_loc, value_span,
};
use crate::declare_rule;
use crate::finding::{Diagnostic, Loc};
use crate::model::kubernetes::Manifests;
use crate::model::same_key;
use crate::model::terraform::Module;
use crate::rules::{Cx, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a cost-allocation tag or label whose value is empty, is not
    /// one of the values allowed for its key, or does not match the
    /// regular expression configured for its key. It checks the same
    /// resources as `missing-cost-tags`: Terraform resources that take tags
    /// (with provider default tags and labels merged in) and cost-bearing
    /// Kubernetes objects (labels of the object and of its pod template).
    ///
    /// A value that cannot be known statically is never reported. A value
    /// written once and shared by many resources (in `locals`, a variable,
    /// provider `default_tags`) is reported once, where it is written.
    ///
    /// ## Why is this bad?
    /// Cost reports group spend by the exact tag value: `prod`, `Prod` and
    /// `production` are three rows in AWS Cost Explorer, the Google Cloud
    /// billing export or Kubecost, and an empty `owner` is grouped with
    /// untagged spend. A typo in `cost-center` on a $2,000-a-month
    /// database charges it to a cost center that does not exist, so it
    /// drops out of the owning team's budget and someone has to reconcile
    /// it by hand at the end of the month.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   instance_class = "db.r6g.2xlarge"
    ///   tags = {
    ///     owner       = ""
    ///     cost-center = "1042"
    ///     environment = "prdo"
    ///   }
    /// }
    /// ```
    /// with
    /// ```toml
    /// [rules.invalid-cost-tag-value]
    /// allowed = { environment = ["prod", "staging", "dev"] }
    /// patterns = { cost-center = "cc-[0-9]{4}" }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   instance_class = "db.r6g.2xlarge"
    ///   tags = {
    ///     owner       = "team-checkout"
    ///     cost-center = "cc-1042"
    ///     environment = "prod"
    ///   }
    /// }
    /// ```
    ///
    /// ## Options
    /// - `keys` (default `["owner", "cost-center", "environment"]`): keys
    ///   whose value must not be empty (matched ignoring case, `-`, `_`,
    ///   `.` and spaces).
    /// - `allowed` (default `{}`): for a key, the list of values allowed,
    ///   compared exactly (case matters, as it does in cost reports).
    /// - `patterns` (default `{}`): for a key, a regular expression
    ///   ([`regex` crate syntax](https://docs.rs/regex/latest/regex/#syntax))
    ///   that the whole value must match: it is anchored at both ends, so
    ///   `cc-[0-9]{4}` accepts `cc-1042` and rejects `cc-1042-old`.
    /// - `ignore-types` (default `["aws_iam_*", "aws_organizations_*",
    ///   "aws_ssoadmin_*"]`): Terraform resource types never reported, as
    ///   `*` patterns.
    ///
    /// Keys of `allowed` and `patterns` are checked too, whether or not
    /// they are in `keys`.
    ///
    /// ## References
    /// - [AWS: Best practices for cost allocation tags](https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/cost-allocation-tags.html)
    /// - [Google Cloud: Requirements for labels](https://cloud.google.com/resource-manager/docs/labels-overview#requirements)
    /// - [Kubernetes: Labels and selectors (syntax and character set)](https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set)
    /// - [FinOps Foundation: Allocation](https://www.finops.org/framework/capabilities/allocation/)
    pub struct InvalidCostTagValue {
        code: "CL202",
        name: "invalid-cost-tag-value",
        category: Tags,
        severity: Warning,
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct Options {
    /// Keys whose value must not be empty.
    pub keys: Vec<String>,
    /// Allowed values per key, compared exactly.
    pub allowed: BTreeMap<String, Vec<String>>,
    /// A regular expression per key that the whole value must match.
    pub patterns: BTreeMap<String, Pattern>,
    /// Terraform resource types never reported (`*` patterns).
    pub ignore_types: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            keys: vec!["owner".into(), "cost-center".into(), "environment".into()],
            allowed: BTreeMap::new(),
            patterns: BTreeMap::new(),
            ignore_types: default_ignore_types(),
        }
    }
}

/// A regular expression that must match a whole value, checked when the
/// configuration is read so a mistake points at its line.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    regex: regex::Regex,
}

impl Pattern {
    pub fn new(source: &str) -> Result<Self, regex::Error> {
        // Compiled alone first, so an error quotes what the user wrote.
        regex::Regex::new(source)?;
        let regex = regex::Regex::new(&format!("^(?:{source})$"))?;
        Ok(Pattern {
            source: source.to_owned(),
            regex,
        })
    }

    pub fn matches(&self, value: &str) -> bool {
        self.regex.is_match(value)
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let source = String::deserialize(d)?;
        Pattern::new(&source).map_err(|e| {
            serde::de::Error::custom(format!("invalid regular expression `{source}`: {e}"))
        })
    }
}

impl Serialize for Pattern {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.source)
    }
}

impl schemars::JsonSchema for Pattern {
    fn schema_name() -> Cow<'static, str> {
        "Pattern".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "regex",
            "description": "A regular expression the whole value must match."
        })
    }
}

/// What is wrong with a value.
enum Problem<'o> {
    Empty,
    NotAllowed(&'o [String]),
    NoMatch(&'o Pattern),
}

/// The constraints on one key.
struct Constraint<'o> {
    key: &'o str,
    allowed: Option<&'o [String]>,
    pattern: Option<&'o Pattern>,
}

impl Options {
    fn constraints(&self) -> Vec<Constraint<'_>> {
        let mut keys: Vec<&str> = Vec::new();
        let all = self
            .keys
            .iter()
            .chain(self.allowed.keys())
            .chain(self.patterns.keys());
        for key in all {
            if !keys.iter().any(|k| same_key(k, key)) {
                keys.push(key);
            }
        }
        let same = same_key;
        keys.into_iter()
            .map(|key| Constraint {
                key,
                allowed: self
                    .allowed
                    .iter()
                    .find(|(name, _)| same(name, key))
                    .map(|(_, v)| v.as_slice()),
                pattern: self
                    .patterns
                    .iter()
                    .find(|(name, _)| same(name, key))
                    .map(|(_, p)| p),
            })
            .collect()
    }
}

impl<'o> Constraint<'o> {
    fn problem(&self, value: &str) -> Option<Problem<'o>> {
        if value.trim().is_empty() {
            return Some(Problem::Empty);
        }
        if let Some(allowed) = self.allowed {
            if !allowed.iter().any(|a| a == value) {
                return Some(Problem::NotAllowed(allowed));
            }
        }
        match self.pattern {
            Some(p) if !p.matches(value) => Some(Problem::NoMatch(p)),
            _ => None,
        }
    }
}

/// Message, label and help for a bad value of `key` on `subject`.
fn describe(
    problem: &Problem<'_>,
    word: &str,
    key: &str,
    value: &str,
    subject: &str,
) -> (String, String, String) {
    match problem {
        Problem::Empty => (
            format!("{word} `{key}` is empty on {subject}"),
            "empty value".into(),
            format!(
                "give `{key}` a value; cost reports group an empty `{key}` with untagged spend"
            ),
        ),
        Problem::NotAllowed(allowed) => {
            let instead = closest(value, allowed).map_or_else(
                || "use one of the allowed values".to_owned(),
                |c| format!("write `{c}`, the closest allowed value,"),
            );
            (
                format!(
                    "{word} `{key}` is `{value}` on {subject}, which is not one of the {} allowed values {}",
                    allowed.len(),
                    ticked(allowed, "or")
                ),
                "not an allowed value".into(),
                format!(
                    "{instead} or add `{value}` to the allowed values of `{key}` in costlint.toml"
                ),
            )
        }
        Problem::NoMatch(pattern) => (
            format!(
                "{word} `{key}` is `{value}` on {subject}, which does not match `{}`",
                pattern.source
            ),
            format!("does not match `{}`", pattern.source),
            format!(
                "change `{key}` to a value that matches `{}`, or change its pattern in costlint.toml",
                pattern.source
            ),
        ),
    }
}

/// The allowed value a typo most likely meant: at most two edits away,
/// or the same ignoring case.
fn closest<'a>(value: &str, allowed: &'a [String]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|a| (edit_distance(&value.to_lowercase(), &a.to_lowercase()), a))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a.as_str())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let up = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let cost = usize::from(ca != *cb);
            let next = (diagonal + cost).min(up + 1).min(left + 1);
            diagonal = up;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = next;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

/// One bad value.
struct Bad<'o> {
    key: String,
    value: String,
    word: &'static str,
    problem: Problem<'o>,
}

impl Rule for InvalidCostTagValue {
    type Options = Options;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_terraform(&self, module: &Module<'_>, options: &Options, cx: &mut Cx<'_>) {
        let constraints = options.constraints();
        let mut sites: Sites<Bad<'_>> = Sites::default();
        for r in module.resources() {
            let tags = r.tags();
            if !tags.supported || type_ignored(&options.ignore_types, r.rtype) {
                continue;
            }
            for c in &constraints {
                let Some((name, value, origin)) = tags.get(c.key) else {
                    continue;
                };
                // Unknown, null and collections are not values to judge.
                let Some(value) = value.to_tf_string() else {
                    continue;
                };
                let Some(problem) = c.problem(&value) else {
                    continue;
                };
                let at = value_loc(module, r, origin);
                sites.add(at, format!("{name}={value}"), r, || Bad {
                    key: name.to_owned(),
                    value,
                    word: tag_word(r.rtype),
                    problem,
                });
            }
        }
        for site in sites {
            let bad = &site.data;
            let (message, label, help) = describe(
                &bad.problem,
                bad.word,
                &bad.key,
                &bad.value,
                &site.subject(),
            );
            let d = Diagnostic::new("", site.at, message)
                .label(label)
                .help(help)
                .attribute(format!("tags.{}", bad.key))
                .property("key", bad.key.as_str())
                .property("value", bad.value.as_str());
            cx.report(site.attach(d));
        }
    }

    fn check_kubernetes(&self, manifests: &Manifests<'_>, options: &Options, cx: &mut Cx<'_>) {
        let constraints = options.constraints();
        for object in manifests.objects.iter().filter(|o| is_cost_bearing(o)) {
            // Namespace labels are checked on the Namespace itself.
            let own = object
                .labels()
                .into_iter()
                .chain(object.pod().map(|p| p.labels()).unwrap_or_default());
            for (k, v) in own {
                let Some(key) = k.as_str() else { continue };
                let Some(c) = constraints.iter().find(|c| same_key(c.key, key)) else {
                    continue;
                };
                let Some(value) = scalar_value(v) else {
                    continue;
                };
                let Some(problem) = c.problem(value) else {
                    continue;
                };
                let (message, label, help) =
                    describe(&problem, "label", key, value, &object_name(object));
                cx.report(
                    Diagnostic::new("", Loc::new(object.file, value_span(k, v)), message)
                        .label(label)
                        .help(help)
                        .resource(object.address())
                        .attribute(format!("labels.{key}"))
                        .property("key", key)
                        .property("value", value),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_anchored() {
        let p = Pattern::new("cc-[0-9]{4}").unwrap();
        assert!(p.matches("cc-1042"));
        assert!(!p.matches("cc-1042-old"));
        assert!(!p.matches("x-cc-1042"));
        assert!(Pattern::new("(").is_err());
    }

    #[test]
    fn typos_find_their_value() {
        let allowed = vec!["prod".to_owned(), "staging".to_owned(), "dev".to_owned()];
        assert_eq!(closest("prdo", &allowed), Some("prod"));
        assert_eq!(closest("Prod", &allowed), Some("prod"));
        assert_eq!(closest("production", &allowed), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
