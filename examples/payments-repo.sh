#!/bin/sh
# Builds the fictional payments team's repository, the history behind the README's example
# reports, in DIR: four weeks of commits and 11 annotated release tags. Only git is needed.
#
#   sh examples/payments-repo.sh /tmp/payments
#   valueflow report -C /tmp/payments --ci examples/ci-runs.json \
#       --since 2026-01-05 --until 2026-02-02
#
# The objects are written with git's plumbing, byte for byte as the test suite writes them
# with libgit2 (payments_history() in tests/it/report_cmd.rs), so every commit and tag has
# the same id: the commits that examples/ci-runs.json names are in this repository, and the
# report equals examples/report.txt. The example team's assessment is copied into DIR as
# valueflow.toml (untracked), where `valueflow report` finds it and names it as the example
# does.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: sh $0 DIR" >&2
    exit 2
fi
dir=$1
if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
    echo "error: $dir is not empty; give a new or empty directory" >&2
    exit 2
fi
examples=$(cd "$(dirname "$0")" && pwd)

# No user or system configuration: commit.gpgSign, an i18n.commitEncoding or a sha256
# default would change the bytes, and so the ids.
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL=/dev/null
export GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL
# Run from a hook or another repository's script, these would send the objects there.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY

mkdir -p "$dir"
git init -q --object-format=sha1 "$dir"
cd "$dir"
git symbolic-ref HEAD refs/heads/main

# Hour 0 is 2026-01-05T00:00:00Z, a Monday. seconds HOURS: git's raw date of that hour.
T0=1767571200
seconds() {
    echo "$((T0 + $1 * 3600)) +0000"
}

parent=
# commit HOURS MESSAGE: a commit on main with MESSAGE verbatim (no newline added, as libgit2
# writes it; commit-tree's -m would add one), its tree one file, change.txt, holding the
# message; author and committer at the same time. Sets $commit.
commit() {
    message=$(mktemp)
    printf '%s' "$2" >"$message"
    blob=$(git hash-object -w "$message")
    tree=$(printf '100644 blob %s\tchange.txt\n' "$blob" | git mktree)
    commit=$(
        GIT_AUTHOR_NAME="Ada" GIT_AUTHOR_EMAIL="Ada@example.com" \
        GIT_AUTHOR_DATE="@$(seconds "$1")" \
        GIT_COMMITTER_NAME="Ci Bot" GIT_COMMITTER_EMAIL="Ci Bot@example.com" \
        GIT_COMMITTER_DATE="@$(seconds "$1")" \
            git commit-tree --no-gpg-sign "$tree" ${parent:+-p "$parent"} <"$message"
    )
    rm -f "$message"
    parent=$commit
    git update-ref refs/heads/main "$commit"
}

# tag NAME HOURS: an annotated tag of $commit whose message is its name, with no newline
# after it (mktag keeps the message as given; `git tag -a` would add one).
tag() {
    object=$(
        printf 'object %s\ntype commit\ntag %s\ntagger %s %s\n\n%s' "$commit" "$1" \
            "Release Bot <Release Bot@example.com>" "$(seconds "$2")" "$1" | git mktag
    )
    git update-ref "refs/tags/$1" "$object"
}

commit 0 'initial'
tag v1.0 2
commit 20 'add card tokenisation'
commit 22 'tokenisation tests'
tag v1.1 26
commit 44 'refund endpoint'
tag v1.2 50
commit 52 'hotfix: refund rounding'
tag v1.2.1 54
commit 170 'currency conversion'
commit 180 'conversion cache'
tag v1.3 190
commit 200 'payout scheduling'
tag v1.4 230
commit 340 'fraud score'
tag v1.5 360
# The one message with more than a line, ending in a newline.
commit 370 "Revert \"fraud score\"

This reverts commit $parent.
"
tag v1.6 372
commit 400 'fraud score v2'
tag v1.7 430
commit 510 'statement export'
commit 530 'export paging'
tag v1.8 560
commit 600 'ledger reconciliation'
tag v1.9 650

# A work tree that matches HEAD, so that `git status` is clean apart from valueflow.toml.
git read-tree -u --reset HEAD
if [ -f "$examples/assessment.toml" ]; then
    cp "$examples/assessment.toml" valueflow.toml
fi
echo "payments repository in $dir: HEAD $(git rev-parse HEAD)"
