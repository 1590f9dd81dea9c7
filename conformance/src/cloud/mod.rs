//! Real clouds: `clouds.yaml` (and `secure.yaml`) from the standard places, Keystone v3
//! authentication or a standalone service's fixed credentials, the service's endpoint from
//! the catalog or an override, and the microversion range the service announces in its
//! version document.

pub mod config;
pub mod discovery;
pub mod keystone;
pub mod standalone;

pub use config::{CloudConfig, ConfigError};
pub use keystone::{Keystone, KeystoneError, Session};
pub use standalone::StandaloneError;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use stackspec_model::version::Microversion;

use crate::http::{Client, ClientConfig, HttpError, Request, DEFAULT_TIMEOUT};
use crate::tls::{Tls, TlsError, TlsFiles};

/// Why a cloud could not be reached.
#[derive(Debug, thiserror::Error)]
pub enum CloudError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Keystone(#[from] KeystoneError),
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error(transparent)]
    Standalone(#[from] StandaloneError),
}

/// How a cloud's requests are authenticated.
#[derive(Debug, Clone)]
pub enum CloudAuth {
    /// A Keystone token, renewed after a 401.
    Keystone(Arc<Keystone>),
    /// Headers sent as they are, no identity service (`none`, `admin_token`, `http_basic`,
    /// `token` with an endpoint override): see [`standalone`].
    Headers(Vec<(String, String)>),
}

/// A cloud ready to be tested.
#[derive(Debug)]
pub struct Connection {
    /// The endpoint of the spec's service type: the override, else the catalog's.
    pub endpoint: String,
    pub auth: CloudAuth,
    /// The highest microversion the service announces.
    pub server_max: Option<Microversion>,
    /// The cloud's TLS settings (with any given over them), for the run's requests.
    pub tls: Tls,
}

/// Authenticates to cloud `name` (from the first of `candidates`), finds the endpoint of
/// `service_type` and reads its version document; TLS as the cloud says, each request
/// bounded by the default timeout.
pub async fn connect(
    name: &str,
    service_type: &str,
    candidates: &[PathBuf],
) -> Result<Connection, CloudError> {
    let config = CloudConfig::load(name, candidates)?;
    connect_to(&config, service_type, &TlsFiles::default(), DEFAULT_TIMEOUT).await
}

/// Authenticates to `config`'s cloud (with Keystone, or with the fixed credentials of a
/// standalone auth type), takes the endpoint of `service_type` from its override (see
/// [`CloudConfig::endpoint_override`]) or else the catalog, and reads its version document;
/// TLS as the cloud says, but for what `tls_flags` gives; each request (Keystone's too)
/// bounded by `timeout`, the run's per-request timeout.
pub async fn connect_to(
    config: &CloudConfig,
    service_type: &str,
    tls_flags: &TlsFiles,
    timeout: Duration,
) -> Result<Connection, CloudError> {
    let tls = tls(config, tls_flags)?;
    let (endpoint, auth) = match standalone::standalone(config, service_type)? {
        Some(found) => (found.endpoint, CloudAuth::Headers(found.headers)),
        None => {
            let keystone = Arc::new(Keystone::from_config(config, &tls, timeout)?);
            let endpoint = match config.endpoint_override(service_type) {
                Some(url) => {
                    keystone.renew().await?;
                    url.trim_end_matches('/').to_string()
                }
                None => keystone.authenticate(service_type).await?.endpoint,
            };
            (endpoint, CloudAuth::Keystone(keystone))
        }
    };
    let mut client = ClientConfig { tls: tls.clone(), timeout, ..ClientConfig::new(&endpoint) };
    match &auth {
        CloudAuth::Keystone(keystone) => client.token = Some(keystone.clone()),
        CloudAuth::Headers(headers) => client.headers = headers.clone(),
    }
    let document = Client::new(&client)?.send(&Request::new("GET", "/")).await?;
    Ok(Connection { endpoint, auth, server_max: discovery::max_version(&document), tls })
}

/// Authenticates as cloud `name` (from the first of `candidates`): the member-only user of
/// the auth phase's policy checks. Its catalog is not used; requests go to the run's
/// endpoint. TLS as that cloud says, but for what `tls_flags` gives; each request to
/// Keystone bounded by `timeout`.
pub async fn login(
    name: &str,
    candidates: &[PathBuf],
    tls_flags: &TlsFiles,
    timeout: Duration,
) -> Result<Arc<Keystone>, CloudError> {
    let config = CloudConfig::load(name, candidates)?;
    let tls = tls(&config, tls_flags)?;
    let keystone = Keystone::from_config(&config, &tls, timeout)?;
    keystone.renew().await?;
    Ok(Arc::new(keystone))
}

/// `config`'s TLS settings with `flags` over them, read.
fn tls(config: &CloudConfig, flags: &TlsFiles) -> Result<Tls, CloudError> {
    Ok(Tls::load(&flags.clone().or(config.tls_files()?))?)
}
