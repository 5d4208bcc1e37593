#!/usr/bin/env bash
# The million-commit case: 1,000,000 commits, a tag every 1,000, three runs of each command.
# usage: benches/history-1m.sh [REPO]   (REPO: a history gen_history.py wrote before, reused)
set -euo pipefail
exec "$(dirname "$0")/history.sh" 1000000 1000 3 "${1:-}"
