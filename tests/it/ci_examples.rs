//! examples/ci: the workflows users paste into their CI. They are YAML that the CI reads the
//! way the comments say, and every valueflow command in them names a subcommand and flags
//! that exist, so renaming a flag breaks this test rather than someone's pipeline.

use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

use crate::command::valueflow;

fn load(name: &str) -> Yaml {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/ci")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("example present");
    let mut docs = YamlLoader::load_from_str(&text)
        .unwrap_or_else(|err| panic!("{}: not YAML: {err}", path.display()));
    assert_eq!(docs.len(), 1, "{name}: one document");
    docs.remove(0)
}

/// The shell a CI runs: GitHub's `run:` values, GitLab's `script:` lines (and
/// `before_script`, `after_script`), at any depth, in order. Names and labels (`name:
/// valueflow`) are not commands.
fn shell_lines<'a>(node: &'a Yaml, out: &mut Vec<&'a str>) {
    fn all<'a>(node: &'a Yaml, out: &mut Vec<&'a str>) {
        match node {
            Yaml::String(text) => out.push(text),
            Yaml::Array(items) => items.iter().for_each(|item| all(item, out)),
            _ => {}
        }
    }
    match node {
        Yaml::Array(items) => items.iter().for_each(|item| shell_lines(item, out)),
        Yaml::Hash(map) => {
            for (key, value) in map {
                match key.as_str() {
                    Some("run" | "script" | "before_script" | "after_script") => all(value, out),
                    _ => shell_lines(value, out),
                }
            }
        }
        _ => {}
    }
}

/// A shell line as words: quotes removed, a quoted word kept whole.
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            (None, c) => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(word);
    }
    words
}

/// The valueflow invocations in the document's shell lines, each as its arguments: a
/// `valueflow` word that starts a command (not `cargo install … valueflow`), up to the next
/// `;`, `&&`, `|`, redirection or `#`.
fn invocations(doc: &Yaml) -> Vec<Vec<String>> {
    let mut texts = Vec::new();
    shell_lines(doc, &mut texts);
    let mut found = Vec::new();
    for text in texts {
        for line in text.replace("\\\n", " ").lines() {
            let words = words(line);
            for (i, word) in words.iter().enumerate() {
                let starts =
                    i == 0 || matches!(words[i - 1].as_str(), "then" | "do" | "&&" | "||" | ";");
                if word != "valueflow" || !starts {
                    continue;
                }
                let args: Vec<String> = words[i + 1..]
                    .iter()
                    .take_while(|w| {
                        !matches!(w.as_str(), ";" | "&&" | "||" | "|" | ">" | ">>" | "fi")
                            && !w.starts_with('#')
                    })
                    .cloned()
                    .collect();
                found.push(args);
            }
        }
    }
    found
}

/// `--flag` as an option of its own in a --help text: a line of the options list that starts
/// with it (after `-x, ` for one with a short form), whole (`--ci` is not `--ci-file`); prose
/// that mentions it does not count.
fn documents(help: &str, flag: &str) -> bool {
    help.lines().any(|line| {
        let line = line.trim_start();
        let line = match line.as_bytes() {
            [b'-', short, b',', b' ', ..] if short.is_ascii_alphanumeric() => &line[4..],
            _ => line,
        };
        line.strip_prefix(flag)
            .is_some_and(|rest| rest.chars().next().is_none_or(|c| c == ' ' || c == '='))
    })
}

fn help_of(subcommand: &[String]) -> String {
    let out = valueflow()
        .args(subcommand)
        .arg("--help")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "`valueflow {} --help` failed: {}",
        subcommand.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 help")
}

/// Checks each invocation against the --help of its subcommand; returns the subcommands
/// (`report`, `fetch github`) in order.
fn check_invocations(name: &str, doc: &Yaml) -> Vec<String> {
    let mut seen = Vec::new();
    for args in invocations(doc) {
        let mut subcommand = vec![args[0].clone()];
        let mut help = help_of(&subcommand);
        // A command with subcommands of its own (fetch): its first word picks one.
        if help.contains("\nCommands:\n") {
            subcommand.push(args[1].clone());
            help = help_of(&subcommand);
        }
        for arg in &args[subcommand.len()..] {
            let flag = arg.split('=').next().unwrap_or_default();
            let known = if flag.starts_with("--") {
                documents(&help, flag)
            } else if flag.len() == 2 && flag.starts_with('-') {
                help.lines()
                    .any(|l| l.trim_start().starts_with(&format!("{flag}, --")))
            } else {
                true // a value or positional argument
            };
            assert!(
                known,
                "{name}: `valueflow {}` has no {flag} (in `valueflow {}`)",
                subcommand.join(" "),
                args.join(" ")
            );
        }
        seen.push(subcommand.join(" "));
    }
    seen
}

#[test]
fn github_actions_workflow_checks_out_history_and_publishes_the_report() {
    let doc = load("github-actions.yml");
    let steps = doc["jobs"]["report"]["steps"]
        .as_vec()
        .expect("jobs.report.steps");

    let checkout = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/checkout@"))
        })
        .expect("a checkout step");
    assert_eq!(checkout["with"]["fetch-depth"].as_i64(), Some(0));

    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(
        runs.iter()
            .any(|r| r.contains("cat report.md >> \"$GITHUB_STEP_SUMMARY\"")),
        "{runs:?}"
    );
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-artifact@"))
        })
        .expect("an upload step");
    assert_eq!(upload["with"]["path"].as_str(), Some("report.md"));
    // A missed target fails the report step: the summary and the artifact still happen.
    assert_eq!(upload["if"].as_str(), Some("${{ !cancelled() }}"));

    let seen = check_invocations("github-actions.yml", &doc);
    assert_eq!(seen, ["fetch github", "report"]);
    let report = invocations(&doc).pop().expect("a report line");
    assert!(report.iter().any(|a| a == "--fail-on-gap"), "{report:?}");
    assert!(
        report.ends_with(&["-o".into(), "report.md".into()]),
        "{report:?}"
    );
}

#[test]
fn gitlab_job_clones_whole_history_and_keeps_the_report() {
    let doc = load("gitlab-ci.yml");
    let job = &doc["valueflow"];
    assert_eq!(job["variables"]["GIT_DEPTH"].as_i64(), Some(0));
    assert_eq!(job["artifacts"]["when"].as_str(), Some("always"));
    let paths = job["artifacts"]["paths"].as_vec().expect("artifacts.paths");
    assert!(paths.iter().any(|p| p.as_str() == Some("report.md")));

    let seen = check_invocations("gitlab-ci.yml", &doc);
    assert_eq!(seen, ["fetch gitlab", "report"]);
}

#[test]
fn a_renamed_flag_is_caught() {
    let doc = YamlLoader::load_from_str("run: valueflow report --fail-on-gaps -o report.md")
        .expect("YAML")
        .remove(0);
    let caught = std::panic::catch_unwind(|| check_invocations("inline", &doc));
    assert!(caught.is_err(), "--fail-on-gaps passed as a flag of report");

    // And the words of a shell line: quotes kept together, `cargo install valueflow` skipped.
    let doc = YamlLoader::load_from_str(
        "script:\n  - cargo install --locked valueflow\n  - valueflow fetch gitlab --project \"$A B\" -o x.json # note",
    )
    .expect("YAML")
    .remove(0);
    assert_eq!(
        invocations(&doc),
        [["fetch", "gitlab", "--project", "$A B", "-o", "x.json"]]
    );
}

/// The organisation workflow: a matrix job per repository saves a JSON report, the last job
/// needs them all and rolls them up with `aggregate`.
#[test]
fn organisation_workflow_measures_each_repository_then_aggregates() {
    let doc = load("github-actions-organisation.yml");
    let measure = &doc["jobs"]["measure"];
    let repos = measure["strategy"]["matrix"]["repository"]
        .as_vec()
        .expect("a matrix over repositories");
    assert!(repos.len() >= 2);
    let checkout = measure["steps"]
        .as_vec()
        .expect("steps")
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/checkout@"))
        })
        .expect("a checkout step");
    assert_eq!(checkout["with"]["fetch-depth"].as_i64(), Some(0));
    assert_eq!(
        checkout["with"]["repository"].as_str(),
        Some("${{ matrix.repository }}")
    );
    assert_eq!(doc["jobs"]["aggregate"]["needs"].as_str(), Some("measure"));
    let seen = check_invocations("github-actions-organisation.yml", &doc);
    assert_eq!(
        seen,
        ["fetch github", "measure", "aggregate", "aggregate"],
        "{seen:?}"
    );
    // The reports are JSON: the format `aggregate` reads.
    let mut texts = Vec::new();
    shell_lines(&doc, &mut texts);
    assert!(
        texts.iter().any(|t| t.contains("-o report.json")),
        "{texts:?}"
    );
}
