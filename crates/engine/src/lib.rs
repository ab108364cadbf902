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

pub mod codec;
pub mod codes;
pub mod diag;
pub mod error;
pub mod examples;
pub mod export;
pub mod graph;
pub mod id;
pub mod ingest;
pub mod limits;
pub mod model;
pub mod omit;
pub mod text;

pub mod audit;
pub mod classify;
pub mod compare;
pub mod decide;
pub mod lookup;
pub mod membership;
pub mod plan;
pub mod propose;
pub mod render;
pub mod scenario;
pub mod sort;

pub use codes::Code;
pub use diag::{Diagnostic, Severity};
pub use error::Error;
pub use ingest::InputFile;
pub use plan::{plan, Exports, Plan, PlanOptions, Planned, Report, Setup};
