//! Realistic reviews: nova's api-ref, copied at test time into a temporary directory and
//! edited the way upstream changes land (an enum value at a new microversion, a response
//! field dropped, a new required request field with and without a microversion), is
//! transcribed before and after, and the diff of the two is pinned. Nothing of the corpus is
//! kept in the repository: the edits below name only the lines they change.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use stackspec_apiref::corpus::{CorpusService, DEFAULT_CORPUS};
use stackspec_apiref::transcribe::{ServiceProfile, Transcriber};
use stackspec_diff::{self as diff, report, Report, Severity};
use stackspec_model::Spec;

const EVENTS: &str = "os-server-external-events.inc";
const PARAMETERS: &str = "parameters.yaml";

/// nova's api-ref source directory in the corpus beside the repository.
fn nova_source() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let nova = CorpusService::named("compute").expect("compute is a corpus service");
    let [source] = &nova.sources_in(&repo.join(DEFAULT_CORPUS))[..] else {
        panic!("the edits below expect nova's api-ref in one source directory")
    };
    let source = source.clone();
    assert!(
        source.is_dir(),
        "{}: the api-ref corpus is expected beside the repository",
        source.display()
    );
    source
}

fn transcribe(source: &Path) -> Spec {
    let profile = ServiceProfile::builtin("compute").expect("compute has a profile");
    let transcriber = Transcriber::new(profile).label("nova/api-ref/source");
    let transcription = transcriber.transcribe(source).unwrap_or_else(|e| panic!("{e}"));
    transcription.spec
}

fn baseline() -> &'static Spec {
    static BASELINE: OnceLock<Spec> = OnceLock::new();
    BASELINE.get_or_init(|| transcribe(&nova_source()))
}

/// A copy of nova's source directory at the same depth as in the corpus, with a copy of its
/// samples, so that sample includes (`../../doc/api_samples/...`) resolve (a link would
/// leave the project, and the reader refuses that).
struct Copy {
    _root: tempfile::TempDir,
    source: PathBuf,
}

impl Copy {
    fn new() -> Self {
        let root = tempfile::tempdir().unwrap();
        let original = nova_source();
        let source = root.path().join("nova/api-ref/source");
        std::fs::create_dir_all(&source).unwrap();
        for entry in std::fs::read_dir(&original).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, source.join(path.file_name().unwrap())).unwrap();
        }
        copy_tree(&original.join("../../doc"), &root.path().join("nova/doc"));
        Self { _root: root, source }
    }

    /// Replaces the one occurrence of `from` in `file`; fails if upstream no longer has it
    /// exactly once, so a stale edit cannot pass silently.
    fn edit(&self, file: &str, from: &str, to: &str) -> &Self {
        let path = self.source.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches(from).count(), 1, "{file}: {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        self
    }

    fn diff_from_baseline(&self) -> Report {
        diff::diff(baseline(), &transcribe(&self.source)).unwrap()
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn checks(report: &Report) -> Vec<(&'static str, Severity)> {
    report.changes.iter().map(|c| (c.rule.id, c.severity)).collect()
}

/// Our own parameter, placed where the parameters file keeps its entries sorted.
fn with_event_reason(extra: &str) -> String {
    format!(
        "event_reason:\n  description: |\n    Why the event was sent.\n  in: body\n  required: true\n{extra}  type: string\nevent_status:\n"
    )
}

#[test]
fn an_unchanged_copy_transcribes_to_no_changes() {
    assert_eq!(Copy::new().diff_from_baseline().changes, []);
}

#[test]
fn an_event_name_added_at_a_new_microversion_breaks_no_one() {
    let copy = Copy::new();
    let last = "    - ``volume-reimaged`` (since microversion ``2.93``)\n";
    let added = format!("{last}    - ``share-mounted`` (since microversion ``2.105``)\n");
    let report = copy.edit(PARAMETERS, last, &added).diff_from_baseline();
    // Requests accept the value (info); both documented responses (200 and 207, which the
    // transcriber spells out separately) may return it, but only at 2.105, newer than
    // anything the baseline documents, so old clients never see it.
    insta::assert_snapshot!(report::render(&report, report::Format::Text));
    let gated: Vec<_> = report.changes.iter().map(|c| c.microversion_gated).collect();
    assert_eq!(
        checks(&report),
        [
            ("request-enum-value-added", Severity::Info),
            ("response-enum-value-added", Severity::Info),
            ("response-enum-value-added", Severity::Info),
        ]
    );
    assert_eq!(gated, [true, true, true], "every change is at 2.105 only");
}

#[test]
fn dropping_a_response_field_is_breaking() {
    let copy = Copy::new();
    let response = "  - events: events\n  - code: code\n";
    let report = copy.edit(EVENTS, response, "  - events: events\n").diff_from_baseline();
    insta::assert_snapshot!(report::render(&report, report::Format::Text));
    let removed = ("response-property-removed", Severity::Breaking);
    assert_eq!(checks(&report), [removed, removed]);
    let statuses: Vec<_> = report.changes.iter().map(|c| c.pointer.split('/').nth(5)).collect();
    assert_eq!(statuses, [Some("200"), Some("207")]);
}

#[test]
fn a_new_required_request_field_breaks_unless_a_new_microversion_brings_it() {
    let request = "  - name: event_name\n  - server_uuid: server_uuid\n  - status: event_status\n  - tag: event_tag\n\n**Example Run Events**\n\n.. literalinclude:: ../../doc/api_samples/os-server-external-events/event-create-req.json";
    let with_reason = request.replacen(
        "  - name: event_name\n",
        "  - name: event_name\n  - reason: event_reason\n",
        1,
    );
    let plain = Copy::new();
    plain.edit(EVENTS, request, &with_reason);
    plain.edit(PARAMETERS, "event_status:\n", &with_event_reason(""));
    let breaking = plain.diff_from_baseline();
    assert_eq!(checks(&breaking), [("request-required-property-added", Severity::Breaking)]);
    insta::assert_snapshot!("required-field", report::render(&breaking, report::Format::Text));

    let versioned = Copy::new();
    versioned.edit(EVENTS, request, &with_reason);
    let reason = with_event_reason("  min_version: 2.105\n");
    versioned.edit(PARAMETERS, "event_status:\n", &reason);
    let gated = versioned.diff_from_baseline();
    assert_eq!(checks(&gated), [("request-required-property-added", Severity::Info)]);
    insta::assert_snapshot!(
        "required-field-at-new-microversion",
        report::render(&gated, report::Format::Markdown)
    );
}

/// nova's real break of 2024 (Hyper-V removed): `rdp` and `rdp-html5` dropped from the
/// remote console protocols and types without a microversion. Acknowledgements and the
/// structural fixes must not hide it.
#[test]
fn dropping_the_rdp_console_values_without_a_microversion_is_breaking() {
    let copy = Copy::new();
    copy.edit(
        PARAMETERS,
        "``vnc``, ``spice``,\n    ``rdp``, ``serial``",
        "``vnc``, ``spice``,\n    ``serial``",
    );
    copy.edit(
        PARAMETERS,
        "``novnc``,\n    ``rdp-html5``, ``spice-html5``",
        "``novnc``,\n    ``spice-html5``",
    );
    let report = copy.diff_from_baseline();
    let removed: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.rule.id == "request-enum-value-removed")
        .map(|c| (c.severity, c.message.as_str()))
        .collect();
    assert_eq!(
        removed,
        [
            (Severity::Breaking, "`protocol`: enum value \"rdp\" removed"),
            (Severity::Breaking, "`type`: enum value \"rdp-html5\" removed"),
        ],
        "{}",
        report::render(&report, report::Format::Text)
    );
}
