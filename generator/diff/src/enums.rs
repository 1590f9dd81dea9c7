//! Enums: values added or removed, the enum itself added or dropped, and per-value
//! microversion ranges (`x-openstack: {enum-versions: {value: {min-ver: "2.51"}}}`). A
//! request that loses a value rejects clients that send it; a response that gains one
//! surprises clients that switch over the values they know.

use serde_json::Value;

use super::direction::Differences;
use super::resolve::Node;
use super::rules;
use super::versions::{lowest, within};
use stackspec_model::version::VersionRange;
use stackspec_model::view::{range_of, EXTENSION};

pub(crate) fn compare(walk: &mut impl Differences, old: &Node, new: &Node, scope: VersionRange) {
    let (was, is) = (old.child("enum"), new.child("enum"));
    match (&was, &is) {
        (None, None) => {}
        (None, Some(is)) => {
            let rules = (&rules::REQUEST_ENUM_ADDED, &rules::RESPONSE_ENUM_ADDED);
            let message = format!("{}values restricted to {}", new.label(), is.value);
            walk.record(rules, &is.pointer, message, scope, lowest(scope));
        }
        (Some(was), None) => {
            let rules = (&rules::REQUEST_ENUM_REMOVED, &rules::RESPONSE_ENUM_REMOVED);
            let message = format!("{}values no longer restricted to {}", new.label(), was.value);
            walk.record(rules, &new.pointer, message, scope, lowest(scope));
        }
        (Some(_), Some(_)) => values(walk, old, new, scope),
    }
}

fn values(walk: &mut impl Differences, old: &Node, new: &Node, scope: VersionRange) {
    let (old_values, new_values) = (old.items("enum"), new.items("enum"));
    let find = |values: &[Node], v: &Value| values.iter().any(|n| n.value == v);
    for was in old_values.iter().filter(|v| !find(&new_values, v.value)) {
        let rules = (&rules::REQUEST_ENUM_VALUE_REMOVED, &rules::RESPONSE_ENUM_VALUE_REMOVED);
        let affected = lowest(within(scope, value_range(old, was.value)));
        let message = format!("{}enum value {} removed", new.label(), was.value);
        walk.record(rules, &was.pointer, message, scope, affected);
    }
    for is in &new_values {
        let range = value_range(new, is.value);
        if !find(&old_values, is.value) {
            let rules = (&rules::REQUEST_ENUM_VALUE_ADDED, &rules::RESPONSE_ENUM_VALUE_ADDED);
            let message = format!("{}enum value {} added", new.label(), is.value);
            walk.record(rules, &is.pointer, message, scope, lowest(within(scope, range)));
            continue;
        }
        let range_rules = walk.direction().pick(
            (
                &rules::REQUEST_ENUM_VALUE_VERSION_RANGE_NARROWED,
                &rules::REQUEST_ENUM_VALUE_VERSION_RANGE_WIDENED,
            ),
            (
                &rules::RESPONSE_ENUM_VALUE_VERSION_RANGE_NARROWED,
                &rules::RESPONSE_ENUM_VALUE_VERSION_RANGE_WIDENED,
            ),
        );
        let subject = format!("{}enum value {}", new.label(), is.value);
        let ranges = (value_range(old, is.value), range);
        walk.record_range(range_rules, &subject, &is.pointer, ranges, scope);
    }
}

/// The range `enum-versions` gives a value (unbounded when it gives none). Keys are the
/// values as strings; non-string values are looked up by their JSON text.
fn value_range(schema: &Node, value: &Value) -> VersionRange {
    let key = value.as_str().map_or_else(|| value.to_string(), str::to_string);
    let declared = schema
        .value
        .get(EXTENSION)
        .and_then(|e| e.get("enum-versions"))
        .and_then(|versions| versions.get(&key));
    declared.map_or_else(VersionRange::default, |range| {
        range_of(&serde_json::json!({ EXTENSION: range }))
    })
}
