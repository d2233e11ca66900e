use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Notes a file that costlint deliberately did not check: a Helm or Go
    /// template that is not valid YAML until it is rendered, a kustomize
    /// patch (a file a `kustomization.yaml` of the run, or beside the file
    /// checked, names under `patches`, `patchesStrategicMerge` or
    /// `patchesJson6902`: a partial object that only means something merged
    /// into its base), a file over the size limit, a module source
    /// outside the checked tree, or a resource that a Terraform override
    /// file (`override.tf`, `*_override.tf`) changes, since costlint does
    /// not merge override files.
    ///
    /// ## Why is this bad?
    /// It is not bad in itself; it tells you which files were not judged so
    /// that a clean run is not mistaken for a clean tree. Render templates and
    /// build kustomizations, and pipe them in instead:
    /// `helm template . | costlint check -`,
    /// `kustomize build overlays/prod | costlint check -`.
    ///
    /// ## Example
    /// ```yaml
    /// replicas: {{ .Values.replicas }}
    /// ```
    ///
    /// ## Use instead
    /// ```sh
    /// helm template ./chart | costlint check -
    /// ```
    ///
    /// ## Options
    /// None. The size limit is `limits.max-file-size` in `costlint.toml`.
    ///
    /// ## References
    /// - [helm template](https://helm.sh/docs/helm/helm_template/)
    /// - [kustomize patches](https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/)
    pub struct SkippedFile {
        code: "CL003",
        name: "skipped-file",
        category: Tool,
        severity: Note,
    }
}

super::super::engine_rule!(SkippedFile);
