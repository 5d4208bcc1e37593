//! `valueflow init` and `valueflow validate`: the file a team fills in, and every problem
//! validate reports.

use std::path::Path;
use std::process::Output;

use crate::command::valueflow;
use crate::repo::TestRepo;
use crate::report_cmd::EXAMPLE;

fn init(dir: &Path, args: &[&str]) -> Output {
    valueflow()
        .current_dir(dir)
        .arg("init")
        .args(args)
        .output()
        .expect("runs")
}

fn validate(path: &Path) -> Output {
    valueflow()
        .current_dir(path.parent().expect("dir"))
        .arg("validate")
        .arg(path.file_name().expect("name"))
        .output()
        .expect("runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn init_writes_the_blank_questionnaire_in_the_repository_root() {
    let r = TestRepo::new();
    r.commit("initial", 0);
    let sub = r.path().join("src/deep");
    std::fs::create_dir_all(&sub).expect("mkdir");
    let out = init(&sub, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = r.path().join("valueflow.toml");
    let text = std::fs::read_to_string(&file).expect("written in the root");
    assert_eq!(text.matches("\n[[practice]]\n").count(), 40);
    assert_eq!(text.matches("\nanswer = \"\"\n").count(), 40);
    assert!(text.contains("# [measure]\n# since = \"90d\""));
    assert!(text.contains("# [outcome]\n# lead_time_hours = 24"));
    // and it validates clean, with every practice unanswered
    let out = valueflow()
        .current_dir(&sub)
        .arg("validate")
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "{}: ok: 0 of 40 practices answered, 0 warnings\n",
            file.display()
        )
    );
}

#[test]
fn init_never_overwrites_without_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("valueflow.toml");
    std::fs::write(&file, "team = \"ours\"\n").expect("write");
    let out = init(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("error: "));
    assert!(stderr(&out).contains("already exists and was left as it is"));
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "team = \"ours\"\n"
    );
    assert!(!dir.path().join("valueflow.toml.bak").exists());

    let out = init(dir.path(), &["--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("valueflow.toml.bak")).expect("backup"),
        "team = \"ours\"\n"
    );
    assert!(
        std::fs::read_to_string(&file)
            .expect("read")
            .contains("[[practice]]")
    );

    // -o elsewhere
    let out = init(dir.path(), &["-o", "team/assessment.toml"]);
    assert_eq!(out.status.code(), Some(2), "no such directory: an error");
    std::fs::create_dir(dir.path().join("team")).expect("mkdir");
    assert!(
        init(dir.path(), &["-o", "team/assessment.toml"])
            .status
            .success()
    );
    assert!(dir.path().join("team/assessment.toml").exists());
}

#[test]
fn the_example_validates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("valueflow.toml");
    std::fs::write(&file, EXAMPLE).expect("write");
    let out = validate(&file);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "valueflow.toml: ok: 38 of 40 practices answered, 0 warnings\n"
    );
}

/// Every message validate has, in one file, each at a line worked out by hand.
#[test]
fn validate_reports_every_problem_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("valueflow.toml");
    // The example's practices after the first ten stay as they are; the head is rewritten.
    let practices: String = EXAMPLE
        .split("\n[[practice]]\n")
        .skip(11)
        .map(|p| format!("\n[[practice]]\n{p}"))
        .collect();
    let head = "\
standard = \"continuous-value-flow\"
version = 2
team = 7
pass_mark = 1.5
colour = \"blue\"

[measure]
tag_patern = 'v'

[[practice]]
id = \"people.2.ci-adopted\"
category = \"process\"
level = 7
answer = \"maybe\"

[[practice]]
id = \"people.2.ci-adopted\"
answer = \"n/a\"
wat = 1

[[practice]]
id = \"people.2.ci-adoptd\"
answer = \"Yes\"

[[practice]]
id = \"people.2.frequent-integration\"
category = \"people\"
level = 3
answer = \"n/a\"
notes = \"  \"

[[practice]]
category = \"people\"

[[practice]]
id = \"people.3.pipeline-confidence\"
category = \"folks\"
answer = \"yes\"
";
    std::fs::write(&file, format!("{head}{practices}")).expect("write");
    let out = validate(&file);
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    let headlines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("valueflow.toml:") || l.starts_with("error:"))
        .collect();
    let missing = |id: &str, category: &str, level: u8| {
        format!(
            "valueflow.toml:1:1: warning: practice `{id}` ({category} level {level}) is missing: \
             counted as unanswered; `valueflow init -o FILE` writes every practice"
        )
    };
    let mut expected: Vec<String> = [
        "valueflow.toml:2:11: version 2 is not supported: this valueflow reads version 1",
        "valueflow.toml:3:8: `team` must be a string, not an integer",
        "valueflow.toml:4:13: pass_mark 1.5 is out of range: it must be at least 0.5 and at most 1, e.g. 0.8",
        "valueflow.toml:5:1: unknown key `colour`: expected standard, version, team, pass_mark, [measure], [outcome], [[service]] or [[practice]]",
        "valueflow.toml:8:1: unknown field `tag_patern`, expected one of `since`, `until`, `ci`, `incidents`, `tag_pattern`, `deploy_workflow`, `deploy_branch`, `deploy_environment`, `hotfix_pattern`, `hotfix_window`, `revert_window`, `incident_window`, `commit_time`, `count_failed_deploys`, `prs`, `exclude_author`, `paths`",
        "valueflow.toml:12:12: practice `people.2.ci-adopted` belongs to category `people`, not `process`",
        "valueflow.toml:13:9: level must be 2, 3, 4 or 5 (level 1 is the floor everyone starts at)",
        "valueflow.toml:14:10: answer \"maybe\" is not one of yes, partial, no or n/a (\"\" while unanswered)",
        "valueflow.toml:17:6: duplicate practice `people.2.ci-adopted`: already answered at line 11",
        "valueflow.toml:18:10: answer n/a needs `notes` saying why the practice does not apply",
        "valueflow.toml:19:1: unknown key `wat` in a practice: expected id, category, level, statement, answer, notes, evidence, owner or review_by",
        "valueflow.toml:22:6: unknown practice `people.2.ci-adoptd`: not in continuous-value-flow version 1; did you mean `people.2.ci-adopted`?",
        "valueflow.toml:28:9: practice `people.2.frequent-integration` is at level 2, not 3",
        "valueflow.toml:29:10: answer n/a needs `notes` saying why the practice does not apply",
        "valueflow.toml:32:1: practice without an `id`",
        "valueflow.toml:37:12: unknown category `folks`: expected people, process, technology or measurement",
    ]
    .map(String::from)
    .to_vec();
    // the example's first ten practices were replaced: all but the three answered above are
    // missing
    for (id, category, level) in [
        ("people.3.shared-delivery", "people", 3),
        ("people.4.metrics-drive-improvement", "people", 4),
        ("people.4.telemetry-informs-changes", "people", 4),
        ("people.5.delivery-experiments", "people", 5),
        ("people.5.observability-product-decisions", "people", 5),
        ("process.2.repeatable-release", "process", 2),
        ("process.2.standard-environments", "process", 2),
    ] {
        expected.push(missing(id, category, level));
    }
    expected.push("error: valueflow.toml: 16 errors, 7 warnings".to_string());
    assert_eq!(headlines, expected, "{text}");

    // rustc-style: the offending line, underlined
    assert!(
        text.contains(
            "valueflow.toml:14:10: answer \"maybe\" is not one of yes, partial, no or n/a (\"\" while unanswered)\n   |\n14 | answer = \"maybe\"\n   |          ^^^^^^^\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("valueflow.toml:5:1: unknown key `colour`: expected standard, version, team, pass_mark, [measure], [outcome], [[service]] or [[practice]]\n  |\n5 | colour = \"blue\"\n  | ^^^^^^\n"),
        "{text}"
    );
}

#[test]
fn missing_practices_are_only_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("valueflow.toml");
    let without_last = EXAMPLE
        .rsplit_once("\n[[practice]]\n")
        .expect("practices")
        .0;
    std::fs::write(&file, without_last).expect("write");
    let out = validate(&file);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "valueflow.toml:1:1: warning: practice `measurement.5.continuous-improvement` \
         (measurement level 5) is missing: counted as unanswered; `valueflow init -o FILE` \
         writes every practice\n\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "valueflow.toml: ok: 38 of 40 practices answered, 1 warning\n"
    );
}

#[test]
fn malformed_toml_is_one_line_with_its_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("valueflow.toml");
    std::fs::write(
        &file,
        "standard = \"continuous-value-flow\"\n[[practice]\nid = 1\n",
    )
    .expect("write");
    let out = validate(&file);
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(text.starts_with("error: valueflow.toml:2:"), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(!text.contains("panicked"));

    let out = validate(&dir.path().join("absent.toml"));
    assert_eq!(
        stderr(&out),
        "error: absent.toml: no such file; `valueflow init` writes one\n"
    );
    assert_eq!(out.status.code(), Some(2));
}

/// The `[measure]` values are checked as `measure` would read them, at their position.
#[test]
fn validate_checks_the_measurement_settings_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("valueflow.toml");
    let text = EXAMPLE.replacen(
        "# [measure]\n# since = \"90d\"\n",
        "[measure]\ntag_pattern = '(v'\n",
        1,
    );
    assert_ne!(
        text, EXAMPLE,
        "the example has the commented [measure] table"
    );
    std::fs::write(&file, &text).expect("write");
    let line = text
        .lines()
        .position(|l| l == "tag_pattern = '(v'")
        .expect("there")
        + 1;
    let out = validate(&file);
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(
        text.starts_with(&format!(
            "valueflow.toml:{line}:15: tag_pattern \"(v\" is not a valid regular expression: "
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("\n{line} | tag_pattern = '(v'\n")),
        "{text}"
    );
    assert!(
        text.ends_with("error: valueflow.toml: 1 error, 0 warnings\n"),
        "{text}"
    );
}
