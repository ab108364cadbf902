//! Every code the engine emits, in one flat table: the rules that decide an outcome (L-, G-,
//! R-, M-), the audit findings (W-), and what reading the exports and the scenario found (E-,
//! I-, W-).
//!
//! A code is a [`Code`], never a string: grep a variant (`LSkipUsername`) to find its row
//! here, the one function that decides it, and its tests. Each row carries the section of
//! `docs/rules.md` that states the rule, how sure we are of it ([`Confidence`]), a title and
//! a paragraph saying what it means and what to do. `docs/rules.md`'s table of codes is made
//! from this table ([`markdown_table`]) and a test fails when the two differ.
//!
//! A code reads and writes as its text (`"L-SKIP-USERNAME"`), so the plan JSON is the same
//! as when codes were strings, and sorts by its text too.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;

/// How sure we are that Salesforce behaves as the rule says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Confidence {
    /// Documented by Salesforce.
    High,
    /// A secondary source or a strong inference.
    Medium,
    /// Our assumption: outcomes resting on it are marked as assumptions.
    Assumed,
}

impl Confidence {
    /// `H`, `M` or `A`, as the rules reference writes it.
    pub const fn letter(self) -> &'static str {
        match self {
            Confidence::High => "H",
            Confidence::Medium => "M",
            Confidence::Assumed => "A",
        }
    }
}

/// Which family a code belongs to (the order `docs/rules.md` lists them in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// M-: who an assignment reaches.
    Membership,
    /// L-: what happens to a record, latest (group-based) User Sync.
    Latest,
    /// R-: which Account Engagement role a synced user gets.
    Role,
    /// G-: what happens to a record, legacy (profile-based) User Sync.
    Legacy,
    /// W-: audit findings about the plan.
    Finding,
    /// A-: assumptions an outcome rests on that no other rule names.
    Assumption,
    /// W-, E-: what the scenario (syncplan.json) says that cannot be used as it is.
    Scenario,
    /// E-, I-, W-: what reading the exports found.
    Input,
}

impl Family {
    /// The heading `docs/rules.md` gives the family's codes.
    pub const fn heading(self) -> &'static str {
        match self {
            Family::Membership => "Who an assignment reaches",
            Family::Latest => "What happens to each record (latest User Sync)",
            Family::Role => "Roles",
            Family::Legacy => "What happens to each record (legacy User Sync)",
            Family::Assumption => "Assumptions",
            Family::Finding => "Audit findings",
            Family::Scenario => "The set-up (syncplan.json)",
            Family::Input => "Reading the exports",
        }
    }
}

/// The static facts of one code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info {
    pub code: Code,
    /// The code's text: `L-SKIP-USERNAME`.
    pub text: &'static str,
    pub family: Family,
    /// The section of `docs/rules.md` that states it: `§3`, `§10.4`.
    pub section: &'static str,
    /// `None` for what syncplan checks itself rather than a behaviour of User Sync.
    pub confidence: Option<Confidence>,
    pub title: &'static str,
    /// What it means and what to do, in one paragraph.
    pub explanation: &'static str,
}

macro_rules! codes {
    ($(
        $variant:ident = $text:literal, $family:ident, $section:literal, $conf:tt,
            $title:literal, $explanation:literal;
    )*) => {
        /// A code the engine emits. See the module's docs.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $($variant,)* }

        /// Every code, in the table's order.
        pub const ALL: &[Info] = &[$(Info {
            code: Code::$variant,
            text: $text,
            family: Family::$family,
            section: $section,
            confidence: codes!(@conf $conf),
            title: $title,
            explanation: $explanation,
        },)*];

        impl Code {
            /// The code's text: `L-SKIP-USERNAME`.
            pub const fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text,)* }
            }

            /// The code whose text this is.
            pub fn parse(text: &str) -> Option<Code> {
                match text { $($text => Some(Code::$variant),)* _ => None }
            }

            /// The code of this place in the table (the binary form of a code).
            fn from_index(i: u16) -> Option<Code> {
                const CODES: &[Code] = &[$(Code::$variant,)*];
                CODES.get(usize::from(i)).copied()
            }
        }
    };
    (@conf H) => { Some(Confidence::High) };
    (@conf M) => { Some(Confidence::Medium) };
    (@conf A) => { Some(Confidence::Assumed) };
    (@conf -) => { None };
}

codes! {
    // ---- Membership (§2) -------------------------------------------------------------------
    MUser = "M-USER", Membership, "§2", H,
        "An assigned user",
        "The assignment names the user: that user is in the group.";
    MGroup = "M-GROUP", Membership, "§2", H,
        "A member of an assigned public group",
        "The user is a member of the public group, directly or through groups nested in it (nesting is a medium-confidence reading). Check the group's members in Setup → Public Groups.";
    MRole = "M-ROLE", Membership, "§2", H,
        "In an assigned role",
        "The user's role is the assigned role (or the role of a nested Role group). Role groups have no GroupMember rows: the User export's UserRoleId decides.";
    MRoleSub = "M-ROLE-SUB", Membership, "§2", H,
        "In an assigned role or below it",
        "The user's role is the assigned role or a role under it in the role hierarchy, portal roles included. Needs the UserRole export to know the hierarchy.";
    MRoleSubInt = "M-ROLE-SUB-INT", Membership, "§2", M,
        "In an assigned role or an internal role below it",
        "As M-ROLE-SUB, but the walk down the hierarchy stops at portal roles (PortalType other than None). Needs the UserRole export's PortalType column.";
    MOrg = "M-ORG", Membership, "§2", A,
        "Everyone in the org, through a nested Organization group",
        "A nested group of type Organization is read as every internal (Standard) user, inactive ones included (who then follow the inactive rules). This is our reading: check that so many users should be assigned.";

    MBosses = "M-BOSSES", Membership, "§2", A,
        "Above a member of a group that grants access using hierarchies",
        "The group grants access using hierarchies, and the set-up reads that as adding the users in roles above its members (`include_bosses`), as Salesforce's GroupMember documentation calls them indirect members. Our default reading is that the checkbox is a sharing setting and adds nobody.";

    // ---- Latest User Sync (§3) ---------------------------------------------------------------
    LInactive = "L-INACTIVE", Latest, "§3", H,
        "Inactive user with a synced AE user: recycled",
        "The Salesforce user is inactive and its linked Account Engagement user is not in the recycle bin: User Sync moves the AE user to the recycle bin, whether or not the user is assigned. Reactivate the user first if they should keep access.";
    LInactiveNone = "L-INACTIVE-NONE", Latest, "§3", H,
        "Inactive user with nothing to recycle",
        "The Salesforce user is inactive and has no linked AE user, or it is already in the recycle bin: inactive users are never synced, so nothing happens.";
    LNotAssigned = "L-NOT-ASSIGNED", Latest, "§3", H,
        "Synced user no longer assigned: recycled",
        "The user is active, in neither Marketing Users nor Sales Users, and has a linked AE user outside the recycle bin: User Sync recycles it (unassigning is the only way to delete a synced user). Assign the user if they should keep access.";
    LNotAssignedBin = "L-NOT-ASSIGNED-BIN", Latest, "§3", H,
        "Not assigned, AE user already in the recycle bin",
        "The user is active and in neither group; the linked AE user is already in the recycle bin, so nothing changes.";
    LOutOfScope = "L-OUT-OF-SCOPE", Latest, "§3", H,
        "Not assigned and not synced",
        "The user is active, in neither group, and has no AE user: User Sync leaves them alone. These users are counted and listed on request.";
    LIneligible = "L-INELIGIBLE", Latest, "§3, §10.5", A,
        "Assigned but not an internal user: skipped",
        "The user is assigned but their user type is not Standard (portal, community, guest, Chatter Free, Automated Process), so User Sync is assumed to skip them. If a linked AE user is still active it stays as it is, with a warning naming it.";
    LRestore = "L-RESTORE", Latest, "§3, §10.5", H,
        "Assigned user whose AE user is in the recycle bin: restored",
        "The user is assigned and active, and their linked AE user is in the recycle bin: User Sync restores it and updates its fields and role. Identity beats email: the restore happens even when another AE user holds the email (W-RESTORE-EMAIL).";
    LUpdate = "L-UPDATE", Latest, "§3, §10.7", H,
        "Assigned, synced user whose fields or role differ: updated",
        "The user is assigned and active, the linked AE user is not in the recycle bin, and a synced field (first name, last name, email, job title, phone) or the role differs: User Sync writes the Salesforce values. Only email is documented as synced; the other fields are our assumption.";
    LInSync = "L-IN-SYNC", Latest, "§3", H,
        "Assigned, synced user already in sync",
        "The user is assigned and active, and the linked AE user already has the same fields and role: nothing changes.";
    LSkipEmail = "L-SKIP-EMAIL", Latest, "§3", H,
        "Would be created, but an AE user has the email: skipped",
        "The user is assigned and active with no linked AE user, and some AE user (linked to someone else, or unlinked, in any state) has their email: User Sync creates nothing and that AE user is not synced. Link the AE user to this Salesforce user (its CRM username) before the transfer.";
    LSkipUsername = "L-SKIP-USERNAME", Latest, "§3", H,
        "Would be created, but the username is reserved: skipped",
        "The user is assigned and active with no linked AE user, and an AE user not linked to them has the user's Salesforce username as its email: that username is reserved for the AE user, so User Sync skips the user. Link the AE user or change one of the two.";
    LSkipDup = "L-SKIP-DUP", Latest, "§3, §10.4", A,
        "Two users would be created with one email: all but one skipped",
        "Several assigned users would be created with the same email, or onto an email an update or restore writes: the one with the smallest Salesforce Id is created and the others are skipped. Give each user their own email.";
    LCreate = "L-CREATE", Latest, "§3", H,
        "Assigned user with no AE user: created",
        "The user is assigned and active, has no linked AE user, and nothing blocks their email or username: User Sync creates an AE user with the role the role rules give.";
    LUnlinked = "L-UNLINKED", Latest, "§3, §10.1", H,
        "AE user not linked to any Salesforce user",
        "The AE user has neither a Salesforce id nor a CRM username: User Sync ignores it and it cannot log in through Salesforce. Link it (set its CRM username) before the transfer, or delete it.";
    LDangling = "L-DANGLING", Latest, "§3, §10.1", A,
        "AE user linked to a user missing from the User export",
        "The AE user's Salesforce id or CRM username points at no user of the User export. The export may be filtered (active users only, say): export every user. Nothing is planned for it.";
    LLinkConflict = "L-LINK-CONFLICT", Latest, "§10.2", M,
        "A second AE user linked to the same Salesforce user",
        "Two AE users are linked to one Salesforce user. The one not in the recycle bin (then the smallest AE id) is the link; this one is left as it is. Unlink or delete the extra AE user.";

    // ---- Roles (§4) --------------------------------------------------------------------------
    RCreator = "R-CREATOR", Role, "§4, §10.9", H,
        "The business unit's creator: Administrator",
        "The admin who created the business unit keeps Administrator when in Marketing Users, even when also in Sales Users. The creator comes from the set-up, else from the PardotTenant export.";
    RSales = "R-SALES", Role, "§4", H,
        "In Sales Users: Sales",
        "Users reached through Sales Users get the Sales role; Salesforce does not let this mapping be edited.";
    RProfile = "R-PROFILE", Role, "§4", H,
        "In Marketing Users: the role the profile table gives",
        "Users reached through Marketing Users get the role that the business unit's profile-to-role table gives their profile.";
    RDefault = "R-DEFAULT", Role, "§4", H,
        "In Marketing Users, profile not in the table: Marketing",
        "A profile missing from the profile-to-role table maps to Marketing, System Administrator included. Add the profile to the table to give another role.";
    RBoth = "R-BOTH", Role, "§4, §10.10", A,
        "In both groups: the set-up's choice decides",
        "A user in both Marketing Users and Sales Users gets Sales by default (Salesforce says Sales users always get Sales); the set-up can make Marketing win instead. Always raises W-BOTH: put each user in one group.";

    // ---- Legacy User Sync (§5) ---------------------------------------------------------------
    GInactive = "G-INACTIVE", Legacy, "§5", H,
        "Legacy: inactive user with a synced AE user: recycled",
        "Under legacy User Sync, an inactive user whose linked AE user is not in the recycle bin has it recycled.";
    GSelected = "G-SELECTED", Legacy, "§5, §10.18", H,
        "Legacy: profile ticked, linked AE user",
        "The user's profile is ticked in the connector's profile table and they have a linked AE user: restored if in the recycle bin, else updated or left as is. The role follows the table only when the connector updates roles on a profile change.";
    GUnselected = "G-UNSELECTED", Legacy, "§5", H,
        "Legacy: profile not ticked, linked AE user",
        "The user's profile is not ticked and their AE user is not in the recycle bin: recycled when the connector recycles users whose profile is unselected, else left as is.";
    GSkipEmail = "G-SKIP-EMAIL", Legacy, "§5, §10.18", H,
        "Legacy: an AE user has the email: skipped or claimed",
        "The profile is ticked, the user is not linked, and an AE user has their email: skipped when the connector skips on an email match; otherwise the unlinked AE user is claimed and updated (our assumption). Several claimants: the smallest Id claims.";
    GCreate = "G-CREATE", Legacy, "§5", H,
        "Legacy: profile ticked, no AE user: created",
        "The profile is ticked, the user is active and not linked, and nothing blocks the email: an AE user is created with the ticked role.";

    // ---- Assumptions (§10) -------------------------------------------------------------------
    ALegacyRole = "A-LEGACY-ROLE", Assumption, "§10.20", A,
        "Legacy: the role changes only with the profile",
        "The connector updates a synced user's role when their Salesforce profile changes, an event a snapshot of exports cannot see. So a linked user whose AE role differs from the role the profile table gives keeps it, and the plan says it rests on this. To plan as if every profile had just changed, turn on `assume_profile_changed` (Set up: \"Plan as if every profile had just changed\").";

    AUnresolvedGroup = "A-UNRESOLVED-GROUP", Assumption, "§2", A,
        "Depends on a group the exports cannot resolve",
        "A group nested in Marketing Users or Sales Users has a type the exports cannot resolve (a Territory, Queue or Manager group): Salesforce knows its members, syncplan does not. The user is synced today and is not reached otherwise, so the outcome shown is the one without that group; if the user is one of its members, they are in that group of users after all. Check the group's members in Setup, or assign the users another way.";

    // ---- Audit findings (§6) -----------------------------------------------------------------
    WCreatorLost = "W-CREATOR-LOST", Finding, "§6, §10.9", -,
        "The business unit's creator loses Administrator",
        "The creator is missing from the User export, inactive, or not in Marketing Users, so they do not keep Administrator. Add the creator to Marketing Users.";
    WNoAdmin = "W-NO-ADMIN", Finding, "§6", -,
        "No Administrator left",
        "After the plan, no active AE user of the business unit has the Administrator role. Put the creator in Marketing Users, or map a profile to Administrator.";
    WBoth = "W-BOTH", Finding, "§6", -,
        "A user in both Marketing Users and Sales Users",
        "The user is reached by both groups, and the set-up's choice (Sales wins by default) decides the role. Put each user in one group.";
    WDowngrade = "W-DOWNGRADE", Finding, "§6", -,
        "A role downgrade",
        "A synced user's role changes away from Administrator, or from Sales Manager to Sales. Check that this is wanted before the transfer.";
    WSkip = "W-SKIP", Finding, "§6", -,
        "A user is skipped",
        "Every skip, with the AE user that blocks it and the fix (usually: link the AE user's CRM username to the Salesforce user first).";
    WUnlinked = "W-UNLINKED", Finding, "§6", -,
        "An AE user linked to nobody",
        "An AE user with no Salesforce id and no CRM username: User Sync ignores it. Link it before the transfer, or delete it.";
    WIntegration = "W-INTEGRATION", Finding, "§6", -,
        "An integration or system user is assigned",
        "An integration user (B2BMA Integration, Platform Integration User, Automated Process, the profile Minimum Access - API Only Integrations or its former name Salesforce API Only System Integrations, an API-only profile or license, Analytics Cloud) is assigned. Review: only an integration that calls the Account Engagement API needs an AE user.";
    WB2bma = "W-B2BMA", Finding, "§1, §6", -,
        "The connector's user is missing or inactive",
        "The B2BMA Integration user, as whom the connector runs, is not in the User export or is inactive. Export every user to check it; an inactive one stops User Sync.";
    WFrozen = "W-FROZEN", Finding, "§6", -,
        "An assigned user is frozen",
        "The user is synced but frozen in Salesforce (UserLogin), so they cannot log in to Account Engagement.";
    WIdentity = "W-IDENTITY", Finding, "§6", -,
        "Several users share an Identity-license profile",
        "Users of one Identity-license profile all get one role. Clone the profile to give them different roles.";
    WRecycleProspects = "W-RECYCLE-PROSPECTS", Finding, "§6", -,
        "A recycled user's prospects",
        "Prospects assigned to a recycled AE user stay assigned to a deleted user. Reassign them before or after the transfer.";
    WBroad = "W-BROAD", Finding, "§6", -,
        "One assignment reaches a quarter of the org",
        "One assignment reaches more than 25% of the active internal users (role and subordinates on the CEO, say). Check that so many users should get an AE user.";
    WCycle = "W-CYCLE", Finding, "§6, §10.12", -,
        "A cycle in group nesting or the role hierarchy",
        "Groups contain each other, or roles are each other's parents. Every member reachable through the cycle is still reached; fix the nesting in Salesforce.";
    WOrphan = "W-ORPHAN", Finding, "§6", -,
        "A reference to a record missing from the exports",
        "A group member, role or profile names an id that is not in its export. The export may be filtered: export every record.";
    WUnsupportedGroup = "W-UNSUPPORTED-GROUP", Finding, "§6, §10.14", -,
        "A nested group syncplan cannot resolve, or rows it ignores",
        "A nested group of a type the exports cannot resolve (Queue, Territory, Manager…) is in an assigned group, or GroupMember rows sit under a role-type group (whose members come from the role hierarchy and are ignored).";
    WTiming = "W-TIMING", Finding, "§6", -,
        "How long the sync takes",
        "How many changes the plan makes, and how long User Sync typically takes: within 10 minutes, up to an hour for tens of thousands of users.";
    WIrreversible = "W-IRREVERSIBLE", Finding, "§1, §6", -,
        "User Sync cannot be turned off",
        "Once enabled, User Sync cannot be disabled. Read the plan before you transfer.";
    WRestoreEmail = "W-RESTORE-EMAIL", Finding, "§10.5", -,
        "A restore onto an email another AE user holds",
        "The restored AE user gets an email that another AE user already has. The restore still happens (identity beats email): tidy the other AE user.";
    WLinkConflict = "W-LINK-CONFLICT", Finding, "§10.2", -,
        "Links that disagree",
        "An AE user's CRM username points at another user than its Salesforce id, or two AE users are linked to one Salesforce user. The Salesforce id decides; fix the other link.";
    WDangling = "W-DANGLING", Finding, "§3, §10.1", -,
        "An AE user linked to a user missing from the User export",
        "The AE user is linked to a Salesforce id or username that the User export lacks. The export may be filtered (active users only, say): export every user.";
    WBosses = "W-BOSSES", Finding, "§2, §6", -,
        "A group that grants access using hierarchies",
        "An assigned public group has \"Grant access using hierarchies\" ticked. syncplan reads the checkbox as a sharing setting that adds nobody; the message says how many users the other reading (users in roles above its members) would add. To plan with them, turn on `include_bosses` (Set up: \"Groups that grant access using hierarchies reach the members' bosses\").";
    WCrossBuEmail = "W-CROSS-BU-EMAIL", Finding, "§6", -,
        "An email another business unit's AE user has",
        "A create, or an update that changes the email, writes an email that an AE user of another business unit of the set-up already has (not linked to the same Salesforce user). Account Engagement requires the emails of users created by hand to be unique across business units, and may refuse it: give one of them another email.";
    WTwoOrgs = "W-TWO-ORGS", Finding, "§6, §7", -,
        "User exports from two orgs",
        "Two User exports were given whose users share no org prefix (the first five characters of their ids) and no profile: they come from two different orgs, and a plan of their users mixed together means nothing. Give the exports of one org.";
    WNoPortalType = "W-NO-PORTAL-TYPE", Finding, "§10.15", -,
        "No PortalType column in the UserRole export",
        "Role and internal subordinates cannot leave out portal roles without the PortalType column, so every subordinate role is included. Export UserRole with PortalType.";
    ENoRoleExport = "E-NO-ROLE-EXPORT", Finding, "§10.16", -,
        "Role and subordinates without the UserRole export",
        "A role and subordinates assignment or nested group needs the UserRole export to know the hierarchy; without it its members are missing from the plan. Add the UserRole export.";

    // ---- The set-up (§8, §10.17) -------------------------------------------------------------
    WNoScenario = "W-NO-SCENARIO", Scenario, "§8", -,
        "No set-up given",
        "Without a set-up the plan is latest mode, one business unit, nobody assigned: every synced user would be recycled. State the assignments on the Set up screen or in syncplan.json.";
    WNewBu = "W-NEW-BU", Scenario, "§8", -,
        "A business unit with no AE users export",
        "No AE users export is named for the business unit, so it is planned as a new business unit with no AE users yet. Name its export if it has users.";
    WScenarioKey = "W-SCENARIO-KEY", Scenario, "§10.17", -,
        "An unknown key in syncplan.json",
        "The set-up file has a key syncplan does not know; it is ignored. Check its spelling.";
    WScenarioVersion = "W-SCENARIO-VERSION", Scenario, "§8", -,
        "An unknown set-up format version",
        "The set-up's format_version is not 1; it is read as version 1.";
    WScenarioLegacy = "W-SCENARIO-LEGACY", Scenario, "§10.18", -,
        "Settings legacy mode ignores",
        "In legacy mode the profile table decides: group assignments and the creator are ignored; legacy settings are ignored in latest mode.";
    WCreatorConflict = "W-CREATOR-CONFLICT", Scenario, "§10.9", -,
        "Two creators named",
        "The set-up's creator differs from the PardotTenant export's InitialPardotAdminId; the set-up wins.";
    WProfileUnknown = "W-PROFILE-UNKNOWN", Scenario, "§10.11", -,
        "A profile-to-role row names no profile",
        "A key of the profile-to-role table matches no profile Name or Id, so the row is ignored. Check its spelling against the Profile export.";
    WRoleUnknown = "W-ROLE-UNKNOWN", Scenario, "§10.11", -,
        "A role the business unit does not have",
        "A role in the profile-to-role table (or a legacy profile's role) is neither a built-in role (Administrator, Marketing Manager, Marketing, Sales Manager, Sales) nor a role any user of the business unit's AE users export has. A custom role must exist in Account Engagement before User Sync can give it: check its spelling.";
    WAeExportUnused = "W-AE-EXPORT-UNUSED", Scenario, "§10.17", -,
        "An AE users export no business unit names",
        "An Account Engagement users export was given but no business unit names it, so it is not used (syncplan never guesses). Name it in the business unit's AE users export.";

    // ---- Reading the exports (§7, §11) -------------------------------------------------------
    EArchive = "E-ARCHIVE", Input, "§11", -,
        "A zip archive that cannot be read",
        "The Data Export zip, or one of its entries, cannot be read (damaged, cut short, or compressed in a way syncplan does not read). Download the export again.";
    IArchiveUnused = "I-ARCHIVE-UNUSED", Input, "§11", -,
        "Entries of a Data Export that syncplan does not read",
        "A Data Export holds one CSV per object of the org; syncplan reads the users, profiles, roles, groups, group members, licenses, permission set assignments, logins and business units, and names the others in one line without unzipping them.";
    EBinary = "E-BINARY", Input, "§7", -,
        "Not a text file",
        "The file is a spreadsheet, archive, image or other binary file, not a CSV export. Save or export it as CSV.";
    ETooLarge = "E-TOO-LARGE", Input, "§7", -,
        "A file larger than syncplan reads",
        "The file is larger than the limit per file, so it was not read. Export it in several parts, each with the header row.";
    EEmpty = "E-EMPTY", Input, "§7", -,
        "An empty file",
        "The file has no header row, so nothing can be read from it.";
    ENotRecognised = "E-NOT-RECOGNISED", Input, "§7", -,
        "Not an export syncplan reads",
        "The columns match none of the exports syncplan reads, or the ids are another object's (a Contact, Lead, Account or PermissionSet export). Check the file is one of the exports listed on the Load exports screen.";
    EMissingColumn = "E-MISSING-COLUMN", Input, "§7", -,
        "A required column is missing",
        "The file is recognised as an export but lacks a column syncplan needs. Export it again with the column.";
    ECsv = "E-CSV", Input, "§7", -,
        "The file cannot be read as CSV past a point",
        "The CSV is broken at this line; the rows after it were not read. Export the file again.";
    EQuote = "E-QUOTE", Input, "§7", -,
        "A quote never closed",
        "A quote opened in this row is never closed, so the rest of the file was read as one value. Fix the quote, or export the file again.";
    ERagged = "E-RAGGED", Input, "§7", -,
        "A row with the wrong number of fields",
        "The row has more or fewer fields than the header; it is rejected.";
    EBlank = "E-BLANK", Input, "§7", -,
        "A required value is blank",
        "A column that must have a value is blank in this row; the row is rejected.";
    EBool = "E-BOOL", Input, "§7", -,
        "Not a true/false value",
        "A true/false column holds something other than true/false, 1/0 or yes/no; the row is rejected.";
    EId = "E-ID", Input, "§7", -,
        "Not a valid Salesforce id",
        "The value is not a valid id of the expected object (wrong length, characters, key prefix or checksum), or it is the null id `000000000000000AAA` where an id is required; the row is rejected.";
    EDuplicate = "E-DUPLICATE", Input, "§7", -,
        "A duplicate id or username",
        "Two rows have the same id (or username): the first read wins and this one is rejected.";
    ENoEmail = "E-NO-EMAIL", Input, "§10.3", -,
        "A user without an email",
        "User Sync needs an email for every user; the user is rejected. Give the user an email in Salesforce.";
    EProfileName = "E-PROFILE-NAME", Input, "§10.16", -,
        "A profile name that names no profile, or several",
        "The User export names profiles instead of ids, and this name matches no profile of the Profile export, or more than one.";
    ERoleName = "E-ROLE-NAME", Input, "§10.16", -,
        "A role name that names no role, or several",
        "The User export names roles instead of ids, and this name matches no role of the UserRole export, or more than one.";
    WEncoding = "W-ENCODING", Input, "§7", -,
        "An encoding problem",
        "The encoding asked for is unknown, or some bytes are not valid in the file's encoding and were replaced. Check names with accents, or choose the encoding by hand.";
    WIdRepaired = "W-ID-REPAIRED", Input, "§7", -,
        "An id whose letters were case-folded, repaired",
        "An 18-character id was upper- or lower-cased (by a spreadsheet, say); its checksum tells the original, which is used.";
    WLongValue = "W-LONG-VALUE", Input, "§7", -,
        "A value longer than any Salesforce field",
        "A value is longer than the longest Salesforce field (131,072 characters), so it did not come from Salesforce as it is: the export may be damaged. The row is read; check it.";
    WDuplicateColumn = "W-DUPLICATE-COLUMN", Input, "§7", -,
        "A column that appears twice",
        "The header names the same column twice: the first is read and the other ignored.";
    IHeaderOnly = "I-HEADER-ONLY", Input, "§7", -,
        "A header and no rows",
        "The export is valid and empty. For an AE users export that means a business unit with no AE users yet.";
    IFooter = "I-FOOTER", Input, "§7", -,
        "A report footer",
        "The lines after a blank line are a Salesforce report's footer, not data; they are not read.";
    ISkipped = "I-SKIPPED", Input, "§7", -,
        "A file that is not an export",
        "The file is documentation (Markdown), not an export; it was not read.";
    IAeRoleId = "I-AE-ROLE-ID", Input, "§10.7", -,
        "AE roles given as ids",
        "The AE users export's role column holds role ids and there is no roleName column, so roles cannot be compared: only fields are. Export with roleName.";
}

impl Code {
    /// The code's row of [`ALL`].
    pub fn info(self) -> &'static Info {
        // `ALL` lists the variants in declaration order, so a variant's number is its index.
        match ALL.get(self as usize) {
            Some(info) => info,
            None => &FALLBACK,
        }
    }
    pub fn family(self) -> Family {
        self.info().family
    }
    pub fn section(self) -> &'static str {
        self.info().section
    }
    pub fn confidence(self) -> Option<Confidence> {
        self.info().confidence
    }
    pub fn title(self) -> &'static str {
        self.info().title
    }
    pub fn explanation(self) -> &'static str {
        self.info().explanation
    }
    /// The anchor of the code's entry in `docs/rules.md`: `l-skip-username`.
    pub fn anchor(self) -> String {
        self.as_str().to_ascii_lowercase()
    }
}

/// The codes' texts with `sep` between them: `W-BOTH, W-SKIP`.
pub fn joined(codes: &[Code], sep: &str) -> String {
    let mut out = String::new();
    for (i, c) in codes.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(c.as_str());
    }
    out
}

/// Never reached (every variant has its row); keeps [`Code::info`] total without a panic.
const FALLBACK: Info = Info {
    code: Code::WIrreversible,
    text: "",
    family: Family::Finding,
    section: "",
    confidence: None,
    title: "",
    explanation: "",
};

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// By text, as the codes sorted when they were strings (findings and diagnostics sort by code).
impl Ord for Code {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::str::FromStr for Code {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Code::parse(s).ok_or_else(|| UnknownCode(s.to_string()))
    }
}

/// A text that is no code's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a code syncplan knows")]
pub struct UnknownCode(pub String);

/// As its text in JSON; in a binary format (the page and its worker's postcard), as its place in
/// the table: smaller messages, and the page needs no reading of codes' texts.
impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(self.as_str())
        } else {
            s.serialize_u16(*self as u16)
        }
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if !d.is_human_readable() {
            let i = u16::deserialize(d)?;
            return Code::from_index(i)
                .ok_or_else(|| serde::de::Error::custom(UnknownCode(i.to_string())));
        }
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Code::parse(&text).ok_or_else(|| serde::de::Error::custom(UnknownCode(text.into_owned())))
    }
}

/// `docs/rules.md`'s table of codes, family by family: each code with its section, confidence,
/// title and explanation, under a heading of its own so that the app can link to it.
pub fn markdown_table() -> String {
    let mut out = String::new();
    let mut family = None;
    for info in ALL {
        if family != Some(info.family) {
            family = Some(info.family);
            out.push_str(&format!("\n### {}\n", info.family.heading()));
        }
        let confidence = info.confidence.map_or("—", Confidence::letter);
        out.push_str(&format!(
            "\n#### {}\n\n**{}** ({}; confidence {}). {}\n",
            info.text, info.title, info.section, confidence, info.explanation
        ));
    }
    out
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_is_its_own_row_and_reads_back_from_its_text() {
        for (i, info) in ALL.iter().enumerate() {
            assert_eq!(info.code as usize, i, "{} is out of order", info.text);
            assert_eq!(info.code.as_str(), info.text);
            assert_eq!(Code::parse(info.text), Some(info.code));
            assert!(!info.title.is_empty() && !info.explanation.is_empty());
            let prefix = info.text.split('-').next().unwrap_or("");
            assert!(
                ["L", "G", "R", "M", "W", "E", "I", "A"].contains(&prefix),
                "{}",
                info.text
            );
        }
        let mut texts: Vec<_> = ALL.iter().map(|i| i.text).collect();
        texts.sort_unstable();
        texts.dedup();
        assert_eq!(texts.len(), ALL.len(), "two codes share a text");
    }

    /// `docs/rules.md` carries the registry's table between its two `codes:` markers, and the
    /// set-up's switches between its two `switches:` markers.
    #[test]
    fn rules_doc_lists_every_code_as_the_registry_says() {
        generated_section("codes", "codes.rs", &markdown_table());
        generated_section(
            "switches",
            "scenario.rs",
            &crate::scenario::Switch::markdown_table(),
        );
    }

    fn generated_section(name: &str, source: &str, want: &str) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
        let doc = std::fs::read_to_string(&path).unwrap_or_default();
        let start = format!("<!-- {name}: generated from crates/engine/src/{source} -->\n");
        let end = format!("<!-- {name}: end -->");
        let (Some(a), Some(b)) = (doc.find(&start), doc.find(&end)) else {
            panic!("{} lacks the {name} markers", path.display());
        };
        let body = doc.get(a + start.len()..b).unwrap_or_default();
        if body != want {
            if std::env::var_os("SYNCPLAN_BLESS").is_some() {
                let new = format!(
                    "{}{want}{}",
                    doc.get(..a + start.len()).unwrap_or_default(),
                    doc.get(b..).unwrap_or_default()
                );
                std::fs::write(&path, new).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            } else {
                panic!(
                    "docs/rules.md's {name} differ from crates/engine/src/{source}; \
                     SYNCPLAN_BLESS=1 cargo test -p syncplan-engine rules_doc writes them again"
                );
            }
        }
    }

    #[test]
    fn a_code_serialises_and_sorts_as_its_text() {
        assert_eq!(
            serde_json::to_string(&Code::LSkipUsername).ok().as_deref(),
            Some("\"L-SKIP-USERNAME\"")
        );
        assert_eq!(
            serde_json::from_str::<Code>("\"W-SKIP\"").ok(),
            Some(Code::WSkip)
        );
        assert!(serde_json::from_str::<Code>("\"W-NOPE\"").is_err());
        // By text: "W-BOTH" < "W-B2BMA" is false, as strings compare.
        assert!(Code::WB2bma < Code::WBoth);
        assert!(Code::EBinary < Code::LCreate);
    }
}
