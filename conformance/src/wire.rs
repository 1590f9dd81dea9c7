//! How a request reaches the server: which HTTP client carries the bytes.
//!
//! A plain-HTTP endpoint that no proxy intercepts (a service on loopback or inside the
//! cloud's network) gets hyper's pooled HTTP/1 client with nothing in between: against a
//! fast server the client's own CPU bounds a run, and reqwest's layers (URL re-parsing,
//! redirect and retry wrappers, a copy of every request) cost a quarter of it
//! (`conformance/bench/run.sh`). TLS and proxies go through reqwest, which brings rustls
//! with its roots (or a cloud's own, [`crate::tls`]) and the environment's proxy rules,
//! where the network costs far more than any client layer. Both carry the same
//! [`http::Request`], built once by the caller, so the bytes on the wire do not depend on
//! the path taken (`tests/both_wires_send_the_same_request.rs`).

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::tls::Tls;

/// A response body over the cap: the rest is not read, so an endless or huge body costs
/// no more memory than the cap.
#[derive(Debug, thiserror::Error)]
#[error("body larger than {0} bytes")]
pub struct BodyTooLarge(pub usize);

/// Why no client could be made for a base URL.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("{base_url}")]
    Uri {
        base_url: String,
        #[source]
        source: http::uri::InvalidUri,
    },
    #[error(transparent)]
    Reqwest(#[from] reqwest::Error),
}

/// The client that carries one base URL's requests.
#[derive(Debug)]
pub enum Wire {
    /// Plain HTTP, no proxy: hyper directly.
    Direct(hyper_util::client::legacy::Client<HttpConnector, Full<Bytes>>),
    /// TLS or a proxy: reqwest.
    Reqwest(reqwest::Client),
}

impl Wire {
    /// The wire for requests to `base_url`, given the proxy rules in force (the
    /// environment's: `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`) and, for TLS,
    /// whom to trust.
    pub fn for_base(base_url: &str, proxies: &Matcher, tls: &Tls) -> Result<Self, WireError> {
        let uri: http::Uri = base_url
            .parse()
            .map_err(|source| WireError::Uri { base_url: base_url.to_string(), source })?;
        let plain = uri.scheme() == Some(&http::uri::Scheme::HTTP);
        if plain && proxies.intercept(&uri).is_none() {
            Ok(Self::direct())
        } else {
            Self::reqwest(tls)
        }
    }

    /// The wire [`Wire::for_base`] picks with the environment's proxy rules.
    pub fn from_env(base_url: &str, tls: &Tls) -> Result<Self, WireError> {
        Self::for_base(base_url, &Matcher::from_env(), tls)
    }

    /// hyper's pooled client, set as reqwest sets its own: no Nagle delay, idle
    /// connections closed after 90 s.
    pub fn direct() -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .build(connector);
        Self::Direct(client)
    }

    /// reqwest, sending exactly the request it is given: no redirect followed (a redirect
    /// is an answer to check: heat's find operations document 302), no retry of its own
    /// (the caller retries 429 and 503 itself), and no timeout of its own (the caller
    /// bounds a whole exchange, body included, on either wire).
    pub fn reqwest(tls: &Tls) -> Result<Self, WireError> {
        let client = tls
            .client_builder()
            .redirect(reqwest::redirect::Policy::none())
            .retry(reqwest::retry::never().max_retries_per_request(0))
            .build()?;
        Ok(Self::Reqwest(client))
    }

    /// Sends `request` and reads the whole response, unless its body is larger than
    /// `max_body_size` bytes ([`BodyTooLarge`]). Bodies are read as sent: not decompressed.
    pub async fn send(
        &self,
        request: http::Request<Bytes>,
        max_body_size: usize,
    ) -> Result<http::Response<Bytes>, Box<dyn std::error::Error + Send + Sync>> {
        match self {
            Self::Direct(client) => {
                let response = client.request(request.map(Full::new)).await?;
                collect(response, max_body_size).await
            }
            Self::Reqwest(client) => {
                let response = client.execute(request.try_into()?).await?;
                collect(http::Response::from(response), max_body_size).await
            }
        }
    }
}

/// Whether `error` says the server closed the connection before answering (hyper's
/// incomplete message). On a kept-alive connection this is mostly a server that closed it
/// after its previous answer without `Connection: close` (ironic after its empty 500s,
/// F182), which the request then went out on: it was never read, and is worth one more try
/// on a new connection.
pub fn closed_unanswered(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(e) = next {
        if e.downcast_ref::<hyper::Error>().is_some_and(hyper::Error::is_incomplete_message) {
            return true;
        }
        next = e.source();
    }
    false
}

/// The response with its body read to the end, or [`BodyTooLarge`] as soon as it passes
/// `limit` bytes (at once when its `Content-Length` says so).
async fn collect<B>(
    response: http::Response<B>,
    limit: usize,
) -> Result<http::Response<Bytes>, Box<dyn std::error::Error + Send + Sync>>
where
    B: http_body::Body,
    B::Error: std::error::Error + Send + Sync + 'static,
{
    let (parts, body) = response.into_parts();
    let body = Limited::new(body, limit).collect().await.map_err(|e| {
        if e.is::<LengthLimitError>() {
            Box::new(BodyTooLarge(limit))
        } else {
            e
        }
    })?;
    Ok(http::Response::from_parts(parts, body.to_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(http_proxy: &str, no_proxy: &str) -> Matcher {
        Matcher::builder().http(http_proxy).no(no_proxy).build()
    }

    /// The positive case, a kept-alive connection closed unanswered, is
    /// `tests/http_politeness.rs`'s (the request is sent again); a refused connection is
    /// another failure, never retried.
    #[tokio::test]
    async fn a_refused_connection_is_not_one_closed_unanswered() {
        let nobody = http::Request::get("http://127.0.0.1:9/").body(Bytes::new()).unwrap();
        let refused = Wire::direct().send(nobody, 1024).await.unwrap_err();
        assert!(!closed_unanswered(refused.as_ref()), "{refused:?}");
    }

    #[test]
    fn plain_http_without_a_proxy_goes_direct() {
        let wire =
            Wire::for_base("http://127.0.0.1:9292", &matcher("", ""), &Tls::default()).unwrap();
        assert!(matches!(wire, Wire::Direct(_)), "{wire:?}");
    }

    #[test]
    fn a_proxied_endpoint_goes_through_reqwest_unless_no_proxy_lists_it() {
        let proxied = matcher("http://proxy.example:3128", "");
        let wire =
            Wire::for_base("http://compute.example:8774", &proxied, &Tls::default()).unwrap();
        assert!(matches!(wire, Wire::Reqwest(_)), "{wire:?}");
        let exempt = matcher("http://proxy.example:3128", "compute.example");
        let wire = Wire::for_base("http://compute.example:8774", &exempt, &Tls::default()).unwrap();
        assert!(matches!(wire, Wire::Direct(_)), "{wire:?}");
    }

    #[test]
    fn tls_goes_through_reqwest() {
        let wire = Wire::for_base("https://cloud.example:13292", &matcher("", ""), &Tls::default())
            .unwrap();
        assert!(matches!(wire, Wire::Reqwest(_)), "{wire:?}");
    }

    #[test]
    fn a_base_that_is_no_uri_is_an_error_naming_it() {
        let err = Wire::for_base("http://bad host", &matcher("", ""), &Tls::default()).unwrap_err();
        let err = crate::errors::error_chain(&err);
        assert!(err.starts_with("http://bad host: "), "{err}");
    }
}
