//! Property tests: row order does not matter, the engine never panics, applying a plan then
//! planning again leaves nothing to do, and the proposed set-up keeps everyone it can.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use syncplan::engine::decide::Action;
use syncplan::engine::diag::Source;
use syncplan::engine::id::{GroupId, ProfileId, RoleId, SfId, UserId};
use syncplan::engine::ingest::IngestOptions;
use syncplan::engine::model::{
    AeExport, AeUser, Group, GroupMember, GroupType, Org, Profile, Role, User,
};
use syncplan::engine::scenario::{Assignment, BothGroups, BusinessUnit, Legacy, Mode, Scenario};
use syncplan::engine::InputFile;

/// A tiny deterministic generator driven by proptest's seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
}

fn uid(n: u64) -> UserId {
    UserId::parse(&format!("005{n:012}")).unwrap().id
}
fn pid(n: u64) -> ProfileId {
    ProfileId::parse(&format!("00e{n:012}")).unwrap().id
}
fn rid(n: u64) -> RoleId {
    RoleId::parse(&format!("00E{n:012}")).unwrap().id
}
fn gid(n: u64) -> GroupId {
    GroupId::parse(&format!("00G{n:012}")).unwrap().id
}
fn src() -> Source {
    Source {
        file: "users.csv".into(),
        line: 2,
    }
}

const EMAILS: [&str; 6] = [
    "a@x.example",
    "b@x.example",
    "c@x.example",
    "d@x.example",
    "e@x.example",
    "F@x.example",
];
const ROLES: [&str; 4] = ["Administrator", "Marketing", "Sales", "Sales Manager"];

fn random_org(seed: u64) -> (Org, Scenario) {
    let mut r = Rng(seed | 1);
    let mut org = Org {
        has_role_export: true,
        has_portal_type: true,
        ..Org::default()
    };
    for (i, name) in ["System Administrator", "Marketing User", "Sales Rep"]
        .iter()
        .enumerate()
    {
        let id = pid(i as u64 + 1);
        org.profiles.insert(
            id.clone(),
            Profile {
                id,
                name: name.to_string(),
                license_id: None,
                license_name: Some("Salesforce".into()),
                user_type: Some("Standard".into()),
                api_user_only: Some(false),
                api_enabled: None,
                source: src(),
            },
        );
    }
    for i in 1..=4u64 {
        let parent = if i == 1 {
            None
        } else {
            Some(rid(r.below(i - 1) + 1))
        };
        org.roles.insert(
            rid(i),
            Role {
                id: rid(i),
                name: format!("Role {i}"),
                developer_name: Some(format!("Role_{i}")),
                parent_id: parent,
                portal_type: Some(if i == 4 && r.chance(50) {
                    "Partner".into()
                } else {
                    "None".into()
                }),
                source: src(),
            },
        );
    }
    let n_users = r.below(10) + 1;
    for i in 1..=n_users {
        let email = if r.chance(40) {
            EMAILS[r.below(6) as usize].to_string()
        } else {
            format!("user{i}@x.example")
        };
        let u = User {
            id: uid(i),
            username: if r.chance(10) {
                (EMAILS[r.below(6) as usize].to_lowercase() + ".u").into()
            } else {
                format!("user{i}@x.example").into()
            },
            is_active: r.chance(80),
            profile_id: Some(pid(r.below(3) + 1)),
            profile_name: None,
            email: Some(email.into()),
            first_name: Some(format!("First{}", r.below(3)).into()),
            last_name: Some("Last".into()),
            name: Some(format!("User {i}").into()),
            title: Some(format!("T{}", r.below(2)).into()),
            phone: None,
            user_type: Some(if r.chance(10) {
                "PowerPartner".into()
            } else {
                "Standard".into()
            }),
            role_id: if r.chance(70) {
                Some(rid(r.below(4) + 1))
            } else {
                None
            },
            role_name: None,
            license_name: None,
            federation_id: None,
            source: src(),
        };
        org.users.insert(u.id.clone(), u);
    }
    // Make usernames unique.
    let mut seen = std::collections::BTreeSet::new();
    for u in org.users.values_mut() {
        if !seen.insert(u.username.clone()) {
            u.username = format!("{}.{}", u.username, u.id).into();
            seen.insert(u.username.clone());
        }
    }
    org.user_columns.email = true;
    for g in 1..=2u64 {
        org.groups.insert(
            gid(g),
            Group {
                id: gid(g),
                group_type: GroupType::Regular,
                name: Some(format!("Group {g}")),
                developer_name: Some(format!("Group_{g}")),
                related_id: None,
                does_include_bosses: None,
                source: src(),
            },
        );
    }
    org.group_member_files.push("group-members.csv".into());
    for _ in 0..r.below(6) {
        let member: SfId = if r.chance(80) {
            uid(r.below(n_users) + 1).as_sf().clone()
        } else {
            gid(r.below(2) + 1).as_sf().clone()
        };
        org.group_members.push(GroupMember {
            group_id: gid(r.below(2) + 1),
            member_id: member,
            file: 0,
            line: 1,
        });
    }
    let mut ae = Vec::new();
    for i in 0..r.below(8) {
        let linked = r.chance(60);
        ae.push(AeUser {
            id: format!("{}", 100 + i),
            email: if r.chance(50) {
                EMAILS[r.below(6) as usize].to_string()
            } else {
                format!("user{}@x.example", r.below(n_users + 2) + 1)
            },
            first_name: Some("First0".into()),
            last_name: Some("Last".into()),
            job_title: Some("T0".into()),
            phone: None,
            role: Some(ROLES[r.below(4) as usize].to_string()),
            salesforce_id: if linked && r.chance(80) {
                Some(uid(r.below(n_users + 1) + 1))
            } else {
                None
            },
            crm_username: if linked && r.chance(30) {
                Some(format!("user{}@x.example", r.below(n_users) + 1))
            } else {
                None
            },
            is_deleted: r.chance(25),
            source: Source {
                file: "ae.csv".into(),
                line: i + 2,
            },
        });
    }
    org.ae_exports.insert(
        "ae.csv".into(),
        AeExport {
            file: "ae.csv".into(),
            users: ae,
            has_role: true,
        },
    );
    let mut marketing = Vec::new();
    let mut sales = Vec::new();
    for _ in 0..r.below(4) {
        let a = match r.below(5) {
            0 => Assignment::User(uid(r.below(n_users) + 1).to_string()),
            1 => Assignment::PublicGroup(format!("Group_{}", r.below(2) + 1)),
            2 => Assignment::Role(format!("Role {}", r.below(4) + 1)),
            3 => Assignment::RoleAndSubordinates(format!("Role_{}", r.below(4) + 1)),
            _ => Assignment::RoleAndInternalSubordinates(format!("Role_{}", r.below(4) + 1)),
        };
        if r.chance(70) {
            marketing.push(a)
        } else {
            sales.push(a)
        }
    }
    let mut profile_roles = BTreeMap::new();
    if r.chance(50) {
        profile_roles.insert(
            "System Administrator".to_string(),
            "Administrator".to_string(),
        );
    }
    let legacy = r.chance(30);
    let scenario = Scenario {
        format_version: "1".into(),
        mode: if legacy { Mode::Legacy } else { Mode::Latest },
        both_groups: if r.chance(50) {
            BothGroups::SalesWins
        } else {
            BothGroups::MarketingWins
        },
        business_units: vec![BusinessUnit {
            name: "BU".into(),
            creator: if r.chance(50) {
                Some(uid(1).to_string())
            } else {
                None
            },
            tenant: None,
            ae_users: Some("ae.csv".into()),
            legacy: None,
            marketing_users: if legacy { vec![] } else { marketing },
            sales_users: if legacy { vec![] } else { sales },
            profile_roles,
        }],
        legacy: legacy.then(|| Legacy {
            profiles: [
                ("Marketing User".to_string(), "Marketing".to_string()),
                ("Sales Rep".to_string(), "Sales".to_string()),
            ]
            .into_iter()
            .collect(),
            update_role_on_profile_change: r.chance(50),
            recycle_when_profile_unselected: r.chance(50),
            skip_on_email_match: r.chance(50),
            assume_profile_changed: r.chance(50),
        }),
        include_bosses: false,
    };
    (org, scenario)
}

/// Apply a plan to the AE users export, as User Sync would.
fn apply(org: &mut Org, report: &syncplan::engine::Report) {
    let Some(export) = org.ae_exports.get_mut("ae.csv") else {
        return;
    };
    let mut next = 10_000;
    for d in &report.plan.business_units[0].decisions {
        let user = d
            .salesforce_user_id
            .as_ref()
            .and_then(|id| org.users.get(id));
        match d.action {
            Action::Create => {
                let u = user.unwrap();
                next += 1;
                export.users.push(AeUser {
                    id: next.to_string(),
                    email: u.email.as_deref().unwrap_or_default().into(),
                    first_name: u.first_name.as_deref().map(Into::into),
                    last_name: u.last_name.as_deref().map(Into::into),
                    job_title: u.title.as_deref().map(Into::into),
                    phone: None,
                    role: d.role.as_deref().map(Into::into),
                    salesforce_id: Some(u.id.clone()),
                    crm_username: Some(u.username.to_string()),
                    is_deleted: false,
                    source: Source {
                        file: "ae.csv".into(),
                        line: next,
                    },
                });
            }
            Action::Update | Action::Restore => {
                let u = user.unwrap();
                let a = export
                    .users
                    .iter_mut()
                    .find(|a| Some(a.id.as_str()) == d.ae_user_id.as_deref())
                    .unwrap();
                a.email = u.email.as_deref().unwrap_or_default().into();
                a.first_name = u.first_name.as_deref().map(Into::into);
                a.last_name = u.last_name.as_deref().map(Into::into);
                a.job_title = u.title.as_deref().map(Into::into);
                a.role = d.role.as_deref().map(Into::into);
                a.is_deleted = false;
                if a.salesforce_id.is_none() && a.crm_username.is_none() {
                    a.salesforce_id = Some(u.id.clone());
                }
            }
            Action::Recycle => {
                let a = export
                    .users
                    .iter_mut()
                    .find(|a| Some(a.id.as_str()) == d.ae_user_id.as_deref())
                    .unwrap();
                a.is_deleted = true;
            }
            Action::Skip | Action::None => {}
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_and_is_deterministic(seed in any::<u64>()) {
        let (org, scenario) = random_org(seed);
        let a = common::plan_org(&org, &scenario);
        let b = common::plan_org(&org, &scenario);
        prop_assert_eq!(&a, &b);
        if let Ok(r) = a {
            let n: usize = r.plan.business_units.iter().map(|b| b.decisions.len()).sum();
            let s = r.plan.summary;
            prop_assert_eq!(n, s.create + s.update + s.restore + s.recycle + s.skip + s.none);
            let _ = syncplan::engine::render::text(&r.plan);
            let _ = syncplan::engine::render::csv(&r.plan);
            let _ = syncplan::engine::render::markdown(&r.plan);
        }
    }

    #[test]
    fn applying_the_plan_leaves_nothing_to_do(seed in any::<u64>()) {
        let (mut org, scenario) = random_org(seed);
        let Ok(first) = common::plan_org(&org, &scenario) else { return Ok(()) };
        // One run can unblock the next: an update moves an AE user's email away and frees it
        // for a skipped user, or a recycled link lets a conflicting AE user become the link
        // (W-LINK-CONFLICT). So apply until nothing changes; it must settle within a few rounds, and
        // a plan with neither cascade settles after one.
        let cascades = first.plan.business_units[0].decisions.iter().any(|d| {
            d.reason.code == "L-LINK-CONFLICT"
                || (matches!(d.action, Action::Update | Action::Restore) && d.changes.iter().any(|c| c.field == "email"))
        });
        apply(&mut org, &first);
        let mut second = common::plan_org(&org, &scenario).unwrap();
        if cascades {
            for _ in 0..8 {
                apply(&mut org, &second);
                second = common::plan_org(&org, &scenario).unwrap();
            }
        }
        for d in &second.plan.business_units[0].decisions {
            prop_assert!(
                matches!(d.action, Action::None | Action::Skip),
                "after applying, {:?} {:?} is {:?} ({}: {})",
                d.username, d.ae_user_id, d.action, d.reason.code, d.reason.text
            );
        }
    }

    #[test]
    fn the_proposal_keeps_every_kept_user_but_its_conflicts(seed in any::<u64>()) {
        let (mut org, scenario) = random_org(seed);
        // More users synced today than the plan tests need: most users get an AE user linked
        // by Salesforce id, with a role of their own.
        let mut r = Rng(seed.rotate_left(17) | 1);
        let ids: Vec<UserId> = org.users.keys().cloned().collect();
        if let Some(export) = org.ae_exports.get_mut("ae.csv") {
            for (i, u) in ids.iter().enumerate() {
                if r.chance(70) {
                    export.users.push(AeUser {
                        id: format!("{}", 500 + i),
                        email: format!("synced{i}@x.example"),
                        first_name: None,
                        last_name: None,
                        job_title: None,
                        phone: None,
                        role: Some(ROLES[r.below(4) as usize].to_string()),
                        salesforce_id: Some(u.clone()),
                        crm_username: None,
                        is_deleted: r.chance(10),
                        source: Source { file: "ae.csv".into(), line: 100 + i as u64 },
                    });
                }
            }
        }
        let ingested = common::ingested_of(&org);
        let Ok(p) = syncplan::engine::propose::propose(&ingested, Some(syncplan::engine::Setup::given(scenario.clone()))) else {
            return Ok(());
        };
        let mut with_groups = org.clone();
        for g in p.business_units.iter().flat_map(|b| &b.new_groups) {
            with_groups.groups.insert(g.id.clone(), Group {
                id: g.id.clone(),
                group_type: GroupType::Regular,
                name: Some(g.name.clone()),
                developer_name: Some(g.developer_name.clone()),
                related_id: None,
                does_include_bosses: Some(false),
                source: src(),
            });
            for m in &g.members {
                with_groups.group_members.push(GroupMember { group_id: g.id.clone(), member_id: m.as_sf().clone(), file: 0, line: 1 });
            }
        }
        let planned = common::plan_org(&with_groups, &p.scenario).unwrap();
        for bu in &p.business_units {
            let plan_bu = planned.plan.business_units.iter().find(|b| b.name == bu.name).unwrap();
            prop_assert_eq!(plan_bu.summary.create, 0, "the proposal creates nobody");
            let conflicted: Vec<&UserId> = bu.conflicts.iter().map(|c| &c.salesforce_user_id).collect();
            for k in &bu.kept {
                let d = plan_bu.decisions.iter().find(|d| d.salesforce_user_id.as_ref() == Some(&k.salesforce_user_id)).unwrap();
                prop_assert!(d.action != Action::Recycle, "{} is recycled: {}", k.username, d.reason.text);
                if !conflicted.contains(&&k.salesforce_user_id) {
                    prop_assert!(matches!(d.action, Action::None | Action::Update), "{}: {:?} {}", k.username, d.action, d.reason.text);
                    prop_assert_eq!(d.role.as_deref().map(syncplan::engine::scenario::canonical_role), Some(k.role.clone()), "{}", k.username);
                }
            }
            prop_assert_eq!(bu.verification.kept_unchanged + bu.verification.role_changes, bu.kept_users);
            // A conflict: the creator (who gets Administrator), or two kept Marketing users of one
            // profile with different roles today.
            for c in &bu.conflicts {
                let k = bu.kept.iter().find(|k| k.salesforce_user_id == c.salesforce_user_id).unwrap();
                let creator = c.proposed_role == "Administrator" && c.reason.contains("creator");
                let others = bu.kept.iter().any(|o| {
                    o.salesforce_user_id != k.salesforce_user_id && o.role != "Sales"
                        && o.profile == k.profile && o.role != k.role
                });
                prop_assert!(creator || others, "conflict without cause: {:?}", c);
            }
        }
    }

    /// The web app's worker keeps the membership index of the exports between set-up edits
    /// (`membership::Index`): a plan on a kept index is the plan made from scratch, whatever
    /// set-up the index was first used for.
    #[test]
    fn a_plan_on_a_kept_index_is_the_plan_from_scratch(seed in any::<u64>()) {
        use syncplan::engine::membership::Resolver;
        use syncplan::engine::{plan, Exports, PlanOptions, Setup};
        let (org, scenario) = random_org(seed);
        let read = common::ingested_of(&org);
        let planned = |s: &Scenario, resolver: &mut Resolver| {
            let opts = PlanOptions { resolver: Some(resolver), ..PlanOptions::default() };
            plan(Exports::Kept(&read), Some(Setup::given(s.clone())), opts).map(|p| p.report)
        };
        // The index is first used for another set-up: some assignments dropped, the
        // hierarchy switch flipped.
        let mut first = scenario.clone();
        let mut r = Rng(seed.rotate_left(29) | 1);
        for bu in &mut first.business_units {
            bu.marketing_users.retain(|_| r.chance(60));
            bu.sales_users.retain(|_| r.chance(60));
        }
        first.include_bosses = !first.include_bosses;
        let mut fresh = Resolver::for_ingested(&read);
        let _ = planned(&first, &mut fresh);
        let mut kept = Resolver::with_index(&read.org, fresh.index());
        let again = planned(&scenario, &mut kept);
        let scratch = planned(&scenario, &mut Resolver::for_ingested(&read));
        prop_assert_eq!(again, scratch);
    }

    #[test]
    fn shuffling_rows_does_not_change_the_plan(seed in any::<u64>(), case in 0usize..4) {
        let cases = ["latest-actions", "skips", "identity-links", "membership"];
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(cases[case]);
        let mut files = Vec::new();
        let mut scenario = None;
        let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for p in entries {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name == "syncplan.json" {
                scenario = Some(std::fs::read_to_string(&p).unwrap());
            } else if name.ends_with(".csv") {
                files.push(InputFile { name, bytes: std::fs::read(&p).unwrap() });
            }
        }
        let base = common::read_and_plan(&files, scenario.as_deref().map(|s| ("syncplan.json", s)), &IngestOptions::default()).unwrap();
        let mut r = Rng(seed | 1);
        let shuffled: Vec<InputFile> = files
            .iter()
            .map(|f| {
                let text = String::from_utf8(f.bytes.clone()).unwrap();
                let mut lines: Vec<&str> = text.lines().collect();
                let header = lines.remove(0);
                for i in (1..lines.len()).rev() {
                    let j = r.below(i as u64 + 1) as usize;
                    lines.swap(i, j);
                }
                let mut out = String::from(header);
                out.push('\n');
                for l in lines {
                    out.push_str(l);
                    out.push('\n');
                }
                InputFile { name: f.name.clone(), bytes: out.into_bytes() }
            })
            .collect();
        let again = common::read_and_plan(&shuffled, scenario.as_deref().map(|s| ("syncplan.json", s)), &IngestOptions::default()).unwrap();
        prop_assert_eq!(&base.plan.business_units, &again.plan.business_units);
        prop_assert_eq!(&base.plan.summary, &again.plan.summary);
        let codes = |r: &syncplan::engine::Report| {
            let mut v: Vec<(String, String)> = r.plan.findings.iter().map(|f| (f.code.to_string(), f.message.clone())).collect();
            v.sort();
            v
        };
        prop_assert_eq!(codes(&base), codes(&again));
    }
}
