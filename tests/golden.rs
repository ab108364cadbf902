//! Golden tests: every folder under `tests/golden/` holds exports and a `syncplan.json`; the
//! pipeline runs on it and the JSON plan and the text summary are snapshotted next to it.
//! Regenerate with `INSTA_UPDATE=always cargo test --test golden`, then read the snapshots.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;

use syncplan::engine::ingest::{self, in_turn, IngestOptions, Join};
use syncplan::engine::{plan, PlanOptions, Setup};
use syncplan::engine::{render, InputFile, Report};

fn read_case(dir: &Path) -> (Vec<InputFile>, Option<(String, String)>) {
    let mut files = Vec::new();
    let mut scenario = None;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name == "syncplan.json" {
            scenario = Some((name, std::fs::read_to_string(&p).unwrap()));
        } else if name.ends_with(".csv") || name.ends_with(".txt") {
            files.push(InputFile {
                name,
                bytes: std::fs::read(&p).unwrap(),
            });
        }
    }
    (files, scenario)
}

/// The JSON the command line streams ([`render::json_to`], and [`render::json_to_with`] with the
/// decisions in pieces, as its threads write them) is [`render::json`]'s, byte for byte.
fn assert_streamed_json_is_whole(plan: &syncplan::engine::Plan) {
    let whole = render::json(plan);
    let mut streamed = Vec::new();
    render::json_to(plan, &mut streamed).unwrap();
    assert_eq!(String::from_utf8(streamed).unwrap(), whole);
    for piece in [1, 2, 3] {
        let mut pieces = Vec::new();
        render::json_to_with(plan, &mut pieces, &mut |w, ds| {
            ds.chunks(piece)
                .enumerate()
                .try_for_each(|(i, c)| render::decisions_json_to(w, c, i == 0))
        })
        .unwrap();
        assert_eq!(
            String::from_utf8(pieces).unwrap(),
            whole,
            "pieces of {piece}"
        );
    }
    // No business unit, and one with no decision.
    let mut empty = plan.clone();
    for bu in &mut empty.business_units {
        bu.decisions.clear();
    }
    let mut streamed = Vec::new();
    render::json_to(&empty, &mut streamed).unwrap();
    assert_eq!(String::from_utf8(streamed).unwrap(), render::json(&empty));
    empty.business_units.clear();
    let mut streamed = Vec::new();
    render::json_to(&empty, &mut streamed).unwrap();
    assert_eq!(String::from_utf8(streamed).unwrap(), render::json(&empty));
}

/// What the command line plans with its second core (the users decided in two halves, the tables
/// made beside the audit; the two pieces of work run one after the other, in either order) is
/// the report planned with one.
fn assert_two_cores_plan_as_one(
    files: &[InputFile],
    scenario: Option<&(String, String)>,
    one: &Report,
) {
    let ingested = ingest::ingest(files, &IngestOptions::default());
    let setup = scenario.map(|(name, text)| Setup::parse(name, text).unwrap());
    for join in [in_turn as Join, common::second_then_first] {
        let opts = PlanOptions {
            join: Some(join),
            ..Default::default()
        };
        let two = plan(ingested.clone().into(), setup.clone(), opts).unwrap();
        assert!(&two.report == one, "the reports differ");
    }
}

fn run_case(dir: &Path) {
    let case = dir.file_name().unwrap().to_string_lossy().into_owned();
    let (files, scenario) = read_case(dir);
    let result = common::read_and_plan(
        &files,
        scenario.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
        &IngestOptions::default(),
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| match result {
        Ok(report) => {
            assert_streamed_json_is_whole(&report.plan);
            assert_two_cores_plan_as_one(&files, scenario.as_ref(), &report);
            let mut plan = report.plan.clone();
            // The file reports are `syncplan inspect`'s business; keep the snapshot on the rules.
            plan.files.clear();
            insta::assert_snapshot!("plan_json", render::json(&plan));
            insta::assert_snapshot!("plan_text", render::text(&report.plan));
        }
        Err(e) => insta::assert_snapshot!("error", format!("{case}: {e}")),
    });
}

#[test]
fn golden_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    for d in dirs {
        run_case(&d);
    }
}
