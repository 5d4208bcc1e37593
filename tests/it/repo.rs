//! Test repositories built with git2: fixed signatures, every timestamp pinned, so each
//! expected number in a test can be worked out by hand from the history written there.

use std::path::Path;

use git2::{Oid, Repository, Signature, Time};
use tempfile::TempDir;

/// 2026-01-05T00:00:00Z, a Monday: hour 0 of every test history.
pub const T0: i64 = 1_767_571_200;

/// Seconds since the epoch of `hours` after [`T0`].
pub fn h(hours: i64) -> i64 {
    T0 + hours * 3600
}

/// RFC 3339 of `hours` after [`T0`].
pub fn at(hours: i64) -> String {
    chrono::DateTime::from_timestamp(h(hours), 0)
        .expect("in range")
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub struct TestRepo {
    pub dir: TempDir,
    pub git: Repository,
}

fn sig(name: &str, secs: i64) -> Signature<'static> {
    Signature::new(name, &format!("{name}@example.com"), &Time::new(secs, 0)).expect("signature")
}

impl TestRepo {
    pub fn new() -> TestRepo {
        let dir = tempfile::tempdir().expect("tempdir");
        let git = Repository::init(dir.path()).expect("git init");
        git.set_head("refs/heads/main").expect("HEAD to main");
        TestRepo { dir, git }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A commit with the given parents (authored at `author_h`, committed at `commit_h`, in
    /// hours after T0); moves no reference.
    pub fn commit_at(&self, message: &str, author_h: i64, commit_h: i64, parents: &[Oid]) -> Oid {
        self.commit_by(
            ("Ada", "Ada@example.com"),
            message,
            author_h,
            commit_h,
            parents,
        )
    }

    /// A commit by `author` ("Name <email>"), committed by Ci Bot; moves no reference.
    pub fn commit_by(
        &self,
        author: (&str, &str),
        message: &str,
        author_h: i64,
        commit_h: i64,
        parents: &[Oid],
    ) -> Oid {
        let blob = self.git.blob(message.as_bytes()).expect("blob");
        let mut tree = self.git.treebuilder(None).expect("treebuilder");
        tree.insert("change.txt", blob, 0o100644).expect("insert");
        let tree = self
            .git
            .find_tree(tree.write().expect("tree"))
            .expect("tree");
        let parents: Vec<_> = parents
            .iter()
            .map(|p| self.git.find_commit(*p).expect("parent"))
            .collect();
        let parent_refs: Vec<_> = parents.iter().collect();
        let by = Signature::new(author.0, author.1, &Time::new(h(author_h), 0)).expect("sig");
        self.git
            .commit(
                None,
                &by,
                &sig("Ci Bot", h(commit_h)),
                message,
                &tree,
                &parent_refs,
            )
            .expect("commit")
    }

    /// Points any reference (`refs/pull/1/head`) at a commit.
    pub fn set_ref(&self, name: &str, oid: Oid) {
        self.git.reference(name, oid, true, "test").expect("ref");
    }

    /// A commit on `main` (author and committer time equal), which it advances.
    pub fn commit(&self, message: &str, hours: i64) -> Oid {
        self.commit_dated(message, hours, hours)
    }

    /// A commit on `main` with distinct author and committer times.
    pub fn commit_dated(&self, message: &str, author_h: i64, commit_h: i64) -> Oid {
        let parent = self.git.refname_to_id("refs/heads/main").ok();
        let oid = self.commit_at(message, author_h, commit_h, parent.as_slice());
        self.set_branch("main", oid);
        oid
    }

    /// A commit on `main` at `hours` that writes each of `files` (content: the message) over
    /// the parent's tree, leaving every other file as it was: a monorepo's commit touches
    /// only its paths.
    pub fn commit_files(&self, message: &str, hours: i64, files: &[&str]) -> Oid {
        let parent = self
            .git
            .refname_to_id("refs/heads/main")
            .ok()
            .map(|p| self.git.find_commit(p).expect("parent"));
        let base = match &parent {
            Some(p) => p.tree().expect("tree"),
            None => {
                let empty = self.git.treebuilder(None).expect("treebuilder");
                self.git
                    .find_tree(empty.write().expect("tree"))
                    .expect("tree")
            }
        };
        let blob = self.git.blob(message.as_bytes()).expect("blob");
        let mut update = git2::build::TreeUpdateBuilder::new();
        for path in files {
            update.upsert(*path, blob, git2::FileMode::Blob);
        }
        let tree = update.create_updated(&self.git, &base).expect("tree");
        let tree = self.git.find_tree(tree).expect("tree");
        let parents: Vec<_> = parent.iter().collect();
        let oid = self
            .git
            .commit(
                None,
                &sig("Ada", h(hours)),
                &sig("Ada", h(hours)),
                message,
                &tree,
                &parents,
            )
            .expect("commit");
        self.set_branch("main", oid);
        oid
    }

    pub fn set_branch(&self, name: &str, oid: Oid) {
        self.git
            .reference(&format!("refs/heads/{name}"), oid, true, "test")
            .expect("branch");
    }

    pub fn lightweight_tag(&self, name: &str, oid: Oid) {
        self.git
            .reference(&format!("refs/tags/{name}"), oid, false, "test")
            .expect("tag");
    }

    pub fn annotated_tag(&self, name: &str, oid: Oid, hours: i64) {
        let object = self.git.find_object(oid, None).expect("object");
        self.git
            .tag(name, &object, &sig("Release Bot", h(hours)), name, false)
            .expect("annotated tag");
    }
}
