//! Reading the text files a user names (the questionnaire, valueflow.toml, an incidents
//! file), bounded: `--incidents /dev/zero` must end in an error, not in gigabytes of memory.
//! CI exports are streamed instead (ci::stream) and have no such limit.

use std::io::{Error, ErrorKind, Read};
use std::path::Path;

/// The largest text file read whole: the embedded questionnaire is 30 kB and a year of
/// incidents a few hundred; 32 MiB is far beyond either.
pub const MAX_TEXT_BYTES: u64 = 32 << 20;

/// The whole file as UTF-8, or an error when it is longer than `MAX_TEXT_BYTES`.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    let file = std::fs::File::open(path)?;
    let mut text = String::new();
    file.take(MAX_TEXT_BYTES + 1).read_to_string(&mut text)?;
    if text.len() as u64 > MAX_TEXT_BYTES {
        return Err(Error::new(
            ErrorKind::FileTooLarge,
            format!(
                "larger than {} MiB, which no questionnaire, settings or incidents file is",
                MAX_TEXT_BYTES >> 20
            ),
        ));
    }
    Ok(text)
}
