//! Legacy (profile-based) User Sync (§5, §10.18): the ticked profile and its role (G-SELECTED,
//! G-CREATE), and G-SKIP-EMAIL whole: a user whose email an AE user holds is skipped, or, with
//! `skip_on_email_match` off, claims an unlinked AE user once every user has been seen.
//! The other situations reuse the L- rules with "assigned" read as "profile ticked".

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::explain::{ae_ref, ae_who, who, BuCx, Builder, Findings};
use super::identity::{LinkState, Links};
use super::{fields, Action, Reason};
use crate::classify;
use crate::codes::Code;
use crate::diag::Severity;
use crate::model::{AeUser, Text, User};
use crate::scenario::{canonical_role, Switch};
use crate::text;

/// The role the legacy profile table ticks the user's profile with, if it is ticked.
pub(super) fn ticked(cx: &BuCx, u: &User) -> Option<String> {
    let r = cx.bu;
    u.profile_id
        .as_ref()
        .and_then(|p| r.legacy_profiles.get(p))
        .or_else(|| classify::profile(cx.org, u).and_then(|p| r.legacy_profiles.get(&p.id)))
        .or_else(|| {
            u.profile_name
                .as_deref()
                .and_then(|n| r.legacy_profiles_by_name.get(n))
        })
        .cloned()
}

/// The role of a user whose profile is ticked: the table's (G-CREATE for a new AE user,
/// G-SELECTED for a linked one), or the AE user's own when the connector does not update roles.
pub(super) fn role(
    cx: &BuCx,
    u: &User,
    ticked: Option<&str>,
    linked: Option<&AeUser>,
    b: &mut Builder,
) -> (String, Reason) {
    let table_role = ticked.unwrap_or("Marketing").to_string();
    let pname = classify::profile_name(cx.org, u).unwrap_or_default();
    let from_table = |code: Code, tail: &str| {
        (
            table_role.clone(),
            Reason::new(
                code,
                format!("the legacy table ticks profile `{pname}` with role {table_role}{tail}"),
            ),
        )
    };
    match linked {
        Some(a) if !cx.bu.legacy.update_role_on_profile_change => {
            match a.role.clone().filter(|r| !r.trim().is_empty()) {
                Some(k) => (
                    k.clone(),
                    Reason::new(
                        Code::GSelected,
                        format!(
                            "{} is off, so the AE role {k} is kept",
                            Switch::UpdateRoleOnProfileChange.quoted()
                        ),
                    ),
                ),
                None => from_table(Code::GSelected, ""),
            }
        }
        Some(a) => match a.role.clone().filter(|r| !r.trim().is_empty()) {
            // §10.20: the connector changes the role when the profile changes, which a
            // snapshot cannot see; the role stays unless told to assume the change.
            Some(k)
                if !cx.bu.legacy.assume_profile_changed
                    && canonical_role(&k) != canonical_role(&table_role) =>
            {
                b.assume(
                    Code::ALegacyRole,
                    format!("the role changes to {table_role} only if the user's profile changes (set-up: {})", Switch::AssumeProfileChanged.quoted()),
                );
                (
                    k.clone(),
                    Reason::new(
                        Code::GSelected,
                        format!("the legacy table ticks profile `{pname}` with role {table_role}, but the AE role {k} changes only when the profile changes, so it is kept"),
                    ),
                )
            }
            _ => from_table(
                Code::GSelected,
                &format!(", and {} is on", Switch::UpdateRoleOnProfileChange.quoted()),
            ),
        },
        None => from_table(Code::GCreate, ""),
    }
}

/// G-SKIP-EMAIL for a user whose email AE users hold (`holders`, smallest AE id first; the
/// first described as `blocker`): the unlinked ones it could claim when `skip_on_email_match`
/// is off, else the user is skipped here.
pub(super) fn email_match(
    cx: &BuCx,
    links: &Links,
    u: &User,
    holders: &[usize],
    blocker: &str,
    b: &mut Builder,
) -> Option<Vec<usize>> {
    if cx.bu.legacy.skip_on_email_match {
        b.act(Action::Skip, Code::GSkipEmail, format!("{blocker} already has the email of {} and {} is on: nothing is created and that AE user is not synced", who(u), Switch::SkipOnEmailMatch.quoted()));
        return None;
    }
    let claimable: Vec<usize> = holders
        .iter()
        .copied()
        .filter(|&j| matches!(links.state_of(j), Some((LinkState::Unlinked, _))))
        .collect();
    if claimable.is_empty() {
        b.act(
            Action::Skip,
            Code::GSkipEmail,
            format!(
                "{blocker} has the email of {} and cannot be claimed: it is not unlinked",
                who(u)
            ),
        );
        return None;
    }
    b.assume(
        Code::GSkipEmail,
        format!("with {} off, the connector is assumed to claim the unlinked AE user with the same email", Switch::SkipOnEmailMatch.quoted()),
    );
    Some(claimable)
}

/// The claims, once every user has been seen (§10.18): the smallest Id claims, the others skip.
/// When several unlinked AE users hold the email, each is claimed in turn (smallest Id first,
/// AE users in id order): a claimant is skipped only when none is left, so the next run has
/// nothing more to claim. Gives the AE users claimed.
pub(super) fn settle_claims(
    cx: &BuCx,
    pending: &BTreeMap<Vec<usize>, Vec<usize>>,
    decisions: &mut [Builder],
    taken_emails: &mut BTreeMap<Cow<'_, str>, Text>,
    findings: &mut Findings,
) -> BTreeSet<usize> {
    let mut claimed = BTreeSet::new();
    for (claimable, claimants) in pending {
        let Some(&last) = claimable.last() else {
            continue;
        };
        for (k, &idx) in claimants.iter().enumerate() {
            let Some(b) = decisions.get_mut(idx) else {
                continue;
            };
            let target = claimable.get(k).copied();
            let Some(a) = cx.ae.get(target.unwrap_or(last)) else {
                continue;
            };
            match target {
                Some(j) => {
                    claimed.insert(j);
                    claim(cx, a, b, taken_emails);
                }
                None => lose_claim(a, claimable.len(), b, findings),
            }
        }
    }
    claimed
}

/// A claimant takes the unlinked AE user `a`: updated, or restored from the bin.
fn claim(cx: &BuCx, a: &AeUser, b: &mut Builder, taken_emails: &mut BTreeMap<Cow<'_, str>, Text>) {
    let uname = b.d.username.clone().unwrap_or_default();
    b.linked_to(a);
    if let Some(u) =
        b.d.salesforce_user_id
            .as_ref()
            .and_then(|id| cx.org.users.get(id))
    {
        let role = if cx.bu.legacy.update_role_on_profile_change {
            b.d.role.clone()
        } else {
            b.d.previous_role.clone().or(b.d.role.clone())
        };
        b.d.role = role.clone();
        b.d.changes = fields::changes(cx, u, a, role.as_deref());
        if let Some(e) = u.email.as_deref().map(text::folded) {
            taken_emails
                .entry(Cow::Owned(e.into_owned()))
                .or_insert(uname.clone());
        }
    }
    fields::assumptions(b, cx);
    if let Some(r) = b.d.role_reason.as_mut() {
        // A copy: the `role` step keeps the code it was decided with.
        Arc::make_mut(r).code = Code::GSelected;
    }
    if a.is_deleted {
        b.act(Action::Restore, Code::GSkipEmail, format!("{} is off, so `{uname}` claims the unlinked {} with the same email, which is in the recycle bin and is restored", Switch::SkipOnEmailMatch.quoted(), ae_who(a)));
    } else {
        b.act(
            Action::Update,
            Code::GSkipEmail,
            format!(
                "{} is off, so `{uname}` claims the unlinked {} with the same email and links it",
                Switch::SkipOnEmailMatch.quoted(),
                ae_who(a)
            ),
        );
    }
}

/// A claimant with a larger Id finds every claimable AE user taken: skipped.
fn lose_claim(a: &AeUser, claimable: usize, b: &mut Builder, findings: &mut Findings) {
    let uname = b.d.username.clone().unwrap_or_default();
    b.d.role = None;
    b.d.role_reason = None;
    b.act(
        Action::Skip,
        Code::GSkipEmail,
        if claimable == 1 {
            format!(
                "another user with a smaller Id claims the unlinked {} with the same email",
                ae_who(a)
            )
        } else {
            format!("users with smaller Ids claim all {claimable} unlinked AE users with the same email")
        },
    );
    let uid =
        b.d.salesforce_user_id
            .as_ref()
            .map(|x| x.to_string())
            .unwrap_or_default();
    findings.raise(
        Some(b),
        Severity::Warning,
        Code::WSkip,
        format!("`{uname}` is skipped: another user with a smaller Id claims {} with the same email; fix: give each user its own email", ae_who(a)),
        vec![uid, ae_ref(a)],
    );
}
