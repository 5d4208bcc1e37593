#!/usr/bin/env bash
# valueflow measure over a synthetic history (default 200,000 commits, one an hour ending now,
# an annotated tag every 200, the commit-graph written), against `git log` walking the same
# history in the same run: the ratios are the figures; seconds vary by machine. Prints each run
# and then the median time and peak of each command.
# usage: benches/history.sh [COMMITS] [TAG_EVERY] [REPEATS] [REPO]
# REPO: reuse a history generated before (gen_history.py REPO COMMITS TAG_EVERY); a million
# commits take minutes to generate.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
n=${1:-200000}
k=${2:-200}
repeats=${3:-5}
history "${4:-}" "$n" "$k"
build
for i in $(seq "$repeats"); do
  run "git log" "git -C $repo log --format='%H %P %at %ct %s' HEAD > /dev/null"
  # 1900: a million hourly commits reach back to 1912.
  run "full history" "$bin measure -C $repo --since 1900-01-01 --format json > /dev/null"
  run "90-day window" "$bin measure -C $repo --since 90d --format json > /dev/null 2>&1"
done
python3 - "$log" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if "\t" in l]
base = None
for name in dict.fromkeys(r[0] for r in rows):
    secs = statistics.median(float(r[1]) for r in rows if r[0] == name)
    peak = statistics.median(int(r[2]) for r in rows if r[0] == name) / 1000
    base = base or (secs, peak)
    print(f"median {name}: {secs:.2f} s ({secs / base[0]:.2f}x git log), "
          f"{peak:.0f} MB peak ({peak / base[1]:.2f}x git log)")
PY
