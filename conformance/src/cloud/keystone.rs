//! Keystone v3: password, application-credential and token authentication, the endpoint of
//! a service type from the catalog (filtered by region and interface), and a token that is
//! renewed when the cloud says it has expired.

use serde_json::{json, Value};
use tokio::sync::RwLock;

use super::config::CloudConfig;

/// Why authentication failed.
#[derive(Debug, thiserror::Error)]
pub enum KeystoneError {
    #[error("{path}: `auth.{key}` is required for auth_type `{auth_type}`")]
    Missing { path: String, key: &'static str, auth_type: String },
    #[error("{path}: auth_type `{0}` is not supported (password, v3applicationcredential, token)", path = .1)]
    Unsupported(String, String),
    #[error("POST {url}: {message}")]
    Request { url: String, message: String },
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
    /// Reads the auth settings of a cloud.
    pub fn from_config(cloud: &CloudConfig) -> Result<Self, KeystoneError> {
        let path = cloud.path.display().to_string();
        let auth_type = cloud.get("auth_type").unwrap_or("password").to_string();
        let need = |key: &'static str| {
            cloud.get(&format!("auth/{key}")).ok_or_else(|| KeystoneError::Missing {
                path: path.clone(),
                key,
                auth_type: auth_type.clone(),
            })
        };
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
        let mut auth = json!({ "identity": identity });
        if let Some(scope) = project_scope(cloud) {
            auth["scope"] = scope;
        }
        let base = auth_url.strip_suffix("/v3").unwrap_or(auth_url);
        Ok(Self {
            tokens_url: format!("{base}/v3/auth/tokens"),
            request: json!({ "auth": auth }),
            region: cloud.get("region_name").map(str::to_string),
            interface: cloud.get("interface").unwrap_or("public").to_string(),
            http: reqwest::Client::new(),
            token: RwLock::new(String::new()),
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

    /// The current token.
    pub async fn token(&self) -> String {
        self.token.read().await.clone()
    }

    /// Gets a new token (after a 401, or at the start); returns the catalog.
    pub async fn renew(&self) -> Result<Value, KeystoneError> {
        let failed =
            |message: String| KeystoneError::Request { url: self.tokens_url.clone(), message };
        let response = self
            .http
            .post(&self.tokens_url)
            .json(&self.request)
            .send()
            .await
            .map_err(|e| failed(e.to_string()))?;
        let status = response.status();
        let token = response
            .headers()
            .get("x-subject-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body: Value = response.json().await.unwrap_or(Value::Null);
        let Some(token) = token.filter(|_| status.is_success()) else {
            return Err(failed(format!("status {status}, no X-Subject-Token")));
        };
        *self.token.write().await = token;
        Ok(body["token"]["catalog"].clone())
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
