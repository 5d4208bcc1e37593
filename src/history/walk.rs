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

/// Commits reachable from `tip` with a committer date at or after `oldest` (epoch seconds),
/// and some older ones met on the way (they are reachable too).
pub fn reachable_since(git: &Repository, tip: Oid, oldest: i64) -> HashSet<Oid> {
    let mut seen = HashSet::from([tip]);
    let mut queue = BinaryHeap::new();
    if let Some(n) = node(git, tip) {
        queue.push((n.time, n.parents));
    }
    let mut slop = SLOP;
    while let Some((time, parents)) = queue.pop() {
        if time < oldest {
            // Everything left is older still, unless dates are out of order.
            if slop == 0 {
                break;
            }
            slop -= 1;
        }
        if seen.len() == super::LONG_WALK {
            super::long_walk();
        }
        for parent in parents {
            if seen.insert(parent)
                && let Some(n) = node(git, parent)
            {
                queue.push((n.time, n.parents));
            }
        }
    }
    seen
}

/// `git rev-list TIPS ^HIDDEN`: commits reachable from a tip and from no hidden commit.
///
/// Newest first; a commit is marked uninteresting when a hidden commit reaches it. The walk
/// ends once nothing interesting is queued (after the slop), as git's does.
pub fn rev_list(git: &Repository, tips: &[Oid], hidden: &[Oid]) -> HashSet<Oid> {
    let mut walk = RevList {
        git,
        nodes: HashMap::new(),
        uninteresting: HashSet::new(),
        queue: BinaryHeap::new(),
        interesting_queued: 0,
        result: HashSet::new(),
    };
    for &oid in hidden {
        walk.enqueue(oid, true);
    }
    for &oid in tips {
        walk.enqueue(oid, false);
    }
    let mut processed: HashSet<Oid> = HashSet::new();
    let mut slop = SLOP;
    while let Some((_, Reverse(oid))) = walk.queue.pop() {
        if !processed.insert(oid) {
            continue;
        }
        let uninteresting = walk.uninteresting.contains(&oid);
        if !uninteresting {
            walk.interesting_queued -= 1;
            walk.result.insert(oid);
        }
        let parents = walk
            .nodes
            .get(&oid)
            .map(|n| n.parents.clone())
            .unwrap_or_default();
        for parent in parents {
            walk.enqueue(parent, uninteresting);
        }
        if walk.interesting_queued == 0 {
            if slop == 0 {
                break;
            }
            slop -= 1;
        }
    }
    walk.result
}

struct RevList<'a> {
    git: &'a Repository,
    /// Every commit met, read once.
    nodes: HashMap<Oid, Node>,
    uninteresting: HashSet<Oid>,
    queue: BinaryHeap<(i64, Reverse<Oid>)>,
    /// Queued commits not (yet) known to be uninteresting: the walk's reason to go on.
    interesting_queued: usize,
    result: HashSet<Oid>,
}

impl RevList<'_> {
    fn enqueue(&mut self, oid: Oid, uninteresting: bool) {
        if !self.nodes.contains_key(&oid) {
            let Some(n) = node(self.git, oid) else { return };
            self.queue.push((n.time, Reverse(oid)));
            self.nodes.insert(oid, n);
            if self.nodes.len() == super::LONG_WALK {
                super::long_walk();
            }
            if uninteresting {
                self.uninteresting.insert(oid);
            } else {
                self.interesting_queued += 1;
            }
        } else if uninteresting {
            self.mark_uninteresting(oid);
        }
    }

    /// A commit taken as interesting is reachable from a hidden one after all: queued, it is
    /// no longer a reason to go on; already taken (dates out of order), it and the ancestors
    /// taken through it come back out.
    fn mark_uninteresting(&mut self, oid: Oid) {
        let mut stack = vec![oid];
        while let Some(oid) = stack.pop() {
            // Not met (beyond a shallow boundary), or already known.
            if !self.nodes.contains_key(&oid) || !self.uninteresting.insert(oid) {
                continue;
            }
            if self.result.remove(&oid) {
                stack.extend(self.nodes.get(&oid).into_iter().flat_map(|n| &n.parents));
            } else {
                self.interesting_queued -= 1;
            }
        }
    }
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
