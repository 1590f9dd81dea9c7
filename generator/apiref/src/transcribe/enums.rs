//! Allowed values that api-ref states only in prose: "A valid value is ``pending``,
//! ``processing``, or ``failure``." or a bullet list of ``values`` after "A valid value is:",
//! each perhaps "(since microversion ``2.51``)". Only explicit phrases count ("valid value(s)",
//! "possible values", "one of the following"); "Example formats are ..." does not.

use std::sync::LazyLock;

use regex::Regex;

use stackspec_model::version::{Microversion, VersionRange};

/// One allowed value and the microversions that have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    pub value: String,
    pub range: VersionRange,
}

static LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:valid values?\b[^.:]*?\b(?:is|are)\b|valid values?\s*:|possible values?\b[^.:]*?\b(?:is|are)\b|must be one of|is one of the following|one of the following \w+\s*:|can be one of)",
    )
    .expect("valid regex")
});
static LITERAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"``([^`]+)``").expect("valid regex"));
static SINCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\(\s*(?:since|new in)\s+microversion\s+`*(\d+\.\d+)`*\s*\)")
        .expect("valid regex")
});
static UNTIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\(\s*(?:until|up to|removed (?:in|after))\s+microversion\s+`*(\d+\.\d+)`*\s*\)",
    )
    .expect("valid regex")
});

/// A value's microversion stated in a clause of its own: "The type ``spice-direct`` was
/// added in Microversion ``2.99``" (the value, then at most a few words without another
/// literal or a sentence end, then the phrase).
static ADDED_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)``([^`]+)``[^`.;]{0,40}?\b(?:was|were|is|are)\s+(?:added|introduced|new)\s+",
        r"(?:in|since|with)\s+microversion\s+`*(\d+\.\d+)`*",
    ))
    .expect("valid regex")
});
/// In a bullet item, which names one value, any "added in microversion 2.15".
static ITEM_ADDED_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:added|introduced|new)\s+(?:in|since|with)\s+microversion\s+`*(\d+\.\d+)")
        .expect("valid regex")
});

/// The values a description allows, or `None` when it states none.
pub fn from_description(description: &str) -> Option<Vec<EnumValue>> {
    let lead = LEAD.find(description)?;
    let rest = &description[lead.end()..];
    let mut values = bullet_values(rest).or_else(|| sentence_values(rest))?;
    added_in_prose(description, &mut values);
    (!values.is_empty()).then_some(values)
}

/// Gives each value without a stated minimum the one a sentence of the description states
/// for it ("The type ``webmks`` was added in Microversion ``2.8``").
fn added_in_prose(description: &str, values: &mut [EnumValue]) {
    for c in ADDED_IN.captures_iter(description) {
        let Ok(version) = c[2].parse::<Microversion>() else { continue };
        let named = values.iter_mut().find(|v| v.value == c[1] && v.range.min.is_none());
        if let Some(value) = named {
            value.range.min = Some(version);
        }
    }
}

/// `- ``value`` (since microversion ``2.51``)` items directly after the lead; items may be
/// separated by blank lines and continued on indented lines.
fn bullet_values(rest: &str) -> Option<Vec<EnumValue>> {
    let lines: Vec<&str> = rest.lines().skip(1).collect();
    let start = lines.iter().position(|l| !l.trim().is_empty())?;
    if !is_bullet(lines[start]) {
        return None;
    }
    // Each item's text, continuation lines included: a note may be on any of them.
    let mut items: Vec<String> = Vec::new();
    for (n, line) in lines.iter().enumerate().skip(start) {
        if is_bullet(line) {
            let item = line.trim_start()[1..].trim();
            if !item.starts_with("``") {
                return None;
            }
            items.push(item.to_string());
        } else if line.trim().is_empty() {
            let next = lines[n + 1..].iter().find(|l| !l.trim().is_empty());
            if !next.is_some_and(|l| is_bullet(l) || l.starts_with("  ")) {
                break;
            }
        } else if !line.starts_with("  ") {
            break;
        } else if let Some(item) = items.last_mut() {
            item.push(' ');
            item.push_str(line.trim());
        }
    }
    items
        .iter()
        .map(|item| {
            let literal = LITERAL.captures(item)?;
            Some(EnumValue { value: literal[1].to_string(), range: range_note(item) })
        })
        .collect()
}

fn is_bullet(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("- ") || t.starts_with("* ")
}

/// The literals in the rest of the lead's sentence.
fn sentence_values(rest: &str) -> Option<Vec<EnumValue>> {
    let mut end = rest.len();
    for (i, _) in
        rest.match_indices(". ").chain(rest.match_indices(".\n")).chain(rest.match_indices("\n\n"))
    {
        let inside_literal = rest[..i].matches("``").count() % 2 == 1;
        if !inside_literal {
            end = end.min(i);
        }
    }
    let sentence = &rest[..end];
    let cleaned = SINCE.replace_all(sentence, "");
    let values: Vec<EnumValue> = LITERAL
        .captures_iter(&cleaned)
        .map(|c| EnumValue { value: c[1].to_string(), range: VersionRange::default() })
        .collect();
    Some(values)
}

fn range_note(item: &str) -> VersionRange {
    let read =
        |re: &Regex| -> Option<Microversion> { re.captures(item)?.get(1)?.as_str().parse().ok() };
    VersionRange { min: read(&SINCE).or_else(|| read(&ITEM_ADDED_IN)), max: read(&UNTIL) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(d: &str) -> Vec<String> {
        from_description(d).unwrap_or_default().into_iter().map(|v| v.value).collect()
    }

    #[test]
    fn inline_list_stops_at_the_sentence_end() {
        let d = "The event status. A valid value is ``failed``, ``completed``, or ``in-progress``.\nDefault is ``completed``.";
        assert_eq!(values(d), ["failed", "completed", "in-progress"]);
        let d = "A valid value for the sort direction is ``asc`` (ascending) or ``desc``. If omitted, ``desc``.";
        assert_eq!(values(d), ["asc", "desc"]);
        let d =
            "Sorts by one of the following attributes: ``name``,\n``size``.  Default is ``name``.";
        assert_eq!(values(d), ["name", "size"]);
    }

    #[test]
    fn bullets_keep_their_microversions() {
        let d = "The event name. A valid value is:\n\n- ``network-changed``\n- ``volume-extended`` (since microversion ``2.51``)\n\n";
        let got = from_description(d).unwrap();
        assert_eq!(
            got[0],
            EnumValue { value: "network-changed".into(), range: VersionRange::default() }
        );
        assert_eq!(got[1].range.min, Some(Microversion::new(2, 51)));
    }

    #[test]
    fn bullets_separated_by_blank_lines_with_continuations() {
        let d = "A valid value is:\n\n- ``AUTO``. The API builds\n  one partition.\n\n- ``MANUAL``. The API keeps\n  the scheme.\nin: body";
        assert_eq!(values(d), ["AUTO", "MANUAL"]);
    }

    #[test]
    fn a_sentence_saying_when_a_value_was_added_limits_that_value() {
        let d = "The type. The valid values are ``novnc``, ``spice-direct`` and ``webmks``.\nThe type ``webmks`` was added in Microversion ``2.8`` and the\ntype ``spice-direct`` was added in Microversion ``2.99``.";
        let got = from_description(d).unwrap();
        let min = |i: usize| got[i].range.min;
        assert_eq!(min(0), None);
        assert_eq!(min(1), Some(Microversion::new(2, 99)));
        assert_eq!(min(2), Some(Microversion::new(2, 8)));
    }

    #[test]
    fn a_bullet_continuation_saying_when_its_value_was_added_limits_it() {
        let d = "The policy. A valid value is:\n\n- ``affinity`` - same host.\n- ``soft-affinity`` - same host if possible. This policy was\n  added in microversion 2.15.\n\nin: body";
        let got = from_description(d).unwrap();
        assert_eq!(got[0].range.min, None);
        assert_eq!(got[1].range.min, Some(Microversion::new(2, 15)));
    }

    #[test]
    fn examples_and_plain_prose_are_not_enums() {
        assert!(from_description("Example formats are: ``ami``, ``ari``.").is_none());
        assert!(from_description("The name of the ``server``.").is_none());
        assert!(from_description("A valid value is a UUID.").is_none());
    }
}
