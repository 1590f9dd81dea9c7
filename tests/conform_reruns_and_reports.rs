//! The rerun command `stackspec conform` prints with every failure reproduces it: run as
//! printed, by a shell, it fails the same checks on the same operation and phase, although
//! the server's answers depend on the token, the microversion and the path value the run
//! was given. And `--report json=-` writes the report to standard output.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use serde_json::Value;

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

/// Serves [`answer`] on 127.0.0.1 from a thread of its own; returns the base URL.
fn serve() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let app = axum::Router::new().fallback(answer);
            axum::serve(listener, app).await.unwrap();
        });
    });
    url
}

fn fixture() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/tests/fixtures/widgets.yaml");
    p.display().to_string()
}

/// `stackspec` from `dir` with `MY_TOKEN` set, the binary first on PATH.
fn shell(dir: &Path, line: &str) -> Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_stackspec")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    Command::new("sh")
        .args(["-c", line])
        .current_dir(dir)
        .env("PATH", path)
        .env("MY_TOKEN", TOKEN)
        .output()
        .unwrap()
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
    let out = shell(dir.path(), &first);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let report = read(&dir.path().join("run.json"));
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
        assert!(!rerun.contains(TOKEN) && rerun.contains("\"X-Auth-Token: $MY_TOKEN\""), "{rerun}");
        let out = shell(dir.path(), &format!("{rerun} --report json=rerun.json"));
        let again = failures(&read(&dir.path().join("rerun.json")));
        assert_eq!(out.status.code(), Some(1), "{rerun}: {}", String::from_utf8_lossy(&out.stderr));
        let (operation, phase) = again.keys().next().cloned().unwrap();
        let key = (operation, phase);
        assert_eq!(again.len(), 1, "{rerun}: {again:?}");
        assert_eq!(again.get(&key), expected.get(&key), "{rerun}");
    }
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
