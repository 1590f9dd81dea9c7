//! What every mock router shares, whichever serves the operations: the service's [`gate`]
//! (401 without a token, `HEAD`, redirects to a trailing slash), the microversion the
//! request asks for (406 outside the document's range, echoed with `Vary`, the range
//! announced where the facts name headers for it), an `x-openstack-request-id` on every
//! response, a versioned endpoint's prefix taken off (nova documents `/servers`, served at
//! `/v2.1/servers`), a redirect's `Location` (absolute, on the request's host), and error
//! bodies in the media type the service sends them in ([`fault_media`]); and the 408
//! fault of a request that outlives its [`RequestDeadline`].
//!
//! The generated `Api` methods take only an operation's typed inputs, so what else a
//! request says (its version, its raw query) travels to [`Mock::respond`] in a task-local
//! [`RequestContext`].

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{header, uri::PathAndQuery, HeaderValue, Method, Uri};
use axum::middleware::Next;
use axum::response::Response;
use stackspec_model::version::Microversion;

use super::gate::{self, Decision};
use super::serve::RequestDeadline;
use super::{fault_media, routes, Mock};

tokio::task_local! {
    static REQUEST: Arc<RequestContext>;
}

/// What the layer read from a request, for the answer; and what the answer leaves for the
/// layer to send.
#[derive(Debug, Default)]
pub(crate) struct RequestContext {
    pub version: Option<Microversion>,
    pub query: Option<String>,
    location: Mutex<Option<String>>,
}

impl RequestContext {
    /// The context of the request being served (the defaults outside [`wrap`]).
    pub fn current() -> Arc<Self> {
        REQUEST.try_with(Arc::clone).unwrap_or_default()
    }

    /// Sends `Location: location` with the response.
    pub fn redirect_to(&self, location: String) {
        *self.location.lock().unwrap_or_else(|p| p.into_inner()) = Some(location);
    }

    fn location(&self) -> Option<String> {
        self.location.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// `mock` served by the router `serve` builds for it, inside the shared layer.
pub fn wrap(mock: Mock, serve: impl FnOnce(Arc<Mock>) -> axum::Router) -> axum::Router {
    let mock = Arc::new(mock);
    axum::Router::new()
        .fallback_service(serve(mock.clone()))
        .layer(axum::middleware::from_fn_with_state(mock, around))
}

async fn around(State(mock): State<Arc<Mock>>, mut request: Request, next: Next) -> Response {
    let n = mock.requests.fetch_add(1, Ordering::Relaxed);
    let request_headers = request.headers().clone();
    let versioning = mock.versioning.as_ref();
    below_version_prefix(&mock, &mut request);
    let path = request.uri().path().to_string();
    let mut response = match mock.gate(&request, &path) {
        Decision::Answer(response) => response,
        Decision::Serve { as_get } => {
            if as_get {
                *request.method_mut() = Method::GET;
            }
            match versioning.map(|v| v.requested(request.headers())).transpose() {
                Ok(version) => serve(&mock, version, request, next).await,
                Err((status, message)) => mock.fault(status, &message),
            }
        }
    };
    if let Some(versioning) = versioning {
        versioning.announce_bounds(&mock.facts, response.headers_mut());
    }
    if let Ok(id) = HeaderValue::from_str(&format!("req-mock-{n:012}")) {
        response.headers_mut().insert("x-openstack-request-id", id);
    }
    let (media, style) = (mock.facts.fault_media, mock.facts.fault_style);
    fault_media::negotiate(media, style, &request_headers, response).await
}

/// The answer of the router to a request at `version`, the version echoed and a
/// redirect's `Location` made absolute on the host the request named.
async fn serve(
    mock: &Mock,
    version: Option<Microversion>,
    request: Request,
    next: Next,
) -> Response {
    let query = request.uri().query().map(String::from);
    let headers = request.headers().clone();
    let context = Arc::new(RequestContext { version, query, ..RequestContext::default() });
    let deadline = request.extensions().get::<RequestDeadline>().copied();
    let answer = REQUEST.scope(context.clone(), next.run(request));
    let mut response = match deadline {
        Some(RequestDeadline(bound)) => match tokio::time::timeout(bound, answer).await {
            Ok(response) => response,
            Err(_) => mock.fault(408, &format!("the request took longer than {bound:?}")),
        },
        None => answer.await,
    };
    if let (Some(versioning), Some(version)) = (mock.versioning.as_ref(), version) {
        versioning.echo(version, response.headers_mut());
    }
    let location = context.location().map(|l| gate::absolute(&headers, &l));
    if let Some(location) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// Takes the version segment off a path the document has no operation at, when the
/// document's paths are relative to a versioned endpoint. The document's templates are
/// matched only for a path that starts with a version segment.
fn below_version_prefix(mock: &Mock, request: &mut Request) {
    let uri = request.uri();
    let below = routes::below_version(uri.path()).filter(|_| mock.below_version_prefix);
    let Some(below) = below.filter(|_| mock.candidates(uri.path()).is_empty()) else { return };
    let text = match uri.query() {
        Some(query) => format!("{below}?{query}"),
        None => below.to_string(),
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = PathAndQuery::try_from(text).ok();
    if let Ok(uri) = Uri::from_parts(parts) {
        *request.uri_mut() = uri;
    }
}
