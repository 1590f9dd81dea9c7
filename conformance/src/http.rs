//! Sending requests politely: default headers (authentication) on every request, a
//! per-request timeout, a rate limit, and retries with backoff on 429 and 503 that honour
//! `Retry-After`.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use serde_json::Value;

use crate::escape::encode;
use crate::secrets::{self, is_secret_name};
use crate::tls::Tls;
use crate::token::{RenewalError, TokenSource};
use crate::wire::{Wire, WireError};

/// The default cap on a response body: far above any API response (a list of a thousand
/// servers is a few MB), far below what would strain memory with every worker holding one.
pub const DEFAULT_MAX_BODY_SIZE: usize = 16 * 1024 * 1024;

/// The default bound on one exchange, response body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Where a Keystone token goes.
pub const AUTH_HEADER: &str = "X-Auth-Token";

/// The token the auth phase sends as a bogus one; not a secret, so reproducers show it.
pub const BOGUS_TOKEN: &str = "stackspec-bogus-token";

/// Which identity a request is sent with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Credentials {
    /// The run's own: `-H` headers and the token of its token source (Keystone).
    #[default]
    Run,
    /// No token and no secret header at all.
    None,
    /// `X-Auth-Token: stackspec-bogus-token` instead of the run's secrets.
    Bogus,
    /// The member-only user's token instead of the run's secrets.
    Member,
}

/// What could not be sent or received.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("{method} {url}")]
    Transport {
        method: String,
        url: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("{method} {url}: no response within {after:?}")]
    Timeout { method: String, url: String, after: Duration },
    /// The run's or the operation's deadline came while the request was under way.
    #[error("{method} {path}: stopped, {why}")]
    Stopped { method: String, path: String, why: String },
    /// The server refused the token (401) and the token source could not renew it.
    #[error("{method} {url}: the token was refused (401) and could not be renewed")]
    Renewal {
        method: String,
        url: String,
        #[source]
        source: RenewalError,
    },
    #[error("cannot build an HTTP client")]
    Client(#[source] WireError),
}

/// What a [`Client`] is made from: where requests go, the headers and tokens they carry, the
/// TLS trust, and the bounds (per-request timeout, body cap, retries, rate, requests in
/// flight). A run's settings make one; so does reaching a cloud, to read one version
/// document, with the run's timeout and TLS.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub base_url: String,
    /// Sent with every request of the run's identity (authentication, typically).
    pub headers: Vec<(String, String)>,
    pub tls: Tls,
    /// The bound on one exchange, response body included.
    pub timeout: Duration,
    /// The largest response body read; a larger one is an error, read no further.
    pub max_body_size: usize,
    /// Retries after a 429 or 503.
    pub retries: u32,
    /// The longest wait before a retry; a `Retry-After` asking for more is not retried.
    pub max_retry_wait: Duration,
    /// Requests per second, at most.
    pub rate: Option<f64>,
    /// Requests in flight at once.
    pub workers: usize,
    /// The run's token (sent as `X-Auth-Token`, renewed after a 401).
    pub token: Option<Arc<dyn TokenSource>>,
    /// A member-only user's token, for requests sent as [`Credentials::Member`].
    pub member: Option<Arc<dyn TokenSource>>,
}

impl ClientConfig {
    /// A client for `base_url` with the default bounds, no headers and no token.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into().trim_end_matches('/').to_string(),
            headers: Vec::new(),
            tls: Tls::default(),
            timeout: DEFAULT_TIMEOUT,
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            retries: 3,
            max_retry_wait: Duration::from_secs(30),
            rate: None,
            workers: 8,
            token: None,
            member: None,
        }
    }

    /// The headers sent with every request with `credentials`: the `-H` ones (only their
    /// non-secret ones for another identity than the run's) and the token header, whose
    /// token is filled in when sending (empty here, and redacted in reproducers anyway).
    pub fn defaults(&self, credentials: Credentials) -> Vec<(String, String)> {
        let mut out = self.headers.clone();
        if credentials != Credentials::Run {
            out.retain(|(name, _)| !is_secret_name(name));
        }
        let token = match credentials {
            Credentials::Run => self.token.is_some().then_some(""),
            Credentials::Member => Some(""),
            Credentials::Bogus => Some(BOGUS_TOKEN),
            Credentials::None => None,
        };
        if let Some(token) = token {
            out.push((AUTH_HEADER.into(), token.into()));
        }
        out
    }
}

/// One value per identity a request may be sent with.
#[derive(Debug)]
pub struct PerIdentity<T> {
    run: T,
    none: T,
    bogus: T,
    member: T,
}

impl<T> PerIdentity<T> {
    /// `make`'s value for each identity.
    pub fn new(make: impl Fn(Credentials) -> T) -> Self {
        Self {
            run: make(Credentials::Run),
            none: make(Credentials::None),
            bogus: make(Credentials::Bogus),
            member: make(Credentials::Member),
        }
    }

    pub fn get(&self, credentials: Credentials) -> &T {
        match credentials {
            Credentials::Run => &self.run,
            Credentials::None => &self.none,
            Credentials::Bogus => &self.bogus,
            Credentials::Member => &self.member,
        }
    }
}

/// The `Accept` of a request that names none: what OpenStack's own clients (keystoneauth,
/// hence openstacksdk and the openstack CLI) send, and what some services need to answer
/// errors in JSON rather than HTML (glance, swift).
pub const DEFAULT_ACCEPT: &str = "application/json";

/// A request, independent of any base URL.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Request {
    pub method: String,
    /// The path with its parameters filled in (already percent-encoded).
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
    /// Bytes sent as the body instead of `body`, as they are and under only the
    /// `Content-Type` the headers name, if any (the negative phase's bodies that are not
    /// JSON, or not labelled as JSON).
    pub raw_body: Option<Vec<u8>>,
    /// The media type `body` is labelled with when the headers name none, where it is not
    /// `application/json` (see [`Request::json_media_type`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    pub credentials: Credentials,
    /// Sent to the endpoint's unversioned root (version discovery, see [`crate::root`]).
    #[serde(skip)]
    pub from_root: bool,
}

impl Request {
    pub fn new(method: &str, path: impl Into<String>) -> Self {
        Self {
            method: method.to_string(),
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            raw_body: None,
            media_type: None,
            credentials: Credentials::Run,
            from_root: false,
        }
    }

    /// What `body` is labelled with: the operation's JSON media type (glance's JSON patch
    /// type) or `application/json`.
    pub fn json_media_type(&self) -> &str {
        self.media_type.as_deref().unwrap_or("application/json")
    }

    /// The HTTP request sent to `url` with `defaults`, a Keystone `token` filling the
    /// token header left empty: [`DEFAULT_ACCEPT`] unless an `Accept` is given, and a body
    /// labelled JSON unless its type is.
    fn outgoing(
        &self,
        url: &str,
        defaults: &[(String, String)],
        token: Option<&str>,
    ) -> Result<http::Request<Bytes>, http::Error> {
        let mut builder = http::Request::builder().method(self.method.as_str()).uri(url);
        let (mut accept, mut content_type) = (false, false);
        for (name, value) in defaults.iter().chain(&self.headers) {
            let value = match token {
                Some(token) if name == AUTH_HEADER && value.is_empty() => token,
                _ => value,
            };
            accept |= name.eq_ignore_ascii_case("accept");
            content_type |= name.eq_ignore_ascii_case("content-type");
            builder = builder.header(name, value);
        }
        if !accept {
            builder = builder.header("accept", DEFAULT_ACCEPT);
        }
        if let Some(raw) = &self.raw_body {
            return builder.body(Bytes::from(raw.clone()));
        }
        let Some(body) = &self.body else { return builder.body(Bytes::new()) };
        if !content_type {
            builder = builder.header("content-type", self.json_media_type());
        }
        builder.body(Bytes::from(body.to_string()))
    }

    pub(crate) fn url(&self, base: &str) -> String {
        let base = if self.from_root { crate::root::unversioned(base) } else { base };
        let mut url = format!("{base}{}", self.path);
        for (i, (k, v)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&format!("{}={}", encode(k), encode(v)));
        }
        url
    }
}

/// A response, fully read.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: Bytes,
    /// The body parsed as JSON, whatever the content type says.
    pub json: Option<Value>,
}

impl Response {
    /// The first value of header `name` (any case), bytes that are not UTF-8 replaced.
    pub fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        self.headers.get(name).map(|v| String::from_utf8_lossy(v.as_bytes()))
    }

    /// The media type without parameters, in lower case.
    pub fn media_type(&self) -> Option<String> {
        let ct = self.header("content-type")?;
        Some(ct.split(';').next()?.trim().to_ascii_lowercase())
    }

    /// The start of the body, for messages; secrets are replaced before it is cut, so that
    /// no part of one is left at the end.
    pub fn excerpt(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let text = secrets::redact(&text);
        let mut cut: String = text.chars().take(300).collect();
        if cut.len() < text.len() {
            cut.push('…');
        }
        cut
    }
}

impl HttpError {
    /// Whether the server did not answer in time (or the run had to stop waiting): sending
    /// the same server more of the same is likely to wait as long again.
    pub fn timed_out(&self) -> bool {
        matches!(self, Self::Timeout { .. } | Self::Stopped { .. })
    }
}

/// Sends requests to one base URL.
#[derive(Debug)]
pub struct Client {
    wire: Wire,
    /// The bound on one exchange, response body included.
    timeout: Duration,
    /// The largest response body read; a larger one is an error, read no further.
    max_body_size: usize,
    base: String,
    /// The headers of each identity (see [`ClientConfig::defaults`]).
    defaults: PerIdentity<Vec<(String, String)>>,
    retries: u32,
    /// The longest wait between retries; a `Retry-After` asking for more is not retried.
    max_retry_wait: Duration,
    limiter: Option<Limiter>,
    /// One permit per request in flight (`--workers`): held while a request is sent (with
    /// its retries) and its response read, not while a case waits between polls, so a case
    /// waiting for a resource to build leaves its connection to the others.
    in_flight: tokio::sync::Semaphore,
    token: Option<Arc<dyn TokenSource>>,
    member: Option<Arc<dyn TokenSource>>,
}

impl Client {
    /// A client as `config` says.
    pub fn new(config: &ClientConfig) -> Result<Self, HttpError> {
        let wire = Wire::from_env(&config.base_url, &config.tls).map_err(HttpError::Client)?;
        Ok(Self {
            wire,
            timeout: config.timeout,
            max_body_size: config.max_body_size,
            base: config.base_url.clone(),
            defaults: PerIdentity::new(|credentials| config.defaults(credentials)),
            retries: config.retries,
            max_retry_wait: config.max_retry_wait,
            limiter: config.rate.map(Limiter::new),
            in_flight: tokio::sync::Semaphore::new(config.workers.max(1)),
            token: config.token.clone(),
            member: config.member.clone(),
        })
    }

    /// The token source of `credentials`, if any.
    fn token_source(&self, credentials: Credentials) -> Option<&dyn TokenSource> {
        match credentials {
            Credentials::Run => self.token.as_deref(),
            Credentials::Member => self.member.as_deref(),
            Credentials::None | Credentials::Bogus => None,
        }
    }

    /// Sends `request`, retrying 429 and 503 with backoff, and once after a 401 with a
    /// renewed token.
    pub async fn send(&self, request: &Request) -> Result<Response, HttpError> {
        // Held through retries and re-authentication too: a request whose token expired
        // goes out again first, before the new token's uses are taken by others. Never
        // closed, so acquiring only fails if it were: then send without a permit.
        let _permit = self.in_flight.acquire().await.ok();
        let source = self.token_source(request.credentials);
        let (response, token) = self.send_retrying(request, source).await?;
        let (Some(source), Some(refused)) = (source, token) else {
            return Ok(response);
        };
        if response.status != 401 {
            return Ok(response);
        }
        source.renew_after(&refused).await.map_err(|source| HttpError::Renewal {
            method: request.method.clone(),
            url: request.url(&self.base),
            source,
        })?;
        Ok(self.send_retrying(request, Some(source)).await?.0)
    }

    /// Sends `request`, retrying 429 and 503; returns the last response and the token it
    /// was sent with.
    async fn send_retrying(
        &self,
        request: &Request,
        source: Option<&dyn TokenSource>,
    ) -> Result<(Response, Option<String>), HttpError> {
        let mut attempt = 0;
        loop {
            if let Some(limiter) = &self.limiter {
                limiter.wait().await;
            }
            let (response, token) = self.send_once(request, source).await?;
            let retryable = matches!(response.status, 429 | 503);
            if !retryable || attempt >= self.retries {
                return Ok((response, token));
            }
            let wait = match retry_after(&response) {
                // Asked to come back later than the run will wait: this is the answer.
                Some(asked) if asked > self.max_retry_wait => return Ok((response, token)),
                Some(asked) => asked,
                None => backoff(attempt).min(self.max_retry_wait),
            };
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// One attempt, with the current token of `source` (the request's credentials'),
    /// which is returned with the response.
    async fn send_once(
        &self,
        request: &Request,
        source: Option<&dyn TokenSource>,
    ) -> Result<(Response, Option<String>), HttpError> {
        // Read for each attempt: a retry after a wait goes out with the current token.
        let token = match source {
            Some(source) => Some(source.token().await),
            None => None,
        };
        let url = request.url(&self.base);
        let transport = |source| HttpError::Transport {
            method: request.method.clone(),
            url: url.clone(),
            source,
        };
        let defaults = self.defaults.get(request.credentials);
        let outgoing = request
            .outgoing(&url, defaults, token.as_deref())
            .map_err(|e| transport(Box::new(e)))?;
        let timed_out = || HttpError::Timeout {
            method: request.method.clone(),
            url: url.clone(),
            after: self.timeout,
        };
        let send = |outgoing| {
            tokio::time::timeout(self.timeout, self.wire.send(outgoing, self.max_body_size))
        };
        let mut sent = send(outgoing).await.map_err(|_| timed_out())?;
        if sent.as_ref().is_err_and(|e| crate::wire::closed_unanswered(e.as_ref())) {
            // Once more, on a new connection (see `closed_unanswered`); a second such
            // failure is the answer.
            let again = request
                .outgoing(&url, defaults, token.as_deref())
                .map_err(|e| transport(Box::new(e)))?;
            sent = send(again).await.map_err(|_| timed_out())?;
        }
        let response = sent.map_err(transport)?;
        let status = response.status().as_u16();
        let (parts, body) = response.into_parts();
        let headers = parts.headers;
        for (name, value) in &headers {
            if secrets::is_received_secret(name.as_str()) {
                secrets::learn(&String::from_utf8_lossy(value.as_bytes()));
            }
        }
        let json = serde_json::from_slice(&body).ok();
        Ok((Response { status, headers, body, json }, token))
    }
}

/// Spaces requests evenly: at most `rate` per second across all workers.
#[derive(Debug)]
struct Limiter {
    interval: Duration,
    next: tokio::sync::Mutex<Instant>,
}

impl Limiter {
    fn new(rate: f64) -> Self {
        Self {
            interval: Duration::from_secs_f64(1.0 / rate),
            next: tokio::sync::Mutex::new(Instant::now()),
        }
    }

    async fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().await;
            let slot = (*next).max(Instant::now());
            *next = slot + self.interval;
            slot
        };
        tokio::time::sleep_until(slot.into()).await;
    }
}

/// `Retry-After` as seconds or as an HTTP date.
pub fn retry_after(response: &Response) -> Option<Duration> {
    let value = response.header("retry-after")?;
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(200u64.saturating_mul(1 << attempt.min(8)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_outgoing_request_carries_the_token_and_the_headers_reqwest_added() {
        let mut r = Request::new("POST", "/v2/tasks");
        r.body = Some(json!({"type": "import"}));
        let defaults = [(AUTH_HEADER.to_string(), String::new())];
        let sent = r.outgoing("http://h/v2/tasks", &defaults, Some("tok")).unwrap();
        let header = |name| sent.headers().get(name).map(|v| v.to_str().unwrap());
        assert_eq!(header("x-auth-token"), Some("tok"));
        assert_eq!(header("accept"), Some("application/json"));
        assert_eq!(header("content-type"), Some("application/json"));
        assert_eq!(&sent.body()[..], br#"{"type":"import"}"#);

        // Given headers are sent as given, not doubled; no body, no content type.
        let mut r = Request::new("GET", "/v2/tasks");
        r.headers.push(("Accept".into(), "application/json".into()));
        let sent = r.outgoing("http://h/v2/tasks", &[], None).unwrap();
        let accept: Vec<_> = sent.headers().get_all("accept").iter().collect();
        assert_eq!(accept, ["application/json"]);
        assert!(sent.headers().get("content-type").is_none() && sent.body().is_empty());

        // A JSON body of the operation's own media type is labelled with it.
        let mut r = Request::new("PATCH", "/v2/images/i");
        r.body = Some(json!([]));
        r.media_type = Some("application/openstack-images-v2.1-json-patch".into());
        let sent = r.outgoing("http://h/v2/images/i", &[], None).unwrap();
        let media = sent.headers().get("content-type").map(|v| v.to_str().unwrap());
        assert_eq!(media, Some("application/openstack-images-v2.1-json-patch"));
    }

    #[test]
    fn a_header_that_cannot_be_sent_is_an_error_not_a_panic() {
        let mut r = Request::new("GET", "/");
        r.headers.push(("X-Bad".into(), "line\nbreak".into()));
        assert!(r.outgoing("http://h/", &[], None).is_err());
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let response = |v: &str| Response {
            status: 429,
            headers: http::HeaderMap::from_iter([(
                http::header::RETRY_AFTER,
                http::HeaderValue::from_str(v).unwrap(),
            )]),
            body: Bytes::new(),
            json: None,
        };
        assert_eq!(retry_after(&response("7")), Some(Duration::from_secs(7)));
        let past = httpdate::fmt_http_date(SystemTime::UNIX_EPOCH);
        assert_eq!(retry_after(&response(&past)), Some(Duration::ZERO));
        assert_eq!(retry_after(&response("soon")), None);
    }
}
