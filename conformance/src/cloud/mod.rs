//! Real clouds: `clouds.yaml` (and `secure.yaml`) from the standard places, Keystone v3
//! authentication, the service's endpoint from the catalog, and the microversion range the
//! service announces in its version document.

pub mod config;
pub mod discovery;
pub mod keystone;

pub use config::{CloudConfig, ConfigError};
pub use keystone::{Keystone, KeystoneError, Session};

use std::path::PathBuf;
use std::sync::Arc;

use stackspec_generator::version::Microversion;

use crate::http::{Client, HttpError, Request};
use crate::settings::Settings;

/// Why a cloud could not be reached.
#[derive(Debug, thiserror::Error)]
pub enum CloudError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Keystone(#[from] KeystoneError),
    #[error(transparent)]
    Http(#[from] HttpError),
}

/// A cloud ready to be tested.
#[derive(Debug)]
pub struct Connection {
    /// The catalog's endpoint for the spec's service type.
    pub endpoint: String,
    pub keystone: Arc<Keystone>,
    /// The highest microversion the service announces.
    pub server_max: Option<Microversion>,
}

/// Authenticates to cloud `name` (from the first of `candidates`), finds the endpoint of
/// `service_type` and reads its version document.
pub async fn connect(
    name: &str,
    service_type: &str,
    candidates: &[PathBuf],
) -> Result<Connection, CloudError> {
    let config = CloudConfig::load(name, candidates)?;
    let keystone = Arc::new(Keystone::from_config(&config)?);
    let session = keystone.authenticate(service_type).await?;
    let client = Client::new(&Settings::new(&session.endpoint).keystone(keystone.clone()))?;
    let document = client.send(&Request::new("GET", "/")).await?;
    Ok(Connection {
        endpoint: session.endpoint,
        keystone,
        server_max: discovery::max_version(&document),
    })
}

/// Authenticates as cloud `name` (from the first of `candidates`): the member-only user of
/// the auth phase's policy checks. Its catalog is not used; requests go to the run's
/// endpoint.
pub async fn login(name: &str, candidates: &[PathBuf]) -> Result<Arc<Keystone>, CloudError> {
    let config = CloudConfig::load(name, candidates)?;
    let keystone = Keystone::from_config(&config)?;
    keystone.renew().await?;
    Ok(Arc::new(keystone))
}
