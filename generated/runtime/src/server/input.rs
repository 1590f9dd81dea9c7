//! What a handler reads from a request, collected without judging it; each typed value is
//! then read on demand, so that a bad one gets 400 naming the parameter.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::{header, HeaderMap};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{BodySchema, Fault};
use crate::microversion::{self, Requested, Versioning};
use crate::MAX_BODY_BYTES;

/// The microversions a parameter exists at, `(since, until)`, each `(major, minor)`.
pub type VersionRange = (Option<(u32, u32)>, Option<(u32, u32)>);

/// A request's path parameters (in path order), query pairs, headers and body.
#[derive(Debug)]
pub struct Input {
    path: Vec<String>,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
}

impl<S: Send + Sync> FromRequest<S> for Input {
    type Rejection = Fault;

    async fn from_request(request: Request, state: &S) -> Result<Self, Fault> {
        let (mut parts, body) = request.into_parts();
        let path = RawPathParams::from_request_parts(&mut parts, state)
            .await
            .map_err(|e| Fault::new(400, e.body_text()))?
            .iter()
            .map(|(_, value)| value.to_string())
            .collect();
        let query = axum::extract::Query::try_from_uri(&parts.uri)
            .map_err(|e| Fault::new(400, e.body_text()))?
            .0;
        let body = axum::body::to_bytes(body, MAX_BODY_BYTES).await.map_err(unread_body)?;
        Ok(Self { path, query, headers: parts.headers, body })
    }
}

/// Whether `version` is inside `range` (an open end is no limit).
fn within((since, until): VersionRange, version: (u32, u32)) -> bool {
    since.is_none_or(|s| version >= s) && until.is_none_or(|u| version <= u)
}

/// Why a body could not be read: 413 past [`MAX_BODY_BYTES`], else 400 (a malformed
/// chunked encoding, a connection closed mid-body).
fn unread_body(error: axum::Error) -> Fault {
    let error = error.into_inner();
    if error.is::<http_body_util::LengthLimitError>() {
        Fault::new(413, format!("the request body is larger than {MAX_BODY_BYTES} bytes"))
    } else {
        Fault::new(400, format!("the request body cannot be read: {error}"))
    }
}

impl Input {
    /// A parameter's typed value from its text values: as a string first (so that `"10"`
    /// stays a string where the document says string), then as JSON (numbers, booleans).
    fn decode<T: DeserializeOwned>(
        name: &str,
        values: &[&str],
        repeated: bool,
    ) -> Result<T, Fault> {
        Self::typed(name, |read| match (repeated, values.last()) {
            (_, None) => Value::Null,
            (true, _) => Value::Array(values.iter().map(|v| read(v)).collect()),
            (false, Some(last)) => read(last),
        })
    }

    /// `T` from the JSON that `shape` builds of a parameter's text values, reading each value
    /// as a string first, then as JSON.
    fn typed<T: DeserializeOwned>(
        name: &str,
        shape: impl Fn(&dyn Fn(&str) -> Value) -> Value,
    ) -> Result<T, Fault> {
        let literal = |v: &str| Value::String(v.to_string());
        let parsed = |v: &str| serde_json::from_str(v).unwrap_or_else(|_| literal(v));
        serde_json::from_value(shape(&literal))
            .or_else(|_| serde_json::from_value(shape(&parsed)))
            .map_err(|e| Fault::new(400, format!("parameter `{name}`: {e}")))
    }

    /// The path parameter at `index` (in path order).
    pub fn path<T: DeserializeOwned>(&self, index: usize, name: &str) -> Result<T, Fault> {
        let values: Vec<&str> = self.path.get(index).map(String::as_str).into_iter().collect();
        Self::decode(name, &values, false)
    }

    /// A path parameter that shares capture `index` with text: the one at `position` among
    /// those the `literals` around them cut out ([`crate::param::cut`]). A segment without
    /// that form names no resource: 404.
    pub fn path_in<T: DeserializeOwned>(
        &self,
        index: usize,
        literals: &[&str],
        position: usize,
        name: &str,
    ) -> Result<T, Fault> {
        let segment = self.path.get(index).map_or("", String::as_str);
        let values = crate::param::cut(segment, literals).ok_or_else(|| {
            let form = literals.join("{..}");
            Fault::new(404, format!("path segment `{segment}` is not of the form `{form}`"))
        })?;
        Self::decode(name, &values[position..=position], false)
    }

    /// A query parameter whose value is one JSON text (a `content` parameter): text that is
    /// not JSON, or JSON that does not fit `T`, gets 400.
    pub fn query_json<T: DeserializeOwned>(&self, name: &str) -> Result<T, Fault> {
        let Some((_, text)) = self.query.iter().rev().find(|(k, _)| k == name) else {
            return Self::decode(name, &[], false);
        };
        let value: Value = serde_json::from_str(text)
            .map_err(|e| Fault::new(400, format!("parameter `{name}` is not JSON: {e}")))?;
        serde_json::from_value(value)
            .map_err(|e| Fault::new(400, format!("parameter `{name}`: {e}")))
    }

    /// [`Self::query_json`] for a parameter that exists only from `since` to `until`.
    pub fn query_json_at<T: DeserializeOwned>(
        &self,
        name: &str,
        range: VersionRange,
        version: (u32, u32),
    ) -> Result<T, Fault> {
        if within(range, version) {
            self.query_json(name)
        } else {
            Self::decode(name, &[], false)
        }
    }

    /// An object-valued query parameter sent exploded (OpenAPI's default): every query pair
    /// whose key is none of the operation's other query parameters (`known`) is a member.
    /// No such pair is absent.
    pub fn query_object<T: DeserializeOwned>(
        &self,
        name: &str,
        known: &[&str],
    ) -> Result<T, Fault> {
        let members: Vec<&(String, String)> =
            self.query.iter().filter(|(k, _)| !known.contains(&k.as_str())).collect();
        if members.is_empty() {
            return Self::decode(name, &[], false);
        }
        Self::typed(name, |read| {
            Value::Object(members.iter().map(|(k, v)| (k.clone(), read(v))).collect())
        })
    }

    /// A query parameter; `repeated` for an array (the key once per element).
    pub fn query<T: DeserializeOwned>(&self, name: &str, repeated: bool) -> Result<T, Fault> {
        let values: Vec<&str> =
            self.query.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect();
        Self::decode(name, &values, repeated)
    }

    /// A query parameter that exists only from `since` to `until`: read as absent at other
    /// microversions, as the services ignore parameters their version does not have.
    pub fn query_at<T: DeserializeOwned>(
        &self,
        name: &str,
        repeated: bool,
        range: VersionRange,
        version: (u32, u32),
    ) -> Result<T, Fault> {
        if within(range, version) {
            self.query(name, repeated)
        } else {
            Self::decode(name, &[], repeated)
        }
    }

    /// [`Self::query_object`] for a parameter that exists only from `since` to `until`.
    pub fn query_object_at<T: DeserializeOwned>(
        &self,
        name: &str,
        known: &[&str],
        range: VersionRange,
        version: (u32, u32),
    ) -> Result<T, Fault> {
        if within(range, version) {
            self.query_object(name, known)
        } else {
            Self::decode(name, &[], false)
        }
    }

    pub fn header<T: DeserializeOwned>(&self, name: &str) -> Result<T, Fault> {
        let values: Vec<&str> =
            self.headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect();
        Self::decode(name, &values, false)
    }

    /// The microversion asked for, `(major, minor)`: `latest` is the highest there is; no
    /// version, or one that does not parse, is `lowest`.
    pub fn version(&self, versioning: &Versioning, lowest: (u32, u32)) -> (u32, u32) {
        let requested = versioning.requested_text(&self.headers).map(microversion::parse);
        match requested {
            Some(Ok(Requested::Latest)) => (u32::MAX, u32::MAX),
            Some(Ok(Requested::Version(major, minor))) => (major, minor),
            Some(Err(_)) | None => lowest,
        }
    }

    /// Refuses a body sent as another media type than the one documented (415).
    fn check_content_type(&self, expected: &str) -> Result<(), Fault> {
        let content_type = self.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
        let essence = content_type.and_then(|c| c.split(';').next()).map(str::trim);
        match essence {
            Some(found) if found.eq_ignore_ascii_case(expected) => Ok(()),
            found => Err(Fault::new(
                415,
                format!("expected a body of type {expected}, found {}", found.unwrap_or("none")),
            )),
        }
    }

    /// The body as `T`: malformed JSON, JSON its schema rejects and JSON that does not fit
    /// the Rust types all get 400.
    pub fn json<T: DeserializeOwned>(
        &self,
        content_type: &str,
        schema: Option<&BodySchema>,
    ) -> Result<T, Fault> {
        self.check_content_type(content_type)?;
        let value: Value = serde_json::from_slice(&self.body)
            .map_err(|e| Fault::new(400, format!("malformed JSON body: {e}")))?;
        if let Some(schema) = schema {
            schema.check(&value)?;
        }
        serde_json::from_value(value).map_err(|e| Fault::new(400, format!("invalid body: {e}")))
    }

    /// [`Self::json`] for a body the request may leave out: none when it sent no bytes.
    pub fn json_optional<T: DeserializeOwned>(
        &self,
        content_type: &str,
        schema: Option<&BodySchema>,
    ) -> Result<Option<T>, Fault> {
        if self.body.is_empty() {
            return Ok(None);
        }
        self.json(content_type, schema).map(Some)
    }

    /// The body as it came, in the documented media type.
    pub fn bytes(&self, content_type: &str) -> Result<Vec<u8>, Fault> {
        self.check_content_type(content_type)?;
        Ok(self.body.to_vec())
    }
}
