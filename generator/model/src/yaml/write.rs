//! Writing documents as YAML that every reader reads alike.
//!
//! A plain scalar means what the reader's resolver says it means, and the resolvers differ:
//! YAML 1.1 readers (PyYAML, hence Schemathesis, openapi-spec-validator and most Python
//! tooling) read `2017-05-10T18:14:44` as a datetime, `11:11:11` as the base-60 integer
//! 40271, `yes`/`on` as booleans and `1_000` as 1000, where YAML 1.2 readers read strings.
//! So a string is written plain only when it cannot be read as anything but a string under
//! either version's rules; otherwise it is double-quoted (JSON's escapes, which YAML's
//! double-quoted style shares), or, when it spans lines, a literal block.
//!
//! The layout follows the common block style (two-space indentation, sequences at their
//! key's indentation), so that a document reads and diffs as it did before.

use std::fmt::Write as _;

use serde_json::Value;

/// `value` as a YAML document.
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => mapping(&mut out, map, 0, false),
        Value::Array(items) if !items.is_empty() => sequence(&mut out, items, 0),
        scalar => {
            out.push_str(&inline(scalar));
            out.push('\n');
        }
    }
    out
}

/// `after_dash`: the first key goes on the line of a sequence's `-` (already written),
/// the others aligned under it.
fn mapping(
    out: &mut String,
    map: &serde_json::Map<String, Value>,
    indent: usize,
    after_dash: bool,
) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 || !after_dash {
            pad(out, indent);
        }
        push_string(out, key);
        out.push(':');
        child(out, value, indent, false);
    }
}

fn sequence(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        pad(out, indent);
        out.push('-');
        child(out, item, indent, true);
    }
}

/// A value after `key:` or `-`, on the same line when it is a scalar or an empty
/// collection; a mapping inside a sequence starts on the dash's line.
fn child(out: &mut String, value: &Value, indent: usize, in_sequence: bool) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            if in_sequence {
                // `- key: value` with the other keys aligned under the first.
                out.push(' ');
                mapping(out, map, indent + 2, true);
            } else {
                out.push('\n');
                mapping(out, map, indent + 2, false);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            // Sequences under a key sit at the key's indentation, as most writers do.
            sequence(out, items, if in_sequence { indent + 2 } else { indent });
        }
        Value::String(text) if is_block(text) => {
            out.push(' ');
            literal_block(out, text, indent + 2);
        }
        Value::String(text) => {
            out.push(' ');
            push_string(out, text);
            out.push('\n');
        }
        scalar => {
            out.push(' ');
            out.push_str(&inline(scalar));
            out.push('\n');
        }
    }
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// A scalar or empty collection on one line.
fn inline(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
        Value::String(s) => string(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// A number as both versions read it: YAML 1.1 reads a float only with a dot and a signed
/// exponent (`1.0e+300`, not `1e300`, which it reads as a string).
fn number(n: &serde_json::Number) -> String {
    let text = n.to_string();
    let Some((mantissa, exponent)) = text.split_once('e') else { return text };
    let mantissa =
        if mantissa.contains('.') { mantissa.to_string() } else { format!("{mantissa}.0") };
    let exponent = if exponent.starts_with(['-', '+']) {
        exponent.to_string()
    } else {
        format!("+{exponent}")
    };
    format!("{mantissa}e{exponent}")
}

/// A string plain where that is safe under every resolver, else double-quoted.
fn string(text: &str) -> String {
    let mut out = String::new();
    push_string(&mut out, text);
    out
}

/// [`string`] appended to `out`, without a copy of a plain string.
fn push_string(out: &mut String, text: &str) {
    if is_plain_safe(text) {
        out.push_str(text);
    } else {
        out.push_str(&double_quoted(text));
    }
}

/// JSON's escapes plus the line breaks YAML 1.1 has beyond JSON's (NEL, LS, PS), which a
/// YAML reader would otherwise fold inside quotes.
fn double_quoted(text: &str) -> String {
    let json = serde_json::to_string(text).expect("a string serializes");
    json.replace('\u{85}', "\\u0085").replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029")
}

/// Whether `text` is best written as a literal block: it spans lines and holds nothing a
/// block cannot carry (carriage returns, other control characters, YAML 1.1 line breaks,
/// trailing spaces on a line, a first line that is empty or starts with a space: a block's
/// indentation is read off its first line).
fn is_block(text: &str) -> bool {
    text.contains('\n')
        && !text.starts_with([' ', '\t', '\n'])
        && !text.chars().any(|c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
        })
        && text.split('\n').all(|line| !line.ends_with([' ', '\t']))
}

/// `|`, `|-` or `|+` by the text's trailing newlines, then its lines indented.
fn literal_block(out: &mut String, text: &str, indent: usize) {
    let body = text.trim_end_matches('\n');
    let chomp = match text.len() - body.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let _ = writeln!(out, "|{chomp}");
    for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
        if !line.is_empty() {
            pad(out, indent);
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// Words YAML 1.1 resolves to booleans or null (any case), and 1.2's null `~`.
const SPECIAL_WORDS: [&str; 13] =
    ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "=", "<<", ""];

/// Whether `text` written plain is read back as this same string by YAML 1.1 and 1.2
/// readers alike. Conservative: anything starting with a digit, a sign or a dot could be a
/// number, date, time or base-60 value under one of them, so it is quoted.
fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else { return false };
    if SPECIAL_WORDS.iter().any(|w| text.eq_ignore_ascii_case(w)) {
        return false;
    }
    let starts_safely = first.is_alphabetic() || matches!(first, '_' | '/' | '(' | '$');
    starts_safely
        && !text.ends_with([' ', ':'])
        && !text.contains(": ")
        && !text.contains(" #")
        && !text
            .chars()
            .any(|c| c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Strings a YAML 1.1 or 1.2 reader would read as something else when plain.
    const AMBIGUOUS: [&str; 22] = [
        "2017-05-10T18:14:44",
        "2017-05-10",
        "2017-05-10 18:14:44.123Z",
        "11:11:11:11:11:11",
        "190:20:30",
        "yes",
        "On",
        "OFF",
        "y",
        "N",
        "~",
        "null",
        "1_000",
        "0o17",
        "0x1F",
        "+12",
        "-3",
        ".5",
        ".inf",
        "1e3",
        "2.104",
        "<<",
    ];

    #[test]
    fn strings_another_resolver_would_read_otherwise_are_quoted() {
        for text in AMBIGUOUS {
            let written = to_string(&json!({ "v": text }));
            assert_eq!(written, format!("v: \"{text}\"\n"), "{text}");
        }
    }

    #[test]
    fn ordinary_words_stay_plain() {
        let doc = json!({"name": "server_uuid", "description": "The UUID of the server, as `id`.", "path": "/v2/tasks/{task_id}"});
        let want = "name: server_uuid\ndescription: The UUID of the server, as `id`.\npath: /v2/tasks/{task_id}\n";
        assert_eq!(to_string(&doc), want);
    }

    #[test]
    fn layout_is_block_style_with_sequences_at_their_key() {
        let doc = json!({"a": {"b": [1, {"c": "d", "e": [true, null]}, []], "f": {}}, "g": 1.5, "h": 1e300});
        let want = "a:\n  b:\n  - 1\n  - c: d\n    e:\n    - true\n    - null\n  - []\n  f: {}\ng: 1.5\nh: 1.0e+300\n";
        assert_eq!(to_string(&doc), want);
    }

    #[test]
    fn multi_line_text_is_a_literal_block_with_its_trailing_newlines() {
        let doc = json!({"a": "one\n\n  two", "b": "x\n", "c": "y\n\n", "d": "trailing \nspace", "e": "\n  first"});
        let want = "a: |-\n  one\n\n    two\nb: |\n  x\nc: |+\n  y\n\nd: \"trailing \\nspace\"\ne: \"\\n  first\"\n";
        assert_eq!(to_string(&doc), want);
    }

    #[test]
    fn every_kind_of_value_reads_back_as_written() {
        let mut doc = json!({
            "keys: with colon": {"- dash": "#hash", "": "empty key"},
            "escapes": "tab\there \"quoted\" back\\slash \u{1} nel\u{85} ls\u{2028}",
            "unicode": "café ✓",
            "numbers": [0, -1, 2.5, 1e300, u64::MAX],
            "nested": [[1, [2]], [{"a": [{"b": "c"}]}]],
        });
        for (i, text) in AMBIGUOUS.iter().enumerate() {
            doc[format!("ambiguous{i}")] = json!(text);
        }
        let written = to_string(&doc);
        let read: Value = serde_norway::from_str(&written).unwrap();
        assert_eq!(read, doc, "{written}");
    }
}
