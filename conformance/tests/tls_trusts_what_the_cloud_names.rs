//! TLS with a private CA, as private clouds are served: the service and Keystone are
//! trusted only when their CA is named (`cacert`, `--os-cacert`), or when verification is
//! turned off (`verify: false`, `--insecure`); a client certificate is presented when one
//! is named (`cert`, `key`). Each is proven both ways against servers on 127.0.0.1 whose
//! certificates a CA made for the test signed.

mod support;

use rcgen::ExtendedKeyUsagePurpose;
use stackspec_conformance::cloud::{connect, connect_to, login, CloudConfig};
use stackspec_conformance::errors::error_chain;
use stackspec_conformance::http::DEFAULT_TIMEOUT;
use stackspec_conformance::report::terminal;
use stackspec_conformance::tls::{Tls, TlsFiles};
use stackspec_conformance::{run, Phase};
use support::tls::{examples_with, scratch, trusting, write, Pki};
use support::{keystone, settings, spec, start_tls};

#[tokio::test]
async fn a_service_signed_by_a_private_ca_passes_once_that_ca_is_named_and_only_then() {
    let pki = Pki::new("stackspec test CA");
    let service = start_tls(pki.server_config(None)).await;
    let dir = scratch("service");
    let ca = pki.write_ca(&dir, "ca.pem");
    let other_ca = Pki::new("another CA").write_ca(&dir, "other.pem");

    let untrusted = examples_with(&service.url, TlsFiles::default()).await;
    let report = terminal::render(&untrusted);
    assert_eq!(untrusted.exit_code(), 1, "{report}");
    assert!(report.contains("UnknownIssuer"), "the handshake's reason is shown: {report}");

    let trusted = examples_with(&service.url, trusting(ca.clone())).await;
    assert_eq!(trusted.exit_code(), 0, "{}", terminal::render(&trusted));
    // The named bundle replaces the built-in roots; a bundle without the server's CA fails.
    let wrong = examples_with(&service.url, trusting(other_ca)).await;
    assert_eq!(wrong.exit_code(), 1, "{}", terminal::render(&wrong));
    let insecure = examples_with(&service.url, TlsFiles { insecure: true, ..TlsFiles::default() });
    assert_eq!(insecure.await.exit_code(), 0);

    // The full run (generated and invalid input too) passes over TLS as over plain HTTP,
    // and each reproducer tells curl whom to trust.
    let s = settings(&service.url).tls(Tls::load(&trusting(ca.clone())).unwrap());
    let outcome = run(spec(), s).await.unwrap();
    assert_eq!(outcome.exit_code(), 0, "{}", terminal::render(&outcome));
    let curl = outcome.records[0].curl();
    assert!(curl.contains(&format!(" --cacert '{}' ", ca.display())), "{curl}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn keystone_and_the_service_behind_a_private_ca_are_reached_once_its_ca_is_named() {
    let pki = Pki::new("stackspec cloud CA");
    let service = start_tls(pki.server_config(None)).await;
    let token = |_: &str, n: u32| format!("token-{n}");
    let (auth_url, _) = keystone::start_tls(&service.url, token, pki.server_config(None)).await;
    let dir = scratch("cloud");
    let ca = pki.write_ca(&dir, "ca.pem");
    let cloud = |extra: &str| {
        let entry = keystone::password_cloud("lab", &auth_url, "alice");
        let clouds = format!("clouds:\n{entry}{extra}");
        write(&dir, "clouds.yaml", &clouds);
        write(&dir, "secure.yaml", "clouds:\n  lab:\n    auth:\n      password: pw\n")
    };

    let clouds = [cloud("").with_file_name("clouds.yaml")];
    let err = error_chain(&connect("lab", "widget", &clouds).await.unwrap_err());
    assert!(err.starts_with(&format!("POST {auth_url}/v3/auth/tokens: ")), "{err}");
    assert!(err.contains("UnknownIssuer"), "the handshake's reason is shown: {err}");
    // The CA given as a flag, over a cloud that names none: Keystone, the catalog's
    // endpoint and the member's login all trust it.
    let config = CloudConfig::load("lab", &clouds).unwrap();
    let connection =
        connect_to(&config, "widget", &trusting(ca.clone()), DEFAULT_TIMEOUT).await.unwrap();
    assert_eq!(connection.endpoint, service.url);
    let err = login("lab", &clouds, &TlsFiles::default(), DEFAULT_TIMEOUT).await.unwrap_err();
    let err = error_chain(&err);
    assert!(err.contains("UnknownIssuer"), "{err}");
    assert!(login("lab", &clouds, &trusting(ca.clone()), DEFAULT_TIMEOUT).await.is_ok());

    cloud(&format!("    cacert: {}\n", ca.display()));
    let connection = connect("lab", "widget", &[dir.join("clouds.yaml")]).await.unwrap();
    assert_eq!(connection.endpoint, service.url);
    assert_eq!(connection.server_max, Some("1.2".parse().unwrap()), "discovery went over TLS");
    let s = settings(&connection.endpoint)
        .phases([Phase::Examples])
        .cloud_auth(connection.auth)
        .tls(connection.tls);
    let outcome = run(spec(), s).await.unwrap();
    assert_eq!(outcome.exit_code(), 0, "{}", terminal::render(&outcome));

    cloud("    verify: false\n");
    assert!(connect("lab", "widget", &[dir.join("clouds.yaml")]).await.is_ok());
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_client_certificate_is_presented_when_one_is_named() {
    let servers = Pki::new("server CA");
    let clients = Pki::new("client CA");
    let service = start_tls(servers.server_config(Some(&clients))).await;
    let dir = scratch("client");
    let ca = servers.write_ca(&dir, "ca.pem");
    let identity = clients.sign(&["conform"], ExtendedKeyUsagePurpose::ClientAuth);
    let cert = write(&dir, "client.crt", &identity.cert_pem);
    let key = write(&dir, "client.key", &identity.key_pem);
    let both = write(&dir, "client.pem", &(identity.cert_pem.clone() + &identity.key_pem));

    let without = examples_with(&service.url, trusting(ca.clone())).await;
    assert_eq!(without.exit_code(), 1, "{}", terminal::render(&without));
    let two_files = TlsFiles { cert: Some(cert), key: Some(key), ..trusting(ca.clone()) };
    let with = examples_with(&service.url, two_files).await;
    assert_eq!(with.exit_code(), 0, "{}", terminal::render(&with));
    let one_file = TlsFiles { cert: Some(both), ..trusting(ca) };
    assert_eq!(examples_with(&service.url, one_file).await.exit_code(), 0);
    // A certificate the server's CA did not sign is refused like none.
    let stranger = servers.sign(&["conform"], ExtendedKeyUsagePurpose::ClientAuth);
    let stranger = write(&dir, "stranger.pem", &(stranger.cert_pem + &stranger.key_pem));
    let files = TlsFiles { cert: Some(stranger), ..trusting(dir.join("ca.pem")) };
    assert_eq!(examples_with(&service.url, files).await.exit_code(), 1);
    std::fs::remove_dir_all(dir).unwrap();
}
