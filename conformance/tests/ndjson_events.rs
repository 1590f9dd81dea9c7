//! `--report ndjson=PATH`: the event stream of a run is `start`, one `case` per record of
//! the run's JSON report (the same records, in the order they settled), and `end` with the
//! verdict; every line is valid against the committed `events.schema.json`.

mod support;

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use stackspec_conformance::report::json;
use stackspec_conformance::report::ndjson::{self, Ndjson};
use stackspec_conformance::rerun::Rerun;
use support::{settings, spec, start, Defect};

/// Bytes written by the stream, readable by the test.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn schema() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("events.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// What identifies a record's verdict in an event or a report record.
fn verdict(r: &Value) -> String {
    let keys = ["operation", "phase", "method", "path", "status", "failed", "findings"];
    keys.iter().map(|k| r[k].to_string()).collect::<Vec<_>>().join(" ")
}

fn events(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect()
}

#[tokio::test]
async fn the_stream_is_start_every_record_as_a_case_then_end_each_line_valid() {
    let fixture = start(Some(Defect::SizeAsString)).await;
    let buffer = Buffer::default();
    let stream = Arc::new(Ndjson::new(Box::new(buffer.clone()), Rerun::default()));
    let s = settings(&fixture.url).max_cases(8).events(Some(stream.clone()));
    let outcome = stackspec_conformance::run(spec(), s).await.unwrap();
    stream.finished(&outcome).unwrap();
    let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    let events = events(&text);
    let validator = schema();
    for e in &events {
        let errors: Vec<String> = validator.iter_errors(e).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{e}: {errors:?}");
    }
    let kinds: Vec<&str> = events.iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(kinds.first(), Some(&"start"));
    assert_eq!(kinds.last(), Some(&"end"));
    let report = json::render(&outcome);
    let mut streamed: Vec<String> =
        events.iter().filter(|e| e["event"] == "case").map(verdict).collect();
    let mut recorded: Vec<String> =
        report["records"].as_array().unwrap().iter().map(verdict).collect();
    streamed.sort();
    recorded.sort();
    assert!(recorded.iter().any(|r| r.contains("\"failure\"")), "the defect shows");
    assert_eq!(streamed, recorded, "every record once, shrunk property failures included");
    let end = events.last().unwrap();
    assert_eq!(end["failed"], true);
    assert_eq!(end["cases"], recorded.len());
    // The schema holds events to their fields.
    let mut odd = end.clone();
    odd["surprise"] = 1.into();
    assert!(!validator.is_valid(&odd));
}

#[tokio::test]
async fn a_stream_written_after_the_run_has_the_same_cases_in_the_reports_order() {
    let fixture = start(None).await;
    let outcome =
        stackspec_conformance::run(spec(), settings(&fixture.url).max_cases(4)).await.unwrap();
    let events = events(&ndjson::render(&outcome));
    let report = json::render(&outcome);
    let cases: Vec<String> = events.iter().filter(|e| e["event"] == "case").map(verdict).collect();
    let records: Vec<String> = report["records"].as_array().unwrap().iter().map(verdict).collect();
    assert_eq!(cases, records);
    assert_eq!(events.len(), records.len() + 2);
}
