//! The valueflow binary under test, and what every test file asks of its output.

use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// `valueflow`, built by cargo, without colour.
pub fn valueflow() -> Command {
    let mut cmd = Command::cargo_bin("valueflow").expect("binary built");
    cmd.env("NO_COLOR", "1");
    // The table views fit COLUMNS when it is set: tests see the unlimited layout.
    cmd.env_remove("COLUMNS");
    cmd
}

/// A number of the JSON report, equal to the one worked out by hand up to float rounding.
pub fn close(actual: &Value, expected: f64) {
    let actual = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{actual} is not a number"));
    assert!(
        (actual - expected).abs() < 1e-9,
        "expected {expected}, got {actual}"
    );
}

/// The JSON report of a run that must succeed.
pub fn json_of(out: std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// The recorded CI responses in ../shared/fixtures/ci; `None`, with a note, where CI does not
/// have them (the tests that need them then skip).
pub fn recorded_fixtures() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/ci");
    if dir.is_dir() {
        Some(dir)
    } else {
        // Written to the process's stderr, not through `eprintln!`, which the test harness
        // captures and shows only for failing tests: a skip must be seen in a normal run.
        let _ = writeln!(
            std::io::stderr(),
            "note: {} is absent: recorded-response tests skipped",
            dir.display()
        );
        None
    }
}
