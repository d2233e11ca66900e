//! The YAML loader (spans, merge keys, aliases, limits) and the
//! Kubernetes view of it: objects, `List` items, pod templates,
//! containers, quantities, namespaces.
#![no_main]

use costlint::finding::FileId;
use costlint::kubernetes::object::Object;
use costlint::kubernetes::quantity::Quantity;
use costlint::kubernetes::yaml::{self, Limits};
use costlint::model::kubernetes::{NamespaceIndex, collect_namespaces};
use costlint::source::{LineIndex, decode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, _) = decode(data.to_vec());
    let limits = Limits {
        max_depth: 64,
        max_alias_nodes: 10_000,
    };
    let (docs, _) = yaml::load(&text, limits);
    let index = LineIndex::new(&text);
    let mut namespaces = NamespaceIndex::default();
    collect_namespaces(
        FileId(0),
        "fuzz.yaml",
        &docs,
        &index,
        &text,
        &mut namespaces,
    );
    for doc in &docs {
        for object in Object::all_in(FileId(0), &doc.root, doc.span) {
            let _ = object.address();
            let _ = object.labels();
            let _ = object.annotations();
            let _ = object.is_workload();
            let Some(pod) = object.pod() else {
                continue;
            };
            let _ = pod.labels();
            let _ = pod.annotations();
            for container in pod.containers() {
                let _ = container.display_name();
                for section in ["requests", "limits"] {
                    for resource in ["cpu", "memory", "nvidia.com/gpu", "ephemeral-storage"] {
                        if let Some(q) = container.resource(section, resource) {
                            if let Some(q) = q.as_str().and_then(Quantity::parse) {
                                let _ = q.as_f64();
                            }
                        }
                    }
                }
            }
        }
    }
});
