//! CL4xx: lifecycle of ephemeral environments, batch workloads, logs and
//! stored objects.

pub mod ephemeral_env_missing_ttl;
pub mod ephemeral_env_ttl_invalid;
pub mod job_without_ttl;
pub mod log_retention_unbounded;
pub mod object_storage_without_lifecycle;
pub mod ttl;
