# Sourced by the bench scripts: the repository root as the working directory, a scratch
# directory removed on exit, and the steps every script shares.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/times

# The release build; `bin` is its path (CARGO_TARGET_DIR honoured).
build() {
  cargo build --release --quiet
  bin=${CARGO_TARGET_DIR:-target}/release/valueflow
}

# run NAME COMMAND: times COMMAND into the log (name, seconds, peak KB) and prints the line.
run() { /usr/bin/time -a -o "$log" -f "$1	%e	%M" bash -c "$2"; tail -1 "$log"; }

# history REPO N K [LAYOUT]: REPO when given (a history generated before), else a new one of
# N commits, a tag every K (gen_history.py); sets `repo`.
history() {
  repo=$1
  if [ -z "$repo" ]; then
    repo=$work/repo
    python3 benches/gen_history.py "$repo" "$2" "$3" ${4:+"$4"}
  fi
}
