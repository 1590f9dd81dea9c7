//! Acknowledgements as a reviewer uses them: a reviewed change no longer trips `--fail-on`
//! but stays in every report with its class and reason, and an entry that matches nothing
//! is stale, shown, and counted as a warning.

use std::path::{Path, PathBuf};

use stackspec_diff::{self as diff, report, Acknowledgements, Report, Severity};
use stackspec_model::Spec;

/// `key_name` (from 2.90, which OLD has) is the fixture's only breaking change.
const KEY_NAME: &str = "request-required-property-added POST /servers \
    /paths/~1servers/post/requestBody/content/application~1json/schema/properties/key_name";

fn load(side: &str) -> Spec {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff");
    Spec::load(&dir.join(format!("microversion-gated/{side}.yaml"))).unwrap()
}

fn acknowledged(entries: &[(&str, &str)]) -> Report {
    let mut text = String::from("acknowledgements:\n");
    for (id, class) in entries {
        text.push_str(&format!("  - id: {id}\n    class: {class}\n    reason: reviewed\n"));
    }
    let acks = Acknowledgements::parse(Path::new("acks.yaml"), &text).unwrap();
    let mut report = diff::diff(&load("old"), &load("new")).unwrap();
    acks.apply(&mut report);
    report
}

#[test]
fn an_acknowledged_break_no_longer_reaches_fail_on_but_stays_listed() {
    let plain = acknowledged(&[]);
    assert!(plain.reaches(Severity::Breaking));
    let report = acknowledged(&[(KEY_NAME, "accepted-break")]);
    assert!(!report.reaches(Severity::Breaking));
    assert!(!report.reaches(Severity::Warning));
    assert_eq!(report.changes.len(), plain.changes.len());
    let marked: Vec<_> = report.changes.iter().filter(|c| c.acknowledged.is_some()).collect();
    assert_eq!(marked.iter().map(|c| c.id()).collect::<Vec<_>>(), [KEY_NAME]);
    assert_eq!(report.acknowledged(Severity::Breaking), 1);
}

#[test]
fn an_acknowledgement_matching_nothing_is_stale_and_counts_as_a_warning() {
    let report =
        acknowledged(&[(KEY_NAME, "accepted-break"), ("path-removed /gone", "doc-correction")]);
    let stale: Vec<_> = report.stale.iter().map(|a| (a.id.as_str(), a.line)).collect();
    assert_eq!(stale, [("path-removed /gone", 5)]);
    assert!(!report.reaches(Severity::Breaking));
    assert!(report.reaches(Severity::Warning));
}

#[test]
fn every_format_says_which_changes_were_acknowledged_and_which_entries_are_stale() {
    let report =
        acknowledged(&[(KEY_NAME, "accepted-break"), ("path-removed /gone", "doc-correction")]);
    for (name, format) in [
        ("acknowledged-text", report::Format::Text),
        ("acknowledged-json", report::Format::Json),
        ("acknowledged-markdown", report::Format::Markdown),
    ] {
        let rendered = report::render(&report, format);
        assert!(rendered.contains("accepted-break"), "{name}");
        assert!(rendered.contains("path-removed /gone"), "{name}");
        insta::assert_snapshot!(name, rendered);
    }
}
