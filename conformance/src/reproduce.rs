//! Turning a request back into a `curl` command that runs as printed: a credential appears
//! as a reference to the environment variable holding it (`-H "X-Auth-Token: $OS_TOKEN"`),
//! never by value, and secret body fields are redacted.

use crate::escape::{shell_quote, with_variable};
use std::sync::Arc;

use crate::http::{
    ClientConfig, Credentials, PerIdentity, Request, AUTH_HEADER, BOGUS_TOKEN, DEFAULT_ACCEPT,
};
use crate::rerun::credential_variable;
use crate::secrets::{is_secret_name, redact, redact_body};

/// The variable a reproducer of the member-only user's requests (`--as-member`) names for
/// that user's token; the run's own Keystone token is `$OS_TOKEN`, as the openstack CLI's.
pub const MEMBER_TOKEN_VARIABLE: &str = "OS_MEMBER_TOKEN";

/// A header as a reproducer shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shown {
    /// Not a secret: its value.
    Value(String),
    /// A credential: the text kept before the value (`Bearer `) and the variable named.
    Variable { prefix: String, variable: String },
}

impl Shown {
    /// How a header `name: value` sent with `credentials` is shown, `env` being the
    /// environment's variables (one of which may hold the value).
    fn of(name: &str, value: &str, credentials: Credentials, env: &[(String, String)]) -> Shown {
        if !is_secret_name(name) || value == BOGUS_TOKEN {
            return Shown::Value(value.to_string());
        }
        if credentials == Credentials::Member && name.eq_ignore_ascii_case(AUTH_HEADER) {
            let variable = MEMBER_TOKEN_VARIABLE.to_string();
            return Shown::Variable { prefix: String::new(), variable };
        }
        let (prefix, variable) = credential_variable(name, value, env.iter().cloned());
        Shown::Variable { prefix, variable }
    }

    /// The `-H` argument for header `name`.
    fn argument(&self, name: &str) -> String {
        match self {
            Shown::Value(value) => shell_quote(&format!("{name}: {value}")),
            Shown::Variable { prefix, variable } => {
                with_variable(&format!("{name}: {prefix}"), variable)
            }
        }
    }
}

/// The environment's variables that a shell could expand, for naming credentials.
fn environment() -> Vec<(String, String)> {
    std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect()
}

/// The base URL and the headers every request of one identity carries: what turns a
/// request into a `curl` command. Shared by every record of that identity, so that the
/// command is rendered only when a report shows it.
#[derive(Debug)]
pub struct Reproducer {
    /// curl's options for the run's TLS settings, each with a leading space.
    options: String,
    base: String,
    /// The identity's headers as shown; a Keystone token (sent as the current token) is a
    /// variable like any credential.
    defaults: Vec<(String, Shown)>,
    credentials: Credentials,
    /// The environment's variables when the run started, which name request headers'
    /// credentials too.
    env: Vec<(String, String)>,
}

impl Reproducer {
    /// What reproduces the requests a client made from `config` sends with `credentials`:
    /// its base URL, that identity's headers and its TLS settings as curl options.
    pub fn new(config: &ClientConfig, credentials: Credentials) -> Self {
        let env = environment();
        let defaults = config
            .defaults(credentials)
            .into_iter()
            .map(|(name, value)| {
                let shown = Shown::of(&name, &value, credentials, &env);
                (name, shown)
            })
            .collect();
        Self {
            options: config.tls.curl_options(),
            base: config.base_url.clone(),
            defaults,
            credentials,
            env,
        }
    }

    /// A `curl` command sending `request` as the run did, credentials by variable.
    pub fn curl(&self, request: &Request) -> String {
        let url = shell_quote(&request.url(&self.base));
        let mut out = format!("curl -sS -i{} -X {} {url}", self.options, request.method);
        let own = request
            .headers
            .iter()
            .map(|(name, value)| (name, Shown::of(name, value, self.credentials, &self.env)));
        let defaults = self.defaults.iter().map(|(name, shown)| (name, shown.clone()));
        let mut accept = false;
        for (name, shown) in defaults.chain(own) {
            accept |= name.eq_ignore_ascii_case("accept");
            out.push_str(" -H ");
            out.push_str(&shown.argument(name));
        }
        if !accept {
            out.push_str(&format!(" -H 'Accept: {DEFAULT_ACCEPT}'"));
        }
        if let Some(raw) = &request.raw_body {
            return raw_body(out, raw, request);
        }
        if let Some(body) = &request.body {
            let body = redact_body(body).to_string();
            let media = shell_quote(&format!("Content-Type: {}", request.json_media_type()));
            out.push_str(&format!(" -H {media} --data-raw "));
            out.push_str(&shell_quote(&body));
        }
        out
    }
}

/// `curl` sending `raw` as it is: under only the `Content-Type` the request names (curl's
/// own default removed), JSON with its secret fields redacted, and bytes that are not UTF-8
/// printed by `printf` (no quoting writes them; the phases' bodies hold no NUL byte and do
/// not end in a newline, which a command substitution would drop).
fn raw_body(mut curl: String, raw: &[u8], request: &Request) -> String {
    if !request.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("content-type")) {
        curl.push_str(" -H 'Content-Type:'");
    }
    let json = serde_json::from_slice(raw).ok().map(|v| redact_body(&v).to_string());
    match json.or_else(|| Some(redact(std::str::from_utf8(raw).ok()?).into_owned())) {
        Some(text) => format!("{curl} --data-binary {}", shell_quote(&text)),
        None => format!("{curl} --data-binary \"$(printf '{}')\"", printf_format(raw)),
    }
}

/// `bytes` as a `printf` format printing them, for single quotes: `%` doubled, and the
/// backslash, the quote and every byte outside printable ASCII as an octal escape.
fn printf_format(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            b'%' => "%%".to_string(),
            b'\\' | b'\'' => format!("\\{b:03o}"),
            0x20..=0x7e => char::from(b).to_string(),
            _ => format!("\\{b:03o}"),
        })
        .collect()
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
    fn curl_names_credentials_by_variable_and_redacts_password_fields() {
        let mut r = Request::new("POST", "/v3/auth/tokens");
        r.query.push(("a b".into(), "c&d".into()));
        r.body = Some(json!({"auth": {"password": "hunter2", "name": "it's"}}));
        let mut config = ClientConfig::new("http://h");
        config.headers.push(("X-Auth-Token".into(), "gAAAAsecret-not-in-env".into()));
        config.headers.push(("X-Trace".into(), "on".into()));
        let curl = Reproducer::new(&config, Credentials::Run).curl(&r);
        assert!(!curl.contains("gAAAAsecret") && !curl.contains("hunter2"), "{curl}");
        assert!(curl.contains(r#"-H "X-Auth-Token: $OS_TOKEN""#), "{curl}");
        assert!(curl.contains("-H 'X-Trace: on'"), "{curl}");
        assert!(curl.contains("'http://h/v3/auth/tokens?a%20b=c%26d'"), "{curl}");
        assert!(curl.contains(r#""name":"it'\''s""#), "{curl}");
        let bogus = Reproducer::new(&config, Credentials::Bogus).curl(&r);
        assert!(bogus.contains("'X-Auth-Token: stackspec-bogus-token'"), "{bogus}");
        let member = Reproducer::new(&config, Credentials::Member).curl(&r);
        assert!(member.contains(r#""X-Auth-Token: $OS_MEMBER_TOKEN""#), "{member}");
    }
}
