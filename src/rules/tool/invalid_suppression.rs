use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a suppression that costlint cannot honour: an unknown rule
    /// code or name, a missing `-- reason`, no code at all, or a
    /// `costlint:ignore-file` comment that is not at the top of the file.
    ///
    /// ## Why is this bad?
    /// A suppression that is silently ignored is the most common complaint
    /// about policy linters: the author believes a finding is handled while
    /// it still fails the build, or worse, believes a rule is suppressed when
    /// it is not. A reason makes every exception reviewable.
    ///
    /// ## Example
    /// ```hcl
    /// # costlint:ignore CL51
    /// resource "aws_ebs_volume" "data" {
    ///   type = "gp2"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// # costlint:ignore CL501 -- snapshot restore needs gp2 until ticket OPS-42
    /// resource "aws_ebs_volume" "data" {
    ///   type = "gp2"
    /// }
    /// ```
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [tflint annotations](https://github.com/terraform-linters/tflint/blob/master/docs/user-guide/annotations.md)
    pub struct InvalidSuppression {
        code: "CL002",
        name: "invalid-suppression",
        category: Tool,
        severity: Warning,
    }
}

super::super::engine_rule!(InvalidSuppression);
