#!/usr/bin/env bash
# Fuzz syncplan with cargo fuzz (libFuzzer), each target for a bounded time, one at a time.
#
#   tests/fuzz.sh              every target for 60 s
#   tests/fuzz.sh 600          every target for 10 minutes
#   tests/fuzz.sh 600 ingest   one target (ingest, scenario, pipeline)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`); on stable Rust the nightly flags it uses are
# unlocked with RUSTC_BOOTSTRAP=1. The seed corpus is built from tests/ and www/demo into
# fuzz/corpus/<target> (ignored by git); crashes land in fuzz/artifacts/<target>/ and the run
# stops with a non-zero exit. Turn each crash into a regression test (a case in tests/malformed/,
# tests/ingest.rs or tests/plan_props.rs) and fix it.
# Not part of ./dev test.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(ingest scenario pipeline)
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1

seed() { # seed <target> <name> <file>...: one corpus entry made of the files, NUL-separated
  local dir=fuzz/corpus/$1 name=$2
  shift 2
  mkdir -p "$dir"
  local first=1
  for f in "$@"; do
    [ $first = 1 ] || printf '\0'
    first=0
    if [ -f "$f" ]; then cat "$f"; fi
  done >"$dir/seed-$name"
}

mkdir -p fuzz/corpus/ingest fuzz/corpus/scenario fuzz/corpus/pipeline
for f in tests/malformed/*.csv tests/golden/*/*.csv tests/fixtures/ingest/*.csv www/demo/*.csv; do
  [ -f "$f" ] || continue
  n=$(echo "$f" | tr '/ []' '____')
  { printf '\0'; cat "$f"; } >"fuzz/corpus/ingest/seed-$n"
done
for f in tests/golden/*/syncplan.json www/demo/syncplan.json tests/fixtures/ingest/syncplan.json; do
  [ -f "$f" ] || continue
  n=$(echo "$f" | tr '/ []' '____')
  cp "$f" "fuzz/corpus/scenario/seed-$n"
done
for d in tests/golden/*/; do
  [ -f "$d/syncplan.json" ] || continue
  ae=$(sed -n 's/.*"ae_users": *"\([^"]*\)".*/\1/p' "$d/syncplan.json" | head -1)
  tmp=$(mktemp)
  sed 's/"ae_users": *"[^"]*"/"ae_users": "ae-users.csv"/' "$d/syncplan.json" >"$tmp"
  seed pipeline "$(basename "$d")" "$tmp" "$d/users.csv" "$d/$ae" "$d/profiles.csv" "$d/roles.csv" \
    "$d/groups.csv" "$d/group-members.csv"
  rm -f "$tmp"
done
tmp=$(mktemp)
sed 's/"ae_users": *"[^"]*"/"ae_users": "ae-users.csv"/' www/demo/syncplan.json >"$tmp"
seed pipeline demo "$tmp" www/demo/users.csv www/demo/ae-users-acme.csv www/demo/profiles.csv \
  www/demo/roles.csv www/demo/groups.csv www/demo/group-members.csv
rm -f "$tmp"

for t in "${targets[@]}"; do
  echo "==> fuzzing $t for ${secs}s"
  cargo fuzz run --fuzz-dir fuzz "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$secs" -max_len=65536 -timeout=20 -rss_limit_mb=2048 -print_final_stats=1
done
