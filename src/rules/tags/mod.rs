//! CL2xx: cost-allocation tags and labels.

pub mod common;
pub mod invalid_cost_tag_value;
pub mod missing_cost_tags;
