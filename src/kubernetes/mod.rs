//! Kubernetes manifests: YAML loading and workload normalisation.

pub mod kustomize;
pub mod object;
pub mod quantity;
pub mod yaml;
