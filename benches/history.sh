#!/usr/bin/env bash
# valueflow measure over a synthetic 100,000-commit history, against `git log` walking the same
# history in the same run (the ratio is the figure; seconds vary by machine).
# usage: benches/history.sh [COMMITS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 benches/gen_history.py "$work/repo" "$n"
cargo build --release --quiet
bin=target/release/valueflow
window=(--since 2023-11-01 --until 2025-01-01)
hyperfine_or_time() {
  if command -v hyperfine >/dev/null; then
    hyperfine --warmup 1 --runs 5 "$@"
  else
    for cmd in "$@"; do echo "$cmd"; /usr/bin/time -f "  %e s, %M KB peak" bash -c "$cmd"; done
  fi
}
hyperfine_or_time \
  "git -C $work/repo log --format='%H %at %ct %s' main > /dev/null" \
  "$bin measure -C $work/repo ${window[*]} --format json > /dev/null" \
  "$bin measure -C $work/repo ${window[*]} --tag-pattern '^none' --format json > /dev/null 2>&1"
