//! A run keeps what it creates until its end, then deletes all of it, also when it is
//! interrupted; and two false positives of conform itself: the spec's root path joined onto
//! a versioned endpoint, and a placeholder path id judged as valid input.

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use stackspec_conformance::phases::Intent;
use stackspec_conformance::report::{coverage, doc, html, junit, terminal};
use stackspec_conformance::{run, Phase, Settings};
use stackspec_model::Spec;
use support::{serve_plain, settings, spec, start, Defect};

/// `app` with the request-id header every response of an OpenStack service carries.
fn with_request_id(app: Router) -> Router {
    app.layer(axum::middleware::map_response(|mut response: axum::response::Response| async {
        let id = axum::http::HeaderValue::from_static("req-1");
        response.headers_mut().insert("x-openstack-request-id", id);
        response
    }))
}

/// Polls `done` every few milliseconds, for at most five seconds.
async fn wait_for(done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() && start.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

#[tokio::test]
async fn everything_a_run_created_is_deleted_at_its_end() {
    let fixture = start(None).await;
    let outcome = run(spec(), settings(&fixture.url)).await.unwrap();
    let report = terminal::render(&outcome);
    assert_eq!(outcome.exit_code(), 0, "{report}");
    assert_eq!(fixture.widget_ids(), BTreeSet::from(["w1".to_string()]), "{report}");
    // Jobs have no DELETE: listed, never silently kept.
    assert!(!outcome.leftovers.is_empty(), "{report}");
    for leftover in &outcome.leftovers {
        assert_eq!(leftover.operation, "show_job", "{leftover:?}");
        assert_eq!(leftover.why, "the spec documents no DELETE for it");
    }
    assert!(report.contains("Not deleted:"), "{report}");
    // Each widget deleted at the end was read again and found gone.
    let gone = outcome
        .records
        .iter()
        .filter(|r| matches!(r.case.intent, Intent::AfterDelete(_)))
        .filter(|r| r.status == Some(404))
        .count();
    assert!(gone > 0, "{report}");
}

#[tokio::test]
async fn an_interrupted_run_sends_nothing_more_but_deletes_what_it_created() {
    let fixture = start(None).await;
    let interrupt = Arc::new(tokio::sync::Notify::new());
    let settings = settings(&fixture.url).max_cases(50).interrupt(interrupt.clone());
    let interrupting = async {
        wait_for(|| fixture.widget_ids().len() > 1).await;
        interrupt.notify_one();
    };
    let (outcome, ()) = tokio::join!(run(spec(), settings), interrupting);
    let outcome = outcome.unwrap();
    let report = terminal::render(&outcome);
    assert!(
        outcome.not_tried.iter().any(|n| n.reason.starts_with("interrupted (Ctrl-C)")),
        "{report}"
    );
    assert_eq!(outcome.exit_code(), 1, "an interrupted run's verdict is incomplete");
    assert_eq!(fixture.widget_ids(), BTreeSet::from(["w1".to_string()]), "{report}");
}

const ROOT_SPEC: &str = r#"openapi: 3.0.3
info: {title: t, version: '1', x-stackspec: {service-type: t}}
paths:
  /:
    get:
      operationId: list_versions
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, required: [versions], properties: {versions: {type: array}}}
  /things:
    get:
      operationId: list_things
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
"#;

#[tokio::test]
async fn the_version_discovery_root_is_not_joined_onto_a_versioned_endpoint() {
    let app = Router::new()
        .route("/", get(|| async { Json(json!({"versions": [{"id": "v2.1"}]})) }))
        .route("/v2.1/things", get(|| async { Json(json!({"things": []})) }));
    let url = serve_plain(with_request_id(app)).await;
    let spec = Spec::parse(std::path::Path::new("root.yaml"), ROOT_SPEC).unwrap();
    let settings = Settings::new(format!("{url}/v2.1")).phases(vec![Phase::Examples]);
    let outcome = run(spec, settings).await.unwrap();
    let report = terminal::render(&outcome);
    assert_eq!(outcome.exit_code(), 0, "{report}");
    let root = outcome.records.iter().find(|r| r.operation == "list_versions").unwrap();
    assert_eq!(root.status, Some(200), "{report}");
    assert!(root.curl().contains(&format!("'{url}/'")), "{}", root.curl());
    let things = outcome.records.iter().find(|r| r.operation == "list_things").unwrap();
    assert!(things.curl().contains(&format!("'{url}/v2.1/things'")), "{}", things.curl());
}

const PLACEHOLDER_SPEC: &str = r#"openapi: 3.0.3
info: {title: t, version: '1', x-stackspec: {service-type: t}}
paths:
  /things/{thing_id}:
    get:
      operationId: show_thing
      parameters: [{name: thing_id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
        '400': {description: bad, content: {application/json: {schema: {type: object}}}}
        '404': {description: missing, content: {application/json: {schema: {type: object}}}}
"#;

#[tokio::test]
async fn a_placeholder_path_id_is_not_judged_as_valid_input() {
    let invalid = |axum::extract::Path(id): axum::extract::Path<String>| async move {
        let fault = json!({"badRequest": {"code": 400, "message": format!("Invalid uuid {id}")}});
        (StatusCode::BAD_REQUEST, Json(fault)).into_response()
    };
    let url = serve_plain(with_request_id(Router::new().route("/things/{id}", get(invalid)))).await;
    let spec = Spec::parse(std::path::Path::new("p.yaml"), PLACEHOLDER_SPEC).unwrap();
    let settings = Settings::new(&url).phases(vec![Phase::Examples, Phase::Property]).max_cases(5);
    let outcome = run(spec, settings).await.unwrap();
    let report = terminal::render(&outcome);
    assert!(outcome.records.iter().all(|r| r.case.intent == Intent::Placeholder), "{report}");
    assert_eq!(outcome.exit_code(), 0, "a placeholder's 400 is no failure:\n{report}");
    let untested = coverage::untested(&outcome).expect("counted as untested");
    assert_eq!((untested.valid, untested.rejected), (outcome.records.len(), outcome.records.len()));
    assert!(report.contains("UNTESTED"), "{report}");
}

/// A server that stops answering DELETEs cannot hold a run at its end: the clean-up has the
/// per-operation deadline as its own time (before, each created resource waited out a full
/// request timeout in turn), and what it did not get to is listed as not deleted.
#[tokio::test]
async fn a_clean_up_that_gets_no_answer_stops_at_its_own_deadline_and_lists_the_rest() {
    let fixture = start(Some(Defect::DeleteStalls)).await;
    let settings = settings(&fixture.url)
        .phases([Phase::Property])
        .timeout(Duration::from_secs(1))
        .operation_deadline(Duration::from_secs(2));
    let operations = vec!["create_widget".to_string()];
    let settings = Settings { operations, ..settings };
    let started = Instant::now();
    let outcome = run(spec(), settings).await.unwrap();
    let elapsed = started.elapsed();
    let report = terminal::render(&outcome);
    let created = fixture.widget_ids().len() - 1;
    assert!(created > 4, "{report}");
    let out_of_time = outcome.leftovers.iter().filter(|l| l.why.contains("clean-up's time"));
    assert!(out_of_time.count() > 0, "{report}");
    assert_eq!(outcome.leftovers.len(), created, "{report}");
    // The phase's creates, then two seconds of clean-up and the request under way (a bound,
    // not a benchmark: without the clean-up's own deadline this took a second per widget).
    assert!(elapsed < Duration::from_secs(created as u64 - 1), "{elapsed:?}\n{report}");
}

/// What a run could not delete is in every report, not only the terminal's: the JSON report
/// reads back with it (so `report merge` keeps it), the HTML page lists it, and JUnit has a
/// skipped case per resource, named without its id (ids change from run to run).
#[tokio::test]
async fn what_a_run_could_not_delete_is_in_every_report() {
    let fixture = start(None).await;
    let outcome = run(spec(), settings(&fixture.url)).await.unwrap();
    assert!(!outcome.leftovers.is_empty(), "{}", terminal::render(&outcome));
    let report = doc::Report::of(&outcome);
    assert_eq!(report.leftovers, outcome.leftovers);
    let page = html::render(&report);
    assert!(page.contains("Not deleted"), "{page}");
    assert!(page.contains(&html::esc(&outcome.leftovers[0].path)), "{page}");
    let xml = junit::render(&outcome);
    assert!(xml.contains(r#"<testsuite name="not deleted""#), "{xml}");
    assert!(xml.contains(r#"name="not deleted #1""#), "{xml}");
    assert!(!xml.contains(&format!("name=\"{}", outcome.leftovers[0].id)), "{xml}");
}

/// A resource the user gave (`--path-value`) is deleted only after every phase is done with
/// it: before, the examples phase deleted the seeded widget and every later phase read a 404.
#[tokio::test]
async fn a_given_resource_is_deleted_after_every_phase_is_done_with_it() {
    let fixture = start(None).await;
    let s = settings(&fixture.url)
        .operation("show_widget")
        .operation("delete_widget")
        .path_value("widget_id", "w1");
    let outcome = run(spec(), s).await.unwrap();
    let report = terminal::render(&outcome);
    let on_w1 = |r: &&stackspec_conformance::Record| r.case.request.path.ends_with("/w1");
    let order: Vec<(&str, Phase, Option<u16>)> = outcome
        .records
        .iter()
        .filter(on_w1)
        .map(|r| (r.case.request.method.as_str(), r.case.phase, r.status))
        .collect();
    let first_delete = order.iter().position(|(m, ..)| *m == "DELETE").expect(&report);
    assert!(order[first_delete..].iter().all(|(m, ..)| *m == "DELETE"), "{order:?}");
    let reads: Vec<_> = order.iter().filter(|(m, ..)| *m == "GET").collect();
    assert!(reads.iter().any(|(_, p, _)| *p == Phase::Property), "{order:?}");
    let valid_reads = outcome
        .records
        .iter()
        .filter(on_w1)
        .filter(|r| r.case.request.method == "GET" && matches!(r.case.intent, Intent::Valid));
    assert!(valid_reads.clone().count() > 1, "{report}");
    assert!(valid_reads.clone().all(|r| r.status == Some(200)), "{order:?}");
    assert!(!fixture.widget_ids().contains("w1"), "deleted at the end of the run");
}

const NESTED_SPEC: &str = r#"openapi: 3.0.3
info: {title: t, version: '1', x-stackspec: {service-type: t}}
paths:
  /stacks/{stack_id}/snapshots:
    post:
      operationId: create_snapshot
      parameters: [{name: stack_id, in: path, required: true, schema: {type: string}}]
      responses:
        '201': {description: made, content: {application/json: {schema: {type: object}}}}
  /stacks/{stack_id}/snapshots/{snapshot_id}:
    get:
      operationId: show_snapshot
      parameters:
        - {name: stack_id, in: path, required: true, schema: {type: string}}
        - {name: snapshot_id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
        '404': {description: missing, content: {application/json: {schema: {type: object}}}}
"#;

/// heat's snapshots were read back at `/v1/{tenant_id}/stacks/{stack_name}/{stack_id}/
/// snapshots/ID`: only the new id was filled in, so the read got 404 (`create_then_read`
/// failed) and the clean-up never found the snapshots. The create's own path values are the
/// read-back's too.
#[tokio::test]
async fn a_nested_resource_is_read_back_under_the_parents_its_create_was_sent_to() {
    let create = || async { (StatusCode::CREATED, Json(json!({"snapshot": {"id": "s1"}}))) };
    let show = |axum::extract::Path((stack, snapshot)): axum::extract::Path<(String, String)>| async move {
        if (stack.as_str(), snapshot.as_str()) == ("st1", "s1") {
            Json(json!({"snapshot": {"id": "s1"}})).into_response()
        } else {
            (StatusCode::NOT_FOUND, Json(json!({"message": "no such snapshot"}))).into_response()
        }
    };
    let app = Router::new()
        .route("/stacks/{stack}/snapshots", axum::routing::post(create))
        .route("/stacks/{stack}/snapshots/{snapshot}", get(show));
    let url = serve_plain(with_request_id(app)).await;
    let spec = Spec::parse(std::path::Path::new("n.yaml"), NESTED_SPEC).unwrap();
    let settings = Settings::new(&url)
        .phases(vec![Phase::Examples])
        .allow_mutations(true)
        .path_value("stack_id", "st1");
    let outcome = run(spec, settings).await.unwrap();
    let report = terminal::render(&outcome);
    let read = outcome
        .records
        .iter()
        .find(|r| matches!(r.case.intent, Intent::ReadBack(_)))
        .unwrap_or_else(|| panic!("a read-back: {report}"));
    assert_eq!(read.case.request.path, "/stacks/st1/snapshots/s1", "{report}");
    assert_eq!(read.status, Some(200), "{report}");
}
