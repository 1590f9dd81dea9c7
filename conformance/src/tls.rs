//! Trust for clouds whose certificates no public CA signed: a private CA bundle (`cacert`),
//! no verification at all (`verify: false`, `insecure: true`), and a client certificate
//! (`cert`, `key`), as clouds.yaml and the openstack CLI name them. Private clouds are
//! commonly served this way, and openstacksdk reads the same keys.
//!
//! The files are read once, when a run is set up, so that a missing or malformed one is an
//! error naming it before any request is sent; the parsed [`Tls`] then makes every client
//! of the run (Keystone's and the service's).

use std::path::{Path, PathBuf};

use crate::escape::shell_quote;

/// Where a client's TLS settings come from: paths and switches, not yet read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsFiles {
    /// A PEM bundle of the CAs to trust; when given, the only ones trusted (as requests'
    /// `verify=<path>`, which openstacksdk passes it to).
    pub cacert: Option<PathBuf>,
    /// Accept any server certificate.
    pub insecure: bool,
    /// A PEM client certificate; its key in `key`, or in the same file.
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

impl TlsFiles {
    /// The same, with `~` at the start of a path meaning `$HOME`, as openstacksdk and the
    /// openstack CLI expand them.
    pub fn expanded(&self) -> TlsFiles {
        let expand = |p: &Option<PathBuf>| p.as_deref().map(expand_home);
        TlsFiles {
            cacert: expand(&self.cacert),
            insecure: self.insecure,
            cert: expand(&self.cert),
            key: expand(&self.key),
        }
    }

    /// These settings where given, `fallback`'s elsewhere: command-line flags over a
    /// cloud's clouds.yaml entry.
    pub fn or(self, fallback: TlsFiles) -> TlsFiles {
        TlsFiles {
            cacert: self.cacert.or(fallback.cacert),
            insecure: self.insecure || fallback.insecure,
            cert: self.cert.or(fallback.cert),
            key: self.key.or(fallback.key),
        }
    }
}

/// Why TLS settings could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{}: cannot read {what}", path.display())]
    Unreadable {
        path: PathBuf,
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: CA certificates expected in PEM", path.display())]
    Malformed {
        path: PathBuf,
        #[source]
        source: reqwest::Error,
    },
    #[error("{}: CA certificates expected in PEM: no CERTIFICATE block in it", .0.display())]
    NoCertificate(PathBuf),
    #[error("{files}: a client certificate and its private key expected in PEM")]
    Identity {
        files: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("{0}: a client certificate and its private key expected in PEM: the private key is encrypted; give it decrypted")]
    EncryptedKey(String),
    #[error("`key` ({}) given without `cert`", .0.display())]
    KeyWithoutCert(PathBuf),
}

/// TLS settings read and parsed, ready to make any number of clients.
#[derive(Clone, Default)]
pub struct Tls {
    files: TlsFiles,
    /// `None`: the built-in roots (the Web PKI's and the system's).
    roots: Option<Vec<reqwest::Certificate>>,
    identity: Option<reqwest::Identity>,
}

impl std::fmt::Debug for Tls {
    // Never print the identity: it holds a private key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls").field("files", &self.files).finish_non_exhaustive()
    }
}

impl Tls {
    /// Reads and parses the files `files` names.
    pub fn load(files: &TlsFiles) -> Result<Self, TlsError> {
        let files = &files.expanded();
        let roots = files.cacert.as_deref().map(read_bundle).transpose()?;
        let identity = match (&files.cert, &files.key) {
            (Some(cert), key) => Some(read_identity(cert, key.as_deref())?),
            (None, Some(key)) => return Err(TlsError::KeyWithoutCert(key.clone())),
            (None, None) => None,
        };
        Ok(Self { files: files.clone(), roots, identity })
    }

    /// The same settings as `curl` options (`--cacert`, `--cert`, `--key`, `--insecure`),
    /// each with a leading space, for reproducers that reach the same server.
    pub fn curl_options(&self) -> String {
        let files = &self.files;
        let paths = [("--cacert", &files.cacert), ("--cert", &files.cert), ("--key", &files.key)];
        let mut out = String::new();
        for (flag, path) in paths {
            if let Some(path) = path {
                let mut path = path.display().to_string();
                if flag == "--cert" {
                    // curl reads `--cert FILE:PASSWORD`; a colon of the name is escaped.
                    path = path.replace(':', r"\:");
                }
                out.push_str(&format!(" {flag} {}", shell_quote(&path)));
            }
        }
        if files.insecure {
            out.push_str(" --insecure");
        }
        out
    }

    /// A reqwest client builder that trusts and presents what these settings say.
    pub fn client_builder(&self) -> reqwest::ClientBuilder {
        let mut builder = reqwest::Client::builder();
        if let Some(roots) = &self.roots {
            builder = trusting_only(builder, roots);
        }
        if let Some(identity) = &self.identity {
            builder = builder.identity(identity.clone());
        }
        builder.danger_accept_invalid_certs(self.files.insecure)
    }
}

/// `~` and `~/x` under `$HOME`; other paths as they are.
fn expand_home(path: &Path) -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match (path.strip_prefix("~"), home) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}

fn read(path: &Path, what: &'static str) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Unreadable {
        path: path.to_path_buf(),
        what,
        source,
    })
}

/// The certificates of a PEM bundle; one without any is an error, not "trust nothing".
fn read_bundle(path: &Path) -> Result<Vec<reqwest::Certificate>, TlsError> {
    let malformed = |source| TlsError::Malformed { path: path.into(), source };
    let roots = reqwest::Certificate::from_pem_bundle(&read(path, "CA certificates")?)
        .map_err(malformed)?;
    if roots.is_empty() {
        return Err(TlsError::NoCertificate(path.into()));
    }
    trusting_only(reqwest::Client::builder(), &roots).build().map_err(malformed)?;
    Ok(roots)
}

/// A client certificate and its private key, from one file or two.
fn read_identity(cert: &Path, key: Option<&Path>) -> Result<reqwest::Identity, TlsError> {
    let files = match key {
        Some(key) => format!("{} and {}", cert.display(), key.display()),
        None => cert.display().to_string(),
    };
    let malformed = |source| TlsError::Identity { files: files.clone(), source };
    let mut pem = read(cert, "a client certificate")?;
    if let Some(key) = key {
        pem.push(b'\n');
        pem.extend(read(key, "a client certificate's private key")?);
    }
    // reqwest would call an encrypted key "no valid certificate".
    if pem.windows(9).any(|w| w == b"ENCRYPTED") {
        return Err(TlsError::EncryptedKey(files));
    }
    let identity = reqwest::Identity::from_pem(&pem).map_err(malformed)?;
    bare().identity(identity.clone()).build().map_err(malformed)?;
    Ok(identity)
}

/// `builder` trusting `roots` and nothing else.
fn trusting_only(
    builder: reqwest::ClientBuilder,
    roots: &[reqwest::Certificate],
) -> reqwest::ClientBuilder {
    let builder = builder.tls_built_in_root_certs(false);
    roots.iter().cloned().fold(builder, |b, root| b.add_root_certificate(root))
}

/// A builder without the built-in roots: reqwest parses certificates and keys only when a
/// client is built, so one is built from each file as it is read, to name the file at fault.
fn bare() -> reqwest::ClientBuilder {
    reqwest::Client::builder().tls_built_in_root_certs(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::error_chain;

    /// A CA certificate in PEM, and its key.
    fn ca() -> (String, String) {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let key = rcgen::KeyPair::generate().unwrap();
        (params.self_signed(&key).unwrap().pem(), key.serialize_pem())
    }

    fn scratch(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("stackspec-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_missing_ca_bundle_is_an_error_naming_the_file() {
        let files = TlsFiles { cacert: Some("/nonexistent/ca.pem".into()), ..TlsFiles::default() };
        let err = error_chain(&Tls::load(&files).unwrap_err());
        assert!(err.starts_with("/nonexistent/ca.pem: cannot read CA certificates: "), "{err}");
    }

    #[test]
    fn a_ca_bundle_without_certificates_is_an_error_not_an_empty_trust_store() {
        let path = scratch("empty-ca.pem", "not a certificate\n");
        let files = TlsFiles { cacert: Some(path.clone()), ..TlsFiles::default() };
        let err = error_chain(&Tls::load(&files).unwrap_err());
        assert_eq!(
            err,
            format!(
                "{}: CA certificates expected in PEM: no CERTIFICATE block in it",
                path.display()
            )
        );
    }

    #[test]
    fn a_certificate_rustls_cannot_parse_is_an_error_naming_the_file() {
        let path = scratch(
            "garbled-ca.pem",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        );
        let files = TlsFiles { cacert: Some(path.clone()), ..TlsFiles::default() };
        let err = error_chain(&Tls::load(&files).unwrap_err());
        assert!(
            err.starts_with(&format!("{}: CA certificates expected in PEM: ", path.display())),
            "{err}"
        );
    }

    #[test]
    fn a_client_certificate_and_its_key_load_from_one_file_or_two() {
        let (cert, key) = ca();
        let (cert_path, key_path) = (scratch("client.crt", &cert), scratch("client.key", &key));
        let both = scratch("client.pem", &format!("{cert}{key}"));
        let two = TlsFiles { cert: Some(cert_path), key: Some(key_path), ..TlsFiles::default() };
        assert!(Tls::load(&two).is_ok());
        let one = TlsFiles { cert: Some(both), ..TlsFiles::default() };
        assert!(Tls::load(&one).is_ok());
    }

    #[test]
    fn a_client_certificate_without_a_usable_key_is_an_error_naming_its_files() {
        let (cert, key) = ca();
        let cert_only = scratch("cert-only.pem", &cert);
        let files = TlsFiles { cert: Some(cert_only.clone()), ..TlsFiles::default() };
        let err = error_chain(&Tls::load(&files).unwrap_err());
        let expected = format!(
            "{}: a client certificate and its private key expected in PEM: ",
            cert_only.display()
        );
        assert!(err.starts_with(&expected), "{err}");
        assert!(err.contains("private key or certificate not found"), "{err}");

        let encrypted = scratch(
            "encrypted.key",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAA==\n-----END ENCRYPTED PRIVATE KEY-----\n",
        );
        let files = TlsFiles {
            cert: Some(cert_only.clone()),
            key: Some(encrypted.clone()),
            ..TlsFiles::default()
        };
        let err = error_chain(&Tls::load(&files).unwrap_err());
        let both = format!("{} and {}", cert_only.display(), encrypted.display());
        assert!(err.starts_with(&format!("{both}: ")), "{err}");
        assert!(err.ends_with("the private key is encrypted; give it decrypted"), "{err}");

        let key_only = TlsFiles { key: Some(scratch("key-only.pem", &key)), ..TlsFiles::default() };
        let err = error_chain(&Tls::load(&key_only).unwrap_err());
        assert!(err.contains("given without `cert`"), "{err}");
    }

    #[test]
    fn curl_is_told_the_same_trust() {
        assert_eq!(Tls::default().curl_options(), "");
        let files = TlsFiles { insecure: true, ..TlsFiles::default() };
        assert_eq!(Tls::load(&files).unwrap().curl_options(), " --insecure");
        let bundle = scratch("it's-ca.pem", &ca().0);
        let files = TlsFiles { cacert: Some(bundle.clone()), ..TlsFiles::default() };
        let options = Tls::load(&files).unwrap().curl_options();
        let quoted = bundle.display().to_string().replace('\'', r"'\''");
        assert_eq!(options, format!(" --cacert '{quoted}'"));

        let (cert, key) = ca();
        let files = TlsFiles {
            cert: Some(scratch("client:1.crt", &cert)),
            key: Some(scratch("client:1.key", &key)),
            ..TlsFiles::default()
        };
        let options = Tls::load(&files).unwrap().curl_options();
        let dir = std::env::temp_dir().join(format!("stackspec-tls-{}", std::process::id()));
        let dir = dir.display().to_string().replace(':', r"\:");
        assert!(
            options.starts_with(&format!(" --cert '{dir}/client\\:1.crt' --key '")),
            "{options}"
        );
        assert!(options.ends_with("/client:1.key'"), "the key takes no password: {options}");
    }

    #[test]
    fn a_tilde_at_the_start_of_a_path_is_home() {
        let Some(home) = std::env::var_os("HOME").map(PathBuf::from) else { return };
        let files = TlsFiles {
            cacert: Some("~/ca.pem".into()),
            cert: Some("~".into()),
            key: Some("a/~/b".into()),
            insecure: true,
        };
        let expanded = files.expanded();
        assert_eq!(expanded.cacert, Some(home.join("ca.pem")));
        assert_eq!(expanded.cert, Some(home));
        assert_eq!(expanded.key, Some("a/~/b".into()));
        assert!(expanded.insecure);
    }

    #[test]
    fn flags_win_over_the_cloud_where_given() {
        let cloud = TlsFiles {
            cacert: Some("cloud-ca.pem".into()),
            cert: Some("cloud.crt".into()),
            ..TlsFiles::default()
        };
        let flags = TlsFiles { cacert: Some("flag-ca.pem".into()), ..TlsFiles::default() };
        let merged = flags.or(cloud);
        assert_eq!(merged.cacert, Some("flag-ca.pem".into()));
        assert_eq!(merged.cert, Some("cloud.crt".into()));
        assert!(!merged.insecure);
        let insecure = TlsFiles { insecure: true, ..TlsFiles::default() };
        assert!(TlsFiles::default().or(insecure).insecure);
    }
}
