//! `stackspec conform --record DIR` keeps every exchange as HAR 1.2, and no secret reaches
//! the file: a token sent with `-H` and echoed by the server in a header and in the body is
//! replaced everywhere.

mod support;

use axum::http::{HeaderMap, HeaderValue};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use stackspec_conformance::{Phase, Settings};
use stackspec_model::Spec;

const TOKEN: &str = "tok-4f1c9a-never-in-a-file";

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: echo, version: '1'}
paths:
  /v1/echo:
    get:
      operationId: echo
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                type: object
                properties:
                  seen: {type: string}
                  password: {type: string}
"#;

/// Answers with the token it was sent, in a header, a plain field and a secret-named one.
async fn echo(headers: HeaderMap) -> impl IntoResponse {
    let token = headers.get("x-auth-token").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let mut out = HeaderMap::new();
    out.insert("x-echo", HeaderValue::from_str(&format!("you sent {token}")).unwrap());
    (out, Json(json!({"seen": format!("token={token}"), "password": "hunter2-long"})))
}

#[tokio::test]
async fn every_exchange_is_kept_as_har_without_the_token_sent_and_echoed() {
    let url = support::serve_plain(Router::new().route("/v1/echo", get(echo))).await;
    let dir = tempfile::tempdir().unwrap();
    let spec = Spec::parse(std::path::Path::new("echo.yaml"), SPEC).unwrap();
    let settings = Settings::new(&url)
        .header("X-Auth-Token", TOKEN)
        .phases([Phase::Examples, Phase::Property])
        .max_cases(3)
        .seed(1)
        .record(dir.path());
    let outcome = stackspec_conformance::run(spec, settings).await.unwrap();
    let file = outcome.recorded.clone().expect("a HAR file");
    assert_eq!(file.parent(), Some(dir.path()));
    assert!(file.file_name().unwrap().to_string_lossy().starts_with("echo-"), "{}", file.display());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(TOKEN), "the token is in {}", file.display());
    assert!(!text.contains("hunter2-long"), "a secret-named field's value is in the file");

    let har: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(har["log"]["version"], "1.2");
    let entries = har["log"]["entries"].as_array().unwrap();
    // Every exchange, those a shrink sent again and the report drops included.
    assert!(entries.len() >= outcome.records.len() && !entries.is_empty(), "{}", entries.len());
    let first = &entries[0];
    assert_eq!(first["_operation"], "echo");
    assert_eq!(first["response"]["status"], 200);
    assert!(first["request"]["url"].as_str().unwrap().ends_with("/v1/echo"));
    let sent: Vec<&Value> = first["request"]["headers"].as_array().unwrap().iter().collect();
    assert!(
        sent.iter().any(|h| h["name"] == "X-Auth-Token" && h["value"] == "<redacted>"),
        "{sent:?}"
    );
    let body: Value =
        serde_json::from_str(first["response"]["content"]["text"].as_str().unwrap()).unwrap();
    assert_eq!(body["seen"], "token=<redacted>");
    let echoed = first["response"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == "x-echo")
        .unwrap();
    assert_eq!(echoed["value"], "you sent <redacted>");
}
