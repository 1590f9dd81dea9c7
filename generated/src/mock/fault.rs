//! The mock's own error bodies, in the fault style the spec's facts name (the shapes of the
//! fault schemas in `spec/`: `NovaFault`, `HeatFault`, `GlanceError`, `InspectorError`).

use serde_json::{json, Value};
use stackspec_model::service::FaultStyle;

pub fn body(style: FaultStyle, status: u16, message: &str) -> Value {
    let title = axum::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    match style {
        FaultStyle::NamedFault => {
            let key = match status {
                400 => "badRequest",
                404 => "itemNotFound",
                405 => "methodNotAllowed",
                413 => "overLimit",
                415 => "badMediaType",
                _ => "computeFault",
            };
            json!({ key: { "code": status, "message": message } })
        }
        FaultStyle::Explanation => json!({
            "code": status,
            "title": title,
            "explanation": message,
            "error": { "message": message, "type": title.replace(' ', ""), "traceback": null },
        }),
        FaultStyle::Webob => {
            json!({ "code": format!("{status} {title}"), "title": title, "message": message })
        }
        FaultStyle::ErrorObject => {
            json!({ "error": { "code": status, "title": title, "message": message } })
        }
        FaultStyle::ErrorMessage => json!({ "error": { "message": message } }),
    }
}
