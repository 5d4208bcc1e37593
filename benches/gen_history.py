#!/usr/bin/env python3
"""Writes a synthetic repository for the history benchmark, through `git fast-import`.

N commits on main, 10 minutes apart (author at :00, committer 5 minutes later), an annotated
tag every 200 commits (15 minutes after its commit), a "hotfix:" subject every 500 commits.

usage: gen_history.py DIR [N]
"""
import subprocess
import sys

def main():
    target = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    subprocess.run(["git", "init", "-q", "-b", "main", target], check=True)
    imp = subprocess.Popen(["git", "-C", target, "fast-import", "--quiet"], stdin=subprocess.PIPE, text=True)
    t0 = 1_700_000_000
    out = imp.stdin
    for i in range(n):
        msg = f"change {i}" if i % 500 else f"hotfix: thing {i}"
        out.write(f"commit refs/heads/main\nmark :{i+1}\n"
                  f"author A <a@example.com> {t0 + i*600} +0000\n"
                  f"committer C <c@example.com> {t0 + i*600 + 300} +0000\n"
                  f"data {len(msg)}\n{msg}\n")
        if i:
            out.write(f"from :{i}\n")
        out.write(f"M 644 inline f{i % 100}\ndata {len(str(i))}\n{i}\n\n")
        if i % 200 == 0:
            out.write(f"tag v1.{i // 200}\nfrom :{i+1}\n"
                      f"tagger T <t@example.com> {t0 + i*600 + 900} +0000\ndata 3\nrel\n")
    out.close()
    if imp.wait() != 0:
        sys.exit("git fast-import failed")

if __name__ == "__main__":
    main()
