//! What happens to each record (spec §3 latest, §4 roles, §5 legacy, §10.1–10, §10.18).
//!
//! Every decision's reason, trace, role reason and assumptions are written while the rule is
//! applied, never reconstructed afterwards.

mod ae_only;
mod creates;
mod explain;
mod fields;
mod findings;
mod halves;
mod identity;
mod legacy;
mod roles;
mod users;

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::codes::Code;
use crate::diag::Severity;
use crate::id::UserId;
use crate::ingest::Join;
use crate::membership::{Membership, Set, Sets};
use crate::model::{Org, Text, User};
use crate::scenario::{Resolved, ResolvedBu};
use explain::{BuCx, Findings};
use halves::Part;
use users::UsersCx;

/// What User Sync does to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Create,
    Update,
    Restore,
    Recycle,
    Skip,
    None,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::Create,
        Action::Update,
        Action::Restore,
        Action::Recycle,
        Action::Skip,
        Action::None,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Restore => "restore",
            Action::Recycle => "recycle",
            Action::Skip => "skip",
            Action::None => "none",
        }
    }
}

/// A rule code and a one-sentence explanation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Reason {
    pub code: Code,
    pub text: String,
}

impl Reason {
    fn new(code: Code, text: impl Into<String>) -> Self {
        Reason {
            code,
            text: text.into(),
        }
    }
}

/// Which step of the explanation: what put the record in scope, what it matched, its role, and
/// the action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    Scope,
    Match,
    Role,
    Action,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Scope => "scope",
            Step::Match => "match",
            Step::Role => "role",
            Step::Action => "action",
        }
    }
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A step's text. A 1M-user plan has millions of steps, so a step does not copy what the
/// decision already holds: the `role` and `action` steps share the decision's reason (and say it
/// as `code: text`), and a sentence that is the same for every record is not allocated per record.
/// It reads, compares and serialises as the one string it stands for.
#[derive(Debug, Clone)]
pub enum StepText {
    /// Written for this step.
    Own(Box<str>),
    /// The same for every record that says it.
    Fixed(&'static str),
    /// A reason of the decision, as `code: text`.
    Reason(Arc<Reason>),
    /// Written once for many records (the scope of every user in neither group of a business
    /// unit, most users of a large org).
    Shared(Arc<str>),
}

impl StepText {
    /// The text as one string (allocated only for a shared reason).
    pub fn as_str(&self) -> Cow<'_, str> {
        match self {
            StepText::Own(t) => Cow::Borrowed(t),
            StepText::Fixed(t) => Cow::Borrowed(t),
            StepText::Reason(r) => Cow::Owned(format!("{}: {}", r.code, r.text)),
            StepText::Shared(t) => Cow::Borrowed(t),
        }
    }
}

impl std::fmt::Display for StepText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StepText::Own(t) => f.write_str(t),
            StepText::Fixed(t) => f.write_str(t),
            StepText::Reason(r) => write!(f, "{}: {}", r.code, r.text),
            StepText::Shared(t) => f.write_str(t),
        }
    }
}

impl PartialEq for StepText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for StepText {}

impl From<String> for StepText {
    fn from(t: String) -> Self {
        StepText::Own(t.into_boxed_str())
    }
}

impl From<&'static str> for StepText {
    fn from(t: &'static str) -> Self {
        StepText::Fixed(t)
    }
}

impl Serialize for StepText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            StepText::Own(t) => s.serialize_str(t),
            StepText::Fixed(t) => s.serialize_str(t),
            StepText::Reason(r) => s.collect_str(&format_args!("{}: {}", r.code, r.text)),
            StepText::Shared(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for StepText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(StepText::from)
    }
}

/// One step of the explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceStep {
    pub step: Step,
    pub text: StepText,
}

/// A field User Sync writes: before (the AE value) → after (the Salesforce value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One decision about one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub action: Action,
    pub salesforce_user_id: Option<UserId>,
    pub username: Option<Text>,
    #[serde(default, skip_serializing_if = "crate::omit::none")]
    pub name: Option<Text>,
    pub email: Option<Text>,
    pub ae_user_id: Option<Text>,
    pub role: Option<Text>,
    pub previous_role: Option<Text>,
    pub groups: Vec<Text>,
    /// Shared with the `action` step of [`Decision::trace`].
    pub reason: Arc<Reason>,
    /// Shared with the `role` step of [`Decision::trace`].
    pub role_reason: Option<Arc<Reason>>,
    pub trace: Vec<TraceStep>,
    pub changes: Vec<Change>,
    /// The A (assumed) rules this outcome rests on.
    pub assumptions: Vec<Reason>,
    /// Every membership with its shortest path (the first is in `trace`).
    #[serde(default)]
    pub memberships: Vec<Membership>,
    /// Codes of the findings about this record.
    #[serde(default)]
    pub findings: Vec<Code>,
}

/// An audit finding (§6) about users.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    #[serde(default, skip_serializing_if = "crate::omit::none")]
    pub business_unit: Option<String>,
    /// Salesforce user ids and AE user ids (`ae:123`) it concerns.
    #[serde(default)]
    pub users: Vec<String>,
}

/// Everything decided for one business unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuOutcome {
    pub name: String,
    pub decisions: Vec<Decision>,
    pub findings: Vec<Finding>,
}

/// Decide every record of one business unit.
pub fn decide_bu(org: &Org, resolved: &Resolved, bu: &ResolvedBu, sets: &Sets) -> BuOutcome {
    decide_bu_on(org, resolved, bu, sets, None)
}

/// [`decide_bu`], with the users decided on two cores when `join` has them (see [`halves`]):
/// the same outcome either way.
///
/// The steps follow the rules reference: link the AE users (§3 identity, §10.1–2), decide each
/// Salesforce user (§3, §4, §5), settle the legacy claims (§10.18) and the creates (§10.4), then
/// the AE users no Salesforce user decides, and the findings about recycles.
pub fn decide_bu_on<'a>(
    org: &'a Org,
    resolved: &'a Resolved,
    bu: &'a ResolvedBu,
    sets: &'a Sets,
    join: Option<Join>,
) -> BuOutcome {
    let cx = BuCx::new(org, resolved, bu, sets);
    let mut found = Findings::new(&bu.name);
    let links = identity::link(&cx, &mut found);
    let users_cx = UsersCx::new(cx, links);
    let decide_user = |u: &'a User, part: &mut Part<'a>| users::decide(&users_cx, u, part);
    let Part {
        findings: users_found,
        mut decisions,
        pending_create,
        pending_claim,
        mut taken_emails,
        ..
    } = halves::each_user(&cx, join, cx.ae.len(), &decide_user);
    found.list.extend(users_found.list);
    let claimed = legacy::settle_claims(
        &cx,
        &pending_claim,
        &mut decisions,
        &mut taken_emails,
        &mut found,
    );
    creates::settle(
        &cx,
        &pending_create,
        &mut decisions,
        &taken_emails,
        &mut found,
    );
    decisions.extend(ae_only::decide(&cx, &users_cx.links, &claimed, &mut found));
    findings::recycled_prospects(&mut decisions, &mut found);
    findings::unresolved_groups(&cx, &decisions, &mut found);

    let mut decisions: Vec<Decision> = decisions.into_iter().map(|b| b.d).collect();
    decisions.sort_by(decision_order);
    BuOutcome {
        name: bu.name.clone(),
        decisions,
        findings: found.list,
    }
}

/// The order of a business unit's decisions: Salesforce users by id, then the AE users without
/// one by AE id (as a number, then as text). Borrowed: the AE id is not copied per comparison,
/// and read as a number only between two decisions of one user (or of none).
fn decision_order(x: &Decision, y: &Decision) -> std::cmp::Ordering {
    fn user(d: &Decision) -> (bool, Option<&UserId>) {
        (
            d.salesforce_user_id.is_none(),
            d.salesforce_user_id.as_ref(),
        )
    }
    fn ae(d: &Decision) -> Option<(u64, &str)> {
        d.ae_user_id
            .as_deref()
            .map(|s| (s.parse::<u64>().unwrap_or(u64::MAX), s))
    }
    user(x).cmp(&user(y)).then_with(|| ae(x).cmp(&ae(y)))
}

/// Whether a set contains a user.
pub fn in_set(sets: &Sets, set: Set, u: &UserId) -> bool {
    match set {
        Set::Marketing => sets.marketing.contains_key(u),
        Set::Sales => sets.sales.contains_key(u),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_step_text_reads_serialises_and_compares_as_its_one_string() {
        let reason = Arc::new(Reason::new(Code::LCreate, "a new AE user is created"));
        let texts = [
            (
                StepText::Reason(reason),
                "L-CREATE: a new AE user is created",
            ),
            (
                StepText::Fixed("no AE user is linked"),
                "no AE user is linked",
            ),
            (
                StepText::from("written \"here\"".to_string()),
                "written \"here\"",
            ),
            (StepText::Shared(Arc::from("in neither")), "in neither"),
        ];
        for (t, says) in texts {
            assert_eq!(t.as_str(), says);
            assert_eq!(t.to_string(), says);
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, serde_json::to_string(says).unwrap());
            let back: StepText = serde_json::from_str(&json).unwrap();
            assert!(matches!(back, StepText::Own(_)));
            assert_eq!(back, t);
            assert_ne!(StepText::Fixed("something else"), t);
        }
    }
}
