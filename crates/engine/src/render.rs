//! Renderers: the plan as text (terraform-plan style), markdown, CSV and JSON. Pure: each
//! returns a `String`.

use super::export::{csv_table, CsvOptions};
use crate::sort;
use std::fmt::Write as _;

use super::codes::Code;
use super::decide::{Action, Decision};
use super::diag::{Diagnostic, Severity};
use super::plan::{Plan, Summary};

/// The one-line counts: `12 to create, 3 to update, 1 to restore, 4 to recycle, 2 skipped`.
pub fn counts(s: &Summary) -> String {
    format!(
        "{} to create, {} to update, {} to restore, {} to recycle, {} skipped, {} unchanged",
        s.create, s.update, s.restore, s.recycle, s.skip, s.none
    )
}

fn symbol(a: Action) -> &'static str {
    match a {
        Action::Create => "+",
        Action::Update => "~",
        Action::Restore => "^",
        Action::Recycle => "-",
        Action::Skip => "!",
        Action::None => " ",
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn location(d: &Diagnostic) -> String {
    match (&d.file, d.line) {
        (Some(f), Some(l)) => format!(" ({f} line {l})"),
        (Some(f), None) => format!(" ({f})"),
        _ => String::new(),
    }
}

fn who(d: &Decision) -> String {
    match (&d.username, &d.ae_user_id, &d.salesforce_user_id) {
        (Some(u), _, Some(_)) => u.to_string(),
        (_, Some(a), None) => format!("AE user {a} ({})", d.email.as_deref().unwrap_or_default()),
        (Some(u), _, None) => u.to_string(),
        _ => d.email.as_deref().unwrap_or_default().to_string(),
    }
}

fn role_text(d: &Decision) -> String {
    match (&d.role, &d.previous_role) {
        (Some(r), Some(p)) if !p.eq_ignore_ascii_case(r) => format!("role {r} (was {p})"),
        (Some(r), _) => format!("role {r}"),
        _ => String::new(),
    }
}

fn show(v: &Option<String>) -> String {
    match v {
        Some(s) if s.is_empty() => "(blank)".to_string(),
        Some(s) => format!("\"{}\"", s.replace('\n', "\\n")),
        None => "(none)".to_string(),
    }
}

/// Characters that change how text around them is shown without being seen: bidirectional
/// overrides and isolates (a name with U+202E shows `gpj.exe` as `exe.jpg`), and control
/// characters other than tab and line ends (a terminal runs ESC sequences). Each is written
/// as a visible `[U+202E]` in every rendered plan; the engine's own text never holds them.
pub fn visible(s: &str) -> String {
    let hidden = |c: char| {
        matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    };
    if !s.chars().any(hidden) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if hidden(c) {
            let _ = write!(out, "[U+{:04X}]", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Text for a Markdown table cell or line: `|` and backticks escaped, `<`, `>` and `&` as
/// entities (no HTML renders, no code span opens), brackets escaped (no link forms), line
/// breaks as spaces.
pub fn markdown_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' | '`' | '[' | ']' | '\\' | '*' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// The pieces of one of the engine's sentences: (text, whether it was between backticks). The
/// engine writes values between backticks (`` `jane@acme.example` ``); the page shows them as
/// code spans and the Markdown plan keeps them as code spans. An unpaired backtick is kept as
/// it is.
pub fn pieces(text: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some((before, after)) = rest.split_once('`') {
        let Some((inside, next)) = after.split_once('`') else {
            break;
        };
        if !before.is_empty() {
            out.push((before, false));
        }
        out.push((inside, true));
        rest = next;
    }
    if !rest.is_empty() {
        out.push((rest, false));
    }
    out
}

/// One of the engine's sentences for a Markdown line or table cell: its values between
/// backticks stay code spans (a code span shows its text as it is, so only `|`, which would
/// split a table cell, is escaped there, and line breaks become spaces); the rest is
/// [`markdown_escape`]d. A value holding `<`, `>` or `&` is escaped text instead, so that no
/// renderer, however loose, meets markup.
pub fn markdown_prose(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (text, code) in pieces(s) {
        if !code || text.contains(['<', '>', '&']) {
            out.push_str(&markdown_escape(text));
        } else if !text.is_empty() {
            out.push('`');
            for c in text.chars() {
                match c {
                    '|' => out.push_str("\\|"),
                    '\n' | '\r' => out.push(' '),
                    _ => out.push(c),
                }
            }
            out.push('`');
        }
    }
    out
}

/// How many diagnostics of one code the text and Markdown plans list before counting the rest
/// (a 100,000-user org has thousands of W-BOTH); the plan JSON and the findings CSV keep every
/// one.
const PER_CODE: usize = 3;

/// The diagnostics to list, at most [`PER_CODE`] of each code in the order given, and for each
/// code with more, how many more (codes in the order they first appear).
fn per_code<'a>(list: &[&'a Diagnostic]) -> (Vec<&'a Diagnostic>, Vec<(Code, usize)>) {
    let mut seen: Vec<(Code, usize)> = Vec::new();
    let mut shown = Vec::new();
    for d in list {
        match seen.iter_mut().find(|(c, _)| *c == d.code) {
            Some((_, n)) => {
                *n += 1;
                if *n <= PER_CODE {
                    shown.push(*d);
                }
            }
            None => {
                seen.push((d.code, 1));
                shown.push(*d);
            }
        }
    }
    let more = seen
        .into_iter()
        .filter(|(_, n)| *n > PER_CODE)
        .map(|(c, n)| (c, n - PER_CODE))
        .collect();
    (shown, more)
}

/// "… and 1,204 more W-BOTH (A user in both Marketing Users and Sales Users)".
fn more_line(code: Code, n: usize) -> String {
    format!(
        "… and {n} more {code} ({}): every one is in the plan JSON",
        code.title()
    )
}

/// The terminal summary: counts first, then errors and warnings, then each changing user
/// with its reason. Hidden characters are shown (see [`visible`]).
pub fn text(plan: &Plan) -> String {
    visible(&text_raw(plan))
}

fn text_raw(plan: &Plan) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "syncplan: {} mode, {} business unit(s)",
        plan.mode.as_str(),
        plan.business_units.len()
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "Plan: {}.", counts(&plan.summary));
    let problems: Vec<&Diagnostic> = plan
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .collect();
    if !problems.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "Errors and warnings:");
        let mut sorted = problems.clone();
        sort::sort_by_key(&mut sorted, |d| d.severity);
        let (shown, more) = per_code(&sorted);
        for d in shown {
            let _ = writeln!(
                o,
                "  {:<7} {}: {}{}",
                severity(d.severity),
                d.code,
                d.message,
                location(d)
            );
        }
        for (code, n) in more {
            let _ = writeln!(o, "  {}", more_line(code, n));
        }
    }
    let notes: Vec<&Diagnostic> = plan
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Info)
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "Notes:");
        let (shown, more) = per_code(&notes);
        for d in shown {
            let _ = writeln!(o, "  info    {}: {}{}", d.code, d.message, location(d));
        }
        for (code, n) in more {
            let _ = writeln!(o, "  {}", more_line(code, n));
        }
    }
    for bu in &plan.business_units {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "Business unit \"{}\" ({}): {}.",
            bu.name,
            match &bu.ae_users {
                Some(f) => format!("AE users from {f}"),
                None => "new, no AE users".to_string(),
            },
            counts(&bu.summary)
        );
        let changing: Vec<&Decision> = bu
            .decisions
            .iter()
            .filter(|d| d.action != Action::None)
            .collect();
        if changing.is_empty() {
            let _ = writeln!(o, "  No changes.");
        }
        for d in changing {
            let _ = writeln!(o);
            let role = role_text(d);
            let _ = writeln!(
                o,
                "  {} {:<7} {}{}",
                symbol(d.action),
                d.action.as_str(),
                who(d),
                if role.is_empty() {
                    String::new()
                } else {
                    format!("  {role}")
                }
            );
            let _ = writeln!(o, "      {}: {}", d.reason.code, d.reason.text);
            if let Some(r) = &d.role_reason {
                let _ = writeln!(o, "      {}: {}", r.code, r.text);
            }
            for m in &d.memberships {
                let _ = writeln!(o, "      via {} ({})", m.path, m.code);
            }
            for c in &d.changes {
                let _ = writeln!(
                    o,
                    "      {}: {} → {}",
                    c.field,
                    show(&c.before),
                    show(&c.after)
                );
            }
            for a in &d.assumptions {
                let _ = writeln!(o, "      assumption {}: {}", a.code, a.text);
            }
        }
        let unchanged = bu.summary.none;
        if unchanged > 0 {
            let _ = writeln!(o);
            let _ = writeln!(
                o,
                "  {unchanged} record(s) unchanged (use --format json or csv to list them)."
            );
        }
    }
    o
}

/// The plan as markdown. Every value is escaped (see [`markdown_escape`]) and hidden
/// characters are shown (see [`visible`]), so a name holding HTML, a link or a
/// right-to-left override renders as the text it is.
pub fn markdown(plan: &Plan) -> String {
    visible(&markdown_raw(plan))
}

fn markdown_raw(plan: &Plan) -> String {
    let esc = markdown_escape;
    let mut o = String::new();
    let _ = writeln!(o, "# User Sync plan ({} mode)", plan.mode.as_str());
    let _ = writeln!(o);
    let _ = writeln!(o, "**{}**", counts(&plan.summary));
    let _ = writeln!(o);
    if !plan.diagnostics.is_empty() {
        let _ = writeln!(o, "## Findings");
        let _ = writeln!(o);
        let mut sorted: Vec<&Diagnostic> = plan.diagnostics.iter().collect();
        sort::sort_by_key(&mut sorted, |d| d.severity);
        let (shown, more) = per_code(&sorted);
        for d in shown {
            let _ = writeln!(
                o,
                "- **{}** `{}`: {}{}",
                severity(d.severity),
                d.code.as_str(),
                markdown_prose(&d.message),
                esc(&location(d))
            );
        }
        for (code, n) in more {
            let _ = writeln!(o, "- {}", esc(&more_line(code, n)));
        }
        let _ = writeln!(o);
    }
    for bu in &plan.business_units {
        let _ = writeln!(o, "## Business unit \"{}\"", esc(&bu.name));
        let _ = writeln!(o);
        let _ = writeln!(o, "{}", counts(&bu.summary));
        let _ = writeln!(o);
        let changing: Vec<&Decision> = bu
            .decisions
            .iter()
            .filter(|d| d.action != Action::None)
            .collect();
        if changing.is_empty() {
            let _ = writeln!(o, "No changes.");
            let _ = writeln!(o);
            continue;
        }
        let _ = writeln!(o, "| action | user | role | rule | reason | changes |");
        let _ = writeln!(o, "|---|---|---|---|---|---|");
        for d in changing {
            let changes: Vec<String> = d
                .changes
                .iter()
                .map(|c| format!("{}: {} → {}", c.field, show(&c.before), show(&c.after)))
                .collect();
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} |",
                d.action.as_str(),
                esc(&who(d)),
                esc(&role_text(d)),
                esc(d.reason.code.as_str()),
                markdown_prose(&d.reason.text),
                esc(&changes.join("; "))
            );
        }
        let _ = writeln!(o);
    }
    o
}

/// One row per decision (RFC 4180, UTF-8 with a BOM, formulas neutralised: see
/// [`export`](super::export)).
pub fn csv(plan: &Plan) -> String {
    csv_with(plan, CsvOptions::default())
}

/// [`csv`](fn@csv) with the choice of neutralising formulas or not. Neutralised CSV also shows hidden
/// characters (see [`visible`]); raw CSV keeps every value as it is.
pub fn csv_with(plan: &Plan, opts: CsvOptions) -> String {
    let header = [
        "business_unit",
        "action",
        "salesforce_user_id",
        "username",
        "name",
        "email",
        "ae_user_id",
        "reason_code",
        "reason",
        "role",
        "previous_role",
        "role_reason_code",
        "role_reason",
        "groups",
        "changes",
        "findings",
        "assumptions",
        "path",
    ];
    let rows = plan.business_units.iter().flat_map(|bu| {
        bu.decisions.iter().map(move |d| {
            let changes: Vec<String> = d
                .changes
                .iter()
                .map(|c| format!("{}: {} → {}", c.field, show(&c.before), show(&c.after)))
                .collect();
            let assumptions: Vec<&str> = d.assumptions.iter().map(|a| a.code.as_str()).collect();
            let paths: Vec<&str> = d.memberships.iter().map(|m| &*m.path).collect();
            vec![
                bu.name.clone(),
                d.action.as_str().to_string(),
                d.salesforce_user_id
                    .as_ref()
                    .map(|x| x.to_string())
                    .unwrap_or_default(),
                d.username.as_deref().unwrap_or_default().to_string(),
                d.name.as_deref().unwrap_or_default().to_string(),
                d.email.as_deref().unwrap_or_default().to_string(),
                d.ae_user_id.as_deref().unwrap_or_default().to_string(),
                d.reason.code.to_string(),
                d.reason.text.clone(),
                d.role.as_deref().unwrap_or_default().to_string(),
                d.previous_role.as_deref().unwrap_or_default().to_string(),
                d.role_reason
                    .as_ref()
                    .map(|r| r.code.to_string())
                    .unwrap_or_default(),
                d.role_reason
                    .as_ref()
                    .map(|r| r.text.clone())
                    .unwrap_or_default(),
                d.groups.join(" "),
                changes.join("; "),
                crate::codes::joined(&d.findings, " "),
                assumptions.join(" "),
                paths.join("; "),
            ]
        })
    });
    csv_table(&header, rows, opts)
}

/// [`json`] written to `w` as it is made (the same bytes), for plans too big to hold twice.
pub fn json_to<W: std::io::Write>(plan: &Plan, w: &mut W) -> std::io::Result<()> {
    json_to_with(plan, w, &mut |w, ds| decisions_json_to(w, ds, true))
}

/// [`json_to`], with each business unit's decisions written by `decisions` (given the writer and
/// the decisions, it writes what [`decisions_json_to`] would, in as many pieces as it likes):
/// the command line renders a 1M-user plan's decisions on two threads.
pub fn json_to_with<W: std::io::Write>(
    plan: &Plan,
    w: &mut W,
    decisions: &mut dyn FnMut(&mut W, &[Decision]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    // The same bytes as `serde_json::to_writer_pretty(plan)`, field by field in `Plan`'s and
    // `BuPlan`'s order (tests/golden.rs holds the two to each other for every case).
    w.write_all(b"{")?;
    field(w, 1, "format_version", &plan.format_version, true)?;
    field(w, 1, "mode", &plan.mode, false)?;
    field(w, 1, "summary", &plan.summary, false)?;
    key(w, 1, "business_units", false)?;
    if plan.business_units.is_empty() {
        w.write_all(b"[]")?;
    } else {
        w.write_all(b"[")?;
        for (i, bu) in plan.business_units.iter().enumerate() {
            item(w, 2, i == 0)?;
            w.write_all(b"{")?;
            field(w, 3, "name", &bu.name, true)?;
            field(w, 3, "ae_users", &bu.ae_users, false)?;
            field(w, 3, "creator", &bu.creator, false)?;
            field(w, 3, "summary", &bu.summary, false)?;
            key(w, 3, "decisions", false)?;
            if bu.decisions.is_empty() {
                w.write_all(b"[]")?;
            } else {
                w.write_all(b"[")?;
                decisions(w, &bu.decisions)?;
                close(w, 3, b"]")?;
            }
            close(w, 2, b"}")?;
        }
        close(w, 1, b"]")?;
    }
    field(w, 1, "diagnostics", &plan.diagnostics, false)?;
    field(w, 1, "findings", &plan.findings, false)?;
    field(w, 1, "files", &plan.files, false)?;
    w.write_all(b"\n}\n")
}

/// Decisions as the plan JSON's `decisions` array holds them: each on a new line, after a comma
/// unless it is the array's first (`first`: `ds` begins the array).
pub fn decisions_json_to<W: std::io::Write>(
    w: &mut W,
    ds: &[Decision],
    first: bool,
) -> std::io::Result<()> {
    for (i, d) in ds.iter().enumerate() {
        item(w, DECISION_DEPTH, first && i == 0)?;
        value_at(w, d, DECISION_DEPTH)?;
    }
    Ok(())
}

/// How deep a decision stands in the plan JSON: plan, business units, unit, decisions.
const DECISION_DEPTH: usize = 4;

/// Two spaces a level, written at once (not a level at a time: a 1M-user plan's JSON has 40
/// million lines).
fn indent<W: std::io::Write + ?Sized>(w: &mut W, depth: usize) -> std::io::Result<()> {
    const SPACES: &[u8] = &[b' '; 32];
    match SPACES.get(..depth.saturating_mul(2)) {
        Some(s) => w.write_all(s),
        None => (0..depth).try_for_each(|_| w.write_all(b"  ")),
    }
}

/// An array's element or an object's key begins: on a line of its own, after a comma unless it
/// is the first.
fn item<W: std::io::Write + ?Sized>(w: &mut W, depth: usize, first: bool) -> std::io::Result<()> {
    w.write_all(if first { b"\n" } else { b",\n" })?;
    indent(w, depth)
}

/// A non-empty array or object ends: its bracket on a line of its own, `depth` levels in.
fn close<W: std::io::Write + ?Sized>(
    w: &mut W,
    depth: usize,
    bracket: &[u8],
) -> std::io::Result<()> {
    w.write_all(b"\n")?;
    indent(w, depth)?;
    w.write_all(bracket)
}

fn key<W: std::io::Write>(w: &mut W, depth: usize, name: &str, first: bool) -> std::io::Result<()> {
    item(w, depth, first)?;
    serde_json::to_writer(&mut *w, name).map_err(std::io::Error::from)?;
    w.write_all(b": ")
}

fn field<W: std::io::Write, T: serde::Serialize + ?Sized>(
    w: &mut W,
    depth: usize,
    name: &str,
    value: &T,
    first: bool,
) -> std::io::Result<()> {
    key(w, depth, name, first)?;
    value_at(w, value, depth)
}

/// `value` as `serde_json`'s pretty printer writes it `depth` levels in.
fn value_at<W: std::io::Write, T: serde::Serialize + ?Sized>(
    w: &mut W,
    value: &T,
    depth: usize,
) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, Indented::at(depth));
    value.serialize(&mut ser).map_err(std::io::Error::from)
}

/// `serde_json::ser::PrettyFormatter` (two spaces) starting `depth` levels in: its fields are
/// private, so it can only start at the top.
struct Indented {
    depth: usize,
    has_value: bool,
}

impl Indented {
    fn at(depth: usize) -> Self {
        Indented {
            depth,
            has_value: false,
        }
    }
    fn open<W: ?Sized + std::io::Write>(&mut self, w: &mut W, b: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b)
    }
    fn close<W: ?Sized + std::io::Write>(&mut self, w: &mut W, b: &[u8]) -> std::io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            close(w, self.depth, b)
        } else {
            w.write_all(b)
        }
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        item(w, self.depth, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        item(w, self.depth, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The plan JSON (§9), pretty, with a final newline.
pub fn json(plan: &Plan) -> String {
    let mut s = serde_json::to_string_pretty(plan).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_keeps_the_engines_values_as_code_spans_and_escapes_the_rest() {
        assert_eq!(
            markdown_prose("user `a|b_c@x.example` is in *both* <groups>"),
            "user `a\\|b_c@x.example` is in \\*both\\* &lt;groups&gt;"
        );
        assert_eq!(markdown_prose("one ` alone"), "one \\` alone");
        assert_eq!(markdown_prose("`<b>`"), "&lt;b&gt;");
        assert_eq!(markdown_prose("``"), "");
    }
}
