//! `stackspec conform` as a person runs it: `-x` stops at the first failure, `-q` and `-v`
//! say less and more, `--dry-run` sends nothing, the progress bar (with rate and ETA) is
//! drawn on a terminal only, a run that tested little says so (and `--fail-on-untested`
//! fails it), and `--help` groups the options and shows examples.

mod support;

use std::net::TcpListener;

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde_json::Value;
use support::{conform, fixture, serve, text};

/// `200 {}` to everything, without a request id: every response fails
/// `required_response_headers`, most also their schema.
fn always_ok() -> String {
    serve(axum::Router::new().fallback(|| async { ([("content-type", "application/json")], "{}") }))
}

/// A documented fault with status 404 to everything, request id and microversion echoed:
/// every check passes, and nothing is tested.
fn always_not_found() -> String {
    async fn not_found(headers: HeaderMap) -> axum::response::Response {
        let body = r#"{"error": {"code": 404, "message": "no such thing"}}"#;
        let mut out =
            (StatusCode::NOT_FOUND, [("content-type", "application/json")], body).into_response();
        out.headers_mut().insert("x-openstack-request-id", "req-1".parse().unwrap());
        if let Some(version) = headers.get("openstack-api-version") {
            out.headers_mut().insert("openstack-api-version", version.clone());
        }
        out
    }
    serve(axum::Router::new().fallback(not_found))
}

fn run(url: &str, extra: &[&str]) -> (std::process::Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let spec = fixture();
    let mut args = vec!["--spec", &spec, "--url", url, "--seed", "3", "--max-cases", "5"];
    args.extend(extra);
    (conform(dir.path(), &args, &[]), dir)
}

fn report(dir: &tempfile::TempDir) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap()
}

#[test]
fn exitfirst_stops_sending_at_the_first_failure_and_lists_the_rest_as_not_tried() {
    let url = always_ok();
    let (all, dir) = run(&url, &["--report", "json=r.json"]);
    let sent_all = report(&dir)["records"].as_array().unwrap().len();
    let (first, dir) = run(&url, &["-x", "--workers", "1", "--report", "json=r.json"]);
    assert_eq!((all.status.code(), first.status.code()), (Some(1), Some(1)));
    let stopped = report(&dir);
    let sent = stopped["records"].as_array().unwrap().len();
    assert!(sent < sent_all / 2, "{sent} of {sent_all} sent: {}", text(&first));
    let not_tried = stopped["not_tried"].as_array().unwrap();
    assert!(
        not_tried.iter().all(|n| n["reason"] == "stopped at the first failure (--exitfirst)"),
        "{not_tried:?}"
    );
    assert!(text(&first).contains("Not tried"), "{}", text(&first));
}

#[test]
fn quiet_prints_the_failures_and_totals_only_and_verbose_every_failing_response() {
    let url = always_ok();
    let args =
        ["--operation", "list_widgets", "--operation", "show_widget", "--phases", "property"];
    let (normal, _) = run(&url, &args);
    let (quiet, _) = run(&url, &[&args[..], &["-q"]].concat());
    let (verbose, _) = run(&url, &[&args[..], &["-v"]].concat());
    let (normal, quiet, verbose) = (text(&normal), text(&quiet), text(&verbose));
    let table = "operation     cases  passed  failed";
    assert!(normal.contains(table) && !quiet.contains(table), "{quiet}");
    assert!(quiet.contains("Failures by cause") && quiet.contains(" cases, 0 passed, "), "{quiet}");
    assert!(quiet.lines().count() < normal.lines().count(), "{quiet}");
    let every = "Every failing response (";
    assert!(verbose.contains(every) && !normal.contains(every), "{verbose}");
    let totals = verbose.lines().find(|l| l.contains(" passed, ")).unwrap();
    let failed = totals.split(", ").nth(2).unwrap().trim_end_matches(" failed");
    assert!(verbose.contains(&format!("{every}{failed}):")), "{verbose}");
    let reproducers = |text: &str| text.matches("  reproduce: ").count();
    assert_eq!(reproducers(&verbose), reproducers(&normal) + failed.parse::<usize>().unwrap());
}

#[test]
fn a_dry_run_lists_operations_and_phases_and_sends_nothing() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (out, _) = run(&url, &["--dry-run", "--phases", "examples,property"]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(all.contains("show_widget    GET     /v1/widgets/{widget_id}  property  5"), "{all}");
    assert!(all.contains("create_widget  POST    /v1/widgets              examples  skipped: POST changes state; pass --allow-mutations"), "{all}");
    assert!(all.contains("no request was sent"), "{all}");
    assert!(listener.accept().is_err(), "nothing was sent");
}

#[test]
fn a_run_answered_404_everywhere_warns_it_tested_little_and_fails_on_untested() {
    let url = always_not_found();
    let args = ["--operation", "show_widget", "--operation", "show_job", "--phases", "property"];
    let (warned, dir) = run(&url, &[&args[..], &["--report", "json=r.json"]].concat());
    let all = text(&warned);
    assert_eq!(warned.status.code(), Some(0), "every check passes: {all}");
    assert!(all.contains("UNTESTED: 10 of 10 valid requests (100%) were rejected"), "{all}");
    assert!(all.contains("show_widget  ") && all.contains("(not exercised: rejected)"), "{all}");
    let doc = report(&dir);
    assert_eq!(doc["operations"]["show_widget"]["exercised"], false);
    assert_eq!(doc["operations"]["show_widget"]["rejected"], 5);
    assert_eq!(doc["untested"]["run"], true);
    let (failed, _) = run(&url, &[&args[..], &["--fail-on-untested"]].concat());
    assert_eq!(failed.status.code(), Some(1), "{}", text(&failed));
    assert!(text(&failed).contains("--fail-on-untested"), "{}", text(&failed));
}

#[test]
fn the_progress_bar_shows_rate_and_eta_on_a_terminal_and_nothing_elsewhere() {
    let url = always_ok();
    let (piped, _) = run(&url, &["--max-cases", "50"]);
    assert!(!text(&piped).contains("ETA") && !text(&piped).contains('\u{1b}'), "{}", text(&piped));
    // `script` gives the run a terminal; what the terminal showed is its standard output.
    let line = format!(
        "{} conform --spec {} --url {url} --max-cases 50 --rate 400 --seed 3 --phases property",
        env!("CARGO_BIN_EXE_stackspec"),
        fixture()
    );
    let out = std::process::Command::new("script")
        .args(["-qefc", &line, "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(screen.contains("ETA") && screen.contains("/s"), "{screen}");
}

#[test]
fn help_groups_the_options_lists_phases_and_env_variables_and_shows_examples() {
    let dir = tempfile::tempdir().unwrap();
    let out = conform(dir.path(), &["--help"], &[]);
    let help = text(&out);
    for heading in
        ["Target:", "Auth:", "Selection:", "Generation:", "Limits:", "Reports and output:"]
    {
        assert!(help.contains(heading), "{heading}: {help}");
    }
    assert!(help.contains("[env: OS_CLOUD="), "{help}");
    assert!(help.contains("[env: OS_REGION_NAME="), "{help}");
    assert!(help.contains("negative: valid input broken one way at a time"), "{help}");
    assert!(help.contains("Examples:\n  stackspec conform --service image"), "{help}");
    for command in ["diff", "mock", "generate", "spec", "transcribe"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_stackspec"))
            .args([command, "--help"])
            .output()
            .unwrap();
        let help = text(&out);
        assert!(help.contains(&format!("Examples:\n  stackspec {command}")), "{help}");
    }
    let diff = std::process::Command::new(env!("CARGO_BIN_EXE_stackspec"))
        .args(["diff", "--help"])
        .output()
        .unwrap();
    let format = text(&diff).lines().find(|l| l.contains("--format <FORMAT>")).unwrap().to_string();
    assert!(format.contains("How the report is written"), "{format}");
}
