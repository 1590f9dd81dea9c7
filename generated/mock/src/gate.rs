//! What a service's own stack decides before its router sees a request, as the spec's
//! service facts (`info.x-stackspec`) describe it: a missing token refused with 401 (unless
//! the operation is public, `security: []`), a path without its trailing slash redirected
//! (`slash-redirect`), and `HEAD` answered only where the framework answers it for `GET`
//! (`head-from-get`) or the document has it.

use axum::http::{header, HeaderMap, HeaderValue, Method, Request};
use axum::response::Response;

use super::Mock;

/// The header a Keystone token travels in.
pub const TOKEN_HEADER: &str = "x-auth-token";

/// Whether a mock asks for a token, as the services do, or serves anyone (local use).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Auth {
    /// A request without `X-Auth-Token` gets 401, but for public operations; any token
    /// is accepted (the mock has no Keystone to ask).
    #[default]
    Required,
    /// No token is asked for.
    Off,
}

/// What the gate decided for a request.
pub enum Decision {
    /// Serve it, as `GET` when the framework answers `HEAD` for it.
    Serve { as_get: bool },
    /// Answer this instead.
    Answer(Response),
}

impl Mock {
    /// The gate's decision for a request for `path` (below any version prefix already).
    pub(crate) fn gate<B>(&self, request: &Request<B>, path: &str) -> Decision {
        let method = request.method();
        if self.auth == Auth::Required && !has_token(request.headers()) && !self.public(path) {
            let style = self.facts.unauthorized_style.unwrap_or(self.facts.fault_style);
            let body = style.render(401, "The request you have made requires authentication.");
            return Decision::Answer(super::json_response(401, &body));
        }
        let here = self.most_specific(path);
        if here.is_empty() && method == Method::GET && self.facts.slash_redirect {
            let slashed = format!("{path}/");
            if self.most_specific(&slashed).iter().any(|(_, _, op)| op.method == Method::GET) {
                return Decision::Answer(redirect(request, &slashed));
            }
        }
        if method != Method::HEAD || here.iter().any(|(_, _, op)| op.method == Method::HEAD) {
            return Decision::Serve { as_get: false };
        }
        let has_get = here.iter().any(|(_, _, op)| op.method == Method::GET);
        if has_get && self.facts.head_from_get {
            return Decision::Serve { as_get: true };
        }
        if here.is_empty() {
            return Decision::Serve { as_get: false };
        }
        let mut response = self.fault(405, &format!("HEAD is not allowed on {path}"));
        let allow: Vec<&str> = here.iter().map(|(_, _, op)| op.method.as_str()).collect();
        if let Ok(allow) = HeaderValue::from_str(&allow.join(", ")) {
            response.headers_mut().insert(header::ALLOW, allow);
        }
        Decision::Answer(response)
    }

    /// Whether every operation at `path` is public (`security: []`): the version
    /// documents, which the services serve before their auth middleware; with
    /// `slash-redirect`, also a path with no operation whose slashed form is public (nova
    /// redirects `/v2.1` to its version document `/v2.1/` without asking for a token).
    fn public(&self, path: &str) -> bool {
        let all_public = |path: &str| {
            let here = self.most_specific(path);
            !here.is_empty() && here.iter().all(|(_, _, op)| op.public)
        };
        all_public(path)
            || (self.facts.slash_redirect
                && self.most_specific(path).is_empty()
                && all_public(&format!("{path}/")))
    }
}

fn has_token(headers: &HeaderMap) -> bool {
    headers.get(TOKEN_HEADER).is_some_and(|t| !t.as_bytes().trim_ascii().is_empty())
}

/// A 302 to `path` (with the request's query) on the host the request named.
fn redirect<B>(request: &Request<B>, path: &str) -> Response {
    let target = match request.uri().query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_string(),
    };
    let mut response = Response::new(axum::body::Body::empty());
    *response.status_mut() = axum::http::StatusCode::FOUND;
    if let Ok(location) = HeaderValue::from_str(&absolute(request.headers(), &target)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// `target` (a path) as an absolute URL on the host the request named in `Host`, as the
/// services build their links; the path alone when the request named none.
pub fn absolute(headers: &HeaderMap, target: &str) -> String {
    match headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        Some(host) => format!("http://{host}{target}"),
        None => target.to_string(),
    }
}
