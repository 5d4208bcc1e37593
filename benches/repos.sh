#!/usr/bin/env bash
# Measuring many repositories: one `valueflow measure -C r1 … -C rN` (parallel across the
# cores, then the roll-up) against N separate `valueflow measure -C ri` runs one after the
# other, as a shell loop would, in the same run. Synthetic histories (gen_history.py): N
# repositories of COMMITS commits, a tag every TAG_EVERY. Two windows: the default 90 days
# and the whole history. Prints each run, then medians and the one-run/N-runs ratio.
# usage: benches/repos.sh [N] [COMMITS] [TAG_EVERY] [REPEATS]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
n=${1:-20}
commits=${2:-10000}
k=${3:-50}
repeats=${4:-3}
for i in $(seq "$n"); do
  python3 benches/gen_history.py "$work/r$i" "$commits" "$k" > /dev/null
done
build
all=""
for i in $(seq "$n"); do all="$all -C $work/r$i"; done
until=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for _ in $(seq "$repeats"); do
  for since in 90d 1900-01-01; do
    run "one run, $since" "$bin measure $all --since $since --until $until --format json > /dev/null"
    run "$n runs, $since" "for i in \$(seq $n); do $bin measure -C $work/r\$i --since $since --until $until --format json > /dev/null 2>&1; done"
  done
done
python3 - "$log" "$n" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if "\t" in l]
n = sys.argv[2]
med = {}
for name in dict.fromkeys(r[0] for r in rows):
    med[name] = statistics.median(float(r[1]) for r in rows if r[0] == name)
    print(f"median {name}: {med[name]:.2f} s")
for since in ["90d", "1900-01-01"]:
    one, many = med[f"one run, {since}"], med[f"{n} runs, {since}"]
    print(f"one run / {n} runs ({since}): {one / many:.2f}x time")
PY
