//! A report longer than the terminal goes through a pager, as `git log` does, so that it opens
//! at its headline (the level and the delivery summary) instead of scrolling past it. Only on a
//! terminal; `PAGER=cat` (or an empty `PAGER`) turns it off.

use std::io::{IsTerminal, Write};
use std::process::{Command, Stdio};

/// Shows `text` through the pager when it is longer than the terminal; `false` when it was not
/// paged (not a terminal, short enough, no pager), and the caller prints it.
pub fn page(text: &str) -> bool {
    if !std::io::stdout().is_terminal() {
        return false;
    }
    let Some((_, height)) = terminal_size::terminal_size() else {
        return false;
    };
    if !too_long(text, usize::from(height.0)) {
        return false;
    }
    let pager = std::env::var("PAGER").unwrap_or_else(|_| "less".to_string());
    let mut words = pager.split_whitespace();
    let Some(program) = words.next().filter(|p| *p != "cat") else {
        return false;
    };
    let mut command = Command::new(program);
    command.args(words).stdin(Stdio::piped());
    // less: quit when it fits after all (-F), keep colours (-R), leave the text on screen (-X),
    // unless the user set their own LESS.
    if std::env::var_os("LESS").is_none() {
        command.env("LESS", "FRX");
    }
    let Ok(mut child) = command.spawn() else {
        return false;
    };
    if let Some(mut stdin) = child.stdin.take() {
        // The user may quit before reading it all: a broken pipe is not an error.
        let _ = stdin.write_all(text.as_bytes());
    }
    let _ = child.wait();
    true
}

/// Whether the text needs more lines than the terminal has (one is kept for the prompt).
fn too_long(text: &str, height: usize) -> bool {
    text.lines().count() >= height
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_only_what_does_not_fit() {
        assert!(!too_long("a\nb\n", 24));
        assert!(too_long(&"line\n".repeat(24), 24));
        assert!(!too_long(&"line\n".repeat(23), 24));
    }
}
