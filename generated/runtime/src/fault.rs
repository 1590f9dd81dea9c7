//! Error bodies in each OpenStack service's own shape. A server renders them for the
//! errors it answers by itself; a client reads the message back out of any of them.

use std::borrow::Cow;

use http::StatusCode;
use serde_json::{json, Value};

/// The shape of a service's error bodies, named after the shape, not the service: several
/// services share each (nova, cinder and manila all answer `named-fault`). A spec names its
/// service's style in `info.x-stackspec.fault-style`, in these kebab-case spellings.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum FaultStyle {
    /// One key naming the fault, `{"itemNotFound": {"code": 404, "message": ..}}` (nova's
    /// fault wrapper).
    NamedFault,
    /// webob's JSON error: `{"code": "404 Not Found", "title", "message"}` (glance).
    Webob,
    /// webob's fields with an integer code, an `explanation` and an `error` object,
    /// `{"code", "title", "explanation", "error": {"message", "type", "traceback"}}` (heat's
    /// fault middleware).
    Explanation,
    /// `{"error": {"code": 401, "title": "Unauthorized", "message"}}` (keystone and
    /// keystonemiddleware's 401 in front of any service).
    ErrorObject,
    /// `{"error": {"message"}}` (ironic-inspector, and the default for a spec that names
    /// no style).
    #[default]
    ErrorMessage,
    /// neutron's `{"NeutronError": {"type": "HTTPNotFound", "message", "detail"}}`.
    NeutronError,
    /// wsme's `{"faultcode": "Client", "faultstring", "debuginfo": null}` (octavia).
    Faultstring,
    /// wsme's fault JSON-encoded into a string, `{"error_message": "{\"faultstring\": ..}"}`
    /// (ironic).
    EncodedFaultstring,
    /// The API working group's `{"errors": [{"status": 404, "title", "detail"}]}`
    /// (placement, magnum).
    ErrorsList,
    /// `{"code": 404, "type": "not_found", "message"}` (designate).
    TypedCode,
}

impl FaultStyle {
    /// The spelling specs use (`named-fault`).
    pub fn name(self) -> &'static str {
        match self {
            Self::NamedFault => "named-fault",
            Self::Webob => "webob",
            Self::Explanation => "explanation",
            Self::ErrorObject => "error-object",
            Self::ErrorMessage => "error-message",
            Self::NeutronError => "neutron-error",
            Self::Faultstring => "faultstring",
            Self::EncodedFaultstring => "encoded-faultstring",
            Self::ErrorsList => "errors-list",
            Self::TypedCode => "typed-code",
        }
    }

    /// The body of an error with `status` and `message`, in this style.
    pub fn render(self, status: u16, message: &str) -> Value {
        let title =
            StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error");
        match self {
            Self::NamedFault => {
                json!({ named_fault_key(status): { "code": status, "message": message } })
            }
            Self::Explanation => json!({
                "code": status,
                "title": title,
                "explanation": message,
                "error": { "message": message, "type": title.replace(' ', ""), "traceback": null },
            }),
            Self::Webob => {
                json!({ "code": format!("{status} {title}"), "title": title, "message": message })
            }
            Self::ErrorMessage => json!({ "error": { "message": message } }),
            Self::ErrorObject => {
                json!({ "error": { "code": status, "title": title, "message": message } })
            }
            Self::NeutronError => json!({
                "NeutronError": { "type": title.replace(' ', ""), "message": message, "detail": "" }
            }),
            Self::Faultstring => wsme_fault(status, message),
            Self::EncodedFaultstring => {
                json!({ "error_message": wsme_fault(status, message).to_string() })
            }
            Self::ErrorsList => {
                json!({ "errors": [{ "status": status, "title": title, "detail": message }] })
            }
            Self::TypedCode => json!({
                "code": status,
                "type": title.to_lowercase().replace(' ', "_"),
                "message": message,
            }),
        }
    }

    /// The message of an error body in this style, if it has one where the style puts it
    /// (decoded, for ironic's fault encoded in a string).
    pub fn message(self, body: &Value) -> Option<Cow<'_, str>> {
        let text = match self {
            Self::NamedFault => match body.as_object() {
                Some(map) if map.len() == 1 => map.values().next()?.get("message"),
                _ => None,
            },
            Self::Explanation => body.pointer("/error/message").or_else(|| body.get("explanation")),
            Self::Webob => body.get("message"),
            Self::ErrorMessage | Self::ErrorObject => body.pointer("/error/message"),
            Self::NeutronError => body.pointer("/NeutronError/message"),
            Self::Faultstring => body.get("faultstring"),
            Self::EncodedFaultstring => return encoded_faultstring(body).map(Cow::Owned),
            Self::ErrorsList => body.pointer("/errors/0/detail"),
            Self::TypedCode => body.get("message"),
        };
        text?.as_str().map(Cow::Borrowed)
    }
}

/// wsme's fault body: `faultcode` says whose fault it is.
fn wsme_fault(status: u16, message: &str) -> Value {
    let faultcode = if status < 500 { "Client" } else { "Server" };
    json!({ "faultcode": faultcode, "faultstring": message, "debuginfo": null })
}

/// The `faultstring` of the wsme fault encoded in ironic's `error_message` string.
fn encoded_faultstring(body: &Value) -> Option<String> {
    let encoded = body.get("error_message")?.as_str()?;
    let decoded: Value = serde_json::from_str(encoded).ok()?;
    Some(decoded.get("faultstring")?.as_str()?.to_string())
}

/// nova's key for a fault of `status`, for the statuses a router answers by itself.
fn named_fault_key(status: u16) -> &'static str {
    match status {
        400 => "badRequest",
        404 => "itemNotFound",
        401 => "unauthorized",
        403 => "forbidden",
        405 => "badMethod",
        409 => "conflictingRequest",
        413 => "overLimit",
        415 => "badMediaType",
        _ => "computeFault",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: [FaultStyle; 10] = [
        FaultStyle::NamedFault,
        FaultStyle::Explanation,
        FaultStyle::Webob,
        FaultStyle::ErrorMessage,
        FaultStyle::ErrorObject,
        FaultStyle::NeutronError,
        FaultStyle::Faultstring,
        FaultStyle::EncodedFaultstring,
        FaultStyle::ErrorsList,
        FaultStyle::TypedCode,
    ];

    #[test]
    fn every_style_reads_back_the_message_it_rendered() {
        for style in STYLES {
            let body = style.render(404, "no such thing");
            assert_eq!(style.message(&body).as_deref(), Some("no such thing"), "{style:?}: {body}");
        }
    }

    #[test]
    fn each_style_has_its_services_shape() {
        assert_eq!(
            FaultStyle::NamedFault.render(404, "m"),
            json!({"itemNotFound": {"code": 404, "message": "m"}})
        );
        assert_eq!(
            FaultStyle::NamedFault.render(418, "m"),
            json!({"computeFault": {"code": 418, "message": "m"}})
        );
        assert_eq!(
            FaultStyle::Webob.render(413, "m"),
            json!({"code": "413 Payload Too Large", "title": "Payload Too Large", "message": "m"})
        );
        let heat = FaultStyle::Explanation.render(400, "m");
        assert_eq!(heat["error"]["type"], "BadRequest");
        assert_eq!(heat["explanation"], "m");
        assert_eq!(FaultStyle::ErrorMessage.render(400, "m"), json!({"error": {"message": "m"}}));
        assert_eq!(FaultStyle::ErrorObject.render(401, "m")["error"]["title"], "Unauthorized");
        assert_eq!(
            FaultStyle::NeutronError.render(404, "m"),
            json!({"NeutronError": {"type": "NotFound", "message": "m", "detail": ""}})
        );
        let wsme = json!({"faultcode": "Client", "faultstring": "m", "debuginfo": null});
        assert_eq!(FaultStyle::Faultstring.render(409, "m"), wsme);
        assert_eq!(FaultStyle::Faultstring.render(500, "m")["faultcode"], "Server");
        let ironic = FaultStyle::EncodedFaultstring.render(409, "m");
        let encoded = ironic["error_message"].as_str().expect("a string");
        assert_eq!(serde_json::from_str::<Value>(encoded).unwrap(), wsme);
        assert_eq!(
            FaultStyle::ErrorsList.render(404, "m"),
            json!({"errors": [{"status": 404, "title": "Not Found", "detail": "m"}]})
        );
        assert_eq!(
            FaultStyle::TypedCode.render(404, "m"),
            json!({"code": 404, "type": "not_found", "message": "m"})
        );
    }

    #[test]
    fn a_body_of_another_shape_has_no_message() {
        assert_eq!(FaultStyle::Webob.message(&json!({"error": {"message": "m"}})), None);
        let ironic = json!({"error_message": "{\"faultcode\": \"Client\"}"});
        assert_eq!(FaultStyle::EncodedFaultstring.message(&ironic), None);
        assert_eq!(FaultStyle::NamedFault.message(&json!({"a": {"message": "m"}, "b": {}})), None);
    }

    #[test]
    fn styles_are_spelled_as_specs_name_them() {
        for style in STYLES {
            let spelled = serde_json::to_value(style).unwrap();
            assert_eq!(spelled, style.name());
            assert_eq!(serde_json::from_value::<FaultStyle>(spelled).unwrap(), style);
        }
        assert!(serde_json::from_value::<FaultStyle>(json!("html")).is_err());
    }
}
