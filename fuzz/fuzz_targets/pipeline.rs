//! The whole pipeline: the input is split on NUL bytes into a scenario and up to six small
//! exports (users, AE users, profiles, roles, groups, group members; an empty part is no
//! file), planned and rendered. No panic,
//! the same plan twice, and the summary counts every decision.
#![no_main]

use libfuzzer_sys::fuzz_target;
use syncplan::engine::ingest::{ingest, IngestOptions};
use syncplan::engine::{plan, render, Error, Exports, InputFile, PlanOptions, Report, Setup};

/// Read the files and plan, as the command line does on one core.
fn run(files: &[InputFile], scenario: &str) -> Result<Report, Error> {
    let setup = Setup::parse("syncplan.json", scenario)?;
    let ingested = ingest(files, &IngestOptions::default());
    Ok(plan(Exports::Kept(&ingested), Some(setup), PlanOptions::default())?.report)
}

const NAMES: [&str; 6] = [
    "users.csv",
    "ae-users.csv",
    "profiles.csv",
    "roles.csv",
    "groups.csv",
    "group-members.csv",
];

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|b| *b == 0);
    let Some(scenario) = parts.next() else {
        return;
    };
    let scenario = String::from_utf8_lossy(scenario);
    let files: Vec<InputFile> = parts
        .zip(NAMES)
        .filter(|(bytes, _)| !bytes.is_empty())
        .map(|(bytes, name)| InputFile {
            name: name.to_string(),
            bytes: bytes.to_vec(),
        })
        .collect();
    let a = run(&files, &scenario);
    let b = run(&files, &scenario);
    assert_eq!(a, b, "deterministic");
    if let Ok(r) = a {
        let n: usize = r
            .plan
            .business_units
            .iter()
            .map(|b| b.decisions.len())
            .sum();
        let s = r.plan.summary;
        assert_eq!(
            n,
            s.create + s.update + s.restore + s.recycle + s.skip + s.none
        );
        let _ = render::text(&r.plan);
        let _ = render::csv(&r.plan);
        let _ = render::markdown(&r.plan);
        let _ = render::json(&r.plan);
    }
});
