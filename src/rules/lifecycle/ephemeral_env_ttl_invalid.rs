use serde::{Deserialize, Serialize};

use super::ttl::{Format, MaxTtl, Ttl, human, kubernetes_keys};
use crate::declare_rule;
use crate::finding::{Diagnostic, Loc};
use crate::model::EnvClass;
use crate::model::kubernetes::Manifests;
use crate::model::terraform::Module;
use crate::rules::tags::common::{Sites, object_name, scalar_value, value_loc, value_span};
use crate::rules::{Cx, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a TTL or expiry that the tool reading its key cannot parse,
    /// and, in an ephemeral environment, a TTL longer than `max-ttl` (30
    /// days by default) or `forever`.
    ///
    /// The formats are the tools' own: kube-janitor's `janitor/ttl` takes
    /// an integer and one unit `s`, `m`, `h`, `d` or `w` (`8h`, `7d`) or
    /// `forever`, and `janitor/expires` a UTC time `YYYY-MM-DD`,
    /// `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SSZ`;
    /// `k8s-ttl-controller.twin.sh/ttl` takes a duration such as `1h30m` or
    /// `7d`; Kyverno's `cleanup.kyverno.io/ttl` label a duration or
    /// `YYYY-MM-DD` / `YYYY-MM-DDTHHMMSSZ`; cloud-nuke's `cloud-nuke-after`
    /// tag an RFC 3339 time. Keys no tool defines (`ttl`, `expires-at`, …)
    /// must hold a duration or a date.
    ///
    /// Outside ephemeral environments, only the keys a cleanup tool reads
    /// are checked, and only for values it cannot parse: there a long TTL
    /// may be deliberate, and a tag named `ttl` may mean something else.
    /// Absolute expiry dates are checked for their format only, never
    /// against today's date, so a check gives the same answer every day.
    /// Values that cannot be known statically are never reported.
    ///
    /// ## Why is this bad?
    /// A TTL the cleanup tool cannot read is ignored (kube-janitor logs it
    /// and skips the object), so the environment it was meant to delete
    /// lives on and bills like one without a TTL: for a small preview
    /// (three pods of 1 vCPU and 2 GiB) about $105 a month. `janitor/ttl:
    /// 1 week` instead of `1w`, or `7days` instead of `7d`, is enough. A
    /// TTL of `forever` or of a year on a preview environment keeps it
    /// that long: about $1,260 a year for that small preview.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: shop-pr-1234
    ///   annotations:
    ///     janitor/ttl: 7days
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: shop-pr-1234
    ///   annotations:
    ///     janitor/ttl: 7d
    /// ```
    ///
    /// ## Options
    /// - `max-ttl` (default `"30d"`): the longest TTL allowed in an
    ///   ephemeral environment, as numbers with units `s`, `m`, `h`, `d` or
    ///   `w` (`720h`, `4w`).
    ///
    /// The TTL keys are set under `[environments]` (`ttl-annotations`,
    /// `ttl-labels`, `ttl-tags`); a key added there that no tool defines
    /// must hold a duration or a date.
    ///
    /// ## References
    /// - [kube-janitor: TTL and expiry formats](https://codeberg.org/hjacobs/kube-janitor)
    /// - [k8s-ttl-controller](https://github.com/TwiN/k8s-ttl-controller)
    /// - [Kyverno: cleanup with the `cleanup.kyverno.io/ttl` label](https://kyverno.io/docs/guides/ttl-cleanup/)
    /// - [cloud-nuke: the `cloud-nuke-after` tag](https://github.com/gruntwork-io/cloud-nuke/blob/master/docs/configuration.md)
    /// - [Google Cloud: label value requirements (no `:` or upper case)](https://cloud.google.com/resource-manager/docs/labels-overview#requirements)
    pub struct EphemeralEnvTtlInvalid {
        code: "CL402",
        name: "ephemeral-env-ttl-invalid",
        category: Lifecycle,
        severity: Warning,
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct Options {
    /// The longest TTL allowed in an ephemeral environment (`30d`, `720h`).
    pub max_ttl: MaxTtl,
}

/// What is wrong with a TTL.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Problem {
    Unreadable(Format),
    TooLong(f64),
    Forever,
}

impl Problem {
    /// Judges a value; `ephemeral` says whether length limits apply.
    fn of(format: Format, value: &str, ephemeral: bool, max: &MaxTtl) -> Option<Problem> {
        // A key no tool defines may mean something else outside ephemeral
        // environments.
        if format == Format::Convention && !ephemeral {
            return None;
        }
        match format.parse(value) {
            None => Some(Problem::Unreadable(format)),
            Some(Ttl::Forever) if ephemeral => Some(Problem::Forever),
            Some(Ttl::Duration(Some(s))) if ephemeral && s > max.seconds => {
                Some(Problem::TooLong(s))
            }
            _ => None,
        }
    }

    fn id(self) -> &'static str {
        match self {
            Problem::Unreadable(_) => "unreadable",
            Problem::TooLong(_) => "too-long",
            Problem::Forever => "forever",
        }
    }

    /// Message, label and help; `written` is the key and value as written,
    /// `subject` what carries it, `env` the environment in words.
    fn describe(
        self,
        written: &str,
        subject: &str,
        env: &str,
        max: &MaxTtl,
    ) -> (String, String, String) {
        match self {
            Problem::Unreadable(format) => (
                match format.tool() {
                    Some(tool) => {
                        format!("{written} on {subject} is not a TTL {tool} can read")
                    }
                    None => format!("{written} on {subject} is neither a duration nor a date"),
                },
                "not a valid TTL".into(),
                format!("write {}", format.expected()),
            ),
            Problem::TooLong(seconds) => (
                format!(
                    "{written} on {subject} lasts {}, over the maximum of {} for ephemeral {env}",
                    human(seconds),
                    human(max.seconds)
                ),
                format!("{} > {}", human(seconds), human(max.seconds)),
                format!(
                    "shorten the TTL to at most `{}` and renew it while the environment is in use, or raise `max-ttl`",
                    max.source()
                ),
            ),
            Problem::Forever => (
                format!("{written} on {subject} never expires, in ephemeral {env}"),
                "never expires".into(),
                format!(
                    "give it a finite TTL of at most `{}`; a preview that lives forever is what the TTL is for",
                    max.source()
                ),
            ),
        }
    }
}

impl Rule for EphemeralEnvTtlInvalid {
    type Options = Options;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_terraform(&self, module: &Module<'_>, options: &Options, cx: &mut Cx<'_>) {
        let envs = cx.environments;
        let mut sites: Sites<(String, String, Problem, String)> = Sites::default();
        for r in module.resources() {
            let tags = r.tags();
            let env = r.environment().map(|(name, _)| name);
            let ephemeral = r.env_class() == Some(EnvClass::Ephemeral);
            for (name, entry) in &tags.map.entries {
                if !envs.is_ttl_tag(name) {
                    continue;
                }
                let Some(value) = entry.value.to_tf_string() else {
                    continue;
                };
                let Some(problem) =
                    Problem::of(Format::of_tag(name), &value, ephemeral, &options.max_ttl)
                else {
                    continue;
                };
                let at = value_loc(module, r, entry.origin);
                let id = format!("{name}={value}:{}", problem.id());
                let env = env.clone().unwrap_or_default();
                sites.add(at, id, r, || (name.clone(), value, problem, env));
            }
        }
        for site in sites {
            let (key, value, problem, env) = &site.data;
            let (message, label, help) = problem.describe(
                &format!("`{key} = \"{value}\"`"),
                &site.subject(),
                &format!("environment `{env}`"),
                &options.max_ttl,
            );
            let d = Diagnostic::new("", site.at, message)
                .label(label)
                .help(help)
                .attribute(format!("tags.{key}"))
                .property("key", key.as_str())
                .property("value", value.as_str());
            cx.report(site.attach(d));
        }
    }

    fn check_kubernetes(&self, manifests: &Manifests<'_>, options: &Options, cx: &mut Cx<'_>) {
        let envs = manifests.environments;
        for object in &manifests.objects {
            // Worked out for the few objects that carry a TTL key.
            let mut env_of = None;
            for (key, place) in kubernetes_keys(envs) {
                let entry = object
                    .metadata()
                    .and_then(|m| m.get(place.field()))
                    .and_then(|m| m.entry(key));
                let Some((key_node, node)) = entry else {
                    continue;
                };
                let Some(value) = scalar_value(node) else {
                    continue;
                };
                let env: &Option<_> = env_of.get_or_insert_with(|| manifests.env_class(object));
                let ephemeral = matches!(env, Some((EnvClass::Ephemeral, _)));
                let Some(problem) = Problem::of(
                    Format::of_kubernetes(key),
                    value,
                    ephemeral,
                    &options.max_ttl,
                ) else {
                    continue;
                };
                let env_words = env.as_ref().map(|(_, e)| e.describe()).unwrap_or_default();
                let (message, label, help) = problem.describe(
                    &format!("{} `{key}: {value}`", place.name()),
                    &object_name(object),
                    &env_words,
                    &options.max_ttl,
                );
                cx.report(
                    Diagnostic::new(
                        "",
                        Loc::new(object.file, value_span(key_node, node)),
                        message,
                    )
                    .label(label)
                    .help(help)
                    .resource(object.address())
                    .attribute(format!("metadata.{}.{key}", place.field()))
                    .property("key", key)
                    .property("value", value),
                );
            }
        }
    }
}
