//! Whether a commit touches a service's paths (`--path`): its tree diffed against its first
//! parent's (a root commit's against the empty tree), limited by the pathspecs through
//! libgit2, so globs match as git's do.
//!
//! Only commits of change sets are asked (merge commits never: they are not changes, §2), so
//! the cost follows the window, not the history. Most are answered without a diff: a path an
//! include matches lies under that include's literal leading directories, so when the entries
//! there are the same objects in both trees, nothing the specs match changed. Only a commit
//! that changed one of them, with globs or excludes to apply, is diffed (a libgit2 diff per
//! commit made a whole-history run four times slower; BENCHMARKS.md, path filter).

use std::path::PathBuf;

use git2::{Commit, ObjectType, Oid, Pathspec, PathspecFlags, Repository, Tree};

use crate::events::Paths;

pub(super) struct PathFilter<'r> {
    /// The last tree read as a parent's, by its commit: the walk visits a commit's first
    /// parent next, so that tree is the next commit's own, not read twice (the object cache
    /// is off on long walks).
    parent: Option<(Oid, Tree<'r>)>,
    /// The subtrees read lately: the older side of one commit's changed directory is the
    /// newer side of its parent's, visited next.
    subtrees: Vec<(Oid, Tree<'r>)>,
    /// The specs as libgit2 matches them (excludes first: see `libgit2_specs`).
    spec: Pathspec,
    /// The literal leading directories of the includes; `None` when one has none (`*.md`,
    /// or excludes alone): every commit is then diffed.
    roots: Option<Vec<PathBuf>>,
    /// Every include is a literal path and nothing is excluded: a changed entry at a root is
    /// a change the specs match, with no diff to make.
    literal: bool,
}

impl<'r> PathFilter<'r> {
    /// `None` for no paths: every commit is the service's, nothing is diffed.
    pub(super) fn new(paths: &Paths) -> Option<PathFilter<'r>> {
        if paths.is_empty() {
            return None;
        }
        // The specs were checked as text (events::paths); libgit2 refusing them anyway
        // leaves the filter out rather than failing the run.
        let spec = Pathspec::new(libgit2_specs(paths)).ok()?;
        let roots: Option<Vec<PathBuf>> = paths
            .include()
            .iter()
            .map(|p| literal_root(p))
            .collect::<Option<Vec<_>>>()
            .filter(|roots| !roots.is_empty());
        let literal = paths.exclude().is_empty()
            && paths
                .include()
                .iter()
                .all(|p| !p.is_empty() && !p.contains(WILDCARDS));
        Some(PathFilter {
            parent: None,
            subtrees: Vec::new(),
            spec,
            roots,
            literal,
        })
    }

    /// Whether the commit changes a path the specs match. A commit whose first parent is not
    /// here (beyond a shallow clone's boundary) is diffed against the empty tree, as a root.
    pub(super) fn touches(&mut self, git: &'r Repository, commit: &Commit<'r>) -> bool {
        let tree = match self.parent.take() {
            Some((id, tree)) if id == commit.id() => tree,
            _ => match commit.tree() {
                Ok(tree) => tree,
                Err(_) => return false,
            },
        };
        let parent = commit.parent_id(0).ok().and_then(|id| {
            let tree = git.find_commit(id).ok()?.tree().ok()?;
            self.parent = Some((id, tree.clone()));
            Some(tree)
        });
        if let (Some(roots), Some(parent)) = (&self.roots, &parent) {
            let changed = roots
                .iter()
                .any(|root| entry(&tree, root) != entry(parent, root));
            if !changed {
                return false;
            }
            if self.literal {
                return true;
            }
        }
        self.changed(git, parent.as_ref(), Some(&tree), &mut String::new())
    }

    /// Whether a path under `prefix` that the specs match differs between `old` and `new`
    /// (either may be absent: added or deleted). Only subtrees whose objects differ are
    /// entered, so the cost is the changed paths', not the tree's: a libgit2 diff with
    /// pathspecs walked far more (3.7× a whole-history run with a glob exclude).
    fn changed(
        &mut self,
        git: &'r Repository,
        old: Option<&Tree<'r>>,
        new: Option<&Tree<'r>>,
        prefix: &mut String,
    ) -> bool {
        let entries = |tree: Option<&Tree<'_>>| -> Vec<(String, Oid, Option<ObjectType>)> {
            tree.map_or_else(Vec::new, |t| {
                t.iter()
                    .map(|e| {
                        (
                            String::from_utf8_lossy(e.name_bytes()).into_owned(),
                            e.id(),
                            e.kind(),
                        )
                    })
                    .collect()
            })
        };
        let (before, after) = (entries(old), entries(new));
        let find = |list: &[(String, Oid, Option<ObjectType>)], name: &str| {
            list.iter()
                .find(|(n, _, _)| n == name)
                .map(|(_, id, kind)| (*id, *kind))
        };
        let names = after.iter().map(|(n, _, _)| n).chain(
            before
                .iter()
                .map(|(n, _, _)| n)
                .filter(|n| find(&after, n).is_none()),
        );
        for name in names {
            let (was, is) = (find(&before, name), find(&after, name));
            if was.map(|(id, _)| id) == is.map(|(id, _)| id) {
                continue;
            }
            let len = prefix.len();
            prefix.push_str(name);
            let mut subtree = |side: Option<(Oid, Option<ObjectType>)>| {
                let (id, _) = side.filter(|(_, kind)| *kind == Some(ObjectType::Tree))?;
                if let Some((_, tree)) = self.subtrees.iter().find(|(t, _)| *t == id) {
                    return Some(tree.clone());
                }
                let tree = git.find_tree(id).ok()?;
                if self.subtrees.len() == SUBTREES {
                    self.subtrees.remove(0);
                }
                self.subtrees.push((id, tree.clone()));
                Some(tree)
            };
            let (old_tree, new_tree) = (subtree(was), subtree(is));
            // A file (or submodule) on either side is a path of its own to match.
            let file = |side: Option<(Oid, Option<ObjectType>)>| {
                side.is_some_and(|(_, kind)| kind != Some(ObjectType::Tree))
            };
            let mut hit = (file(was) || file(is))
                && self.spec.matches_path(
                    std::path::Path::new(prefix.as_str()),
                    PathspecFlags::DEFAULT,
                );
            if !hit && (old_tree.is_some() || new_tree.is_some()) {
                prefix.push('/');
                hit = self.changed(git, old_tree.as_ref(), new_tree.as_ref(), prefix);
            }
            prefix.truncate(len);
            if hit {
                return true;
            }
        }
        false
    }
}

/// How many subtrees `PathFilter` keeps: a few directories deep on both sides of a commit.
const SUBTREES: usize = 16;

/// What libgit2's wildmatch treats as special (with `\\`, which escapes).
const WILDCARDS: [char; 4] = ['*', '?', '[', '\\'];

/// The leading path components of a pattern before the first one holding a wildcard; `None`
/// when that is none at all (the whole tree).
fn literal_root(pattern: &str) -> Option<PathBuf> {
    let literal: Vec<&str> = pattern
        .split('/')
        .take_while(|part| !part.is_empty() && !part.contains(WILDCARDS))
        .collect();
    (!literal.is_empty()).then(|| literal.iter().collect())
}

/// The object at `path` in a tree, if any.
fn entry(tree: &Tree<'_>, path: &std::path::Path) -> Option<Oid> {
    tree.get_path(path).ok().map(|e| e.id())
}

/// libgit2 takes the first spec that matches a path and knows `!` for an exclude, not git's
/// `:!` forms; git lets any exclude win and reads excludes alone as "everything but". So the
/// excludes go first, then the includes, then `*` when there are none.
fn libgit2_specs(paths: &Paths) -> Vec<String> {
    // A leading `!` or `#` of a pattern is a path character to git, not to libgit2's parser.
    let escape = |p: &str| {
        if p.starts_with(['!', '#']) {
            format!("\\{p}")
        } else {
            p.to_string()
        }
    };
    let everything = |p: &str| {
        if p.is_empty() {
            "*".to_string()
        } else {
            escape(p)
        }
    };
    let mut specs: Vec<String> = paths
        .exclude()
        .iter()
        .map(|p| format!("!{}", everything(p)))
        .collect();
    specs.extend(paths.include().iter().map(|p| everything(p)));
    if paths.include().is_empty() {
        specs.push("*".to_string());
    }
    specs
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::{Oid, Signature, Time};

    /// A commit on `parent` that writes each of `files` (path, content) into its tree.
    fn commit(git: &Repository, parent: Option<Oid>, files: &[(&str, &str)]) -> Oid {
        let parent = parent.map(|p| git.find_commit(p).unwrap());
        let mut index = git2::Index::new().unwrap();
        if let Some(p) = &parent {
            index.read_tree(&p.tree().unwrap()).unwrap();
        }
        for (path, content) in files {
            let blob = git.blob(content.as_bytes()).unwrap();
            let mut entry = git2::IndexEntry {
                ctime: git2::IndexTime::new(0, 0),
                mtime: git2::IndexTime::new(0, 0),
                dev: 0,
                ino: 0,
                mode: 0o100644,
                uid: 0,
                gid: 0,
                file_size: 0,
                id: blob,
                flags: 0,
                flags_extended: 0,
                path: path.as_bytes().to_vec(),
            };
            entry.flags = (path.len() as u16) & 0xfff;
            index.add(&entry).unwrap();
        }
        let tree = git.find_tree(index.write_tree_to(git).unwrap()).unwrap();
        let sig = Signature::new("a", "a@example.com", &Time::new(0, 0)).unwrap();
        let parents: Vec<&Commit> = parent.iter().collect();
        git.commit(None, &sig, &sig, "c", &tree, &parents).unwrap()
    }

    fn touches(specs: &[&str], git: &Repository, oid: Oid) -> bool {
        let paths = Paths::parse(&specs.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .expect("valid specs");
        let mut filter = PathFilter::new(&paths).expect("some paths");
        filter.touches(git, &git.find_commit(oid).unwrap())
    }

    #[test]
    fn specs_match_as_git_matches_them() {
        let dir = tempfile::tempdir().unwrap();
        let git = Repository::init(dir.path()).unwrap();
        let root = commit(&git, None, &[("api/main.rs", "1"), ("web/app.js", "1")]);
        let legacy = commit(&git, Some(root), &[("api/legacy/old.rs", "2")]);
        let web = commit(
            &git,
            Some(legacy),
            &[("web/app.js", "2"), ("README.md", "2")],
        );
        let apis = commit(&git, Some(web), &[("apis/x", "3")]);

        // The root commit is diffed against the empty tree.
        assert!(touches(&["api"], &git, root));
        assert!(touches(&["api/"], &git, legacy));
        // A directory spec is a whole path component: `api` is not `apis`.
        assert!(!touches(&["api"], &git, apis));
        assert!(touches(&["api*"], &git, apis));
        // An exclude wins whatever its place.
        assert!(!touches(&[":!api/legacy", "api"], &git, legacy));
        assert!(!touches(&["api", ":(exclude)api/legacy"], &git, legacy));
        // Excludes alone: everything else.
        assert!(touches(&[":!web"], &git, legacy));
        assert!(touches(&[":!web"], &git, web), "README.md is outside web");
        assert!(!touches(&[":!web", ":^*.md"], &git, web));
        // Globs cross directories, as in git's default pathspecs.
        assert!(touches(&["*.md"], &git, web));
        assert!(touches(&["web/*.js"], &git, web));
        assert!(!touches(&["web/*.ts"], &git, web));
    }
}
