//! Which Terraform resource types accept cost-allocation tags or labels.

use crate::fast::HashSet;
use std::sync::OnceLock;

const AWS_TXT: &str = include_str!("../../rules/catalog/aws-taggable-resources.txt");
const GOOGLE_TXT: &str = include_str!("../../rules/catalog/google-labelable-resources.txt");
const AZURERM_TXT: &str = include_str!("../../rules/catalog/azurerm-taggable-resources.txt");

/// One resource type per line; blank lines and `#` comments are ignored so
/// the lists can be annotated later without a format change.
fn names(text: &'static str) -> HashSet<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
}

fn aws() -> &'static HashSet<&'static str> {
    static AWS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    AWS.get_or_init(|| names(AWS_TXT))
}

fn google() -> &'static HashSet<&'static str> {
    static GOOGLE: OnceLock<HashSet<&'static str>> = OnceLock::new();
    GOOGLE.get_or_init(|| names(GOOGLE_TXT))
}

fn azurerm() -> &'static HashSet<&'static str> {
    static AZURERM: OnceLock<HashSet<&'static str>> = OnceLock::new();
    AZURERM.get_or_init(|| names(AZURERM_TXT))
}

/// Whether an hashicorp/aws resource has a top-level `tags` map, so a
/// missing-tags rule does not demand tags where Terraform cannot set them.
/// `aws_autoscaling_group` is `false`: it takes repeated `tag` blocks.
pub fn aws_taggable(resource_type: &str) -> bool {
    aws().contains(resource_type)
}

/// Whether a hashicorp/google resource has billing labels merged with the
/// provider's `default_labels`. The argument is `labels` except for
/// `google_container_cluster` (`resource_labels`) and the Cloud Run v1
/// resources (`metadata.labels`); nested-only labels
/// (`google_sql_database_instance`) are not listed.
pub fn google_labelable(resource_type: &str) -> bool {
    google().contains(resource_type)
}

/// Whether a hashicorp/azurerm resource has a top-level `tags` map. Azure
/// does not inherit resource-group tags, so each of these needs its own.
pub fn azurerm_taggable(resource_type: &str) -> bool {
    azurerm().contains(resource_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_counts_match_the_readme() {
        assert_eq!(aws().len(), 839);
        assert_eq!(google().len(), 293);
        assert_eq!(azurerm().len(), 387);
    }

    #[test]
    fn spot_checks() {
        assert!(aws_taggable("aws_instance"));
        assert!(aws_taggable("aws_s3_bucket"));
        assert!(!aws_taggable("aws_autoscaling_group"));
        assert!(!aws_taggable("aws_iam_role_policy_attachment"));
        assert!(google_labelable("google_compute_instance"));
        assert!(google_labelable("google_container_cluster"));
        assert!(!google_labelable("google_sql_database_instance"));
        assert!(azurerm_taggable("azurerm_linux_virtual_machine"));
        assert!(azurerm_taggable("azurerm_resource_group"));
        assert!(!azurerm_taggable("azurerm_role_assignment"));
        assert!(!aws_taggable("azurerm_resource_group"));
    }
}
