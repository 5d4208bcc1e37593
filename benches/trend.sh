#!/usr/bin/env bash
# valueflow trend --every month against one valueflow measure over the same span, in the same
# run, over a synthetic history (default 200,000 commits, one an hour ending now, an annotated
# tag every 200): the ratio is the figure; seconds vary by machine. Two spans: the trend's
# default (the last 12 months) and the whole history (--since 1900-01-01: 1,523 months, the
# last ~275 of them holding the history). Prints
# each run, then the median time and peak of each command and the trend/measure ratio.
# usage: benches/trend.sh [COMMITS] [TAG_EVERY] [REPEATS] [REPO]
# REPO: reuse a history generated before (gen_history.py REPO COMMITS TAG_EVERY).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
n=${1:-200000}
k=${2:-200}
repeats=${3:-3}
history "${4:-}" "$n" "$k"
build
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
