//! Two history walks whose cost follows what they are asked, not the size of the history.
//!
//! libgit2's revwalk limits the whole list before it yields anything once commits are hidden
//! or sorted by time, which reads every commit of a 200,000-commit history to answer a
//! question about the last 90 days. These walks go newest first by committer date and stop
//! as soon as the answer is settled, as `git rev-list` does.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use git2::{Oid, Repository};

/// Commits older than everything interesting still get this many looks, for dates out of
/// order (git's own `rev-list` keeps the same slop).
const SLOP: usize = 5;

/// A commit's date and parents, read once.
struct Node {
    time: i64,
    parents: Vec<Oid>,
}

fn node(git: &Repository, oid: Oid) -> Option<Node> {
    // A parent beyond a shallow clone's boundary is not here: the walk ends there.
    let commit = git.find_commit(oid).ok()?;
    Some(Node {
        time: commit.committer().when().seconds(),
        parents: commit.parent_ids().collect(),
    })
}

/// Commits reachable from `tip` with a committer date at or after `oldest` (epoch seconds).
pub fn reachable_since(git: &Repository, tip: Oid, oldest: i64) -> HashSet<Oid> {
    let mut seen = HashSet::new();
    let mut queue = BinaryHeap::new();
    if let Some(n) = node(git, tip) {
        queue.push((n.time, tip, n.parents));
    }
    let mut slop = SLOP;
    while let Some((time, oid, parents)) = queue.pop() {
        if time < oldest {
            // Everything left is older still, unless dates are out of order.
            if slop == 0 {
                break;
            }
            slop -= 1;
        }
        if !seen.insert(oid) {
            continue;
        }
        for parent in parents {
            if !seen.contains(&parent)
                && let Some(n) = node(git, parent)
            {
                queue.push((n.time, parent, n.parents));
            }
        }
    }
    seen
}

/// `git rev-list TIPS ^HIDDEN`: commits reachable from a tip and from no hidden commit.
pub fn rev_list(git: &Repository, tips: &[Oid], hidden: &[Oid]) -> HashSet<Oid> {
    // oid -> uninteresting (reachable from a hidden commit)
    let mut marks: HashMap<Oid, bool> = HashMap::new();
    let mut parents_of: HashMap<Oid, Vec<Oid>> = HashMap::new();
    let mut queue: BinaryHeap<(i64, Reverse<Oid>)> = BinaryHeap::new();
    let mut interesting_queued = 0usize;
    let mut result = HashSet::new();
    let mut times: HashMap<Oid, i64> = HashMap::new();
    let mut enqueue = |oid: Oid,
                       uninteresting: bool,
                       marks: &mut HashMap<Oid, bool>,
                       queue: &mut BinaryHeap<(i64, Reverse<Oid>)>,
                       interesting_queued: &mut usize| {
        match marks.get(&oid).copied() {
            None => {
                let time = match times.get(&oid) {
                    Some(t) => *t,
                    None => match git.find_commit(oid) {
                        Ok(c) => {
                            let t = c.committer().when().seconds();
                            times.insert(oid, t);
                            t
                        }
                        Err(_) => return,
                    },
                };
                marks.insert(oid, uninteresting);
                queue.push((time, Reverse(oid)));
                if !uninteresting {
                    *interesting_queued += 1;
                }
            }
            Some(false) if uninteresting => {
                marks.insert(oid, true);
                *interesting_queued = interesting_queued.saturating_sub(1);
            }
            _ => {}
        }
    };
    for &oid in hidden {
        enqueue(oid, true, &mut marks, &mut queue, &mut interesting_queued);
    }
    for &oid in tips {
        enqueue(oid, false, &mut marks, &mut queue, &mut interesting_queued);
    }
    let mut processed: HashSet<Oid> = HashSet::new();
    let mut slop = SLOP;
    while let Some((_, Reverse(oid))) = queue.pop() {
        if !processed.insert(oid) {
            continue;
        }
        let uninteresting = marks.get(&oid).copied().unwrap_or(true);
        if !uninteresting {
            interesting_queued = interesting_queued.saturating_sub(1);
            result.insert(oid);
        }
        let parents: Vec<Oid> = match git.find_commit(oid) {
            Ok(c) => c.parent_ids().collect(),
            Err(_) => Vec::new(),
        };
        for &parent in &parents {
            if uninteresting && result.contains(&parent) {
                // Dates out of order: a commit taken as new is reachable from a hidden one
                // after all. Take it and its ancestors met so far back out.
                let mut stack = vec![parent];
                while let Some(back) = stack.pop() {
                    if marks.get(&back) != Some(&false) {
                        continue;
                    }
                    marks.insert(back, true);
                    if result.remove(&back) {
                        stack.extend(parents_of.get(&back).into_iter().flatten().copied());
                    } else {
                        // Still queued.
                        interesting_queued = interesting_queued.saturating_sub(1);
                    }
                }
            }
            enqueue(
                parent,
                uninteresting,
                &mut marks,
                &mut queue,
                &mut interesting_queued,
            );
        }
        parents_of.insert(oid, parents);
        if interesting_queued == 0 {
            if slop == 0 {
                break;
            }
            slop -= 1;
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::{Signature, Time};

    fn commit(git: &Repository, secs: i64, parents: &[Oid]) -> Oid {
        let sig = Signature::new("a", "a@example.com", &Time::new(secs, 0)).unwrap();
        let tree = git
            .find_tree(git.treebuilder(None).unwrap().write().unwrap())
            .unwrap();
        let parents: Vec<_> = parents
            .iter()
            .map(|p| git.find_commit(*p).unwrap())
            .collect();
        let refs: Vec<_> = parents.iter().collect();
        git.commit(None, &sig, &sig, &format!("at {secs}"), &tree, &refs)
            .unwrap()
    }

    #[test]
    fn rev_list_stops_at_hidden_history_and_handles_merges_and_skew() {
        let dir = tempfile::tempdir().unwrap();
        let git = Repository::init(dir.path()).unwrap();
        //  a(10) - b(20) - c(30) ------------- m(60) - e(70)
        //               \- s(25) - t(5, skewed) /
        let a = commit(&git, 10, &[]);
        let b = commit(&git, 20, &[a]);
        let c = commit(&git, 30, &[b]);
        let s = commit(&git, 25, &[b]);
        let t = commit(&git, 5, &[s]);
        let m = commit(&git, 60, &[c, t]);
        let e = commit(&git, 70, &[m]);
        let got = rev_list(&git, &[e], &[c]);
        assert_eq!(got, HashSet::from([e, m, s, t]));
        let got = rev_list(&git, &[e], &[t]);
        assert_eq!(got, HashSet::from([e, m, c]));
        assert_eq!(rev_list(&git, &[c], &[e]), HashSet::new());
        assert_eq!(rev_list(&git, &[e], &[]).len(), 7);
        // Back to date 25, plus the slop: t (dated 5) is only met through the slop.
        let since = reachable_since(&git, e, 25);
        assert!(since.is_superset(&HashSet::from([e, m, c, s])));
    }
}
