//! Which way a schema travels, and what a side-by-side comparison of two schemas reports
//! its differences to. The schema walk (`schemas`) and the comparisons it delegates
//! (`constraints`, `enums`) both build on this, so that neither names the other.

/// Which way a schema travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Request,
    Response,
}

impl Direction {
    /// The request or the response twin of a rule (or of a pair of rules).
    pub fn pick<T>(self, request: T, response: T) -> T {
        match self {
            Self::Request => request,
            Self::Response => response,
        }
    }
}
