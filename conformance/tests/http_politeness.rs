//! The client is polite to servers: it waits as long as `Retry-After` asks, backs off on
//! 503, gives up after its retries, times out, spaces requests to the rate limit, and keeps
//! no more requests in flight than it has workers. It
//! does not follow redirects: a 302 is the answer (heat documents it), not a step to take.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures::future::BoxFuture;
use stackspec_conformance::errors::error_chain;
use stackspec_conformance::http::{Client, ClientConfig, HttpError, Request};
use stackspec_conformance::token::{RenewalError, TokenSource};
use stackspec_conformance::Settings;

/// Serves `/busy` (429 with `Retry-After: 1` for the first `busy` calls, then 200),
/// `/down` (always 503), `/slow` (answers after 2 s) and `/refuses` (always 401); returns the base URL and the
/// number of calls.
async fn serve(busy: u32) -> (String, Arc<AtomicU32>) {
    let calls = Arc::new(AtomicU32::new(0));
    async fn busy_handler(State((calls, busy)): State<(Arc<AtomicU32>, u32)>) -> Response {
        if calls.fetch_add(1, Ordering::SeqCst) < busy {
            return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "1")]).into_response();
        }
        StatusCode::OK.into_response()
    }
    async fn down(State((calls, _)): State<(Arc<AtomicU32>, u32)>) -> StatusCode {
        calls.fetch_add(1, Ordering::SeqCst);
        StatusCode::SERVICE_UNAVAILABLE
    }
    async fn slow() -> StatusCode {
        tokio::time::sleep(Duration::from_secs(2)).await;
        StatusCode::OK
    }
    let app = Router::new()
        .route("/busy", get(busy_handler))
        .route("/down", get(down))
        .route("/slow", get(slow))
        .route("/moved", get(|| async { (StatusCode::FOUND, [("location", "/busy")]) }))
        .route("/refuses", get(|| async { StatusCode::UNAUTHORIZED }))
        .with_state((calls.clone(), busy));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, calls)
}

/// Serves `/held`, which answers after 50 ms; returns the base URL and the most requests it
/// had in flight at once.
async fn serve_counting_in_flight() -> (String, Arc<AtomicU32>) {
    type Counts = (Arc<AtomicU32>, Arc<AtomicU32>);
    async fn held(State((now, most)): State<Counts>) -> StatusCode {
        let in_flight = now.fetch_add(1, Ordering::SeqCst) + 1;
        most.fetch_max(in_flight, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(50)).await;
        now.fetch_sub(1, Ordering::SeqCst);
        StatusCode::OK
    }
    let most = Arc::new(AtomicU32::new(0));
    let app = Router::new()
        .route("/held", get(held))
        .with_state((Arc::new(AtomicU32::new(0)), most.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, most)
}

fn client(settings: Settings) -> Client {
    Client::new(&settings.timeout(Duration::from_millis(500)).client_config()).unwrap()
}

#[tokio::test]
async fn a_429_is_retried_after_the_time_retry_after_asks_for() {
    let (url, calls) = serve(1).await;
    let started = Instant::now();
    let response =
        client(Settings::new(&url).retries(3)).send(&Request::new("GET", "/busy")).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert!(started.elapsed() >= Duration::from_secs(1), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_503_is_retried_with_backoff_and_returned_when_retries_run_out() {
    let (url, calls) = serve(0).await;
    let started = Instant::now();
    let response =
        client(Settings::new(&url).retries(2)).send(&Request::new("GET", "/down")).await.unwrap();
    assert_eq!(response.status, 503);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    // 200 ms then 400 ms of backoff.
    assert!(started.elapsed() >= Duration::from_millis(600), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_slow_response_times_out_as_a_transport_error() {
    let (url, _) = serve(0).await;
    let error = client(Settings::new(&url).retries(0))
        .send(&Request::new("GET", "/slow"))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("/slow"), "{error}");
}

#[tokio::test]
async fn the_rate_limit_spaces_requests() {
    let (url, _) = serve(0).await;
    let c = client(Settings::new(&url).retries(0).rate(Some(10.0)));
    let started = Instant::now();
    for _ in 0..5 {
        c.send(&Request::new("GET", "/busy")).await.unwrap();
    }
    // Five requests at 10/s: the last leaves 400 ms after the first.
    assert!(started.elapsed() >= Duration::from_millis(400), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_redirect_is_returned_not_followed() {
    let (url, calls) = serve(0).await;
    let response = client(Settings::new(&url)).send(&Request::new("GET", "/moved")).await.unwrap();
    assert_eq!(response.status, 302);
    assert_eq!(response.header("location").as_deref(), Some("/busy"));
    assert_eq!(calls.load(Ordering::SeqCst), 0, "the target was not requested");
}

#[tokio::test]
async fn no_more_requests_are_in_flight_at_once_than_workers() {
    let (url, most) = serve_counting_in_flight().await;
    let c = client(Settings::new(&url).workers(3));
    let request = Request::new("GET", "/held");
    let sent = futures::future::join_all((0..12).map(|_| c.send(&request))).await;
    assert!(sent.iter().all(|r| r.as_ref().is_ok_and(|r| r.status == 200)));
    // Twelve sent at once: three at a time reach the server, and no more.
    assert_eq!(most.load(Ordering::SeqCst), 3);
}

/// A token source whose token has expired and which cannot get another.
#[derive(Debug)]
struct Expired;

impl TokenSource for Expired {
    fn token(&self) -> BoxFuture<'_, String> {
        Box::pin(async { "expired-token".to_string() })
    }

    fn renew_after<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Result<(), RenewalError>> {
        Box::pin(async { Err("POST http://keystone/v3/auth/tokens: status 503".into()) })
    }
}

#[tokio::test]
async fn a_failed_token_renewal_is_its_own_error_with_the_sources_reason() {
    let (url, _) = serve(0).await;
    let config = ClientConfig { token: Some(Arc::new(Expired)), ..ClientConfig::new(&url) };
    let client = Client::new(&config).unwrap();
    let error = client.send(&Request::new("GET", "/refuses")).await.unwrap_err();
    assert!(matches!(error, HttpError::Renewal { .. }), "{error:?}");
    assert_eq!(
        error_chain(&error),
        format!(
            "GET {url}/refuses: the token was refused (401) and could not be renewed: \
             POST http://keystone/v3/auth/tokens: status 503"
        )
    );
}

/// Answers each connection's first request with an empty 500 and no `Connection: close`,
/// then reads the next request and closes the connection without answering it: what
/// ironic's connections do after its empty 500s (F182). Returns the base URL and the number
/// of connections.
async fn serve_closing_after_one_answer() -> (String, Arc<AtomicU32>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let connections = Arc::new(AtomicU32::new(0));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let counted = connections.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                let _ = socket.read(&mut buffer).await;
                let answer = b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n";
                let _ = socket.write_all(answer).await;
                let _ = socket.read(&mut buffer).await;
            });
        }
    });
    (url, connections)
}

/// ironic closes its kept-alive connection after an empty 500 without saying so: the next
/// request, of another operation, went out on it and was reported as a transport failure
/// of that operation. It is sent once more on a new connection, and gets its own answer.
#[tokio::test]
async fn a_request_on_a_connection_the_server_closed_unanswered_is_sent_again() {
    let (url, connections) = serve_closing_after_one_answer().await;
    let client = client(Settings::new(&url));
    let request = Request::new("POST", "/runbooks");
    assert_eq!(client.send(&request).await.unwrap().status, 500);
    let again = client.send(&request).await.expect("sent again on a new connection");
    assert_eq!(again.status, 500);
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}
