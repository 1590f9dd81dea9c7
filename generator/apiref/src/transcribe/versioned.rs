//! Bodies whose top-level shape changes with the microversion: placement's `PUT
//! /resource_providers/{uuid}/aggregates` takes a bare array of aggregate ids up to 1.18 and
//! an object with `aggregates` and a generation from 1.19. One schema cannot say both, so the
//! samples are split by the JSON kind at their root, and each kind becomes a `oneOf` branch
//! limited to the microversions its samples document (their versions, and the range a
//! caption gives, `Request example (microversion 1.1 - 1.18)`).

use serde_json::Value;

use super::shape::Kind;
use crate::diagnostics::{Diagnostic, DiagnosticKind, Location};
use crate::reader::versions::range_note;
use stackspec_model::version::{Microversion, VersionRange};

/// A sample as far as splitting cares.
#[derive(Debug, Clone, Copy)]
pub struct Documented<'a> {
    pub value: &'a Value,
    /// The microversion it documents, if known.
    pub version: Option<Microversion>,
    pub caption: &'a str,
    pub location: &'a Location,
}

/// The samples of one top-level kind and the microversions they cover.
#[derive(Debug, Clone, PartialEq)]
pub struct Branch<'a> {
    pub kind: Kind,
    pub values: Vec<&'a Value>,
    pub range: VersionRange,
}

/// The samples split by top-level kind, when there is more than one kind (`null` aside).
/// Each branch's range runs from its first documented version to the last its captions
/// state, else to just before the next branch's first. Where versions are missing or the
/// kinds interleave, the branches stay unranged and a warning says so.
pub fn split_by_kind<'a>(
    samples: &[Documented<'a>],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<Branch<'a>>> {
    let mut groups: Vec<(Kind, Vec<&Documented<'a>>)> = Vec::new();
    for sample in samples.iter().filter(|s| !s.value.is_null()) {
        let kind = Kind::of(sample.value);
        match groups.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, members)) => members.push(sample),
            None => groups.push((kind, vec![sample])),
        }
    }
    if groups.len() < 2 {
        return None;
    }
    let first = |members: &[&Documented<'_>]| members.iter().filter_map(|s| s.version).min();
    groups.sort_by_key(|(_, members)| first(members));
    let mut branches: Vec<Branch<'a>> = groups
        .iter()
        .map(|(kind, members)| Branch {
            kind: *kind,
            values: members.iter().map(|s| s.value).collect(),
            range: VersionRange { min: first(members), max: stated_max(members) },
        })
        .collect();
    for i in 1..branches.len() {
        if branches[i - 1].range.max.is_none() {
            branches[i - 1].range.max = branches[i].range.min.and_then(previous);
        }
    }
    let versioned = samples.iter().all(|s| s.version.is_some());
    let disjoint = groups.iter().zip(&branches).all(|((_, members), branch)| {
        members.iter().all(|s| s.version.is_some_and(|v| branch.range.contains(v)))
    });
    if !(versioned && disjoint) {
        let at = samples[0].location.clone();
        let kinds: Vec<&str> = branches.iter().filter_map(|b| b.kind.openapi_type()).collect();
        let message = format!(
            "the samples' top-level kinds differ ({}) and their microversions do not tell them apart; one unranged `oneOf` branch per kind",
            kinds.join(", ")
        );
        diagnostics.push(Diagnostic::new(DiagnosticKind::Ambiguous, at, message));
        branches.iter_mut().for_each(|b| b.range = VersionRange::default());
    }
    Some(branches)
}

/// The newest upper bound the members' captions state, when each states one.
fn stated_max(members: &[&Documented<'_>]) -> Option<Microversion> {
    let maxima: Option<Vec<Microversion>> =
        members.iter().map(|s| range_note(s.caption)?.max).collect();
    maxima?.into_iter().max()
}

/// The microversion just before `v` (none before `N.0`).
pub(super) fn previous(v: Microversion) -> Option<Microversion> {
    v.minor.checked_sub(1).map(|minor| Microversion::new(v.major, minor))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn v(s: &str) -> Option<Microversion> {
        s.parse().ok()
    }

    #[test]
    fn one_kind_is_not_split() {
        let (a, b) = (json!({"a": 1}), json!({"a": 2}));
        let at = Location::new("x.inc", 1);
        let doc = |value| Documented { value, version: v("1.1"), caption: "", location: &at };
        assert_eq!(split_by_kind(&[doc(&a), doc(&b)], &mut Vec::new()), None);
    }

    #[test]
    fn kinds_split_into_ranges_from_versions_and_captions() {
        let (array, object) = (json!(["x"]), json!({"aggregates": ["x"]}));
        let at = Location::new("x.inc", 1);
        let samples = [
            Documented { value: &object, version: v("1.19"), caption: "(1.19 - )", location: &at },
            Documented { value: &array, version: v("1.1"), caption: "Example", location: &at },
        ];
        let mut diagnostics = Vec::new();
        let branches = split_by_kind(&samples, &mut diagnostics).unwrap();
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let got: Vec<(Kind, VersionRange)> = branches.iter().map(|b| (b.kind, b.range)).collect();
        assert_eq!(
            got,
            [
                (Kind::Array, VersionRange { min: v("1.1"), max: v("1.18") }),
                (Kind::Object, VersionRange { min: v("1.19"), max: None }),
            ]
        );
    }

    #[test]
    fn kinds_the_versions_do_not_separate_stay_unranged_with_a_warning() {
        let (array, object) = (json!(["x"]), json!({"a": 1}));
        let at = Location::new("x.inc", 4);
        let samples = [
            Documented { value: &array, version: v("1.1"), caption: "", location: &at },
            Documented { value: &object, version: v("1.5"), caption: "", location: &at },
            Documented { value: &array, version: v("1.9"), caption: "", location: &at },
        ];
        let mut diagnostics = Vec::new();
        let branches = split_by_kind(&samples, &mut diagnostics).unwrap();
        assert!(branches.iter().all(|b| b.range.is_unbounded()));
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].location, at);
        assert!(diagnostics[0].message.contains("(array, object)"), "{}", diagnostics[0].message);
    }
}
