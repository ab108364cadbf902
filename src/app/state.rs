//! The app's state machine. No `Html`, no web-sys: plain data and a pure `reduce`, so it is
//! tested natively (`cargo test`).

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::Reducible;

use crate::engine::decide::Decision;
use crate::engine::lookup::Candidate;
use crate::engine::scenario::Scenario;
use crate::engine::{InputFile, Report};

use super::edit::{self, Edit};
use super::filter::{Filter, RowRef};
use super::worker::{with_traces, Ask, Details, EngineRequest, EngineResponse, GivenFile, Traces};

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
    /// Details of the current answer's decisions (which comes without them, see
    /// [`EngineResponse::details_withheld`]), fetched one by one as explanations open.
    pub traces: Rc<BTreeMap<RowRef, Details>>,
    /// Every decision's details of the current answer, once asked for (to export or print).
    pub all_traces: Option<Rc<Traces>>,
    /// The last request for traces, numbered so that the page sends each one once.
    pub ask: Option<(u64, Ask)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The user dropped or picked files (a `.json` among them is the scenario and replaces the
    /// edited one); the worker reads them.
    AddFiles(Vec<GivenFile>),
    /// Open the built-in demo org (replaces everything) on the report.
    OpenDemo(Vec<InputFile>),
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
    /// Change the scenario.
    Edit(Edit),
    SetTab(Tab),
    SetFilter(Filter),
    /// Open (or close, `None`) a user's explanation.
    Select(Option<Selection>),
    Notice(Option<String>),
    /// Ask the worker for traces of the current answer ([`Ask::Trace`] or [`Ask::AllTraces`]).
    Ask(Ask),
    /// One decision's details, for the answer of a generation.
    TraceArrived(u64, RowRef, Details),
    /// Every decision's details, for the answer of a generation (`None`: the worker has a
    /// newer plan).
    AllTracesArrived(u64, Option<Traces>),
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
        })
    }

    /// The request for the traces last asked for ([`Action::Ask`]), with its number.
    pub fn ask_request(&self) -> Option<(u64, EngineRequest)> {
        let (n, ask) = self.ask?;
        let response = self.response.as_ref()?;
        Some((
            n,
            EngineRequest {
                generation: response.generation,
                files_version: response.files_version,
                files: None,
                scenario: None,
                ask,
            },
        ))
    }

    /// The details of one decision of the current answer, when they were withheld and the
    /// page has them since.
    fn details(&self, at: RowRef) -> Option<&Details> {
        if let Some(all) = &self.all_traces {
            return all.get(at.0)?.get(at.1);
        }
        self.traces.get(&at)
    }

    /// Whether the page has everything one decision's explanation shows.
    pub fn has_details(&self, at: RowRef) -> bool {
        let withheld = self.response.as_ref().is_some_and(|r| r.details_withheld);
        !withheld || self.details(at).is_some()
    }

    /// One decision of the current answer as its explanation shows it: with its details when
    /// the page has them, and whether it has them.
    pub fn explained(&self, at: RowRef) -> Option<(Decision, bool)> {
        let mut d = super::filter::decision(self.report()?, at)?.clone();
        if !self.response.as_ref()?.details_withheld {
            return Some((d, true));
        }
        match self.details(at) {
            Some(details) => {
                details.put(&mut d);
                Some((d, true))
            }
            None => Some((d, false)),
        }
    }

    /// Whether exporting or printing must first ask the worker for every trace.
    pub fn needs_all_traces(&self) -> bool {
        self.response.as_ref().is_some_and(|r| r.details_withheld) && self.all_traces.is_none()
    }

    /// The whole report, traces included (what exports and the print report are made from);
    /// `None` while the traces are still with the worker.
    pub fn full_report(&self) -> Option<Report> {
        let mut report = self.report()?.clone();
        if self.response.as_ref().is_some_and(|r| r.details_withheld) {
            with_traces(&mut report, self.all_traces.as_deref()?);
        }
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
            .or_else(|| self.report().map(|r| r.scenario.clone()))
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
        let next = match action {
            Action::AddFiles(files) => {
                next.add(files);
                next.notice = None;
                next.files_changed()
            }
            Action::OpenDemo(files) => {
                next.files.clear();
                next.scenario = None;
                next.selected = None;
                next.filter = Filter::default();
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
                let mut response = *response;
                response.restore_report();
                next.response = Some(Rc::new(response));
                next.traces = Rc::default();
                next.all_traces = None;
                // The explanation stays open if the user is still in the plan.
                if let Some((bu, key)) = &next.selected {
                    let still = next
                        .report()
                        .and_then(|r| super::filter::find(r, *bu, key))
                        .is_some();
                    if !still {
                        next.selected = None;
                    }
                }
                next
            }
            Action::Ask(ask) => {
                if next.response.is_none() {
                    return self;
                }
                let have = match ask {
                    Ask::Plan => true,
                    Ask::Trace(b, i) => next.has_details((b, i)),
                    Ask::AllTraces => !next.needs_all_traces(),
                };
                if have {
                    return self;
                }
                let n = next.ask.map(|(n, _)| n + 1).unwrap_or(1);
                next.ask = Some((n, ask));
                next
            }
            Action::TraceArrived(generation, at, details) => {
                let current = next.response.as_ref().map(|r| r.generation) == Some(generation);
                // Every decision has a trace: an empty one means the worker's plan is gone.
                if !current || details.trace.is_empty() {
                    return self;
                }
                Rc::make_mut(&mut next.traces).insert(at, details);
                next
            }
            Action::AllTracesArrived(generation, traces) => {
                let current = next.response.as_ref().map(|r| r.generation) == Some(generation);
                match traces {
                    Some(t) if current => {
                        next.all_traces = Some(Rc::new(t));
                        next
                    }
                    _ => return self,
                }
            }
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
                let edited = edit::apply(base, e);
                next.scenario = Some(Rc::new(edited));
                next.changed()
            }
            Action::SetTab(t) => {
                next.tab = t;
                next
            }
            Action::SetFilter(f) => {
                next.filter = f;
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
    use crate::app::worker::{answer, Cache, Content};
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
    fn traces_stay_in_the_worker_until_an_explanation_or_an_export_asks_for_them() {
        use crate::app::worker::{answer_in_steps, Ask, EngineOutput};
        let s = apply(Rc::default(), Action::OpenDemo(demo::files()));
        let whole = answer(&mut Cache::default(), s.request(None).unwrap())
            .result
            .unwrap();
        let mut cache = Cache::default();
        let ask = |cache: &mut Cache, req| {
            let mut out = Vec::new();
            answer_in_steps(cache, req, &mut |o| out.push(o));
            out.remove(0)
        };
        let EngineOutput::Answer(first) = ask(&mut cache, s.request(None).unwrap()) else {
            panic!("an answer")
        };
        assert!(first.details_withheld);
        // The decisions cross as rows beside the report.
        assert!(first.result.as_ref().unwrap().plan.business_units[0]
            .decisions
            .is_empty());
        assert_eq!(
            first.rows[0].len(),
            whole.plan.business_units[0].decisions.len()
        );
        let mut restored = (*first).clone();
        restored.restore_report();
        let light = restored.result.as_ref().unwrap();
        let with_role = whole.plan.business_units[0]
            .decisions
            .iter()
            .position(|d| d.role_reason.is_some() && !d.memberships.is_empty())
            .unwrap();
        assert!(light.plan.business_units[0].decisions.iter().all(|d| {
            d.trace.is_empty()
                && d.reason.text.is_empty()
                && d.role_reason.as_ref().is_none_or(|r| r.text.is_empty())
                && d.memberships.is_empty()
                && d.assumptions.is_empty()
        }));
        let row = light.plan.business_units[0].decisions[with_role].clone();
        assert_eq!(
            row.reason.code,
            whole.plan.business_units[0].decisions[with_role]
                .reason
                .code
        );
        let g = first.generation;
        let s = apply(s, Action::EngineDone(g, first));
        let at = (0, with_role);
        assert_eq!(s.explained(at), Some((row, false)));
        assert!(s.needs_all_traces());
        assert_eq!(s.full_report(), None);

        // An explanation opens: one decision's details are asked for, once.
        let s = apply(s, Action::Ask(Ask::Trace(0, with_role)));
        let (n, req) = s.ask_request().unwrap();
        let EngineOutput::Trace {
            generation,
            business_unit,
            decision,
            details,
        } = ask(&mut cache, req)
        else {
            panic!("details")
        };
        let expected = whole.plan.business_units[0].decisions[with_role].clone();
        assert!(!expected.trace.is_empty());
        assert_eq!(details.trace, expected.trace);
        let stale = apply(s.clone(), Action::TraceArrived(g + 1, at, details.clone()));
        assert!(
            !stale.explained(at).unwrap().1,
            "details of another plan are dropped"
        );
        let s = apply(
            s,
            Action::TraceArrived(generation, (business_unit, decision), details),
        );
        assert_eq!(s.explained(at), Some((expected, true)));
        let again = apply(s.clone(), Action::Ask(Ask::Trace(0, with_role)));
        assert_eq!(
            again.ask_request().unwrap().0,
            n,
            "details already here are not asked again"
        );

        // An export: every trace, and the report whole again.
        let s = apply(s, Action::Ask(Ask::AllTraces));
        let EngineOutput::AllTraces { generation, traces } =
            ask(&mut cache, s.ask_request().unwrap().1)
        else {
            panic!("all traces")
        };
        let s = apply(s, Action::AllTracesArrived(generation, traces));
        assert!(!s.needs_all_traces());
        assert_eq!(s.full_report().as_ref(), Some(&whole));
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
