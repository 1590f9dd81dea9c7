//! Characters nobody sees: format characters (Unicode category Cf: zero-width space,
//! byte-order mark, directional marks, soft hyphen) and control characters. Pasted into a
//! `rest_method` path they make a route that reads right and matches no request, so the path
//! keeps only what can be seen, and what was dropped is reported.

use unicode_general_category::{get_general_category, GeneralCategory};

/// Whether `c` is invisible: a format or a control character.
pub fn is_invisible(c: char) -> bool {
    c.is_control() || get_general_category(c) == GeneralCategory::Format
}

/// `text` without its invisible characters, and those it dropped, in order (none: empty).
pub fn strip(text: &str) -> (String, Vec<char>) {
    let (dropped, kept): (Vec<char>, Vec<char>) = text.chars().partition(|&c| is_invisible(c));
    (kept.into_iter().collect(), dropped)
}

/// The dropped characters as code points, for a warning: `U+200B, U+200B`.
pub fn describe(dropped: &[char]) -> String {
    dropped.iter().map(|c| format!("U+{:04X}", u32::from(*c))).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_and_control_characters_are_dropped_and_listed() {
        let (kept, dropped) = strip("/a/\u{200b}{id}\u{feff}/\u{1}b\u{ad}");
        assert_eq!(kept, "/a/{id}/b");
        assert_eq!(describe(&dropped), "U+200B, U+FEFF, U+0001, U+00AD");
    }

    #[test]
    fn visible_text_is_kept_whole() {
        let path = "/v2/{project_id}/shares/{share_id}/é-ü";
        assert_eq!(strip(path), (path.to_string(), vec![]));
    }
}
