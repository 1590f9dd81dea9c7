//! Serving any document by interpreting it at run time (`stackspec mock --spec FILE`): the
//! route is matched against the document's path templates, the body is read and parsed,
//! and [`Mock::respond`] answers.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::layer::RequestContext;
use super::{json_response, Answer, BodyCheck, Mock, MAX_BODY_BYTES};

pub fn router(mock: Arc<Mock>) -> axum::Router {
    axum::Router::new().fallback(handle).with_state(mock)
}

async fn handle(State(mock): State<Arc<Mock>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let candidates = mock.most_specific(path);
    let Some((_, params, op)) = candidates.iter().find(|(_, _, op)| op.method == parts.method)
    else {
        if candidates.is_empty() {
            return mock.fault(404, &format!("no resource at {path}"));
        }
        let allow: Vec<&str> = candidates.iter().map(|(_, _, op)| op.method.as_str()).collect();
        let mut response = mock.fault(405, &format!("{} is not allowed on {path}", parts.method));
        if let Ok(allow) = HeaderValue::from_str(&allow.join(", ")) {
            response.headers_mut().insert(header::ALLOW, allow);
        }
        return response;
    };
    let bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(error) => {
            let (status, message) = unread_body(error);
            return mock.fault(status, &message);
        }
    };
    let body = match &op.body {
        Some(check) if bytes.is_empty() && !check.required => None,
        Some(check) => match read_json(check, parts.headers.get(header::CONTENT_TYPE), &bytes) {
            Ok(body) => body,
            Err((status, message)) => return mock.fault(status, &message),
        },
        None => None,
    };
    match mock.respond(op, params, body, &RequestContext::current()) {
        Answer::Json(status, body) => json_response(status, &body),
        Answer::Empty(status) => StatusCode::from_u16(status)
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            .into_response(),
        Answer::Fault(status, message) => mock.fault(status, &message),
    }
}

/// Why a body could not be read: 413 past [`MAX_BODY_BYTES`], else 400 (a malformed
/// chunked encoding, a connection closed mid-body), as the generated routers answer.
fn unread_body(error: axum::Error) -> (u16, String) {
    let error = error.into_inner();
    if error.is::<http_body_util::LengthLimitError>() {
        (413, format!("the request body is larger than {MAX_BODY_BYTES} bytes"))
    } else {
        (400, format!("the request body cannot be read: {error}"))
    }
}

/// The parsed JSON body (`None` for a body of another media type), or the status and
/// message refusing it (415, 400).
fn read_json(
    check: &BodyCheck,
    content_type: Option<&HeaderValue>,
    bytes: &[u8],
) -> Result<Option<Value>, (u16, String)> {
    let found =
        content_type.and_then(|v| v.to_str().ok()).and_then(|v| v.split(';').next()).map(str::trim);
    if !found.is_some_and(|f| f.eq_ignore_ascii_case(&check.content_type)) {
        let found = found.unwrap_or("none");
        return Err((
            415,
            format!("expected a body of type {}, found {found}", check.content_type),
        ));
    }
    if check.validator.is_none() {
        return Ok(None);
    }
    serde_json::from_slice(bytes).map(Some).map_err(|e| (400, format!("malformed JSON body: {e}")))
}
