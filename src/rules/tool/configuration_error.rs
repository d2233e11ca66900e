use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports Terraform configuration that Terraform itself would reject
    /// and that stops costlint from modelling a module: a module that calls
    /// itself, a local module source that does not exist, local values that
    /// refer to each other in a cycle, duplicate declarations.
    ///
    /// ## Why is this bad?
    /// `terraform init` or `plan` fails on it, and costlint cannot evaluate
    /// what depends on it, so cost findings in that part of the module may be
    /// missing. Everything that does not depend on it is still checked.
    ///
    /// ## Example
    /// ```hcl
    /// locals {
    ///   a = local.b
    ///   b = local.a
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// locals {
    ///   a = "shop"
    ///   b = local.a
    /// }
    /// ```
    ///
    /// ## Options
    /// None. The maximum module nesting is `limits.max-module-depth`.
    ///
    /// ## References
    /// - [Terraform modules](https://developer.hashicorp.com/terraform/language/modules/syntax)
    /// - [Local values](https://developer.hashicorp.com/terraform/language/values/locals)
    pub struct ConfigurationError {
        code: "CL004",
        name: "configuration-error",
        category: Tool,
        severity: Error,
    }
}

super::super::engine_rule!(ConfigurationError);
