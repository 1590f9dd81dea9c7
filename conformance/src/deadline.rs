//! How long a run may take: a deadline for the whole run and one per operation, so that a
//! server that never answers, answers a byte at a time, or asks to be retried much later
//! ends the run in bounded time. An operation's time is what its own cases take together:
//! the phases go over every operation in turn, so a clock started at its first case ran out
//! while other operations were sent (nova's 202 operations, one at a time: no negative case
//! of any was sent). A case not started before its deadline is counted as not
//! tried (and reported so); one under way when it passes is stopped.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::phases::Phase;
use crate::settings::Settings;

/// The run's deadlines.
#[derive(Debug)]
pub struct Deadlines {
    run: Instant,
    run_limit: Duration,
    per_operation: Duration,
    /// The time each operation's cases (by operation index) have taken so far.
    spent: Mutex<HashMap<usize, Duration>>,
    /// Cases not tried, by operation id and phase, with why.
    not_tried: Mutex<BTreeMap<(String, Phase), NotTried>>,
}

/// The deadline a case must finish by, and what to say if it does not.
#[derive(Debug, Clone)]
pub struct Deadline {
    pub at: Instant,
    pub why: String,
}

/// Cases of one operation and phase that a deadline kept from being sent.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NotTried {
    pub operation: String,
    pub phase: Phase,
    pub cases: usize,
    pub reason: String,
}

impl Deadlines {
    /// The deadlines of a run starting now.
    pub fn start(settings: &Settings) -> Self {
        Self {
            run: Instant::now() + settings.deadline,
            run_limit: settings.deadline,
            per_operation: settings.operation_deadline,
            spent: Mutex::new(HashMap::new()),
            not_tried: Mutex::new(BTreeMap::new()),
        }
    }

    /// The deadline of a case of `operation` about to be sent (what is left of the
    /// operation's time from now), or why it is too late to send it.
    pub fn for_case(&self, operation: usize) -> Result<Deadline, String> {
        let now = Instant::now();
        let spent = lock(&self.spent).get(&operation).copied().unwrap_or_default();
        let own = now + self.per_operation.saturating_sub(spent);
        let deadline = if own < self.run {
            Deadline {
                at: own,
                why: format!("operation deadline ({:?}) reached", self.per_operation),
            }
        } else {
            Deadline { at: self.run, why: format!("run deadline ({:?}) reached", self.run_limit) }
        };
        if now >= deadline.at {
            return Err(deadline.why);
        }
        Ok(deadline)
    }

    /// Charges `elapsed`, the time a case took, to `operation`.
    pub fn spend(&self, operation: usize, elapsed: Duration) {
        *lock(&self.spent).entry(operation).or_default() += elapsed;
    }

    /// Counts a case of `operation` in `phase` as not tried, for `reason`.
    pub fn not_tried(&self, operation: &str, phase: Phase, reason: String) {
        let mut all = lock(&self.not_tried);
        let entry = all.entry((operation.to_string(), phase)).or_insert_with(|| NotTried {
            operation: operation.to_string(),
            phase,
            cases: 0,
            reason,
        });
        entry.cases += 1;
    }

    /// Every operation and phase with cases not tried, in order.
    pub fn take_not_tried(&self) -> Vec<NotTried> {
        std::mem::take(&mut *lock(&self.not_tried)).into_values().collect()
    }
}

/// The data behind `mutex`, also if a panicking holder poisoned it (the maps stay valid).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deadlines(run: u64, operation: u64) -> Deadlines {
        let settings = Settings::new("http://h")
            .deadline(Duration::from_secs(run))
            .operation_deadline(Duration::from_secs(operation));
        Deadlines::start(&settings)
    }

    #[test]
    fn a_case_gets_the_earlier_of_its_operations_and_the_runs_deadline() {
        let within = deadlines(60, 5).for_case(0).unwrap();
        assert_eq!(within.why, "operation deadline (5s) reached");
        let within = deadlines(5, 60).for_case(0).unwrap();
        assert_eq!(within.why, "run deadline (5s) reached");
        assert_eq!(deadlines(60, 0).for_case(0).unwrap_err(), "operation deadline (0ns) reached");
        assert_eq!(deadlines(0, 60).for_case(0).unwrap_err(), "run deadline (0ns) reached");
    }

    #[test]
    fn an_operation_is_charged_only_the_time_its_own_cases_take() {
        let d = deadlines(60, 5);
        d.spend(0, Duration::from_secs(3));
        let left = d.for_case(0).unwrap().at - Instant::now();
        assert!(left <= Duration::from_secs(2) && left > Duration::from_secs(1), "{left:?}");
        let other = d.for_case(1).unwrap().at - Instant::now();
        assert!(other > Duration::from_secs(4), "another operation's time is its own");
        d.spend(0, Duration::from_secs(2));
        assert_eq!(d.for_case(0).unwrap_err(), "operation deadline (5s) reached");
    }

    #[test]
    fn cases_not_tried_are_counted_per_operation_and_phase() {
        let d = deadlines(60, 5);
        for phase in [Phase::Property, Phase::Property, Phase::Negative] {
            d.not_tried("op", phase, "run deadline (5s) reached".into());
        }
        let listed = d.take_not_tried();
        let counts: Vec<_> = listed.iter().map(|n| (n.phase, n.cases)).collect();
        assert_eq!(counts, [(Phase::Property, 2), (Phase::Negative, 1)]);
        assert!(d.take_not_tried().is_empty());
    }
}
