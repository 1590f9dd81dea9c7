//! The rerun command `stackspec conform` prints with every failure reproduces it: run as
//! printed, by a shell, it fails the same checks on the same operation and phase, although
//! the server's answers depend on the token, the microversion and the path value the run
//! was given, whether the token came by `-H` or by a clouds.yaml entry (`OS_CLOUD`). Every
//! `curl` reproducer, run as printed, gets the status the run got. And `--report json=-`
//! writes the report to standard output.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;

use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use serde_json::Value;
use support::fixture;

const TOKEN: &str = "sekrit-token-123";

/// Answers `200 {}` to everything, but 401 without the token, 404 for a widget other than
/// `seeded`, and no request id at microversion 1.3.
async fn answer(uri: Uri, headers: HeaderMap) -> axum::response::Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
    if header("x-auth-token") != TOKEN {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let widget = uri.path().strip_prefix("/v1/widgets/");
    if widget.is_some_and(|id| id != "seeded") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let version = header("openstack-api-version").to_string();
    let mut out = ([("content-type", "application/json")], "{}").into_response();
    if version != "widget 1.3" {
        out.headers_mut().insert("x-openstack-request-id", "req-1".parse().unwrap());
    }
    if !version.is_empty() {
        out.headers_mut().insert("openstack-api-version", version.parse().unwrap());
    }
    out
}

fn serve() -> String {
    support::serve(axum::Router::new().fallback(answer))
}

/// `line` run by `sh` from `dir` with `MY_TOKEN` and `env` set, the binary first on PATH.
fn shell_with(dir: &Path, line: &str, env: &[(&str, &str)]) -> Output {
    support::shell(dir, line, &[&[("MY_TOKEN", TOKEN)], env].concat())
}

fn shell(dir: &Path, line: &str) -> Output {
    shell_with(dir, line, &[])
}

/// The failed checks of a JSON report, by operation and phase.
fn failures(report: &Value) -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut out: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for r in report["records"].as_array().unwrap().iter().filter(|r| r["failed"] == true) {
        let key = (r["operation"].as_str().unwrap().into(), r["phase"].as_str().unwrap().into());
        let checks = r["findings"].as_array().unwrap().iter();
        let failed = checks.filter(|f| f["severity"] == "failure");
        out.entry(key).or_default().extend(failed.map(|f| f["check"].as_str().unwrap().into()));
    }
    out
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Runs `first` (which must fail and write `run.json`), then every rerun it printed, and
/// checks each fails the same checks on its operation and phase; returns the report.
fn assert_reruns_fail_the_same(dir: &Path, first: &str, env: &[(&str, &str)]) -> Value {
    let out = shell_with(dir, first, env);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let report = read(&dir.join("run.json"));
    let expected = failures(&report);
    let reruns: BTreeSet<&str> = report["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["failed"] == true)
        .map(|r| r["rerun"].as_str().unwrap())
        .collect();
    assert!(reruns.len() >= 4, "{reruns:#?}");
    for rerun in reruns {
        assert!(!rerun.contains(TOKEN), "{rerun}");
        let out = shell_with(dir, &format!("{rerun} --report json=rerun.json"), env);
        let again = failures(&read(&dir.join("rerun.json")));
        assert_eq!(out.status.code(), Some(1), "{rerun}: {}", String::from_utf8_lossy(&out.stderr));
        let (operation, phase) = again.keys().next().cloned().unwrap();
        let key = (operation, phase);
        assert_eq!(again.len(), 1, "{rerun}: {again:?}");
        assert_eq!(again.get(&key), expected.get(&key), "{rerun}");
    }
    report
}

#[test]
fn every_printed_rerun_fails_the_same_checks_when_run_as_printed() {
    let url = serve();
    let dir = tempfile::tempdir().unwrap();
    let first = format!(
        "stackspec conform --spec '{}' --url {url} -H \"X-Auth-Token: $MY_TOKEN\" \
         --microversion latest --allow-mutations --max-cases 3 --path-value widget_id=seeded \
         --workers 2 --seed 5 --report json=run.json",
        fixture()
    );
    let report = assert_reruns_fail_the_same(dir.path(), &first, &[]);
    for r in report["records"].as_array().unwrap().iter().filter(|r| r["failed"] == true) {
        let rerun = r["rerun"].as_str().unwrap();
        assert!(rerun.contains("\"X-Auth-Token: $MY_TOKEN\""), "{rerun}");
    }
}

/// A clouds.yaml whose `fixture` cloud holds `TOKEN` for the server at `url`, with a
/// Keystone (`auth_url`) that accepts no connection: the token is used as it is.
fn clouds_yaml(dir: &Path, url: &str) -> String {
    let nobody = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let clouds = format!(
        "clouds:\n  fixture:\n    auth_type: token\n    auth:\n      auth_url: http://{nobody}/v3\n      token: {TOKEN}\n    widget_endpoint_override: {url}\n"
    );
    let path = dir.join("clouds.yaml");
    std::fs::write(&path, clouds).unwrap();
    path.display().to_string()
}

#[test]
fn a_run_through_a_clouds_yaml_entry_reruns_by_cloud_name_and_its_curls_by_variable() {
    let url = serve();
    let dir = tempfile::tempdir().unwrap();
    let clouds = clouds_yaml(dir.path(), &url);
    let env = [("OS_CLIENT_CONFIG_FILE", clouds.as_str()), ("OS_CLOUD", "fixture")];
    let first = format!(
        "stackspec conform --spec '{}' --microversion latest --allow-mutations --max-cases 3 \
         --path-value widget_id=seeded --workers 2 --seed 5 --report json=run.json",
        fixture()
    );
    let report = assert_reruns_fail_the_same(dir.path(), &first, &env);
    let records = report["records"].as_array().unwrap();
    for r in records.iter().filter(|r| r["failed"] == true) {
        let rerun = r["rerun"].as_str().unwrap();
        assert!(rerun.contains("--os-cloud fixture") && !rerun.contains("--url"), "{rerun}");
    }
    // The token is named by the variable the openstack CLI reads it from.
    let curl_env = [("OS_TOKEN", TOKEN)];
    assert_curls_get_the_same_status(dir.path(), records, &curl_env);
}

/// Runs the `curl` reproducer of every record (a GET, a POST and a few more of each
/// operation) with `env` set, and checks it gets the status the run got.
fn assert_curls_get_the_same_status(dir: &Path, records: &[Value], env: &[(&str, &str)]) {
    let mut tried = BTreeMap::<&str, usize>::new();
    for r in records {
        let tries = tried.entry(r["operation"].as_str().unwrap()).or_default();
        if *tries == 3 {
            continue;
        }
        *tries += 1;
        let curl = r["curl"].as_str().unwrap();
        assert!(!curl.contains(TOKEN) && !curl.contains("<redacted>"), "{curl}");
        let out = shell_with(dir, curl, env);
        let head = String::from_utf8_lossy(&out.stdout);
        let status = head.split_whitespace().nth(1).unwrap_or_default();
        assert_eq!(status, r["status"].to_string(), "{curl}: {head}");
    }
    assert!(tried.len() >= 4, "{tried:?}");
}

#[test]
fn every_printed_curl_reproducer_gets_the_status_the_run_got() {
    let url = serve();
    let dir = tempfile::tempdir().unwrap();
    let first = format!(
        "stackspec conform --spec '{}' --url {url} -H \"X-Auth-Token: $MY_TOKEN\" \
         --microversion latest --allow-mutations --max-cases 2 --path-value widget_id=seeded \
         --seed 3 --report json=run.json",
        fixture()
    );
    let out = shell(dir.path(), &first);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report = read(&dir.path().join("run.json"));
    let records = report["records"].as_array().unwrap();
    assert!(records.iter().any(|r| r["curl"].as_str().unwrap().contains("$MY_TOKEN")));
    assert_curls_get_the_same_status(dir.path(), records, &[]);
}

#[test]
fn a_json_report_to_a_dash_is_written_to_stdout_and_the_summary_to_stderr() {
    let url = serve();
    let dir = tempfile::tempdir().unwrap();
    let line = format!(
        "stackspec conform --spec '{}' --url {url} -H \"X-Auth-Token: $MY_TOKEN\" \
         --operation list_widgets --phases examples --report json=-",
        fixture()
    );
    let out = shell(dir.path(), &line);
    let report: Value = serde_json::from_slice(&out.stdout).expect("stdout is the report");
    assert_eq!(report["operations"]["list_widgets"]["cases"], 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 cases, "), "the summary");
    assert!(!dir.path().join("-").exists());
}
