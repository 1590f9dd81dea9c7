//! The built-in services' mocks, served by the generated code: each service's module of
//! [`crate::services`] implements its `server::Api` by handing the typed inputs to
//! [`Mock::answer_as`], and serves it with the generated `server::router`. Clients thus
//! talk to the generated stubs, which route, extract and check the input themselves.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;
use stackspec_model::Spec;

use super::layer::RequestContext;
use super::{Answer, Auth, Mock, MockError};

/// A service whose spec was built into this crate, with its generated mock.
pub struct Builtin {
    /// The stem of its file in `spec/` (`compute`, `image`).
    pub service: &'static str,
    /// The spec as it was when the crate was built, which the generated code matches.
    pub spec: &'static str,
    /// The router serving a mock of this spec: the generated one when the service's cargo
    /// feature is on, else the interpreter's ([`Mock::router`]).
    pub router: fn(Mock) -> axum::Router,
}

/// The router of built-in service `service`'s mock, answering from the spec built in and
/// asking for a token as the service does: the generated stubs over the generated `Api`
/// implementation, or the interpreter for a service whose feature is off.
pub fn builtin(service: &str) -> Result<axum::Router, MockError> {
    builtin_with(service, Auth::Required)
}

/// [`builtin`], with or without asking for a token.
pub fn builtin_with(service: &str, auth: Auth) -> Result<axum::Router, MockError> {
    let builtin = find(service)?;
    Ok((builtin.router)(Mock::new(&parse(builtin)?)?.with_auth(auth)))
}

/// The spec built in for service `service` (`spec/<service>.yaml` as it was at build
/// time): what `stackspec conform --service` holds an endpoint to, without a checkout.
pub fn builtin_spec(service: &str) -> Result<Spec, MockError> {
    parse(find(service)?)
}

fn find(service: &str) -> Result<&'static Builtin, MockError> {
    crate::BUILTIN_MOCKS.iter().find(|b| b.service == service).ok_or_else(|| {
        let known: Vec<&str> = crate::BUILTIN_MOCKS.iter().map(|b| b.service).collect();
        MockError::UnknownService { service: service.to_string(), known }
    })
}

fn parse(builtin: &Builtin) -> Result<Spec, MockError> {
    let path = format!("spec/{}.yaml", builtin.service);
    Spec::parse(Path::new(&path), builtin.spec)
        .map_err(|e| MockError::Spec { message: e.to_string() })
}

/// How a generated response enum is made from a status and body (its `from_status`).
type FromStatus<R> = fn(u16, &[u8]) -> Option<Result<R, serde_json::Error>>;

impl Mock {
    /// The answer to the operation `key` (`POST /v2/tasks`) as the generated response type
    /// `R`, or the status and message of a fault. An answer that does not fit `R` is a 500
    /// naming the operation: the document's example and its schema disagree.
    pub fn answer_as<R>(
        &self,
        key: &str,
        params: Vec<(String, String)>,
        body: Option<Value>,
        from_status: FromStatus<R>,
    ) -> Result<R, (u16, String)> {
        let Some(op) = self.operation(key) else {
            return Err((500, format!("the mock has no operation `{key}`")));
        };
        let (status, bytes) = match self.respond(op, &params, body, &RequestContext::current()) {
            Answer::Json(status, body) => (status, body.to_string().into_bytes()),
            Answer::Empty(status) => (status, Vec::new()),
            Answer::Fault(status, message) => return Err((status, message)),
        };
        match from_status(status, &bytes) {
            Some(Ok(response)) => Ok(response),
            Some(Err(e)) => Err((
                500,
                format!("`{key}`: the mock's {status} answer does not fit its type: {e}"),
            )),
            None => {
                Err((500, format!("`{key}`: the mock answered {status}, which is undocumented")))
            }
        }
    }
}

/// The text of a typed path parameter, as it was in the path.
pub fn text<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// A typed request body as JSON, for the stateful behaviours and the version's schema.
pub fn json<T: Serialize>(body: &T) -> Option<Value> {
    serde_json::to_value(body).ok()
}
