//! The pure sync rules engine. Text in, values out.
//!
//! This module never imports yew, web-sys, js-sys or gloo, reads no clock and no randomness;
//! `cargo test --no-default-features` builds it with no web dependency at all.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub mod diag;
pub mod error;
pub mod id;
pub mod model;

pub use diag::{Diagnostic, Severity};
pub use error::Error;
