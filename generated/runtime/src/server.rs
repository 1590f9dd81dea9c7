//! The axum stubs' side: what a handler reads from a request ([`Input`]), how it answers
//! ([`Fault`] and the response helpers), and the service's JSON Schemas ([`Schemas`]) that
//! request bodies are held to before serde reads them.

mod input;
mod schemas;

pub use input::Input;
pub use schemas::{BodySchema, Schemas};

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// An error a server answers in its service's fault format: a request the router refused,
/// or one the implementation refused with a status of its choosing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub status: u16,
    pub message: String,
}

impl Fault {
    pub fn new(status: u16, message: impl std::fmt::Display) -> Self {
        Self { status, message: message.to_string() }
    }
}

/// Required by axum of an extractor's rejection; handlers take `Result<Input, Fault>` and
/// answer with the service's fault body instead, so this is the plain-text last resort.
impl IntoResponse for Fault {
    fn into_response(self) -> Response {
        (status_code(self.status), self.message).into_response()
    }
}

/// The status code `status` (a documented one, all of which are valid), else 500.
pub fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// `body` as JSON with `status`; 500 if serde cannot write it.
pub fn json_response<T: serde::Serialize + ?Sized>(status: u16, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (status_code(status), [(header::CONTENT_TYPE, "application/json")], bytes)
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Raw bytes with `status`.
pub fn bytes_response(status: u16, body: Vec<u8>) -> Response {
    (status_code(status), [(header::CONTENT_TYPE, "application/octet-stream")], body)
        .into_response()
}

/// `status` without a body.
pub fn empty_response(status: u16) -> Response {
    status_code(status).into_response()
}
