use serde_json::json;

use crate::fixtures::{enums, nullable, one_of, recursion};

#[test]
fn a_single_key_action_is_the_tagged_variant_and_serializes_back_the_same() {
    use one_of::types::{RebootType, ServerAction};
    let reboot = json!({"reboot": {"type": "SOFT"}});
    let action: ServerAction = serde_json::from_value(reboot.clone()).unwrap();
    assert!(matches!(&action, ServerAction::Reboot(r) if r.r#type == RebootType::Soft));
    assert_eq!(serde_json::to_value(&action).unwrap(), reboot);
    let start: ServerAction = serde_json::from_value(json!({"os-start": null})).unwrap();
    assert_eq!(start, ServerAction::OsStart(None));
    assert!(serde_json::from_value::<ServerAction>(json!({"unknown-action": {}})).is_err());
}

#[test]
fn unknown_enum_values_are_kept_and_sent_back_verbatim() {
    use enums::types::TaskStatus;
    let status: TaskStatus = serde_json::from_value(json!("queued")).unwrap();
    assert_eq!(status, TaskStatus::Other("queued".into()));
    assert_eq!(serde_json::to_value(&status).unwrap(), json!("queued"));
    let other: TaskStatus = serde_json::from_value(json!("other")).unwrap();
    assert_eq!(other, TaskStatus::Other2, "the wire value `other` is not the fallback");
    assert_eq!(TaskStatus::Empty.as_str(), "");
}

#[test]
fn required_nullable_fields_send_null_and_optional_ones_are_left_out() {
    use nullable::types::Volume;
    let volume: Volume = serde_json::from_value(json!({"id": "v", "description": null})).unwrap();
    assert_eq!(volume.description, None);
    assert_eq!(serde_json::to_value(&volume).unwrap(), json!({"id": "v", "description": null}));
    assert!(serde_json::from_value::<Volume>(json!({"description": null})).is_err());
}

#[test]
fn optional_nullable_fields_keep_null_apart_from_absent() {
    use nullable::types::Volume;
    let null = json!({"id": "v", "description": "d", "size": null});
    let volume: Volume = serde_json::from_value(null.clone()).unwrap();
    assert_eq!(volume.size, Some(None));
    assert_eq!(serde_json::to_value(&volume).unwrap(), null);
    let absent: Volume = serde_json::from_value(json!({"id": "v", "description": "d"})).unwrap();
    assert_eq!(absent.size, None);
    let sized = serde_json::from_value::<Volume>(json!({"id": "v", "description": "d", "size": 3}));
    assert_eq!(sized.unwrap().size, Some(Some(3)));
}

#[test]
fn recursive_types_nest() {
    use recursion::types::Node;
    let tree = json!({"name": "a", "children": [{"name": "b", "link": {"target": {"name": "a"}}}]});
    let node: Node = serde_json::from_value(tree.clone()).unwrap();
    assert_eq!(serde_json::to_value(&node).unwrap(), tree);
}
