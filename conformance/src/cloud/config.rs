//! `clouds.yaml` as openstacksdk reads it: the first file found among `OS_CLIENT_CONFIG_FILE`,
//! `./clouds.yaml`, `~/.config/openstack/clouds.yaml` and `/etc/openstack/clouds.yaml`,
//! with the same cloud in a `secure.yaml` beside it merged over it (that is where
//! passwords and secrets are kept).

use std::path::{Path, PathBuf};

use serde_json::Value;

/// Why a cloud's configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no clouds.yaml found (looked in: {})", .0.join(", "))]
    NotFound(Vec<String>),
    #[error("{}: {message}", path.display())]
    Unreadable { path: PathBuf, message: String },
    #[error("{}: no cloud `{name}` under `clouds`", path.display())]
    NoSuchCloud { path: PathBuf, name: String },
}

/// One cloud's settings, with `secure.yaml` merged in.
#[derive(Clone)]
pub struct CloudConfig {
    /// The `clouds.<name>` mapping.
    pub raw: Value,
    pub path: PathBuf,
}

impl std::fmt::Debug for CloudConfig {
    // Never print `raw`: it holds passwords.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CloudConfig").field("path", &self.path).finish()
    }
}

impl CloudConfig {
    /// Reads cloud `name` from the first `clouds.yaml` among `candidates`.
    pub fn load(name: &str, candidates: &[PathBuf]) -> Result<Self, ConfigError> {
        let path = candidates.iter().find(|p| p.is_file()).ok_or_else(|| {
            ConfigError::NotFound(candidates.iter().map(|p| p.display().to_string()).collect())
        })?;
        let mut raw =
            read(path)?.pointer(&format!("/clouds/{name}")).cloned().ok_or_else(|| {
                ConfigError::NoSuchCloud { path: path.clone(), name: name.to_string() }
            })?;
        let secure = path.with_file_name("secure.yaml");
        if secure.is_file() {
            if let Some(overlay) = read(&secure)?.pointer(&format!("/clouds/{name}")) {
                merge(&mut raw, overlay);
            }
        }
        Ok(Self { raw, path: path.clone() })
    }

    /// The standard places, in the order openstacksdk tries them.
    pub fn standard_paths() -> Vec<PathBuf> {
        let mut out = Vec::new();
        if let Some(file) = std::env::var_os("OS_CLIENT_CONFIG_FILE") {
            out.push(PathBuf::from(file));
        }
        out.push(PathBuf::from("clouds.yaml"));
        if let Some(home) = std::env::var_os("HOME") {
            out.push(Path::new(&home).join(".config/openstack/clouds.yaml"));
        }
        out.push(PathBuf::from("/etc/openstack/clouds.yaml"));
        out
    }

    /// A string setting (`region_name`, `auth.username`, ...), by `/`-separated path.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.raw.pointer(&format!("/{path}"))?.as_str()
    }
}

fn read(path: &Path) -> Result<Value, ConfigError> {
    let unreadable =
        |message: String| ConfigError::Unreadable { path: path.to_path_buf(), message };
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
    serde_norway::from_str(&text).map_err(|e| unreadable(e.to_string()))
}

/// Merges `overlay` into `base`, mappings key by key.
fn merge(base: &mut Value, overlay: &Value) {
    match (base, overlay) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                merge(b.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (b, o) => *b = o.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secure_yaml_is_merged_over_clouds_yaml_and_the_first_file_found_wins() {
        let dir = std::env::temp_dir().join(format!("stackspec-clouds-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let clouds = dir.join("clouds.yaml");
        std::fs::write(
            &clouds,
            "clouds:\n  lab:\n    region_name: R1\n    auth: {auth_url: 'http://k', username: u}\n",
        )
        .unwrap();
        std::fs::write(dir.join("secure.yaml"), "clouds:\n  lab:\n    auth: {password: p}\n")
            .unwrap();
        let missing = dir.join("nothing.yaml");
        let c = CloudConfig::load("lab", &[missing.clone(), clouds.clone()]).unwrap();
        assert_eq!(c.get("auth/username"), Some("u"));
        assert_eq!(c.get("auth/password"), Some("p"));
        assert_eq!(c.get("region_name"), Some("R1"));
        assert!(!format!("{c:?}").contains("password"));
        let err = CloudConfig::load("other", &[clouds]).unwrap_err();
        assert!(err.to_string().contains("no cloud `other`"), "{err}");
        let err = CloudConfig::load("lab", &[missing]).unwrap_err();
        assert!(matches!(err, ConfigError::NotFound(_)), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
