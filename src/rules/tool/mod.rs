//! CL0xx: findings about the input and the tool itself.

pub mod configuration_error;
pub mod invalid_suppression;
pub mod skipped_file;
pub mod syntax_error;
pub mod unused_suppression;
