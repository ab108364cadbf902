//! `syncplan plan`: read the exports and the scenario, plan, render. Exit 0 on a plan, 2 when
//! the inputs cannot make one.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::PlanFormat;
use crate::engine::ingest::IngestOptions;
use crate::engine::{render, scenario, InputFile};

fn fail(msg: &str) -> ExitCode {
    eprintln!("syncplan: {msg}");
    ExitCode::from(2)
}

pub fn run(
    inputs: &[PathBuf],
    scenario_path: Option<&Path>,
    format: PlanFormat,
    output: Option<&Path>,
) -> ExitCode {
    let mut ins = super::read_inputs(inputs);
    for (p, e) in &ins.unreadable {
        eprintln!("syncplan: cannot read `{}`: {e}", p.display());
    }
    let scen_path: Option<PathBuf> = scenario_path
        .map(Path::to_path_buf)
        .or(ins.scenario_in_dir.clone());
    let scen = match &scen_path {
        Some(p) => match std::fs::read(p) {
            Ok(bytes) => {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| p.display().to_string());
                Some((name, String::from_utf8_lossy(&bytes).into_owned()))
            }
            Err(e) => return fail(&format!("cannot read the scenario `{}`: {e}", p.display())),
        },
        None => None,
    };
    // `ae_users` is relative to the scenario: read those files when they were not given.
    if let (Some(p), Some((name, text))) = (&scen_path, &scen) {
        if let Ok((s, _)) = scenario::parse(name, text) {
            let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
            for bu in &s.business_units {
                let Some(f) = &bu.ae_users else { continue };
                let path = dir.join(f);
                let base = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if ins.files.iter().any(|x| x.name == base) {
                    continue;
                }
                if let Ok(bytes) = std::fs::read(&path) {
                    ins.files.push(InputFile { name: base, bytes });
                }
            }
        }
    }
    if ins.files.is_empty() {
        return fail("no export file was found in the inputs given");
    }
    let report = match crate::engine::run(
        &ins.files,
        scen.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
        &IngestOptions::default(),
    ) {
        Ok(r) => r,
        Err(e) => return fail(&e.to_string()),
    };
    let out = match format {
        PlanFormat::Text => render::text(&report.plan),
        PlanFormat::Json => render::json(&report.plan),
        PlanFormat::Csv => render::csv(&report.plan),
        PlanFormat::Markdown => render::markdown(&report.plan),
    };
    match output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, out) {
                return fail(&format!("cannot write `{}`: {e}", path.display()));
            }
        }
        None => print!("{out}"),
    }
    ExitCode::SUCCESS
}
