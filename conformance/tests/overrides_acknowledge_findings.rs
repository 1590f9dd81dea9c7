//! Reviewed overrides: a finding's override turns exactly its failure into an acknowledged
//! finding, in every report; an override that matches nothing is stale and fails the run;
//! an override naming what the spec or the findings file lacks is an error with its line.

mod support;

use std::path::Path;
use std::sync::Arc;

use stackspec_conformance::overrides::{Active, OverrideFile, OverrideState, SeenOn, Target};
use stackspec_conformance::report::{json, junit, terminal};
use stackspec_conformance::run::RunError;
use stackspec_conformance::{run, Outcome};
use support::{failing_checks, settings, spec, start, Defect};

/// `show_widget`'s `size` corrected to a string, for finding F1.
const SIZE_IS_A_STRING: &str = "findings: findings.md
overrides:
  - finding: F1
    service: widget
    operation: show_widget
    seen-on: service
    why: the service sends size as a string
    patch:
      - op: replace
        path: /responses/200/content/application~1json/schema/properties/widget
        value:
          type: object
          required: [id, name, size]
          properties:
            id: {type: string}
            name: {type: string}
            size: {type: string}
            color: {type: string, enum: [red, blue]}
";

fn overrides(text: &str) -> Arc<OverrideFile> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/overrides/overrides.yaml");
    Arc::new(OverrideFile::parse(&path, text).unwrap())
}

async fn conform_with(defect: Option<Defect>, text: &str, target: Target) -> Outcome {
    let fixture = start(defect).await;
    let s = settings(&fixture.url).overrides(overrides(text)).target(target);
    run(spec(), s).await.unwrap()
}

#[tokio::test]
async fn a_patch_turns_its_findings_failure_into_an_acknowledged_finding_in_every_report() {
    let outcome = conform_with(Some(Defect::SizeAsString), SIZE_IS_A_STRING, Target::Service).await;
    let report = terminal::render(&outcome);
    assert!(failing_checks(&outcome).is_empty(), "{report}");
    assert_eq!(outcome.exit_code(), 0, "{report}");
    let acknowledged: Vec<_> = outcome.records.iter().flat_map(|r| &r.acknowledged).collect();
    assert!(!acknowledged.is_empty(), "{report}");
    assert!(acknowledged.iter().all(|a| a.finding == "F1"
        && a.check == "response_body_matches_schema"
        && a.message.contains("/widget/size")));
    let acknowledging: std::collections::BTreeSet<&str> = outcome
        .records
        .iter()
        .filter(|r| !r.acknowledged.is_empty())
        .map(|r| r.operation.as_str())
        .collect();
    assert_eq!(acknowledging, ["show_widget"].into());
    let [status] = outcome.overrides.as_slice() else { panic!("{report}") };
    assert!(matches!(status.state, OverrideState::Acknowledged { responses } if responses > 0));
    assert!(report.contains("- show_widget: F1 ("), "{report}");
    let json = json::render(&outcome);
    assert!(json["operations"]["show_widget"]["acknowledged"]["F1"].as_u64() > Some(0));
    assert_eq!(json["overrides"][0]["state"], "acknowledged");
    assert!(junit::render(&outcome).contains("name=\"acknowledged\" value=\"F1 ("));
}

#[tokio::test]
async fn an_override_that_matches_nothing_is_stale_and_fails_the_run() {
    let outcome = conform_with(None, SIZE_IS_A_STRING, Target::Service).await;
    let report = terminal::render(&outcome);
    // The correction no longer matches the server, so it also fails the bodies it changed.
    assert_eq!(failing_checks(&outcome), ["response_body_matches_schema"].into(), "{report}");
    assert_eq!(outcome.overrides[0].state, OverrideState::Stale, "{report}");
    assert_eq!(outcome.exit_code(), 1);
    assert!(report.contains("Stale overrides"), "{report}");
    assert!(
        report.contains("F1 show_widget (") && report.contains("overrides.yaml:3)"),
        "{report}"
    );
    assert!(junit::render(&outcome).contains("<failure message=\"stale: matched nothing"));
}

#[tokio::test]
async fn an_accept_takes_only_the_failures_it_names_on_its_operation() {
    let accept = "findings: findings.md
overrides:
  - finding: F2
    service: widget
    operation: list_widgets
    seen-on: service
    why: no request id
    accept: {check: required_response_headers, matching: x-openstack-request-id}
";
    let outcome = conform_with(Some(Defect::NoRequestId), accept, Target::Service).await;
    let report = terminal::render(&outcome);
    assert_eq!(outcome.exit_code(), 1, "other operations still fail: {report}");
    let failing: std::collections::BTreeSet<&str> =
        outcome.records.iter().filter(|r| r.failed()).map(|r| r.operation.as_str()).collect();
    assert!(!failing.contains("list_widgets") && failing.contains("show_widget"), "{report}");
    assert!(matches!(outcome.overrides[0].state, OverrideState::Acknowledged { .. }));
}

/// A patch can only show where what it patches was sent or came back: a run whose reads all
/// got 404 has not tried a correction of the 200 body, and an examples-only run (the samples
/// sent as written) has not tried a constraint on generated input. Neither is stale.
#[tokio::test]
async fn a_patch_the_run_gave_no_chance_to_show_is_not_exercised_rather_than_stale() {
    let fixture = start(None).await;
    let all_missing = settings(&fixture.url)
        .operation("show_widget")
        .path_value("widget_id", "no-such-widget")
        .overrides(overrides(SIZE_IS_A_STRING));
    let outcome = run(spec(), all_missing).await.unwrap();
    let report = terminal::render(&outcome);
    assert!(outcome.records.iter().all(|r| r.status != Some(200)), "{report}");
    assert_eq!(outcome.overrides[0].state, OverrideState::NotExercised, "{report}");
    let request_side = "findings: findings.md
overrides:
  - finding: F1
    service: widget
    operation: create_widget
    seen-on: service
    why: the service takes names of 10 characters at most
    patch:
      - {op: replace, path: /requestBody/content/application~1json/schema/properties/widget/properties/name/maxLength, value: 10}
";
    let examples_only = settings(&fixture.url)
        .operation("create_widget")
        .phases([stackspec_conformance::Phase::Examples])
        .overrides(overrides(request_side));
    let outcome = run(spec(), examples_only).await.unwrap();
    let report = terminal::render(&outcome);
    assert!(!outcome.records.is_empty(), "{report}");
    assert_eq!(outcome.overrides[0].state, OverrideState::NotExercised, "{report}");
}

#[tokio::test]
async fn an_accept_limited_to_a_status_the_run_never_got_is_not_exercised_rather_than_stale() {
    let accept = |status: u16| {
        format!(
            "findings: findings.md
overrides:
  - finding: F2
    service: widget
    operation: list_widgets
    seen-on: service
    why: no request id on {status}s
    accept: {{check: required_response_headers, matching: x-openstack-request-id, status: {status}}}
"
        )
    };
    let clean = conform_with(None, &accept(401), Target::Service).await;
    assert_eq!(clean.overrides[0].state, OverrideState::NotExercised);
    assert_eq!(clean.exit_code(), 0, "{}", terminal::render(&clean));
    let other = conform_with(Some(Defect::NoRequestId), &accept(401), Target::Service).await;
    let failing: std::collections::BTreeSet<&str> =
        other.records.iter().filter(|r| r.failed()).map(|r| r.operation.as_str()).collect();
    assert!(failing.contains("list_widgets"), "a 200 without the id is not a 401's symptom");
    let taken = conform_with(Some(Defect::NoRequestId), &accept(200), Target::Service).await;
    assert!(matches!(taken.overrides[0].state, OverrideState::Acknowledged { .. }));
}

/// glance refuses a web-download import without `uri` (F198), but on a fresh cloud every
/// valid import met an image that was importing already (409): an accept of
/// `valid_input_accepted` is exercised only by valid input, which the negative phase's
/// refused input is not.
#[tokio::test]
async fn an_accept_of_a_check_that_judged_no_case_of_the_run_is_not_exercised() {
    let text = "findings: findings.md
overrides:
  - finding: F2
    service: widget
    operation: create_widget
    seen-on: service
    why: the service refuses widgets it cannot build
    accept: {check: valid_input_accepted, matching: cannot build}
";
    let fixture = start(None).await;
    let negative_only = settings(&fixture.url)
        .overrides(overrides(text))
        .operation("create_widget")
        .phases([stackspec_conformance::Phase::Negative]);
    let outcome = run(spec(), negative_only).await.unwrap();
    let report = terminal::render(&outcome);
    assert!(!outcome.records.is_empty(), "{report}");
    assert_eq!(outcome.overrides[0].state, OverrideState::NotExercised, "{report}");
    let fixture = start(None).await;
    let with_valid = settings(&fixture.url).overrides(overrides(text)).operation("create_widget");
    let outcome = run(spec(), with_valid).await.unwrap();
    assert_eq!(outcome.overrides[0].state, OverrideState::Stale, "valid input was accepted");
}

#[tokio::test]
async fn an_override_seen_only_on_the_service_does_not_apply_to_a_mock() {
    let outcome = conform_with(Some(Defect::SizeAsString), SIZE_IS_A_STRING, Target::Mock).await;
    assert!(outcome.overrides.is_empty());
    assert_eq!(
        failing_checks(&outcome),
        ["response_body_matches_schema"].into(),
        "{}",
        terminal::render(&outcome)
    );
}

#[tokio::test]
async fn an_override_naming_what_the_spec_lacks_is_an_error_with_its_line_and_pointer() {
    let fixture = start(None).await;
    let cases = [
        (SIZE_IS_A_STRING.replace("operation: show_widget", "operation: no_such"), "at /overrides/0/operation: no operation `no_such`"),
        (SIZE_IS_A_STRING.replace("application~1json/schema/properties/widget", "application~1json/schema/properties/gadget/x"), "at /overrides/0/patch/0/path: `/responses/200/content/application~1json/schema/properties/gadget` does not exist"),
    ];
    for (text, expected) in &cases {
        let s = settings(&fixture.url).overrides(overrides(text));
        let err = run(spec(), s).await.unwrap_err();
        assert!(matches!(err, RunError::Overrides(_)), "{err}");
        let err = err.to_string();
        assert!(err.contains("overrides.yaml:3: ") && err.contains(expected), "{err}");
    }
    let example = "findings: findings.md
overrides:
  - finding: F1
    service: widget
    operation: create_widget
    seen-on: docs
    why: x
    rejected-example: nope
";
    let err = run(spec(), settings(&fixture.url).overrides(overrides(example))).await.unwrap_err();
    assert!(
        err.to_string().contains("has no request sample `nope` (it has: widget-create)"),
        "{err}"
    );
}

#[test]
fn an_unknown_finding_id_is_an_error() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/overrides/overrides.yaml");
    let err = OverrideFile::parse(&path, &SIZE_IS_A_STRING.replace("F1", "F7")).unwrap_err();
    let err = err.to_string();
    assert!(
        err.contains("overrides.yaml:3: at /overrides/0/finding: finding `F7` is not a heading of"),
        "{err}"
    );
}

#[test]
fn the_reviewed_overrides_file_names_real_findings_operations_samples_and_pointers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let file = OverrideFile::load(&root.join("conformance/overrides.yaml")).unwrap();
    let (mut service_runs, mut mock_runs) = (0, 0);
    for service in stackspec_apiref::corpus::SERVICES {
        let spec = stackspec_model::Spec::load(&root.join("spec").join(service.spec_file()));
        let spec = spec.unwrap();
        // Each entry is checked against the spec by the runs it applies to.
        service_runs += Active::new(&file, spec.clone(), Target::Service).unwrap().1.len();
        mock_runs += Active::new(&file, spec, Target::Mock).unwrap().1.len();
    }
    let mock_only = file.entries.iter().filter(|e| e.seen_on == SeenOn::Mock).count();
    assert!(mock_only > 0 && mock_runs > mock_only);
    assert_eq!(
        service_runs + mock_only,
        file.entries.len(),
        "every entry belongs to a built-in spec"
    );
}

/// A create documented with 200 and 201, its response sample under 200; the service answers 201.
const SAMPLE_AT_200: &str = r#"openapi: 3.0.3
info: {title: t, version: '1', x-stackspec: {service-type: widget}}
paths:
  /configs:
    put:
      operationId: create_config
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object}
              examples:
                config-resp: {value: {config: {a: 1}}}
        '201':
          description: created
          content: {application/json: {schema: {type: object}}}
"#;

/// keystone's domain-configuration create: the api-ref's sample sits under 200, keystone
/// answers 201. The patch moving the sample made the case pass, yet was called stale: the
/// case was checked again without the patch but with the sample where the patch put it.
#[tokio::test]
async fn a_patch_moving_a_sample_to_another_status_acknowledges_the_status_it_fixed() {
    use axum::http::StatusCode;
    let created = || async {
        let headers = [("x-openstack-request-id", "req-1")];
        (StatusCode::CREATED, headers, axum::Json(serde_json::json!({"config": {"a": 1}})))
    };
    let app = axum::Router::new().route("/configs", axum::routing::put(created));
    let url = support::serve_plain(app).await;
    let moved = "findings: findings.md
overrides:
  - finding: F1
    service: widget
    operation: create_config
    seen-on: service
    why: the sample is keystone's answer to a first creation, 201
    patch:
      - {op: remove, path: /responses/200/content/application~1json/examples}
      - op: add
        path: /responses/201/content/application~1json/examples
        value: {config-resp: {value: {config: {a: 1}}}}
";
    let spec = stackspec_model::Spec::parse(Path::new("c.yaml"), SAMPLE_AT_200).unwrap();
    let settings = stackspec_conformance::Settings::new(&url)
        .phases([stackspec_conformance::Phase::Examples])
        .allow_mutations(true)
        .overrides(overrides(moved));
    let outcome = run(spec, settings).await.unwrap();
    let report = terminal::render(&outcome);
    assert_eq!(outcome.exit_code(), 0, "{report}");
    let [status] = outcome.overrides.as_slice() else { panic!("{report}") };
    assert!(matches!(status.state, OverrideState::Acknowledged { .. }), "{status:?}\n{report}");
    let acknowledged: Vec<_> = outcome.records.iter().flat_map(|r| &r.acknowledged).collect();
    assert!(acknowledged.iter().any(|a| a.message.contains("documented with 200, got 201")));
}
