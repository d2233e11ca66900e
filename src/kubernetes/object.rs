//! One view of a Kubernetes object, and of the pod template inside every
//! workload kind, so container rules are written once.

use super::yaml::Node;
use crate::finding::FileId;
use crate::source::Span;

/// An object found in a manifest, possibly an item of a `List`.
#[derive(Debug, Clone)]
pub struct Object<'a> {
    pub file: FileId,
    pub node: &'a Node,
    /// The YAML document it came from (for document-level suppressions).
    pub doc_span: Span,
    pub api_version: &'a str,
    pub kind: &'a str,
    pub name: Option<&'a str>,
    pub namespace: Option<&'a str>,
}

/// Kinds that run pods, and where their pod spec is.
const POD_SPEC_PATHS: &[(&str, &[&str])] = &[
    ("Pod", &["spec"]),
    ("Deployment", &["spec", "template", "spec"]),
    ("StatefulSet", &["spec", "template", "spec"]),
    ("DaemonSet", &["spec", "template", "spec"]),
    ("ReplicaSet", &["spec", "template", "spec"]),
    ("ReplicationController", &["spec", "template", "spec"]),
    ("Job", &["spec", "template", "spec"]),
    (
        "CronJob",
        &["spec", "jobTemplate", "spec", "template", "spec"],
    ),
];

impl<'a> Object<'a> {
    /// Reads `apiVersion`/`kind`/`metadata`; `None` for YAML that is not a
    /// Kubernetes object.
    pub fn from_node(file: FileId, node: &'a Node, doc_span: Span) -> Option<Object<'a>> {
        let api_version = node.get("apiVersion")?.as_str()?;
        let kind = node.get("kind")?.as_str()?;
        if api_version.is_empty() || kind.is_empty() {
            return None;
        }
        let metadata = node.get("metadata");
        let name = metadata.and_then(|m| m.get("name")).and_then(Node::as_str);
        let namespace = metadata
            .and_then(|m| m.get("namespace"))
            .and_then(Node::as_str);
        Some(Object {
            file,
            node,
            doc_span,
            api_version,
            kind,
            name,
            namespace,
        })
    }

    /// Every object in a document: the object itself, or the items of a
    /// `List` (and `*List` kinds).
    pub fn all_in(file: FileId, node: &'a Node, doc_span: Span) -> Vec<Object<'a>> {
        let Some(object) = Object::from_node(file, node, doc_span) else {
            return Vec::new();
        };
        if object.kind == "List" || object.kind.ends_with("List") {
            return node
                .get("items")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .filter_map(|item| Object::from_node(file, item, doc_span))
                .collect();
        }
        vec![object]
    }

    /// `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects.
    /// `metadata.name`; for an object the API server names, its
    /// `generateName` prefix and `*`.
    pub fn shown_name(&self) -> std::borrow::Cow<'a, str> {
        if let Some(name) = self.name {
            return name.into();
        }
        match self
            .metadata()
            .and_then(|m| m.get("generateName"))
            .and_then(Node::as_str)
        {
            Some(prefix) => format!("{prefix}*").into(),
            None => "<unnamed>".into(),
        }
    }

    pub fn address(&self) -> String {
        let name = self.shown_name();
        match self.namespace {
            Some(ns) => format!("{}/{}/{}", self.kind, ns, name),
            None => format!("{}/{}", self.kind, name),
        }
    }

    pub fn metadata(&self) -> Option<&'a Node> {
        self.node.get("metadata")
    }

    pub fn labels(&self) -> Vec<(&'a Node, &'a Node)> {
        string_map(self.metadata().and_then(|m| m.get("labels")))
    }

    pub fn annotations(&self) -> Vec<(&'a Node, &'a Node)> {
        string_map(self.metadata().and_then(|m| m.get("annotations")))
    }

    pub fn label(&self, key: &str) -> Option<&'a Node> {
        self.metadata()?.get("labels")?.get(key)
    }

    pub fn annotation(&self, key: &str) -> Option<&'a Node> {
        self.metadata()?.get("annotations")?.get(key)
    }

    /// The pod template of a workload, whatever its kind.
    pub fn pod(&self) -> Option<Pod<'a>> {
        let path = self.pod_spec_path()?;
        let spec = self.node.path(path)?;
        // The template's metadata sits beside its spec.
        let template_meta =
            if let Some((_, template)) = path.split_last().filter(|_| path.len() > 1) {
                self.node.path(template).and_then(|t| t.get("metadata"))
            } else {
                self.metadata()
            };
        Some(Pod {
            spec,
            metadata: template_meta,
        })
    }

    /// A built-in workload kind of a built-in API group: a custom
    /// resource that happens to be called `Deployment` or `Job` (Volcano's
    /// `batch.volcano.sh` Job, say) has a shape of its own.
    pub fn is_workload(&self) -> bool {
        self.pod_spec_path().is_some()
    }

    /// Where a built-in workload keeps its pod spec; asked for every
    /// object by every rule, so the kind is compared first.
    fn pod_spec_path(&self) -> Option<&'static [&'static str]> {
        let (_, path) = POD_SPEC_PATHS.iter().find(|(kind, _)| *kind == self.kind)?;
        let group = match self.api_version.as_bytes().iter().rposition(|&b| b == b'/') {
            Some(i) => self.api_version.get(..i).unwrap_or(""),
            None => "",
        };
        matches!(group, "" | "apps" | "batch" | "extensions").then_some(*path)
    }
}

/// A normalised pod template.
#[derive(Debug, Clone, Copy)]
pub struct Pod<'a> {
    pub spec: &'a Node,
    pub metadata: Option<&'a Node>,
}

/// A container or init container.
#[derive(Debug, Clone, Copy)]
pub struct Container<'a> {
    pub node: &'a Node,
    pub name: Option<&'a str>,
    pub init: bool,
    /// `resources` key and value, when present.
    pub resources: Option<(&'a Node, &'a Node)>,
}

impl<'a> Pod<'a> {
    pub fn containers(&self) -> Vec<Container<'a>> {
        let mut out = Vec::new();
        for (key, init) in [("initContainers", true), ("containers", false)] {
            for node in self.spec.get(key).and_then(Node::as_seq).unwrap_or(&[]) {
                if node.as_map().is_none() {
                    continue;
                }
                out.push(Container {
                    node,
                    name: node.get("name").and_then(Node::as_str),
                    init,
                    resources: node.entry("resources"),
                });
            }
        }
        out
    }

    pub fn labels(&self) -> Vec<(&'a Node, &'a Node)> {
        string_map(self.metadata.and_then(|m| m.get("labels")))
    }

    pub fn annotations(&self) -> Vec<(&'a Node, &'a Node)> {
        string_map(self.metadata.and_then(|m| m.get("annotations")))
    }
}

impl<'a> Container<'a> {
    /// `resources.<section>.<resource>` (section is `requests` or `limits`).
    pub fn resource(&self, section: &str, resource: &str) -> Option<&'a Node> {
        let (_, resources) = self.resources?;
        let value = resources.get(section)?.get(resource)?;
        if value.is_null() { None } else { Some(value) }
    }

    pub fn display_name(&self) -> String {
        let kind = if self.init {
            "init container"
        } else {
            "container"
        };
        match self.name {
            Some(name) => format!("{kind} `{name}`"),
            None => format!("unnamed {kind}"),
        }
    }
}

fn string_map(node: Option<&Node>) -> Vec<(&Node, &Node)> {
    node.and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .filter(|(k, _)| k.as_str().is_some())
        .map(|(k, v)| (k, v))
        .collect()
}
