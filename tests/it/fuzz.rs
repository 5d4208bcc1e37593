//! Hostile input for every parser of user input: arbitrary bytes, and small valid files written
//! here with random bytes spliced in or with extreme values (i64::MIN, year -262143, NaN) in
//! their fields. The property is the same everywhere: an error is fine, a panic is a defect.
//! The long runs are the cargo-fuzz targets in fuzz/; these keep the suite's share fast and
//! repeatable (a fixed seed unless PROPTEST_RNG_SEED is set).

use std::path::Path;

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use valueflow::assessment::{file, questionnaire};
use valueflow::events::window::{Window, parse_span, span_before};
use valueflow::settings::Overrides;
use valueflow::settings::{ProjectFile, Settings};

fn config() -> Config {
    let mut config = Config {
        cases: 256,
        // A failure prints its shrunk input; nothing is written next to the tests.
        failure_persistence: None,
        ..Config::default()
    };
    if matches!(config.rng_seed, RngSeed::Random) {
        config.rng_seed = RngSeed::Fixed(8);
    }
    config
}

/// 2026-11-24T09:30:00Z.
fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_512_600, 0).expect("a representable instant")
}

const QUESTIONNAIRE: &str = r#"standard = "continuous-value-flow"
version = 1
team = "checkout"

[measure]
since = "90d"
until = "2026-11-24"
tag_pattern = '^v?[0-9]+\.[0-9]+'
deploy_environment = "production"
hotfix_window = "72h"
incident_window = "7d"
commit_time = "committer"
ci = ["ci-runs.json"]

[outcome]
lead_time_hours = 24
change_failure_rate = 0.05

[[practice]]
id = "technology.3.automatic-deploys"
category = "technology"
level = 3
answer = "partial"
notes = "Production deploys need a click."
"#;

/// `@` marks a value the strategy replaces; some sit inside quotes, some bare.
const QUESTIONNAIRE_TEMPLATE: &str = r#"[measure]
since = "@"
until = "@"
hotfix_window = "@"
incident_window = "@"
tag_pattern = '@'
[outcome]
lead_time_hours = @
recovery_hours = @
[[practice]]
id = "@"
level = @
answer = "@"
"#;

/// One small export per CI family, as each provider writes it.
const EXPORTS: &[&str] = &[
    r#"{"total_count":1,"workflow_runs":[{"id":11,"name":"deploy","head_branch":"main","head_sha":"4f2a9c1","event":"push","status":"completed","conclusion":"success","run_attempt":2,"workflow_id":7,"created_at":"2026-11-24T09:30:00Z","run_started_at":"2026-11-24T09:30:05Z","updated_at":"2026-11-24T09:40:00Z"}]}"#,
    r#"[{"databaseId":5,"headSha":"4f2a9c1","headBranch":"main","status":"completed","conclusion":"failure","workflowName":"ci","createdAt":"2026-11-24T09:30:00Z","updatedAt":"2026-11-24T09:31:00Z"}]"#,
    r#"{"jobs":[{"id":3,"run_id":11,"head_sha":"4f2a9c1","name":"build","status":"completed","conclusion":"success","started_at":"2026-11-24T09:30:00Z","completed_at":"2026-11-24T09:33:00Z"}]}"#,
    r#"[{"id":4,"sha":"4f2a9c1","ref":"main","task":"deploy","environment":"production","created_at":"2026-11-24T09:30:00Z","statuses":[{"state":"success","created_at":"2026-11-24T09:31:00Z"}]}]"#,
    r#"[{"id":9,"sha":"4f2a9c1","ref":"main","status":"success","source":"push","created_at":"2026-11-24T09:30:00.000Z","updated_at":"2026-11-24T09:50:00.000Z"}]"#,
    r#"[{"id":12,"stage":"deploy","name":"production","status":"failed","pipeline":{"id":9,"sha":"4f2a9c1","ref":"main"},"started_at":"2026-11-24T09:30:00Z","finished_at":"2026-11-24T09:32:00Z"}]"#,
    r#"[{"id":3,"sha":"4f2a9c1","ref":"main","status":"success","created_at":"2026-11-24T09:30:00Z","environment":{"name":"production"},"deployable":{"id":12,"status":"success"}}]"#,
    r#"{"builds":[{"number":31,"result":"SUCCESS","building":false,"timestamp":1795512600000,"duration":61000,"fullDisplayName":"shop » deploy #31","actions":[{"causes":[{"_class":"hudson.model.Cause$UserIdCause"}]},{"lastBuiltRevision":{"SHA1":"4f2a9c1","branch":[{"name":"refs/remotes/origin/main"}]}}]}]}"#,
    r#"{"items":[{"id":"7d1e","name":"deploy","project_slug":"gh/acme/shop","status":"success","created_at":"2026-11-24T09:30:00Z","stopped_at":"2026-11-24T09:45:00Z"}]}"#,
    r#"{"value":[{"id":77,"buildNumber":"20261124.1","status":"completed","result":"succeeded","reason":"manual","definition":{"name":"release"},"sourceBranch":"refs/heads/main","sourceVersion":"4f2a9c1","startTime":"2026-11-24T09:30:00Z","finishTime":"2026-11-24T09:40:00Z"}]}"#,
    r#"{"values":[{"uuid":"{a1}","build_number":14,"state":{"name":"COMPLETED","result":{"name":"FAILED"}},"trigger":{"name":"PUSH"},"target":{"ref_name":"main","commit":{"hash":"4f2a9c1"}},"created_on":"2026-11-24T09:30:00Z","completed_on":"2026-11-24T09:36:00Z"}]}"#,
    r#"{"values":[{"uuid":"{d1}","environment":{"name":"Production"},"release":{"commit":{"hash":"4f2a9c1"}},"state":{"name":"COMPLETED","status":{"name":"SUCCESSFUL"}}}]}"#,
    // One object, no list: a webhook payload.
    r#"{"action":"completed","workflow_run":{"id":11,"head_sha":"4f2a9c1","workflow_id":7,"status":"completed","conclusion":"success","updated_at":"2026-11-24T09:40:00Z"}}"#,
];

/// Each family with its numbers and times left to the strategy (`@` is replaced bare, so
/// `"@"` gives a string and `@` a number, a float or not JSON at all).
const EXPORT_TEMPLATES: &[&str] = &[
    r#"{"builds":[{"number":@,"result":"@","timestamp":@,"duration":@,"building":@}]}"#,
    r#"{"workflow_runs":[{"id":@,"head_sha":"a","workflow_id":@,"run_attempt":@,"status":"@","conclusion":"@","run_started_at":"@","updated_at":"@"}]}"#,
    r#"[{"databaseId":@,"headSha":"a","createdAt":"@","updatedAt":"@"}]"#,
    r#"{"jobs":[{"id":@,"run_id":@,"head_sha":"a","started_at":"@","completed_at":"@"}]}"#,
    r#"[{"id":@,"sha":"a","ref":"main","status":"@","created_at":"@","updated_at":"@"}]"#,
    r#"[{"id":@,"sha":"a","task":"deploy","environment":"production","created_at":"@"}]"#,
    r#"[{"id":@,"stage":"x","pipeline":{"id":@},"started_at":"@","finished_at":"@"}]"#,
    r#"{"items":[{"id":"@","project_slug":"x","status":"@","started_at":"@","stopped_at":"@"}]}"#,
    r#"{"value":[{"id":@,"buildNumber":"1","status":"@","result":"@","startTime":"@","finishTime":"@"}]}"#,
    r#"{"values":[{"build_number":@,"uuid":"@","state":{"name":"COMPLETED","result":{"name":"@"}},"target":{},"created_on":"@","completed_on":"@"}]}"#,
];

const INCIDENTS_CSV: &str = "id,started_at,resolved_at,cause_sha,deployment,service\n\
INC-1,2026-11-24T09:30:00Z,2026-11-24T11:00:00Z,4f2a9c1,v1.4.0,checkout\n\
\"INC,2\",2026-11-25,,,,\n";

const INCIDENTS_JSON: &str = r#"{"incidents":[{"id":7,"started_at":"2026-11-24T09:30:00+02:00","resolved_at":"2026-11-24T10:00:00Z","deployment":"v1.4.0"},{"id":"8","started_at":"2026-11-25"}]}"#;

const INCIDENTS_TEMPLATES: &[&str] = &[
    "id,started_at,resolved_at\n@,@,@\n",
    "\u{feff}Started_At;Service\r\n@;@\r\n",
    r#"[{"id":@,"started_at":"@","resolved_at":"@"}]"#,
    r#"{"incidents":[{"started_at":@,"cause_sha":@}]}"#,
];

/// Values that have broken parsers before, or are likely to: integer and date edges, the
/// years chrono cannot hold, non-finite floats, multi-byte characters where a unit is read.
const EDGES: &[&str] = &[
    "",
    "0",
    "-0",
    "-1",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "18446744073709551615",
    "4294967295",
    "1e309",
    "-1e309",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1.5",
    "true",
    "null",
    "262143-12-31",
    "+262143-12-31",
    "-262143-01-01",
    "-262144-01-01",
    "+262142-12-31T23:59:59Z",
    "-262143-01-01T00:00:00+14:00",
    "+262142-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59.999999999Z",
    "0000-01-01",
    "2026-02-30",
    "2026-11-24T24:00:00Z",
    "2026-11-24T23:59:60Z",
    "4294967295d",
    "4294967295w",
    "4294967295m",
    "9223372036854775807h",
    "-9223372036854775808m",
    "153722867280912930m",
    "2562047788015215h",
    "106751991167300d",
    "15250284452471w",
    "1ß",
    "7日",
    "😀",
    "\u{feff}",
    "\"",
    "\\",
    "\\u0000",
    "\u{0}",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\r\n",
];

/// A value for a field: an edge, an integer or float anywhere in range, a date with any year
/// and out-of-range parts, a span with any count, or short random text.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(EDGES).prop_map(str::to_string),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => any::<u64>().prop_map(|n| n.to_string()),
        1 => any::<f64>().prop_map(|x| x.to_string()),
        2 => date(),
        2 => span(),
        1 => "\\PC{0,8}",
    ]
}

fn date() -> impl Strategy<Value = String> {
    let year = prop_oneof![-300_000i32..300_000, 1900i32..2100, any::<i32>()];
    (
        year,
        0u32..14,
        0u32..33,
        0u32..26,
        0u32..61,
        -1500i32..1500,
        0u8..3,
    )
        .prop_map(|(y, mo, d, h, mi, offset, shape)| match shape {
            0 => format!("{y:+05}-{mo:02}-{d:02}"),
            1 => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:00Z"),
            _ => format!(
                "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:00{:+03}:{:02}",
                offset / 60,
                offset.unsigned_abs() % 60
            ),
        })
}

fn span() -> impl Strategy<Value = String> {
    let count = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        (0u32..1000).prop_map(|n| n.to_string())
    ];
    let unit = prop::sample::select(&["d", "w", "m", "h", "", "s", "ß", "😀", " d"][..]);
    (count, unit).prop_map(|(count, unit)| format!("{count}{unit}"))
}

/// `template` with each `@` replaced by its own value: a bare `@` (a JSON or TOML number's
/// place) mostly by an integer near the ends of i64 and u64, where sums overflow.
fn filled(templates: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(templates).prop_flat_map(|template| {
        let parts: Vec<&str> = template.split('@').collect();
        let holes: Vec<BoxedStrategy<String>> = parts
            .windows(2)
            .map(|pair| {
                let quoted = pair[0].ends_with(['"', '\'']);
                if quoted {
                    value().boxed()
                } else {
                    prop_oneof![3 => number(), 1 => value()].boxed()
                }
            })
            .collect();
        holes.prop_map(move |values| {
            let mut text = parts[0].to_string();
            for (value, part) in values.iter().zip(&parts[1..]) {
                text.push_str(value);
                text.push_str(part);
            }
            text
        })
    })
}

const INTEGER_EDGES: &[i64] = &[
    i64::MIN,
    i64::MIN + 1,
    -1,
    0,
    1,
    i64::MAX - 1,
    i64::MAX,
    i64::MAX / 1000,
    i64::MAX / 1000 + 1,
    i32::MAX as i64,
    u32::MAX as i64,
    1 << 53,
];

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(INTEGER_EDGES).prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        (i64::MAX / 2..=i64::MAX).prop_map(|n| n.to_string()),
        Just(u64::MAX.to_string()),
    ]
}

/// One of `seeds` with a few splices: at a random place, some bytes removed and random bytes
/// or an edge value put in.
fn spliced(seeds: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    let insert = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..8),
        value().prop_map(String::into_bytes),
    ];
    let splice = (any::<prop::sample::Index>(), 0usize..8, insert);
    (
        prop::sample::select(seeds),
        prop::collection::vec(splice, 1..4),
    )
        .prop_map(|(seed, splices)| {
            let mut bytes = seed.as_bytes().to_vec();
            for (at, remove, insert) in splices {
                let start = at.index(bytes.len() + 1);
                let end = (start + remove).min(bytes.len());
                bytes.splice(start..end, insert);
            }
            bytes
        })
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..512)
}

/// An instant anywhere chrono can hold one, its two ends included.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        Just(DateTime::<Utc>::MIN_UTC),
        Just(DateTime::<Utc>::MAX_UTC),
        Just(now()),
        (DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp())
            .prop_map(|s| DateTime::from_timestamp(s, 0).unwrap_or_default()),
    ]
}

/// The questionnaire check and the `[measure]` / `[outcome]` tables, resolved as `measure`
/// resolves them.
fn questionnaire_and_settings(text: &str) {
    let path = Path::new("valueflow.toml");
    let _ = file::check(path, text, questionnaire::embedded());
    if let Ok(project) = ProjectFile::parse(path, text.to_string()) {
        let _ = Settings::resolve(&Overrides::default(), Some(&project), now());
    }
}

fn ci_export(bytes: &[u8]) {
    let _ = valueflow::ci::read(Path::new("ci-runs.json"), bytes);
}

fn incidents(text: &str) {
    let _ = valueflow::incidents::parse(Path::new("incidents.csv"), text);
}

/// The response headers `fetch` acts on: `Link` and GitLab's `x-next-page` for the next page,
/// `Retry-After` and the rate-limit headers for a wait, under every status that may carry them.
fn headers(link: &str, next_page: &str, retry_after: &str, reset: &str, now: DateTime<Utc>) {
    use reqwest::StatusCode;
    use reqwest::header::{HeaderMap, HeaderValue};
    use valueflow::fetch::client;
    let _ = client::link_next(link);
    let mut map = HeaderMap::new();
    for (name, value) in [
        ("link", link),
        ("x-next-page", next_page),
        ("retry-after", retry_after),
        ("x-ratelimit-reset", reset),
        ("ratelimit-reset", reset),
        ("x-ratelimit-remaining", "0"),
    ] {
        if let Ok(value) = HeaderValue::from_str(value) {
            map.insert(name, value);
        }
    }
    let url =
        reqwest::Url::parse("https://api.github.com/repos/o/r/actions/runs?page=1").expect("a URL");
    let _ = client::next_page(&url, &map);
    for status in [StatusCode::TOO_MANY_REQUESTS, StatusCode::FORBIDDEN] {
        let _ = client::rate_limit_wait(status, &map, now);
    }
}

fn window(since: &str, until: &str, now: DateTime<Utc>) {
    let _ = Window::resolve(Some(since), Some(until), now);
    let _ = Window::resolve(Some(since), None, now);
    let _ = Window::resolve(None, Some(until), now);
    let _ = span_before(since, now);
    let _ = parse_span(since);
}

#[test]
fn seeds_are_valid() {
    // The mutations start from files the parsers accept: otherwise they only test the error
    // paths near the start of the text.
    let checked = file::check(
        Path::new("q.toml"),
        QUESTIONNAIRE,
        questionnaire::embedded(),
    )
    .expect("the questionnaire seed parses");
    assert_eq!(checked.errors(), 0, "{:#?}", checked.problems);
    let project = ProjectFile::parse(Path::new("q.toml"), QUESTIONNAIRE.to_string()).unwrap();
    let settings = Settings::resolve(&Overrides::default(), Some(&project), now()).unwrap();
    assert_eq!(settings.window.days(), 90.0);
    for export in EXPORTS {
        let read = valueflow::ci::read(Path::new("e.json"), export.as_bytes())
            .unwrap_or_else(|e| panic!("{export}: {e}"));
        assert_eq!(
            read.runs.len() + read.deployments.len(),
            1,
            "{export}: {:?}",
            read.skipped
        );
    }
    for text in [INCIDENTS_CSV, INCIDENTS_JSON] {
        let read = valueflow::incidents::parse(Path::new("i"), text).unwrap();
        assert_eq!(read.len(), 2);
    }
}

// Defects the properties found (issue 8), each as its shrunk input, kept so they stay fixed.
// Either outcome but a panic is acceptable.

/// `--until -262143-01-01` alone: `since` defaults to 90 days before, which chrono cannot hold.
#[test]
fn until_at_the_earliest_date() {
    let _ = Window::resolve(None, Some("-262143-01-01"), now());
}

/// A Jenkins build whose `timestamp + duration` does not fit in an i64.
#[test]
fn jenkins_timestamp_plus_duration_past_i64() {
    let export = r#"{"builds":[{"number":1,"result":"SUCCESS","timestamp":9223372036854775806,"duration":2}]}"#;
    let _ = valueflow::ci::read(Path::new("jenkins.json"), export.as_bytes());
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn questionnaire_any_bytes(bytes in bytes()) {
        questionnaire_and_settings(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn questionnaire_spliced(bytes in spliced(&[QUESTIONNAIRE])) {
        questionnaire_and_settings(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn questionnaire_extreme_values(text in filled(&[QUESTIONNAIRE_TEMPLATE])) {
        questionnaire_and_settings(&text);
    }

    #[test]
    fn ci_export_any_bytes(bytes in bytes()) {
        ci_export(&bytes);
    }

    #[test]
    fn ci_export_spliced(bytes in spliced(EXPORTS)) {
        ci_export(&bytes);
    }

    /// Found the Jenkins `timestamp + duration` overflow (see
    /// `jenkins_timestamp_plus_duration_past_i64`).
    #[test]
    fn ci_export_extreme_values(text in filled(EXPORT_TEMPLATES)) {
        ci_export(text.as_bytes());
    }

    #[test]
    fn incidents_any_bytes(bytes in bytes()) {
        incidents(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn incidents_spliced(bytes in spliced(&[INCIDENTS_CSV, INCIDENTS_JSON])) {
        incidents(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn incidents_extreme_values(text in filled(INCIDENTS_TEMPLATES)) {
        incidents(&text);
    }

    #[test]
    fn window_any_text(since in "\\PC{0,24}", until in "\\PC{0,24}", now in instant()) {
        window(&since, &until, now);
    }

    /// Found the window's date overflow (see `until_at_the_earliest_date`).
    #[test]
    fn window_extreme_values(since in value(), until in value(), now in instant()) {
        window(&since, &until, now);
    }

    #[test]
    fn headers_any_text(
        link in "\\PC{0,80}",
        next_page in "\\PC{0,12}",
        retry_after in "\\PC{0,40}",
        reset in "\\PC{0,24}",
        now in instant(),
    ) {
        headers(&link, &next_page, &retry_after, &reset, now);
    }

    #[test]
    fn headers_extreme_values(
        retry_after in prop_oneof![number(), Just("Fri, 31 Dec 9999 23:59:59 GMT".to_string())],
        reset in number(),
        next_page in number(),
        now in instant(),
    ) {
        let link = format!("<https://api.github.com/x?page={next_page}>; rel=\"next\"");
        headers(&link, &next_page, &retry_after, &reset, now);
    }
}
