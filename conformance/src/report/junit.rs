//! JUnit XML for CI: a test suite per operation, a test case per request (named by phase
//! and place, the same from seed to seed), with its time; failures carry the checks, the
//! findings, the `curl` reproducer, the rerun command and the seed; skipped phases are
//! `<skipped>` cases with the reason; cases a deadline left untried fail in a suite of
//! their own. Every known secret is replaced (in its XML-escaped spelling too).
//!
//! Rendered from the JSON report ([`Report`]), so that a run and shards merged by `stackspec
//! report merge` give the same XML for the same records.

use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use std::collections::BTreeMap;

use super::doc::{Record, Report};
use crate::run::Outcome;
use crate::secrets;

pub fn render(outcome: &Outcome) -> String {
    render_report(&Report::of(outcome))
}

/// The JUnit XML of a JSON report.
pub fn render_report(report: &Report) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let skipped = skipped_by_operation(report);
    let stale = report.stale();
    let untried = report.not_tried.len();
    let total: usize = report.operations.values().map(|t| t.cases).sum::<usize>()
        + report.overrides.len()
        + untried
        + report.skipped.len()
        + report.leftovers.len();
    let failed: usize =
        report.operations.values().map(|t| t.failed).sum::<usize>() + stale + untried;
    let mut root = BytesStart::new("testsuites");
    root.push_attribute(("name", "stackspec conform"));
    root.push_attribute(("tests", total.to_string().as_str()));
    root.push_attribute(("failures", failed.to_string().as_str()));
    let skips = report.skipped.len() + report.leftovers.len();
    root.push_attribute(("skipped", skips.to_string().as_str()));
    root.push_attribute(("time", seconds(report.elapsed_ms).as_str()));
    let _ = w.write_event(Event::Start(root));
    let mut ops: Vec<&str> =
        report.operations.keys().map(String::as_str).chain(skipped.keys().copied()).collect();
    ops.sort_unstable();
    ops.dedup();
    for op in ops {
        suite(&mut w, report, op, skipped.get(op).map_or(&[][..], Vec::as_slice));
    }
    overrides(&mut w, report, stale);
    not_tried(&mut w, report);
    leftovers(&mut w, report);
    let _ = w.write_event(Event::End(BytesEnd::new("testsuites")));
    let body = String::from_utf8_lossy(&w.into_inner()).into_owned();
    let body = secrets::redact(&body);
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}\n")
}

/// The suite of one operation: its responses, then its skipped phases.
fn suite(w: &mut Writer<Vec<u8>>, report: &Report, op: &str, skips: &[(&str, &str)]) {
    let t = report.operations.get(op).cloned().unwrap_or_default();
    let records: Vec<&Record> = report.records.iter().filter(|r| r.operation == op).collect();
    let time: f64 = records.iter().map(|r| r.elapsed_ms).sum();
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
    if let Some(role) = report.roles.get(op) {
        props.push(("role", role.needed.clone()));
    }
    if let Some(exercised) = t.exercised {
        props.push(("exercised", exercised.to_string()));
    }
    if !props.is_empty() {
        properties(w, &props);
    }
    for r in records {
        testcase(w, r);
    }
    for (phase, why) in skips {
        let mut case = BytesStart::new("testcase");
        case.push_attribute(("classname", op));
        case.push_attribute(("name", format!("{phase} skipped").as_str()));
        let _ = w.write_event(Event::Start(case));
        let mut skip = BytesStart::new("skipped");
        skip.push_attribute(("message", *why));
        let _ = w.write_event(Event::Empty(skip));
        let _ = w.write_event(Event::End(BytesEnd::new("testcase")));
    }
    let _ = w.write_event(Event::End(BytesEnd::new("testsuite")));
}

/// One response: passed, or failed with the checks as its type, the findings, the `curl`
/// reproducer, the rerun command and the seed.
fn testcase(w: &mut Writer<Vec<u8>>, r: &Record) {
    let mut case = BytesStart::new("testcase");
    case.push_attribute(("classname", r.operation.as_str()));
    case.push_attribute(("name", r.name.as_str()));
    case.push_attribute(("time", seconds(r.elapsed_ms).as_str()));
    if !r.failed {
        let _ = w.write_event(Event::Empty(case));
        return;
    }
    let _ = w.write_event(Event::Start(case));
    let mut failure = BytesStart::new("failure");
    failure.push_attribute(("message", r.summary().as_str()));
    failure.push_attribute(("type", r.failing_checks().join(",").as_str()));
    let _ = w.write_event(Event::Start(failure));
    let text = format!(
        "{} {}\n{}\nreproduce: {}\nrerun: {}\nseed: {}",
        r.method,
        r.path,
        r.summary(),
        r.curl,
        r.rerun,
        r.seed
    );
    let _ = w.write_event(Event::Text(BytesText::new(&text)));
    let _ = w.write_event(Event::End(BytesEnd::new("failure")));
    let _ = w.write_event(Event::End(BytesEnd::new("testcase")));
}

/// The skipped phases of each operation, with the reason.
fn skipped_by_operation(report: &Report) -> BTreeMap<&str, Vec<(&str, &str)>> {
    let mut out: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for s in &report.skipped {
        out.entry(s.operation.as_str()).or_default().push((&s.phase, &s.reason));
    }
    out
}

/// Milliseconds as JUnit's `time`: seconds, to the millisecond.
fn seconds(millis: f64) -> String {
    format!("{:.3}", millis / 1e3)
}

/// A failing case per operation and phase that a deadline kept cases of from being sent.
fn not_tried(w: &mut Writer<Vec<u8>>, report: &Report) {
    let cases: Vec<MarkedCase<'_>> = report
        .not_tried
        .iter()
        .map(|n| {
            let message = format!("{} cases not tried: {}", n.cases, n.reason);
            (n.operation.as_str(), format!("{} not tried", n.phase), message)
        })
        .collect();
    marked_suite(w, "not tried", ("failures", "failure"), &cases);
}

/// What the run created and could not delete, one skipped case each (the run's verdict does
/// not depend on them), named by the operation that reads them and their rank, never by an
/// id (ids change from run to run).
fn leftovers(w: &mut Writer<Vec<u8>>, report: &Report) {
    let mut rank: BTreeMap<&str, usize> = BTreeMap::new();
    let cases: Vec<MarkedCase<'_>> = report
        .leftovers
        .iter()
        .map(|l| {
            let n = rank.entry(l.operation.as_str()).or_default();
            *n += 1;
            (l.operation.as_str(), format!("not deleted #{n}"), format!("{}: {}", l.path, l.why))
        })
        .collect();
    marked_suite(w, "not deleted", ("skipped", "skipped"), &cases);
}

/// One case of a [`marked_suite`]: its class name, name and the marker's message.
type MarkedCase<'a> = (&'a str, String, String);

/// A suite of `cases` (none: no suite) that each carry one `marker` element with its message
/// (`failure`, `skipped`), all counted under the suite's `counted` attribute (`failures`,
/// `skipped`).
fn marked_suite(
    w: &mut Writer<Vec<u8>>,
    name: &str,
    (counted, marker): (&str, &str),
    cases: &[MarkedCase<'_>],
) {
    if cases.is_empty() {
        return;
    }
    let count = cases.len().to_string();
    let mut suite = BytesStart::new("testsuite");
    suite.push_attribute(("name", name));
    suite.push_attribute(("tests", count.as_str()));
    suite.push_attribute((counted, count.as_str()));
    let _ = w.write_event(Event::Start(suite));
    for (classname, case_name, message) in cases {
        let mut case = BytesStart::new("testcase");
        case.push_attribute(("classname", *classname));
        case.push_attribute(("name", case_name.as_str()));
        let _ = w.write_event(Event::Start(case));
        let mut mark = BytesStart::new(marker);
        mark.push_attribute(("message", message.as_str()));
        let _ = w.write_event(Event::Empty(mark));
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
fn overrides(w: &mut Writer<Vec<u8>>, report: &Report, stale: usize) {
    if report.overrides.is_empty() {
        return;
    }
    let mut suite = BytesStart::new("testsuite");
    suite.push_attribute(("name", "overrides"));
    suite.push_attribute(("tests", report.overrides.len().to_string().as_str()));
    suite.push_attribute(("failures", stale.to_string().as_str()));
    let _ = w.write_event(Event::Start(suite));
    for o in &report.overrides {
        let mut case = BytesStart::new("testcase");
        case.push_attribute(("classname", "overrides"));
        let name = format!("{} {} ({})", o.finding, o.operation, o.at);
        case.push_attribute(("name", name.as_str()));
        let _ = w.write_event(Event::Start(case));
        let (element, message) = match o.state.as_str() {
            "acknowledged" => (
                "system-out",
                format!("acknowledged on {} responses: {}", o.responses.unwrap_or(0), o.title),
            ),
            "stale" => ("failure", format!("stale: matched nothing in this run ({})", o.title)),
            _ => ("skipped", "not exercised by this run".to_string()),
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
