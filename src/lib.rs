//! syncplan: preview what Account Engagement User Sync will do to every user, and why.
//!
//! - [`engine`] is pure (text in, values out): it reads the exports, resolves memberships,
//!   decides, audits and renders. It never touches the web, a clock or randomness.
//! - `app` (feature `web`, on by default) is the Yew single-page app and its Web Worker.
//!
//! The command line (`src/bin/syncplan.rs`) and the web app call the same engine API.

/// The rules engine: its own crate (`crates/engine`), re-exported here.
pub use syncplan_engine as engine;
pub mod generate;

#[cfg(feature = "web")]
pub mod app;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
