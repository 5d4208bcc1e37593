#!/usr/bin/env bash
# `valueflow measure --ci` over a generated GitHub Actions export of 100,000 runs (~1.1 GB),
# and over the same runs as compact `gh run list --json` output (~50 MB), each against
# Python's json.load of the same file in the same run: the ratios are the figures.
# usage: benches/ci.sh [RUNS] [REPEATS]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
n=${1:-100000}
repeats=${2:-3}
git init -q "$work/repo"
git -C "$work/repo" -c user.name=bench -c user.email=bench@example.com commit -q --allow-empty -m init
python3 benches/gen_runs.py "$work/runs.json" "$n"
python3 benches/gen_runs.py --compact "$work/gh.json" "$n"
build
for export in runs gh; do
  ls -l "$work/$export.json" | awk '{printf "export %s: %.1f MB\n", $9, $5 / 1e6}'
  for i in $(seq "$repeats"); do
    /usr/bin/time -f "python json.load: %e s, %M KB peak" \
      python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$work/$export.json"
    /usr/bin/time -f "valueflow measure --ci: %e s, %M KB peak" \
      "$bin" measure -C "$work/repo" --ci "$work/$export.json" \
      --since 2000-01-01 --format json > /dev/null 2> >(grep -v '^warning' >&2)
  done
done
