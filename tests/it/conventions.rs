//! The command-line conventions: completions and man pages, -C on init and validate, the
//! format -o's extension implies (or refuses), and errors that say each cause once.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::command::valueflow;
use crate::repo::TestRepo;

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A repository with one commit and one tag: enough for `measure` to write a report.
fn tagged_repo() -> TestRepo {
    let r = TestRepo::new();
    let c = r.commit("initial", 0);
    r.lightweight_tag("v1.0", c);
    r
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = valueflow()
            .args(["completions", shell])
            .output()
            .expect("runs");
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("measure"),
            "{shell}: the script completes no subcommand"
        );
    }
    let bash = stdout(
        &valueflow()
            .args(["completions", "bash"])
            .output()
            .expect("runs"),
    );
    assert!(bash.contains("complete -F _valueflow"), "{bash}");
    assert!(
        bash.contains("--fail-on-gap"),
        "report's flags are completed"
    );

    let out = valueflow()
        .args(["completions", "tcsh"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid value 'tcsh'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn man_page_to_stdout_and_one_page_per_subcommand() {
    let out = valueflow().arg("man").output().expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let page = stdout(&out);
    // clap_mangen's page opens with two lines that define the apostrophe string (\*(Aq)
    // for groff and other troffs; the title line comes next, before any section.
    let title = page.lines().position(|l| l.starts_with(".TH valueflow 1"));
    let name = page.lines().position(|l| l == ".SH NAME");
    assert!(title.is_some() && title < name, "{page}");
    assert!(page.contains("valueflow\\-report(1)"), "{page}");

    let dir = tempfile::tempdir().expect("tempdir");
    let out = valueflow()
        .args(["man", "-o"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "valueflow-aggregate.1",
            "valueflow-completions.1",
            "valueflow-diff.1",
            "valueflow-fetch-github.1",
            "valueflow-fetch-gitlab.1",
            "valueflow-fetch.1",
            "valueflow-init.1",
            "valueflow-man.1",
            "valueflow-measure.1",
            "valueflow-report.1",
            "valueflow-schema.1",
            "valueflow-trend.1",
            "valueflow-validate.1",
            "valueflow.1",
        ]
    );
    let report = std::fs::read_to_string(dir.path().join("valueflow-report.1")).expect("page");
    assert!(report.contains(".TH valueflow-report 1"), "{report}");
    assert!(report.contains("\\-\\-fail\\-on\\-gap"), "{report}");
    assert!(
        report.contains("Examples:"),
        "the --help examples are in the page"
    );
}

#[test]
fn every_help_ends_with_examples() {
    let commands: [&[&str]; 11] = [
        &["init"],
        &["validate"],
        &["measure"],
        &["report"],
        &["trend"],
        &["diff"],
        &["fetch", "github"],
        &["fetch", "gitlab"],
        &["schema"],
        &["completions"],
        &["man"],
    ];
    for command in commands {
        let out = valueflow()
            .args(command)
            .arg("--help")
            .output()
            .expect("runs");
        let help = stdout(&out);
        let examples = help
            .split("\nExamples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("{command:?}: no Examples: block\n{help}"));
        let invocation = format!("  valueflow {} ", command.join(" "));
        let count = examples
            .lines()
            .filter(|l| l.starts_with(&invocation))
            .count();
        assert!((2..=4).contains(&count), "{command:?}: {examples}");
    }
}

#[test]
fn init_and_validate_with_c_use_that_repository_root() {
    let r = tagged_repo();
    let sub = r.path().join("src");
    std::fs::create_dir_all(&sub).expect("mkdir");
    let elsewhere = tempfile::tempdir().expect("tempdir");

    let out = valueflow()
        .current_dir(elsewhere.path())
        .args(["init", "-C"])
        .arg(&sub)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let file = r.path().join("valueflow.toml");
    assert!(
        file.is_file(),
        "written in the root of the repository -C names"
    );
    assert!(!elsewhere.path().join("valueflow.toml").exists());
    assert!(!sub.join("valueflow.toml").exists());

    let out = valueflow()
        .current_dir(elsewhere.path())
        .args(["validate", "--repo"])
        .arg(&sub)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!(
            "{}: ok: 0 of 40 practices answered, 0 warnings\n",
            file.display()
        )
    );
}

#[test]
fn init_and_validate_with_c_outside_a_repository() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = valueflow()
        .args(["init", "-C"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("valueflow.toml").is_file());
    let out = valueflow()
        .args(["validate", "-C"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));

    let missing = dir.path().join("nope");
    for command in ["init", "validate"] {
        let out = valueflow()
            .args([command, "-C"])
            .arg(&missing)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert_eq!(
            stderr(&out),
            format!("error: {}: no such directory\n", missing.display())
        );
    }
    assert!(!missing.exists());
}

fn measure_to(repo: &Path, args: &[&str]) -> Output {
    valueflow()
        .current_dir(repo)
        .arg("measure")
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn an_unknown_output_extension_is_refused() {
    let r = tagged_repo();
    for (name, ext) in [("x.pdf", "pdf"), ("report.CSV", "CSV")] {
        let out = measure_to(r.path(), &["-o", name]);
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            stderr(&out),
            format!(
                "error: -o {name}: unknown report format \"{ext}\": use .md, .json, .html or .txt, \
                 or --format table|markdown|json|html\n"
            )
        );
        assert!(!r.path().join(name).exists(), "{name} written");
    }
    let out = valueflow()
        .current_dir(r.path())
        .args(["report", "-o", "x.pdf"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("error: -o x.pdf: unknown report format \"pdf\""));
    assert!(!r.path().join("x.pdf").exists());
}

#[test]
fn the_extension_or_an_explicit_format_picks_the_view() {
    let r = tagged_repo();
    let out = measure_to(r.path(), &["--format", "json", "-o", "x.html"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value =
        serde_json::from_slice(&std::fs::read(r.path().join("x.html")).expect("written"))
            .expect("JSON");
    assert_eq!(json["schema_version"], 2);
    assert!(json["repository"]["head"].is_string(), "{json}");

    // .txt and no extension: the table, as on the terminal.
    for name in ["report.txt", "report"] {
        let out = measure_to(r.path(), &["-o", name]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let text = std::fs::read_to_string(r.path().join(name)).expect("written");
        assert!(text.starts_with("valueflow "), "{name}: {text}");
    }
    let out = measure_to(r.path(), &["-o", "report.markdown"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(r.path().join("report.markdown")).expect("written");
    assert!(text.contains("| Measure |"), "{text}");
}

#[test]
fn errors_say_each_cause_once() {
    // A port nothing listens on: bound, then let go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = valueflow()
        .env("GITHUB_TOKEN", "secret")
        .args(["fetch", "github", "--skip-waits", "--repo", "octo/hello"])
        .arg("--api-url")
        .arg(format!("http://127.0.0.1:{port}"))
        .arg("-o")
        .arg(dir.path().join("runs.json"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let last = err.lines().last().expect("an error line");
    assert_eq!(
        last,
        format!(
            "error: cannot reach http://127.0.0.1:{port}/repos/octo/hello/actions/runs?per_page=100 \
             after 4 attempts: Connection refused (os error 111); check the network and --api-url"
        )
    );

    // A report into a folder that does not exist: the path given, not tempfile's.
    let r = tagged_repo();
    let out = measure_to(r.path(), &["-o", "missing/report.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).lines().last(),
        Some("error: cannot write missing/report.md: No such file or directory (os error 2)")
    );

    // A CI export that is not there, a TOML error: one cause each.
    let out = measure_to(r.path(), &["--ci", "nope.json"]);
    assert_eq!(
        stderr(&out),
        "error: cannot read nope.json: No such file or directory (os error 2)\n"
    );
    std::fs::write(r.path().join("valueflow.toml"), "pass_mark = [\n").expect("write");
    let out = measure_to(r.path(), &[]);
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}:1:14: unclosed array, expected `]`\n",
            r.path().join("valueflow.toml").display()
        )
    );
}
