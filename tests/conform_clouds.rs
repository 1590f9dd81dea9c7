//! `stackspec conform` reaches what clouds.yaml names as openstacksdk does: a standalone
//! service (`auth_type: none`) through its endpoint override, here the built-in image mock
//! tested against the spec built into the binary (`--service`); and `--os-region-name`,
//! `--os-interface` and `--os-endpoint` over the cloud's own settings.

mod support;

use axum::response::IntoResponse;
use axum::routing::post;
use serde_json::{json, Value};
use support::{conform, serve, text};

/// Writes `clouds` as `dir/clouds.yaml`; returns its path.
fn clouds_yaml(dir: &std::path::Path, clouds: &str) -> String {
    let path = dir.join("clouds.yaml");
    std::fs::write(&path, clouds).unwrap();
    path.display().to_string()
}

#[test]
fn a_run_reaches_the_built_in_mock_through_a_clouds_yaml_entry_with_no_keystone() {
    let url = serve(stackspec_mock::builtin_with("image", stackspec_mock::Auth::Off).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let clouds =
        format!("clouds:\n  mock:\n    auth_type: none\n    image_endpoint_override: {url}\n");
    let clouds = clouds_yaml(dir.path(), &clouds);
    let env = [("OS_CLIENT_CONFIG_FILE", clouds.as_str())];
    let args = ["--service", "image", "--os-cloud", "mock", "--tag", "tasks", "--allow-mutations"];
    let more = ["--max-cases", "5", "--seed", "11", "--against", "mock", "--report", "json=r.json"];
    let out = conform(dir.path(), &[&args[..], &more].concat(), &env);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(report["url"], url);
    assert_eq!(report["spec"], "spec/image.yaml", "the spec built into the binary");
    assert!(report["records"].as_array().unwrap().len() > 5, "{}", text(&out));
    assert_eq!(report["operations"]["list_tasks"]["exercised"], true);
}

#[test]
fn service_names_a_built_in_spec_and_excludes_spec() {
    let dir = tempfile::tempdir().unwrap();
    let out = conform(dir.path(), &["--service", "nosuch", "--url", "http://127.0.0.1:9"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let expected = "no built-in service `nosuch`; the built-in ones are baremetal-introspection, baremetal, block-storage, compute, container-infrastructure-management, dns, identity, image, load-balancer, network, object-store, orchestration, placement, shared-file-system";
    assert!(text(&out).contains(expected), "{}", text(&out));
    let both = ["--service", "image", "--spec", "x.yaml", "--url", "http://127.0.0.1:9"];
    let out = conform(dir.path(), &both, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("cannot be used with"), "{}", text(&out));
    let neither = conform(dir.path(), &["--url", "http://127.0.0.1:9"], &[]);
    assert_eq!(neither.status.code(), Some(2));
    assert!(text(&neither).contains("--service <SERVICE>"), "{}", text(&neither));
}

/// A Keystone whose catalog has the widget service at `service` (public, region R1).
fn keystone(service: String) -> String {
    let tokens = move || {
        let catalog = json!([{"type": "widget", "endpoints": [
            {"interface": "public", "region_id": "R1", "url": service},
        ]}]);
        async move {
            ([("x-subject-token", "tok-1")], axum::Json(json!({"token": {"catalog": catalog}})))
                .into_response()
        }
    };
    serve(axum::Router::new().route("/v3/auth/tokens", post(tokens)))
}

#[test]
fn region_interface_and_endpoint_options_go_over_the_clouds_own() {
    let service = serve(axum::Router::new().fallback(|| async { "{}" }));
    let auth_url = keystone(service.clone());
    let dir = tempfile::tempdir().unwrap();
    let clouds = format!(
        "clouds:\n  lab:\n    region_name: R1\n    auth: {{auth_url: '{auth_url}/v3', username: u, password: pw-123456}}\n"
    );
    let clouds = clouds_yaml(dir.path(), &clouds);
    let env = [("OS_CLIENT_CONFIG_FILE", clouds.as_str()), ("OS_CLOUD", "lab")];
    let spec = support::fixture();
    let base = ["--spec", spec.as_str(), "--operation", "list_widgets", "--phases", "examples"];
    let run = |extra: &[&str]| conform(dir.path(), &[&base[..], extra].concat(), &env);
    let found = run(&["--report", "json=r.json"]);
    assert_eq!(found.status.code(), Some(1), "no request id: {}", text(&found));
    let elsewhere = run(&["--os-region-name", "R2"]);
    assert_eq!(elsewhere.status.code(), Some(2));
    let expected = "no `widget` endpoint (interface public, region R2) in the catalog";
    assert!(text(&elsewhere).contains(expected), "{}", text(&elsewhere));
    let sideways = run(&["--os-interface", "sideways"]);
    assert!(text(&sideways).contains("`interface` is `sideways`"), "{}", text(&sideways));
    // The endpoint given bypasses the catalog (which has none in R2).
    let bypass =
        run(&["--os-region-name", "R2", "--os-endpoint", &service, "--report", "json=r.json"]);
    assert_eq!(bypass.status.code(), Some(1), "{}", text(&bypass));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(report["url"], service);
    assert!(!text(&bypass).contains("pw-123456") && !text(&bypass).contains("tok-1"));
}
