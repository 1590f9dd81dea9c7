//! conform against a task service (spec `tests/fixtures/fragile.yaml`, served here on
//! 127.0.0.1) that answers 500 to three hostile inputs, `null` for its `input` (when the
//! task's `type` has two letters or more), a body that is not UTF-8 and multipart without a
//! boundary, each with a request id of its own, an undocumented 415 to `text/plain`, and
//! 400 to everything else. The negative
//! phase must send each, and each 500 is a failure of its own signature; the property phase
//! reports every distinct failure once, and shrinks a 500 only toward the same 500.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};
use stackspec_conformance::report::{json as json_report, terminal};
use stackspec_conformance::{run, Outcome, Phase, Settings};
use stackspec_model::Spec;

/// What each 500 says, as a Python service's traceback would.
const NULL_INPUT: &str = "AttributeError: 'NoneType' object has no attribute 'items'";
const NOT_UTF8: &str = "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff";
const NO_BOUNDARY: &str = "ValueError: Invalid boundary in multipart form: b''";

/// Answers `message` with `status` in the spec's fault shape, under a request id that is
/// new every time (and also in the message, as services log it).
fn fault(counter: &AtomicU64, status: StatusCode, message: &str) -> Response {
    let n = counter.fetch_add(1, Ordering::Relaxed);
    let id = format!("req-{n:08x}-7e57-4000-8000-{:012x}", n * 7919);
    let body = json!({"message": format!("{message} (request {id})")});
    let headers = [(header::CONTENT_TYPE, "application/json".to_string()), (
        header::HeaderName::from_static("x-openstack-request-id"),
        id,
    )];
    (status, headers, body.to_string()).into_response()
}

async fn create(State(counter): State<Arc<AtomicU64>>, headers: HeaderMap, body: Bytes) -> Response {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let multipart = content_type.is_some_and(|c| c.starts_with("multipart/form-data"));
    if multipart && !content_type.is_some_and(|c| c.contains("boundary=")) {
        return fault(&counter, StatusCode::INTERNAL_SERVER_ERROR, NO_BOUNDARY);
    }
    if content_type.is_some_and(|c| c.starts_with("text/plain")) {
        return fault(&counter, StatusCode::UNSUPPORTED_MEDIA_TYPE, "text/plain is not JSON");
    }
    let Ok(text) = std::str::from_utf8(&body) else {
        return fault(&counter, StatusCode::INTERNAL_SERVER_ERROR, NOT_UTF8);
    };
    let task: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let kind = task.get("type").and_then(Value::as_str).unwrap_or_default();
    if task.get("input") == Some(&Value::Null) && kind.len() >= 2 {
        return fault(&counter, StatusCode::INTERNAL_SERVER_ERROR, NULL_INPUT);
    }
    fault(&counter, StatusCode::BAD_REQUEST, &format!("task type '{kind}' is not supported"))
}

async fn not_allowed(State(counter): State<Arc<AtomicU64>>) -> Response {
    fault(&counter, StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
}

async fn serve() -> String {
    let counter = Arc::new(AtomicU64::new(1));
    let app = Router::new()
        .route("/v1/tasks", post(create).fallback(not_allowed))
        .with_state(counter);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

fn spec() -> Spec {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fragile.yaml");
    Spec::load(&path).unwrap()
}

async fn conform(phase: Phase) -> Outcome {
    let settings = Settings::new(&serve().await)
        .allow_mutations(true)
        .phases([phase])
        .max_cases(50)
        .seed(3)
        .workers(2)
        .timeout(Duration::from_secs(10));
    run(spec(), settings).await.unwrap()
}

/// The signatures of the 500s the run reported, each with how many records show it.
fn server_errors(outcome: &Outcome) -> Vec<(String, usize)> {
    let signatures: Vec<String> = outcome
        .records
        .iter()
        .filter(|r| r.status == Some(500))
        .map(|r| r.signature().expect("a 500 fails"))
        .collect();
    let distinct: BTreeSet<&String> = signatures.iter().collect();
    distinct.into_iter().map(|s| (s.clone(), signatures.iter().filter(|x| *x == s).count())).collect()
}

#[tokio::test]
async fn each_hostile_input_that_breaks_the_server_is_a_failure_of_its_own_signature() {
    let outcome = conform(Phase::Negative).await;
    let text = terminal::render(&outcome);
    let errors = server_errors(&outcome);
    for marker in [NULL_INPUT, NOT_UTF8, NO_BOUNDARY] {
        // The signature keeps the fault's words (the quoted values normalised away).
        let word = marker.split(':').next().unwrap();
        let with = errors.iter().filter(|(s, _)| s.contains(word)).count();
        assert_eq!(with, 1, "one signature for {word}: {errors:#?}\n{text}");
    }
    assert_eq!(errors.len(), 3, "{errors:#?}");
    // Every signature starts with its status and check, and holds no request id.
    for (signature, _) in &errors {
        assert!(signature.starts_with("500 not_a_server_error: "), "{signature}");
        assert!(!signature.contains("7e57"), "the request id is normalised: {signature}");
    }
    // No 4xx to these inputs, documented or not (the 405s, a 415), is called a failure or
    // a documentation gap.
    let others: Vec<_> =
        outcome.records.iter().filter(|r| r.status != Some(500) && !r.findings.is_empty()).collect();
    assert!(others.is_empty(), "{text}");
    assert!(outcome.records.iter().any(|r| r.status == Some(415)), "{text}");
    assert!(outcome.records.iter().any(|r| r.case.request.method == "DELETE" && r.status == Some(405)));
    assert!(terminal::distinct_failures(&outcome) == 3, "{text}");
    // The JSON report says per record what the input was and its signature.
    let report = json_report::render(&outcome);
    let records = report["records"].as_array().unwrap();
    let null = records.iter().find(|r| r["input"] == "/input is null").expect("sent null");
    assert!(null["signature"].as_str().unwrap().contains("AttributeError"), "{null}");
    assert!(records.iter().any(|r| r["input"] == "a body that is not UTF-8"));
}

#[tokio::test]
async fn the_property_phase_reports_every_distinct_failure_once_and_shrinks_a_500_to_a_500() {
    let outcome = conform(Phase::Property).await;
    let text = terminal::render(&outcome);
    let failing: Vec<_> = outcome.records.iter().filter(|r| r.failed()).collect();
    let statuses: BTreeSet<Option<u16>> = failing.iter().map(|r| r.status).collect();
    // Draws with a null input and draws without: a 500 and a 400, both reported.
    assert_eq!(statuses, BTreeSet::from([Some(400), Some(500)]), "{text}");
    // Many draws hit each; each is reported once, shrunk (the request ids and the echoed
    // task types differ every time, the signature does not).
    assert_eq!(failing.len(), 2, "{text}");
    assert_eq!(server_errors(&outcome).len(), 1, "{text}");
    // The shrunk 500 still has what makes it a 500 (a type of two letters or more); a
    // shrink toward any failure would have ended at a one-letter type's 400.
    let five = failing.iter().find(|r| r.status == Some(500)).unwrap();
    let body = five.case.request.body.as_ref().unwrap();
    assert_eq!(body["input"], Value::Null, "{body}");
    assert_eq!(body["type"].as_str().unwrap().len(), 2, "shrunk as far as it stays a 500: {body}");
}

#[tokio::test]
async fn the_reproducer_of_each_hostile_500_gets_the_500_when_run_by_sh() {
    let outcome = conform(Phase::Negative).await;
    let fives: Vec<_> = outcome.records.iter().filter(|r| r.status == Some(500)).collect();
    assert_eq!(fives.len(), 3);
    for r in fives {
        let curl = r.curl();
        let command = curl.clone();
        // Off the runtime's thread: the server answers on it.
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new("timeout").args(["10", "sh", "-c", &command]).output()
        })
        .await
        .unwrap()
        .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.starts_with("HTTP/1.1 500"), "{curl}\n{text}");
        let message = r.findings[0].message.split(" (request").next().unwrap().to_string();
        let fault = message.rsplit("\"message\":\"").next().unwrap();
        assert!(text.contains(fault), "{curl}\n{text}\nwanted {fault}");
    }
}
