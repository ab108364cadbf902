//! Lookups for the web app's set-up screen: what an admin can add to Marketing Users or
//! Sales Users (users, public groups, roles, roles and subordinates), found by name, username
//! or id, each with how many users it reaches.
//!
//! Reach is computed by the same [`Resolver`] that builds the plan's sets, and a scenario's
//! written assignment is resolved by [`scenario::resolve`](crate::scenario::resolve): no membership rule is repeated here.

use serde::{Deserialize, Serialize};

use super::membership::Resolver;
use super::model::{GroupType, Org};
use super::scenario::{Assignment, BusinessUnit, ResolvedAssignment, Scenario, Target};
use crate::sort;
use rustc_hash::FxHashMap;

/// Something that can be assigned, with the users it reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// The assignment kind as written in the scenario (`user`, `public_group`, `role`, …).
    pub kind: String,
    /// What the scenario writes: a username, a group's or role's name (its id when the name
    /// is not unique).
    pub reference: String,
    /// The name shown.
    pub label: String,
    /// Username and id, or developer name and id.
    pub detail: String,
    /// Users reached (every user, active or not).
    pub users: usize,
    /// A user's Salesforce Id (`None` for groups and roles): what a shared link writes
    /// instead of the username.
    #[serde(default)]
    pub user_id: Option<String>,
}

impl Candidate {
    /// The scenario assignment this candidate adds.
    pub fn assignment(&self) -> Option<Assignment> {
        assignment(&self.kind, &self.reference)
    }
}

/// An assignment from its kind as written in the scenario and its reference.
pub fn assignment(kind: &str, reference: &str) -> Option<Assignment> {
    let r = reference.to_string();
    Some(match kind {
        "user" => Assignment::User(r),
        "public_group" => Assignment::PublicGroup(r),
        "role" => Assignment::Role(r),
        "role_and_subordinates" => Assignment::RoleAndSubordinates(r),
        "role_and_internal_subordinates" => Assignment::RoleAndInternalSubordinates(r),
        _ => return None,
    })
}

fn reach_of(resolver: &mut Resolver<'_>, a: ResolvedAssignment) -> usize {
    resolver.reach_count(&a)
}

/// Every user, public group and role of the org that can be assigned, with its reach, in a
/// stable order (kind, then label).
pub fn candidates(org: &Org) -> Vec<Candidate> {
    candidates_with(org, &mut Resolver::new(org))
}

/// [`candidates`] with a resolver the caller already built for `org`.
pub fn candidates_with(org: &Org, resolver: &mut Resolver<'_>) -> Vec<Candidate> {
    let mut out = user_candidates(org);
    // The users' candidates (a hundred thousand in a large org): the standard sort, whose
    // comparisons are inlined (through the shared one, the set-up screen's lookups took about a
    // fifth longer).
    out.sort_by(|a, b| (&a.label, &a.reference).cmp(&(&b.label, &b.reference)));
    out.extend(group_candidates(org, resolver));
    out.extend(role_candidates(org, resolver));
    // Roles known only by name (a User export with `UserRole.Name`, no UserRole export).
    if org.roles.is_empty() {
        out.extend(role_name_candidates(org, resolver));
    }
    out
}

/// Every user, by Username.
fn user_candidates(org: &Org) -> Vec<Candidate> {
    let mut out = Vec::new();
    for u in org.users.values() {
        let label = u
            .name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(&u.username)
            .to_string();
        out.push(Candidate {
            kind: "user".into(),
            reference: u.username.to_string(),
            label,
            detail: format!(
                "{} · {}{}",
                u.username,
                u.id,
                if u.is_active { "" } else { " · inactive" }
            ),
            users: 1,
            user_id: Some(u.id.to_string()),
        });
    }
    out
}

/// Every public group (Type `Regular`), by name when it is unique, else by DeveloperName or Id;
/// sorted by label.
fn group_candidates(org: &Org, resolver: &mut Resolver<'_>) -> Vec<Candidate> {
    let mut group_names: FxHashMap<&str, usize> = FxHashMap::default();
    for g in org.groups.values() {
        if let Some(n) = g.name.as_deref() {
            *group_names.entry(n).or_default() += 1;
        }
    }
    let mut groups = Vec::new();
    for g in org.groups.values() {
        if g.group_type != GroupType::Regular {
            continue;
        }
        let name = g
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .or_else(|| g.developer_name.clone().filter(|n| !n.trim().is_empty()));
        let label = name.clone().unwrap_or_else(|| g.id.to_string());
        let unique = name
            .as_ref()
            .is_some_and(|n| group_names.get(n.as_str()).copied().unwrap_or(0) <= 1);
        let reference = match (&g.developer_name, unique) {
            (_, true) => label.clone(),
            (Some(d), false) if !d.trim().is_empty() => d.clone(),
            _ => g.id.to_string(),
        };
        let written = Assignment::PublicGroup(reference.clone());
        let users = reach_of(
            resolver,
            ResolvedAssignment {
                written,
                target: Target::PublicGroup(g.id.clone()),
                label: format!("public group \"{label}\""),
            },
        );
        let detail = match &g.developer_name {
            Some(d) if !d.trim().is_empty() => format!("public group · {d} · {}", g.id),
            _ => format!("public group · {}", g.id),
        };
        groups.push(Candidate {
            kind: "public_group".into(),
            reference,
            label,
            detail,
            users,
            user_id: None,
        });
    }
    sort::sort_by(&mut groups, |a, b| {
        (&a.label, &a.reference).cmp(&(&b.label, &b.reference))
    });
    groups
}

/// Every role, as a role, a role and subordinates, and (with PortalType) a role and internal
/// subordinates; by name when it is unique, else by Id; sorted by label.
fn role_candidates(org: &Org, resolver: &mut Resolver<'_>) -> Vec<Candidate> {
    let mut role_names: FxHashMap<&str, usize> = FxHashMap::default();
    for r in org.roles.values() {
        *role_names.entry(r.name.as_str()).or_default() += 1;
    }
    let mut roles = Vec::new();
    for r in org.roles.values() {
        let unique = role_names.get(r.name.as_str()).copied().unwrap_or(0) <= 1;
        let reference = if unique && !r.name.trim().is_empty() {
            r.name.clone()
        } else {
            r.id.to_string()
        };
        let mut kinds: Vec<(&str, Target, &str)> = vec![
            ("role", Target::Role(r.id.clone()), "role"),
            (
                "role_and_subordinates",
                Target::RoleAndSubordinates(r.id.clone()),
                "role and subordinates",
            ),
        ];
        if org.has_portal_type {
            kinds.push((
                "role_and_internal_subordinates",
                Target::RoleAndInternalSubordinates(r.id.clone()),
                "role and internal subordinates",
            ));
        }
        for (kind, target, words) in kinds {
            let Some(written) = assignment(kind, &reference) else {
                continue;
            };
            let users = reach_of(
                resolver,
                ResolvedAssignment {
                    written,
                    target,
                    label: format!("{words} \"{}\"", r.name),
                },
            );
            roles.push(Candidate {
                kind: kind.into(),
                reference: reference.clone(),
                label: r.name.clone(),
                detail: format!("{words} · {}", r.id),
                users,
                user_id: None,
            });
        }
    }
    sort::sort_by(&mut roles, |a, b| {
        (&a.label, &a.kind).cmp(&(&b.label, &b.kind))
    });
    roles
}

/// The roles the User export names when there is no UserRole export.
fn role_name_candidates(org: &Org, resolver: &mut Resolver<'_>) -> Vec<Candidate> {
    let mut roles = Vec::new();
    let mut names: Vec<String> = org
        .users
        .values()
        .filter_map(|u| u.role_name.as_deref().map(str::to_string))
        .filter(|n| !n.trim().is_empty())
        .collect();
    sort::sort(&mut names);
    names.dedup();
    for n in names {
        let users = reach_of(
            resolver,
            ResolvedAssignment {
                written: Assignment::Role(n.clone()),
                target: Target::RoleName(n.clone()),
                label: format!("role \"{n}\""),
            },
        );
        roles.push(Candidate {
            kind: "role".into(),
            reference: n.clone(),
            label: n.clone(),
            detail: "role (from the User export)".into(),
            users,
            user_id: None,
        });
    }
    roles
}

/// Resolve one written assignment as the plan does (through [`Resolver::resolve_scenario`]).
fn resolve_one(resolver: &Resolver<'_>, a: &Assignment) -> Result<ResolvedAssignment, String> {
    let probe = probe(vec![a.clone()], Vec::new());
    let (resolved, _) = resolver
        .resolve_scenario("syncplan.json", &probe, false)
        .map_err(|e| e.to_string())?;
    resolved
        .business_units
        .into_iter()
        .next()
        .and_then(|b| b.marketing.into_iter().next())
        .ok_or_else(|| format!("`{}` cannot be resolved", a.reference()))
}

/// A one-BU latest-mode scenario holding only these assignments.
fn probe(marketing: Vec<Assignment>, sales: Vec<Assignment>) -> Scenario {
    Scenario {
        business_units: vec![BusinessUnit {
            name: "reach".into(),
            marketing_users: marketing,
            sales_users: sales,
            ..BusinessUnit::default()
        }],
        ..Scenario::default()
    }
}

/// How many users one written assignment reaches, or why it cannot be resolved (the message
/// the plan gives for it).
pub fn reach(org: &Org, a: &Assignment) -> Result<usize, String> {
    let mut resolver = Resolver::new(org);
    let ra = resolve_one(&resolver, a)?;
    Ok(reach_of(&mut resolver, ra))
}

/// The reach of every assignment of one business unit, in the scenario's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuReach {
    pub business_unit: String,
    pub marketing: Vec<Result<usize, String>>,
    pub sales: Vec<Result<usize, String>>,
}

/// The reach of every assignment of a scenario. The org's indices are built once, and each
/// business unit's assignments are resolved together (one at a time only when one of them
/// cannot be resolved, to say which).
pub fn scenario_reach(org: &Org, s: &Scenario) -> Vec<BuReach> {
    scenario_reach_with(&mut Resolver::new(org), s)
}

/// [`scenario_reach`] with a resolver the caller already built for `org`.
pub fn scenario_reach_with(resolver: &mut Resolver<'_>, s: &Scenario) -> Vec<BuReach> {
    s.business_units
        .iter()
        .map(|bu| {
            let together = resolver
                .resolve_scenario(
                    "syncplan.json",
                    &probe(bu.marketing_users.clone(), bu.sales_users.clone()),
                    false,
                )
                .ok()
                .and_then(|(r, _)| r.business_units.into_iter().next())
                .filter(|b| {
                    b.marketing.len() == bu.marketing_users.len()
                        && b.sales.len() == bu.sales_users.len()
                });
            let (marketing, sales) = match together {
                Some(b) => (
                    b.marketing
                        .into_iter()
                        .map(|ra| Ok(reach_of(resolver, ra)))
                        .collect(),
                    b.sales
                        .into_iter()
                        .map(|ra| Ok(reach_of(resolver, ra)))
                        .collect(),
                ),
                None => {
                    let mut one =
                        |a: &Assignment| resolve_one(resolver, a).map(|ra| reach_of(resolver, ra));
                    (
                        bu.marketing_users.iter().map(&mut one).collect(),
                        bu.sales_users.iter().map(&mut one).collect(),
                    )
                }
            };
            BuReach {
                business_unit: bu.name.clone(),
                marketing,
                sales,
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::ingest::{ingest, IngestOptions, InputFile};

    fn demo() -> Org {
        demo_ingested().org
    }

    fn demo_ingested() -> crate::ingest::Ingested {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo");
        let mut files = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".csv") {
                files.push(InputFile {
                    name,
                    bytes: std::fs::read(&p).unwrap(),
                });
            }
        }
        ingest(&files, &IngestOptions::default())
    }

    #[test]
    fn candidates_reach_what_the_plan_reaches() {
        let org = demo();
        let c = candidates(&org);
        let group = c
            .iter()
            .find(|c| c.kind == "public_group" && c.label == "All Marketing")
            .unwrap();
        // W-BROAD in the demo plan: "All Marketing" reaches 14 active internal users; every
        // user reached (inactive included) is at least that many.
        assert!(group.users >= 14, "{group:?}");
        assert_eq!(
            reach(&org, &Assignment::PublicGroup("All_Marketing".into())),
            Ok(group.users)
        );
        let sub = c
            .iter()
            .find(|c| c.kind == "role_and_subordinates" && c.label == "VP Marketing")
            .unwrap();
        let role = c
            .iter()
            .find(|c| c.kind == "role" && c.label == "VP Marketing")
            .unwrap();
        assert!(sub.users > role.users, "{sub:?} {role:?}");
        assert!(c.iter().any(|c| c.kind == "user" && c.users == 1));
    }

    #[test]
    fn every_candidates_count_is_the_size_of_the_set_the_plan_builds() {
        // `candidates` counts with `Resolver::reach_count` (no paths); the plan's
        // `Resolver::sets` builds the memberships: the two must agree for every candidate.
        let org = demo();
        let mut resolver = Resolver::new(&org);
        let c = candidates(&org);
        assert!(c.len() > 20);
        for cand in &c {
            let ra = resolve_one(&resolver, &cand.assignment().unwrap()).unwrap();
            let sets = resolver.sets(std::slice::from_ref(&ra), &[]);
            assert_eq!(sets.marketing.len(), cand.users, "{cand:?}");
        }
    }

    #[test]
    fn a_resolver_that_planned_gives_the_same_reach_and_candidates_as_a_fresh_one() {
        // After a plan, the resolver keeps the counts of the plan's assignments and its
        // user-name indices; the lookups made with it must be those of a fresh resolver.
        let ingested = demo_ingested();
        let org = &ingested.org;
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/syncplan.json"),
        )
        .unwrap();
        let mut s = crate::plan::Setup::parse("syncplan.json", &text)
            .unwrap()
            .scenario;
        // A user named by Name (not Username): the Name index is built on this need only.
        let named = org
            .users
            .values()
            .find(|u| u.name.as_deref().is_some_and(|n| !n.trim().is_empty()))
            .unwrap();
        s.business_units[0]
            .sales_users
            .push(Assignment::User(named.name.as_deref().unwrap().into()));
        let mut used = Resolver::for_ingested(&ingested);
        let report = crate::plan(
            crate::Exports::Kept(&ingested),
            Some(crate::Setup::given(s.clone())),
            crate::PlanOptions {
                resolver: Some(&mut used),
                ..Default::default()
            },
        )
        .map(|p| p.report);
        assert!(report.is_ok(), "{report:?}");
        let fresh = scenario_reach(org, &s);
        assert_eq!(scenario_reach_with(&mut used, &s), fresh);
        assert!(fresh[0].sales.iter().all(|r| r.is_ok()), "{fresh:?}");
        assert_eq!(candidates_with(org, &mut used), candidates(org));
    }

    #[test]
    fn an_unknown_reference_says_why() {
        let org = demo();
        let e = reach(&org, &Assignment::PublicGroup("No Such Group".into())).unwrap_err();
        assert!(e.contains("No Such Group"), "{e}");
        assert_eq!(assignment("role", "x"), Some(Assignment::Role("x".into())));
        assert_eq!(assignment("nope", "x"), None);
        // One bad reference in a business unit: the others still say how many they reach.
        let s = probe(
            vec![
                Assignment::PublicGroup("All_Marketing".into()),
                Assignment::PublicGroup("No Such Group".into()),
            ],
            vec![Assignment::Role("Sales Rep".into())],
        );
        let r = scenario_reach(&org, &s);
        assert_eq!(
            r[0].marketing[0],
            reach(&org, &Assignment::PublicGroup("All_Marketing".into()))
        );
        assert!(r[0].marketing[1].is_err());
        assert!(r[0].sales[0].as_ref().is_ok_and(|n| *n > 0));
        let fine = probe(
            vec![Assignment::PublicGroup("All_Marketing".into())],
            Vec::new(),
        );
        assert_eq!(
            scenario_reach(&org, &fine)[0].marketing,
            r[0].marketing[..1].to_vec()
        );
    }
}
