//! Response codes in the three spellings os-api-ref documents use:
//! `Normal response codes: 200, 207`, `Error response codes: badRequest(400), ...`,
//! `Error codes:` followed by a bullet list (`* 401, 403 - text`, `- 400 (Invalid)`), and
//! `rest_status_code` lists (parsed in `rst`, described here by `StatusRef`).

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
        LazyLock::new(|| Regex::new(r"([A-Za-z]\w*)\s*\(([0-9]{3})\)").expect("valid regex"));
    static BARE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^([0-9]{3})\b\s*(.*)$").expect("valid regex"));
    // Codes the docs forgot the commas between (ironic's `400 403 404`).
    static RUN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[0-9]{3}(?:\s+[0-9]{3})+$").expect("valid regex"));
    let mut codes = Vec::new();
    let mut bad = Vec::new();
    let mut push = |code: &str, description: String| {
        let code: u16 = code.parse().expect("three digits");
        let range = range_note(&description).unwrap_or_default();
        let location = location.clone();
        codes.push(StatusCode { code, description, status: None, range, location });
    };
    for item in split_items(text) {
        if RUN.is_match(item) {
            for code in item.split_whitespace() {
                push(code, describe(code.parse().unwrap_or(0), ""));
            }
        } else if let Some(c) = BARE.captures(item) {
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

/// A bullet list item's text: the line after its marker (`*`, `-` or `+`, then a space).
pub fn bullet(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix(['*', '-', '+'])?;
    rest.strip_prefix([' ', '\t']).map(str::trim_start)
}

/// Parses a bullet list of codes starting at or after line `start`, in every form api-refs
/// write one: `* 401, 403 - text`, `- 400 (Invalid, NotFound)`, ``- ``409`` text``, the list
/// indented or not, items separated by blank lines or not. Lines indented deeper than the
/// list's bullets (wrapped text, nested lists) continue the item above. Returns the codes,
/// the items it could not read, and the index after the list.
pub fn parse_bullets(
    lines: &[&str],
    start: usize,
    loc: impl Fn(usize) -> Location,
) -> ((Vec<StatusCode>, Vec<BadCode>), usize) {
    let mut codes: Vec<StatusCode> = Vec::new();
    let mut bad = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut list_indent = None;
    let mut i = start;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            let next = lines[i..].iter().find(|l| !l.trim().is_empty());
            let goes_on = |indent| next.is_some_and(|l| continues(l, indent, !current.is_empty()));
            if list_indent.is_some_and(|indent| !goes_on(indent)) {
                break;
            }
            i += 1;
            continue;
        }
        let indent = indent_of(line);
        let list = *list_indent.get_or_insert(indent);
        match bullet(line) {
            Some(item) if indent == list => {
                current.clear();
                for code in item_codes(item, &loc(i)) {
                    match code {
                        Ok(code) => {
                            current.push(codes.len());
                            codes.push(code);
                        }
                        Err(b) => bad.push(b),
                    }
                }
            }
            _ if indent > list && !current.is_empty() => {
                for &c in &current {
                    codes[c].description.push(' ');
                    codes[c].description.push_str(line.trim());
                }
            }
            _ => break,
        }
        i += 1;
    }
    for code in &mut codes {
        code.range = range_note(&code.description).unwrap_or_default();
    }
    ((codes, bad), i)
}

/// Whether `line` continues a list whose bullets are at `indent`: another bullet, or text
/// indented deeper under an item.
fn continues(line: &str, indent: usize, in_item: bool) -> bool {
    let at = indent_of(line);
    (at == indent && bullet(line).is_some()) || (at > indent && in_item)
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The codes of one bullet item (`401, 403 - text`, ``400`` text`, `400 (Invalid)`), each
/// described by the item's text, or by its reason phrase when the item has none.
fn item_codes(item: &str, location: &Location) -> Vec<Result<StatusCode, BadCode>> {
    static CODES: LazyLock<Regex> = LazyLock::new(|| {
        let code = r"`{0,2}[0-9]{3}`{0,2}";
        Regex::new(&format!(r"^({code}(?:\s*,\s*{code})*)(?:\s+|$|[-:,.])(.*)$"))
            .expect("valid regex")
    });
    let Some(c) = CODES.captures(item) else {
        return vec![Err((location.clone(), format!("expected a status code, found `{item}`")))];
    };
    let text = c[2].trim().trim_start_matches(['-', ':', '\u{2013}', '\u{2014}']).trim();
    // `400 (Invalid, NotFound)`: the parentheses only set the text apart.
    let text = match text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        Some(inner) if !inner.contains(['(', ')']) => inner,
        _ => text,
    };
    c[1].split(',')
        .map(|code| {
            let code: u16 = code.trim().trim_matches('`').parse().expect("three digits");
            let description = if text.is_empty() { describe(code, "") } else { text.to_string() };
            let location = location.clone();
            Ok(StatusCode {
                code,
                description,
                status: None,
                range: VersionRange::default(),
                location,
            })
        })
        .collect()
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

    /// Found by the `rst` fuzz target: `* 20٢ OK` (an Arabic-Indic digit two) matched `\d`,
    /// which is any Unicode digit, and the reader panicked parsing it as a number. Codes are
    /// ASCII digits; anything else is a warning naming the line.
    #[test]
    fn a_code_written_with_non_ascii_digits_is_a_warning_not_a_panic() {
        let lines = ["* 20\u{662} OK for API version < 1.6", "* 201 - OK"];
        let ((codes, bad), _) = parse_bullets(&lines, 0, |_| loc());
        assert_eq!(codes.iter().map(|c| c.code).collect::<Vec<_>>(), [201]);
        assert_eq!(bad.len(), 1, "{bad:?}");
        assert!(bad[0].1.contains("expected a status code"), "{bad:?}");
        let (codes, bad) = parse_inline("\u{661}\u{662}\u{663}, 404", &loc());
        assert_eq!(codes.iter().map(|c| c.code).collect::<Vec<_>>(), [404]);
        assert_eq!(bad.len(), 1, "{bad:?}");
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
        let (codes, bad) = parse_inline("400 403 404", &loc());
        let got: Vec<_> = codes.iter().map(|c| (c.code, c.description.as_str())).collect();
        assert_eq!(got, [(400, "Bad Request"), (403, "Forbidden"), (404, "Not Found")]);
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

    fn bullets(text: &str) -> (Vec<(u16, String)>, Vec<String>, usize) {
        let lines: Vec<&str> = text.lines().collect();
        let ((codes, bad), end) = parse_bullets(&lines, 0, |n| Location::new("f.inc", n + 1));
        let codes = codes.into_iter().map(|c| (c.code, c.description)).collect();
        (codes, bad.into_iter().map(|b| b.1).collect(), end)
    }

    #[test]
    fn indented_dash_bullets_with_parenthesised_text_are_codes() {
        let (codes, bad, end) = bullets(
            "    - 400 (Invalid, InvalidStateRequested)\n    - 404 (NotFound)\n\nRequest\n",
        );
        let want = [(400, "Invalid, InvalidStateRequested"), (404, "NotFound")];
        assert_eq!(codes, want.map(|(c, d)| (c, d.to_string())));
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(end, 2, "the list ends at the blank line before the next paragraph");
    }

    #[test]
    fn literal_codes_with_wrapped_text_and_nested_lists_are_codes() {
        let text = "- ``400`` Malformed,\n  e.g. a missing field.\n\n- ``401`` Not authorized.\n\n\
                    - ``409`` One of:\n\n  - in use\n\n  - taken\n\nRequest\n-------\n";
        let (codes, bad, end) = bullets(text);
        let want = [
            (400, "Malformed, e.g. a missing field."),
            (401, "Not authorized."),
            (409, "One of: - in use - taken"),
        ];
        assert_eq!(codes, want.map(|(c, d)| (c, d.to_string())));
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(text.lines().nth(end + 1), Some("Request"), "ends at the blank line before it");
    }

    #[test]
    fn a_bullet_without_text_is_described_by_its_reason_phrase() {
        let (codes, _, _) = bullets("* 404\n* 409: dup\n");
        assert_eq!(codes, [(404, "Not Found".to_string()), (409, "dup".to_string())]);
    }

    #[test]
    fn a_bullet_that_is_not_a_code_is_reported() {
        let (codes, bad, _) = bullets("* 400 - bad\n* often - a 500\n");
        assert_eq!(codes.len(), 1);
        assert_eq!(bad, ["expected a status code, found `often - a 500`"]);
    }

    #[test]
    fn unreadable_codes_are_reported_not_dropped_silently() {
        let (codes, bad) = parse_inline("200, twohundred, 9999", &loc());
        assert_eq!(codes.len(), 1);
        assert_eq!(bad.len(), 2);
        assert_eq!(bad[0].1, "expected a status code, found `twohundred`");
    }
}
