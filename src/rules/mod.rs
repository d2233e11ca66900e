//! The rule registry. A rule is one file under `src/rules/<category>/` and
//! one line in [`RULES`].

mod meta;
pub mod options;

pub mod budget;
pub mod data_paths;
pub mod lifecycle;
pub mod pricing_model;
pub mod sizing;
pub mod storage;
pub mod tags;
pub mod tool;

use std::any::Any;
use std::sync::Arc;

pub use meta::{Category, DOC_SECTIONS, RuleMeta, docs_complete};
pub use options::{NoOptions, RuleOptions};

use crate::finding::Diagnostic;
use crate::model::Environments;
use crate::model::kubernetes::Manifests;
use crate::model::terraform::Module;

/// What a check can see besides the resources: shared settings, and where
/// its findings go.
pub struct Cx<'a> {
    pub environments: &'a Environments,
    /// The directory of the configuration file (or the working directory
    /// without one): paths in rule options are relative to it.
    pub base_dir: &'a std::path::Path,
    out: &'a mut Vec<Diagnostic>,
    code: &'static str,
}

impl<'a> Cx<'a> {
    pub fn new(
        environments: &'a Environments,
        out: &'a mut Vec<Diagnostic>,
        code: &'static str,
    ) -> Self {
        Cx {
            environments,
            base_dir: std::path::Path::new(""),
            out,
            code,
        }
    }

    pub fn with_base_dir(mut self, base_dir: &'a std::path::Path) -> Self {
        self.base_dir = base_dir;
        self
    }

    pub fn report(&mut self, mut diagnostic: Diagnostic) {
        diagnostic.code = self.code;
        self.out.push(diagnostic);
    }
}

/// A rule's check. Both entry points default to doing nothing, so a rule
/// implements the one(s) for the inputs it covers.
pub trait Rule: Send + Sync + 'static {
    type Options: RuleOptions;

    fn meta(&self) -> &'static RuleMeta;

    fn check_terraform(&self, _module: &Module<'_>, _options: &Self::Options, _cx: &mut Cx<'_>) {}

    fn check_kubernetes(
        &self,
        _manifests: &Manifests<'_>,
        _options: &Self::Options,
        _cx: &mut Cx<'_>,
    ) {
    }
}

/// Options as the registry stores them, whatever their rule.
pub type AnyOptions = Arc<dyn Any + Send + Sync>;

/// [`Rule`] with its options type erased, so every rule fits in one table.
pub trait DynRule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn default_options(&self) -> AnyOptions;
    fn parse_options(
        &self,
        table: toml::Spanned<toml::de::DeTable<'_>>,
    ) -> Result<AnyOptions, toml::de::Error>;
    fn options_schema(&self, generator: &mut schemars::SchemaGenerator) -> schemars::Schema;
    fn options_json(&self, options: &AnyOptions) -> serde_json::Value;
    fn run_terraform(&self, module: &Module<'_>, options: &AnyOptions, cx: &mut Cx<'_>);
    fn run_kubernetes(&self, manifests: &Manifests<'_>, options: &AnyOptions, cx: &mut Cx<'_>);
}

impl<R: Rule> DynRule for R {
    fn meta(&self) -> &'static RuleMeta {
        Rule::meta(self)
    }

    fn default_options(&self) -> AnyOptions {
        Arc::new(R::Options::default())
    }

    fn parse_options(
        &self,
        table: toml::Spanned<toml::de::DeTable<'_>>,
    ) -> Result<AnyOptions, toml::de::Error> {
        let de = toml::de::Deserializer::from(table);
        let options = <R::Options as serde::Deserialize>::deserialize(de)?;
        Ok(Arc::new(options))
    }

    fn options_schema(&self, generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        generator.subschema_for::<R::Options>()
    }

    fn options_json(&self, options: &AnyOptions) -> serde_json::Value {
        options
            .downcast_ref::<R::Options>()
            .and_then(|o| serde_json::to_value(o).ok())
            .unwrap_or(serde_json::Value::Null)
    }

    fn run_terraform(&self, module: &Module<'_>, options: &AnyOptions, cx: &mut Cx<'_>) {
        if let Some(options) = options.downcast_ref::<R::Options>() {
            self.check_terraform(module, options, cx);
        }
    }

    fn run_kubernetes(&self, manifests: &Manifests<'_>, options: &AnyOptions, cx: &mut Cx<'_>) {
        if let Some(options) = options.downcast_ref::<R::Options>() {
            self.check_kubernetes(manifests, options, cx);
        }
    }
}

/// Every rule, in code order. Adding a rule is one line here.
pub static RULES: &[&dyn DynRule] = &[
    &tool::syntax_error::SyntaxError,
    &tool::unused_suppression::UnusedSuppression,
    &tool::invalid_suppression::InvalidSuppression,
    &tool::skipped_file::SkippedFile,
    &tool::configuration_error::ConfigurationError,
    &sizing::instance_size_cap::InstanceSizeCap,
    &sizing::database_size_cap::DatabaseSizeCap,
    &sizing::container_size_cap::ContainerSizeCap,
    &sizing::container_resources_missing::ContainerResourcesMissing,
    &sizing::previous_generation_instance::PreviousGenerationInstance,
    &sizing::autoscaling_unbounded::AutoscalingUnbounded,
    &tags::missing_cost_tags::MissingCostTags,
    &tags::invalid_cost_tag_value::InvalidCostTagValue,
    &data_paths::cross_region_data_path::CrossRegionDataPath,
    &lifecycle::ephemeral_env_missing_ttl::EphemeralEnvMissingTtl,
    &lifecycle::ephemeral_env_ttl_invalid::EphemeralEnvTtlInvalid,
    &lifecycle::job_without_ttl::JobWithoutTtl,
    &lifecycle::log_retention_unbounded::LogRetentionUnbounded,
    &lifecycle::object_storage_without_lifecycle::ObjectStorageWithoutLifecycle,
    &storage::ebs_gp2_volume::EbsGp2Volume,
    &storage::volume_size_cap::VolumeSizeCap,
    &pricing_model::non_production_on_demand::NonProductionOnDemand,
    &pricing_model::non_production_multi_az_database::NonProductionMultiAzDatabase,
    &pricing_model::non_production_always_on::NonProductionAlwaysOn,
    &budget::budget_exceeded::BudgetExceeded,
];

pub fn by_code(code: &str) -> Option<&'static dyn DynRule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.meta().code.eq_ignore_ascii_case(code))
}

/// Looks a rule up by code (`CL501`) or name (`ebs-gp2-volume`).
pub fn lookup(code_or_name: &str) -> Option<&'static dyn DynRule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.meta().code.eq_ignore_ascii_case(code_or_name) || r.meta().name == code_or_name)
}

pub fn index_of(code: &str) -> Option<usize> {
    RULES.iter().position(|r| r.meta().code == code)
}

/// Rules the engine reports itself rather than a check.
pub mod codes {
    pub const SYNTAX_ERROR: &str = "CL000";
    pub const UNUSED_SUPPRESSION: &str = "CL001";
    pub const INVALID_SUPPRESSION: &str = "CL002";
    pub const SKIPPED_FILE: &str = "CL003";
    pub const CONFIGURATION_ERROR: &str = "CL004";
}

/// Implements [`Rule`] for engine-reported rules, which have no check.
macro_rules! engine_rule {
    ($ty:ty) => {
        impl $crate::rules::Rule for $ty {
            type Options = $crate::rules::NoOptions;
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                &Self::META
            }
        }
    };
}
pub(crate) use engine_rule;
