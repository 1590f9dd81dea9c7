//! What a call's result means to this program: the documented success, the documented
//! fault, or an [`Unexpected`] naming the call.

use stackspec_runtime::client::ClientError;
use stackspec_runtime::{Error, ResponseValue};

use crate::image::types::GlanceError;

/// A call of the image client: its success value, or glance's fault for a documented error.
pub type Call<T> = Result<ResponseValue<T>, Error<GlanceError>>;

/// Why the program's run is not what the mock documents.
#[derive(Debug, thiserror::Error)]
pub enum Unexpected {
    #[error("cannot build the client: {0}")]
    Client(#[from] ClientError),
    #[error("{call}: {source}")]
    Call { call: &'static str, source: Error<GlanceError> },
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

/// The value of a call that must succeed.
pub fn success<T>(result: Call<T>, call: &'static str) -> Result<T, Unexpected> {
    result.map(ResponseValue::into_inner).map_err(|source| Unexpected::Call { call, source })
}

/// The fault of a call that must fail with the documented `expected` status.
pub fn documented_error<T>(
    result: Call<T>,
    expected: u16,
    call: &'static str,
) -> Result<GlanceError, Unexpected> {
    match result {
        Err(Error::ErrorResponse(fault)) if fault.status() == expected => Ok(fault.into_inner()),
        Err(source) => Err(Unexpected::Call { call, source }),
        Ok(value) => Err(Unexpected::Status { call, status: value.status(), expected }),
    }
}
