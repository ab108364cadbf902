//! What happens to each record (spec §3 latest, §4 roles, §5 legacy, §10.1–10, §10.18).
//!
//! Every decision's reason, trace, role reason and assumptions are written while the rule is
//! applied, never reconstructed afterwards.

use crate::codes::Code;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::classify;
use super::codec::codecs;
use super::diag::Severity;
use super::id::UserId;
use super::membership::{Membership, Set, Sets};
use super::model::{AeUser, Org, Text, User};
use super::scenario::{BothGroups, Mode, Resolved, ResolvedBu};
use super::text;
use crate::fxhash::{FxHashMap, FxHashSet};
use crate::sort;

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

#[derive(Clone, Copy, PartialEq, Eq)]
enum LinkState {
    Unlinked,
    Dangling,
    Linked,
}

/// Whether two synced values are the same text (§10.7): trimmed, CRLF and CR as LF, in Unicode
/// NFC. Equal bytes are the same text, and ASCII is its own NFC: the normalization (from the
/// codecs, which in the browser cross to JavaScript) is asked only of differing non-ASCII text.
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (text::trim(a), text::trim(b));
    if a == b {
        return true;
    }
    let plain = |s: &str| s.is_ascii() && !s.contains('\r');
    if plain(a) && plain(b) {
        return false;
    }
    let norm = |s: &str| codecs().nfc(&s.replace("\r\n", "\n").replace('\r', "\n"));
    norm(a) == norm(b)
}

fn ae_id_key(a: &AeUser) -> (u64, String) {
    (a.id.trim().parse::<u64>().unwrap_or(u64::MAX), a.id.clone())
}

/// A user as the texts name them: `` `username` ``. Written into the text that names the user,
/// not allocated on its own (it is in most of a plan's texts).
fn who(u: &User) -> Who<'_> {
    Who(u)
}

struct Who<'a>(&'a User);

impl std::fmt::Display for Who<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`", self.0.username)
    }
}

/// An AE user as the texts name them: ``AE user `email` (id `7`)``, written like [`who`].
fn ae_who(a: &AeUser) -> AeWho<'_> {
    AeWho(a)
}

struct AeWho<'a>(&'a AeUser);

impl std::fmt::Display for AeWho<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AE user `{}` (id `{}`)", self.0.email.trim(), self.0.id)
    }
}

/// Lookups in a sorted map by keys that only grow (each greater than the one before): one walk along the map (the next entries
/// are usually the ones asked for) instead of a search from its root for each key.
struct Walk<'m, K, V> {
    entries: std::iter::Peekable<std::collections::btree_map::Range<'m, K, V>>,
}

impl<'m, K: Ord, V> Walk<'m, K, V> {
    /// From the first key, or from `from` on.
    fn new(map: &'m BTreeMap<K, V>, from: Option<&K>) -> Self {
        let entries = match from {
            Some(key) => map.range(key..),
            None => map.range::<K, _>(..),
        };
        Walk {
            entries: entries.peekable(),
        }
    }

    /// The value of `key`, which must be greater than the keys asked before.
    fn get(&mut self, key: &K) -> Option<&'m V> {
        while self.entries.next_if(|(k, _)| *k < key).is_some() {}
        self.entries.next_if(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

struct Builder {
    d: Decision,
}

impl Builder {
    fn for_user(u: &User, org: &Org) -> Self {
        let _ = org;
        Builder {
            d: Decision {
                action: Action::None,
                salesforce_user_id: Some(u.id.clone()),
                username: Some(u.username.clone()),
                name: u.name.clone().filter(|n| !n.trim().is_empty()),
                email: u.email.clone(),
                ae_user_id: None,
                role: None,
                previous_role: None,
                groups: Vec::new(),
                reason: Arc::new(Reason::new(Code::LOutOfScope, "")), // replaced by `act`
                role_reason: None,
                trace: Vec::new(),
                changes: Vec::new(),
                assumptions: Vec::new(),
                memberships: Vec::new(),
                findings: Vec::new(),
            },
        }
    }
    fn for_ae(a: &AeUser) -> Self {
        Builder {
            d: Decision {
                action: Action::None,
                salesforce_user_id: None,
                username: a
                    .crm_username
                    .as_deref()
                    .filter(|s| !s.trim().is_empty())
                    .map(Text::from),
                name: match (&a.first_name, &a.last_name) {
                    (Some(f), Some(l)) if !(f.trim().is_empty() && l.trim().is_empty()) => {
                        Some(format!("{} {}", f.trim(), l.trim()).trim().into())
                    }
                    _ => None,
                },
                email: Some(a.email.as_str().into()),
                ae_user_id: Some(a.id.as_str().into()),
                role: None,
                previous_role: a.role.as_deref().map(Text::from),
                groups: Vec::new(),
                reason: Arc::new(Reason::new(Code::LOutOfScope, "")), // replaced by `act`
                role_reason: None,
                trace: Vec::new(),
                changes: Vec::new(),
                assumptions: Vec::new(),
                memberships: Vec::new(),
                findings: Vec::new(),
            },
        }
    }
    /// The decision concerns this AE user: its id, and its current role as the previous one.
    fn linked_to(&mut self, a: &AeUser) {
        self.d.ae_user_id = Some(a.id.as_str().into());
        self.d.previous_role = a
            .role
            .as_deref()
            .filter(|r| !r.trim().is_empty())
            .map(Text::from);
    }

    fn step(&mut self, step: Step, text: impl Into<StepText>) {
        self.d.trace.push(TraceStep {
            step,
            text: text.into(),
        });
    }
    fn assume(&mut self, code: Code, text: impl Into<String>) {
        let r = Reason::new(code, text);
        if !self.d.assumptions.contains(&r) {
            self.d.assumptions.push(r);
        }
    }
    fn act(&mut self, action: Action, code: Code, text: impl Into<String>) {
        let assigns = matches!(action, Action::Create | Action::Update | Action::Restore)
            || (action == Action::None && (code == Code::LInSync || code == Code::GSelected));
        if !assigns {
            self.d.role = None;
            self.d.role_reason = None;
        }
        self.d.action = action;
        self.d.reason = Arc::new(Reason::new(code, text));
        self.step(Step::Action, StepText::Reason(self.d.reason.clone()));
    }
}

struct Ctx<'a> {
    org: &'a Org,
    resolved: &'a Resolved,
    bu: &'a ResolvedBu,
    sets: &'a Sets,
    ae: &'a [AeUser],
    has_role: bool,
    has_export: bool,
    findings: Vec<Finding>,
}

impl<'a> Ctx<'a> {
    /// The same context with no findings yet (for one part of the users, see [`Part`]).
    fn fresh(&self) -> Ctx<'a> {
        Ctx {
            findings: Vec::new(),
            ..*self
        }
    }

    fn find(
        &mut self,
        b: Option<&mut Builder>,
        severity: Severity,
        code: Code,
        message: String,
        users: Vec<String>,
    ) {
        if let Some(b) = b {
            if !b.d.findings.contains(&code) {
                b.d.findings.push(code);
            }
        }
        self.findings.push(Finding {
            severity,
            code,
            message,
            business_unit: Some(self.bu.name.clone()),
            users,
        });
    }
}

fn ae_ref(a: &AeUser) -> String {
    format!("ae:{}", a.id)
}

/// Field changes User Sync would write (§3 synced fields, §10.7 comparison), plus the role.
fn changes(ctx: &Ctx, u: &User, a: &AeUser, role: Option<&str>) -> Vec<Change> {
    let mut out = Vec::new();
    let fields: [(&str, Option<&str>, Option<&str>); 5] = [
        (
            "first_name",
            u.first_name.as_deref(),
            a.first_name.as_deref(),
        ),
        ("last_name", u.last_name.as_deref(), a.last_name.as_deref()),
        ("email", u.email.as_deref(), Some(&a.email)),
        ("job_title", u.title.as_deref(), a.job_title.as_deref()),
        ("phone", u.phone.as_deref(), a.phone.as_deref()),
    ];
    for (field, sf, aev) in fields {
        let (Some(sf), Some(aev)) = (sf, aev) else {
            continue;
        };
        let differs = if field == "email" {
            text::folded(sf) != text::folded(aev)
        } else {
            !same_text(sf, aev)
        };
        if differs {
            out.push(Change {
                field: field.to_string(),
                before: Some(aev.trim().to_string()),
                after: Some(sf.trim().to_string()),
            });
        }
    }
    if ctx.has_role {
        if let Some(role) = role {
            let before = a.role.clone().unwrap_or_default();
            if !roles_equal(&before, role) {
                out.push(Change {
                    field: "role".to_string(),
                    before: Some(before.trim().to_string()),
                    after: Some(role.to_string()),
                });
            }
        }
    }
    out
}

fn roles_equal(a: &str, b: &str) -> bool {
    super::scenario::canonical_role(a) == super::scenario::canonical_role(b)
}

fn fields_assumptions(b: &mut Builder, ctx: &Ctx) {
    if b.d
        .changes
        .iter()
        .any(|c| c.field != "email" && c.field != "role")
    {
        b.assume(Code::LUpdate, "first name, last name, job title and phone are assumed to be synced fields (only email is documented)");
    }
    if !ctx.has_role && ctx.has_export {
        b.assume(
            Code::LUpdate,
            "the AE users export has no role name column: roles were not compared, only fields",
        );
    }
}

fn user_type_step<'a>(b: &mut Builder, org: &'a Org, u: &'a User) -> classify::UserType<'a> {
    let t = classify::user_type(org, u);
    if t.assumed() {
        b.assume(
            Code::LIneligible,
            "no UserType in the exports (User, Profile, license): assumed `Standard`",
        );
    }
    t
}

/// The role User Sync gives an assigned user (latest, §4) and the rule that gives it.
fn latest_role(ctx: &Ctx, u: &User, in_m: bool, in_s: bool, b: &mut Builder) -> (String, Reason) {
    let prof = profile_role(ctx, u);
    if ctx.bu.creator.as_ref() == Some(&u.id) && in_m {
        let extra = if in_s {
            "; this beats R-BOTH, even though the user is also in Sales Users"
        } else {
            ""
        };
        return (
            "Administrator".into(),
            Reason::new(
                Code::RCreator,
                format!("{} created the business unit and is in Marketing Users, so keeps Administrator{extra}", who(u)),
            ),
        );
    }
    if in_m && in_s {
        b.assume(
            Code::RBoth,
            "a user in both groups: which group wins is an assumption (switch `both_groups`)",
        );
        return match ctx.resolved.both_groups {
            BothGroups::SalesWins => (
                "Sales".into(),
                Reason::new(
                    Code::RBoth,
                    "in both Marketing Users and Sales Users: Sales wins (`both_groups` is `sales_wins`), so the role is Sales",
                ),
            ),
            BothGroups::MarketingWins => (
                prof.0.clone(),
                Reason::new(
                    Code::RBoth,
                    format!(
                        "in both Marketing Users and Sales Users: Marketing wins (`both_groups` is `marketing_wins`), so {} gives the role: {}",
                        prof.1.code, prof.1.text
                    ),
                ),
            ),
        };
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
    prof
}

fn profile_role(ctx: &Ctx, u: &User) -> (String, Reason) {
    let pname = classify::profile_name(ctx.org, u).unwrap_or("(no profile)");
    let from_id = u
        .profile_id
        .as_ref()
        .and_then(|p| ctx.bu.profile_roles.get(p));
    let from_name = || {
        classify::profile(ctx.org, u)
            .and_then(|p| ctx.bu.profile_roles.get(&p.id))
            .or_else(|| {
                u.profile_name
                    .as_deref()
                    .and_then(|n| ctx.bu.profile_roles_by_name.get(n))
            })
    };
    match from_id.or_else(from_name) {
        Some(role) => (
            role.clone(),
            Reason::new(Code::RProfile, format!("the business unit's profile-to-role table maps profile `{pname}` to {role}")),
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

fn legacy_ticked(ctx: &Ctx, u: &User) -> Option<String> {
    let r = ctx.resolved;
    u.profile_id
        .as_ref()
        .and_then(|p| r.legacy_profiles.get(p))
        .or_else(|| classify::profile(ctx.org, u).and_then(|p| r.legacy_profiles.get(&p.id)))
        .or_else(|| {
            u.profile_name
                .as_deref()
                .and_then(|n| r.legacy_profiles_by_name.get(n))
        })
        .cloned()
}

fn describe_blocker(
    ctx: &Ctx,
    a: &AeUser,
    links: &[(LinkState, Option<UserId>)],
    i: usize,
) -> String {
    let state = match links.get(i) {
        Some((LinkState::Linked, Some(other))) => format!(
            "linked to `{}`",
            ctx.org
                .users
                .get(other)
                .map(|u| u.username.to_string())
                .unwrap_or_else(|| other.to_string())
        ),
        Some((LinkState::Dangling, _)) => {
            "linked to a Salesforce user missing from the User export".into()
        }
        _ => "unlinked".into(),
    };
    let bin = if a.is_deleted {
        ", in the recycle bin"
    } else {
        ""
    };
    format!("AE user `{}` (id `{}`, {state}{bin})", a.email.trim(), a.id)
}

/// Decide every record of one business unit.
pub fn decide_bu(org: &Org, resolved: &Resolved, bu: &ResolvedBu, sets: &Sets) -> BuOutcome {
    decide_bu_on(org, resolved, bu, sets, None)
}

/// What the users' loop of [`decide_bu_on`] writes, for a run of consecutive users: with a
/// second core the users are decided in two halves at once, each into a part of its own, and
/// the second half's part is appended to the first's ([`Part::append`]): the same as one run
/// over every user, since a user's decision reads nothing the loop wrote for another.
struct Part<'a> {
    /// Its own findings.
    ctx: Ctx<'a>,
    decisions: Vec<Builder>,
    /// Creates and claims decided once every user has been seen, as indices into this part's
    /// `decisions`; claims keyed by the unlinked AE users a claimant could take (every claimant
    /// of one email shares them).
    pending_create: Vec<usize>,
    pending_claim: BTreeMap<Vec<usize>, Vec<usize>>,
    /// Emails that an update or restore gives a user (the first user by id keeps one).
    taken_emails: BTreeMap<Cow<'a, str>, Text>,
    marketing: Walk<'a, UserId, Membership>,
    sales: Walk<'a, UserId, Membership>,
    logins: Walk<'a, UserId, super::model::UserLogin>,
}

impl<'a> Part<'a> {
    /// A part for the users from `from` on (from the first when `None`).
    fn new(ctx: &Ctx<'a>, from: Option<&UserId>, capacity: usize) -> Part<'a> {
        Part {
            ctx: ctx.fresh(),
            decisions: Vec::with_capacity(capacity),
            pending_create: Vec::new(),
            pending_claim: BTreeMap::new(),
            taken_emails: BTreeMap::new(),
            marketing: Walk::new(&ctx.sets.marketing, from),
            sales: Walk::new(&ctx.sets.sales, from),
            logins: Walk::new(&ctx.org.logins, from),
        }
    }

    /// The part of the users after this part's: as if this part's loop had gone on over them
    /// (indices moved past this part's decisions; an email taken here stays taken by this
    /// part's user).
    fn append(&mut self, next: Part<'a>) {
        let offset = self.decisions.len();
        self.decisions.extend(next.decisions);
        self.pending_create
            .extend(next.pending_create.into_iter().map(|i| i + offset));
        for (claimable, claimants) in next.pending_claim {
            self.pending_claim
                .entry(claimable)
                .or_default()
                .extend(claimants.into_iter().map(|i| i + offset));
        }
        for (email, user) in next.taken_emails {
            self.taken_emails.entry(email).or_insert(user);
        }
        self.ctx.findings.extend(next.ctx.findings);
    }
}

/// [`decide_bu`]; when `join` runs work on two cores, the users are decided in two halves at
/// once, each half's decisions, pending creates and claims, taken emails and findings kept
/// apart, then the second's appended to the first's as if one loop had gone on (a user's
/// decision reads nothing the loop wrote for another). The same outcome either way.
pub fn decide_bu_on<'a>(
    org: &'a Org,
    resolved: &'a Resolved,
    bu: &'a ResolvedBu,
    sets: &'a Sets,
    join: Option<super::ingest::Join>,
) -> BuOutcome {
    let export = bu.ae_file.as_ref().and_then(|f| org.ae_exports.get(f));
    let ae: &[AeUser] = export.map(|e| e.users.as_slice()).unwrap_or(&[]);
    let mut ctx = Ctx {
        org,
        resolved,
        bu,
        sets,
        ae,
        has_role: export.is_some_and(|e| e.has_role),
        has_export: export.is_some(),
        findings: Vec::new(),
    };
    let legacy = resolved.mode == Mode::Legacy;
    let assigned_word = if legacy {
        "has a ticked profile"
    } else {
        "is assigned"
    };

    // Identity (§3, §10.1–2).
    // The user names that AE users linked by CRM username alone ask for, each to the first user
    // (in id order) of that name: the users walked once, each name looked up among those asked,
    // rather than a table of every user's name (a 1M-user org's was bigger than the cache, and
    // every user was inserted into it for the few thousand AE users who ask).
    let asked: FxHashSet<Cow<str>> = ae
        .iter()
        .filter(|a| a.salesforce_id.is_none())
        .filter_map(|a| a.crm_username.as_deref())
        .map(text::folded)
        .filter(|c| !c.is_empty())
        .collect();
    let mut by_username: FxHashMap<Cow<str>, UserId> =
        FxHashMap::with_capacity_and_hasher(asked.len(), Default::default());
    if !asked.is_empty() {
        for u in org.users.values() {
            let name = text::folded(&u.username);
            if asked.contains(&name) {
                by_username.entry(name).or_insert_with(|| u.id.clone());
            }
        }
    }
    let mut links: Vec<(LinkState, Option<UserId>)> = Vec::with_capacity(ae.len());
    let mut link_via: Vec<&'static str> = Vec::with_capacity(ae.len());
    for a in ae {
        let crm = a
            .crm_username
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if let Some(sid) = &a.salesforce_id {
            if let Some(u) = org.users.get(sid) {
                if let Some(c) = crm {
                    if text::folded(c) != text::folded(&u.username) {
                        ctx.find(
                            None,
                            Severity::Warning,
                            Code::WLinkConflict,
                            format!(
                                "{} has Salesforce id `{sid}` (`{}`) but CRM username `{c}`: the Salesforce id decides the link",
                                ae_who(a),
                                u.username
                            ),
                            vec![ae_ref(a), sid.to_string()],
                        );
                    }
                }
                links.push((LinkState::Linked, Some(sid.clone())));
                link_via.push("Salesforce id");
            } else {
                links.push((LinkState::Dangling, None));
                link_via.push("");
            }
        } else if let Some(c) = crm {
            match by_username.get(&text::folded(c)) {
                Some(id) => {
                    links.push((LinkState::Linked, Some(id.clone())));
                    link_via.push("CRM username");
                }
                None => {
                    links.push((LinkState::Dangling, None));
                    link_via.push("");
                }
            }
        } else {
            links.push((LinkState::Unlinked, None));
            link_via.push("");
        }
    }
    // One link per Salesforce user: not in the bin first, then the smallest AE id (§10.2).
    let mut per_user: BTreeMap<UserId, Vec<usize>> = BTreeMap::new();
    for (i, (st, id)) in links.iter().enumerate() {
        if let (LinkState::Linked, Some(id)) = (st, id) {
            per_user.entry(id.clone()).or_default().push(i);
        }
    }
    let mut link_of: FxHashMap<UserId, usize> = FxHashMap::default();
    let mut link_losers: BTreeMap<usize, usize> = BTreeMap::new();
    for (uid, mut idx) in per_user {
        sort::sort_by_key(&mut idx, |&i| {
            ae.get(i).map(|a| (a.is_deleted, ae_id_key(a)))
        });
        if let Some((&first, rest)) = idx.split_first() {
            link_of.insert(uid, first);
            for &r in rest {
                link_losers.insert(r, first);
            }
        }
    }
    let mut by_email: FxHashMap<Cow<str>, Vec<usize>> = FxHashMap::default();
    for (i, a) in ae.iter().enumerate() {
        let e = text::folded(&a.email);
        if !e.is_empty() {
            by_email.entry(e).or_default().push(i);
        }
    }
    for v in by_email.values_mut() {
        sort::sort_by_key(v, |&i| ae.get(i).map(ae_id_key));
    }

    let mut claimed: BTreeSet<usize> = BTreeSet::new();
    // The scope of an active and of an inactive user in neither group.
    let unassigned = ["active", "inactive (IsActive false)"].map(|active| {
        StepText::Shared(Arc::from(format!(
            "{active}; in neither Marketing Users nor Sales Users of `{}`",
            bu.name
        )))
    });
    // One user's decision, into the part of the users it belongs to. The users come in id
    // order: the maps keyed by user id are walked along, not searched.
    let decide_user = |u: &'a User, part: &mut Part<'a>| {
        let mut b = Builder::for_user(u, org);
        let in_m = part.marketing.get(&u.id);
        let in_s = part.sales.get(&u.id);
        let ticked = if legacy {
            legacy_ticked(&part.ctx, u)
        } else {
            None
        };
        let assigned = if legacy {
            ticked.is_some()
        } else {
            in_m.is_some() || in_s.is_some()
        };
        // Sized exactly (a vector's first push makes room for four).
        let sets_in = usize::from(in_m.is_some()) + usize::from(in_s.is_some());
        b.d.groups.reserve_exact(sets_in);
        b.d.memberships.reserve_exact(sets_in);
        if let Some(m) = in_m {
            b.d.groups.push("marketing".into());
            b.d.memberships.push(m.clone());
        }
        if let Some(s) = in_s {
            b.d.groups.push("sales".into());
            b.d.memberships.push(s.clone());
        }
        for m in &b.d.memberships {
            if m.code == Code::MOrg {
                let t = "a nested Organization group is assumed to reach every internal user, inactive ones included";
                if !b.d.assumptions.iter().any(|r| r.code == Code::MOrg) {
                    b.d.assumptions.push(Reason::new(Code::MOrg, t));
                }
            }
        }
        // scope
        let active = if u.is_active {
            "active"
        } else {
            "inactive (IsActive false)"
        };
        if legacy {
            let pname = classify::profile_name(org, u).unwrap_or("(no profile)");
            match &ticked {
                Some(r) => b.step(Step::Scope, format!("{active}; profile `{pname}` is ticked in the legacy profile table (role {r})")),
                None => b.step(Step::Scope, format!("{active}; profile `{pname}` is not ticked in the legacy profile table")),
            }
        } else if assigned {
            let paths: Vec<String> =
                b.d.memberships
                    .iter()
                    .map(|m| format!("{} ({})", m.path, m.code))
                    .collect();
            b.step(
                Step::Scope,
                format!("{active}; assigned: {}", paths.join("; ")),
            );
        } else if let Some(t) = unassigned.get(usize::from(!u.is_active)) {
            b.step(Step::Scope, t.clone());
        }
        // match
        let link = link_of.get(&u.id).copied();
        let a = link.and_then(|i| ae.get(i));
        match (link, a) {
            (Some(i), Some(a)) => {
                b.linked_to(a);
                let via = link_via.get(i).copied().unwrap_or("");
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
            _ if !part.ctx.has_export => b.step(
                Step::Match,
                "the business unit has no AE users export: no AE user exists yet",
            ),
            _ => b.step(
                Step::Match,
                "no AE user is linked by Salesforce id or CRM username",
            ),
        }
        let frozen = part.logins.get(&u.id).is_some_and(|l| l.is_frozen);

        // Inactive.
        if !u.is_active {
            match a {
                Some(a) if !a.is_deleted => {
                    let code = if legacy {
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
            part.decisions.push(b);
            return;
        }
        // Active, not assigned.
        if !assigned {
            match a {
                Some(a) if !a.is_deleted => {
                    if legacy {
                        if resolved.legacy.recycle_when_profile_unselected {
                            b.act(Action::Recycle, Code::GUnselected, format!("the profile of {} is not ticked and `recycle_when_profile_unselected` is on, so the linked {} is recycled", who(u), ae_who(a)));
                        } else {
                            b.act(Action::None, Code::GUnselected, format!("the profile of {} is not ticked; `recycle_when_profile_unselected` is off, so the linked {} is left as it is", who(u), ae_who(a)));
                        }
                    } else {
                        b.act(Action::Recycle, Code::LNotAssigned, format!("{} is in neither Marketing Users nor Sales Users, so the linked {} is recycled (unassigning is the only way to delete a synced user)", who(u), ae_who(a)));
                    }
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
            part.decisions.push(b);
            return;
        }
        // Assigned and active from here.
        let evidence = classify::integration_evidence(org, u);
        if !evidence.is_empty() {
            part.ctx.find(
                Some(&mut b),
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
            part.ctx.find(
                Some(&mut b),
                Severity::Warning,
                Code::WFrozen,
                format!("{} is frozen (UserLogin.IsFrozen): User Sync syncs the user, who cannot log in", who(u)),
                vec![u.id.to_string()],
            );
        }
        if !legacy && in_m.is_some() && in_s.is_some() {
            part.ctx.find(
                Some(&mut b),
                Severity::Warning,
                Code::WBoth,
                format!(
                    "{} is in both Marketing Users and Sales Users: {}",
                    who(u),
                    match resolved.both_groups {
                        BothGroups::SalesWins => "Sales wins (`both_groups`: `sales_wins`) unless the user created the business unit",
                        BothGroups::MarketingWins => "Marketing wins (`both_groups`: `marketing_wins`)",
                    }
                ),
                vec![u.id.to_string()],
            );
        }
        let ut = user_type_step(&mut b, org, u);
        if !ut.is_standard() {
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
            if let Some(a) = a.filter(|a| !a.is_deleted) {
                blocker = format!("; the linked {} stays active", ae_who(a));
                text.push_str(&blocker);
            }
            b.act(Action::Skip, Code::LIneligible, text);
            part.ctx.find(
                Some(&mut b),
                Severity::Warning,
                Code::WSkip,
                format!("{} is skipped: UserType `{}` cannot sync{blocker}; fix: remove the user from the assignment", who(u), ut.value),
                vec![u.id.to_string()],
            );
            part.decisions.push(b);
            return;
        }
        // Role.
        let (role, role_reason) = if legacy {
            let table_role = ticked.clone().unwrap_or_else(|| "Marketing".into());
            let pname = classify::profile_name(org, u).unwrap_or_default();
            match a {
                Some(a) if !resolved.legacy.update_role_on_profile_change => {
                    let keep = a.role.clone().filter(|r| !r.trim().is_empty());
                    match keep {
                        Some(k) => (k.clone(), Reason::new(Code::GSelected, format!("`update_role_on_profile_change` is off, so the AE role {k} is kept"))),
                        None => (table_role.clone(), Reason::new(Code::GSelected, format!("the legacy table ticks profile `{pname}` with role {table_role}"))),
                    }
                }
                Some(_) => (table_role.clone(), Reason::new(Code::GSelected, format!("the legacy table ticks profile `{pname}` with role {table_role}, and `update_role_on_profile_change` is on"))),
                None => (table_role.clone(), Reason::new(Code::GCreate, format!("the legacy table ticks profile `{pname}` with role {table_role}"))),
            }
        } else {
            latest_role(&part.ctx, u, in_m.is_some(), in_s.is_some(), &mut b)
        };
        let role_reason = Arc::new(role_reason);
        b.step(Step::Role, StepText::Reason(role_reason.clone()));
        b.d.role = Some(role.as_str().into());
        b.d.role_reason = Some(role_reason);

        if let Some(a) = a {
            let i = link.unwrap_or(0);
            b.d.changes = changes(&part.ctx, u, a, Some(&role));
            fields_assumptions(&mut b, &part.ctx);
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
                let others: Vec<&AeUser> = u
                    .email
                    .as_ref()
                    .and_then(|e| by_email.get(&text::folded(e)))
                    .map(|v| {
                        v.iter()
                            .filter(|&&j| j != i)
                            .filter_map(|&j| ae.get(j))
                            .collect()
                    })
                    .unwrap_or_default();
                let code = if legacy {
                    Code::GSelected
                } else {
                    Code::LRestore
                };
                b.act(Action::Restore, code, format!("{} {assigned_word} and active, and the linked {} is in the recycle bin, so it is restored and updated", who(u), ae_who(a)));
                if let Some(o) = others.first() {
                    part.ctx.find(
                        Some(&mut b),
                        Severity::Warning,
                        Code::WRestoreEmail,
                        format!("{} is restored although {} already has the email `{}` (identity beats email): two AE users will share it", ae_who(a), ae_who(o), o.email.trim()),
                        vec![u.id.to_string(), ae_ref(a), ae_ref(o)],
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
                b.act(
                    Action::Update,
                    code,
                    format!(
                        "{} {assigned_word} and the linked {} differs in {}",
                        who(u),
                        ae_who(a),
                        fields.join(", ")
                    ),
                );
            }
            let prev = a.role.as_deref().map(super::scenario::canonical_role);
            if b.d.action != Action::None || a.is_deleted {
                if let Some(prev) = prev {
                    if (prev == "Administrator" && role != "Administrator")
                        || (prev == "Sales Manager" && role == "Sales")
                    {
                        part.ctx.find(
                            Some(&mut b),
                            Severity::Warning,
                            Code::WDowngrade,
                            format!("{} goes from {prev} to {role}", who(u)),
                            vec![u.id.to_string(), ae_ref(a)],
                        );
                    }
                }
            }
            part.decisions.push(b);
            return;
        }
        // Not linked: email conflicts, reserved usernames.
        let email = u
            .email
            .as_deref()
            .map(text::folded)
            .filter(|e| !e.is_empty());
        let holders: Vec<usize> = email
            .as_ref()
            .and_then(|e| by_email.get(e))
            .cloned()
            .unwrap_or_default();
        if let Some(&first) = holders.first() {
            let blocker = ae
                .get(first)
                .map(|holder| describe_blocker(&part.ctx, holder, &links, first))
                .unwrap_or_default();
            if legacy && !resolved.legacy.skip_on_email_match {
                let claimable: Vec<usize> = holders
                    .iter()
                    .copied()
                    .filter(|&j| matches!(links.get(j), Some((LinkState::Unlinked, _))))
                    .collect();
                if !claimable.is_empty() {
                    b.assume(Code::GSkipEmail, "with `skip_on_email_match` off, the connector is assumed to claim the unlinked AE user with the same email");
                    let idx = part.decisions.len();
                    part.pending_claim.entry(claimable).or_default().push(idx);
                    part.decisions.push(b);
                    return;
                }
                b.act(
                    Action::Skip,
                    Code::GSkipEmail,
                    format!(
                        "{blocker} has the email of {} and cannot be claimed: it is not unlinked",
                        who(u)
                    ),
                );
            } else if legacy {
                b.act(Action::Skip, Code::GSkipEmail, format!("{blocker} already has the email of {} and `skip_on_email_match` is on: nothing is created and that AE user is not synced", who(u)));
            } else {
                b.act(Action::Skip, Code::LSkipEmail, format!("{blocker} already has the email of {}: nothing is created and that AE user is not synced", who(u)));
            }
            let fix = match links.get(first) {
                Some((LinkState::Linked, _)) => {
                    "fix: the AE user is linked to someone else, so give one of them another email"
                        .to_string()
                }
                _ => format!(
                    "fix: link the CRM username first (set the AE user's CRM username to `{}`)",
                    u.username
                ),
            };
            part.ctx.find(
                Some(&mut b),
                Severity::Warning,
                Code::WSkip,
                format!("{} is skipped: {blocker} has the same email; {fix}", who(u)),
                vec![
                    u.id.to_string(),
                    ae.get(first).map(ae_ref).unwrap_or_default(),
                ],
            );
            part.decisions.push(b);
            return;
        }
        let uname = text::folded(&u.username);
        if let Some(&j) = by_email.get(&uname).and_then(|v| v.first()) {
            let blocker = ae
                .get(j)
                .map(|holder| describe_blocker(&part.ctx, holder, &links, j))
                .unwrap_or_default();
            b.act(
                Action::Skip,
                Code::LSkipUsername,
                format!(
                    "the username of {} is reserved: {blocker} has it as its email",
                    who(u)
                ),
            );
            part.ctx.find(
                Some(&mut b),
                Severity::Warning,
                Code::WSkip,
                format!("{} is skipped: its username is reserved by {blocker}, whose email is that username; fix: link the CRM username first, or change that AE user's email", who(u)),
                vec![u.id.to_string(), ae.get(j).map(ae_ref).unwrap_or_default()],
            );
            part.decisions.push(b);
            return;
        }
        part.pending_create.push(part.decisions.len());
        part.decisions.push(b);
    };
    // One decision per user and per AE user not linked to one, at most: reserved at once, so
    // that a 1M-user plan's vector is not copied each time it doubles (a second half's part
    // is appended into the first's room).
    let users = org.users.len();
    let mut first = Part::new(&ctx, None, users + ae.len());
    let halves = join
        .filter(|_| users > 1)
        .and_then(|join| Some((join, org.users.keys().nth(users / 2)?)));
    match halves {
        Some((join, middle)) => {
            let mut second = Part::new(&ctx, Some(middle), users - users / 2);
            join(
                &mut || {
                    for (_, u) in org.users.range(..middle) {
                        decide_user(u, &mut first);
                    }
                },
                &mut || {
                    for (_, u) in org.users.range(middle..) {
                        decide_user(u, &mut second);
                    }
                },
            );
            first.append(second);
        }
        None => {
            for u in org.users.values() {
                decide_user(u, &mut first);
            }
        }
    }
    let Part {
        ctx: decided,
        mut decisions,
        pending_create,
        pending_claim,
        mut taken_emails,
        ..
    } = first;
    ctx.findings.extend(decided.findings);

    // Legacy claims (§10.18): the smallest Id claims, the others skip. When several unlinked AE
    // users hold the email, each is claimed in turn (smallest Id first, AE users in id order):
    // a claimant is skipped only when none is left, so the next run has nothing more to claim.
    for (claimable, claimants) in &pending_claim {
        let Some(&last) = claimable.last() else {
            continue;
        };
        for (k, &idx) in claimants.iter().enumerate() {
            let Some(b) = decisions.get_mut(idx) else {
                continue;
            };
            let uname = b.d.username.clone().unwrap_or_default();
            let target = claimable.get(k).copied();
            let Some(a) = ae.get(target.unwrap_or(last)) else {
                continue;
            };
            if let Some(j) = target {
                claimed.insert(j);
                b.linked_to(a);
                if let Some(u) =
                    b.d.salesforce_user_id
                        .as_ref()
                        .and_then(|id| org.users.get(id))
                {
                    let role = if resolved.legacy.update_role_on_profile_change {
                        b.d.role.clone()
                    } else {
                        b.d.previous_role.clone().or(b.d.role.clone())
                    };
                    b.d.role = role.clone();
                    b.d.changes = changes(&ctx, u, a, role.as_deref());
                    if let Some(e) = u.email.as_deref().map(text::folded) {
                        taken_emails.entry(e).or_insert(uname.clone());
                    }
                }
                fields_assumptions(b, &ctx);
                if let Some(r) = b.d.role_reason.as_mut() {
                    // A copy: the `role` step keeps the code it was decided with.
                    Arc::make_mut(r).code = Code::GSelected;
                }
                if a.is_deleted {
                    b.act(Action::Restore, Code::GSkipEmail, format!("`skip_on_email_match` is off, so `{uname}` claims the unlinked {} with the same email, which is in the recycle bin and is restored", ae_who(a)));
                } else {
                    b.act(Action::Update, Code::GSkipEmail, format!("`skip_on_email_match` is off, so `{uname}` claims the unlinked {} with the same email and links it", ae_who(a)));
                }
            } else {
                b.d.role = None;
                b.d.role_reason = None;
                b.act(
                    Action::Skip,
                    Code::GSkipEmail,
                    if claimable.len() == 1 {
                        format!(
                            "another user with a smaller Id claims the unlinked {} with the same email",
                            ae_who(a)
                        )
                    } else {
                        format!(
                            "users with smaller Ids claim all {} unlinked AE users with the same email",
                            claimable.len()
                        )
                    },
                );
                let uid =
                    b.d.salesforce_user_id
                        .as_ref()
                        .map(|x| x.to_string())
                        .unwrap_or_default();
                let mut b2 = Builder { d: b.d.clone() };
                ctx.find(
                    Some(&mut b2),
                    Severity::Warning,
                    Code::WSkip,
                    format!("`{uname}` is skipped: another user with a smaller Id claims {} with the same email; fix: give each user its own email", ae_who(a)),
                    vec![uid, ae_ref(a)],
                );
                *b = b2;
            }
        }
    }

    // L-SKIP-DUP (§10.4): creates onto one email; the smallest Id wins, emails taken by an
    // update or restore are taken.
    let mut by_new_email: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut plain: Vec<usize> = Vec::new();
    for &idx in &pending_create {
        let e = decisions
            .get(idx)
            .and_then(|b| b.d.email.as_deref())
            .map(|e| text::folded(e).into_owned())
            .filter(|e| !e.is_empty());
        match e {
            Some(e) => by_new_email.entry(e).or_default().push(idx),
            None => plain.push(idx),
        }
    }
    for (email, mut idxs) in by_new_email {
        sort::sort_by(&mut idxs, |x, y| {
            let k = |i: &usize| {
                decisions
                    .get(*i)
                    .and_then(|b| b.d.salesforce_user_id.clone())
            };
            k(x).cmp(&k(y))
        });
        let taken_by = taken_emails.get(email.as_str()).cloned();
        let winner_name = idxs
            .first()
            .and_then(|i| decisions.get(*i))
            .and_then(|b| b.d.username.clone())
            .unwrap_or_default();
        for (n, idx) in idxs.iter().enumerate() {
            let Some(b) = decisions.get_mut(*idx) else {
                continue;
            };
            let uname = b.d.username.clone().unwrap_or_default();
            let uid =
                b.d.salesforce_user_id
                    .as_ref()
                    .map(|x| x.to_string())
                    .unwrap_or_default();
            if let Some(t) = &taken_by {
                b.d.role = None;
                b.d.role_reason = None;
                b.assume(
                    Code::LSkipDup,
                    "which of several users with one email is created is an assumption",
                );
                b.act(Action::Skip, Code::LSkipDup, format!("`{t}` is updated or restored with the email `{email}`, so creating `{uname}` with the same email is skipped"));
                let mut b2 = Builder { d: b.d.clone() };
                ctx.find(Some(&mut b2), Severity::Warning, Code::WSkip, format!("`{uname}` is skipped: `{t}` takes the email `{email}`; fix: give each user its own email"), vec![uid]);
                *b = b2;
            } else if n == 0 {
                if idxs.len() > 1 {
                    b.assume(
                        Code::LSkipDup,
                        "which of several users with one email is created is an assumption",
                    );
                }
                plain.push(*idx);
            } else {
                b.d.role = None;
                b.d.role_reason = None;
                b.assume(
                    Code::LSkipDup,
                    "which of several users with one email is created is an assumption",
                );
                b.act(Action::Skip, Code::LSkipDup, format!("`{winner_name}` has the same email `{email}` and the smallest Id, so only it is created"));
                let mut b2 = Builder { d: b.d.clone() };
                ctx.find(Some(&mut b2), Severity::Warning, Code::WSkip, format!("`{uname}` is skipped: `{winner_name}` (smaller Id) is created with the same email `{email}`; fix: give each user its own email"), vec![uid]);
                *b = b2;
            }
        }
    }
    for idx in plain {
        let Some(b) = decisions.get_mut(idx) else {
            continue;
        };
        let uname = b.d.username.clone().unwrap_or_default();
        let role = b.d.role.clone().unwrap_or_default();
        let code = if legacy { Code::GCreate } else { Code::LCreate };
        b.d.changes = Vec::new();
        b.act(Action::Create, code, format!("`{uname}` {assigned_word}, active, not linked and no AE user has the email: a new AE user is created with role {role}"));
    }

    // AE users with no Salesforce user (unlinked, dangling) and link conflicts.
    for (i, a) in ae.iter().enumerate() {
        if claimed.contains(&i) {
            continue;
        }
        let mut b = Builder::for_ae(a);
        match links.get(i) {
            Some((LinkState::Linked, Some(uid))) => {
                let Some(&winner) = link_losers.get(&i) else {
                    continue;
                };
                let uname = org
                    .users
                    .get(uid)
                    .map(|u| u.username.clone())
                    .unwrap_or_default();
                b.step(Step::Scope, format!("{} is linked to `{uname}`", ae_who(a)));
                b.step(Step::Match, format!("{} is linked to the same user and wins (not in the recycle bin, then the smallest AE id)", ae.get(winner).map(|w| ae_who(w).to_string()).unwrap_or_default()));
                b.act(
                    Action::None,
                    Code::LLinkConflict,
                    format!(
                        "another AE user is the link of `{uname}`, so User Sync leaves {} as it is",
                        ae_who(a)
                    ),
                );
                ctx.find(
                    Some(&mut b),
                    Severity::Warning,
                    Code::WLinkConflict,
                    format!(
                        "{} and {} are both linked to `{uname}`: only the first is synced; fix: unlink or delete the other",
                        ae.get(winner).map(|w| ae_who(w).to_string()).unwrap_or_default(),
                        ae_who(a)
                    ),
                    vec![uid.to_string(), ae_ref(a)],
                );
            }
            Some((LinkState::Dangling, _)) => {
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
                ctx.find(
                    Some(&mut b),
                    Severity::Warning,
                    Code::WDangling,
                    format!("{} is linked to {target}, which is not in the User export: the export may be filtered (e.g. active users only); export every user", ae_who(a)),
                    vec![ae_ref(a)],
                );
            }
            _ => {
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
                ctx.find(
                    Some(&mut b),
                    Severity::Warning,
                    Code::WUnlinked,
                    format!("{} is unlinked: User Sync ignores it and it cannot log in through Salesforce; link it (CRM username) before the transfer", ae_who(a)),
                    vec![ae_ref(a)],
                );
            }
        }
        decisions.push(b);
    }

    // Every recycle: prospects stay assigned to the deleted user.
    for b in decisions.iter_mut() {
        if b.d.action == Action::Recycle {
            let uname = b.d.username.clone().unwrap_or_default();
            let users: Vec<String> =
                b.d.salesforce_user_id
                    .iter()
                    .map(|x| x.to_string())
                    .chain(b.d.ae_user_id.iter().map(|x| format!("ae:{x}")))
                    .collect();
            ctx.find(
                Some(b),
                Severity::Info,
                Code::WRecycleProspects,
                format!("the AE user of `{uname}` is recycled: prospects assigned to it stay assigned to a deleted user; reassign them first"),
                users,
            );
        }
    }

    let mut decisions: Vec<Decision> = decisions.into_iter().map(|b| b.d).collect();
    decisions.sort_by(decision_order);
    let _ = ctx.sets;
    let _ = ctx.ae;
    BuOutcome {
        name: bu.name.clone(),
        decisions,
        findings: ctx.findings,
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

    #[test]
    fn a_walk_finds_what_the_map_finds_for_growing_keys() {
        let map: BTreeMap<u32, char> = [(2, 'a'), (4, 'b'), (5, 'c'), (9, 'd')].into();
        for start in 0..10 {
            for step in 1..4 {
                // From the first key, and from `start` (a second half's walk).
                for from in [None, Some(&start)] {
                    let mut walk = Walk::new(&map, from);
                    for key in (start..12).step_by(step) {
                        assert_eq!(
                            walk.get(&key),
                            map.get(&key),
                            "from {start} by {step}: {key}"
                        );
                    }
                }
            }
        }
    }
}
