//! Typed row readers: one per kind, each filling the [`Org`].
//!
//! Every data row ends up either used or rejected. A row is rejected when any of its values
//! cannot be read (an error diagnostic per problem, all naming file, line and column); warnings
//! (a repaired id) do not reject a row.
//!
//! - Booleans: `true`/`false` in any case, `1`/`0`, `yes`/`no` (`E-BOOL` otherwise). A blank
//!   required boolean (`IsActive`, `IsFrozen`) is an error; a blank optional one is unknown, and
//!   a blank `isDeleted` is false.
//! - Ids go through [`crate::id`]: 15 or 18 characters, normalised to 18, key prefix
//!   checked (`E-ID`); a case-folded 18-character id is repaired (`W-ID-REPAIRED`).
//! - Required values that are blank: `E-BLANK`. A User row with a blank `Email` (when the
//!   export has that column): `E-NO-EMAIL` (§10.3).
//! - Duplicates (`E-DUPLICATE`, ids, and User usernames case-insensitively): the first row wins, across files of the same kind too (files
//!   are read in name order). GroupMember rows are keyed by (group, member), UserLogin by user.
//! - Text values are trimmed; a present but blank column is `Some("")` (a blank is a value).

use crate::codes::Code;
use std::collections::hash_map::Entry;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::diag::{Diagnostic, Source};
use crate::id::{
    GroupId, IdError, LicenseId, Parsed, PermissionSetId, ProfileId, RoleId, SfId, TenantId, UserId,
};
use crate::model::{
    AeExport, AeUser, Group, GroupMember, GroupType, Org, PardotTenant, PermissionSetAssignment,
    Profile, Role, Text, User, UserLicense, UserLogin,
};
use crate::text::{folded, trim};
use rustc_hash::{FxBuildHasher, FxHashMap};

use super::dialect::{Row, Rows};
use super::kinds::{Col, Columns, Kind};

/// What reading the rows of one file gave.
#[derive(Debug, Default)]
pub struct RowOutcome {
    pub used: u64,
    pub rejected: u64,
    pub diagnostics: Vec<Diagnostic>,
    /// The file's name as every record read from it holds it in its `Source` (one allocation
    /// per file: it tells two files of one name apart).
    pub file: Option<Arc<str>>,
}

/// Parse a boolean as Salesforce tools write them.
pub fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" => Some(false),
        _ => None,
    }
}

/// One row being read: collects its problems.
struct Cell<'a> {
    file: &'a str,
    shared_file: &'a Arc<str>,
    row: Row<'a>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl<'a> Cell<'a> {
    fn new(file: &'a Arc<str>, row: Row<'a>) -> Self {
        Cell {
            file,
            shared_file: file,
            row,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn source(&self) -> Source {
        Source {
            file: Arc::clone(self.shared_file),
            line: self.row.line,
        }
    }

    fn raw(&self, col: Option<&Col>) -> Option<&'a str> {
        let col = col?;
        Some(self.row.fields.get(col.idx).map(trim).unwrap_or(""))
    }

    fn error(&mut self, col: &Col, code: Code, message: String) {
        self.errors.push(
            Diagnostic::error(code, message)
                .in_file(self.file)
                .at_line(self.row.line)
                .at_column(col.number()),
        );
    }

    /// A text column: `None` when absent, the trimmed value otherwise (a `String`, or a user's
    /// [`Text`]).
    fn text<T: for<'s> From<&'s str>>(&self, col: Option<&Col>) -> Option<T> {
        self.raw(col).map(T::from)
    }

    /// A text column whose blank means "not set".
    fn opt_text<T: for<'s> From<&'s str>>(&self, col: Option<&Col>) -> Option<T> {
        self.raw(col).filter(|v| !v.is_empty()).map(T::from)
    }

    /// A required, non-blank text value.
    fn required_text<T: for<'s> From<&'s str>>(&mut self, col: Option<&Col>) -> Option<T> {
        let col = col?;
        let v = self.raw(Some(col)).unwrap_or("");
        if v.is_empty() {
            self.error(
                col,
                Code::EBlank,
                format!("column `{}` is blank, and it must have a value", col.header),
            );
            return None;
        }
        Some(T::from(v))
    }

    fn id<T: IdStr>(
        &mut self,
        col: Option<&Col>,
        required: bool,
        what: &str,
        parse: fn(&str) -> Result<Parsed<T>, IdError>,
    ) -> Option<T> {
        let col = col?;
        let v = self.raw(Some(col)).unwrap_or("");
        if v.is_empty() {
            if required {
                self.error(
                    col,
                    Code::EBlank,
                    format!(
                        "column `{}` is blank, and it must hold a {what} id",
                        col.header
                    ),
                );
            }
            return None;
        }
        // Salesforce's Data Export writes every empty lookup as the null id (§11): no value.
        if crate::id::is_null_id(v) {
            if required {
                self.error(
                    col,
                    Code::EId,
                    format!(
                        "column `{}` holds `{v}`, the null id, which means no value: it must hold a {what} id",
                        col.header
                    ),
                );
            }
            return None;
        }
        match parse(v) {
            Ok(p) => {
                if let Some(from) = p.repaired_from {
                    self.warnings.push(
                        Diagnostic::warning(
                            Code::WIdRepaired,
                            format!(
                                "column `{}` holds `{from}`, an id whose letters were upper- or lower-cased (by a spreadsheet?); its checksum restores `{}`",
                                col.header,
                                p.id.id_str()
                            ),
                        )
                        .in_file(self.file)
                        .at_line(self.row.line)
                        .at_column(col.number()),
                    );
                }
                Some(p.id)
            }
            Err(e) => {
                self.error(
                    col,
                    Code::EId,
                    format!(
                        "column `{}` holds `{v}`, which is not a valid {what} id: it {e}",
                        col.header
                    ),
                );
                None
            }
        }
    }

    fn boolean(&mut self, col: Option<&Col>, required: bool) -> Option<bool> {
        let col = col?;
        let v = self.raw(Some(col)).unwrap_or("");
        if v.is_empty() {
            if required {
                self.error(
                    col,
                    Code::EBool,
                    format!(
                        "column `{}` is blank; it must be a boolean (true/false, 1/0, yes/no)",
                        col.header
                    ),
                );
            }
            return None;
        }
        match parse_bool(v) {
            Some(b) => Some(b),
            None => {
                self.error(
                    col,
                    Code::EBool,
                    format!(
                        "column `{}` holds `{v}`, which is not a boolean (true/false, 1/0, yes/no)",
                        col.header
                    ),
                );
                None
            }
        }
    }

    /// Finish the row: record its diagnostics; `true` when it can be used.
    fn finish(mut self, out: &mut RowOutcome) -> bool {
        // One comparison a row: only a record longer than a field may be can hold one.
        if self.row.fields.span() > LONGEST_FIELD {
            self.long_values();
        }
        let ok = self.errors.is_empty();
        out.diagnostics.extend(self.warnings);
        out.diagnostics.extend(self.errors);
        ok
    }
}

/// The longest value a Salesforce field holds (a Long Text Area's 131,072 characters): anything
/// longer did not come from Salesforce as it is.
const LONGEST_FIELD: usize = 131_072;

impl Cell<'_> {
    /// W-LONG-VALUE for each value longer than any Salesforce field (the row is still read).
    fn long_values(&mut self) {
        for (i, v) in self.row.fields.iter().enumerate() {
            let chars = v.chars().count();
            if chars > LONGEST_FIELD {
                self.warnings.push(
                    Diagnostic::warning(
                        Code::WLongValue,
                        format!("this value is {chars} characters long, longer than any Salesforce field ({LONGEST_FIELD}): the export may be damaged; it was read as it is"),
                    )
                    .in_file(self.file)
                    .at_line(self.row.line)
                    .at_column(i as u64 + 1),
                );
            }
        }
    }
}

/// The 18-character text of any typed id, for messages.
trait IdStr {
    fn id_str(&self) -> &str;
}

macro_rules! id_str {
    ($($t:ty),*) => {$(
        impl IdStr for $t {
            fn id_str(&self) -> &str { self.as_str() }
        }
    )*};
}
id_str!(
    SfId,
    UserId,
    ProfileId,
    RoleId,
    GroupId,
    LicenseId,
    PermissionSetId,
    TenantId
);

/// The `E-DUPLICATE` error of a row whose key was read first at `first`.
pub fn duplicate_error(file: &str, line: u64, what: &str, key: &str, first: &Source) -> Diagnostic {
    Diagnostic::error(
        Code::EDuplicate,
        format!(
            "duplicate {what} `{key}`: the row at line {} of `{}` was read first and wins",
            first.line, first.file
        ),
    )
    .in_file(file)
    .at_line(line)
}

fn duplicate(
    out: &mut RowOutcome,
    file: &str,
    row: Row<'_>,
    col: Option<&Col>,
    what: &str,
    key: &str,
    first: &Source,
) {
    let mut d = duplicate_error(file, row.line, what, key, first);
    if let Some(c) = col {
        d = d.at_column(c.number());
    }
    out.diagnostics.push(d);
    out.rejected += 1;
}

/// Read the rows of one file of `kind` into `org`.
pub fn read_rows(
    kind: Kind,
    file: &str,
    headers: &[String],
    rows: &Rows,
    org: &mut Org,
) -> RowOutcome {
    let cols = Columns::map(kind, headers);
    let mut out = RowOutcome::default();
    // One shared name for every record's `Source` (not a copy per row).
    let file: &Arc<str> = &Arc::from(file);
    out.file = Some(file.clone());
    match kind {
        Kind::User => read_users(file, &cols, rows, org, &mut out),
        Kind::Profile => read_profiles(file, &cols, rows, org, &mut out),
        Kind::UserRole => read_roles(file, &cols, rows, org, &mut out),
        Kind::Group => read_groups(file, &cols, rows, org, &mut out),
        Kind::GroupMember => read_group_members(file, &cols, rows, org, &mut out),
        Kind::UserLicense => read_licenses(file, &cols, rows, org, &mut out),
        Kind::PermissionSetAssignment => read_psas(file, &cols, rows, org, &mut out),
        Kind::UserLogin => read_logins(file, &cols, rows, org, &mut out),
        Kind::PardotTenant => read_tenants(file, &cols, rows, org, &mut out),
        Kind::AeUsers => read_ae_users(file, &cols, rows, org, &mut out),
        Kind::Unknown => out.rejected = rows.len() as u64,
    }
    out
}

/// Where the first user with a username is: a user of the files before, or of this one.
enum FirstWith {
    Org(UserId),
    Fresh(usize),
}

fn read_users(file: &Arc<str>, cols: &Columns, rows: &Rows, org: &mut Org, out: &mut RowOutcome) {
    let uc = &mut org.user_columns;
    uc.email |= cols.has("Email");
    uc.first_name |= cols.has("FirstName");
    uc.last_name |= cols.has("LastName");
    uc.title |= cols.has("Title");
    uc.phone |= cols.has("Phone");
    uc.user_type |= cols.has("UserType");
    uc.role |= cols.has("UserRoleId") || cols.has("UserRole.Name");
    let id_col = cols.get("Id");
    // Inspector writes `[Profile]` in a `Profile` column beside `Profile.Name`; a report's
    // `Profile` label holds the name. `Columns` prefers `Profile.Name`, and a bracketed type
    // marker is never a profile name.
    let marker = |v: Option<Text>| v.filter(|s| !(s.starts_with('[') && s.ends_with(']')));
    // Who has each username (folded), by the name's 64-bit hash: no copy of every name. Two
    // names of one hash (all but never) keep the second by its text in `colliding`.
    let hash_of = |name: &str| std::hash::BuildHasher::hash_one(&FxBuildHasher, name);
    let mut usernames: FxHashMap<u64, FirstWith> =
        FxHashMap::with_capacity_and_hasher(org.users.len() + rows.len(), Default::default());
    let mut colliding: FxHashMap<String, Source> = FxHashMap::default();
    for u in org.users.values() {
        let name = folded(&u.username);
        match usernames.entry(hash_of(&name)) {
            Entry::Vacant(v) => {
                v.insert(FirstWith::Org(u.id.clone()));
            }
            Entry::Occupied(_) => {
                colliding.insert(name.into_owned(), u.source.clone());
            }
        }
    }
    // This file's users, in a vector and then into the map at once (bulk-built, every node
    // full; inserted a row at a time in Id order, its nodes stay half empty: see
    // `super::compacted`). While the ids come in increasing order (an export sorted by Id),
    // `fresh` is sorted and searched; `later_ids`: where each user after the first one out of
    // order is in `fresh`.
    let mut fresh: Vec<(UserId, User)> = Vec::with_capacity(rows.len());
    let mut later_ids: FxHashMap<UserId, usize> = FxHashMap::default();
    for row in rows {
        let mut c = Cell::new(file, row);
        let id = c.id(id_col, true, "user", UserId::parse);
        let username = c.required_text(cols.get("Username"));
        let is_active = c.boolean(cols.get("IsActive"), true);
        let profile_id = c.id(cols.get("ProfileId"), false, "profile", ProfileId::parse);
        let profile_name = marker(c.opt_text(cols.get("Profile.Name")));
        if profile_id.is_none() && profile_name.is_none() && c.errors.is_empty() {
            let col = cols.get("ProfileId").or(cols.get("Profile.Name"));
            if let Some(col) = col {
                c.error(
                    col,
                    Code::EBlank,
                    "the user has no profile: `ProfileId` and `Profile.Name` are blank".to_string(),
                );
            }
        }
        let email = c.text(cols.get("Email"));
        if email.as_deref() == Some("") {
            if let Some(col) = cols.get("Email") {
                let who = username.as_deref().unwrap_or("");
                c.error(
                    col,
                    Code::ENoEmail,
                    format!("user `{who}` has no email; User Sync needs one for every user"),
                );
            }
        }
        let role_id = c.id(cols.get("UserRoleId"), false, "role", RoleId::parse);
        let role_name = marker(c.opt_text(cols.get("UserRole.Name")));
        let user = User {
            id: match id {
                Some(i) => i,
                None => {
                    c.finish(out);
                    out.rejected += 1;
                    continue;
                }
            },
            username: username.unwrap_or_default(),
            is_active: is_active.unwrap_or(false),
            profile_id,
            profile_name,
            email,
            first_name: c.text(cols.get("FirstName")),
            last_name: c.text(cols.get("LastName")),
            name: c.text(cols.get("Name")),
            title: c.text(cols.get("Title")),
            phone: c.text(cols.get("Phone")),
            user_type: c.opt_text(cols.get("UserType")),
            role_id,
            role_name,
            license_name: c.opt_text(cols.get("Profile.UserLicense.Name")),
            federation_id: c.text(cols.get("FederationIdentifier")),
            source: c.source(),
        };
        if !c.finish(out) {
            out.rejected += 1;
            continue;
        }
        // Increasing ids from the start: no user of this file has the id.
        let increasing = later_ids.is_empty() && fresh.last().is_none_or(|(id, _)| *id < user.id);
        let first = org.users.get(&user.id).or_else(|| {
            if increasing {
                return None;
            }
            let sorted = fresh.len().saturating_sub(later_ids.len());
            let before = fresh.get(..sorted).unwrap_or_default();
            before
                .binary_search_by(|(id, _)| id.cmp(&user.id))
                .ok()
                .or_else(|| later_ids.get(&user.id).copied())
                .and_then(|i| fresh.get(i))
                .map(|(_, u)| u)
        });
        if let Some(first) = first {
            duplicate(
                out,
                file,
                row,
                id_col,
                "user id",
                user.id.as_str(),
                &first.source,
            );
            continue;
        }
        // Usernames are unique across Salesforce: a second row with one is a merged or
        // edited export, and AE links by CRM username would be ambiguous.
        let name = folded(&user.username);
        let key = hash_of(&name);
        let by_hash = usernames.get(&key).and_then(|first| {
            let u = match first {
                FirstWith::Org(id) => org.users.get(id),
                FirstWith::Fresh(i) => fresh.get(*i).map(|(_, u)| u),
            }?;
            (folded(&u.username) == name).then_some(&u.source)
        });
        if let Some(first) = by_hash.or_else(|| colliding.get(name.as_ref())) {
            duplicate(
                out,
                file,
                row,
                cols.get("Username"),
                "username",
                user.username.trim(),
                first,
            );
            continue;
        }
        match usernames.entry(key) {
            Entry::Vacant(v) => {
                v.insert(FirstWith::Fresh(fresh.len()));
            }
            Entry::Occupied(_) => {
                colliding.insert(name.into_owned(), user.source.clone());
            }
        }
        if !increasing {
            later_ids.insert(user.id.clone(), fresh.len());
        }
        fresh.push((user.id.clone(), user));
        out.used += 1;
    }
    drop(later_ids);
    // Appended to the users of the files before (a merge, bulk-built too) or, for the first
    // file, the map itself.
    let mut fresh: BTreeMap<UserId, User> = fresh.into_iter().collect();
    org.users.append(&mut fresh);
}

fn read_profiles(
    file: &Arc<str>,
    cols: &Columns,
    rows: &Rows,
    org: &mut Org,
    out: &mut RowOutcome,
) {
    let id_col = cols.get("Id");
    for row in rows {
        let mut c = Cell::new(file, row);
        let id = c.id(id_col, true, "profile", ProfileId::parse);
        let name = c.required_text(cols.get("Name"));
        let license_id = c.id(
            cols.get("UserLicenseId"),
            false,
            "user license",
            LicenseId::parse,
        );
        let api_user_only = c.boolean(cols.get("PermissionsApiUserOnly"), false);
        let api_enabled = c.boolean(cols.get("PermissionsApiEnabled"), false);
        let source = c.source();
        let license_name = c.opt_text(cols.get("UserLicense.Name"));
        let user_type = c.opt_text(cols.get("UserType"));
        let (true, Some(id), Some(name)) = (c.finish(out), id, name) else {
            out.rejected += 1;
            continue;
        };
        if let Some(first) = org.profiles.get(&id) {
            duplicate(
                out,
                file,
                row,
                id_col,
                "profile id",
                id.as_str(),
                &first.source,
            );
            continue;
        }
        let p = Profile {
            id: id.clone(),
            name,
            license_id,
            license_name,
            user_type,
            api_user_only,
            api_enabled,
            source,
        };
        org.profiles.insert(id, p);
        out.used += 1;
    }
}

fn read_roles(file: &Arc<str>, cols: &Columns, rows: &Rows, org: &mut Org, out: &mut RowOutcome) {
    org.has_role_export = true;
    org.has_portal_type |= cols.has("PortalType");
    let id_col = cols.get("Id");
    for row in rows {
        let mut c = Cell::new(file, row);
        let id = c.id(id_col, true, "role", RoleId::parse);
        let name = c.required_text(cols.get("Name"));
        let parent_id = c.id(cols.get("ParentRoleId"), false, "role", RoleId::parse);
        let developer_name = c.opt_text(cols.get("DeveloperName"));
        let portal_type = c.text(cols.get("PortalType"));
        let source = c.source();
        let (true, Some(id), Some(name)) = (c.finish(out), id, name) else {
            out.rejected += 1;
            continue;
        };
        if let Some(first) = org.roles.get(&id) {
            duplicate(
                out,
                file,
                row,
                id_col,
                "role id",
                id.as_str(),
                &first.source,
            );
            continue;
        }
        org.roles.insert(
            id.clone(),
            Role {
                id,
                name,
                developer_name,
                parent_id,
                portal_type,
                source,
            },
        );
        out.used += 1;
    }
}

fn read_groups(file: &Arc<str>, cols: &Columns, rows: &Rows, org: &mut Org, out: &mut RowOutcome) {
    let id_col = cols.get("Id");
    for row in rows {
        let mut c = Cell::new(file, row);
        let id = c.id(id_col, true, "group", GroupId::parse);
        let group_type: Option<String> = c.required_text(cols.get("Type"));
        let related_id = c.id(cols.get("RelatedId"), false, "related", SfId::parse);
        let does_include_bosses = c.boolean(cols.get("DoesIncludeBosses"), false);
        let name = c.opt_text(cols.get("Name"));
        let developer_name = c.opt_text(cols.get("DeveloperName"));
        let source = c.source();
        let (true, Some(id), Some(group_type)) = (c.finish(out), id, group_type) else {
            out.rejected += 1;
            continue;
        };
        if let Some(first) = org.groups.get(&id) {
            duplicate(
                out,
                file,
                row,
                id_col,
                "group id",
                id.as_str(),
                &first.source,
            );
            continue;
        }
        let g = Group {
            id: id.clone(),
            group_type: GroupType::parse(&group_type),
            name,
            developer_name,
            related_id,
            does_include_bosses,
            source,
        };
        org.groups.insert(id, g);
        out.used += 1;
    }
}

fn read_group_members(
    file: &Arc<str>,
    cols: &Columns,
    rows: &Rows,
    org: &mut Org,
    out: &mut RowOutcome,
) {
    // Duplicates are found once every file is read, after the rows are sorted (adjacent then:
    // no hash map of ten million pairs), by `ingest::drop_duplicate_memberships`.
    org.group_members.reserve(rows.len());
    // The last group id read cleanly (no warning, no error) is reused while the next rows
    // repeat its text (a group's members often come together), instead of parsed again.
    let mut last_group: Option<(&str, GroupId)> = None;
    let group_col = cols.get("GroupId");
    let member_col = cols.get("UserOrGroupId");
    let file_at = org.add_group_member_file(file);
    for row in rows {
        let mut c = Cell::new(file, row);
        let raw = c.raw(group_col).unwrap_or("");
        let group_id = match &last_group {
            Some((text, id)) if !raw.is_empty() && *text == raw => Some(id.clone()),
            _ => {
                let problems = c.errors.len() + c.warnings.len();
                let g = c.id(group_col, true, "group", GroupId::parse);
                if let Some(id) = &g {
                    if c.errors.len() + c.warnings.len() == problems {
                        last_group = Some((raw, id.clone()));
                    }
                }
                g
            }
        };
        let member_id = c.id(member_col, true, "user or group", SfId::parse);
        if let (Some(m), Some(col)) = (&member_id, member_col) {
            if m.prefix() != UserId::PREFIX && m.prefix() != GroupId::PREFIX {
                c.error(
                    col,
                    Code::EId,
                    format!(
                        "column `{}` holds `{}`, which is neither a user (`005`) nor a group (`00G`) id",
                        col.header,
                        m.as_str()
                    ),
                );
            }
        }
        let line = u32::try_from(c.row.line).unwrap_or(u32::MAX);
        let (true, Some(group_id), Some(member_id)) = (c.finish(out), group_id, member_id) else {
            out.rejected += 1;
            continue;
        };
        org.group_members.push(GroupMember {
            group_id,
            member_id,
            file: file_at,
            line,
        });
        out.used += 1;
    }
}

fn read_licenses(
    file: &Arc<str>,
    cols: &Columns,
    rows: &Rows,
    org: &mut Org,
    out: &mut RowOutcome,
) {
    let id_col = cols.get("Id");
    for row in rows {
        let mut c = Cell::new(file, row);
        let id = c.id(id_col, true, "user license", LicenseId::parse);
        let name = c.required_text(cols.get("Name"));
        let master_label = c.opt_text(cols.get("MasterLabel"));
        let definition_key = c.opt_text(cols.get("LicenseDefinitionKey"));
        let source = c.source();
        let (true, Some(id), Some(name)) = (c.finish(out), id, name) else {
            out.rejected += 1;
            continue;
        };
        if let Some(first) = org.licenses.get(&id) {
            duplicate(
                out,
                file,
                row,
                id_col,
                "user license id",
                id.as_str(),
                &first.source,
            );
            continue;
        }
        org.licenses.insert(
            id.clone(),
            UserLicense {
                id,
                name,
                master_label,
                definition_key,
                source,
            },
        );
        out.used += 1;
    }
}

fn read_psas(file: &Arc<str>, cols: &Columns, rows: &Rows, org: &mut Org, out: &mut RowOutcome) {
    for row in rows {
        let mut c = Cell::new(file, row);
        let assignee_id = c.id(cols.get("AssigneeId"), true, "user", UserId::parse);
        let permission_set_id = c.id(
            cols.get("PermissionSetId"),
            false,
            "permission set",
            PermissionSetId::parse,
        );
        let permission_set_name = c.opt_text(cols.get("PermissionSet.Name"));
        let permission_set_label = c.opt_text(cols.get("PermissionSet.Label"));
        if permission_set_id.is_none() && permission_set_name.is_none() && c.errors.is_empty() {
            if let Some(col) = cols
                .get("PermissionSetId")
                .or(cols.get("PermissionSet.Name"))
            {
                c.error(
                    col,
                    Code::EBlank,
                    "the assignment names no permission set".to_string(),
                );
            }
        }
        let source = c.source();
        let (true, Some(assignee_id)) = (c.finish(out), assignee_id) else {
            out.rejected += 1;
            continue;
        };
        org.permission_set_assignments
            .push(PermissionSetAssignment {
                assignee_id,
                permission_set_id,
                permission_set_name,
                permission_set_label,
                source,
            });
        out.used += 1;
    }
}

fn read_logins(file: &Arc<str>, cols: &Columns, rows: &Rows, org: &mut Org, out: &mut RowOutcome) {
    let id_col = cols.get("UserId");
    for row in rows {
        let mut c = Cell::new(file, row);
        let user_id = c.id(id_col, true, "user", UserId::parse);
        let is_frozen = c.boolean(cols.get("IsFrozen"), true);
        let is_password_locked = c.boolean(cols.get("IsPasswordLocked"), false);
        let source = c.source();
        let (true, Some(user_id), Some(is_frozen)) = (c.finish(out), user_id, is_frozen) else {
            out.rejected += 1;
            continue;
        };
        if let Some(first) = org.logins.get(&user_id) {
            duplicate(
                out,
                file,
                row,
                id_col,
                "UserLogin for user",
                user_id.as_str(),
                &first.source,
            );
            continue;
        }
        org.logins.insert(
            user_id.clone(),
            UserLogin {
                user_id,
                is_frozen,
                is_password_locked,
                source,
            },
        );
        out.used += 1;
    }
}

fn read_tenants(file: &Arc<str>, cols: &Columns, rows: &Rows, org: &mut Org, out: &mut RowOutcome) {
    let id_col = cols.get("Id");
    for row in rows {
        let mut c = Cell::new(file, row);
        let id = c.id(id_col, true, "business unit", TenantId::parse);
        let name = c.required_text(cols.get("PardotTenantName"));
        let initial_admin_id = c.id(
            cols.get("InitialPardotAdminId"),
            false,
            "user",
            UserId::parse,
        );
        let creation_status = c.opt_text(cols.get("CreationStatus"));
        let source = c.source();
        let (true, Some(id), Some(name)) = (c.finish(out), id, name) else {
            out.rejected += 1;
            continue;
        };
        if let Some(first) = org.tenants.get(&id) {
            duplicate(
                out,
                file,
                row,
                id_col,
                "business unit id",
                id.as_str(),
                &first.source,
            );
            continue;
        }
        org.tenants.insert(
            id.clone(),
            PardotTenant {
                id,
                name,
                initial_admin_id,
                creation_status,
                source,
            },
        );
        out.used += 1;
    }
}

fn read_ae_users(
    file: &Arc<str>,
    cols: &Columns,
    rows: &Rows,
    org: &mut Org,
    out: &mut RowOutcome,
) {
    // API v5's `role` is a numeric role id; a UI export's "Role" is the name. `roleName` wins.
    let role_col = match cols.get("roleName") {
        Some(c) => Some(c),
        None => cols.get("role").filter(|c| {
            !rows
                .iter()
                .filter_map(|r| r.fields.get(c.idx))
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .all(|v| v.bytes().all(|b| b.is_ascii_digit()))
                || rows.is_empty()
        }),
    };
    if role_col.is_none() {
        if let Some(c) = cols.get("role") {
            out.diagnostics.push(
                Diagnostic::info(
                    Code::IAeRoleId,
                    format!(
                        "column `{}` holds role ids, not names, and there is no `roleName` column: roles cannot be compared",
                        c.header
                    ),
                )
                .in_file(&**file)
                .at_line(1)
                .at_column(c.number()),
            );
        }
    }
    let export = org
        .ae_exports
        .entry(file.to_string())
        .or_insert_with(|| AeExport {
            file: file.to_string(),
            users: Vec::new(),
            has_role: false,
        });
    export.has_role |= role_col.is_some();
    // (Extended, not collected: see `engine::sort`.)
    let mut seen: BTreeMap<String, Source> = BTreeMap::new();
    seen.extend(
        export
            .users
            .iter()
            .map(|u| (u.id.clone(), u.source.clone())),
    );
    let id_col = cols.get("id");
    for row in rows {
        let mut c = Cell::new(file, row);
        let id = c
            .opt_text(id_col)
            .unwrap_or_else(|| format!("line-{}", row.line));
        let salesforce_id = c.id(
            cols.get("salesforceId"),
            false,
            "Salesforce user",
            UserId::parse,
        );
        let is_deleted = c.boolean(cols.get("isDeleted"), false).unwrap_or(false);
        let user = AeUser {
            id: id.clone(),
            email: c.text(cols.get("email")).unwrap_or_default(),
            first_name: c.text(cols.get("firstName")),
            last_name: c.text(cols.get("lastName")),
            job_title: c.text(cols.get("jobTitle")),
            phone: c.text(cols.get("phone")),
            role: role_col.and_then(|col| c.text(Some(col))),
            salesforce_id,
            crm_username: c.opt_text(cols.get("CRM Username")),
            is_deleted,
            source: c.source(),
        };
        if !c.finish(out) {
            out.rejected += 1;
            continue;
        }
        if let Some(first) = seen.get(&id) {
            duplicate(
                out,
                file,
                row,
                id_col,
                "Account Engagement user id",
                &id,
                first,
            );
            continue;
        }
        seen.insert(id, user.source.clone());
        export.users.push(user);
        out.used += 1;
    }
}
