//! Turning a request back into a `curl` command with every secret redacted, so that a
//! failure can be reproduced by hand.

use crate::escape::shell_quote;
use std::sync::Arc;

use crate::http::{ClientConfig, Credentials, PerIdentity, Request, BOGUS_TOKEN};
use crate::secrets::{is_secret_name, redact_body, REDACTED};

impl Request {
    /// A `curl` command with `options` (TLS trust, say) that sends this request to `base`
    /// with `defaults`, secrets redacted.
    pub fn curl(&self, options: &str, base: &str, defaults: &[(String, String)]) -> String {
        let url = shell_quote(&self.url(base));
        let mut out = format!("curl -sS -i{options} -X {} {url}", self.method);
        for (name, value) in defaults.iter().chain(&self.headers) {
            let value = if is_secret_name(name) && value != BOGUS_TOKEN { REDACTED } else { value };
            out.push_str(&format!(" -H {}", shell_quote(&format!("{name}: {value}"))));
        }
        if let Some(body) = &self.body {
            let body = redact_body(body).to_string();
            out.push_str(" -H 'Content-Type: application/json' --data-raw ");
            out.push_str(&shell_quote(&body));
        }
        out
    }
}

/// The base URL and the headers every request of one identity carries: what turns a
/// request into a `curl` command. Shared by every record of that identity, so that the
/// command is rendered only when a report shows it.
#[derive(Debug)]
pub struct Reproducer {
    /// curl's options for the run's TLS settings, each with a leading space.
    options: String,
    base: String,
    /// A Keystone token appears with an empty value (sent as the current token, and
    /// redacted in reproducers anyway).
    defaults: Vec<(String, String)>,
}

impl Reproducer {
    /// What reproduces the requests a client made from `config` sends with `credentials`:
    /// its base URL, that identity's headers and its TLS settings as curl options.
    pub fn new(config: &ClientConfig, credentials: Credentials) -> Self {
        Self {
            options: config.tls.curl_options(),
            base: config.base_url.clone(),
            defaults: config.defaults(credentials),
        }
    }

    pub fn curl(&self, request: &Request) -> String {
        request.curl(&self.options, &self.base, &self.defaults)
    }
}

/// A [`Reproducer`] per identity, each shared by every record of that identity.
#[derive(Debug)]
pub struct Reproducers(PerIdentity<Arc<Reproducer>>);

impl Reproducers {
    pub fn new(config: &ClientConfig) -> Self {
        Self(PerIdentity::new(|credentials| Arc::new(Reproducer::new(config, credentials))))
    }

    /// What reproduces a request sent with `credentials`.
    pub fn get(&self, credentials: Credentials) -> &Arc<Reproducer> {
        self.0.get(credentials)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn curl_redacts_token_headers_and_password_fields() {
        let mut r = Request::new("POST", "/v3/auth/tokens");
        r.query.push(("a b".into(), "c&d".into()));
        r.body = Some(json!({"auth": {"password": "hunter2", "name": "it's"}}));
        let defaults = [("X-Auth-Token".to_string(), "gAAAAsecret".to_string())];
        let curl = r.curl("", "http://h", &defaults);
        assert!(!curl.contains("gAAAAsecret") && !curl.contains("hunter2"), "{curl}");
        assert!(curl.contains("'X-Auth-Token: <redacted>'"), "{curl}");
        assert!(curl.contains("'http://h/v3/auth/tokens?a%20b=c%26d'"), "{curl}");
        assert!(curl.contains(r#""name":"it'\''s""#), "{curl}");
    }
}
