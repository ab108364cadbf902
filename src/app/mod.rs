//! The Yew single-page app (feature `web`).
//!
//! - [`state`]: the one `use_reducer` state machine (`State`, `Action`), free of `Html` and
//!   web-sys, tested natively.
//! - [`io`]: the only place that touches files and downloads.
//! - [`worker`]: the Web Worker that runs the engine, so the page never freezes.
//! - one component per file: [`root`], [`header`], [`drop_zone`], [`report`].

pub mod demo;
pub mod drop_zone;
pub mod header;
pub mod io;
pub mod report;
pub mod root;
pub mod state;
pub mod worker;

pub use root::App;
