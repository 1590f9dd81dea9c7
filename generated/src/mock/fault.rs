//! The mock's own error bodies, in each service's fault format (the shapes of the fault
//! schemas in `spec/`: `NovaFault`, `HeatFault`, `GlanceError`, `InspectorError`).

use serde_json::{json, Value};

pub fn body(service: &str, status: u16, message: &str) -> Value {
    let title = axum::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    match service {
        "compute" => {
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
        "orchestration" => json!({
            "code": status,
            "title": title,
            "explanation": message,
            "error": { "message": message, "type": title.replace(' ', ""), "traceback": null },
        }),
        "image" => {
            json!({ "code": format!("{status} {title}"), "title": title, "message": message })
        }
        _ => json!({ "error": { "message": message } }),
    }
}
