//! Strategies derived from schemas generate values that validate, and the negative phase's
//! mutations never do.

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

#[test]
fn every_negative_case_is_invalid_and_says_how() {
    let model = Model::new(support::spec());
    let index = model.operations.iter().position(|o| o.id == "create_widget").unwrap();
    let settings = Settings::new("http://127.0.0.1:9").max_cases(100);
    let cases =
        negative::cases(&model, index, &settings.case_options(), &Values::default()).unwrap();
    let whats: Vec<String> = cases
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
    for case in &cases {
        let body = case.request.body.as_ref().unwrap();
        assert!(!model.violations(pointer, None, body).unwrap().is_empty(), "{body}");
    }
}
