//! Error bodies in each OpenStack service's own shape. A server renders them for the
//! errors it answers by itself; a client reads the message back out of any of them.

use http::StatusCode;
use serde_json::{json, Value};

/// The shape of a service's error bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultStyle {
    /// nova: one key naming the fault, `{"itemNotFound": {"code": 404, "message": ..}}`.
    Nova,
    /// heat: `{"code", "title", "explanation", "error": {"message", "type", "traceback"}}`.
    Heat,
    /// glance: `{"code": "404 Not Found", "title", "message"}`.
    Glance,
    /// ironic-inspector: `{"error": {"message"}}`.
    Inspector,
    /// keystonemiddleware's 401 in front of any service:
    /// `{"error": {"code": 401, "title": "Unauthorized", "message"}}`.
    KeystoneMiddleware,
}

impl FaultStyle {
    /// The style of the service named `service_type` in the catalog (`compute`, `image`):
    /// the one table of fault styles. Services it does not know get the plain
    /// `{"error": {"message"}}` of ironic-inspector.
    pub fn for_service_type(service_type: &str) -> Self {
        match service_type {
            "compute" => Self::Nova,
            "orchestration" => Self::Heat,
            "image" => Self::Glance,
            _ => Self::Inspector,
        }
    }

    /// The body of an error with `status` and `message`, in this style.
    pub fn render(self, status: u16, message: &str) -> Value {
        let title =
            StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error");
        match self {
            Self::Nova => json!({ nova_key(status): { "code": status, "message": message } }),
            Self::Heat => json!({
                "code": status,
                "title": title,
                "explanation": message,
                "error": { "message": message, "type": title.replace(' ', ""), "traceback": null },
            }),
            Self::Glance => {
                json!({ "code": format!("{status} {title}"), "title": title, "message": message })
            }
            Self::Inspector => json!({ "error": { "message": message } }),
            Self::KeystoneMiddleware => {
                json!({ "error": { "code": status, "title": title, "message": message } })
            }
        }
    }

    /// The message of an error body in this style, if it has one where the style puts it.
    pub fn message(self, body: &Value) -> Option<&str> {
        let text = match self {
            Self::Nova => match body.as_object() {
                Some(map) if map.len() == 1 => map.values().next()?.get("message"),
                _ => None,
            },
            Self::Heat => body.pointer("/error/message").or_else(|| body.get("explanation")),
            Self::Glance => body.get("message"),
            Self::Inspector | Self::KeystoneMiddleware => body.pointer("/error/message"),
        };
        text?.as_str()
    }
}

/// nova's key for a fault of `status`, for the statuses a router answers by itself.
fn nova_key(status: u16) -> &'static str {
    match status {
        400 => "badRequest",
        404 => "itemNotFound",
        405 => "methodNotAllowed",
        413 => "overLimit",
        415 => "badMediaType",
        _ => "computeFault",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: [FaultStyle; 5] = [
        FaultStyle::Nova,
        FaultStyle::Heat,
        FaultStyle::Glance,
        FaultStyle::Inspector,
        FaultStyle::KeystoneMiddleware,
    ];

    #[test]
    fn every_style_reads_back_the_message_it_rendered() {
        for style in STYLES {
            let body = style.render(404, "no such thing");
            assert_eq!(style.message(&body), Some("no such thing"), "{style:?}: {body}");
        }
    }

    #[test]
    fn each_style_has_its_services_shape() {
        assert_eq!(
            FaultStyle::Nova.render(404, "m"),
            json!({"itemNotFound": {"code": 404, "message": "m"}})
        );
        assert_eq!(
            FaultStyle::Nova.render(418, "m"),
            json!({"computeFault": {"code": 418, "message": "m"}})
        );
        assert_eq!(
            FaultStyle::Glance.render(413, "m"),
            json!({"code": "413 Payload Too Large", "title": "Payload Too Large", "message": "m"})
        );
        let heat = FaultStyle::Heat.render(400, "m");
        assert_eq!(heat["error"]["type"], "BadRequest");
        assert_eq!(heat["explanation"], "m");
        assert_eq!(FaultStyle::Inspector.render(400, "m"), json!({"error": {"message": "m"}}));
        assert_eq!(
            FaultStyle::KeystoneMiddleware.render(401, "m")["error"]["title"],
            "Unauthorized"
        );
    }

    #[test]
    fn a_body_of_another_shape_has_no_message() {
        assert_eq!(FaultStyle::Glance.message(&json!({"error": {"message": "m"}})), None);
        assert_eq!(FaultStyle::Nova.message(&json!({"a": {"message": "m"}, "b": {}})), None);
    }
}
