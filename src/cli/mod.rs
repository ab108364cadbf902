//! The command line (`syncplan`). It only reads files, calls the engine and prints: every rule
//! lives in [`crate::engine`].

mod compare;
mod generate;
mod inspect;
mod plan;
mod propose;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::engine::ingest::{self, archive, IngestOptions, Ingested};
use crate::engine::limits;

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
        /// Export files, Data Export zip archives, or folders whose files are all read.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: InspectFormat,
        /// Read every file in this encoding (a standard label such as `windows-1252`,
        /// `utf-16le`, `utf-8`) instead of detecting it. Also taken from `SYNCPLAN_ENCODING`.
        #[arg(long, env = "SYNCPLAN_ENCODING")]
        encoding: Option<String>,
    },
    /// Say what User Sync will do to every user, and why.
    Plan {
        /// Export files, Data Export zip archives, or folders whose files are all read (a folder's `syncplan.json` is the
        /// scenario unless `--scenario` names another).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The scenario file (business unit assignments, mode, mapping table).
        #[arg(long)]
        scenario: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: PlanFormat,
        /// Write to this file instead of standard output (required for `--format pack`).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Write CSV cells as they are, without the `'` that keeps a spreadsheet from running a
        /// cell starting with = + - @ tab or CR as a formula.
        #[arg(long)]
        raw_csv: bool,
        /// Read every file in this encoding (a standard label such as `windows-1252`,
        /// `utf-16le`, `utf-8`) instead of detecting it. Also taken from `SYNCPLAN_ENCODING`.
        #[arg(long, env = "SYNCPLAN_ENCODING")]
        encoding: Option<String>,
    },
    /// Plan the same exports with two set-ups and say, per user, who gains access, who loses it,
    /// whose role changes.
    Compare {
        /// Export files, Data Export zip archives, or folders whose files are all read.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The set-up today (a `syncplan.json`, legacy or latest).
        #[arg(long)]
        before: PathBuf,
        /// The set-up to compare it with.
        #[arg(long)]
        after: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: CompareFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Write CSV cells as they are (see `plan --raw-csv`).
        #[arg(long)]
        raw_csv: bool,
        /// Read every file in this encoding instead of detecting it.
        #[arg(long, env = "SYNCPLAN_ENCODING")]
        encoding: Option<String>,
    },
    /// Propose the latest-mode set-up that keeps every user synced today as they are, and plan
    /// it: `syncplan.json`, `proposal.json`, `proposal.md` and the new groups' CSV files.
    Propose {
        /// Export files, Data Export zip archives, or folders whose files are all read.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The set-up whose business units, AE users exports and creators to keep (its
        /// assignments are not used); a folder's `syncplan.json` otherwise.
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// The folder to write the proposal into (created when missing).
        #[arg(long)]
        out: PathBuf,
        /// Write CSV cells as they are (see `plan --raw-csv`).
        #[arg(long)]
        raw_csv: bool,
        /// Read every file in this encoding instead of detecting it.
        #[arg(long, env = "SYNCPLAN_ENCODING")]
        encoding: Option<String>,
    },
    /// Write a deterministic synthetic org (exports and `syncplan.json`) for benchmarks.
    Generate {
        /// How many Salesforce users.
        #[arg(long, default_value_t = 1000)]
        users: usize,
        /// The same seed always gives the same files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The folder to write into (created when missing).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InspectFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    /// A terminal summary in the style of `terraform plan`.
    Text,
    /// The plan JSON (spec §9).
    Json,
    /// One row per decision, UTF-8 with a BOM.
    Csv,
    /// For tickets and wikis.
    Markdown,
    /// The report as one HTML file that opens offline.
    Html,
    /// The profile-to-role mapping table.
    MappingCsv,
    /// The audit findings.
    FindingsCsv,
    /// The audit pack: one zip with the HTML report, the CSVs, the plan JSON and the scenario.
    Pack,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    /// The counts, then every user whose access changes.
    Text,
    /// The comparison JSON (spec §13).
    Json,
    /// One row per user, UTF-8 with a BOM.
    Csv,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Inspect {
            inputs,
            format,
            encoding,
        } => inspect::run(&inputs, format, IngestOptions { encoding }),
        Command::Plan {
            inputs,
            scenario,
            format,
            output,
            raw_csv,
            encoding,
        } => plan::run(
            &inputs,
            scenario.as_deref(),
            format,
            output.as_deref(),
            crate::engine::export::CsvOptions {
                neutralise: !raw_csv,
            },
            &IngestOptions { encoding },
        ),
        Command::Compare {
            inputs,
            before,
            after,
            format,
            output,
            raw_csv,
            encoding,
        } => compare::run(
            &inputs,
            &before,
            &after,
            format,
            output.as_deref(),
            crate::engine::export::CsvOptions {
                neutralise: !raw_csv,
            },
            &IngestOptions { encoding },
        ),
        Command::Propose {
            inputs,
            scenario,
            out,
            raw_csv,
            encoding,
        } => propose::run(
            &inputs,
            scenario.as_deref(),
            &out,
            crate::engine::export::CsvOptions {
                neutralise: !raw_csv,
            },
            &IngestOptions { encoding },
        ),
        Command::Generate { users, seed, out } => generate::run(users, seed, &out),
    }
}

/// What the command line found on disk.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Every export file (anything that is not a `.json`), not read yet: [`ingest_inputs`]
    /// reads them.
    pub files: Vec<Export>,
    /// `syncplan.json` found in a folder given on the command line.
    pub scenario_in_dir: Option<PathBuf>,
    /// Paths that could not be read, with the reason.
    pub unreadable: Vec<(PathBuf, String)>,
}

/// An export found on the command line: its name (what the engine sorts and reports by) and
/// where it is.
#[derive(Debug)]
pub struct Export {
    pub name: String,
    pub path: PathBuf,
}

impl Export {
    pub fn at(path: &Path) -> Export {
        Export {
            name: file_name(path),
            path: path.to_path_buf(),
        }
    }
}

/// Find the files and folders named on the command line. A folder contributes every regular
/// file in it (not recursively) except JSON files; its `syncplan.json` is remembered as the
/// scenario. Files too large are reported, and then none is read.
pub fn read_inputs(paths: &[PathBuf]) -> Inputs {
    let mut out = Inputs::default();
    let mut files: Vec<PathBuf> = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = match std::fs::read_dir(p) {
                Ok(rd) => rd
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file())
                    .collect(),
                Err(e) => {
                    out.unreadable.push((p.clone(), e.to_string()));
                    continue;
                }
            };
            entries.sort();
            for f in entries {
                let name = file_name(&f);
                if name.eq_ignore_ascii_case("syncplan.json") {
                    out.scenario_in_dir.get_or_insert(f);
                } else if !name.to_ascii_lowercase().ends_with(".json") && !name.starts_with('.') {
                    files.push(f);
                }
            }
        } else {
            files.push(p.clone());
        }
    }
    let exports: Vec<Export> = files.iter().map(|f| Export::at(f)).collect();
    // Sizes first (engine::limits): a file too large is reported, never read. A Data Export
    // archive can be several gigabytes: its entries are checked as they are unzipped.
    let sizes: Vec<u64> = exports
        .iter()
        .map(|e| match is_archive(&e.path) {
            true => 0,
            false => std::fs::metadata(&e.path).map(|m| m.len()).unwrap_or(0),
        })
        .collect();
    let too_large = crate::engine::limits::check_sizes(
        exports
            .iter()
            .zip(&sizes)
            .map(|(e, s)| (e.name.as_str(), *s)),
        &crate::engine::limits::CLI,
    );
    if !too_large.is_empty() {
        for d in too_large {
            let export = match &d.file {
                Some(name) => exports.iter().find(|e| e.name == *name),
                None => exports.first(),
            };
            if let Some(e) = export {
                out.unreadable.push((e.path.clone(), d.message));
            }
        }
        return out;
    }
    out.files = exports;
    out
}

/// The exports read and ingested, and the ones that could not be read.
pub struct Read {
    pub ingested: Ingested,
    /// How many files were read.
    pub files_read: usize,
    pub unreadable: Vec<(PathBuf, String)>,
}

/// Read and ingest the exports in the order of their names (the engine's order). A second
/// thread reads each file from disk and prepares it (decodes and parses it:
/// [`ingest::prepare`]) while this one types the rows of the file before into the org, one file
/// ahead at most: both cores work, and memory holds at most two files' tables instead of every
/// file's bytes at once (on a 1M-user org, 600 MB of exports).
pub fn ingest_inputs(files: &[Export], opts: &IngestOptions) -> Read {
    let mut order: Vec<&Export> = files.iter().collect();
    order.sort_by(|a, b| a.name.cmp(&b.name));
    let mut files_read = 0;
    let mut unreadable = Vec::new();
    let ingested = std::thread::scope(|scope| {
        // A rendezvous: the next file waits, prepared, until this thread takes it.
        let (next, prepared) = std::sync::mpsc::sync_channel(0);
        scope.spawn(move || {
            for f in order {
                let opened = FileBytes::open(&f.path);
                let unpacked = match &opened {
                    Ok(bytes) if archive::is_zip(bytes) => {
                        archive::unpack(&f.name, bytes, limits::CLI.per_file)
                    }
                    _ => None,
                };
                let prepare = |name: &str, bytes: &[u8]| {
                    Next::File(ingest::prepare_bytes_on(
                        name,
                        bytes,
                        opts,
                        Some(on_both_cores),
                    ))
                };
                let sent = match (opened, unpacked) {
                    // A Data Export archive: what it says, then its entries, each in turn.
                    (Ok(bytes), Some(unpacked)) => {
                        drop(bytes);
                        let entries = unpacked.files.iter().map(|e| prepare(&e.name, &e.bytes));
                        unpacked
                            .notes
                            .into_iter()
                            .map(Next::Note)
                            .chain(entries)
                            .try_for_each(|n| next.send(n).map_err(|_| ()))
                    }
                    (Ok(bytes), None) => next.send(prepare(&f.name, &bytes)).map_err(|_| ()),
                    (Err(e), _) => next
                        .send(Next::Unreadable(f.path.clone(), e.to_string()))
                        .map_err(|_| ()),
                };
                if sent.is_err() {
                    return;
                }
            }
        });
        let mut ingester = ingest::Ingester::new(opts);
        for n in prepared {
            match n {
                Next::File(p) => {
                    files_read += 1;
                    ingester.add_prepared_on(p, Some(on_both_cores));
                }
                Next::Note(d) => ingester.note(d),
                Next::Unreadable(path, why) => unreadable.push((path, why)),
            }
        }
        ingester.finish_on(Some(on_both_cores))
    });
    Read {
        ingested,
        files_read,
        unreadable,
    }
}

/// What the reading thread hands over, in the order of the files' names (one at a time, and
/// mostly files: not worth a box).
#[allow(clippy::large_enum_variant)]
enum Next {
    /// A file (or an archive's entry), decoded and parsed.
    File(ingest::Prepared),
    /// What an archive says about itself (the entries not used).
    Note(crate::engine::Diagnostic),
    Unreadable(PathBuf, String),
}

/// Whether the file is a zip archive (a Data Export), by its first bytes.
fn is_archive(path: &Path) -> bool {
    let mut head = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok_and(|()| archive::is_zip(&head))
}

/// Run `a` on a thread of its own and `b` on this one ([`ingest::Join`]): a large export is
/// parsed in two halves at once, the GroupMember rows are sorted while users.csv is typed, the
/// reference check walks the users and the GroupMember rows at once, and the plan is made on
/// both cores (`plan.rs`).
fn on_both_cores(a: &mut (dyn FnMut() + Send), b: &mut (dyn FnMut() + Send)) {
    std::thread::scope(|scope| {
        scope.spawn(a);
        b();
    });
}

/// An export's bytes: the file mapped into memory, or read when it cannot be mapped.
///
/// Mapped, the operating system's cached copy of the file is read in place: a read copies the
/// file into memory of the process's own, which the system must first clear, page by page (the
/// 1M-user org's exports are 600 MB).
enum FileBytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl FileBytes {
    fn open(path: &Path) -> std::io::Result<FileBytes> {
        let file = std::fs::File::open(path)?;
        // SAFETY: the map is only read, and dropped once the file is prepared. Were another
        // program to change the file meanwhile, the rows would read as a mix of both versions
        // (as with a plain read); were it to shorten the file, reading past the new end would
        // end this process (SIGBUS), the trade every program reading a mapped file makes.
        match unsafe { memmap2::Mmap::map(&file) } {
            Ok(map) => Ok(FileBytes::Mapped(map)),
            // Not a regular file (a pipe, say), or not mappable here: read it.
            Err(_) => {
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut &file, &mut bytes)?;
                Ok(FileBytes::Read(bytes))
            }
        }
    }
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(m) => m,
            FileBytes::Read(v) => v,
        }
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}
