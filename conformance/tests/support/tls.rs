//! TLS for the fixture servers: a private CA made for the test (rcgen), the server
//! certificate it signs for 127.0.0.1, client certificates, and axum served over TLS on
//! 127.0.0.1:0.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use stackspec_conformance::tls::{Tls, TlsFiles};
use stackspec_conformance::{run, Outcome, Phase};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// A private certificate authority.
pub struct Pki {
    pub ca_pem: String,
    issuer: Issuer<'static, KeyPair>,
}

/// A certificate it signed, with its key, in PEM.
pub struct Signed {
    pub cert_pem: String,
    pub key_pem: String,
}

impl Pki {
    /// A new CA called `name`.
    pub fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::DigitalSignature];
        let key = KeyPair::generate().unwrap();
        let ca_pem = params.self_signed(&key).unwrap().pem();
        Self { ca_pem, issuer: Issuer::new(params, key) }
    }

    /// A certificate for `names` (DNS names or IP addresses) with extended key `usage`.
    pub fn sign(&self, names: &[&str], usage: ExtendedKeyUsagePurpose) -> Signed {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = CertificateParams::new(names).unwrap();
        params.extended_key_usages = vec![usage];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Signed { cert_pem: cert.pem(), key_pem: key.serialize_pem() }
    }

    /// A server config presenting a certificate for 127.0.0.1 signed by this CA; with
    /// `clients`, it demands a client certificate signed by that CA.
    pub fn server_config(&self, clients: Option<&Pki>) -> rustls::ServerConfig {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .unwrap();
        let builder = match clients {
            None => builder.with_no_client_auth(),
            Some(ca) => {
                let mut roots = rustls::RootCertStore::empty();
                roots.add(CertificateDer::from_pem_slice(ca.ca_pem.as_bytes()).unwrap()).unwrap();
                let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                    roots.into(),
                    provider,
                )
                .build()
                .unwrap();
                builder.with_client_cert_verifier(verifier)
            }
        };
        let server = self.sign(&["127.0.0.1", "localhost"], ExtendedKeyUsagePurpose::ServerAuth);
        let chain = vec![CertificateDer::from_pem_slice(server.cert_pem.as_bytes()).unwrap()];
        let key = PrivateKeyDer::from_pem_slice(server.key_pem.as_bytes()).unwrap();
        builder.with_single_cert(chain, key).unwrap()
    }

    /// Writes the CA certificate to `dir/name`; returns the path.
    pub fn write_ca(&self, dir: &Path, name: &str) -> PathBuf {
        write(dir, name, &self.ca_pem)
    }
}

/// A directory for one test's files.
pub fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("stackspec-tls-{name}-{}", std::process::id()))
}

/// TLS settings that trust the CA in `cacert` only.
pub fn trusting(cacert: PathBuf) -> TlsFiles {
    TlsFiles { cacert: Some(cacert), ..TlsFiles::default() }
}

/// The examples phase against `url` with `files`' TLS settings.
pub async fn examples_with(url: &str, files: TlsFiles) -> Outcome {
    let tls = Tls::load(&files).unwrap();
    run(super::spec(), super::settings(url).phases([Phase::Examples]).tls(tls)).await.unwrap()
}

/// Writes `text` to `dir/name` (creating `dir`); returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Accepts TCP connections and completes the TLS handshake; a connection whose handshake
/// fails (a client that does not trust the server, or brings no certificate) is dropped.
struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((stream, addr)) = self.tcp.accept().await else { continue };
            let handshake = self.acceptor.accept(stream);
            if let Ok(Ok(tls)) = tokio::time::timeout(Duration::from_secs(5), handshake).await {
                return (tls, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

/// Serves `app` over TLS with `config` on 127.0.0.1:0; returns its `https://` URL.
pub async fn serve(app: Router, config: rustls::ServerConfig) -> String {
    let tcp = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", tcp.local_addr().unwrap());
    let listener = TlsListener { tcp, acceptor: TlsAcceptor::from(Arc::new(config)) };
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}
