//! The synthetic org generator (`syncplan generate`): deterministic, read without a
//! rejected row, and covering every state the plan distinguishes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use common::second_then_first;

use syncplan::engine::ingest::{ingest, IngestOptions, Kind};
use syncplan::engine::{plan, Exports, PlanOptions, Setup, Severity};
use syncplan::generate::{generate, split_scenario, Config};

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let a = generate(Config {
        users: 500,
        seed: 3,
    });
    let b = generate(Config {
        users: 500,
        seed: 3,
    });
    let c = generate(Config {
        users: 500,
        seed: 4,
    });
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn a_1k_org_is_read_without_rejections_and_plans_every_action() {
    let (files, scenario) = split_scenario(generate(Config {
        users: 1000,
        seed: 1,
    }));
    let ingested = ingest(&files, &IngestOptions::default());
    let kinds: BTreeSet<Kind> = ingested.files.iter().map(|f| f.kind).collect();
    for k in [
        Kind::User,
        Kind::Profile,
        Kind::UserRole,
        Kind::Group,
        Kind::GroupMember,
        Kind::UserLicense,
        Kind::PardotTenant,
        Kind::AeUsers,
    ] {
        assert!(kinds.contains(&k), "no {k:?} export");
    }
    for f in &ingested.files {
        assert_eq!(f.rows_rejected, 0, "{}: {:?}", f.file, f.diagnostics);
        assert_eq!(f.rows_read, f.rows_used, "{}", f.file);
        assert!(f.rows_used > 0, "{}", f.file);
    }
    let errors: Vec<_> = ingested
        .all_diagnostics()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(ingested.org.users.len(), 1000);
    // About ten group memberships per user.
    let per_user = ingested.org.group_members.len() as f64 / 1000.0;
    assert!((8.0..=12.0).contains(&per_user), "{per_user}");
    // The role tree is 8 to 10 levels deep.
    let roles = &ingested.org.roles;
    let depth = |start: &syncplan::engine::id::RoleId| {
        let mut r = start.clone();
        let mut d = 1;
        while let Some(p) = roles[&r].parent_id.clone() {
            r = p;
            d += 1;
        }
        d
    };
    let deepest = roles.keys().map(depth).max().unwrap();
    assert!((8..=10).contains(&deepest), "{deepest}");

    let (name, text) = scenario.expect("a scenario");
    let report =
        common::read_and_plan(&files, Some((&name, &text)), &IngestOptions::default()).unwrap();
    let s = report.plan.summary;
    for (action, n) in [
        ("create", s.create),
        ("update", s.update),
        ("restore", s.restore),
        ("recycle", s.recycle),
        ("skip", s.skip),
        ("none", s.none),
    ] {
        assert!(n > 0, "no {action} in {s:?}");
    }
    let codes: BTreeSet<&str> = report
        .plan
        .business_units
        .iter()
        .flat_map(|b| &b.decisions)
        .map(|d| d.reason.code.as_str())
        .collect();
    for c in [
        "L-CREATE",
        "L-UPDATE",
        "L-IN-SYNC",
        "L-RESTORE",
        "L-INACTIVE",
        "L-SKIP-EMAIL",
        "L-UNLINKED",
        "L-INELIGIBLE",
        "L-OUT-OF-SCOPE",
    ] {
        assert!(codes.contains(c), "no {c} in {codes:?}");
    }
}

#[test]
fn the_command_writes_a_folder_that_inspect_reads_entirely() {
    let dir = std::env::temp_dir().join(format!("syncplan-generate-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let bin = env!("CARGO_BIN_EXE_syncplan");
    let out = Command::new(bin)
        .args(["generate", "--users", "1000", "--seed", "1", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.join("syncplan.json").is_file());
    let inspect = Command::new(bin).arg("inspect").arg(&dir).output().unwrap();
    let text = String::from_utf8_lossy(&inspect.stdout);
    assert_eq!(inspect.status.code(), Some(0), "{text}");
    assert!(text.contains("users.csv: User"), "{text}");
    assert!(text.contains(", 0 rejected"), "{text}");
    assert!(!text.contains("error["), "{text}");
    let plan = Command::new(bin).arg("plan").arg(&dir).output().unwrap();
    assert!(
        plan.status.success(),
        "{}",
        String::from_utf8_lossy(&plan.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The resolver built from what ingestion looked up plans exactly as one that looks every
/// membership's user up again, including members missing from the User export.
#[test]
fn the_resolver_of_what_was_read_plans_as_a_fresh_one() {
    use syncplan::engine::membership::Resolver;
    let (mut files, scenario) = split_scenario(generate(Config {
        users: 1000,
        seed: 2,
    }));
    // Drop every seventh user row: their memberships point at users the export lacks.
    let users = files.iter_mut().find(|f| f.name == "users.csv").unwrap();
    let text = String::from_utf8(users.bytes.clone()).unwrap();
    users.bytes = text
        .lines()
        .enumerate()
        .filter(|(i, _)| *i == 0 || i % 7 != 3)
        .map(|(_, l)| format!("{l}\n"))
        .collect::<String>()
        .into_bytes();
    let ingested = ingest(&files, &IngestOptions::default());
    assert!(ingested.member_users_known.contains(&false));
    assert_eq!(
        ingested.member_users_known.len(),
        ingested.org.group_members.len()
    );
    let (name, text) = scenario.unwrap();
    let sc = || Some(Setup::parse(&name, &text).unwrap());
    let shared = plan(Exports::Kept(&ingested), sc(), PlanOptions::default())
        .unwrap()
        .report;
    let mut resolver = Resolver::new(&ingested.org);
    let opts = PlanOptions {
        resolver: Some(&mut resolver),
        ..Default::default()
    };
    let fresh = plan(Exports::Kept(&ingested), sc(), opts).unwrap().report;
    assert_eq!(shared, fresh);
    // The resolvers themselves agree, members missing from the User export included.
    let (a, b) = (
        Resolver::for_ingested(&ingested),
        Resolver::new(&ingested.org),
    );
    assert_eq!(a.diagnostics, b.diagnostics);
    assert!(a
        .diagnostics
        .iter()
        .any(|d| d.message.contains("member(s) not in the User export")));
    assert!(shared
        .plan
        .diagnostics
        .iter()
        .any(|d| d.code == "W-ORPHAN" && d.message.contains("which is not in the User export")));
}

/// Every `n`th data row of a CSV text dropped.
fn drop_rows(bytes: &[u8], n: usize) -> Vec<u8> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, _)| *i == 0 || i % n != 0)
        .map(|(_, l)| l)
        .collect();
    (kept.join("\n") + "\n").into_bytes()
}

/// What the command line does with its second core (a large file parsed in two halves, the
/// GroupMember rows sorted while the next file is typed, the reference check's two passes at
/// once), with the two pieces of work run one after the other in either order: the same
/// reading as `ingest`, findings in the same order. The 16k-user org's group-members.csv is
/// past the size from which a file is cut in two; a second GroupMember export (its rows' last
/// fifth, named to come after the users) has its rows sorted in with the first's at the end;
/// users and profiles dropped leave memberships and users pointing at nothing (findings from
/// both passes).
#[test]
fn reading_with_a_second_core_reads_as_ingest() {
    use syncplan::engine::ingest::{in_turn, prepare_bytes_on, Ingester, InputFile, Join};
    let (mut files, _) = split_scenario(generate(Config {
        users: 16_000,
        seed: 5,
    }));
    for f in &mut files {
        match f.name.as_str() {
            "users.csv" => f.bytes = drop_rows(&f.bytes, 97),
            "profiles.csv" => f.bytes = drop_rows(&f.bytes, 5),
            _ => {}
        }
    }
    let members = files
        .iter_mut()
        .find(|f| f.name == "group-members.csv")
        .unwrap();
    let text = String::from_utf8(members.bytes.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let cut = lines.len() * 4 / 5;
    members.bytes = (lines[..cut].join("\n") + "\n").into_bytes();
    assert!(
        members.bytes.len() > 4 << 20,
        "{} bytes",
        members.bytes.len()
    );
    let more = format!("{}\n{}\n", lines[0], lines[cut..].join("\n"));
    files.push(InputFile {
        name: "zz-group-members.csv".to_string(),
        bytes: more.into_bytes(),
    });
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let opts = IngestOptions::default();
    let one = ingest(&files, &opts);
    assert!(one.org.group_members.len() > 100_000);
    assert!(one
        .org
        .group_members
        .windows(2)
        .all(|w| w[0].group_id <= w[1].group_id));
    let orphans = |file: &str| {
        one.diagnostics
            .iter()
            .filter(|d| d.code == "W-ORPHAN" && d.file.as_deref() == Some(file))
            .count()
    };
    assert!(
        orphans("users.csv") > 0 && orphans("group-members.csv") > 0,
        "{:?}",
        one.diagnostics.len()
    );
    for join in [in_turn as Join, second_then_first] {
        let mut ingester = Ingester::new(&opts);
        for f in &files {
            let prepared = prepare_bytes_on(&f.name, &f.bytes, &opts, Some(join));
            ingester.add_prepared_on(prepared, Some(join));
        }
        let two = ingester.finish_on(Some(join));
        assert!(two == one, "the readings differ");
    }
}

/// What the command line does with its second core while planning (the users decided in two
/// halves, the profile-to-role tables and the integration users made beside the audit), with
/// the two pieces of work run one after the other in either order: the same report as with one
/// core (`tests/golden.rs` does the same for each golden case, legacy mode among them).
#[test]
fn planning_with_a_second_core_plans_as_one() {
    use syncplan::engine::ingest::{in_turn, Join};
    let (files, scenario) = split_scenario(generate(Config {
        users: 2000,
        seed: 3,
    }));
    let ingested = ingest(&files, &IngestOptions::default());
    let (name, text) = scenario.unwrap();
    let sc = || Some(Setup::parse(&name, &text).unwrap());
    let one = plan(ingested.clone().into(), sc(), PlanOptions::default())
        .unwrap()
        .report;
    assert!(!one.profile_roles.is_empty() && !one.integration_users.is_empty());
    assert!(one.plan.summary.create > 0 && !one.plan.findings.is_empty());
    for join in [in_turn as Join, second_then_first] {
        let opts = PlanOptions {
            join: Some(join),
            ..Default::default()
        };
        let two = plan(ingested.clone().into(), sc(), opts).unwrap().report;
        assert!(two == one, "the reports differ");
    }
}
