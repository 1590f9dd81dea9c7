//! JUnit XML for CI: a test suite per operation, a test case per request (named by phase
//! and place, the same from seed to seed), with its time; failures carry the checks, the
//! findings, the `curl` reproducer, the rerun command and the seed; skipped phases are
//! `<skipped>` cases with the reason; cases a deadline left untried fail in a suite of
//! their own. Every known secret is replaced (in its XML-escaped spelling too).

use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use std::collections::BTreeMap;
use std::time::Duration;

use super::causes::TRANSPORT;
use super::{rerun_hint, roles, tallies};
use crate::overrides::OverrideState;
use crate::phases::Intent;
use crate::phases::Phase;
use crate::run::{Outcome, Record};
use crate::secrets;

pub fn render(outcome: &Outcome) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let tallies = tallies(outcome);
    let roles = roles(outcome);
    let skipped = skipped_by_operation(outcome);
    let stale = outcome.overrides.iter().filter(|o| o.stale()).count();
    let untried = outcome.not_tried.len();
    let total: usize = tallies.values().map(|t| t.cases).sum::<usize>()
        + outcome.overrides.len()
        + untried
        + outcome.skipped.len();
    let failed: usize = tallies.values().map(|t| t.failed).sum::<usize>() + stale + untried;
    let mut root = BytesStart::new("testsuites");
    root.push_attribute(("name", "stackspec conform"));
    root.push_attribute(("tests", total.to_string().as_str()));
    root.push_attribute(("failures", failed.to_string().as_str()));
    root.push_attribute(("skipped", outcome.skipped.len().to_string().as_str()));
    root.push_attribute(("time", seconds(outcome.elapsed).as_str()));
    let _ = w.write_event(Event::Start(root));
    let mut ops: Vec<&str> = tallies.keys().copied().chain(skipped.keys().copied()).collect();
    ops.sort_unstable();
    ops.dedup();
    for op in ops {
        let t = tallies.get(op).cloned().unwrap_or_default();
        let records: Vec<&Record> = outcome.records.iter().filter(|r| r.operation == op).collect();
        let skips = skipped.get(op).map_or(&[][..], Vec::as_slice);
        let time: Duration = records.iter().map(|r| r.elapsed).sum();
        let mut suite = BytesStart::new("testsuite");
        suite.push_attribute(("name", op));
        suite.push_attribute(("tests", (t.cases + skips.len()).to_string().as_str()));
        suite.push_attribute(("failures", t.failed.to_string().as_str()));
        suite.push_attribute(("skipped", skips.len().to_string().as_str()));
        suite.push_attribute(("time", seconds(time).as_str()));
        let _ = w.write_event(Event::Start(suite));
        let mut props = Vec::new();
        if !t.acknowledged.is_empty() {
            let each: Vec<String> =
                t.acknowledged.iter().map(|(f, n)| format!("{f} ({n} responses)")).collect();
            props.push(("acknowledged", each.join(", ")));
        }
        if let Some(role) = roles.get(op) {
            props.push(("role", role.needed.to_string()));
        }
        if let Some(exercised) = t.exercised {
            props.push(("exercised", exercised.to_string()));
        }
        if !props.is_empty() {
            properties(&mut w, &props);
        }
        for (r, name) in records.iter().zip(case_names(&records)) {
            testcase(&mut w, outcome, r, &name);
        }
        for (phase, why) in skips {
            let mut case = BytesStart::new("testcase");
            case.push_attribute(("classname", op));
            case.push_attribute(("name", format!("{} skipped", phase.name()).as_str()));
            let _ = w.write_event(Event::Start(case));
            let mut skip = BytesStart::new("skipped");
            skip.push_attribute(("message", why.as_str()));
            let _ = w.write_event(Event::Empty(skip));
            let _ = w.write_event(Event::End(BytesEnd::new("testcase")));
        }
        let _ = w.write_event(Event::End(BytesEnd::new("testsuite")));
    }
    overrides(&mut w, outcome, stale);
    not_tried(&mut w, outcome);
    let _ = w.write_event(Event::End(BytesEnd::new("testsuites")));
    let body = String::from_utf8_lossy(&w.into_inner()).into_owned();
    let body = secrets::redact(&body);
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}\n")
}

/// Test names that stay the same from one run to the next, whatever the seed: the phase
/// and the case's place among the operation's cases of that phase (read-backs of created
/// resources counted apart, as whether there is one depends on the create). Never a path
/// or a generated value: CI tools keep a test's history by its name.
fn case_names(records: &[&Record]) -> Vec<String> {
    let mut seen: BTreeMap<(Phase, bool), usize> = BTreeMap::new();
    records
        .iter()
        .map(|r| {
            let read_back = matches!(r.case.intent, Intent::ReadBack(_));
            let n = seen.entry((r.case.phase, read_back)).or_default();
            *n += 1;
            let kind = if read_back { " read-back" } else { "" };
            format!("{}{kind} #{}", r.case.phase.name(), *n - 1)
        })
        .collect()
}

/// One response: passed, or failed with the checks as its type, the findings, the `curl`
/// reproducer, the rerun command and the seed.
fn testcase(w: &mut Writer<Vec<u8>>, outcome: &Outcome, r: &Record, name: &str) {
    let mut case = BytesStart::new("testcase");
    case.push_attribute(("classname", r.operation.as_str()));
    case.push_attribute(("name", name));
    case.push_attribute(("time", seconds(r.elapsed).as_str()));
    if !r.failed() {
        let _ = w.write_event(Event::Empty(case));
        return;
    }
    let _ = w.write_event(Event::Start(case));
    let mut checks: Vec<&str> = r.failures().map(|f| f.check).collect();
    if r.error.is_some() {
        checks.push(TRANSPORT);
    }
    let mut failure = BytesStart::new("failure");
    failure.push_attribute(("message", r.summary().as_str()));
    failure.push_attribute(("type", checks.join(",").as_str()));
    let _ = w.write_event(Event::Start(failure));
    let text = format!(
        "{} {}\n{}\nreproduce: {}\nrerun: {}\nseed: {}",
        r.case.request.method,
        r.case.request.path,
        r.summary(),
        r.curl(),
        rerun_hint(outcome, r),
        outcome.seed
    );
    let _ = w.write_event(Event::Text(BytesText::new(&text)));
    let _ = w.write_event(Event::End(BytesEnd::new("failure")));
    let _ = w.write_event(Event::End(BytesEnd::new("testcase")));
}

/// The skipped phases of each operation, with the reason.
fn skipped_by_operation(outcome: &Outcome) -> BTreeMap<&str, Vec<(Phase, String)>> {
    let mut out: BTreeMap<&str, Vec<(Phase, String)>> = BTreeMap::new();
    for (op, phase, why) in &outcome.skipped {
        out.entry(op.as_str()).or_default().push((*phase, why.clone()));
    }
    out
}

/// A duration as JUnit's `time`: seconds, to the millisecond.
fn seconds(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64())
}

/// A failing case per operation and phase that a deadline kept cases of from being sent.
fn not_tried(w: &mut Writer<Vec<u8>>, outcome: &Outcome) {
    if outcome.not_tried.is_empty() {
        return;
    }
    let count = outcome.not_tried.len().to_string();
    let mut suite = BytesStart::new("testsuite");
    suite.push_attribute(("name", "not tried"));
    suite.push_attribute(("tests", count.as_str()));
    suite.push_attribute(("failures", count.as_str()));
    let _ = w.write_event(Event::Start(suite));
    for n in &outcome.not_tried {
        let mut case = BytesStart::new("testcase");
        case.push_attribute(("classname", n.operation.as_str()));
        case.push_attribute(("name", format!("{} not tried", n.phase.name()).as_str()));
        let _ = w.write_event(Event::Start(case));
        let mut failure = BytesStart::new("failure");
        let message = format!("{} cases not tried: {}", n.cases, n.reason);
        failure.push_attribute(("message", message.as_str()));
        let _ = w.write_event(Event::Empty(failure));
        let _ = w.write_event(Event::End(BytesEnd::new("testcase")));
    }
    let _ = w.write_event(Event::End(BytesEnd::new("testsuite")));
}

fn properties(w: &mut Writer<Vec<u8>>, pairs: &[(&str, String)]) {
    let _ = w.write_event(Event::Start(BytesStart::new("properties")));
    for (name, value) in pairs {
        let mut p = BytesStart::new("property");
        p.push_attribute(("name", *name));
        p.push_attribute(("value", value.as_str()));
        let _ = w.write_event(Event::Empty(p));
    }
    let _ = w.write_event(Event::End(BytesEnd::new("properties")));
}

/// A suite with a case per override: acknowledged ones pass, stale ones fail, those the
/// run did not exercise are skipped.
fn overrides(w: &mut Writer<Vec<u8>>, outcome: &Outcome, stale: usize) {
    if outcome.overrides.is_empty() {
        return;
    }
    let mut suite = BytesStart::new("testsuite");
    suite.push_attribute(("name", "overrides"));
    suite.push_attribute(("tests", outcome.overrides.len().to_string().as_str()));
    suite.push_attribute(("failures", stale.to_string().as_str()));
    let _ = w.write_event(Event::Start(suite));
    for o in &outcome.overrides {
        let mut case = BytesStart::new("testcase");
        case.push_attribute(("classname", "overrides"));
        let name = format!("{} {} ({})", o.finding, o.operation, o.at);
        case.push_attribute(("name", name.as_str()));
        let _ = w.write_event(Event::Start(case));
        let (element, message) = match &o.state {
            OverrideState::Acknowledged { responses } => {
                ("system-out", format!("acknowledged on {responses} responses: {}", o.title))
            }
            OverrideState::Stale => {
                ("failure", format!("stale: matched nothing in this run ({})", o.title))
            }
            OverrideState::NotExercised => ("skipped", "not exercised by this run".to_string()),
        };
        if element == "system-out" {
            let _ = w.write_event(Event::Start(BytesStart::new(element)));
            let _ = w.write_event(Event::Text(BytesText::new(&message)));
            let _ = w.write_event(Event::End(BytesEnd::new(element)));
        } else {
            let mut e = BytesStart::new(element);
            e.push_attribute(("message", message.as_str()));
            let _ = w.write_event(Event::Empty(e));
        }
        let _ = w.write_event(Event::End(BytesEnd::new("testcase")));
    }
    let _ = w.write_event(Event::End(BytesEnd::new("testsuite")));
}
