//! A deterministic synthetic org, for benchmarks and scale tests (`syncplan generate`).
//!
//! The same `(users, seed)` always gives byte-identical files. Proportions follow what large
//! Salesforce orgs look like:
//! - a role tree 8–10 levels deep (about one role per 40 users), each role with its `Role` and
//!   `RoleAndSubordinates` groups;
//! - profiles (about one per 2,000 users, at least eight) on four licenses, with partner,
//!   Chatter Free and API-only integration users among the users;
//! - public groups (about one per 25 users) nested 3–5 levels deep, some holding role groups,
//!   and 5–15 group memberships per user (about 10);
//! - about 10% inactive users, and 0.5% of users sharing an email with another user;
//! - one business unit whose AE users export (API v5 columns) covers about 15% of the users in
//!   every state: linked by Salesforce id, linked by CRM username only, in the recycle bin,
//!   unlinked, and unlinked with the same email as a Salesforce user;
//! - a `syncplan.json` assigning public groups, role subtrees and the creator.
//!
//! Every file is in the `sf data query --result-format csv` dialect (quotes only when needed),
//! and `syncplan inspect` reads every row. The engine itself reads no randomness: this module is
//! outside it, with its own small seeded generator (splitmix64).

use crate::engine::id::checksum;
use crate::engine::InputFile;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    pub users: usize,
    pub seed: u64,
}

/// The name of the generated AE users export (the scenario's `ae_users`).
pub const AE_FILE: &str = "ae-users.csv";
/// The generated business unit.
pub const BU_NAME: &str = "Synthetic Marketing";

/// splitmix64: small, fast and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) % (n.max(1) as u64)) as usize
    }
    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }
}

const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// An 18-character id: the key prefix, `5g`, the number in base 62, the checksum.
fn sf_id(prefix: &str, n: usize) -> String {
    let mut id15 = [b'0'; 15];
    for (d, s) in id15.iter_mut().zip(prefix.bytes()) {
        *d = s;
    }
    id15[3] = b'5';
    id15[4] = b'g';
    let mut v = n;
    for slot in id15[5..].iter_mut().rev() {
        *slot = DIGITS[v % 62];
        v /= 62;
    }
    let sum = checksum(&id15);
    let mut s = String::with_capacity(18);
    s.extend(id15.iter().map(|&b| b as char));
    s.extend(sum.iter().map(|&b| b as char));
    s
}

/// Appends one CSV row, quoting only the fields that need it (the sf CLI dialect).
fn row(out: &mut String, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push('\n');
}

const FIRST: &[(&str, &str)] = &[
    ("Alex", "alex"),
    ("Priya", "priya"),
    ("Maria", "maria"),
    ("José", "jose"),
    ("Chen", "chen"),
    ("Fatima", "fatima"),
    ("John", "john"),
    ("Anna", "anna"),
    ("Søren", "soren"),
    ("Emma", "emma"),
    ("Noah", "noah"),
    ("Olivia", "olivia"),
    ("Liam", "liam"),
    ("Zoë", "zoe"),
    ("Kenji", "kenji"),
    ("Amara", "amara"),
    ("Lucas", "lucas"),
    ("Mia", "mia"),
    ("Ivan", "ivan"),
    ("Sofia", "sofia"),
    ("Omar", "omar"),
    ("Hannah", "hannah"),
    ("Mateo", "mateo"),
    ("Aisha", "aisha"),
];

const LAST: &[(&str, &str)] = &[
    ("Smith", "smith"),
    ("Patel", "patel"),
    ("González", "gonzalez"),
    ("Müller", "muller"),
    ("O'Brien", "obrien"),
    ("Nguyen", "nguyen"),
    ("Kowalski", "kowalski"),
    ("Rossi", "rossi"),
    ("Dubois", "dubois"),
    ("Tanaka", "tanaka"),
    ("Johnson", "johnson"),
    ("Silva", "silva"),
    ("Jensen", "jensen"),
    ("Okafor", "okafor"),
    ("Novak", "novak"),
    ("García", "garcia"),
    ("Khan", "khan"),
    ("Larsen", "larsen"),
    ("Brown", "brown"),
    ("Kim", "kim"),
];

const TITLES: &[&str] = &[
    "Account Executive",
    "Sales Development Rep",
    "Marketing Manager",
    "Director, Marketing",
    "Campaign Specialist",
    "Solutions Engineer",
    "Customer Success Manager",
    "VP, Sales",
    "Operations Analyst",
    "Support Engineer",
    "",
];

/// The fixed profiles: name, license index, user type, API only.
const PROFILES: &[(&str, usize, &str, bool)] = &[
    ("System Administrator", 0, "Standard", false),
    ("B2BMA Integration User", 0, "Standard", false),
    ("Marketing User", 0, "Standard", false),
    ("Sales Rep", 0, "Standard", false),
    ("Standard User", 0, "Standard", false),
    ("Partner Community User", 1, "PowerPartner", false),
    ("Chatter Free User", 2, "CsnOnly", false),
    (
        "Minimum Access - API Only Integrations",
        3,
        "Standard",
        true,
    ),
];

const LICENSES: &[(&str, &str)] = &[
    ("Salesforce", "SFDC"),
    ("Partner Community", "PID_Partner_Community"),
    ("Chatter Free", "PID_Chatter"),
    ("Salesforce Integration", "PID_Salesforce_Integration"),
];

/// Picks a user's profile index: mostly sales and marketing, a few of every other kind.
fn pick_profile(rng: &mut Rng, profiles: usize) -> usize {
    let r = rng.below(10_000);
    match r {
        0..=99 => 0,                                                // System Administrator 1%
        100..=1599 => 2,                                            // Marketing User 15%
        1600..=4599 => 3,                                           // Sales Rep 30%
        4600..=5599 => 4,                                           // Standard User 10%
        5600..=6099 => 5,                                           // partner 5%
        6100..=6399 => 6,                                           // Chatter Free 3%
        6400..=6419 => 7,                                           // API only 0.2%
        _ => PROFILES.len() + rng.below(profiles - PROFILES.len()), // custom profiles
    }
}

struct GenUser {
    id: String,
    username: String,
    email: String,
    first: &'static str,
    last: &'static str,
    title: &'static str,
    profile: usize,
}

/// Generates the org: every export and the scenario (`syncplan.json`), in a fixed order.
pub fn generate(cfg: Config) -> Vec<InputFile> {
    let n = cfg.users.max(10);
    let mut rng = Rng(cfg.seed ^ 0x5EED_0000_0000_0000);

    // Licenses and profiles.
    let mut licenses = String::from("Id,Name,MasterLabel,LicenseDefinitionKey\n");
    for (i, (name, key)) in LICENSES.iter().enumerate() {
        row(&mut licenses, &[&sf_id("100", i + 1), name, name, key]);
    }
    let n_profiles = (n / 2000).clamp(PROFILES.len() + 4, 200);
    let mut profile_names: Vec<String> = Vec::with_capacity(n_profiles);
    let mut profile_ids: Vec<String> = Vec::with_capacity(n_profiles);
    let mut profiles = String::from(
        "Id,Name,UserLicenseId,UserLicense.Name,UserType,PermissionsApiUserOnly,PermissionsApiEnabled\n",
    );
    for i in 0..n_profiles {
        let (name, lic, utype, api_only) = match PROFILES.get(i) {
            Some(&(name, lic, utype, api)) => (name.to_string(), lic, utype, api),
            None => (format!("Custom Profile {i:03}"), 0, "Standard", false),
        };
        let id = sf_id("00e", i + 1);
        let lic_id = sf_id("100", lic + 1);
        row(
            &mut profiles,
            &[
                &id,
                &name,
                &lic_id,
                LICENSES[lic].0,
                utype,
                if api_only { "true" } else { "false" },
                "true",
            ],
        );
        profile_names.push(name);
        profile_ids.push(id);
    }

    // The role tree: a spine 8–10 levels deep, every other role under a random shallower one.
    let depth = 8 + (cfg.seed % 3) as usize;
    let n_roles = (n / 40).clamp(30, 25_000);
    let mut role_depth: Vec<usize> = Vec::with_capacity(n_roles);
    let mut role_ids: Vec<String> = Vec::with_capacity(n_roles);
    let mut roles = String::from("Id,Name,DeveloperName,ParentRoleId,PortalType\n");
    let mut eligible: Vec<usize> = Vec::new(); // roles under which another level fits
    for i in 0..n_roles {
        let parent = if i == 0 {
            None
        } else if i < depth {
            Some(i - 1)
        } else {
            Some(eligible[rng.below(eligible.len())])
        };
        let d = parent.map_or(1, |p| role_depth[p] + 1);
        let name = match i {
            0 => "CEO".to_string(),
            10 => "VP Sales".to_string(),
            20 => "VP Marketing".to_string(),
            _ => format!("Role {i:05} L{d}"),
        };
        let dev = name.replace([' ', '-'], "_");
        let id = sf_id("00E", i + 1);
        let parent_id = parent.map(|p| role_ids[p].clone()).unwrap_or_default();
        row(&mut roles, &[&id, &name, &dev, &parent_id, "None"]);
        role_depth.push(d);
        role_ids.push(id);
        if d < depth {
            eligible.push(i);
        }
    }

    // Users.
    let mut users_csv = String::with_capacity(n * 200);
    users_csv.push_str(
        "Id,Username,Email,FirstName,LastName,Name,Title,Phone,IsActive,UserType,ProfileId,Profile.Name,UserRoleId\n",
    );
    let mut users: Vec<GenUser> = Vec::with_capacity(n);
    for i in 0..n {
        let (f, fa) = FIRST[rng.below(FIRST.len())];
        let (l, la) = LAST[rng.below(LAST.len())];
        let (profile, username, email) = match i {
            0 => (
                0,
                "admin@synthetic.example".to_string(),
                "admin@synthetic.example".to_string(),
            ),
            1 => (
                1,
                "b2bmaintegration@00d5g000000synth.ext".to_string(),
                "noreply@synthetic.example".to_string(),
            ),
            _ => {
                let p = pick_profile(&mut rng, n_profiles);
                let u = format!("{fa}.{la}.{i}@synthetic.example");
                // 0.5% share the previous user's email (duplicate mailboxes are common).
                let e = if i > 2 && rng.chance(0.005) {
                    users[i - 1].email.clone()
                } else {
                    u.clone()
                };
                (p, u, e)
            }
        };
        let active = i < 2 || !rng.chance(0.10);
        let title = TITLES[rng.below(TITLES.len())];
        let utype = PROFILES.get(profile).map_or("Standard", |p| p.2);
        let role = if profile == 5 || profile == 6 || rng.chance(0.03) {
            String::new()
        } else {
            role_ids[rng.below(n_roles)].clone()
        };
        let phone = if rng.chance(0.6) {
            format!("+1 555 {:04}", rng.below(10_000))
        } else {
            String::new()
        };
        let id = sf_id("005", i + 1);
        let (first, last) = if i == 1 {
            ("B2BMA", "Integration")
        } else {
            (f, l)
        };
        let full = format!("{first} {last}");
        row(
            &mut users_csv,
            &[
                &id,
                &username,
                &email,
                first,
                last,
                &full,
                title,
                &phone,
                if active { "true" } else { "false" },
                utype,
                &profile_ids[profile],
                &profile_names[profile],
                &role,
            ],
        );
        users.push(GenUser {
            id,
            username,
            email,
            first,
            last,
            title,
            profile,
        });
    }

    // Groups: public groups in 3–5 nesting levels, then the role groups, a few queues.
    let levels = 3 + (cfg.seed / 3 % 3) as usize;
    let n_public = (n / 25).clamp(100, 60_000);
    let mut groups = String::from("Id,Name,DeveloperName,Type,RelatedId,DoesIncludeBosses\n");
    let mut members = String::with_capacity(n * 11 * 40);
    members.push_str("GroupId,UserOrGroupId\n");
    let mut group_ids: Vec<String> = Vec::with_capacity(n_public);
    let level_of = |g: usize| g % levels;
    for g in 0..n_public {
        let id = sf_id("00G", g + 1);
        let name = format!("Group {g:05}");
        let dev = format!("Group_{g:05}");
        row(&mut groups, &[&id, &name, &dev, "Regular", "", "true"]);
        group_ids.push(id);
    }
    let mut role_group_ids: Vec<String> = Vec::with_capacity(n_roles);
    for (r, rid) in role_ids.iter().enumerate() {
        let gid = sf_id("00G", n_public + 2 * r + 1);
        row(&mut groups, &[&gid, "", "", "Role", rid, "false"]);
        let sid = sf_id("00G", n_public + 2 * r + 2);
        row(
            &mut groups,
            &[&sid, "", "", "RoleAndSubordinates", rid, "false"],
        );
        role_group_ids.push(sid);
    }
    let queues_from = n_public + 2 * n_roles;
    for q in 0..(n_public / 100).max(1) {
        let qid = sf_id("00G", queues_from + q + 1);
        row(
            &mut groups,
            &[
                &qid,
                &format!("Queue {q:03}"),
                &format!("Queue_{q:03}"),
                "Queue",
                "",
                "false",
            ],
        );
    }
    // Nesting: every group below the top level sits in one group of the level above (the first
    // `levels` groups form one full chain); one public group in ten holds a role-subtree group.
    for g in levels..n_public {
        let lv = level_of(g);
        if lv == 0 {
            continue;
        }
        let parents = n_public / levels;
        let p = rng.below(parents) * levels + (lv - 1);
        if p < n_public {
            row(&mut members, &[&group_ids[p], &group_ids[g]]);
        }
    }
    for lv in 1..levels {
        row(&mut members, &[&group_ids[lv - 1], &group_ids[lv]]);
    }
    for g in (0..n_public).step_by(10) {
        // A deep role, so that no group reaches most of the org.
        let r = n_roles / 2 + rng.below(n_roles - n_roles / 2);
        row(&mut members, &[&group_ids[g], &role_group_ids[r]]);
    }
    // About ten memberships per user.
    let mut picked: Vec<usize> = Vec::with_capacity(16);
    for u in &users {
        picked.clear();
        let k = 5 + rng.below(11);
        for _ in 0..k {
            let g = rng.below(n_public);
            if !picked.contains(&g) {
                picked.push(g);
            }
        }
        for &g in &picked {
            row(&mut members, &[&group_ids[g], &u.id]);
        }
    }

    // The business unit and its AE users.
    let tenants = format!(
        "Id,PardotTenantName,InitialPardotAdminId,CreationStatus\n{},{BU_NAME},{},Created\n",
        sf_id("0Uv", 1),
        users[0].id
    );
    let mut ae = String::with_capacity(n * 30);
    ae.push_str("id,email,firstName,lastName,jobTitle,phone,role,roleName,salesforceId,crmUsername,isDeleted\n");
    let mut ae_id = 1000usize;
    for (i, u) in users.iter().enumerate() {
        if i == 1 || !(i == 0 || rng.chance(0.15)) {
            continue;
        }
        ae_id += 1;
        let (role_num, role_name) = match (i, u.profile) {
            (0, _) => ("1", "Administrator"),
            (_, 3) => ("4", "Sales"),
            _ if rng.chance(0.1) => ("3", "Sales Manager"),
            _ => ("2", "Marketing"),
        };
        // A fifth of the linked users have an outdated job title.
        let title = if rng.chance(0.2) {
            "Former Title"
        } else {
            u.title
        };
        let ae_id_s = ae_id.to_string();
        let state = if i == 0 { 0 } else { rng.below(100) };
        let (email, sf, crm, deleted): (&str, &str, &str, bool) = match state {
            0..=59 => (&u.email, &u.id, &u.username, false), // linked by id
            60..=79 => (&u.email, "", &u.username, false),   // linked by CRM username
            80..=87 => (&u.email, &u.id, &u.username, true), // in the recycle bin
            88..=93 => ("", "", "", false),                  // unlinked, stale address
            _ => (&u.email, "", "", false),                  // unlinked, same email
        };
        let stale;
        let email = if email.is_empty() {
            stale = format!("old.{i}@legacy.synthetic.example");
            stale.as_str()
        } else {
            email
        };
        row(
            &mut ae,
            &[
                &ae_id_s,
                email,
                u.first,
                u.last,
                title,
                "",
                role_num,
                role_name,
                sf,
                crm,
                if deleted { "true" } else { "false" },
            ],
        );
    }

    // The scenario: the creator, the top public groups (about 1.5% of all groups with their
    // nested ones), a role subtree for Marketing and one for Sales.
    let top_groups = (n_public * 15 / 1000 / levels).max(1);
    let mut marketing = vec![serde_json::json!({ "user": users[0].username })];
    for t in 0..top_groups {
        marketing.push(serde_json::json!({ "public_group": format!("Group_{:05}", t * levels) }));
    }
    marketing.push(serde_json::json!({ "role_and_subordinates": "VP Marketing" }));
    let scenario = serde_json::json!({
        "format_version": "1",
        "mode": "latest",
        "both_groups": "sales_wins",
        "business_units": [{
            "name": BU_NAME,
            "creator": users[0].username,
            "ae_users": AE_FILE,
            "marketing_users": marketing,
            "sales_users": [ { "role_and_subordinates": "VP Sales" } ],
            "profile_roles": { "System Administrator": "Administrator", "Sales Rep": "Sales Manager" },
        }],
    });
    let scenario = serde_json::to_string_pretty(&scenario).unwrap_or_default() + "\n";

    let file = |name: &str, text: String| InputFile {
        name: name.to_string(),
        bytes: text.into_bytes(),
    };
    vec![
        file(AE_FILE, ae),
        file("group-members.csv", members),
        file("groups.csv", groups),
        file("licenses.csv", licenses),
        file("pardot-tenants.csv", tenants),
        file("profiles.csv", profiles),
        file("roles.csv", roles),
        file("users.csv", users_csv),
        file("syncplan.json", scenario),
    ]
}

/// Splits generated files into the exports and the scenario `(name, text)`.
pub fn split_scenario(files: Vec<InputFile>) -> (Vec<InputFile>, Option<(String, String)>) {
    let mut exports = Vec::with_capacity(files.len());
    let mut scenario = None;
    for f in files {
        if f.name == "syncplan.json" {
            scenario = Some((f.name, String::from_utf8_lossy(&f.bytes).into_owned()));
        } else {
            exports.push(f);
        }
    }
    (exports, scenario)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_valid_and_distinct() {
        let a = sf_id("005", 1);
        let b = sf_id("005", 62);
        assert_eq!(a.len(), 18);
        assert_ne!(a, b);
        assert!(crate::engine::id::UserId::parse(&a).is_ok());
        assert!(crate::engine::id::GroupId::parse(&sf_id("00G", 3_000_000)).is_ok());
    }
}
