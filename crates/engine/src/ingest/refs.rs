//! Across files: relationship names resolved to ids, references that point at nothing
//! (`W-ORPHAN`), and cycles in the role tree and in group nesting (`W-CYCLE`).
//!
//! - A user known only by `Profile.Name` (or the report's "Profile") gets the id of the profile
//!   with that Name when the Profile export has exactly one (exact match first, then
//!   case-insensitive); otherwise `E-PROFILE-NAME` names it. Roles likewise (`UserRole.Name`,
//!   `E-ROLE-NAME`, §10.16). Without a Profile or UserRole export the name stays on the user.
//! - In the other direction, a user with an id and no name gets the name from the export, and a
//!   user with no license name gets its profile's (`UserLicense.Name`, or the UserLicense
//!   export's Name for the profile's `UserLicenseId`).
//! - A reference is only called dangling when the export it points into was given: a missing
//!   Profile export is not a profile id pointing at nothing.
//! - Cycles are found by a depth-first walk with an explicit stack (no recursion), one finding
//!   per cycle, its nodes in order, starting from the smallest id.

use crate::codes::Code;
use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostic, Source};
use crate::graph::find_cycles;
use crate::id::{GroupId, LicenseId, ProfileId, RoleId, SfId, UserId};
use crate::model::{per_group, GroupMember, Org, Profile, Role, Text, User, UserLicense};
use crate::sort;
use rustc_hash::{FxHashMap, FxHashSet};

use super::kinds::Kind;
use super::{in_turn, Join};

/// Resolve names and check references. `kinds` are the kinds of the files that were read.
///
/// Beside the diagnostics: per `org.group_members` row, whether its member is a user of
/// `org.users` (see [`super::Ingested::member_users_known`]).
///
/// With `join`, the pass over the users (names and their references) and the pass over the
/// GroupMember rows run at once, on two cores; the findings come in the same order either way.
pub fn resolve_and_check(
    org: &mut Org,
    kinds: &BTreeSet<Kind>,
    join: Option<Join>,
) -> (Vec<Diagnostic>, Vec<bool>) {
    let mut diags = Vec::new();
    let has = |k: Kind| kinds.contains(&k);
    // Asked once, not per user and per membership row (a set lookup each time).
    let (has_users, has_groups, has_profiles, has_roles) = (
        has(Kind::User),
        has(Kind::Group),
        has(Kind::Profile),
        has(Kind::UserRole),
    );

    // Profiles and roles by name.
    let profiles_by_name =
        has_profiles.then(|| ids_by_name(org.profiles.values().map(|p| (p.name.as_str(), &p.id))));
    let roles_by_name =
        has_roles.then(|| ids_by_name(org.roles.values().map(|r| (r.name.as_str(), &r.id))));
    // One pass over the users (a 1M-user org's are 600 MB: three passes were a fifth of this
    // check), its findings kept in the order of three: profile names, role names, then the
    // users' dangling references.
    let (mut profile_names, mut role_names, mut user_refs) = (Vec::new(), Vec::new(), Vec::new());
    // Hash views of the keys: one lookup per membership row (there can be millions). The ids
    // are copied in (18 bytes each), not referenced: a reference into the `BTreeMap` costs a
    // second cache miss per lookup, which on a 1M-user org was most of this pass.
    let group_keys: FxHashSet<GroupId> = org.groups.keys().cloned().collect();
    let user_keys = UserKeys::new(org.users.keys());
    let Org {
        users,
        profiles,
        roles,
        licenses,
        group_members,
        group_member_files,
        ..
    } = org;
    let licenses = &*licenses;
    // Hash views of the profiles and roles: each user looks its own up twice.
    let profiles: FxHashMap<ProfileId, &Profile> =
        profiles.iter().map(|(k, p)| (k.clone(), p)).collect();
    let roles: FxHashMap<RoleId, &Role> = roles.iter().map(|(k, r)| (k.clone(), r)).collect();
    let mut users_pass = || {
        for u in users.values_mut() {
            if let Some(by_name) = &profiles_by_name {
                join_profile(u, by_name, &profiles, licenses, &mut profile_names);
            }
            if let Some(by_name) = &roles_by_name {
                join_role(u, by_name, &roles, &mut role_names);
            }
            // Dangling references.
            if has_profiles {
                if let Some(p) = &u.profile_id {
                    if !profiles.contains_key(p) {
                        orphan(
                            &mut user_refs,
                            &u.source,
                            format!("user `{}`", u.username),
                            &format!("profile `{p}`"),
                            "Profile",
                        );
                    }
                }
            }
            if has_roles {
                if let Some(r) = &u.role_id {
                    if !roles.contains_key(r) {
                        orphan(
                            &mut user_refs,
                            &u.source,
                            format!("user `{}`", u.username),
                            &format!("role `{r}`"),
                            "UserRole",
                        );
                    }
                }
            }
        }
    };
    // The GroupMember rows' references, found beside the users' pass.
    let mut member_refs = Vec::new();
    let mut known_users = Vec::with_capacity(group_members.len());
    let mut members_pass = || {
        let mut last_group: Option<(&GroupId, bool)> = None;
        let mut keys = Vec::with_capacity(LOOKUP_BATCH);
        let source = |m: &GroupMember| Org::member_source_in(group_member_files, m);
        for batch in group_members.chunks(LOOKUP_BATCH) {
            // Looked up once here, for this check and for the membership resolver.
            let done = known_users.len();
            user_keys.contains_members(batch, &mut keys, &mut known_users);
            let known_batch = known_users.get(done..).unwrap_or_default();
            for (m, &known_user) in batch.iter().zip(known_batch) {
                let known = per_group(&mut last_group, &m.group_id, || {
                    group_keys.contains(&m.group_id)
                });
                if has_groups && !known {
                    orphan(
                        &mut member_refs,
                        &source(m),
                        format!("a membership of `{}`", m.member_id),
                        &format!("group `{}`", m.group_id),
                        "Group",
                    );
                }
                if m.member_id.prefix() == GroupId::PREFIX {
                    if has_groups {
                        if let Ok(gid) = GroupId::try_from_sf(m.member_id.clone()) {
                            if !group_keys.contains(&gid) {
                                orphan(
                                    &mut member_refs,
                                    &source(m),
                                    format!("a member of group `{}`", m.group_id),
                                    &format!("group `{gid}`"),
                                    "Group",
                                );
                            }
                        }
                    }
                } else if has_users && !known_user {
                    if let Ok(uid) = UserId::try_from_sf(m.member_id.clone()) {
                        orphan(
                            &mut member_refs,
                            &source(m),
                            format!("a member of group `{}`", m.group_id),
                            &format!("user `{uid}`"),
                            "User",
                        );
                    }
                }
            }
        }
    };
    join.unwrap_or(in_turn)(&mut members_pass, &mut users_pass);
    diags.extend(profile_names.into_iter().chain(role_names).chain(user_refs));
    diags.extend(other_orphans(org, has(Kind::UserLicense), has_roles));
    diags.append(&mut member_refs);
    if has_users {
        diags.extend(users_orphans(org));
    }
    diags.extend(role_cycles(org));
    diags.extend(group_cycles(org));
    (diags, known_users)
}

/// A user's profile by name when the User export gave only names (E-PROFILE-NAME when the name
/// names no profile, or several), else the name of its profile by id; and its license's name.
fn join_profile(
    u: &mut User,
    by_name: &BTreeMap<String, Vec<ProfileId>>,
    profiles: &FxHashMap<ProfileId, &Profile>,
    licenses: &BTreeMap<LicenseId, UserLicense>,
    errors: &mut Vec<Diagnostic>,
) {
    match (&u.profile_id, &u.profile_name) {
        (None, Some(name)) => match lookup(by_name, name) {
            Ok(id) => u.profile_id = Some(id),
            Err(cands) => errors.push(name_error(
                Code::EProfileName,
                "profile",
                "Profile",
                &u.username,
                name,
                &cands,
                &u.source,
            )),
        },
        (Some(id), None) => {
            if let Some(p) = profiles.get(id) {
                u.profile_name = Some(p.name.as_str().into());
            }
        }
        _ => {}
    }
    if u.license_name.is_none() {
        if let Some(p) = u.profile_id.as_ref().and_then(|id| profiles.get(id)) {
            u.license_name = p
                .license_name
                .as_deref()
                .or_else(|| {
                    p.license_id
                        .as_ref()
                        .and_then(|l| licenses.get(l))
                        .map(|l| l.name.as_str())
                })
                .map(Text::from);
        }
    }
}

/// A user's role by name when the User export gave only names (E-ROLE-NAME when the name names
/// no role, or several), else the name of its role by id.
fn join_role(
    u: &mut User,
    by_name: &BTreeMap<String, Vec<RoleId>>,
    roles: &FxHashMap<RoleId, &Role>,
    errors: &mut Vec<Diagnostic>,
) {
    match (&u.role_id, &u.role_name) {
        (None, Some(name)) => match lookup(by_name, name) {
            Ok(id) => u.role_id = Some(id),
            Err(cands) => errors.push(name_error(
                Code::ERoleName,
                "role",
                "UserRole",
                &u.username,
                name,
                &cands,
                &u.source,
            )),
        },
        (Some(id), None) => {
            if let Some(r) = roles.get(id) {
                u.role_name = Some(r.name.as_str().into());
            }
        }
        _ => {}
    }
}

/// W-ORPHAN for a reference to a record missing from its export.
fn orphan(diags: &mut Vec<Diagnostic>, src: &Source, what: String, target: &str, export: &str) {
    diags.push(
        Diagnostic::warning(
            Code::WOrphan,
            format!("{what} points at {target}, which is not in the {export} export"),
        )
        .at(src),
    );
}

/// W-ORPHAN for profiles' licenses, roles' parents and role groups' roles.
fn other_orphans(org: &Org, has_licenses: bool, has_roles: bool) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if has_licenses {
        for p in org.profiles.values() {
            if let Some(l) = &p.license_id {
                if !org.licenses.contains_key(l) {
                    orphan(
                        &mut diags,
                        &p.source,
                        format!("profile `{}`", p.name),
                        &format!("user license `{l}`"),
                        "UserLicense",
                    );
                }
            }
        }
    }
    for r in org.roles.values() {
        if let Some(parent) = &r.parent_id {
            if !org.roles.contains_key(parent) {
                orphan(
                    &mut diags,
                    &r.source,
                    format!("role `{}`", r.name),
                    &format!("parent role `{parent}`"),
                    "UserRole",
                );
            }
        }
    }
    if has_roles {
        for g in org.groups.values() {
            if let Some(rel) = &g.related_id {
                let is_role = g.group_type.is_role();
                if is_role && rel.prefix() == RoleId::PREFIX {
                    if let Ok(rid) = RoleId::try_from_sf(rel.clone()) {
                        if !org.roles.contains_key(&rid) {
                            orphan(
                                &mut diags,
                                &g.source,
                                format!("group {}", group_label(g)),
                                &format!("role `{rid}`"),
                                "UserRole",
                            );
                        }
                    }
                }
            }
        }
    }
    diags
}

/// W-ORPHAN for the rows that name a user: permission set assignments, logins, business units'
/// creators.
fn users_orphans(org: &Org) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for a in &org.permission_set_assignments {
        if !org.users.contains_key(&a.assignee_id) {
            let ps = a
                .permission_set_name
                .clone()
                .or_else(|| a.permission_set_id.as_ref().map(|p| p.to_string()));
            orphan(
                &mut diags,
                &a.source,
                format!(
                    "an assignment of permission set `{}`",
                    ps.unwrap_or_default()
                ),
                &format!("user `{}`", a.assignee_id),
                "User",
            );
        }
    }
    for l in org.logins.values() {
        if !org.users.contains_key(&l.user_id) {
            orphan(
                &mut diags,
                &l.source,
                "a UserLogin row".to_string(),
                &format!("user `{}`", l.user_id),
                "User",
            );
        }
    }
    for t in org.tenants.values() {
        if let Some(a) = &t.initial_admin_id {
            if !org.users.contains_key(a) {
                orphan(
                    &mut diags,
                    &t.source,
                    format!("the creator of business unit `{}`", t.name),
                    &format!("user `{a}`"),
                    "User",
                );
            }
        }
    }
    diags
}

/// W-CYCLE for each cycle of the role hierarchy, at the first role's row.
fn role_cycles(org: &Org) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // Cycles in the role tree. (Extended, not collected: see `engine::sort`.)
    let mut role_edges: BTreeMap<RoleId, Vec<RoleId>> = BTreeMap::new();
    role_edges.extend(org.roles.values().map(|r| {
        (
            r.id.clone(),
            r.parent_id
                .iter()
                .filter(|p| org.roles.contains_key(*p))
                .cloned()
                .collect(),
        )
    }));
    for cycle in find_cycles(&role_edges) {
        let names: Vec<String> = cycle
            .iter()
            .chain(cycle.first())
            .map(|id| {
                org.roles
                    .get(id)
                    .map(|r| format!("`{}`", r.name))
                    .unwrap_or_else(|| format!("`{id}`"))
            })
            .collect();
        let mut d = Diagnostic::warning(
            Code::WCycle,
            format!("the role hierarchy has a cycle: {}", names.join(" → ")),
        );
        if let Some(r) = cycle.first().and_then(|id| org.roles.get(id)) {
            d = d.at(&r.source);
        }
        diags.push(d);
    }
    diags
}

/// W-CYCLE for each cycle of group nesting, at the GroupMember row of its first edge.
fn group_cycles(org: &Org) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // Cycles in group nesting.
    let mut group_edges: BTreeMap<GroupId, Vec<GroupId>> = BTreeMap::new();
    let mut edge_source: BTreeMap<(GroupId, GroupId), Source> = BTreeMap::new();
    for m in &org.group_members {
        if m.member_id.prefix() != GroupId::PREFIX {
            continue;
        }
        if let Ok(child) = GroupId::try_from_sf(m.member_id.clone()) {
            group_edges
                .entry(m.group_id.clone())
                .or_default()
                .push(child.clone());
            edge_source
                .entry((m.group_id.clone(), child))
                .or_insert_with(|| org.member_source(m));
        }
    }
    for v in group_edges.values_mut() {
        sort::sort(v);
        v.dedup();
    }
    for cycle in find_cycles(&group_edges) {
        let names: Vec<String> = cycle
            .iter()
            .chain(cycle.first())
            .map(|id| {
                org.groups
                    .get(id)
                    .map(group_label)
                    .unwrap_or_else(|| format!("`{id}`"))
            })
            .collect();
        let mut d = Diagnostic::warning(
            Code::WCycle,
            format!("group nesting has a cycle: {}", names.join(" → ")),
        );
        let first_edge = match (cycle.first(), cycle.get(1).or(cycle.first())) {
            (Some(a), Some(b)) => edge_source.get(&(a.clone(), b.clone())),
            _ => None,
        };
        if let Some(src) = first_edge {
            d = d.at(src);
        }
        diags.push(d);
    }
    diags
}

fn group_label(g: &crate::model::Group) -> String {
    match (&g.developer_name, &g.name) {
        (_, Some(n)) if !n.is_empty() => format!("`{n}`"),
        (Some(d), _) if !d.is_empty() => format!("`{d}`"),
        _ => format!("`{}`", g.id),
    }
}

/// Records' ids by name (several may share one).
fn ids_by_name<'a, T: Clone + 'a>(
    records: impl Iterator<Item = (&'a str, &'a T)>,
) -> BTreeMap<String, Vec<T>> {
    let mut by_name: BTreeMap<String, Vec<T>> = BTreeMap::new();
    for (name, id) in records {
        by_name
            .entry(name.to_string())
            .or_default()
            .push(id.clone());
    }
    by_name
}

fn lookup<T: Clone>(by_name: &BTreeMap<String, Vec<T>>, name: &str) -> Result<T, Vec<T>> {
    let exact = by_name.get(name).cloned().unwrap_or_default();
    let cands = if exact.is_empty() {
        by_name
            .iter()
            .filter(|(k, _)| k.to_lowercase() == name.to_lowercase())
            .flat_map(|(_, v)| v.clone())
            .collect()
    } else {
        exact
    };
    match cands.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(cands),
    }
}

fn name_error<T: std::fmt::Display>(
    code: Code,
    what: &str,
    export: &str,
    username: &str,
    name: &str,
    cands: &[T],
    src: &Source,
) -> Diagnostic {
    let msg = if cands.is_empty() {
        format!("user `{username}` has {what} `{name}`, but no {what} in the {export} export has that name")
    } else {
        let ids: Vec<String> = cands.iter().map(|c| format!("`{c}`")).collect();
        format!(
            "user `{username}` has {what} `{name}`, which names several {what}s: {}",
            ids.join(", ")
        )
    };
    Diagnostic::error(code, msg).at(src)
}

/// The users' ids as the membership check looks them up, once per GroupMember row (ten million
/// on a 1M-user org, where a set of 18-byte ids is tens of megabytes and every lookup a cache
/// miss). An org's user ids nearly all share their first five characters (the `005` prefix and
/// the instance); the next ten, base-62 characters, fit in 60 bits, so those ids are kept as
/// one `u64` each, and the others whole. Exact: the last three characters are a checksum of
/// the first fifteen, and parsed ids always carry the right one.
/// GroupMember rows checked per batch (see [`UserKeys::contains_members`]).
const LOOKUP_BATCH: usize = 1024;

struct UserKeys {
    prefix: Option<[u8; 5]>,
    packed: FxHashSet<u64>,
    other: FxHashSet<UserId>,
}

impl UserKeys {
    fn new<'a>(ids: impl Iterator<Item = &'a UserId>) -> UserKeys {
        // Sized at once: most ids pack (the table is not rehashed twenty times as it grows).
        let mut keys = UserKeys {
            prefix: None,
            packed: FxHashSet::with_capacity_and_hasher(ids.size_hint().0, Default::default()),
            other: FxHashSet::default(),
        };
        for id in ids {
            let prefix = *keys.prefix.get_or_insert_with(|| Self::prefix_of(id));
            match Self::pack(id.as_sf(), &prefix) {
                Some(p) => {
                    keys.packed.insert(p);
                }
                None => {
                    keys.other.insert(id.clone());
                }
            }
        }
        keys
    }

    fn prefix_of(id: &UserId) -> [u8; 5] {
        let [a, b, c, d, e, ..] = *id.as_sf().as_bytes();
        [a, b, c, d, e]
    }

    /// Characters 6 to 15 as six bits each, when the id starts with `prefix`.
    fn pack(id: &SfId, prefix: &[u8; 5]) -> Option<u64> {
        let b = id.as_bytes();
        if b.get(..5)? != prefix {
            return None;
        }
        b.get(5..15)?.iter().try_fold(0u64, |acc, &c| {
            let v = match c {
                b'0'..=b'9' => c - b'0',
                b'A'..=b'Z' => c - b'A' + 10,
                b'a'..=b'z' => c - b'a' + 36,
                _ => return None,
            };
            Some(acc << 6 | u64::from(v))
        })
    }

    /// Whether each member of `batch` is a user of the org, pushed onto `out` (`keys`: scratch).
    /// In two passes: every member's key first, then every key looked up in a loop whose lookups
    /// do not wait on one another, so that the processor overlaps their cache misses. A 1M-user
    /// org's table is bigger than the cache: looked up one row at a time, between the row's other
    /// checks, the misses were most of this pass (15% of a 1M-user plan).
    fn contains_members(&self, batch: &[GroupMember], keys: &mut Vec<u64>, out: &mut Vec<bool>) {
        // A packed key has 60 bits: these two cannot be one.
        const NOT_A_USER: u64 = u64::MAX;
        const NOT_PACKED: u64 = u64::MAX - 1;
        keys.clear();
        keys.extend(batch.iter().map(|m| {
            if m.member_id.prefix() != UserId::PREFIX {
                NOT_A_USER
            } else {
                self.prefix
                    .as_ref()
                    .and_then(|p| Self::pack(&m.member_id, p))
                    .unwrap_or(NOT_PACKED)
            }
        }));
        out.extend(keys.iter().zip(batch).map(|(&k, m)| match k {
            NOT_A_USER => false,
            NOT_PACKED => {
                UserId::try_from_sf(m.member_id.clone()).is_ok_and(|id| self.other.contains(&id))
            }
            k => self.packed.contains(&k),
        }));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Packed or whole, the members' user ids are found exactly as a set of the ids finds
        /// them, and a group is never a user.
        #[test]
        fn user_keys_find_what_a_set_of_the_ids_finds(
            users in prop::collection::vec((0usize..3, 0usize..5), 0..12),
            asked in prop::collection::vec((0usize..4, 0usize..5), 0..12),
            batch in 1usize..4,
        ) {
            // Few prefixes and few endings, so that one ending comes under several prefixes,
            // and two endings differ only in case; the last prefix is a group's.
            let prefixes = ["0055g", "0055h", "005Ab", "00G5g"];
            let rests = ["aaaaaaaaaa", "aaaaaaaaab", "Zz09aB1cD2", "zZ09aB1cD2", "0000000000"];
            let id = |(p, r): &(usize, usize)| {
                SfId::parse(&format!("{}{}", prefixes[*p], rests[*r])).unwrap().id
            };
            let ids: Vec<UserId> = users
                .iter()
                .map(|u| UserId::try_from_sf(id(u)).unwrap())
                .collect();
            let set: FxHashSet<SfId> = ids.iter().map(|u| u.as_sf().clone()).collect();
            let keys = UserKeys::new(ids.iter());
            let group = GroupId::parse("00G5g0000000001").unwrap().id;
            let members: Vec<GroupMember> = asked
                .iter()
                .map(id)
                .chain(set.iter().cloned())
                .map(|member_id| GroupMember { group_id: group.clone(), member_id, file: 0, line: 2 })
                .collect();
            let (mut scratch, mut found) = (Vec::new(), Vec::new());
            for b in members.chunks(batch) {
                keys.contains_members(b, &mut scratch, &mut found);
            }
            prop_assert_eq!(found.len(), members.len());
            for (m, f) in members.iter().zip(found) {
                prop_assert_eq!(f, set.contains(&m.member_id), "{}", m.member_id);
            }
        }
    }
}
