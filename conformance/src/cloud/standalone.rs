//! Clouds without an identity service, as keystoneauth's plugins read them: `none` (and
//! `noauth`) send no credentials, `admin_token` (and its old name `token_endpoint`) sends
//! `auth.token` as `X-Auth-Token`, `http_basic` sends `auth.username` and `auth.password`
//! as `Authorization: Basic`, and `token` does as `admin_token` once the endpoint is given
//! (there is then no catalog to ask Keystone for, and the token is used as it is). Each
//! needs the service's endpoint: the standalone Ironic or Inspector, or a mock.

use base64::Engine;

use super::config::CloudConfig;
use crate::http::AUTH_HEADER;
use crate::secrets;

/// Why a standalone cloud's settings are incomplete.
#[derive(Debug, thiserror::Error)]
pub enum StandaloneError {
    #[error("{path}: `auth.{key}` is required for auth_type `{auth_type}`")]
    Missing { path: String, key: &'static str, auth_type: String },
    #[error(
        "{path}: auth_type `{auth_type}` has no identity service to find the endpoint in; \
         give `{service}_endpoint_override`, `endpoint_override` or `auth.endpoint` \
         (or --os-endpoint)"
    )]
    NoEndpoint { path: String, auth_type: String, service: String },
}

/// A cloud reached without Keystone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standalone {
    /// The service's endpoint, without a trailing slash.
    pub endpoint: String,
    /// Sent with every request (none for `none`).
    pub headers: Vec<(String, String)>,
}

/// The service endpoint and the headers every request of `config`'s cloud carries, when
/// its `auth_type` needs no Keystone; `None` when it does.
pub fn standalone(
    config: &CloudConfig,
    service_type: &str,
) -> Result<Option<Standalone>, StandaloneError> {
    let auth_type = config.get("auth_type").unwrap_or("password");
    let endpoint = config.endpoint_override(service_type);
    let headers = match auth_type {
        "none" | "noauth" => Vec::new(),
        "admin_token" | "token_endpoint" => vec![token_header(config, auth_type)?],
        "token" | "v3token" if endpoint.is_some() => vec![token_header(config, auth_type)?],
        "http_basic" => {
            let user = need(config, auth_type, "username")?;
            let password = need(config, auth_type, "password")?;
            secrets::learn(password);
            let encoded =
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
            vec![("Authorization".to_string(), format!("Basic {encoded}"))]
        }
        _ => return Ok(None),
    };
    let Some(endpoint) = endpoint else {
        return Err(StandaloneError::NoEndpoint {
            path: config.path.display().to_string(),
            auth_type: auth_type.to_string(),
            service: service_type.replace('-', "_"),
        });
    };
    Ok(Some(Standalone { endpoint: endpoint.trim_end_matches('/').to_string(), headers }))
}

/// `X-Auth-Token: <auth.token>`, the token learnt as a secret.
fn token_header(
    config: &CloudConfig,
    auth_type: &str,
) -> Result<(String, String), StandaloneError> {
    let token = need(config, auth_type, "token")?;
    secrets::learn(token);
    Ok((AUTH_HEADER.to_string(), token.to_string()))
}

fn need<'a>(
    config: &'a CloudConfig,
    auth_type: &str,
    key: &'static str,
) -> Result<&'a str, StandaloneError> {
    config.get(&format!("auth/{key}")).ok_or_else(|| StandaloneError::Missing {
        path: config.path.display().to_string(),
        key,
        auth_type: auth_type.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cloud(yaml: &str) -> CloudConfig {
        CloudConfig { raw: serde_norway::from_str(yaml).unwrap(), path: "clouds.yaml".into() }
    }

    fn headers(yaml: &str) -> Option<(String, Vec<(String, String)>)> {
        let found = standalone(&cloud(yaml), "baremetal-introspection").unwrap();
        found.map(|s| (s.endpoint, s.headers))
    }

    #[test]
    fn each_standalone_auth_type_gives_its_headers_and_the_overridden_endpoint() {
        let none =
            headers("auth_type: none\nbaremetal_introspection_endpoint_override: http://i:5050/\n");
        assert_eq!(none, Some(("http://i:5050".into(), vec![])));
        let noauth = headers("auth_type: noauth\nauth: {endpoint: 'http://i'}\n");
        assert_eq!(noauth, Some(("http://i".into(), vec![])));
        let admin = headers("auth_type: admin_token\nauth: {endpoint: 'http://i', token: t0k}\n");
        assert_eq!(admin.unwrap().1, [("X-Auth-Token".to_string(), "t0k".to_string())]);
        let basic = headers("auth_type: http_basic\nendpoint_override: http://i\nauth: {username: u, password: p}\n");
        assert_eq!(basic.unwrap().1, [("Authorization".to_string(), "Basic dTpw".to_string())]);
        let token = headers("auth_type: token\nendpoint_override: http://i\nauth: {auth_url: 'http://k', token: t1}\n");
        assert_eq!(token.unwrap().1, [("X-Auth-Token".to_string(), "t1".to_string())]);
    }

    #[test]
    fn keystone_auth_types_are_left_to_keystone() {
        assert_eq!(headers("auth: {auth_url: 'http://k', username: u, password: p}\n"), None);
        assert_eq!(headers("auth_type: token\nauth: {auth_url: 'http://k', token: t}\n"), None);
        let password =
            "auth_type: password\nendpoint_override: http://i\nauth: {auth_url: 'http://k'}\n";
        assert_eq!(headers(password), None, "a password still needs Keystone for its token");
    }

    #[test]
    fn a_standalone_cloud_without_an_endpoint_or_a_token_is_an_error_naming_the_key() {
        let err = standalone(&cloud("auth_type: none\n"), "baremetal-introspection").unwrap_err();
        let expected = "clouds.yaml: auth_type `none` has no identity service to find the endpoint in; give `baremetal_introspection_endpoint_override`, `endpoint_override` or `auth.endpoint` (or --os-endpoint)";
        assert_eq!(err.to_string(), expected);
        let err =
            standalone(&cloud("auth_type: admin_token\nauth: {endpoint: 'http://i'}\n"), "image")
                .unwrap_err();
        assert_eq!(
            err.to_string(),
            "clouds.yaml: `auth.token` is required for auth_type `admin_token`"
        );
    }
}
