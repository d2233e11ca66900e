use serde::{Deserialize, Serialize};

use crate::declare_rule;
use crate::finding::{Diagnostic, Loc};
use crate::model::kubernetes::Manifests;
use crate::rules::{Cx, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a Kubernetes container or init container, in any workload
    /// kind, that has no CPU request, no memory request or no memory limit.
    ///
    /// A limit without a request counts as the request, because Kubernetes
    /// copies it there; pod-level `spec.resources` (Kubernetes 1.34) cover
    /// every container of the pod for the resources they set; and so does
    /// the `default` (limit and request) or `defaultRequest` of a
    /// `type: Container` LimitRange of the object's namespace in the run,
    /// or beside the file checked, which admission fills in.
    ///
    /// ## Why is this bad?
    /// Requests are what the scheduler packs nodes by and what cost
    /// allocation tools (Kubecost, OpenCost) charge teams for. A container
    /// without requests is scheduled as if it were free, so nodes are
    /// over-committed or the cluster autoscaler adds nodes nobody is charged
    /// for. Without a memory limit, one leaking pod can take a whole node.
    /// Clusters where most pods lack requests typically run at 20–30%
    /// utilisation: most of the node bill is idle capacity.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: shop/api:1.4
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///       containers:
    ///         - name: api
    ///           image: shop/api:1.4
    ///           resources:
    ///             requests: {cpu: 250m, memory: 256Mi}
    ///             limits: {memory: 512Mi}
    /// ```
    ///
    /// ## Options
    /// - `require-cpu-request` (default `true`)
    /// - `require-memory-request` (default `true`)
    /// - `require-memory-limit` (default `true`)
    /// - `require-cpu-limit` (default `false`: CPU limits throttle and are
    ///   often deliberately left out)
    ///
    /// ## References
    /// - [Resource management for pods and containers](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)
    /// - [kube-linter unset-cpu-requirements / unset-memory-requirements](https://docs.kubelinter.io/#/generated/checks)
    pub struct ContainerResourcesMissing {
        code: "CL104",
        name: "container-resources-missing",
        category: Sizing,
        severity: Warning,
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct Options {
    /// Require `resources.requests.cpu`.
    pub require_cpu_request: bool,
    /// Require `resources.requests.memory`.
    pub require_memory_request: bool,
    /// Require `resources.limits.memory`.
    pub require_memory_limit: bool,
    /// Require `resources.limits.cpu`.
    pub require_cpu_limit: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            require_cpu_request: true,
            require_memory_request: true,
            require_memory_limit: true,
            require_cpu_limit: false,
        }
    }
}

impl Rule for ContainerResourcesMissing {
    type Options = Options;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_kubernetes(&self, manifests: &Manifests<'_>, options: &Options, cx: &mut Cx<'_>) {
        let wanted = [
            (
                options.require_cpu_request,
                "requests",
                "cpu",
                "cpu request",
            ),
            (
                options.require_memory_request,
                "requests",
                "memory",
                "memory request",
            ),
            (
                options.require_memory_limit,
                "limits",
                "memory",
                "memory limit",
            ),
            (options.require_cpu_limit, "limits", "cpu", "cpu limit"),
        ];
        for object in &manifests.objects {
            let Some(pod) = object.pod() else { continue };
            let pod_level = |section: &str, resource: &str| {
                pod.spec
                    .path(&["resources", section, resource])
                    .is_some_and(|v| !v.is_null())
            };
            // A request left out is the limit (Kubernetes copies it), for
            // the container and for the pod alike.
            let set =
                |c: &crate::kubernetes::object::Container<'_>, section: &str, resource: &str| {
                    let sections: &[&str] = if section == "requests" {
                        &["requests", "limits"]
                    } else {
                        &[section]
                    };
                    sections.iter().any(|s| {
                        c.resource(s, resource).is_some()
                            || pod_level(s, resource)
                            || manifests.limit_ranges.covers(object.namespace, s, resource)
                    })
                };
            for container in pod.containers() {
                let missing: Vec<&str> = wanted
                    .iter()
                    .filter(|(on, section, resource, _)| *on && !set(&container, section, resource))
                    .map(|(_, _, _, what)| *what)
                    .collect();
                if missing.is_empty() {
                    continue;
                }
                // Point at `resources:` when it exists, else at the container.
                let span = match container.resources {
                    Some((key, _)) => key.span,
                    None => container
                        .node
                        .get("name")
                        .map_or(container.node.span, |n| n.span),
                };
                let message = format!(
                    "{} of {} `{}` has no {}",
                    container.display_name(),
                    object.kind,
                    object.shown_name(),
                    join(&missing, "or")
                );
                cx.report(
                    Diagnostic::new("", Loc::new(object.file, span), message)
                        .label(format!("missing {}", join(&missing, "and")))
                        .help("set resources.requests.cpu and .memory to what the container needs at steady state, and resources.limits.memory to its peak")
                        .resource(object.address())
                        .attribute(format!(
                            "containers.{}.resources",
                            container.name.unwrap_or("?")
                        ))
                        .property("missing", missing.clone()),
                );
            }
        }
    }
}

/// `a, b and c` / `a, b or c`.
pub fn join(items: &[&str], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}
