//! How long a run may take: a deadline for the whole run and one per operation, so that a
//! server that never answers, answers a byte at a time, or asks to be retried much later
//! ends the run in bounded time. An operation's time is the time during which at least one
//! of its own cases is under way: the phases go over every operation in turn, so a clock
//! started at its first case ran out while other operations were sent (nova's 202
//! operations, one at a time: no negative case of any was sent), and a sum of its cases'
//! times would count the waits of concurrent cases (for the rate limit, say) once each. A
//! case not started before its deadline is counted as not tried (and reported so); one
//! under way when it passes is stopped.

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
    /// Each operation's time so far (by operation index).
    spent: Mutex<HashMap<usize, Busy>>,
    /// Cases not tried, by operation id and phase, with why.
    not_tried: Mutex<BTreeMap<(String, Phase), NotTried>>,
}

/// The time an operation's cases have been under way: the closed stretches, and the open
/// one while any case is.
#[derive(Debug, Default)]
struct Busy {
    closed: Duration,
    in_flight: usize,
    since: Option<Instant>,
}

impl Busy {
    fn at(&self, now: Instant) -> Duration {
        self.closed + self.since.map_or(Duration::ZERO, |since| now - since)
    }
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

    /// Starts a case of `operation`: its deadline (what is left of the operation's time
    /// from now), or why it is too late to send it. A started case is ended with
    /// [`Deadlines::end_case`].
    pub fn start_case(&self, operation: usize) -> Result<Deadline, String> {
        let now = Instant::now();
        let mut all = lock(&self.spent);
        let busy = all.entry(operation).or_default();
        let own = now + self.per_operation.saturating_sub(busy.at(now));
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
        busy.in_flight += 1;
        busy.since.get_or_insert(now);
        Ok(deadline)
    }

    /// Ends a case [`Deadlines::start_case`] started.
    pub fn end_case(&self, operation: usize) {
        let now = Instant::now();
        let mut all = lock(&self.spent);
        let busy = all.entry(operation).or_default();
        busy.in_flight = busy.in_flight.saturating_sub(1);
        if busy.in_flight == 0 {
            busy.closed = busy.at(now);
            busy.since = None;
        }
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
        let within = deadlines(60, 5).start_case(0).unwrap();
        assert_eq!(within.why, "operation deadline (5s) reached");
        let within = deadlines(5, 60).start_case(0).unwrap();
        assert_eq!(within.why, "run deadline (5s) reached");
        assert_eq!(deadlines(60, 0).start_case(0).unwrap_err(), "operation deadline (0ns) reached");
        assert_eq!(deadlines(0, 60).start_case(0).unwrap_err(), "run deadline (0ns) reached");
    }

    #[tokio::test(start_paused = true)]
    async fn an_operation_is_charged_only_while_its_own_cases_are_under_way() {
        let d = deadlines(60, 5);
        let step = Duration::from_secs(1);
        // Two cases at once for a second: one second of the operation's time, not two.
        d.start_case(0).unwrap();
        d.start_case(0).unwrap();
        tokio::time::advance(step).await;
        d.end_case(0);
        d.end_case(0);
        // Other operations' time is not its own.
        d.start_case(1).unwrap();
        tokio::time::advance(step * 3).await;
        d.end_case(1);
        let left = d.start_case(0).unwrap().at - Instant::now();
        assert_eq!(left, step * 4);
        tokio::time::advance(step * 4).await;
        d.end_case(0);
        assert_eq!(d.start_case(0).unwrap_err(), "operation deadline (5s) reached");
        assert_eq!(d.start_case(1).unwrap().at - Instant::now(), step * 2);
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
