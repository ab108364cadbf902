//! Roles (latest, §4): R-CREATOR, then R-BOTH or R-SALES, then R-PROFILE or R-DEFAULT.

use super::explain::{who, BuCx, Builder};
use super::Reason;
use crate::classify;
use crate::codes::Code;
use crate::model::User;
use crate::scenario::{BothGroups, Switch};

/// The role User Sync gives an assigned user, and the rule that gives it.
pub(super) fn latest(
    cx: &BuCx,
    u: &User,
    in_m: bool,
    in_s: bool,
    b: &mut Builder,
) -> (String, Reason) {
    if let Some(role) = creator(cx, u, in_m, in_s) {
        return role;
    }
    if in_m && in_s {
        return both(cx, u, b);
    }
    if in_s {
        return (
            "Sales".into(),
            Reason::new(
                Code::RSales,
                "in Sales Users, so the role is Sales (this mapping cannot be edited)",
            ),
        );
    }
    profile(cx, u)
}

/// R-CREATOR (§10.9): the business unit's creator in Marketing Users keeps Administrator, even
/// when also in Sales Users.
fn creator(cx: &BuCx, u: &User, in_m: bool, in_s: bool) -> Option<(String, Reason)> {
    if cx.bu.creator.as_ref() != Some(&u.id) || !in_m {
        return None;
    }
    let extra = if in_s {
        "; this beats R-BOTH, even though the user is also in Sales Users"
    } else {
        ""
    };
    Some((
        "Administrator".into(),
        Reason::new(
            Code::RCreator,
            format!(
                "{} created the business unit and is in Marketing Users, so keeps Administrator{extra}",
                who(u)
            ),
        ),
    ))
}

/// R-BOTH (§10.10): in both groups, the set-up's `both_groups` decides.
fn both(cx: &BuCx, u: &User, b: &mut Builder) -> (String, Reason) {
    b.assume(
        Code::RBoth,
        format!(
            "a user in both groups: which group wins is an assumption (set-up: {})",
            Switch::BothGroups.quoted()
        ),
    );
    match cx.resolved.both_groups {
        BothGroups::SalesWins => (
            "Sales".into(),
            Reason::new(
                Code::RBoth,
                "in both Marketing Users and Sales Users, and the set-up says Sales wins, so the role is Sales",
            ),
        ),
        BothGroups::MarketingWins => {
            let (role, by) = profile(cx, u);
            (
                role,
                Reason::new(
                    Code::RBoth,
                    format!(
                        "in both Marketing Users and Sales Users, and the set-up says Marketing wins, so {} gives the role: {}",
                        by.code, by.text
                    ),
                ),
            )
        }
    }
}

/// R-PROFILE, or R-DEFAULT when the profile is not in the business unit's table.
fn profile(cx: &BuCx, u: &User) -> (String, Reason) {
    let pname = classify::profile_name(cx.org, u).unwrap_or("(no profile)");
    let from_id = u
        .profile_id
        .as_ref()
        .and_then(|p| cx.bu.profile_roles.get(p));
    let from_name = || {
        classify::profile(cx.org, u)
            .and_then(|p| cx.bu.profile_roles.get(&p.id))
            .or_else(|| {
                u.profile_name
                    .as_deref()
                    .and_then(|n| cx.bu.profile_roles_by_name.get(n))
            })
    };
    match from_id.or_else(from_name) {
        Some(role) => (
            role.clone(),
            Reason::new(
                Code::RProfile,
                format!("the business unit's profile-to-role table maps profile `{pname}` to {role}"),
            ),
        ),
        None => (
            "Marketing".into(),
            Reason::new(
                Code::RDefault,
                format!("profile `{pname}` is not in the business unit's profile-to-role table, so the role is Marketing"),
            ),
        ),
    }
}
