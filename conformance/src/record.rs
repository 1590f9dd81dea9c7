//! What a run keeps of each case: its response status (or why none came), the findings of
//! the checks, those an override explained, and what reproduces the request.

use std::sync::Arc;
use std::time::Duration;

use crate::checks::{Finding, Severity};
use crate::phases::property::Verdict;
use crate::phases::Case;
use crate::reproduce::Reproducer;

/// A finding a response showed, explained by an override.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Acknowledgement {
    pub finding: String,
    /// The line of the override in its file.
    pub line: usize,
    pub check: String,
    pub message: String,
}

/// One response (or transport error) and what the checks found.
#[derive(Debug, Clone)]
pub struct Record {
    pub operation: String,
    pub case: Case,
    pub status: Option<u16>,
    pub findings: Vec<Finding>,
    /// Findings explained by a reviewed override (they do not fail the run).
    pub acknowledged: Vec<Acknowledgement>,
    /// Set when no response was received.
    pub error: Option<String>,
    /// From the case's turn to send (waits for a free worker or the rate limit, and
    /// retries, included) to its response's last byte.
    pub elapsed: Duration,
    /// Whether no response came in time (a timeout, or a deadline stopped the request).
    pub(crate) timed_out: bool,
    /// What renders the `curl` command reproducing the request.
    pub(crate) reproducer: Arc<Reproducer>,
}

impl Record {
    pub fn failed(&self) -> bool {
        self.error.is_some() || self.failures().next().is_some()
    }

    /// Whether the request got no response in time.
    pub fn timed_out(&self) -> bool {
        self.timed_out
    }

    pub fn failures(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.severity == Severity::Failure)
    }

    /// What tells this failure from others (`None` when it passed): its status, failing
    /// checks and their messages without what varies between requests (`crate::signature`).
    pub fn signature(&self) -> Option<String> {
        if !self.failed() {
            return None;
        }
        let inputs = crate::signature::inputs(&self.case.request);
        let failures = self.failures().map(|f| (f.check, f.message.as_str()));
        Some(crate::signature::signature(self.status, self.error.as_deref(), failures, &inputs))
    }

    /// A `curl` command reproducing the request, secrets redacted.
    pub fn curl(&self) -> String {
        self.reproducer.curl(&self.case.request)
    }

    /// One line: the failing checks and their messages.
    pub fn summary(&self) -> String {
        summary(self.error.as_deref(), self.failures().map(|f| (f.check, f.message.as_str())))
    }
}

/// One line: the transport `error`, or the `failures`' checks and messages.
pub fn summary<'a>(
    error: Option<&str>,
    failures: impl Iterator<Item = (&'a str, &'a str)>,
) -> String {
    if let Some(e) = error {
        return e.to_string();
    }
    let parts: Vec<String> =
        failures.map(|(check, message)| format!("{check}: {message}")).collect();
    parts.join("; ")
}

impl Verdict for Record {
    fn failed(&self) -> bool {
        Record::failed(self)
    }

    fn timed_out(&self) -> bool {
        Record::timed_out(self)
    }

    fn signature(&self) -> Option<String> {
        Record::signature(self)
    }
}
