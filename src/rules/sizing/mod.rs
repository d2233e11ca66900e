//! CL1xx: instance, database and container sizes.

pub mod autoscaling_unbounded;
pub mod caps;
pub mod container_resources_missing;
pub mod container_size_cap;
pub mod database_size_cap;
pub mod instance_size_cap;
pub mod machines;
pub mod previous_generation_instance;
