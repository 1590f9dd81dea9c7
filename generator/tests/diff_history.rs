//! `stackspec diff` over nova's real history: the api-ref at 2023-06 (2.95), 2025-08 (2.100)
//! and today (2.104), beside the repository in `../shared`, transcribed and diffed release
//! by release with the reviewed acknowledgements in `spec/acknowledgements/compute/`. The
//! snapshot lists every breaking and warning change with its class, so that a reviewer sees
//! what the gate would have stopped; the test holds that nothing unreviewed is left and that
//! the real breaks (rdp and rdp-html5 dropped from the remote console types) are caught.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use stackspec_generator::diff::{self, Acknowledgements, Report, Severity};
use stackspec_generator::model::Spec;
use stackspec_generator::transcribe::{ServiceProfile, Transcriber};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// nova's api-ref at one point of its history.
fn nova(release: &str) -> PathBuf {
    let shared = repository().join("../shared");
    let source = match release {
        "today" => shared.join("openstack-api-ref/nova/api-ref/source"),
        dated => shared.join(format!("openstack-api-ref-history/nova-{dated}/api-ref/source")),
    };
    assert!(source.is_dir(), "{}: nova's history is expected beside the repository", source.display());
    source
}

fn transcribe(release: &str) -> Spec {
    let profile = ServiceProfile::builtin("compute").expect("compute has a profile");
    let transcriber = Transcriber::new(profile).label("nova/api-ref/source");
    transcriber.transcribe(&nova(release)).unwrap_or_else(|e| panic!("{release}: {e}")).spec
}

/// Each release is transcribed once per test process, however many pairs use it.
fn spec(release: &'static str) -> &'static Spec {
    static SPECS: [OnceLock<Spec>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let at = ["2023-06", "2025-08", "today"].iter().position(|r| *r == release).unwrap();
    SPECS[at].get_or_init(|| transcribe(release))
}

/// The diff of one release pair, acknowledged by its reviewed file.
fn reviewed(old: &'static str, new: &'static str) -> Report {
    let file = format!("spec/acknowledgements/compute/{old}..{new}.yaml");
    let acks = Acknowledgements::load(&repository().join(&file)).unwrap_or_else(|e| panic!("{e}"));
    let mut report = diff::diff(spec(old), spec(new)).unwrap_or_else(|e| panic!("{e}"));
    acks.apply(&mut report);
    report
}

/// One line per breaking or warning change (acknowledged or not), then the stale entries.
fn gate_view(report: &Report) -> String {
    let mut lines = Vec::new();
    for c in report.changes.iter().filter(|c| c.severity > Severity::Info) {
        let class = c.acknowledged.as_ref().map_or("UNACKNOWLEDGED", |a| a.class.as_str());
        lines.push(format!("{} [{class}] {} {}: {}", c.severity.as_str(), c.rule.id, c.operation, c.message));
    }
    lines.extend(report.stale.iter().map(|a| format!("STALE {}:{} {}", a.file.display(), a.line, a.id)));
    lines.join("\n")
}

fn pins(old: &'static str, new: &'static str) -> Report {
    let report = reviewed(old, new);
    insta::assert_snapshot!(format!("nova-{old}..{new}"), gate_view(&report));
    report
}

#[test]
fn nova_release_pairs_leave_nothing_unreviewed_and_still_catch_the_rdp_removal() {
    let first = pins("2023-06", "2025-08");
    let second = pins("2025-08", "today");
    for report in [&first, &second] {
        assert!(report.stale.is_empty(), "{}", gate_view(report));
        assert!(!report.reaches(Severity::Warning), "{}", gate_view(report));
    }
    let removed: Vec<_> = first
        .changes
        .iter()
        .filter(|c| c.rule.id == "request-enum-value-removed" && c.severity == Severity::Breaking)
        .map(|c| c.message.as_str())
        .collect();
    assert!(removed.iter().any(|m| m.contains("\"rdp\"")), "{removed:?}");
    assert!(removed.iter().any(|m| m.contains("\"rdp-html5\"")), "{removed:?}");
}
