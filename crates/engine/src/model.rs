//! The org as read from the exports: what ingestion produces and the rules consume.
//!
//! Text columns are `Option<String>`: `None` means the export has no such column,
//! `Some("")` means the column is there and the cell is blank (a blank is a value, §10.7).
//! Every record keeps its [`Source`] (file and line) for diagnostics; a GroupMember row keeps
//! its file and line as two integers ([`Org::member_source`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::diag::Source;

/// A user's text field: up to 24 bytes held inline (no allocation), which most names, titles,
/// phones, profile and role names are; a 100k-user org has over a million of them.
pub type Text = compact_str::CompactString;
use super::id::{GroupId, LicenseId, PermissionSetId, ProfileId, RoleId, SfId, TenantId, UserId};

/// A Salesforce user (User export).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub username: Text,
    pub is_active: bool,
    /// ProfileId, or resolved from `Profile.Name` when the export has only the name.
    pub profile_id: Option<ProfileId>,
    /// `Profile.Name` (or the report's "Profile" label) when the export carries it; filled in by
    /// ingestion from the Profile export when the User export has only `ProfileId`.
    pub profile_name: Option<Text>,
    pub email: Option<Text>,
    pub first_name: Option<Text>,
    pub last_name: Option<Text>,
    pub name: Option<Text>,
    pub title: Option<Text>,
    pub phone: Option<Text>,
    /// UserType (`Standard`, `PowerPartner`, `CsnOnly`, `AutomatedProcess`, …) when exported.
    pub user_type: Option<Text>,
    /// UserRoleId, or resolved from `UserRole.Name` when unique.
    pub role_id: Option<RoleId>,
    /// `UserRole.Name` (or the report's "Role" label) when the export carries it; filled in by
    /// ingestion from the UserRole export when the User export has only `UserRoleId`.
    pub role_name: Option<Text>,
    /// `Profile.UserLicense.Name` (or the report's "User License") when the export carries it;
    /// otherwise filled in by ingestion from the user's profile (its `UserLicense.Name`, or the
    /// UserLicense export's Name for its `UserLicenseId`).
    pub license_name: Option<Text>,
    pub federation_id: Option<Text>,
    pub source: Source,
}

/// A profile (Profile export).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub id: ProfileId,
    pub name: String,
    pub license_id: Option<LicenseId>,
    pub license_name: Option<String>,
    pub user_type: Option<String>,
    pub api_user_only: Option<bool>,
    pub api_enabled: Option<bool>,
    pub source: Source,
}

/// A role (UserRole export).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub id: RoleId,
    pub name: String,
    pub developer_name: Option<String>,
    pub parent_id: Option<RoleId>,
    /// PortalType (`None`, `CustomerPortal`, `Partner`, …); `None` here means no such column.
    pub portal_type: Option<String>,
    pub source: Source,
}

/// Group.Type, read once (case-insensitive) when the Group export is read. The five types the
/// membership rules resolve have a variant each (§10.14); every other type (Queue, Territory,
/// Manager, …) is kept as exported.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GroupType {
    /// A public group.
    Regular,
    /// The users of one role (`RelatedId`).
    Role,
    /// The users of a role and of every role below it.
    RoleAndSubordinates,
    /// The same, stopping at portal roles.
    RoleAndSubordinatesInternal,
    /// Every internal user.
    Organization,
    /// A type the exports cannot resolve, as exported.
    Other(String),
}

impl GroupType {
    pub fn parse(text: &str) -> GroupType {
        let t = text.trim();
        [
            GroupType::Regular,
            GroupType::Role,
            GroupType::RoleAndSubordinates,
            GroupType::RoleAndSubordinatesInternal,
            GroupType::Organization,
        ]
        .into_iter()
        .find(|g| g.as_str().eq_ignore_ascii_case(t))
        .unwrap_or_else(|| GroupType::Other(t.to_string()))
    }

    /// The type as Salesforce spells it.
    pub fn as_str(&self) -> &str {
        match self {
            GroupType::Regular => "Regular",
            GroupType::Role => "Role",
            GroupType::RoleAndSubordinates => "RoleAndSubordinates",
            GroupType::RoleAndSubordinatesInternal => "RoleAndSubordinatesInternal",
            GroupType::Organization => "Organization",
            GroupType::Other(t) => t,
        }
    }

    /// A role group: its members come from `RelatedId` and the role tree, never from GroupMember
    /// rows.
    pub fn is_role(&self) -> bool {
        matches!(
            self,
            GroupType::Role
                | GroupType::RoleAndSubordinates
                | GroupType::RoleAndSubordinatesInternal
        )
    }

    /// A type whose members the exports cannot tell (Queue, Territory, Manager, …): M-UNSUPPORTED.
    pub fn is_unresolvable(&self) -> bool {
        matches!(self, GroupType::Other(_))
    }

    /// How a role group of this type is named in messages and paths: `Role and subordinates`.
    pub fn role_words(&self) -> Option<&'static str> {
        match self {
            GroupType::Role => Some("Role"),
            GroupType::RoleAndSubordinates => Some("Role and subordinates"),
            GroupType::RoleAndSubordinatesInternal => Some("Role and internal subordinates"),
            _ => None,
        }
    }
}

impl std::fmt::Display for GroupType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for GroupType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for GroupType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(GroupType::parse(
            &<std::borrow::Cow<'de, str>>::deserialize(d)?,
        ))
    }
}

/// A group (Group export): public groups (`Regular`), role groups, queues, …
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: GroupId,
    /// Group.Type.
    pub group_type: GroupType,
    pub name: Option<String>,
    pub developer_name: Option<String>,
    /// RelatedId: for role groups, the role.
    pub related_id: Option<SfId>,
    pub does_include_bosses: Option<bool>,
    pub source: Source,
}

/// A group membership row (GroupMember export).
///
/// A 1M-user org has ten million of these, so a row holds where it was read as two integers
/// (44 bytes a row, where a [`Source`] of its own made 64): `file` counts the GroupMember
/// exports in reading order ([`Org::group_member_files`] names them) and [`Org::member_source`]
/// makes the row's `Source` when a diagnostic needs one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMember {
    pub group_id: GroupId,
    /// A user (`005…`) or a nested group (`00G…`).
    pub member_id: SfId,
    /// The row's file: its place in [`Org::group_member_files`].
    pub file: u32,
    /// The physical line where the row starts.
    pub line: u32,
}

/// The answer of a lookup about a GroupMember row's group, asked once per run of rows of one
/// group: ingestion sorts the rows by group, so the last group's answer serves the rows after
/// it (a lookup per group, not per row: a 1M-user org has ten million rows).
pub fn per_group<'a, V: Copy>(
    last: &mut Option<(&'a GroupId, V)>,
    group: &'a GroupId,
    look: impl FnOnce() -> V,
) -> V {
    match *last {
        Some((g, v)) if g == group => v,
        _ => {
            let v = look();
            *last = Some((group, v));
            v
        }
    }
}

/// A user license (UserLicense export).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserLicense {
    pub id: LicenseId,
    pub name: String,
    pub master_label: Option<String>,
    pub definition_key: Option<String>,
    pub source: Source,
}

/// A permission set assignment (PermissionSetAssignment export).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionSetAssignment {
    pub assignee_id: UserId,
    pub permission_set_id: Option<PermissionSetId>,
    pub permission_set_name: Option<String>,
    pub permission_set_label: Option<String>,
    pub source: Source,
}

/// Login state of a user (UserLogin export).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserLogin {
    pub user_id: UserId,
    pub is_frozen: bool,
    pub is_password_locked: Option<bool>,
    pub source: Source,
}

/// An Account Engagement business unit (PardotTenant export).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PardotTenant {
    pub id: TenantId,
    pub name: String,
    pub initial_admin_id: Option<UserId>,
    pub creation_status: Option<String>,
    pub source: Source,
}

/// An Account Engagement user (one row of an AE users export).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AeUser {
    /// The AE user id (a plain integer in API v5 exports); when the export has no id column,
    /// ingestion makes one from the line (`line-17`) so that every AE user can be named.
    pub id: String,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub job_title: Option<String>,
    pub phone: Option<String>,
    /// The role's name (`roleName`, or the UI's "Role"); `None` when the export has no role
    /// column (API v5's numeric `role` alone is not a name).
    pub role: Option<String>,
    /// The linked Salesforce user id (`salesforceId`), normalised to 18 characters.
    pub salesforce_id: Option<UserId>,
    /// The CRM username, when set.
    pub crm_username: Option<String>,
    /// In the recycle bin (`isDeleted` / "In Recycle Bin").
    pub is_deleted: bool,
    pub source: Source,
}

/// One AE users export: the AE users of one business unit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AeExport {
    /// The file name, as the scenario's `ae_users` names it.
    pub file: String,
    pub users: Vec<AeUser>,
    /// Whether the export has a role-name column (otherwise roles cannot be compared, §10.7).
    pub has_role: bool,
}

/// Which columns an export carried, for "compare only the fields both exports carry" (§3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserColumns {
    pub email: bool,
    pub first_name: bool,
    pub last_name: bool,
    pub title: bool,
    pub phone: bool,
    pub user_type: bool,
    pub role: bool,
}

/// Everything read from the exports, keyed by normalised id (deterministic order).
///
/// Records whose id could not be read are rejected at ingestion and never reach here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Org {
    pub users: BTreeMap<UserId, User>,
    pub user_columns: UserColumns,
    pub profiles: BTreeMap<ProfileId, Profile>,
    pub roles: BTreeMap<RoleId, Role>,
    /// Whether a UserRole export was given (M-ROLE-SUB needs it, §10.16).
    pub has_role_export: bool,
    /// Whether the UserRole export has a PortalType column (M-ROLE-SUB-INT needs it, §10.15).
    pub has_portal_type: bool,
    pub groups: BTreeMap<GroupId, Group>,
    pub group_members: Vec<GroupMember>,
    /// The GroupMember exports read, in reading order (a row's [`GroupMember::file`]).
    pub group_member_files: Vec<std::sync::Arc<str>>,
    pub licenses: BTreeMap<LicenseId, UserLicense>,
    pub permission_set_assignments: Vec<PermissionSetAssignment>,
    pub logins: BTreeMap<UserId, UserLogin>,
    pub tenants: BTreeMap<TenantId, PardotTenant>,
    /// AE users exports by file name.
    pub ae_exports: BTreeMap<String, AeExport>,
}

impl Org {
    /// Where a GroupMember row was read.
    pub fn member_source(&self, m: &GroupMember) -> Source {
        Org::member_source_in(&self.group_member_files, m)
    }

    /// [`Org::member_source`] from the files' names alone (for a pass that borrows the rest of
    /// the org otherwise).
    pub fn member_source_in(group_member_files: &[std::sync::Arc<str>], m: &GroupMember) -> Source {
        Source {
            file: group_member_files
                .get(m.file as usize)
                .cloned()
                .unwrap_or_else(|| "".into()),
            line: u64::from(m.line),
        }
    }

    /// Count in the GroupMember export `file` (read now, after those before it): the
    /// [`GroupMember::file`] of its rows.
    pub fn add_group_member_file(&mut self, file: &std::sync::Arc<str>) -> u32 {
        self.group_member_files.push(file.clone());
        u32::try_from(self.group_member_files.len().saturating_sub(1)).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod group_type_tests {
    use super::GroupType;

    #[test]
    fn a_group_type_is_read_whatever_its_case_and_other_types_are_kept_as_exported() {
        for (text, want) in [
            ("Regular", GroupType::Regular),
            ("regular", GroupType::Regular),
            (" REGULAR ", GroupType::Regular),
            (
                "roleandsubordinatesinternal",
                GroupType::RoleAndSubordinatesInternal,
            ),
            ("Organization", GroupType::Organization),
            ("Queue", GroupType::Other("Queue".into())),
        ] {
            assert_eq!(GroupType::parse(text), want, "{text:?}");
        }
        assert_eq!(GroupType::parse("role").to_string(), "Role");
        assert_eq!(
            GroupType::parse("TerritoryAndSubordinates").to_string(),
            "TerritoryAndSubordinates"
        );
        assert!(GroupType::RoleAndSubordinates.is_role() && !GroupType::Organization.is_role());
        assert_eq!(GroupType::Role.role_words(), Some("Role"));
        assert_eq!(GroupType::Regular.role_words(), None);
    }
}
