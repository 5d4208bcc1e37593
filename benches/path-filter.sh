#!/usr/bin/env bash
# The cost of --path (issue 14): valueflow measure over a synthetic monorepo history (default
# 200,000 commits, one an hour ending now, a tag every 200, four service directories written
# in turn, so `--path api` keeps a quarter of the commits), each window with and without the
# path filter, alternately in the same run: the ratios are the figures; seconds vary by
# machine. Target: --path at most 2x the unscoped run.
# usage: benches/path-filter.sh [COMMITS] [TAG_EVERY] [REPEATS] [REPO]
# REPO: reuse a history generated before (gen_history.py REPO COMMITS TAG_EVERY monorepo).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
n=${1:-200000}
k=${2:-200}
repeats=${3:-5}
history "${4:-}" "$n" "$k" monorepo
build
for i in $(seq "$repeats"); do
  for since in 90d 1900-01-01; do
    run "$since unscoped" "$bin measure -C $repo --since $since --format json > /dev/null 2>&1"
    run "$since --path api" "$bin measure -C $repo --since $since --path api --format json > /dev/null 2>&1"
    # Several specs with an exclude: no common prefix, so libgit2 walks every changed tree.
    run "$since --path api --path web ':!web/f1*'" \
      "$bin measure -C $repo --since $since --path api --path web --path ':!web/f1*' --format json > /dev/null 2>&1"
  done
done
python3 - "$log" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if "\t" in l]
base = {}
for name in dict.fromkeys(r[0] for r in rows):
    secs = statistics.median(float(r[1]) for r in rows if r[0] == name)
    peak = statistics.median(int(r[2]) for r in rows if r[0] == name) / 1000
    window = name.split(" ")[0]
    base.setdefault(window, (secs, peak))
    b = base[window]
    print(f"median {name}: {secs:.2f} s ({secs / b[0]:.2f}x unscoped), "
          f"{peak:.0f} MB peak ({peak / b[1]:.2f}x unscoped)")
PY
