//! `syncplan plan`: read the exports and the scenario, plan, render. Exit 0 on a plan, 2 when
//! the inputs cannot make one.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::PlanFormat;
use crate::engine::export::{self, CsvOptions};
use crate::engine::ingest::IngestOptions;
use crate::engine::{render, scenario, Setup};

pub(super) fn fail(msg: &str) -> ExitCode {
    eprintln!("syncplan: {msg}");
    ExitCode::from(2)
}

/// The plan JSON's write buffer.
const WRITE_BUFFER: usize = 1 << 20;

/// Decisions rendered as one piece of the plan JSON (about 6 MB).
const PIECE: usize = 4096;

/// [`render::json_to`], the decisions rendered on two threads: this one renders one piece of
/// them in three and writes all of them in order; the other renders the two pieces between into
/// buffers handed back and forth (this thread's writing, the kernel copying 1.5 GB into the file,
/// weighs about as much as the piece it gives up: at 1M users, one in two was 0.05–0.8 s slower
/// in three alternating runs). The same bytes; a 1M-user plan's JSON is 1.5 GB, and rendering it
/// was a fifth of the run, on one core while the other idled.
fn json_on_two_threads<W: std::io::Write>(
    plan: &crate::engine::Plan,
    w: &mut W,
) -> std::io::Result<()> {
    json_in_pieces(plan, w, PIECE)
}

fn json_in_pieces<W: std::io::Write>(
    plan: &crate::engine::Plan,
    w: &mut W,
    piece: usize,
) -> std::io::Result<()> {
    render::json_to_with(plan, w, &mut |w, ds| {
        if ds.len() <= piece {
            return render::decisions_json_to(w, ds, true);
        }
        let pieces: Vec<_> = ds.chunks(piece).collect();
        std::thread::scope(|scope| {
            let (give, empty) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
            let (hand, rendered) = std::sync::mpsc::sync_channel(2);
            let between = pieces
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 3 != 0)
                .map(|(_, p)| p);
            scope.spawn(move || {
                for (piece, mut buf) in between.zip(empty) {
                    buf.clear();
                    let r = render::decisions_json_to(&mut buf, piece, false).map(|()| buf);
                    if hand.send(r).is_err() {
                        return;
                    }
                }
            });
            for _ in 0..2 {
                // The other thread is waiting for buffers; it ends only when this one drops `give`.
                let _ = give.send(Vec::new());
            }
            for (i, piece) in pieces.iter().enumerate() {
                if i % 3 == 0 {
                    render::decisions_json_to(w, piece, i == 0)?;
                } else {
                    let buf = rendered.recv().map_err(|_| {
                        std::io::Error::other("the thread rendering the plan JSON stopped")
                    })??;
                    w.write_all(&buf)?;
                    let _ = give.send(buf);
                }
            }
            Ok(())
        })
    })
}

/// A set-up file: its name and text.
fn read_setup(p: &Path) -> Result<(String, String), String> {
    let bytes =
        std::fs::read(p).map_err(|e| format!("cannot read the scenario `{}`: {e}", p.display()))?;
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string());
    Ok((name, String::from_utf8_lossy(&bytes).into_owned()))
}

/// A set-up's `ae_users` files are relative to it: read those not given.
fn add_ae_exports(ins: &mut super::Inputs, at: &Path, name: &str, text: &str) {
    let Ok((s, _)) = scenario::parse(name, text) else {
        return;
    };
    let dir = at.parent().map(Path::to_path_buf).unwrap_or_default();
    for bu in &s.business_units {
        let Some(f) = &bu.ae_users else { continue };
        let export = super::Export::at(&dir.join(f));
        if ins.files.iter().any(|x| x.name == export.name) || !export.path.is_file() {
            continue;
        }
        ins.files.push(export);
    }
}

/// The set-up file at `path` (else the `syncplan.json` of a folder given, else none), parsed,
/// with the AE users exports it names added to the inputs; the error message when it cannot be
/// read or parsed.
pub(super) fn load_setup(
    ins: &mut super::Inputs,
    path: Option<&Path>,
) -> Result<Option<Setup>, String> {
    let Some(path) = path
        .map(Path::to_path_buf)
        .or_else(|| ins.scenario_in_dir.clone())
    else {
        return Ok(None);
    };
    let path = path.as_path();
    let (name, text) = read_setup(path)?;
    add_ae_exports(ins, path, &name, &text);
    Setup::parse(&name, &text)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Read and ingest the inputs found, each that cannot be read named on standard error: what
/// was read, or the failure's exit code when no export could be.
pub(super) fn read_all(ins: &super::Inputs, opts: &IngestOptions) -> Result<super::Read, ExitCode> {
    if ins.files.is_empty() {
        return Err(fail("no export file was found in the inputs given"));
    }
    let read = super::ingest_inputs(&ins.files, opts);
    for (p, e) in &read.unreadable {
        eprintln!("syncplan: cannot read `{}`: {e}", p.display());
    }
    if read.files_read == 0 {
        // Each was named above with why it could not be read.
        return Err(fail("none of the export files given could be read"));
    }
    Ok(read)
}

/// The inputs named on the command line, each that cannot be read named on standard error.
pub(super) fn find_inputs(inputs: &[PathBuf]) -> super::Inputs {
    let ins = super::read_inputs(inputs);
    for (p, e) in &ins.unreadable {
        eprintln!("syncplan: cannot read `{}`: {e}", p.display());
    }
    ins
}

pub fn run(
    inputs: &[PathBuf],
    scenario_path: Option<&Path>,
    format: PlanFormat,
    output: Option<&Path>,
    csv: CsvOptions,
    opts: &IngestOptions,
) -> ExitCode {
    let mut ins = find_inputs(inputs);
    // Read, then plan ([`crate::engine::plan`]), each input freed as soon as it is no longer
    // needed (the files once read, what was read once planned): on a 1M-user org these are
    // gigabytes.
    let parsed = match load_setup(&mut ins, scenario_path) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let read = match read_all(&ins, opts) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let opts = crate::engine::PlanOptions {
        join: Some(super::on_both_cores),
        ..Default::default()
    };
    let (report, ingested) = match crate::engine::plan(read.ingested.into(), parsed, opts) {
        Ok(p) => (p.report, p.exports),
        Err(e) => return fail(&e.to_string()),
    };
    if let PlanFormat::Json = format {
        // What was read is not needed to write the plan, and the process ends right after:
        // handing its millions of allocations back one by one would cost seconds on a 1M-user
        // org (the operating system takes the memory back at exit).
        std::mem::forget(ingested);
        // Streamed: the JSON of a 1M-user plan is 1.5 GB, written a megabyte at a time (the
        // default 8 KB buffer made 190,000 writes of it: 2.7–3.2 s against 2.3–2.4 s).
        let written = match output {
            Some(path) => std::fs::File::create(path)
                .map(|f| std::io::BufWriter::with_capacity(WRITE_BUFFER, f))
                .and_then(|mut w| {
                    json_on_two_threads(&report.plan, &mut w)?;
                    std::io::Write::flush(&mut w)
                })
                .map_err(|e| format!("cannot write `{}`: {e}", path.display())),
            None => {
                let mut w =
                    std::io::BufWriter::with_capacity(WRITE_BUFFER, std::io::stdout().lock());
                json_on_two_threads(&report.plan, &mut w)
                    .and_then(|()| std::io::Write::flush(&mut w))
                    .map_err(|e| format!("cannot write the output: {e}"))
            }
        };
        std::mem::forget(report);
        return match written {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e),
        };
    }
    drop(ingested);
    let out: Vec<u8> = match format {
        PlanFormat::Text => render::text(&report.plan).into_bytes(),
        PlanFormat::Json => render::json(&report.plan).into_bytes(),
        PlanFormat::Csv => render::csv_with(&report.plan, csv).into_bytes(),
        PlanFormat::Markdown => render::markdown(&report.plan).into_bytes(),
        PlanFormat::Html => export::html::report(&report, Some(&made())).into_bytes(),
        PlanFormat::MappingCsv => export::mapping_csv(&report, csv).into_bytes(),
        PlanFormat::FindingsCsv => export::findings_csv(&report, csv).into_bytes(),
        PlanFormat::Pack => {
            if output.is_none() {
                return fail("`--format pack` writes a zip: name it with `--output audit.zip`");
            }
            match export::pack::zip(&report, csv, Some(&made())) {
                Ok(bytes) => bytes,
                Err(e) => return fail(&e),
            }
        }
    };
    match output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, out) {
                return fail(&format!("cannot write `{}`: {e}", path.display()));
            }
        }
        None => {
            use std::io::Write;
            if let Err(e) = std::io::stdout().write_all(&out) {
                return fail(&format!("cannot write the output: {e}"));
            }
        }
    }
    ExitCode::SUCCESS
}

/// When the report is made: `SOURCE_DATE_EPOCH` (seconds) when set, so that a build can
/// reproduce its files byte for byte, else the system clock.
fn made() -> export::made::Made {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        });
    export::made::Made::from_unix(secs)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Rendered on two threads, in pieces of any size, the plan JSON is the one-thread bytes.
    #[test]
    fn json_on_two_threads_is_the_plain_json() {
        for example in crate::engine::examples::EXAMPLES {
            let report = example.report(&example.defaults()).unwrap();
            let whole = render::json(&report.plan);
            for piece in [1, 2, 3, 1000] {
                let mut out = Vec::new();
                json_in_pieces(&report.plan, &mut out, piece).unwrap();
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    whole,
                    "{}, {piece}",
                    example.name
                );
            }
        }
    }
}
