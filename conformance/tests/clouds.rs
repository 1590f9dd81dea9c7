//! `--os-cloud`: clouds.yaml and secure.yaml, Keystone v3 authentication, the endpoint from
//! the catalog, the server's microversion maximum, and a new token after a 401.

mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use stackspec_conformance::cloud::connect;
use stackspec_conformance::{run, VersionChoice};
use support::{settings, spec, start, EXPIRED_TOKEN};

/// A fake Keystone: the first token it issues is one the service considers expired.
#[derive(Default)]
struct Keystone {
    issued: AtomicU32,
    requests: Mutex<Vec<Value>>,
    service_url: Mutex<String>,
}

async fn tokens(State(k): State<Arc<Keystone>>, Json(body): Json<Value>) -> Response {
    k.requests.lock().unwrap().push(body);
    let n = k.issued.fetch_add(1, Ordering::SeqCst);
    let token = if n == 0 { EXPIRED_TOKEN.to_string() } else { format!("fresh-{n}") };
    let url = k.service_url.lock().unwrap().clone();
    let catalog = json!([{"type": "widget", "endpoints": [
        {"interface": "internal", "region_id": "R1", "url": "http://127.0.0.1:9/internal"},
        {"interface": "public", "region_id": "R1", "url": url},
    ]}]);
    ([("x-subject-token", token)], Json(json!({"token": {"catalog": catalog}}))).into_response()
}

async fn keystone(service_url: &str) -> (String, Arc<Keystone>) {
    let k = Arc::new(Keystone::default());
    *k.service_url.lock().unwrap() = service_url.to_string();
    let app = Router::new().route("/v3/auth/tokens", post(tokens)).with_state(k.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, k)
}

/// Writes clouds.yaml (without the password) and secure.yaml (with it) to a fresh directory.
fn clouds_yaml(auth_url: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stackspec-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let clouds = format!(
        "clouds:\n  lab:\n    region_name: R1\n    auth:\n      auth_url: {auth_url}/v3\n      username: alice\n      user_domain_name: Default\n      project_name: demo\n      project_domain_id: default\n"
    );
    std::fs::write(dir.join("clouds.yaml"), clouds).unwrap();
    let secure = "clouds:\n  lab:\n    auth:\n      password: s3cr3t-pw\n";
    std::fs::write(dir.join("secure.yaml"), secure).unwrap();
    dir.join("clouds.yaml")
}

#[tokio::test]
async fn a_cloud_is_found_authenticated_discovered_and_reauthenticated_after_a_401() {
    let service = start(None).await;
    let (auth_url, fake) = keystone(&service.url).await;
    let clouds = clouds_yaml(&auth_url, "cloud");
    let missing = PathBuf::from("/nonexistent/clouds.yaml");
    let connection = connect("lab", "widget", &[missing, clouds.clone()]).await.unwrap();
    assert_eq!(connection.endpoint, service.url);
    assert_eq!(connection.server_max, Some("1.2".parse().unwrap()));
    let first = fake.requests.lock().unwrap()[0].clone();
    let user = &first["auth"]["identity"]["password"]["user"];
    assert_eq!(user["password"], "s3cr3t-pw", "secure.yaml is merged in");
    assert_eq!(user["domain"], json!({"name": "Default"}));
    assert_eq!(
        first["auth"]["scope"],
        json!({"project": {"name": "demo", "domain": {"id": "default"}}})
    );
    // The discovery request got a 401 for the expired token and was retried with a new one.
    assert_eq!(fake.issued.load(Ordering::SeqCst), 2);

    let s = settings(&connection.endpoint)
        .keystone(connection.keystone.clone())
        .server_max(connection.server_max)
        .microversion(VersionChoice::Latest);
    let outcome = run(spec(), s).await.unwrap();
    let report = stackspec_conformance::report::terminal::render(&outcome);
    assert_eq!(outcome.exit_code(), 0, "{report}");
    assert_eq!(
        service.header_values("openstack-api-version"),
        BTreeSet::from(["widget 1.2".to_string()]),
        "latest is the lower of the spec's 1.3 and the server's 1.2"
    );
    assert!(service.header_values("x-auth-token").contains("fresh-1"));
    let json = stackspec_conformance::report::json::render(&outcome).to_string();
    assert!(!json.contains("fresh-1") && !json.contains("s3cr3t"), "tokens are redacted");
    std::fs::remove_dir_all(clouds.parent().unwrap()).unwrap();
}

#[tokio::test]
async fn a_service_missing_from_the_catalog_is_an_error_naming_it() {
    let service = start(None).await;
    let (auth_url, _) = keystone(&service.url).await;
    let clouds = clouds_yaml(&auth_url, "missing");
    let err = connect("lab", "compute", std::slice::from_ref(&clouds)).await.unwrap_err();
    assert!(err.to_string().contains("no `compute` endpoint"), "{err}");
    std::fs::remove_dir_all(clouds.parent().unwrap()).unwrap();
}
