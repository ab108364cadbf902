//! syncplan: preview what Account Engagement User Sync will do to every user, and why.
//!
//! - [`engine`] is pure (text in, values out): it reads the exports, resolves memberships,
//!   decides, audits and renders. It never touches the web, a clock or randomness.
//! - `app` (feature `web`, on by default) is the Yew single-page app and its Web Worker.
//!
//! The command line (`src/bin/syncplan.rs`) and the web app call the same engine API.
//!
//! The app's wasm is built for size (opt-level "z") by a pinned nightly compiler, with
//! `--cfg syncplan_nightly`; the engine's hot functions (parsing, ingesting, resolving
//! memberships, deciding) carry `#[cfg_attr(syncplan_nightly, optimize(speed))]`, so that they
//! keep their speed while the views, the worker's glue and the cold engine code stay small.
//! Every other build (tests, the command line) is on stable and ignores the marks.
#![cfg_attr(syncplan_nightly, feature(optimize_attribute))]

pub mod engine;
pub mod generate;

#[cfg(feature = "web")]
pub mod app;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
