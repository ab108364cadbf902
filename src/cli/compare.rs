//! `syncplan compare`: plan the same exports with two set-ups and say, per user, what changes
//! between them (spec §13). Exit 0 on a comparison, 2 when the inputs cannot make one.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::plan::{add_ae_exports, fail, read_setup};
use super::CompareFormat;
use crate::engine::compare;
use crate::engine::export::CsvOptions;
use crate::engine::ingest::IngestOptions;
use crate::engine::{plan, Exports, PlanOptions, Setup};

pub fn run(
    inputs: &[PathBuf],
    before: &Path,
    after: &Path,
    format: CompareFormat,
    output: Option<&Path>,
    csv: CsvOptions,
    opts: &IngestOptions,
) -> ExitCode {
    let mut ins = super::read_inputs(inputs);
    for (p, e) in &ins.unreadable {
        eprintln!("syncplan: cannot read `{}`: {e}", p.display());
    }
    let mut setups = Vec::new();
    for p in [before, after] {
        let (name, text) = match read_setup(p) {
            Ok(s) => s,
            Err(e) => return fail(&e),
        };
        add_ae_exports(&mut ins, p, &name, &text);
        match Setup::parse(&name, &text) {
            Ok(s) => setups.push(s),
            Err(e) => return fail(&e.to_string()),
        }
    }
    if ins.files.is_empty() {
        return fail("no export file was found in the inputs given");
    }
    let read = super::ingest_inputs(&ins.files, opts);
    for (p, e) in &read.unreadable {
        eprintln!("syncplan: cannot read `{}`: {e}", p.display());
    }
    if read.files_read == 0 {
        return fail("none of the export files given could be read");
    }
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
