//! CL5xx: volume types and sizes.

pub mod ebs_gp2_volume;
pub mod volume_size_cap;
