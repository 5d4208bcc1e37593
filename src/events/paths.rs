//! The part of a monorepo a run measures (`--path`, `paths = [...]`): git pathspecs, relative
//! to the repository root, with git's exclude forms. Checked here, as text; `history::paths`
//! matches them against commits through libgit2.

/// Pathspecs as given, split into what they take in and what they leave out. Empty: the whole
/// repository (no filter).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paths {
    given: Vec<String>,
    include: Vec<String>,
    exclude: Vec<String>,
}

impl Paths {
    /// Checks every spec; the error names the first bad one (its index) and what is expected.
    pub fn parse(specs: &[String]) -> Result<Paths, (usize, String)> {
        let mut paths = Paths::default();
        for (i, spec) in specs.iter().enumerate() {
            let (exclude, pattern) = parse_one(spec).map_err(|why| (i, why))?;
            paths.given.push(spec.clone());
            if exclude {
                paths.exclude.push(pattern);
            } else {
                paths.include.push(pattern);
            }
        }
        Ok(paths)
    }

    /// No filter: every commit is the service's.
    pub fn is_empty(&self) -> bool {
        self.given.is_empty()
    }

    /// The specs as the user wrote them, for the report.
    pub fn given(&self) -> &[String] {
        &self.given
    }

    /// Patterns a changed path must match (one of); empty (with excludes) means any path, as
    /// git reads a pathspec made only of excludes.
    pub fn include(&self) -> &[String] {
        &self.include
    }

    /// Patterns a changed path must not match (any of); an exclude wins over an include.
    pub fn exclude(&self) -> &[String] {
        &self.exclude
    }
}

/// One pathspec: whether it excludes, and its pattern relative to the root ("" for the whole
/// tree). Magic git has and valueflow does not follow (`icase`, `literal`, `glob`, `attr`) is
/// refused rather than ignored, so a spec never silently means something else.
fn parse_one(spec: &str) -> Result<(bool, String), String> {
    const EXPECTED: &str = "expected a path relative to the repository root, a glob, or an \
                            exclude (:!PATH, :^PATH, :(exclude)PATH)";
    if spec.is_empty() {
        return Err(format!(
            "\"\" is an empty pathspec, which matches nothing: {EXPECTED}"
        ));
    }
    let mut exclude = false;
    let pattern = if let Some(long) = spec.strip_prefix(":(") {
        let Some((magic, rest)) = long.split_once(')') else {
            return Err(format!("{spec:?}: unclosed pathspec magic: {EXPECTED}"));
        };
        for word in magic.split(',').map(str::trim) {
            match word {
                "exclude" => exclude = true,
                // Paths are always relative to the root here.
                "top" | "" => {}
                other => {
                    return Err(format!(
                        "{spec:?}: pathspec magic {other:?} is not supported: {EXPECTED}"
                    ));
                }
            }
        }
        rest
    } else if let Some(short) = spec.strip_prefix(':') {
        // `:` then magic letters (`/` top, `!` or `^` exclude), optionally closed by `:`.
        let end = short
            .find(|c| !matches!(c, '/' | '!' | '^'))
            .unwrap_or(short.len());
        exclude = short[..end].contains(['!', '^']);
        let rest = &short[end..];
        rest.strip_prefix(':').unwrap_or(rest)
    } else {
        spec
    };
    if pattern.starts_with('/') {
        return Err(format!("{spec:?} is an absolute path: {EXPECTED}"));
    }
    let mut pattern = pattern;
    while let Some(rest) = pattern.strip_prefix("./") {
        pattern = rest;
    }
    if pattern.split('/').any(|part| part == "..") {
        return Err(format!("{spec:?} leaves the repository: {EXPECTED}"));
    }
    let pattern = pattern.trim_end_matches('/');
    Ok((
        exclude,
        if pattern == "." { "" } else { pattern }.to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(specs: &[&str]) -> Result<Paths, (usize, String)> {
        Paths::parse(&specs.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn excludes_in_every_form_git_has() {
        let p = parse(&[
            "api/",
            ":!api/legacy",
            ":^docs",
            ":(exclude)*.md",
            ":/web",
            "./x/",
        ])
        .unwrap();
        assert_eq!(p.include(), ["api", "web", "x"]);
        assert_eq!(p.exclude(), ["api/legacy", "docs", "*.md"]);
        assert_eq!(p.given().len(), 6);
        assert_eq!(parse(&[":!:web"]).unwrap().exclude(), ["web"]);
        assert_eq!(parse(&["."]).unwrap().include(), [""]);
        assert!(parse(&[]).unwrap().is_empty());
    }

    #[test]
    fn bad_specs_say_which_and_why() {
        let (i, why) = parse(&["api", ":(icase)web"]).unwrap_err();
        assert_eq!(i, 1);
        assert!(why.contains("magic \"icase\" is not supported"), "{why}");
        assert!(parse(&[""]).unwrap_err().1.contains("empty pathspec"));
        assert!(parse(&[":(exclude"]).unwrap_err().1.contains("unclosed"));
        assert!(parse(&["/etc"]).unwrap_err().1.contains("absolute"));
        assert!(
            parse(&["../x"])
                .unwrap_err()
                .1
                .contains("leaves the repository")
        );
    }
}
