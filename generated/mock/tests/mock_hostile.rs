//! The mock against clients that misbehave, over raw TCP on 127.0.0.1: connections that
//! stall are closed within the configured bounds, connections past the limit wait while
//! the others are served, malformed chunking is a 400, stored tasks are capped and listed
//! page by page, and a body no branch of the spec describes is refused. Every wait is
//! bounded by [`BOUND`]; the bounds under test are a fraction of a second.

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::{json, Value};
use stackspec_mock::{self as mock, Auth, Limits, Mock};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The longest any step of these tests waits before it fails.
const BOUND: Duration = Duration::from_secs(10);

/// Bounds short enough for a test, long ones for those not under test.
fn limits() -> Limits {
    Limits {
        header_read: Duration::from_secs(60),
        request: Duration::from_secs(60),
        idle: Duration::from_secs(60),
        max_connections: 64,
    }
}

/// Serves `router` within `limits` on an ephemeral port for the rest of the test.
async fn serve(router: axum::Router, limits: Limits) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(mock::serve(listener, router, limits));
    addr
}

/// The built-in mock of `service`, serving requests without a token (these clients send
/// none; `mock_behaviours.rs` holds the 401).
async fn builtin(service: &str, limits: Limits) -> SocketAddr {
    serve(mock::builtin_with(service, Auth::Off).unwrap(), limits).await
}

/// The mock of `service` served by the interpreter (`--spec FILE`).
async fn interpreted(service: &str, limits: Limits) -> SocketAddr {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let spec = stackspec_model::Spec::load(&root.join(format!("spec/{service}.yaml")));
    serve(Mock::new(&spec.unwrap()).unwrap().with_auth(Auth::Off).router(), limits).await
}

/// Everything the server sends until it closes the connection, or `None` if it is still
/// open after [`BOUND`].
async fn until_closed(stream: &mut TcpStream) -> Option<String> {
    let mut seen = Vec::new();
    match tokio::time::timeout(BOUND, stream.read_to_end(&mut seen)).await {
        Ok(_) => Some(String::from_utf8_lossy(&seen).into_owned()),
        Err(_) => None,
    }
}

/// Reads one response's head, or `None` if none arrives within `wait`.
async fn head_within(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut seen = Vec::new();
    let read = async {
        let mut buf = [0u8; 4096];
        while !String::from_utf8_lossy(&seen).contains("\r\n\r\n") {
            let n = stream.read(&mut buf).await.ok().filter(|n| *n > 0)?;
            seen.extend_from_slice(&buf[..n]);
        }
        Some(())
    };
    tokio::time::timeout(wait, read).await.ok().flatten()?;
    Some(String::from_utf8_lossy(&seen).into_owned())
}

async fn connect(addr: SocketAddr) -> TcpStream {
    TcpStream::connect(addr).await.unwrap()
}

const GET_TASKS: &[u8] = b"GET /v2/tasks HTTP/1.1\r\nHost: mock\r\n\r\n";

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    let header_read = Duration::from_millis(300);
    let addr = builtin("image", Limits { header_read, ..limits() }).await;
    let mut silent = connect(addr).await;
    assert_eq!(until_closed(&mut silent).await.as_deref(), Some(""));
}

#[tokio::test]
async fn an_unfinished_request_head_is_closed_after_the_header_timeout() {
    let header_read = Duration::from_millis(300);
    let addr = builtin("image", Limits { header_read, ..limits() }).await;
    let mut slow = connect(addr).await;
    slow.write_all(b"GET /v2/tasks HTTP/1.1\r\nHost: mo").await.unwrap();
    assert!(until_closed(&mut slow).await.is_some(), "still open after {BOUND:?}");
}

#[tokio::test]
async fn a_kept_alive_connection_left_idle_is_closed() {
    let header_read = Duration::from_millis(300);
    let addr = builtin("image", Limits { header_read, ..limits() }).await;
    let mut client = connect(addr).await;
    client.write_all(GET_TASKS).await.unwrap();
    let seen = until_closed(&mut client).await.expect("closed");
    assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
}

#[tokio::test]
async fn a_connection_moving_no_byte_is_closed_after_the_idle_timeout() {
    let idle = Duration::from_millis(300);
    let addr = builtin("image", Limits { idle, ..limits() }).await;
    let mut silent = connect(addr).await;
    assert_eq!(until_closed(&mut silent).await.as_deref(), Some(""));
}

#[tokio::test]
async fn a_body_announced_but_never_sent_gets_the_services_408_fault_after_the_request_timeout() {
    let request = Duration::from_millis(300);
    for addr in [
        builtin("image", Limits { request, ..limits() }).await,
        interpreted("image", Limits { request, ..limits() }).await,
    ] {
        let mut client = connect(addr).await;
        // JSON asked for: glance answers errors in HTML otherwise, as the mock does.
        let head = "POST /v2/tasks HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\n\
                    Accept: application/json\r\nContent-Length: 10\r\n\r\n";
        client.write_all(head.as_bytes()).await.unwrap();
        let seen = until_closed(&mut client).await.expect("closed");
        assert!(seen.starts_with("HTTP/1.1 408"), "{seen}");
        // glance's fault shape (webob), as every other fault of the image mock.
        assert!(seen.contains("application/json"), "{seen}");
        assert!(seen.contains(r#""code":"408 Request Timeout""#), "{seen}");
    }
}

#[tokio::test]
async fn past_the_connection_limit_clients_wait_while_the_held_ones_are_served() {
    let addr = builtin("image", Limits { max_connections: 2, ..limits() }).await;
    // The mock accepts in connection order: these two take both slots.
    let mut held = connect(addr).await;
    let other = connect(addr).await;
    let mut waiting = connect(addr).await;
    waiting.write_all(GET_TASKS).await.unwrap();
    assert_eq!(head_within(&mut waiting, Duration::from_millis(500)).await, None);
    held.write_all(GET_TASKS).await.unwrap();
    let served = head_within(&mut held, BOUND).await;
    assert!(served.is_some_and(|h| h.starts_with("HTTP/1.1 200")), "a held connection is served");
    drop(other);
    let head = head_within(&mut waiting, BOUND).await;
    assert!(head.is_some_and(|h| h.starts_with("HTTP/1.1 200")), "served once a slot frees");
}

#[tokio::test]
async fn malformed_chunked_encoding_gets_400_not_413() {
    for addr in [builtin("image", limits()).await, interpreted("image", limits()).await] {
        let mut client = connect(addr).await;
        let request = "POST /v2/tasks HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\n\
                       Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";
        client.write_all(request.as_bytes()).await.unwrap();
        let head = head_within(&mut client, BOUND).await.expect("an answer");
        assert!(head.starts_with("HTTP/1.1 400"), "{head}");
    }
}

async fn post_json(http: &reqwest::Client, url: String, body: Value) -> (u16, Value) {
    let response = http.post(url).json(&body).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_server_create_body_no_branch_describes_gets_400() {
    let http = reqwest::Client::new();
    for addr in [builtin("compute", limits()).await, interpreted("compute", limits()).await] {
        let (status, body) = post_json(&http, format!("http://{addr}/servers"), json!({})).await;
        assert_eq!(status, 400, "{body}");
        let multiple = json!({"server": {"name": "x", "min_count": 2, "max_count": 3}});
        let (status, body) = post_json(&http, format!("http://{addr}/servers"), multiple).await;
        assert_eq!(status, 202, "{body}");
    }
}

async fn create_task(http: &reqwest::Client, addr: SocketAddr) -> String {
    let task = json!({"type": "import", "input": {}});
    let (status, created) = post_json(http, format!("http://{addr}/v2/tasks"), task).await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_str().unwrap().to_string()
}

async fn get(http: &reqwest::Client, url: String) -> (u16, Value) {
    let response = http.get(url).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn stored_tasks_are_capped_and_the_oldest_forgotten() {
    let http = reqwest::Client::new();
    let addr = builtin("image", limits()).await;
    let oldest = create_task(&http, addr).await;
    let mut newest = oldest.clone();
    for _ in 0..mock::STORED_RESOURCES_CAP {
        newest = create_task(&http, addr).await;
    }
    let (status, _) = get(&http, format!("http://{addr}/v2/tasks/{oldest}")).await;
    assert_eq!(status, 404, "the oldest task is forgotten");
    let (status, _) = get(&http, format!("http://{addr}/v2/tasks/{newest}")).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_task_list_is_paged_newest_first_with_limit_marker_and_next() {
    let http = reqwest::Client::new();
    for addr in [builtin("image", limits()).await, interpreted("image", limits()).await] {
        let mut ids = Vec::new();
        for _ in 0..3 {
            ids.push(create_task(&http, addr).await);
        }
        let ids_of = |page: &Value| -> Vec<String> {
            let tasks = page["tasks"].as_array().unwrap().iter();
            tasks.map(|t| t["id"].as_str().unwrap().to_string()).collect()
        };
        let (status, first) = get(&http, format!("http://{addr}/v2/tasks?limit=2")).await;
        assert_eq!(status, 200, "{first}");
        assert_eq!(ids_of(&first), [ids[2].clone(), ids[1].clone()]);
        let next = first["next"].as_str().expect("a next link");
        assert_eq!(next, format!("/v2/tasks?limit=2&marker={}", ids[1]));
        let (_, last) = get(&http, format!("http://{addr}{next}")).await;
        assert_eq!(ids_of(&last), [ids[0].clone()]);
        assert_eq!(last.get("next"), None, "{last}");
        let (status, _) = get(&http, format!("http://{addr}/v2/tasks?marker=gone")).await;
        assert_eq!(status, 404);
        let (status, _) = get(&http, format!("http://{addr}/v2/tasks?limit=-1")).await;
        assert_eq!(status, 400);
    }
}
