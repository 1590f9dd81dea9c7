//! Sample JSON files named by `literalinclude`, and the microversion each documents: from a
//! `v2.58/` folder in its path, else from its caption (`Example ... (v2.62)`).

use std::path::{Component, Path};
use std::sync::LazyLock;

use regex::Regex;

use super::versions::range_note;
use crate::diagnostics::{Diagnostic, DiagnosticKind, Location};
use stackspec_model::version::Microversion;

/// Parses a sample's text; invalid JSON is a diagnostic naming the line and column.
pub fn parse(
    path: &Path,
    text: &str,
    included_at: &Location,
) -> Result<serde_json::Value, Diagnostic> {
    serde_json::from_str(text).map_err(|e| {
        Diagnostic::new(
            DiagnosticKind::InvalidSample,
            Location::new(path, e.line()),
            format!("invalid JSON at column {}: {e} (included at {included_at})", e.column()),
        )
    })
}

/// The microversion a sample documents, if its path or caption names one, or the first of a
/// range its caption gives.
pub fn documented_version(path: &Path, caption: &str) -> Option<Microversion> {
    static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:\bv|microversion\s+`*)(\d+\.\d+)\b").expect("valid regex")
    });
    let from_folder = path.components().find_map(|c| match c {
        Component::Normal(name) => name.to_str()?.strip_prefix('v')?.parse().ok(),
        _ => None,
    });
    let named = || CAPTION.captures(caption)?.get(1)?.as_str().parse().ok();
    // `Response Example (1.28 - 1.36)`: the sample documents the first version of its range.
    from_folder.or_else(named).or_else(|| range_note(caption)?.min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_from_folder_then_caption() {
        let v = |p: &str, c: &str| documented_version(Path::new(p), c);
        assert_eq!(v("doc/os-x/v2.58/list.json", "(v2.1)"), Some(Microversion::new(2, 58)));
        assert_eq!(
            v("samples/list.json", "Example List (v2.62): JSON"),
            Some(Microversion::new(2, 62))
        );
        assert_eq!(
            v("samples/list.json", "since microversion ``2.51``"),
            Some(Microversion::new(2, 51))
        );
        assert_eq!(v("samples/api-v1-list.json", "Example"), None);
        let placement = |caption| v("samples/allocations-put.json", caption);
        assert_eq!(
            placement("Request example (microversions 1.28 - 1.36)"),
            Some(Microversion::new(1, 28))
        );
        assert_eq!(placement("Response Example (1.28 - 1.36)"), Some(Microversion::new(1, 28)));
        assert_eq!(placement("Response (microversions 1.20 - )"), Some(Microversion::new(1, 20)));
    }

    #[test]
    fn invalid_json_names_file_line_and_column() {
        let d = parse(Path::new("s.json"), "{\n  \"a\": [1,],\n}", &Location::new("x.inc", 9))
            .unwrap_err();
        assert_eq!(d.kind, DiagnosticKind::InvalidSample);
        assert_eq!(d.location, Location::new("s.json", 2));
        assert!(d.message.contains("included at x.inc:9"), "{}", d.message);
    }
}
