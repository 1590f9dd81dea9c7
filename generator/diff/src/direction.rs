//! Which way a schema travels, and what a side-by-side comparison of two schemas reports
//! its differences to. The schema walk (`schemas`) and the comparisons it delegates
//! (`constraints`, `enums`) both build on this, so that neither names the other.

use stackspec_model::version::VersionRange;

use super::rules::Rule;
use super::versions::Lowest;

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

/// Where a comparison of two schemas records what differs: the walk of one direction, which
/// picks the request or the response twin of each rule.
pub(crate) trait Differences {
    /// The direction the schemas travel in.
    fn direction(&self) -> Direction;

    /// Records the request or response twin of a rule.
    fn record(
        &mut self,
        rules: (&'static Rule, &'static Rule),
        pointer: &str,
        message: String,
        scope: VersionRange,
        affected: Lowest,
    );

    /// Records a range change with the (narrowed, widened) rules already picked for the
    /// direction.
    fn record_range(
        &mut self,
        rules: (&'static Rule, &'static Rule),
        subject: &str,
        pointer: &str,
        ranges: (VersionRange, VersionRange),
        scope: VersionRange,
    );
}
