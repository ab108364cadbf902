//! The Web Worker that runs the engine off the page's thread, so the page never freezes.
//!
//! Messages cross the worker boundary in postcard ([`Postcard`]), a compact binary encoding
//! without field names: several times faster to encode and decode than JSON for a 100k-user
//! answer, and the page's wasm needs no JSON reader for the engine's types (30 KB brotli). The
//! engine's types leave empty optional fields out of JSON, which postcard cannot read back, so
//! the codec encodes with every field kept ([`crate::engine::omit`]). The files travel beside
//! the message as parts of their own: the browser's `File`s for files the user picked or
//! dropped, which the worker reads itself (the page never holds their bytes; see [`Content`]).
//!
//! The worker keeps what it read from the files (per `files_version`), so that an edit of the
//! set-up re-plans without sending the files again, and the lookups (what can be assigned,
//! and how many users each reaches) are computed once per set of files and sent after the
//! answer. It also keeps the last plan's decisions: the answer goes without them (a large
//! plan has a hundred thousand), bringing only the user table's first rows, how many there
//! are and what the filters offer. The page asks for the rest as it needs it ([`Ask`]): the
//! table's rows for a filter and a scroll position (the worker filters and searches, with a
//! [`filter::SearchIndex`] built after the answer), one decision whole when its explanation
//! opens, a finding's users, a download's file ([`Ask::Export`], made here), or every decision to print.

use std::rc::Rc;
use std::sync::Arc;

use gloo::worker::{Codec, HandlerId, Worker, WorkerScope};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::engine::decide::{Action, Change, Decision, Finding, Reason, TraceStep};
use crate::engine::diag::Diagnostic;
use crate::engine::id::UserId;
use crate::engine::ingest::{self, FileReport, IngestOptions, Ingested};
use crate::engine::lookup::{self, BuReach, Candidate};
use crate::engine::membership::{Membership, Resolver};
use crate::engine::model::Text;
use crate::engine::omit;
use crate::engine::scenario::{self, Scenario};
use crate::engine::Code;
use crate::engine::{self, InputFile, Report};
use crate::engine::{Exports, PlanOptions, Setup};

use super::export_files::ExportKind;
use super::filter::{self, row_key, who, Filter, Options, RowRef};
use super::state::Selection;

/// What the page asks the worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineRequest {
    /// Echoed back, so that the page can drop answers to outdated requests.
    pub generation: u64,
    /// Which set of files this is; the files are sent only when it changed.
    pub files_version: u64,
    /// The files (`None`: the same as the last request with this `files_version`), shared
    /// with the page's state (not copied). On the wire each file travels beside the message
    /// (see [`Postcard`]), not in it.
    #[serde(with = "wire_files")]
    pub files: Option<Vec<Rc<GivenFile>>>,
    /// The edited scenario; `None`: a `.json` among the files, else the defaults.
    pub scenario: Option<Scenario>,
    /// What is asked: a plan (the default), or more of the plan of `generation`.
    #[serde(default)]
    pub ask: Ask,
    /// For a plan: the user table's rows the answer brings ([`EngineResponse::table`]).
    #[serde(default)]
    pub view: View,
}

/// A file the user gave, as the page holds it and sends it to the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenFile {
    pub name: String,
    pub content: Content,
}

/// Where a given file's bytes are; also what each part of a message is as received (see
/// [`from_read_parts`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// In memory: the demo org, a scenario from a shared link; and, in the worker, every file
    /// it has read.
    Bytes(Vec<u8>),
    /// A file the user picked or dropped, not read yet: the number of its browser `File` in
    /// this side's table (`io::take_files` in the page; in the worker, as the message is
    /// decoded). It crosses to the worker as the `File` itself (a reference to the file, not
    /// its bytes), and the worker reads every file of a request at once (`io::read_files`):
    /// one copy of the bytes, off the page's thread, where reading in the page and posting the
    /// bytes made four (a quarter of a second for a 100k-user org's 62 MB).
    Handle(u32),
    /// The worker could not read the file (it changed or went away since it was given, or the
    /// page no longer held it): why.
    Unreadable(String),
}

impl From<InputFile> for GivenFile {
    fn from(f: InputFile) -> GivenFile {
        GivenFile {
            name: f.name,
            content: Content::Bytes(f.bytes),
        }
    }
}

/// What a request asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ask {
    /// Plan (reading the files when they are sent).
    #[default]
    Plan,
    /// The user table's rows of the last plan for a view (a filter and the rows shown).
    Rows(View),
    /// One decision of the last plan, whole, for its explanation: found by business unit
    /// position and row key ([`row_key`]).
    Explain(Selection),
    /// Who the first users of a finding are (their rows, to link them to the table): the
    /// finding's position among the plan's findings, its business unit's position, and the
    /// users' references as the finding lists them (`ae:…` for AE users).
    Who(usize, usize, Vec<String>),
    /// Every decision of the last plan, whole (to print the whole report).
    AllTraces,
    /// A download's file, made from the last plan ([`ExportKind::build`]).
    Export(ExportKind),
}

/// Which rows of the user table the page shows: those matching `filter`, from `start` to
/// `end` (positions among the matching rows).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub filter: Filter,
    pub start: usize,
    pub end: usize,
}

/// Some rows of the user table, as the worker sends them for a [`View`]: the page holds these,
/// never every decision of a large plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowsPage {
    /// The plan they belong to.
    pub generation: u64,
    pub filter: Filter,
    /// How many rows match the filter.
    pub total: usize,
    /// The position of the first row below among the matching ones.
    pub start: usize,
    /// The rows from `start` on, each with its place in the report.
    pub rows: Vec<(RowRef, Row)>,
}

impl RowsPage {
    /// Whether the page has the rows `[start, end)` of the matching ones (or all there are).
    pub fn covers(&self, start: usize, end: usize) -> bool {
        let have = self.start + self.rows.len();
        self.start <= start.min(self.total) && end.min(self.total) <= have
    }

    /// The rows `[start, end)` it has, with their positions among the matching rows.
    pub fn shown(&self, start: usize, end: usize) -> impl Iterator<Item = (usize, &(RowRef, Row))> {
        self.rows
            .iter()
            .enumerate()
            .map(move |(k, r)| (self.start + k, r))
            .filter(move |(i, _)| (start..end).contains(i))
    }
}

/// The rows of `decisions` that `view` shows, of those `matching` its filter.
pub fn rows_page(
    decisions: &[Vec<Decision>],
    matching: &[RowRef],
    view: &View,
    generation: u64,
) -> RowsPage {
    let rows = matching
        .get(view.start.min(matching.len())..view.end.min(matching.len()))
        .unwrap_or_default()
        .iter()
        .filter_map(|&at| Some((at, Row::of_ref(filter::decision(decisions, at)?))))
        .collect();
    RowsPage {
        generation,
        filter: view.filter.clone(),
        total: matching.len(),
        start: view.start.min(matching.len()),
        rows,
    }
}

/// A decision found for an explanation ([`Ask::Explain`]), with its place in the report
/// (`None`: the plan has no such user).
pub type Found = Option<Box<(RowRef, Decision)>>;

/// A user a finding concerns, as the findings list links it: the business unit's position,
/// the row key (see [`row_key`]) and the shown name.
pub type WhoUser = (usize, String, String);

/// The users of a finding (`users`, references as the finding lists them) among the decisions
/// of business unit `bu`: for each, the first decision with that key or that AE user id.
pub fn who_of(decisions: &[Vec<Decision>], bu: usize, users: &[String]) -> Vec<Option<WhoUser>> {
    let wanted: std::collections::HashSet<&str> = users.iter().map(String::as_str).collect();
    let mut found: std::collections::HashMap<&str, WhoUser> = std::collections::HashMap::new();
    let mut ae_key = String::new();
    for d in decisions.get(bu).map(Vec::as_slice).unwrap_or_default() {
        let sf = d.salesforce_user_id.as_ref().map(|i| i.as_str());
        let ae = d.ae_user_id.as_deref().map(|ae| {
            ae_key.clear();
            ae_key.push_str("ae:");
            ae_key.push_str(ae);
            ae_key.as_str()
        });
        for key in [sf, ae].into_iter().flatten() {
            if let Some(&asked) = wanted.get(key) {
                found
                    .entry(asked)
                    .or_insert_with(|| (bu, row_key(d), who(d)));
            }
        }
    }
    users
        .iter()
        .map(|u| found.get(u.as_str()).cloned())
        .collect()
}

/// What a decision's explanation shows beyond its row in the table: the trace, the texts of
/// its reasons, its memberships' paths and its assumptions. The worker keeps them (most of a
/// large report's JSON: at 100k users the traces alone are 41 MB, the rest 18 MB) and sends
/// them when asked ([`Ask`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    pub trace: Vec<TraceStep>,
    /// The text of the decision's reason (its code stays in the row).
    pub reason: String,
    /// The text of the role's reason, when there is one.
    pub role_reason: Option<String>,
    pub memberships: Vec<Membership>,
    pub assumptions: Vec<Reason>,
}

impl Details {
    /// A copy of a decision's details (what its table row, [`Row::of_ref`], leaves out).
    pub fn of_ref(d: &Decision) -> Details {
        Details {
            trace: d.trace.clone(),
            reason: d.reason.text.clone(),
            role_reason: d.role_reason.as_ref().map(|r| r.text.clone()),
            memberships: d.memberships.clone(),
            assumptions: d.assumptions.clone(),
        }
    }

    /// Put the details (as [`Details::of_ref`] copied them) back into a decision.
    pub fn put(&self, d: &mut Decision) {
        d.trace.clone_from(&self.trace);
        Arc::make_mut(&mut d.reason).text.clone_from(&self.reason);
        if let (Some(r), Some(text)) = (d.role_reason.as_mut(), &self.role_reason) {
            Arc::make_mut(r).text.clone_from(text);
        }
        d.memberships.clone_from(&self.memberships);
        d.assumptions.clone_from(&self.assumptions);
    }
}

/// The details of a plan's decisions, by business unit and decision position.
pub type Traces = Vec<Vec<Details>>;

/// A decision without its [`Details`], as it crosses to the page: its fields in order (in the
/// user table's [`RowsPage`], and every decision when the whole report is printed). When the
/// messages were JSON, the keys of decisions as objects were most of a large answer (about 430
/// bytes a decision, against 160 as an array and less in postcard).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row(
    Action,
    Option<UserId>,
    /// username, name, email, AE user id, role, previous role
    Option<Text>,
    Option<Text>,
    Option<Text>,
    Option<Text>,
    Option<Text>,
    Option<Text>,
    Vec<Text>,
    /// The reason's code, and the role reason's.
    Code,
    Option<Code>,
    Vec<Change>,
    Vec<Code>,
);

impl Row {
    /// A copy of the decision's row (without its details).
    pub fn of_ref(d: &Decision) -> Row {
        Row(
            d.action,
            d.salesforce_user_id.clone(),
            d.username.clone(),
            d.name.clone(),
            d.email.clone(),
            d.ae_user_id.clone(),
            d.role.clone(),
            d.previous_role.clone(),
            d.groups.clone(),
            d.reason.code,
            d.role_reason.as_ref().map(|r| r.code),
            d.changes.clone(),
            d.findings.clone(),
        )
    }

    /// The decision again, with empty details.
    pub fn into_decision(self) -> Decision {
        let Row(
            action,
            salesforce_user_id,
            username,
            name,
            email,
            ae_user_id,
            role,
            previous_role,
            groups,
            reason,
            role_reason,
            changes,
            findings,
        ) = self;
        let code = |code: Code| Reason {
            code,
            text: String::new(),
        };
        Decision {
            action,
            salesforce_user_id,
            username,
            name,
            email,
            ae_user_id,
            role,
            previous_role,
            groups,
            reason: Arc::new(code(reason)),
            role_reason: role_reason.map(code).map(Arc::new),
            trace: Vec::new(),
            changes,
            assumptions: Vec::new(),
            memberships: Vec::new(),
            findings,
        }
    }
}

/// What the worker answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineResponse {
    pub generation: u64,
    pub files_version: u64,
    /// What was read from each export, even when there is nothing to plan.
    pub files: Vec<FileReport>,
    /// What can be assigned: `None` from the worker, which sends the lookups in a message of
    /// their own ([`EngineOutput::Lookups`]); [`answer`] fills it in for callers that want both.
    pub lookup: Option<Vec<Candidate>>,
    /// How many users each assignment of the scenario used reaches.
    pub reach: Vec<BuReach>,
    /// The report, or the fatal error (already worded for the user) when there is nothing to plan.
    /// From the worker, its business units come without their decisions: the worker keeps
    /// them, and the page asks for what it shows ([`Ask`]); [`answer`] puts them back for
    /// callers that want the report whole.
    pub result: Result<Report, String>,
    /// The user table's rows for the request's [`View`].
    #[serde(default)]
    pub table: RowsPage,
    /// What the table's filters offer (the roles and the finding codes in the plan).
    #[serde(default)]
    pub options: Options,
    /// How many decisions the plan has (in every business unit).
    #[serde(default)]
    pub decisions: usize,
    /// The plan's findings and diagnostics, which cross apart from `result` (a large org has
    /// tens of thousands; shared with the worker, which keeps them to make downloads).
    #[serde(default)]
    pub findings: Rc<Vec<Finding>>,
    #[serde(default)]
    pub diagnostics: Rc<Vec<Diagnostic>>,
}

impl EngineResponse {
    /// An answer with nothing but a message (already worded for the user).
    pub fn failed(generation: u64, files_version: u64, message: String) -> EngineResponse {
        EngineResponse {
            generation,
            files_version,
            files: Vec::new(),
            lookup: None,
            reach: Vec::new(),
            result: Err(message),
            table: RowsPage::default(),
            options: Options::default(),
            decisions: 0,
            findings: Rc::default(),
            diagnostics: Rc::default(),
        }
    }

    /// Put back into the report what crossed apart from it: the findings and the diagnostics.
    pub fn restore_report(&mut self) {
        let findings = unshare(std::mem::take(&mut self.findings));
        let diagnostics = unshare(std::mem::take(&mut self.diagnostics));
        if let Ok(report) = self.result.as_mut() {
            report.plan.findings = findings;
            report.plan.diagnostics = diagnostics;
        }
    }
}

/// The value of an `Rc`, moved out when nothing else holds it, else copied.
fn unshare<T: Clone>(rc: Rc<T>) -> T {
    Rc::try_unwrap(rc).unwrap_or_else(|rc| (*rc).clone())
}

/// What the worker remembers between requests.
#[derive(Debug, Default)]
pub struct Cache {
    files_version: Option<u64>,
    /// The scenario files among the inputs (`.json`), kept to plan with when the page sends
    /// no edited scenario.
    scenarios: Vec<InputFile>,
    /// What was read from the exports: read once per set of files, planned on every request.
    ingested: Ingested,
    /// The last plan's decisions, whole (the page asks for what it shows), and the
    /// generation they belong to.
    decisions: Vec<Vec<Decision>>,
    decisions_generation: Option<u64>,
    /// The last plan's report without its decisions (which are `decisions`), to make
    /// downloads from.
    report: Option<Report>,
    /// The rows matching the last filter asked for, so that scrolling through them does not
    /// filter every decision again.
    matching: Option<(Filter, Vec<RowRef>)>,
    /// The last plan's decisions' searched text, built on the first search.
    search: Option<filter::SearchIndex>,
    /// A clock (ms) for the phase timings the worker logs (`None` natively: no timings).
    pub clock: Option<fn() -> f64>,
    /// How long the phases of the last answer took (ms): `read` (the exports) and `plan`.
    pub phases: Vec<(&'static str, f64)>,
}

impl Cache {
    fn now(&self) -> f64 {
        now(self.clock)
    }
}

/// Milliseconds to the nearest whole one, for the timing line: formatting a float would link
/// Rust's float printing into the worker's wasm (about 8 KB brotli).
fn whole(ms: f64) -> u64 {
    (ms.max(0.0) + 0.5) as u64
}

/// The time by `clock` (ms), or 0 without one.
fn now(clock: Option<fn() -> f64>) -> f64 {
    clock.map(|c| c()).unwrap_or(0.0)
}

/// Serve the page's requests: what the app's binary does when started in a worker (the page
/// spawns it with [`io::worker_loader`](super::io::worker_loader)).
pub fn register() {
    use gloo::worker::Registrable;
    EngineWorker::registrar().encoding::<Postcard>().register();
}

/// Runs the engine for the page.
///
/// A request whose files are not read yet (the `File`s the page handed over) waits for them
/// to be read, all at once ([`io::read_files`](super::io::read_files)); requests that come in
/// meanwhile wait behind it, so that answers keep the order of the requests.
pub struct EngineWorker {
    cache: Cache,
    inbox: Inbox<(EngineRequest, HandlerId)>,
    /// The warm-up under way ([`WarmUp`]), with when it started (ms): `None` once done or cut
    /// short by the page's first request.
    warm_up: Option<(WarmUp, f64)>,
}

/// What the worker's own futures bring back.
pub enum Message {
    /// A request's files are read.
    FilesRead(Box<FilesRead>),
    /// Time for the next rounds of the warm-up.
    WarmUp,
}

/// Requests in the order received: one is handled at a time, and while a request's files are
/// being read (asynchronously) the ones after it wait.
#[derive(Debug)]
pub struct Inbox<T> {
    reading: bool,
    waiting: std::collections::VecDeque<T>,
}

impl<T> Default for Inbox<T> {
    fn default() -> Self {
        Inbox {
            reading: false,
            waiting: std::collections::VecDeque::new(),
        }
    }
}

impl<T> Inbox<T> {
    /// A request came in: back to be handled now, or `None` when it waits its turn.
    pub fn receive(&mut self, request: T) -> Option<T> {
        if self.reading {
            self.waiting.push_back(request);
            None
        } else {
            Some(request)
        }
    }

    /// The request being handled reads its files first: the ones after it wait.
    pub fn reading(&mut self) {
        self.reading = true;
    }

    /// The files were read: the requests that waited take their turns.
    pub fn read(&mut self) {
        self.reading = false;
    }

    /// The next request that waited, when none is reading.
    pub fn next_waiting(&mut self) -> Option<T> {
        if self.reading {
            None
        } else {
            self.waiting.pop_front()
        }
    }
}

/// A request whose files were read: how long reading them took (ms), and what was read from
/// the exports as they arrived, with the time spent on it (ms), unless a file could not be read.
pub struct FilesRead(EngineRequest, HandlerId, f64, Option<(Ingested, f64)>);

/// How long the worker's warm-up keeps its thread at a time (ms): a request that comes
/// meanwhile waits at most about this long (and one round) to be started.
const WARM_UP_SLICE_MS: f64 = 20.0;

/// Read the exports as the browser hands them over ([`io::read_files`](super::io::read_files),
/// in the order of their names): each is parsed at once, while the browser reads the next, and
/// its bytes let go. A file that could not be read stops the reading (the answer says why).
struct Streaming {
    ingester: Option<ingest::Ingester>,
    clock: Option<fn() -> f64>,
    ms: f64,
}

impl Streaming {
    fn take(&mut self, f: GivenFile) -> GivenFile {
        match f.content {
            Content::Bytes(bytes) if !is_json_name(&f.name) => {
                let Some(ingester) = self.ingester.as_mut() else {
                    return GivenFile {
                        name: f.name,
                        content: Content::Bytes(bytes),
                    };
                };
                let start = now(self.clock);
                let file = InputFile {
                    name: f.name,
                    bytes,
                };
                ingester.add(&file);
                self.ms += now(self.clock) - start;
                // Read already: the answer takes what was read, not the bytes.
                GivenFile {
                    name: file.name,
                    content: Content::Bytes(Vec::new()),
                }
            }
            Content::Unreadable(_) | Content::Handle(_) => {
                self.ingester = None;
                f
            }
            Content::Bytes(_) => f,
        }
    }

    fn finish(self) -> Option<(Ingested, f64)> {
        let start = now(self.clock);
        let ingested = self.ingester?.finish();
        let ms = self.ms + now(self.clock) - start;
        Some((ingested, ms))
    }
}

/// The next rounds of the warm-up, in a task of their own (after what the page sent meanwhile).
fn schedule_warm_up(scope: &WorkerScope<EngineWorker>) {
    scope.send_future(async {
        gloo::timers::future::TimeoutFuture::new(0).await;
        Message::WarmUp
    });
}

impl EngineWorker {
    /// Stop warming up (`how`: why, if it did not finish) and say the worker is ready.
    fn end_warm_up(&mut self, how: &str) {
        let Some((warm_up, start)) = self.warm_up.take() else {
            return;
        };
        // The warm-up's line, then "ready": `tests/e2e/bench.mjs` gives the files once the
        // worker is ready, as a user who picks files after the page is shown finds it.
        web_sys::console::debug_1(&JsValue::from_str(&format!(
            "syncplan worker: warm-up {} ms, {} round{}, {} users planned{how}",
            whole(js_sys::Date::now() - start),
            warm_up.rounds(),
            if warm_up.rounds() == 1 { "" } else { "s" },
            warm_up.users()
        )));
        web_sys::console::debug_1(&JsValue::from_str("syncplan worker: ready"));
    }

    /// Answer a request, or start reading its files first.
    fn start(&mut self, scope: &WorkerScope<Self>, mut request: EngineRequest, id: HandlerId) {
        match request.files.take() {
            Some(files) if super::io::any_unread(&files) => {
                self.inbox.reading();
                let start = js_sys::Date::now();
                let mut streaming = Streaming {
                    ingester: Some(ingest::Ingester::new(&IngestOptions::default())),
                    clock: self.cache.clock,
                    ms: 0.0,
                };
                scope.send_future(async move {
                    let files = super::io::read_files(files, |f| streaming.take(f)).await;
                    request.files = Some(files);
                    let ms = js_sys::Date::now() - start;
                    Message::FilesRead(Box::new(FilesRead(request, id, ms, streaming.finish())))
                });
            }
            files => {
                request.files = files;
                self.answer(scope, request, id, None, None);
            }
        }
    }

    fn answer(
        &mut self,
        scope: &WorkerScope<Self>,
        request: EngineRequest,
        id: HandlerId,
        files_ms: Option<f64>,
        read: Option<(Ingested, f64)>,
    ) {
        let cache = &mut self.cache;
        // How long encoding and posting each message took (the answer's, then the lookups').
        let mut posts = Vec::new();
        let clock = cache.clock;
        let mut send = |output: EngineOutput| {
            let start = now(clock);
            scope.respond(id, output);
            posts.push(now(clock) - start);
        };
        answer_in_steps_with(cache, request, read, &mut send);
        // Where the worker's time went, for `tests/e2e/bench.mjs` (and anyone with a console):
        // `files N ms, read N ms, plan N ms, post N ms, lookups N ms, post N ms, index N ms`
        // (`files`: reading the files the page handed over; `read`: parsing them; `index`: the
        // search's). Nothing for the table's rows and the other asks.
        if cache.phases.is_empty() {
            return;
        }
        let mut line = String::from("syncplan worker:");
        if let Some(ms) = files_ms {
            line.push_str(&format!(" files {} ms,", whole(ms)));
        }
        let mut posts = posts.into_iter();
        let mut answered = false;
        for (phase, ms) in &cache.phases {
            if !answered && !matches!(*phase, "read" | "plan") {
                // The answer was posted after planning.
                answered = true;
                if let Some(p) = posts.next() {
                    line.push_str(&format!(" post {} ms,", whole(p)));
                }
            }
            line.push_str(&format!(" {phase} {} ms,", whole(*ms)));
            if *phase == "lookups" {
                if let Some(p) = posts.next() {
                    line.push_str(&format!(" post {} ms,", whole(p)));
                }
            }
        }
        for p in posts {
            line.push_str(&format!(" post {} ms,", whole(p)));
        }
        web_sys::console::debug_1(&JsValue::from_str(line.trim_end_matches(',')));
    }
}

impl Worker for EngineWorker {
    type Message = Message;
    type Input = EngineRequest;
    type Output = EngineOutput;

    fn create(scope: &WorkerScope<Self>) -> Self {
        schedule_warm_up(scope);
        EngineWorker {
            cache: Cache {
                clock: Some(js_sys::Date::now),
                ..Cache::default()
            },
            inbox: Inbox::default(),
            warm_up: Some((WarmUp::default(), js_sys::Date::now())),
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, message: Message) {
        match message {
            Message::FilesRead(read) => {
                let FilesRead(request, id, ms, read) = *read;
                self.inbox.read();
                self.answer(scope, request, id, Some(ms), read);
                while let Some((request, id)) = self.inbox.next_waiting() {
                    self.start(scope, request, id);
                }
            }
            Message::WarmUp => {
                let Some((warm_up, _)) = self.warm_up.as_mut() else {
                    return;
                };
                let start = js_sys::Date::now();
                while warm_up.rounds() < WARM_UP_ROUNDS
                    && js_sys::Date::now() - start < WARM_UP_SLICE_MS
                {
                    warm_up.round();
                }
                if warm_up.rounds() < WARM_UP_ROUNDS {
                    schedule_warm_up(scope);
                } else {
                    self.end_warm_up("");
                }
            }
        }
    }

    fn received(&mut self, scope: &WorkerScope<Self>, request: EngineRequest, id: HandlerId) {
        // The page's first request: what it asks comes before the warm-up.
        self.end_warm_up(", cut short by a request");
        if let Some((request, id)) = self.inbox.receive((request, id)) {
            self.start(scope, request, id);
        }
    }
}

/// How many times the worker's [`WarmUp`] plans the demo org when it starts.
pub const WARM_UP_ROUNDS: u64 = 40;

/// The worker's warm-up: it reads and plans the built-in demo org, round after round, each
/// time as new files, in a cache of its own (the worker's is untouched), while the user picks
/// their files. The page's first request stops it.
///
/// Why: the browser runs a WebAssembly function on quickly compiled baseline code until it has
/// run enough to be worth optimizing, and a call already running keeps the code it started on.
/// Without a warm-up, the first org a worker reads is read and planned on baseline code for
/// its first files: a 100k-user org took some 15–20% longer than the same files planned a
/// second time in the same worker (`tests/e2e/twice.mjs`).
#[derive(Default)]
pub struct WarmUp {
    cache: Cache,
    rounds: u64,
    users: usize,
}

impl WarmUp {
    /// Read and plan the demo org once more.
    pub fn round(&mut self) {
        self.rounds += 1;
        let request = EngineRequest {
            generation: self.rounds,
            files_version: self.rounds,
            files: Some(
                super::demo::files()
                    .into_iter()
                    .map(|f| Rc::new(f.into()))
                    .collect(),
            ),
            scenario: None,
            ask: Ask::Plan,
            view: View::default(),
        };
        answer_in_steps(&mut self.cache, request, &mut |_| {});
        self.users += self.cache.decisions.iter().map(Vec::len).sum::<usize>();
    }

    /// How many rounds were done.
    pub fn rounds(&self) -> u64 {
        self.rounds
    }

    /// How many users were planned in all.
    pub fn users(&self) -> usize {
        self.users
    }
}

/// What the worker sends the page: the answer to a request, then (when the files were new)
/// what the set-up screen can assign, in a message of its own so that the report is shown
/// without waiting for the lookups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EngineOutput {
    Answer(Box<EngineResponse>),
    Lookups {
        files_version: u64,
        /// (A 100k-user org has over 100k candidates.)
        lookup: Vec<Candidate>,
    },
    /// Rows of the user table ([`Ask::Rows`]), for the plan of their `generation`.
    Rows(RowsPage),
    /// One decision, whole, of the plan of `generation` ([`Ask::Explain`]): `None` when that
    /// plan is gone or has no such user.
    Explained {
        generation: u64,
        selection: Selection,
        decision: Found,
    },
    /// The first users of a finding ([`Ask::Who`]), in the order asked: `None` for a user with
    /// no row (or when the plan of `generation` is gone).
    Who {
        generation: u64,
        finding: usize,
        users: Vec<Option<WhoUser>>,
    },
    /// A download's file, made from the plan of `generation` ([`Ask::Export`]), or why not.
    Exported {
        generation: u64,
        kind: ExportKind,
        /// (An audit pack of a 100k-user org is some 10 MB.)
        file: Result<Vec<u8>, String>,
    },
    /// Every decision of the plan of `generation`, as rows and details (`None` when that plan
    /// is gone).
    AllTraces {
        generation: u64,
        /// (A 100k-user plan's details are some 40 MB as JSON.)
        all: Option<(Vec<Vec<Row>>, Traces)>,
    },
}

fn is_json(f: &InputFile) -> bool {
    is_json_name(&f.name)
}

fn is_json_name(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".json")
}

/// The worker's work, separate from the messaging so that it is tested natively: the answer
/// with its lookups in one response, and the report whole (its traces put back).
pub fn answer(cache: &mut Cache, request: EngineRequest) -> EngineResponse {
    let mut answer = None;
    let mut lookup = None;
    answer_in_steps(cache, request, &mut |o| match o {
        EngineOutput::Answer(r) => answer = Some(*r),
        EngineOutput::Lookups { lookup: l, .. } => lookup = Some(l),
        EngineOutput::Rows(_)
        | EngineOutput::Exported { .. }
        | EngineOutput::Explained { .. }
        | EngineOutput::Who { .. }
        | EngineOutput::AllTraces { .. } => {}
    });
    if let Some(a) = answer.as_mut() {
        a.restore_report();
        if let Ok(report) = a.result.as_mut() {
            for (b, d) in report.plan.business_units.iter_mut().zip(&cache.decisions) {
                b.decisions.clone_from(d);
            }
        }
    }
    let mut r = answer.unwrap_or_else(|| EngineResponse::failed(0, 0, "no answer".into()));
    r.lookup = lookup;
    r
}

/// The worker's work as it sends it: the answer first, then the lookups when the files were
/// new ([`EngineOutput`]).
///
/// A `.json` file among the inputs is the scenario (`syncplan.json` first, as the command line
/// does for a folder) unless the page sends an edited one; every other file is an export.
/// The exports are read once per `files_version` (the page sends the files only when they
/// changed); a set-up edit plans again from what was read ([`engine::plan`] with the exports kept).
/// One membership resolver serves the plan, the reach of the scenario's assignments and the
/// lookups.
pub fn answer_in_steps(
    cache: &mut Cache,
    request: EngineRequest,
    send: &mut dyn FnMut(EngineOutput),
) {
    answer_in_steps_with(cache, request, None, send)
}

/// [`answer_in_steps`], with what was read from the request's exports already (`read`: the
/// worker parses them as the browser reads them, and the time it took, ms), in which case the
/// exports' bytes in the request are not read again.
pub fn answer_in_steps_with(
    cache: &mut Cache,
    request: EngineRequest,
    read: Option<(Ingested, f64)>,
    send: &mut dyn FnMut(EngineOutput),
) {
    cache.phases.clear();
    // What is asked of the last plan is answered from its decisions, when the page asks about
    // that plan (otherwise the page has a newer answer coming, or an older one it drops).
    // An answer about a plan that is gone says generation 0, which the page never asks about.
    let current = cache.decisions_generation == Some(request.generation);
    let decisions: &[Vec<Decision>] = if current { &cache.decisions } else { &[] };
    let generation = if current { request.generation } else { 0 };
    match request.ask {
        Ask::Plan => {}
        Ask::Rows(view) => {
            // (Kept only for the current plan: a stale request finds no rows.)
            let matching = match cache.matching.take() {
                Some((f, rows)) if current && f == view.filter => rows,
                kept => {
                    cache.matching = kept;
                    if current {
                        filter::rows_with(decisions, &view.filter, &mut cache.search)
                    } else {
                        Vec::new()
                    }
                }
            };
            send(EngineOutput::Rows(rows_page(
                decisions, &matching, &view, generation,
            )));
            if current {
                cache.matching = Some((view.filter, matching));
            }
            return;
        }
        Ask::Explain(selection) => {
            let (bu, key) = &selection;
            let decision = filter::find(decisions, *bu, key)
                .and_then(|at| Some(Box::new((at, filter::decision(decisions, at)?.clone()))));
            send(EngineOutput::Explained {
                generation,
                selection,
                decision,
            });
            return;
        }
        Ask::Who(finding, bu, users) => {
            send(EngineOutput::Who {
                generation,
                finding,
                users: who_of(decisions, bu, &users),
            });
            return;
        }
        Ask::Export(kind) => {
            let file = match cache.report.as_mut().filter(|_| current) {
                Some(report) => {
                    // The decisions go into the report for the export, and back (not copied).
                    for (b, d) in report
                        .plan
                        .business_units
                        .iter_mut()
                        .zip(&mut cache.decisions)
                    {
                        b.decisions = std::mem::take(d);
                    }
                    let file = kind.build(report);
                    for (b, d) in report
                        .plan
                        .business_units
                        .iter_mut()
                        .zip(&mut cache.decisions)
                    {
                        *d = std::mem::take(&mut b.decisions);
                    }
                    file
                }
                // No plan (or another one: the page drops the answer and says so).
                None => Err("there is no plan to make the file from".into()),
            };
            send(EngineOutput::Exported {
                generation,
                kind,
                file,
            });
            return;
        }
        Ask::AllTraces => {
            let all = current.then(|| {
                let mut rows = Vec::with_capacity(decisions.len());
                let mut traces = Vec::with_capacity(decisions.len());
                for bu in decisions {
                    let (r, t): (Vec<Row>, Vec<Details>) = bu
                        .iter()
                        .map(|d| (Row::of_ref(d), Details::of_ref(d)))
                        .unzip();
                    rows.push(r);
                    traces.push(t);
                }
                (rows, traces)
            });
            send(EngineOutput::AllTraces { generation, all });
            return;
        }
    }
    let opts = IngestOptions::default();
    let mut fresh = false;
    let start = cache.now();
    if let Some(files) = request.files {
        // The worker's copy of the files is the only one (decoded from the message): moved
        // out of its `Rc`, not copied.
        let mut unreadable = Vec::new();
        let files: Vec<InputFile> = files
            .into_iter()
            .filter_map(|f| {
                let f = Rc::try_unwrap(f).unwrap_or_else(|f| (*f).clone());
                match f.content {
                    Content::Bytes(bytes) => Some(InputFile {
                        name: f.name,
                        bytes,
                    }),
                    Content::Unreadable(why) => {
                        unreadable.push(format!("could not read `{}`: {why}", f.name));
                        None
                    }
                    Content::Handle(_) => {
                        unreadable.push(format!(
                            "could not read `{}`: it never reached the engine",
                            f.name
                        ));
                        None
                    }
                }
            })
            .collect();
        if !unreadable.is_empty() {
            // Nothing is kept from these files: the user gives them again (a new version).
            *cache = Cache {
                clock: cache.clock,
                ..Cache::default()
            };
            unreadable.push("give the file again".into());
            send(EngineOutput::Answer(Box::new(EngineResponse::failed(
                request.generation,
                request.files_version,
                unreadable.join("; "),
            ))));
            return;
        }
        let (scenarios, exports): (Vec<InputFile>, Vec<InputFile>) =
            files.into_iter().partition(is_json);
        let ms = match read {
            Some((ingested, ms)) => {
                cache.ingested = ingested;
                ms
            }
            None => {
                cache.ingested = ingest::ingest(&exports, &opts);
                cache.now() - start
            }
        };
        cache.scenarios = scenarios;
        cache.files_version = Some(request.files_version);
        fresh = true;
        cache.phases.push(("read", ms));
    }
    let start = cache.now();
    let parsed = match &request.scenario {
        Some(s) => Ok(Some(Setup::given(s.clone()))),
        None => {
            let file = cache
                .scenarios
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case("syncplan.json"))
                .or_else(|| cache.scenarios.first());
            file.map(|f| Setup::parse(&f.name, &String::from_utf8_lossy(&f.bytes)))
                .transpose()
        }
    };
    let org = &cache.ingested.org;
    let mut resolver = Resolver::for_ingested(&cache.ingested);
    let mut result = parsed
        .and_then(|setup| {
            let opts = PlanOptions {
                resolver: Some(&mut resolver),
                ..Default::default()
            };
            engine::plan(Exports::Kept(&cache.ingested), setup, opts).map(|p| p.report)
        })
        .map_err(|e| e.to_string());
    // The decisions stay here (moved out, not copied); the page asks for what it shows.
    cache.decisions = result
        .as_mut()
        .map(|r| {
            r.plan
                .business_units
                .iter_mut()
                .map(|b| std::mem::take(&mut b.decisions))
                .collect()
        })
        .unwrap_or_default();
    cache.decisions_generation = Some(request.generation);
    cache.search = None;
    let (findings, diagnostics) = result
        .as_mut()
        .map(|r| {
            (
                Rc::new(std::mem::take(&mut r.plan.findings)),
                Rc::new(std::mem::take(&mut r.plan.diagnostics)),
            )
        })
        .unwrap_or_default();
    // The report's other parts are small: copied, to make downloads from later.
    cache.report = result.as_ref().ok().cloned();
    let used: Option<Scenario> = match (&result, &request.scenario) {
        (Ok(r), _) => Some(r.scenario.clone()),
        (Err(_), Some(s)) => Some(s.clone()),
        (Err(_), None) => None,
    };
    let reach = used
        .filter(|s| s.mode == scenario::Mode::Latest)
        .map(|s| lookup::scenario_reach_with(&mut resolver, &s))
        .unwrap_or_default();
    let matching = filter::rows(&cache.decisions, &request.view.filter);
    let table = rows_page(
        &cache.decisions,
        &matching,
        &request.view,
        request.generation,
    );
    cache.matching = Some((request.view.filter.clone(), matching));
    let options = filter::options(&cache.decisions, &findings);
    let count = cache.decisions.iter().map(Vec::len).sum();
    let planned = cache.now();
    cache.phases.push(("plan", planned - start));
    send(EngineOutput::Answer(Box::new(EngineResponse {
        generation: request.generation,
        files_version: request.files_version,
        files: cache.ingested.files.clone(),
        lookup: None,
        reach,
        result,
        table,
        options,
        decisions: count,
        findings: findings.clone(),
        diagnostics: diagnostics.clone(),
    })));
    // The answer is sent: the findings and diagnostics are the worker's alone again.
    if let Some(report) = cache.report.as_mut() {
        report.plan.findings = unshare(findings);
        report.plan.diagnostics = unshare(diagnostics);
    }
    if fresh {
        let start = cache.now();
        let lookup = lookup::candidates_with(org, &mut resolver);
        let done = cache.now();
        cache.phases.push(("lookups", done - start));
        send(EngineOutput::Lookups {
            files_version: request.files_version,
            lookup,
        });
    }
    // The search's index, while the user reads the report (a search would build it anyway).
    if cache.search.is_none() && !cache.decisions.is_empty() {
        let start = cache.now();
        cache.search = Some(filter::SearchIndex::new(&cache.decisions));
        let done = cache.now();
        cache.phases.push(("index", done - start));
    }
}

/// Put every decision (as [`Ask::AllTraces`] brings them) back into a report that came
/// without them.
pub fn with_all(report: &mut Report, (rows, traces): &(Vec<Vec<Row>>, Traces)) {
    for ((b, br), bt) in report.plan.business_units.iter_mut().zip(rows).zip(traces) {
        b.decisions = br
            .iter()
            .zip(bt)
            .map(|(r, t)| {
                let mut d = r.clone().into_decision();
                t.put(&mut d);
                d
            })
            .collect();
    }
}

thread_local! {
    /// The parts of the message being encoded, after its body: they travel beside it (see
    /// [`Postcard`]), never inside it.
    static OUT: std::cell::RefCell<Vec<Part>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The parts of the message being decoded, after its body: bytes, or a file held unread
    /// (its handle), or why a file is not there.
    static SIDE: std::cell::RefCell<Vec<Content>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A part of a message: its body (bytes), or a file after it, shared with the page's state
/// until it is copied into the message (once) or handed over as the browser's `File`.
#[derive(Debug)]
pub enum Part {
    File(Rc<GivenFile>),
    Bytes(Vec<u8>),
}

impl Part {
    /// The part's bytes (none for a file held as a handle, see [`Part::handle`]).
    pub fn bytes(&self) -> &[u8] {
        match self {
            Part::File(f) => match &f.content {
                Content::Bytes(b) => b,
                Content::Handle(_) | Content::Unreadable(_) => &[],
            },
            Part::Bytes(b) => b,
        }
    }

    /// The handle of a file the page did not read ([`Content::Handle`]).
    pub fn handle(&self) -> Option<u32> {
        match self {
            Part::File(f) => match f.content {
                Content::Handle(h) => Some(h),
                _ => None,
            },
            Part::Bytes(_) => None,
        }
    }

    /// Add a part to the message being encoded; its index among the parts after the body.
    fn push(self) -> usize {
        OUT.with_borrow_mut(|out| {
            out.push(self);
            out.len() - 1
        })
    }

    /// Take a part of the message being decoded.
    fn take(i: usize) -> Option<Content> {
        SIDE.with_borrow_mut(|side| {
            side.get_mut(i)
                .map(|p| std::mem::replace(p, Content::Bytes(Vec::new())))
        })
    }
}

/// Files as `(name, index)` pairs in the body; the file is part `index + 1` of the message.
mod wire_files {
    use std::rc::Rc;

    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{GivenFile, Part};

    pub fn serialize<S: Serializer>(
        files: &Option<Vec<Rc<GivenFile>>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        files
            .as_ref()
            .map(|fs| {
                fs.iter()
                    .map(|f| (f.name.as_str(), Part::File(Rc::clone(f)).push()))
                    .collect::<Vec<_>>()
            })
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<Rc<GivenFile>>>, D::Error> {
        let pairs: Option<Vec<(String, usize)>> = Deserialize::deserialize(d)?;
        pairs
            .map(|fs| {
                fs.into_iter()
                    .map(|(name, i)| {
                        Part::take(i)
                            .map(|content| Rc::new(GivenFile { name, content }))
                            .ok_or_else(|| D::Error::custom(format!("no part {i}")))
                    })
                    .collect()
            })
            .transpose()
    }
}

/// A message as parts: its body in postcard (every field kept, see [`crate::engine::omit`]),
/// then each file it carries.
pub fn to_parts<I: Serialize>(input: &I) -> Result<Vec<Part>, String> {
    OUT.with_borrow_mut(Vec::clear);
    let body =
        omit::keeping_every_field(|| postcard::to_allocvec(input)).map_err(|e| e.to_string());
    let rest = OUT.with_borrow_mut(std::mem::take);
    let mut parts = vec![Part::Bytes(body?)];
    parts.extend(rest);
    Ok(parts)
}

/// The message back from its parts.
pub fn from_parts<O: for<'de> Deserialize<'de>>(parts: Vec<Vec<u8>>) -> Result<O, String> {
    from_read_parts(parts.into_iter().map(Content::Bytes).collect())
}

/// The message back from its parts as received: a file may be held unread (in the worker) or
/// missing. A message whose body is empty is one that could not be encoded: its second part
/// says why (no message encodes to nothing: each is an enum or has fields).
pub fn from_read_parts<O: for<'de> Deserialize<'de>>(mut parts: Vec<Content>) -> Result<O, String> {
    if parts.is_empty() {
        return Err("an empty message".into());
    }
    let Content::Bytes(body) = parts.remove(0) else {
        return Err("a message without its body".into());
    };
    if body.is_empty() {
        return Err(match parts.first() {
            Some(Content::Bytes(why)) => {
                format!(
                    "the message could not be encoded: {}",
                    String::from_utf8_lossy(why)
                )
            }
            _ => "an empty message".into(),
        });
    }
    SIDE.with_borrow_mut(|side| *side = parts);
    let out = postcard::from_bytes(&body).map_err(|e| e.to_string());
    SIDE.with_borrow_mut(Vec::clear);
    out
}

/// The wire between the page and the worker: an array of `Uint8Array`s, the message in
/// postcard, then each file it carries (a request: the browser's `File` for a file the page
/// holds as a handle, which the worker reads, else its bytes). Bytes, not JS strings: a
/// 100k-user answer is tens of MB, and a string would be converted to UTF-16 and back on each
/// side; files beside the message, not copied into it.
#[derive(Debug)]
pub struct Postcard;

impl Codec for Postcard {
    fn encode<I: Serialize>(input: I) -> JsValue {
        let parts = to_parts(&input)
            .unwrap_or_else(|e| vec![Part::Bytes(Vec::new()), Part::Bytes(e.into_bytes())]);
        let array = js_sys::Array::new();
        for p in &parts {
            match p.handle() {
                Some(h) => array.push(&super::io::given_file(h)),
                None => array.push(&js_sys::Uint8Array::from(p.bytes())),
            };
        }
        array.into()
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        let parts: Vec<Content> = js_sys::Array::from(&input)
            .iter()
            .map(|p| super::io::receive_part(&p))
            .collect();
        match from_read_parts(parts) {
            Ok(v) => v,
            // A message we sent ourselves always decodes; anything else is a programming error.
            Err(e) => panic!("worker message does not decode: {e}"),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::app::demo;

    /// The parts as the other side receives them.
    fn bytes(parts: Vec<Part>) -> Vec<Vec<u8>> {
        parts.iter().map(|p| p.bytes().to_vec()).collect()
    }

    fn req(generation: u64, files: Option<Vec<InputFile>>, s: Option<Scenario>) -> EngineRequest {
        EngineRequest {
            generation,
            files_version: 1,
            files: files.map(|fs| fs.into_iter().map(|f| Rc::new(f.into())).collect()),
            scenario: s,
            ask: Ask::Plan,
            view: View {
                end: 5,
                ..View::default()
            },
        }
    }

    #[test]
    fn the_warm_up_plans_the_demo_every_round_and_leaves_the_next_answer_as_it_was() {
        let demo_users = answer(&mut Cache::default(), req(1, Some(demo::files()), None))
            .result
            .unwrap()
            .plan
            .business_units
            .iter()
            .map(|b| b.decisions.len())
            .sum::<usize>();
        assert!(demo_users > 10);
        let mut w = WarmUp::default();
        assert_eq!((w.rounds(), w.users()), (0, 0));
        for _ in 0..3 {
            w.round();
        }
        assert_eq!((w.rounds(), w.users()), (3, 3 * demo_users));
        // Nothing is shared with another cache.
        let before = answer(&mut Cache::default(), req(1, Some(demo::files()), None));
        WarmUp::default().round();
        let after = answer(&mut Cache::default(), req(1, Some(demo::files()), None));
        assert_eq!(before, after);
    }

    #[test]
    fn the_demo_plans_with_its_scenario_and_lookups() {
        let mut cache = Cache::default();
        let r = answer(&mut cache, req(1, Some(demo::files()), None));
        let report = r.result.unwrap();
        assert!(!report.scenario_defaulted);
        assert!(report.plan.summary.create > 0);
        assert!(r.lookup.unwrap().iter().any(|c| c.kind == "public_group"));
        assert_eq!(r.reach.len(), 1);
        assert!(r.reach[0].marketing.iter().all(|x| x.is_ok()));
        assert!(!r.files.is_empty());
    }

    #[test]
    fn an_edited_scenario_replans_without_the_files_again() {
        let mut cache = Cache::default();
        let first = answer(&mut cache, req(1, Some(demo::files()), None));
        let mut s = first.result.unwrap().scenario;
        s.business_units[0].marketing_users.clear();
        let second = answer(&mut cache, req(2, None, Some(s)));
        assert_eq!(second.generation, 2);
        assert!(second.lookup.is_none(), "lookups are not sent again");
        let report = second.result.unwrap();
        assert!(report.plan.summary.create < first_create());
    }

    fn first_create() -> usize {
        let mut cache = Cache::default();
        answer(&mut cache, req(1, Some(demo::files()), None))
            .result
            .unwrap()
            .plan
            .summary
            .create
    }

    #[test]
    fn files_cross_the_wire_as_bytes_beside_the_message_and_come_back_the_same() {
        let r = req(
            3,
            Some(vec![
                InputFile {
                    name: "u.csv".into(),
                    bytes: vec![0xff, 0xfe, b'I', 0, b'd', 0],
                },
                InputFile {
                    name: "g.csv".into(),
                    bytes: b"Id\n".to_vec(),
                },
            ]),
            None,
        );
        let parts = to_parts(&r).unwrap();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[1].bytes(), [0xff, 0xfe, b'I', 0, b'd', 0]);
        assert_eq!(parts[2].bytes(), b"Id\n");
        // The body names the files and their parts, but does not hold their bytes.
        let body = parts[0].bytes().to_vec();
        assert!(body.windows(5).any(|w| w == b"u.csv"));
        assert!(!body.windows(3).any(|w| w == b"Id\n"));
        let back: EngineRequest = from_parts(bytes(parts)).unwrap();
        assert_eq!(back, r);
        let none: EngineRequest =
            from_parts(bytes(to_parts(&req(4, None, None)).unwrap())).unwrap();
        assert_eq!(none.files, None);
        // A body whose files' parts are missing is an error, not a panic.
        assert!(from_parts::<EngineRequest>(vec![body]).is_err());
        // So is a message that could not be encoded: it says why.
        assert_eq!(
            from_parts::<EngineRequest>(vec![Vec::new(), b"too deep".to_vec()]).unwrap_err(),
            "the message could not be encoded: too deep"
        );
        assert!(from_parts::<EngineRequest>(vec![vec![0xff; 3]]).is_err());
    }

    #[test]
    fn a_file_held_as_a_handle_crosses_as_a_part_of_its_own_and_one_the_worker_could_not_read_says_why(
    ) {
        let r = EngineRequest {
            files: Some(vec![
                Rc::new(GivenFile {
                    name: "users.csv".into(),
                    content: Content::Handle(7),
                }),
                Rc::new(GivenFile::from(InputFile {
                    name: "roles.csv".into(),
                    bytes: b"Id\n".to_vec(),
                })),
            ]),
            ..req(1, None, None)
        };
        let parts = to_parts(&r).unwrap();
        assert_eq!(parts.len(), 3);
        // The page puts the `File` of handle 7 in the message in place of bytes.
        assert_eq!(parts[1].handle(), Some(7));
        assert_eq!(parts[2].handle(), None);
        let mut read: Vec<Content> = parts
            .iter()
            .map(|p| Content::Bytes(p.bytes().to_vec()))
            .collect();
        read[1] = Content::Unreadable("NotReadableError: the file changed".into());
        let back: EngineRequest = from_read_parts(read).unwrap();
        let files = back.files.clone().unwrap();
        assert_eq!(
            files[0].content,
            Content::Unreadable("NotReadableError: the file changed".into())
        );
        assert_eq!(files[1].content, Content::Bytes(b"Id\n".to_vec()));

        // The answer says which file and why, and the worker keeps nothing of these files.
        let mut cache = Cache::default();
        answer(&mut cache, req(1, Some(demo::files()), None));
        let r = answer(
            &mut cache,
            EngineRequest {
                generation: 2,
                ..back
            },
        );
        let message = r.result.unwrap_err();
        assert_eq!(
            message,
            "could not read `users.csv`: NotReadableError: the file changed; give the file again"
        );
        assert!(cache.files_version.is_none() && cache.ingested.files.is_empty());
        // A message whose body is not bytes is an error, not a panic.
        assert!(from_read_parts::<EngineRequest>(vec![Content::Handle(0)]).is_err());
    }

    #[test]
    fn the_answer_crosses_in_one_part_with_its_empty_fields_and_an_export_gets_every_decision() {
        let whole = answer(&mut Cache::default(), req(1, Some(demo::files()), None));
        let mut cache = Cache::default();
        let mut sent = Vec::new();
        answer_in_steps(&mut cache, req(1, Some(demo::files()), None), &mut |o| {
            sent.push(o)
        });
        let parts = to_parts(&sent[0]).unwrap();
        assert_eq!(parts.len(), 1);
        // Every field crosses, those JSON leaves out when empty too (postcard cannot tell a
        // missing one): a diagnostic without a position comes back as it was.
        let EngineOutput::Answer(first) = &sent[0] else {
            panic!("an answer")
        };
        assert!(first.diagnostics.iter().any(|d| d.column.is_none()));
        assert!(first.findings.iter().any(|f| f.business_unit.is_none()));
        assert_eq!(
            from_parts::<EngineOutput>(bytes(to_parts(&sent[0]).unwrap())).unwrap(),
            sent[0]
        );
        let plan = &whole.result.as_ref().unwrap().plan;
        let EngineOutput::Answer(first) = &sent[0] else {
            panic!("an answer")
        };
        let count: usize = plan.business_units.iter().map(|b| b.decisions.len()).sum();
        assert!(count > 5);
        assert_eq!((first.table.total, first.table.rows.len()), (count, 5));
        assert_eq!(
            first.table.rows[4],
            ((0, 4), Row::of_ref(&plan.business_units[0].decisions[4]))
        );
        assert!(!plan.findings.is_empty() && !plan.diagnostics.is_empty());
        // Every decision's details, as printing the whole report asks for them.
        let mut all = Vec::new();
        let ask = EngineRequest {
            ask: Ask::AllTraces,
            ..req(1, None, None)
        };
        answer_in_steps(&mut cache, ask, &mut |o| all.push(o));
        let EngineOutput::AllTraces {
            all: Some(everything),
            ..
        } = &all[0]
        else {
            panic!("every decision")
        };
        assert_eq!(
            everything.0[0].len(),
            plan.business_units[0].decisions.len()
        );
        let traces = bytes(to_parts(&all[0]).unwrap());
        assert_eq!(traces.len(), 1);
        // Equal as sent (a membership's depth, used only while deciding, does not cross).
        let back: EngineOutput = from_parts(traces.clone()).unwrap();
        assert_eq!(bytes(to_parts(&back).unwrap()), traces);
        // The lookups follow in a message of their own.
        let lookups = to_parts(&sent[1]).unwrap();
        assert_eq!(lookups.len(), 1);
        assert!(matches!(&sent[1], EngineOutput::Lookups { lookup, .. } if lookup.len() > 20));
        assert_eq!(from_parts::<EngineOutput>(bytes(lookups)).unwrap(), sent[1]);
        let EngineOutput::Answer(back) = from_parts::<EngineOutput>(bytes(parts)).unwrap() else {
            panic!("an answer")
        };
        let mut back = *back;
        back.restore_report();
        let mut report = back.result.unwrap();
        with_all(&mut report, everything);
        assert_eq!(report, whole.result.unwrap());
    }

    #[test]
    fn the_table_s_rows_come_page_by_page_for_the_current_plan_only() {
        let whole = answer(&mut Cache::default(), req(1, Some(demo::files()), None));
        let all: Vec<Decision> = whole.result.unwrap().plan.business_units[0]
            .decisions
            .clone();
        let mut cache = Cache::default();
        answer_in_steps(&mut cache, req(1, Some(demo::files()), None), &mut |_| {});
        let rows = |cache: &mut Cache, generation, view: View| {
            let mut out = Vec::new();
            let ask = EngineRequest {
                ask: Ask::Rows(view),
                ..req(generation, None, None)
            };
            answer_in_steps(cache, ask, &mut |o| out.push(o));
            match out.remove(0) {
                EngineOutput::Rows(page) => page,
                _ => panic!("rows"),
            }
        };
        let skips = Filter {
            action: Some(Action::Skip),
            ..Filter::default()
        };
        let n = all.iter().filter(|d| d.action == Action::Skip).count();
        assert!(n >= 2);
        // A stale request (another plan) gets no rows, and leaves nothing behind.
        let stale = rows(
            &mut cache,
            7,
            View {
                filter: skips.clone(),
                start: 0,
                end: 10,
            },
        );
        assert_eq!((stale.generation, stale.total, stale.rows.len()), (0, 0, 0));
        let first = rows(
            &mut cache,
            1,
            View {
                filter: skips.clone(),
                start: 0,
                end: 1,
            },
        );
        let second = rows(
            &mut cache,
            1,
            View {
                filter: skips.clone(),
                start: 1,
                end: 2,
            },
        );
        assert_eq!((first.generation, first.total, second.total), (1, n, n));
        assert_eq!((first.start, second.start), (0, 1));
        let skipped: Vec<Row> = all
            .iter()
            .filter(|d| d.action == Action::Skip)
            .map(Row::of_ref)
            .collect();
        assert_eq!(first.rows[0].1, skipped[0]);
        assert_eq!(second.rows[0].1, skipped[1]);
        // Past the end: none, and where it starts is clamped.
        let past = rows(
            &mut cache,
            1,
            View {
                filter: skips,
                start: n + 5,
                end: n + 9,
            },
        );
        assert_eq!((past.start, past.rows.len()), (n, 0));
        assert!(past.covers(n + 5, n + 9), "nothing more to ask for");
    }

    #[test]
    fn requests_that_come_in_while_files_are_read_wait_and_keep_their_order() {
        let mut inbox = Inbox::default();
        assert_eq!(inbox.receive(1), Some(1));
        inbox.reading();
        assert_eq!(inbox.receive(2), None);
        assert_eq!(inbox.receive(3), None);
        assert_eq!(inbox.next_waiting(), None, "nothing while reading");
        inbox.read();
        assert_eq!(inbox.next_waiting(), Some(2));
        // Request 2 reads files in its turn: 3 waits for it.
        inbox.reading();
        assert_eq!(inbox.next_waiting(), None);
        assert_eq!(inbox.receive(4), None);
        inbox.read();
        assert_eq!(
            (
                inbox.next_waiting(),
                inbox.next_waiting(),
                inbox.next_waiting()
            ),
            (Some(3), Some(4), None)
        );
        assert_eq!(inbox.receive(5), Some(5));
    }

    #[test]
    fn a_bad_scenario_is_a_message_and_the_files_are_still_described() {
        let mut cache = Cache::default();
        let mut files: Vec<InputFile> = demo::files()
            .into_iter()
            .filter(|f| f.name != "syncplan.json")
            .collect();
        files.push(InputFile {
            name: "syncplan.json".into(),
            bytes: b"{ \"mode\": ".to_vec(),
        });
        let r = answer(&mut cache, req(1, Some(files), None));
        assert!(r.result.unwrap_err().contains("syncplan.json"));
        assert!(r.files.iter().any(|f| f.file == "users.csv"));
    }
}
