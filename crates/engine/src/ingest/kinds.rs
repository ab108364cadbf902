//! Header normalisation, the columns of each kind, and kind detection (spec §7).
//!
//! Headers are compared after trimming, dropping a BOM, lower-casing, turning `_` into a space
//! and collapsing runs of spaces: `PROFILE.NAME`, ` Profile.Name ` and `profile.name` are one
//! column; Salesforce Inspector's leading `_` column (values `[User]`) becomes an empty name and
//! is ignored. Every canonical column has a list of accepted headers, the first present wins:
//! `Profile.Name` is preferred to a report's `Profile` label, which Inspector also writes (with
//! `[Profile]` values) beside `Profile.Name`.
//!
//! Kind detection looks at which columns are present, most specific kind first:
//! GroupMember (`GroupId`/`UserOrGroupId`), PermissionSetAssignment (`AssigneeId`), UserLogin
//! (`IsFrozen`), PardotTenant (`PardotTenantName`/`InitialPardotAdminId`), Group (`Type`),
//! UserRole (`ParentRoleId`/`PortalType`), User (a column only User exports have, such as
//! `IsActive`, `ProfileId`, `Profile.Name`, report labels "User ID"/"Active", or `Username`
//! without any Account Engagement column), then AE users (`salesforceId`, `CRM Username`,
//! `isDeleted`, `roleName`, "In Recycle Bin", or `Email`), then Profile vs UserLicense by their
//! own optional columns, and finally by the key prefix of the first ids (`00e` Profile, `100`
//! UserLicense, `00E` UserRole, `00G` Group, `005` User). Once a kind is chosen its required
//! columns are checked, so a User export without `IsActive` is reported as a User export that
//! misses `IsActive` (`E-MISSING-COLUMN`), never taken for something else.

use serde::{Deserialize, Serialize};

use super::dialect::Rows;

/// The kind of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Kind {
    User,
    Profile,
    UserRole,
    Group,
    GroupMember,
    UserLicense,
    PermissionSetAssignment,
    UserLogin,
    PardotTenant,
    AeUsers,
    Unknown,
}

impl Kind {
    /// How the kind is called in messages.
    pub fn label(self) -> &'static str {
        match self {
            Kind::User => "User",
            Kind::Profile => "Profile",
            Kind::UserRole => "UserRole",
            Kind::Group => "Group",
            Kind::GroupMember => "GroupMember",
            Kind::UserLicense => "UserLicense",
            Kind::PermissionSetAssignment => "PermissionSetAssignment",
            Kind::UserLogin => "UserLogin",
            Kind::PardotTenant => "PardotTenant",
            Kind::AeUsers => "Account Engagement users",
            Kind::Unknown => "unknown",
        }
    }
}

/// Normalise a header for comparison.
pub fn norm(h: &str) -> String {
    let lowered = h
        .trim()
        .trim_start_matches('\u{FEFF}')
        .to_lowercase()
        .replace('_', " ");
    lowered.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A canonical column: its name (as messages show it) and the headers accepted for it.
pub type Field = (&'static str, &'static [&'static str]);

pub const USER: &[Field] = &[
    ("Id", &["id", "user id"]),
    ("Username", &["username", "user name"]),
    ("IsActive", &["isactive", "active", "is active"]),
    ("ProfileId", &["profileid", "profile id"]),
    ("Profile.Name", &["profile.name", "profile name", "profile"]),
    ("Email", &["email", "email address"]),
    ("FirstName", &["firstname", "first name"]),
    ("LastName", &["lastname", "last name"]),
    ("Name", &["name", "full name"]),
    ("Title", &["title"]),
    ("Phone", &["phone"]),
    ("UserType", &["usertype", "user type"]),
    ("UserRoleId", &["userroleid", "role id"]),
    ("UserRole.Name", &["userrole.name", "role name", "role"]),
    (
        "Profile.UserLicense.Name",
        &["profile.userlicense.name", "user license", "license"],
    ),
    (
        "FederationIdentifier",
        &["federationidentifier", "federation id"],
    ),
];
pub const PROFILE: &[Field] = &[
    ("Id", &["id", "profile id"]),
    ("Name", &["name", "profile name"]),
    ("UserLicenseId", &["userlicenseid"]),
    ("UserLicense.Name", &["userlicense.name", "user license"]),
    ("UserType", &["usertype", "user type"]),
    ("PermissionsApiUserOnly", &["permissionsapiuseronly"]),
    ("PermissionsApiEnabled", &["permissionsapienabled"]),
];
pub const USER_ROLE: &[Field] = &[
    ("Id", &["id", "role id"]),
    ("Name", &["name", "role name"]),
    ("ParentRoleId", &["parentroleid", "parent role id"]),
    ("DeveloperName", &["developername"]),
    ("PortalType", &["portaltype"]),
];
pub const GROUP: &[Field] = &[
    ("Id", &["id"]),
    ("Type", &["type"]),
    ("Name", &["name"]),
    ("DeveloperName", &["developername"]),
    ("RelatedId", &["relatedid"]),
    ("DoesIncludeBosses", &["doesincludebosses"]),
];
pub const GROUP_MEMBER: &[Field] = &[
    ("GroupId", &["groupid"]),
    ("UserOrGroupId", &["userorgroupid"]),
    ("Id", &["id"]),
];
pub const USER_LICENSE: &[Field] = &[
    ("Id", &["id"]),
    ("Name", &["name"]),
    ("MasterLabel", &["masterlabel"]),
    ("LicenseDefinitionKey", &["licensedefinitionkey"]),
];
pub const PERMISSION_SET_ASSIGNMENT: &[Field] = &[
    ("AssigneeId", &["assigneeid"]),
    ("PermissionSetId", &["permissionsetid"]),
    ("PermissionSet.Name", &["permissionset.name"]),
    ("PermissionSet.Label", &["permissionset.label"]),
];
pub const USER_LOGIN: &[Field] = &[
    ("UserId", &["userid"]),
    ("IsFrozen", &["isfrozen"]),
    ("IsPasswordLocked", &["ispasswordlocked"]),
];
pub const PARDOT_TENANT: &[Field] = &[
    ("Id", &["id"]),
    ("PardotTenantName", &["pardottenantname"]),
    ("InitialPardotAdminId", &["initialpardotadminid"]),
    ("CreationStatus", &["creationstatus"]),
];
pub const AE_USERS: &[Field] = &[
    ("id", &["id"]),
    ("email", &["email", "email address"]),
    ("firstName", &["firstname", "first name"]),
    ("lastName", &["lastname", "last name"]),
    ("jobTitle", &["jobtitle", "job title"]),
    ("phone", &["phone"]),
    ("roleName", &["rolename", "role name"]),
    ("role", &["role"]),
    (
        "salesforceId",
        &[
            "salesforceid",
            "salesforce id",
            "salesforce user id",
            "crm id",
        ],
    ),
    (
        "CRM Username",
        &["crm username", "crmusername", "crm user name"],
    ),
    (
        "isDeleted",
        &["isdeleted", "is deleted", "in recycle bin", "deleted"],
    ),
];

/// The canonical columns of a kind.
pub fn fields(kind: Kind) -> &'static [Field] {
    match kind {
        Kind::User => USER,
        Kind::Profile => PROFILE,
        Kind::UserRole => USER_ROLE,
        Kind::Group => GROUP,
        Kind::GroupMember => GROUP_MEMBER,
        Kind::UserLicense => USER_LICENSE,
        Kind::PermissionSetAssignment => PERMISSION_SET_ASSIGNMENT,
        Kind::UserLogin => USER_LOGIN,
        Kind::PardotTenant => PARDOT_TENANT,
        Kind::AeUsers => AE_USERS,
        Kind::Unknown => &[],
    }
}

/// Required columns of a kind: each inner list is "one of these".
pub fn required(kind: Kind) -> &'static [&'static [&'static str]] {
    match kind {
        Kind::User => &[
            &["Id"],
            &["Username"],
            &["IsActive"],
            &["ProfileId", "Profile.Name"],
        ],
        Kind::Profile => &[&["Id"], &["Name"]],
        Kind::UserRole => &[&["Id"], &["Name"], &["ParentRoleId"]],
        Kind::Group => &[&["Id"], &["Type"]],
        Kind::GroupMember => &[&["GroupId"], &["UserOrGroupId"]],
        Kind::UserLicense => &[&["Id"], &["Name"]],
        Kind::PermissionSetAssignment => {
            &[&["AssigneeId"], &["PermissionSetId", "PermissionSet.Name"]]
        }
        Kind::UserLogin => &[&["UserId"], &["IsFrozen"]],
        Kind::PardotTenant => &[&["Id"], &["PardotTenantName"]],
        Kind::AeUsers => &[
            &["email"],
            &[
                "id",
                "role",
                "roleName",
                "salesforceId",
                "CRM Username",
                "isDeleted",
            ],
        ],
        Kind::Unknown => &[],
    }
}

/// A column found in a file: its index (0-based) and its header as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Col {
    pub idx: usize,
    pub header: String,
}

impl Col {
    /// The 1-based column number for diagnostics.
    pub fn number(&self) -> u64 {
        self.idx as u64 + 1
    }
}

/// The columns of a file, mapped to a kind's canonical names.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    found: Vec<(&'static str, Col)>,
}

impl Columns {
    pub fn map(kind: Kind, headers: &[String]) -> Columns {
        let normed: Vec<String> = headers.iter().map(|h| norm(h)).collect();
        let mut found = Vec::new();
        for (canon, aliases) in fields(kind) {
            let hit = aliases
                .iter()
                .find_map(|a| normed.iter().position(|n| n == a));
            if let Some(idx) = hit {
                let header = headers.get(idx).cloned().unwrap_or_default();
                found.push((*canon, Col { idx, header }));
            }
        }
        Columns { found }
    }

    pub fn get(&self, canon: &str) -> Option<&Col> {
        self.found
            .iter()
            .find(|(c, _)| *c == canon)
            .map(|(_, col)| col)
    }

    pub fn has(&self, canon: &str) -> bool {
        self.get(canon).is_some()
    }

    /// Required columns missing for `kind` (for "one of" groups, all names joined by " or ").
    pub fn missing(&self, kind: Kind) -> Vec<String> {
        required(kind)
            .iter()
            .filter(|group| !group.iter().any(|c| self.has(c)))
            .map(|group| {
                group
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            })
            .collect()
    }
}

/// The outcome of kind detection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    pub kind: Kind,
    /// Why this kind (or why none), for the user.
    pub reason: String,
    /// Required columns the file lacks (non-empty: the file is of `kind` but unusable).
    pub missing: Vec<String>,
}

const USER_ONLY: &[&str] = &[
    "isactive",
    "active",
    "is active",
    "profileid",
    "profile id",
    "profile.name",
    "user id",
    "userroleid",
    "userrole.name",
    "federationidentifier",
    "profile.userlicense.name",
];
const AE_ONLY: &[&str] = &[
    "salesforceid",
    "salesforce id",
    "salesforce user id",
    "crm username",
    "crmusername",
    "crm user name",
    "isdeleted",
    "is deleted",
    "in recycle bin",
    "rolename",
    "jobtitle",
    "job title",
    "email address",
];

/// The headers as written for normalised names, for messages.
fn list(headers: &[String], cols: &[&str]) -> String {
    cols.iter()
        .map(|c| {
            let shown = headers
                .iter()
                .find(|h| norm(h) == *c)
                .map(|h| h.trim())
                .unwrap_or(c);
            format!("`{shown}`")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn article(kind: Kind) -> &'static str {
    if kind == Kind::AeUsers {
        "an"
    } else {
        "a"
    }
}

/// Decide the kind of a file from its headers (and the key prefix of its first ids).
/// Objects whose exports look like the ones syncplan reads (an `Id`, an `Email`, a `Name`, a
/// `ProfileId`…) but are not (§11), by the key prefix their ids start with.
const OTHER_OBJECTS: &[(&str, &str)] = &[
    ("001", "Account"),
    ("003", "Contact"),
    ("006", "Opportunity"),
    ("00D", "Organization"),
    ("00O", "Report"),
    ("00P", "Attachment"),
    ("00Q", "Lead"),
    ("00T", "Task"),
    ("00U", "Event"),
    ("00v", "CampaignMember"),
    ("015", "Document"),
    ("068", "ContentVersion"),
    ("069", "ContentDocument"),
    ("0MI", "Territory2"),
    ("0PS", "PermissionSet"),
    ("500", "Case"),
    ("701", "Campaign"),
    ("800", "Contract"),
    ("801", "Order"),
];

/// The first value of the `Id` column, trimmed, if the file has one.
fn first_id<'r>(headers: &[String], rows: &'r Rows) -> Option<&'r str> {
    let idx = headers.iter().position(|h| norm(h) == "id")?;
    rows.iter()
        .filter_map(|r| r.fields.get(idx))
        .map(str::trim)
        .find(|v| !v.is_empty())
}

/// An export of another object that syncplan does not read, told by the key prefix of its first
/// id: "not a supported export: this looks like a Contact export (its ids start with `003`)".
fn look_alike(headers: &[String], rows: &Rows) -> Option<Detection> {
    let first = first_id(headers, rows)?;
    if !matches!(first.len(), 15 | 18) || !first.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let prefix = first.get(..3)?;
    let object = OTHER_OBJECTS
        .iter()
        .find(|(p, _)| *p == prefix)
        .map(|(_, o)| *o)?;
    Some(Detection {
        kind: Kind::Unknown,
        reason: format!(
            "not a supported export: this looks like {} {object} export (its ids start with `{prefix}`)",
            if object.starts_with(['A', 'E', 'O']) { "an" } else { "a" }
        ),
        missing: Vec::new(),
    })
}

pub fn detect(headers: &[String], rows: &Rows) -> Detection {
    let normed: Vec<String> = headers
        .iter()
        .map(|h| norm(h))
        .filter(|h| !h.is_empty())
        .collect();
    let has = |a: &str| normed.iter().any(|n| n == a);
    let present = |names: &[&'static str]| -> Vec<&'static str> {
        names.iter().copied().filter(|n| has(n)).collect()
    };

    if let Some(d) = look_alike(headers, rows) {
        return d;
    }

    let by_columns = |kind: Kind, signals: Vec<&'static str>| -> Detection {
        let cols = Columns::map(kind, headers);
        let missing = cols.missing(kind);
        let reason = if missing.is_empty() {
            format!(
                "{} {} export: it has {}",
                article(kind),
                kind.label(),
                list(headers, &signals)
            )
        } else {
            format!(
                "{} {} export (it has {}), but it lacks the required {}",
                article(kind),
                kind.label(),
                list(headers, &signals),
                missing.join(", ")
            )
        };
        Detection {
            kind,
            reason,
            missing,
        }
    };

    let sig = present(&["groupid", "userorgroupid"]);
    if !sig.is_empty() {
        return by_columns(Kind::GroupMember, sig);
    }
    let sig = present(&["assigneeid"]);
    if !sig.is_empty() {
        return by_columns(Kind::PermissionSetAssignment, sig);
    }
    let sig = present(&["isfrozen"]);
    if !sig.is_empty() || (has("userid") && has("ispasswordlocked")) {
        return by_columns(
            Kind::UserLogin,
            present(&["userid", "isfrozen", "ispasswordlocked"]),
        );
    }
    let sig = present(&["pardottenantname", "initialpardotadminid"]);
    if !sig.is_empty() {
        return by_columns(Kind::PardotTenant, sig);
    }
    let user_sig = present(USER_ONLY);
    let ae_sig = present(AE_ONLY);
    if has("type") && user_sig.is_empty() && ae_sig.is_empty() {
        return by_columns(Kind::Group, present(&["id", "type"]));
    }
    let sig = present(&["parentroleid", "portaltype", "parent role id"]);
    if !sig.is_empty() && user_sig.is_empty() {
        return by_columns(Kind::UserRole, sig);
    }
    let sig = present(&[
        "userlicenseid",
        "userlicense.name",
        "permissionsapiuseronly",
        "permissionsapienabled",
    ]);
    if !sig.is_empty() && user_sig.is_empty() {
        return by_columns(Kind::Profile, sig);
    }
    if !user_sig.is_empty() {
        return by_columns(Kind::User, user_sig);
    }
    if (has("username") || has("user name")) && ae_sig.is_empty() {
        return by_columns(Kind::User, present(&["username", "user name"]));
    }
    if !ae_sig.is_empty() {
        return by_columns(Kind::AeUsers, ae_sig);
    }
    if has("email") {
        return by_columns(Kind::AeUsers, present(&["email", "id", "role"]));
    }
    let sig = present(&["masterlabel", "licensedefinitionkey"]);
    if !sig.is_empty() {
        return by_columns(Kind::UserLicense, sig);
    }

    // Tie-break by the key prefix of the first ids.
    if headers.iter().any(|h| norm(h) == "id") {
        let prefix = first_id(headers, rows)
            .and_then(|v| v.get(..3))
            .map(str::to_string);
        let by_prefix = match prefix.as_deref() {
            Some("00e") => Some(Kind::Profile),
            Some("100") => Some(Kind::UserLicense),
            Some("00E") => Some(Kind::UserRole),
            Some("00G") => Some(Kind::Group),
            Some("005") => Some(Kind::User),
            Some("0Uv") => Some(Kind::PardotTenant),
            _ => None,
        };
        if let (Some(kind), Some(p)) = (by_prefix, prefix.as_deref()) {
            let mut d = by_columns(kind, vec!["id"]);
            d.reason = format!("{}; its ids start with `{p}`", d.reason);
            return d;
        }
        if has("name") {
            let why = match prefix {
                Some(p) => format!("its ids start with `{p}`, which is neither `00e` (Profile) nor `100` (UserLicense)"),
                None => "it has no rows whose id would tell a Profile (`00e`) from a UserLicense (`100`)".to_string(),
            };
            return Detection {
                kind: Kind::Unknown,
                reason: format!("not recognised: it has `Id` and `Name`, but {why}"),
                missing: Vec::new(),
            };
        }
    }

    // Nothing matched: name the closest kind and what it lacks.
    let kinds = [
        Kind::User,
        Kind::AeUsers,
        Kind::Profile,
        Kind::UserRole,
        Kind::Group,
        Kind::GroupMember,
        Kind::UserLicense,
        Kind::PermissionSetAssignment,
        Kind::UserLogin,
        Kind::PardotTenant,
    ];
    let mut best: Option<(usize, Kind, Vec<String>)> = None;
    for k in kinds {
        let cols = Columns::map(k, headers);
        let total = required(k).len();
        let missing = cols.missing(k);
        let have = total - missing.len();
        if have > 0 && best.as_ref().is_none_or(|(h, _, _)| have > *h) {
            best = Some((have, k, missing));
        }
    }
    let shown: Vec<String> = headers
        .iter()
        .filter(|h| !h.is_empty())
        .take(8)
        .map(|h| format!("`{h}`"))
        .collect();
    let shown = if shown.is_empty() {
        "no named columns".to_string()
    } else {
        shown.join(", ")
    };
    let reason = match best {
        Some((_, k, missing)) => format!(
            "not recognised: the header ({shown}) is closest to a {} export, which also needs {}",
            k.label(),
            missing.join(", ")
        ),
        None => format!(
            "not recognised: the first line ({shown}) is not the header of any export syncplan reads; a User export needs `Id`, `Username`, `IsActive` and `ProfileId` or `Profile.Name`"
        ),
    };
    Detection {
        kind: Kind::Unknown,
        reason,
        missing: Vec::new(),
    }
}
