#!/usr/bin/env bash
# The cost of reading refs/pull/*: `valueflow measure` over a squash-merging history of
# PULLS pull requests (default 10,000: 10,000 refs/pull/N/head, packed, as a clone that fetched
# them has), against the same history with every refs/pull ref deleted, in the same run: the
# ratio is the figure; seconds vary by machine. Each command REPEATS times (default 5), medians.
# Two windows: the last 90 days (about 1,080 squash commits traced) and the whole history
# (every squash commit traced).
# usage: benches/pull-refs.sh [PULLS] [REPEATS]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
n=${1:-10000}
repeats=${2:-5}
python3 benches/gen_pulls.py "$work/with" "$n"
git clone -q --mirror "$work/with" "$work/without"
git -C "$work/without" for-each-ref refs/pull --format='delete %(refname)' \
  | git -C "$work/without" update-ref --stdin
git -C "$work/without" commit-graph write --reachable
echo "refs/pull refs: $(git -C "$work/with" for-each-ref refs/pull | wc -l) with," \
  "$(git -C "$work/without" for-each-ref refs/pull | wc -l) without"
build
# One pull request merged every 2 hours from 2026-01-05: the last at 2026-01-05 + 2n hours.
until=$(python3 -c "import datetime as d; print((d.datetime(2026,1,5)+d.timedelta(hours=2*$n+24)).strftime('%Y-%m-%d'))")
for i in $(seq "$repeats"); do
  for repo in without with; do
    run "90d $repo" "$bin measure -C $work/$repo --since 90d --until $until --format json > /dev/null 2>&1"
    run "all $repo" "$bin measure -C $work/$repo --since 2025-01-01 --until $until --format json > /dev/null 2>&1"
  done
done
for repo in without with; do
  echo "$repo refs/pull, 90 days:"
  "$bin" measure -C "$work/$repo" --since 90d --until "$until" --format json 2>/dev/null | python3 -c "
import json, sys
lt = json.load(sys.stdin)['measures']['lead_time_for_changes']
print('  samples', lt['samples'], 'median', round(lt['median_hours'], 2), 'h, squash', lt['squash_commits'])"
done
python3 - "$log" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if "\t" in l]
med = {}
for name in dict.fromkeys(r[0] for r in rows):
    med[name] = (statistics.median(float(r[1]) for r in rows if r[0] == name),
                 statistics.median(int(r[2]) for r in rows if r[0] == name) / 1000)
for window in ("90d", "all"):
    (a, ma), (b, mb) = med[f"{window} without"], med[f"{window} with"]
    print(f"{window}: without refs/pull {a:.3f} s {ma:.0f} MB; with {b:.3f} s {mb:.0f} MB; "
          f"ratio {b / a:.2f}x time, {mb / ma:.2f}x peak")
PY
