//! Serving a mock's router on a listener with bounds a hostile or broken client cannot
//! push past: `axum::serve` has no timeouts and accepts without limit, so a half-open
//! connection, a request announcing a body it never sends, or a thousand idle connections
//! would each hold the mock (and its file descriptors) for ever.
//!
//! - the head of each request must arrive within [`Limits::header_read`]; hyper starts that
//!   clock when it waits for a request, so a kept-alive connection left idle is closed
//!   after the same time;
//! - reading the body and answering must end within [`Limits::request`]: a mock router's
//!   shared layer ([`crate::wrap`]) answers 408 with the service's fault body then, from
//!   the [`RequestDeadline`] this adds to each request; a router without that layer gets a
//!   bare 408 a moment later, so the bound holds for any router;
//! - a connection on which no byte moves for [`Limits::idle`] in a direction the mock
//!   waits on (a client that stops reading its answers) is closed;
//! - at most [`Limits::max_connections`] are served at once: the next ones wait in the
//!   listen backlog until one closes, and those being served go on undisturbed;
//! - an accept error (EMFILE when the file limit is reached) waits [`ACCEPT_BACKOFF`]
//!   before the next try instead of spinning.
//!
//! Connections speak HTTP/1.1 only: hyper's header timeout exists for HTTP/1, and
//! OpenStack clients speak HTTP/1.1.

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_io_timeout::TimeoutStream;
use tower_http::timeout::TimeoutLayer;

/// How long the accept loop waits after an accept error before trying again.
pub const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// The bounds every connection is served within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Time for a request's head to arrive, counted from when the mock waits for it.
    pub header_read: Duration,
    /// Time for reading a request's body and answering it.
    pub request: Duration,
    /// Time a connection may move no byte while the mock waits to read or write.
    pub idle: Duration,
    /// Connections served at once.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read: Duration::from_secs(10),
            request: Duration::from_secs(30),
            idle: Duration::from_secs(60),
            max_connections: 1024,
        }
    }
}

/// How long after [`Limits::request`] a router without the mock's layer is cut off.
const BARE_TIMEOUT_GRACE: Duration = Duration::from_secs(1);

/// The time a request's body and answer have, for the layer that knows how the service
/// words its faults (a request extension: the router is built before the limits are known).
#[derive(Debug, Clone, Copy)]
pub struct RequestDeadline(pub Duration);

/// Serves `router` on `listener` within `limits` until the task is dropped.
pub async fn serve(listener: TcpListener, router: axum::Router, limits: Limits) {
    let bare = limits.request + BARE_TIMEOUT_GRACE;
    let router = router
        .layer(axum::Extension(RequestDeadline(limits.request)))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, bare));
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut failing = false;
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else { return };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error) => {
                if !failing {
                    eprintln!("mock: cannot accept a connection ({error}); retrying");
                }
                failing = true;
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        failing = false;
        let router = router.clone();
        tokio::spawn(async move {
            connection(stream, router, limits).await;
            drop(slot);
        });
    }
}

/// Serves one connection until it closes, fails or breaks a bound.
async fn connection(stream: TcpStream, router: axum::Router, limits: Limits) {
    let _ = stream.set_nodelay(true);
    let mut stream = TimeoutStream::new(stream);
    stream.set_read_timeout(Some(limits.idle));
    stream.set_write_timeout(Some(limits.idle));
    let io = TokioIo::new(Box::pin(stream));
    // A connection that ends in an error (a timeout, a reset, a malformed head hyper
    // answered 400) is the client's business: nothing to report.
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .serve_connection(io, TowerToHyperService::new(router))
        .await;
}
