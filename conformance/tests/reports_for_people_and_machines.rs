//! What the reports say beyond each response: the JSON report's shape is the schema
//! committed beside the crate, JUnit names stay put from seed to seed and carry times and
//! skips, the summary collapses one cause repeated over operations into one line, and an
//! operation that never got a success status is marked as not exercised.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use stackspec_conformance::report::{json, junit, terminal};
use stackspec_conformance::{run, Outcome, Phase};
use support::{settings, spec, start, Defect};

fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("report.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every phase against the server without request ids, mutations not allowed (so that
/// pairs are skipped).
async fn no_request_id(seed: u64) -> Outcome {
    let fixture = start(Some(Defect::NoRequestId)).await;
    let s = settings(&fixture.url).allow_mutations(false).seed(seed).max_cases(5);
    run(spec(), s).await.unwrap()
}

#[tokio::test]
async fn the_json_report_is_valid_against_the_committed_schema_which_is_strict() {
    let outcome = no_request_id(7).await;
    let mut report = json::render(&outcome);
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let errors: Vec<String> = validator.iter_errors(&report).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(report["schema_version"], json::SCHEMA_VERSION);
    assert!(report["records"][0]["elapsed_ms"].as_f64().unwrap() > 0.0);
    let skipped = report["skipped"].as_array().unwrap();
    assert!(!skipped.is_empty(), "mutations are skipped here, so the schema sees skips");
    // The schema holds the report to its fields: one missing, renamed or new is invalid.
    report["records"][0].as_object_mut().unwrap().remove("elapsed_ms");
    assert!(!validator.is_valid(&report));
    report["records"][0]["elapsed_ms"] = 1.0.into();
    report["surprise"] = true.into();
    assert!(!validator.is_valid(&report));
}

/// The (classname, name) of every test case of a JUnit report.
fn test_names(xml: &str) -> BTreeSet<(String, String)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = BTreeSet::new();
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)
                if e.name().as_ref() == b"testcase" =>
            {
                let attr = |name: &str| {
                    let a = e.try_get_attribute(name).unwrap().unwrap();
                    a.unescape_value().unwrap().into_owned()
                };
                out.insert((attr("classname"), attr("name")));
            }
            quick_xml::events::Event::Eof => return out,
            _ => {}
        }
    }
}

#[tokio::test]
async fn junit_names_are_the_same_for_two_seeds_and_cases_carry_times_and_skips() {
    let (one, two) = (no_request_id(1).await, no_request_id(2).await);
    let (xml_one, xml_two) = (junit::render(&one), junit::render(&two));
    let (names_one, names_two) = (test_names(&xml_one), test_names(&xml_two));
    assert_eq!(names_one, names_two, "{xml_one}\n{xml_two}");
    assert!(names_one.len() > 20, "{names_one:?}");
    assert!(names_one.iter().all(|(_, name)| !name.contains('/')), "no paths: {names_one:?}");
    assert_eq!(xml_one.matches("<testcase ").count(), names_one.len(), "names are unique");
    assert!(xml_one.contains(r#"name="property #0" time=""#), "{xml_one}");
    let skip = r#"<testcase classname="create_widget" name="examples skipped">"#;
    assert!(xml_one.contains(skip), "{xml_one}");
    assert!(xml_one.contains(r#"<skipped message="POST changes state; pass --allow-mutations"/>"#));
    assert!(xml_one.contains(r#"type="required_response_headers""#), "{xml_one}");
}

#[tokio::test]
async fn one_cause_repeated_over_operations_is_one_line_with_counts_and_a_check_table() {
    let outcome = no_request_id(7).await;
    let text = terminal::render(&outcome);
    let cause = "- required_response_headers: no `x-openstack-request-id` header\n";
    assert_eq!(text.matches(cause).count(), 1, "{text}");
    let failed = outcome.records.iter().filter(|r| r.failed()).count();
    let ops: BTreeSet<&str> = outcome.records.iter().map(|r| r.operation.as_str()).collect();
    let counts = format!("  {failed} responses, {} operations: list_widgets, ", ops.len());
    assert!(text.contains(&counts), "{text}");
    assert_eq!(text.matches("  rerun:     ").count(), 1, "one example: {text}");
    let row = format!("required_response_headers  {failed:>6}  {:>10}", ops.len());
    assert!(text.contains(&row), "per-check totals: {text}");
    let posts = outcome.skipped.iter().filter(|(_, _, why)| why.starts_with("POST")).count();
    let skips = format!("- {posts}× POST changes state; pass --allow-mutations (create_widget, send_events, start_job)\n");
    assert!(text.contains(&skips), "{text}");
}

#[tokio::test]
async fn an_operation_whose_valid_requests_all_got_404_is_marked_not_exercised() {
    let fixture = start(None).await;
    // Only the show: no list runs first, so its id is a placeholder, and the server has no
    // such widget.
    let s =
        settings(&fixture.url).operation("show_widget").phases([Phase::Examples, Phase::Property]);
    let outcome = run(spec(), s).await.unwrap();
    assert_eq!(outcome.exit_code(), 0, "404 is documented: every check passes");
    let text = terminal::render(&outcome);
    assert!(text.contains("(not exercised: rejected)"), "{text}");
    assert!(text.contains("Not exercised: 1 of 1 operations"), "{text}");
    assert_eq!(json::render(&outcome)["operations"]["show_widget"]["exercised"], false);
    let listed = settings(&fixture.url).operation("list_widgets").operation("show_widget");
    let outcome = run(spec(), listed.phases([Phase::Examples])).await.unwrap();
    let text = terminal::render(&outcome);
    assert!(!text.contains("not exercised") && !text.contains("Not exercised"), "{text}");
}

#[tokio::test]
async fn a_rerun_pins_the_id_a_read_learned_from_another_operation() {
    let fixture = start(Some(Defect::SizeAsString)).await;
    let s = settings(&fixture.url).operation("list_widgets").operation("show_widget");
    let outcome = run(spec(), s.phases([Phase::Examples])).await.unwrap();
    let failed = outcome.records.iter().find(|r| r.failed()).expect("show_widget fails");
    assert_eq!(failed.case.request.path, "/v1/widgets/w1", "the id the list showed");
    let rerun = stackspec_conformance::report::rerun_hint(&outcome, failed);
    let expected = "--operation show_widget --phases examples --seed 7 --path-value 'widget_id=w1'";
    assert!(rerun.ends_with(expected), "{rerun}");
}
