#!/usr/bin/env bash
# valueflow trend --every month against one valueflow measure over the same span, in the same
# run, over a synthetic history (default 200,000 commits, one an hour ending now, an annotated
# tag every 200): the ratio is the figure; seconds vary by machine. Two spans: the trend's
# default (the last 12 months) and the whole history (about 23 years, 275 months). Prints
# each run, then the median time and peak of each command and the trend/measure ratio.
# usage: benches/trend.sh [COMMITS] [TAG_EVERY] [REPEATS] [REPO]
# REPO: reuse a history generated before (gen_history.py REPO COMMITS TAG_EVERY).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200000}
k=${2:-200}
repeats=${3:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo=${4:-}
if [ -z "$repo" ]; then
  repo=$work/repo
  python3 benches/gen_history.py "$repo" "$n" "$k"
fi
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/valueflow
log=$work/times
run() { /usr/bin/time -a -o "$log" -f "$1	%e	%M" bash -c "$2"; tail -1 "$log"; }
# One `now` for every run, so that both commands see the same window.
until=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for i in $(seq "$repeats"); do
  run "measure 12m" "$bin measure -C $repo --since 12m --until $until --format json > /dev/null 2>&1"
  run "trend 12m" "$bin trend -C $repo --every month --since 12m --until $until --format json > /dev/null 2>&1"
  run "measure all" "$bin measure -C $repo --since 1900-01-01 --until $until --format json > /dev/null 2>&1"
  run "trend all" "$bin trend -C $repo --every month --since 1900-01-01 --until $until --format json > /dev/null 2>&1"
done
python3 - "$log" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if "\t" in l]
med = {}
for name in dict.fromkeys(r[0] for r in rows):
    secs = statistics.median(float(r[1]) for r in rows if r[0] == name)
    peak = statistics.median(int(r[2]) for r in rows if r[0] == name) / 1000
    med[name] = (secs, peak)
    print(f"median {name}: {secs:.2f} s, {peak:.0f} MB peak")
for span in ("12m", "all"):
    (t, tp), (m, mp) = med[f"trend {span}"], med[f"measure {span}"]
    print(f"trend/measure ({span}): {t / m:.2f}x time, {tp / mp:.2f}x peak")
PY
