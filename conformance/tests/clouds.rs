//! `--os-cloud`: clouds.yaml and secure.yaml, Keystone v3 authentication, the endpoint from
//! the catalog, the server's microversion maximum, and a new token after a 401.

mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::json;
use stackspec_conformance::cloud::{connect, connect_to, CloudConfig};
use stackspec_conformance::errors::error_chain;
use stackspec_conformance::http::DEFAULT_TIMEOUT;
use stackspec_conformance::{run, VersionChoice};
use support::{keystone, settings, spec, start, start_guarded, EXPIRED_TOKEN, SHORT_TOKEN_USES};

/// The first token issued is one the service considers expired.
fn expired_first(_: &str, n: u32) -> String {
    if n == 0 {
        EXPIRED_TOKEN.to_string()
    } else {
        format!("fresh-{n}")
    }
}

/// clouds.yaml (without the password) and secure.yaml (with it) in a fresh directory.
fn clouds_yaml(auth_url: &str, name: &str) -> PathBuf {
    let clouds = format!("clouds:\n{}", keystone::password_cloud("lab", auth_url, "alice"));
    keystone::write_clouds(name, &clouds, "clouds:\n  lab:\n    auth:\n      password: s3cr3t-pw\n")
}

#[tokio::test]
async fn a_cloud_is_found_authenticated_discovered_and_reauthenticated_after_a_401() {
    let service = start(None).await;
    let (auth_url, fake) = keystone::start(&service.url, expired_first).await;
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
        .cloud_auth(connection.auth.clone())
        .server_max(connection.server_max)
        .microversion(VersionChoice::Latest);
    let outcome = run(spec(), s).await.unwrap();
    let report = stackspec_conformance::report::terminal::render(&outcome);
    assert_eq!(outcome.exit_code(), 0, "{report}");
    assert_eq!(
        service.versions_asked(),
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
    let (auth_url, _) = keystone::start(&service.url, expired_first).await;
    let clouds = clouds_yaml(&auth_url, "missing");
    let err = connect("lab", "compute", std::slice::from_ref(&clouds)).await.unwrap_err();
    assert!(err.to_string().contains("no `compute` endpoint"), "{err}");
    std::fs::remove_dir_all(clouds.parent().unwrap()).unwrap();
}

#[tokio::test]
async fn a_run_re_authenticates_whenever_its_token_expires_and_carries_on() {
    let service = start_guarded(None).await;
    let (auth_url, fake) = keystone::start(&service.url, |_, n| format!("short-{n}")).await;
    let clouds = clouds_yaml(&auth_url, "expiry");
    let connection = connect("lab", "widget", std::slice::from_ref(&clouds)).await.unwrap();
    let outcome =
        run(spec(), settings(&connection.endpoint).cloud_auth(connection.auth)).await.unwrap();
    let report = stackspec_conformance::report::terminal::render(&outcome);
    assert_eq!(outcome.exit_code(), 0, "{report}");
    assert!(outcome.records.iter().all(|r| r.status != Some(401)), "{report}");
    let needed = outcome.records.len() as u32 / SHORT_TOKEN_USES;
    assert!(
        fake.issued.load(Ordering::SeqCst) > needed,
        "a new token every {SHORT_TOKEN_USES} requests"
    );
    std::fs::remove_dir_all(clouds.parent().unwrap()).unwrap();
}

#[tokio::test]
async fn an_endpoint_override_replaces_the_catalog_and_the_environment_makes_a_cloud() {
    let service = start(None).await;
    let (auth_url, fake) = keystone::start("http://127.0.0.1:9/not-this", expired_first).await;
    let vars = |name: &str| {
        let value = match name {
            "OS_AUTH_URL" => format!("{auth_url}/v3"),
            "OS_USERNAME" => "carol".into(),
            "OS_PASSWORD" => "env-pw".into(),
            "OS_PROJECT_NAME" => "demo".into(),
            _ => return None,
        };
        Some(value)
    };
    let mut config = CloudConfig::from_vars(vars).unwrap();
    config.raw["widget_endpoint_override"] = json!(format!("{}/", service.url));
    let connection =
        connect_to(&config, "widget", &Default::default(), DEFAULT_TIMEOUT).await.unwrap();
    assert_eq!(connection.endpoint, service.url);
    assert_eq!(connection.server_max, Some("1.2".parse().unwrap()));
    let sent = fake.requests.lock().unwrap()[0].clone();
    assert_eq!(sent["auth"]["identity"]["password"]["user"]["name"], "carol");
    assert_eq!(sent["auth"]["identity"]["password"]["user"]["password"], "env-pw");
}

/// Listens on loopback and never answers: accepted connections are held until the test
/// ends (bounded by the test's own timeout).
async fn silent_keystone() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    url
}

#[tokio::test]
async fn a_keystone_that_never_answers_fails_within_the_per_request_timeout() {
    let auth_url = silent_keystone().await;
    let clouds = format!("clouds:\n{}", keystone::password_cloud("lab", &auth_url, "alice"));
    let clouds = keystone::write_clouds(
        "silent-keystone",
        &clouds,
        "clouds:\n  lab:\n    auth:\n      password: pw\n",
    );
    let config = CloudConfig::load("lab", &[clouds]).unwrap();
    let timeout = Duration::from_millis(300);
    let no_flags = Default::default();
    let connecting = connect_to(&config, "widget", &no_flags, timeout);
    // Far longer than the timeout: only a Keystone request without one runs into it.
    let bounded = tokio::time::timeout(Duration::from_secs(20), connecting).await;
    let err = bounded.expect("Keystone's request was not bounded by the timeout").unwrap_err();
    let err = error_chain(&err);
    assert!(err.starts_with(&format!("POST {auth_url}/v3/auth/tokens: ")), "{err}");
    assert!(err.contains("timed out"), "{err}");
}
