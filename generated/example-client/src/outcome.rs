//! What a call's result means to this program: the value of the documented success, or the
//! documented fault, or an [`Unexpected`] naming the call.
//!
//! Today's generated client answers every documented status as `Ok` with one variant per
//! status; the [`Documented`] impls (one line each) sort those into success and fault. When the generated
//! client returns documented errors as `Err` with the typed fault body (issue 13), this
//! module is all that changes: `success` becomes `result.map(|reply| reply.value)` and
//! `documented_error` a match on the error.

use crate::image::client::{Error, Reply};
use crate::image::types::{
    CreateTaskCreated201, CreateTaskResponse, GlanceError, ListTasksOk200, ListTasksResponse,
    ShowTaskDetailsOk200, ShowTaskDetailsResponse,
};

/// Why the program's run is not what the mock documents.
#[derive(Debug, thiserror::Error)]
pub enum Unexpected {
    #[error("cannot build the client: {0}")]
    Client(#[source] Error),
    #[error("{call}: {source}")]
    Call { call: &'static str, source: Error },
    #[error("{call}: documented error {status}: {} ({})", fault.title, fault.message)]
    Fault { call: &'static str, status: u16, fault: GlanceError },
    #[error("{call}: status {status} where {expected} was expected")]
    Status { call: &'static str, status: u16, expected: u16 },
    #[error("{call}: {what}")]
    Check { call: &'static str, what: String },
}

impl Unexpected {
    pub fn new(call: &'static str, what: String) -> Self {
        Self::Check { call, what }
    }
}

impl From<Error> for Unexpected {
    fn from(error: Error) -> Self {
        Self::Client(error)
    }
}

/// A response enum of today's client: its status, and its success value or glance's fault
/// body.
pub trait Documented {
    type Success;
    fn into_outcome(self) -> (u16, Result<Self::Success, GlanceError>);
}

/// `Documented` for a response enum: its success variant, then its fault variants.
macro_rules! documented {
    ($response:ty => $success:ty, $ok:ident, $($fault:ident)|+) => {
        impl Documented for $response {
            type Success = $success;
            fn into_outcome(self) -> (u16, Result<Self::Success, GlanceError>) {
                let status = self.status();
                let outcome = match self {
                    Self::$ok(value) => Ok(value),
                    $(Self::$fault(fault))|+ => Err(fault),
                };
                (status, outcome)
            }
        }
    };
}

documented!(ListTasksResponse => ListTasksOk200, Ok200, Forbidden403 | NotFound404 | PayloadTooLarge413);
documented!(CreateTaskResponse => CreateTaskCreated201, Created201, Unauthorized401 | PayloadTooLarge413 | UnsupportedMediaType415);
documented!(ShowTaskDetailsResponse => ShowTaskDetailsOk200, Ok200, NotFound404);

/// The value of `call`'s documented success.
pub fn success<T: Documented>(
    result: Result<Reply<T>, Error>,
    call: &'static str,
) -> Result<T::Success, Unexpected> {
    let reply = result.map_err(|source| Unexpected::Call { call, source })?;
    let (status, outcome) = reply.value.into_outcome();
    outcome.map_err(|fault| Unexpected::Fault { call, status, fault })
}

/// The fault body of `call`'s documented error status `expected`.
pub fn documented_error<T: Documented>(
    result: Result<Reply<T>, Error>,
    expected: u16,
    call: &'static str,
) -> Result<GlanceError, Unexpected> {
    let reply = result.map_err(|source| Unexpected::Call { call, source })?;
    match reply.value.into_outcome() {
        (status, Err(fault)) if status == expected => Ok(fault),
        (status, _) => Err(Unexpected::Status { call, status, expected }),
    }
}
