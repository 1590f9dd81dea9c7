//! Response codes in the three spellings os-api-ref documents use:
//! `Normal response codes: 200, 207`, `Error response codes: badRequest(400), ...`,
//! `Error codes:` followed by `* 401, 403 - text` bullets, and `rest_status_code` lists
//! (parsed in `rst`, described here by `StatusRef`).

use std::path::PathBuf;
use std::sync::LazyLock;

use regex::Regex;

use super::versions::range_note;
use crate::diagnostics::Location;
use stackspec_model::version::VersionRange;

/// One documented status code of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusCode {
    pub code: u16,
    /// What the docs say the code means; filled from `status.yaml` for `rest_status_code`.
    pub description: String,
    /// Where a `rest_status_code` entry's description lives.
    pub status: Option<StatusRef>,
    /// The microversions that answer with this code, when a note says so
    /// (`200 (microversions 2.0 - 2.100), 202 (microversion 2.101 - )`).
    pub range: VersionRange,
    pub location: Location,
}

/// A `status.yaml` entry named by a `rest_status_code` list item (`- 409: duplicate_zone`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRef {
    pub file: PathBuf,
    pub key: String,
}

/// A code that could not be read, and why.
pub type BadCode = (Location, String);

/// If `line` starts a response-code paragraph, whether it lists success codes and the text
/// after its label.
pub fn code_line(line: &str) -> Option<(bool, &str)> {
    const LABELS: [(&str, bool); 3] =
        [("normal response code", true), ("error response code", false), ("error code", false)];
    let lower = line.to_ascii_lowercase();
    for (label, success) in LABELS {
        if let Some(rest) = lower.strip_prefix(label) {
            let rest = rest.strip_prefix('s').unwrap_or(rest);
            if let Some(after) = rest.strip_prefix(':') {
                return Some((success, &line[line.len() - after.len()..]));
            }
        }
    }
    None
}

/// Parses `200, 207`, `badRequest(400), unauthorized(401)`, and the variants seen upstream:
/// a missing comma (`forbidden(403) itemNotFound(404)`) and a note after a code
/// (`200 (microversions 2.0 - 2.100)`), which is kept in the description.
pub fn parse_inline(text: &str, location: &Location) -> (Vec<StatusCode>, Vec<BadCode>) {
    static NAMED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"([A-Za-z]\w*)\s*\((\d{3})\)").expect("valid regex"));
    static BARE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(\d{3})\b\s*(.*)$").expect("valid regex"));
    let mut codes = Vec::new();
    let mut bad = Vec::new();
    let mut push = |code: &str, description: String| {
        let code: u16 = code.parse().expect("three digits");
        let range = range_note(&description).unwrap_or_default();
        let location = location.clone();
        codes.push(StatusCode { code, description, status: None, range, location });
    };
    for item in split_items(text) {
        if let Some(c) = BARE.captures(item) {
            let note = c[2].trim();
            let reason = describe(c[1].parse().unwrap_or(0), "");
            push(&c[1], if note.is_empty() { reason } else { format!("{reason} {note}") });
        } else if NAMED.is_match(item) {
            for c in NAMED.captures_iter(item) {
                push(&c[2], describe(c[2].parse().unwrap_or(0), &c[1]));
            }
        } else {
            bad.push((location.clone(), format!("expected a status code, found `{item}`")));
        }
    }
    (codes, bad)
}

/// Splits on commas that are not inside parentheses.
fn split_items(text: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                items.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(text[start..].trim());
    items.into_iter().filter(|i| !i.is_empty()).collect()
}

/// Parses the `* 401, 403 - text` bullets starting at or after line `start`; returns the codes,
/// the items it could not read, and the index after the list.
pub fn parse_bullets(
    lines: &[&str],
    start: usize,
    loc: impl Fn(usize) -> Location,
) -> ((Vec<StatusCode>, Vec<BadCode>), usize) {
    let mut codes: Vec<StatusCode> = Vec::new();
    let mut bad = Vec::new();
    let mut i = start;
    let mut current: Vec<usize> = Vec::new();
    while i < lines.len() {
        let line = lines[i].trim();
        if let Some(item) = line.strip_prefix("* ") {
            let (numbers, text) = item.split_once(" - ").unwrap_or((item, ""));
            current.clear();
            for number in numbers.split(',').map(str::trim) {
                match number.parse::<u16>() {
                    Ok(code) => {
                        current.push(codes.len());
                        codes.push(StatusCode {
                            code,
                            description: text.trim().to_string(),
                            status: None,
                            range: range_note(text).unwrap_or_default(),
                            location: loc(i),
                        });
                    }
                    Err(_) => {
                        bad.push((loc(i), format!("expected a status code, found `{number}`")))
                    }
                }
            }
        } else if !line.is_empty()
            && lines[i].starts_with(char::is_whitespace)
            && !current.is_empty()
        {
            for &c in &current {
                codes[c].description.push(' ');
                codes[c].description.push_str(line);
            }
        } else if !line.is_empty() || (!codes.is_empty() && !next_is_bullet(lines, i)) {
            break;
        }
        i += 1;
    }
    ((codes, bad), i)
}

fn next_is_bullet(lines: &[&str], i: usize) -> bool {
    lines[i..].iter().find(|l| !l.trim().is_empty()).is_some_and(|l| l.trim().starts_with("* "))
}

/// A description for a code given only by number or by nova's fault name (`badRequest`).
pub fn describe(code: u16, name: &str) -> String {
    let reason = reason_phrase(code).unwrap_or("Undocumented reason");
    if name.is_empty() {
        reason.to_string()
    } else {
        format!("{reason} ({name})")
    }
}

/// The standard reason phrases of the codes OpenStack services answer with.
pub fn reason_phrase(code: u16) -> Option<&'static str> {
    Some(match code {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        410 => "Gone",
        412 => "Precondition Failed",
        413 => "Request Entity Too Large",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc() -> Location {
        Location::new("f.inc", 7)
    }

    #[test]
    fn labels_in_every_spelling() {
        assert_eq!(code_line("Normal response codes: 200, 207"), Some((true, " 200, 207")));
        assert_eq!(code_line("Normal Response Codes: 202"), Some((true, " 202")));
        assert_eq!(code_line("Normal response code: 204"), Some((true, " 204")));
        assert_eq!(
            code_line("Error response codes: badRequest(400)"),
            Some((false, " badRequest(400)"))
        );
        assert_eq!(code_line("Error codes:"), Some((false, "")));
        assert_eq!(code_line("Errors are rare"), None);
    }

    #[test]
    fn nova_names_become_descriptions() {
        let (codes, bad) = parse_inline("badRequest(400), unauthorized(401), 404", &loc());
        let got: Vec<_> = codes.iter().map(|c| (c.code, c.description.as_str())).collect();
        assert_eq!(
            got,
            [
                (400, "Bad Request (badRequest)"),
                (401, "Unauthorized (unauthorized)"),
                (404, "Not Found")
            ]
        );
        assert!(bad.is_empty());
    }

    #[test]
    fn upstream_variants_missing_comma_and_version_notes() {
        let (codes, bad) = parse_inline("forbidden(403) itemNotFound(404)", &loc());
        assert_eq!(codes.iter().map(|c| c.code).collect::<Vec<_>>(), [403, 404]);
        assert!(bad.is_empty());
        let (codes, _) =
            parse_inline("200 (microversions 2.0 - 2.100), 202 (microversion 2.101 - )", &loc());
        let got: Vec<_> = codes.iter().map(|c| (c.code, c.description.as_str())).collect();
        assert_eq!(
            got,
            [(200, "OK (microversions 2.0 - 2.100)"), (202, "Accepted (microversion 2.101 - )")]
        );
        let ranges: Vec<_> = codes.iter().map(|c| (c.range.min, c.range.max)).collect();
        let v = |minor| Some(stackspec_model::version::Microversion::new(2, minor));
        assert_eq!(ranges, [(v(0), v(100)), (v(101), None)], "each status keeps its range");
    }

    #[test]
    fn unreadable_codes_are_reported_not_dropped_silently() {
        let (codes, bad) = parse_inline("200, twohundred, 9999", &loc());
        assert_eq!(codes.len(), 1);
        assert_eq!(bad.len(), 2);
        assert_eq!(bad[0].1, "expected a status code, found `twohundred`");
    }
}
