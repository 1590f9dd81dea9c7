//! The mocks behave as the services do where clients depend on it, each behaviour driven by
//! a service fact of the spec (`info.x-stackspec`), not by the service's name: every test
//! serves the built-in mock, and where a fact drives the behaviour, also the same spec with
//! that fact changed (its mutant), which must lose the behaviour.

use std::net::SocketAddr;
use std::path::Path;

use reqwest::redirect::Policy;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use stackspec_mock::{self as mock, Auth, Mock};
use stackspec_model::Spec;

const TOKEN: &str = "mock-token";

async fn serve(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

/// The built-in mock of `service`, asking for a token.
async fn builtin(service: &str) -> SocketAddr {
    serve(mock::builtin(service).unwrap()).await
}

/// `service`'s spec with its facts changed by `change`, interpreted.
async fn mutant(
    service: &str,
    change: impl FnOnce(&mut serde_json::Map<String, Value>),
) -> SocketAddr {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec");
    let path = root.join(format!("{service}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut raw: Value = stackspec_model::yaml::from_str(&text).unwrap();
    change(raw.pointer_mut("/info/x-stackspec").and_then(Value::as_object_mut).unwrap());
    let spec = Spec::from_value(&path, raw).unwrap();
    serve(Mock::new(&spec).unwrap().router()).await
}

/// One request with a token (unless `headers` replace it), redirects not followed.
async fn send(
    addr: SocketAddr,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let client = reqwest::Client::builder().redirect(Policy::none()).build().unwrap();
    let mut request = client.request(method, format!("http://{addr}{path}"));
    if !headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("x-auth-token")) {
        request = request.header("X-Auth-Token", TOKEN);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn nova_redirects_its_version_root_to_the_slashed_path() {
    // As nova's version pipeline, none of these asks for a token (keystoneauth's version
    // discovery tries without one first).
    let no_token = [("X-Auth-Token", "")];
    let addr = builtin("compute").await;
    let response = send(addr, Method::GET, "/v2.1", &no_token).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(header(&response, "location"), Some(format!("http://{addr}/v2.1/").as_str()));
    let followed = send(addr, Method::GET, "/v2.1/", &no_token).await;
    assert_eq!(followed.status(), StatusCode::OK, "the version document needs no token");
    let versions = send(addr, Method::GET, "/", &no_token).await;
    assert_eq!(versions.status(), StatusCode::OK, "the version document needs no token");
    let below = send(addr, Method::GET, "/v2.1/servers", &no_token).await;
    assert_eq!(below.status(), StatusCode::UNAUTHORIZED, "only the version documents are public");

    let without = mutant("compute", |facts| {
        facts.remove("slash-redirect");
    })
    .await;
    assert_eq!(send(without, Method::GET, "/v2.1", &[]).await.status(), StatusCode::NOT_FOUND);
    let unredirected = send(without, Method::GET, "/v2.1", &no_token).await;
    assert_eq!(unredirected.status(), StatusCode::UNAUTHORIZED, "no redirect, nothing public");
}

#[tokio::test]
async fn glance_errors_are_html_unless_json_is_accepted() {
    let addr = builtin("image").await;
    let unknown = "/v2/tasks/00000000-0000-4000-8000-0000000000ff";
    let page = send(addr, Method::GET, unknown, &[("Accept", "*/*")]).await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert_eq!(header(&page, "content-type"), Some("text/html; charset=UTF-8"));
    let text = page.text().await.unwrap();
    assert!(text.contains("<h1>404 Not Found</h1>") && text.contains("0000000000ff"), "{text}");
    let json = send(addr, Method::GET, unknown, &[("Accept", "application/json")]).await;
    assert_eq!(header(&json, "content-type"), Some("application/json"));
    let fault: Value = json.json().await.unwrap();
    assert_eq!(fault["code"], "404 Not Found");

    let always_json = mutant("image", |facts| {
        facts.remove("fault-media");
    })
    .await;
    let page = send(always_json, Method::GET, unknown, &[("Accept", "*/*")]).await;
    assert_eq!(header(&page, "content-type"), Some("application/json"));
}

#[tokio::test]
async fn head_is_answered_only_where_the_framework_answers_it() {
    let glance = builtin("image").await;
    let refused = send(glance, Method::HEAD, "/v2/tasks", &[("Accept", "application/json")]).await;
    assert_eq!(refused.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(header(&refused, "allow").is_some_and(|a| a.contains("GET")), "{refused:?}");
    let inspector = builtin("baremetal-introspection").await;
    assert_eq!(send(inspector, Method::HEAD, "/v1/rules", &[]).await.status(), StatusCode::OK);

    let flask_glance = mutant("image", |facts| {
        facts.insert("head-from-get".into(), json!(true));
    })
    .await;
    assert_eq!(send(flask_glance, Method::HEAD, "/v2/tasks", &[]).await.status(), StatusCode::OK);
    let routes_inspector = mutant("baremetal-introspection", |facts| {
        facts.remove("head-from-get");
    })
    .await;
    let status = send(routes_inspector, Method::HEAD, "/v1/rules", &[]).await.status();
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn heat_find_redirects_to_an_absolute_location_on_the_requested_host() {
    let addr = builtin("orchestration").await;
    let id = "00000000-0000-4000-8000-000000000000";
    let stack = send(addr, Method::GET, "/v1/p1/stacks/teststack", &[]).await;
    assert_eq!(stack.status(), StatusCode::FOUND);
    let expected = format!("http://{addr}/v1/p1/stacks/teststack/{id}");
    assert_eq!(header(&stack, "location"), Some(expected.as_str()));
    let events = send(addr, Method::GET, "/v1/p1/stacks/teststack/events?limit=2", &[]).await;
    assert_eq!(events.status(), StatusCode::FOUND);
    let expected = format!("http://{addr}/v1/p1/stacks/teststack/{id}/events?limit=2");
    assert_eq!(header(&events, "location"), Some(expected.as_str()));
}

#[tokio::test]
async fn inspector_serves_every_version_up_to_its_max_and_names_the_bounds() {
    const VERSION: &str = "X-OpenStack-Ironic-Inspector-API-Version";
    let addr = builtin("baremetal-introspection").await;
    let latest = send(addr, Method::GET, "/v1/rules", &[(VERSION, "1.18")]).await;
    assert_eq!(latest.status(), StatusCode::OK);
    assert_eq!(header(&latest, "x-openstack-ironic-inspector-api-minimum-version"), Some("1.0"));
    assert_eq!(header(&latest, "x-openstack-ironic-inspector-api-maximum-version"), Some("1.18"));
    let past = send(addr, Method::GET, "/v1/rules", &[(VERSION, "1.19")]).await;
    assert_eq!(past.status(), StatusCode::NOT_ACCEPTABLE);
    assert!(header(&past, "x-openstack-ironic-inspector-api-maximum-version").is_some());

    let docs_only = mutant("baremetal-introspection", |facts| {
        facts.remove("max-microversion");
        facts.remove("microversion-bound-headers");
    })
    .await;
    let refused = send(docs_only, Method::GET, "/v1/rules", &[(VERSION, "1.18")]).await;
    assert_eq!(refused.status(), StatusCode::NOT_ACCEPTABLE);
    assert_eq!(header(&refused, "x-openstack-ironic-inspector-api-maximum-version"), None);
}

#[tokio::test]
async fn no_token_is_401_in_the_services_fault_unless_auth_is_off() {
    let no_token = [("X-Auth-Token", ""), ("Accept", "application/json")];
    let cases = [
        ("compute", "/servers", json!({"error": {"code": 401, "title": "Unauthorized"}})),
        ("image", "/v2/tasks", json!({"code": "401 Unauthorized", "title": "Unauthorized"})),
        (
            "orchestration",
            "/v1/p1/stacks",
            json!({"error": {"code": 401, "title": "Unauthorized"}}),
        ),
        ("baremetal-introspection", "/v1/rules", json!({"error": {}})),
    ];
    for (service, path, shape) in cases {
        let addr = builtin(service).await;
        let refused = send(addr, Method::GET, path, &no_token).await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "{service}");
        let body: Value = refused.json().await.unwrap();
        assert!(has_shape(&body, &shape), "{service}: {body}");
        assert_ne!(send(addr, Method::GET, path, &[]).await.status(), StatusCode::UNAUTHORIZED);
        let open = serve(mock::builtin_with(service, Auth::Off).unwrap()).await;
        let status = send(open, Method::GET, path, &no_token).await.status();
        assert_ne!(status, StatusCode::UNAUTHORIZED, "{service} without auth");
    }
}

/// Whether `body` has every key of `shape`, with its value where `shape` gives a scalar.
fn has_shape(body: &Value, shape: &Value) -> bool {
    match shape {
        Value::Object(keys) => {
            keys.iter().all(|(k, v)| body.get(k).is_some_and(|b| has_shape(b, v)))
        }
        scalar => body == scalar,
    }
}

#[tokio::test]
async fn event_fields_of_later_microversions_are_not_served_and_show_answers_the_id_asked() {
    let addr = builtin("compute").await;
    let path = "/servers/s1/os-instance-actions/req-asked-for";
    let at = |v: &'static str| [("OpenStack-API-Version", v)];
    let old: Value = send(addr, Method::GET, path, &at("compute 2.61")).await.json().await.unwrap();
    let event = &old["instanceAction"]["events"][0];
    assert!(event.get("event").is_some(), "{old}");
    for later in ["host", "hostId", "details"] {
        assert!(event.get(later).is_none(), "`{later}` served at 2.61: {old}");
    }
    assert_eq!(old["instanceAction"]["request_id"], "req-asked-for");
    let new: Value = send(addr, Method::GET, path, &at("compute 2.62")).await.json().await.unwrap();
    let event = &new["instanceAction"]["events"][0];
    assert!(event.get("host").is_some() && event.get("details").is_none(), "{new}");
}

#[tokio::test]
async fn nova_names_its_405_fault_bad_method() {
    let addr = builtin("compute").await;
    let response = send(addr, Method::DELETE, "/os-server-external-events", &[]).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["badMethod"]["code"], 405, "{body}");
}

/// designate's `/v2/reverse/floatingips/{region}:{floatingip_id}` served by the interpreter:
/// the segment is cut into its two parameters (before, this template was compared as
/// literal text and every request was 404), and a segment without the `:` is not the route.
#[tokio::test]
async fn a_segment_mixing_text_and_parameters_is_routed_by_cutting_it() {
    let addr = builtin("dns").await;
    let path = "/v2/reverse/floatingips/RegionOne:c4b4fd4e-ab5c-4c51-8b29-e3b8dd2cb2c8";
    let found = send(addr, Method::GET, path, &[]).await;
    assert_eq!(found.status(), StatusCode::OK, "{path}");
    let body: Value = found.json().await.unwrap();
    assert!(body.get("ptrdname").is_some(), "{body}");
    let unshaped = "/v2/reverse/floatingips/RegionOne-c4b4fd4e";
    assert_eq!(send(addr, Method::GET, unshaped, &[]).await.status(), StatusCode::NOT_FOUND);
}

/// An operation documented only by an error answers it (keystone's removed PKI revocation
/// list: 410, not a 200 the docs never mention), and a GET whose documented body is optional
/// is served without one (keystone's credential list: 415 "expected a body" before), by the
/// built-in mock whichever way it is served (`--features all-services`: the generated stubs,
/// whose body parameter is then an `Option`) and by the interpreter.
#[tokio::test]
async fn an_error_only_operation_answers_its_error_and_an_optional_body_may_be_left_out() {
    let addr = builtin("identity").await;
    let gone = send(addr, Method::GET, "/v3/auth/tokens/OS-PKI/revoked", &[]).await;
    assert_eq!(gone.status(), StatusCode::GONE);
    let fault: Value = gone.json().await.unwrap();
    assert_eq!(fault.pointer("/error/code"), Some(&json!(410)), "{fault}");
    for addr in [addr, mutant("identity", |_| {}).await] {
        let listed = send(addr, Method::GET, "/v3/credentials", &[]).await;
        assert_eq!(listed.status(), StatusCode::OK);
    }
}
