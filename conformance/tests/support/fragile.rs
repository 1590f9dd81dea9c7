//! The fragile task service (`tests/fixtures/fragile.yaml`) on 127.0.0.1:0: it answers 500
//! to three hostile inputs, `null` for its `input` (when the task's `type` has two letters
//! or more), a body that is not UTF-8 and multipart without a boundary, each with a request
//! id of its own; an undocumented 415 to `text/plain`, a 405 in its fault shape to other
//! methods, and 400 to everything else.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};

/// What each 500 says, as a Python service's traceback would.
pub const NULL_INPUT: &str = "AttributeError: 'NoneType' object has no attribute 'items'";
pub const NOT_UTF8: &str = "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff";
pub const NO_BOUNDARY: &str = "ValueError: Invalid boundary in multipart form: b''";

/// Answers `message` with `status` in the spec's fault shape, under a request id that is
/// new every time (and also in the message, as services log it).
fn fault(counter: &AtomicU64, status: StatusCode, message: &str) -> Response {
    let n = counter.fetch_add(1, Ordering::Relaxed);
    let id = format!("req-{n:08x}-7e57-4000-8000-{:012x}", n * 7919);
    let body = json!({"message": format!("{message} (request {id})")});
    let headers = [
        (header::CONTENT_TYPE, "application/json".to_string()),
        (header::HeaderName::from_static("x-openstack-request-id"), id),
    ];
    (status, headers, body.to_string()).into_response()
}

async fn create(
    State(counter): State<Arc<AtomicU64>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
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

/// Serves the fragile service; returns its base URL.
pub async fn serve() -> String {
    serve_with(false).await
}

/// A 405 as a web framework sends it before the service's code runs (werkzeug's): an HTML
/// page, no request id.
async fn framework_not_allowed() -> Response {
    let page = "<!doctype html>\n<title>405 Method Not Allowed</title>";
    (StatusCode::METHOD_NOT_ALLOWED, [(header::CONTENT_TYPE, "text/html")], page).into_response()
}

/// Serves the fragile service, which also answers an undocumented `DELETE /v1/tasks` with
/// 204 when `undocumented_delete`; returns its base URL.
pub async fn serve_with(undocumented_delete: bool) -> String {
    let mut tasks = post(create);
    if undocumented_delete {
        tasks = tasks.delete(|| async { StatusCode::NO_CONTENT });
    }
    listen(tasks.fallback(not_allowed)).await
}

/// Serves the fragile service with the methods it lacks refused by its framework
/// ([`framework_not_allowed`]); returns its base URL.
pub async fn serve_with_framework_refusals() -> String {
    listen(post(create).fallback(framework_not_allowed)).await
}

async fn listen(tasks: axum::routing::MethodRouter<Arc<AtomicU64>>) -> String {
    let counter = Arc::new(AtomicU64::new(1));
    let app = Router::new().route("/v1/tasks", tasks).with_state(counter);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}
