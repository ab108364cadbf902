//! Helpers shared by the integration tests (`mod common;` in each that uses them).

/// An `ingest::Join` that runs the second piece of work first: with `ingest::in_turn` (the
/// first, then the second), a test runs work meant for two cores in either order on one.
#[allow(dead_code)]
pub fn second_then_first(a: &mut (dyn FnMut() + Send), b: &mut (dyn FnMut() + Send)) {
    b();
    a();
}

use syncplan::engine::ingest::{ingest, FileReport, IngestOptions, Ingested, InputFile, Kind};
use syncplan::engine::model::Org;
use syncplan::engine::scenario::Scenario;
use syncplan::engine::{plan, Error, Exports, PlanOptions, Report, Setup};

/// Read the files and plan with the set-up's text (`(file name, text)`), as the command line
/// does on one core.
#[allow(dead_code)]
pub fn read_and_plan(
    files: &[InputFile],
    setup: Option<(&str, &str)>,
    opts: &IngestOptions,
) -> Result<Report, Error> {
    let setup = setup
        .map(|(name, text)| Setup::parse(name, text))
        .transpose()?;
    let ingested = ingest(files, opts);
    Ok(plan(Exports::Kept(&ingested), setup, PlanOptions::default())?.report)
}

/// An org built in memory, as if its users had been read from a User export.
#[allow(dead_code)]
pub fn ingested_of(org: &Org) -> Ingested {
    let users = FileReport {
        file: "users.csv".into(),
        kind: Kind::User,
        kind_reason: String::new(),
        encoding: "UTF-8".into(),
        delimiter: ",".into(),
        rows_read: 0,
        rows_used: 0,
        rows_rejected: 0,
        diagnostics: Vec::new(),
        columns: Vec::new(),
        preview: Vec::new(),
    };
    Ingested {
        org: org.clone(),
        files: vec![users],
        ..Default::default()
    }
}

/// Plan an org built in memory, as if its users had been read from a User export.
#[allow(dead_code)]
pub fn plan_org(org: &Org, scenario: &Scenario) -> Result<Report, Error> {
    let read = ingested_of(org);
    let setup = Setup::given(scenario.clone());
    let mut report = plan(Exports::Kept(&read), Some(setup), PlanOptions::default())?.report;
    report.plan.files.clear();
    Ok(report)
}
