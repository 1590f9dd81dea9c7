//! Sample JSON files named by `literalinclude`, and the microversion each documents: from a
//! `v2.58/` folder in its path, else from its caption (`Example ... (v2.62)`). Not every
//! `literalinclude` is a JSON sample: api-refs also include curl commands, HTTP transcripts
//! and XML, which are examples in another format, not samples that fail to parse.

use std::path::{Component, Path};
use std::sync::LazyLock;

use regex::Regex;

use super::versions::range_note;
use super::SampleRef;
use crate::diagnostics::{Diagnostic, DiagnosticKind, Location};
use stackspec_model::version::Microversion;

/// Parses the text of `sample`. Invalid JSON is a warning naming the line and column when
/// the sample is meant to be JSON ([`meant_as_json`]), else a note that it is an example in
/// another format.
pub fn parse(sample: &SampleRef, text: &str) -> Result<serde_json::Value, Diagnostic> {
    let included_at = &sample.location;
    serde_json::from_str(text).map_err(|e| {
        if meant_as_json(&sample.path, sample.language.as_deref(), text) {
            Diagnostic::new(
                DiagnosticKind::InvalidSample,
                Location::new(&sample.path, e.line()),
                format!("invalid JSON at column {}: {e} (included at {included_at})", e.column()),
            )
        } else {
            Diagnostic::new(
                DiagnosticKind::NonJsonSample,
                included_at.clone(),
                format!(
                    "{} is not JSON: an example in another format, not a sample",
                    sample.path.display()
                ),
            )
        }
    })
}

/// Whether a file that does not parse as JSON was meant to be JSON. The file name decides
/// when it has an extension (`.json` is, `.txt`, `.xml`, `.sh` are not); without one, the
/// directive's `:language:` decides (`json`, `javascript`); with neither, the text does (JSON
/// samples open an object or an array; curl commands, HTTP transcripts and XML do not).
pub fn meant_as_json(path: &Path, language: Option<&str>, text: &str) -> bool {
    if let Some(extension) = path.extension() {
        return extension.eq_ignore_ascii_case("json");
    }
    if let Some(language) = language {
        return ["json", "javascript"].iter().any(|l| language.eq_ignore_ascii_case(l));
    }
    text.trim_start().starts_with(['{', '['])
}

/// The microversion a sample documents, if its path or caption names one, or the first of a
/// range its caption gives.
pub fn documented_version(path: &Path, caption: &str) -> Option<Microversion> {
    static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:\bv|microversion\s+`*)([0-9]+\.[0-9]+)\b").expect("valid regex")
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

    fn sample(path: &str, language: Option<&str>) -> SampleRef {
        SampleRef {
            section: None,
            path: path.into(),
            caption: String::new(),
            language: language.map(str::to_string),
            location: Location::new("x.inc", 9),
        }
    }

    #[test]
    fn invalid_json_names_file_line_and_column() {
        let d = parse(&sample("s.json", None), "{\n  \"a\": [1,],\n}").unwrap_err();
        assert_eq!(d.kind, DiagnosticKind::InvalidSample);
        assert_eq!(d.location, Location::new("s.json", 2));
        assert!(d.message.contains("included at x.inc:9"), "{}", d.message);
    }

    const CURL: &str = "curl -X GET -H \"X-Auth-Token: <token>\" http://198.51.100.7/v2/things\n";

    #[test]
    fn the_extension_decides_when_there_is_one() {
        assert!(meant_as_json(Path::new("a-resp.json"), Some("bash"), "oops"));
        assert!(!meant_as_json(Path::new("a-http.txt"), Some("javascript"), "GET /a\n"));
        assert!(!meant_as_json(Path::new("a-resp.xml"), None, "<a/>"));
        assert!(!meant_as_json(Path::new("a.sh"), None, "{ curl; }"));
    }

    #[test]
    fn without_an_extension_the_language_then_the_text_decides() {
        assert!(!meant_as_json(Path::new("examples/show-curl"), Some("bash"), CURL));
        assert!(meant_as_json(Path::new("examples/show"), Some("JSON"), CURL));
        assert!(meant_as_json(Path::new("examples/show"), None, "  [1,]"));
        assert!(!meant_as_json(Path::new("examples/show"), None, CURL));
    }

    #[test]
    fn a_curl_example_is_a_note_and_a_broken_json_file_a_warning() {
        let curl = SampleRef {
            section: None,
            path: "examples/show-curl".into(),
            caption: String::new(),
            language: Some("bash".into()),
            location: Location::new("x.inc", 4),
        };
        let d = parse(&curl, CURL).unwrap_err();
        assert_eq!((d.kind, d.location.line), (DiagnosticKind::NonJsonSample, 4));
        let json = SampleRef { path: "examples/show.json".into(), ..curl.clone() };
        assert_eq!(parse(&json, CURL).unwrap_err().kind, DiagnosticKind::InvalidSample);
        let parses = SampleRef { path: "examples/show.txt".into(), ..curl };
        assert_eq!(parse(&parses, "{\"a\": 1}").unwrap(), serde_json::json!({"a": 1}));
    }
}
