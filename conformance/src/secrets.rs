//! Keeping secrets out of everything conform prints: the terminal summary, the JSON and
//! JUnit reports, `curl` reproducers and error messages.
//!
//! Two mechanisms work together. By *name*: a header or body field whose name looks like a
//! credential ([`is_secret_name`], a rule on the name, not a list) has its value replaced
//! where conform itself renders it, and a URL's userinfo password is replaced wherever a
//! URL appears. By *value*: every secret value the process learns (`-H` credentials, the
//! password in `--url`, clouds.yaml passwords and application-credential secrets, Keystone
//! tokens, credential headers a server sends back) is remembered ([`learn`]) and replaced
//! in any text ([`redact`]), so that a server echoing a token in a body, a header or an
//! error message cannot get it printed.
//!
//! The remembered values are process-wide: a secret learnt anywhere (a cloud file, a
//! flag, a Keystone response) must be kept out of every output, and an output path that
//! forgot to be handed the list would leak it.

use std::borrow::Cow;
use std::sync::RwLock;

use serde_json::Value;

/// What a secret is replaced with.
pub const REDACTED: &str = "<redacted>";

/// Values shorter than this are replaced only where their name shows them (headers, body
/// fields, URL userinfo): searched for in free text, a two-letter password would blank out
/// every word it is part of.
pub const MIN_SEARCHED_LEN: usize = 4;

/// Words that make a header or field name a credential's, in lower case.
const SECRET_WORDS: [&str; 9] =
    ["token", "auth", "key", "secret", "passw", "cookie", "session", "credential", "signature"];

/// Header names that contain a secret word but describe authentication instead of carrying
/// it (`WWW-Authenticate: Keystone uri=...`, `Access-Control-Allow-Credentials: true`).
const DESCRIBING: [&str; 3] = ["www-authenticate", "proxy-authenticate", "access-control-"];

/// Body fields whose values are secrets (`key` and `auth` are not among them: `key_name`
/// and the `auth` object of a token request are not secrets, their leaves are).
const SECRET_FIELDS: [&str; 5] = ["password", "secret", "token", "admin_pass", "credential"];

/// Every secret value learnt so far, with the spellings it takes in JSON, XML and URLs.
static KNOWN: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Whether a header named `name` carries a credential: its name contains one of
/// [`SECRET_WORDS`] in any case (`X-Api-Key`, `Authorization`, `X-Subject-Token`,
/// `Set-Cookie`, `X-Session-Id`, ...).
pub fn is_secret_name(name: &str) -> bool {
    let lower = lower_case(name);
    SECRET_WORDS.iter().any(|w| lower.contains(w))
}

/// Whether a response header named `name` is one whose value is a secret to remember:
/// a credential's name that does not merely describe authentication.
pub fn is_received_secret(name: &str) -> bool {
    let lower = lower_case(name);
    is_secret_name(&lower) && !DESCRIBING.iter().any(|d| lower.starts_with(d))
}

/// `name` in lower case, copied only if it is not already (a received header's name is:
/// every response's headers are looked at, so the common case allocates nothing).
fn lower_case(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// Remembers `value` as a secret: from now on [`redact`] replaces it in any text. Cookies
/// (`name=value; Path=/`) are remembered whole and by their value.
pub fn learn(value: &str) {
    let value = value.trim();
    let cookie = value.split(';').next().and_then(|pair| pair.split_once('=')).map(|(_, v)| v);
    for secret in std::iter::once(value).chain(cookie) {
        if secret.len() < MIN_SEARCHED_LEN {
            continue;
        }
        let mut known = KNOWN.write().unwrap_or_else(|e| e.into_inner());
        for spelling in spellings(secret) {
            if !known.contains(&spelling) {
                known.push(spelling);
            }
        }
        // Longest first: a secret that contains another is replaced whole.
        known.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }
}

/// Remembers the password of `url`'s userinfo, if any.
pub fn learn_url(url: &str) {
    if let Some((_, password)) = userinfo(url).and_then(|u| u.split_once(':')) {
        learn(password);
    }
}

/// `text` with every known secret and every URL userinfo password replaced.
pub fn redact(text: &str) -> Cow<'_, str> {
    let known = KNOWN.read().unwrap_or_else(|e| e.into_inner());
    let mut out = Cow::Borrowed(text);
    for secret in known.iter() {
        if out.contains(secret.as_str()) {
            out = Cow::Owned(out.replace(secret.as_str(), REDACTED));
        }
    }
    match redact_userinfo(&out) {
        Some(clean) => Cow::Owned(clean),
        None => out,
    }
}

/// `value` with [`redact`] applied to every string in it.
pub fn redact_json(value: &mut Value) {
    match value {
        Value::String(s) => {
            if let Cow::Owned(clean) = redact(s) {
                *s = clean;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        Value::Object(map) => map.values_mut().for_each(redact_json),
        _ => {}
    }
}

/// `body` with the values of secret-looking fields replaced (objects are searched, not
/// replaced, so that `{"auth": {"password": ...}}` keeps its shape).
pub fn redact_body(body: &Value) -> Value {
    match body {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let lower = k.to_ascii_lowercase();
                    let secret = SECRET_FIELDS.iter().any(|s| lower.contains(s));
                    let v = if secret && !v.is_object() {
                        Value::String(REDACTED.into())
                    } else {
                        redact_body(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact_body).collect()),
        other => other.clone(),
    }
}

/// The ways `secret` may be spelled in conform's output: as is, inside a JSON string (a
/// server echoing it in JSON), XML-escaped (JUnit) and percent-encoded (a URL).
fn spellings(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret).unwrap_or_default();
    let json = json.trim_matches('"').to_string();
    let xml = quick_xml::escape::escape(secret).into_owned();
    let xml_text = quick_xml::escape::partial_escape(secret).into_owned();
    let url = crate::escape::encode(secret);
    let mut out = vec![secret.to_string()];
    for s in [json, xml, xml_text, url] {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The userinfo (`user:password`) of the first URL in `text` that has one.
fn userinfo(text: &str) -> Option<&str> {
    let (start, end) = userinfo_span(text, 0)?;
    Some(&text[start..end])
}

/// Where the userinfo of the first URL at or after `from` is: after `://`, up to an `@`
/// that comes before the end of the authority.
fn userinfo_span(text: &str, from: usize) -> Option<(usize, usize)> {
    let mut at = from;
    loop {
        let start = at + text[at..].find("://")? + 3;
        let authority_end = text[start..]
            .find(|c: char| {
                matches!(c, '/' | '?' | '#' | '\'' | '"' | '<' | '>') || c.is_whitespace()
            })
            .map_or(text.len(), |n| start + n);
        if let Some(n) = text[start..authority_end].rfind('@') {
            return Some((start, start + n));
        }
        at = start;
    }
}

/// `text` with the password of every URL's userinfo replaced, or `None` if it has none.
fn redact_userinfo(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut copied = 0;
    let mut from = 0;
    while let Some((start, end)) = userinfo_span(text, from) {
        if let Some(colon) = text[start..end].find(':') {
            out.push_str(&text[copied..start + colon + 1]);
            out.push_str(REDACTED);
            copied = end;
        }
        from = end;
    }
    (copied > 0).then(|| {
        out.push_str(&text[copied..]);
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_names_are_recognised_by_rule_in_any_case() {
        for name in [
            "X-Auth-Token",
            "x-subject-token",
            "X-Service-Token",
            "Authorization",
            "Cookie",
            "Set-Cookie",
            "X-Api-Key",
            "X-Session-Id",
            "X-Amz-Signature",
            "X-Client-Secret",
            "X-Password",
            "X-Credential",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in ["Accept", "Content-Type", "OpenStack-API-Version", "X-OpenStack-Request-Id"] {
            assert!(!is_secret_name(name), "{name}");
        }
        assert!(is_received_secret("X-Subject-Token"));
        assert!(!is_received_secret("Access-Control-Allow-Credentials"));
        assert!(!is_received_secret("WWW-Authenticate"));
    }

    #[test]
    fn learnt_values_are_replaced_in_every_spelling() {
        learn("s3cr3t-\"q\"&<tok>");
        let raw = redact("body: s3cr3t-\"q\"&<tok> end");
        assert_eq!(raw, "body: <redacted> end");
        let json = redact(r#"{"echo":"s3cr3t-\"q\"&<tok>"}"#);
        assert_eq!(json, r#"{"echo":"<redacted>"}"#);
        let xml = redact("s3cr3t-&quot;q&quot;&amp;&lt;tok&gt;");
        assert_eq!(xml, "<redacted>");
        let url = redact("?t=s3cr3t-%22q%22%26%3Ctok%3E");
        assert_eq!(url, "?t=<redacted>");
    }

    #[test]
    fn cookies_are_learnt_whole_and_by_value_and_short_values_not_searched() {
        learn("sessid=c00kie-value; Path=/; HttpOnly");
        assert_eq!(redact("Cookie: sessid=c00kie-value"), "Cookie: sessid=<redacted>");
        learn("ab");
        assert_eq!(redact("about abc"), "about abc");
    }

    #[test]
    fn userinfo_passwords_are_replaced_in_any_url() {
        let text =
            "GET http://admin:pw@host:80/x failed; see 'https://u:p%40ss@h/' and mailto://a@b";
        assert_eq!(
            redact(text),
            "GET http://admin:<redacted>@host:80/x failed; see 'https://u:<redacted>@h/' and mailto://a@b"
        );
        learn_url("http://admin:longpassword@host/");
        assert_eq!(redact("the longpassword"), "the <redacted>");
        assert_eq!(redact("http://host/x?y=z"), "http://host/x?y=z");
    }

    #[test]
    fn json_strings_are_redacted_in_place_and_body_fields_by_name() {
        learn("j50n-secret-value");
        let mut report = serde_json::json!({"a": ["x j50n-secret-value"], "b": {"c": 1}});
        redact_json(&mut report);
        assert_eq!(report, serde_json::json!({"a": ["x <redacted>"], "b": {"c": 1}}));
        let body = serde_json::json!({"auth": {"password": "p", "name": "n"}, "key_name": "k"});
        let redacted = redact_body(&body);
        assert_eq!(redacted["auth"]["password"], REDACTED);
        assert_eq!(redacted["auth"]["name"], "n");
        assert_eq!(redacted["key_name"], "k");
    }
}
