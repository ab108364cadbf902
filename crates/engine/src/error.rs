//! Fatal errors: the inputs cannot make a plan at all. Everything else is a
//! [`Diagnostic`](super::Diagnostic) carried in the result.

use thiserror::Error;

/// An error after which there is nothing to plan.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// None of the files given was a usable export.
    #[error("no usable export was found among {files} file(s)")]
    NothingUsable { files: usize },
    /// There is no User export, so there is nobody to plan for.
    #[error("no User export was found: export the User object (see the README) and add it")]
    NoUserExport,
    /// The scenario file is not valid JSON or misses what it must have.
    #[error("scenario `{file}` line {line} column {column}: {message}")]
    Scenario {
        file: String,
        line: u64,
        column: u64,
        message: String,
    },
    /// A reference in the scenario names nothing, or several things, in the exports.
    #[error("scenario `{file}`: {message}")]
    Reference { file: String, message: String },
}
