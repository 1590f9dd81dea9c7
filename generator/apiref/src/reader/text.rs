//! Source files as text. An api-ref is UTF-8 RST, YAML and JSON, but one file saved as
//! Latin-1 or holding a stray control character must not cost the whole service: each byte
//! sequence that is not UTF-8, and each control character, becomes U+FFFD and a warning
//! naming its file, line and column, and the rest of the file is read as it is.

use std::path::Path;

use crate::diagnostics::{Diagnostic, DiagnosticKind, Location};

/// Most problems reported one by one per file; the rest are counted in one last warning, so
/// that a binary file read by mistake gives a few lines, not thousands.
pub const MAX_REPORTED: usize = 10;

/// Stands in for what could not be read.
const REPLACEMENT: char = char::REPLACEMENT_CHARACTER;

/// `bytes`, the contents of `path`, as text, with one warning per replaced byte sequence or
/// control character (tab, line feed and carriage return are text). A leading byte-order
/// mark is an encoding signature, not content, and is dropped.
pub fn decode(path: &Path, bytes: Vec<u8>, diagnostics: &mut Vec<Diagnostic>) -> String {
    let bytes = match bytes.strip_prefix("\u{feff}".as_bytes()) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) if !text.chars().any(is_control) => text,
        Ok(text) => repair(path, text.as_bytes(), diagnostics),
        Err(e) => repair(path, e.as_bytes(), diagnostics),
    }
}

/// A control character other than the three that are text.
fn is_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Why one place in a file was replaced.
enum Problem {
    NotUtf8(Vec<u8>),
    Control(char),
}

/// The slow path: walks the file once, replacing and recording as it goes.
fn repair(path: &Path, bytes: &[u8], diagnostics: &mut Vec<Diagnostic>) -> String {
    let mut text = String::with_capacity(bytes.len());
    let mut reporter = Reporter { path, diagnostics, reported: 0, more: 0, first_unreported: 0 };
    // Line, and byte offsets in the file of the current position and of its line's start.
    let (mut line, mut offset, mut line_start) = (1, 0, 0);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if is_control(c) {
                let at = Place { line, column: offset - line_start + 1, offset };
                reporter.report(at, Problem::Control(c));
                text.push(REPLACEMENT);
            } else {
                text.push(c);
            }
            offset += c.len_utf8();
            if c == '\n' {
                line += 1;
                line_start = offset;
            }
        }
        let invalid = chunk.invalid();
        if !invalid.is_empty() {
            let at = Place { line, column: offset - line_start + 1, offset };
            reporter.report(at, Problem::NotUtf8(invalid.to_vec()));
            text.push(REPLACEMENT);
            offset += invalid.len();
        }
    }
    reporter.finish();
    text
}

/// Where a problem is: line, byte column and byte offset in the file.
struct Place {
    line: usize,
    column: usize,
    offset: usize,
}

/// Turns problems into warnings, at most [`MAX_REPORTED`] per file.
struct Reporter<'a> {
    path: &'a Path,
    diagnostics: &'a mut Vec<Diagnostic>,
    reported: usize,
    more: usize,
    first_unreported: usize,
}

impl Reporter<'_> {
    fn report(&mut self, at: Place, problem: Problem) {
        if self.reported == MAX_REPORTED {
            if self.more == 0 {
                self.first_unreported = at.line;
            }
            self.more += 1;
            return;
        }
        self.reported += 1;
        let what = match problem {
            Problem::NotUtf8(bytes) => {
                let hex: Vec<String> = bytes.iter().map(|b| format!("0x{b:02X}")).collect();
                format!("byte {} is not UTF-8", hex.join(" "))
            }
            Problem::Control(c) => format!("control character U+{:04X}", u32::from(c)),
        };
        let message = format!(
            "{what} at column {} (byte offset {}); read as U+FFFD, the rest of the file as it is",
            at.column, at.offset
        );
        self.push(at.line, message);
    }

    fn finish(&mut self) {
        if self.more > 0 {
            let message = format!(
                "{} more places that are not UTF-8 or are control characters from here on, \
                 also read as U+FFFD",
                self.more
            );
            self.push(self.first_unreported, message);
        }
    }

    fn push(&mut self, line: usize, message: String) {
        let location = Location::new(self.path, line);
        self.diagnostics.push(Diagnostic::new(DiagnosticKind::InvalidText, location, message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> (String, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let text = decode(Path::new("f.inc"), bytes.to_vec(), &mut diagnostics);
        (text, diagnostics)
    }

    #[test]
    fn clean_utf8_is_returned_unchanged_without_warnings() {
        let (text, diagnostics) = decoded("Café\r\n\ttab ✓\n".as_bytes());
        assert_eq!(text, "Café\r\n\ttab ✓\n");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn a_latin1_byte_is_replaced_and_reported_with_line_and_column() {
        let (text, diagnostics) = decoded(b"first\nCaf\xe9 ok\nlast\n");
        assert_eq!(text, "first\nCaf\u{fffd} ok\nlast\n");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        let d = &diagnostics[0];
        assert_eq!((d.kind, d.location.line), (DiagnosticKind::InvalidText, 2));
        assert_eq!(
            d.message,
            "byte 0xE9 is not UTF-8 at column 4 (byte offset 9); read as U+FFFD, the rest of \
             the file as it is"
        );
    }

    #[test]
    fn control_characters_are_replaced_and_reported() {
        let (text, diagnostics) = decoded(b"a\nb\x00c\x1bd\n");
        assert_eq!(text, "a\nb\u{fffd}c\u{fffd}d\n");
        let found: Vec<_> =
            diagnostics.iter().map(|d| (d.location.line, d.message.split(" (").next())).collect();
        let want = ["control character U+0000 at column 2", "control character U+001B at column 4"];
        assert_eq!(found, want.map(|w| (2, Some(w))));
    }

    #[test]
    fn a_byte_order_mark_is_dropped_silently() {
        let (text, diagnostics) = decoded(b"\xef\xbb\xbf{}");
        assert_eq!((text.as_str(), diagnostics.len()), ("{}", 0));
    }

    #[test]
    fn a_binary_file_gives_a_bounded_number_of_warnings() {
        let bytes: Vec<u8> = (0..1000).map(|i| if i % 2 == 0 { b'\n' } else { 0xff }).collect();
        let (text, diagnostics) = decoded(&bytes);
        assert_eq!(text.matches('\u{fffd}').count(), 500);
        assert_eq!(diagnostics.len(), MAX_REPORTED + 1);
        let last = diagnostics.last().unwrap();
        assert_eq!(last.location.line, MAX_REPORTED + 2);
        assert!(last.message.starts_with("490 more places"), "{}", last.message);
    }
}
