//! Microversion ranges written in prose, in the spellings os-api-ref documents use for a note
//! after a status code or in a sample's caption: `(microversions 2.0 - 2.100)`,
//! `(microversion 2.101 - )`, `(1.28 - 1.36)`, `(microversions 1.19 - )`.

use std::sync::LazyLock;

use regex::Regex;

use stackspec_model::version::VersionRange;

/// A parenthesised range, the word `microversion(s)` optional, either end perhaps open
/// (but not both), the versions perhaps in ``literals``.
static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\(\s*(?:microversions?\s+)?`*([0-9]+\.[0-9]+)?`*\s*(?:-|–|to)\s*",
        r"`*([0-9]+\.[0-9]+)?`*\s*\)",
    ))
    .expect("valid regex")
});

/// The first range the text states, if any.
pub fn range_note(text: &str) -> Option<VersionRange> {
    RANGE.captures_iter(text).find_map(|c| {
        let read = |i: usize| c.get(i).and_then(|m| m.as_str().parse().ok());
        let range = VersionRange { min: read(1), max: read(2) };
        (!range.is_unbounded()).then_some(range)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use stackspec_model::version::Microversion;

    fn range(min: Option<(u32, u32)>, max: Option<(u32, u32)>) -> Option<VersionRange> {
        let v = |p: Option<(u32, u32)>| p.map(|(a, b)| Microversion::new(a, b));
        Some(VersionRange { min: v(min), max: v(max) })
    }

    #[test]
    fn every_spelling_of_a_range_note() {
        assert_eq!(
            range_note("OK (microversions 2.0 - 2.100)"),
            range(Some((2, 0)), Some((2, 100)))
        );
        assert_eq!(range_note("Accepted (microversion 2.101 - )"), range(Some((2, 101)), None));
        assert_eq!(
            range_note("Response Example (1.28 - 1.36)"),
            range(Some((1, 28)), Some((1, 36)))
        );
        assert_eq!(
            range_note("Request example (Microversions ``1.19`` - )"),
            range(Some((1, 19)), None)
        );
        assert_eq!(range_note("(microversions - 1.5)"), range(None, Some((1, 5))));
    }

    #[test]
    fn text_without_a_range_has_none() {
        assert_eq!(range_note("Example (v2.62)"), None);
        assert_eq!(range_note("Request (-)"), None);
        assert_eq!(range_note("Bad Request (badRequest)"), None);
        assert_eq!(range_note("values 1 - 2"), None);
    }
}
