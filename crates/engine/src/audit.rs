//! Audit findings about the plan as a whole (spec §6). Findings about one record are raised
//! while deciding (see [`super::decide`]); this module adds those that need the whole plan.

use crate::codes::Code;
use std::collections::BTreeMap;

use super::classify;
use super::decide::{Action, BuOutcome, Decision, Finding};
use super::diag::Severity;
use super::membership::Sets;
use super::model::{AeUser, Org};
use super::scenario::{Mode, Resolved, ResolvedBu};
use super::text;
use rustc_hash::FxHashMap;

fn finding(
    severity: Severity,
    code: Code,
    message: String,
    bu: Option<&str>,
    users: Vec<String>,
) -> Finding {
    Finding {
        severity,
        code,
        message,
        business_unit: bu.map(str::to_string),
        users,
    }
}

/// Active internal (Standard) users: the denominator of W-BROAD.
pub fn active_internal(org: &Org) -> usize {
    org.users
        .values()
        .filter(|u| u.is_active && classify::user_type(org, u).is_standard())
        .count()
}

/// Findings about one business unit after its decisions, one function per code.
pub fn audit_bu(
    org: &Org,
    resolved: &Resolved,
    bu: &ResolvedBu,
    sets: &Sets,
    outcome: &BuOutcome,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if resolved.mode == Mode::Latest {
        out.extend(creator_lost(org, bu, sets));
        out.extend(broad(org, bu, sets));
    }
    out.extend(no_admin(org, bu, outcome));
    out.extend(identity(org, bu, outcome));
    out
}

/// W-CREATOR-LOST: the creator is missing, inactive, or not in Marketing Users.
fn creator_lost(org: &Org, bu: &ResolvedBu, sets: &Sets) -> Option<Finding> {
    let c = bu.creator.as_ref()?;
    let message = match org.users.get(c) {
        None => format!("the business unit's creator `{c}` is not in the User export: if not in Marketing Users, the creator loses Administrator"),
        Some(u) if !u.is_active => format!(
            "the business unit's creator `{}` is inactive: its AE user loses Administrator",
            u.username
        ),
        Some(u) if !sets.marketing.contains_key(c) => format!(
            "the business unit's creator `{}` is not in Marketing Users: the creator loses Administrator; add the creator to Marketing Users",
            u.username
        ),
        Some(_) => return None,
    };
    Some(finding(
        Severity::Warning,
        Code::WCreatorLost,
        message,
        Some(&bu.name),
        vec![c.to_string()],
    ))
}

/// W-BROAD: an assignment (other than a single user) reaching over a quarter of the active
/// internal users.
fn broad(org: &Org, bu: &ResolvedBu, sets: &Sets) -> Vec<Finding> {
    let total = active_internal(org);
    if total == 0 {
        return Vec::new();
    }
    sets.reach
        .iter()
        .filter(|r| r.kind != "user" && r.active_internal * 4 > total)
        .map(|r| {
            finding(
                Severity::Warning,
                Code::WBroad,
                format!(
                    "{} in {} reaches {} of {} active internal users ({}%): check that so many users should get an AE user",
                    r.label,
                    r.set.group_name(),
                    r.active_internal,
                    total,
                    r.active_internal * 100 / total
                ),
                Some(&bu.name),
                Vec::new(),
            )
        })
        .collect()
}

/// W-NO-ADMIN: after the plan, no active AE user of the business unit is an Administrator.
fn no_admin(org: &Org, bu: &ResolvedBu, outcome: &BuOutcome) -> Option<Finding> {
    let export = bu.ae_file.as_ref().and_then(|f| org.ae_exports.get(f));
    // Who is an active Administrator after the plan?
    let deleted: FxHashMap<&str, (bool, Option<&str>)> = export
        .map(|e| {
            e.users
                .iter()
                .map(|a| (a.id.as_str(), (a.is_deleted, a.role.as_deref())))
                .collect()
        })
        .unwrap_or_default();
    let is_admin = |d: &&Decision| {
        let final_role: Option<&str> = match d.action {
            Action::Create | Action::Update | Action::Restore => d.role.as_deref(),
            Action::Recycle => None,
            Action::None if d.role.is_some() => d.role.as_deref(),
            Action::None | Action::Skip => d
                .ae_user_id
                .as_deref()
                .and_then(|id| deleted.get(id))
                .filter(|(del, _)| !del)
                .and_then(|(_, r)| *r),
        };
        final_role.map(super::scenario::canonical_role).as_deref() == Some("Administrator")
    };
    if outcome.decisions.iter().any(|d| is_admin(&d)) {
        return None;
    }
    let has_role = export.is_some_and(|e| e.has_role);
    let (sev, tail) = if has_role || export.is_none() {
        (Severity::Error, "")
    } else {
        (
            Severity::Warning,
            " (the AE users export has no role column, so untouched AE users' roles are unknown)",
        )
    };
    Some(finding(
        sev,
        Code::WNoAdmin,
        format!(
            "after the plan, no active AE user of `{}` has the Administrator role{tail}: put the creator in Marketing Users or map a profile to Administrator",
            bu.name
        ),
        Some(&bu.name),
        Vec::new(),
    ))
}

/// W-IDENTITY: several synced users share one Identity-license profile, and so one role.
fn identity(org: &Org, bu: &ResolvedBu, outcome: &BuOutcome) -> Vec<Finding> {
    let mut by_profile: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in outcome.decisions.iter().filter(|d| d.role.is_some()) {
        let Some(u) = d
            .salesforce_user_id
            .as_ref()
            .and_then(|id| org.users.get(id))
        else {
            continue;
        };
        if classify::is_identity_license(org, u) {
            let p = classify::profile_name(org, u).unwrap_or_default();
            by_profile
                .entry(p.to_string())
                .or_default()
                .push(u.id.to_string());
        }
    }
    by_profile
        .into_iter()
        .filter(|(_, users)| users.len() > 1)
        .map(|(p, users)| {
            finding(
                Severity::Info,
                Code::WIdentity,
                format!(
                    "{} synced users share the Identity-license profile `{p}` and so one AE role: clone the profile to give them different roles",
                    users.len()
                ),
                Some(&bu.name),
                users,
            )
        })
        .collect()
}

/// W-CROSS-BU-EMAIL (§6): a create, or an update that changes the email, writes an email that
/// an AE user of another business unit of the set-up has, not linked to the same Salesforce
/// user. Account Engagement wants the emails of users made by hand unique across business units.
/// The decisions concerned list the code.
pub fn cross_bu_emails(org: &Org, resolved: &Resolved, outcomes: &mut [BuOutcome]) -> Vec<Finding> {
    if resolved.business_units.len() < 2 {
        return Vec::new();
    }
    // Folded email → the business units whose AE users have it, with each one's link.
    let mut holders: BTreeMap<String, Vec<(usize, &AeUser)>> = BTreeMap::new();
    for (i, bu) in resolved.business_units.iter().enumerate() {
        let export = bu.ae_file.as_ref().and_then(|f| org.ae_exports.get(f));
        for a in export.map(|e| e.users.as_slice()).unwrap_or(&[]) {
            let email = text::folded(&a.email);
            if !email.is_empty() {
                holders.entry(email.into_owned()).or_default().push((i, a));
            }
        }
    }
    let mut out = Vec::new();
    for (i, o) in outcomes.iter_mut().enumerate() {
        for d in &mut o.decisions {
            let writes_email = d.action == Action::Create
                || (d.action == Action::Update && d.changes.iter().any(|c| c.field == "email"));
            let Some(email) = d
                .email
                .as_deref()
                .map(text::folded)
                .filter(|_| writes_email)
            else {
                continue;
            };
            let same_user = |a: &AeUser| {
                a.salesforce_id.is_some() && a.salesforce_id == d.salesforce_user_id
                    || a.crm_username
                        .as_deref()
                        .zip(d.username.as_deref())
                        .is_some_and(|(c, u)| text::folded(c) == text::folded(u))
            };
            let others: Vec<&str> = holders
                .get(email.as_ref())
                .into_iter()
                .flatten()
                .filter(|(j, a)| *j != i && !same_user(a))
                .filter_map(|(j, _)| resolved.business_units.get(*j).map(|b| b.name.as_str()))
                .collect();
            let Some(other) = others.first() else {
                continue;
            };
            if !d.findings.contains(&Code::WCrossBuEmail) {
                d.findings.push(Code::WCrossBuEmail);
            }
            let what = if d.action == Action::Create {
                "is created"
            } else {
                "is updated"
            };
            out.push(finding(
                Severity::Warning,
                Code::WCrossBuEmail,
                format!(
                    "`{}` {what} with the email `{}`, which an AE user of business unit `{other}` already has: Account Engagement requires the emails of users created by hand to be unique across business units, and may refuse it",
                    d.username.as_deref().unwrap_or_default(),
                    d.email.as_deref().unwrap_or_default().trim()
                ),
                Some(&o.name),
                d.salesforce_user_id.iter().map(|u| u.to_string()).collect(),
            ));
        }
    }
    out
}

/// Findings about the org and the plan as a whole: W-B2BMA, W-TIMING, W-IRREVERSIBLE.
pub fn audit_org(org: &Org, outcomes: &[BuOutcome]) -> Vec<Finding> {
    let mut out: Vec<Finding> = b2bma(org).into_iter().collect();
    out.push(timing(outcomes));
    out.push(finding(
        Severity::Info,
        Code::WIrreversible,
        "User Sync cannot be disabled once enabled: review this plan before the transfer"
            .to_string(),
        None,
        Vec::new(),
    ));
    out
}

/// W-B2BMA: the connector's user is missing from the User export, or inactive.
fn b2bma(org: &Org) -> Option<Finding> {
    let b2bma: Vec<_> = org
        .users
        .values()
        .filter(|u| classify::is_b2bma(org, u))
        .collect();
    if b2bma.is_empty() {
        return Some(finding(
            Severity::Warning,
            Code::WB2bma,
            "the B2BMA Integration user (`b2bmaintegration@…`) is missing from the User export: the connector runs as this user; export every user to check it".to_string(),
            None,
            Vec::new(),
        ));
    }
    if b2bma.iter().any(|u| u.is_active) {
        return None;
    }
    Some(finding(
        Severity::Error,
        Code::WB2bma,
        format!(
            "the B2BMA Integration user `{}` is inactive: the connector runs as this user and User Sync cannot work",
            b2bma.first().map(|u| u.username.as_str()).unwrap_or("")
        ),
        None,
        b2bma.iter().map(|u| u.id.to_string()).collect(),
    ))
}

/// W-TIMING: how many changes the plan makes, and how long User Sync takes.
fn timing(outcomes: &[BuOutcome]) -> Finding {
    let mut counts = [0usize; 6];
    for o in outcomes {
        for d in &o.decisions {
            if let Some(i) = Action::ALL.iter().position(|a| *a == d.action) {
                if let Some(c) = counts.get_mut(i) {
                    *c += 1;
                }
            }
        }
    }
    let [create, update, restore, recycle, skip, _] = counts;
    let changes = create + update + restore + recycle;
    finding(
        Severity::Info,
        Code::WTiming,
        format!(
            "the plan makes {changes} change(s) ({create} create, {update} update, {restore} restore, {recycle} recycle; {skip} skipped): User Sync typically applies them within 10 minutes; up to an hour for tens of thousands of users"
        ),
        None,
        Vec::new(),
    )
}
