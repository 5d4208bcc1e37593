#!/usr/bin/env bash
# Fuzz one target for a while: fuzz/run.sh TARGET SECONDS [libFuzzer flags...]
#
# Builds fuzz/corpus/TARGET from the seeds in fuzz/seeds/TARGET, the CI recordings in
# ../shared/fixtures/ci (VALUEFLOW_FIXTURES overrides) and examples/, never copying them into
# the repository; crashes land in fuzz/artifacts/TARGET.
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: fuzz/run.sh TARGET SECONDS [libFuzzer flags...]" >&2
    echo "targets: questionnaire ci_export incidents window headers" >&2
    exit 2
fi
target=$1
seconds=$2
shift 2

fuzz=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz")
fixtures=${VALUEFLOW_FIXTURES:-$root/../shared/fixtures/ci}
corpus=$fuzz/corpus/$target
mkdir -p "$corpus" "$fuzz/artifacts/$target"

# Named by content, as libFuzzer names its own finds: seeding twice adds nothing.
seed() {
    for file in "$@"; do
        [ -f "$file" ] || continue
        cp "$file" "$corpus/$(sha1sum <"$file" | cut -c1-40)"
    done
}

seed "$fuzz/seeds/$target"/*
case $target in
    questionnaire)
        seed "$root"/examples/*.toml
        ;;
    ci_export | incidents)
        # Any JSON is worth starting from for incidents too: its `[...]` / `{...}` branch.
        if [ -d "$fixtures" ]; then
            while IFS= read -r -d '' file; do seed "$file"; done \
                < <(find "$fixtures" -name '*.json' -print0)
        else
            echo "run.sh: no fixtures at $fixtures (set VALUEFLOW_FIXTURES); seeds only" >&2
        fi
        seed "$root"/examples/*.json
        ;;
    window | headers) ;;
    *)
        echo "run.sh: unknown target $target" >&2
        exit 2
        ;;
esac

# cargo-fuzz passes nightly-only flags; RUSTC_BOOTSTRAP lets stable 1.95 accept them.
# --debug-assertions: integer overflow panics. No sanitizer: valueflow has no unsafe code and
# the property is "no panic", so ASan would only slow the search.
# -max_len: the recorded exports run to 400 KB; mutating the first 64 KB of each is enough.
# Dictionaries: number edges for every target, the target's own keys when it has them.
dict=$(mktemp)
trap 'rm -f "$dict"' EXIT
cat "$fuzz/dicts/numbers.dict" > "$dict"
[ -f "$fuzz/dicts/$target.dict" ] && cat "$fuzz/dicts/$target.dict" >> "$dict"

cd "$root"
RUSTC_BOOTSTRAP=1 cargo fuzz run \
    --debug-assertions \
    --sanitizer none \
    --target-dir "$fuzz/target" \
    "$target" "$corpus" -- \
    -max_total_time="$seconds" \
    -max_len="${FUZZ_MAX_LEN:-65536}" \
    -print_final_stats=1 \
    -dict="$dict" \
    "$@"
