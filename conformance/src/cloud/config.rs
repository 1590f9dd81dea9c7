//! `clouds.yaml` as openstacksdk reads it: the first file found among `OS_CLIENT_CONFIG_FILE`,
//! then `clouds.yaml` (or `.yml`, `.json`) in `.`, `~/.config/openstack/` and
//! `/etc/openstack/`; the same cloud in a `secure.yaml` merged over it (that is where
//! passwords and secrets are kept), taken from `OS_CLIENT_SECURE_FILE`, else beside the
//! clouds file, else the same directories. Without a named cloud, the `OS_*` environment
//! variables (`OS_AUTH_URL`, `OS_USERNAME`, ...) make one, as openstacksdk's `envvars`.

use std::path::{Path, PathBuf};

use serde_json::Value;
use stackspec_model::yaml::YamlError;

use crate::tls::TlsFiles;

/// Why a cloud's configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no clouds.yaml found (looked in: {})", .0.join(", "))]
    NotFound(Vec<String>),
    #[error("{}: {message}", path.display())]
    Unreadable { path: PathBuf, message: String },
    #[error("{}: no cloud `{name}` under `clouds`", path.display())]
    NoSuchCloud { path: PathBuf, name: String },
    #[error("{}: `{key}` is {found}; expected {expected}", path.display())]
    Setting { path: PathBuf, key: &'static str, found: String, expected: &'static str },
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
        if let Some(secure) = secure_paths(path).into_iter().find(|p| p.is_file()) {
            if let Some(overlay) = read(&secure)?.pointer(&format!("/clouds/{name}")) {
                merge(&mut raw, overlay);
            }
        }
        Ok(Self { raw, path: path.clone() })
    }

    /// The standard places, in the order openstacksdk tries them.
    pub fn standard_paths() -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> =
            std::env::var_os("OS_CLIENT_CONFIG_FILE").map(PathBuf::from).into_iter().collect();
        out.extend(in_config_dirs("clouds"));
        out
    }

    /// A cloud made of the `OS_*` environment variables, when `OS_AUTH_URL` is set.
    pub fn from_env() -> Option<Self> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// A cloud made of `OS_*` variables as `var` reports them (`OS_AUTH_URL` required).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Option<Self> {
        var("OS_AUTH_URL")?;
        let mut auth = serde_json::Map::new();
        let mut raw = serde_json::Map::new();
        for key in AUTH_VARIABLES {
            if let Some(value) = var(&format!("OS_{}", key.to_ascii_uppercase())) {
                auth.insert(key.to_string(), Value::String(value));
            }
        }
        for key in CLOUD_VARIABLES {
            if let Some(value) = var(&format!("OS_{}", key.to_ascii_uppercase())) {
                raw.insert(key.to_string(), Value::String(value));
            }
        }
        if !raw.contains_key("auth_type") {
            let kind = match (
                auth.contains_key("application_credential_id"),
                auth.contains_key("token"),
            ) {
                (true, _) => "v3applicationcredential",
                (false, true) => "token",
                (false, false) => "password",
            };
            raw.insert("auth_type".into(), Value::String(kind.into()));
        }
        raw.insert("auth".into(), Value::Object(auth));
        Some(Self { raw: Value::Object(raw), path: PathBuf::from("environment (OS_*)") })
    }

    /// The endpoint that replaces the catalog's: `<service_type>_endpoint_override` (dashes
    /// as underscores), else `endpoint_override`, else `auth.endpoint` (where keystoneauth's
    /// `none`, `admin_token` and `http_basic` plugins take it).
    pub fn endpoint_override(&self, service_type: &str) -> Option<&str> {
        self.get(&Self::override_key(service_type))
            .or_else(|| self.get("endpoint_override"))
            .or_else(|| self.get("auth/endpoint"))
    }

    /// Sets the endpoint of `service_type` over any the file gives (`--os-endpoint`).
    pub fn override_endpoint(&mut self, service_type: &str, url: &str) {
        self.set(&Self::override_key(service_type), url);
    }

    fn override_key(service_type: &str) -> String {
        format!("{}_endpoint_override", service_type.replace('-', "_"))
    }

    /// Sets a top-level string setting over the file's (`--os-region-name` sets
    /// `region_name`, as the openstack CLI's options do).
    pub fn set(&mut self, key: &str, value: &str) {
        if let Value::Object(map) = &mut self.raw {
            map.insert(key.to_string(), Value::String(value.to_string()));
        }
    }

    /// The TLS settings as openstacksdk reads them: `cacert`, `cert` and `key` (paths);
    /// `verify` (a boolean, or as requests reads it the path of a CA bundle, which
    /// `cacert` overrides); `insecure`, which wins over both.
    pub fn tls_files(&self) -> Result<TlsFiles, ConfigError> {
        let path = |key| self.get(key).map(PathBuf::from);
        let (verify, bundle) = self.verify()?;
        Ok(TlsFiles {
            cacert: path("cacert").or(bundle),
            insecure: !verify || self.insecure()?,
            cert: path("cert"),
            key: path("key"),
        })
    }

    /// `verify`: YAML's `true`/`false`, the strings `"true"`/`"false"` in any case (as
    /// `OS_*` variables give them), or a CA bundle's path.
    fn verify(&self) -> Result<(bool, Option<PathBuf>), ConfigError> {
        match self.raw.get("verify") {
            None | Some(Value::Null) => Ok((true, None)),
            Some(Value::Bool(b)) => Ok((*b, None)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok((true, None)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok((false, None)),
            Some(Value::String(bundle)) => Ok((true, Some(PathBuf::from(bundle)))),
            Some(other) => Err(self.not_a("verify", other, "true, false or a CA bundle's path")),
        }
    }

    /// `insecure`, as openstacksdk's `get_boolean` reads it: only `true` (in any case) is
    /// true, so that a mistyped value leaves verification on.
    fn insecure(&self) -> Result<bool, ConfigError> {
        match self.raw.get("insecure") {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(Value::String(s)) => Ok(s.eq_ignore_ascii_case("true")),
            Some(other) => Err(self.not_a("insecure", other, "true or false")),
        }
    }

    fn not_a(&self, key: &'static str, found: &Value, expected: &'static str) -> ConfigError {
        ConfigError::Setting { path: self.path.clone(), key, found: found.to_string(), expected }
    }

    /// A string setting (`region_name`, `auth.username`, ...), by `/`-separated path.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.raw.pointer(&format!("/{path}"))?.as_str()
    }
}

/// The `auth` settings the environment can give, as `OS_<KEY>`.
const AUTH_VARIABLES: [&str; 14] = [
    "auth_url",
    "username",
    "user_id",
    "password",
    "project_name",
    "project_id",
    "user_domain_name",
    "user_domain_id",
    "project_domain_name",
    "project_domain_id",
    "application_credential_id",
    "application_credential_secret",
    "token",
    "domain_name",
];

/// The cloud settings the environment can give, as `OS_<KEY>`.
const CLOUD_VARIABLES: [&str; 8] = [
    "region_name",
    "interface",
    "identity_api_version",
    "auth_type",
    "cacert",
    "cert",
    "key",
    "insecure",
];

/// `<stem>.yaml`, `.yml` and `.json` in `.`, `~/.config/openstack` and `/etc/openstack`.
fn in_config_dirs(stem: &str) -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from(".")];
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".config/openstack"));
    }
    dirs.push(PathBuf::from("/etc/openstack"));
    dirs.iter()
        .flat_map(|d| ["yaml", "yml", "json"].map(|ext| d.join(format!("{stem}.{ext}"))))
        .collect()
}

/// Where secure.yaml may be for the clouds file at `clouds`, in order.
fn secure_paths(clouds: &Path) -> Vec<PathBuf> {
    if let Some(file) = std::env::var_os("OS_CLIENT_SECURE_FILE") {
        return vec![PathBuf::from(file)];
    }
    let mut out = vec![clouds.with_file_name("secure.yaml")];
    out.extend(in_config_dirs("secure"));
    out
}

fn read(path: &Path) -> Result<Value, ConfigError> {
    let unreadable =
        |message: String| ConfigError::Unreadable { path: path.to_path_buf(), message };
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
    stackspec_model::yaml::from_str(&text).map_err(|e| match e {
        YamlError::Limit(limit) => unreadable(format!("line {}: {limit}", limit.line())),
        YamlError::Syntax(e) => unreadable(e.to_string()),
    })
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

    #[test]
    fn the_environment_makes_a_cloud_when_os_auth_url_is_set() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
        };
        assert!(CloudConfig::from_vars(vars(&[("OS_USERNAME", "u")])).is_none());
        let c = CloudConfig::from_vars(vars(&[
            ("OS_AUTH_URL", "http://k/v3"),
            ("OS_USERNAME", "u"),
            ("OS_PASSWORD", "p"),
            ("OS_PROJECT_NAME", "demo"),
            ("OS_USER_DOMAIN_NAME", "Default"),
            ("OS_REGION_NAME", "R2"),
            ("OS_CACERT", "/etc/private-ca.pem"),
            ("OS_INTERFACE", "internal"),
        ]))
        .unwrap();
        assert_eq!(c.get("auth_type"), Some("password"));
        assert_eq!(c.get("auth/username"), Some("u"));
        assert_eq!(c.get("auth/user_domain_name"), Some("Default"));
        assert_eq!(c.get("region_name"), Some("R2"));
        assert_eq!(c.get("interface"), Some("internal"));
        assert_eq!(c.tls_files().unwrap().cacert, Some("/etc/private-ca.pem".into()));
        assert_eq!(format!("{c:?}"), r#"CloudConfig { path: "environment (OS_*)" }"#);
        let app = CloudConfig::from_vars(vars(&[
            ("OS_AUTH_URL", "http://k"),
            ("OS_APPLICATION_CREDENTIAL_ID", "a"),
            ("OS_APPLICATION_CREDENTIAL_SECRET", "s"),
        ]))
        .unwrap();
        assert_eq!(app.get("auth_type"), Some("v3applicationcredential"));
        let token = CloudConfig::from_vars(vars(&[("OS_AUTH_URL", "http://k"), ("OS_TOKEN", "t")]));
        assert_eq!(token.unwrap().get("auth_type"), Some("token"));
    }

    #[test]
    fn tls_settings_are_read_with_verify_and_insecure_as_openstacksdk_reads_them() {
        let cloud = |raw| CloudConfig { raw, path: "clouds.yaml".into() };
        let c =
            cloud(serde_json::json!({"cacert": "/etc/ca.pem", "cert": "c.pem", "key": "k.pem"}));
        let files = c.tls_files().unwrap();
        assert_eq!(files.cacert, Some(PathBuf::from("/etc/ca.pem")));
        assert_eq!((files.cert, files.key), (Some("c.pem".into()), Some("k.pem".into())));
        assert!(!files.insecure);
        let insecure = |raw: Value| cloud(raw).tls_files().unwrap().insecure;
        assert!(insecure(serde_json::json!({"verify": false})));
        assert!(insecure(serde_json::json!({"verify": "False"})));
        assert!(insecure(serde_json::json!({"insecure": true, "cacert": "ca.pem"})));
        assert!(insecure(serde_json::json!({"insecure": "TRUE", "verify": true})));
        // Only `true` is true for `insecure`: a mistyped value leaves verification on.
        assert!(!insecure(serde_json::json!({"insecure": "1"})));
        assert!(!insecure(serde_json::json!({"verify": "true"})));
        // A `verify` that is no boolean is a CA bundle, unless `cacert` names one.
        let bundle = cloud(serde_json::json!({"verify": "/etc/bundle.pem"})).tls_files().unwrap();
        assert_eq!((bundle.cacert, bundle.insecure), (Some("/etc/bundle.pem".into()), false));
        let both = cloud(serde_json::json!({"verify": "/etc/bundle.pem", "cacert": "ca.pem"}));
        assert_eq!(both.tls_files().unwrap().cacert, Some("ca.pem".into()));
        let err = cloud(serde_json::json!({"insecure": 2})).tls_files().unwrap_err();
        assert_eq!(err.to_string(), "clouds.yaml: `insecure` is 2; expected true or false");
        let err = cloud(serde_json::json!({"verify": [1]})).tls_files().unwrap_err();
        let expected = "clouds.yaml: `verify` is [1]; expected true, false or a CA bundle's path";
        assert_eq!(err.to_string(), expected);
    }

    #[test]
    fn endpoint_overrides_are_read_by_service_type() {
        let c = CloudConfig {
            raw: serde_json::json!({"baremetal_introspection_endpoint_override": "http://i"}),
            path: "clouds.yaml".into(),
        };
        assert_eq!(c.endpoint_override("baremetal-introspection"), Some("http://i"));
        assert_eq!(c.endpoint_override("compute"), None);
        let mut c = CloudConfig {
            raw: serde_json::json!({"endpoint_override": "http://any", "auth": {"endpoint": "http://a"}}),
            path: "clouds.yaml".into(),
        };
        assert_eq!(c.endpoint_override("compute"), Some("http://any"));
        c.raw.as_object_mut().unwrap().remove("endpoint_override");
        assert_eq!(c.endpoint_override("compute"), Some("http://a"));
        c.override_endpoint("compute", "http://flag");
        c.set("region_name", "R9");
        assert_eq!(c.endpoint_override("compute"), Some("http://flag"));
        assert_eq!(c.get("region_name"), Some("R9"));
    }
}
