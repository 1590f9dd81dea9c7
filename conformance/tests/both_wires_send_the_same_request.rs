//! conform sends a plain-HTTP endpoint's requests over hyper directly and everything else
//! over reqwest (`wire.rs`). A server that records the raw bytes it is sent sees the same
//! request from both, and both read its answer alike: which wire a run takes changes its
//! speed, never what it checks.

use std::time::Duration;

use bytes::Bytes;
use stackspec_conformance::wire::Wire;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

const ANSWER: &[u8] = b"HTTP/1.1 207 Multi-Status\r\ncontent-type: application/json\r\n\
x-openstack-request-id: req-1\r\ncontent-length: 14\r\n\r\n{\"events\": []}";

/// A server that answers every request with [`ANSWER`] and reports the bytes of each
/// request it read (head and body, by its content-length).
async fn recorder() -> (String, mpsc::Receiver<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel(8);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                while let Some(request) = read_request(&mut socket).await {
                    let _ = tx.send(request).await;
                    if socket.write_all(ANSWER).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, rx)
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse::<usize>().unwrap());
            if bytes.len() >= end + 4 + length {
                return Some(bytes);
            }
        }
        let n = socket.read(&mut chunk).await.ok().filter(|&n| n > 0)?;
        bytes.extend_from_slice(&chunk[..n]);
    }
}

/// The request line, then the header lines sorted (the order of headers carries no
/// meaning), then the body.
fn normalized(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.split("\r\n");
    let mut out = vec![lines.next().unwrap().to_string()];
    let mut headers: Vec<String> = lines.map(str::to_ascii_lowercase).collect();
    headers.sort();
    out.extend(headers);
    out.push(body.to_string());
    out
}

fn request(url: &str) -> http::Request<Bytes> {
    http::Request::builder()
        .method("POST")
        .uri(format!("{url}/v2.1/os-server-external-events?x=a%20b"))
        .header("accept", "*/*")
        .header("content-type", "application/json")
        .header("OpenStack-API-Version", "compute 2.93")
        .header("X-Auth-Token", "token-1")
        .body(Bytes::from_static(br#"{"events":[{"name":"network-changed"}]}"#))
        .unwrap()
}

async fn exchange(wire: &Wire, url: &str, seen: &mut mpsc::Receiver<Vec<u8>>) -> Exchange {
    let response = tokio::time::timeout(Duration::from_secs(10), wire.send(request(url), 1 << 20))
        .await
        .expect("an answer within 10 s")
        .unwrap();
    let raw = tokio::time::timeout(Duration::from_secs(10), seen.recv()).await.unwrap().unwrap();
    let mut headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_string()))
        .collect();
    headers.sort();
    Exchange {
        sent: normalized(&raw),
        status: response.status().as_u16(),
        headers,
        body: response.into_body(),
    }
}

#[derive(Debug, PartialEq)]
struct Exchange {
    sent: Vec<String>,
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
}

#[tokio::test]
async fn both_wires_send_the_same_bytes_and_read_the_same_answer() {
    let (url, mut seen) = recorder().await;
    let direct = exchange(&Wire::direct(), &url, &mut seen).await;
    let reqwest = exchange(&Wire::reqwest(&Default::default()).unwrap(), &url, &mut seen).await;
    assert_eq!(direct, reqwest);
    // What both sent and read, so that agreeing on nothing would not pass.
    assert_eq!(direct.sent[0], "POST /v2.1/os-server-external-events?x=a%20b HTTP/1.1");
    let host = format!("host: {}", url.trim_start_matches("http://"));
    for line in [&host, "openstack-api-version: compute 2.93", "content-length: 39"] {
        assert!(direct.sent.iter().any(|l| l == line), "{line} not in {:?}", direct.sent);
    }
    assert_eq!(direct.sent.last().unwrap(), r#"{"events":[{"name":"network-changed"}]}"#);
    assert_eq!(direct.status, 207);
    assert!(direct.headers.contains(&("x-openstack-request-id".into(), "req-1".into())));
    assert_eq!(&direct.body[..], br#"{"events": []}"#);
}

#[tokio::test]
async fn the_direct_wire_reuses_its_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, mut connections) = mpsc::channel(8);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let _ = tx.send(()).await;
            tokio::spawn(async move {
                while read_request(&mut socket).await.is_some() {
                    if socket.write_all(ANSWER).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    let wire = Wire::direct();
    for _ in 0..3 {
        let answer = wire.send(request(&url), 1 << 20).await.unwrap();
        assert_eq!(answer.status(), 207);
    }
    assert!(connections.try_recv().is_ok(), "one connection");
    assert!(connections.try_recv().is_err(), "three requests, one connection");
}
