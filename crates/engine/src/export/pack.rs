//! The audit pack: one zip with everything a consultant sends a client: the report as HTML
//! (opens offline), the plan, findings and mapping table as CSV, the plan JSON and Markdown,
//! and the scenario. Deterministic: the same report and the same [`Made`] give the same bytes
//! (every entry is dated when the report was made; without a date, 1980-01-01, zip's first).

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::made::Made;
use super::{findings_csv, html, mapping_csv, CsvOptions};
use crate::plan::Report;
use crate::render;

/// The files of the pack, in order: (name, contents).
pub fn files(
    report: &Report,
    opts: CsvOptions,
    made: Option<&Made>,
) -> Vec<(&'static str, String)> {
    vec![
        ("README.txt", readme(report, made)),
        ("report.html", html::report(report, made)),
        ("plan.csv", render::csv_with(&report.plan, opts)),
        ("findings.csv", findings_csv(report, opts)),
        ("mapping.csv", mapping_csv(report, opts)),
        ("plan.json", render::json(&report.plan)),
        ("plan.md", render::markdown(&report.plan)),
        ("syncplan.json", report.scenario.to_json()),
    ]
}

fn readme(report: &Report, made: Option<&Made>) -> String {
    format!(
        "syncplan audit pack\r\n\r\n\
         What Account Engagement User Sync will do to every user, and why.\r\n\
         {}{}\r\n\r\n\
         report.html    the report: open it in any browser (works offline)\r\n\
         plan.csv       one row per decision, with the rule code and its reason\r\n\
         findings.csv   the audit findings\r\n\
         mapping.csv    the profile-to-role mapping table\r\n\
         plan.json      the plan in syncplan's JSON format (format_version {})\r\n\
         plan.md        the plan as Markdown, for tickets and wikis\r\n\
         syncplan.json  the scenario (business unit assignments) the plan was made with\r\n\r\n\
         CSV cells that start with = + - @ tab or carriage return are prefixed with ' so that\r\n\
         a spreadsheet shows them as text instead of running them as formulas.\r\n",
        made.map(|m| format!("Made on {}.\r\n", m.text()))
            .unwrap_or_default(),
        render::counts(&report.plan.summary),
        report.plan.format_version
    )
}

/// The audit pack as zip bytes.
pub fn zip(report: &Report, opts: CsvOptions, made: Option<&Made>) -> Result<Vec<u8>, String> {
    zip_with(report, opts, made, &[])
}

/// The audit pack with more files after its own (the web app adds the comparison of two
/// set-ups it made, `comparison.csv`).
pub fn zip_with(
    report: &Report,
    opts: CsvOptions,
    made: Option<&Made>,
    more: &[(&str, &str)],
) -> Result<Vec<u8>, String> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let mut options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .unix_permissions(0o644);
    if let Some(time) = made.and_then(Made::zip_time) {
        options = options.last_modified_time(time);
    }
    let own = files(report, opts, made);
    let all = own
        .iter()
        .map(|(n, c)| (*n, c.as_str()))
        .chain(more.iter().copied());
    for (name, contents) in all {
        w.start_file(name, options)
            .map_err(|e| format!("could not add `{name}` to the audit pack: {e}"))?;
        w.write_all(contents.as_bytes())
            .map_err(|e| format!("could not add `{name}` to the audit pack: {e}"))?;
    }
    let cursor = w
        .finish()
        .map_err(|e| format!("could not finish the audit pack: {e}"))?;
    Ok(cursor.into_inner())
}
