//! The migration assistant (spec §12): for every business unit, the latest-mode set-up that
//! keeps every user synced today as they are (same role, nobody created, nobody recycled),
//! preferring what the org already maintains, then planned to prove it.
//!
//! Each step is one function: who is kept ([`kept_users`]), which group each goes in
//! ([`targets`]), the profile-to-role table and the conflicts no table can avoid
//! ([`profile_table`]), the assignments that reach exactly the kept users ([`cover`]), the new
//! public group for the users left ([`new_group`]), and the plan of the proposal
//! ([`verify`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::classify;
use crate::decide::{Action, Decision};
use crate::diag::Source;
use crate::export::{csv_table, CsvOptions};
use crate::id::{GroupId, UserId};
use crate::ingest::Ingested;
use crate::membership::{Resolver, Set};
use crate::model::{Group, GroupMember, GroupType, Org};
use crate::plan::{plan, Exports, PlanOptions, Setup};
use crate::scenario::{
    canonical_role, Assignment, BusinessUnit, Mode, ResolvedAssignment, ResolvedBu, Scenario,
    Target,
};
use crate::Error;

/// A user synced today who can be kept: their AE user and role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kept {
    pub salesforce_user_id: UserId,
    pub username: String,
    pub ae_user_id: String,
    pub role: String,
    /// The profile's name (the key of the profile-to-role table).
    #[serde(default, skip_serializing_if = "crate::omit::none")]
    pub profile: Option<String>,
}

/// A user synced today whom no set-up can keep, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannotKeep {
    pub salesforce_user_id: UserId,
    pub username: String,
    pub why: String,
    /// What the proposal's plan does to them (the same under any set-up).
    #[serde(default, skip_serializing_if = "crate::omit::none")]
    pub action: Option<Action>,
}

/// A kept user whose role today the proposal cannot give them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub salesforce_user_id: UserId,
    pub username: String,
    pub current_role: String,
    pub proposed_role: String,
    pub reason: String,
}

/// One proposed assignment: how many users it reaches and why it was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chosen {
    pub set: Set,
    pub assignment: Assignment,
    pub users: usize,
    pub why: String,
}

/// A public group to create (with Data Loader) for the kept users no existing group or role
/// reaches exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewGroup {
    pub name: String,
    pub developer_name: String,
    /// A placeholder id, so that syncplan reads the proposed files back as exports.
    pub id: GroupId,
    pub set: Set,
    pub members: Vec<UserId>,
}

/// How many assignments each group gets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub marketing_users: usize,
    pub sales_users: usize,
}

/// The proposal planned: what it keeps, creates, recycles and changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// Kept users whose AE user stays active with the role they have today.
    pub kept_unchanged: usize,
    pub kept_users: usize,
    pub created: usize,
    /// Kept users the proposal recycles (none, unless the proposal is wrong).
    pub recycled: usize,
    /// Kept users whose role changes (the conflicts).
    pub role_changes: usize,
}

/// One business unit's proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuProposal {
    pub name: String,
    pub kept_users: usize,
    pub assignments: Counts,
    pub new_groups: Vec<NewGroup>,
    pub conflicts: Vec<Conflict>,
    pub cannot_keep: Vec<CannotKeep>,
    pub chosen: Vec<Chosen>,
    /// The kept users themselves (the JSON counts them: a large org has thousands).
    #[serde(skip)]
    pub kept: Vec<Kept>,
    /// What the proposal could not do, and why (no AE users export, exports missing).
    pub notes: Vec<String>,
    pub verification: Verification,
}

/// The proposal (`proposal.json`, spec §12), with the set-up it proposes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub format_version: String,
    pub business_units: Vec<BuProposal>,
    /// The proposed set-up (`syncplan.json`).
    #[serde(skip)]
    pub scenario: Scenario,
}

/// Propose, for every business unit of `setup` (or of the default set-up), the latest-mode
/// set-up that keeps today's synced users as they are, and plan it.
pub fn propose(ingested: &Ingested, setup: Option<Setup>) -> Result<Proposal, Error> {
    let org = &ingested.org;
    let defaulted = setup.is_none();
    // Today's links, as the plan makes them (the assignments do not change who is linked).
    let mut baseline_setup =
        setup.unwrap_or_else(|| Setup::given(crate::scenario::default_for(org)));
    baseline_setup.scenario.mode = Mode::Latest;
    // Its assignments are not used (and one that names nothing must not stop the proposal).
    for bu in &mut baseline_setup.scenario.business_units {
        bu.marketing_users.clear();
        bu.sales_users.clear();
    }
    let baseline = plan(
        Exports::Kept(ingested),
        Some(baseline_setup.clone()),
        PlanOptions::default(),
    )?
    .report;
    let mut resolver = Resolver::for_ingested(ingested);
    let (resolved, _) =
        resolver.resolve_scenario(&baseline_setup.name, &baseline_setup.scenario, defaulted)?;
    let mut scenario = Scenario {
        mode: Mode::Latest,
        legacy: None,
        include_bosses: false,
        business_units: Vec::new(),
        ..baseline.scenario.clone()
    };
    let mut out = Vec::new();
    let mut taken_ids = 0usize;
    for (bu, written) in resolved
        .business_units
        .iter()
        .zip(&baseline_setup.scenario.business_units)
    {
        let decisions = baseline
            .plan
            .business_units
            .iter()
            .find(|b| b.name == bu.name)
            .map(|b| b.decisions.as_slice())
            .unwrap_or(&[]);
        let (p, new_bu) = propose_bu(org, &mut resolver, bu, written, decisions, &mut taken_ids);
        scenario.business_units.push(new_bu);
        out.push(p);
    }
    let mut proposal = Proposal {
        format_version: "1.0".to_string(),
        business_units: out,
        scenario,
    };
    verify(ingested, &mut proposal)?;
    Ok(proposal)
}

/// One business unit: the kept users, their groups, the table, the assignments.
fn propose_bu(
    org: &Org,
    resolver: &mut Resolver<'_>,
    bu: &ResolvedBu,
    written: &BusinessUnit,
    decisions: &[Decision],
    taken_ids: &mut usize,
) -> (BuProposal, BusinessUnit) {
    let mut p = BuProposal {
        name: bu.name.clone(),
        kept_users: 0,
        assignments: Counts::default(),
        new_groups: Vec::new(),
        conflicts: Vec::new(),
        cannot_keep: Vec::new(),
        chosen: Vec::new(),
        kept: Vec::new(),
        notes: Vec::new(),
        verification: Verification::default(),
    };
    let mut new_bu = BusinessUnit {
        name: written.name.clone(),
        creator: written.creator.clone(),
        tenant: written.tenant.clone(),
        ae_users: written.ae_users.clone(),
        legacy: None,
        marketing_users: Vec::new(),
        sales_users: Vec::new(),
        profile_roles: BTreeMap::new(),
    };
    let export = bu.ae_file.as_ref().and_then(|f| org.ae_exports.get(f));
    let Some(export) = export else {
        p.notes.push(format!(
            "business unit `{}` has no Account Engagement users export: nobody is synced today, so there is nobody to keep and nothing is proposed",
            bu.name
        ));
        return (p, new_bu);
    };
    if !export.has_role {
        p.notes.push(format!(
            "the Account Engagement users export `{}` has no role column: today's roles are unknown, so every kept user is read as Marketing",
            bu.ae_file.as_deref().unwrap_or_default()
        ));
    }
    let (kept, cannot) = kept_users(org, export, decisions);
    p.kept_users = kept.len();
    p.cannot_keep = cannot;
    p.kept = kept.clone();
    let (marketing, sales, creator_conflict) = targets(&kept, bu.creator.as_ref());
    p.conflicts.extend(creator_conflict);
    let (table, conflicts) = profile_table(&marketing, bu.creator.as_ref());
    p.conflicts.extend(conflicts);
    new_bu.profile_roles = table;
    for (set, list) in [(Set::Marketing, &marketing), (Set::Sales, &sales)] {
        let target: BTreeSet<UserId> = list.iter().map(|k| k.salesforce_user_id.clone()).collect();
        let (chosen, left) = cover(org, resolver, &target, set, &mut p.notes);
        let mut assignments: Vec<Assignment> =
            chosen.iter().map(|c| c.assignment.clone()).collect();
        p.chosen.extend(chosen);
        match left.as_slice() {
            [] => {}
            [one] => {
                let reference = org
                    .users
                    .get(one)
                    .map(|u| u.username.to_string())
                    .unwrap_or_else(|| one.to_string());
                let a = Assignment::User(reference);
                p.chosen.push(Chosen {
                    set,
                    assignment: a.clone(),
                    users: 1,
                    why: "the one kept user no role or public group reaches exactly".into(),
                });
                assignments.push(a);
            }
            many => {
                *taken_ids += 1;
                let Some(g) = new_group(&bu.name, set, many, *taken_ids) else {
                    continue;
                };
                let a = Assignment::PublicGroup(g.developer_name.clone());
                p.chosen.push(Chosen {
                    set,
                    assignment: a.clone(),
                    users: many.len(),
                    why: format!(
                        "a new public group for the {} kept users no role or existing public group reaches exactly",
                        many.len()
                    ),
                });
                assignments.push(a);
                p.new_groups.push(g);
            }
        }
        match set {
            Set::Marketing => {
                p.assignments.marketing_users = assignments.len();
                new_bu.marketing_users = assignments;
            }
            Set::Sales => {
                p.assignments.sales_users = assignments.len();
                new_bu.sales_users = assignments;
            }
        }
    }
    (p, new_bu)
}

/// The users synced today (linked to an AE user of the business unit not in the recycle bin),
/// split into those a set-up can keep (active, Standard) and those it cannot.
pub fn kept_users(
    org: &Org,
    export: &crate::model::AeExport,
    decisions: &[Decision],
) -> (Vec<Kept>, Vec<CannotKeep>) {
    let live: BTreeMap<&str, &crate::model::AeUser> = export
        .users
        .iter()
        .filter(|a| !a.is_deleted)
        .map(|a| (a.id.as_str(), a))
        .collect();
    let mut kept = Vec::new();
    let mut cannot = Vec::new();
    for d in decisions {
        let (Some(uid), Some(ae)) = (&d.salesforce_user_id, d.ae_user_id.as_deref()) else {
            continue;
        };
        let (Some(a), Some(u)) = (live.get(ae), org.users.get(uid)) else {
            continue;
        };
        let username = u.username.to_string();
        if !u.is_active {
            cannot.push(CannotKeep {
                salesforce_user_id: uid.clone(),
                username,
                why: "inactive in Salesforce: User Sync recycles the AE user of an inactive user under any set-up (L-INACTIVE)".into(),
                action: None,
            });
            continue;
        }
        let kind = classify::user_type(org, u);
        if !kind.is_standard() {
            cannot.push(CannotKeep {
                salesforce_user_id: uid.clone(),
                username,
                why: format!(
                    "UserType {}: only internal (Standard) users are synced",
                    kind.value
                ),
                action: None,
            });
            continue;
        }
        kept.push(Kept {
            salesforce_user_id: uid.clone(),
            username,
            ae_user_id: a.id.clone(),
            role: a
                .role
                .as_deref()
                .map(canonical_role)
                .unwrap_or_else(|| "Marketing".to_string()),
            profile: classify::profile_name(org, u).map(str::to_string),
        });
    }
    (kept, cannot)
}

/// Sales Users for the kept users whose role is Sales today, Marketing Users for the rest (the
/// creator among them when they are Administrator today). A creator with another non-Sales role
/// today would become Administrator in Marketing Users: a conflict.
fn targets<'k>(
    kept: &'k [Kept],
    creator: Option<&UserId>,
) -> (Vec<&'k Kept>, Vec<&'k Kept>, Option<Conflict>) {
    let (sales, marketing): (Vec<&Kept>, Vec<&Kept>) = kept.iter().partition(|k| k.role == "Sales");
    let conflict = marketing
        .iter()
        .find(|k| Some(&k.salesforce_user_id) == creator && k.role != "Administrator")
        .map(|k| Conflict {
            salesforce_user_id: k.salesforce_user_id.clone(),
            username: k.username.clone(),
            current_role: k.role.clone(),
            proposed_role: "Administrator".into(),
            reason: "the business unit's creator gets Administrator in Marketing Users (R-CREATOR); keep them in Sales Users only if they should be a Sales user".into(),
        });
    (marketing, sales, conflict)
}

/// The profile-to-role table: each profile of the Marketing kept users (the creator aside) gets
/// the role most of its users have today (ties: Marketing, then by name). The users of a profile
/// with another role are conflicts.
fn profile_table(
    marketing: &[&Kept],
    creator: Option<&UserId>,
) -> (BTreeMap<String, String>, Vec<Conflict>) {
    let mut by_profile: BTreeMap<Option<&str>, BTreeMap<&str, usize>> = BTreeMap::new();
    for k in marketing
        .iter()
        .filter(|k| Some(&k.salesforce_user_id) != creator)
    {
        *by_profile
            .entry(k.profile.as_deref())
            .or_default()
            .entry(k.role.as_str())
            .or_default() += 1;
    }
    let mut table = BTreeMap::new();
    let mut chosen: BTreeMap<Option<&str>, String> = BTreeMap::new();
    for (profile, roles) in &by_profile {
        let best = roles
            .iter()
            .max_by(|a, b| {
                a.1.cmp(b.1)
                    .then_with(|| (b.0 != &"Marketing").cmp(&(a.0 != &"Marketing")))
                    .then_with(|| b.0.cmp(a.0))
            })
            .map(|(r, _)| r.to_string())
            .unwrap_or_else(|| "Marketing".into());
        // No profile: the default role (Marketing) applies.
        if let Some(p) = profile {
            table.insert(p.to_string(), best.clone());
        }
        chosen.insert(
            *profile,
            if profile.is_some() {
                best
            } else {
                "Marketing".into()
            },
        );
    }
    let mut conflicts = Vec::new();
    for k in marketing
        .iter()
        .filter(|k| Some(&k.salesforce_user_id) != creator)
    {
        let proposed = chosen
            .get(&k.profile.as_deref())
            .cloned()
            .unwrap_or_else(|| "Marketing".into());
        if proposed != k.role {
            let reason = match &k.profile {
                Some(p) => {
                    let roles = by_profile.get(&Some(p.as_str()));
                    let n = roles
                        .and_then(|r| r.get(proposed.as_str()))
                        .copied()
                        .unwrap_or(0);
                    let all: usize = roles.map(|r| r.values().sum()).unwrap_or(0);
                    format!(
                        "profile \"{p}\" maps to {proposed}, the role {n} of its {all} synced Marketing users have; a profile gives one role: clone the profile for the users who need {}",
                        k.role
                    )
                }
                None => "the user has no profile, so the default role (Marketing) applies".into(),
            };
            conflicts.push(Conflict {
                salesforce_user_id: k.salesforce_user_id.clone(),
                username: k.username.clone(),
                current_role: k.role.clone(),
                proposed_role: proposed,
                reason,
            });
        }
    }
    (table, conflicts)
}

/// A role, role and subordinates or public group of the org that could be assigned.
struct Candidate {
    assignment: Assignment,
    /// 0 role, 1 role and subordinates, 2 public group: the order of preference on a tie.
    rank: u8,
    label: String,
    users: Vec<UserId>,
}

/// What the org maintains that reaches only users of `target`: its roles, its roles with their
/// subordinates, its public groups; then the greedy choice of those that reach the most users
/// not reached yet, while each reaches at least two. Gives the choices and the users left.
fn cover(
    org: &Org,
    resolver: &mut Resolver<'_>,
    target: &BTreeSet<UserId>,
    set: Set,
    notes: &mut Vec<String>,
) -> (Vec<Chosen>, Vec<UserId>) {
    if target.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let mut candidates = Vec::new();
    let mut consider = |assignment: Assignment, target_of: Target, rank: u8, label: String| {
        let a = ResolvedAssignment {
            written: assignment.clone(),
            target: target_of,
            label: label.clone(),
        };
        let users = resolver.reached(&a);
        if !users.is_empty() && users.iter().all(|u| target.contains(u)) {
            candidates.push(Candidate {
                assignment,
                rank,
                label,
                users,
            });
        }
    };
    for r in org.roles.values() {
        let reference = r.developer_name.clone().unwrap_or_else(|| r.id.to_string());
        consider(
            Assignment::Role(reference.clone()),
            Target::Role(r.id.clone()),
            0,
            format!("role \"{}\"", r.name),
        );
        if org.has_role_export {
            consider(
                Assignment::RoleAndSubordinates(reference),
                Target::RoleAndSubordinates(r.id.clone()),
                1,
                format!("role \"{}\" and subordinates", r.name),
            );
        }
    }
    let regular: Vec<&Group> = org
        .groups
        .values()
        .filter(|g| g.group_type == GroupType::Regular)
        .collect();
    for g in &regular {
        let reference = g.developer_name.clone().unwrap_or_else(|| g.id.to_string());
        let name = g
            .name
            .clone()
            .or_else(|| g.developer_name.clone())
            .unwrap_or_default();
        consider(
            Assignment::PublicGroup(reference),
            Target::PublicGroup(g.id.clone()),
            2,
            format!("public group \"{name}\""),
        );
    }
    if org.roles.is_empty() {
        notes.push(format!(
            "{}: no UserRole export and no role on the users, so no role could be proposed",
            set.group_name()
        ));
    }
    if org.groups.is_empty() {
        notes.push(format!(
            "{}: no Group and GroupMember exports, so no existing public group could be proposed",
            set.group_name()
        ));
    }
    let mut left: BTreeSet<UserId> = target.clone();
    let mut chosen = Vec::new();
    loop {
        let best = candidates
            .iter()
            .enumerate()
            .map(|(i, c)| (c.users.iter().filter(|u| left.contains(*u)).count(), i))
            .filter(|(n, _)| *n >= 2)
            .max_by(|(n, i), (m, j)| {
                let (a, b) = (candidates.get(*i), candidates.get(*j));
                n.cmp(m).then_with(|| {
                    let key = |c: Option<&Candidate>| c.map(|c| (c.rank, c.label.clone()));
                    key(b).cmp(&key(a))
                })
            });
        let Some((n, i)) = best else { break };
        let c = candidates.swap_remove(i);
        for u in &c.users {
            left.remove(u);
        }
        let kind = match c.rank {
            0 => "every user in the role",
            1 => "every user in the role or below it",
            _ => "every member of the group",
        };
        let who = match set {
            Set::Marketing => "a Marketing user",
            Set::Sales => "a Sales user",
        };
        chosen.push(Chosen {
            set,
            assignment: c.assignment,
            users: c.users.len(),
            why: format!(
                "{}: {kind} is synced today as {who} ({n} not reached otherwise)",
                c.label
            ),
        });
        if left.is_empty() {
            break;
        }
    }
    (chosen, left.into_iter().collect())
}

/// The public group to create for the users left: "AE Marketing Users – <BU>".
fn new_group(bu: &str, set: Set, members: &[UserId], n: usize) -> Option<NewGroup> {
    let which = match set {
        Set::Marketing => "Marketing",
        Set::Sales => "Sales",
    };
    let mut developer: String = format!("AE_{which}_Users_{bu}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    while developer.contains("__") {
        developer = developer.replace("__", "_");
    }
    let developer = developer.trim_end_matches('_').chars().take(80).collect();
    Some(NewGroup {
        name: format!("AE {which} Users – {bu}"),
        developer_name: developer,
        id: placeholder_id(n)?,
        set,
        members: members.to_vec(),
    })
}

/// `00G00000SYNC001`: a 15-character group id no org has, for the proposed groups.
fn placeholder_id(n: usize) -> Option<GroupId> {
    GroupId::parse(&format!("00G00000SYNC{:03}", n % 1000))
        .ok()
        .map(|p| p.id)
}

/// Plan the proposal on the exports with its new groups added, and count what it keeps.
fn verify(ingested: &Ingested, proposal: &mut Proposal) -> Result<(), Error> {
    let mut with_groups = ingested.clone();
    let file = u32::try_from(with_groups.org.group_member_files.len()).unwrap_or(u32::MAX);
    with_groups
        .org
        .group_member_files
        .push("proposed-group-members.csv".into());
    for g in proposal.business_units.iter().flat_map(|b| &b.new_groups) {
        with_groups.org.groups.insert(
            g.id.clone(),
            Group {
                id: g.id.clone(),
                group_type: GroupType::Regular,
                name: Some(g.name.clone()),
                developer_name: Some(g.developer_name.clone()),
                related_id: None,
                does_include_bosses: Some(false),
                source: Source::default(),
            },
        );
        for (line, m) in g.members.iter().enumerate() {
            with_groups.org.group_members.push(GroupMember {
                group_id: g.id.clone(),
                member_id: m.as_sf().clone(),
                file,
                line: u32::try_from(line + 2).unwrap_or(u32::MAX),
            });
            with_groups.member_users_known.push(true);
        }
    }
    let report = plan(
        Exports::Kept(&with_groups),
        Some(Setup::given(proposal.scenario.clone())),
        PlanOptions::default(),
    )?
    .report;
    for p in &mut proposal.business_units {
        let Some(bu) = report.plan.business_units.iter().find(|b| b.name == p.name) else {
            continue;
        };
        let by_user: BTreeMap<&UserId, &Decision> = bu
            .decisions
            .iter()
            .filter_map(|d| d.salesforce_user_id.as_ref().map(|u| (u, d)))
            .collect();
        let mut v = Verification {
            kept_users: p.kept_users,
            created: bu.summary.create,
            ..Verification::default()
        };
        for c in &mut p.cannot_keep {
            c.action = by_user.get(&c.salesforce_user_id).map(|d| d.action);
        }
        for k in &p.kept {
            let Some(d) = by_user.get(&k.salesforce_user_id) else {
                continue;
            };
            let role = d.role.as_deref().map(canonical_role);
            match (d.action, role) {
                (Action::Recycle, _) => v.recycled += 1,
                (Action::None | Action::Update, Some(r)) if r == k.role => v.kept_unchanged += 1,
                (_, Some(_)) => v.role_changes += 1,
                _ => {}
            }
        }
        p.verification = v;
    }
    Ok(())
}

/// An assignment's kind as Business Unit Setup names it.
pub fn kind_label(a: &Assignment) -> &'static str {
    match a {
        Assignment::User(_) => "User",
        Assignment::PublicGroup(_) => "Public group",
        Assignment::Role(_) => "Role",
        Assignment::RoleAndSubordinates(_) => "Role and subordinates",
        Assignment::RoleAndInternalSubordinates(_) => "Role and internal subordinates",
    }
}

impl Proposal {
    /// Every business unit's new groups, in order.
    fn new_groups(&self) -> Vec<&NewGroup> {
        self.business_units
            .iter()
            .flat_map(|b| &b.new_groups)
            .collect()
    }

    /// The new groups, in the Group export's format (Data Loader inserts them; syncplan reads
    /// them back). `None` when no group is proposed.
    pub fn groups_csv(&self, opts: CsvOptions) -> Option<String> {
        let groups = self.new_groups();
        (!groups.is_empty()).then(|| {
            csv_table(
                &["Id", "Name", "DeveloperName", "Type", "DoesIncludeBosses"],
                groups.iter().map(|g| {
                    vec![
                        g.id.to_string(),
                        g.name.clone(),
                        g.developer_name.clone(),
                        "Regular".to_string(),
                        "false".to_string(),
                    ]
                }),
                opts,
            )
        })
    }

    /// The new groups' members, in the GroupMember export's format.
    pub fn members_csv(&self, opts: CsvOptions) -> Option<String> {
        let groups = self.new_groups();
        (!groups.is_empty()).then(|| {
            csv_table(
                &["GroupId", "UserOrGroupId"],
                groups.iter().flat_map(|g| {
                    g.members
                        .iter()
                        .map(|m| vec![g.id.to_string(), m.to_string()])
                }),
                opts,
            )
        })
    }

    /// `proposal.json`.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// One line per business unit: "kept 312 of 312 users; 0 created; 0 recycled; 2 role
    /// changes: see conflicts".
    pub fn summary_line(bu: &BuProposal) -> String {
        let v = &bu.verification;
        let mut s = format!(
            "kept {} of {} users; {} created; {} recycled; {} role change{}",
            v.kept_unchanged,
            v.kept_users,
            v.created,
            v.recycled,
            v.role_changes,
            if v.role_changes == 1 { "" } else { "s" }
        );
        if !bu.conflicts.is_empty() {
            s.push_str(": see conflicts");
        }
        s
    }

    /// `proposal.md`: per business unit, the summary, the assignments and why, the new groups,
    /// the conflicts with their fix, the users no set-up keeps, and the notes.
    pub fn markdown(&self) -> String {
        crate::render::visible(&self.markdown_raw())
    }

    fn markdown_raw(&self) -> String {
        let mut out = String::from("# Proposed User Sync set-up\n\nThe latest-mode set-up that keeps the users synced today as they are. Planned with its new groups: the counts below are the plan's.\n");
        for bu in &self.business_units {
            out.push_str(&format!(
                "\n## {}\n\n{}.\n",
                bu.name,
                Self::summary_line(bu)
            ));
            for n in &bu.notes {
                out.push_str(&format!("\n> {n}\n"));
            }
            if !bu.chosen.is_empty() {
                out.push_str(
                    "\n| Group of users | Assignment | Users | Why |\n|---|---|---|---|\n",
                );
                for c in &bu.chosen {
                    out.push_str(&format!(
                        "| {} | {}: {} | {} | {} |\n",
                        c.set.group_name(),
                        kind_label(&c.assignment),
                        crate::render::markdown_escape(c.assignment.reference()),
                        c.users,
                        crate::render::markdown_escape(&c.why)
                    ));
                }
            }
            for g in &bu.new_groups {
                out.push_str(&format!(
                    "\nNew public group **{}** ({}), {} members. With Data Loader, insert proposed-groups.csv (Name, DeveloperName, Type; its Id column is a placeholder syncplan reads the files back with), then proposed-group-members.csv with GroupId replaced by the new group's Id.\n",
                    crate::render::markdown_escape(&g.name),
                    crate::render::markdown_escape(&g.developer_name),
                    g.members.len()
                ));
            }
            if !bu.conflicts.is_empty() {
                out.push_str("\n### Conflicts\n\n| User | Role today | Proposed | Why, and the fix |\n|---|---|---|---|\n");
                for c in &bu.conflicts {
                    out.push_str(&format!(
                        "| {} | {} | {} | {} |\n",
                        crate::render::markdown_escape(&c.username),
                        crate::render::markdown_escape(&c.current_role),
                        crate::render::markdown_escape(&c.proposed_role),
                        crate::render::markdown_escape(&c.reason)
                    ));
                }
            }
            if !bu.cannot_keep.is_empty() {
                out.push_str("\n### Synced today, kept by no set-up\n\n");
                for c in &bu.cannot_keep {
                    out.push_str(&format!(
                        "- {}: {}\n",
                        crate::render::markdown_escape(&c.username),
                        crate::render::markdown_escape(&c.why)
                    ));
                }
            }
        }
        out
    }
}
