//! Error bodies in the media type the service answers them in (`fault-media`): glance's
//! webob errors are an HTML page unless the request's `Accept` prefers JSON, and clients
//! rely on that (a client that asks for JSON parses the fault, one that does not shows it).

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use serde_json::Value;
use stackspec_model::service::{FaultMedia, FaultStyle};

/// The largest fault body rewritten; the mock's own are a few hundred bytes.
const FAULT_BODY_LIMIT: usize = 64 * 1024;

/// `response` as the service would send it to a request with `request_headers`: an error
/// rendered as HTML where the service's media choice and the request's `Accept` say so.
pub async fn negotiate(
    media: FaultMedia,
    style: FaultStyle,
    request_headers: &HeaderMap,
    response: Response,
) -> Response {
    let wants_html = media == FaultMedia::HtmlUnlessJsonAccepted
        && response.status().as_u16() >= 400
        && !prefers_json(request_headers);
    if !wants_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, FAULT_BODY_LIMIT).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let fault: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let message = style.message(&fault).unwrap_or_default();
    let page = html_page(parts.status.as_u16(), parts.status.canonical_reason(), &message);
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=UTF-8"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(page))
}

/// Whether `Accept` gives `application/json` a higher quality than `text/html`, or the same
/// quality by a more specific range (`application/json, */*`); webob's tie goes to HTML.
fn prefers_json(headers: &HeaderMap) -> bool {
    let accept = headers.get_all(header::ACCEPT).iter().filter_map(|v| v.to_str().ok());
    let ranges: Vec<(String, f32)> = accept.flat_map(|v| v.split(',')).filter_map(range).collect();
    let (json, html) = (quality(&ranges, "application/json"), quality(&ranges, "text/html"));
    json > html
}

/// One media range of `Accept` and its quality (`text/html;q=0.5`).
fn range(text: &str) -> Option<(String, f32)> {
    let mut parts = text.split(';').map(str::trim);
    let media = parts.next().filter(|m| !m.is_empty())?.to_ascii_lowercase();
    let q = parts
        .filter_map(|p| p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
        .next()
        .unwrap_or(1.0);
    Some((media, q))
}

/// The quality `ranges` give `media`, from the most specific range matching it, and how
/// specific that range is (2: exact, 1: `type/*`, 0: `*/*`); `(0.0, 0)` when none does.
fn quality(ranges: &[(String, f32)], media: &str) -> (f32, u8) {
    let kind = media.split('/').next().unwrap_or_default();
    let specificity = |range: &str| match range {
        r if r == media => Some(2),
        r if r.strip_suffix("/*") == Some(kind) => Some(1),
        "*/*" => Some(0),
        _ => None,
    };
    let matched = ranges.iter().filter_map(|(r, q)| specificity(r).map(|s| (s, *q)));
    matched.max_by_key(|(s, _)| *s).map_or((0.0, 0), |(s, q)| (q, s))
}

/// webob's error page.
fn html_page(status: u16, reason: Option<&str>, message: &str) -> String {
    let title = format!("{status} {}", reason.unwrap_or("Error"));
    let message = escape(message);
    format!(
        "<html>\n <head>\n  <title>{title}</title>\n </head>\n <body>\n  <h1>{title}</h1>\n  {message}<br /><br />\n\n\n\n </body>\n</html>"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn json_is_chosen_only_when_accept_prefers_it() {
        assert!(prefers_json(&accept("application/json")));
        assert!(prefers_json(&accept("application/json, */*")));
        assert!(prefers_json(&accept("text/html;q=0.5, application/*")));
        assert!(!prefers_json(&accept("*/*")));
        assert!(!prefers_json(&accept("application/json;q=0.5, text/html")));
        assert!(!prefers_json(&HeaderMap::new()));
    }

    #[test]
    fn the_page_escapes_the_message() {
        let page = html_page(404, Some("Not Found"), "no <task>");
        assert!(page.contains("<title>404 Not Found</title>"), "{page}");
        assert!(page.contains("no &lt;task&gt;<br />"), "{page}");
    }
}
