use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::declare_rule;
use crate::finding::{Diagnostic, Loc};
use crate::kubernetes::object::{Container, Object};
use crate::kubernetes::quantity::{Quantity, trim_number};
use crate::model::kubernetes::Manifests;
use crate::rules::{Cx, Rule, RuleMeta};
use crate::source::Span;

use super::caps::{EnvState, limits_layer, plural, resolve};
use super::container_resources_missing::join;

declare_rule! {
    /// ## What it does
    /// Reports a Kubernetes container or init container, in any workload
    /// kind, whose cpu or memory request or limit is over the cap of its
    /// environment, or that asks for more GPUs (`nvidia.com/gpu`,
    /// `amd.com/gpu`) than allowed. Defaults: 16 cpu and 64Gi per
    /// container; in non-production environments 4 cpu, 16Gi and no GPU.
    ///
    /// The environment comes from the object's `environment`, `env` or
    /// `stage` label, else its pod template's, else the labels of its
    /// Namespace object when that is in the run or in a manifest beside
    /// the file, else the namespace name. Quantities are compared exactly
    /// (`500m`, `1.5`, `64Gi`, `1e3`); a value that is not a quantity (a
    /// Helm placeholder) is never reported. There is one finding per
    /// container, at its first value over the cap, listing every value
    /// over it.
    ///
    /// ## Why is this bad?
    /// The scheduler reserves a container's requests on a node whether it
    /// uses them or not, and the cluster autoscaler buys nodes to fit them:
    /// a 32-cpu request in a development namespace is a dedicated
    /// 32-vCPU node, about $1,120 a month on AWS (m5.8xlarge). A GPU
    /// request pins a GPU node: ~$2,234 a month for the smallest V100 node
    /// (p3.2xlarge), usually idle outside working hours in a test
    /// environment.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: trainer
    ///   namespace: ml-dev
    ///   labels: {environment: dev}
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: train
    ///           image: ml/train:3
    ///           resources:
    ///             requests: {cpu: "32", memory: 128Gi}
    ///             limits: {memory: 128Gi, nvidia.com/gpu: 1}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///           resources:
    ///             requests: {cpu: "2", memory: 8Gi}
    ///             limits: {memory: 8Gi}
    /// ```
    ///
    /// ## Options
    /// - `max-cpu` (default `"16"`), `max-memory` (default `"64Gi"`),
    ///   `max-gpus` (default: no limit): the cap per container wherever no
    ///   entry of `environments` sets a limit. Quantities as Kubernetes
    ///   writes them (`8`, `"500m"`, `"32Gi"`).
    /// - `gpu-resources` (default `["nvidia.com/gpu", "amd.com/gpu"]`):
    ///   extended resources counted as GPUs.
    /// - `environments` (default: `non-production` = `max-cpu = "4"`,
    ///   `max-memory = "16Gi"`, `max-gpus = 0`): caps per environment name
    ///   (or `*` pattern) or class (`production`, `non-production`,
    ///   `ephemeral`). A limit an entry leaves out comes from the
    ///   environment's class, then from the rule-wide limits; the built-in
    ///   `non-production` entry stays under whatever is configured.
    ///
    /// ```toml
    /// [rules.container-size-cap.environments.ml-dev]
    /// max-cpu = 8
    /// max-gpus = 1
    /// ```
    ///
    /// ## References
    /// - [Resource management for pods and containers](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)
    /// - [Schedule GPUs](https://kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/)
    /// - [Kubernetes quantities](https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/)
    pub struct ContainerSizeCap {
        code: "CL103",
        name: "container-size-cap",
        category: Sizing,
        severity: Warning,
    }
}

/// A Kubernetes quantity in the configuration, kept as written for
/// messages.
#[derive(Debug, Clone, PartialEq)]
pub struct CapQuantity {
    pub text: String,
    pub quantity: Quantity,
}

impl CapQuantity {
    pub fn parse(text: &str) -> Option<CapQuantity> {
        let quantity = Quantity::parse(text).filter(|q| q.millis >= 0)?;
        Some(CapQuantity {
            text: text.trim().to_owned(),
            quantity,
        })
    }
}

impl PartialOrd for CapQuantity {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.quantity.cmp(&other.quantity))
    }
}

impl Serialize for CapQuantity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for CapQuantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct QuantityVisitor;
        impl Visitor<'_> for QuantityVisitor {
            type Value = CapQuantity;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Kubernetes quantity such as 4, \"500m\" or \"64Gi\"")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<CapQuantity, E> {
                CapQuantity::parse(v).ok_or_else(|| {
                    E::custom(format!(
                        "`{v}` is not a Kubernetes quantity (such as 4, \"500m\" or \"64Gi\")"
                    ))
                })
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<CapQuantity, E> {
                self.visit_str(&v.to_string())
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<CapQuantity, E> {
                self.visit_str(&v.to_string())
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<CapQuantity, E> {
                self.visit_str(&v.to_string())
            }
        }
        deserializer.deserialize_any(QuantityVisitor)
    }
}

impl schemars::JsonSchema for CapQuantity {
    fn schema_name() -> Cow<'static, str> {
        "KubernetesQuantity".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A Kubernetes quantity: 4, \"500m\", \"1.5\", \"64Gi\", \"1G\".",
            "type": ["string", "number"]
        })
    }
}

/// A cap per container, rule-wide or for one environment or class.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ContainerCap {
    /// Most cpu in a request or limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_cpu: Option<CapQuantity>,
    /// Most memory in a request or limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_memory: Option<CapQuantity>,
    /// Most GPUs (`0`: none allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_gpus: Option<u32>,
}

limits_layer!(ContainerCap {
    max_cpu,
    max_memory,
    max_gpus
});

impl ContainerCap {
    /// "4 cpu / 16Gi", and "/ no GPU" when GPUs are what is over.
    fn describe(&self, gpus: bool) -> String {
        let mut parts = Vec::new();
        if let Some(cpu) = &self.max_cpu {
            parts.push(format!("{} cpu", cpu.text));
        }
        if let Some(memory) = &self.max_memory {
            parts.push(memory.text.clone());
        }
        match self.max_gpus.filter(|_| gpus) {
            Some(0) => parts.push("no GPU".into()),
            Some(n) => parts.push(plural(n.into(), "GPU")),
            None => {}
        }
        parts.join(" / ")
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
#[schemars(rename = "ContainerSizeCapOptions")]
pub struct Options {
    /// Most cpu per container wherever no environment entry says otherwise.
    pub max_cpu: Option<CapQuantity>,
    /// Most memory per container wherever no environment entry says
    /// otherwise.
    pub max_memory: Option<CapQuantity>,
    /// Most GPUs per container wherever no environment entry says
    /// otherwise (unset: no limit).
    pub max_gpus: Option<u32>,
    /// Extended resources counted as GPUs.
    pub gpu_resources: Vec<String>,
    /// Caps per environment name (or `*` pattern) or class (`production`,
    /// `non-production`, `ephemeral`).
    pub environments: BTreeMap<String, ContainerCap>,
}

fn quantity(text: &str) -> Option<CapQuantity> {
    CapQuantity::parse(text)
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_cpu: quantity("16"),
            max_memory: quantity("64Gi"),
            max_gpus: None,
            gpu_resources: vec!["nvidia.com/gpu".into(), "amd.com/gpu".into()],
            environments: BTreeMap::from([(
                "non-production".to_owned(),
                ContainerCap {
                    max_cpu: quantity("4"),
                    max_memory: quantity("16Gi"),
                    max_gpus: Some(0),
                },
            )]),
        }
    }
}

/// The built-in `environments` entries, built once.
static BUILTIN_CAPS: std::sync::OnceLock<BTreeMap<String, ContainerCap>> =
    std::sync::OnceLock::new();

impl Options {
    fn cap_for(&self, env: &EnvState, manifests: &Manifests<'_>) -> ContainerCap {
        let top = ContainerCap {
            max_cpu: self.max_cpu.clone(),
            max_memory: self.max_memory.clone(),
            max_gpus: self.max_gpus,
        };
        resolve(
            &top,
            &self.environments,
            BUILTIN_CAPS.get_or_init(|| Options::default().environments),
            env,
            manifests.environments,
        )
    }
}

/// A value over the cap.
struct Over {
    span: Span,
    /// "a cpu limit of 32", "2 nvidia.com/gpu".
    fact: String,
    label: String,
    gpu: bool,
}

impl Rule for ContainerSizeCap {
    type Options = Options;

    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_kubernetes(&self, manifests: &Manifests<'_>, options: &Options, cx: &mut Cx<'_>) {
        for object in &manifests.objects {
            let Some(pod) = object.pod() else { continue };
            let env = EnvState::of_object(manifests, object);
            let cap = options.cap_for(&env, manifests);
            for container in pod.containers() {
                let over = over_cap(&container, &cap, options);
                if let Some(d) = finding(object, &container, &cap, &env, over) {
                    cx.report(d);
                }
            }
        }
    }
}

const SIZES: [(&str, &str, &str); 4] = [
    ("requests", "cpu", "cpu request"),
    ("limits", "cpu", "cpu limit"),
    ("requests", "memory", "memory request"),
    ("limits", "memory", "memory limit"),
];

fn over_cap(container: &Container<'_>, cap: &ContainerCap, options: &Options) -> Vec<Over> {
    let mut out = Vec::new();
    for (section, resource, what) in SIZES {
        let max = if resource == "cpu" {
            &cap.max_cpu
        } else {
            &cap.max_memory
        };
        let Some(max) = max else { continue };
        let Some(node) = container.resource(section, resource) else {
            continue;
        };
        let Some(text) = node.as_str() else { continue };
        let Some(q) = Quantity::parse(text) else {
            continue;
        };
        if q > max.quantity {
            let unit = if resource == "cpu" { " cpu" } else { "" };
            out.push(Over {
                span: node.span,
                fact: format!("a {what} of {}", text.trim()),
                label: format!("over the cap of {}{unit}", max.text),
                gpu: false,
            });
        }
    }
    if let Some(max) = cap.max_gpus {
        let mut total: i128 = 0;
        let mut parts = Vec::new();
        let mut first = None;
        for name in &options.gpu_resources {
            // A GPU request must equal its limit; take the larger anyway.
            let most = ["limits", "requests"]
                .iter()
                .filter_map(|section| {
                    let node = container.resource(section, name)?;
                    let q = Quantity::parse(node.as_str()?)?;
                    Some((q.millis, node.span))
                })
                .max_by_key(|(millis, _)| *millis);
            if let Some((millis, span)) = most.filter(|(m, _)| *m > 0) {
                let gpus = (millis + 999) / 1000;
                total += gpus;
                parts.push(format!("{gpus} {name}"));
                first.get_or_insert(span);
            }
        }
        if let Some(span) = first.filter(|_| total > i128::from(max)) {
            let label = if max == 0 {
                "no GPU allowed".to_owned()
            } else {
                format!("over the cap of {}", plural(max.into(), "GPU"))
            };
            out.push(Over {
                span,
                fact: parts.join(" and "),
                label,
                gpu: true,
            });
        }
    }
    out
}

fn finding(
    object: &Object<'_>,
    container: &Container<'_>,
    cap: &ContainerCap,
    env: &EnvState,
    over: Vec<Over>,
) -> Option<Diagnostic> {
    let (first, rest) = over.split_first()?;
    let facts: Vec<&str> = over.iter().map(|o| o.fact.as_str()).collect();
    let limits = cap.describe(over.iter().any(|o| o.gpu));
    let message = format!(
        "{} of {} `{}` has {}, over the cap of {} per container {}",
        container.display_name(),
        object.kind,
        object.shown_name(),
        join(&facts, "and"),
        limits,
        env.scope()
    );
    let help = format!(
        "size the container to at most {limits} (split the work across replicas if it needs more), or {}",
        env.raise()
    );
    let mut d = Diagnostic::new("", Loc::new(object.file, first.span), message)
        .label(first.label.clone())
        .help(help)
        .resource(object.address())
        .attribute(format!(
            "containers.{}.resources",
            container.name.unwrap_or("?")
        ));
    for o in rest {
        d = d.related(Loc::new(object.file, o.span), o.label.clone());
    }
    if let Some(cpu) = &cap.max_cpu {
        d = d.property("cap_cpu", trim_number(cpu.quantity.as_f64()));
    }
    if let Some(memory) = &cap.max_memory {
        d = d.property("cap_memory", memory.text.as_str());
    }
    if let Some(gpus) = cap.max_gpus {
        d = d.property("cap_gpus", gpus);
    }
    d = d.property("over", facts);
    Some(env.annotate(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_from_numbers_and_strings() {
        let o: Options = toml::from_str("max-cpu = 8\nmax-memory = \"32Gi\"").unwrap();
        assert_eq!(o.max_cpu.unwrap().quantity, Quantity::parse("8").unwrap());
        assert_eq!(o.max_memory.unwrap().text, "32Gi");
        let o: Options = toml::from_str("max-cpu = 1.5").unwrap();
        assert_eq!(o.max_cpu.unwrap().quantity.millis, 1500);
        assert!(toml::from_str::<Options>("max-memory = \"32GB\"").is_err());
        assert!(toml::from_str::<Options>("max-cpu = -1").is_err());
        assert!(toml::from_str::<Options>("[environments.dev]\ncpu = 1").is_err());
    }

    #[test]
    fn defaults_serialise_as_written() {
        let json = serde_json::to_value(Options::default()).unwrap();
        assert_eq!(json["max-cpu"], "16");
        assert_eq!(json["environments"]["non-production"]["max-memory"], "16Gi");
    }
}
