#!/usr/bin/env bash
# `valueflow validate` over questionnaires of N duplicate practices (one problem each), at
# N and 10 N in the same run: a ratio near 10 is linear; before issue 8 every problem
# rescanned the file for its line, and 20,000 problems took a minute.
# usage: benches/validate.sh [N] [REPEATS]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
n=${1:-2000}
repeats=${2:-3}
for count in "$n" $((10 * n)); do
  python3 - "$work/q$count.toml" "$count" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('standard = "continuous-value-flow"\n')
    f.write('[[practice]]\nid = "people.1.x"\n' * int(sys.argv[2]))
PY
done
build
for i in $(seq "$repeats"); do
  for count in "$n" $((10 * n)); do
    /usr/bin/time -f "validate, $count problems: %e s, %M KB peak" \
      "$bin" validate "$work/q$count.toml" > /dev/null 2> >(grep '^validate' >&2) || true
  done
done
