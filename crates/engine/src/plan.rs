//! The plan (§9) and the one way to make it, shared by the command line, the web worker, the
//! tests and the benchmarks: the exports are read by [`ingest::ingest`] (or an
//! [`ingest::Ingester`], file by file), the set-up parsed by [`Setup::parse`], then [`plan`]
//! resolves the set-up, decides and audits.

use crate::codes::Code;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::audit;
use super::classify;
use super::decide::{self, Action, Decision, Finding};
use super::diag::{Diagnostic, Severity, Source};
use super::error::Error;
use super::id::{ProfileId, UserId};
use super::ingest::{self, FileReport, Kind};
use super::membership::{Resolver, Sets};
use super::model::{Org, User};
use super::scenario::{self, Mode, Resolved, Scenario};
use crate::sort;
use rustc_hash::FxHashMap;

/// The plan's format version (§9). Minor versions only add fields.
pub const FORMAT_VERSION: &str = "1.0";

/// Counts per action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub create: usize,
    pub update: usize,
    pub restore: usize,
    pub recycle: usize,
    pub skip: usize,
    pub none: usize,
}

impl Summary {
    pub fn add(&mut self, a: Action) {
        match a {
            Action::Create => self.create += 1,
            Action::Update => self.update += 1,
            Action::Restore => self.restore += 1,
            Action::Recycle => self.recycle += 1,
            Action::Skip => self.skip += 1,
            Action::None => self.none += 1,
        }
    }
    pub fn of(decisions: &[Decision]) -> Self {
        let mut s = Summary::default();
        for d in decisions {
            s.add(d.action);
        }
        s
    }
    pub fn merge(&mut self, o: &Summary) {
        self.create += o.create;
        self.update += o.update;
        self.restore += o.restore;
        self.recycle += o.recycle;
        self.skip += o.skip;
        self.none += o.none;
    }
    /// Changes User Sync makes (create, update, restore, recycle).
    pub fn changes(&self) -> usize {
        self.create + self.update + self.restore + self.recycle
    }
}

/// One business unit of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuPlan {
    pub name: String,
    /// The AE users export read for this BU (null: a new BU with no AE users).
    pub ae_users: Option<String>,
    /// The BU creator (R-CREATOR), when known.
    pub creator: Option<UserId>,
    pub summary: Summary,
    pub decisions: Vec<Decision>,
}

/// The plan JSON (§9), `format_version` 1.0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub format_version: String,
    pub mode: Mode,
    pub summary: Summary,
    pub business_units: Vec<BuPlan>,
    /// Ingestion, scenario, membership and audit diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// The audit findings with the users they concern (a richer form of some diagnostics).
    pub findings: Vec<Finding>,
    /// What was read from each file (as `syncplan inspect --format json`).
    pub files: Vec<FileReport>,
}

/// One row of a BU's profile-to-role table, as the web app shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileRoleRow {
    pub profile_id: Option<ProfileId>,
    pub profile: String,
    /// The AE role a Marketing user with this profile gets.
    pub role: String,
    /// R-PROFILE (from the table) or R-DEFAULT (not in the table: Marketing).
    pub rule: Code,
    pub is_default: bool,
    /// Users with this profile, and how many of them are active.
    pub users: usize,
    pub active_users: usize,
    /// Users with this profile in the BU's Marketing set (legacy: with the profile ticked).
    pub assigned_users: usize,
}

/// The profile-to-role table of one BU (legacy: the shared ticked-profiles table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileRoleTable {
    pub business_unit: String,
    pub rows: Vec<ProfileRoleRow>,
}

/// An integration or system user, with the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationUser {
    pub salesforce_user_id: UserId,
    pub username: String,
    pub name: Option<String>,
    pub is_active: bool,
    pub evidence: Vec<String>,
    /// The business units in which the user is assigned (empty: not assigned).
    pub assigned_in: Vec<String>,
    pub assigned: bool,
}

/// Everything the command line and the web app show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub plan: Plan,
    /// The scenario used (the defaults when none was given), ready to edit and save.
    pub scenario: Scenario,
    /// Whether `scenario` is the default one (no scenario was given).
    pub scenario_defaulted: bool,
    pub profile_roles: Vec<ProfileRoleTable>,
    pub integration_users: Vec<IntegrationUser>,
}

/// A set-up to plan with: the name of its file, the scenario, and what reading it found.
#[derive(Debug, Clone, PartialEq)]
pub struct Setup {
    pub name: String,
    pub scenario: Scenario,
    pub diagnostics: Vec<Diagnostic>,
}

impl Setup {
    /// A set-up file's text, parsed: a fatal [`Error`] when it cannot be read as one.
    pub fn parse(name: &str, text: &str) -> Result<Setup, Error> {
        let (scenario, diagnostics) = scenario::parse(name, text)?;
        Ok(Setup {
            name: name.to_string(),
            scenario,
            diagnostics,
        })
    }

    /// A scenario made or edited in memory (the web app's Set up screen), as `syncplan.json`.
    pub fn given(scenario: Scenario) -> Setup {
        Setup {
            name: "syncplan.json".to_string(),
            scenario,
            diagnostics: Vec::new(),
        }
    }
}

/// The exports a plan reads, as [`ingest`](ingest::ingest) read them.
#[allow(clippy::large_enum_variant)] // made once per plan, never stored
pub enum Exports<'i> {
    /// Kept by the caller, which plans them again (the web worker, after each edit).
    Kept(&'i ingest::Ingested),
    /// Handed over by a caller done with them once planned (the command line): the GroupMember
    /// rows are freed as soon as the memberships are known, before the decisions are written
    /// (on a 1M-user org, 450 MB that the decisions then reuse). What is left comes back in
    /// [`Planned::exports`], so that the caller chooses when (or whether) to free it.
    HandedOver(ingest::Ingested),
}

impl<'i> From<&'i ingest::Ingested> for Exports<'i> {
    fn from(ingested: &'i ingest::Ingested) -> Self {
        Exports::Kept(ingested)
    }
}

impl From<ingest::Ingested> for Exports<'static> {
    fn from(ingested: ingest::Ingested) -> Self {
        Exports::HandedOver(ingested)
    }
}

/// How a plan runs; the report is the same whatever they say.
#[derive(Default)]
pub struct PlanOptions<'r, 'o> {
    /// Runs two pieces of work at once, on two threads (the command line): the membership
    /// resolver's two passes, each business unit's users in two halves, the tables beside the
    /// audit. `None`: one after the other (the browser's worker, with one core).
    pub join: Option<ingest::Join>,
    /// A membership resolver the caller keeps, fresh from [`Resolver::for_ingested`] on the
    /// kept exports (the plan takes its diagnostics), so that the caller's lookups afterwards
    /// (reach, candidates) do not index the org again.
    pub resolver: Option<&'r mut Resolver<'o>>,
}

/// A plan made.
pub struct Planned {
    pub report: Report,
    /// The exports handed over, less their GroupMember rows; `None` when they were kept.
    pub exports: Option<ingest::Ingested>,
}

/// Plan: check that something usable was read (among it a User export), resolve the set-up
/// (the defaults when `None`, said in a W-NO-SCENARIO), decide every business unit and audit.
pub fn plan(
    exports: Exports<'_>,
    setup: Option<Setup>,
    opts: PlanOptions<'_, '_>,
) -> Result<Planned, Error> {
    let PlanOptions { join, resolver } = opts;
    match exports {
        Exports::Kept(ingested) => {
            let (diags, setup) = checked(ingested, setup)?;
            let named = setup.as_ref().map(|s| (s.name.as_str(), &s.scenario));
            let scoped = match resolver {
                Some(resolver) => scope(&ingested.org, named, diags, resolver)?,
                None => scope(
                    &ingested.org,
                    named,
                    diags,
                    &mut Resolver::for_ingested_on(ingested, join),
                )?,
            };
            let mut report = decide_all(&ingested.org, scoped, join);
            report.plan.files = ingested.files.clone();
            Ok(Planned {
                report,
                exports: None,
            })
        }
        Exports::HandedOver(mut ingested) => {
            let (diags, setup) = checked(&ingested, setup)?;
            let named = setup.as_ref().map(|s| (s.name.as_str(), &s.scenario));
            let scoped = scope(
                &ingested.org,
                named,
                diags,
                &mut Resolver::for_ingested_on(&ingested, join),
            )?;
            drop(std::mem::take(&mut ingested.org.group_members));
            drop(std::mem::take(&mut ingested.member_users_known));
            let mut report = decide_all(&ingested.org, scoped, join);
            report.plan.files = ingested.files.clone();
            Ok(Planned {
                report,
                exports: Some(ingested),
            })
        }
    }
}

/// A plan's checks before anything is planned: something usable was read, among it a users
/// export. Gives every diagnostic so far (the files', then the set-up's) and the set-up.
fn checked(
    ingested: &ingest::Ingested,
    setup: Option<Setup>,
) -> Result<(Vec<Diagnostic>, Option<Setup>), Error> {
    if !ingested.anything_usable() {
        return Err(Error::NothingUsable {
            files: ingested.files.len(),
        });
    }
    if !ingested
        .files
        .iter()
        .any(|f| f.kind == Kind::User && f.is_usable())
    {
        return Err(Error::NoUserExport);
    }
    let mut diags: Vec<Diagnostic> = ingested.all_diagnostics().cloned().collect();
    let setup = setup.map(|mut s| {
        diags.append(&mut s.diagnostics);
        s
    });
    Ok((diags, setup))
}

/// A plan's first stage, the one that needs the membership resolver: the scenario resolved and
/// each business unit's Marketing and Sales sets.
struct Scoped {
    scenario: Scenario,
    defaulted: bool,
    resolved: Resolved,
    /// Per business unit of `resolved`.
    sets: Vec<Sets>,
    diags: Vec<Diagnostic>,
}

fn scope(
    org: &Org,
    scenario: Option<(&str, &Scenario)>,
    mut diags: Vec<Diagnostic>,
    resolver: &mut Resolver<'_>,
) -> Result<Scoped, Error> {
    let defaulted = scenario.is_none();
    let default = scenario::default_for(org);
    let (file, sc) = scenario.unwrap_or(("(defaults)", &default));
    let (resolved, sdiags) = resolver.resolve_scenario(file, sc, defaulted)?;
    diags.extend(sdiags);
    resolver.include_bosses(resolved.include_bosses);
    let sets = resolved
        .business_units
        .iter()
        .map(|bu| {
            if resolved.mode == Mode::Latest {
                resolver.sets(&bu.marketing, &bu.sales)
            } else {
                Sets::default()
            }
        })
        .collect();
    // Membership diagnostics. Ingestion already reports cycles and dangling references (one per
    // row); when it did, the membership resolver's own W-CYCLE / W-ORPHAN would repeat them.
    // (Extended, not collected: see `engine::sort`.)
    let mut known: BTreeSet<Code> = BTreeSet::new();
    known.extend(diags.iter().map(|d| d.code));
    for d in std::mem::take(&mut resolver.diagnostics) {
        let repeated =
            (d.code == Code::WCycle || d.code == Code::WOrphan) && known.contains(&d.code);
        if !repeated {
            diags.push(d);
        }
    }
    Ok(Scoped {
        scenario: sc.clone(),
        defaulted,
        resolved,
        sets,
        diags,
    })
}

/// A plan's second stage: every business unit's decisions, the audit and the tables. When
/// `join` runs work on two cores, each business unit's users are decided in two halves at once
/// ([`decide::decide_bu_on`]), then the tables are made while the decisions are audited.
fn decide_all(org: &Org, scoped: Scoped, join: Option<ingest::Join>) -> Report {
    let Scoped {
        scenario,
        defaulted,
        resolved,
        sets: all_sets,
        mut diags,
    } = scoped;
    let mut outcomes: Vec<_> = resolved
        .business_units
        .iter()
        .zip(&all_sets)
        .map(|(bu, sets)| decide::decide_bu_on(org, &resolved, bu, sets, join))
        .collect();
    let mut findings: Vec<Finding> = Vec::new();
    let mut tables = None;
    join.unwrap_or(ingest::in_turn)(
        &mut || findings = audited(org, &resolved, &all_sets, &mut outcomes, &mut diags),
        &mut || {
            tables = Some((
                profile_tables(org, &resolved, &all_sets),
                integration_users(org, &resolved, &all_sets),
            ))
        },
    );

    let mut summary = Summary::default();
    let mut business_units = Vec::new();
    for (o, bu) in outcomes.into_iter().zip(&resolved.business_units) {
        let s = Summary::of(&o.decisions);
        summary.merge(&s);
        business_units.push(BuPlan {
            name: o.name,
            ae_users: bu.ae_file.clone(),
            creator: bu.creator.clone(),
            summary: s,
            decisions: o.decisions,
        });
    }
    let (profile_roles, integration_users) = tables.unwrap_or_default();
    Report {
        plan: Plan {
            format_version: FORMAT_VERSION.to_string(),
            mode: resolved.mode,
            summary,
            business_units,
            diagnostics: diags,
            findings,
            files: Vec::new(),
        },
        scenario,
        scenario_defaulted: defaulted,
        profile_roles,
        integration_users,
    }
}

/// Every business unit's decisions audited, then the org's: the findings (taken out of the
/// outcomes) sorted, each also added to `diags` as a diagnostic.
fn audited(
    org: &Org,
    resolved: &Resolved,
    all_sets: &[Sets],
    outcomes: &mut [decide::BuOutcome],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Finding> {
    for ((o, bu), sets) in outcomes
        .iter_mut()
        .zip(&resolved.business_units)
        .zip(all_sets)
    {
        let extra = audit::audit_bu(org, resolved, bu, sets, o);
        o.findings.extend(extra);
    }
    let mut findings: Vec<Finding> = audit::cross_bu_emails(org, resolved, outcomes);
    for o in outcomes.iter_mut() {
        findings.append(&mut o.findings);
    }
    findings.extend(audit::audit_org(org, outcomes));
    // Through the shared sort: no copy of the sort of its own, and no scratch copy of every
    // finding (it moves positions).
    sort::sort(&mut findings);
    findings.dedup();
    let multi = resolved.business_units.len() > 1;
    // AE user sources by (BU, AE id), built once.
    let mut ae_sources: FxHashMap<(&str, &str), &Source> = FxHashMap::default();
    for b in &resolved.business_units {
        if let Some(e) = b.ae_file.as_ref().and_then(|x| org.ae_exports.get(x)) {
            for a in &e.users {
                ae_sources
                    .entry((b.name.as_str(), a.id.as_str()))
                    .or_insert(&a.source);
            }
        }
    }
    for f in &findings {
        diags.push(to_diagnostic(org, &ae_sources, f, multi));
    }
    findings
}

/// A finding as a diagnostic, located at the first record it concerns.
fn to_diagnostic(
    org: &Org,
    ae_sources: &FxHashMap<(&str, &str), &Source>,
    f: &Finding,
    multi: bool,
) -> Diagnostic {
    let message = match (&f.business_unit, multi) {
        (Some(b), true) => format!("business unit `{b}`: {}", f.message),
        _ => f.message.clone(),
    };
    let mut d = Diagnostic::new(f.severity, f.code, message);
    if let Some(first) = f.users.first() {
        if let Some(ae_id) = first.strip_prefix("ae:") {
            let bu = f.business_unit.as_deref().unwrap_or("");
            if let Some(s) = ae_sources.get(&(bu, ae_id)) {
                d = d.at(s);
            }
        } else if let Some(u) = UserId::parse(first).ok().and_then(|p| org.users.get(&p.id)) {
            d = d.at(&u.source);
        }
    }
    if d.file.as_deref() == Some("") {
        d.file = None;
        d.line = None;
    }
    d
}

fn profile_tables(org: &Org, resolved: &Resolved, sets: &[Sets]) -> Vec<ProfileRoleTable> {
    // The users of each profile name, in the org's order (one pass over the users).
    let mut by_profile: FxHashMap<&str, Vec<&User>> = FxHashMap::default();
    for u in org.users.values() {
        if let Some(n) = classify::profile_name(org, u) {
            by_profile.entry(n).or_default().push(u);
        }
    }
    // Every profile: from the Profile export, else the users' profile names (with the id of
    // the first user who has it).
    let mut profiles: BTreeMap<&str, Option<ProfileId>> = BTreeMap::new();
    for p in org.profiles.values() {
        profiles.insert(p.name.as_str(), Some(p.id.clone()));
    }
    for (n, users) in &by_profile {
        if let Some(first) = users.first() {
            profiles
                .entry(n)
                .or_insert_with(|| first.profile_id.clone());
        }
    }
    let mut out = Vec::new();
    for (bu, s) in resolved.business_units.iter().zip(sets) {
        let mut rows = Vec::new();
        for (name, id) in &profiles {
            let (table, by_name) = if resolved.mode == Mode::Legacy {
                (&bu.legacy_profiles, &bu.legacy_profiles_by_name)
            } else {
                (&bu.profile_roles, &bu.profile_roles_by_name)
            };
            let mapped = id
                .as_ref()
                .and_then(|i| table.get(i))
                .or_else(|| by_name.get(*name));
            let users: &[&User] = by_profile.get(name).map_or(&[], Vec::as_slice);
            let assigned = users
                .iter()
                .filter(|u| {
                    if resolved.mode == Mode::Legacy {
                        mapped.is_some()
                    } else {
                        s.marketing.contains_key(&u.id)
                    }
                })
                .count();
            if resolved.mode == Mode::Legacy && mapped.is_none() {
                rows.push(ProfileRoleRow {
                    profile_id: id.clone(),
                    profile: name.to_string(),
                    role: String::new(),
                    rule: Code::GUnselected,
                    is_default: true,
                    users: users.len(),
                    active_users: users.iter().filter(|u| u.is_active).count(),
                    assigned_users: 0,
                });
                continue;
            }
            rows.push(ProfileRoleRow {
                profile_id: id.clone(),
                profile: name.to_string(),
                role: mapped.cloned().unwrap_or_else(|| "Marketing".into()),
                rule: if resolved.mode == Mode::Legacy {
                    Code::GSelected
                } else if mapped.is_some() {
                    Code::RProfile
                } else {
                    Code::RDefault
                },
                is_default: mapped.is_none(),
                users: users.len(),
                active_users: users.iter().filter(|u| u.is_active).count(),
                assigned_users: assigned,
            });
        }
        out.push(ProfileRoleTable {
            business_unit: bu.name.clone(),
            rows,
        });
    }
    out
}

fn integration_users(org: &Org, resolved: &Resolved, sets: &[Sets]) -> Vec<IntegrationUser> {
    let mut out = Vec::new();
    for u in org.users.values() {
        let evidence = classify::integration_evidence(org, u);
        if evidence.is_empty() {
            continue;
        }
        let mut assigned_in = Vec::new();
        for (bu, s) in resolved.business_units.iter().zip(sets) {
            let assigned = if resolved.mode == Mode::Legacy {
                let p = classify::profile(org, u)
                    .map(|p| p.id.clone())
                    .or_else(|| u.profile_id.clone());
                p.is_some_and(|p| bu.legacy_profiles.contains_key(&p))
                    || u.profile_name
                        .as_deref()
                        .is_some_and(|n| bu.legacy_profiles_by_name.contains_key(n))
            } else {
                s.marketing.contains_key(&u.id) || s.sales.contains_key(&u.id)
            };
            if assigned {
                assigned_in.push(bu.name.clone());
            }
        }
        out.push(IntegrationUser {
            salesforce_user_id: u.id.clone(),
            username: u.username.to_string(),
            name: u.name.as_deref().map(str::to_string),
            is_active: u.is_active,
            evidence,
            assigned: !assigned_in.is_empty(),
            assigned_in,
        });
    }
    out
}

/// Whether a diagnostic list has an error.
pub fn has_error(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}
