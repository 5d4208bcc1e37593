//! The incidents file, CSV or JSON. Property: no panic.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The file is read as UTF-8; lossy keeps the fuzzer's non-UTF-8 mutations useful.
    let text = String::from_utf8_lossy(data);
    let _ = valueflow::incidents::parse(Path::new("fuzz/incidents.csv"), &text);
});
