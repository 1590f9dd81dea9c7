//! conform against servers that misbehave on purpose (raw TCP on 127.0.0.1): connections
//! reset, requests never answered or answered a byte at a time, bodies too large or
//! endless, requests echoed back with their secrets, redirects off the host, and
//! `Retry-After` asking for days. Each run ends with the verdict the misbehaviour deserves,
//! within a generous wall-time bound (the options give it 1-2 s; these are bounds, not
//! benchmarks), and with no secret in any output: the terminal summary, JSON and JUnit.

mod support;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use stackspec_conformance::report::{json, junit, terminal};
use stackspec_conformance::{run, Outcome, Phase, Settings};
use support::keystone;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Every run must end well within this, whatever the server does.
const BOUND: Duration = Duration::from_secs(20);

/// The body cap of these runs.
const CAP: usize = 1 << 20;

/// Sent as `-H` headers (a name rule decides which are credentials, so the odd ones are
/// here too).
const HEADERS: [(&str, &str); 7] = [
    ("X-Auth-Token", "hdr-auth-token-0123456789"),
    ("x-api-key", "hdr-api-key-0123456789"),
    ("Authorization", "Bearer hdr-bearer-0123456789"),
    ("Cookie", "sid=hdr-cookie-0123456789"),
    ("X-Service-Token", "hdr-service-token-0123456789"),
    ("X-Custom-Signature", "hdr-signature-0123456789"),
    ("X-Session-Id", "hdr-session-0123456789"),
];
/// The password in the service URL's userinfo.
const URL_PASSWORD: &str = "url-password-0123456789";
/// The cloud's password (secure.yaml), which the echo server also leaks.
const CLOUD_PASSWORD: &str = "cloud-password-0123456789";
/// What the echo server hands out as a token and a cookie of its own.
const SERVER_TOKEN: &str = "srv-subject-token-0123456789";
const SERVER_COOKIE: &str = "srv-cookie-0123456789";
/// Marks an echo, to prove the echo reached the reports.
const MARKER: &str = "ECHO-MARKER";

/// Every secret that must appear in no output.
fn secrets() -> Vec<String> {
    let mut out: Vec<String> = HEADERS.iter().map(|(_, v)| v.to_string()).collect();
    out.extend(["hdr-bearer-0123456789", "hdr-cookie-0123456789"].map(String::from));
    out.extend([URL_PASSWORD, CLOUD_PASSWORD, SERVER_TOKEN, SERVER_COOKIE].map(String::from));
    out.push(keystone_token("alice", 0));
    out
}

fn keystone_token(_: &str, n: u32) -> String {
    format!("ks-issued-token-0123456789-{n}")
}

/// How a server misbehaves.
#[derive(Debug, Clone, Copy)]
enum Hostile {
    /// Reads the request, then closes the connection with a reset.
    Reset,
    /// Reads the request and never answers.
    Stall,
    /// Answers one byte every half second.
    Drip,
    /// Announces a 1 TiB body and sends zeros.
    HugeBody,
    /// Sends chunks for ever.
    EndlessChunks,
    /// Sends the request back (in a 500 body, a 200 body that fails its schema, a 400's
    /// headers), with the cloud's password and a token and cookie of its own.
    Echo,
    /// Redirects to another host (a listener on 127.0.0.2 that counts connections).
    Redirect(SocketAddr),
    /// 503 with `Retry-After: 999999`.
    RetryAfterForever,
}

/// A hostile server: its address and how many requests it read.
struct Server {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
}

async fn serve(hostile: Hostile) -> Server {
    serve_on("127.0.0.1:0", hostile).await
}

async fn serve_on(bind: &str, hostile: Hostile) -> Server {
    let listener = TcpListener::bind(bind).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = requests.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(answer(hostile, stream, counted.clone()));
        }
    });
    Server { addr, requests }
}

/// The request head, up to its blank line (these runs send no bodies), or `None` when the
/// client closed first.
async fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65536 {
        let n = stream.read(&mut buf).await.ok().filter(|&n| n > 0)?;
        head.extend_from_slice(&buf[..n]);
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

async fn answer(hostile: Hostile, mut stream: TcpStream, requests: Arc<AtomicUsize>) {
    let Some(head) = read_head(&mut stream).await else { return };
    let n = requests.fetch_add(1, Ordering::SeqCst);
    let head_of = |status: &str, extra: &str| {
        format!("HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{extra}\r\n")
    };
    match hostile {
        Hostile::Reset => {
            #[allow(deprecated)] // the replacement is not in every tokio this builds with
            let _ = stream.set_linger(Some(Duration::ZERO));
        }
        Hostile::Stall => tokio::time::sleep(Duration::from_secs(3600)).await,
        Hostile::Drip => {
            let head = head_of("200 OK", "Content-Length: 100000\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            while stream.write_all(b" ").await.is_ok() {
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
        Hostile::HugeBody => {
            let head = head_of("200 OK", "Content-Length: 1099511627776\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let zeros = vec![b'0'; 65536];
            while stream.write_all(&zeros).await.is_ok() {}
        }
        Hostile::EndlessChunks => {
            let head = head_of("200 OK", "Transfer-Encoding: chunked\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let chunk = format!("10000\r\n{}\r\n", "0".repeat(65536));
            while stream.write_all(chunk.as_bytes()).await.is_ok() {}
        }
        Hostile::Echo => {
            let _ = stream.write_all(echo(&head, n).as_bytes()).await;
        }
        Hostile::Redirect(to) => {
            let extra = format!(
                "Location: http://{to}/stolen\r\nContent-Length: 0\r\nConnection: close\r\n"
            );
            let _ = stream.write_all(head_of("302 Found", &extra).as_bytes()).await;
        }
        Hostile::RetryAfterForever => {
            let extra = "Retry-After: 999999\r\nContent-Length: 0\r\nConnection: close\r\n";
            let _ = stream.write_all(head_of("503 Service Unavailable", extra).as_bytes()).await;
        }
    }
}

/// The `n`th echo of request `head`: the request (and the cloud's password) in a 500 body,
/// a 200 body that fails the schema, or a 400's headers; always with a token and a cookie
/// of the server's own, also echoed.
fn echo(head: &str, n: usize) -> String {
    let leaked = format!("{MARKER} {head} {CLOUD_PASSWORD} {SERVER_TOKEN} {SERVER_COOKIE}");
    let one_line: String = leaked.split("\r\n").collect::<Vec<_>>().join(" | ");
    let own = format!(
        "X-Subject-Token: {SERVER_TOKEN}\r\nSet-Cookie: sess={SERVER_COOKIE}; Path=/\r\nConnection: close\r\n"
    );
    let (status, headers, body) = match n % 3 {
        0 => ("500 Internal Server Error", String::new(), one_line.clone()),
        1 => ("200 OK", String::new(), serde_json::json!({ "widgets": one_line }).to_string()),
        _ => ("400 Bad Request", format!("X-Echo: {one_line}\r\n"), String::new()),
    };
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{own}{headers}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// Settings for a short run against `url` with every `-H` secret.
fn settings(url: &str) -> Settings {
    let mut s = Settings::new(url)
        .phases([Phase::Examples, Phase::Property, Phase::Negative])
        .operation("list_widgets")
        .operation("show_widget")
        .max_cases(4)
        .seed(11)
        .workers(2)
        .timeout(Duration::from_secs(1))
        .max_body_size(CAP)
        .deadline(Duration::from_secs(4))
        .operation_deadline(Duration::from_secs(3))
        .retries(2)
        .max_retry_wait(Duration::from_secs(1));
    for (name, value) in HEADERS {
        s = s.header(name, value);
    }
    s
}

/// What a run printed and wrote, and how long it took.
struct Ran {
    outcome: Outcome,
    elapsed: Duration,
    /// The terminal summary, the JSON report and the JUnit report.
    outputs: [String; 3],
}

async fn conform(settings: Settings) -> Ran {
    let started = Instant::now();
    let outcome = tokio::time::timeout(BOUND, run(support::spec(), settings))
        .await
        .expect("the run ended within the bound")
        .unwrap();
    let elapsed = started.elapsed();
    let outputs = [
        terminal::render(&outcome),
        serde_json::to_string_pretty(&json::render(&outcome)).unwrap(),
        junit::render(&outcome),
    ];
    let ran = Ran { outcome, elapsed, outputs };
    assert!(ran.elapsed < BOUND, "took {:?}", ran.elapsed);
    assert_no_secret(&ran.outputs);
    ran
}

fn assert_no_secret(outputs: &[String]) {
    for (output, name) in outputs.iter().zip(["terminal", "JSON", "JUnit"]) {
        for secret in secrets() {
            assert!(!output.contains(&secret), "{name} shows {secret}:\n{output}");
        }
    }
}

/// The transport errors of a run's records.
fn errors(outcome: &Outcome) -> Vec<&str> {
    outcome.records.iter().filter_map(|r| r.error.as_deref()).collect()
}

fn url(server: &Server) -> String {
    format!("http://admin:{URL_PASSWORD}@{}", server.addr)
}

#[tokio::test]
async fn a_reset_connection_fails_its_case() {
    let server = serve(Hostile::Reset).await;
    let ran = conform(settings(&url(&server))).await;
    assert_eq!(ran.outcome.exit_code(), 1);
    assert!(!ran.outcome.records.is_empty());
    assert!(ran.outcome.records.iter().all(|r| r.status.is_none() && r.error.is_some()));
}

#[tokio::test]
async fn a_server_that_never_answers_ends_the_run_at_its_deadline_and_says_what_was_not_tried() {
    let server = serve(Hostile::Stall).await;
    let ran = conform(settings(&url(&server))).await;
    assert_eq!(ran.outcome.exit_code(), 1);
    assert!(ran.elapsed < Duration::from_secs(8), "took {:?}", ran.elapsed);
    assert!(
        errors(&ran.outcome)
            .iter()
            .all(|e| e.contains("no response within") || e.contains("stopped, ")),
        "{:?}",
        errors(&ran.outcome)
    );
    assert!(!ran.outcome.not_tried.is_empty());
    assert!(ran.outputs[0].contains("Not tried"), "{}", ran.outputs[0]);
    assert!(ran.outputs[1].contains("deadline"), "{}", ran.outputs[1]);
}

#[tokio::test]
async fn a_property_failure_that_timed_out_is_not_shrunk() {
    let server = serve(Hostile::Stall).await;
    let settings = settings(&url(&server))
        .phases([Phase::Property])
        .operation_deadline(Duration::from_secs(10))
        .deadline(Duration::from_secs(10))
        .max_cases(1);
    let settings = Settings { operations: vec!["list_widgets".into()], ..settings };
    let ran = conform(settings).await;
    assert_eq!(ran.outcome.exit_code(), 1);
    // Shrinking would send a simpler input, wait for it as long, and so on to the deadline.
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
    assert!(ran.elapsed < Duration::from_secs(5), "took {:?}", ran.elapsed);
}

#[tokio::test]
async fn a_server_that_drips_is_timed_out() {
    let server = serve(Hostile::Drip).await;
    let ran = conform(settings(&url(&server))).await;
    assert_eq!(ran.outcome.exit_code(), 1);
    let errors = errors(&ran.outcome);
    assert!(
        !errors.is_empty()
            && errors
                .iter()
                .all(|e| e.contains("no response within 1s") || e.contains("stopped, ")),
        "{errors:?}"
    );
}

#[tokio::test]
async fn a_body_over_the_cap_fails_its_case_unread() {
    for hostile in [Hostile::HugeBody, Hostile::EndlessChunks] {
        let server = serve(hostile).await;
        let ran = conform(settings(&url(&server))).await;
        assert_eq!(ran.outcome.exit_code(), 1);
        let errors = errors(&ran.outcome);
        let too_large = format!("body larger than {CAP} bytes");
        assert!(
            !errors.is_empty() && errors.iter().all(|e| e.contains(&too_large)),
            "{hostile:?}: {errors:?}"
        );
    }
}

#[tokio::test]
async fn echoed_secrets_appear_in_no_output() {
    let server = serve(Hostile::Echo).await;
    // The cloud's password and Keystone's token are secrets too.
    let (auth_url, _fake) = keystone::start(&url(&server), keystone_token).await;
    let clouds = format!("clouds:\n{}", keystone::password_cloud("lab", &auth_url, "alice"));
    let secure = format!("clouds:\n  lab:\n    auth:\n      password: {CLOUD_PASSWORD}\n");
    let clouds = keystone::write_clouds("hostile-echo", &clouds, &secure);
    let connection =
        stackspec_conformance::cloud::connect("lab", "widget", &[clouds]).await.unwrap();
    let settings = Settings { base_url: connection.endpoint, ..settings("http://unused") };
    let ran = conform(settings.cloud_auth(connection.auth)).await;
    assert_eq!(ran.outcome.exit_code(), 1);
    for output in &ran.outputs {
        assert!(output.contains(MARKER) && output.contains("<redacted>"), "{output}");
    }
    let statuses: std::collections::BTreeSet<_> =
        ran.outcome.records.iter().filter_map(|r| r.status).collect();
    assert_eq!(statuses, [200, 400, 500].into());
}

#[tokio::test]
async fn a_redirect_off_the_host_is_an_answer_not_followed() {
    let elsewhere = serve_on("127.0.0.2:0", Hostile::Echo).await;
    let server = serve(Hostile::Redirect(elsewhere.addr)).await;
    let ran = conform(settings(&url(&server))).await;
    assert_eq!(ran.outcome.exit_code(), 1);
    assert!(ran.outcome.records.iter().all(|r| r.status == Some(302)));
    assert_eq!(elsewhere.requests.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn retry_after_beyond_the_longest_wait_is_the_answer_not_retried() {
    let server = serve(Hostile::RetryAfterForever).await;
    // No property phase: shrinking would send requests that no record shows.
    let ran = conform(settings(&url(&server)).phases([Phase::Examples, Phase::Negative])).await;
    assert_eq!(ran.outcome.exit_code(), 1);
    assert!(ran.outcome.records.iter().all(|r| r.status == Some(503)));
    // One request per record: none was retried.
    assert_eq!(server.requests.load(Ordering::SeqCst), ran.outcome.records.len());
    assert!(ran.elapsed < Duration::from_secs(8), "took {:?}", ran.elapsed);
}
