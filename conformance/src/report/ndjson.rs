//! `--report ndjson=PATH`: the run as a stream of events, one JSON object per line, written
//! as the run goes (`conformance/events.schema.json`): `start` before the first case, `case`
//! for each response once final (in the order they settle, not the order planned), `end`
//! with the run's totals. A long run can be followed with `tail -f`, and one cut short
//! still leaves every case it settled. Every known secret is replaced in every event.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use serde_json::{json, Value};

use super::json::{record, SCHEMA_VERSION};
use super::rerun_command;
use crate::events::{Events, Start};
use crate::record::Record;
use crate::rerun::Rerun;
use crate::run::Outcome;
use crate::secrets;

/// Writes a run's events as they come.
pub struct Ndjson {
    out: Mutex<Box<dyn Write + Send>>,
    /// What reruns a case (the command line's options), for each case's `rerun`.
    rerun: Rerun,
    /// Learnt from the start: the seed and the operations' path templates.
    run: Mutex<(u64, BTreeMap<String, String>)>,
    /// The first write that failed; reported when the run ends (a run is not stopped for
    /// its stream).
    error: Mutex<Option<std::io::Error>>,
}

impl std::fmt::Debug for Ndjson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ndjson").finish_non_exhaustive()
    }
}

impl Ndjson {
    pub fn new(out: Box<dyn Write + Send>, rerun: Rerun) -> Self {
        Self {
            out: Mutex::new(out),
            rerun,
            run: Mutex::new((0, BTreeMap::new())),
            error: Mutex::new(None),
        }
    }

    /// Writes the `end` event of `outcome`; the first write error of the stream, if any.
    pub fn finished(&self, outcome: &Outcome) -> Result<(), std::io::Error> {
        self.emit(end(outcome));
        match self.error.lock().unwrap_or_else(|e| e.into_inner()).take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn emit(&self, mut event: Value) {
        secrets::redact_json(&mut event);
        let mut line = event.to_string();
        line.push('\n');
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(e) = out.write_all(line.as_bytes()).and_then(|()| out.flush()) {
            self.error.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(e);
        }
    }
}

impl Events for Ndjson {
    fn started(&self, s: &Start<'_>) {
        *self.run.lock().unwrap_or_else(|e| e.into_inner()) = (s.seed, s.operations.clone());
        let started = s.started.duration_since(UNIX_EPOCH).unwrap_or_default();
        let mut event = json!({
            "event": "start",
            "schema_version": SCHEMA_VERSION,
            "spec": s.spec,
            "url": s.url,
            "seed": s.seed,
            "started_unix_ms": started.as_millis() as u64,
            "phases": s.phases,
            "operations": s.operations.keys().collect::<Vec<_>>(),
        });
        if let Some(shard) = s.shard {
            event["shard"] = json!(shard);
        }
        self.emit(event);
    }

    fn recorded(&self, records: &[Record]) {
        let (seed, templates) = self.run.lock().unwrap_or_else(|e| e.into_inner()).clone();
        for r in records {
            let rerun = rerun_command(&self.rerun, &templates, seed, r);
            let mut event = record(r, seed, rerun);
            event["event"] = "case".into();
            self.emit(event);
        }
    }
}

/// The `end` event: the verdict and the totals (the JSON report has the details).
fn end(outcome: &Outcome) -> Value {
    let failed = outcome.records.iter().filter(|r| r.failed()).count();
    json!({
        "event": "end",
        "failed": outcome.failed(),
        "elapsed_ms": (outcome.elapsed.as_secs_f64() * 1e6).round() / 1e3,
        "cases": outcome.records.len(),
        "passed": outcome.records.len() - failed,
        "failed_cases": failed,
        "skipped": outcome.skipped.len(),
        "not_tried": outcome.not_tried.iter().map(|n| n.cases).sum::<usize>(),
        "stale_overrides": outcome.overrides.iter().filter(|o| o.stale()).count(),
    })
}

/// The whole stream of a finished run at once (for a report written after the run, when
/// no stream was attached to it): start, every record in the report's order, end.
pub fn render(outcome: &Outcome) -> String {
    let buffer = SharedBuffer::default();
    let stream = Ndjson::new(Box::new(buffer.clone()), outcome.rerun.clone());
    let phases: Vec<_> = {
        let mut p: Vec<_> = outcome.records.iter().map(|r| r.case.phase).collect();
        p.sort();
        p.dedup();
        p
    };
    stream.started(&Start {
        spec: &outcome.spec,
        url: &outcome.base_url,
        seed: outcome.seed,
        started: outcome.started,
        phases: &phases,
        operations: &outcome.templates,
        shard: outcome.shard,
    });
    stream.recorded(&outcome.records);
    // Writing to memory does not fail.
    let _ = stream.finished(outcome);
    let bytes = buffer.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A `Write` into memory that can be read after the writer was given away.
#[derive(Debug, Clone, Default)]
struct SharedBuffer(std::sync::Arc<Mutex<Vec<u8>>>);

impl Write for SharedBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
