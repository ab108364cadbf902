//! The scenario file `syncplan.json` (spec §8, §10.17): what the exports cannot tell.
//!
//! [`Scenario`] is the editable form (the web app edits it and saves it back: it serialises to
//! the same JSON format). [`resolve`] checks it against an [`Org`] and turns every reference
//! into an id ([`Resolved`]).

use crate::codes::Code;
use crate::sort;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::diag::Diagnostic;
use super::error::Error;
use super::id::{GroupId, ProfileId, RoleId, TenantId, UserId};
use super::model::{Group, GroupType, Org, User};

/// Which User Sync version is simulated.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Group-based (Marketing Users / Sales Users per BU).
    #[default]
    Latest,
    /// Profile-based (before Summer '20, not transferred).
    Legacy,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Latest => "latest",
            Mode::Legacy => "legacy",
        }
    }
}

/// Who wins for a user in both the Marketing and the Sales set (R-BOTH).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum BothGroups {
    #[default]
    SalesWins,
    MarketingWins,
}

/// The set-up's switches: each one's key in `syncplan.json` and its words on the Set up
/// screen. Messages name a switch by its words (what the admin sees), and `docs/rules.md`
/// carries this table so that a reader of `syncplan.json` finds the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Switch {
    BothGroups,
    IncludeBosses,
    UpdateRoleOnProfileChange,
    RecycleWhenProfileUnselected,
    SkipOnEmailMatch,
    AssumeProfileChanged,
}

/// `(switch, key, label)`, one row per switch.
#[rustfmt::skip]
const SWITCHES: [(Switch, &str, &str); 6] = [
    (Switch::BothGroups, "both_groups", "A user in both Marketing Users and Sales Users"),
    (Switch::IncludeBosses, "include_bosses", "Groups that grant access using hierarchies reach the members' bosses"),
    (Switch::UpdateRoleOnProfileChange, "update_role_on_profile_change", "Update the AE role when the Salesforce profile changes"),
    (Switch::RecycleWhenProfileUnselected, "recycle_when_profile_unselected", "Recycle AE users whose profile is no longer selected"),
    (Switch::SkipOnEmailMatch, "skip_on_email_match", "Skip Salesforce users whose email matches an AE user not yet linked"),
    (Switch::AssumeProfileChanged, "assume_profile_changed", "Plan as if every profile had just changed"),
];

impl Switch {
    fn row(self) -> (Switch, &'static str, &'static str) {
        SWITCHES
            .iter()
            .copied()
            .find(|r| r.0 == self)
            .unwrap_or((self, "", ""))
    }

    /// The key in `syncplan.json` (`skip_on_email_match`).
    pub fn key(self) -> &'static str {
        self.row().1
    }

    /// The words on the Set up screen.
    pub fn label(self) -> &'static str {
        self.row().2
    }

    /// How messages name it: its label in quotes.
    pub fn quoted(self) -> String {
        format!("\"{}\"", self.label())
    }

    /// `docs/rules.md`'s table of switches.
    pub fn markdown_table() -> String {
        let mut out = String::from("| On the Set up screen | In `syncplan.json` |\n|---|---|\n");
        for (_, key, label) in SWITCHES {
            out.push_str(&format!("| {label} | `{key}` |\n"));
        }
        out
    }
}

/// One assignment to a BU's Marketing Users or Sales Users group. Serialises as
/// `{ "public_group": "EMEA_Marketing" }`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assignment {
    User(String),
    PublicGroup(String),
    Role(String),
    RoleAndSubordinates(String),
    RoleAndInternalSubordinates(String),
}

impl Assignment {
    pub fn reference(&self) -> &str {
        match self {
            Assignment::User(r)
            | Assignment::PublicGroup(r)
            | Assignment::Role(r)
            | Assignment::RoleAndSubordinates(r)
            | Assignment::RoleAndInternalSubordinates(r) => r,
        }
    }
    /// The kind as written in the scenario (`public_group`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Assignment::User(_) => "user",
            Assignment::PublicGroup(_) => "public_group",
            Assignment::Role(_) => "role",
            Assignment::RoleAndSubordinates(_) => "role_and_subordinates",
            Assignment::RoleAndInternalSubordinates(_) => "role_and_internal_subordinates",
        }
    }
}

/// One business unit of the scenario.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessUnit {
    pub name: String,
    /// The admin who created the BU (Id, Username or unique Name); else the PardotTenant's
    /// InitialPardotAdminId.
    #[serde(default, skip_serializing_if = "crate::omit::none")]
    pub creator: Option<String>,
    /// The PardotTenant id (`0Uv…`) of this BU, when its name differs from PardotTenantName.
    #[serde(default, skip_serializing_if = "crate::omit::none")]
    pub tenant: Option<String>,
    /// The file name of this BU's AE users export, relative to the scenario.
    #[serde(default, skip_serializing_if = "crate::omit::none")]
    pub ae_users: Option<String>,
    /// This BU's own legacy connector settings (each BU has its own connector, §10.18); without
    /// them, the top-level `legacy` block.
    #[serde(default, skip_serializing_if = "crate::omit::none")]
    pub legacy: Option<Legacy>,
    #[serde(default)]
    pub marketing_users: Vec<Assignment>,
    #[serde(default)]
    pub sales_users: Vec<Assignment>,
    /// Profile Name or Id → AE role.
    #[serde(default)]
    pub profile_roles: BTreeMap<String, String>,
}

fn yes() -> bool {
    true
}

/// The legacy (profile-based) connector settings: the top-level block, or a BU's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Legacy {
    /// Ticked profiles (Name or Id) → AE role.
    #[serde(default)]
    pub profiles: BTreeMap<String, String>,
    #[serde(default = "yes")]
    pub update_role_on_profile_change: bool,
    #[serde(default)]
    pub recycle_when_profile_unselected: bool,
    #[serde(default = "yes")]
    pub skip_on_email_match: bool,
    /// Read `update_role_on_profile_change` as if every linked user's profile had just
    /// changed (§10.20): their AE role follows the table. Off, a role that differs from the
    /// table's is kept, with A-LEGACY-ROLE.
    #[serde(default, skip_serializing_if = "crate::omit::is_false")]
    pub assume_profile_changed: bool,
}

impl Default for Legacy {
    fn default() -> Self {
        Legacy {
            profiles: BTreeMap::new(),
            update_role_on_profile_change: true,
            recycle_when_profile_unselected: false,
            skip_on_email_match: true,
            assume_profile_changed: false,
        }
    }
}

/// The scenario, as written in `syncplan.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    pub format_version: String,
    pub mode: Mode,
    #[serde(default)]
    pub both_groups: BothGroups,
    #[serde(default)]
    pub business_units: Vec<BusinessUnit>,
    #[serde(default, skip_serializing_if = "crate::omit::none")]
    pub legacy: Option<Legacy>,
    /// Read "Grant access using hierarchies" on an assigned public group as adding the users
    /// in roles above its members (§2, M-BOSSES). Off, such a group raises W-BOSSES.
    #[serde(default, skip_serializing_if = "crate::omit::is_false")]
    pub include_bosses: bool,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            format_version: "1".into(),
            mode: Mode::Latest,
            both_groups: BothGroups::SalesWins,
            business_units: Vec::new(),
            legacy: None,
            include_bosses: false,
        }
    }
}

impl Scenario {
    /// Serialise to the `syncplan.json` format (pretty, with a final newline).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

fn scenario_error(file: &str, e: &serde_json::Error) -> Error {
    let msg = e.to_string();
    // serde_json appends " at line L column C": keep the message only.
    let message = match msg.rfind(" at line ") {
        Some(i) => msg.get(..i).unwrap_or(&msg).to_string(),
        None => msg,
    };
    Error::Scenario {
        file: file.to_string(),
        line: e.line() as u64,
        column: e.column() as u64,
        message,
    }
}

/// Parse `syncplan.json`. Syntax and type errors give [`Error::Scenario`] with line and
/// column; unknown keys give warnings.
pub fn parse(file: &str, text: &str) -> Result<(Scenario, Vec<Diagnostic>), Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut unknown = Vec::new();
    let mut json = serde_json::Deserializer::from_str(text);
    let scenario: Scenario = serde_ignored::deserialize(&mut json, |path| {
        unknown.push(key_path(&path));
    })
    .and_then(|s| json.end().map(|()| s))
    .map_err(|e| scenario_error(file, &e))?;
    let mut diags: Vec<Diagnostic> = unknown
        .into_iter()
        .map(|path| {
            Diagnostic::warning(
                Code::WScenarioKey,
                format!("unknown key `{path}` in the scenario is ignored"),
            )
            .in_file(file)
        })
        .collect();
    if scenario.format_version.trim() != "1" && !scenario.format_version.trim().starts_with("1.") {
        diags.push(
            Diagnostic::warning(
                Code::WScenarioVersion,
                format!(
                    "scenario format_version `{}` is not `1`: read as version 1",
                    scenario.format_version
                ),
            )
            .in_file(file),
        );
    }
    Ok((scenario, diags))
}

/// Where an ignored key is, as the messages write it: `business_units[2].surprise`.
fn key_path(path: &serde_ignored::Path) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", key_path(parent)),
        Path::Map { parent, key } => match key_path(parent) {
            p if p.is_empty() => key.clone(),
            p => format!("{p}.{key}"),
        },
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => key_path(parent),
    }
}

/// What an assignment reaches, with every reference resolved to an id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Target {
    User(UserId),
    PublicGroup(GroupId),
    Role(RoleId),
    RoleAndSubordinates(RoleId),
    RoleAndInternalSubordinates(RoleId),
    /// A role known only by name (User export with `UserRole.Name`, no UserRole export).
    RoleName(String),
}

/// One resolved assignment: what the scenario said and what it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedAssignment {
    pub written: Assignment,
    pub target: Target,
    /// A label for messages and paths (`public group "EMEA Marketing"`).
    pub label: String,
}

/// Where the BU creator comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreatorSource {
    Scenario,
    Tenant,
}

/// A business unit with every reference resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedBu {
    pub name: String,
    pub tenant: Option<TenantId>,
    pub creator: Option<UserId>,
    pub creator_source: Option<CreatorSource>,
    /// The AE users export (a key of [`Org::ae_exports`]), if any.
    pub ae_file: Option<String>,
    pub marketing: Vec<ResolvedAssignment>,
    pub sales: Vec<ResolvedAssignment>,
    /// Profile → AE role (R-PROFILE), keys matched to profiles.
    pub profile_roles: BTreeMap<ProfileId, String>,
    /// Entries keyed by profile name when the org has no Profile export (matched against
    /// User.Profile.Name).
    pub profile_roles_by_name: BTreeMap<String, String>,
    /// The legacy connector settings this BU's connector has (its own block, else the
    /// top-level one), with its ticked profiles resolved to ids, and by name when there is no
    /// Profile export.
    pub legacy: Legacy,
    pub legacy_profiles: BTreeMap<ProfileId, String>,
    pub legacy_profiles_by_name: BTreeMap<String, String>,
}

/// The scenario with every reference resolved against the org.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolved {
    pub mode: Mode,
    pub both_groups: BothGroups,
    /// [`Scenario::include_bosses`].
    pub include_bosses: bool,
    pub business_units: Vec<ResolvedBu>,
    /// True when no scenario was given and these are defaults.
    pub defaulted: bool,
}

/// The scenario used when none is given: latest mode, one BU named after the single
/// PardotTenant (or "Business unit"), the single AE export if exactly one, nothing assigned.
pub fn default_for(org: &Org) -> Scenario {
    let name = match org.tenants.values().collect::<Vec<_>>().as_slice() {
        [t] => t.name.clone(),
        _ => "Business unit".to_string(),
    };
    let ae_users = match org.ae_exports.keys().collect::<Vec<_>>().as_slice() {
        [f] => Some((*f).clone()),
        _ => None,
    };
    Scenario {
        business_units: vec![BusinessUnit {
            name,
            ae_users,
            ..BusinessUnit::default()
        }],
        ..Scenario::default()
    }
}

/// The AE role as User Sync writes it: built-in names in their canonical case.
pub fn canonical_role(role: &str) -> String {
    let t = role.trim();
    for b in ["Administrator", "Marketing", "Sales Manager", "Sales"] {
        if t.eq_ignore_ascii_case(b) {
            return b.to_string();
        }
    }
    t.to_string()
}

fn norm(s: &str) -> String {
    crate::text::folded(s).into_owned()
}

fn list(cands: &[String]) -> String {
    cands
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn user_label(u: &User) -> String {
    match &u.name {
        Some(n) if !n.trim().is_empty() => format!("{} ({})", n.trim(), u.username),
        _ => u.username.to_string(),
    }
}

/// The users by normalised Username and by normalised Name (each list in id order). The first
/// few references are answered by a scan of the users (no copy of any name); after them, each
/// index is built the first time a reference needs it and then kept for the whole scenario: a
/// scenario naming hundreds of users on a 1M-user org would otherwise scan every user for
/// each. Names are looked at only when a reference is not a unique Username (a scenario naming
/// users by Username, as the set-up screen writes them, never needs them).
///
/// A [`Resolver`](crate::membership::Resolver) keeps one for its org, so that the
/// plan and the set-up screen's lookups afterwards share the indices.
///
/// It also keeps the public groups by DeveloperName, built on the first group reference: a
/// scenario assigning a hundred groups of a 90,000-group org would otherwise walk every group
/// for each.
#[derive(Default)]
pub struct UserNames<'a> {
    by_username: std::cell::OnceCell<ByName<'a>>,
    by_name: std::cell::OnceCell<ByName<'a>>,
    groups_by_developer_name: std::cell::OnceCell<GroupsByName<'a>>,
    /// How many lookups were answered by scanning.
    scans: std::cell::Cell<usize>,
}

/// Users by a normalised text, each list in id order.
type ByName<'a> = rustc_hash::FxHashMap<String, Vec<&'a User>>;

/// Public groups (Type `Regular`) by DeveloperName as written, each list in id order.
type GroupsByName<'a> = rustc_hash::FxHashMap<&'a str, Vec<&'a Group>>;

/// How many lookups a scan answers before the indices are built (a scan costs about a fifth
/// of building an index: 10 against 45 ms on a 100k-user org).
const SCANS: usize = 4;

/// Whether `text`, normalised ([`norm`]), is `key` (already normalised), without copying an
/// ASCII text (`key` has no upper-case ASCII letter, so ASCII case folding is the same test).
fn norm_is(text: &str, key: &str) -> bool {
    let t = crate::text::trim(text);
    if t.is_ascii() {
        t.eq_ignore_ascii_case(key)
    } else {
        norm(t) == key
    }
}

impl<'a> UserNames<'a> {
    fn index(org: &'a Org, field: fn(&'a User) -> Option<&'a str>) -> ByName<'a> {
        let mut out = ByName::default();
        for u in org.users.values() {
            if let Some(k) = field(u) {
                out.entry(norm(k)).or_default().push(u);
            }
        }
        out
    }

    /// The users whose `field`, normalised, is `key` (normalised), in id order.
    fn find(
        &self,
        org: &'a Org,
        index: &std::cell::OnceCell<ByName<'a>>,
        field: fn(&'a User) -> Option<&'a str>,
        key: &str,
    ) -> Vec<&'a User> {
        if index.get().is_none() && self.scans.get() < SCANS {
            self.scans.set(self.scans.get() + 1);
            return org
                .users
                .values()
                .filter(|u| field(u).is_some_and(|t| norm_is(t, key)))
                .collect();
        }
        index
            .get_or_init(|| Self::index(org, field))
            .get(key)
            .cloned()
            .unwrap_or_default()
    }

    fn by_username(&self, org: &'a Org, key: &str) -> Vec<&'a User> {
        self.find(org, &self.by_username, |u| Some(u.username.as_str()), key)
    }

    fn by_name(&self, org: &'a Org, key: &str) -> Vec<&'a User> {
        self.find(org, &self.by_name, |u| u.name.as_deref(), key)
    }

    /// The public groups whose DeveloperName is `key` exactly, in id order.
    fn groups_by_developer_name(&self, org: &'a Org, key: &str) -> &[&'a Group] {
        self.groups_by_developer_name
            .get_or_init(|| {
                let mut out = GroupsByName::default();
                for g in org.groups.values().filter(|g| is_regular(g)) {
                    if let Some(d) = g.developer_name.as_deref() {
                        out.entry(d).or_default().push(g);
                    }
                }
                out
            })
            .get(key)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

/// Whether a group is a public group (Type `Regular`).
fn is_regular(g: &Group) -> bool {
    g.group_type == GroupType::Regular
}

/// Resolve a user reference: Id, Username, or a unique Name.
pub fn find_user(org: &Org, reference: &str) -> Result<UserId, String> {
    find_user_in(org, &UserNames::default(), reference)
}

fn find_user_in<'a>(
    org: &'a Org,
    names: &UserNames<'a>,
    reference: &str,
) -> Result<UserId, String> {
    let r = reference.trim();
    if let Ok(p) = UserId::parse(r) {
        return if org.users.contains_key(&p.id) {
            Ok(p.id)
        } else {
            Err(format!("user `{r}` is not in the User export"))
        };
    }
    let key = norm(r);
    if let [u] = names.by_username(org, &key).as_slice() {
        return Ok(u.id.clone());
    }
    match names.by_name(org, &key).as_slice() {
        [u] => Ok(u.id.clone()),
        [] => Err(format!(
            "user `{r}` matches no Id, Username or Name in the User export"
        )),
        many => {
            let c: Vec<String> = many
                .iter()
                .map(|u| format!("{} {}", u.id, u.username))
                .collect();
            Err(format!("user `{r}` is ambiguous: several users have that Name ({}); use the Username or Id", list(&c)))
        }
    }
}

fn find_group<'a>(org: &'a Org, names: &UserNames<'a>, reference: &str) -> Result<GroupId, String> {
    let r = reference.trim();
    if let Ok(p) = GroupId::parse(r) {
        return match org.groups.get(&p.id) {
            Some(g) if g.group_type == GroupType::Regular => Ok(p.id),
            Some(g) => Err(format!(
                "group `{r}` is of Type `{}`, not a public group (Type `Regular`)",
                g.group_type
            )),
            None => Err(format!("public group `{r}` is not in the Group export")),
        };
    }
    let regular = || org.groups.values().filter(|g| is_regular(g));
    if let [g] = names.groups_by_developer_name(org, r) {
        return Ok(g.id.clone());
    }
    let dev: Vec<_> = regular()
        .filter(|g| g.developer_name.as_deref().map(norm).as_deref() == Some(norm(r).as_str()))
        .collect();
    if let [g] = dev.as_slice() {
        return Ok(g.id.clone());
    }
    let by_name: Vec<_> = regular()
        .filter(|g| g.name.as_deref().map(norm).as_deref() == Some(norm(r).as_str()))
        .collect();
    let mut all: Vec<_> = dev.into_iter().chain(by_name).collect();
    sort::sort_by(&mut all, |a, b| a.id.cmp(&b.id));
    all.dedup_by(|a, b| a.id == b.id);
    match all.as_slice() {
        [g] => Ok(g.id.clone()),
        [] => {
            let other = org.groups.values().any(|g| {
                g.developer_name.as_deref().map(norm).as_deref() == Some(norm(r).as_str())
                    || g.name.as_deref().map(norm).as_deref() == Some(norm(r).as_str())
            });
            if other {
                Err(format!(
                    "group `{r}` is not a public group (Type `Regular`)"
                ))
            } else if org.groups.is_empty() {
                Err(format!(
                    "public group `{r}` cannot be found: no Group export was given"
                ))
            } else {
                Err(format!(
                    "public group `{r}` matches no Id, DeveloperName or Name in the Group export"
                ))
            }
        }
        many => {
            let c: Vec<String> = many
                .iter()
                .map(|g| {
                    format!(
                        "{} {}",
                        g.id,
                        g.developer_name
                            .clone()
                            .or_else(|| g.name.clone())
                            .unwrap_or_default()
                    )
                })
                .collect();
            Err(format!(
                "public group `{r}` is ambiguous: it matches {}; use the DeveloperName or Id",
                list(&c)
            ))
        }
    }
}

enum RoleRef {
    Id(RoleId),
    Name(String),
}

fn find_role(org: &Org, reference: &str) -> Result<RoleRef, String> {
    let r = reference.trim();
    if let Ok(p) = RoleId::parse(r) {
        if org.roles.contains_key(&p.id)
            || (!org.has_role_export
                && org
                    .users
                    .values()
                    .any(|u| u.role_id.as_ref() == Some(&p.id)))
        {
            return Ok(RoleRef::Id(p.id));
        }
        return Err(format!("role `{r}` is not in the UserRole export"));
    }
    if !org.has_role_export {
        // Known only by the users' UserRole.Name (§10.16).
        let mut names: BTreeSet<String> = BTreeSet::new();
        for u in org.users.values() {
            if let Some(n) = &u.role_name {
                if norm(n) == norm(r) {
                    names.insert(n.trim().to_string());
                }
            }
        }
        return match names.into_iter().next() {
            Some(n) => Ok(RoleRef::Name(n)),
            None => Err(format!("role `{r}` cannot be found: no UserRole export was given and no user has that role")),
        };
    }
    let exact_dev: Vec<_> = org
        .roles
        .values()
        .filter(|x| x.developer_name.as_deref() == Some(r))
        .collect();
    if let [x] = exact_dev.as_slice() {
        return Ok(RoleRef::Id(x.id.clone()));
    }
    let dev: Vec<_> = org
        .roles
        .values()
        .filter(|x| x.developer_name.as_deref().map(norm).as_deref() == Some(norm(r).as_str()))
        .collect();
    if let [x] = dev.as_slice() {
        return Ok(RoleRef::Id(x.id.clone()));
    }
    let exact_name: Vec<_> = org.roles.values().filter(|x| x.name.trim() == r).collect();
    if let [x] = exact_name.as_slice() {
        if dev.is_empty() {
            return Ok(RoleRef::Id(x.id.clone()));
        }
    }
    let by_name: Vec<_> = org
        .roles
        .values()
        .filter(|x| norm(&x.name) == norm(r))
        .collect();
    let mut all: Vec<_> = dev.into_iter().chain(by_name).collect();
    sort::sort_by(&mut all, |a, b| a.id.cmp(&b.id));
    all.dedup_by(|a, b| a.id == b.id);
    match all.as_slice() {
        [x] => Ok(RoleRef::Id(x.id.clone())),
        [] => Err(format!(
            "role `{r}` matches no Id, DeveloperName or Name in the UserRole export"
        )),
        many => {
            let c: Vec<String> = many
                .iter()
                .map(|x| format!("{} {}", x.id, x.name))
                .collect();
            Err(format!(
                "role `{r}` is ambiguous: it matches {}; use the DeveloperName or Id",
                list(&c)
            ))
        }
    }
}

fn role_label(org: &Org, id: &RoleId) -> String {
    org.roles
        .get(id)
        .map(|r| r.name.clone())
        .unwrap_or_else(|| id.to_string())
}

fn resolve_assignment<'a>(
    org: &'a Org,
    names: &UserNames<'a>,
    a: &Assignment,
) -> Result<ResolvedAssignment, String> {
    let (target, label) = match a {
        Assignment::User(r) => {
            let id = find_user_in(org, names, r)?;
            let label = org
                .users
                .get(&id)
                .map(user_label)
                .unwrap_or_else(|| id.to_string());
            (Target::User(id), format!("user `{label}`"))
        }
        Assignment::PublicGroup(r) => {
            let id = find_group(org, names, r)?;
            let g = org.groups.get(&id);
            let name = g
                .and_then(|g| {
                    g.name
                        .clone()
                        .filter(|n| !n.trim().is_empty())
                        .or_else(|| g.developer_name.clone())
                })
                .unwrap_or_else(|| id.to_string());
            (Target::PublicGroup(id), format!("public group \"{name}\""))
        }
        Assignment::Role(r) => match find_role(org, r)? {
            RoleRef::Id(id) => {
                let l = format!("role \"{}\"", role_label(org, &id));
                (Target::Role(id), l)
            }
            RoleRef::Name(n) => (Target::RoleName(n.clone()), format!("role \"{n}\"")),
        },
        Assignment::RoleAndSubordinates(r) | Assignment::RoleAndInternalSubordinates(r) => {
            let internal = matches!(a, Assignment::RoleAndInternalSubordinates(_));
            if !org.has_role_export {
                return Err(format!(
                    "`{}` `{r}` needs the UserRole export (Id, Name, ParentRoleId) to know the subordinates",
                    a.kind()
                ));
            }
            let RoleRef::Id(id) = find_role(org, r)? else {
                return Err(format!("role `{r}` is not in the UserRole export"));
            };
            let name = role_label(org, &id);
            if internal {
                (
                    Target::RoleAndInternalSubordinates(id),
                    format!("role and internal subordinates \"{name}\""),
                )
            } else {
                (
                    Target::RoleAndSubordinates(id),
                    format!("role and subordinates \"{name}\""),
                )
            }
        }
    };
    Ok(ResolvedAssignment {
        written: a.clone(),
        target,
        label,
    })
}

/// Match profile_roles / legacy keys (profile Name or Id, exactly, §10.11).
fn resolve_profile_table(
    org: &Org,
    file: &str,
    what: &str,
    table: &BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> (BTreeMap<ProfileId, String>, BTreeMap<String, String>) {
    let mut by_id = BTreeMap::new();
    let mut by_name = BTreeMap::new();
    for (key, role) in table {
        let role = canonical_role(role);
        if let Ok(p) = ProfileId::parse(key) {
            if org.profiles.contains_key(&p.id)
                || org
                    .users
                    .values()
                    .any(|u| u.profile_id.as_ref() == Some(&p.id))
            {
                by_id.insert(p.id, role);
                continue;
            }
        }
        let matches: Vec<_> = org.profiles.values().filter(|p| p.name == *key).collect();
        if !matches.is_empty() {
            for p in matches {
                by_id.insert(p.id.clone(), role.clone());
            }
            continue;
        }
        if org
            .users
            .values()
            .any(|u| u.profile_name.as_deref() == Some(key.as_str()))
        {
            by_name.insert(key.clone(), role);
            continue;
        }
        diags.push(
            Diagnostic::warning(
                Code::WProfileUnknown,
                format!("{what} key `{key}` matches no profile Name or Id: the row is ignored"),
            )
            .in_file(file),
        );
    }
    (by_id, by_name)
}

/// The roles Account Engagement has in every business unit.
const BUILT_IN_ROLES: [&str; 5] = [
    "Administrator",
    "Marketing Manager",
    "Marketing",
    "Sales Manager",
    "Sales",
];

/// W-ROLE-UNKNOWN: a role of a profile table that is neither built in nor a role some AE user
/// of `exports` has. Said only when those exports have a role column (else a custom role cannot
/// be told from a typo).
fn unknown_roles<'a>(
    org: &Org,
    exports: impl IntoIterator<Item = &'a String>,
    file: &str,
    what: &str,
    table: &BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) {
    let exports: Vec<_> = exports
        .into_iter()
        .filter_map(|f| org.ae_exports.get(f))
        .filter(|e| e.has_role)
        .collect();
    if exports.is_empty() {
        return;
    }
    let known = |role: &str| {
        let role = role.trim();
        BUILT_IN_ROLES.iter().any(|b| b.eq_ignore_ascii_case(role))
            || exports.iter().flat_map(|e| &e.users).any(|u| {
                u.role
                    .as_deref()
                    .is_some_and(|r| r.trim().eq_ignore_ascii_case(role))
            })
    };
    let mut said = BTreeSet::new();
    for role in table.values() {
        if !known(role) && said.insert(role.trim().to_string()) {
            diags.push(
                Diagnostic::warning(
                    Code::WRoleUnknown,
                    format!(
                        "{what}: role `{}` is neither a built-in role nor a role of the AE users export: check its spelling (a custom role must exist in Account Engagement)",
                        role.trim()
                    ),
                )
                .in_file(file),
            );
        }
    }
}

fn basename(p: &str) -> &str {
    p.rsplit(['/', '\\']).next().unwrap_or(p)
}

/// Resolve every reference of the scenario against the org. An unknown or ambiguous
/// reference is an error naming it (all of them are listed at once).
pub fn resolve(
    org: &Org,
    file: &str,
    scenario: &Scenario,
    defaulted: bool,
) -> Result<(Resolved, Vec<Diagnostic>), Error> {
    resolve_with(org, &UserNames::default(), file, scenario, defaulted)
}

/// What resolving one business unit finds: problems (fatal, reported together) and warnings.
struct Found<'f> {
    file: &'f str,
    bu: &'f str,
    problems: &'f mut Vec<String>,
    diags: &'f mut Vec<Diagnostic>,
}

impl Found<'_> {
    /// A message about the business unit: ``business unit `X`: …``.
    fn about(&self, m: String) -> String {
        format!("business unit `{}`: {m}", self.bu)
    }
    fn problem(&mut self, m: String) {
        let m = self.about(m);
        self.problems.push(m);
    }
    fn warn(&mut self, diag: fn(Code, String) -> Diagnostic, code: Code, m: String) {
        let d = diag(code, self.about(m)).in_file(self.file);
        self.diags.push(d);
    }
}

/// The Marketing Users and Sales Users assignments, resolved (latest mode; legacy ignores them,
/// with W-SCENARIO-LEGACY).
fn assignments<'a>(
    org: &'a Org,
    names: &UserNames<'a>,
    mode: Mode,
    bu: &BusinessUnit,
    found: &mut Found,
) -> (Vec<ResolvedAssignment>, Vec<ResolvedAssignment>) {
    let (mut marketing, mut sales) = (Vec::new(), Vec::new());
    if mode == Mode::Latest {
        for (src, dst) in [
            (&bu.marketing_users, &mut marketing),
            (&bu.sales_users, &mut sales),
        ] {
            for a in src {
                match resolve_assignment(org, names, a) {
                    Ok(r) => dst.push(r),
                    Err(m) => found.problem(m),
                }
            }
        }
    } else if !bu.marketing_users.is_empty() || !bu.sales_users.is_empty() || bu.creator.is_some() {
        found.warn(
            Diagnostic::warning,
            Code::WScenarioLegacy,
            "legacy User Sync ignores the Marketing Users and Sales Users assignments and who created the business unit: the legacy profile table decides".into(),
        );
    }
    (marketing, sales)
}

/// The business unit's PardotTenant: the one the set-up names, else the one of the same name
/// (§10.9).
fn tenant_of(org: &Org, bu: &BusinessUnit, found: &mut Found) -> Option<TenantId> {
    if let Some(t) = &bu.tenant {
        return match TenantId::parse(t) {
            Ok(p) if org.tenants.contains_key(&p.id) || org.tenants.is_empty() => Some(p.id),
            Ok(_) => {
                found.problem(format!("tenant `{t}` is not in the PardotTenant export"));
                None
            }
            Err(e) => {
                found.problem(format!("tenant `{t}` {e}"));
                None
            }
        };
    }
    let name = bu.name.trim();
    let named: Vec<_> = org
        .tenants
        .values()
        .filter(|t| {
            norm(&t.name) == norm(name)
                && t.creation_status
                    .as_deref()
                    .is_none_or(|s| s.trim().is_empty() || s.trim().eq_ignore_ascii_case("Created"))
        })
        .collect();
    match named.as_slice() {
        [t] => Some(t.id.clone()),
        _ => None,
    }
}

/// The business unit's creator (latest mode): the set-up's, else the PardotTenant's
/// InitialPardotAdminId; W-CREATOR-CONFLICT when both are given and differ (§10.9).
fn creator_of<'a>(
    org: &'a Org,
    names: &UserNames<'a>,
    mode: Mode,
    bu: &BusinessUnit,
    tenant: Option<&TenantId>,
    found: &mut Found,
) -> (Option<UserId>, Option<CreatorSource>) {
    if mode != Mode::Latest {
        return (None, None);
    }
    let tenant_admin = tenant
        .and_then(|t| org.tenants.get(t))
        .and_then(|t| t.initial_admin_id.clone());
    let Some(c) = &bu.creator else {
        return match tenant_admin {
            Some(ta) => (Some(ta), Some(CreatorSource::Tenant)),
            None => (None, None),
        };
    };
    match find_user_in(org, names, c) {
        Ok(id) => {
            if let Some(ta) = tenant_admin.filter(|ta| *ta != id) {
                found.warn(
                    Diagnostic::warning,
                    Code::WCreatorConflict,
                    format!("the scenario's creator `{c}` differs from the PardotTenant's InitialPardotAdminId `{ta}`: the scenario wins"),
                );
            }
            (Some(id), Some(CreatorSource::Scenario))
        }
        Err(m) => {
            found.problem(format!("creator: {m}"));
            (None, None)
        }
    }
}

/// The business unit's AE users export, by file name (an export serves one business unit);
/// none named: a new business unit (W-NEW-BU).
fn ae_file_of(
    org: &Org,
    bu: &BusinessUnit,
    used_exports: &mut BTreeSet<String>,
    found: &mut Found,
) -> Option<String> {
    let Some(f) = &bu.ae_users else {
        found.warn(
            Diagnostic::info,
            Code::WNewBu,
            "no Account Engagement users export is chosen for it: treated as a new business unit with no AE users yet".into(),
        );
        return None;
    };
    let b = basename(f.trim());
    let known = org
        .ae_exports
        .keys()
        .find(|k| k.as_str() == b)
        .or_else(|| org.ae_exports.keys().find(|k| k.eq_ignore_ascii_case(b)));
    match known {
        Some(k) => {
            if !used_exports.insert(k.clone()) {
                found.problem(format!(
                    "ae_users `{f}` is already used by another business unit"
                ));
            }
            Some(k.clone())
        }
        None => {
            let c: Vec<String> = org.ae_exports.keys().cloned().collect();
            found.problem(format!(
                "ae_users `{f}` is not among the AE users exports read{}",
                if c.is_empty() {
                    String::from(" (there are none)")
                } else {
                    format!(" ({})", list(&c))
                }
            ));
            None
        }
    }
}

/// [`resolve`] with user-name indices the caller keeps for `org` (built on first need).
pub fn resolve_with<'a>(
    org: &'a Org,
    names: &UserNames<'a>,
    file: &str,
    scenario: &Scenario,
    defaulted: bool,
) -> Result<(Resolved, Vec<Diagnostic>), Error> {
    let mut diags = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    let mut bus = Vec::new();
    let mut used_exports: BTreeSet<String> = BTreeSet::new();
    let mut seen_names: BTreeSet<String> = BTreeSet::new();
    if scenario.business_units.is_empty() {
        problems.push("the scenario lists no business unit".into());
    }
    for bu in &scenario.business_units {
        let name = bu.name.trim().to_string();
        if name.is_empty() {
            problems.push("a business unit has no name".into());
        }
        if !seen_names.insert(name.to_lowercase()) {
            problems.push(format!("business unit `{name}` is listed twice"));
        }
        let mut found = Found {
            file,
            bu: &name,
            problems: &mut problems,
            diags: &mut diags,
        };
        let (marketing, sales) = assignments(org, names, scenario.mode, bu, &mut found);
        let tenant = tenant_of(org, bu, &mut found);
        let (creator, creator_source) =
            creator_of(org, names, scenario.mode, bu, tenant.as_ref(), &mut found);
        let ae_file = ae_file_of(org, bu, &mut used_exports, &mut found);
        let (profile_roles, profile_roles_by_name) = if scenario.mode == Mode::Latest {
            let what = format!("business unit `{name}`: profile_roles");
            unknown_roles(org, &ae_file, file, &what, &bu.profile_roles, &mut diags);
            resolve_profile_table(org, file, &what, &bu.profile_roles, &mut diags)
        } else {
            (BTreeMap::new(), BTreeMap::new())
        };
        // A BU's own legacy block is resolved here; the others get the top-level one below.
        let own = match (&bu.legacy, scenario.mode) {
            (Some(l), Mode::Legacy) => {
                let what = format!("business unit `{name}`: legacy profiles");
                unknown_roles(org, &ae_file, file, &what, &l.profiles, &mut diags);
                let (ids, names) = resolve_profile_table(org, file, &what, &l.profiles, &mut diags);
                Some((l.clone(), ids, names))
            }
            _ => None,
        };
        let own_block = own.is_some();
        let (legacy, legacy_profiles, legacy_profiles_by_name) = own.unwrap_or_default();
        bus.push((
            own_block,
            ResolvedBu {
                name,
                tenant,
                creator,
                creator_source,
                ae_file,
                marketing,
                sales,
                profile_roles,
                profile_roles_by_name,
                legacy,
                legacy_profiles,
                legacy_profiles_by_name,
            },
        ));
    }
    for f in org.ae_exports.keys() {
        if !used_exports.contains(f) {
            diags.push(
                Diagnostic::warning(
                    Code::WAeExportUnused,
                    format!("Account Engagement users export `{f}` is chosen by no business unit and is not used"),
                )
                .in_file(f.clone()),
            );
        }
    }
    let legacy = scenario.legacy.clone().unwrap_or_default();
    let shared = bus.iter().any(|(own, _)| !own);
    let (legacy_profiles, legacy_profiles_by_name) = if scenario.mode == Mode::Legacy && shared {
        if scenario.legacy.is_none() {
            diags.push(
                Diagnostic::warning(
                    Code::WScenarioLegacy,
                    "legacy mode without a `legacy` block: no profile is ticked",
                )
                .in_file(file),
            );
        }
        let shared_exports = bus
            .iter()
            .filter(|(own, _)| !own)
            .filter_map(|(_, b)| b.ae_file.as_ref());
        unknown_roles(
            org,
            shared_exports,
            file,
            "legacy profiles",
            &legacy.profiles,
            &mut diags,
        );
        resolve_profile_table(org, file, "legacy profiles", &legacy.profiles, &mut diags)
    } else {
        (BTreeMap::new(), BTreeMap::new())
    };
    if !problems.is_empty() {
        return Err(Error::Reference {
            file: file.to_string(),
            message: problems.join("; "),
        });
    }
    if defaulted {
        diags.push(Diagnostic::info(
            Code::WNoScenario,
            format!(
                "no scenario was given: latest mode, one business unit `{}`, {}, nobody assigned to Marketing Users or Sales Users",
                bus.first().map(|(_, b)| b.name.as_str()).unwrap_or(""),
                match bus.first().and_then(|(_, b)| b.ae_file.as_deref()) {
                    Some(f) => format!("AE users from `{f}`"),
                    None => "no AE users export".to_string(),
                }
            ),
        ));
    }
    Ok((
        Resolved {
            mode: scenario.mode,
            both_groups: scenario.both_groups,
            include_bosses: scenario.include_bosses,
            business_units: bus
                .into_iter()
                .map(|(own, mut bu)| {
                    if !own {
                        bu.legacy = legacy.clone();
                        bu.legacy_profiles = legacy_profiles.clone();
                        bu.legacy_profiles_by_name = legacy_profiles_by_name.clone();
                    }
                    bu
                })
                .collect(),
            defaulted,
        },
        diags,
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ingest::{ingest, IngestOptions, InputFile};

    #[test]
    fn a_scan_and_the_indices_find_the_same_users() {
        // The first references are answered by scanning the users, later ones by the indices:
        // both must give the same answer to every reference, ASCII or not, unique or not.
        let csv = "Id,Username,Email,Name,IsActive,ProfileId\n\
            005000000000001,zoe@acme.example,z@x.example,Zoë Ñandú,true,00e000000000001\n\
            005000000000002,ZOE2@Acme.example,z@x.example,Zoë Ñandú,true,00e000000000001\n\
            005000000000003,İlker@acme.example,i@x.example,İlker Şahin,true,00e000000000001\n\
            005000000000004,al@acme.example,a@x.example,  Al  ,false,00e000000000001\n\
            005000000000005,kelvin@acme.example,k@x.example,\u{212A}elvin,true,00e000000000001\n";
        let ingested = ingest(
            &[InputFile {
                name: "users.csv".into(),
                bytes: csv.as_bytes().to_vec(),
            }],
            &IngestOptions::default(),
        );
        assert_eq!(ingested.org.users.len(), 5, "{:?}", ingested.files);
        let org = ingested.org;
        let mut refs: Vec<String> = Vec::new();
        for u in org.users.values() {
            let name = u.name.as_deref().unwrap_or_default().to_string();
            refs.extend([
                u.username.to_string(),
                u.username.as_str().to_uppercase(),
                format!("  {}  ", u.username),
                name.clone(),
                name.to_lowercase(),
                name.to_uppercase(),
            ]);
        }
        refs.extend([
            "nobody".into(),
            "kelvin".into(),
            "i̇lker@acme.example".into(),
        ]);
        let mut found = 0;
        for r in &refs {
            let scanning = UserNames::default();
            let indexed = UserNames::default();
            indexed.scans.set(SCANS);
            let a = find_user_in(&org, &scanning, r);
            assert_eq!(a, find_user_in(&org, &indexed, r), "{r:?}");
            assert_eq!(
                scanning.scans.get() > 0,
                indexed.by_username.get().is_some()
            );
            found += usize::from(a.is_ok());
        }
        // Some references find a user, some do not (the ambiguous Name, the unknown ones).
        assert!(
            found > 10 && found < refs.len(),
            "{found} of {}",
            refs.len()
        );
    }
}
