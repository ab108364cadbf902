//! Native benchmark of the whole pipeline on generated orgs.
//!
//! ```sh
//! cargo bench --bench pipeline              # 10k and 100k users
//! cargo bench --bench pipeline -- 1000000   # add (or choose) sizes
//! ```
//!
//! Each size runs in a child process, so that its peak memory (VmHWM, reset after the org is
//! generated, so it counts the input bytes held in memory plus everything the engine builds) is
//! its own. The table's format is stable, so that runs can be compared:
//!
//! ```text
//! users    input_MB  ingest_s  ingest_MB/s  plan_s  plan_users/s  render_s  total_s  cpu_s  peak_MB
//! ```
//!
//! `ingest` reads every export (decode, CSV, typed rows, references); `plan` parses the scenario,
//! resolves memberships, decides and audits; `render` writes the plan JSON. `total` is the sum
//! (wall clock); `cpu_s` the CPU time (user + system) the three took, which a busy machine
//! inflates less than the wall clock.
use std::process::{Command, ExitCode};
use std::time::Instant;

use syncplan::engine::ingest::{ingest, IngestOptions};
use syncplan::engine::{plan, render, Exports, PlanOptions, Setup};
use syncplan::generate::{generate, split_scenario, Config};

const SEED: u64 = 7;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(pos) = args.iter().position(|a| a == "--one") {
        let n = args
            .get(pos + 1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(10_000);
        return one(n);
    }
    // Sizes given on the command line (cargo adds `--bench`), else 10k and 100k.
    let mut sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() || sizes == [1_000_000] {
        sizes.splice(0..0, [10_000, 100_000]);
    }
    println!(
        "{:>8} {:>9} {:>9} {:>12} {:>7} {:>13} {:>9} {:>8} {:>7} {:>8}",
        "users",
        "input_MB",
        "ingest_s",
        "ingest_MB/s",
        "plan_s",
        "plan_users/s",
        "render_s",
        "total_s",
        "cpu_s",
        "peak_MB"
    );
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    for n in sizes {
        let status = Command::new(&exe).args(["--one", &n.to_string()]).status();
        if !status.map(|s| s.success()).unwrap_or(false) {
            eprintln!("bench: the {n}-user run failed");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// CPU time (user + system) of this process in seconds, from /proc/self/stat (0 when unknown).
fn cpu_s() -> f64 {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // After the command name in parentheses: field 14 (utime) and 15 (stime), 1-based.
            let rest = s.rsplit_once(')')?.1.split_whitespace().collect::<Vec<_>>();
            let u: f64 = rest.get(11)?.parse().ok()?;
            let k: f64 = rest.get(12)?.parse().ok()?;
            Some(u + k)
        });
    // Linux reports clock ticks of 1/100 s (USER_HZ).
    ticks.map_or(0.0, |t| t / 100.0)
}

/// Peak resident memory of this process in MB (VmHWM), 0 when unknown.
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn one(n: usize) -> ExitCode {
    let (files, scen) = split_scenario(generate(Config {
        users: n,
        seed: SEED,
    }));
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    // Forget the generator's own peak: from here on, the input bytes plus the engine's work.
    let _ = std::fs::write("/proc/self/clear_refs", "5");

    let c0 = cpu_s();
    let t0 = Instant::now();
    let ingested = ingest(&files, &IngestOptions::default());
    let t_ingest = t0.elapsed().as_secs_f64();
    let rejected: u64 = ingested.files.iter().map(|f| f.rows_rejected).sum();

    let t1 = Instant::now();
    let Some((name, text)) = scen else {
        eprintln!("bench: no scenario generated");
        return ExitCode::FAILURE;
    };
    let report = match Setup::parse(&name, &text)
        .and_then(|setup| {
            plan(
                Exports::Kept(&ingested),
                Some(setup),
                PlanOptions::default(),
            )
        })
        .map(|p| p.report)
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    let t_plan = t1.elapsed().as_secs_f64();

    let t2 = Instant::now();
    let json = render::json(&report.plan);
    let t_render = t2.elapsed().as_secs_f64();
    let cpu = cpu_s() - c0;
    let peak = peak_mb();

    if rejected > 0 {
        eprintln!("bench: {rejected} rows were rejected");
        return ExitCode::FAILURE;
    }
    std::hint::black_box(json.len());
    println!(
        "{:>8} {:>9.1} {:>9.3} {:>12.1} {:>7.3} {:>13.0} {:>9.3} {:>8.3} {:>7.2} {:>8.0}",
        n,
        bytes as f64 / 1e6,
        t_ingest,
        bytes as f64 / 1e6 / t_ingest,
        t_plan,
        n as f64 / t_plan,
        t_render,
        t_ingest + t_plan + t_render,
        cpu,
        peak
    );
    ExitCode::SUCCESS
}
