//! The Yew single-page app (feature `web`).
//!
//! - [`state`]: the one `use_reducer` state machine (`State`, `Action`), free of `Html` and
//!   web-sys, tested natively; [`edit`] (scenario edits), [`filter`] (the user table's filters
//!   and search, run in the worker) and [`exports`] ("How to export" help) are its pure helpers.
//! - [`io`]: the only place that touches files and downloads.
//! - [`worker`]: the Web Worker that runs the engine, so the page never freezes.
//! - one component per file: [`root`], [`header`], [`tabs`], [`summary`], [`drop_zone`],
//!   [`load`], [`file_card`], [`export_help`], [`setup`], [`business_unit`],
//!   [`assignments`], [`profile_roles`], [`legacy`], [`report`], [`findings`],
//!   [`user_table`], [`explanation`], [`mapping`], [`integration`].

pub mod codecs;
pub mod demo;
pub mod dom;
pub mod downloads;
pub mod edit;
pub mod export_files;
pub mod exports;
pub mod filter;
pub mod io;
pub mod state;
pub mod worker;

pub mod archive_card;
pub mod assignments;
pub mod business_unit;
pub mod comparison;
pub mod drop_zone;
pub mod embed;
pub mod embed_state;
pub mod explanation;
pub mod export_help;
pub mod file_card;
pub mod findings;
pub mod header;
pub mod integration;
pub mod legacy;
pub mod load;
pub mod mapping;
pub mod print_report;
pub mod profile_roles;
pub mod proposal;
pub mod prose;
pub mod report;
pub mod root;
pub mod setup;
pub mod summary;
pub mod tabs;
pub mod user_table;
pub mod what_if;

pub use root::App;
