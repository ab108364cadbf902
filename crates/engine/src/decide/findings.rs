//! The findings raised about single decisions (§6): W-INTEGRATION, W-FROZEN and W-BOTH on an
//! assigned user, W-DOWNGRADE, W-SKIP for a user blocked by an AE user, W-RECYCLE-PROSPECTS.

use super::explain::{who, BuCx, Builder, Findings};
use super::Action;
use crate::classify;
use crate::codes::Code;
use crate::diag::Severity;
use crate::model::{AeUser, User};
use crate::scenario::{canonical_role, BothGroups};

/// What is worth a warning about an active user in scope: an integration or system user, a
/// frozen user, a user in both groups.
pub(super) fn assigned(
    cx: &BuCx,
    u: &User,
    frozen: bool,
    in_both: bool,
    b: &mut Builder,
    findings: &mut Findings,
) {
    let evidence = classify::integration_evidence(cx.org, u);
    if !evidence.is_empty() {
        findings.raise(
            Some(b),
            Severity::Warning,
            Code::WIntegration,
            format!(
                "integration or system user {} is assigned ({}): review it; an integration that calls the AE API does need an AE user",
                who(u),
                evidence.join(", ")
            ),
            vec![u.id.to_string()],
        );
    }
    if frozen {
        findings.raise(
            Some(b),
            Severity::Warning,
            Code::WFrozen,
            format!(
                "{} is frozen (UserLogin.IsFrozen): User Sync syncs the user, who cannot log in",
                who(u)
            ),
            vec![u.id.to_string()],
        );
    }
    if !cx.legacy && in_both {
        findings.raise(
            Some(b),
            Severity::Warning,
            Code::WBoth,
            format!(
                "{} is in both Marketing Users and Sales Users: {}",
                who(u),
                match cx.resolved.both_groups {
                    BothGroups::SalesWins => "they get Sales (the set-up says Sales wins) unless they created the business unit",
                    BothGroups::MarketingWins => "they get the Marketing role (the set-up says Marketing wins)",
                }
            ),
            vec![u.id.to_string()],
        );
    }
}

/// W-DOWNGRADE: a synced user's role goes away from Administrator, or from Sales Manager to
/// Sales.
pub(super) fn downgrade(
    u: &User,
    a: &AeUser,
    role: &str,
    b: &mut Builder,
    findings: &mut Findings,
) {
    if b.d.action == Action::None && !a.is_deleted {
        return;
    }
    let Some(prev) = a.role.as_deref().map(canonical_role) else {
        return;
    };
    if (prev == "Administrator" && role != "Administrator")
        || (prev == "Sales Manager" && role == "Sales")
    {
        findings.raise(
            Some(b),
            Severity::Warning,
            Code::WDowngrade,
            format!("{} goes from {prev} to {role}", who(u)),
            vec![u.id.to_string()],
        );
    }
}

/// W-RECYCLE-PROSPECTS on every recycle: prospects stay assigned to the deleted user.
pub(super) fn recycled_prospects(decisions: &mut [Builder], findings: &mut Findings) {
    for b in decisions.iter_mut() {
        if b.d.action != Action::Recycle {
            continue;
        }
        let uname = b.d.username.clone().unwrap_or_default();
        // One reference per user: the Salesforce id, else the AE user's.
        let users: Vec<String> =
            b.d.salesforce_user_id
                .as_ref()
                .map(|x| x.to_string())
                .or_else(|| b.d.ae_user_id.as_ref().map(|x| format!("ae:{x}")))
                .into_iter()
                .collect();
        findings.raise(
            Some(b),
            Severity::Info,
            Code::WRecycleProspects,
            format!("the AE user of `{uname}` is recycled: prospects assigned to it stay assigned to a deleted user; reassign them first"),
            users,
        );
    }
}

/// A-UNRESOLVED-GROUP counted apart: one finding per business unit naming how many outcomes
/// rest on groups the exports cannot resolve, and whose.
pub(super) fn unresolved_groups(cx: &BuCx, decisions: &[Builder], findings: &mut Findings) {
    if cx.sets.unknown.is_empty() {
        return;
    }
    let users: Vec<String> = decisions
        .iter()
        .filter(|b| b.d.findings.contains(&Code::AUnresolvedGroup))
        .filter_map(|b| b.d.salesforce_user_id.as_ref().map(|u| u.to_string()))
        .collect();
    if users.is_empty() {
        return;
    }
    let groups: Vec<String> = cx
        .sets
        .unknown
        .iter()
        .map(|g| format!("{} in {}", g.name, g.set.group_name()))
        .collect();
    findings.raise(
        None,
        Severity::Warning,
        Code::AUnresolvedGroup,
        format!(
            "{} outcome(s) of users synced today depend on {}, which syncplan cannot resolve: each is shown as if the user were not a member",
            users.len(),
            groups.join(", ")
        ),
        users,
    );
}
