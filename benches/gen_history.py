#!/usr/bin/env python3
"""Writes a synthetic repository for the history benchmark, through `git fast-import`.

N commits on main, one an hour ending now (author at :00, committer 5 minutes later), an
annotated tag every K commits (15 minutes after its commit), a "hotfix:" subject every 500
commits. The commit-graph file is written, as `git gc` or `git maintenance` would leave it on a
real repository of that size: both git log and valueflow read parents and dates from it.

LAYOUT `flat` (the default, as before): the commits write f0..f99 in the root. `monorepo`: a
monorepo of four services, commit i writing SERVICE/f<i % 100> with SERVICE api, web, worker,
lib in turn, so `--path api` takes a quarter of the commits (benches/path-filter.sh).

usage: gen_history.py DIR [N] [K] [LAYOUT]
"""
import subprocess
import sys
import time

def main():
    target = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    k = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    layout = sys.argv[4] if len(sys.argv) > 4 else "flat"
    if layout not in ("flat", "monorepo"):
        sys.exit(f"unknown layout {layout!r}: flat or monorepo")
    services = ["api", "web", "worker", "lib"]
    subprocess.run(["git", "init", "-q", "-b", "main", target], check=True)
    imp = subprocess.Popen(["git", "-C", target, "fast-import", "--quiet"], stdin=subprocess.PIPE, text=True)
    # The last commit an hour before now, so its tag (15 minutes later) is in the past.
    t0 = int(time.time()) // 3600 * 3600 - n * 3600
    out = imp.stdin
    for i in range(n):
        msg = f"change {i}" if i % 500 else f"hotfix: thing {i}"
        out.write(f"commit refs/heads/main\nmark :{i+1}\n"
                  f"author A <a@example.com> {t0 + i*3600} +0000\n"
                  f"committer C <c@example.com> {t0 + i*3600 + 300} +0000\n"
                  f"data {len(msg)}\n{msg}\n")
        if i:
            out.write(f"from :{i}\n")
        path = f"f{i % 100}" if layout == "flat" else f"{services[i % 4]}/f{i % 100}"
        out.write(f"M 644 inline {path}\ndata {len(str(i))}\n{i}\n\n")
        if i % k == 0:
            out.write(f"tag v1.{i // k}\nfrom :{i+1}\n"
                      f"tagger T <t@example.com> {t0 + i*3600 + 900} +0000\ndata 3\nrel\n")
    out.close()
    if imp.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", target, "commit-graph", "write", "--reachable"], check=True)

if __name__ == "__main__":
    main()
