//! Microversion reasoning for the diff. A change is *microversion-gated* when every
//! microversion it affects is newer than anything OLD documents: that is how OpenStack
//! evolves APIs without breaking anyone (a required field that appears at a new microversion
//! breaks no client of the old ones), so such changes are downgraded to info.
//!
//! What a change affects is summarised by its lowest affected microversion, a [`Bound`].

use std::ops::Bound;

use serde_json::Value;

use stackspec_model::version::{Microversion, VersionRange};
use stackspec_model::view::EXTENSION;

/// The lowest microversion a change affects.
pub(crate) type Lowest = Bound<Microversion>;

/// How a range changed: the lowest microversion it lost and the lowest it gained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RangeChange {
    pub narrowed: Option<Lowest>,
    pub widened: Option<Lowest>,
}

/// Compares two inclusive ranges whose open ends mean "from the first" and "to the last".
pub(crate) fn compare(old: VersionRange, new: VersionRange) -> RangeChange {
    let from = |min: Option<Microversion>| min.map_or(Bound::Unbounded, Bound::Included);
    let after = |max: Option<Microversion>| max.map_or(Bound::Unbounded, Bound::Excluded);
    let starts_later = |a: Option<Microversion>, b: Option<Microversion>| match (a, b) {
        (Some(a), Some(b)) => a > b,
        (Some(_), None) => true,
        (None, _) => false,
    };
    let ends_earlier = |a: Option<Microversion>, b: Option<Microversion>| match (a, b) {
        (Some(a), Some(b)) => a < b,
        (Some(_), None) => true,
        (None, _) => false,
    };
    // A range that lost (or gained) at both ends is affected first at its bottom end.
    let first = |bottom: Option<Lowest>, top: Option<Lowest>| bottom.or(top);
    RangeChange {
        narrowed: first(
            starts_later(new.min, old.min).then(|| from(old.min)),
            ends_earlier(new.max, old.max).then(|| after(new.max)),
        ),
        widened: first(
            starts_later(old.min, new.min).then(|| from(new.min)),
            ends_earlier(old.max, new.max).then(|| after(old.max)),
        ),
    }
}

/// The lowest microversion of a range.
pub(crate) fn lowest(range: VersionRange) -> Lowest {
    range.min.map_or(Bound::Unbounded, Bound::Included)
}

/// The higher of two lowest bounds: a change inside an operation that starts at 2.50 cannot
/// affect 2.10 even if the change itself reaches that far down.
pub(crate) fn higher(a: Lowest, b: Lowest) -> Lowest {
    let key = |b: &Lowest| match *b {
        Bound::Unbounded => (None, 0),
        Bound::Included(v) => (Some(v), 0),
        Bound::Excluded(v) => (Some(v), 1),
    };
    if key(&a) >= key(&b) {
        a
    } else {
        b
    }
}

/// The part of `inner` that lies within `outer`.
pub(crate) fn within(outer: VersionRange, inner: VersionRange) -> VersionRange {
    let pick = |a: Option<Microversion>, b: Option<Microversion>, f: fn(_, _) -> _| match (a, b) {
        (Some(a), Some(b)) => Some(f(a, b)),
        (a, b) => a.or(b),
    };
    VersionRange {
        min: pick(outer.min, inner.min, Microversion::max),
        max: pick(outer.max, inner.max, Microversion::min),
    }
}

/// Whether every microversion from `lowest` on is newer than `latest`, the newest OLD knows.
pub(crate) fn is_gated(lowest: Lowest, latest: Option<Microversion>) -> bool {
    match lowest {
        Bound::Unbounded => false,
        Bound::Included(v) => latest.is_none_or(|l| v > l),
        Bound::Excluded(v) => latest.is_none_or(|l| v >= l),
    }
}

/// The newest microversion a document declares: its `info.version` when that is a
/// microversion (the service's maximum, which may be newer than any range the docs give),
/// or any `x-openstack` extension (ranges and per-enum-value ranges).
pub(crate) fn latest(document: &Value) -> Option<Microversion> {
    let declared = document.pointer("/info/version").and_then(Value::as_str);
    let mut newest = declared.and_then(|s| s.parse::<Microversion>().ok());
    visit(document, &mut |ext| {
        let ranges = ext.get("enum-versions").and_then(Value::as_object);
        let nested = ranges.into_iter().flat_map(|m| m.values());
        for range in std::iter::once(ext).chain(nested) {
            for key in ["min-ver", "max-ver"] {
                let found = range.get(key).and_then(Value::as_str);
                if let Some(v) = found.and_then(|s| s.parse::<Microversion>().ok()) {
                    newest = newest.max(Some(v));
                }
            }
        }
    });
    newest
}

fn visit(node: &Value, f: &mut impl FnMut(&Value)) {
    match node {
        Value::Object(map) => {
            if let Some(ext) = map.get(EXTENSION) {
                f(ext);
            }
            map.values().for_each(|v| visit(v, f));
        }
        Value::Array(items) => items.iter().for_each(|v| visit(v, f)),
        _ => {}
    }
}

/// A range as a reader says it: "2.10 to 2.50", "2.10 and later", "up to 2.50", "all".
pub(crate) fn describe(range: VersionRange) -> String {
    match (range.min, range.max) {
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("{min} and later"),
        (None, Some(max)) => format!("up to {max}"),
        (None, None) => "all microversions".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn range(min: Option<&str>, max: Option<&str>) -> VersionRange {
        VersionRange { min: min.map(|s| s.parse().unwrap()), max: max.map(|s| s.parse().unwrap()) }
    }

    fn v(s: &str) -> Microversion {
        s.parse().unwrap()
    }

    #[test]
    fn capping_an_open_range_narrows_after_the_new_maximum() {
        let change = compare(range(Some("2.10"), None), range(Some("2.10"), Some("2.50")));
        assert_eq!(change.narrowed, Some(Bound::Excluded(v("2.50"))));
        assert_eq!(change.widened, None);
        let back = compare(range(Some("2.10"), Some("2.50")), range(Some("2.10"), None));
        assert_eq!(back.widened, Some(Bound::Excluded(v("2.50"))));
    }

    #[test]
    fn raising_the_minimum_narrows_from_the_old_minimum_and_shifting_does_both() {
        let change = compare(range(None, None), range(Some("2.20"), None));
        assert_eq!(change.narrowed, Some(Bound::Unbounded));
        let shifted = compare(range(Some("2.1"), Some("2.5")), range(Some("2.3"), Some("2.9")));
        assert_eq!(shifted.narrowed, Some(Bound::Included(v("2.1"))));
        assert_eq!(shifted.widened, Some(Bound::Excluded(v("2.5"))));
        assert_eq!(compare(range(None, None), range(None, None)).narrowed, None);
    }

    #[test]
    fn gating_needs_every_affected_version_after_the_latest() {
        let latest = Some(v("2.95"));
        assert!(is_gated(Bound::Included(v("2.96")), latest));
        assert!(is_gated(Bound::Excluded(v("2.95")), latest));
        assert!(!is_gated(Bound::Included(v("2.95")), latest));
        assert!(!is_gated(Bound::Unbounded, latest));
        assert!(is_gated(Bound::Included(v("1.1")), None));
    }

    #[test]
    fn latest_reads_ranges_and_enum_versions_anywhere() {
        let doc = json!({"paths": {"/a": {"get": {"x-openstack": {"min-ver": "2.9"},
            "parameters": [{"schema": {"x-openstack": {"max-ver": "2.10",
                "enum-versions": {"x": {"min-ver": "2.12"}}}}}]}}}});
        assert_eq!(latest(&doc), Some(v("2.12")));
        assert_eq!(latest(&json!({})), None);
    }

    #[test]
    fn latest_reads_the_declared_version_beside_the_ranges() {
        let doc = json!({"info": {"version": "2.94"}, "paths": {"/a": {"get": {
            "x-openstack": {"min-ver": "2.91"}}}}});
        assert_eq!(latest(&doc), Some(v("2.94")));
        let newer_range = json!({"info": {"version": "2.1"}, "x-openstack": {"max-ver": "2.3"}});
        assert_eq!(latest(&newer_range), Some(v("2.3")));
        assert_eq!(latest(&json!({"info": {"version": "v2"}})), None);
    }

    #[test]
    fn within_keeps_the_tighter_ends_and_higher_prefers_excluded() {
        let r = within(range(Some("2.10"), None), range(None, Some("2.20")));
        assert_eq!(r, range(Some("2.10"), Some("2.20")));
        let a = Bound::Included(v("2.5"));
        let b = Bound::Excluded(v("2.5"));
        assert_eq!(higher(a, b), b);
        assert_eq!(higher(Bound::Unbounded, a), a);
    }
}
