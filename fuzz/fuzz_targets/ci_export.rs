//! Every CI export family through the one streaming reader: any bytes. Property: no panic.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = valueflow::ci::read(Path::new("fuzz/ci-runs.json"), data);
});
