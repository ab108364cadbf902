//! What the page and the worker say to each other: the request, what the page asks of the
//! plan the worker keeps ([`Ask`]), and the answers. The messages cross in postcard ([`super::wire`]).

use super::*;

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
    /// The set-up that keeps today's synced users as they are, proposed for the business
    /// units of the last plan's set-up ([`crate::engine::propose`]).
    Propose,
    /// The last plan against the plan of another set-up ([`crate::engine::compare`]).
    Compare(Box<CompareWith>),
}

/// The set-up the last plan is compared with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompareWith {
    /// How the page names it: the file's name, or "the legacy set-up".
    pub label: String,
    pub scenario: Scenario,
    /// Whether it comes first (what is planned today, before the set-up shown).
    pub first: bool,
}

/// A proposal ([`Ask::Propose`]) as the page shows it, with its set-up and the new groups'
/// files. Written out as text by the worker: the page only shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposed {
    pub business_units: Vec<ProposedBu>,
    pub scenario: Scenario,
    pub groups_csv: Option<String>,
    pub members_csv: Option<String>,
}

/// One business unit of a proposal, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedBu {
    pub name: String,
    /// "kept 312 of 312 users; 0 created; 0 recycled; 0 role changes".
    pub summary: String,
    pub kept: usize,
    pub kept_unchanged: usize,
    pub notes: Vec<String>,
    /// Group of users, assignment, users reached, why.
    pub chosen: Vec<[String; 4]>,
    /// The new groups, each in a sentence.
    pub new_groups: Vec<String>,
    /// User, role today, role proposed, why and the fix.
    pub conflicts: Vec<[String; 4]>,
    /// The synced users no set-up keeps, each with why.
    pub lost: Vec<String>,
}

/// A comparison ([`Ask::Compare`]): the counts, the users whose access changes, and the CSV of
/// every user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compared {
    /// "the legacy set-up → this set-up".
    pub title: String,
    /// Gains access, loses access, role changes, unchanged (`compare::Change::ALL`'s order).
    pub counts: [usize; 4],
    /// User, business unit, change (`gains_access`, …), before, after.
    pub changed: Vec<[String; 5]>,
    pub csv: String,
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

/// A decision found for an explanation ([`Ask::Explain`]), with its place in the report
/// (`None`: the plan has no such user).
pub type Found = Option<Box<(RowRef, Decision)>>;

/// A user a finding concerns, as the findings list links it: the business unit's position,
/// the row key (see [`row_key`]) and the shown name.
pub type WhoUser = (usize, String, String);

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

/// A decision without its [`Details`], as it crosses to the page (in the user table's
/// [`RowsPage`], and every decision when the whole report is printed). postcard writes the
/// fields in order, without their names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub action: Action,
    pub salesforce_user_id: Option<UserId>,
    pub username: Option<Text>,
    pub name: Option<Text>,
    pub email: Option<Text>,
    pub ae_user_id: Option<Text>,
    pub role: Option<Text>,
    pub previous_role: Option<Text>,
    pub groups: Vec<Text>,
    pub reason: Code,
    pub role_reason: Option<Code>,
    pub changes: Vec<Change>,
    pub findings: Vec<Code>,
}

impl Row {
    /// A copy of the decision's row (without its details).
    pub fn of_ref(d: &Decision) -> Row {
        Row {
            action: d.action,
            salesforce_user_id: d.salesforce_user_id.clone(),
            username: d.username.clone(),
            name: d.name.clone(),
            email: d.email.clone(),
            ae_user_id: d.ae_user_id.clone(),
            role: d.role.clone(),
            previous_role: d.previous_role.clone(),
            groups: d.groups.clone(),
            reason: d.reason.code,
            role_reason: d.role_reason.as_ref().map(|r| r.code),
            changes: d.changes.clone(),
            findings: d.findings.clone(),
        }
    }

    /// The decision again, with empty details (reason texts, trace, assumptions, memberships).
    pub fn into_decision(self) -> Decision {
        let code = |code: Code| Reason {
            code,
            text: String::new(),
        };
        Decision {
            action: self.action,
            salesforce_user_id: self.salesforce_user_id,
            username: self.username,
            name: self.name,
            email: self.email,
            ae_user_id: self.ae_user_id,
            role: self.role,
            previous_role: self.previous_role,
            groups: self.groups,
            reason: Arc::new(code(self.reason)),
            role_reason: self.role_reason.map(code).map(Arc::new),
            trace: Vec::new(),
            changes: self.changes,
            assumptions: Vec::new(),
            memberships: Vec::new(),
            findings: self.findings,
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
    /// When the set-up could not be planned (a reference that matches nothing, a broken
    /// `syncplan.json`): that set-up, as far as it was read, so that the Set up screen can show
    /// it to be corrected; the worker keeps the last plan it could make.
    #[serde(default)]
    pub setup_failed: Option<Option<Scenario>>,
    /// After a set-up edit (the same files planned again): how many users' action or role
    /// changed, and the first of them, "jane@acme.example: create (Marketing) → none".
    #[serde(default)]
    pub changed: Option<(usize, Vec<String>)>,
    /// Where the worker's time went for this answer, ms: `read` (the exports, when read for it)
    /// and `plan` (planning and what the answer carries). The page writes them on the summary
    /// (`data-phases`) for the benchmarks, which cannot see a worker's console in every browser.
    #[serde(default)]
    pub phases: Vec<(String, u64)>,
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
            setup_failed: None,
            changed: None,
            phases: Vec::new(),
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
    /// A proposal for the plan of `generation` ([`Ask::Propose`]), or why not.
    Proposed {
        generation: u64,
        proposal: Result<Box<Proposed>, String>,
    },
    /// A comparison with the plan of `generation` ([`Ask::Compare`]), or why not.
    Compared {
        generation: u64,
        comparison: Result<Box<Compared>, String>,
    },
    /// Every decision of the plan of `generation`, as rows and details (`None` when that plan
    /// is gone).
    AllTraces {
        generation: u64,
        /// (A 100k-user plan's details are some 40 MB as JSON.)
        all: Option<(Vec<Vec<Row>>, Traces)>,
    },
}
