//! Every exchange of a run kept as HAR 1.2 (`stackspec conform --record DIR`), one file per
//! run, so that what a service really answered can be read again later
//! (`stackspec compare --observed DIR` turns it into proposed corrections).
//!
//! Secrets never reach the file: headers whose names carry credentials are replaced
//! ([`secrets::is_secret_name`]), body fields named like secrets too
//! ([`secrets::redact_body`]), every value the process learnt as a secret is replaced
//! wherever it appears, a token echoed in a body or a header included ([`secrets::redact`]),
//! and the whole text passes through [`secrets::redact`] once more before it is written.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use serde_json::{json, Value};

use crate::http::{ClientConfig, HttpError, PerIdentity, Request, Response};
use crate::secrets::{self, REDACTED};

/// The HAR version written.
const HAR_VERSION: &str = "1.2";

/// Why the recorded exchanges could not be kept.
#[derive(Debug, thiserror::Error)]
pub enum HarError {
    #[error("--record {}: cannot write: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Collects a run's exchanges and writes them as one HAR file.
#[derive(Debug)]
pub struct HarRecorder {
    dir: PathBuf,
    base_url: String,
    /// The headers each identity's requests carry besides their own.
    defaults: PerIdentity<Vec<(String, String)>>,
    entries: Mutex<Vec<Value>>,
}

/// Where a recorded exchange came from: the operation and the phase.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub operation: &'a str,
    pub phase: &'a str,
}

impl HarRecorder {
    /// A recorder writing into `dir` (created when the run ends) for requests made from
    /// `config`.
    pub fn new(dir: &Path, config: &ClientConfig) -> Self {
        Self {
            dir: dir.to_path_buf(),
            base_url: config.base_url.clone(),
            defaults: PerIdentity::new(|c| config.defaults(c)),
            entries: Mutex::new(Vec::new()),
        }
    }

    /// Keeps one exchange: the request and its response, or why none came.
    pub fn exchange(
        &self,
        source: Source,
        request: &Request,
        result: &Result<Response, HttpError>,
        started: SystemTime,
        elapsed: Duration,
    ) {
        let ms = elapsed.as_secs_f64() * 1e3;
        let mut entry = json!({
            "startedDateTime": rfc3339(started),
            "time": ms,
            "request": self.request(request),
            "response": response(result),
            "cache": {},
            "timings": {"send": 0, "wait": ms, "receive": 0},
            "_operation": source.operation,
            "_phase": source.phase,
        });
        if let Err(e) = result {
            entry["_error"] = json!(secrets::redact(&crate::errors::error_chain(e)));
        }
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).push(entry);
    }

    /// Writes the exchanges kept so far to `DIR/<name>.har`; returns the file.
    pub fn finish(&self, name: &str) -> Result<PathBuf, HarError> {
        let entries = std::mem::take(&mut *self.entries.lock().unwrap_or_else(|e| e.into_inner()));
        let har = json!({"log": {
            "version": HAR_VERSION,
            "creator": {"name": "stackspec conform", "version": env!("CARGO_PKG_VERSION")},
            "entries": entries,
        }});
        let text = serde_json::to_string_pretty(&har).unwrap_or_default();
        let text = secrets::redact(&text);
        let path = self.dir.join(format!("{name}.har"));
        let write = |source| HarError::Write { path: path.clone(), source };
        std::fs::create_dir_all(&self.dir).map_err(write)?;
        std::fs::write(&path, text.as_bytes()).map_err(write)?;
        Ok(path)
    }

    fn request(&self, request: &Request) -> Value {
        let defaults = self.defaults.get(request.credentials);
        let headers: Vec<Value> = defaults.iter().chain(&request.headers).map(header).collect();
        let query: Vec<Value> = request
            .query
            .iter()
            .map(|(name, value)| json!({"name": name, "value": secrets::redact(value)}))
            .collect();
        let mut out = json!({
            "method": request.method,
            "url": secrets::redact(&request.url(&self.base_url)),
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": headers,
            "queryString": query,
            "headersSize": -1,
            "bodySize": -1,
        });
        if let Some(raw) = &request.raw_body {
            let text = secrets::redact(&String::from_utf8_lossy(raw)).into_owned();
            let media =
                request.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("content-type"));
            let media = media.map_or("", |(_, v)| v.as_str());
            out["bodySize"] = json!(raw.len());
            out["postData"] = json!({"mimeType": media, "text": text});
        } else if let Some(body) = &request.body {
            let text = redacted_json(body);
            out["bodySize"] = json!(text.len());
            out["postData"] = json!({"mimeType": request.json_media_type(), "text": text});
        }
        out
    }
}

/// A response, or an empty one (status 0, as HAR spells "no response") for an error.
fn response(result: &Result<Response, HttpError>) -> Value {
    let Ok(r) = result else {
        return json!({
            "status": 0, "statusText": "", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [],
            "content": {"size": 0, "mimeType": "x-unknown"}, "redirectURL": "", "headersSize": -1, "bodySize": -1,
        });
    };
    let headers: Vec<Value> = r
        .headers
        .iter()
        .map(|(name, value)| {
            header(&(name.to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        })
        .collect();
    let text = match &r.json {
        Some(body) => redacted_json(body),
        None => secrets::redact(&String::from_utf8_lossy(&r.body)).into_owned(),
    };
    json!({
        "status": r.status,
        "statusText": http::StatusCode::from_u16(r.status).ok().and_then(|s| s.canonical_reason()).unwrap_or(""),
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": headers,
        "content": {"size": r.body.len(), "mimeType": r.header("content-type").unwrap_or_default(), "text": text},
        "redirectURL": r.header("location").unwrap_or_default(),
        "headersSize": -1,
        "bodySize": r.body.len(),
    })
}

/// A header, its value replaced when its name is a credential's, else redacted as text.
fn header((name, value): &(String, String)) -> Value {
    let value = if secrets::is_secret_name(name) && !value.is_empty() {
        REDACTED.to_string()
    } else {
        secrets::redact(value).into_owned()
    };
    json!({"name": name, "value": value})
}

/// A JSON body as text, secret-named fields and known secrets replaced.
fn redacted_json(body: &Value) -> String {
    let mut body = secrets::redact_body(body);
    secrets::redact_json(&mut body);
    body.to_string()
}

/// `time` as RFC 3339 in UTC (`2026-12-05T22:30:00.123Z`), what HAR's ISO 8601 asks for:
/// days since 1970-01-01 to a civil date by Howard Hinnant's algorithm (no date crate is a
/// dependency here, and `httpdate` writes only RFC 7231 dates).
fn rfc3339(time: SystemTime) -> String {
    let since = time.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rest) = ((secs / 86_400) as i64, secs % 86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s) = (rest / 3_600, rest % 3_600 / 60, rest % 60);
    let ms = since.subsec_millis();
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{ms:03}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc_3339_in_utc() {
        assert_eq!(rfc3339(SystemTime::UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        // 2024-02-29 12:34:56.789 UTC, a leap day.
        let leap = SystemTime::UNIX_EPOCH + Duration::from_millis(1_709_210_096_789);
        assert_eq!(rfc3339(leap), "2024-02-29T12:34:56.789Z");
    }

    #[test]
    fn credential_headers_and_learnt_secrets_are_replaced() {
        secrets::learn("har-unit-secret-value");
        let named = header(&("X-Auth-Token".into(), "abc".into()));
        assert_eq!(named["value"], REDACTED);
        let echoed = header(&("X-Echo".into(), "was har-unit-secret-value".into()));
        assert_eq!(echoed["value"], format!("was {REDACTED}"));
        let body = redacted_json(&json!({"password": "p", "note": "har-unit-secret-value"}));
        assert_eq!(body, format!(r#"{{"password":"{REDACTED}","note":"{REDACTED}"}}"#));
    }
}
