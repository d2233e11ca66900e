use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// What a rule's options type must be: defaults for no config, readable from
/// `costlint.toml`, and described in the generated JSON Schema.
pub trait RuleOptions:
    Default + DeserializeOwned + Serialize + schemars::JsonSchema + Send + Sync + 'static
{
}

impl<T> RuleOptions for T where
    T: Default + DeserializeOwned + Serialize + schemars::JsonSchema + Send + Sync + 'static
{
}

/// Options of a rule that has none; any key is an error.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoOptions {}
