//! Who is assigned (spec §2, §10.12–16): the Marketing and Sales sets of each business unit,
//! each membership with its shortest explaining path.
//!
//! The org's indices (group members, users by role, the role tree) are built once in
//! [`Resolver::new`]; every assignment is then a breadth-first search over a graph of
//! groups, roles and role subtrees, each node visited once, so large orgs stay fast.

use crate::codes::Code;
use crate::graph::find_cycles;
use crate::sort;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::classify;
use super::diag::Diagnostic;
use super::error::Error;
use super::id::{GroupId, RoleId, UserId};
use super::ingest::{in_turn, Ingested, Join};
use super::model::{per_group, Group, GroupType, Org};
use super::scenario::{self, Resolved, ResolvedAssignment, Switch, Target, UserNames};
use rustc_hash::{FxHashMap, FxHashSet};

/// Which of a BU's two groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Set {
    Marketing,
    Sales,
}

impl Set {
    pub fn group_name(self) -> &'static str {
        match self {
            Set::Marketing => "Marketing Users",
            Set::Sales => "Sales Users",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Set::Marketing => "marketing",
            Set::Sales => "sales",
        }
    }
}

/// One user's membership of one set, with the rule and the shortest path that explain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub set: Set,
    /// M-USER, M-GROUP, M-ROLE, M-ROLE-SUB, M-ROLE-SUB-INT or M-ORG.
    pub code: Code,
    /// `Marketing Users ← public group "EMEA Marketing" ← … ← user`: one string for every user
    /// reached along the same path (every member of a group), shared by their decisions.
    pub path: Arc<str>,
    /// The position of the assignment in the scenario's list.
    pub assignment: usize,
    #[serde(skip)]
    depth: usize,
}

/// How many users one assignment reaches (for W-BROAD).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reach {
    pub set: Set,
    pub assignment: usize,
    pub label: String,
    pub kind: String,
    /// Active internal (Standard) users reached.
    pub active_internal: usize,
    pub users: usize,
}

/// The two sets of one BU.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sets {
    pub marketing: BTreeMap<UserId, Membership>,
    pub sales: BTreeMap<UserId, Membership>,
    pub reach: Vec<Reach>,
    /// The groups nested in either set whose members the exports cannot tell (M-UNSUPPORTED):
    /// a user outside that set may be in it after all (A-UNRESOLVED-GROUP).
    #[serde(default)]
    pub unknown: Vec<UnknownGroup>,
}

/// A group nested in a set whose type the exports cannot resolve (Queue, Territory, …).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UnknownGroup {
    pub set: Set,
    /// As the texts name it: `` Territory group `West` ``.
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Group(GroupId),
    Role(RoleId),
    Sub(RoleId, bool),
    Org,
    RoleName(String),
}

/// A user reached: depth, the path's last entry, the rule code.
type Reached = (UserId, usize, Option<usize>, Code);

struct Entry {
    label: String,
    parent: Option<usize>,
}

/// The org's membership indices, built once.
pub struct Resolver<'a> {
    org: &'a Org,
    /// What the org's exports alone decide (kept between plans of the same exports: see
    /// [`Resolver::index`]).
    index: Arc<Index>,
    subtrees: FxHashMap<(RoleId, bool), Vec<RoleId>>,
    /// How many users each target reaches, once counted ([`Resolver::sets`] counts the plan's
    /// assignments; the set-up screen's reach of the same assignments then costs nothing).
    reach_counts: FxHashMap<Target, usize>,
    /// The users one walk has reached, kept between walks: cleared, not grown afresh (the
    /// set-up screen walks from every group and role of the org).
    reached_scratch: FxHashSet<UserId>,
    /// The users by Username and by Name, for resolving scenarios (each built on first need).
    user_names: UserNames<'a>,
    /// Read "Grant access using hierarchies" as adding the bosses (M-BOSSES); off, W-BOSSES.
    include_bosses: bool,
    /// The bosses of each group that grants access using hierarchies, once found.
    bosses_of: FxHashMap<GroupId, Vec<UserId>>,
    /// The unresolvable groups the walks with paths have met, until [`Resolver::sets`] takes
    /// them.
    unknown_met: Vec<GroupId>,
    /// Diagnostics (deduplicated): cycles, orphans, unsupported groups.
    pub diagnostics: BTreeSet<Diagnostic>,
}

fn group_display(g: &Group) -> String {
    let named = g
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .or_else(|| g.developer_name.clone().filter(|n| !n.trim().is_empty()));
    if let Some(n) = named {
        return n;
    }
    let related = g
        .related_id
        .as_ref()
        .map(|r| r.to_string())
        .unwrap_or_default();
    match (&g.group_type, g.group_type.role_words()) {
        (_, Some(words)) => format!("{words}: {related}"),
        (GroupType::Organization, None) => "Organization".to_string(),
        _ => g.id.to_string(),
    }
}

/// A group's name for messages, with a role group's role by name.
fn group_label(org: &Org, g: &Group) -> String {
    let role = g
        .related_id
        .as_ref()
        .and_then(|r| RoleId::try_from_sf(r.clone()).ok())
        .and_then(|r| org.roles.get(&r))
        .map(|r| r.name.clone());
    match (g.name.as_deref().filter(|n| !n.trim().is_empty()), role) {
        (None, Some(role)) => match g.group_type.role_words() {
            Some(words) => format!("{words}: {role}"),
            None => group_display(g),
        },
        _ => group_display(g),
    }
}

/// The GroupMember rows the resolver could not follow, by group.
#[derive(Default)]
struct Unresolved {
    /// Members that are not in the User export.
    missing_users: BTreeMap<GroupId, Vec<String>>,
    /// Nested groups that are not in the Group export.
    missing_groups: BTreeMap<GroupId, Vec<String>>,
    /// Rows of a group that is not in the Group export, by the group's id.
    unknown_parent: BTreeMap<String, usize>,
    /// Rows under role-type and Organization groups, whose members come from elsewhere.
    ignored_rows: BTreeMap<GroupId, usize>,
}

impl Unresolved {
    /// W-ORPHAN and W-UNSUPPORTED-GROUP, one per group.
    fn diagnostics(&self, org: &Org) -> BTreeSet<Diagnostic> {
        let mut diagnostics = BTreeSet::new();
        let gname = |id: &GroupId| {
            org.groups
                .get(id)
                .map(|g| group_label(org, g))
                .unwrap_or_else(|| id.to_string())
        };
        let sample = |v: &[String]| {
            let mut s: Vec<String> = v.iter().take(5).map(|x| format!("`{x}`")).collect();
            if v.len() > 5 {
                s.push(format!("and {} more", v.len() - 5));
            }
            s.join(", ")
        };
        for (g, v) in &self.missing_users {
            diagnostics.insert(Diagnostic::warning(
            Code::WOrphan,
            format!(
                "group `{}` has {} member(s) not in the User export ({}): they cannot be planned; the export may be filtered",
                gname(g),
                v.len(),
                sample(v)
            ),
        ));
        }
        for (g, v) in &self.missing_groups {
            diagnostics.insert(Diagnostic::warning(
            Code::WOrphan,
            format!(
                "group `{}` contains {} group(s) not in the Group export ({}): their members are not reached",
                gname(g),
                v.len(),
                sample(v)
            ),
        ));
        }
        for (g, n) in &self.unknown_parent {
            diagnostics.insert(Diagnostic::warning(
            Code::WOrphan,
            format!("{n} GroupMember row(s) belong to group `{g}`, which is not in the Group export"),
        ));
        }
        for (g, n) in &self.ignored_rows {
            diagnostics.insert(Diagnostic::warning(
            Code::WUnsupportedGroup,
            format!(
                "{n} GroupMember row(s) under role-type group `{}` are ignored: its members come from the role hierarchy",
                gname(g)
            ),
        ));
        }
        diagnostics
    }
}

/// A cycle's names in backticks, the first again at the end: `` `a` → `b` → `a` ``.
fn in_a_circle(names: impl Iterator<Item = String>) -> String {
    let mut names: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    if let Some(first) = names.first().cloned() {
        names.push(first);
    }
    names.join(" → ")
}

fn is_portal(org: &Org, r: &RoleId) -> bool {
    org.roles
        .get(r)
        .and_then(|r| r.portal_type.as_deref())
        .is_some_and(|p| !p.trim().is_empty() && !p.trim().eq_ignore_ascii_case("None"))
}

/// What [`Resolver`]'s pass over the GroupMember rows gives: each group's users, each group's
/// groups, the warnings.
/// The part of a [`Resolver`] the exports alone decide, whatever the set-up: each group's users
/// and nested groups, the users by role, the role tree, the internal users, and the warnings
/// about them (cycles, members missing from the exports). Built once per set of exports; the web
/// app's worker keeps it between the plans of set-up edits ([`Resolver::with_index`]).
#[derive(Debug, Default)]
pub struct Index {
    group_users: FxHashMap<GroupId, Vec<UserId>>,
    group_groups: FxHashMap<GroupId, Vec<GroupId>>,
    users_by_role: FxHashMap<RoleId, Vec<UserId>>,
    users_by_role_name: FxHashMap<String, Vec<UserId>>,
    role_children: FxHashMap<RoleId, Vec<RoleId>>,
    internal_users: Vec<UserId>,
    diagnostics: BTreeSet<Diagnostic>,
}

impl Index {
    /// W-CYCLE for each cycle of group nesting and of the role hierarchy (`graph::find_cycles`).
    fn find_cycles(&mut self, org: &Org) {
        // Owned ids, as `ingest::refs` walks them: one copy of the cycle finder in the app.
        let nesting: BTreeMap<GroupId, Vec<GroupId>> = self
            .group_groups
            .iter()
            .map(|(g, nested)| (g.clone(), nested.clone()))
            .collect();
        let gname = |id: &GroupId| {
            org.groups
                .get(id)
                .map(group_display)
                .unwrap_or_else(|| id.to_string())
        };
        for c in find_cycles(&nesting) {
            self.diagnostics.insert(Diagnostic::warning(
                Code::WCycle,
                format!(
                    "group nesting cycle: {} (each contains the next); every member reachable through it is still reached",
                    in_a_circle(c.iter().map(&gname))
                ),
            ));
        }
        // Each role reports to its parent.
        let reports_to: BTreeMap<RoleId, Vec<RoleId>> = org
            .roles
            .iter()
            .filter_map(|(id, r)| {
                let parent = r
                    .parent_id
                    .as_ref()
                    .filter(|p| org.roles.contains_key(*p))?;
                Some((id.clone(), vec![parent.clone()]))
            })
            .collect();
        let rname = |id: &RoleId| {
            org.roles
                .get(id)
                .map(|r| r.name.clone())
                .unwrap_or_default()
        };
        for c in find_cycles(&reports_to) {
            self.diagnostics.insert(Diagnostic::warning(
                Code::WCycle,
                format!(
                    "role hierarchy cycle: {} (each reports to the next)",
                    in_a_circle(c.iter().map(&rname))
                ),
            ));
        }
    }
}

type Members = (
    FxHashMap<GroupId, Vec<UserId>>,
    FxHashMap<GroupId, Vec<GroupId>>,
    BTreeSet<Diagnostic>,
);

/// What [`Resolver`]'s pass over the users and roles gives: users by role id, users by role
/// name, the internal users, each role's children.
type People = (
    FxHashMap<RoleId, Vec<UserId>>,
    FxHashMap<String, Vec<UserId>>,
    Vec<UserId>,
    FxHashMap<RoleId, Vec<RoleId>>,
);

impl<'a> Resolver<'a> {
    pub fn new(org: &'a Org) -> Self {
        Self::with_known_members(org, None, None)
    }

    /// The resolver of what was read: ingestion already looked up every membership's user
    /// ([`Ingested::member_users_known`]), so it is not looked up again (on a 1M-user org,
    /// ten million lookups that miss the cache).
    pub fn for_ingested(ingested: &'a Ingested) -> Self {
        Self::for_ingested_on(ingested, None)
    }

    /// [`for_ingested`](Self::for_ingested); when `join` runs work on two cores, the pass over
    /// the GroupMember rows (the groups' members) and the pass over the users and roles (users
    /// by role, internal users, the role tree) run at once. The same resolver either way.
    pub fn for_ingested_on(ingested: &'a Ingested, join: Option<Join>) -> Self {
        Self::with_known_members(&ingested.org, Some(&ingested.member_users_known), join)
    }

    /// `known`: per `org.group_members` row, whether its member is a user of `org.users`
    /// (used only when it has one entry per row; otherwise every user is looked up).
    fn with_known_members(org: &'a Org, known: Option<&[bool]>, join: Option<Join>) -> Self {
        let mut members = None;
        let mut people = None;
        join.unwrap_or(in_turn)(
            &mut || members = Some(Self::members(org, known)),
            &mut || people = Some(Self::people(org)),
        );
        let (group_users, group_groups, diagnostics) = members.unwrap_or_default();
        let (users_by_role, users_by_role_name, internal_users, role_children) =
            people.unwrap_or_default();
        let mut index = Index {
            group_users,
            group_groups,
            users_by_role,
            users_by_role_name,
            role_children,
            internal_users,
            diagnostics,
        };
        index.find_cycles(org);
        Self::with_index(org, Arc::new(index))
    }

    /// A resolver on an [`Index`] of the same org's exports built before (by
    /// [`Resolver::index`]): what a fresh one would be, without the pass over the memberships,
    /// users and roles.
    pub fn with_index(org: &'a Org, index: Arc<Index>) -> Self {
        let diagnostics = index.diagnostics.clone();
        Resolver {
            org,
            index,
            subtrees: FxHashMap::default(),
            reach_counts: FxHashMap::default(),
            include_bosses: false,
            bosses_of: FxHashMap::default(),
            reached_scratch: FxHashSet::default(),
            user_names: UserNames::default(),
            unknown_met: Vec::new(),
            diagnostics,
        }
    }

    /// The exports' part of this resolver, to make the next one with ([`Resolver::with_index`]).
    pub fn index(&self) -> Arc<Index> {
        Arc::clone(&self.index)
    }

    /// The pass over the GroupMember rows: each regular group's users and groups (sorted, once
    /// each), and the warnings about members and groups missing from the exports.
    fn members(org: &Org, known: Option<&[bool]>) -> Members {
        let known = known.filter(|k| k.len() == org.group_members.len());
        let mut group_users: FxHashMap<GroupId, Vec<UserId>> = FxHashMap::default();
        let mut group_groups: FxHashMap<GroupId, Vec<GroupId>> = FxHashMap::default();
        let mut unresolved = Unresolved::default();
        // Hash views of the keys: one lookup per membership row (there can be millions).
        // Ids copied in, not referenced (see `ingest::refs`: one cache miss per lookup, not two).
        let groups: FxHashMap<GroupId, &Group> =
            org.groups.iter().map(|(k, g)| (k.clone(), g)).collect();
        let users: FxHashSet<UserId> = match known {
            Some(_) => FxHashSet::default(),
            None => org.users.keys().cloned().collect(),
        };
        let is_user = |i: usize, u: &UserId| match known {
            Some(k) => k.get(i).copied().unwrap_or(false),
            None => users.contains(u),
        };
        let mut last_group: Option<(&GroupId, Option<&Group>)> = None;
        // The rows come sorted by group (ingestion sorts them): the members of a run of one
        // group's rows are gathered here and added to the maps once per run, not once per row.
        let mut run: Option<&GroupId> = None;
        let (mut run_users, mut run_groups): (Vec<UserId>, Vec<GroupId>) = (Vec::new(), Vec::new());
        let mut flush = |run: Option<&GroupId>, us: &mut Vec<UserId>, gs: &mut Vec<GroupId>| {
            if let Some(g) = run {
                if !us.is_empty() {
                    group_users.entry(g.clone()).or_default().append(us);
                }
                if !gs.is_empty() {
                    group_groups.entry(g.clone()).or_default().append(gs);
                }
            }
        };
        for (i, m) in org.group_members.iter().enumerate() {
            let found = per_group(&mut last_group, &m.group_id, || {
                groups.get(&m.group_id).copied()
            });
            let Some(g) = found else {
                *unresolved
                    .unknown_parent
                    .entry(m.group_id.to_string())
                    .or_default() += 1;
                continue;
            };
            if g.group_type != GroupType::Regular {
                if g.group_type.is_role() || g.group_type == GroupType::Organization {
                    *unresolved.ignored_rows.entry(g.id.clone()).or_default() += 1;
                }
                continue;
            }
            if run != Some(&g.id) {
                flush(run, &mut run_users, &mut run_groups);
                run = Some(&g.id);
            }
            match m.member_id.prefix() {
                "005" => match UserId::try_from_sf(m.member_id.clone()) {
                    Ok(u) if is_user(i, &u) => run_users.push(u),
                    _ => unresolved
                        .missing_users
                        .entry(g.id.clone())
                        .or_default()
                        .push(m.member_id.to_string()),
                },
                "00G" => match GroupId::try_from_sf(m.member_id.clone()) {
                    Ok(n) if groups.contains_key(&n) => run_groups.push(n),
                    _ => unresolved
                        .missing_groups
                        .entry(g.id.clone())
                        .or_default()
                        .push(m.member_id.to_string()),
                },
                _ => {}
            }
        }
        flush(run, &mut run_users, &mut run_groups);
        let gkey = |id: &GroupId| {
            let g = org.groups.get(id);
            (
                g.and_then(|g| g.developer_name.clone()).unwrap_or_default(),
                id.clone(),
            )
        };
        for v in group_groups.values_mut() {
            sort::sort_by_key(v, &gkey);
            v.dedup();
        }
        for v in group_users.values_mut() {
            v.sort();
            v.dedup();
        }
        (group_users, group_groups, unresolved.diagnostics(org))
    }

    /// The pass over the users and the roles: users by role id and by role name, the internal
    /// users, each role's children.
    fn people(org: &Org) -> People {
        let mut users_by_role: FxHashMap<RoleId, Vec<UserId>> = FxHashMap::default();
        let mut users_by_role_name: FxHashMap<String, Vec<UserId>> = FxHashMap::default();
        let mut internal_users = Vec::new();
        for u in org.users.values() {
            if let Some(r) = &u.role_id {
                users_by_role
                    .entry(r.clone())
                    .or_default()
                    .push(u.id.clone());
            }
            if let Some(n) = &u.role_name {
                users_by_role_name
                    .entry(n.trim().to_string())
                    .or_default()
                    .push(u.id.clone());
            }
            if classify::user_type(org, u).is_standard() {
                internal_users.push(u.id.clone());
            }
        }
        let mut role_children: FxHashMap<RoleId, Vec<RoleId>> = FxHashMap::default();
        for r in org.roles.values() {
            if let Some(p) = &r.parent_id {
                if p != &r.id {
                    role_children
                        .entry(p.clone())
                        .or_default()
                        .push(r.id.clone());
                }
            }
        }
        (
            users_by_role,
            users_by_role_name,
            internal_users,
            role_children,
        )
    }

    fn subtree(&mut self, top: &RoleId, internal: bool) -> Vec<RoleId> {
        if let Some(v) = self.subtrees.get(&(top.clone(), internal)) {
            return v.clone();
        }
        let mut out = Vec::new();
        let mut seen: FxHashSet<RoleId> = FxHashSet::default();
        let mut q = VecDeque::new();
        if !(internal && is_portal(self.org, top)) {
            q.push_back(top.clone());
            seen.insert(top.clone());
        }
        while let Some(r) = q.pop_front() {
            if let Some(children) = self.index.role_children.get(&r) {
                for c in children {
                    if internal && is_portal(self.org, c) {
                        continue;
                    }
                    if seen.insert(c.clone()) {
                        q.push_back(c.clone());
                    }
                }
            }
            out.push(r);
        }
        self.subtrees.insert((top.clone(), internal), out.clone());
        out
    }

    fn role_name(&self, r: &RoleId) -> String {
        self.org
            .roles
            .get(r)
            .map(|x| x.name.clone())
            .unwrap_or_else(|| r.to_string())
    }

    /// One assignment: every user it reaches, with the depth and the path's last entry. The
    /// entries' labels are written only when `paths` (a count needs none).
    fn bfs(&mut self, a: &ResolvedAssignment, paths: bool) -> (Vec<Entry>, Vec<Reached>) {
        let mut got = std::mem::take(&mut self.reached_scratch);
        got.clear();
        let out = self.bfs_with(a, paths, &mut got);
        self.reached_scratch = got;
        out
    }

    /// Where the walk goes from group `ng`, nested in `parent` (M-GROUP, M-ORG, M-ROLE,
    /// M-ROLE-SUB, M-ROLE-SUB-INT), with its label in the path (written only for `paths`):
    /// none when it reaches nobody the exports can tell, and what to warn about (W-ORPHAN,
    /// E-NO-ROLE-EXPORT, W-UNSUPPORTED-GROUP, W-NO-PORTAL-TYPE).
    fn nested(
        &self,
        parent: &GroupId,
        ng: &GroupId,
        paths: bool,
    ) -> (Option<(Key, String)>, Option<Diagnostic>) {
        let org = self.org;
        let Some(gr) = org.groups.get(ng) else {
            return (None, None);
        };
        let say = |label: &dyn Fn() -> String| if paths { label() } else { String::new() };
        let t = &gr.group_type;
        if *t == GroupType::Regular {
            let label = say(&|| format!("nested group \"{}\"", group_display(gr)));
            return (Some((Key::Group(ng.clone()), label)), None);
        }
        if *t == GroupType::Organization {
            let label = say(&|| "nested group \"Organization\"".to_string());
            return (Some((Key::Org, label)), None);
        }
        let Some(word) = t.role_words() else {
            let d = Diagnostic::warning(
                Code::WUnsupportedGroup,
                format!(
                    "group `{}` contains group `{}` of Type `{t}`, which User Sync assignments cannot resolve: its members are not reached",
                    org.groups.get(parent).map(group_display).unwrap_or_default(),
                    group_display(gr)
                ),
            );
            return (None, Some(d));
        };
        let role = gr
            .related_id
            .clone()
            .and_then(|r| RoleId::try_from_sf(r).ok());
        let known = role
            .as_ref()
            .is_some_and(|r| org.roles.contains_key(r) || !org.has_role_export);
        let Some(r) = role.filter(|_| known) else {
            let d = Diagnostic::warning(
                Code::WOrphan,
                format!(
                    "role group `{}` names role `{}`, which is not in the UserRole export: it reaches nobody",
                    group_display(gr),
                    gr.related_id.as_ref().map(|r| r.to_string()).unwrap_or_default()
                ),
            );
            return (None, Some(d));
        };
        let sub = *t != GroupType::Role;
        let int = *t == GroupType::RoleAndSubordinatesInternal;
        if sub && !org.has_role_export {
            let d = Diagnostic::error(
                Code::ENoRoleExport,
                format!(
                    "nested group `{}` ({t}) needs the UserRole export to know the subordinates: its members are missing from the plan",
                    group_display(gr)
                ),
            );
            return (None, Some(d));
        }
        let warning = (int && !org.has_portal_type).then(|| {
            Diagnostic::warning(
                Code::WNoPortalType,
                "the UserRole export has no PortalType column: role and internal subordinates cannot exclude portal roles, so every subordinate role is included",
            )
        });
        let label = say(&|| format!("nested group \"{word}: {}\"", self.role_name(&r)));
        let key = if sub { Key::Sub(r, int) } else { Key::Role(r) };
        (Some((key, label)), warning)
    }

    fn bfs_with(
        &mut self,
        a: &ResolvedAssignment,
        paths: bool,
        got: &mut FxHashSet<UserId>,
    ) -> (Vec<Entry>, Vec<Reached>) {
        let org = self.org;
        let mut arena: Vec<Entry> = Vec::new();
        let mut reached: Vec<Reached> = Vec::new();
        // A label, written only for paths.
        let say = |label: &dyn Fn() -> String| if paths { label() } else { String::new() };
        let mut visited: FxHashSet<Key> = FxHashSet::default();
        let mut q: VecDeque<(Key, usize, usize)> = VecDeque::new();
        let root_key = match &a.target {
            Target::User(u) => {
                reached.push((u.clone(), 0, None, Code::MUser));
                return (arena, reached);
            }
            Target::PublicGroup(g) => Key::Group(g.clone()),
            Target::Role(r) => Key::Role(r.clone()),
            Target::RoleAndSubordinates(r) => Key::Sub(r.clone(), false),
            Target::RoleAndInternalSubordinates(r) => {
                if !org.has_portal_type {
                    self.diagnostics.insert(Diagnostic::warning(
                        Code::WNoPortalType,
                        "the UserRole export has no PortalType column: role and internal subordinates cannot exclude portal roles, so every subordinate role is included",
                    ));
                }
                Key::Sub(r.clone(), true)
            }
            Target::RoleName(n) => Key::RoleName(n.clone()),
        };
        arena.push(Entry {
            label: a.label.clone(),
            parent: None,
        });
        visited.insert(root_key.clone());
        q.push_back((root_key, 0, 1));
        while let Some((key, entry, depth)) = q.pop_front() {
            let mut reach =
                |u: &UserId, e: usize, d: usize, code: Code, got: &mut FxHashSet<UserId>| {
                    if got.insert(u.clone()) {
                        reached.push((u.clone(), d, Some(e), code));
                    }
                };
            match key {
                Key::Group(g) => {
                    if let Some(us) = self.index.group_users.get(&g) {
                        for u in us {
                            reach(u, entry, depth, Code::MGroup, got);
                        }
                    }
                    // "Grant access using hierarchies" (public groups have it by default): the
                    // group's bosses, once per group, when they are reached (`include_bosses`:
                    // every group of the walk) or said (W-BOSSES: the assigned group itself, in
                    // the plan's walks; entry 0 is the assignment).
                    let bosses_ticked =
                        org.groups.get(&g).and_then(|x| x.does_include_bosses) == Some(true);
                    if bosses_ticked && (self.include_bosses || (paths && entry == 0)) {
                        if !self.bosses_of.contains_key(&g) {
                            let bosses = self.bosses(&g);
                            self.bosses_of.insert(g.clone(), bosses);
                        }
                        let name = || org.groups.get(&g).map(group_display).unwrap_or_default();
                        let bosses = self.bosses_of.get(&g).map_or(&[][..], Vec::as_slice);
                        if !self.include_bosses {
                            self.diagnostics.insert(Diagnostic::warning(
                                Code::WBosses,
                                format!(
                                    "group `{}` grants access using hierarchies: read as adding the users in roles above its members ({}), it would reach {} more user(s)",
                                    name(),
                                    Switch::IncludeBosses.quoted(),
                                    bosses.len()
                                ),
                            ));
                        } else if !bosses.is_empty() {
                            arena.push(Entry {
                                label: say(&|| {
                                    format!("users in roles above the members of \"{}\"", name())
                                }),
                                parent: Some(entry),
                            });
                            let e = arena.len() - 1;
                            for u in bosses {
                                reach(u, e, depth + 1, Code::MBosses, got);
                            }
                        }
                    }
                    let nested = self
                        .index
                        .group_groups
                        .get(&g)
                        .map_or(&[][..], Vec::as_slice);
                    for ng in nested {
                        let (walk, warning) = self.nested(&g, ng, paths);
                        if let Some(d) = warning {
                            self.diagnostics.insert(d);
                        }
                        let Some((k, label)) = walk else {
                            let unknown = org
                                .groups
                                .get(ng)
                                .is_some_and(|x| x.group_type.is_unresolvable());
                            if paths && unknown {
                                self.unknown_met.push(ng.clone());
                            }
                            continue;
                        };
                        if visited.insert(k.clone()) {
                            arena.push(Entry {
                                label,
                                parent: Some(entry),
                            });
                            q.push_back((k, arena.len() - 1, depth + 1));
                        }
                    }
                }
                Key::Role(r) => {
                    if let Some(us) = self.index.users_by_role.get(&r) {
                        for u in us {
                            reach(u, entry, depth, Code::MRole, got);
                        }
                    }
                }
                Key::RoleName(n) => {
                    if let Some(us) = self.index.users_by_role_name.get(&n) {
                        for u in us {
                            reach(u, entry, depth, Code::MRole, got);
                        }
                    }
                }
                Key::Org => {
                    for u in &self.index.internal_users {
                        reach(u, entry, depth, Code::MOrg, got);
                    }
                }
                Key::Sub(top, int) => {
                    let code = if int {
                        Code::MRoleSubInt
                    } else {
                        Code::MRoleSub
                    };
                    let top_name = if paths {
                        self.role_name(&top)
                    } else {
                        String::new()
                    };
                    for r in self.subtree(&top, int) {
                        let Some(us) = self.index.users_by_role.get(&r) else {
                            continue;
                        };
                        let label = say(&|| {
                            if r == top {
                                format!("role \"{top_name}\"")
                            } else {
                                format!(
                                    "role \"{}\" (subordinate of {top_name})",
                                    self.role_name(&r)
                                )
                            }
                        });
                        arena.push(Entry {
                            label,
                            parent: Some(entry),
                        });
                        let e = arena.len() - 1;
                        for u in us {
                            reach(u, e, depth + 1, code, got);
                        }
                    }
                }
            }
        }
        (arena, reached)
    }

    fn render(set: Set, arena: &[Entry], leaf: Option<usize>) -> String {
        let mut labels = Vec::new();
        let mut cur = leaf;
        while let Some(i) = cur {
            let Some(e) = arena.get(i) else { break };
            labels.push(e.label.as_str());
            cur = e.parent;
        }
        labels.reverse();
        let mut s = set.group_name().to_string();
        for l in labels {
            s.push_str(" ← ");
            s.push_str(l);
        }
        s.push_str(" ← user");
        s
    }

    /// Resolve a scenario's references against this resolver's org ([`scenario::resolve`]),
    /// with the user-name indices kept here: the plan and the lookups after it build them once.
    pub fn resolve_scenario(
        &self,
        file: &str,
        s: &scenario::Scenario,
        defaulted: bool,
    ) -> Result<(Resolved, Vec<Diagnostic>), Error> {
        scenario::resolve_with(self.org, &self.user_names, file, s, defaulted)
    }

    /// How many users one assignment reaches (as [`Reach::users`] of [`Resolver::sets`] counts
    /// them), without building the memberships and their paths: the set-up screen asks this
    /// of every group and role of the org.
    pub fn reach_count(&mut self, a: &ResolvedAssignment) -> usize {
        if let Some(n) = self.reach_counts.get(&a.target) {
            return *n;
        }
        let n = self.bfs(a, false).1.len();
        self.reach_counts.insert(a.target.clone(), n);
        n
    }

    /// Every user one assignment reaches, by id and sorted (the proposal asks it of every
    /// role and public group of the org).
    pub fn reached(&mut self, a: &ResolvedAssignment) -> Vec<UserId> {
        let mut users: Vec<UserId> = self.bfs(a, false).1.into_iter().map(|r| r.0).collect();
        users.sort();
        users
    }

    /// Whether a public group that grants access using hierarchies also reaches the users in
    /// roles above its members (the set-up's `include_bosses`).
    pub fn include_bosses(&mut self, on: bool) {
        if self.include_bosses != on {
            self.include_bosses = on;
            self.reach_counts.clear();
        }
    }

    /// The users in roles above the roles of a group's direct members: who "Grant access using
    /// hierarchies" would add (§2), by id.
    fn bosses(&self, g: &GroupId) -> Vec<UserId> {
        let org = self.org;
        let members = self.index.group_users.get(g).map_or(&[][..], Vec::as_slice);
        let mut above: FxHashSet<&RoleId> = FxHashSet::default();
        for u in members {
            let mut role = org.users.get(u).and_then(|u| u.role_id.as_ref());
            while let Some(parent) = role
                .and_then(|r| org.roles.get(r))
                .and_then(|r| r.parent_id.as_ref())
            {
                if !above.insert(parent) {
                    break;
                }
                role = Some(parent);
            }
        }
        let mut out: Vec<UserId> = above
            .into_iter()
            .filter_map(|r| self.index.users_by_role.get(r))
            .flatten()
            .filter(|u| members.binary_search(u).is_err()) // each group's users are sorted (`members`)
            .cloned()
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The Marketing and Sales sets of one BU.
    pub fn sets(&mut self, marketing: &[ResolvedAssignment], sales: &[ResolvedAssignment]) -> Sets {
        let mut out = Sets::default();
        for (set, list) in [(Set::Marketing, marketing), (Set::Sales, sales)] {
            let mut best: FxHashMap<UserId, (usize, usize, Arc<str>, Code)> = FxHashMap::default();
            for (i, a) in list.iter().enumerate() {
                let (arena, reached) = self.bfs(a, true);
                // Each path once, by the arena entry it ends at.
                let mut paths: FxHashMap<Option<usize>, Arc<str>> = FxHashMap::default();
                self.reach_counts.insert(a.target.clone(), reached.len());
                let mut active_internal = 0;
                for (u, depth, leaf, code) in &reached {
                    if let Some(user) = self.org.users.get(u) {
                        if user.is_active && classify::user_type(self.org, user).is_standard() {
                            active_internal += 1;
                        }
                    }
                    let better = best.get(u).is_none_or(|(d, _, _, _)| depth < d);
                    if better {
                        let path = paths
                            .entry(*leaf)
                            .or_insert_with(|| Self::render(set, &arena, *leaf).into())
                            .clone();
                        best.insert(u.clone(), (*depth, i, path, *code));
                    }
                }
                out.reach.push(Reach {
                    set,
                    assignment: i,
                    label: a.label.clone(),
                    kind: a.written.kind().to_string(),
                    active_internal,
                    users: reached.len(),
                });
            }
            let mut met = std::mem::take(&mut self.unknown_met);
            met.sort();
            met.dedup();
            for g in met {
                if let Some(gr) = self.org.groups.get(&g) {
                    let name = format!("{} group `{}`", gr.group_type, group_display(gr));
                    out.unknown.push(UnknownGroup { set, name });
                }
            }
            let target = match set {
                Set::Marketing => &mut out.marketing,
                Set::Sales => &mut out.sales,
            };
            for (u, (depth, assignment, path, code)) in best {
                target.insert(
                    u,
                    Membership {
                        set,
                        code,
                        path,
                        assignment,
                        depth,
                    },
                );
            }
        }
        out
    }
}
