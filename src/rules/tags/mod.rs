//! CL2xx: cost-allocation tags and labels.

pub mod common;
pub mod missing_cost_tags;
