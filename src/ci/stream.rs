//! Reads a JSON export piece by piece, so that a gigabyte of runs never sits in memory whole.
//!
//! A CI export is an array of objects, or an object whose list members (`workflow_runs`,
//! `pipelines`, …) hold them. The scanner finds each element of those lists and hands its
//! bytes to a callback, which parses only the fields it needs. Everything else of a top-level
//! object is kept (with the streamed lists emptied), so a single run or a webhook payload is
//! read whole.

use std::io::Read;

/// Members of a top-level object whose array value is streamed element by element.
pub const LIST_KEYS: &[&str] = super::export_format::LIST_KEYS;

/// One element of a streamed list.
pub struct Element<'a> {
    /// The member that holds the list, `None` for a top-level array.
    pub list: Option<&'a str>,
    pub bytes: &'a [u8],
    /// 1-based position of the element's first byte in the file.
    pub line: usize,
    pub col: usize,
}

/// What the document was, once read to the end.
pub enum Document {
    Array,
    /// A top-level object: its bytes with every streamed list emptied, and the lists seen.
    Object {
        rest: Vec<u8>,
        lists: Vec<String>,
    },
}

#[derive(Debug)]
pub enum StreamError<E> {
    Io(std::io::Error),
    Syntax {
        line: usize,
        col: usize,
        message: &'static str,
    },
    /// The callback's own error, passed through.
    Element(E),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    /// In a streamed list, expecting an element (or `]` when `after_comma` is false).
    Item {
        after_comma: bool,
    },
    ItemNext,
    /// In the top-level object, expecting a key (or `}` when `after_comma` is false).
    Key {
        after_comma: bool,
    },
    InKey {
        escape: bool,
    },
    Colon,
    MemberValue,
    MemberNext,
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Element,
    Member,
}

/// A value being copied out: a streamed element, or a member of the top-level object.
#[derive(Debug, Clone, Copy)]
struct Capture {
    target: Target,
    depth: u32,
    in_string: bool,
    escape: bool,
    scalar: bool,
    line: usize,
    col: usize,
}

struct Scanner {
    state: State,
    capture: Option<Capture>,
    line: usize,
    /// Absolute offset of the byte after the last newline, and of the current byte.
    line_start: u64,
    offset: u64,
    element: Vec<u8>,
    rest: Vec<u8>,
    key: Vec<u8>,
    list: Option<String>,
    lists: Vec<String>,
    top_array: bool,
}

/// Reads `reader` to the end, calling `on_element` for every element of a streamed list.
pub fn read<R: Read, E>(
    mut reader: R,
    mut on_element: impl FnMut(Element<'_>) -> Result<(), E>,
) -> Result<Document, StreamError<E>> {
    let mut scanner = Scanner {
        state: State::Start,
        capture: None,
        line: 1,
        line_start: 0,
        offset: 0,
        element: Vec::new(),
        rest: Vec::new(),
        key: Vec::new(),
        list: None,
        lists: Vec::new(),
        top_array: false,
    };
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(StreamError::Io(err)),
        };
        scanner.feed(&chunk[..n], &mut on_element)?;
    }
    // A scalar at the very end of a list has no delimiter after it; the list's `]` would have
    // been one, so a capture still open here means the file was cut short.
    if scanner.state != State::Done || scanner.capture.is_some() {
        return Err(scanner.error("unexpected end of file: the export is cut short"));
    }
    Ok(if scanner.top_array {
        Document::Array
    } else {
        Document::Object {
            rest: scanner.rest,
            lists: scanner.lists,
        }
    })
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

impl Scanner {
    fn error<E>(&self, message: &'static str) -> StreamError<E> {
        StreamError::Syntax {
            line: self.line,
            col: (self.offset - self.line_start) as usize + 1,
            message,
        }
    }

    fn feed<E>(
        &mut self,
        chunk: &[u8],
        on_element: &mut impl FnMut(Element<'_>) -> Result<(), E>,
    ) -> Result<(), StreamError<E>> {
        let mut i = 0;
        while i < chunk.len() {
            if let Some(capture) = self.capture.as_mut() {
                let (end, done) = scan_value(
                    capture,
                    &chunk[i..],
                    &mut self.line,
                    &mut self.line_start,
                    self.offset,
                );
                let taken = &chunk[i..i + end];
                match capture.target {
                    Target::Element => self.element.extend_from_slice(taken),
                    Target::Member => self.rest.extend_from_slice(taken),
                }
                self.offset += end as u64;
                i += end;
                if done {
                    let capture = *capture;
                    self.capture = None;
                    match capture.target {
                        Target::Element => {
                            on_element(Element {
                                list: self.list.as_deref(),
                                bytes: &self.element,
                                line: capture.line,
                                col: capture.col,
                            })
                            .map_err(StreamError::Element)?;
                            self.element.clear();
                            self.state = State::ItemNext;
                        }
                        Target::Member => self.state = State::MemberNext,
                    }
                }
                continue;
            }
            let b = chunk[i];
            if is_space(b) {
                if b == b'\n' {
                    self.line += 1;
                    self.line_start = self.offset + 1;
                }
                if let State::InKey { .. } = self.state {
                    self.key.push(b);
                }
                self.offset += 1;
                i += 1;
                continue;
            }
            match self.state {
                State::Start => match b {
                    b'[' => {
                        self.top_array = true;
                        self.state = State::Item { after_comma: false };
                    }
                    b'{' => {
                        self.rest.push(b'{');
                        self.state = State::Key { after_comma: false };
                    }
                    _ => return Err(self.error("expected a JSON array or object")),
                },
                State::Item { after_comma } => {
                    if b == b']' && !after_comma {
                        self.close_list();
                    } else if matches!(b, b']' | b',' | b'}' | b':') {
                        return Err(self.error("expected a value"));
                    } else {
                        self.start_capture(Target::Element);
                        continue; // the capture reads this byte
                    }
                }
                State::ItemNext => match b {
                    b',' => self.state = State::Item { after_comma: true },
                    b']' => self.close_list(),
                    _ => return Err(self.error("expected ',' or ']' after an element")),
                },
                State::Key { after_comma } => match b {
                    b'}' if !after_comma => {
                        self.rest.push(b'}');
                        self.state = State::Done;
                    }
                    b'"' => {
                        self.key.clear();
                        self.state = State::InKey { escape: false };
                    }
                    _ => return Err(self.error("expected a key in double quotes")),
                },
                State::InKey { escape } => {
                    if !escape && b == b'"' {
                        self.state = State::Colon;
                    } else {
                        self.key.push(b);
                        self.state = State::InKey {
                            escape: !escape && b == b'\\',
                        };
                    }
                }
                State::Colon => {
                    if b != b':' {
                        return Err(self.error("expected ':' after a key"));
                    }
                    self.rest.push(b'"');
                    self.rest.extend_from_slice(&self.key);
                    self.rest.extend_from_slice(b"\":");
                    self.state = State::MemberValue;
                }
                State::MemberValue => {
                    let key = std::str::from_utf8(&self.key).unwrap_or("");
                    if b == b'[' && LIST_KEYS.contains(&key) {
                        self.list = Some(key.to_string());
                        self.state = State::Item { after_comma: false };
                    } else if matches!(b, b']' | b',' | b'}' | b':') {
                        return Err(self.error("expected a value"));
                    } else {
                        self.start_capture(Target::Member);
                        continue;
                    }
                }
                State::MemberNext => match b {
                    b',' => {
                        self.rest.push(b',');
                        self.state = State::Key { after_comma: true };
                    }
                    b'}' => {
                        self.rest.push(b'}');
                        self.state = State::Done;
                    }
                    _ => return Err(self.error("expected ',' or '}' after a value")),
                },
                State::Done => return Err(self.error("unexpected text after the end of the JSON")),
            }
            self.offset += 1;
            i += 1;
        }
        Ok(())
    }

    fn start_capture(&mut self, target: Target) {
        self.capture = Some(Capture {
            target,
            depth: 0,
            in_string: false,
            escape: false,
            scalar: false,
            line: self.line,
            col: (self.offset - self.line_start) as usize + 1,
        });
    }

    fn close_list(&mut self) {
        match self.list.take() {
            None => self.state = State::Done,
            Some(key) => {
                self.rest.extend_from_slice(b"[]");
                self.lists.push(key);
                self.state = State::MemberNext;
            }
        }
    }
}

/// Scans one value from the start of `bytes`: returns how many bytes belong to it and whether
/// it ended. Strings are skipped with memchr, which is where most of an export's bytes are.
fn scan_value(
    capture: &mut Capture,
    bytes: &[u8],
    line: &mut usize,
    line_start: &mut u64,
    offset: u64,
) -> (usize, bool) {
    let mut i = 0;
    if capture.depth == 0 && !capture.in_string && !capture.scalar {
        match bytes[0] {
            b'{' | b'[' => capture.depth = 1,
            b'"' => {
                capture.in_string = true;
                capture.scalar = true;
            }
            _ => capture.scalar = true,
        }
        i = 1;
        // A string scalar ends at its closing quote; a container at its closing bracket.
    }
    while i < bytes.len() {
        if capture.in_string {
            if capture.escape {
                capture.escape = false;
                i += 1;
                continue;
            }
            match memchr::memchr2(b'"', b'\\', &bytes[i..]) {
                None => return (bytes.len(), false),
                Some(at) => {
                    i += at;
                    if bytes[i] == b'\\' {
                        capture.escape = true;
                    } else {
                        capture.in_string = false;
                        if capture.depth == 0 {
                            return (i + 1, true);
                        }
                    }
                    i += 1;
                }
            }
            continue;
        }
        let b = bytes[i];
        if capture.depth == 0 {
            // A number or literal ends at the first delimiter, which is not part of it.
            if is_space(b) || matches!(b, b',' | b']' | b'}') {
                return (i, true);
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => capture.in_string = true,
            b'{' | b'[' => capture.depth += 1,
            b'}' | b']' => {
                capture.depth -= 1;
                if capture.depth == 0 {
                    return (i + 1, true);
                }
            }
            b'\n' => {
                *line += 1;
                *line_start = offset + i as u64 + 1;
            }
            _ => {}
        }
        i += 1;
    }
    (bytes.len(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (list, bytes, line, col) of each element.
    type Seen = Vec<(Option<String>, String, usize, usize)>;

    fn elements(text: &str, chunk: usize) -> (Seen, String) {
        let mut seen = Vec::new();
        let reader = Chunked(text.as_bytes(), chunk);
        let doc = read::<_, ()>(reader, |e| {
            seen.push((
                e.list.map(str::to_string),
                String::from_utf8(e.bytes.to_vec()).unwrap(),
                e.line,
                e.col,
            ));
            Ok(())
        })
        .unwrap_or_else(|_| panic!("valid json"));
        let rest = match doc {
            Document::Array => "[array]".to_string(),
            Document::Object { rest, .. } => String::from_utf8(rest).unwrap(),
        };
        (seen, rest)
    }

    /// A reader that hands out at most `n` bytes at a time, to cross chunk edges everywhere.
    struct Chunked<'a>(&'a [u8], usize);
    impl Read for Chunked<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(self.0.len()).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn streams_envelope_lists_and_keeps_the_rest() {
        let text = "{\"total_count\": 2,\n \"workflow_runs\": [\n  {\"id\": 1, \"name\": \"a]\\\"}\"},\n  {\"id\": 2}\n ], \"x\": [1, {\"y\": \"}\"}]}\n";
        for chunk in [1, 2, 3, 7, 1 << 20] {
            let (seen, rest) = elements(text, chunk);
            assert_eq!(
                seen,
                vec![
                    (
                        Some("workflow_runs".into()),
                        "{\"id\": 1, \"name\": \"a]\\\"}\"}".into(),
                        3,
                        3
                    ),
                    (Some("workflow_runs".into()), "{\"id\": 2}".into(), 4, 3),
                ],
                "chunk {chunk}"
            );
            assert_eq!(
                rest,
                "{\"total_count\":2,\"workflow_runs\":[],\"x\":[1, {\"y\": \"}\"}]}"
            );
            serde_json::from_str::<serde_json::Value>(&rest).unwrap();
        }
    }

    #[test]
    fn top_level_array_of_scalars_and_objects() {
        let (seen, rest) = elements("[1, \"two\", {\"a\": [3]} , null]", 2);
        let bytes: Vec<_> = seen.iter().map(|s| s.1.as_str()).collect();
        assert_eq!(bytes, vec!["1", "\"two\"", "{\"a\": [3]}", "null"]);
        assert_eq!(rest, "[array]");
    }

    fn syntax(text: &str) -> (usize, usize, &'static str) {
        match read::<_, ()>(text.as_bytes(), |_| Ok(())) {
            Err(StreamError::Syntax { line, col, message }) => (line, col, message),
            _ => panic!("expected a syntax error for {text:?}"),
        }
    }

    #[test]
    fn syntax_errors_have_positions() {
        assert_eq!(syntax("[{\"a\": 1},\n]").0, 2);
        assert_eq!(
            syntax("[{\"a\": 1}\n {\"b\": 2}]"),
            (2, 2, "expected ',' or ']' after an element")
        );
        assert_eq!(
            syntax("[{\"a\": 1}").2,
            "unexpected end of file: the export is cut short"
        );
        assert_eq!(syntax("{\"a\" 1}"), (1, 6, "expected ':' after a key"));
        assert_eq!(syntax("42").2, "expected a JSON array or object");
        assert_eq!(
            syntax("[] x").2,
            "unexpected text after the end of the JSON"
        );
        assert_eq!(
            syntax("").2,
            "unexpected end of file: the export is cut short"
        );
    }
}
