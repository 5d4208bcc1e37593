#!/usr/bin/env python3
"""Writes a GitHub Actions runs export ({total_count, workflow_runs}) of N runs, shaped like the
REST API's objects: every field a 2024 run object has, with the repository, head_repository,
actor, triggering_actor and head_commit objects in full. The shape follows GitHub's documented
"workflow run" schema; the values are made up. About 8 KB a run, so 100,000 runs are ~0.8 GB.

usage: gen_runs.py [--compact] OUT.json [N] [HEAD_SHA...]
--compact writes `gh run list --json` output instead (a plain array of the 16 fields gh names,
about 500 bytes a run), the densest export valueflow reads. Runs end now, one every 5 minutes; one in ten is a deploy run; given shas are used as
head_sha in turn (so deployments can land on real commits), else random ones."""

import json
import random
import sys
import time

args = sys.argv[1:]
compact = args[:1] == ["--compact"]
args = args[1:] if compact else args
out = args[0]
n = int(args[1]) if len(args) > 1 else 100_000
shas = args[2:]
rng = random.Random(7)
API = "https://api.github.com"
OWNER = "acme"
REPO = "shop"


def user(login, uid):
    base = f"{API}/users/{login}"
    return {
        "login": login, "id": uid, "node_id": f"MDQ6VXNlcj{uid:08d}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4", "gravatar_id": "",
        "url": base, "html_url": f"https://github.com/{login}",
        "followers_url": f"{base}/followers", "following_url": f"{base}/following{{/other_user}}",
        "gists_url": f"{base}/gists{{/gist_id}}", "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{base}/subscriptions", "organizations_url": f"{base}/orgs",
        "repos_url": f"{base}/repos", "events_url": f"{base}/events{{/privacy}}",
        "received_events_url": f"{base}/received_events", "type": "User", "user_view_type": "public",
        "site_admin": False,
    }


def repository():
    full = f"{OWNER}/{REPO}"
    base = f"{API}/repos/{full}"
    repo = {
        "id": 123456789, "node_id": "R_kgDOB1234567", "name": REPO, "full_name": full,
        "private": False, "owner": user(OWNER, 4242), "html_url": f"https://github.com/{full}",
        "description": "The shop front end and its API", "fork": False, "url": base,
    }
    for key, path in [
        ("forks_url", "/forks"), ("keys_url", "/keys{/key_id}"),
        ("collaborators_url", "/collaborators{/collaborator}"), ("teams_url", "/teams"),
        ("hooks_url", "/hooks"), ("issue_events_url", "/issues/events{/number}"),
        ("events_url", "/events"), ("assignees_url", "/assignees{/user}"),
        ("branches_url", "/branches{/branch}"), ("tags_url", "/tags"),
        ("blobs_url", "/git/blobs{/sha}"), ("git_tags_url", "/git/tags{/sha}"),
        ("git_refs_url", "/git/refs{/sha}"), ("trees_url", "/git/trees{/sha}"),
        ("statuses_url", "/statuses/{sha}"), ("languages_url", "/languages"),
        ("stargazers_url", "/stargazers"), ("contributors_url", "/contributors"),
        ("subscribers_url", "/subscribers"), ("subscription_url", "/subscription"),
        ("commits_url", "/commits{/sha}"), ("git_commits_url", "/git/commits{/sha}"),
        ("comments_url", "/comments{/number}"), ("issue_comment_url", "/issues/comments{/number}"),
        ("contents_url", "/contents/{+path}"), ("compare_url", "/compare/{base}...{head}"),
        ("merges_url", "/merges"), ("archive_url", "/{archive_format}{/ref}"),
        ("downloads_url", "/downloads"), ("issues_url", "/issues{/number}"),
        ("pulls_url", "/pulls{/number}"), ("milestones_url", "/milestones{/number}"),
        ("notifications_url", "/notifications{?since,all,participating}"),
        ("labels_url", "/labels{/name}"), ("releases_url", "/releases{/id}"),
        ("deployments_url", "/deployments"),
    ]:
        repo[key] = base + path
    return repo


REPOSITORY = repository()
ACTORS = [user(name, 1000 + i) for i, name in enumerate(["ana", "bo", "chen", "dev-bot"])]
WORKFLOWS = [
    ("CI", ".github/workflows/ci.yml", 11),
    ("Lint", ".github/workflows/lint.yml", 12),
    ("Deploy", ".github/workflows/deploy.yml", 13),
]


def run(i, now):
    finished = now - (n - i) * 300
    started = finished - rng.randint(60, 1800)
    name, path, wid = WORKFLOWS[2] if i % 10 == 0 else WORKFLOWS[i % 2]
    sha = shas[i % len(shas)] if shas else "%040x" % rng.getrandbits(160)
    actor = ACTORS[i % len(ACTORS)]
    conclusion = rng.choices(["success", "failure", "cancelled", "skipped"], [90, 6, 3, 1])[0]
    event = "workflow_dispatch" if name == "Deploy" and i % 70 == 0 else rng.choice(["push", "pull_request"])
    rid = 9_000_000_000 + i
    base = f"{API}/repos/{OWNER}/{REPO}/actions/runs/{rid}"
    iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
    return {
        "id": rid, "name": name, "node_id": f"WFR_kwLOB{rid}", "head_branch": "main",
        "head_sha": sha, "path": path, "display_title": f"Change number {i}: tidy the checkout flow",
        "run_number": i + 1, "event": event, "status": "completed", "conclusion": conclusion,
        "workflow_id": wid, "check_suite_id": 20_000_000_000 + i,
        "check_suite_node_id": f"CS_kwDOB{20_000_000_000 + i}", "url": base,
        "html_url": f"https://github.com/{OWNER}/{REPO}/actions/runs/{rid}",
        "pull_requests": [], "created_at": iso(started - 5), "updated_at": iso(finished),
        "actor": actor, "run_attempt": 2 if i % 50 == 0 else 1, "referenced_workflows": [],
        "run_started_at": iso(started), "triggering_actor": actor,
        "jobs_url": f"{base}/jobs", "logs_url": f"{base}/logs",
        "check_suite_url": f"{API}/repos/{OWNER}/{REPO}/check-suites/{20_000_000_000 + i}",
        "artifacts_url": f"{base}/artifacts", "cancel_url": f"{base}/cancel",
        "rerun_url": f"{base}/rerun", "previous_attempt_url": None,
        "workflow_url": f"{API}/repos/{OWNER}/{REPO}/actions/workflows/{wid}",
        "head_commit": {
            "id": sha, "tree_id": "%040x" % rng.getrandbits(160),
            "message": f"Change number {i}: tidy the checkout flow\n\nCloses #{i}.",
            "timestamp": iso(started - 600),
            "author": {"name": actor["login"], "email": f"{actor['login']}@example.com"},
            "committer": {"name": "GitHub", "email": "noreply@github.com"},
        },
        "repository": REPOSITORY, "head_repository": REPOSITORY,
    }


def gh(full):
    """The same run as `gh run list --json databaseId,number,attempt,workflowName,
    workflowDatabaseId,name,displayTitle,headSha,headBranch,event,status,conclusion,
    createdAt,startedAt,updatedAt,url` prints it."""
    return {
        "databaseId": full["id"], "number": full["run_number"], "attempt": full["run_attempt"],
        "workflowName": full["name"], "workflowDatabaseId": full["workflow_id"],
        "name": full["name"], "displayTitle": full["display_title"],
        "headSha": full["head_sha"], "headBranch": full["head_branch"], "event": full["event"],
        "status": full["status"], "conclusion": full["conclusion"],
        "createdAt": full["created_at"], "startedAt": full["run_started_at"],
        "updatedAt": full["updated_at"], "url": full["html_url"],
    }


now = int(time.time())
with open(out, "w") as f:
    f.write("[\n" if compact else '{"total_count": %d, "workflow_runs": [\n' % n)
    for i in range(n):
        if i:
            f.write(",\n")
        f.write(json.dumps(gh(run(i, now)) if compact else run(i, now)))
    f.write("\n]\n" if compact else "\n]}\n")
