//! One hand-written fixture pair per rule family under `tests/fixtures/diff/`: each pair is
//! diffed both ways, the checks that fire are pinned here (ids and severities, so that a
//! reviewer sees what swapping OLD and NEW does) and the full reports are snapshotted.

use std::collections::BTreeSet;
use std::path::PathBuf;

use stackspec_diff::{self as diff, report, rules, Report, Severity};
use stackspec_model::Spec;

use Severity::{Breaking as B, Info as I, Warning as W};

type Expected = &'static [(&'static str, Severity)];

/// (fixture, checks OLD -> NEW, checks NEW -> OLD), each sorted by id.
const FIXTURES: &[(&str, Expected, Expected)] = &[
    ("path-added", &[("path-added", I)], &[("path-removed", B)]),
    ("operation-added", &[("operation-added", I)], &[("operation-removed", B)]),
    (
        "operation-version-range-narrowed",
        &[("operation-version-range-narrowed", B)],
        &[("operation-version-range-widened", I)],
    ),
    (
        "request-body-made-required",
        &[("request-body-made-required", B)],
        &[("request-body-made-optional", I)],
    ),
    ("request-body-added", &[("request-body-added", I)], &[("request-body-removed", B)]),
    (
        "media-type-added",
        &[("request-media-type-added", I), ("response-media-type-added", W)],
        &[("request-media-type-removed", B), ("response-media-type-removed", B)],
    ),
    (
        "status-added",
        &[("error-status-added", I), ("success-status-added", W)],
        &[("error-status-removed", I), ("success-status-removed", B)],
    ),
    (
        "parameter-added",
        &[("optional-parameter-added", I), ("required-parameter-added", B)],
        &[("parameter-removed", B), ("parameter-removed", B)],
    ),
    (
        "parameter-made-required",
        &[("parameter-made-required", B)],
        &[("parameter-made-optional", I)],
    ),
    (
        "parameter-version-range-narrowed",
        &[("parameter-version-range-narrowed", B), ("parameter-version-range-narrowed", B)],
        &[("parameter-version-range-widened", I), ("required-parameter-version-range-widened", B)],
    ),
    (
        "property-added",
        &[("request-property-added", I), ("response-property-added", I)],
        &[("request-property-removed", B), ("response-property-removed", B)],
    ),
    (
        "required-property-added",
        &[("request-required-property-added", B)],
        &[("request-property-removed", B)],
    ),
    (
        "property-made-required",
        &[("request-property-made-required", B), ("response-property-made-required", I)],
        &[("request-property-made-optional", I), ("response-property-made-optional", B)],
    ),
    (
        "property-version-range-narrowed",
        &[
            ("request-property-version-range-narrowed", B),
            ("request-property-version-range-narrowed", B),
            ("response-property-version-range-narrowed", B),
        ],
        &[
            ("request-property-version-range-widened", I),
            ("request-required-property-version-range-widened", B),
            ("response-property-version-range-widened", I),
        ],
    ),
    (
        "type-changed",
        &[("request-type-changed", B), ("response-type-changed", B)],
        &[("request-type-changed", B), ("response-type-changed", B)],
    ),
    // integer -> number in the request (whose maximum also drops, still compared), number ->
    // integer in the response; back, each narrows what a client relied on.
    (
        "type-generalized",
        &[
            ("request-bounds-tightened", B),
            ("request-type-generalized", I),
            ("response-type-specialized", I),
        ],
        &[
            ("request-bounds-loosened", I),
            ("request-type-changed", B),
            ("response-type-changed", B),
        ],
    ),
    (
        "nullable-added",
        &[("request-nullable-added", I), ("response-nullable-added", B)],
        &[("request-nullable-removed", B), ("response-nullable-removed", I)],
    ),
    (
        "enum-value-added",
        &[("request-enum-value-added", I), ("response-enum-value-added", B)],
        &[("request-enum-value-removed", B), ("response-enum-value-removed", I)],
    ),
    (
        "enum-added",
        &[("request-enum-added", B), ("response-enum-added", I)],
        &[("request-enum-removed", I), ("response-enum-removed", B)],
    ),
    (
        "enum-value-version-range-narrowed",
        &[
            ("request-enum-value-version-range-narrowed", B),
            ("response-enum-value-version-range-narrowed", I),
        ],
        &[
            ("request-enum-value-version-range-widened", I),
            ("response-enum-value-version-range-widened", B),
        ],
    ),
    (
        "bounds-tightened",
        &[
            ("request-bounds-tightened", B),
            ("request-bounds-tightened", B),
            ("response-bounds-tightened", I),
        ],
        &[
            ("request-bounds-loosened", I),
            ("request-bounds-loosened", I),
            ("response-bounds-loosened", W),
        ],
    ),
    (
        "length-tightened",
        &[
            ("request-length-tightened", B),
            ("request-length-tightened", B),
            ("response-length-tightened", I),
        ],
        &[
            ("request-length-loosened", I),
            ("request-length-loosened", I),
            ("response-length-loosened", W),
        ],
    ),
    (
        "pattern-added",
        &[("request-pattern-added", B), ("response-pattern-added", I)],
        &[("request-pattern-removed", I), ("response-pattern-removed", W)],
    ),
    (
        "pattern-changed",
        &[("request-pattern-changed", W), ("response-pattern-changed", W)],
        &[("request-pattern-changed", W), ("response-pattern-changed", W)],
    ),
    (
        "additional-properties-disallowed",
        &[
            ("request-additional-properties-disallowed", B),
            ("response-additional-properties-disallowed", I),
        ],
        &[
            ("request-additional-properties-allowed", I),
            ("response-additional-properties-allowed", W),
        ],
    ),
    (
        "one-of-branch-added",
        &[("request-one-of-branch-added", I), ("response-one-of-branch-added", B)],
        &[("request-one-of-branch-removed", B), ("response-one-of-branch-removed", I)],
    ),
    (
        "one-of-branch-version-range-narrowed",
        &[
            ("request-one-of-branch-version-range-narrowed", B),
            ("response-one-of-branch-version-range-narrowed", I),
        ],
        &[
            ("request-one-of-branch-version-range-widened", I),
            ("response-one-of-branch-version-range-widened", B),
        ],
    ),
    // Only `key_name` (from 2.90, which OLD has) breaks; what starts after OLD's newest
    // microversion, 2.95, is info (a 202 answered from 2.96 on too). Removing them again
    // breaks 2.96 clients.
    (
        "microversion-gated",
        &[
            ("operation-version-range-widened", I),
            ("request-required-property-added", I),
            ("request-required-property-added", B),
            ("response-enum-value-added", I),
            ("response-property-version-range-narrowed", I),
            ("success-status-added", I),
        ],
        &[
            ("operation-version-range-narrowed", B),
            ("request-property-removed", B),
            ("request-property-removed", B),
            ("response-enum-value-removed", I),
            ("response-property-version-range-widened", I),
            ("success-status-removed", B),
        ],
    ),
    (
        "shared-component",
        &[
            ("request-property-added", I),
            ("request-property-removed", B),
            ("response-property-added", I),
            ("response-property-added", I),
            ("response-property-removed", B),
            ("response-property-removed", B),
        ],
        &[
            ("request-property-added", I),
            ("request-property-removed", B),
            ("response-property-added", I),
            ("response-property-added", I),
            ("response-property-removed", B),
            ("response-property-removed", B),
        ],
    ),
    (
        "format-changed",
        &[("request-format-changed", W), ("response-format-changed", W)],
        &[("request-format-changed", W), ("response-format-changed", W)],
    ),
    // A default only matters in requests, where the server fills it in.
    ("default-changed", &[("request-default-changed", W)], &[("request-default-changed", W)]),
    ("operation-deprecated", &[("operation-deprecated", W)], &[]),
    // A deprecation beside a `$ref` counts; lifting one is not reported.
    (
        "parameter-deprecated",
        &[
            ("parameter-deprecated", W),
            ("request-property-deprecated", W),
            ("response-property-deprecated", W),
        ],
        &[],
    ),
    // admin-or-owner -> admin, unstated -> admin-or-owner and admin -> service. Back, a
    // policy no longer stated is unknown, not relaxed: only two relaxations.
    (
        "operation-policy-restricted",
        &[
            ("operation-policy-restricted", B),
            ("operation-policy-restricted", B),
            ("operation-policy-restricted", B),
        ],
        &[("operation-policy-relaxed", I), ("operation-policy-relaxed", I)],
    ),
    // Header names are matched without regard to case; a header's schema is walked too.
    (
        "response-header-added",
        &[("response-format-changed", W), ("response-header-added", I)],
        &[("response-format-changed", W), ("response-header-removed", B)],
    ),
    // A documented header no longer promised may be missing; the name matches across case.
    (
        "response-header-made-optional",
        &[("response-header-made-optional", B)],
        &[("response-header-made-required", I)],
    ),
    // Style and explode as in effect: a written-out default changes nothing, and explode
    // means nothing for a scalar (`limit`); `tags` and the `X-Tags` header (matched across
    // case) change explode, `filter` its style, and `metadata` goes from one pair per member
    // to one JSON text (`content`), its schema the same.
    (
        "parameter-style-changed",
        &[
            ("parameter-explode-changed", B),
            ("parameter-explode-changed", B),
            ("parameter-style-changed", B),
            ("parameter-style-changed", B),
        ],
        &[
            ("parameter-explode-changed", B),
            ("parameter-explode-changed", B),
            ("parameter-style-changed", B),
            ("parameter-style-changed", B),
        ],
    ),
    // Only a query parameter has `allowReserved`; the header's is ignored.
    (
        "parameter-allow-reserved-removed",
        &[("parameter-allow-reserved-removed", B)],
        &[("parameter-allow-reserved-added", I)],
    ),
    // A query parameter moved to a header or a cookie is another parameter.
    (
        "parameter-moved-location",
        &[
            ("optional-parameter-added", I),
            ("optional-parameter-added", I),
            ("parameter-removed", B),
            ("parameter-removed", B),
        ],
        &[
            ("optional-parameter-added", I),
            ("optional-parameter-added", I),
            ("parameter-removed", B),
            ("parameter-removed", B),
        ],
    ),
    // Both flags set on the request and on the response: `readOnly` only counts in the
    // request, `writeOnly` only in the response.
    (
        "read-only-added",
        &[("request-read-only-added", B), ("response-write-only-added", B)],
        &[("request-read-only-removed", I), ("response-write-only-removed", I)],
    ),
    // A read-only property is not sent, a write-only one not returned: their presence and
    // requiredness count only the other way (`created_at`, `updated_at` in the response;
    // `admin_pass`, `new_pass` in the request).
    (
        "read-only-property-changes",
        &[
            ("request-property-made-optional", I),
            ("request-required-property-added", B),
            ("response-property-added", I),
            ("response-property-made-optional", B),
        ],
        &[
            ("request-property-made-required", B),
            ("request-property-removed", B),
            ("response-property-made-required", I),
            ("response-property-removed", B),
        ],
    ),
    // allOf members are paired by what they refer to or require, not by position: the
    // shared base moves second and is not reported.
    (
        "all-of-member-added",
        &[("request-all-of-member-added", B), ("response-all-of-member-added", I)],
        &[("request-all-of-member-removed", I), ("response-all-of-member-removed", B)],
    ),
    ("renamed-path-parameter", &[], &[]),
    ("one-of-branches-moved", &[], &[]),
    // An object against anyOf branches: a request counts what every branch still accepts
    // (one keeps all of OLD), a response what any branch may return (one lacks `device`);
    // back, the request branches' union and the response branches' intersection.
    ("object-to-any-of", &[("response-property-removed", B)], &[("request-property-added", I)]),
];

fn fixture(name: &str, side: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff");
    dir.join(name).join(format!("{side}.yaml"))
}

fn load(name: &str, side: &str) -> Spec {
    let path = fixture(name, side);
    Spec::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn diff_pair(name: &str, old: &str, new: &str) -> Report {
    diff::diff(&load(name, old), &load(name, new)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn checks(report: &Report) -> Vec<(&'static str, Severity)> {
    let mut found: Vec<_> = report.changes.iter().map(|c| (c.rule.id, c.severity)).collect();
    found.sort();
    found
}

#[test]
fn each_fixture_pair_fires_its_checks_and_swapping_fires_their_opposites() {
    for (name, forward, backward) in FIXTURES {
        let there = diff_pair(name, "old", "new");
        let back = diff_pair(name, "new", "old");
        assert_eq!(checks(&there), forward.to_vec(), "{name}: OLD -> NEW");
        assert_eq!(checks(&back), backward.to_vec(), "{name}: NEW -> OLD");
        let text = format!(
            "OLD -> NEW\n{}\nNEW -> OLD\n{}",
            report::render(&there, report::Format::Text),
            report::render(&back, report::Format::Text),
        );
        insta::assert_snapshot!(*name, text);
    }
}

#[test]
fn every_rule_fires_in_some_fixture() {
    let fired: BTreeSet<&str> =
        FIXTURES.iter().flat_map(|(_, f, b)| f.iter().chain(b.iter()).map(|(id, _)| *id)).collect();
    let all: BTreeSet<&str> = rules::ALL.iter().map(|r| r.id).collect();
    let never: Vec<_> = all.difference(&fired).collect();
    assert!(never.is_empty(), "rules without a fixture: {never:?}");
    let unknown: Vec<_> = fired.difference(&all).collect();
    assert!(unknown.is_empty(), "fixtures expect unknown rules: {unknown:?}");
}

#[test]
fn every_fixture_directory_is_listed() {
    let dir = fixture("x", "old").parent().unwrap().parent().unwrap().to_path_buf();
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let listed: BTreeSet<String> = FIXTURES.iter().map(|(n, _, _)| n.to_string()).collect();
    assert_eq!(on_disk, listed);
}

#[test]
fn a_document_compared_with_itself_reports_nothing() {
    for (name, _, _) in FIXTURES {
        for side in ["old", "new"] {
            let report = diff_pair(name, side, side);
            assert_eq!(report.changes, [], "{name}/{side}");
        }
    }
}

#[test]
fn a_shared_component_change_is_reported_once_per_operation_at_the_component() {
    let report = diff_pair("shared-component", "old", "new");
    let removed: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.message == "property `name` removed")
        .map(|c| (c.operation.to_string(), c.pointer.as_str()))
        .collect();
    let at = "/components/schemas/Server/properties/name";
    // GET /servers/detail reaches `Server` three ways (array items, a property, and its
    // own recursive `parent`) and still reports it once.
    assert_eq!(
        removed,
        [
            ("GET /servers/detail".to_string(), at),
            ("GET /servers/{server_id}".to_string(), at),
            ("PUT /servers/{server_id}".to_string(), at),
        ]
    );
}

#[test]
fn changes_after_old_newest_microversion_are_gated_to_info() {
    let report = diff_pair("microversion-gated", "old", "new");
    let gated: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.microversion_gated)
        .map(|c| (c.rule.id, c.rule.severity, c.severity))
        .collect();
    assert_eq!(
        gated,
        [
            ("operation-version-range-widened", I, I),
            ("request-required-property-added", B, I),
            ("response-enum-value-added", B, I),
            ("response-property-version-range-narrowed", B, I),
            ("success-status-added", W, I),
        ]
    );
    assert!(report.reaches(B), "key_name (from 2.90) still breaks");
}

#[test]
fn additive_changes_after_old_newest_microversion_are_marked_gated_too() {
    let report = diff_pair("microversion-gated", "old", "new");
    let widened = report.changes.iter().find(|c| c.rule.id == "operation-version-range-widened");
    assert!(widened.unwrap().microversion_gated, "GET /servers gains 2.96, after OLD's 2.95");
}

#[test]
fn changes_above_the_released_maximum_are_gated_even_where_old_documents_them() {
    let (old, new) = (load("microversion-gated", "old"), load("microversion-gated", "new"));
    let released = |v: &str| diff::Options { released_max: Some(v.parse().unwrap()) };
    let report = diff::diff_with(&old, &new, released("2.89")).unwrap();
    let key_name = report.changes.iter().find(|c| c.message.contains("key_name")).unwrap();
    assert_eq!((key_name.severity, key_name.microversion_gated), (I, true));
    assert!(!report.reaches(B), "nothing at or below 2.89 changed");
    let report = diff::diff_with(&old, &new, released("2.90")).unwrap();
    assert!(report.reaches(B), "key_name from 2.90 was released");
    let later = diff::diff_with(&old, &new, released("2.99")).unwrap();
    assert_eq!(later, diff_pair("microversion-gated", "old", "new"), "OLD's 2.95 still bounds");
}

#[test]
fn json_and_markdown_reports_carry_ids_severities_and_pointers() {
    let report = diff_pair("microversion-gated", "old", "new");
    insta::assert_snapshot!("report-json", report::render(&report, report::Format::Json));
    insta::assert_snapshot!("report-markdown", report::render(&report, report::Format::Markdown));
    let empty = diff_pair("renamed-path-parameter", "old", "new");
    assert_eq!(report::render(&empty, report::Format::Text), "no changes\n");
}

#[test]
fn the_readme_rule_table_lists_every_rule_with_its_severity() {
    let readme = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(readme).expect("the crate has a README");
    let missing: Vec<_> = rules::ALL
        .iter()
        .map(|rule| format!("| `{}` | {} |", rule.id, rule.severity.as_str()))
        .filter(|row| !readme.contains(row.as_str()))
        .collect();
    assert!(missing.is_empty(), "README.md rule table lacks {missing:?}");
}
