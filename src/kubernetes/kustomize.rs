//! Kustomize patch files: partial objects that only make sense merged
//! into a base by `kustomize build`, so they are not checked on their own.

use std::path::{Path, PathBuf};

use super::yaml::{Document, Node};
use crate::terraform::module::normalize;

/// File names kustomize reads as a kustomization.
pub fn is_kustomization(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n == "kustomization.yaml" || n == "kustomization.yml")
}

/// The patch files a kustomization in `dir` names: `patches[].path`,
/// `patchesJson6902[].path` and the file entries of
/// `patchesStrategicMerge` (an entry with a line break is an inline patch).
pub fn patch_files(dir: &Path, docs: &[Document]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for doc in docs {
        let root = &doc.root;
        for key in ["patches", "patchesJson6902"] {
            for item in root.get(key).and_then(Node::as_seq).unwrap_or(&[]) {
                if let Some(path) = item.get("path").and_then(Node::as_str) {
                    out.push(path);
                }
            }
        }
        for item in root
            .get("patchesStrategicMerge")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
        {
            if let Some(path) = item.as_str().filter(|p| !p.contains('\n')) {
                out.push(path);
            }
        }
    }
    out.into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.contains("://"))
        .map(|p| normalize(&dir.join(p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubernetes::yaml::{Limits, load};

    #[test]
    fn patch_files_of_every_form_resolve_against_the_directory() {
        let text = "apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../../base]
patches:
  - path: replicas.yaml
  - path: ../common/labels.yaml
    target: {kind: Deployment}
  - patch: |-
      - op: add
        path: /x
        value: y
patchesJson6902:
  - target: {kind: Service, name: web}
    path: ./service-json.yaml
patchesStrategicMerge:
  - memory.yaml
  - |-
    apiVersion: apps/v1
    kind: Deployment
  - https://example.com/remote.yaml
";
        let (docs, err) = load(text, Limits::default());
        assert!(err.is_none());
        let dir = Path::new("/repo/overlays/prod");
        assert_eq!(
            patch_files(dir, &docs),
            [
                "/repo/overlays/prod/replicas.yaml",
                "/repo/overlays/common/labels.yaml",
                "/repo/overlays/prod/service-json.yaml",
                "/repo/overlays/prod/memory.yaml",
            ]
            .map(PathBuf::from)
        );
        assert!(is_kustomization(Path::new("/a/kustomization.yml")));
        assert!(!is_kustomization(Path::new("/a/kustomization.json")));
    }
}
