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

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).line_col(offset)
}

/// Where each line of a file starts, found once: every problem and every practice asks for
/// its line, and rescanning the file each time made 20,000 problems take a minute.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// The whole text indexed.
    pub fn text(&self) -> &'a str {
        self.text
    }

    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|nl| nl + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// 1-based line and character column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        let text = &self.text[start..end];
        text.strip_suffix('\r').unwrap_or(text)
    }
}
