use serde::{Deserialize, Serialize};

use super::ttl::{Format, Place, kubernetes_keys};
use crate::declare_rule;
use crate::finding::{Diagnostic, Loc};
use crate::kubernetes::object::Object;
use crate::model::kubernetes::{EnvSource, Environment, Manifests, NamespaceInfo};
use crate::model::terraform::{Module, Resource};
use crate::model::{EnvClass, Environments};
use crate::rules::tags::common::{
    Sites, caller_label, default_ignore_types, in_block, is_cost_bearing, join, metadata_anchor,
    object_name, tag_word, tags_anchor, ticked, type_ignored,
};
use crate::rules::{Cx, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a resource in an ephemeral environment (preview, review,
    /// pull-request and sandbox environments: the `ephemeral` class of
    /// `[environments]`) that has no TTL or expiry, so nothing will delete
    /// it.
    ///
    /// Kubernetes: Namespaces, workloads, PersistentVolumeClaims and
    /// Services of type `LoadBalancer` whose environment is ephemeral (from
    /// their labels, their Namespace's labels, or a namespace name such as
    /// `pr-123`) and that carry none of the TTL annotations (`janitor/ttl`,
    /// `janitor/expires`, `k8s-ttl-controller.twin.sh/ttl`) or labels
    /// (`cleanup.kyverno.io/ttl`). A TTL on the Namespace covers everything
    /// in it, and when the Namespace object is part of the run (or in a
    /// manifest beside the file) and is ephemeral itself, only the Namespace is reported: one annotation
    /// there cleans up all of it. A Job with `spec.ttlSecondsAfterFinished`
    /// deletes itself and is not reported.
    ///
    /// Terraform: resources that take tags, in an ephemeral environment
    /// (from their `environment` tag), with none of the TTL tags `ttl`,
    /// `expires-at`, `expiry`, `expiration-date`, `expires` or
    /// `cloud-nuke-after` (matched ignoring case, `-`, `_`, `.` and
    /// spaces). When the environment tag comes from a map that several
    /// resources share (`locals`, a variable, provider `default_tags`), one
    /// finding points there and lists them, since a TTL added there covers
    /// them all.
    ///
    /// A TTL whose value is wrong is reported by `ephemeral-env-ttl-invalid`
    /// only. When part of a tag map cannot be known statically, nothing is
    /// reported.
    ///
    /// Cleanup that the files do not show is not seen: a kube-janitor rules
    /// file, a Kyverno `ClusterCleanupPolicy`, or previews whose lifetime
    /// follows their pull request (the Argo CD ApplicationSet pull-request
    /// generator, a Flux `ResourceSet`). Where one of those deletes the
    /// environments, turn the rule off for their paths with
    /// `per-path-ignores`.
    ///
    /// ## Why is this bad?
    /// Preview environments are deleted by a TTL or not at all: the pull
    /// request is merged and nobody remembers them. A preview with three
    /// pods requesting 1 vCPU and 2 GiB each keeps about one and a half
    /// `m5.large` nodes busy, about $105 a month ($0.096 per hour × 1.5 ×
    /// 730 hours), plus about $16 a month for each load balancer and the
    /// price of its volumes. Ten forgotten previews cost over $1,000 a
    /// month for nothing.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: shop-pr-1234
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
    /// In Terraform, tag the environment with a TTL where its `environment`
    /// tag is set:
    /// ```hcl
    /// provider "aws" {
    ///   default_tags {
    ///     tags = {
    ///       environment = "preview"
    ///       ttl         = "7d"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Options
    /// - `ignore-types` (default `["aws_iam_*", "aws_organizations_*",
    ///   "aws_ssoadmin_*"]`): Terraform resource types never reported, as
    ///   `*` patterns. The defaults are global and free.
    ///
    /// Which names are ephemeral, and which keys hold a TTL, are set under
    /// `[environments]` and shared with the other lifecycle rules:
    /// `ephemeral`, `ttl-annotations`, `ttl-labels` and `ttl-tags`.
    ///
    /// ## References
    /// - [kube-janitor: `janitor/ttl` and `janitor/expires`](https://codeberg.org/hjacobs/kube-janitor)
    /// - [k8s-ttl-controller](https://github.com/TwiN/k8s-ttl-controller)
    /// - [Kyverno: cleanup with the `cleanup.kyverno.io/ttl` label](https://kyverno.io/docs/guides/ttl-cleanup/)
    /// - [cloud-nuke: the `cloud-nuke-after` tag](https://github.com/gruntwork-io/cloud-nuke/blob/master/docs/configuration.md)
    /// - [Kubernetes: TTL-after-finished controller](https://kubernetes.io/docs/concepts/workloads/controllers/ttlafterfinished/)
    pub struct EphemeralEnvMissingTtl {
        code: "CL401",
        name: "ephemeral-env-missing-ttl",
        category: Lifecycle,
        severity: Warning,
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct Options {
    /// Terraform resource types never reported (`*` patterns).
    pub ignore_types: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            ignore_types: default_ignore_types(),
        }
    }
}

/// Whether an object carries one of the TTL annotations or labels.
pub fn object_has_ttl(object: &Object<'_>, envs: &Environments) -> bool {
    envs.ttl_annotations
        .iter()
        .any(|k| object.annotation(k).is_some())
        || envs.ttl_labels.iter().any(|k| object.label(k).is_some())
}

/// Whether a Namespace carries one of the TTL annotations or labels.
pub fn namespace_has_ttl(ns: &NamespaceInfo, envs: &Environments) -> bool {
    envs.ttl_annotations
        .iter()
        .any(|k| ns.annotations.contains_key(k))
        || envs.ttl_labels.iter().any(|k| ns.labels.contains_key(k))
}

/// The environment class of a Namespace: its environment label, else its
/// name.
pub fn namespace_class(name: &str, ns: &NamespaceInfo, envs: &Environments) -> EnvClass {
    let label = ns
        .labels
        .iter()
        .filter_map(|(k, v)| envs.is_env_key(k).map(|rank| (rank, v)))
        .min_by_key(|(rank, _)| *rank)
        .map(|(_, v)| v.as_str());
    envs.classify(label.unwrap_or(name))
}

/// "add `janitor/ttl: 7d` (or ...)": the first TTL key with an example
/// value, and the others.
fn kubernetes_hint(envs: &Environments) -> String {
    let mut keys = kubernetes_keys(envs);
    let Some((first, place)) = keys.next() else {
        return "add a TTL annotation".to_owned();
    };
    let others: Vec<String> = keys
        .map(|(k, p)| match p {
            Place::Annotation => format!("`{k}`"),
            Place::Label => format!("the label `{k}`"),
        })
        .collect();
    let mut hint = format!(
        "add the {} `{first}: {}`",
        place.name(),
        Format::of_kubernetes(first).example()
    );
    if !others.is_empty() {
        hint.push_str(&format!(
            " (or {})",
            join(&others.iter().map(String::as_str).collect::<Vec<_>>(), "or")
        ));
    }
    hint
}

/// "`ttl = "7d"` (or `expires-at`, ...)".
fn terraform_hint(envs: &Environments) -> String {
    let Some((first, others)) = envs.ttl_tags.split_first() else {
        return "a TTL tag".to_owned();
    };
    let mut hint = format!("`{first} = \"{}\"`", Format::of_tag(first).example());
    if !others.is_empty() {
        hint.push_str(&format!(" (or {})", ticked(others, "or")));
    }
    hint
}

impl Rule for EphemeralEnvMissingTtl {
    type Options = Options;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_terraform(&self, module: &Module<'_>, options: &Options, cx: &mut Cx<'_>) {
        let envs = cx.environments;
        // Shared places that set the environment of several resources.
        let mut sites: Sites<String> = Sites::default();
        for r in module.resources() {
            let tags = r.tags();
            if !tags.supported
                || tags.map.partial
                || r.env_class() != Some(EnvClass::Ephemeral)
                || type_ignored(&options.ignore_types, r.rtype)
                || tags.map.entries.keys().any(|k| envs.is_ttl_tag(k))
            {
                continue;
            }
            let Some((env, origin)) = r.environment() else {
                continue;
            };
            match origin.filter(|o| !in_block(r, *o)) {
                Some(shared) => sites.add(shared, env.clone(), r, || env),
                None => cx.report(resource_finding(module, r, &env, envs)),
            }
        }
        for site in sites {
            let env = &site.data;
            let one = site.blocks.len() == 1;
            let message = format!(
                "{} {} ephemeral environment `{env}` from here and {} no TTL or expiry tag",
                site.subject(),
                if one { "gets" } else { "get" },
                if one { "has" } else { "have" },
            );
            let d = Diagnostic::new("", site.at, message)
                .label(format!("environment `{env}`, no TTL"))
                .help(format!(
                    "add a TTL next to this key, such as {}, so everything that takes its tags from here expires",
                    terraform_hint(envs)
                ))
                .attribute("tags")
                .property("environment", env.as_str());
            cx.report(site.attach(d));
        }
    }

    fn check_kubernetes(&self, manifests: &Manifests<'_>, _options: &Options, cx: &mut Cx<'_>) {
        let envs = manifests.environments;
        for object in manifests.objects.iter().filter(|o| is_cost_bearing(o)) {
            let Some((EnvClass::Ephemeral, env)) = manifests.env_class(object) else {
                continue;
            };
            if object_has_ttl(object, envs) || self_deleting_job(object) {
                continue;
            }
            if object.kind != "Namespace" {
                if let (Some(name), Some(ns)) = (object.namespace, manifests.namespace_of(object)) {
                    // Covered by the Namespace's TTL, or reported on the
                    // Namespace, where one TTL cleans up everything.
                    if namespace_has_ttl(ns, envs)
                        || namespace_class(name, ns, envs) == EnvClass::Ephemeral
                    {
                        continue;
                    }
                }
            }
            cx.report(object_finding(object, &env, envs));
        }
    }
}

/// A Job the TTL-after-finished controller deletes.
fn self_deleting_job(object: &Object<'_>) -> bool {
    object.kind == "Job"
        && object
            .node
            .path(&["spec", "ttlSecondsAfterFinished"])
            .is_some_and(|n| !n.is_null())
}

fn resource_finding(
    module: &Module<'_>,
    r: &Resource<'_>,
    env: &str,
    envs: &Environments,
) -> Diagnostic {
    let (at, _) = tags_anchor(r);
    let word = tag_word(r.rtype);
    let mut d = Diagnostic::new(
        "",
        at,
        format!(
            "`{}` is in ephemeral environment `{env}` but has no TTL or expiry {word}",
            r.block_address
        ),
    )
    .label(format!("no TTL {word}"))
    .help(format!(
        "add a TTL {word} such as {} so the environment is deleted when it is no longer needed",
        terraform_hint(envs)
    ))
    .resource(r.address.clone())
    .attribute("tags")
    .property("environment", env);
    d = crate::cost::with_resource_cost(d, r, module);
    if let Some((call, message)) = caller_label(r) {
        d = d.related(call, message);
    }
    d
}

fn object_finding(object: &Object<'_>, env: &Environment, envs: &Environments) -> Diagnostic {
    let name = object_name(object);
    let message = match (&env.source, object.kind) {
        (EnvSource::NamespaceName, "Namespace") => {
            format!("{name} is ephemeral by its name but has no TTL or expiry")
        }
        _ => format!(
            "{name} is in ephemeral {} but has no TTL or expiry",
            env.describe()
        ),
    };
    let help = if object.kind == "Namespace" {
        format!(
            "{} to the Namespace; it covers every object in it",
            kubernetes_hint(envs)
        )
    } else {
        format!(
            "{} to this object, or to its Namespace to cover everything in it",
            kubernetes_hint(envs)
        )
    };
    Diagnostic::new(
        "",
        Loc::new(object.file, metadata_anchor(object, "annotations")),
        message,
    )
    .label("no TTL")
    .help(help)
    .resource(object.address())
    .attribute("metadata.annotations")
    .property("environment", env.name.as_str())
}
