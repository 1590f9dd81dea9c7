//! Allowed values that api-ref states only in prose. A description gives an enum only when a
//! lead phrase is followed by nothing but a list of ``literals``:
//!
//! - explicit leads: "A valid value is", "Valid values are:", "Valid support status values
//!   are", "The valid types are:", "Possible values are",
//!   "List of possible values:", "Allowed values are", "must be one of", "This can be one of:",
//!   "one of the following attributes:", "the only values that can be returned are";
//! - plain leads, trusted only when the sentence before them names no other ``literal`` and
//!   states no condition ("if", "when", ...): "The value can be", "could be", "either",
//!   "One of", "Value is"; these need two values at least.
//!
//! The list is either the rest of the sentence (``a``, ``b`` (a note), or ``c``), or a bullet
//! list after a lead that ends its line (`- ``a``: meaning`). A sentence that mentions
//! literals in any other way ("e.g., ``x`` or ``y``", "such as ``x``") is no enum, and so is a
//! description that gives two different lists (one per microversion, say): a false enum makes
//! conformance fail real servers, so when unsure, no enum. A list of media types
//! (``application/json``) is no enum either: a `Content-Type` carries parameters. "``Group14`` to ``Group31``" is
//! expanded when both ends are one prefix and increasing numbers; any other range makes the
//! whole description no enum, with a warning. A literal broken after a hyphen ("``AH-
//! ESP``", a wrapped line) is joined again. Per-value microversions: "(since microversion
//! ``2.51``)", "(supported starting with API v2.13)", "added in microversion 2.15" in a bullet,
//! and "The type ``webmks`` was added in Microversion ``2.8``" anywhere in the description.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{json, Map, Value};

use crate::diagnostics::{Diagnostic, DiagnosticKind};
use crate::reader::{ApiRef, ParamDef, ParamType};
use stackspec_model::version::{Microversion, VersionRange};
use stackspec_model::view::{set_range, EXTENSION};

/// One allowed value and the microversions that have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    pub value: String,
    pub range: VersionRange,
}

/// Why a description that lists values gives no enum, worth a warning.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotAnEnum {
    #[error(
        "the values ``{from}`` to ``{to}`` are not one prefix with increasing numbers (at most {MAX_RANGE} values): no enum"
    )]
    Range { from: String, to: String },
}

/// The most values a range like "``Group14`` to ``Group31``" may expand to.
pub const MAX_RANGE: u32 = 64;

/// Explicit leads: whatever list follows them is the set of allowed values.
static STRONG_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:valid\s+values?\b[^.:`]*?\b(?:is|are)\b(?:\s+one\s+of\s+these\s+values)?",
        r"|valid\s+values?\s*:",
        r"|valid\s+(?:\w+\s+){1,3}values?\s+(?:is|are)\b",
        r"|valid\s+types?\s+(?:is|are)\b",
        r"|possible\s+values?\b[^.:`]*?\b(?:is|are)\b",
        r"|(?:list\s+of\s+)?possible\s+values?\s*:",
        r"|(?:allowed|accepted|supported)\s+values?\s+(?:is|are)\b",
        r"|(?:allowed|accepted|supported)\s+values?\s*:",
        r"|must\s+be\s+one\s+of",
        r"|(?:is|are)\s+one\s+of\s+the\s+following(?:\s+\w+)?\s*:?",
        r"|one\s+of\s+the\s+following\s+\w+\s*:",
        r"|can\s+be\s+one\s+of",
        r"|the\s+only\s+values\s+that\s+can\s+be\s+returned\s+are)",
    ))
    .expect("valid regex")
});
/// Plain leads: ordinary words, so the sentence around them is checked too.
static WEAK_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:can|could)\s+be|(?:is\s+)?either|one\s+of|value\s+is)\b")
        .expect("valid regex")
});
/// Words before a lead, in its sentence, that make the list an illustration or a condition.
static HEDGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:examples?|e\.g|such\s+as|for\s+instance|like)\b").expect("valid regex")
});
/// Words saying that values beside a list are allowed too: the list is not closed.
static OTHERS_VALID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:is|are)\s+also\s+(?:valid|allowed|accepted|supported)\b")
        .expect("valid regex")
});
static CONDITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:if|when|unless|whether|while|after|before)\b").expect("valid regex")
});
/// A media type: lists of them describe a `Content-Type`, whose values carry parameters
/// (`; charset=utf-8`), so they are no enum.
static MEDIA_TYPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\w.+-]+/[\w.+-]+$").expect("valid regex"));
static LITERAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"``([^`]+)``").expect("valid regex"));
static SINCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:since|new\s+in|supported\s+starting\s+with)\s+",
        r"(?:(?:api\s+)?microversion|api)?\s*v?`*([0-9]+\.[0-9]+)`*",
    ))
    .expect("valid regex")
});
static UNTIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:until|up\s+to|removed\s+(?:in|after))\s+microversion\s+`*([0-9]+\.[0-9]+)`*",
    )
    .expect("valid regex")
});

/// A value's microversion stated in a clause of its own: "The type ``spice-direct`` was
/// added in Microversion ``2.99``" (the value, then at most a few words without another
/// literal or a sentence end, then the phrase).
static ADDED_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)``([^`]+)``[^`.;]{0,40}?\b(?:was|were|is|are)\s+(?:added|introduced|new)\s+",
        r"(?:in|since|with)\s+microversion\s+`*([0-9]+\.[0-9]+)`*",
    ))
    .expect("valid regex")
});
/// In a bullet item, which names one value, any "added in microversion 2.15".
static ITEM_ADDED_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:added|introduced|new)\s+(?:in|since|with)\s+microversion\s+`*([0-9]+\.[0-9]+)",
    )
    .expect("valid regex")
});

/// Whether a definition of type `ty` may carry a prose enum (strings, and untyped ones).
fn may_have_enum(ty: Option<ParamType>) -> bool {
    matches!(ty, Some(ParamType::String | ParamType::Enum) | None)
}

/// Adds to `schema` the enum `def`'s description states, if any: a ``null`` among the values
/// is JSON `null` and makes the schema nullable; per-value microversions go to
/// `x-openstack.enum-versions`.
pub fn add_prose_enum(schema: &mut Map<String, Value>, def: &ParamDef) {
    if !may_have_enum(def.ty) {
        return;
    }
    let Some(values) = from_description(&def.description) else {
        return;
    };
    schema.insert("type".into(), json!("string"));
    let json_value = |v: &EnumValue| if v.value == "null" { Value::Null } else { json!(v.value) };
    schema.insert("enum".into(), values.iter().map(json_value).collect());
    if values.iter().any(|v| v.value == "null") {
        schema.insert("nullable".into(), json!(true));
    }
    let versioned: Map<String, Value> = values
        .iter()
        .filter(|v| !v.range.is_unbounded())
        .map(|v| {
            let mut range = Map::new();
            set_range(&mut range, v.range);
            (v.value.clone(), range.remove(EXTENSION).unwrap_or_default())
        })
        .collect();
    if !versioned.is_empty() {
        let ext = schema.entry(EXTENSION).or_insert_with(|| json!({}));
        ext["enum-versions"] = Value::Object(versioned);
    }
}

/// A warning for each definition whose description lists values that could not be read as
/// an enum (an unexpandable range), naming where the definition is.
pub fn warnings(api: &ApiRef) -> Vec<Diagnostic> {
    let defs = api.parameter_files.values().flat_map(|f| f.defs.values());
    defs.filter(|def| may_have_enum(def.ty))
        .filter_map(|def| {
            let problem = read(&def.description).err()?;
            let message = format!("`{}`: {problem}", def.key);
            Some(Diagnostic::new(DiagnosticKind::Ignored, def.defined_at.clone(), message))
        })
        .collect()
}

/// The values a description allows, or `None` when it states none (or nothing certain).
pub fn from_description(description: &str) -> Option<Vec<EnumValue>> {
    read(description).ok().flatten()
}

/// The values a description allows: `Ok(None)` when it states none or is ambiguous, or
/// says that other values are valid too (neutron's protocols: "any integer value between
/// [0-255] is also valid").
pub fn read(description: &str) -> Result<Option<Vec<EnumValue>>, NotAnEnum> {
    if OTHERS_VALID.is_match(description) {
        return Ok(None);
    }
    let mut lists: Vec<Vec<EnumValue>> = Vec::new();
    for (lead, strong) in leads(description) {
        let rest = &description[lead..];
        let Some(mut values) = bullet_values(rest).or(sentence_values(rest)?) else { continue };
        if (!strong && values.len() < 2) || values.iter().any(|v| MEDIA_TYPE.is_match(&v.value)) {
            continue;
        }
        added_in_prose(description, &mut values);
        if !lists.contains(&values) {
            lists.push(values);
        }
    }
    Ok(match <[_; 1]>::try_from(lists) {
        Ok([values]) => Some(values),
        Err(_) => None,
    })
}

/// Where each trusted lead ends, and whether it is an explicit one; leads in a sentence
/// that gives an example are skipped, and plain leads after a condition or another literal.
fn leads(description: &str) -> Vec<(usize, bool)> {
    let strong = STRONG_LEAD.find_iter(description).map(|m| (m, true));
    let taken: Vec<_> = STRONG_LEAD.find_iter(description).map(|m| m.range()).collect();
    let weak = WEAK_LEAD
        .find_iter(description)
        .filter(|m| !taken.iter().any(|t| t.start <= m.start() && m.start() < t.end))
        .map(|m| (m, false));
    let mut found: Vec<(usize, bool)> = strong
        .chain(weak)
        .filter(|(m, strong)| {
            let before = sentence_before(description, m.start());
            !HEDGE.is_match(before)
                && (*strong || !(before.contains("``") || CONDITION.is_match(before)))
        })
        .map(|(m, strong)| (m.end(), strong))
        .collect();
    found.sort_unstable();
    found
}

/// The part of the sentence that ends at `at`.
fn sentence_before(text: &str, at: usize) -> &str {
    let head = &text[..at];
    let start = [". ", ".\n", "\n\n"]
        .iter()
        .filter_map(|end| head.rfind(end).map(|i| i + end.len()))
        .max()
        .unwrap_or(0);
    &head[start..]
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

/// `- ``value`` (since microversion ``2.51``)` items on the lines after a lead that ends its
/// line; items may be separated by blank lines and continued on indented lines.
fn bullet_values(rest: &str) -> Option<Vec<EnumValue>> {
    let (lead_line, after) = rest.split_once('\n')?;
    if !lead_line.trim().trim_start_matches(':').is_empty() {
        return None;
    }
    let lines: Vec<&str> = after.lines().collect();
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
            Some(EnumValue { value: joined(&literal[1]), range: range_note(item) })
        })
        .collect()
}

fn is_bullet(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("- ") || t.starts_with("* ")
}

/// The rest of the lead's sentence read as a list of literals (`Ok(None)`: it is not one).
fn sentence_values(rest: &str) -> Result<Option<Vec<EnumValue>>, NotAnEnum> {
    let mut end = rest.len();
    for (i, _) in
        rest.match_indices(". ").chain(rest.match_indices(".\n")).chain(rest.match_indices("\n\n"))
    {
        let inside_literal = rest[..i].matches("``").count() % 2 == 1;
        if !inside_literal {
            end = end.min(i);
        }
    }
    let Some(items) = list_items(&rest[..end]) else { return Ok(None) };
    let mut values = Vec::new();
    let mut items = items.into_iter();
    while let Some(item) = items.next() {
        match item {
            Item::Value(value, range) => values.push(EnumValue { value, range }),
            Item::RangeTo => {
                let (Some(from), Some(Item::Value(to, _))) = (values.pop(), items.next()) else {
                    return Ok(None);
                };
                values.extend(expand(&from.value, &to)?);
            }
        }
    }
    Ok(Some(values))
}

/// One element of a list sentence: a value (with the range its parenthetical note states)
/// or the word between the two ends of a range.
enum Item {
    Value(String, VersionRange),
    RangeTo,
}

/// `text` as ``a`` (note), ``b`` or ``c`` to ``d``: literals with optional parenthetical
/// notes, separated by commas, "or", "and", "to"; `None` if anything else is in it.
fn list_items(text: &str) -> Option<Vec<Item>> {
    let mut rest = text.trim_start_matches(|c: char| c == ':' || c.is_whitespace());
    let mut items = Vec::new();
    loop {
        let after = rest.strip_prefix("``")?;
        let close = after.find("``")?;
        let literal = joined(&after[..close]);
        rest = after[close + 2..].trim_start();
        let mut range = VersionRange::default();
        if let Some(note) = rest.strip_prefix('(') {
            let close = note.find(')')?;
            range = range_note(&note[..close]);
            rest = note[close + 1..].trim_start();
        }
        items.push(Item::Value(literal, range));
        if rest.trim_end_matches(['.', ';', ':']).trim().is_empty() {
            return Some(items);
        }
        let comma = rest.strip_prefix(',');
        rest = comma.unwrap_or(rest).trim_start();
        let (token, tail) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let word =
            ["or", "and", "to", "through"].into_iter().find(|w| token.eq_ignore_ascii_case(w));
        match word {
            Some(w) => {
                if matches!(w, "to" | "through") {
                    items.push(Item::RangeTo);
                }
                rest = tail.trim_start();
            }
            None if comma.is_none() => return None,
            None => {}
        }
    }
}

/// A literal's text with a line break after a hyphen undone and other breaks made spaces.
fn joined(literal: &str) -> String {
    let words: Vec<&str> = literal.split_whitespace().collect();
    let mut out = String::new();
    for word in words {
        if !(out.is_empty() || out.ends_with('-')) {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// ``Group14`` to ``Group31``: both ends one prefix and a number, the first the smaller.
fn expand(from: &str, to: &str) -> Result<Vec<EnumValue>, NotAnEnum> {
    let split = |s: &str| {
        let digits = s.len() - s.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let (prefix, number) = s.split_at(s.len() - digits);
        Some((prefix.to_string(), number.parse::<u32>().ok()?))
    };
    let refused = || NotAnEnum::Range { from: from.to_string(), to: to.to_string() };
    let ((prefix, first), (to_prefix, last)) = split(from).zip(split(to)).ok_or_else(refused)?;
    if prefix != to_prefix || first >= last || last - first >= MAX_RANGE {
        return Err(refused());
    }
    let value =
        |n: u32| EnumValue { value: format!("{prefix}{n}"), range: VersionRange::default() };
    Ok((first..=last).map(value).collect())
}

fn range_note(item: &str) -> VersionRange {
    let read =
        |re: &Regex| -> Option<Microversion> { re.captures(item)?.get(1)?.as_str().parse().ok() };
    VersionRange { min: read(&SINCE).or_else(|| read(&ITEM_ADDED_IN)), max: read(&UNTIL) }
}

#[cfg(test)]
mod tests;
