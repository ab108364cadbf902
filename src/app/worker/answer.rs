//! The worker's answers: what it keeps between requests ([`Cache`]), planning a request, and one
//! answer per kind of [`Ask`].

use super::*;
use crate::engine::export::made::Made;

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
                    .or_insert_with(|| (bu, row_key(d), label(d)));
            }
        }
    }
    users
        .iter()
        .map(|u| found.get(u.as_str()).cloned())
        .collect()
}

/// A user as a finding's list names them: an AE user with no Salesforce user is marked, so
/// that it does not read as a second user of the same name.
fn label(d: &Decision) -> String {
    let name = who(d);
    if d.salesforce_user_id.is_none() {
        format!("{name} (AE record)")
    } else {
        name
    }
}

/// The value of an `Rc`, moved out when nothing else holds it, else copied.
pub(super) fn unshare<T: Clone>(rc: Rc<T>) -> T {
    Rc::try_unwrap(rc).unwrap_or_else(|rc| (*rc).clone())
}

/// What the worker remembers between requests.
#[derive(Debug, Default)]
pub struct Cache {
    pub(super) files_version: Option<u64>,
    /// The scenario files among the inputs (`.json`), kept to plan with when the page sends
    /// no edited scenario.
    pub(super) scenarios: Vec<InputFile>,
    /// What was read from the exports: read once per set of files, planned on every request.
    pub(super) ingested: Ingested,
    /// The part of the membership resolver the exports alone decide, kept between the plans
    /// of set-up edits (built on the first plan of these exports).
    pub(super) index: Option<std::sync::Arc<crate::engine::membership::Index>>,
    /// The last plan's decisions, whole (the page asks for what it shows), and the
    /// generation they belong to.
    pub(super) decisions: Vec<Vec<Decision>>,
    pub(super) decisions_generation: Option<u64>,
    /// The last plan's report without its decisions (which are `decisions`), to make
    /// downloads from.
    pub(super) report: Option<Report>,
    /// The rows matching the last filter asked for, so that scrolling through them does not
    /// filter every decision again.
    pub(super) matching: Option<(Filter, Vec<RowRef>)>,
    /// The last plan's decisions' searched text, built on the first search.
    pub(super) search: Option<filter::SearchIndex>,
    /// The browser's clock (ms since 1970) for the phase timings the worker logs and the date
    /// of the audit pack (`None` natively: no timings, no date).
    pub clock: Option<fn() -> f64>,
    /// How long the phases of the last answer took (ms): `read` (the exports) and `plan`.
    pub phases: Vec<(&'static str, f64)>,
    /// The last comparison of two set-ups, as CSV, for the audit pack.
    pub(super) comparison_csv: Option<String>,
}

impl Cache {
    fn now(&self) -> f64 {
        now(self.clock)
    }
}

/// Milliseconds to the nearest whole one, for the timing line: formatting a float would link
/// Rust's float printing into the worker's wasm (about 8 KB brotli).
pub(super) fn whole(ms: f64) -> u64 {
    (ms.max(0.0) + 0.5) as u64
}

/// The time by `clock` (ms), or 0 without one.
pub(super) fn now(clock: Option<fn() -> f64>) -> f64 {
    clock.map(|c| c()).unwrap_or(0.0)
}

pub(super) fn is_json(f: &InputFile) -> bool {
    is_json_name(&f.name)
}

pub(super) fn is_json_name(name: &str) -> bool {
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
        | EngineOutput::Proposed { .. }
        | EngineOutput::Compared { .. }
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
    mut request: EngineRequest,
    read: Option<(Ingested, f64)>,
    send: &mut dyn FnMut(EngineOutput),
) {
    cache.phases.clear();
    // What is asked of the last plan is answered from its decisions, when the page asks about
    // that plan (otherwise the page has a newer answer coming, or an older one it drops).
    // An answer about a plan that is gone says generation 0, which the page never asks about.
    let current = cache.decisions_generation == Some(request.generation);
    let generation = if current { request.generation } else { 0 };
    let answer = match std::mem::replace(&mut request.ask, Ask::Plan) {
        Ask::Plan => None,
        Ask::Rows(view) => Some(rows(cache, current, generation, view)),
        Ask::Explain(selection) => Some(explain(cache, current, generation, selection)),
        Ask::Who(finding, bu, users) => Some(EngineOutput::Who {
            generation,
            finding,
            users: who_of(decisions_of(cache, current), bu, &users),
        }),
        Ask::Export(kind) => Some(export(cache, current, generation, kind)),
        Ask::AllTraces => Some(all_traces(cache, current, generation)),
        Ask::Propose => Some(EngineOutput::Proposed {
            generation,
            proposal: proposed(cache, current),
        }),
        Ask::Compare(with) => Some(EngineOutput::Compared {
            generation,
            comparison: compared(cache, current, *with),
        }),
    };
    match answer {
        Some(output) => send(output),
        None => plan(cache, request, read, send),
    }
}

/// The last plan's decisions when the page asks about it, else none.
fn decisions_of(cache: &Cache, current: bool) -> &[Vec<Decision>] {
    if current {
        &cache.decisions
    } else {
        &[]
    }
}

/// [`Ask::Rows`]: the table's rows for a filter and a scroll position.
fn rows(cache: &mut Cache, current: bool, generation: u64, view: View) -> EngineOutput {
    // (Kept only for the current plan: a stale request finds no rows.)
    let matching = match cache.matching.take() {
        Some((f, rows)) if current && f == view.filter => rows,
        kept => {
            cache.matching = kept;
            if current {
                filter::rows_with(&cache.decisions, &view.filter, &mut cache.search)
            } else {
                Vec::new()
            }
        }
    };
    let page = rows_page(decisions_of(cache, current), &matching, &view, generation);
    if current {
        cache.matching = Some((view.filter, matching));
    }
    EngineOutput::Rows(page)
}

/// [`Ask::Explain`]: one decision, whole, for its explanation.
fn explain(cache: &Cache, current: bool, generation: u64, selection: Selection) -> EngineOutput {
    let decisions = decisions_of(cache, current);
    let (bu, key) = &selection;
    let decision = filter::find(decisions, *bu, key)
        .and_then(|at| Some(Box::new((at, filter::decision(decisions, at)?.clone()))));
    EngineOutput::Explained {
        generation,
        selection,
        decision,
    }
}

/// [`Ask::Export`]: a download's file, made from the plan kept here.
fn export(cache: &mut Cache, current: bool, generation: u64, kind: ExportKind) -> EngineOutput {
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
            // Dated by the browser's clock (the page's worker has one; native tests do not).
            let made = cache.clock.map(|c| Made::from_unix_ms(c()));
            let file = kind.build_with(report, cache.comparison_csv.as_deref(), made.as_ref());
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
    EngineOutput::Exported {
        generation,
        kind,
        file,
    }
}

/// The last plan's report with its decisions put back (to hand to `f`), then taken out again.
fn with_decisions<R>(cache: &mut Cache, f: impl FnOnce(&Report) -> R) -> Option<R> {
    let report = cache.report.as_mut()?;
    for (b, d) in report
        .plan
        .business_units
        .iter_mut()
        .zip(&mut cache.decisions)
    {
        b.decisions = std::mem::take(d);
    }
    let out = f(report);
    for (b, d) in report
        .plan
        .business_units
        .iter_mut()
        .zip(&mut cache.decisions)
    {
        *d = std::mem::take(&mut b.decisions);
    }
    Some(out)
}

/// [`Ask::Propose`]: the set-up that keeps today's synced users, for the business units of the
/// last plan's set-up.
fn proposed(cache: &Cache, current: bool) -> Result<Box<Proposed>, String> {
    use engine::propose::{kind_label, Proposal};
    let report = cache
        .report
        .as_ref()
        .filter(|_| current)
        .ok_or("there is no plan to propose from")?;
    let setup = Setup::given(report.scenario.clone());
    let p = engine::propose::propose(&cache.ingested, Some(setup)).map_err(|e| e.to_string())?;
    let csv = engine::export::CsvOptions::default();
    let business_units = p
        .business_units
        .iter()
        .map(|bu| ProposedBu {
            name: bu.name.clone(),
            summary: Proposal::summary_line(bu),
            kept: bu.kept_users,
            kept_unchanged: bu.verification.kept_unchanged,
            notes: bu.notes.clone(),
            chosen: bu
                .chosen
                .iter()
                .map(|c| {
                    [
                        c.set.group_name().to_string(),
                        format!("{}: {}", kind_label(&c.assignment), c.assignment.reference()),
                        c.users.to_string(),
                        c.why.clone(),
                    ]
                })
                .collect(),
            new_groups: bu
                .new_groups
                .iter()
                .map(|g| {
                    format!(
                        "New public group \"{}\" ({} members): create it in Salesforce from the two CSV files, with Data Loader.",
                        g.name,
                        g.members.len()
                    )
                })
                .collect(),
            conflicts: bu
                .conflicts
                .iter()
                .map(|c| {
                    [
                        c.username.clone(),
                        c.current_role.clone(),
                        c.proposed_role.clone(),
                        c.reason.clone(),
                    ]
                })
                .collect(),
            lost: bu
                .cannot_keep
                .iter()
                .map(|c| format!("{}: {}", c.username, c.why))
                .collect(),
        })
        .collect();
    Ok(Box::new(Proposed {
        business_units,
        groups_csv: p.groups_csv(csv),
        members_csv: p.members_csv(csv),
        scenario: p.scenario,
    }))
}

/// [`Ask::Compare`]: the last plan against the plan of another set-up of the same exports.
fn compared(cache: &mut Cache, current: bool, with: CompareWith) -> Result<Box<Compared>, String> {
    use engine::compare::{Change, Side};
    if !current {
        return Err("there is no plan to compare with".into());
    }
    let other = engine::plan(
        engine::Exports::Kept(&cache.ingested),
        Some(Setup::given(with.scenario)),
        engine::PlanOptions::default(),
    )
    .map_err(|e| e.to_string())?
    .report
    .plan;
    let label = with.label;
    let side = |s: &Option<Side>| match s {
        Some(s) => format!(
            "{}, {} ({})",
            s.action.as_str(),
            s.role.as_deref().unwrap_or("no AE user"),
            s.reason
        ),
        None => "not in this set-up".into(),
    };
    let compared = with_decisions(cache, |report| {
        let (before, after, title) = if with.first {
            (&other, &report.plan, format!("{label} → this set-up"))
        } else {
            (&report.plan, &other, format!("this set-up → {label}"))
        };
        let c = engine::compare::compare(before, after);
        let csv = c.csv(engine::export::CsvOptions::default());
        Box::new(Compared {
            title,
            counts: Change::ALL.map(|ch| c.summary.count(ch)),
            csv,
            changed: c
                .users
                .iter()
                .filter(|u| u.change != Change::Unchanged)
                .map(|u| {
                    [
                        u.username
                            .as_deref()
                            .or(u.ae_user_id.as_deref())
                            .unwrap_or_default()
                            .to_string(),
                        u.business_unit.clone(),
                        u.change.as_str().to_string(),
                        side(&u.before),
                        side(&u.after),
                    ]
                })
                .collect(),
        })
    })
    .ok_or_else(|| "there is no plan to compare with".to_string())?;
    cache.comparison_csv = Some(compared.csv.clone());
    Ok(compared)
}

/// How many users a set-up edit changed, and the first few: "jane@acme.example: create →
/// none". The two plans are of the same exports, so their decisions come in the same order: a
/// walk side by side finds them (a plan that is not the same length is not compared).
fn changed_users(
    before: &[Vec<Decision>],
    after: &[Vec<Decision>],
) -> Option<(usize, Vec<String>)> {
    const NAMED: usize = 8;
    if before.len() != after.len()
        || before.iter().zip(after).any(|(x, y)| x.len() != y.len())
        || before.is_empty()
    {
        return None;
    }
    let mut n = 0;
    let mut named = Vec::new();
    for (x, y) in before.iter().flatten().zip(after.iter().flatten()) {
        if (x.action, &x.role) == (y.action, &y.role) {
            continue;
        }
        n += 1;
        if named.len() < NAMED {
            let who = y
                .username
                .as_deref()
                .or(y.email.as_deref())
                .or(y.ae_user_id.as_deref())
                .unwrap_or_default();
            let side = |d: &Decision| match d.role.as_deref() {
                Some(r) => format!("{} ({r})", d.action.as_str()),
                None => d.action.as_str().to_string(),
            };
            named.push(format!("{who}: {} → {}", side(x), side(y)));
        }
    }
    Some((n, named))
}

/// [`Ask::AllTraces`]: every decision with its details, to print the whole report.
fn all_traces(cache: &Cache, current: bool, generation: u64) -> EngineOutput {
    let all = current.then(|| {
        let decisions = &cache.decisions;
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
    EngineOutput::AllTraces { generation, all }
}

/// [`Ask::Plan`]: read the request's exports (unless they are the ones read already), plan with
/// its set-up, and answer with the report's summary, the table's first rows and the lookups.
fn plan(
    cache: &mut Cache,
    request: EngineRequest,
    read: Option<(Ingested, f64)>,
    send: &mut dyn FnMut(EngineOutput),
) {
    let fresh = match request.files {
        Some(files) => match read_exports(cache, files, read, request.files_version) {
            Ok(()) => true,
            Err(why) => {
                send(EngineOutput::Answer(Box::new(EngineResponse::failed(
                    request.generation,
                    request.files_version,
                    why,
                ))));
                return;
            }
        },
        None => false,
    };
    let start = cache.now();
    let parsed = setup_of(cache, request.scenario.as_ref());
    let written = parsed
        .as_ref()
        .ok()
        .and_then(|s| s.as_ref().map(|s| s.scenario.clone()));
    let org = &cache.ingested.org;
    let mut resolver = match &cache.index {
        Some(index) => Resolver::with_index(&cache.ingested.org, std::sync::Arc::clone(index)),
        None => Resolver::for_ingested(&cache.ingested),
    };
    cache.index = Some(resolver.index());
    let planned = parsed.and_then(|setup| {
        let opts = PlanOptions {
            resolver: Some(&mut resolver),
            ..Default::default()
        };
        engine::plan(Exports::Kept(&cache.ingested), setup, opts).map(|p| p.report)
    });
    // A set-up that cannot be planned is the set-up's problem, not the exports': the last
    // plan made of these files stays (the page keeps showing it), and the answer says so.
    let setup_failed = match &planned {
        Err(engine::Error::Scenario { .. } | engine::Error::Reference { .. }) => {
            // (A set-up that cannot be read at all: the defaults, to start again from.)
            Some(
                written
                    .or_else(|| request.scenario.clone())
                    .or_else(|| Some(scenario::default_for(&cache.ingested.org))),
            )
        }
        _ => None,
    };
    if let (Some(failed), Err(e)) = (&setup_failed, &planned) {
        if cache.report.is_some() && !fresh {
            send(EngineOutput::Answer(Box::new(EngineResponse {
                setup_failed: Some(failed.clone()),
                files: cache.ingested.files.clone(),
                ..EngineResponse::failed(request.generation, request.files_version, e.to_string())
            })));
            return;
        }
    }
    let mut result = planned.map_err(|e| e.to_string());
    // A comparison was of the set-up planned before.
    cache.comparison_csv = None;
    // The decisions stay here (moved out, not copied); the page asks for what it shows. The
    // last plan's, of the same files, say who a set-up edit changed.
    let previous = if fresh {
        Vec::new()
    } else {
        std::mem::take(&mut cache.decisions)
    };
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
    let changed = changed_users(&previous, &cache.decisions);
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
        setup_failed,
        changed,
        phases: cache
            .phases
            .iter()
            .map(|(p, ms)| ((*p).to_string(), whole(*ms)))
            .collect(),
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

/// The request's files, read (unless the worker read them as they arrived: `read`) and kept
/// for the next requests; or why they could not be, in which case nothing is kept.
fn read_exports(
    cache: &mut Cache,
    files: Vec<Rc<GivenFile>>,
    read: Option<(Ingested, f64)>,
    files_version: u64,
) -> Result<(), String> {
    let start = cache.now();
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
        return Err(unreadable.join("; "));
    }
    let (scenarios, exports): (Vec<InputFile>, Vec<InputFile>) =
        files.into_iter().partition(is_json);
    let ms = match read {
        Some((ingested, ms)) => {
            cache.ingested = ingested;
            ms
        }
        None => {
            cache.ingested = ingest::ingest(&exports, &IngestOptions::default());
            cache.now() - start
        }
    };
    // Of the exports read before.
    cache.index = None;
    cache.scenarios = scenarios;
    cache.files_version = Some(files_version);
    cache.phases.push(("read", ms));
    Ok(())
}

/// The set-up to plan with: the page's (edited on the Set up screen), else the `syncplan.json`
/// among the files given, else none (the defaults).
fn setup_of(cache: &Cache, edited: Option<&Scenario>) -> Result<Option<Setup>, engine::Error> {
    match edited {
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
