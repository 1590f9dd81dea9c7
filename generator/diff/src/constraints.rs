//! Value constraints: numeric bounds, sizes (string length, item and property counts),
//! patterns, nullability, whether undocumented properties are allowed, formats, defaults and
//! `readOnly`/`writeOnly`. A tighter constraint rejects requests that used to pass; a looser
//! one lets responses carry what clients never saw.

use serde_json::Value;

use super::direction::{Differences, Direction};
use super::resolve::Node;
use super::rules::{self, Rule};
use super::versions::lowest;
use stackspec_model::version::VersionRange;

/// Which end of the allowed values a keyword limits.
#[derive(Clone, Copy)]
enum End {
    /// `minimum`, `minLength`: a larger value is tighter.
    Lower,
    /// `maximum`, `maxLength`: a smaller value is tighter.
    Upper,
    /// `exclusiveMinimum: true`: setting it is tighter.
    Flag,
}

type Twins = (&'static Rule, &'static Rule);

/// (tightened, loosened) request/response twins of a family of keywords.
const BOUNDS: (Twins, Twins) = (
    (&rules::REQUEST_BOUNDS_TIGHTENED, &rules::RESPONSE_BOUNDS_TIGHTENED),
    (&rules::REQUEST_BOUNDS_LOOSENED, &rules::RESPONSE_BOUNDS_LOOSENED),
);
const LENGTH: (Twins, Twins) = (
    (&rules::REQUEST_LENGTH_TIGHTENED, &rules::RESPONSE_LENGTH_TIGHTENED),
    (&rules::REQUEST_LENGTH_LOOSENED, &rules::RESPONSE_LENGTH_LOOSENED),
);

const LIMITS: &[(&str, End, (Twins, Twins))] = &[
    ("minimum", End::Lower, BOUNDS),
    ("maximum", End::Upper, BOUNDS),
    ("exclusiveMinimum", End::Flag, BOUNDS),
    ("exclusiveMaximum", End::Flag, BOUNDS),
    ("minLength", End::Lower, LENGTH),
    ("maxLength", End::Upper, LENGTH),
    ("minItems", End::Lower, LENGTH),
    ("maxItems", End::Upper, LENGTH),
    ("minProperties", End::Lower, LENGTH),
    ("maxProperties", End::Upper, LENGTH),
];

pub(crate) fn compare(walk: &mut impl Differences, old: &Node, new: &Node, scope: VersionRange) {
    for (keyword, end, (tightened, loosened)) in LIMITS {
        let (was, is) = (old.value.get(*keyword), new.value.get(*keyword));
        let Some(tighter) = is_tighter(*end, was, is) else {
            continue;
        };
        let rules = if tighter { *tightened } else { *loosened };
        let message = format!("{}`{keyword}` {} -> {}", new.label(), show(was), show(is));
        walk.record(rules, &new.pointer, message, scope, lowest(scope));
    }
    pattern(walk, old, new, scope);
    toggles(walk, old, new, scope);
    changed(walk, old, new, scope);
    access(walk, old, new, scope);
}

/// `Some(true)` when NEW's keyword is tighter, `Some(false)` when looser, `None` when equal.
fn is_tighter(end: End, was: Option<&Value>, is: Option<&Value>) -> Option<bool> {
    let number = |v: Option<&Value>| v.and_then(Value::as_f64);
    let (was, is) = match end {
        End::Flag => {
            let set = |v: Option<&Value>| v.and_then(Value::as_bool) == Some(true);
            return (set(was) != set(is)).then(|| set(is));
        }
        // Negating turns an upper limit into a lower one: larger is tighter for both.
        End::Lower => (number(was), number(is)),
        End::Upper => (number(was).map(|n| -n), number(is).map(|n| -n)),
    };
    match (was, is) {
        (None, None) => None,
        (None, Some(_)) => Some(true),
        (Some(_), None) => Some(false),
        (Some(a), Some(b)) => (a != b).then_some(b > a),
    }
}

fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "none".to_string(), Value::to_string)
}

fn pattern(walk: &mut impl Differences, old: &Node, new: &Node, scope: VersionRange) {
    let (rules, message) = match (old.str("pattern"), new.str("pattern")) {
        (None, Some(p)) => (
            (&rules::REQUEST_PATTERN_ADDED, &rules::RESPONSE_PATTERN_ADDED),
            format!("{}pattern `{p}` added", new.label()),
        ),
        (Some(p), None) => (
            (&rules::REQUEST_PATTERN_REMOVED, &rules::RESPONSE_PATTERN_REMOVED),
            format!("{}pattern `{p}` removed", new.label()),
        ),
        (Some(a), Some(b)) if a != b => (
            (&rules::REQUEST_PATTERN_CHANGED, &rules::RESPONSE_PATTERN_CHANGED),
            format!("{}pattern `{a}` -> `{b}`", new.label()),
        ),
        _ => return,
    };
    walk.record(rules, &new.pointer, message, scope, lowest(scope));
}

/// A yes/no trait of a schema and the (became true, became false) twins of its change.
struct Toggle {
    holds: fn(&Node) -> bool,
    rules: (Twins, Twins),
    says: (&'static str, &'static str),
}

const TOGGLES: &[Toggle] = &[
    Toggle {
        holds: |n| n.flag("nullable"),
        rules: (
            (&rules::REQUEST_NULLABLE_ADDED, &rules::RESPONSE_NULLABLE_ADDED),
            (&rules::REQUEST_NULLABLE_REMOVED, &rules::RESPONSE_NULLABLE_REMOVED),
        ),
        says: ("now nullable", "no longer nullable"),
    },
    // Only `additionalProperties: false` forbids undocumented properties; absent, `true` and
    // a schema all allow them (a schema's own changes are compared by the schema walk).
    Toggle {
        holds: |n| n.value.get("additionalProperties") != Some(&Value::Bool(false)),
        rules: (
            (
                &rules::REQUEST_ADDITIONAL_PROPERTIES_ALLOWED,
                &rules::RESPONSE_ADDITIONAL_PROPERTIES_ALLOWED,
            ),
            (
                &rules::REQUEST_ADDITIONAL_PROPERTIES_DISALLOWED,
                &rules::RESPONSE_ADDITIONAL_PROPERTIES_DISALLOWED,
            ),
        ),
        says: ("undocumented properties now allowed", "undocumented properties now rejected"),
    },
];

fn toggles(walk: &mut impl Differences, old: &Node, new: &Node, scope: VersionRange) {
    for toggle in TOGGLES {
        let now = (toggle.holds)(new);
        if (toggle.holds)(old) == now {
            continue;
        }
        let (rules, says) = match now {
            true => (toggle.rules.0, toggle.says.0),
            false => (toggle.rules.1, toggle.says.1),
        };
        let message = format!("{}{says}", new.label());
        walk.record(rules, &new.pointer, message, scope, lowest(scope));
    }
}

/// Keywords whose any change is reported, with their (request, response) rules; `default`
/// means nothing in a response.
const CHANGED: &[(&str, Option<&Rule>, Option<&Rule>)] = &[
    ("format", Some(&rules::REQUEST_FORMAT_CHANGED), Some(&rules::RESPONSE_FORMAT_CHANGED)),
    ("default", Some(&rules::REQUEST_DEFAULT_CHANGED), None),
];

fn changed(walk: &mut impl Differences, old: &Node, new: &Node, scope: VersionRange) {
    for (keyword, request, response) in CHANGED {
        let (was, is) = (old.value.get(*keyword), new.value.get(*keyword));
        let Some(rule) = walk.direction().pick(*request, *response) else {
            continue;
        };
        if was != is {
            let message = format!("{}`{keyword}` {} -> {}", new.label(), show(was), show(is));
            walk.record((rule, rule), &new.pointer, message, scope, lowest(scope));
        }
    }
}

/// `readOnly` and `writeOnly`, each with the direction it restricts and its (set, unset)
/// rules: a read-only value is not accepted in requests, a write-only one not returned in
/// responses. Each means nothing in the other direction.
const ACCESS: &[(&str, Direction, Twins)] = &[
    (
        "readOnly",
        Direction::Request,
        (&rules::REQUEST_READ_ONLY_ADDED, &rules::REQUEST_READ_ONLY_REMOVED),
    ),
    (
        "writeOnly",
        Direction::Response,
        (&rules::RESPONSE_WRITE_ONLY_ADDED, &rules::RESPONSE_WRITE_ONLY_REMOVED),
    ),
];

fn access(walk: &mut impl Differences, old: &Node, new: &Node, scope: VersionRange) {
    for (keyword, restricts, (set, unset)) in ACCESS {
        let now = new.flag(keyword);
        if walk.direction() != *restricts || old.flag(keyword) == now {
            continue;
        }
        let (rule, says) = match now {
            true => (*set, "now"),
            false => (*unset, "no longer"),
        };
        let message = format!("{}{says} `{keyword}`", new.label());
        walk.record((rule, rule), &new.pointer, message, scope, lowest(scope));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn larger_minimum_and_smaller_maximum_are_tighter() {
        let (two, five) = (json!(2), json!(5));
        assert_eq!(is_tighter(End::Lower, Some(&two), Some(&five)), Some(true));
        assert_eq!(is_tighter(End::Upper, Some(&two), Some(&five)), Some(false));
        assert_eq!(is_tighter(End::Upper, None, Some(&five)), Some(true));
        assert_eq!(is_tighter(End::Lower, Some(&two), None), Some(false));
        assert_eq!(is_tighter(End::Lower, Some(&two), Some(&two)), None);
        assert_eq!(is_tighter(End::Flag, None, Some(&json!(true))), Some(true));
        assert_eq!(is_tighter(End::Flag, None, Some(&json!(false))), None);
    }
}
