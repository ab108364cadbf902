//! Diagnostics: everything that is not fatal, with where it comes from.
//!
//! Messages are lower-case, have no final period and put user values in backticks.

use serde::{Deserialize, Serialize};

use crate::codes::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// One finding about the inputs or the plan, with the file, line and column it concerns.
///
/// `line` is the physical line where the record starts (1 = the header row); `column` is
/// 1-based and counts fields.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    #[serde(default, skip_serializing_if = "crate::omit::none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "crate::omit::none")]
    pub line: Option<u64>,
    #[serde(default, skip_serializing_if = "crate::omit::none")]
    pub column: Option<u64>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            file: None,
            line: None,
            column: None,
        }
    }
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }
    pub fn info(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Info, code, message)
    }
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }
    pub fn at(mut self, src: &Source) -> Self {
        self.file = Some(src.file.to_string());
        self.line = Some(src.line);
        self
    }
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }
    pub fn at_column(mut self, column: u64) -> Self {
        self.column = Some(column);
        self
    }
}

/// Where a record came from: the file name and the physical line where it starts.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Source {
    /// Shared by every record of the file (one allocation per file, not per row).
    pub file: std::sync::Arc<str>,
    pub line: u64,
}
