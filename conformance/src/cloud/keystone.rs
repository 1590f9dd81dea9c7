//! Keystone v3: password, application-credential and token authentication, the endpoint of
//! a service type from the catalog (filtered by region and interface), and a token that is
//! renewed when the cloud says it has expired.

use std::time::Duration;

use futures::future::BoxFuture;
use serde_json::{json, Value};
use tokio::sync::RwLock;

use super::config::CloudConfig;
use crate::secrets;
use crate::tls::Tls;
use crate::token::{RenewalError, TokenSource};

/// Why authentication failed.
#[derive(Debug, thiserror::Error)]
pub enum KeystoneError {
    #[error("{path}: `auth.{key}` is required for auth_type `{auth_type}`")]
    Missing { path: String, key: &'static str, auth_type: String },
    #[error("{path}: auth_type `{0}` is not supported (password, v3applicationcredential, token; none, noauth, admin_token and http_basic with an endpoint override)", path = .1)]
    Unsupported(String, String),
    #[error("{path}: `{key}` is `{value}`; only {supported} is supported")]
    Setting { path: String, key: &'static str, value: String, supported: &'static str },
    #[error("POST {url}")]
    Unreachable {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("POST {url}: status {status}, no X-Subject-Token")]
    Refused { url: String, status: reqwest::StatusCode },
    #[error("{path}: cannot make an HTTP client for Keystone")]
    Client {
        path: String,
        #[source]
        source: reqwest::Error,
    },
    #[error(
        "no `{service_type}` endpoint (interface {interface}, region {region}) in the catalog"
    )]
    NoEndpoint { service_type: String, interface: String, region: String },
}

/// How to get a token; holds secrets, so its `Debug` shows none.
pub struct Keystone {
    tokens_url: String,
    request: Value,
    region: Option<String>,
    interface: String,
    http: reqwest::Client,
    token: RwLock<String>,
    /// Held while a token is being renewed, so that requests refused at once wait for one
    /// renewal instead of each asking Keystone.
    renewing: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for Keystone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keystone").field("tokens_url", &self.tokens_url).finish_non_exhaustive()
    }
}

/// A token and the endpoint it is for.
#[derive(Debug, Clone)]
pub struct Session {
    pub endpoint: String,
}

impl Keystone {
    /// Reads the auth settings of a cloud; Keystone is reached with `tls`'s trust, each
    /// request bounded by `timeout` (a Keystone that never answers fails the renewal).
    pub fn from_config(
        cloud: &CloudConfig,
        tls: &Tls,
        timeout: Duration,
    ) -> Result<Self, KeystoneError> {
        let path = cloud.path.display().to_string();
        let auth_type = cloud.get("auth_type").unwrap_or("password").to_string();
        let need = |key: &'static str| {
            cloud.get(&format!("auth/{key}")).ok_or_else(|| KeystoneError::Missing {
                path: path.clone(),
                key,
                auth_type: auth_type.clone(),
            })
        };
        let version = cloud.raw.get("identity_api_version").map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        if let Some(version) = version.filter(|v| !matches!(v.as_str(), "3" | "3.0")) {
            let path = path.clone();
            return Err(KeystoneError::Setting {
                path,
                key: "identity_api_version",
                value: version,
                supported: "3",
            });
        }
        let interface = cloud.get("interface").unwrap_or("public");
        // openstacksdk also accepts keystone v2's spelling (`publicURL`).
        let interface = interface.strip_suffix("URL").unwrap_or(interface).to_string();
        if !matches!(interface.as_str(), "public" | "internal" | "admin") {
            return Err(KeystoneError::Setting {
                path,
                key: "interface",
                value: interface,
                supported: "public, internal or admin",
            });
        }
        let auth_url = need("auth_url")?.trim_end_matches('/');
        let identity = match auth_type.as_str() {
            "password" | "v3password" => json!({"methods": ["password"], "password": {"user": {
                "name": need("username")?,
                "password": need("password")?,
                "domain": domain(cloud, "user"),
            }}}),
            "v3applicationcredential" | "application_credential" => json!({
                "methods": ["application_credential"],
                "application_credential": {
                    "id": need("application_credential_id")?,
                    "secret": need("application_credential_secret")?,
                }
            }),
            "token" | "v3token" => json!({"methods": ["token"], "token": {"id": need("token")?}}),
            other => return Err(KeystoneError::Unsupported(other.to_string(), path)),
        };
        for key in ["password", "application_credential_secret", "token"] {
            if let Some(secret) = cloud.get(&format!("auth/{key}")) {
                secrets::learn(secret);
            }
        }
        let mut auth = json!({ "identity": identity });
        if let Some(scope) = project_scope(cloud) {
            auth["scope"] = scope;
        }
        let base = auth_url.strip_suffix("/v3").unwrap_or(auth_url);
        let http = tls
            .client_builder()
            .timeout(timeout)
            .build()
            .map_err(|source| KeystoneError::Client { path, source })?;
        Ok(Self {
            tokens_url: format!("{base}/v3/auth/tokens"),
            request: json!({ "auth": auth }),
            region: cloud.get("region_name").map(str::to_string),
            interface,
            http,
            token: RwLock::new(String::new()),
            renewing: tokio::sync::Mutex::new(()),
        })
    }

    /// Authenticates and finds the endpoint of `service_type`.
    pub async fn authenticate(&self, service_type: &str) -> Result<Session, KeystoneError> {
        let catalog = self.renew().await?;
        let endpoint = endpoint(&catalog, service_type, &self.interface, self.region.as_deref())
            .ok_or_else(|| KeystoneError::NoEndpoint {
                service_type: service_type.to_string(),
                interface: self.interface.clone(),
                region: self.region.clone().unwrap_or_else(|| "any".into()),
            })?;
        Ok(Session { endpoint })
    }

    /// Gets a new token (after a 401, or at the start); returns the catalog.
    pub async fn renew(&self) -> Result<Value, KeystoneError> {
        let url = || self.tokens_url.clone();
        let response = self
            .http
            .post(&self.tokens_url)
            .json(&self.request)
            .send()
            .await
            .map_err(|source| KeystoneError::Unreachable { url: url(), source })?;
        let status = response.status();
        let token = response
            .headers()
            .get("x-subject-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body: Value = response.json().await.unwrap_or(Value::Null);
        let Some(token) = token.filter(|_| status.is_success()) else {
            return Err(KeystoneError::Refused { url: url(), status });
        };
        secrets::learn(&token);
        *self.token.write().await = token;
        Ok(body["token"]["catalog"].clone())
    }
}

impl TokenSource for Keystone {
    fn token(&self) -> BoxFuture<'_, String> {
        Box::pin(async move { self.token.read().await.clone() })
    }

    /// One renewal at a time: requests refused at once wait for it instead of each asking
    /// Keystone.
    fn renew_after<'a>(&'a self, refused: &'a str) -> BoxFuture<'a, Result<(), RenewalError>> {
        Box::pin(async move {
            let _one_at_a_time = self.renewing.lock().await;
            if *self.token.read().await != refused {
                return Ok(());
            }
            self.renew().await?;
            Ok(())
        })
    }
}

fn domain(cloud: &CloudConfig, who: &str) -> Value {
    match (
        cloud.get(&format!("auth/{who}_domain_id")),
        cloud.get(&format!("auth/{who}_domain_name")),
    ) {
        (Some(id), _) => json!({ "id": id }),
        (None, Some(name)) => json!({ "name": name }),
        (None, None) => json!({ "id": "default" }),
    }
}

fn project_scope(cloud: &CloudConfig) -> Option<Value> {
    if let Some(id) = cloud.get("auth/project_id") {
        return Some(json!({"project": {"id": id}}));
    }
    let name = cloud.get("auth/project_name")?;
    Some(json!({"project": {"name": name, "domain": domain(cloud, "project")}}))
}

/// The URL of `service_type` at `interface` (and `region`, when given) in a v3 catalog.
pub fn endpoint(
    catalog: &Value,
    service_type: &str,
    interface: &str,
    region: Option<&str>,
) -> Option<String> {
    let service = catalog.as_array()?.iter().find(|s| s["type"].as_str() == Some(service_type))?;
    let endpoint = service["endpoints"].as_array()?.iter().find(|e| {
        let interface_ok = e["interface"].as_str() == Some(interface);
        let region_of = e["region_id"].as_str().or(e["region"].as_str());
        interface_ok && region.is_none_or(|r| region_of == Some(r))
    })?;
    Some(endpoint["url"].as_str()?.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cloud(yaml: &str) -> CloudConfig {
        CloudConfig { raw: serde_norway::from_str(yaml).unwrap(), path: "clouds.yaml".into() }
    }

    #[test]
    fn application_credentials_and_tokens_make_their_identity_and_keep_the_v3_url() {
        let app = cloud("auth_type: v3applicationcredential\nauth: {auth_url: 'http://k:5000/v3/', application_credential_id: a1, application_credential_secret: s1}\n");
        let k = Keystone::from_config(&app, &Tls::default(), Duration::from_secs(30)).unwrap();
        assert_eq!(k.tokens_url, "http://k:5000/v3/auth/tokens");
        assert_eq!(
            k.request["auth"]["identity"],
            json!({"methods": ["application_credential"], "application_credential": {"id": "a1", "secret": "s1"}})
        );
        assert!(k.request["auth"].get("scope").is_none());
        assert!(!format!("{k:?}").contains("s1"));
        let token = cloud(
            "auth_type: token\nauth: {auth_url: 'http://k:5000', token: t1, project_id: p1}\n",
        );
        let k = Keystone::from_config(&token, &Tls::default(), Duration::from_secs(30)).unwrap();
        assert_eq!(k.tokens_url, "http://k:5000/v3/auth/tokens");
        assert_eq!(k.request["auth"]["identity"]["token"]["id"], "t1");
        assert_eq!(k.request["auth"]["scope"], json!({"project": {"id": "p1"}}));
    }

    #[test]
    fn identity_v2_and_unknown_interfaces_are_errors_naming_file_and_key() {
        let v2 = cloud("identity_api_version: 2\nauth: {auth_url: 'http://k', username: u, password: hunter2}\n");
        let err = Keystone::from_config(&v2, &Tls::default(), Duration::from_secs(30))
            .unwrap_err()
            .to_string();
        assert_eq!(err, "clouds.yaml: `identity_api_version` is `2`; only 3 is supported");
        let odd = cloud(
            "interface: sideways\nauth: {auth_url: 'http://k', username: u, password: hunter2}\n",
        );
        let err = Keystone::from_config(&odd, &Tls::default(), Duration::from_secs(30))
            .unwrap_err()
            .to_string();
        assert!(err.contains("`interface` is `sideways`") && !err.contains("hunter2"), "{err}");
        let old = cloud("interface: internalURL\nidentity_api_version: '3'\nauth: {auth_url: 'http://k', username: u, password: p}\n");
        assert_eq!(
            Keystone::from_config(&old, &Tls::default(), Duration::from_secs(30))
                .unwrap()
                .interface,
            "internal"
        );
    }

    #[test]
    fn missing_settings_and_unknown_auth_types_are_named() {
        let no_password = cloud("auth: {auth_url: 'http://k', username: u}\n");
        let err = Keystone::from_config(&no_password, &Tls::default(), Duration::from_secs(30))
            .unwrap_err()
            .to_string();
        assert!(err.contains("`auth.password` is required"), "{err}");
        let saml = cloud("auth_type: v3samlpassword\nauth: {auth_url: 'http://k'}\n");
        let err = Keystone::from_config(&saml, &Tls::default(), Duration::from_secs(30))
            .unwrap_err()
            .to_string();
        assert!(err.contains("`v3samlpassword` is not supported"), "{err}");
    }

    #[test]
    fn the_catalog_is_searched_by_type_interface_and_region() {
        let catalog = json!([
            {"type": "identity", "endpoints": [{"interface": "public", "region_id": "R1", "url": "http://k"}]},
            {"type": "image", "endpoints": [
                {"interface": "internal", "region_id": "R1", "url": "http://internal"},
                {"interface": "public", "region_id": "R2", "url": "http://r2/"},
                {"interface": "public", "region_id": "R1", "url": "http://r1"},
            ]},
        ]);
        assert_eq!(endpoint(&catalog, "image", "public", Some("R1")).as_deref(), Some("http://r1"));
        assert_eq!(endpoint(&catalog, "image", "public", None).as_deref(), Some("http://r2"));
        assert_eq!(endpoint(&catalog, "image", "admin", None), None);
        assert_eq!(endpoint(&catalog, "compute", "public", None), None);
    }
}
