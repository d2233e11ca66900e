use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a file that costlint could not parse: an HCL, JSON or YAML
    /// syntax error, invalid UTF-8, binary data, nesting deeper than the
    /// parser allows, or a YAML alias that expands beyond the limit.
    ///
    /// ## Why is this bad?
    /// A file that does not parse is not checked by any other rule, so its
    /// cost problems go unseen. Terraform and `kubectl` would reject it too.
    /// The other files of the run are still checked.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_instance" "web" {
    ///   instance_type = "m5.large"
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_instance" "web" {
    ///   instance_type = "m5.large"
    /// }
    /// ```
    ///
    /// ## Options
    /// None. Limits on file size, nesting and alias expansion are set under
    /// `[limits]` in `costlint.toml`.
    ///
    /// ## References
    /// - [HCL native syntax](https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md)
    /// - [YAML 1.2](https://yaml.org/spec/1.2.2/)
    pub struct SyntaxError {
        code: "CL000",
        name: "syntax-error",
        category: Tool,
        severity: Error,
    }
}

super::super::engine_rule!(SyntaxError);
