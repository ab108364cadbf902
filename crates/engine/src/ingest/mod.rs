//! Reading the exports (spec §7): encoding, delimiter, kind detection, typed rows, ids,
//! referential checks, and an account of every row read.
//!
//! [`ingest`] never fails: it returns what it could read, an [`Org`], and a [`FileReport`] per
//! file. For every file `rows_read = rows_used + rows_rejected`; each rejected row has an error
//! diagnostic naming the file, the line (the physical line where the record starts, 1 = the
//! header) and, when it is about one value, the column (1-based, counting every field).
//!
//! The steps, each in its own module:
//! - [`decode`]: bytes to text (BOM, UTF-8, UTF-16LE/BE, Windows-1252 fallback, override);
//! - [`dialect`]: line ends, `sep=` line, delimiter, quoting, ragged rows, footers;
//! - [`kinds`]: header normalisation and kind detection;
//! - [`rows`]: typed readers per kind, ids, booleans, duplicates;
//! - [`refs`]: names to ids, dangling references and cycles across files.
//!
//! Files are read in name order (then input order), so that "the first row wins" is the same
//! whatever order the files were dropped in.
//!
//! Diagnostic codes: `E-EMPTY`, `E-BINARY`, `E-CSV`, `E-NOT-RECOGNISED`, `E-MISSING-COLUMN`,
//! `E-RAGGED`, `E-QUOTE`, `E-BOOL`, `E-ID`, `E-BLANK`, `E-NO-EMAIL`, `E-DUPLICATE`,
//! `E-PROFILE-NAME`, `E-ROLE-NAME` (errors); `W-ENCODING`, `W-ID-REPAIRED`, `W-ORPHAN`,
//! `W-CYCLE`, `W-DUPLICATE-COLUMN` (warnings); `I-FOOTER`, `I-AE-ROLE-ID`, `I-HEADER-ONLY`, `I-SKIPPED` (information).
//!
//! Markdown files (`*.md`, such as a folder's README) are skipped with `I-SKIPPED`.

pub mod archive;
pub mod decode;
pub mod dialect;
pub mod kinds;
pub mod refs;
pub mod rows;

use crate::codes::Code;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::diag::{Diagnostic, Severity};
use super::id::GroupId;
use super::model::{GroupMember, Org};
use crate::sort;
use rustc_hash::FxHashMap;

pub use kinds::Kind;

/// Runs two pieces of work and returns when both are done: on two threads where the caller has
/// them (the command line: `cli::on_both_cores`), one after the other otherwise ([`in_turn`]).
/// The engine starts no thread of its own; given one, it parses a large file in two halves at once
/// ([`prepare_bytes_on`]), sorts the GroupMember rows while the next file is typed
/// ([`Ingester::add_prepared_on`]), runs the reference check's two passes at once
/// ([`Ingester::finish_on`]), and plans on both cores
/// ([`PlanOptions::join`](crate::plan::PlanOptions::join)).
pub type Join = fn(&mut (dyn FnMut() + Send), &mut (dyn FnMut() + Send));

/// The [`Join`] of a caller with one core: `a`, then `b`.
pub fn in_turn(a: &mut (dyn FnMut() + Send), b: &mut (dyn FnMut() + Send)) {
    a();
    b();
}

/// One file as the user gave it: its name and its raw bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Options for reading.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestOptions {
    /// Read every file in this encoding (a WHATWG label such as `windows-1252`, `utf-16le`,
    /// `latin1`) instead of detecting it.
    #[serde(default)]
    pub encoding: Option<String>,
}

/// What was read from one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    pub file: String,
    pub kind: Kind,
    /// Why the file was taken for that kind, or why it was not recognised.
    pub kind_reason: String,
    /// `UTF-8`, `UTF-16LE`, `UTF-16BE`, `windows-1252`, or an override's name.
    pub encoding: String,
    /// `,` `;` `\t` or `|`.
    pub delimiter: String,
    pub rows_read: u64,
    pub rows_used: u64,
    pub rows_rejected: u64,
    pub diagnostics: Vec<Diagnostic>,
    /// The header as written.
    pub columns: Vec<String>,
    /// The first five data rows as read.
    pub preview: Vec<Vec<String>>,
}

impl FileReport {
    /// Whether the file was read as an export (possibly with rejected rows).
    pub fn is_usable(&self) -> bool {
        self.kind != Kind::Unknown
            && !self
                .diagnostics
                .iter()
                .any(|d| d.code == Code::EMissingColumn)
    }
}

/// Everything read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ingested {
    pub org: Org,
    pub files: Vec<FileReport>,
    /// Findings across files: names that do not resolve, dangling references, cycles.
    pub diagnostics: Vec<Diagnostic>,
    /// Per `org.group_members` row, whether its member is a user of `org.users`: looked up
    /// once while checking references, and used again by the membership resolver
    /// ([`crate::membership::Resolver::for_ingested`]). Not part of what is shown.
    #[serde(skip)]
    pub member_users_known: Vec<bool>,
}

impl Ingested {
    /// Every diagnostic, per file first, then the cross-file ones.
    pub fn all_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files
            .iter()
            .flat_map(|f| f.diagnostics.iter())
            .chain(self.diagnostics.iter())
    }

    /// Whether some row or file was rejected, or an error was found.
    pub fn has_rejections(&self) -> bool {
        self.files
            .iter()
            .any(|f| f.rows_rejected > 0 || !f.is_usable())
            || self
                .all_diagnostics()
                .any(|d| d.severity == Severity::Error)
    }

    /// Whether any file was usable.
    pub fn anything_usable(&self) -> bool {
        self.files.iter().any(FileReport::is_usable)
    }
}

/// Sort the GroupMember rows by group, then member, then reading order (file, then line): the
/// order of `sort_by` on `(group, member, file, line)`, in fewer steps. A comparison sort moved
/// every row about log₂ n times (a seventh of ingestion); here the groups (a few thousand) are
/// ranked once, every row is moved once, into its group's place (read in order, so reading
/// order holds within a group), and each group's rows (a few hundred) are sorted where they lie.
fn sort_group_members(rows: &mut Vec<GroupMember>) {
    // Each row's group, numbered in order of first sight.
    let mut first_seen: FxHashMap<GroupId, usize> = FxHashMap::default();
    let mut group_of: Vec<usize> = Vec::with_capacity(rows.len());
    for r in rows.iter() {
        let next = first_seen.len();
        group_of.push(*first_seen.entry(r.group_id.clone()).or_insert(next));
    }
    // The groups' ranks in id order.
    let mut distinct: Vec<(GroupId, usize)> = first_seen.into_iter().collect();
    sort::sort(&mut distinct);
    let mut rank = vec![0usize; distinct.len()];
    for (r, (_, seen)) in distinct.iter().enumerate() {
        if let Some(slot) = rank.get_mut(*seen) {
            *slot = r;
        }
    }
    drop(distinct);
    for g in &mut group_of {
        *g = rank.get(*g).copied().unwrap_or(0);
    }
    // Where each group's rows start.
    let mut starts = vec![0usize; rank.len() + 1];
    for g in &group_of {
        if let Some(n) = starts.get_mut(g + 1) {
            *n += 1;
        }
    }
    for i in 1..starts.len() {
        let before = starts.get(i - 1).copied().unwrap_or(0);
        if let Some(n) = starts.get_mut(i) {
            *n += before;
        }
    }
    // Every row moved to its group's next place (rows read in order, each group's places
    // written in order), then each group's rows sorted where they lie.
    let Some(filler) = rows.first().cloned() else {
        return;
    };
    let mut next = starts.clone();
    let mut sorted = vec![filler; rows.len()];
    for (r, g) in std::mem::take(rows).into_iter().zip(group_of) {
        if let Some(at) = next.get_mut(g) {
            if let Some(slot) = sorted.get_mut(*at) {
                *slot = r;
            }
            *at += 1;
        }
    }
    *rows = sorted;
    for w in starts.windows(2) {
        let [from, to] = *w else { continue };
        if let Some(group) = rows.get_mut(from..to) {
            group.sort_unstable_by(|a, b| {
                (&a.member_id, a.file, a.line).cmp(&(&b.member_id, b.file, b.line))
            });
        }
    }
}

/// Where a file's rows' diagnostics start in its report, and the name its records hold (see
/// [`rows::RowOutcome::file`]); `None` when no row was read.
type RowsRead = Option<(usize, std::sync::Arc<str>)>;

/// The map again, built from its entries in order: every node full. Filled a row at a time in
/// increasing key order (an export sorted by Id), a `BTreeMap` splits each full node in two and
/// never fills the left half again, so its nodes stay about half empty (the 1M-user org's users
/// took 1,005 MB of memory, 583 MB full). The entries are collected into a vector of the exact
/// length (the map's freed nodes serve the new ones) and bulk-built.
fn compacted<K: Ord, V>(map: BTreeMap<K, V>) -> BTreeMap<K, V> {
    map.into_iter().collect()
}

/// Drop the GroupMember rows that repeat a (group, member) pair read before, each with an
/// `E-DUPLICATE` in its file (counted as rejected there), as reading them one by one would:
/// the rows are sorted by (group, member, reading order), so a duplicate follows the row that
/// wins. `rows_from[i]` tells where the diagnostics of `out.files[i]`'s rows start; the error
/// goes among them in line order, after the row's own warnings.
fn drop_duplicate_memberships(out: &mut Ingested, rows_from: &[RowsRead]) {
    let members = &out.org.group_members;
    let duplicate = |pair: &[GroupMember]| match pair {
        [a, b] => a.group_id == b.group_id && a.member_id == b.member_id,
        _ => false,
    };
    if !members.windows(2).any(duplicate) {
        return;
    }
    let mut keep = Vec::with_capacity(members.len());
    let mut first: Option<usize> = None;
    for i in 0..members.len() {
        let (Some(m), prev) = (members.get(i), first.and_then(|f| members.get(f))) else {
            continue;
        };
        match prev {
            Some(p) if p.group_id == m.group_id && p.member_id == m.member_id => {
                let key = format!("{} ∋ {}", m.group_id.as_str(), m.member_id.as_str());
                let (source, earlier) = (out.org.member_source(m), out.org.member_source(p));
                let at = rows_from.iter().position(|r| {
                    r.as_ref()
                        .is_some_and(|(_, name)| std::sync::Arc::ptr_eq(name, &source.file))
                });
                let from = at.and_then(|a| rows_from.get(a)?.as_ref().map(|(from, _)| *from));
                if let Some((report, from)) = at.and_then(|a| out.files.get_mut(a)).zip(from) {
                    let d = rows::duplicate_error(
                        &report.file,
                        source.line,
                        "group membership",
                        &key,
                        &earlier,
                    );
                    let tail = report.diagnostics.get(from..).unwrap_or(&[]);
                    let place =
                        from + tail.partition_point(|x| x.line.is_some_and(|l| l <= source.line));
                    report
                        .diagnostics
                        .insert(place.min(report.diagnostics.len()), d);
                    report.rows_used = report.rows_used.saturating_sub(1);
                    report.rows_rejected += 1;
                }
                keep.push(false);
            }
            _ => {
                first = Some(i);
                keep.push(true);
            }
        }
    }
    let mut flags = keep.into_iter();
    out.org
        .group_members
        .retain(|_| flags.next().unwrap_or(true));
}

/// Read every file.
pub fn ingest(files: &[InputFile], opts: &IngestOptions) -> Ingested {
    let mut order: Vec<&InputFile> = files.iter().collect();
    sort::sort_by(&mut order, |a, b| a.name.cmp(&b.name));
    let mut ingester = Ingester::new(opts);
    for f in order {
        ingester.add(f);
    }
    ingester.finish()
}

/// [`ingest`] one file at a time, for a caller that has the files one by one (the web
/// worker, as the browser reads them): [`Ingester::add`] each file in the order of their names
/// (`str::cmp`, the order `ingest` sorts them in), then [`Ingester::finish`]. The result is
/// `ingest`'s for the same files; a file's bytes can be let go once it is added.
#[derive(Debug, Default)]
pub struct Ingester {
    opts: IngestOptions,
    out: Ingested,
    kinds: BTreeSet<Kind>,
    /// What is said of the inputs as a whole: documentation skipped, archives' entries not used.
    notes: Vec<Diagnostic>,
    /// Per file read: where the diagnostics of its rows start (they come last, in line order),
    /// and the name its records hold.
    rows_from: Vec<RowsRead>,
    /// GroupMember rows were typed since the rows were last sorted.
    unsorted: bool,
}

impl Ingester {
    pub fn new(opts: &IngestOptions) -> Ingester {
        Ingester {
            opts: opts.clone(),
            ..Ingester::default()
        }
    }

    /// Something to say about the inputs as a whole (a Data Export archive's entries not used).
    pub fn note(&mut self, d: Diagnostic) {
        self.notes.push(d);
    }

    /// Read one file (the next by name).
    pub fn add(&mut self, f: &InputFile) {
        self.add_prepared(prepare(f, &self.opts));
    }

    /// Add a file [`prepare`]d (the next by name): its rows typed into the org.
    pub fn add_prepared(&mut self, prepared: Prepared) {
        self.add_prepared_on(prepared, None);
    }

    /// [`add_prepared`](Self::add_prepared); when `join` runs work on two cores, the
    /// GroupMember rows typed before this file are sorted (a step of [`finish`](Self::finish))
    /// on the other core while this one is typed, when it is not itself a GroupMember file and
    /// has rows enough to be worth it (else the sort waits for a later file or the end). The
    /// same result either way: the sort is over every row there is, and one more sort at the
    /// end, when rows came after it, sorts them all again.
    pub fn add_prepared_on(&mut self, prepared: Prepared, join: Option<Join>) {
        let (members, file_rows) = match &prepared.0 {
            Step::Rows { kind, table, .. } => (*kind == Kind::GroupMember, table.rows.len()),
            _ => (false, 0),
        };
        // Worth a thread while a file takes a while to type: at least a fortieth as many rows
        // as the sort has (users.csv has about a tenth: a user is in about ten groups); a small
        // file would keep the core that prepares the next file waiting for the sort instead.
        let long = file_rows >= self.out.org.group_members.len() / 40;
        match join {
            Some(join) if self.unsorted && !members && long => {
                let mut rows = std::mem::take(&mut self.out.org.group_members);
                let mut prepared = Some(prepared);
                join(&mut || sort_group_members(&mut rows), &mut || {
                    if let Some(p) = prepared.take() {
                        self.type_rows(p);
                    }
                });
                self.out.org.group_members = rows;
                self.unsorted = false;
            }
            _ => self.type_rows(prepared),
        }
        self.unsorted |= members;
    }

    fn type_rows(&mut self, prepared: Prepared) {
        let (report, rows_diagnostics) = match prepared.0 {
            Step::Documentation(skipped) => {
                self.notes.push(skipped);
                return;
            }
            Step::NotRead(report) => (report, None),
            Step::Rows {
                report,
                table,
                kind,
            } => add_rows(report, &table, kind, &mut self.out.org),
        };
        if report.is_usable() {
            self.kinds.insert(report.kind);
        }
        self.out.files.push(report);
        self.rows_from.push(rows_diagnostics);
    }

    /// Everything read: the checks across files done.
    pub fn finish(self) -> Ingested {
        self.finish_on(None)
    }

    /// [`finish`](Self::finish); when `join` runs work on two cores, the reference check's
    /// pass over the users and its pass over the GroupMember rows run at once
    /// ([`refs::resolve_and_check`]). The same result either way.
    pub fn finish_on(self, join: Option<Join>) -> Ingested {
        let Ingester {
            mut out,
            kinds,
            notes,
            rows_from,
            unsorted,
            ..
        } = self;
        // The maps that grow with the org (the users' is built full: `rows::read_users`).
        out.org.groups = compacted(std::mem::take(&mut out.org.groups));
        out.org.roles = compacted(std::mem::take(&mut out.org.roles));
        out.org.logins = compacted(std::mem::take(&mut out.org.logins));
        if unsorted {
            sort_group_members(&mut out.org.group_members);
        }
        drop_duplicate_memberships(&mut out, &rows_from);
        sort::sort_by(&mut out.org.permission_set_assignments, |a, b| {
            (
                &a.assignee_id,
                &a.permission_set_id,
                &a.permission_set_name,
                &a.source,
            )
                .cmp(&(
                    &b.assignee_id,
                    &b.permission_set_id,
                    &b.permission_set_name,
                    &b.source,
                ))
        });
        out.diagnostics = notes;
        let (diagnostics, member_users_known) = refs::resolve_and_check(&mut out.org, &kinds, join);
        out.diagnostics.extend(diagnostics);
        if out.files.iter().filter(|f| f.kind == Kind::User).count() > 1 {
            out.diagnostics.extend(two_orgs(&out.org));
        }
        out.member_users_known = member_users_known;
        for f in &mut out.files {
            f.kind_reason = shorten_values(&f.kind_reason);
            for d in &mut f.diagnostics {
                d.message = shorten_values(&d.message);
            }
        }
        for d in &mut out.diagnostics {
            d.message = shorten_values(&d.message);
        }
        out
    }
}

/// Values longer than this many characters are cut in messages.
const SHOWN_CHARS: usize = 80;

/// Cut every backticked value longer than 80 characters to its start, `…` and its length, so
/// that a 1 MB field does not make a 1 MB message.
pub fn shorten_values(message: &str) -> String {
    if message.len() <= SHOWN_CHARS {
        return message.to_string();
    }
    let mut out = String::with_capacity(message.len().min(4 * SHOWN_CHARS));
    let mut cut: Option<usize> = None;
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if let Some(n) = cut.take() {
            out.push_str(&format!(" ({n} characters in all)"));
        }
        let n = part.chars().count();
        if i % 2 == 1 && n > SHOWN_CHARS {
            out.extend(part.chars().take(SHOWN_CHARS));
            out.push('…');
            cut = Some(n);
        } else {
            out.push_str(part);
        }
    }
    out
}

/// Text that is another format saved under a CSV name: JSON, HTML (Salesforce's "Export as
/// Excel" of a report is an HTML table), XML.
fn not_csv(text: &str) -> Option<&'static str> {
    let start = text.trim_start();
    let head: String = start.chars().take(15).collect::<String>().to_lowercase();
    if start.starts_with('{')
        || (start.starts_with('[') && serde_json::from_str::<serde_json::Value>(start).is_ok())
    {
        return Some("JSON, not CSV: export the records as CSV (Data Loader, Workbench and Salesforce Inspector can)");
    }
    if head.starts_with("<!doctype html") || head.starts_with("<html") || head.starts_with("<table")
    {
        return Some("an HTML page, not CSV (a report exported as \"Formatted Report\" or \"Excel\" is HTML): export the report as \"Details Only\" in CSV format");
    }
    if head.starts_with("<?xml") {
        return Some("XML, not CSV: export the records as CSV");
    }
    None
}

/// A header naming one column twice: the first is read, later ones are ignored (`W-DUPLICATE-COLUMN`).
fn duplicate_columns(headers: &[String]) -> (Vec<Diagnostic>, Vec<(usize, usize)>) {
    let mut first: FxHashMap<String, usize> = FxHashMap::default();
    let mut out = Vec::new();
    let mut pairs = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let n = kinds::norm(h);
        if n.is_empty() {
            continue;
        }
        match first.get(&n) {
            Some(&j) => {
                pairs.push((j, i));
                out.push(
                    Diagnostic::warning(
                        Code::WDuplicateColumn,
                        format!(
                            "column `{}` appears twice (columns {} and {}): the first is read and this one is ignored",
                            h.trim(),
                            j + 1,
                            i + 1
                        ),
                    )
                    .at_column(i as u64 + 1),
                );
            }
            None => {
                first.insert(n, i);
            }
        }
    }
    (out, pairs)
}

/// The rows where a column given twice holds two different values: each said, with both values
/// (the first is the one read).
fn disagreeing_columns(
    headers: &[String],
    pairs: &[(usize, usize)],
    rows: &dialect::Rows,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for row in rows.iter() {
        for &(j, i) in pairs {
            let (a, b) = (
                row.fields.get(j).map(str::trim).unwrap_or(""),
                row.fields.get(i).map(str::trim).unwrap_or(""),
            );
            if a != b && !b.is_empty() {
                let name = |k: usize| headers.get(k).map(|h| h.trim()).unwrap_or("");
                out.push(
                    Diagnostic::warning(
                        Code::WDuplicateColumn,
                        format!(
                            "columns `{}` and `{}` differ in this row: `{a}` is read, `{b}` is not",
                            name(j),
                            name(i)
                        ),
                    )
                    .at_line(row.line)
                    .at_column(i as u64 + 1),
                );
            }
        }
    }
    out
}

/// W-TWO-ORGS: two User exports come from two orgs when their user ids share no org prefix
/// (their first five characters: the key prefix and the instance) and their users share no
/// profile (profile ids are an org's own). An org moved to another instance has users of two
/// prefixes, but one set of profiles.
fn two_orgs(org: &Org) -> Option<Diagnostic> {
    type Seen<'a> = (BTreeSet<&'a str>, BTreeSet<&'a str>);
    let mut by_file: BTreeMap<&str, Seen> = BTreeMap::new();
    for u in org.users.values() {
        let (prefixes, profiles) = by_file.entry(&u.source.file).or_default();
        prefixes.extend(u.id.as_str().get(..5));
        profiles.extend(u.profile_id.as_ref().map(|p| p.as_str()));
    }
    let files: Vec<(&str, &Seen)> = by_file.iter().map(|(f, s)| (*f, s)).collect();
    let apart = |a: &Seen, b: &Seen| a.0.is_disjoint(&b.0) && a.1.is_disjoint(&b.1);
    let (a, b) = files.iter().enumerate().find_map(|(i, (a, sa))| {
        files
            .iter()
            .skip(i + 1)
            .find(|(_, sb)| apart(sa, sb))
            .map(|(b, _)| (*a, *b))
    })?;
    Some(Diagnostic::error(
        Code::WTwoOrgs,
        format!("the User exports `{a}` and `{b}` come from two different orgs (their users share no org prefix and no profile): give the exports of one org"),
    ))
}

/// Markdown files (a folder's `README.md`) are never exports: they are skipped, not rejected.
fn is_documentation(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// A file read as far as it can be without the files before it: decoded, parsed into a table,
/// its kind recognised. [`prepare`] needs nothing but the file and the options, so a caller may
/// prepare the next file (on another thread: the command line does) while
/// [`Ingester::add_prepared`] types the rows of the one before into the org.
#[derive(Debug)]
pub struct Prepared(Step);

#[derive(Debug)]
enum Step {
    /// A Markdown file: skipped, with this note.
    Documentation(Diagnostic),
    /// Nothing to type: not text, empty, not recognised, missing columns.
    NotRead(FileReport),
    /// Rows of this kind to type.
    Rows {
        report: FileReport,
        table: dialect::Table,
        kind: Kind,
    },
}

/// Decode, parse and recognise one file: everything [`Ingester::add`] does before the rows
/// meet the org.
pub fn prepare(f: &InputFile, opts: &IngestOptions) -> Prepared {
    prepare_bytes(&f.name, &f.bytes, opts)
}

/// [`prepare`] for a file whose bytes the caller holds in its own way (the command line maps
/// each file into memory instead of copying it: `name` is its name for the reports).
pub fn prepare_bytes(name: &str, bytes: &[u8], opts: &IngestOptions) -> Prepared {
    prepare_bytes_on(name, bytes, opts, None)
}

/// [`prepare_bytes`], parsing a large file in two pieces at once when `join` runs work on two
/// cores ([`dialect::read_table_on`]): the same table either way.
pub fn prepare_bytes_on(
    name: &str,
    bytes: &[u8],
    opts: &IngestOptions,
    join: Option<Join>,
) -> Prepared {
    if is_documentation(name) {
        return Prepared(Step::Documentation(
            Diagnostic::info(
                Code::ISkipped,
                format!(
                    "`{}` is documentation (Markdown), not an export; it was not read",
                    name
                ),
            )
            .in_file(name),
        ));
    }
    Prepared(read_table(name, bytes, opts, join))
}

fn read_table(name: &str, bytes: &[u8], opts: &IngestOptions, join: Option<Join>) -> Step {
    let decoded = decode::decode(bytes, opts.encoding.as_deref());
    let mut report = FileReport {
        file: name.to_string(),
        kind: Kind::Unknown,
        kind_reason: String::new(),
        encoding: decoded.encoding.clone(),
        delimiter: ",".to_string(),
        rows_read: 0,
        rows_used: 0,
        rows_rejected: 0,
        diagnostics: decoded
            .diagnostics
            .into_iter()
            .map(|d| d.in_file(name))
            .collect(),
        columns: Vec::new(),
        preview: Vec::new(),
    };
    if decoded.binary {
        report.kind_reason = "not read: the file is not text".to_string();
        return Step::NotRead(report);
    }
    if decoded.text.trim().is_empty() {
        report.kind_reason = "not read: the file is empty".to_string();
        report.diagnostics.push(
            Diagnostic::error(Code::EEmpty, "the file is empty: it has no header row")
                .in_file(name),
        );
        return Step::NotRead(report);
    }
    let text = dialect::normalise_line_ends(&decoded.text);
    if dialect::only_sep_line(&text) {
        report.kind_reason = "not read: the file is empty".to_string();
        report.diagnostics.push(
            Diagnostic::error(
                Code::EEmpty,
                "the file has only Excel's `sep=` line and no header row",
            )
            .in_file(name)
            .at_line(1),
        );
        return Step::NotRead(report);
    }
    if let Some(what) = not_csv(&text) {
        report.kind_reason = format!("not read: the file is {what}");
        report.diagnostics.push(
            Diagnostic::error(
                Code::ENotRecognised,
                format!("not recognised: the file is {what}"),
            )
            .in_file(name)
            .at_line(1),
        );
        return Step::NotRead(report);
    }
    let table = dialect::read_table_on(name, &text, join);
    // The table owns its fields: free the text before the typed rows are built (peak memory).
    drop(text);
    drop(decoded.text);
    report.delimiter = dialect::delimiter_name(table.delimiter);
    report.columns = table.headers.clone();
    report.preview = table
        .rows
        .iter()
        .take(5)
        .map(|r| r.fields.to_vec())
        .collect();
    report.diagnostics.extend(table.diagnostics.iter().cloned());
    let good = table.rows.len() as u64;
    report.rows_read = good + table.rejected;
    report.rows_rejected = table.rejected;

    let (twice, pairs) = duplicate_columns(&table.headers);
    report.diagnostics.extend(
        twice
            .into_iter()
            .map(|d| d.in_file(name).at_line(table.header_line.max(1))),
    );
    if !pairs.is_empty() {
        report.diagnostics.extend(
            disagreeing_columns(&table.headers, &pairs, &table.rows)
                .into_iter()
                .map(|d| d.in_file(name)),
        );
    }
    let det = kinds::detect(&table.headers, &table.rows);
    report.kind = det.kind;
    report.kind_reason = det.reason.clone();
    if det.kind == Kind::Unknown || !det.missing.is_empty() {
        let code = if det.kind == Kind::Unknown {
            Code::ENotRecognised
        } else {
            Code::EMissingColumn
        };
        report.diagnostics.push(
            Diagnostic::error(code, det.reason)
                .in_file(name)
                .at_line(table.header_line.max(1)),
        );
        report.rows_rejected += good;
        return Step::NotRead(report);
    }
    if good == 0 && table.rejected == 0 {
        report.diagnostics.push(
            Diagnostic::info(
                Code::IHeaderOnly,
                format!(
                    "the file has a header and no rows: an empty {} export",
                    det.kind.label()
                ),
            )
            .in_file(name)
            .at_line(table.header_line.max(1)),
        );
    }
    Step::Rows {
        report,
        table,
        kind: det.kind,
    }
}

/// Type a prepared table's rows into the org; beside the file's report, where the diagnostics
/// of its rows start and the name its records hold.
fn add_rows(
    mut report: FileReport,
    table: &dialect::Table,
    kind: Kind,
    org: &mut Org,
) -> (FileReport, RowsRead) {
    let outcome = rows::read_rows(kind, &report.file, &table.headers, &table.rows, org);
    report.rows_used = outcome.used;
    report.rows_rejected += outcome.rejected;
    let rows_from = report.diagnostics.len();
    report.diagnostics.extend(outcome.diagnostics);
    (report, outcome.file.map(|name| (rows_from, name)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::id::SfId;
    use proptest::prelude::*;

    fn id(prefix: &str, n: u32) -> SfId {
        SfId::parse(&format!("{prefix}{n:012}")).unwrap().id
    }

    proptest! {
        /// The ranked sort gives the order of the plain comparison sort, duplicates, several
        /// files and all.
        #[test]
        fn group_members_sort_as_the_comparison_sort_does(
            rows in prop::collection::vec((0u32..6, 0u32..12, any::<bool>(), 0u32..2, 1u32..50), 0..80)
        ) {
            let mut rows: Vec<GroupMember> = rows
                .into_iter()
                .map(|(g, m, nested, file, line)| GroupMember {
                    group_id: GroupId::try_from_sf(id("00G", g)).unwrap(),
                    member_id: if nested { id("00G", m) } else { id("005", m) },
                    file,
                    line,
                })
                .collect();
            // Reading order: files in order, lines in order.
            rows.sort_by_key(|r| (r.file, r.line));
            let mut expected = rows.clone();
            expected.sort_by(|a, b| {
                (&a.group_id, &a.member_id, a.file, a.line).cmp(&(&b.group_id, &b.member_id, b.file, b.line))
            });
            sort_group_members(&mut rows);
            prop_assert_eq!(rows, expected);
        }
    }
}
