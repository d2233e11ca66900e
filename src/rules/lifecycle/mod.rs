//! CL4xx: lifecycle of ephemeral environments and batch workloads.

pub mod ephemeral_env_missing_ttl;
pub mod ephemeral_env_ttl_invalid;
pub mod job_without_ttl;
pub mod ttl;
