//! `valueflow schema`: what `report` and `measure` write with --format json validates against
//! the schema it prints, and a report short of a required key, or with a value outside the
//! contract, does not.

use std::path::Path;

use serde_json::Value;

use crate::command::valueflow;
use crate::repo::at;
use crate::report_cmd::{payments_history, window};

/// The validator of `valueflow schema ARGS`; building it also checks the printed schema
/// against its draft's meta-schema.
fn validator(args: &[&str]) -> jsonschema::Validator {
    let out = valueflow().arg("schema").args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let schema: Value = serde_json::from_slice(&out.stdout).expect("the schema is JSON");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|err| panic!("not a valid schema: {err}"))
}

/// Where and why `value` fails, one line each; empty when it is valid.
fn errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn example_report() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/report.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("examples/report.json"))
        .expect("JSON")
}

/// `valueflow COMMAND --format json` on the payments history with the shipped CI export.
fn json_of(command: &str, repo: &Path, window: &[String]) -> Value {
    let ci = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci-runs.json");
    let out = valueflow()
        .arg(command)
        .arg("-C")
        .arg(repo)
        .args(window)
        .arg("--ci")
        .arg(ci)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn the_example_report_validates_and_a_broken_one_does_not() {
    let report = validator(&[]);
    let example = example_report();
    assert_eq!(errors(&report, &example), Vec::<String>::new());

    let broken = |change: fn(&mut Value)| {
        let mut value = example.clone();
        change(&mut value);
        errors(&report, &value)
    };
    let missing_gaps = broken(|v| {
        v.as_object_mut().expect("object").remove("gaps");
    });
    assert!(
        missing_gaps.iter().any(|e| e.contains("\"gaps\"")),
        "{missing_gaps:?}"
    );
    // A measure keeps its keys when it cannot be computed: a missing one is a defect.
    let missing_median = broken(|v| {
        v["measures"]["lead_time_for_changes"]
            .as_object_mut()
            .expect("object")
            .remove("median_hours");
    });
    assert!(
        missing_median
            .iter()
            .any(|e| e.starts_with("/measures/lead_time_for_changes:")),
        "{missing_median:?}"
    );
    let unknown_tier = broken(|v| v["measures"]["change_failure_rate"]["tier"] = "great".into());
    assert!(!unknown_tier.is_empty());
    let unknown_gap = broken(|v| v["gaps"][0]["kind"] = "wish".into());
    assert!(!unknown_gap.is_empty());
    let bad_category = broken(|v| v["assessment"]["categories"][0]["id"] = "tooling".into());
    assert!(!bad_category.is_empty());
    // Optional keys are optional: a gap without notes, a report without an assessment.
    assert_eq!(
        broken(|v| {
            for gap in v["gaps"].as_array_mut().expect("gaps") {
                gap.as_object_mut().expect("object").remove("notes");
            }
            v["assessment"] = Value::Null;
        }),
        Vec::<String>::new()
    );
}

#[test]
fn trend_json_validates_against_its_schema() {
    let r = payments_history();
    let trend = validator(&["trend"]);
    let weekly = [window(), vec!["--every".to_string(), "week".to_string()]].concat();
    let value = json_of("trend", r.path(), &weekly);
    assert_eq!(value["trend"]["periods"].as_array().map(Vec::len), Some(4));
    assert_eq!(errors(&trend, &value), Vec::<String>::new());
    let mut broken = value.clone();
    broken["trend"]["every"] = "day".into();
    assert!(!errors(&trend, &broken).is_empty());
}

#[test]
fn measure_and_report_json_of_a_test_history_validate() {
    let r = payments_history();
    let measure = validator(&["measure"]);
    let report = validator(&["report"]);

    let measured = json_of("measure", r.path(), &window());
    assert_eq!(errors(&measure, &measured), Vec::<String>::new());
    // The report schema asks for the assessment, the outcome and the gaps.
    let short = errors(&report, &measured);
    for key in ["assessment", "outcome", "gaps"] {
        assert!(
            short.iter().any(|e| e.contains(&format!("\"{key}\""))),
            "{short:?}"
        );
    }
    // No valueflow.toml: `assessment` is null.
    let reported = json_of("report", r.path(), &window());
    assert_eq!(reported["assessment"], Value::Null);
    assert_eq!(errors(&report, &reported), Vec::<String>::new());

    // A window after the last deployment: measures with reasons and nulls, and the last
    // deployment before the window (a date-time).
    let after = [
        "--since".to_string(),
        at(700),
        "--until".to_string(),
        at(800),
    ];
    let idle = json_of("measure", r.path(), &after);
    assert!(idle["measures"]["deployment_frequency"]["last_before_window"].is_object());
    assert_eq!(errors(&measure, &idle), Vec::<String>::new());
}
