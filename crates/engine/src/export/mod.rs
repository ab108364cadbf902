//! What a consultant takes away: CSV files Excel opens right, a self-contained HTML report,
//! the audit pack (one zip), and scenario links. Pure: values in, bytes out; the command line
//! writes them to disk and the web app offers them as downloads.
//!
//! CSV files are RFC 4180 (CRLF line ends, quotes only when needed), UTF-8 with a byte order
//! mark so that Excel reads the accents right. They are safe against formula injection: a cell
//! that starts with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'`, so a
//! spreadsheet shows it as text instead of running it. [`CsvOptions::neutralise`] turns that
//! off (the command line's `--raw-csv`) for tools that read the values back.

pub mod html;
pub mod link;
pub mod made;
pub mod pack;

use super::plan::Report;
use super::render;

/// The UTF-8 byte order mark Excel needs to read a CSV file as UTF-8.
pub const BOM: &str = "\u{feff}";

/// How CSV files are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    /// Prefix cells that a spreadsheet would run as a formula with `'` (on by default).
    pub neutralise: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions { neutralise: true }
    }
}

/// A cell as written: with `'` before a leading `=`, `+`, `-`, `@`, tab or carriage return
/// when neutralising.
pub fn cell(s: &str, opts: CsvOptions) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if opts.neutralise => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// Write a table as an RFC 4180 CSV file, UTF-8 with a BOM. Every CSV export goes through
/// here, so each is neutralised (or not) the same way.
pub fn csv_table<R, C>(header: &[&str], rows: R, opts: CsvOptions) -> String
where
    R: IntoIterator<Item = Vec<C>>,
    C: AsRef<str>,
{
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record(header);
    for row in rows {
        let _ = w.write_record(row.iter().map(|c| cell(c.as_ref(), opts)));
    }
    let bytes = w.into_inner().unwrap_or_default();
    let mut out = String::from(BOM);
    out.push_str(&String::from_utf8_lossy(&bytes));
    // Neutralised files also show hidden characters (bidirectional overrides, control
    // characters) as `[U+202E]`; raw files keep every value as it is.
    if opts.neutralise {
        render::visible(&out)
    } else {
        out
    }
}

/// The profile-to-role mapping table of every business unit, one row per profile.
pub fn mapping_csv(report: &Report, opts: CsvOptions) -> String {
    let header = [
        "business_unit",
        "profile",
        "profile_id",
        "ae_role",
        "rule",
        "is_default",
        "users",
        "active_users",
        "assigned_users",
    ];
    let rows = report.profile_roles.iter().flat_map(|t| {
        t.rows.iter().map(move |r| {
            vec![
                t.business_unit.clone(),
                r.profile.clone(),
                r.profile_id
                    .as_ref()
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
                r.role.clone(),
                r.rule.to_string(),
                r.is_default.to_string(),
                r.users.to_string(),
                r.active_users.to_string(),
                r.assigned_users.to_string(),
            ]
        })
    });
    csv_table(&header, rows, opts)
}

/// The findings (audit) as a CSV file: one row per finding.
pub fn findings_csv(report: &Report, opts: CsvOptions) -> String {
    let header = ["severity", "code", "business_unit", "message", "users"];
    let rows = report.plan.findings.iter().map(|f| {
        vec![
            format!("{:?}", f.severity).to_lowercase(),
            f.code.to_string(),
            f.business_unit.clone().unwrap_or_default(),
            f.message.clone(),
            f.users.join(" "),
        ]
    });
    csv_table(&header, rows, opts)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_unless_switched_off() {
        let on = CsvOptions::default();
        let off = CsvOptions { neutralise: false };
        for s in [
            "=HYPERLINK(\"x\")",
            "+cmd",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(cell(s, on), format!("'{s}"));
            assert_eq!(cell(s, off), s);
        }
        assert_eq!(cell("Jane", on), "Jane");
        assert_eq!(cell("", on), "");
    }

    #[test]
    fn neutralised_csv_shows_hidden_characters_and_raw_keeps_them() {
        let row = || vec![vec!["a\u{202e}b"]];
        assert_eq!(
            csv_table(&["x"], row(), CsvOptions::default()),
            "\u{feff}x\r\na[U+202E]b\r\n"
        );
        let raw = CsvOptions { neutralise: false };
        assert_eq!(csv_table(&["x"], row(), raw), "\u{feff}x\r\na\u{202e}b\r\n");
    }

    #[test]
    fn csv_files_have_a_bom_crlf_and_quotes_only_when_needed() {
        let out = csv_table(
            &["a", "b"],
            vec![vec!["x, y", "=1+1"], vec!["plain", "two\nlines"]],
            CsvOptions::default(),
        );
        assert_eq!(
            out,
            "\u{feff}a,b\r\n\"x, y\",'=1+1\r\nplain,\"two\nlines\"\r\n"
        );
    }
}
