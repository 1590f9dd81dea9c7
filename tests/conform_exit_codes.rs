//! `stackspec conform` exit codes: 2 for usage and spec errors, 1 when a check fails.

use std::path::Path;
use std::process::Command;

fn conform(args: &[&str]) -> (i32, String) {
    let out =
        Command::new(env!("CARGO_BIN_EXE_stackspec")).arg("conform").args(args).output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

fn fixture() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/tests/fixtures/widgets.yaml");
    p.display().to_string()
}

#[test]
fn a_missing_spec_is_exit_2_with_its_path() {
    let (code, text) = conform(&["--spec", "no/such.yaml", "--url", "http://127.0.0.1:9"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("no/such.yaml"), "{text}");
}

#[test]
fn usage_errors_are_exit_2() {
    let spec = fixture();
    let base = ["--spec", spec.as_str(), "--url", "http://127.0.0.1:9"];
    for extra in [
        &["--report", "xml=out.xml"][..],
        &["--phases", "fuzz"],
        &["--microversion", "one"],
        &["-H", "no colon"],
        &["--operation", "no_such_operation"],
        &["--overrides", "no/such/overrides.yaml"],
        &["--against", "cloud"],
    ] {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        let (code, text) = conform(&args);
        assert_eq!(code, 2, "{extra:?}: {text}");
    }
}

#[test]
fn a_header_without_a_colon_is_named_without_printing_its_value() {
    // `=` for `:` is a likely slip, and the value may be a token.
    let spec = fixture();
    let args = ["--spec", spec.as_str(), "--url", "http://127.0.0.1:9"];
    let (code, text) = conform(&[&args[..], &["-H", "X-Auth-Token=gAAAAB-s3cr3t"]].concat());
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("-H: expected `Name: value`, got no colon"), "{text}");
    assert!(!text.contains("s3cr3t") && !text.contains("X-Auth-Token"), "{text}");
}

#[test]
fn unusable_tls_files_are_exit_2_naming_them_before_any_request() {
    let spec = fixture();
    let base = ["--spec", spec.as_str(), "--url", "https://127.0.0.1:9"];
    for (extra, expected) in [
        (&["--os-cacert", "no/such/ca.pem"][..], "no/such/ca.pem: cannot read CA certificates"),
        (&["--os-key", "client.key"], "`key` (client.key) given without `cert`"),
    ] {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        let (code, text) = conform(&args);
        assert_eq!((code, text.contains(expected)), (2, true), "{extra:?}: {text}");
    }
    // OS_CACERT is read as --os-cacert is, as the openstack CLI reads it.
    let out = Command::new(env!("CARGO_BIN_EXE_stackspec"))
        .arg("conform")
        .args(base)
        .env("OS_CACERT", "no/such/env-ca.pem")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("no/such/env-ca.pem: cannot read CA certificates"), "{text}");
}

#[test]
fn without_url_or_cloud_the_os_variables_are_used_and_their_secrets_never_printed() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let out = Command::new(env!("CARGO_BIN_EXE_stackspec"))
        .args(["conform", "--spec", &fixture()])
        .env_remove("OS_CLOUD")
        .env("OS_CLIENT_CONFIG_FILE", "/nonexistent/clouds.yaml")
        .env("OS_AUTH_URL", format!("http://127.0.0.1:{port}/v3"))
        .env("OS_USERNAME", "u")
        .env("OS_PASSWORD", "hunter2-secret")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains(&format!("127.0.0.1:{port}/v3/auth/tokens")), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    let out = Command::new(env!("CARGO_BIN_EXE_stackspec"))
        .args(["conform", "--spec", &fixture()])
        .env_remove("OS_CLOUD")
        .env_remove("OS_AUTH_URL")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("give --url, --os-cloud, OS_CLOUD or OS_AUTH_URL"));
}

#[test]
fn a_response_schema_that_does_not_compile_is_exit_2_naming_the_file_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("things.yaml");
    std::fs::write(
        &spec,
        r#"openapi: 3.0.3
info: {title: things, version: "1"}
paths:
  /things:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: string, pattern: "(["}
"#,
    )
    .unwrap();
    // Nothing listens there: a run that sent a request would be exit 1.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let (code, text) = conform(&["--spec", spec.to_str().unwrap(), "--url", &url]);
    assert_eq!(code, 2, "{text}");
    let expected = format!("{}: at /paths/~1things/get/responses/200", spec.display());
    assert!(text.contains(&expected), "{text}");
}
