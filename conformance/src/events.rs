//! What a run tells as it goes, for reports streamed while it runs (`--report ndjson=PATH`):
//! that it starts, and each case's records once they are settled, so that a long run can be
//! followed (and a run cut short still leaves what it found). The [`Events`] receiver is
//! given in the run's settings; the report layer implements it.

use std::collections::BTreeMap;
use std::time::SystemTime;

use crate::phases::Phase;
use crate::record::Record;
use crate::shard::Shard;

/// A run about to send its first case.
#[derive(Debug)]
pub struct Start<'a> {
    pub spec: &'a str,
    pub url: &'a str,
    pub seed: u64,
    pub started: SystemTime,
    pub phases: &'a [Phase],
    /// The path template of each selected operation, by id.
    pub operations: &'a BTreeMap<String, String>,
    pub shard: Option<Shard>,
}

/// Receives a run's progress. Called from the run's tasks: implementations lock what they
/// write to.
pub trait Events: Send + Sync + std::fmt::Debug {
    fn started(&self, start: &Start<'_>);
    /// One case's records (its response and any read-back), once final: a property draw
    /// that failed only after it was shrunk, and later failing draws of the same operation
    /// never (the report keeps only the first, shrunk).
    fn recorded(&self, records: &[Record]);
}
