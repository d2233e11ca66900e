use super::ephemeral_env_missing_ttl::{namespace_has_ttl, object_has_ttl};
use crate::declare_rule;
use crate::finding::{Diagnostic, Loc};
use crate::kubernetes::object::Object;
use crate::model::kubernetes::Manifests;
use crate::rules::tags::common::object_name;
use crate::rules::{Cx, NoOptions, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a standalone Kubernetes Job without
    /// `spec.ttlSecondsAfterFinished`, so that the Job and its Pods stay in
    /// the cluster after it finishes until someone deletes them.
    ///
    /// Jobs that something else cleans up are not reported: the jobs a
    /// CronJob creates (its history limits keep a few), Jobs with an owner
    /// reference, Helm and Argo CD hooks with a `hook-delete-policy` or
    /// with a fixed name (both tools delete such a hook before creating it
    /// again, so at most one is kept; a hook with `generateName` piles up
    /// and is reported), and
    /// Jobs carrying a TTL annotation or label from `[environments]`
    /// (`janitor/ttl`, …) themselves or on their Namespace.
    ///
    /// ## Why is this bad?
    /// A finished Pod uses no CPU, but what it owns stays with it. A
    /// generic ephemeral volume (`ephemeral.volumeClaimTemplate`) is
    /// deleted with its Pod, not when the Job ends: a Job with a 100 GiB
    /// gp3 scratch volume keeps paying about $8 a month ($0.08 per GB-month)
    /// for every run left behind, and a nightly Job leaves 30 a month.
    /// Finished Pods also count against `ResourceQuota` pod limits and slow
    /// down every list call in namespaces that collect thousands of them.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: migrate
    /// spec:
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///         - name: migrate
    ///           image: shop/api:1.4
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: migrate
    /// spec:
    ///   ttlSecondsAfterFinished: 86400 # keep it a day for inspection
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///         - name: migrate
    ///           image: shop/api:1.4
    /// ```
    ///
    /// ## Options
    /// None. The TTL annotations and labels that also count are set under
    /// `[environments]` (`ttl-annotations`, `ttl-labels`).
    ///
    /// ## References
    /// - [Kubernetes: Automatic cleanup for finished Jobs](https://kubernetes.io/docs/concepts/workloads/controllers/ttlafterfinished/)
    /// - [Kubernetes: Generic ephemeral volumes](https://kubernetes.io/docs/concepts/storage/ephemeral-volumes/#generic-ephemeral-volumes)
    /// - [Kubernetes: CronJob jobs history limits](https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#jobs-history-limits)
    /// - [kube-linter: job-ttl-seconds-after-finished](https://docs.kubelinter.io/#/generated/checks)
    pub struct JobWithoutTtl {
        code: "CL403",
        name: "job-without-ttl",
        category: Lifecycle,
        severity: Note,
    }
}

/// Annotations by which a deployment tool deletes its hook Jobs.
const HOOK_DELETE_POLICIES: [&str; 2] = [
    "helm.sh/hook-delete-policy",
    "argocd.argoproj.io/hook-delete-policy",
];

/// Hook annotations; without a delete policy both tools apply
/// `before-hook-creation`, which only bounds a hook with a fixed name.
const HOOKS: [&str; 2] = ["helm.sh/hook", "argocd.argoproj.io/hook"];

impl Rule for JobWithoutTtl {
    type Options = NoOptions;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_kubernetes(&self, manifests: &Manifests<'_>, _options: &NoOptions, cx: &mut Cx<'_>) {
        let envs = manifests.environments;
        let jobs = manifests
            .objects
            .iter()
            .filter(|o| o.kind == "Job" && o.api_version.starts_with("batch/"));
        for object in jobs {
            let has_ttl = object
                .node
                .path(&["spec", "ttlSecondsAfterFinished"])
                .is_some_and(|n| !n.is_null());
            let cleaned_elsewhere = owned(object)
                || HOOK_DELETE_POLICIES
                    .iter()
                    .any(|a| object.annotation(a).is_some())
                || (object.name.is_some() && HOOKS.iter().any(|a| object.annotation(a).is_some()))
                || object_has_ttl(object, envs)
                || manifests
                    .namespace_of(object)
                    .is_some_and(|ns| namespace_has_ttl(ns, envs));
            if has_ttl || cleaned_elsewhere {
                continue;
            }
            let span = object
                .node
                .entry("spec")
                .or_else(|| object.node.entry("kind"))
                .map_or(object.node.span, |(k, _)| k.span);
            cx.report(
                Diagnostic::new(
                    "",
                    Loc::new(object.file, span),
                    format!(
                        "{} has no spec.ttlSecondsAfterFinished, so it and its Pods stay in the cluster after it finishes",
                        object_name(object)
                    ),
                )
                .label("no ttlSecondsAfterFinished")
                .help("set spec.ttlSecondsAfterFinished, e.g. 86400 to keep the finished Job for a day of inspection")
                .resource(object.address())
                .attribute("spec.ttlSecondsAfterFinished"),
            );
        }
    }
}

/// A Job created by a controller (a CronJob, say), which cleans it up.
fn owned(object: &Object<'_>) -> bool {
    object
        .metadata()
        .and_then(|m| m.get("ownerReferences"))
        .and_then(|o| o.as_seq())
        .is_some_and(|refs| !refs.is_empty())
}
