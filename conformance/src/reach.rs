//! Whether the endpoint can be reached at all, asked once before any case: an endpoint that
//! refuses connections, whose name does not resolve or that never accepts is one error
//! (exit 2), not one failure per case. Only a TCP connection is opened (to the proxy the
//! environment sends the endpoint through, if any): a server that accepts and then
//! misbehaves is the cases' to judge.

use std::time::Duration;

use hyper_util::client::proxy::matcher::Matcher;

/// The endpoint (or its proxy) accepted no connection.
#[derive(Debug, thiserror::Error)]
#[error("cannot reach {what}: {message}; no case was sent")]
pub struct Unreachable {
    /// `host:port`, and the endpoint it was asked for when that is a proxy.
    pub what: String,
    pub message: String,
}

/// Opens (and closes) one TCP connection to where requests to `base_url` go, within
/// `timeout`. A URL that does not parse is left to the client, which names it.
pub async fn probe(base_url: &str, timeout: Duration) -> Result<(), Unreachable> {
    let Ok(uri) = base_url.parse::<http::Uri>() else { return Ok(()) };
    let proxy = Matcher::from_env().intercept(&uri).map(|i| i.uri().clone());
    let Some((host, port)) = address(proxy.as_ref().unwrap_or(&uri)) else { return Ok(()) };
    let what = match &proxy {
        Some(_) => format!("{host}:{port} (the proxy for {})", address_text(&uri)),
        None => format!("{host}:{port}"),
    };
    let connect = tokio::net::TcpStream::connect((host.as_str(), port));
    match tokio::time::timeout(timeout, connect).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(Unreachable { what, message: e.to_string() }),
        Err(_) => Err(Unreachable { what, message: format!("no connection within {timeout:?}") }),
    }
}

/// The host (without IPv6 brackets) and port a URI names, its scheme's by default.
fn address(uri: &http::Uri) -> Option<(String, u16)> {
    let host = uri.host()?.trim_start_matches('[').trim_end_matches(']').to_string();
    let https = uri.scheme() == Some(&http::uri::Scheme::HTTPS);
    Some((host, uri.port_u16().unwrap_or(if https { 443 } else { 80 })))
}

/// `host:port` of `uri`, for messages (no userinfo, path or query).
fn address_text(uri: &http::Uri) -> String {
    address(uri).map_or_else(|| uri.to_string(), |(h, p)| format!("{h}:{p}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_port_nothing_listens_on_is_unreachable_naming_it() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let url = format!("http://127.0.0.1:{port}/v2");
        let err = probe(&url, Duration::from_secs(5)).await.unwrap_err();
        assert_eq!(err.what, format!("127.0.0.1:{port}"));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/v2", listener.local_addr().unwrap());
        assert!(probe(&url, Duration::from_secs(5)).await.is_ok());
    }
}
