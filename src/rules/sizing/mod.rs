//! CL1xx: instance, database and container sizes.

pub mod container_resources_missing;
