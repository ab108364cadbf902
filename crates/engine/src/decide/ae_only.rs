//! AE users that get a decision of their own, not through a Salesforce user (§3, §10.1–2):
//! L-UNLINKED, L-DANGLING, and L-LINK-CONFLICT for an AE user that lost its Salesforce user to
//! another AE user.

use std::collections::BTreeSet;

use super::explain::{ae_ref, ae_who, BuCx, Builder, Findings};
use super::identity::{LinkState, Links};
use super::{Action, Step};
use crate::codes::Code;
use crate::diag::Severity;
use crate::id::UserId;
use crate::model::AeUser;

/// The decisions of the AE users no Salesforce user decides (`claimed`: taken by a legacy
/// claim, so decided already).
pub(super) fn decide(
    cx: &BuCx,
    links: &Links,
    claimed: &BTreeSet<usize>,
    findings: &mut Findings,
) -> Vec<Builder> {
    let mut out = Vec::new();
    for (i, a) in cx.ae.iter().enumerate() {
        if claimed.contains(&i) {
            continue;
        }
        let mut b = Builder::for_ae(a);
        let decided = match links.state_of(i) {
            Some((LinkState::Linked, Some(uid))) => match links.losers.get(&i) {
                Some(&winner) => {
                    link_conflict(cx, a, uid, winner, &mut b, findings);
                    true
                }
                None => false,
            },
            Some((LinkState::Dangling, _)) => {
                dangling(a, &mut b, findings);
                true
            }
            _ => {
                unlinked(a, &mut b, findings);
                true
            }
        };
        if decided {
            out.push(b);
        }
    }
    out
}

/// L-LINK-CONFLICT: another AE user is the link of the same Salesforce user.
fn link_conflict(
    cx: &BuCx,
    a: &AeUser,
    uid: &UserId,
    winner: usize,
    b: &mut Builder,
    findings: &mut Findings,
) {
    let uname = cx
        .org
        .users
        .get(uid)
        .map(|u| u.username.clone())
        .unwrap_or_default();
    let winner = cx
        .ae
        .get(winner)
        .map(|w| ae_who(w).to_string())
        .unwrap_or_default();
    b.step(Step::Scope, format!("{} is linked to `{uname}`", ae_who(a)));
    b.step(
        Step::Match,
        format!("{winner} is linked to the same user and wins (not in the recycle bin, then the smallest AE id)"),
    );
    b.act(
        Action::None,
        Code::LLinkConflict,
        format!(
            "another AE user is the link of `{uname}`, so User Sync leaves {} as it is",
            ae_who(a)
        ),
    );
    findings.raise(
        Some(b),
        Severity::Warning,
        Code::WLinkConflict,
        format!(
            "{winner} and {} are both linked to `{uname}`: only the first is synced; fix: unlink or delete the other",
            ae_who(a)
        ),
        vec![uid.to_string(), ae_ref(a)],
    );
}

/// L-DANGLING: linked to a Salesforce user the User export lacks.
fn dangling(a: &AeUser, b: &mut Builder, findings: &mut Findings) {
    let target = a
        .salesforce_id
        .as_ref()
        .map(|s| format!("Salesforce id `{s}`"))
        .or_else(|| {
            a.crm_username
                .as_ref()
                .map(|c| format!("CRM username `{}`", c.trim()))
        })
        .unwrap_or_default();
    b.step(Step::Scope, format!("{} is linked to {target}", ae_who(a)));
    b.step(
        Step::Match,
        "no user in the User export has that Id or Username",
    );
    b.assume(
        Code::LDangling,
        "a link to a user missing from the export is assumed to mean a filtered export",
    );
    b.act(
        Action::None,
        Code::LDangling,
        format!(
            "{} is linked to {target}, which is not in the User export: left as it is",
            ae_who(a)
        ),
    );
    findings.raise(
        Some(b),
        Severity::Warning,
        Code::WDangling,
        format!("{} is linked to {target}, which is not in the User export: the export may be filtered (e.g. active users only); export every user", ae_who(a)),
        vec![ae_ref(a)],
    );
}

/// L-UNLINKED: neither a Salesforce id nor a CRM username.
fn unlinked(a: &AeUser, b: &mut Builder, findings: &mut Findings) {
    b.step(
        Step::Scope,
        format!(
            "{} has neither a Salesforce id nor a CRM username",
            ae_who(a)
        ),
    );
    b.step(
        Step::Match,
        "unlinked: User Sync never matches it to a Salesforce user",
    );
    b.act(
        Action::None,
        Code::LUnlinked,
        format!(
            "User Sync ignores the unlinked {}; it cannot log in through Salesforce",
            ae_who(a)
        ),
    );
    findings.raise(
        Some(b),
        Severity::Warning,
        Code::WUnlinked,
        format!("{} is unlinked: User Sync ignores it and it cannot log in through Salesforce; link it (CRM username) before the transfer", ae_who(a)),
        vec![ae_ref(a)],
    );
}
