use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a `costlint:ignore` comment or `costlint.dev/ignore`
    /// annotation that suppresses nothing: no finding of the named rule is
    /// on the line, the resource or the file it covers.
    ///
    /// ## Why is this bad?
    /// Stale suppressions hide the next real finding at that place, and they
    /// tell readers that a problem exists where there is none. Suppressions
    /// naming rules that are not enabled in this run are not reported.
    ///
    /// ## Example
    /// ```hcl
    /// # costlint:ignore CL501 -- legacy volume, migrating in Q3
    /// resource "aws_ebs_volume" "data" {
    ///   type = "gp3"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_ebs_volume" "data" {
    ///   type = "gp3"
    /// }
    /// ```
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [ruff RUF100 unused-noqa](https://docs.astral.sh/ruff/rules/unused-noqa/)
    pub struct UnusedSuppression {
        code: "CL001",
        name: "unused-suppression",
        category: Tool,
        severity: Warning,
        fixable: true,
    }
}

super::super::engine_rule!(UnusedSuppression);
