//! Which exports syncplan reads and how to get each one: the "How to export" help. Pure data
//! and a pure [`missing`], tested natively.

use crate::engine::ingest::{FileReport, Kind};
use crate::engine::scenario::{Assignment, Mode, Scenario};
use crate::engine::sort;

/// How much an export matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Need {
    /// Nothing can be planned without it.
    Required,
    /// The set-up refers to it (public groups, roles) or the plan is much less precise.
    Needed,
    /// It makes some findings more precise.
    Optional,
}

/// One export: its kind, the object it comes from and the SOQL query that produces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportHelp {
    pub kind: Kind,
    pub title: &'static str,
    pub why: &'static str,
    pub file: &'static str,
    /// The SOQL query; `None` for the Account Engagement users list (exported from AE).
    pub soql: Option<&'static str>,
}

/// Every export syncplan reads.
pub const EXPORTS: &[ExportHelp] = &[
    ExportHelp { kind: Kind::User, title: "Users", why: "every Salesforce user, with profile, role and whether they are active", file: "users.csv",
        soql: Some("SELECT Id, Username, Email, FirstName, LastName, Name, Title, Phone, IsActive, UserType, ProfileId, Profile.Name, UserRoleId, UserRole.Name, Profile.UserLicense.Name, FederationIdentifier FROM User") },
    ExportHelp { kind: Kind::AeUsers, title: "Account Engagement users", why: "the AE users that exist today, to match and compare (one list per business unit)", file: "ae-users.csv", soql: None },
    ExportHelp { kind: Kind::Profile, title: "Profiles", why: "profile names and licenses for the profile-to-role table and integration users", file: "profiles.csv",
        soql: Some("SELECT Id, Name, UserLicenseId, UserLicense.Name, UserType, PermissionsApiUserOnly, PermissionsApiEnabled FROM Profile") },
    ExportHelp { kind: Kind::Group, title: "Public groups", why: "the groups you can put in Marketing Users and Sales Users", file: "groups.csv",
        soql: Some("SELECT Id, Name, DeveloperName, Type, RelatedId, DoesIncludeBosses FROM Group") },
    ExportHelp { kind: Kind::GroupMember, title: "Group members", why: "who is in each public group, nested groups included", file: "group-members.csv",
        soql: Some("SELECT Id, GroupId, UserOrGroupId FROM GroupMember") },
    ExportHelp { kind: Kind::UserRole, title: "Roles", why: "the role hierarchy, for \"role and subordinates\"", file: "roles.csv",
        soql: Some("SELECT Id, Name, DeveloperName, ParentRoleId, PortalType FROM UserRole") },
    ExportHelp { kind: Kind::UserLicense, title: "User licenses", why: "license names, to recognise integration users", file: "licenses.csv",
        soql: Some("SELECT Id, Name, MasterLabel, LicenseDefinitionKey FROM UserLicense") },
    ExportHelp { kind: Kind::PermissionSetAssignment, title: "Permission set assignments", why: "permission sets such as B2BMA Integration", file: "permission-set-assignments.csv",
        soql: Some("SELECT AssigneeId, PermissionSetId, PermissionSet.Name, PermissionSet.Label FROM PermissionSetAssignment") },
    ExportHelp { kind: Kind::UserLogin, title: "User logins", why: "frozen users", file: "user-logins.csv",
        soql: Some("SELECT UserId, IsFrozen, IsPasswordLocked FROM UserLogin") },
    ExportHelp { kind: Kind::PardotTenant, title: "Business units (PardotTenant)", why: "business unit names and who created each one", file: "pardot-tenants.csv",
        soql: Some("SELECT Id, PardotTenantName, InitialPardotAdminId, CreationStatus FROM PardotTenant") },
];

/// The `sf` command line for an export.
pub fn sf_command(h: &ExportHelp) -> Option<String> {
    h.soql.map(|q| {
        format!(
            "sf data query --query \"{q}\" --result-format csv --target-org my-org > {}",
            h.file
        )
    })
}

/// How much the set-up needs each kind.
pub fn need(kind: Kind, scenario: Option<&Scenario>) -> Need {
    let uses = |f: fn(&Assignment) -> bool| {
        scenario.is_some_and(|s| {
            s.mode == Mode::Latest
                && s.business_units
                    .iter()
                    .flat_map(|b| b.marketing_users.iter().chain(&b.sales_users))
                    .any(f)
        })
    };
    match kind {
        Kind::User => Need::Required,
        Kind::AeUsers | Kind::Profile => Need::Needed,
        Kind::Group | Kind::GroupMember if uses(|a| matches!(a, Assignment::PublicGroup(_))) => {
            Need::Needed
        }
        Kind::UserRole
            if uses(|a| {
                matches!(
                    a,
                    Assignment::RoleAndSubordinates(_) | Assignment::RoleAndInternalSubordinates(_)
                )
            }) =>
        {
            Need::Needed
        }
        _ => Need::Optional,
    }
}

/// The exports not given (no usable file of that kind), most needed first.
pub fn missing(
    files: &[FileReport],
    scenario: Option<&Scenario>,
) -> Vec<(Need, &'static ExportHelp)> {
    let mut out: Vec<(Need, &'static ExportHelp)> = EXPORTS
        .iter()
        .filter(|h| !files.iter().any(|f| f.kind == h.kind && f.is_usable()))
        .map(|h| (need(h.kind, scenario), h))
        .collect();
    sort::sort_by_key(&mut out, |(n, _)| *n);
    out
}

/// A kind as an admin calls it.
pub fn kind_title(kind: Kind) -> &'static str {
    EXPORTS
        .iter()
        .find(|h| h.kind == kind)
        .map(|h| h.title)
        .unwrap_or("Not recognised")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::engine::scenario::BusinessUnit;

    #[test]
    fn with_nothing_loaded_the_user_export_comes_first() {
        let m = missing(&[], None);
        assert_eq!(m.len(), EXPORTS.len());
        assert_eq!(m.first().unwrap().1.kind, Kind::User);
        assert_eq!(m.first().unwrap().0, Need::Required);
        assert!(sf_command(m.first().unwrap().1)
            .unwrap()
            .starts_with("sf data query --query \"SELECT Id, Username"));
    }

    #[test]
    fn public_groups_are_needed_when_the_set_up_uses_one() {
        let s = Scenario {
            business_units: vec![BusinessUnit {
                name: "A".into(),
                marketing_users: vec![Assignment::PublicGroup("G".into())],
                ..BusinessUnit::default()
            }],
            ..Scenario::default()
        };
        assert_eq!(need(Kind::Group, Some(&s)), Need::Needed);
        assert_eq!(need(Kind::Group, None), Need::Optional);
        assert_eq!(need(Kind::UserRole, Some(&s)), Need::Optional);
        assert_eq!(kind_title(Kind::AeUsers), "Account Engagement users");
    }
}
