//! Strategies derived from schemas generate values that validate, the negative phase's
//! mutations never do, and its hostile inputs of every kind share `--max-cases`.

mod support;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use stackspec_conformance::phases::strategy::for_schema;
use stackspec_conformance::phases::values::Values;
use stackspec_conformance::phases::{negative, Intent};
use stackspec_conformance::plan::Model;
use stackspec_conformance::Settings;

#[test]
fn generated_bodies_validate_against_their_schema() {
    let model = Model::new(support::spec());
    let mut runner = TestRunner::deterministic();
    let mut checked = 0;
    for op in &model.operations {
        let Some(pointer) = &op.body_schema else {
            continue;
        };
        let strategy = for_schema(&model, model.spec.at(pointer).unwrap(), 0);
        for _ in 0..200 {
            let value = strategy.new_tree(&mut runner).unwrap().current();
            let violations = model.violations(pointer, None, &value).unwrap();
            assert!(violations.is_empty(), "{}: {value}: {violations:?}", op.id);
            checked += 1;
        }
    }
    assert_eq!(checked, 3 * 200);
}

/// A map that must hold members beyond its named properties (placement's allocations:
/// `minProperties: 1`, members by `additionalProperties`) gets them, keys from
/// `propertyNames`, so that valid input exists.
#[test]
fn a_map_with_min_properties_gets_members_that_validate() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let model =
        Model::new(stackspec_model::Spec::parse(std::path::Path::new("t.yaml"), spec).unwrap());
    let schema = serde_json::json!({
        "type": "object", "minProperties": 2,
        "propertyNames": {"pattern": "^[A-Z]{3}$"},
        "additionalProperties": {"type": "integer", "minimum": 1},
    });
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut runner = TestRunner::deterministic();
    let strategy = for_schema(&model, &schema, 0);
    for _ in 0..100 {
        let value = strategy.new_tree(&mut runner).unwrap().current();
        assert!(validator.is_valid(&value), "{value}");
    }
}

/// placement's resource class names (`^CUSTOM_[A-Z0-9_]+$`) and trait filters: an anchored
/// pattern is drawn from, not replaced by plain words the service refuses.
#[test]
fn strings_are_drawn_from_their_anchored_patterns() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let model =
        Model::new(stackspec_model::Spec::parse(std::path::Path::new("t.yaml"), spec).unwrap());
    let mut runner = TestRunner::deterministic();
    for pattern in [
        "^CUSTOM_[A-Z0-9_]+$",
        "^(in:[A-Z0-9_]+(,[A-Z0-9_]+)*|startswith:[A-Z0-9_]+)$",
        "^/",
        "a\\$",
    ] {
        let schema = serde_json::json!({"type": "string", "pattern": pattern});
        let validator = jsonschema::validator_for(&schema).unwrap();
        let strategy = for_schema(&model, &schema, 0);
        for _ in 0..50 {
            let value = strategy.new_tree(&mut runner).unwrap().current();
            assert!(validator.is_valid(&value), "{pattern}: {value}");
        }
    }
}

#[test]
fn every_negative_case_is_invalid_and_says_how() {
    let model = Model::new(support::spec());
    let index = model.operations.iter().position(|o| o.id == "create_widget").unwrap();
    let settings = Settings::new("http://127.0.0.1:9").max_cases(100);
    let cases =
        negative::cases(&model, index, &settings.case_options(), &Values::default()).unwrap();
    // Hostile inputs the schema allows (or that are not about the schema) say so too.
    let (invalid, unusual): (Vec<_>, Vec<_>) =
        cases.iter().partition(|c| matches!(c.intent, Intent::Invalid { .. }));
    for case in unusual {
        let expected =
            matches!(case.intent, Intent::Unusual { .. } | Intent::UndocumentedMethod { .. });
        assert!(expected, "{:?}", case.intent);
    }
    let whats: Vec<String> = invalid
        .iter()
        .map(|c| match &c.intent {
            Intent::Invalid { what } => what.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    for expected in [
        "required `/widget/size` is missing",
        "`/widget/size` is above its maximum",
        "`/widget/name` is longer than its maxLength",
        "the body is an array, not an object",
    ] {
        assert!(whats.iter().any(|w| w == expected), "{expected}: {whats:?}");
    }
    let pointer = model.operations[index].body_schema.as_deref().unwrap();
    for case in &invalid {
        let body = case.request.body.as_ref().unwrap();
        assert!(!model.violations(pointer, None, body).unwrap().is_empty(), "{body}");
    }
}

#[test]
fn every_kind_of_hostile_input_gets_a_turn_within_max_cases() {
    let model = Model::new(support::spec());
    let index = model.operations.iter().position(|o| o.id == "create_widget").unwrap();
    let settings = Settings::new("http://127.0.0.1:9").max_cases(14).allow_mutations(true);
    let options = settings.case_options();
    let cases = negative::cases(&model, index, &options, &Values::default()).unwrap();
    assert_eq!(cases.len(), 14);
    let what = |c: &stackspec_conformance::phases::Case| match &c.intent {
        Intent::Invalid { what } | Intent::Unusual { what } => what.clone(),
        Intent::UndocumentedMethod { .. } => format!("method {}", c.request.method),
        other => panic!("{other:?}"),
    };
    let whats: Vec<String> = cases.iter().map(what).collect();
    let has = |part: &str| whats.iter().any(|w| w.contains(part));
    assert!(has(" is null"), "{whats:#?}");
    assert!(has(" is a") && has("string"), "{whats:#?}");
    assert!(has("/widget/size is "), "boundary numbers: {whats:#?}");
    assert!(has("body") || has("multipart") || has("Content-Type"), "{whats:#?}");
    // The same seed draws the same cases; another seed others.
    let again = negative::cases(&model, index, &options, &Values::default()).unwrap();
    assert_eq!(again.iter().map(what).collect::<Vec<_>>(), whats);
    let other = Settings::new("http://127.0.0.1:9").max_cases(14).allow_mutations(true).seed(99);
    let other = negative::cases(&model, index, &other.case_options(), &Values::default()).unwrap();
    assert_ne!(other.iter().map(what).collect::<Vec<_>>(), whats);
}

#[test]
fn a_path_gets_the_methods_it_lacks_once_and_those_that_change_state_only_with_mutations() {
    let model = Model::new(support::spec());
    let position = |id: &str| model.operations.iter().position(|o| o.id == id).unwrap();
    let methods = |id: &str, allow: bool| -> Vec<String> {
        let settings = Settings::new("http://127.0.0.1:9").max_cases(100).allow_mutations(allow);
        let cases =
            negative::cases(&model, position(id), &settings.case_options(), &Values::default());
        let cases = cases.unwrap_or_default();
        let undocumented =
            cases.iter().filter(|c| matches!(c.intent, Intent::UndocumentedMethod { .. }));
        let mut methods: Vec<String> = undocumented
            .map(|c| {
                format!(
                    "{}{}",
                    c.request.method,
                    if c.request.body.is_some() { "+body" } else { "" }
                )
            })
            .collect();
        methods.sort();
        methods
    };
    // `/v1/widgets` documents GET and POST: its GET (the path's first safe operation) sends
    // the others, each also with a JSON body (glance answered 500 to a DELETE with one at
    // paths it routes but does not document, F201).
    assert_eq!(
        methods("list_widgets", true),
        ["DELETE", "DELETE+body", "PATCH", "PATCH+body", "PUT", "PUT+body"]
    );
    assert!(methods("list_widgets", false).is_empty());
    assert!(methods("create_widget", true).is_empty());
}

/// An image-like API: a download taking a `Range` header and an integer header, a JSON patch
/// whose operations are `oneOf` their kinds, and a member list.
const IMAGES: &str = r#"openapi: 3.0.3
info: {title: t, version: '1', x-stackspec: {service-type: t}}
paths:
  /images/{id}/file:
    get:
      operationId: download
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: Range, in: header, schema: {type: string}}
        - {name: X-Size, in: header, schema: {type: integer}}
        - {name: X-Store, in: header, required: true, schema: {type: string}}
        - {name: OpenStack-API-Version, in: header, schema: {type: string}}
        - {name: X-OpenStack-Legacy-API-Version, in: header, schema: {type: string}}
      responses: {'204': {description: no data}}
  /images/{id}:
    patch:
      operationId: update
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: array
              items:
                oneOf:
                  - {type: object, required: [op, path, value], properties: {op: {enum: [add]}, path: {type: string}, value: {}}}
                  - {type: object, required: [op, path], properties: {op: {enum: [remove]}, path: {type: string}}}
      responses: {'200': {description: ok}}
  /images/{id}/data:
    put:
      operationId: upload
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content:
          application/octet-stream:
            schema: {type: string, format: binary}
      responses: {'204': {description: stored}}
  /images/{id}/members:
    post:
      operationId: add_member
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [member], properties: {member: {type: string}}}
      responses: {'200': {description: ok}}
"#;

fn images() -> Model {
    Model::new(stackspec_model::Spec::parse(std::path::Path::new("t.yaml"), IMAGES).unwrap())
}

/// What each hostile case of `operation` says it is, and its request.
fn hostile(model: &Model, operation: &str) -> Vec<(String, stackspec_conformance::http::Request)> {
    let index = model.operations.iter().position(|o| o.id == operation).unwrap();
    let settings = Settings::new("http://127.0.0.1:9").max_cases(1000).allow_mutations(true);
    let cases = negative::cases(model, index, &settings.case_options(), &Values::default());
    let what = |c: &stackspec_conformance::phases::Case| match &c.intent {
        Intent::Invalid { what } | Intent::Unusual { what } => what.clone(),
        Intent::UndocumentedMethod { .. } => format!("method {}", c.request.method),
        other => panic!("{other:?}"),
    };
    cases.unwrap().into_iter().map(|c| (what(&c), c.request)).collect()
}

/// Schemathesis found glance's 500 to `X-Image-Meta-Store:` (empty) before conform did: it
/// sent no header parameter at all. Header parameters get the strange strings and boundary
/// numbers query parameters get, except what no header can carry; version headers are the
/// microversion's.
#[test]
fn header_parameters_get_hostile_values_but_never_control_characters() {
    let whats: Vec<String> = hostile(&images(), "download").into_iter().map(|(w, _)| w).collect();
    let has = |w: &str| whats.iter().any(|x| x == w);
    assert!(has("header `X-Store` is an empty string"), "{whats:#?}");
    assert!(has("header `X-Store` is a non-ASCII string"), "{whats:#?}");
    assert!(has("header `Range` is a long string"), "{whats:#?}");
    assert!(has("header `X-Size` is 9223372036854775807"), "{whats:#?}");
    assert!(!has("header `X-Store` has control characters"), "{whats:#?}");
    assert!(!has("header `X-Store` is 0"), "numbers only for numeric headers");
    assert!(!whats.iter().any(|w| w.contains("API-Version` is")), "{whats:#?}");
}

/// glance answered 500 to a JSON body labelled `multipart/form-data` on its import; the
/// multipart candidate without a boundary never carried JSON.
#[test]
fn a_json_body_is_also_labelled_multipart_form_data() {
    let cases = hostile(&images(), "add_member");
    let (_, request) = cases
        .iter()
        .find(|(w, _)| w == "a JSON body labelled multipart/form-data")
        .expect("the candidate is made");
    let label = request.headers.iter().find(|(n, _)| n == "Content-Type").map(|(_, v)| v.as_str());
    assert_eq!(label, Some("multipart/form-data"));
    let body: serde_json::Value =
        serde_json::from_slice(request.raw_body.as_ref().unwrap()).unwrap();
    assert!(body["member"].is_string(), "the valid body, as JSON: {body}");
}

/// glance answered 500 to `{"member": [null, null]}` (and to any array member).
#[test]
fn an_array_of_nulls_is_among_the_wrong_types() {
    let cases = hostile(&images(), "add_member");
    let (_, request) =
        cases.iter().find(|(w, _)| w == "/member is an array of nulls").expect("the candidate");
    assert_eq!(request.body, Some(serde_json::json!({"member": [null, null]})));
}

/// glance answered 500 to `[{"op": "remove", "path": {}}]` (a variant of F194): the
/// members of a JSON patch's operations are in `oneOf` branches, which the hostile walk
/// did not enter.
#[test]
fn fields_inside_one_of_branches_get_hostile_values() {
    let whats: Vec<String> = hostile(&images(), "update").into_iter().map(|(w, _)| w).collect();
    for expected in ["/0/path is an object", "/0/path is null", "/0/op is an integer"] {
        assert!(whats.iter().any(|w| w == expected), "{expected}: {whats:#?}");
    }
    let paths = whats.iter().filter(|w| *w == "/0/path is an object").count();
    assert_eq!(paths, 1, "a member of several branches is one field");
}

/// glance answered 500 to `Range: bytes=0-` on an image without data; a `Range` drawn as
/// a plain string only ever got 416. Required headers are always sent, version headers
/// never drawn.
#[test]
fn header_parameters_are_drawn_and_a_range_in_its_http_grammar() {
    let model = images();
    let index = model.operations.iter().position(|o| o.id == "download").unwrap();
    let options = Settings::new("http://127.0.0.1:9").max_cases(40).case_options();
    let draws = stackspec_conformance::phases::property::draw(&model, index, &options).unwrap();
    let header = |d: &stackspec_conformance::phases::property::Draw, name: &str| {
        d.case.request.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let in_grammar = |r: &str| {
        let Some((first, last)) = r.strip_prefix("bytes=").and_then(|s| s.split_once('-')) else {
            return false;
        };
        digits(first) && digits(last) && !(first.is_empty() && last.is_empty())
    };
    let ranges: Vec<String> = draws.iter().filter_map(|d| header(d, "Range")).collect();
    assert!(!ranges.is_empty() && ranges.len() < draws.len(), "optional: {ranges:?}");
    assert!(ranges.iter().all(|r| in_grammar(r)), "{ranges:?}");
    assert!(draws.iter().all(|d| header(d, "X-Store").is_some()), "required");
    let sizes: Vec<String> = draws.iter().filter_map(|d| header(d, "X-Size")).collect();
    assert!(sizes.iter().all(|s| s.parse::<i64>().is_ok()), "{sizes:?}");
    assert!(draws.iter().all(|d| header(d, "X-OpenStack-Legacy-API-Version").is_none()));
}

/// glance's image data is documented as bytes (`application/octet-stream`, a binary
/// string): conform sent no body and got 415 every time, so no image ever had data.
#[test]
fn a_body_documented_as_bytes_is_sent_as_bytes_under_its_media_type() {
    use stackspec_conformance::phases::{examples, property};
    let model = images();
    let index = model.operations.iter().position(|o| o.id == "upload").unwrap();
    let options = Settings::new("http://127.0.0.1:9").allow_mutations(true).case_options();
    let sample = examples::cases(&model, index, &options, &Values::default()).unwrap();
    let drawn = property::draw(&model, index, &options).unwrap();
    let requests = sample.iter().map(|c| &c.request).chain(drawn.iter().map(|d| &d.case.request));
    for request in requests {
        assert_eq!(request.raw_body.as_deref(), Some(stackspec_conformance::plan::RAW_BODY));
        assert_eq!(request.body, None);
        let labels: Vec<&str> = request
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(labels, ["application/octet-stream"]);
    }
    // A hostile relabelling replaces the label instead of adding a second one.
    for (what, request) in hostile(&model, "upload") {
        let labels = request.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("content-type"));
        assert!(labels.count() <= 1, "{what}: {:?}", request.headers);
    }
}
