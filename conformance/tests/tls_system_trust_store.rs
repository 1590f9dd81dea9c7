//! Without `cacert`, the system's trust store is trusted beside the Web PKI's roots, as
//! operators often install a private cloud's CA there (rustls-native-certs, which reads
//! `SSL_CERT_FILE`); a `cacert` replaces both. A binary of its own: it sets
//! `SSL_CERT_FILE` for the whole process.

mod support;

use stackspec_conformance::report::terminal;
use stackspec_conformance::tls::TlsFiles;
use support::start_tls;
use support::tls::{examples_with, scratch, trusting, Pki};

#[tokio::test]
async fn the_system_trust_store_is_trusted_unless_a_cacert_replaces_it() {
    let pki = Pki::new("CA in the system store");
    let service = start_tls(pki.server_config(None)).await;
    let dir = scratch("system");
    let other = Pki::new("another CA").write_ca(&dir, "other.pem");
    let untrusted = examples_with(&service.url, TlsFiles::default()).await;
    assert_eq!(untrusted.exit_code(), 1, "not in the store yet: {}", terminal::render(&untrusted));

    std::env::set_var("SSL_CERT_FILE", pki.write_ca(&dir, "system.pem"));
    let outcome = examples_with(&service.url, TlsFiles::default()).await;
    assert_eq!(outcome.exit_code(), 0, "{}", terminal::render(&outcome));
    let replaced = examples_with(&service.url, trusting(other)).await;
    assert_eq!(replaced.exit_code(), 1, "{}", terminal::render(&replaced));
    std::fs::remove_dir_all(dir).unwrap();
}
