//! `syncplan propose`: the latest-mode set-up that keeps every user synced today as they are
//! (spec §12), written to a folder with what Data Loader needs, and planned to prove it. Exit 0
//! on a proposal, 2 when the inputs cannot make one.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::plan::{fail, find_inputs, load_setup, read_all};
use crate::engine::export::CsvOptions;
use crate::engine::ingest::IngestOptions;
use crate::engine::propose::{propose, Proposal};

pub fn run(
    inputs: &[PathBuf],
    scenario_path: Option<&Path>,
    out: &Path,
    csv: CsvOptions,
    opts: &IngestOptions,
) -> ExitCode {
    let mut ins = find_inputs(inputs);
    let setup = match load_setup(&mut ins, scenario_path) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let read = match read_all(&ins, opts) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let proposal = match propose(&read.ingested, setup) {
        Ok(p) => p,
        Err(e) => return fail(&e.to_string()),
    };
    if let Err(e) = write(&proposal, out, csv) {
        return fail(&e);
    }
    for bu in &proposal.business_units {
        println!("{}: {}", bu.name, Proposal::summary_line(bu));
        for n in &bu.notes {
            println!("  note: {n}");
        }
    }
    println!("written to {}", out.display());
    ExitCode::SUCCESS
}

/// The proposal's files: `syncplan.json`, `proposal.json`, `proposal.md`, and the new groups'
/// `proposed-groups.csv` and `proposed-group-members.csv` when there are any.
fn write(p: &Proposal, out: &Path, csv: CsvOptions) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create `{}`: {e}", out.display()))?;
    let mut files = vec![
        ("syncplan.json", p.scenario.to_json()),
        ("proposal.json", p.json()),
        ("proposal.md", p.markdown()),
    ];
    if let (Some(groups), Some(members)) = (p.groups_csv(csv), p.members_csv(csv)) {
        files.push(("proposed-groups.csv", groups));
        files.push(("proposed-group-members.csv", members));
    }
    for (name, text) in files {
        let path = out.join(name);
        std::fs::write(&path, text)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    Ok(())
}
