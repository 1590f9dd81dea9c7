//! A fake Keystone v3 on 127.0.0.1:0: `POST /v3/auth/tokens` records the request and issues
//! the token `token(user, n)` (n counts issued tokens) with a catalog whose public `widget`
//! endpoint is the service under test.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

pub struct FakeKeystone {
    pub issued: AtomicU32,
    pub requests: Mutex<Vec<Value>>,
    service_url: String,
    token: fn(&str, u32) -> String,
}

async fn tokens(State(k): State<Arc<FakeKeystone>>, Json(body): Json<Value>) -> Response {
    let identity = &body["auth"]["identity"];
    let user = identity["password"]["user"]["name"]
        .as_str()
        .or(identity["application_credential"]["id"].as_str())
        .unwrap_or("token-user")
        .to_string();
    k.requests.lock().unwrap().push(body);
    let n = k.issued.fetch_add(1, Ordering::SeqCst);
    let catalog = json!([{"type": "widget", "endpoints": [
        {"interface": "internal", "region_id": "R1", "url": "http://127.0.0.1:9/internal"},
        {"interface": "public", "region_id": "R1", "url": k.service_url},
    ]}]);
    let token = (k.token)(&user, n);
    ([("x-subject-token", token)], Json(json!({"token": {"catalog": catalog}}))).into_response()
}

/// Starts a fake Keystone; returns its URL and its state.
pub async fn start(
    service_url: &str,
    token: fn(&str, u32) -> String,
) -> (String, Arc<FakeKeystone>) {
    let (app, k) = app(service_url, token);
    (super::serve_plain(app).await, k)
}

/// Starts a fake Keystone over TLS with `config`; returns its URL and its state.
pub async fn start_tls(
    service_url: &str,
    token: fn(&str, u32) -> String,
    config: rustls::ServerConfig,
) -> (String, Arc<FakeKeystone>) {
    let (app, k) = app(service_url, token);
    (super::tls::serve(app, config).await, k)
}

fn app(service_url: &str, token: fn(&str, u32) -> String) -> (Router, Arc<FakeKeystone>) {
    let k = Arc::new(FakeKeystone {
        issued: AtomicU32::new(0),
        requests: Mutex::new(Vec::new()),
        service_url: service_url.to_string(),
        token,
    });
    (Router::new().route("/v3/auth/tokens", post(tokens)).with_state(k.clone()), k)
}

/// Writes `clouds` as clouds.yaml and `secure` as secure.yaml into a fresh directory named
/// after `name`; returns the clouds.yaml path.
pub fn write_clouds(name: &str, clouds: &str, secure: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stackspec-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("clouds.yaml"), clouds).unwrap();
    std::fs::write(dir.join("secure.yaml"), secure).unwrap();
    dir.join("clouds.yaml")
}

/// A password cloud entry `name` for `user` against `auth_url`, password in secure.yaml.
pub fn password_cloud(name: &str, auth_url: &str, user: &str) -> String {
    format!(
        "  {name}:\n    region_name: R1\n    auth:\n      auth_url: {auth_url}/v3\n      username: {user}\n      user_domain_name: Default\n      project_name: demo\n      project_domain_id: default\n"
    )
}
