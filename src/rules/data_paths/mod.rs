//! CL3xx: data that crosses regions.

pub mod cross_region_data_path;
