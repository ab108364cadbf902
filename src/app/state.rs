//! The app's state machine. No `Html`, no web-sys: plain data and a pure `reduce`, so it is
//! tested natively (`cargo test`).

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::Reducible;

use crate::engine::decide::Decision;
use crate::engine::lookup::Candidate;
use crate::engine::plan::Summary;
use crate::engine::scenario::Scenario;
use crate::engine::{InputFile, Report};

use super::edit::{self, Edit};
use super::export_files::ExportKind;
use super::filter::{row_key, Filter, RowRef};
use super::worker::{
    with_all, Ask, Compared, EngineRequest, EngineResponse, Found, GivenFile, Proposed, Row,
    RowsPage, Traces, View, WhoUser,
};

/// The user table's rows shown at once (its viewport, 480 pixels of rows 40 high, and one
/// partly shown), and the rows rendered beyond them each side.
pub const VISIBLE_ROWS: usize = 13;
pub const OVERSCAN: usize = 8;
/// Rows asked of the worker beyond those rendered, each side, so that scrolling a little needs
/// no new request.
pub const FETCH_MARGIN: usize = 60;

/// The rows the user table renders with `first_row` at its top: `[start, end)` among the rows
/// matching the filter (the end may pass the last).
pub fn rendered_rows(first_row: usize) -> (usize, usize) {
    (
        first_row.saturating_sub(OVERSCAN),
        first_row + VISIBLE_ROWS + OVERSCAN,
    )
}

/// A request about the answer `response` (its plan and files, already with the worker).
fn asking(response: &EngineResponse, ask: Ask) -> EngineRequest {
    EngineRequest {
        generation: response.generation,
        files_version: response.files_version,
        files: None,
        scenario: None,
        ask,
        view: View::default(),
    }
}

/// Where the app stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Phase {
    /// Nothing loaded yet.
    #[default]
    Empty,
    /// The engine is working in the worker (reading the files when they are new; the last
    /// answer stays on screen meanwhile).
    Working,
    /// The engine answered (see [`State::response`]).
    Ready,
    /// Something went wrong: the message is shown instead of a blank page.
    Failed(String),
}

/// The screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Load,
    Setup,
    Report,
    Mapping,
    Integration,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Load,
        Tab::Setup,
        Tab::Report,
        Tab::Mapping,
        Tab::Integration,
    ];
    pub fn id(self) -> &'static str {
        match self {
            Tab::Load => "load",
            Tab::Setup => "setup",
            Tab::Report => "report",
            Tab::Mapping => "mapping",
            Tab::Integration => "integration",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Tab::Load => "1. Load exports",
            Tab::Setup => "2. Set up",
            Tab::Report => "3. Report",
            Tab::Mapping => "Mapping table",
            Tab::Integration => "Integration users",
        }
    }
    /// The tab `step` places away, wrapping (arrow keys in the tab bar).
    pub fn step(self, step: isize) -> Tab {
        let n = Tab::ALL.len() as isize;
        let i = Tab::ALL.iter().position(|t| *t == self).unwrap_or(0) as isize;
        let j = (i + step).rem_euclid(n) as usize;
        Tab::ALL.get(j).copied().unwrap_or_default()
    }
}

/// The selected user: business unit position and row key (see [`super::filter::row_key`]).
pub type Selection = (usize, String);

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct State {
    /// The files the user gave, in the order given, by name (a file given again replaces it).
    pub files: Vec<Rc<GivenFile>>,
    /// The scenario as edited on the set-up screen; `None`: a `.json` file given, else the
    /// defaults (the engine's answer carries the one used).
    pub scenario: Option<Rc<Scenario>>,
    pub phase: Phase,
    /// Incremented on every change of input; a worker answer for an older generation is stale.
    pub generation: u64,
    /// Incremented when the files change (the worker keeps what it read per version).
    pub files_version: u64,
    /// The last answer for the current files (kept on screen while the worker re-plans).
    pub response: Option<Rc<EngineResponse>>,
    /// What can be assigned, for the current files.
    pub lookup: Rc<Vec<Candidate>>,
    pub lookup_version: Option<u64>,
    pub tab: Tab,
    pub filter: Filter,
    pub selected: Option<Selection>,
    /// A message about the last user action (a save that failed, …).
    pub notice: Option<String>,
    /// The first row the user table shows (where it is scrolled to, in rows).
    pub first_row: usize,
    /// The user table's rows the page has, as the worker sent them for a [`View`] (the answer
    /// brings the first ones; the page never holds every decision of a large plan).
    pub table: Option<Rc<RowsPage>>,
    /// Decisions of the current answer, whole, as explanations opened them (`None`: the plan
    /// has no such user).
    pub explained: Rc<BTreeMap<Selection, Found>>,
    /// The first users of findings of the current answer, by finding position, as the
    /// findings list opened them.
    pub who: Rc<BTreeMap<usize, Vec<Option<WhoUser>>>>,
    /// Every decision of the current answer, once asked for (to print).
    pub all: Option<Rc<(Vec<Vec<Row>>, Traces)>>,
    /// The last requests for more of the current answer, numbered so that the page sends each
    /// one once (see [`State::asks_after`]).
    pub asks: Vec<(u64, Ask)>,
    /// How many requests were asked in all (the number of the last).
    pub asked: u64,
    /// The last download the worker made, until the page has offered it.
    pub exported: Option<Rc<Exported>>,
    /// The set-ups before each edit, the last one last (undo), and those undone (redo).
    pub undo: Rc<Vec<Rc<Scenario>>>,
    pub redo: Rc<Vec<Rc<Scenario>>>,
    /// The counts of the plan before the last edit, undo or redo: what the Set up screen
    /// compares the new plan with ("+3 create, −2 recycle since your last change").
    pub before_edit: Option<Summary>,
    /// The last proposal asked for (Set up: "Propose"), or why there is none.
    pub proposal: Option<Rc<Result<Box<Proposed>, String>>>,
    /// The last comparison asked for, or why there is none.
    pub comparison: Option<Rc<Result<Box<Compared>, String>>>,
    /// Why the current set-up could not be planned, with that set-up as far as it was read:
    /// the Set up screen shows it to be corrected, and the last plan made stays on screen.
    pub setup_error: Option<(String, Option<Rc<Scenario>>)>,
    /// Whether this browser keeps the files and the set-up (IndexedDB, opt-in: "Keep in this
    /// browser" on the Load exports screen), to come back to them.
    pub keep: bool,
    /// What was opened from what this browser kept (said above the tabs).
    pub restored: Option<String>,
}

/// How many set-ups undo remembers.
const UNDO_DEPTH: usize = 100;

/// A download's file as the worker made it ([`Ask::Export`]), numbered so that the page offers
/// each once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub n: u64,
    pub kind: ExportKind,
    pub file: Result<Vec<u8>, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The user dropped or picked files (a `.json` among them is the scenario and replaces the
    /// edited one); the worker reads them.
    AddFiles(Vec<GivenFile>),
    /// Open the built-in demo org (replaces everything) on the report.
    OpenDemo(Vec<InputFile>),
    /// The files and set-up this browser kept (see [`State::keep`]), given back when the page
    /// opens, with when they were kept (`2026-12-07 23:42 UTC`).
    Restored(Vec<GivenFile>, String),
    /// Keep the files and the set-up in this browser, or stop (and forget them).
    SetKeep(bool),
    /// The files given could not be taken (too large for a tab).
    ReadFailed(String),
    /// Remove one file by name.
    RemoveFile(String),
    /// Forget everything.
    Clear,
    /// The worker answered for the given generation.
    EngineDone(u64, Box<EngineResponse>),
    /// What the set-up screen can assign, for one version of the files (the worker sends
    /// them after the answer).
    Lookups(u64, Vec<Candidate>),
    /// The worker could not be reached or failed.
    EngineFailed(u64, String),
    /// The user table was scrolled: the first row it shows.
    Scroll(usize),
    /// Rows of the user table, for a view of the answer of their generation.
    RowsArrived(RowsPage),
    /// One decision, whole, for the answer of a generation (`None`: no such user).
    Explained(u64, Selection, Found),
    /// The first users of a finding (by position), for the answer of a generation.
    WhoArrived(u64, usize, Vec<Option<WhoUser>>),
    /// Change the scenario.
    Edit(Edit),
    SetTab(Tab),
    SetFilter(Filter),
    /// Open (or close, `None`) a user's explanation.
    Select(Option<Selection>),
    Notice(Option<String>),
    /// Go back to the set-up before the last edit, or forward again.
    Undo,
    Redo,
    /// A proposal arrived, for the answer of a generation.
    Proposed(u64, Result<Box<Proposed>, String>),
    /// A comparison arrived, for the answer of a generation.
    Compared(u64, Result<Box<Compared>, String>),
    /// Make the proposal the set-up: its new groups become files of their own
    /// (`proposed-groups.csv`, `proposed-group-members.csv`), so that the plan reads them.
    UseProposal,
    /// Ask the worker for more of the current answer ([`Ask::Explain`], [`Ask::Who`] or
    /// [`Ask::AllTraces`]; the table's rows are asked for by [`State::rows_request`]).
    Ask(Ask),
    /// Every decision, for the answer of a generation (`None`: the worker has a newer plan).
    AllTracesArrived(u64, Option<(Vec<Vec<Row>>, Traces)>),
    /// A download's file (or why not), for the answer of a generation.
    Exported(u64, ExportKind, Result<Vec<u8>, String>),
    /// The page offered the last download (`Some`: a message, it could not).
    Downloaded(Option<String>),
}

impl State {
    /// What the worker must be asked for this state, if anything. The files are sent only
    /// when the worker does not have this version yet (`worker_has`).
    pub fn request(&self, worker_has: Option<u64>) -> Option<EngineRequest> {
        if self.files.is_empty() || self.phase != Phase::Working {
            return None;
        }
        let send = worker_has != Some(self.files_version);
        Some(EngineRequest {
            generation: self.generation,
            files_version: self.files_version,
            files: send.then(|| self.files.clone()),
            scenario: self.scenario.as_deref().cloned(),
            ask: Ask::Plan,
            view: self.view(),
        })
    }

    /// The rows the user table renders: `[start, end)` among the rows matching the filter.
    pub fn wanted_rows(&self) -> (usize, usize) {
        rendered_rows(self.first_row)
    }

    /// The rows to ask the worker for: those rendered and a margin each side.
    fn view(&self) -> View {
        let (start, end) = self.wanted_rows();
        View {
            filter: self.filter.clone(),
            start: start.saturating_sub(FETCH_MARGIN),
            end: end + FETCH_MARGIN,
        }
    }

    /// A request for the user table's rows, when the page does not have those it renders (the
    /// filter changed, the table scrolled past them, a new answer came).
    pub fn rows_request(&self) -> Option<EngineRequest> {
        let response = self.response.as_ref()?;
        response.result.as_ref().ok()?;
        let (start, end) = self.wanted_rows();
        let have = self.table.as_ref().is_some_and(|t| {
            t.generation == response.generation && t.filter == self.filter && t.covers(start, end)
        });
        (!have).then(|| asking(response, Ask::Rows(self.view())))
    }

    /// The requests asked since the one numbered `sent` ([`Action::Ask`]).
    pub fn asks_after(&self, sent: u64) -> Vec<EngineRequest> {
        let Some(response) = self.response.as_ref() else {
            return Vec::new();
        };
        self.asks
            .iter()
            .filter(|(n, _)| *n > sent)
            .map(|(_, ask)| asking(response, ask.clone()))
            .collect()
    }

    /// The user table's row of a selection, if the page has it.
    fn table_row(&self, (bu, key): &Selection) -> Option<(RowRef, Decision)> {
        let t = self.table.as_ref()?;
        t.rows.iter().find_map(|(at, row)| {
            let d = row.clone().into_decision();
            (at.0 == *bu && row_key(&d) == *key).then_some((*at, d))
        })
    }

    /// A selected decision as its explanation shows it, and whether it is whole: the worker's
    /// answer ([`Ask::Explain`]) once here, else its row in the table meanwhile.
    pub fn explanation(&self, selection: &Selection) -> Option<(RowRef, Decision, bool)> {
        match self.explained.get(selection) {
            Some(Some(found)) => Some((found.0, found.1.clone(), true)),
            Some(None) => None,
            None => self.table_row(selection).map(|(at, d)| (at, d, false)),
        }
    }

    /// Whether the worker is making a download of this kind.
    pub fn exporting(&self, kind: ExportKind) -> bool {
        self.asks.iter().any(|(_, a)| *a == Ask::Export(kind))
    }

    /// Whether printing must first ask the worker for every decision.
    pub fn needs_all_traces(&self) -> bool {
        self.report().is_some() && self.all.is_none()
    }

    /// The whole report (what the print report is made from); `None` while its
    /// decisions are still with the worker.
    pub fn full_report(&self) -> Option<Report> {
        let mut report = self.report()?.clone();
        with_all(&mut report, self.all.as_deref()?);
        Some(report)
    }

    /// The report of the last answer, if the engine could plan.
    pub fn report(&self) -> Option<&Report> {
        self.response.as_ref().and_then(|r| r.result.as_ref().ok())
    }

    /// The scenario the set-up screen shows: the edited one, else the one the engine used.
    pub fn current_scenario(&self) -> Option<Scenario> {
        self.scenario
            .as_deref()
            .cloned()
            .or_else(|| {
                self.setup_error
                    .as_ref()
                    .and_then(|(_, s)| s.as_deref().cloned())
            })
            .or_else(|| self.report().map(|r| r.scenario.clone()))
    }

    /// Whether an answer of the worker belongs to the current answer's plan.
    fn is_current(&self, generation: u64) -> bool {
        self.response.as_ref().map(|r| r.generation) == Some(generation)
    }

    /// Whether the worker is busy.
    pub fn busy(&self) -> bool {
        self.phase == Phase::Working
    }

    fn changed(mut self) -> Self {
        self.generation += 1;
        self.phase = if self.files.is_empty() {
            Phase::Empty
        } else {
            Phase::Working
        };
        if self.files.is_empty() {
            self.response = None;
            self.selected = None;
            self.scenario = None;
        }
        self
    }

    fn files_changed(mut self) -> Self {
        self.files_version += 1;
        // Set-ups of other files are not worth going back to.
        self.undo = Rc::default();
        self.redo = Rc::default();
        self.before_edit = None;
        self.comparison = None;
        self.proposal = None;
        self.changed()
    }

    fn add(&mut self, files: Vec<GivenFile>) {
        for f in files {
            if f.name.to_ascii_lowercase().ends_with(".json") {
                // A scenario given replaces the edited one (and any other scenario file).
                self.scenario = None;
                self.files
                    .retain(|old| !old.name.to_ascii_lowercase().ends_with(".json"));
            }
            self.files.retain(|old| old.name != f.name);
            self.files.push(Rc::new(f));
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let undoing = matches!(action, Action::Undo);
        let next = match action {
            Action::AddFiles(files) => {
                next.add(files);
                next.notice = None;
                next.files_changed()
            }
            Action::Restored(files, saved) => {
                let n = files.len();
                next.add(files);
                next.keep = true;
                next.restored = Some(format!(
                    "Opened the {n} file{} and the set-up this browser kept on {saved}.",
                    if n == 1 { "" } else { "s" }
                ));
                next.files_changed()
            }
            Action::SetKeep(on) => {
                next.keep = on;
                next.restored = None;
                next
            }
            Action::OpenDemo(files) => {
                next.files.clear();
                next.scenario = None;
                next.selected = None;
                next.filter = Filter::default();
                next.first_row = 0;
                next.add(files.into_iter().map(GivenFile::from).collect());
                next.tab = Tab::Report;
                next.files_changed()
            }
            Action::ReadFailed(message) => {
                next.phase = Phase::Failed(message);
                next
            }
            Action::RemoveFile(name) => {
                if name.to_ascii_lowercase().ends_with(".json") {
                    next.scenario = None;
                }
                next.files.retain(|f| f.name != name);
                next.files_changed()
            }
            Action::Clear => {
                next.files.clear();
                next.files_changed()
            }
            Action::Lookups(files_version, lookup) => {
                if files_version != next.files_version {
                    return self;
                }
                next.lookup = Rc::new(lookup);
                next.lookup_version = Some(files_version);
                next
            }
            Action::EngineDone(generation, response) => {
                // Lookups belong to the files, not to one request: keep them even from a
                // stale answer, as long as the files are the same.
                if response.files_version == next.files_version {
                    if let Some(lookup) = &response.lookup {
                        next.lookup = Rc::new(lookup.clone());
                        next.lookup_version = Some(response.files_version);
                    }
                }
                if generation != next.generation {
                    return if next.lookup_version != self.lookup_version {
                        Rc::new(next)
                    } else {
                        self
                    };
                }
                next.phase = Phase::Ready;
                next.setup_error = match (&response.setup_failed, &response.result) {
                    (Some(s), Err(message)) => Some((message.clone(), s.clone().map(Rc::new))),
                    _ => None,
                };
                // A set-up that cannot be planned keeps the last plan of these files on screen
                // (the worker keeps it too, and answers about it).
                let keeps_plan = next.setup_error.is_some()
                    && next.response.as_ref().is_some_and(|r| {
                        r.result.is_ok() && r.files_version == response.files_version
                    });
                if keeps_plan {
                    return Rc::new(next);
                }
                let mut response = *response;
                response.restore_report();
                next.table = Some(Rc::new(std::mem::take(&mut response.table)));
                next.response = Some(Rc::new(response));
                next.explained = Rc::default();
                next.who = Rc::default();
                next.all = None;
                next.asks.clear();
                // An open explanation stays open: it is asked of the new plan, and closes if
                // the user is no longer in it (see [`Action::Explained`]).
                next
            }
            Action::Scroll(first_row) => {
                if first_row == next.first_row {
                    return self;
                }
                next.first_row = first_row;
                next
            }
            Action::RowsArrived(page) => {
                if !next.is_current(page.generation) {
                    return self;
                }
                next.table = Some(Rc::new(page));
                next
            }
            Action::Explained(generation, selection, decision) => {
                if !next.is_current(generation) {
                    return self;
                }
                if decision.is_none() && next.selected.as_ref() == Some(&selection) {
                    next.selected = None;
                }
                Rc::make_mut(&mut next.explained).insert(selection, decision);
                next
            }
            Action::WhoArrived(generation, finding, users) => {
                if !next.is_current(generation) {
                    return self;
                }
                Rc::make_mut(&mut next.who).insert(finding, users);
                next
            }
            Action::Ask(ask) => {
                if next.response.is_none() {
                    return self;
                }
                let have = match &ask {
                    Ask::Plan | Ask::Rows(_) => true,
                    Ask::Explain(selection) => next.explained.contains_key(selection),
                    Ask::Who(finding, ..) => next.who.contains_key(finding),
                    Ask::AllTraces => !next.needs_all_traces(),
                    Ask::Export(_) | Ask::Propose | Ask::Compare(_) => false,
                };
                if have || next.asks.iter().any(|(_, a)| *a == ask) {
                    return self;
                }
                next.asked += 1;
                next.asks.push((next.asked, ask));
                // The page sends each ask as soon as it is made: the last few are enough.
                if next.asks.len() > 16 {
                    next.asks.remove(0);
                }
                next
            }
            Action::Exported(generation, kind, file) => {
                // Asked again, it is made again.
                next.asks.retain(|(_, a)| *a != Ask::Export(kind));
                if next.is_current(generation) {
                    let n = next.exported.as_ref().map(|e| e.n + 1).unwrap_or(1);
                    next.exported = Some(Rc::new(Exported { n, kind, file }));
                } else {
                    next.notice = Some(format!(
                        "the plan changed while `{}` was being made: download it again",
                        kind.file_name()
                    ));
                }
                next
            }
            Action::Downloaded(notice) => {
                next.exported = None;
                next.notice = notice;
                next
            }
            Action::AllTracesArrived(generation, all) => match all {
                Some(all) if next.is_current(generation) => {
                    next.all = Some(Rc::new(all));
                    next
                }
                _ => return self,
            },
            Action::EngineFailed(generation, message) => {
                if generation != next.generation {
                    return self;
                }
                next.phase = Phase::Failed(message);
                next
            }
            Action::Edit(e) => {
                let Some(base) = next.current_scenario() else {
                    return self;
                };
                let edited = edit::apply(base.clone(), e);
                if edited == base {
                    return self;
                }
                let undo = Rc::make_mut(&mut next.undo);
                undo.push(Rc::new(base));
                if undo.len() > UNDO_DEPTH {
                    undo.remove(0);
                }
                next.redo = Rc::default();
                next.before_edit = next.report().map(|r| r.plan.summary);
                next.scenario = Some(Rc::new(edited));
                next.comparison = None;
                next.changed()
            }
            Action::Proposed(generation, p) => {
                if !next.is_current(generation) {
                    return self;
                }
                next.proposal = Some(Rc::new(p));
                next
            }
            Action::Compared(generation, c) => {
                if !next.is_current(generation) {
                    return self;
                }
                next.comparison = Some(Rc::new(c));
                next
            }
            Action::UseProposal => {
                let (Some(Ok(p)), Some(base)) = (
                    next.proposal.as_deref().map(Result::as_ref),
                    next.current_scenario(),
                ) else {
                    return self;
                };
                let scenario = p.scenario.clone();
                let files: Vec<GivenFile> = [
                    ("proposed-groups.csv", &p.groups_csv),
                    ("proposed-group-members.csv", &p.members_csv),
                ]
                .into_iter()
                .filter_map(|(name, text)| {
                    text.as_ref().map(|t| {
                        GivenFile::from(InputFile {
                            name: name.to_string(),
                            bytes: t.as_bytes().to_vec(),
                        })
                    })
                })
                .collect();
                let mut undo = (*next.undo).clone();
                undo.push(Rc::new(base));
                let before = next.report().map(|r| r.plan.summary);
                let proposal = next.proposal.clone();
                let mut next = if files.is_empty() {
                    next
                } else {
                    next.add(files);
                    next.files_changed()
                };
                next.proposal = proposal;
                next.undo = Rc::new(undo);
                next.redo = Rc::default();
                next.before_edit = before;
                next.scenario = Some(Rc::new(scenario));
                next.tab = Tab::Setup;
                next.changed()
            }
            Action::Undo | Action::Redo => {
                let Some(current) = next.current_scenario() else {
                    return self;
                };
                let (from, to) = if undoing {
                    (&mut next.undo, &mut next.redo)
                } else {
                    (&mut next.redo, &mut next.undo)
                };
                let Some(back) = Rc::make_mut(from).pop() else {
                    return self;
                };
                Rc::make_mut(to).push(Rc::new(current));
                next.before_edit = next.report().map(|r| r.plan.summary);
                next.comparison = None;
                next.scenario = Some(back);
                next.changed()
            }
            Action::SetTab(t) => {
                next.tab = t;
                next
            }
            Action::SetFilter(f) => {
                next.filter = f;
                next.first_row = 0;
                next
            }
            Action::Select(s) => {
                next.selected = s;
                next
            }
            Action::Notice(n) => {
                next.notice = n;
                next
            }
        };
        Rc::new(next)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::app::demo;
    use crate::app::worker::{answer, Cache, Content, EngineOutput};
    use crate::engine::membership::Set;
    use crate::engine::scenario::Assignment;

    fn file(name: &str, text: &str) -> GivenFile {
        GivenFile::from(InputFile {
            name: name.into(),
            bytes: text.as_bytes().to_vec(),
        })
    }

    fn apply(state: Rc<State>, action: Action) -> Rc<State> {
        state.reduce(action)
    }

    /// Ask the (native) worker what the state asks, and give the answer back.
    fn run(s: Rc<State>, cache: &mut Cache, has: Option<u64>) -> Rc<State> {
        let req = s.request(has).unwrap();
        let g = req.generation;
        let resp = answer(cache, req);
        apply(s, Action::EngineDone(g, Box::new(resp)))
    }

    #[test]
    fn adding_files_starts_work_and_asks_the_worker() {
        let s = apply(
            Rc::default(),
            Action::AddFiles(vec![file("User.csv", "Id\n")]),
        );
        assert_eq!(s.phase, Phase::Working);
        let req = s.request(None).unwrap();
        assert_eq!(req.generation, s.generation);
        let files = req.files.unwrap();
        assert_eq!(files.len(), 1);
        // Shared with the state, not copied (a large org's files are tens of megabytes).
        assert!(Rc::ptr_eq(&files[0], &s.files[0]));
        let again = s.request(Some(s.files_version)).unwrap();
        assert!(again.files.is_none(), "the worker already has these files");
    }

    #[test]
    fn what_the_browser_kept_is_planned_again_and_keeping_stays_on() {
        let kept: Vec<GivenFile> = demo::files().into_iter().map(GivenFile::from).collect();
        let n = kept.len();
        let s = apply(
            Rc::default(),
            Action::Restored(kept, "2026-12-07 23:42 UTC".into()),
        );
        assert!(s.keep);
        assert_eq!(s.files.len(), n);
        assert_eq!(s.phase, Phase::Working);
        assert_eq!(
            s.restored.as_deref(),
            Some(format!("Opened the {n} files and the set-up this browser kept on 2026-12-07 23:42 UTC.").as_str())
        );
        let mut cache = Cache::default();
        let s = run(s, &mut cache, None);
        assert!(s.report().is_some_and(|r| r.plan.summary.create > 0));
        // Stopping keeps the files on the page; only the browser forgets them.
        let s = apply(s, Action::SetKeep(false));
        assert!(!s.keep);
        assert_eq!(s.files.len(), n);
    }

    #[test]
    fn a_file_given_again_replaces_the_old_one() {
        let s = apply(
            Rc::default(),
            Action::AddFiles(vec![file("a.csv", "1"), file("b.csv", "2")]),
        );
        let s = apply(s, Action::AddFiles(vec![file("a.csv", "3")]));
        let names: Vec<_> = s.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["b.csv", "a.csv"]);
        assert_eq!(s.files[1].content, Content::Bytes(b"3".to_vec()));
    }

    #[test]
    fn stale_answers_are_ignored() {
        let s = apply(Rc::default(), Action::AddFiles(vec![file("a.csv", "1")]));
        let old = s.generation;
        let s = apply(s, Action::AddFiles(vec![file("b.csv", "2")]));
        let s2 = apply(s.clone(), Action::EngineFailed(old, "boom".into()));
        assert_eq!(s2.phase, Phase::Working);
        let s3 = apply(s, Action::EngineFailed(old + 1, "boom".into()));
        assert_eq!(s3.phase, Phase::Failed("boom".into()));
    }

    #[test]
    fn removing_the_last_file_empties_the_app() {
        let s = apply(Rc::default(), Action::AddFiles(vec![file("a.csv", "1")]));
        let s = apply(s, Action::RemoveFile("a.csv".into()));
        assert_eq!(s.phase, Phase::Empty);
        assert!(s.request(None).is_none());
    }

    #[test]
    fn the_demo_opens_on_the_report_and_an_edit_replans() {
        let mut cache = Cache::default();
        let s = apply(Rc::default(), Action::OpenDemo(demo::files()));
        assert_eq!(s.tab, Tab::Report);
        let s = run(s, &mut cache, None);
        assert_eq!(s.phase, Phase::Ready);
        assert!(!s.lookup.is_empty());
        let before = s.report().unwrap().plan.summary;
        // Remove "All Marketing" from Marketing Users: fewer users are created.
        let s = apply(
            s,
            Action::Edit(Edit::RemoveAssignment(0, Set::Marketing, 1)),
        );
        assert_eq!(s.phase, Phase::Working);
        let req = s.request(Some(s.files_version)).unwrap();
        assert!(req.files.is_none());
        let sc = req.scenario.as_ref().unwrap();
        assert!(!sc.business_units[0]
            .marketing_users
            .contains(&Assignment::PublicGroup("All_Marketing".into())));
        let v = s.files_version;
        let s = run(s, &mut cache, Some(v));
        let after = s.report().unwrap().plan.summary;
        assert!(after.create < before.create, "{before:?} → {after:?}");
        assert!(!s.lookup.is_empty(), "lookups survive an edit");
    }

    #[test]
    fn an_edit_is_undone_and_redone_and_the_counts_before_it_are_kept() {
        let mut cache = Cache::default();
        let s = run(
            apply(Rc::default(), Action::OpenDemo(demo::files())),
            &mut cache,
            None,
        );
        let v = s.files_version;
        let first = s.current_scenario().unwrap();
        let before = s.report().unwrap().plan.summary;
        assert!(s.undo.is_empty() && s.before_edit.is_none());
        // An edit that changes nothing is not remembered.
        let same = apply(
            s.clone(),
            Action::Edit(Edit::RemoveAssignment(0, Set::Marketing, 99)),
        );
        assert!(Rc::ptr_eq(&same, &s));
        let s = apply(
            s,
            Action::Edit(Edit::RemoveAssignment(0, Set::Marketing, 1)),
        );
        assert_eq!(s.undo.len(), 1);
        assert_eq!(s.before_edit.as_ref(), Some(&before));
        let s = run(s, &mut cache, Some(v));
        let edited = s.current_scenario().unwrap();
        let after = s.report().unwrap().plan.summary;
        // The worker names who the edit changed.
        let (n, named) = s.response.as_ref().unwrap().changed.clone().unwrap();
        assert!(
            n > 0 && !named.is_empty() && named.len() <= n,
            "{n} {named:?}"
        );
        assert!(named[0].contains(" → "), "{named:?}");
        assert_ne!(after, before);
        let s = apply(s, Action::Undo);
        assert_eq!(s.current_scenario().unwrap(), first);
        assert_eq!((s.undo.len(), s.redo.len()), (0, 1));
        assert_eq!(s.before_edit.as_ref(), Some(&after));
        let s = run(s, &mut cache, Some(v));
        assert_eq!(s.report().unwrap().plan.summary, before);
        let s = apply(s, Action::Redo);
        assert_eq!(s.current_scenario().unwrap(), edited);
        assert_eq!((s.undo.len(), s.redo.len()), (1, 0));
        // Nothing left to redo: the state stays as it is.
        let again = apply(s.clone(), Action::Redo);
        assert!(Rc::ptr_eq(&again, &s));
        // A new edit forgets what was undone; new files forget everything.
        let s = apply(s, Action::Undo);
        let s = apply(s, Action::Edit(Edit::SetIncludeBosses(true)));
        assert!(s.redo.is_empty() && s.undo.len() == 1);
        let s = apply(s, Action::AddFiles(vec![file("extra.csv", "Id\n")]));
        assert!(s.undo.is_empty() && s.before_edit.is_none());
    }

    /// The first output the worker gives for a request.
    fn first_output(cache: &mut Cache, req: EngineRequest) -> EngineOutput {
        let mut out = Vec::new();
        crate::app::worker::answer_in_steps(cache, req, &mut |o| out.push(o));
        out.remove(0)
    }

    #[test]
    fn the_proposal_is_used_with_its_new_groups_and_keeps_the_synced_users() {
        let mut cache = Cache::default();
        let s = run(
            apply(Rc::default(), Action::OpenDemo(demo::files())),
            &mut cache,
            None,
        );
        let s = apply(s, Action::Ask(Ask::Propose));
        let asks = s.asks_after(0);
        let EngineOutput::Proposed {
            generation,
            proposal,
        } = first_output(&mut cache, asks[0].clone())
        else {
            panic!("no proposal");
        };
        let s = apply(s, Action::Proposed(generation, proposal));
        let Some(Ok(p)) = s.proposal.as_deref() else {
            panic!("{:?}", s.proposal)
        };
        let bu = &p.business_units[0];
        assert!(bu.kept > 5, "{bu:?}");
        assert!(bu.summary.starts_with(&format!(
            "kept {} of {} users; 0 created; 0 recycled",
            bu.kept_unchanged, bu.kept
        )));
        assert!(p.groups_csv.is_some(), "the demo needs a new group");
        let kept = bu.kept_unchanged;
        let s = apply(s, Action::UseProposal);
        assert!(s.files.iter().any(|f| f.name == "proposed-groups.csv"));
        assert_eq!(s.undo.len(), 1, "using the proposal can be undone");
        assert!(s.proposal.is_some(), "the proposal stays shown");
        let v = s.files_version;
        let s = run(s, &mut cache, Some(v - 1));
        let plan = &s.report().unwrap().plan;
        assert_eq!(plan.summary.create, 0, "{:?}", plan.summary);
        let unchanged = plan.business_units[0]
            .decisions
            .iter()
            .filter(|d| {
                d.previous_role.is_some()
                    && d.role == d.previous_role
                    && matches!(
                        d.action,
                        crate::engine::decide::Action::None | crate::engine::decide::Action::Update
                    )
            })
            .count();
        assert!(unchanged >= kept, "{unchanged} < {kept}");
    }

    #[test]
    fn legacy_is_compared_with_latest_and_the_counts_add_up() {
        let mut cache = Cache::default();
        let s = run(
            apply(Rc::default(), Action::OpenDemo(demo::files())),
            &mut cache,
            None,
        );
        let mut legacy = s.current_scenario().unwrap();
        legacy.mode = crate::engine::scenario::Mode::Legacy;
        legacy.legacy = Some(crate::engine::scenario::Legacy::default());
        let s = apply(
            s,
            Action::Ask(Ask::Compare(Box::new(crate::app::worker::CompareWith {
                label: "the legacy set-up".into(),
                scenario: legacy,
                first: true,
            }))),
        );
        let EngineOutput::Compared {
            generation,
            comparison,
        } = first_output(&mut cache, s.asks_after(0)[0].clone())
        else {
            panic!("no comparison");
        };
        let s = apply(s, Action::Compared(generation, comparison));
        let Some(Ok(c)) = s.comparison.as_deref() else {
            panic!("{:?}", s.comparison)
        };
        assert_eq!(c.title, "the legacy set-up → this set-up");
        let n = s.report().unwrap().plan.business_units[0].decisions.len();
        let [gains, loses, roles, unchanged] = c.counts;
        assert_eq!(gains + loses + roles + unchanged, n);
        assert_eq!(c.changed.len(), n - unchanged);
        // No user has a legacy profile ticked: every synced user of the latest set-up gains access.
        assert!(gains > 0 && loses == 0, "{:?}", c.counts);
        assert_eq!(c.csv.lines().count(), n + 1);
        // The audit pack carries the comparison.
        let s = apply(s, Action::Ask(Ask::Export(ExportKind::AuditPack)));
        let EngineOutput::Exported { file, .. } =
            first_output(&mut cache, s.asks_after(0).last().unwrap().clone())
        else {
            panic!("no pack");
        };
        let pack = zip::ZipArchive::new(std::io::Cursor::new(file.unwrap())).unwrap();
        assert!(pack.file_names().any(|n| n == "comparison.csv"));
    }

    #[test]
    fn a_set_up_that_cannot_be_planned_stays_editable_and_the_last_plan_stays() {
        let mut cache = Cache::default();
        let s = run(
            apply(Rc::default(), Action::OpenDemo(demo::files())),
            &mut cache,
            None,
        );
        let v = s.files_version;
        let good = s.report().unwrap().plan.summary;
        let s = apply(
            s,
            Action::Edit(Edit::SetCreator(0, Some("nobody@nowhere.example".into()))),
        );
        let s = run(s, &mut cache, Some(v));
        let (message, _) = s.setup_error.clone().expect("the set-up error is said");
        assert!(message.contains("nobody@nowhere.example"), "{message}");
        assert_eq!(
            s.report().unwrap().plan.summary,
            good,
            "the last plan stays"
        );
        assert_eq!(
            s.current_scenario().unwrap().business_units[0]
                .creator
                .as_deref(),
            Some("nobody@nowhere.example"),
            "the set-up shown is the one to correct"
        );
        // The worker still answers about the plan on screen.
        let s = apply(s, Action::Ask(Ask::Export(ExportKind::PlanCsv)));
        let EngineOutput::Exported { file, .. } =
            first_output(&mut cache, s.asks_after(0)[0].clone())
        else {
            panic!("no file");
        };
        assert!(file.is_ok());
        let s = apply(s, Action::Undo);
        let s = run(s, &mut cache, Some(v));
        assert_eq!(s.setup_error, None);
        assert_eq!(s.report().unwrap().plan.summary, good);
    }

    #[test]
    fn a_broken_set_up_file_leaves_the_defaults_to_edit() {
        let mut cache = Cache::default();
        let s = apply(
            Rc::default(),
            Action::AddFiles(
                demo::files()
                    .into_iter()
                    .filter(|f| f.name != "syncplan.json")
                    .map(GivenFile::from)
                    .collect(),
            ),
        );
        let s = apply(
            s,
            Action::AddFiles(vec![file(
                "syncplan.json",
                "{ \"format_version\": \"1\", \"mode\": ",
            )]),
        );
        let s = run(s, &mut cache, None);
        let (message, scenario) = s.setup_error.clone().expect("the set-up error is said");
        assert!(message.contains("syncplan.json"), "{message}");
        assert!(scenario.is_some());
        assert!(
            s.current_scenario().is_some(),
            "the Set up screen has a set-up to edit"
        );
    }

    #[test]
    fn a_stale_answer_still_brings_the_lookups_of_the_same_files() {
        let mut cache = Cache::default();
        let s = apply(Rc::default(), Action::OpenDemo(demo::files()));
        let first = s.request(None).unwrap();
        // A newer request (say, an edit) is on its way for the same files.
        let mut newer = (*s).clone();
        newer.generation += 1;
        let s = Rc::new(newer);
        let stale = answer(&mut cache, first.clone());
        let s = apply(s, Action::EngineDone(first.generation, Box::new(stale)));
        assert_eq!(s.phase, Phase::Working, "the stale report is dropped");
        assert!(!s.lookup.is_empty(), "its lookups are kept");
    }

    #[test]
    fn the_worker_sends_the_report_first_and_the_lookups_after_it() {
        use crate::app::worker::{answer_in_steps, EngineOutput};
        let mut cache = Cache::default();
        let s = apply(Rc::default(), Action::OpenDemo(demo::files()));
        let mut outputs = Vec::new();
        answer_in_steps(&mut cache, s.request(None).unwrap(), &mut |o| {
            outputs.push(o)
        });
        assert_eq!(outputs.len(), 2);
        let EngineOutput::Answer(first) = outputs.remove(0) else {
            panic!("the answer comes first")
        };
        assert!(first.lookup.is_none());
        let EngineOutput::Lookups {
            files_version,
            lookup,
        } = outputs.remove(0)
        else {
            panic!("then the lookups")
        };
        assert_eq!(files_version, s.files_version);
        // The report is shown before the lookups arrive; they fill the set-up after it.
        let s = apply(s, Action::EngineDone(first.generation, first));
        assert_eq!(s.phase, Phase::Ready);
        assert!(s.lookup.is_empty());
        let s = apply(s, Action::Lookups(files_version + 1, lookup.clone()));
        assert!(s.lookup.is_empty(), "lookups of other files are dropped");
        let s = apply(s, Action::Lookups(files_version, lookup));
        assert!(s.lookup.iter().any(|c| c.kind == "public_group"));
        // An edit re-plans from the files already read: no lookups this time.
        let s = apply(s, Action::Edit(Edit::AddBusinessUnit("Second".into())));
        let mut outputs = Vec::new();
        answer_in_steps(
            &mut cache,
            s.request(Some(s.files_version)).unwrap(),
            &mut |o| outputs.push(o),
        );
        assert!(matches!(outputs.as_slice(), [EngineOutput::Answer(_)]));
    }

    #[test]
    fn the_page_holds_the_rows_it_shows_and_asks_the_worker_for_the_rest() {
        use crate::app::filter::{row_key, who};
        use crate::app::worker::{answer_in_steps, EngineOutput};
        use crate::engine::decide::Action as Outcome;
        let s = apply(Rc::default(), Action::OpenDemo(demo::files()));
        let whole = answer(&mut Cache::default(), s.request(None).unwrap())
            .result
            .unwrap();
        let all: Vec<&Decision> = whole
            .plan
            .business_units
            .iter()
            .flat_map(|b| &b.decisions)
            .collect();
        let mut cache = Cache::default();
        let ask = |cache: &mut Cache, req| {
            let mut out = Vec::new();
            answer_in_steps(cache, req, &mut |o| out.push(o));
            out.remove(0)
        };
        let EngineOutput::Answer(first) = ask(&mut cache, s.request(None).unwrap()) else {
            panic!("an answer")
        };
        // The decisions stay in the worker: the answer brings the rows the table shows first,
        // how many there are, and what the filters offer.
        assert!(first.result.as_ref().unwrap().plan.business_units[0]
            .decisions
            .is_empty());
        assert_eq!(first.decisions, all.len());
        assert_eq!(first.table.total, all.len());
        assert_eq!(first.table.start, 0);
        let asked = s.wanted_rows().1 + FETCH_MARGIN;
        assert_eq!(first.table.rows.len(), all.len().min(asked));
        assert_eq!(
            first.table.rows[0].1.clone().into_decision().reason.code,
            all[0].reason.code
        );
        assert!(first.options.0.contains(&"Marketing".to_string()));
        let g = first.generation;
        let s = apply(s, Action::EngineDone(g, first));
        assert!(s.table.is_some());
        assert_eq!(s.rows_request(), None, "the answer brought the rows shown");
        assert!(s.needs_all_traces());
        assert_eq!(s.full_report(), None);

        // A filter: the worker filters, the page asks for the rows.
        let s = apply(
            s,
            Action::SetFilter(Filter {
                action: Some(Outcome::Create),
                ..Filter::default()
            }),
        );
        let req = s
            .rows_request()
            .expect("rows of the new filter are asked for");
        let EngineOutput::Rows(page) = ask(&mut cache, req) else {
            panic!("rows")
        };
        let creates = all.iter().filter(|d| d.action == Outcome::Create).count();
        assert_eq!(page.total, creates);
        assert!(page
            .rows
            .iter()
            .all(|(_, r)| r.clone().into_decision().action == Outcome::Create));
        let s = apply(s, Action::RowsArrived(page.clone()));
        assert_eq!(s.rows_request(), None);
        let stale = RowsPage {
            generation: g + 1,
            ..page
        };
        assert_eq!(apply(s.clone(), Action::RowsArrived(stale)), s);
        let s = apply(s, Action::SetFilter(Filter::default()));
        let EngineOutput::Rows(page) = ask(&mut cache, s.rows_request().unwrap()) else {
            panic!("rows")
        };
        let s = apply(s, Action::RowsArrived(page));

        // An explanation opens: the table's row meanwhile, then the decision whole, asked once.
        let with_role = all
            .iter()
            .position(|d| d.role_reason.is_some() && !d.memberships.is_empty())
            .unwrap();
        let at = s.table.as_ref().unwrap().rows[with_role].0;
        let sel: Selection = (at.0, row_key(all[with_role]));
        let s = apply(s, Action::Select(Some(sel.clone())));
        let (_, row, ready) = s.explanation(&sel).unwrap();
        assert!(!ready && row.trace.is_empty());
        assert_eq!(row.reason.code, all[with_role].reason.code);
        let s = apply(s, Action::Ask(Ask::Explain(sel.clone())));
        let asks = s.asks_after(0);
        assert_eq!(asks.len(), 1);
        let EngineOutput::Explained {
            generation,
            selection,
            decision,
        } = ask(&mut cache, asks[0].clone())
        else {
            panic!("the decision")
        };
        assert_eq!(selection, sel);
        let stale = apply(
            s.clone(),
            Action::Explained(g + 1, sel.clone(), decision.clone()),
        );
        assert_eq!(stale, s, "an answer about another plan is dropped");
        let s = apply(s, Action::Explained(generation, selection, decision));
        assert_eq!(
            s.explanation(&sel),
            Some((at, (*all[with_role]).clone(), true))
        );
        let again = apply(s.clone(), Action::Ask(Ask::Explain(sel.clone())));
        assert_eq!(again.asked, s.asked, "a decision here is not asked again");
        // A user the plan does not have: the explanation closes.
        let gone: Selection = (0, "005000000000000AAA".into());
        let closed = apply(s.clone(), Action::Select(Some(gone.clone())));
        let EngineOutput::Explained { decision, .. } = ask(&mut cache, {
            let mut r = closed.asks_after(0)[0].clone();
            r.ask = Ask::Explain(gone.clone());
            r
        }) else {
            panic!("an answer")
        };
        assert_eq!(decision, None);
        let closed = apply(closed, Action::Explained(g, gone, None));
        assert_eq!(closed.selected, None);

        // A finding opens: the worker names its users.
        let (i, f) = whole
            .plan
            .findings
            .iter()
            .enumerate()
            .find(|(_, f)| {
                !f.users.is_empty()
                    && f.business_unit.as_deref() == Some(&whole.plan.business_units[0].name)
            })
            .unwrap();
        let s = apply(s, Action::Ask(Ask::Who(i, 0, f.users.clone())));
        let EngineOutput::Who {
            generation,
            finding,
            users,
        } = ask(&mut cache, s.asks_after(1)[0].clone())
        else {
            panic!("the users")
        };
        assert_eq!(finding, i);
        let expected: Vec<_> = f
            .users
            .iter()
            .map(|u| {
                let d = all.iter().find(|d| {
                    row_key(d) == *u
                        || d.ae_user_id
                            .as_ref()
                            .is_some_and(|a| format!("ae:{a}") == *u)
                })?;
                Some((0, row_key(d), who(d)))
            })
            .collect();
        assert!(expected.iter().any(Option::is_some));
        assert_eq!(users, expected);
        let s = apply(s, Action::WhoArrived(generation, finding, users));
        assert!(s.who.contains_key(&i));

        // A download: the worker makes the file from its decisions.
        let kind = ExportKind::PlanCsv;
        let s = apply(s, Action::Ask(Ask::Export(kind)));
        assert!(s.exporting(kind));
        let req = s.asks_after(s.asked - 1).remove(0);
        let EngineOutput::Exported {
            generation,
            kind: made,
            file,
        } = ask(&mut cache, req)
        else {
            panic!("a file")
        };
        assert_eq!(made, kind);
        assert_eq!(
            file,
            kind.build(&whole),
            "the same bytes as from the whole report"
        );
        let s = apply(s, Action::Exported(generation, kind, file.clone()));
        assert!(!s.exporting(kind), "asked again, it is made again");
        assert_eq!(
            s.exported.as_ref().map(|e| (e.n, &e.file)),
            Some((1, &file))
        );
        let s = apply(s, Action::Downloaded(None));
        assert_eq!(s.exported, None);
        let stale = apply(
            apply(s.clone(), Action::Ask(Ask::Export(kind))),
            Action::Exported(g + 1, kind, Ok(Vec::new())),
        );
        assert!(stale.exported.is_none() && !stale.exporting(kind));
        assert_eq!(
            stale.notice.as_deref(),
            Some("the plan changed while `syncplan-plan.csv` was being made: download it again")
        );

        // Printing: every decision, and the report whole again.
        let s = apply(s, Action::Ask(Ask::AllTraces));
        let req = s.asks_after(s.asked - 1).remove(0);
        let EngineOutput::AllTraces { generation, all } = ask(&mut cache, req) else {
            panic!("everything")
        };
        let s = apply(s, Action::AllTracesArrived(generation, all));
        assert!(!s.needs_all_traces());
        assert_eq!(s.full_report().as_ref(), Some(&whole));
    }

    #[test]
    fn scrolling_past_the_rows_the_page_has_asks_for_more() {
        use crate::app::worker::{answer_in_steps, EngineOutput};
        let s = apply(Rc::default(), Action::OpenDemo(demo::files()));
        let mut out = Vec::new();
        answer_in_steps(&mut Cache::default(), s.request(None).unwrap(), &mut |o| {
            out.push(o)
        });
        let EngineOutput::Answer(first) = out.remove(0) else {
            panic!("an answer")
        };
        let (g, row) = (first.generation, first.table.rows[0].1.clone());
        let mut s = (*apply(s, Action::EngineDone(first.generation, first))).clone();
        // A table of a thousand rows, of which the page has none.
        s.table = Some(Rc::new(RowsPage {
            generation: g,
            filter: Filter::default(),
            total: 1000,
            start: 0,
            rows: Vec::new(),
        }));
        let s = Rc::new(s);
        assert!(s.rows_request().is_some(), "no rows: they are asked for");
        let mut have = (*s).clone();
        let rows = have.table.as_ref().unwrap().rows.clone();
        assert!(rows.is_empty());
        Rc::make_mut(have.table.as_mut().unwrap()).rows = vec![((0, 0), row.clone()); 81];
        let s = Rc::new(have);
        assert_eq!(s.rows_request(), None);
        let s = apply(s, Action::Scroll(500));
        let req = s.rows_request().unwrap();
        let Ask::Rows(view) = req.ask else {
            panic!("rows")
        };
        assert_eq!(view.start, 500 - OVERSCAN - FETCH_MARGIN);
        assert_eq!(view.end, 500 + VISIBLE_ROWS + OVERSCAN + FETCH_MARGIN);
        assert_eq!(req.generation, g);
        // Near the end, the rows there are are enough.
        let mut end = (*s).clone();
        end.table = Some(Rc::new(RowsPage {
            generation: g,
            filter: Filter::default(),
            total: 1000,
            start: 950,
            rows: vec![((0, 0), row); 50],
        }));
        end.first_row = 990;
        assert_eq!(end.rows_request(), None);
        let filtered = apply(
            Rc::new(end),
            Action::SetFilter(Filter {
                search: "x".into(),
                ..Filter::default()
            }),
        );
        assert_eq!(filtered.first_row, 0, "a new filter shows its first rows");
        assert!(filtered.rows_request().is_some());
    }

    #[test]
    fn a_json_file_replaces_the_edited_scenario() {
        let mut cache = Cache::default();
        let s = apply(Rc::default(), Action::OpenDemo(demo::files()));
        let s = run(s, &mut cache, None);
        let s = apply(s, Action::Edit(Edit::AddBusinessUnit("Second".into())));
        assert!(s.scenario.is_some());
        let s = apply(s, Action::AddFiles(vec![file("other.json", "{}")]));
        assert!(s.scenario.is_none());
        assert_eq!(
            s.files.iter().filter(|f| f.name.ends_with(".json")).count(),
            1
        );
    }

    #[test]
    fn tabs_wrap_with_the_arrow_keys() {
        assert_eq!(Tab::Load.step(-1), Tab::Integration);
        assert_eq!(Tab::Integration.step(1), Tab::Load);
        assert_eq!(Tab::Setup.step(1), Tab::Report);
    }
}
