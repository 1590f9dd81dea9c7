//! conform against the fragile task service (`tests/support/fragile.rs`, spec
//! `tests/fixtures/fragile.yaml`, on 127.0.0.1), which answers 500 to three hostile inputs
//! (`null` for its `input`, a body that is not UTF-8, multipart without a boundary), each
//! with a request id of its own, an undocumented 415 to `text/plain`, and 400 to the rest.
//! The negative phase must send each, and each 500 is a failure of its own signature whose
//! reproducer gets it again; the property phase reports every distinct failure once, and
//! shrinks a 500 only toward the same 500.

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::Value;
use stackspec_conformance::report::{json as json_report, terminal};
use stackspec_conformance::{run, Outcome, Phase, Settings};
use stackspec_model::Spec;
use support::fragile::{
    serve, serve_with, serve_with_framework_refusals, NOT_UTF8, NO_BOUNDARY, NULL_INPUT,
};

fn spec() -> Spec {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fragile.yaml");
    Spec::load(&path).unwrap()
}

async fn conform(phase: Phase) -> Outcome {
    conform_at(&serve().await, phase).await
}

async fn conform_at(url: &str, phase: Phase) -> Outcome {
    let settings = Settings::new(url)
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
    distinct
        .into_iter()
        .map(|s| (s.clone(), signatures.iter().filter(|x| *x == s).count()))
        .collect()
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
    let others: Vec<_> = outcome
        .records
        .iter()
        .filter(|r| r.status != Some(500) && !r.findings.is_empty())
        .collect();
    assert!(others.is_empty(), "{text}");
    assert!(outcome.records.iter().any(|r| r.status == Some(415)), "{text}");
    assert!(outcome
        .records
        .iter()
        .any(|r| r.case.request.method == "DELETE" && r.status == Some(405)));
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
    // Multipart without a boundary is sent twice (a form and JSON, both labelled so).
    assert_eq!(fives.len(), 4);
    assert_eq!(server_errors(&outcome).len(), 3);
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

#[tokio::test]
async fn a_success_to_a_method_the_path_does_not_document_fails() {
    let outcome = conform_at(&serve_with(true).await, Phase::Negative).await;
    let delete = outcome.records.iter().find(|r| r.case.request.method == "DELETE").unwrap();
    assert_eq!(delete.status, Some(204));
    let summary = delete.summary();
    let expected = "status_code_documented: DELETE answered 204, but the path documents only POST";
    // (The bare 204 also lacks the request id, which another check says.)
    assert!(summary.starts_with(expected), "{summary}");
}

/// Found on the real cloud: inspector's framework (werkzeug) refuses a method a path lacks
/// with an HTML 405 and no request id, before inspector's code runs. The refusal is the
/// answer such input expects; its shape is the framework's, a warning, never a failure.
#[tokio::test]
async fn a_framework_refusal_of_a_method_the_path_lacks_is_an_answer_its_shape_a_warning() {
    let outcome = conform_at(&serve_with_framework_refusals().await, Phase::Negative).await;
    let text = terminal::render(&outcome);
    let refused: Vec<_> = outcome.records.iter().filter(|r| r.status == Some(405)).collect();
    assert!(!refused.is_empty(), "{text}");
    for r in &refused {
        assert!(!r.failed(), "{text}");
        assert!(r.findings.iter().any(|f| f.check == "error_fault_shape"), "{text}");
    }
}

/// A service whose version parser raises on what it does not expect (inspector answered 500
/// on every path to `X-OpenStack-Ironic-Inspector-API-Version: v`): the negative phase sends
/// microversion headers that name no version, and the 500 they get is a failure.
#[tokio::test]
async fn a_microversion_header_naming_no_version_that_gets_a_500_is_a_failure() {
    use axum::http::{HeaderMap, StatusCode};
    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1.5', x-stackspec: {service-type: thing}}\npaths:\n  /things:\n    get:\n      operationId: list_things\n      parameters: [{name: OpenStack-API-Version, in: header, schema: {type: string}}]\n      responses:\n        '200': {description: ok}\n        '400': {description: bad version}\n";
    async fn list(headers: HeaderMap) -> StatusCode {
        let value = headers.get("openstack-api-version").and_then(|v| v.to_str().ok());
        let version = value.and_then(|v| v.strip_prefix("thing ")).unwrap_or("1.0");
        let parsed = version.split_once('.').map(|(a, b)| (a.parse::<u32>(), b.parse::<u32>()));
        match parsed {
            Some((Ok(_), Ok(_))) => StatusCode::OK,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
    let app = axum::Router::new().route("/things", axum::routing::get(list));
    let url = support::serve_plain(app).await;
    let spec = Spec::parse(std::path::Path::new("thing.yaml"), SPEC).unwrap();
    let settings = Settings::new(&url).phases([Phase::Negative]).max_cases(50).seed(3);
    let outcome = run(spec, settings).await.unwrap();
    let report = terminal::render(&outcome);
    let failing: Vec<String> = outcome
        .records
        .iter()
        .filter(|r| r.status == Some(500))
        .filter_map(|r| match &r.case.intent {
            stackspec_conformance::phases::Intent::Unusual { what } => Some(what.clone()),
            _ => None,
        })
        .collect();
    assert!(
        failing.iter().any(|w| w.contains("OpenStack-API-Version: thing v` names no microversion")),
        "{report}"
    );
    assert_eq!(outcome.exit_code(), 1, "{report}");
}
