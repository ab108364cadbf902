//! `syncplan plan`.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::PlanFormat;

pub fn run(inputs: &[PathBuf], scenario: Option<&Path>, format: PlanFormat, output: Option<&Path>) -> ExitCode {
    let _ = (super::read_inputs(inputs), scenario, format, output);
    eprintln!("syncplan: plan is not built yet");
    ExitCode::from(2)
}
