#!/usr/bin/env python3
"""The command line against what a data-savvy consultant would use instead: DuckDB loading the
same CSV files into tables (2 threads). One run prints, for each of N alternating rounds, the wall
time and peak memory of

  duckdb   loading every CSV export of the org into a table (read_csv, header, all columns text)
  inspect  `syncplan inspect`: reading and typing every export
  plan     `syncplan plan --format json -o FILE`: reading, planning and writing the plan

then the medians and the ratio plan / duckdb (the target: under 2).

    python3 tests/bench-cli.py [--users 1000000] [--org DIR] [--runs 3] [--syncplan target/release/syncplan]

The org is generated with `syncplan generate --seed 7` when --org is not given (cached in
/tmp/syncplan-org-<users>). DuckDB comes from PyPI: the script installs it into .tools/venv the
first time (the only network access, to the package registry).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".tools", "venv")
DUCKDB_VERSION = "2.0.1"

# Run in a child of the venv's Python: load every CSV of a folder with DuckDB on 2 threads.
DUCKDB_LOAD = r"""
import duckdb, os, sys
folder = sys.argv[1]
con = duckdb.connect()
con.execute("SET threads TO 2")
rows = 0
for i, name in enumerate(sorted(n for n in os.listdir(folder) if n.endswith(".csv"))):
    path = os.path.join(folder, name).replace("'", "''")
    con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv('{path}', header = true, all_varchar = true)")
    rows += con.execute(f"SELECT count(*) FROM t{i}").fetchone()[0]
print(rows)
"""


def venv_python():
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    probe = subprocess.run([python, "-c", "import duckdb"], capture_output=True)
    if probe.returncode != 0:
        subprocess.run([python, "-m", "pip", "install", "--quiet", f"duckdb=={DUCKDB_VERSION}"], check=True)
    return python


def measured(argv):
    """Run argv under /usr/bin/time -v: (wall seconds, peak resident MB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        subprocess.run(["/usr/bin/time", "-v", "-o", t.name, *argv], check=True, stdout=subprocess.DEVNULL)
        fields = dict(line.strip().rsplit(": ", 1) for line in t.read().splitlines() if ": " in line)
    clock = fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")
    seconds = sum(float(part) * 60 ** i for i, part in enumerate(reversed(clock)))
    return seconds, int(fields["Maximum resident set size (kbytes)"]) / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=1_000_000)
    ap.add_argument("--org")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--syncplan", default=os.path.join(ROOT, "target", "release", "syncplan"))
    args = ap.parse_args()
    if not os.path.exists(args.syncplan):
        sys.exit(f"{args.syncplan} is missing: build it first (cargo build --release)")
    org = args.org or f"/tmp/syncplan-org-{args.users}"
    if not os.path.isdir(org):
        subprocess.run([args.syncplan, "generate", "--users", str(args.users), "--seed", "7", "--out", org], check=True)
    python = venv_python()
    size = sum(os.path.getsize(os.path.join(org, n)) for n in os.listdir(org) if n.endswith(".csv"))
    print(f"org: {org} ({size / 1e6:.1f} MB of CSV); {args.runs} alternating rounds")
    out = os.path.join(tempfile.gettempdir(), "syncplan-bench-plan.json")
    tools = {
        "duckdb": [python, "-c", DUCKDB_LOAD, org],
        "inspect": [args.syncplan, "inspect", org],
        "plan": [args.syncplan, "plan", org, "--format", "json", "-o", out],
    }
    results = {name: [] for name in tools}
    for round_ in range(1, args.runs + 1):
        for name, argv in tools.items():
            wall, peak = measured(argv)
            results[name].append((wall, peak))
            print(f"  round {round_}  {name:8} {wall:7.2f} s  {peak:7.0f} MB")
    print("\nmedian:")
    median = {name: statistics.median(w for w, _ in r) for name, r in results.items()}
    for name, r in results.items():
        print(f"  {name:8} {median[name]:7.2f} s  peak {max(p for _, p in r):7.0f} MB")
    print(f"\nplan / duckdb load: {median['plan'] / median['duckdb']:.2f} (target: under 2)")
    print(f"inspect / duckdb load: {median['inspect'] / median['duckdb']:.2f}")


if __name__ == "__main__":
    main()
