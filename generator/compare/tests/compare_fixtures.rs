//! `stackspec compare` on small fixtures written for these tests, shaped like the seed
//! operations: nova's external events (a `code` typed string in the docs and integer in the
//! published spec, 200/207 against 201, ranges as properties against `oneOf` branches), an
//! instance action's nullable `message`, and heat's stack list, whose stacks the docs give
//! no `id` (observed only).

use std::path::{Path, PathBuf};

use stackspec_compare::known::Known;
use stackspec_compare::observed::Observations;
use stackspec_compare::{compare, report, Aspect, Comparison, Verdict};
use stackspec_model::Spec;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn load(name: &str) -> Spec {
    let mut spec = Spec::load(&fixture(name)).unwrap();
    // Reports name the file; keep snapshots independent of the checkout's location.
    spec.path = PathBuf::from(name);
    spec
}

fn known() -> Known {
    Known::load(Some(&fixture("corrections.yaml")), Some(&fixture("findings.md"))).unwrap()
}

fn observed() -> Observations {
    let mut o = Observations::load(&fixture("observed")).unwrap();
    o.source = "observed/".into();
    o
}

fn two_way() -> Comparison {
    compare(&load("docs.yaml"), Some(&load("published.yaml")), None, &known()).unwrap()
}

fn three_way() -> Comparison {
    compare(&load("docs.yaml"), Some(&load("published.yaml")), Some(observed()), &known()).unwrap()
}

/// The differences as `operation field aspect [versions] verdict`.
fn lines(c: &Comparison) -> Vec<String> {
    c.differences()
        .map(|(o, d)| {
            let v = d.versions.as_deref().unwrap_or("all");
            format!("{} {} {} [{v}] {}", o.operation, d.field, d.aspect.name(), d.verdict.name())
        })
        .collect()
}

#[test]
fn spellings_of_one_meaning_are_no_difference() {
    let c = two_way();
    let lines = lines(&c);
    // `tag` exists from 2.51 on both sides (a property range against a `oneOf` branch), the
    // `$ref`'d request and the inline one agree but for `minItems`, `status` enums agree.
    assert!(!lines.iter().any(|l| l.contains("/tag")), "{lines:#?}");
    assert!(!lines.iter().any(|l| l.contains("/status ")), "{lines:#?}");
    assert!(!lines.iter().any(|l| l.contains("server_uuid")), "{lines:#?}");
    insta::assert_snapshot!("two_way_lines", lines.join("\n"));
}

#[test]
fn the_code_type_differs_at_every_version_and_is_known_to_its_finding() {
    let c = two_way();
    let code: Vec<_> = c
        .differences()
        .filter(|(_, d)| d.field.path == "/events/[]/code" && d.aspect == Aspect::Type)
        .collect();
    assert_eq!(code.len(), 1, "{:#?}", lines(&c));
    let (_, d) = code[0];
    assert_eq!(d.versions.as_deref(), Some("2.0-"));
    assert_eq!(d.known, ["F2"]);
    assert_eq!(d.docs.pointer.as_deref(), Some("/paths/~1os-server-external-events/post/responses/200/content/application~1json/schema/properties/events/items/properties/code"));
    assert_eq!(
        d.published.as_ref().unwrap().pointer.as_deref(),
        Some("/components/schemas/Event_20/properties/code")
    );
    let patch = &d.correction.as_ref().unwrap().patch;
    assert_eq!(patch[0]["path"], "/responses/200/content/application~1json/schema/properties/events/items/properties/code/type");
    assert_eq!(patch[0]["value"], "integer");
}

#[test]
fn what_the_service_answered_decides_who_differs() {
    let c = three_way();
    let find = |op: &str, field: &str, aspect: Aspect| {
        c.differences()
            .find(|(o, d)| o.operation == op && d.field.to_string() == field && d.aspect == aspect)
            .map(|(_, d)| d.clone())
            .unwrap_or_else(|| panic!("{op} {field} {aspect:?}: {:#?}", lines(&c)))
    };
    let code = find("run_events", "response 200 /events/[]/code", Aspect::Type);
    assert_eq!(code.verdict, Verdict::DocsDiffer);
    // The service answered 200, which the published spec does not document.
    assert_eq!(
        find("run_events", "response 200 body", Aspect::Status).verdict,
        Verdict::PublishedDiffers
    );
    let message =
        find("show_instance_action", "response 200 /instanceAction/message", Aspect::Nullable);
    assert_eq!(message.verdict, Verdict::DocsDiffer);
    assert_eq!(message.known, ["F9"]);
    // Heat's stack `id`: no published spec speaks of it; the docs lack it and it was seen.
    let id = find("list_stacks", "response 200 /stacks/[]/id", Aspect::Presence);
    assert_eq!(id.verdict, Verdict::DocsDiffer);
    let patch = &id.correction.unwrap().patch;
    assert_eq!(
        patch[0]["path"],
        "/responses/200/content/application~1json/schema/properties/stacks/items/properties/id"
    );
    assert_eq!(patch[0]["value"], serde_json::json!({"type": "string"}));
    let reason =
        find("list_stacks", "response 200 /stacks/[]/stack_status_reason", Aspect::Nullable);
    assert_eq!(reason.verdict, Verdict::DocsDiffer);
    let status = find("list_stacks", "response 400 body", Aspect::Status);
    assert_eq!(status.correction.unwrap().patch[0]["path"], "/responses/400");
}

#[test]
fn reports_in_text_json_and_markdown() {
    let c = three_way();
    insta::assert_snapshot!("three_way_text", report::text(&c));
    insta::assert_snapshot!("three_way_markdown", report::markdown(&c));
    let json: serde_json::Value = serde_json::from_str(&report::json(&c)).unwrap();
    insta::assert_snapshot!(
        "three_way_json_summary",
        serde_json::to_string_pretty(&json["summary"]).unwrap()
    );
    assert_eq!(json["operations"].as_array().unwrap().len(), c.operations.len());
}

#[test]
fn operations_pair_across_a_version_prefix_and_parameter_names() {
    let c = two_way();
    let paired: Vec<_> = c
        .operations
        .iter()
        .filter_map(|o| Some((o.operation.as_str(), o.published.as_ref()?.0.as_str())))
        .collect();
    assert_eq!(
        paired,
        [
            ("run_events", "os-server-external-events:post"),
            ("show_instance_action", "servers/os-instance-actions:get")
        ]
    );
    assert_eq!(c.docs_only.len(), 2, "{:?}", c.docs_only);
    assert_eq!(c.published_only, ["GET /v2.1/servers/{id}/migrations (servers/migrations:get)"]);
}
