//! JUnit XML for CI: a test suite per operation, a test case per request; failures carry
//! the findings, the `curl` reproducer and the seed.

use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use super::{rerun_hint, tallies};
use crate::run::Outcome;

pub fn render(outcome: &Outcome) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let tallies = tallies(outcome);
    let total: usize = tallies.values().map(|t| t.cases).sum();
    let failed: usize = tallies.values().map(|t| t.failed).sum();
    let mut root = BytesStart::new("testsuites");
    root.push_attribute(("name", "stackspec conform"));
    root.push_attribute(("tests", total.to_string().as_str()));
    root.push_attribute(("failures", failed.to_string().as_str()));
    let _ = w.write_event(Event::Start(root));
    for (op, t) in &tallies {
        let mut suite = BytesStart::new("testsuite");
        suite.push_attribute(("name", *op));
        suite.push_attribute(("tests", t.cases.to_string().as_str()));
        suite.push_attribute(("failures", t.failed.to_string().as_str()));
        let _ = w.write_event(Event::Start(suite));
        for (n, r) in outcome.records.iter().filter(|r| r.operation == *op).enumerate() {
            let name = format!(
                "{} #{n} {} {}",
                r.case.phase.name(),
                r.case.request.method,
                r.case.request.path
            );
            let mut case = BytesStart::new("testcase");
            case.push_attribute(("classname", *op));
            case.push_attribute(("name", name.as_str()));
            if !r.failed() {
                let _ = w.write_event(Event::Empty(case));
                continue;
            }
            let _ = w.write_event(Event::Start(case));
            let mut failure = BytesStart::new("failure");
            failure.push_attribute(("message", r.summary().as_str()));
            let _ = w.write_event(Event::Start(failure));
            let text = format!(
                "{}\nreproduce: {}\nrerun: {}\nseed: {}",
                r.summary(),
                r.curl,
                rerun_hint(outcome, r),
                outcome.seed
            );
            let _ = w.write_event(Event::Text(BytesText::new(&text)));
            let _ = w.write_event(Event::End(BytesEnd::new("failure")));
            let _ = w.write_event(Event::End(BytesEnd::new("testcase")));
        }
        let _ = w.write_event(Event::End(BytesEnd::new("testsuite")));
    }
    let _ = w.write_event(Event::End(BytesEnd::new("testsuites")));
    let body = String::from_utf8_lossy(&w.into_inner()).into_owned();
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}\n")
}
