//! `syncplan compare`: plan the same exports with two set-ups and say, per user, what changes
//! between them (spec §13). Exit 0 on a comparison, 2 when the inputs cannot make one.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::plan::{fail, find_inputs, load_setup, read_all};
use super::CompareFormat;
use crate::engine::compare;
use crate::engine::export::CsvOptions;
use crate::engine::ingest::IngestOptions;
use crate::engine::{plan, Exports, PlanOptions};

pub fn run(
    inputs: &[PathBuf],
    before: &Path,
    after: &Path,
    format: CompareFormat,
    output: Option<&Path>,
    csv: CsvOptions,
    opts: &IngestOptions,
) -> ExitCode {
    let mut ins = find_inputs(inputs);
    let mut setups = Vec::new();
    for p in [before, after] {
        match load_setup(&mut ins, Some(p)) {
            Ok(Some(s)) => setups.push(s),
            Ok(None) => {}
            Err(e) => return fail(&e),
        }
    }
    let read = match read_all(&ins, opts) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut plans = Vec::new();
    for setup in setups {
        let options = PlanOptions {
            join: Some(super::on_both_cores),
            ..Default::default()
        };
        match plan(Exports::Kept(&read.ingested), Some(setup), options) {
            Ok(p) => plans.push(p.report.plan),
            Err(e) => return fail(&e.to_string()),
        }
    }
    let [first, second] = plans.as_slice() else {
        return fail("two set-ups are needed");
    };
    let comparison = compare::compare(first, second);
    let name = |p: &Path| p.display().to_string();
    let out = match format {
        CompareFormat::Text => comparison.text(&name(before), &name(after)),
        CompareFormat::Json => match serde_json::to_string_pretty(&comparison) {
            Ok(j) => j + "\n",
            Err(e) => return fail(&format!("cannot write the comparison: {e}")),
        },
        CompareFormat::Csv => comparison.csv(csv),
    };
    let written = match output {
        Some(path) => {
            std::fs::write(path, out).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
        }
        None => std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes())
            .map_err(|e| format!("cannot write the output: {e}")),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}
