//! `compare` (spec §13) agrees with two separate plans: on every golden case, against set-ups
//! edited in ways that matter (the other group wins, Marketing Users emptied, legacy switches
//! flipped), each user's change is what the two plans' decisions say, and the command line
//! writes the same comparison.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use syncplan::engine::compare::{compare, Change, Comparison};
use syncplan::engine::decide::Decision;
use syncplan::engine::ingest::{IngestOptions, InputFile};
use syncplan::engine::Plan;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("syncplan.json").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn exports(dir: &Path) -> Vec<InputFile> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| InputFile {
            name: p.file_name().unwrap().to_string_lossy().into_owned(),
            bytes: std::fs::read(p).unwrap(),
        })
        .collect()
}

fn try_plan(files: &[InputFile], setup: &serde_json::Value) -> Option<Plan> {
    let text = setup.to_string();
    common::read_and_plan(
        files,
        Some(("syncplan.json", &text)),
        &IngestOptions::default(),
    )
    .ok()
    .map(|r| r.plan)
}

fn plan_with(files: &[InputFile], setup: &serde_json::Value) -> Plan {
    try_plan(files, setup).unwrap()
}

/// The edits of a set-up that change something.
fn variants(setup: &serde_json::Value) -> Vec<(&'static str, serde_json::Value)> {
    let mut out = vec![("the same set-up", setup.clone())];
    let mut v = setup.clone();
    v["both_groups"] = if setup["both_groups"] == "marketing_wins" {
        "sales_wins".into()
    } else {
        "marketing_wins".into()
    };
    out.push(("the other group wins", v));
    let mut v = setup.clone();
    if let Some(bu) = v["business_units"].get_mut(0) {
        bu["marketing_users"] = serde_json::json!([]);
    }
    out.push(("no Marketing Users in the first business unit", v));
    let mut v = setup.clone();
    let legacy = v["legacy"].as_object_mut();
    if let Some(l) = legacy {
        let on = l
            .get("recycle_when_profile_unselected")
            .and_then(|x| x.as_bool())
            == Some(true);
        l.insert("recycle_when_profile_unselected".into(), (!on).into());
        out.push(("the legacy recycle switch flipped", v));
    }
    out
}

fn key(bu: &str, d: &Decision) -> (String, String) {
    let k = match (&d.salesforce_user_id, &d.ae_user_id) {
        (Some(id), _) => id.to_string(),
        (None, Some(ae)) => format!("ae:{ae}"),
        (None, None) => String::new(),
    };
    (bu.to_string(), k)
}

fn decisions(plan: &Plan) -> BTreeMap<(String, String), &Decision> {
    plan.business_units
        .iter()
        .flat_map(|b| b.decisions.iter().map(move |d| (key(&b.name, d), d)))
        .collect()
}

/// Check a comparison against the two plans it was made of.
fn agrees(c: &Comparison, before: &Plan, after: &Plan, what: &str) {
    let (xs, ys) = (decisions(before), decisions(after));
    let mut keys: Vec<&(String, String)> = xs.keys().chain(ys.keys()).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(c.users.len(), keys.len(), "{what}: one entry per user");
    let mut counts: BTreeMap<Change, usize> = BTreeMap::new();
    for u in &c.users {
        let k = (
            u.business_unit.clone(),
            u.salesforce_user_id
                .as_ref()
                .map(|i| i.to_string())
                .or_else(|| u.ae_user_id.as_ref().map(|a| format!("ae:{a}")))
                .unwrap_or_default(),
        );
        let (x, y) = (xs.get(&k), ys.get(&k));
        let role = |d: Option<&&Decision>| d.and_then(|d| d.role.as_deref().map(str::to_string));
        let want = match (role(x), role(y)) {
            (None, Some(_)) => Change::GainsAccess,
            (Some(_), None) => Change::LosesAccess,
            (Some(a), Some(b)) if a != b => Change::RoleChanges,
            _ => Change::Unchanged,
        };
        assert_eq!(u.change, want, "{what}: {k:?}");
        assert_eq!(
            u.before.as_ref().map(|s| s.action),
            x.map(|d| d.action),
            "{what}: {k:?}"
        );
        assert_eq!(
            u.after.as_ref().map(|s| s.action),
            y.map(|d| d.action),
            "{what}: {k:?}"
        );
        assert_eq!(
            u.after.as_ref().map(|s| s.reason.clone()),
            y.map(|d| d.reason.code.to_string()),
            "{what}: {k:?}"
        );
        *counts.entry(u.change).or_default() += 1;
    }
    for ch in Change::ALL {
        assert_eq!(
            c.summary.count(ch),
            counts.get(&ch).copied().unwrap_or(0),
            "{what}: {ch:?}"
        );
    }
}

#[test]
fn compare_agrees_with_two_plans_on_every_golden_case() {
    let mut changed = 0;
    for dir in cases() {
        let files = exports(&dir);
        let setup: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("syncplan.json")).unwrap()).unwrap();
        // A case whose set-up cannot be planned (a bad reference) has nothing to compare.
        let Some(before) = try_plan(&files, &setup) else {
            continue;
        };
        for (what, v) in variants(&setup) {
            let after = plan_with(&files, &v);
            let c = compare(&before, &after);
            let what = format!("{}: {what}", dir.display());
            agrees(&c, &before, &after, &what);
            if what.ends_with("the same set-up") {
                assert_eq!(c.summary.unchanged, c.users.len(), "{what}");
            }
            changed += c.users.len() - c.summary.unchanged;
        }
    }
    assert!(changed > 20, "the variants change something: {changed}");
}

#[test]
fn the_command_line_writes_the_comparison_of_the_two_plans() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/demo");
    let tmp = std::env::temp_dir().join(format!("syncplan-compare-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let setup: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("syncplan.json")).unwrap()).unwrap();
    let mut after = setup.clone();
    after["business_units"][0]["marketing_users"] = serde_json::json!([]);
    let after_path = tmp.join("after.json");
    std::fs::write(&after_path, after.to_string()).unwrap();
    let run = |format: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_syncplan"))
            .arg("compare")
            .arg(&dir)
            .arg("--before")
            .arg(dir.join("syncplan.json"))
            .arg("--after")
            .arg(&after_path)
            .args(["--format", format])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let got: Comparison = serde_json::from_str(&run("json")).unwrap();
    let mut files: Vec<InputFile> = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|e| e == "csv") {
            files.push(InputFile {
                name: p.file_name().unwrap().to_string_lossy().into_owned(),
                bytes: std::fs::read(&p).unwrap(),
            });
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let want = compare(&plan_with(&files, &setup), &plan_with(&files, &after));
    assert_eq!(got, want);
    assert!(want.summary.loses_access > 5, "{:?}", want.summary);
    let text = run("text");
    assert!(
        text.contains(&format!("{} lose access", want.summary.loses_access)),
        "{text}"
    );
    let csv = run("csv");
    assert_eq!(csv.lines().count(), want.users.len() + 1);
    std::fs::remove_dir_all(&tmp).unwrap();
}
