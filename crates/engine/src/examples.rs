//! Built-in examples for the documentation explainer (`?embed&example=…`): tiny orgs, one per
//! key rule, each with switches a reader can flip ("Jane is active", "EMEA Marketing is nested
//! in All Marketing", …). An example turns its switches into ordinary exports and a scenario,
//! which the engine plans like any other input: the explainer never re-implements a rule.

use serde_json::json;

use super::decide::Decision;
use super::ingest::{self, IngestOptions, InputFile};
use super::plan::{plan, Exports, PlanOptions, Report, Setup};
use super::Error;

/// A switch the reader can flip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Toggle {
    pub key: &'static str,
    pub label: &'static str,
    pub default: bool,
}

/// One built-in example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// The name in `?example=…`.
    pub name: &'static str,
    pub title: &'static str,
    /// What the example teaches, in a sentence.
    pub lesson: &'static str,
    /// The username of the user whose outcome the explainer shows.
    pub focus: &'static str,
    pub toggles: &'static [Toggle],
}

const fn t(key: &'static str, label: &'static str, default: bool) -> Toggle {
    Toggle {
        key,
        label,
        default,
    }
}

/// Every built-in example, in the order the explainer lists them.
pub const EXAMPLES: &[Example] = &[
    Example {
        name: "inactive-user",
        title: "Deactivating a user recycles their Account Engagement user",
        lesson: "Inactive users are never synced: when a synced user is deactivated in Salesforce, User Sync moves their Account Engagement user to the recycle bin.",
        focus: "jane.doe@acme.example",
        toggles: &[
            t("active", "Jane is active in Salesforce", true),
            t("assigned", "Jane is assigned to Marketing Users", true),
        ],
    },
    Example {
        name: "both-groups",
        title: "A user in both Marketing Users and Sales Users",
        lesson: "A user in both groups gets the Sales role unless the scenario says Marketing wins; syncplan always warns about it.",
        focus: "sam.lee@acme.example",
        toggles: &[
            t("marketing", "Sam is in Marketing Users (through the public group)", true),
            t("sales", "Sam is in Sales Users (through the role Sales Rep)", true),
            t("marketing_wins", "Marketing wins when a user is in both groups", false),
        ],
    },
    Example {
        name: "nested-groups",
        title: "Public groups nested in public groups",
        lesson: "Assigning a public group reaches the members of the groups nested in it, at any depth; the report shows the path.",
        focus: "lena.fischer@acme.example",
        toggles: &[
            t("nested", "EMEA Marketing is nested in All Marketing", true),
            t("member", "Lena is a member of EMEA Marketing", true),
        ],
    },
    Example {
        name: "unlinked-same-email",
        title: "An unlinked Account Engagement user with the same email",
        lesson: "When an Account Engagement user already has the email of an assigned user but is not linked to them, User Sync creates nothing and skips the user: link the CRM username first.",
        focus: "omar.haddad@acme.example",
        toggles: &[
            t("linked", "The Account Engagement user's CRM username is set to Omar's username", false),
            t("assigned", "Omar is assigned to Marketing Users", true),
        ],
    },
    Example {
        name: "creator-admin",
        title: "The admin who created the business unit",
        lesson: "The business unit's creator keeps the Administrator role only while in Marketing Users; without them, the business unit may be left with no administrator.",
        focus: "priya.patel@acme.example",
        toggles: &[
            t("assigned", "Priya (the creator) is in Marketing Users", true),
            t("other_admin", "System Administrator maps to Administrator in the profile-to-role table", false),
        ],
    },
    Example {
        name: "legacy-vs-latest",
        title: "Legacy (profile-based) or latest (group-based) User Sync",
        lesson: "Legacy User Sync syncs every active user whose profile is ticked; the latest version syncs only who is assigned to the business unit's groups.",
        focus: "noah.kim@acme.example",
        toggles: &[
            t("legacy", "Legacy (profile-based) User Sync", false),
            t("assigned", "Noah is assigned to Marketing Users", false),
        ],
    },
    Example {
        name: "role-and-subordinates",
        title: "A role, or a role and its subordinates",
        lesson: "Assigning a role reaches only the users in that role; assigning the role and its subordinates also reaches everyone below it in the role hierarchy.",
        focus: "ravi.shah@acme.example",
        toggles: &[t(
            "subordinates",
            "Assign VP Marketing with its subordinates (not the role alone)",
            false,
        )],
    },
    Example {
        name: "grant-access-hierarchies",
        title: "A public group that grants access using hierarchies",
        lesson: "\"Grant access using hierarchies\" is read as a sharing setting that adds nobody; Salesforce also calls the users in roles above a member indirect members, and the set-up can read it that way.",
        focus: "ravi.shah@acme.example",
        toggles: &[
            t("bosses", "Field Team grants access using hierarchies (Maria, a member, reports to Ravi)", true),
            t("include_bosses", "Read it as adding the members' bosses", false),
        ],
    },
    Example {
        name: "legacy-role",
        title: "Legacy User Sync changes a role only with the profile",
        lesson: "The legacy connector updates a synced user's role when their Salesforce profile changes; a snapshot cannot see that event, so a role that differs from the profile table is kept.",
        focus: "noah.kim@acme.example",
        toggles: &[t(
            "profile_changed",
            "Noah's profile has just changed (plan as if every profile had just changed)",
            false,
        )],
    },
    Example {
        name: "territory-group",
        title: "A territory group nested in an assigned group",
        lesson: "Salesforce knows who is in a territory group, the exports do not: a synced user reached by nothing else is shown as recycled, marked as depending on that group.",
        focus: "kim.berg@acme.example",
        toggles: &[
            t("territory", "The territory group West is nested in All Marketing", true),
            t("member", "Kim is a direct member of All Marketing", false),
        ],
    },
];

/// The example named `name`.
pub fn find(name: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.name == name)
}

impl Example {
    /// The switches at their defaults.
    pub fn defaults(&self) -> Vec<(&'static str, bool)> {
        self.toggles.iter().map(|t| (t.key, t.default)).collect()
    }

    /// Plan the example with these switches, as the engine plans any exports and scenario.
    pub fn report(&self, switches: &[(&str, bool)]) -> Result<Report, Error> {
        let (scenario, exports): (Vec<InputFile>, Vec<InputFile>) = self
            .files(switches)
            .into_iter()
            .partition(|f| f.name == "syncplan.json");
        let text = scenario
            .first()
            .map(|f| String::from_utf8_lossy(&f.bytes).into_owned());
        let setup = text
            .map(|t| Setup::parse("syncplan.json", &t))
            .transpose()?;
        let ingested = ingest::ingest(&exports, &IngestOptions::default());
        Ok(plan(Exports::Kept(&ingested), setup, PlanOptions::default())?.report)
    }

    /// The decision about the example's focus user in a report of it.
    pub fn focus_decision<'a>(&self, report: &'a Report) -> Option<&'a Decision> {
        report
            .plan
            .business_units
            .iter()
            .flat_map(|bu| bu.decisions.iter())
            .find(|d| d.username.as_deref() == Some(self.focus))
    }

    /// The exports and the scenario (`syncplan.json`) for the given switches (a switch not
    /// given keeps its default).
    pub fn files(&self, switches: &[(&str, bool)]) -> Vec<InputFile> {
        let on = |key: &str| {
            switches
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| *v)
                .or_else(|| {
                    self.toggles
                        .iter()
                        .find(|t| t.key == key)
                        .map(|t| t.default)
                })
                .unwrap_or(false)
        };
        let mut org = Org::base();
        let mut marketing: Vec<serde_json::Value> = vec![json!({ "user": "admin@acme.example" })];
        let mut sales: Vec<serde_json::Value> = Vec::new();
        let mut profile_roles = json!({});
        let mut mode = "latest";
        let mut both = "sales_wins";
        let mut include_bosses = false;
        let mut assume_profile_changed = false;
        match self.name {
            "inactive-user" => {
                org.user(
                    3,
                    "jane.doe@acme.example",
                    "Jane",
                    "Doe",
                    on("active"),
                    MARKETING,
                    None,
                );
                org.ae(1003, "jane.doe@acme.example", "Marketing", Some(3), false);
                if on("assigned") {
                    marketing.push(json!({ "user": "jane.doe@acme.example" }));
                }
            }
            "both-groups" => {
                org.user(
                    3,
                    "sam.lee@acme.example",
                    "Sam",
                    "Lee",
                    true,
                    MARKETING,
                    Some(2),
                );
                org.group(1, "All Marketing", "All_Marketing");
                if on("marketing") {
                    org.member(1, 3);
                }
                marketing.push(json!({ "public_group": "All_Marketing" }));
                if on("sales") {
                    sales.push(json!({ "role": "Sales Rep" }));
                }
                if on("marketing_wins") {
                    both = "marketing_wins";
                }
            }
            "nested-groups" => {
                org.user(
                    3,
                    "lena.fischer@acme.example",
                    "Lena",
                    "Fischer",
                    true,
                    MARKETING,
                    None,
                );
                org.group(1, "All Marketing", "All_Marketing");
                org.group(2, "EMEA Marketing", "EMEA_Marketing");
                if on("nested") {
                    org.nested(1, 2);
                }
                if on("member") {
                    org.member(2, 3);
                }
                marketing.push(json!({ "public_group": "All_Marketing" }));
            }
            "unlinked-same-email" => {
                org.user(
                    3,
                    "omar.haddad@acme.example",
                    "Omar",
                    "Haddad",
                    true,
                    MARKETING,
                    None,
                );
                org.ae_unlinked(1003, "omar.haddad@acme.example", on("linked"));
                if on("assigned") {
                    marketing.push(json!({ "user": "omar.haddad@acme.example" }));
                }
            }
            "creator-admin" => {
                org.user(
                    3,
                    "priya.patel@acme.example",
                    "Priya",
                    "Patel",
                    true,
                    ADMIN,
                    None,
                );
                org.ae(
                    1003,
                    "priya.patel@acme.example",
                    "Administrator",
                    Some(3),
                    false,
                );
                marketing.clear();
                marketing.push(json!({ "user": "admin@acme.example" }));
                if on("assigned") {
                    marketing.push(json!({ "user": "priya.patel@acme.example" }));
                }
                if on("other_admin") {
                    profile_roles = json!({ "System Administrator": "Administrator" });
                }
                org.creator = "priya.patel@acme.example";
                org.ae_admin_is_marketing = true;
            }
            "legacy-vs-latest" => {
                org.user(
                    3,
                    "noah.kim@acme.example",
                    "Noah",
                    "Kim",
                    true,
                    MARKETING,
                    None,
                );
                if on("assigned") {
                    marketing.push(json!({ "user": "noah.kim@acme.example" }));
                }
                if on("legacy") {
                    mode = "legacy";
                }
            }
            "role-and-subordinates" => {
                org.user(
                    3,
                    "ravi.shah@acme.example",
                    "Ravi",
                    "Shah",
                    true,
                    MARKETING,
                    Some(4),
                );
                org.user(
                    4,
                    "maria.gonzalez@acme.example",
                    "Maria",
                    "Gonzalez",
                    true,
                    MARKETING,
                    Some(3),
                );
                if on("subordinates") {
                    marketing.push(json!({ "role_and_subordinates": "VP Marketing" }));
                } else {
                    marketing.push(json!({ "role": "VP Marketing" }));
                }
            }
            "grant-access-hierarchies" => {
                org.user(
                    3,
                    "ravi.shah@acme.example",
                    "Ravi",
                    "Shah",
                    true,
                    MARKETING,
                    Some(3),
                );
                org.user(
                    4,
                    "maria.gonzalez@acme.example",
                    "Maria",
                    "Gonzalez",
                    true,
                    MARKETING,
                    Some(4),
                );
                org.group_of(1, "Field Team", "Field_Team", "Regular", on("bosses"));
                org.member(1, 4);
                marketing.push(json!({ "public_group": "Field_Team" }));
                include_bosses = on("include_bosses");
            }
            "legacy-role" => {
                org.user(
                    3,
                    "noah.kim@acme.example",
                    "Noah",
                    "Kim",
                    true,
                    MARKETING,
                    None,
                );
                org.ae(
                    1003,
                    "noah.kim@acme.example",
                    "Sales Manager",
                    Some(3),
                    false,
                );
                mode = "legacy";
                assume_profile_changed = on("profile_changed");
            }
            "territory-group" => {
                org.user(
                    3,
                    "kim.berg@acme.example",
                    "Kim",
                    "Berg",
                    true,
                    MARKETING,
                    None,
                );
                org.ae(1003, "kim.berg@acme.example", "Marketing", Some(3), false);
                org.group(1, "All Marketing", "All_Marketing");
                org.group_of(2, "West", "West", "Territory", false);
                if on("territory") {
                    org.nested(1, 2);
                }
                if on("member") {
                    org.member(1, 3);
                }
                marketing.push(json!({ "public_group": "All_Marketing" }));
            }
            _ => {}
        }
        let mut scenario = json!({
            "format_version": "1",
            "mode": mode,
            "both_groups": both,
            "business_units": [{
                "name": "Acme Marketing",
                "creator": org.creator,
                "ae_users": "ae-users.csv",
                "marketing_users": marketing,
                "sales_users": sales,
                "profile_roles": profile_roles,
            }],
        });
        if include_bosses {
            if let Some(obj) = scenario.as_object_mut() {
                obj.insert("include_bosses".into(), json!(true));
            }
        }
        if mode == "legacy" {
            if let Some(obj) = scenario.as_object_mut() {
                obj.insert(
                    "legacy".into(),
                    json!({
                        "profiles": { "Marketing User": "Marketing", "System Administrator": "Administrator" },
                        "assume_profile_changed": assume_profile_changed,
                    }),
                );
                if let Some(bu) = obj
                    .get_mut("business_units")
                    .and_then(|b| b.get_mut(0))
                    .and_then(|b| b.as_object_mut())
                {
                    bu.remove("marketing_users");
                    bu.remove("sales_users");
                    bu.remove("creator");
                }
            }
        }
        let scenario = serde_json::to_string_pretty(&scenario).unwrap_or_default();
        org.into_files(scenario)
    }
}

const ADMIN: u32 = 1;
const MARKETING: u32 = 2;
const B2BMA: u32 = 3;

/// A tiny org, written out as sf CLI exports.
struct Org {
    users: Vec<String>,
    groups: Vec<String>,
    members: Vec<String>,
    ae: Vec<String>,
    creator: &'static str,
    /// Whether the AE admin (`admin@acme.example`) is absent, so that the creator is the only
    /// administrator.
    ae_admin_is_marketing: bool,
}

fn uid(n: u32) -> String {
    format!("0055g00000Us{n:03}")
}

impl Org {
    fn base() -> Org {
        let mut org = Org {
            users: Vec::new(),
            groups: Vec::new(),
            members: Vec::new(),
            ae: Vec::new(),
            creator: "admin@acme.example",
            ae_admin_is_marketing: false,
        };
        org.user(1, "admin@acme.example", "Alex", "Admin", true, ADMIN, None);
        // The connector's own user, so that no example raises W-B2BMA.
        org.user(
            9,
            "b2bmaintegration@00d5g000000demo.ext",
            "B2BMA",
            "Integration",
            true,
            B2BMA,
            None,
        );
        org
    }

    #[allow(clippy::too_many_arguments)]
    fn user(
        &mut self,
        n: u32,
        username: &str,
        first: &str,
        last: &str,
        active: bool,
        profile: u32,
        role: Option<u32>,
    ) {
        let (profile_id, profile_name) = match profile {
            ADMIN => ("00e5g000000Pf01", "System Administrator"),
            B2BMA => ("00e5g000000Pf03", "B2BMA Integration User"),
            _ => ("00e5g000000Pf02", "Marketing User"),
        };
        let role = role
            .map(|r| format!("00E5g00000Rl{r:03}"))
            .unwrap_or_default();
        self.users.push(format!(
            "{},{username},{username},{first},{last},{first} {last},true_or_false,Standard,{profile_id},{profile_name},{role}",
            uid(n)
        )
        .replace("true_or_false", if active { "true" } else { "false" }));
    }

    fn group(&mut self, n: u32, name: &str, developer_name: &str) {
        self.group_of(n, name, developer_name, "Regular", false);
    }

    /// A group of any Type, granting access using hierarchies or not.
    fn group_of(&mut self, n: u32, name: &str, developer_name: &str, kind: &str, bosses: bool) {
        self.groups.push(format!(
            "00G5g00000Gp{n:03},{name},{developer_name},{kind},{bosses}"
        ));
    }

    fn member(&mut self, group: u32, user: u32) {
        self.members
            .push(format!("00G5g00000Gp{group:03},{}", uid(user)));
    }

    fn nested(&mut self, group: u32, child: u32) {
        self.members
            .push(format!("00G5g00000Gp{group:03},00G5g00000Gp{child:03}"));
    }

    fn ae(&mut self, id: u32, email: &str, role: &str, user: Option<u32>, deleted: bool) {
        let sf = user.map(uid).unwrap_or_default();
        let crm = if user.is_some() { email } else { "" };
        self.ae
            .push(format!("{id},{email},{role},{sf},{crm},{deleted}"));
    }

    fn ae_unlinked(&mut self, id: u32, email: &str, link_by_username: bool) {
        let crm = if link_by_username { email } else { "" };
        self.ae.push(format!("{id},{email},Marketing,,{crm},false"));
    }

    fn into_files(self, scenario: String) -> Vec<InputFile> {
        let file = |name: &str, header: &str, rows: &[String]| {
            let mut text = format!("{header}\n");
            for r in rows {
                text.push_str(r);
                text.push('\n');
            }
            InputFile {
                name: name.to_string(),
                bytes: text.into_bytes(),
            }
        };
        let mut ae = Vec::new();
        if !self.ae_admin_is_marketing {
            ae.push(format!(
                "1001,admin@acme.example,Administrator,{},admin@acme.example,false",
                uid(1)
            ));
        } else {
            ae.push(format!(
                "1001,admin@acme.example,Marketing,{},admin@acme.example,false",
                uid(1)
            ));
        }
        ae.extend(self.ae);
        let roles = [
            "00E5g00000Rl001,CEO,CEO,".to_string(),
            "00E5g00000Rl002,Sales Rep,Sales_Rep,00E5g00000Rl001".to_string(),
            "00E5g00000Rl003,VP Marketing,VP_Marketing,00E5g00000Rl001".to_string(),
            "00E5g00000Rl004,Marketing Manager,Marketing_Manager,00E5g00000Rl003".to_string(),
        ];
        let profiles = [
            "00e5g000000Pf01,System Administrator,Standard".to_string(),
            "00e5g000000Pf02,Marketing User,Standard".to_string(),
            "00e5g000000Pf03,B2BMA Integration User,Standard".to_string(),
        ];
        vec![
            file(
                "users.csv",
                "Id,Username,Email,FirstName,LastName,Name,IsActive,UserType,ProfileId,Profile.Name,UserRoleId",
                &self.users,
            ),
            file("profiles.csv", "Id,Name,UserType", &profiles),
            file("roles.csv", "Id,Name,DeveloperName,ParentRoleId", &roles),
            file("groups.csv", "Id,Name,DeveloperName,Type,DoesIncludeBosses", &self.groups),
            file("group-members.csv", "GroupId,UserOrGroupId", &self.members),
            file("ae-users.csv", "id,email,roleName,salesforceId,crmUsername,isDeleted", &ae),
            InputFile { name: "syncplan.json".into(), bytes: scenario.into_bytes() },
        ]
    }
}
