//! `stackspec conform` fails loudly when it tests nothing, and its reports go where they
//! are asked to, checked before the first request.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

fn fixture() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/tests/fixtures/widgets.yaml");
    p.display().to_string()
}

fn conform(dir: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stackspec"));
    command.current_dir(dir).arg("conform").arg("--spec").arg(fixture()).args(args);
    command.output().unwrap()
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// A port nothing listens on (bound, then freed).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A listener that accepts nothing: a connection to it shows as a pending accept.
fn silent_listener() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    (listener, url)
}

#[test]
fn a_filter_that_selects_nothing_is_exit_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let (listener, url) = silent_listener();
    let out = conform(dir.path(), &["--url", &url, "--tag", "nosuchtag"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let expected = "nothing to test: no operation has --tag nosuchtag (the spec's tags: events, jobs, widgets)";
    assert!(text(&out).contains(expected), "{}", text(&out));
    assert!(listener.accept().is_err(), "nothing was sent");
}

#[test]
fn a_run_whose_every_pair_is_skipped_is_exit_2_with_the_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let (_listener, url) = silent_listener();
    // A POST without --allow-mutations: selected, then skipped in every phase.
    let out = conform(dir.path(), &["--url", &url, "--operation", "create_widget"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let expected = "nothing was tested: every selected operation-phase pair was skipped: \
                    3× POST changes state; pass --allow-mutations";
    assert!(text(&out).contains(expected), "{}", text(&out));
}

#[test]
fn an_unreachable_endpoint_is_one_message_and_exit_2_before_any_case() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/v2");
    let out = conform(dir.path(), &["--url", &url, "--retries", "0"]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(all.contains(&format!("cannot reach 127.0.0.1:{port}: ")), "{all}");
    assert!(all.contains("no case was sent"), "{all}");
    assert_eq!(all.lines().count(), 1, "one message: {all}");
}

#[test]
fn two_reports_to_stdout_are_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let (_listener, url) = silent_listener();
    let out = conform(dir.path(), &["--url", &url, "--report", "json=-,junit=-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("only one report can go to standard output"), "{}", text(&out));
}

#[test]
fn an_unwritable_report_path_is_exit_2_naming_it_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    let (listener, url) = silent_listener();
    let bad = dir.path().join("no/such/dir/report.xml");
    let report = format!("json={},junit={}", dir.path().join("ok.json").display(), bad.display());
    let out = conform(dir.path(), &["--url", &url, "--report", &report]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let expected = format!("{}: cannot write the junit report", bad.display());
    assert!(text(&out).contains(&expected), "{}", text(&out));
    assert!(listener.accept().is_err(), "nothing was sent");
    assert!(!dir.path().join("ok.json").exists(), "the other report is not left empty");
}
