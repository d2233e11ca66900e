//! CL6xx: the pricing model of non-production environments: spot
//! capacity, schedules and single-zone databases.

pub mod common;
pub mod non_production_always_on;
pub mod non_production_multi_az_database;
pub mod non_production_on_demand;
