//! `syncplan inspect`: what each file was read as, and every problem found.
//!
//! Exit codes: 0 everything was read; 1 some rows or files were rejected (or an error was
//! found); 2 nothing usable was found.
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use super::InspectFormat;
use crate::engine::diag::Diagnostic;
use crate::engine::ingest::{FileReport, IngestOptions};

/// The JSON document `inspect --format json` prints.
#[derive(Debug, Serialize)]
struct InspectJson<'a> {
    files: &'a [FileReport],
    /// Findings across files (names that do not resolve, dangling references, cycles).
    diagnostics: &'a [Diagnostic],
    /// Paths that could not be read at all.
    unreadable: Vec<Unreadable>,
}

#[derive(Debug, Serialize)]
struct Unreadable {
    path: String,
    reason: String,
}

pub fn run(inputs: &[PathBuf], format: InspectFormat, opts: IngestOptions) -> ExitCode {
    let found = super::read_inputs(inputs);
    let read = super::ingest_inputs(&found.files, &opts);
    let ingested = read.ingested;
    let unreadable: Vec<Unreadable> = found
        .unreadable
        .iter()
        .chain(&read.unreadable)
        .map(|(p, e)| Unreadable {
            path: p.display().to_string(),
            reason: e.clone(),
        })
        .collect();

    let mut out = String::new();
    match format {
        InspectFormat::Json => {
            let doc = InspectJson {
                files: &ingested.files,
                diagnostics: &ingested.diagnostics,
                unreadable,
            };
            match serde_json::to_string_pretty(&doc) {
                Ok(s) => {
                    out.push_str(&s);
                    out.push('\n');
                }
                Err(e) => {
                    eprintln!("syncplan: cannot write JSON: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        InspectFormat::Text => {
            for f in &ingested.files {
                let delim = if f.delimiter == "\t" {
                    "tab".to_string()
                } else {
                    format!("`{}`", f.delimiter)
                };
                out.push_str(&format!(
                    "{}: {} ({}), {}, delimiter {}: {} rows read, {} used, {} rejected\n",
                    f.file,
                    f.kind.label(),
                    f.kind_reason,
                    f.encoding,
                    delim,
                    f.rows_read,
                    f.rows_used,
                    f.rows_rejected
                ));
            }
            for u in &unreadable {
                out.push_str(&format!(
                    "{}: error[E-UNREADABLE]: cannot read: {}\n",
                    u.path, u.reason
                ));
            }
            for d in ingested.all_diagnostics() {
                out.push_str(&format_diagnostic(d));
                out.push('\n');
            }
            if read.files_read == 0 && unreadable.is_empty() {
                out.push_str("no files found\n");
            }
        }
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();

    if !ingested.anything_usable() {
        ExitCode::from(2)
    } else if ingested.has_rejections() || !read.unreadable.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `file:line:column: severity[code]: message`, leaving out what is unknown.
pub fn format_diagnostic(d: &Diagnostic) -> String {
    let mut place = d.file.clone().unwrap_or_default();
    if let Some(l) = d.line {
        place.push_str(&format!(":{l}"));
        if let Some(c) = d.column {
            place.push_str(&format!(":{c}"));
        }
    }
    let sev = match d.severity {
        crate::engine::diag::Severity::Error => "error",
        crate::engine::diag::Severity::Warning => "warning",
        crate::engine::diag::Severity::Info => "info",
    };
    if place.is_empty() {
        format!("{sev}[{}]: {}", d.code, d.message)
    } else {
        format!("{place}: {sev}[{}]: {}", d.code, d.message)
    }
}
