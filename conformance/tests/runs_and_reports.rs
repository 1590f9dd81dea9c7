//! What a run sends and what it writes: safety by default, microversion choice, filters,
//! and reports that carry reproducers and seeds but never secrets.

mod support;

use serde_json::Value;

use std::collections::BTreeSet;

use stackspec_conformance::report::{json, junit, terminal};
use stackspec_conformance::{run, Phase, Settings, VersionChoice};
use support::{settings, spec, start, Defect};

#[tokio::test]
async fn without_allow_mutations_only_get_and_head_are_sent() {
    let fixture = start(None).await;
    let s = settings(&fixture.url).allow_mutations(false);
    let outcome = run(spec(), s).await.unwrap();
    assert_eq!(fixture.methods(), BTreeSet::from(["GET".to_string()]));
    let skipped: BTreeSet<&str> = outcome.skipped.iter().map(|(op, _, _)| op.as_str()).collect();
    assert!(skipped.contains("create_widget") && skipped.contains("delete_widget"));
    assert_eq!(outcome.exit_code(), 0);
}

#[tokio::test]
async fn mutations_only_touch_what_the_run_created() {
    let fixture = start(None).await;
    // The list shows `w1`; nothing is created, so DELETE must not learn an id.
    let s = settings(&fixture.url)
        .operation("list_widgets")
        .operation("delete_widget")
        .phases([Phase::Examples]);
    let outcome = run(spec(), s).await.unwrap();
    assert_eq!(outcome.exit_code(), 0);
    let deletes: Vec<&str> = outcome
        .records
        .iter()
        .filter(|r| r.case.request.method == "DELETE")
        .map(|r| r.case.request.path.as_str())
        .collect();
    assert!(!deletes.is_empty());
    assert!(!deletes.contains(&"/v1/widgets/w1"), "{deletes:?}");
    let w1 = reqwest::get(format!("{}/v1/widgets/w1", fixture.url)).await.unwrap();
    assert_eq!(w1.status(), 200, "the widget the run found is still there");
}

#[tokio::test]
async fn a_fixed_microversion_is_sent_and_operations_outside_their_range_are_skipped() {
    let fixture = start(None).await;
    let at = |v: &str| VersionChoice::Fixed(v.parse().unwrap());
    let inside = settings(&fixture.url).microversion(at("1.2"));
    let outcome = run(spec(), inside).await.unwrap();
    assert_eq!(outcome.exit_code(), 0);
    let sent = fixture.versions_asked();
    assert_eq!(sent, BTreeSet::from(["widget 1.2".to_string()]));
    let outside = settings(&fixture.url).microversion(at("1.4"));
    let outcome = run(spec(), outside).await.unwrap();
    assert!(outcome.records.is_empty());
    assert!(outcome.skipped.iter().all(|(_, _, why)| why.contains("outside")));
}

#[tokio::test]
async fn latest_is_the_highest_version_the_spec_describes() {
    let fixture = start(None).await;
    let latest = VersionChoice::Latest;
    let s = settings(&fixture.url).microversion(latest);
    run(spec(), s).await.unwrap();
    let sent = fixture.versions_asked();
    assert_eq!(sent, BTreeSet::from(["widget 1.3".to_string()]));
}

#[tokio::test]
async fn operation_and_tag_filters_select_what_is_sent() {
    let fixture = start(None).await;
    let s = settings(&fixture.url).operation("list_widgets").tag("events");
    let none = run(spec(), s).await.unwrap_err().to_string();
    assert!(
        none.contains("no operation is --operation list_widgets and has --tag events"),
        "an operation must pass both filters: {none}"
    );
    let s = settings(&fixture.url).tag("events").phases([Phase::Examples]);
    let outcome = run(spec(), s).await.unwrap();
    let ops: BTreeSet<&str> = outcome.records.iter().map(|r| r.operation.as_str()).collect();
    assert_eq!(ops, BTreeSet::from(["send_events"]));
    let unknown = run(spec(), settings(&fixture.url).operation("nope")).await;
    assert!(unknown.unwrap_err().to_string().contains("`nope`"));
}

/// A cloud without a compute host cannot serve a boot: the operation is declared so, shown
/// as skipped with the reason in every phase, and never sent nor counted as passed.
#[tokio::test]
async fn a_declared_skip_is_never_sent_and_is_reported_with_its_reason() {
    let fixture = start(None).await;
    let s = settings(&fixture.url)
        .operation("list_widgets")
        .operation("create_widget")
        .skip("create_widget", "no widget host in this cloud")
        .phases([Phase::Examples, Phase::Property]);
    let outcome = run(spec(), s).await.unwrap();
    assert_eq!(fixture.methods(), BTreeSet::from(["GET".to_string()]));
    assert!(outcome.records.iter().all(|r| r.operation == "list_widgets"));
    let skips: Vec<(&str, Phase, &str)> = outcome
        .skipped
        .iter()
        .map(|(op, phase, why)| (op.as_str(), *phase, why.as_str()))
        .collect();
    let why = "declared not servable here: no widget host in this cloud";
    assert_eq!(
        skips,
        [("create_widget", Phase::Examples, why), ("create_widget", Phase::Property, why)]
    );
    let unknown = run(spec(), settings(&fixture.url).skip("nope", "why")).await;
    assert!(unknown.unwrap_err().to_string().contains("`nope`"));
}

/// A cloud without internet access cannot import from a sample's URL: that one request
/// sample is declared so and reported as skipped; the operation's generated cases still run,
/// and a sample the operation does not have is an error naming the ones it has.
#[tokio::test]
async fn a_declared_request_sample_is_skipped_while_its_operation_still_runs() {
    let fixture = start(None).await;
    let s = settings(&fixture.url)
        .operation("create_widget")
        .skip("create_widget/widget-create", "this cloud has no widget factory")
        .phases([Phase::Examples, Phase::Property]);
    let outcome = run(spec(), s).await.unwrap();
    let phases: BTreeSet<Phase> = outcome.records.iter().map(|r| r.case.phase).collect();
    assert_eq!(phases, BTreeSet::from([Phase::Property]), "the sample was not sent");
    assert!(fixture.methods().contains("POST"), "generated creates still go out");
    let why = "declared not servable here: request sample `widget-create`: this cloud has no widget factory";
    let skips: Vec<(&str, Phase, &str)> =
        outcome.skipped.iter().map(|(op, p, w)| (op.as_str(), *p, w.as_str())).collect();
    assert_eq!(skips, [("create_widget", Phase::Examples, why)]);
    let wrong = settings(&fixture.url).skip("create_widget/widget-nope", "why");
    let error = run(spec(), wrong).await.unwrap_err().to_string();
    assert!(
        error.contains("no request sample `widget-nope` (its samples: widget-create)"),
        "{error}"
    );
}

#[tokio::test]
async fn reports_carry_reproducers_naming_the_token_by_variable_and_the_seed_never_the_token() {
    let fixture = start(Some(Defect::NoRequestId)).await;
    let s: Settings = settings(&fixture.url).header("X-Auth-Token", "gAAAA-very-secret");
    let outcome = run(spec(), s).await.unwrap();
    assert_eq!(
        fixture.header_values("x-auth-token"),
        BTreeSet::from(["gAAAA-very-secret".to_string()]),
        "the token is sent"
    );
    let text = terminal::render(&outcome);
    let doc = json::render(&outcome);
    let xml = junit::render(&outcome);
    for report in [&text, &doc.to_string(), &xml] {
        assert!(!report.contains("very-secret"), "{report}");
        assert!(report.contains("X-Auth-Token: $OS_TOKEN"), "a runnable reproducer: {report}");
        assert!(report.contains("--seed 7"), "{report}");
    }
    assert!(text.contains("list_widgets") && text.contains("required_response_headers"));
    let failed = doc["records"].as_array().unwrap().iter().filter(|r| r["failed"] == true);
    assert!(failed.clone().count() > 0);
    assert!(failed.clone().all(|r| r["curl"].as_str().unwrap().starts_with("curl ")));
    // Every answer lacks the request id and says so: a failure, or a warning where the
    // answer is a refusal of unusual input (whose shape may be a framework's).
    let show: Vec<&Value> = doc["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["operation"] == "show_widget")
        .collect();
    assert!(show.iter().any(|r| r["failed"] == true));
    let reported = |r: &&Value| {
        let findings = r["findings"].as_array().unwrap();
        findings.iter().any(|f| f["check"] == "required_response_headers")
    };
    assert!(show.iter().all(reported), "{doc:#}");
    assert!(xml.contains(r#"<testsuite name="send_events""#), "{xml}");
    let failed = outcome.records.iter().filter(|r| r.failed()).count();
    assert!(failed > 0);
    assert_eq!(xml.matches("<failure ").count(), failed);
}
