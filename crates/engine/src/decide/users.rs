//! One Salesforce user's decision (§3 latest, §5 legacy): what put the user in scope, which AE
//! user they are linked to, then the rules in the order the table of §3 lists them, each in a
//! function of its own. Legacy reads "assigned" as "profile ticked" (§10.18).

use std::sync::Arc;

use super::explain::{ae_ref, ae_who, who, BuCx, Builder};
use super::halves::Part;
use super::identity::{describe_blocker, LinkState, Links};
use super::{fields, findings, legacy, roles, Action, Reason, Step, StepText};
use crate::classify;
use crate::codes::Code;
use crate::diag::Severity;
use crate::membership::Membership;
use crate::model::{AeUser, User};
use crate::scenario::Switch;
use crate::text;

/// What every user's decision in one business unit reads.
pub(super) struct UsersCx<'a> {
    pub bu: BuCx<'a>,
    pub links: Links<'a>,
    /// The scope of an active and of an inactive user in neither group (shared by every such
    /// user's trace).
    unassigned: [StepText; 2],
}

impl<'a> UsersCx<'a> {
    pub fn new(bu: BuCx<'a>, links: Links<'a>) -> Self {
        let unassigned = ["active", "inactive (IsActive false)"].map(|active| {
            StepText::Shared(Arc::from(format!(
                "{active}; in neither Marketing Users nor Sales Users of `{}`",
                bu.bu.name
            )))
        });
        UsersCx {
            bu,
            links,
            unassigned,
        }
    }
}

/// What one user's rules read about the user.
struct Facts<'a> {
    u: &'a User,
    in_m: Option<&'a Membership>,
    in_s: Option<&'a Membership>,
    /// Legacy: the role the profile table ticks the user's profile with.
    ticked: Option<String>,
    /// In Marketing or Sales Users (latest), or the profile is ticked (legacy).
    assigned: bool,
    /// The linked AE user, by its index in the export.
    link: Option<(usize, &'a AeUser)>,
}

/// What became of a user once the rules ran.
enum Outcome {
    /// Decided now.
    Decided,
    /// To create once every user has been seen (L-SKIP-DUP may still skip it).
    Create,
    /// Legacy: to claim one of these unlinked AE users once every user has been seen.
    Claim(Vec<usize>),
}

/// Decide one user into `part`.
pub(super) fn decide<'a>(cx: &UsersCx<'a>, u: &'a User, part: &mut Part<'a>) {
    let mut b = Builder::for_user(u);
    let f = facts(cx, u, part);
    scope(cx, &f, &mut b);
    matched(cx, &f, &mut b);
    let frozen = part.logins.get(&u.id).is_some_and(|l| l.is_frozen);
    let outcome = rules(cx, &f, frozen, &mut b, part);
    let idx = part.decisions.len();
    match outcome {
        Outcome::Decided => {}
        Outcome::Create => part.pending_create.push(idx),
        Outcome::Claim(claimable) => part.pending_claim.entry(claimable).or_default().push(idx),
    }
    part.decisions.push(b);
}

/// The rules of §3 (and §5), in order: the first that applies decides.
fn rules<'a>(
    cx: &UsersCx<'a>,
    f: &Facts<'a>,
    frozen: bool,
    b: &mut Builder,
    part: &mut Part<'a>,
) -> Outcome {
    if !f.u.is_active {
        inactive(cx, f, b);
        return Outcome::Decided;
    }
    if !f.assigned {
        not_assigned(cx, f, b);
        return Outcome::Decided;
    }
    let in_both = f.in_m.is_some() && f.in_s.is_some();
    findings::assigned(&cx.bu, f.u, frozen, in_both, b, &mut part.findings);
    if ineligible(cx, f, b, part) {
        return Outcome::Decided;
    }
    let role = role(cx, f, b);
    if let Some((i, a)) = f.link {
        linked(cx, f, i, a, &role, b, part);
        return Outcome::Decided;
    }
    if let Some(outcome) = email_taken(cx, f, b, part) {
        return outcome;
    }
    if username_reserved(cx, f, b, part) {
        return Outcome::Decided;
    }
    Outcome::Create
}

fn facts<'a>(cx: &UsersCx<'a>, u: &'a User, part: &mut Part<'a>) -> Facts<'a> {
    let in_m = part.marketing.get(&u.id);
    let in_s = part.sales.get(&u.id);
    let ticked = if cx.bu.legacy {
        legacy::ticked(&cx.bu, u)
    } else {
        None
    };
    let assigned = if cx.bu.legacy {
        ticked.is_some()
    } else {
        in_m.is_some() || in_s.is_some()
    };
    let link = cx
        .links
        .of_user
        .get(&u.id)
        .and_then(|&i| Some((i, cx.bu.ae.get(i)?)));
    Facts {
        u,
        in_m,
        in_s,
        ticked,
        assigned,
        link,
    }
}

/// A-UNRESOLVED-GROUP: an active user synced today (linked) who is outside a set that nests a
/// group the exports cannot resolve may be one of its members: the outcome is the one without
/// it, and says so. Users not synced today are not marked: the warning W-UNSUPPORTED-GROUP
/// already says that the group's members are not reached.
fn unknown_groups(cx: &UsersCx, f: &Facts, b: &mut Builder) {
    if cx.bu.legacy || !f.u.is_active || f.link.is_none() {
        return;
    }
    for g in &cx.bu.sets.unknown {
        let outside = match g.set {
            crate::membership::Set::Marketing => f.in_m.is_none(),
            crate::membership::Set::Sales => f.in_s.is_none(),
        };
        if outside {
            b.assume(
                Code::AUnresolvedGroup,
                format!(
                    "{} nested in {} cannot be resolved from the exports: the outcome assumes the user is not one of its members",
                    g.name,
                    g.set.group_name()
                ),
            );
            if !b.d.findings.contains(&Code::AUnresolvedGroup) {
                b.d.findings.push(Code::AUnresolvedGroup);
            }
        }
    }
}

/// The `scope` step: the user's memberships with their paths (latest), or the ticked profile
/// (legacy).
fn scope(cx: &UsersCx, f: &Facts, b: &mut Builder) {
    // Sized exactly (a vector's first push makes room for four).
    let sets_in = usize::from(f.in_m.is_some()) + usize::from(f.in_s.is_some());
    b.d.groups.reserve_exact(sets_in);
    b.d.memberships.reserve_exact(sets_in);
    if let Some(m) = f.in_m {
        b.d.groups.push("marketing".into());
        b.d.memberships.push(m.clone());
    }
    if let Some(s) = f.in_s {
        b.d.groups.push("sales".into());
        b.d.memberships.push(s.clone());
    }
    if b.d.memberships.iter().any(|m| m.code == Code::MOrg) {
        b.assume(
            Code::MOrg,
            "a nested Organization group is assumed to reach every internal user, inactive ones included",
        );
    }
    if b.d.memberships.iter().any(|m| m.code == Code::MBosses) {
        b.assume(
            Code::MBosses,
            format!("\"Grant access using hierarchies\" is read as adding the users in roles above the group's members (set-up: {})", Switch::IncludeBosses.quoted()),
        );
    }
    unknown_groups(cx, f, b);
    let active = if f.u.is_active {
        "active"
    } else {
        "inactive (IsActive false)"
    };
    if cx.bu.legacy {
        let pname = classify::profile_name(cx.bu.org, f.u).unwrap_or("(no profile)");
        match &f.ticked {
            Some(r) => b.step(
                Step::Scope,
                format!(
                    "{active}; profile `{pname}` is ticked in the legacy profile table (role {r})"
                ),
            ),
            None => b.step(
                Step::Scope,
                format!("{active}; profile `{pname}` is not ticked in the legacy profile table"),
            ),
        }
    } else if f.assigned {
        let paths: Vec<String> =
            b.d.memberships
                .iter()
                .map(|m| format!("{} ({})", m.path, m.code))
                .collect();
        b.step(
            Step::Scope,
            format!("{active}; assigned: {}", paths.join("; ")),
        );
    } else if let Some(t) = cx.unassigned.get(usize::from(!f.u.is_active)) {
        b.step(Step::Scope, t.clone());
    }
}

/// The `match` step: the linked AE user, and by what it is linked.
fn matched(cx: &UsersCx, f: &Facts, b: &mut Builder) {
    match f.link {
        Some((i, a)) => {
            b.linked_to(a);
            let via = cx.links.via.get(i).copied().unwrap_or("");
            let bin = if a.is_deleted {
                ", which is in the recycle bin"
            } else {
                ""
            };
            b.step(
                Step::Match,
                format!("linked by {via} to {}{bin}", ae_who(a)),
            );
        }
        None if !cx.bu.has_export => b.step(
            Step::Match,
            "the business unit has no AE users export: no AE user exists yet",
        ),
        None => b.step(
            Step::Match,
            "no AE user is linked by Salesforce id or CRM username",
        ),
    }
}

/// L-INACTIVE (G-INACTIVE in legacy), L-INACTIVE-NONE.
fn inactive(cx: &UsersCx, f: &Facts, b: &mut Builder) {
    let u = f.u;
    match f.link.map(|(_, a)| a) {
        Some(a) if !a.is_deleted => {
            let code = if cx.bu.legacy {
                Code::GInactive
            } else {
                Code::LInactive
            };
            b.act(
                Action::Recycle,
                code,
                format!(
                    "{} is inactive, so User Sync moves the linked {} to the recycle bin",
                    who(u),
                    ae_who(a)
                ),
            );
        }
        Some(_) => b.act(
            Action::None,
            Code::LInactiveNone,
            format!(
                "{} is inactive and the linked AE user is already in the recycle bin",
                who(u)
            ),
        ),
        None => b.act(
            Action::None,
            Code::LInactiveNone,
            format!("{} is inactive: inactive users are never synced", who(u)),
        ),
    }
}

/// L-NOT-ASSIGNED (G-UNSELECTED in legacy), L-NOT-ASSIGNED-BIN, L-OUT-OF-SCOPE.
fn not_assigned(cx: &UsersCx, f: &Facts, b: &mut Builder) {
    let u = f.u;
    match f.link.map(|(_, a)| a) {
        Some(a) if !a.is_deleted && cx.bu.legacy => {
            if cx.bu.bu.legacy.recycle_when_profile_unselected {
                b.act(Action::Recycle, Code::GUnselected, format!("the profile of {} is not ticked and {} is on, so the linked {} is recycled", who(u), Switch::RecycleWhenProfileUnselected.quoted(), ae_who(a)));
            } else {
                b.act(Action::None, Code::GUnselected, format!("the profile of {} is not ticked; {} is off, so the linked {} is left as it is", who(u), Switch::RecycleWhenProfileUnselected.quoted(), ae_who(a)));
            }
        }
        Some(a) if !a.is_deleted => {
            b.act(Action::Recycle, Code::LNotAssigned, format!("{} is in neither Marketing Users nor Sales Users, so the linked {} is recycled (unassigning is the only way to delete a synced user)", who(u), ae_who(a)));
        }
        Some(a) => b.act(
            Action::None,
            Code::LNotAssignedBin,
            format!(
                "{} is not assigned and the linked {} is already in the recycle bin",
                who(u),
                ae_who(a)
            ),
        ),
        None => b.act(
            Action::None,
            Code::LOutOfScope,
            format!(
                "{} is not assigned and has no AE user: User Sync ignores the user",
                who(u)
            ),
        ),
    }
}

/// L-INELIGIBLE (§10.5–6): assigned, but the user type is not Standard. Whether it applied.
fn ineligible<'a>(cx: &UsersCx<'a>, f: &Facts<'a>, b: &mut Builder, part: &mut Part<'a>) -> bool {
    let u = f.u;
    let ut = classify::user_type(cx.bu.org, u);
    if ut.assumed() {
        b.assume(
            Code::LIneligible,
            "no UserType in the exports (User, Profile, license): assumed `Standard`",
        );
    }
    if ut.is_standard() {
        return false;
    }
    b.assume(
        Code::LIneligible,
        "users whose UserType is not `Standard` are assumed not to sync",
    );
    let mut text = format!(
        "{} has UserType `{}` ({}), which User Sync does not sync",
        who(u),
        ut.value,
        match ut.from {
            "user" => "User.UserType",
            "profile" => "Profile.UserType",
            _ => "inferred from the license",
        }
    );
    let mut blocker = String::new();
    if let Some((_, a)) = f.link.filter(|(_, a)| !a.is_deleted) {
        blocker = format!("; the linked {} stays active", ae_who(a));
        text.push_str(&blocker);
    }
    b.act(Action::Skip, Code::LIneligible, text);
    part.findings.raise(
        Some(b),
        Severity::Warning,
        Code::WSkip,
        format!("{} is skipped: UserType `{}` cannot sync{blocker}; fix: remove the user from the assignment", who(u), ut.value),
        vec![u.id.to_string()],
    );
    true
}

/// The role (§4 latest, §5 legacy), written into the decision and its `role` step.
fn role(cx: &UsersCx, f: &Facts, b: &mut Builder) -> String {
    let (role, reason): (String, Reason) = if cx.bu.legacy {
        let linked = f.link.map(|(_, a)| a);
        legacy::role(&cx.bu, f.u, f.ticked.as_deref(), linked, b)
    } else {
        roles::latest(&cx.bu, f.u, f.in_m.is_some(), f.in_s.is_some(), b)
    };
    let reason = Arc::new(reason);
    b.step(Step::Role, StepText::Reason(reason.clone()));
    b.d.role = Some(role.as_str().into());
    b.d.role_reason = Some(reason);
    role
}

/// L-RESTORE, L-UPDATE, L-IN-SYNC (G-SELECTED in legacy): an assigned, active user with a
/// linked AE user, with W-RESTORE-EMAIL and W-DOWNGRADE.
fn linked<'a>(
    cx: &UsersCx<'a>,
    f: &Facts<'a>,
    i: usize,
    a: &AeUser,
    role: &str,
    b: &mut Builder,
    part: &mut Part<'a>,
) {
    let u = f.u;
    let legacy = cx.bu.legacy;
    let assigned_word = cx.bu.assigned_word();
    b.d.changes = fields::changes(&cx.bu, u, a, Some(role));
    fields::assumptions(b, &cx.bu);
    if let Some(e) = u
        .email
        .as_deref()
        .map(text::folded)
        .filter(|e| !e.is_empty())
    {
        part.taken_emails
            .entry(e)
            .or_insert_with(|| u.username.clone());
    }
    if a.is_deleted {
        let code = if legacy {
            Code::GSelected
        } else {
            Code::LRestore
        };
        b.act(Action::Restore, code, format!("{} {assigned_word} and active, and the linked {} is in the recycle bin, so it is restored and updated", who(u), ae_who(a)));
        let other = u
            .email
            .as_deref()
            .and_then(|e| {
                cx.links
                    .holding(&text::folded(e))
                    .iter()
                    .find(|&&j| j != i)
                    .copied()
            })
            .and_then(|j| cx.bu.ae.get(j));
        if let Some(o) = other {
            part.findings.raise(
                Some(b),
                Severity::Warning,
                Code::WRestoreEmail,
                format!("{} is restored although {} already has the email `{}` (identity beats email): two AE users will share it", ae_who(a), ae_who(o), o.email.trim()),
                vec![u.id.to_string(), ae_ref(o)],
            );
        }
    } else if b.d.changes.is_empty() {
        let code = if legacy {
            Code::GSelected
        } else {
            Code::LInSync
        };
        b.act(
            Action::None,
            code,
            format!(
                "{} {assigned_word} and the linked {} already matches: nothing to change",
                who(u),
                ae_who(a)
            ),
        );
    } else {
        let fields: Vec<&str> = b.d.changes.iter().map(|c| c.field.as_str()).collect();
        let code = if legacy {
            Code::GSelected
        } else {
            Code::LUpdate
        };
        let text = format!(
            "{} {assigned_word} and the linked {} differs in {}",
            who(u),
            ae_who(a),
            fields.join(", ")
        );
        b.act(Action::Update, code, text);
    }
    findings::downgrade(u, a, role, b, &mut part.findings);
}

/// L-SKIP-EMAIL (G-SKIP-EMAIL in legacy): not linked, and AE users hold the user's email.
fn email_taken<'a>(
    cx: &UsersCx<'a>,
    f: &Facts<'a>,
    b: &mut Builder,
    part: &mut Part<'a>,
) -> Option<Outcome> {
    let u = f.u;
    let email = u
        .email
        .as_deref()
        .map(text::folded)
        .filter(|e| !e.is_empty())?;
    let holders = cx.links.holding(&email);
    let &first = holders.first()?;
    let blocker = describe_blocker(&cx.bu, &cx.links, first);
    if cx.bu.legacy {
        if let Some(claimable) = legacy::email_match(&cx.bu, &cx.links, u, holders, &blocker, b) {
            return Some(Outcome::Claim(claimable));
        }
    } else {
        b.act(Action::Skip, Code::LSkipEmail, format!("{blocker} already has the email of {}: nothing is created and that AE user is not synced", who(u)));
    }
    let fix = match cx.links.state_of(first) {
        Some((LinkState::Linked, _)) => {
            "fix: the AE user is linked to someone else, so give one of them another email"
                .to_string()
        }
        _ => format!(
            "fix: link the CRM username first (set the AE user's CRM username to `{}`)",
            u.username
        ),
    };
    part.findings.raise(
        Some(b),
        Severity::Warning,
        Code::WSkip,
        format!("{} is skipped: {blocker} has the same email; {fix}", who(u)),
        vec![
            u.id.to_string(),
            cx.bu.ae.get(first).map(ae_ref).unwrap_or_default(),
        ],
    );
    Some(Outcome::Decided)
}

/// L-SKIP-USERNAME: an AE user not linked to the user has the user's Username as its email.
/// Whether it applied.
fn username_reserved<'a>(
    cx: &UsersCx<'a>,
    f: &Facts<'a>,
    b: &mut Builder,
    part: &mut Part<'a>,
) -> bool {
    let u = f.u;
    let Some(&j) = cx.links.holding(&text::folded(&u.username)).first() else {
        return false;
    };
    let blocker = describe_blocker(&cx.bu, &cx.links, j);
    b.act(
        Action::Skip,
        Code::LSkipUsername,
        format!(
            "the username of {} is reserved: {blocker} has it as its email",
            who(u)
        ),
    );
    part.findings.raise(
        Some(b),
        Severity::Warning,
        Code::WSkip,
        format!("{} is skipped: its username is reserved by {blocker}, whose email is that username; fix: link the CRM username first, or change that AE user's email", who(u)),
        vec![u.id.to_string(), cx.bu.ae.get(j).map(ae_ref).unwrap_or_default()],
    );
    true
}
