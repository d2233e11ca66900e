//! Kubernetes objects as rules see them, with the Namespace objects of the
//! whole run available for labels and TTLs.

use std::collections::BTreeMap;

use crate::fast::{HashMap, HashSet};

use super::{EnvClass, Environments};
use crate::finding::{FileId, Loc};
use crate::kubernetes::object::Object;
use crate::kubernetes::yaml::Node;

/// A `Namespace` object seen anywhere in the run.
#[derive(Debug, Clone, Default)]
pub struct NamespaceInfo {
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    /// `path:line` of the Namespace object, for messages.
    pub location: String,
}

pub type NamespaceIndex = HashMap<String, NamespaceInfo>;

/// The objects of one manifest file (or of stdin).
pub struct Manifests<'a> {
    pub objects: Vec<Object<'a>>,
    /// Text of the file the objects come from (for fixes that keep its
    /// indentation).
    pub text: &'a str,
    pub namespaces: &'a NamespaceIndex,
    /// Workloads an autoscaler anywhere in the run scales.
    pub scale_targets: &'a ScaleTargets,
    /// Container defaults of the run's LimitRanges.
    pub limit_ranges: &'a LimitRanges,
    pub environments: &'a Environments,
    /// Environment and class of each of `objects`, worked out on first use:
    /// most rules ask for every object.
    pub env_cache: Vec<std::sync::OnceLock<Option<(EnvClass, Environment)>>>,
}

impl<'a> Manifests<'a> {
    pub fn namespace_of(&self, object: &Object<'_>) -> Option<&'a NamespaceInfo> {
        if object.kind == "Namespace" {
            return object.name.and_then(|n| self.namespaces.get(n));
        }
        self.namespaces.get(object.namespace?)
    }

    /// The environment of an object: its labels, then its pod template's,
    /// then its Namespace object's labels, then the namespace name.
    pub fn environment(&self, object: &Object<'a>) -> Option<Environment> {
        let envs = self.environments;
        let from_labels = |labels: Vec<(&'a Node, &'a Node)>| -> Option<Environment> {
            let mut best: Option<(usize, Environment)> = None;
            for (k, v) in labels {
                let (Some(key), Some(value)) = (k.as_str(), v.as_str()) else {
                    continue;
                };
                if let Some(rank) = envs.is_env_key(key) {
                    if best.as_ref().is_none_or(|(r, _)| rank < *r) {
                        best = Some((
                            rank,
                            Environment {
                                name: value.to_owned(),
                                source: EnvSource::Label(Loc::new(object.file, v.span)),
                            },
                        ));
                    }
                }
            }
            best.map(|(_, e)| e)
        };
        if let Some(env) = from_labels(object.labels()) {
            return Some(env);
        }
        if let Some(env) = object.pod().and_then(|p| from_labels(p.labels())) {
            return Some(env);
        }
        let ns_name = if object.kind == "Namespace" {
            object.name
        } else {
            object.namespace
        };
        if let Some(ns) = self.namespace_of(object) {
            let mut best: Option<(usize, &String)> = None;
            for (k, v) in &ns.labels {
                if let Some(rank) = envs.is_env_key(k) {
                    if best.is_none_or(|(r, _)| rank < r) {
                        best = Some((rank, v));
                    }
                }
            }
            if let Some((_, v)) = best {
                return Some(Environment {
                    name: v.clone(),
                    source: EnvSource::Namespace(ns.location.clone()),
                });
            }
        }
        ns_name.map(|n| Environment {
            name: n.to_owned(),
            source: EnvSource::NamespaceName,
        })
    }

    pub fn env_class(&self, object: &Object<'a>) -> Option<(EnvClass, Environment)> {
        match self.index_of(object).and_then(|i| self.env_cache.get(i)) {
            Some(cell) => cell.get_or_init(|| self.env_class_uncached(object)).clone(),
            None => self.env_class_uncached(object),
        }
    }

    fn env_class_uncached(&self, object: &Object<'a>) -> Option<(EnvClass, Environment)> {
        let env = self.environment(object)?;
        Some((self.environments.classify(&env.name), env))
    }

    /// Position of `object` in `objects`, when it is one of them (rules
    /// also look at objects they build themselves, such as pod templates).
    fn index_of(&self, object: &Object<'a>) -> Option<usize> {
        let size = std::mem::size_of::<Object<'a>>();
        let offset =
            (object as *const Object<'a> as usize).checked_sub(self.objects.as_ptr() as usize)?;
        let i = offset.checked_div(size)?;
        (offset % size == 0 && self.objects.get(i).is_some_and(|o| std::ptr::eq(o, object)))
            .then_some(i)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Environment {
    pub name: String,
    pub source: EnvSource,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EnvSource {
    Label(Loc),
    /// The labels of the Namespace object at this location.
    Namespace(String),
    NamespaceName,
}

impl Environment {
    /// "environment `dev` (label)" and similar, for messages.
    pub fn describe(&self) -> String {
        match &self.source {
            EnvSource::Label(_) => format!("environment `{}`", self.name),
            EnvSource::Namespace(at) => format!(
                "environment `{}` (from the Namespace labels at {at})",
                self.name
            ),
            EnvSource::NamespaceName => format!("namespace `{}`", self.name),
        }
    }
}

/// Collects the Namespace objects of one parsed file.
pub fn collect_namespaces(
    file: FileId,
    path: &str,
    docs: &[crate::kubernetes::yaml::Document],
    text_index: &crate::source::LineIndex,
    text: &str,
    out: &mut NamespaceIndex,
) {
    for doc in docs {
        for object in Object::all_in(file, &doc.root, doc.span) {
            if object.kind != "Namespace" {
                continue;
            }
            let Some(name) = object.name else { continue };
            let map = |pairs: Vec<(&Node, &Node)>| {
                pairs
                    .into_iter()
                    .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), v.as_str()?.to_owned())))
                    .collect::<BTreeMap<_, _>>()
            };
            let line = text_index.position(object.node.span.start, text).line;
            out.entry(name.to_owned()).or_insert(NamespaceInfo {
                labels: map(object.labels()),
                annotations: map(object.annotations()),
                location: format!("{path}:{line}"),
            });
        }
    }
}

/// The workloads that a HorizontalPodAutoscaler or a KEDA ScaledObject
/// anywhere in the run scales, so that a rule reading `spec.replicas`
/// knows it is not what runs.
#[derive(Debug, Clone, Default)]
pub struct ScaleTargets {
    /// Target name, then kind, to namespaces: `None` for an autoscaler
    /// without one, which `kubectl` puts in its current namespace. Looked
    /// up rather than scanned, since every workload of a run asks.
    targets: HashMap<String, HashMap<String, HashSet<Option<String>>>>,
}

impl ScaleTargets {
    /// Records the scale targets of the autoscalers in one parsed file.
    pub fn collect(&mut self, docs: &[crate::kubernetes::yaml::Document]) {
        for doc in docs {
            for object in Object::all_in(FileId(0), &doc.root, doc.span) {
                let default_kind = match object.kind {
                    "HorizontalPodAutoscaler" => None,
                    // KEDA scales a Deployment unless told otherwise.
                    "ScaledObject" => Some("Deployment"),
                    _ => continue,
                };
                let Some(target) = object.node.path(&["spec", "scaleTargetRef"]) else {
                    continue;
                };
                let kind = target.get("kind").and_then(Node::as_str).or(default_kind);
                let (Some(kind), Some(name)) = (kind, target.get("name").and_then(Node::as_str))
                else {
                    continue;
                };
                self.add(name, kind, object.namespace);
            }
        }
    }

    fn add(&mut self, name: &str, kind: &str, namespace: Option<&str>) {
        self.targets
            .entry(name.to_owned())
            .or_default()
            .entry(kind.to_owned())
            .or_default()
            .insert(namespace.map(str::to_owned));
    }

    pub fn extend(&mut self, other: ScaleTargets) {
        for (name, kinds) in other.targets {
            let mine = self.targets.entry(name).or_default();
            for (kind, namespaces) in kinds {
                mine.entry(kind).or_default().extend(namespaces);
            }
        }
    }

    /// Whether an autoscaler scales this object. A namespace left out on
    /// either side may be the same one.
    pub fn scales(&self, object: &Object<'_>) -> bool {
        let Some(namespaces) = object
            .name
            .and_then(|name| self.targets.get(name))
            .and_then(|kinds| kinds.get(object.kind))
        else {
            return false;
        };
        match object.namespace {
            None => !namespaces.is_empty(),
            Some(ns) => namespaces.contains(&None) || namespaces.contains(&Some(ns.to_owned())),
        }
    }
}

/// Container defaults of the LimitRanges of a run, by namespace: what
/// admission fills in for a container that leaves a request or limit out.
#[derive(Debug, Default)]
pub struct LimitRanges {
    /// Namespace (`None`: written without one) → (`requests` or `limits`,
    /// resource) given a default.
    covers: HashMap<Option<String>, HashSet<(String, String)>>,
}

impl LimitRanges {
    /// Records the LimitRanges of one parsed file.
    pub fn collect(&mut self, docs: &[crate::kubernetes::yaml::Document]) {
        for doc in docs {
            for object in Object::all_in(FileId(0), &doc.root, doc.span) {
                if object.kind != "LimitRange" {
                    continue;
                }
                let items = object
                    .node
                    .path(&["spec", "limits"])
                    .and_then(Node::as_seq)
                    .unwrap_or(&[]);
                for item in items {
                    if item.get("type").and_then(Node::as_str) != Some("Container") {
                        continue;
                    }
                    // A default limit is the default request too, unless
                    // `defaultRequest` says otherwise.
                    let given = [
                        ("default", &["limits", "requests"][..]),
                        ("defaultRequest", &["requests"][..]),
                    ];
                    for (key, sections) in given {
                        let Some(map) = item.get(key).and_then(Node::as_map) else {
                            continue;
                        };
                        for (resource, value) in map {
                            let Some(resource) = resource.as_str().filter(|_| !value.is_null())
                            else {
                                continue;
                            };
                            let set = self
                                .covers
                                .entry(object.namespace.map(str::to_owned))
                                .or_default();
                            for section in sections {
                                set.insert(((*section).to_owned(), resource.to_owned()));
                            }
                        }
                    }
                }
            }
        }
    }

    pub fn extend(&mut self, other: LimitRanges) {
        for (namespace, covered) in other.covers {
            self.covers.entry(namespace).or_default().extend(covered);
        }
    }

    /// Whether a LimitRange gives containers in `namespace` a default for
    /// `section.resource`. Objects written without a namespace match
    /// LimitRanges written without one (applied together with `-n`), and
    /// only those: a LimitRange elsewhere in a repository says nothing
    /// about them.
    pub fn covers(&self, namespace: Option<&str>, section: &str, resource: &str) -> bool {
        if self.covers.is_empty() {
            return false;
        }
        let key = (section.to_owned(), resource.to_owned());
        self.covers
            .get(&namespace.map(str::to_owned))
            .is_some_and(|set| set.contains(&key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubernetes::yaml;

    #[test]
    fn autoscaler_targets_match_by_kind_name_and_namespace() {
        let autoscalers = "\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h1, namespace: a}
spec: {scaleTargetRef: {kind: Deployment, name: web}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h2}
spec: {scaleTargetRef: {kind: StatefulSet, name: db}}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: s1, namespace: c}
spec: {scaleTargetRef: {name: api}}
";
        let (docs, error) = yaml::load(autoscalers, yaml::Limits::default());
        assert_eq!(error, None);
        let (mut targets, mut more) = (ScaleTargets::default(), ScaleTargets::default());
        targets.collect(docs.get(..1).unwrap_or_default());
        more.collect(docs.get(1..).unwrap_or_default());
        targets.extend(more);

        let workloads = [
            ("Deployment", "web", Some("a"), true),
            ("Deployment", "web", Some("b"), false),
            ("Deployment", "web", None, true),
            ("StatefulSet", "web", Some("a"), false),
            ("StatefulSet", "db", Some("anywhere"), true),
            ("Deployment", "db", None, false),
            ("Deployment", "api", Some("c"), true),
            ("Deployment", "api", Some("d"), false),
            ("Deployment", "other", None, false),
        ];
        for (kind, name, namespace, scaled) in workloads {
            let ns = namespace.map_or(String::new(), |n| format!(", namespace: {n}"));
            let text =
                format!("apiVersion: apps/v1\nkind: {kind}\nmetadata: {{name: {name}{ns}}}\n");
            let (docs, _) = yaml::load(&text, yaml::Limits::default());
            let doc = docs.first().expect("one document");
            let objects = Object::all_in(FileId(0), &doc.root, doc.span);
            let object = objects.first().expect("one object");
            assert_eq!(targets.scales(object), scaled, "{text}");
        }
    }
}
