//! costlint: a fast cost-policy linter for Terraform and Kubernetes.
//!
//! [`check::check`] is the one entry point shared by the command line, the
//! language server and the tests.

// Nothing a user controls may panic the library; tests may. CI denies
// warnings, so these are errors there.
#![cfg_attr(
    not(test),
    warn(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::string_slice
    )
)]

pub mod catalog;
pub mod check;
pub mod cli;
pub mod config;
pub mod cost;
pub mod docs;
pub mod emit;
pub(crate) mod fast;
pub mod finding;
pub mod kubernetes;
pub mod lsp;
pub mod model;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod terraform;

pub use check::{CheckOptions, Report, check};
pub use config::Settings;
pub use finding::{Finding, Severity};
