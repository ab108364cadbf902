//! The command line (`syncplan`). It only reads files, calls the engine and prints: every rule
//! lives in [`crate::engine`].

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Preview what Account Engagement User Sync will do to every user, and why.
#[derive(Debug, Parser)]
#[command(name = "syncplan", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print, for every file, the detected kind, encoding, delimiter, row counts and problems.
    Inspect {
        /// Export files, or folders whose files are all read.
        #[arg(required = true)]
        inputs: Vec<std::path::PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: InspectFormat,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum InspectFormat {
    Text,
    Json,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Inspect { inputs, format } => {
            let _ = (inputs, format);
            eprintln!("syncplan: inspect is not built yet");
            ExitCode::from(2)
        }
    }
}
