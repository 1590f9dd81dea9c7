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
        let mut methods: Vec<String> = undocumented.map(|c| c.request.method.clone()).collect();
        methods.sort();
        methods
    };
    // `/v1/widgets` documents GET and POST: its GET (the path's first safe operation) sends
    // the others.
    assert_eq!(methods("list_widgets", true), ["DELETE", "PATCH", "PUT"]);
    assert!(methods("list_widgets", false).is_empty());
    assert!(methods("create_widget", true).is_empty());
}
