//! valueflow.toml / an assessment file: the questionnaire check, then the `[measure]` and
//! `[outcome]` tables as `measure` reads and resolves them. Property: no panic.

#![no_main]

use std::path::Path;

use chrono::DateTime;
use libfuzzer_sys::fuzz_target;
use valueflow::assessment::{file, questionnaire};
use valueflow::settings::Overrides;
use valueflow::settings::{ProjectFile, Settings};

fuzz_target!(|data: &[u8]| {
    // The file is read as UTF-8; lossy keeps the fuzzer's non-UTF-8 mutations useful.
    let text = String::from_utf8_lossy(data);
    let path = Path::new("fuzz/valueflow.toml");
    let _ = file::check(path, &text, questionnaire::embedded());
    if let Ok(project) = ProjectFile::parse(path, text.into_owned()) {
        // 2026-11-24T09:30:00Z
        let now = DateTime::from_timestamp(1_795_512_600, 0).unwrap_or_default();
        let _ = Settings::resolve(&Overrides::default(), Some(&project), now);
    }
});
