#!/usr/bin/env python3
"""Writes a squash-merging repository, as GitHub leaves it, through `git fast-import`.

P pull requests, merged one every 2 hours from 2026-01-05T00:00:00Z, each squashed into one
commit "Change N (#N)" on main (author and committer date = the merge), its original commits
kept at refs/pull/N/head (the branch starts at main as it was when the previous pull request
merged): the first authored 2 + (N % 24) hours before the merge, the pull request opened an
hour after it, and for every third pull request a second commit an hour before the merge.
Every tenth pull request is dependabot's (one commit, 3 hours before the merge). An annotated
tag v0.K every 12 pull requests, 3 hours after its merge: the deployments.

With --export FILE it also writes the pull-request export that `valueflow fetch github
--pull-requests` would (number, merge_commit_sha, created_at, merged_at, first_commit_at,
author, commits). Every date is pinned, so every figure can be worked out again.

usage: gen_pulls.py DIR [P] [--export FILE]
"""
import json
import subprocess
import sys

T0 = 1_767_571_200  # 2026-01-05T00:00:00Z
H = 3600
ADA = "Ada <ada@example.com>"
BOT = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"


def iso(t):
    import datetime
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    args = [a for a in sys.argv[1:]]
    export = None
    if "--export" in args:
        i = args.index("--export")
        export = args[i + 1]
        del args[i:i + 2]
    target = args[0]
    p = int(args[1]) if len(args) > 1 else 60
    subprocess.run(["git", "init", "-q", "-b", "main", target], check=True)
    imp = subprocess.Popen(["git", "-C", target, "fast-import", "--quiet"],
                           stdin=subprocess.PIPE, text=True)
    out = imp.stdin
    mark = 0

    def commit(ref, author, authored, committed, msg, parent):
        nonlocal mark
        mark += 1
        out.write(f"commit {ref}\nmark :{mark}\nauthor {author} {authored} +0000\n"
                  f"committer GitHub <noreply@github.com> {committed} +0000\n"
                  f"data {len(msg)}\n{msg}\n")
        if parent:
            out.write(f"from :{parent}\n")
        out.write(f"M 644 inline f{mark % 50}\ndata {len(str(mark))}\n{mark}\n\n")
        return mark

    main_tip = commit("refs/heads/main", ADA, T0 - 100 * H, T0 - 100 * H, "initial", None)
    out.write(f"tag v0.0\nfrom :{main_tip}\ntagger T <t@example.com> {T0 - 99 * H} +0000\ndata 3\nrel\n")
    prs = []
    squash_marks = {}
    for n in range(1, p + 1):
        merged = T0 + n * 2 * H
        bot = n % 10 == 0
        author = BOT if bot else ADA
        if bot:
            authored = [merged - 3 * H]
        else:
            authored = [merged - (2 + n % 24) * H]
            if n % 3 == 0:
                authored.append(merged - H)
        opened = authored[0] + H
        ref = f"refs/pull/{n}/head"
        tip = main_tip
        for k, a in enumerate(authored):
            tip = commit(ref, author, a, a, f"Change {n}, part {k + 1}", tip)
        main_tip = commit("refs/heads/main", author, merged, merged, f"Change {n} (#{n})", main_tip)
        squash_marks[n] = main_tip
        prs.append({"number": n, "created_at": iso(opened), "merged_at": iso(merged),
                    "first_commit_at": iso(authored[0]),
                    "author": "dependabot[bot]" if bot else "ada",
                    "commits": [{"sha": None, "author": author, "authored_at": iso(a)}
                                for a in authored]})
        if n % 12 == 0:
            out.write(f"tag v0.{n // 12}\nfrom :{main_tip}\n"
                      f"tagger T <t@example.com> {merged + 3 * H} +0000\ndata 3\nrel\n")
    out.write("done\n")
    out.close()
    if imp.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", target, "pack-refs", "--all"], check=True)
    subprocess.run(["git", "-C", target, "commit-graph", "write", "--reachable"], check=True)
    if export:
        shas = subprocess.run(["git", "-C", target, "log", "--first-parent", "--format=%H %s", "main"],
                              check=True, capture_output=True, text=True).stdout
        by_number = {}
        for line in shas.splitlines():
            sha, subject = line.split(" ", 1)
            if subject.endswith(")") and "(#" in subject:
                by_number[int(subject.rsplit("(#", 1)[1][:-1])] = sha
        for pr in prs:
            pr["merge_commit_sha"] = by_number.get(pr["number"])
        with open(export, "w") as f:
            json.dump({"pull_requests": prs}, f, indent=1)


if __name__ == "__main__":
    main()
