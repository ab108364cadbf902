//! The proposal (spec §12) on the golden cases named `propose-*`: its files are snapshots
//! (`INSTA_UPDATE=always cargo test --test propose` rewrites them), and the command line's
//! files read back as exports plan as the proposal says: every kept user kept, nobody created.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("propose-")
        })
        .collect();
    dirs.sort();
    dirs
}

fn syncplan(args: &[&std::ffi::OsStr]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_syncplan"))
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_proposals_of_the_golden_cases() {
    let cases = cases();
    assert!(!cases.is_empty());
    for dir in cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let out = std::env::temp_dir().join(format!("syncplan-{name}-{}", std::process::id()));
        let said = syncplan(&[
            "propose".as_ref(),
            dir.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ]);
        let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap_or_default();
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(&dir);
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| {
            insta::assert_snapshot!("proposal_md", read("proposal.md"));
            insta::assert_snapshot!("proposal_json", read("proposal.json"));
            insta::assert_snapshot!("proposed_syncplan_json", read("syncplan.json"));
            insta::assert_snapshot!("proposed_groups_csv", read("proposed-groups.csv"));
            insta::assert_snapshot!(
                "proposed_group_members_csv",
                read("proposed-group-members.csv")
            );
        });
        // Read back: the exports, the new groups' files and the proposed set-up plan as the
        // proposal's verification says.
        let proposal: serde_json::Value = serde_json::from_str(&read("proposal.json")).unwrap();
        let mut args: Vec<std::ffi::OsString> = vec!["plan".into()];
        args.push(dir.clone().into());
        for f in ["proposed-groups.csv", "proposed-group-members.csv"] {
            if out.join(f).is_file() {
                args.push(out.join(f).into());
            }
        }
        args.extend(["--scenario".into(), out.join("syncplan.json").into()]);
        args.extend(["--format".into(), "json".into()]);
        let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        let plan: serde_json::Value = serde_json::from_str(&syncplan(&args)).unwrap();
        for bu in proposal["business_units"].as_array().unwrap() {
            let v = &bu["verification"];
            let planned = plan["business_units"]
                .as_array()
                .unwrap()
                .iter()
                .find(|b| b["name"] == bu["name"])
                .unwrap();
            assert_eq!(planned["summary"]["create"], 0, "{name}");
            assert_eq!(v["created"], 0, "{name}");
            assert_eq!(v["recycled"], 0, "{name}");
            assert_eq!(
                v["kept_unchanged"].as_u64().unwrap() + v["role_changes"].as_u64().unwrap(),
                bu["kept_users"].as_u64().unwrap(),
                "{name}"
            );
            assert_eq!(
                v["role_changes"].as_u64().unwrap() as usize,
                bu["conflicts"].as_array().unwrap().len(),
                "{name}"
            );
            assert!(
                said.contains(&format!(
                    "{}: kept {} of {}",
                    bu["name"].as_str().unwrap(),
                    v["kept_unchanged"],
                    bu["kept_users"]
                )),
                "{said}"
            );
        }
        std::fs::remove_dir_all(&out).unwrap();
    }
}

/// The set-up's assignments are not used by the proposal: one that names nothing does not stop
/// it.
#[test]
fn a_set_up_whose_assignments_name_nothing_still_gets_a_proposal() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/scenario-bad-reference");
    let out = std::env::temp_dir().join(format!("syncplan-propose-bad-{}", std::process::id()));
    let said = syncplan(&[
        "propose".as_ref(),
        dir.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(said.starts_with("Acme: kept "), "{said}");
    assert!(out.join("syncplan.json").is_file());
    std::fs::remove_dir_all(&out).unwrap();
}
