//! `syncplan inspect`.
use std::path::PathBuf;
use std::process::ExitCode;

use super::InspectFormat;

pub fn run(inputs: &[PathBuf], format: InspectFormat) -> ExitCode {
    let _ = (super::read_inputs(inputs), format);
    eprintln!("syncplan: inspect is not built yet");
    ExitCode::from(2)
}
