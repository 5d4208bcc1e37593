#!/usr/bin/env bash
# valueflow measure over a synthetic history (default 200,000 commits, one an hour ending now,
# an annotated tag every 200), against `git log` walking the same history in the same run: the
# ratios are the figures; seconds vary by machine.
# usage: benches/history.sh [COMMITS] [TAG_EVERY] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200000}
k=${2:-200}
repeats=${3:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 benches/gen_history.py "$work/repo" "$n" "$k"
cargo build --release --quiet
bin=target/release/valueflow
run() { /usr/bin/time -f "$1: %e s, %M KB peak" bash -c "$2"; }
for i in $(seq "$repeats"); do
  run "git log" "git -C $work/repo log --format='%H %P %at %ct %s' HEAD > /dev/null"
  run "full history" "$bin measure -C $work/repo --since 2000-01-01 --format json > /dev/null"
  run "90-day window" "$bin measure -C $work/repo --since 90d --format json > /dev/null"
done
