//! Path values the user gives (`--path-value`, ids seeded for the run) reach every method,
//! including those that change state, and win over ids learned from responses.

mod support;

use serde_json::json;
use stackspec_conformance::phases::values::Values;
use stackspec_conformance::plan::Model;

fn op<'a>(model: &'a Model, id: &str) -> &'a stackspec_conformance::plan::Operation {
    model.operations.iter().find(|o| o.id == id).unwrap()
}

#[test]
fn a_given_value_fills_the_path_of_a_state_changing_method() {
    let model = Model::new(support::spec());
    let delete = op(&model, "delete_widget");
    let given = Values::given(&[("widget_id".into(), "seeded-1".into())]);
    assert_eq!(given.path_values(delete), vec![("widget_id".into(), "seeded-1".into())]);
    // Without it, a DELETE never gets an id the run merely saw.
    let learned = Values::default();
    learned.learn(
        &model,
        op(&model, "list_widgets"),
        &json!({"widgets": [{"id": "seen-1"}]}),
        false,
    );
    assert_ne!(learned.path_values(delete)[0].1, "seen-1");
}

#[test]
fn a_given_value_is_not_replaced_by_a_learned_one() {
    let model = Model::new(support::spec());
    let given = Values::given(&[("widget_id".into(), "seeded-1".into())]);
    let list = op(&model, "list_widgets");
    given.learn(&model, list, &json!({"widgets": [{"id": "seen-1"}]}), false);
    given.learn(&model, op(&model, "create_widget"), &json!({"widget": {"id": "made-1"}}), true);
    assert_eq!(given.path_values(op(&model, "show_widget"))[0].1, "seeded-1");
}

#[test]
fn of_two_values_given_for_one_name_the_last_wins() {
    let model = Model::new(support::spec());
    let pairs = [("widget_id".to_string(), "run".to_string()), ("widget_id".into(), "pin".into())];
    let given = Values::given(&pairs);
    assert_eq!(given.path_values(op(&model, "delete_widget"))[0].1, "pin");
}
