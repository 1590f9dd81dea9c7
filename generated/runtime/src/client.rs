//! The async clients' side: one [`Endpoint`] per client, the [`Error`] every call returns and
//! the [`ResponseValue`] envelope of a documented response. Modelled on progenitor's
//! `progenitor-client`: a documented error status is an `Err` carrying the typed fault body,
//! and whatever the cloud sent that the document does not describe keeps its raw bytes.

use std::ops::Deref;

use http::HeaderMap;

use crate::microversion::Versioning;
use crate::param::ParamError;

/// The headers OpenStack services put their request id in, the generic one first.
const REQUEST_ID_HEADERS: [&str; 2] = ["x-openstack-request-id", "x-compute-request-id"];

/// A documented response: its decoded body, with the status and headers it came with.
#[derive(Debug, Clone)]
pub struct ResponseValue<T> {
    inner: T,
    status: u16,
    headers: HeaderMap,
}

impl<T> ResponseValue<T> {
    pub fn new(inner: T, status: u16, headers: HeaderMap) -> Self {
        Self { inner, status, headers }
    }

    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.inner
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// `x-openstack-request-id` (or nova's `x-compute-request-id`), to quote in bug reports.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }
}

impl<T> Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS.iter().find_map(|name| headers.get(*name)?.to_str().ok())
}

/// A response as received, before the document is held to it.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// The documented response this is: `success` decodes the statuses documented as
    /// successes, `fault` the documented error statuses (each `None` for a status it does
    /// not document).
    pub fn decode<T, F: std::fmt::Debug>(
        self,
        success: impl FnOnce(u16, &[u8]) -> Option<serde_json::Result<T>>,
        fault: impl FnOnce(u16, &[u8]) -> Option<serde_json::Result<F>>,
    ) -> Result<ResponseValue<T>, Error<F>> {
        if let Some(decoded) = fault(self.status, &self.body) {
            return match decoded {
                Ok(f) => Err(Error::ErrorResponse(Box::new(ResponseValue::new(
                    f,
                    self.status,
                    self.headers,
                )))),
                Err(source) => Err(Error::InvalidResponse { response: Box::new(self), source }),
            };
        }
        match success(self.status, &self.body) {
            Some(Ok(value)) => Ok(ResponseValue::new(value, self.status, self.headers)),
            Some(Err(source)) => Err(Error::InvalidResponse { response: Box::new(self), source }),
            None => Err(Error::UnexpectedResponse(Box::new(self))),
        }
    }
}

/// Why a call returned no documented success. `F` is the operation's fault body type. The
/// responses are boxed, so that a `Result` of it stays small.
#[derive(Debug, thiserror::Error)]
pub enum Error<F: std::fmt::Debug = serde_json::Value> {
    /// The request could not be built: a parameter with no text form, a body serde cannot
    /// write.
    #[error("cannot build the request: {0}")]
    InvalidRequest(String),
    /// The request could not be sent or the response could not be read.
    #[error("transport")]
    Communication(#[source] reqwest::Error),
    /// A status the document lists as an error, with its fault body.
    #[error("status {}: {:?}", .0.status(), .0.inner)]
    ErrorResponse(Box<ResponseValue<F>>),
    /// A status the document does not list for this operation; the body is kept.
    #[error("undocumented status {}: {}", .0.status, String::from_utf8_lossy(&.0.body))]
    UnexpectedResponse(Box<RawResponse>),
    /// A documented status whose body does not match the document.
    #[error("status {}: the body does not match the document", .response.status)]
    InvalidResponse {
        response: Box<RawResponse>,
        #[source]
        source: serde_json::Error,
    },
}

impl<F: std::fmt::Debug> Error<F> {
    /// The status the cloud answered, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::InvalidRequest(_) | Self::Communication(_) => None,
            Self::ErrorResponse(value) => Some(value.status()),
            Self::UnexpectedResponse(response) | Self::InvalidResponse { response, .. } => {
                Some(response.status)
            }
        }
    }
}

impl<F: std::fmt::Debug> From<ParamError> for Error<F> {
    fn from(e: ParamError) -> Self {
        Self::InvalidRequest(e.to_string())
    }
}

/// Why a client could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("base URL `{url}` is not a URL")]
    BaseUrl {
        url: String,
        #[source]
        source: url::ParseError,
    },
    #[error("base URL `{url}` cannot have paths")]
    CannotBeABase { url: String },
    #[error("cannot build the HTTP client")]
    Http(#[source] reqwest::Error),
}

/// What every generated client holds: where the service is, how to reach it, and what to
/// send with every request.
#[derive(Debug, Clone)]
pub struct Endpoint {
    base: reqwest::Url,
    http: reqwest::Client,
    versioning: Versioning,
    token: Option<String>,
    microversion: Option<String>,
}

impl Endpoint {
    /// An endpoint at `base_url` (the document's paths are appended to it) with reqwest's
    /// default client (rustls, Web PKI roots).
    pub fn new(base_url: &str, versioning: Versioning) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder().build().map_err(ClientError::Http)?;
        Self::with_http_client(base_url, versioning, http)
    }

    /// An endpoint using a `reqwest::Client` the caller configured.
    pub fn with_http_client(
        base_url: &str,
        versioning: Versioning,
        http: reqwest::Client,
    ) -> Result<Self, ClientError> {
        let url = base_url.to_string();
        let base =
            reqwest::Url::parse(base_url).map_err(|source| ClientError::BaseUrl { url, source })?;
        if base.cannot_be_a_base() {
            return Err(ClientError::CannotBeABase { url: base_url.to_string() });
        }
        Ok(Self { base, http, versioning, token: None, microversion: None })
    }

    /// Sends `X-Auth-Token` with every request.
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Asks for microversion `version` (`2.58`, `latest`) with every request.
    pub fn with_microversion(mut self, version: impl Into<String>) -> Self {
        self.microversion = Some(version.into());
        self
    }

    /// The base URL with `segments` appended, each percent-encoded as one path segment (a
    /// `/` inside a parameter stays inside it). An empty last segment keeps a trailing `/`.
    pub fn url(&self, segments: &[String]) -> reqwest::Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// A request with what every request carries: `Accept`, the token, the microversion.
    pub fn request(&self, method: reqwest::Method, url: reqwest::Url) -> reqwest::RequestBuilder {
        let mut request =
            self.http.request(method, url).header(reqwest::header::ACCEPT, "application/json");
        if let Some(token) = &self.token {
            request = request.header("X-Auth-Token", token);
        }
        for (name, value) in
            self.microversion.iter().flat_map(|v| self.versioning.request_headers(v))
        {
            request = request.header(name, value);
        }
        request
    }

    /// Sends `request` and reads the whole response.
    pub async fn send<F: std::fmt::Debug>(
        request: reqwest::RequestBuilder,
    ) -> Result<RawResponse, Error<F>> {
        let response = request.send().await.map_err(Error::Communication)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::Communication)?.to_vec();
        Ok(RawResponse { status, headers, body })
    }
}

/// Decodes the JSON body of a response whose status is one of `statuses` (for
/// [`RawResponse::decode`]).
pub fn json_at<T: serde::de::DeserializeOwned>(
    statuses: &'static [u16],
) -> impl FnOnce(u16, &[u8]) -> Option<serde_json::Result<T>> {
    move |status, body| statuses.contains(&status).then(|| serde_json::from_slice(body))
}

/// Takes the raw body of a response whose status is one of `statuses`.
pub fn bytes_at(
    statuses: &'static [u16],
) -> impl FnOnce(u16, &[u8]) -> Option<serde_json::Result<Vec<u8>>> {
    move |status, body| statuses.contains(&status).then(|| Ok(body.to_vec()))
}

/// Accepts a response without a body whose status is one of `statuses`.
pub fn empty_at(
    statuses: &'static [u16],
) -> impl FnOnce(u16, &[u8]) -> Option<serde_json::Result<()>> {
    move |status, _| statuses.contains(&status).then_some(Ok(()))
}

/// A JSON body as the request's body, with its content type.
pub fn json_body<T: serde::Serialize + ?Sized, F: std::fmt::Debug>(
    request: reqwest::RequestBuilder,
    content_type: &str,
    body: &T,
) -> Result<reqwest::RequestBuilder, Error<F>> {
    let bytes = serde_json::to_vec(body).map_err(|e| Error::InvalidRequest(e.to_string()))?;
    Ok(request.header(reqwest::header::CONTENT_TYPE, content_type).body(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, body: &str) -> RawResponse {
        let mut headers = HeaderMap::new();
        headers.insert("x-openstack-request-id", "req-1".parse().unwrap());
        RawResponse { status, headers, body: body.as_bytes().to_vec() }
    }

    fn decode(response: RawResponse) -> Result<ResponseValue<u32>, Error<String>> {
        response.decode(json_at(&[200]), json_at(&[404]))
    }

    #[test]
    fn a_documented_success_is_ok_with_status_and_request_id() {
        let value = decode(raw(200, "7")).unwrap();
        assert_eq!((*value, value.status(), value.request_id()), (7, 200, Some("req-1")));
    }

    #[test]
    fn a_documented_error_is_err_with_the_typed_fault_and_status() {
        let Err(Error::ErrorResponse(fault)) = decode(raw(404, r#""gone""#)) else { panic!() };
        assert_eq!((fault.status(), fault.into_inner()), (404, "gone".to_string()));
    }

    #[test]
    fn undocumented_statuses_and_bodies_that_do_not_fit_keep_the_raw_response() {
        let unexpected = decode(raw(409, "busy")).unwrap_err();
        assert!(matches!(&unexpected, Error::UnexpectedResponse(r) if r.body == b"busy"));
        assert_eq!(unexpected.to_string(), "undocumented status 409: busy");
        let invalid = decode(raw(200, r#""seven""#)).unwrap_err();
        assert!(
            matches!(invalid, Error::InvalidResponse { ref response, .. } if response.status == 200)
        );
        assert!(matches!(decode(raw(404, "{")), Err(Error::InvalidResponse { .. })));
    }

    #[test]
    fn path_segments_are_encoded_one_each_and_a_trailing_slash_kept() {
        let versioning = Versioning { service_type: "image", legacy_header: None };
        let endpoint = Endpoint::new("http://127.0.0.1:1/base/", versioning).unwrap();
        let url = endpoint.url(&["v2".into(), "a/b c".into(), String::new()]);
        assert_eq!(url.as_str(), "http://127.0.0.1:1/base/v2/a%2Fb%20c/");
        assert!(matches!(
            Endpoint::new("mailto:x", versioning),
            Err(ClientError::CannotBeABase { .. })
        ));
    }
}
