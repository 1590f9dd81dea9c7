//! `--report html=PATH`: one self-contained page. Whatever a server sends is shown as text,
//! never as markup (a server answering with `<script>` in its bodies), the page needs no
//! network, and headless Chromium (Debian's `chromium`) loads it into the DOM the report
//! describes; its screenshot is kept as a CI artifact (`$STACKSPEC_ARTIFACTS`).

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use axum::Router;
use serde_json::json;
use stackspec_conformance::report::{doc::Report, html};
use stackspec_conformance::Outcome;
use support::{serve_plain, settings, spec, start, Defect};

const HOSTILE: &str =
    "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">";

/// A server answering everything with 200 and hostile markup where lists and ids belong.
async fn hostile_run() -> Outcome {
    let body = json!({"widgets": HOSTILE, "widget": HOSTILE, "id": HOSTILE, "items": HOSTILE});
    let app = Router::new().fallback(move || {
        let body = body.clone();
        async move { axum::Json(body) }
    });
    let url = serve_plain(app).await;
    stackspec_conformance::run(spec(), settings(&url).max_cases(3)).await.unwrap()
}

#[tokio::test]
async fn a_hostile_servers_markup_is_shown_as_text_never_as_markup() {
    let outcome = hostile_run().await;
    let page = html::render(&Report::of(&outcome));
    assert!(page.contains("document.title=&#39;pwned&#39;"), "the server's text is shown");
    assert!(!page.contains("<script>document"), "{page}");
    assert!(!page.contains("<img"), "{page}");
    assert_eq!(page.matches("<script").count(), 1, "only the page's own filter script");
    for link in ["<link", "src=\"http", "href=\"http", "@import"] {
        assert!(!page.contains(link), "{link}: the page must open without network");
    }
}

#[tokio::test]
async fn the_page_has_the_summary_chart_operation_table_and_grouped_failures() {
    let fixture = start(Some(Defect::SizeAsString)).await;
    let outcome = stackspec_conformance::run(spec(), settings(&fixture.url)).await.unwrap();
    let report = Report::of(&outcome);
    let page = html::render(&report);
    assert!(page.contains("<span id=\"verdict\" class=\"badge failed\">FAILED</span>"));
    assert_eq!(page.matches("<tr class=\"failed\" data-operation=").count(), 1, "show_widget");
    assert_eq!(page.matches("<g class=\"row\"").count(), report.operations.len());
    assert!(page.contains("<section id=\"failures\"><h2>Failures by cause</h2>"));
    assert!(page.contains("<code>response_body_matches_schema</code>"));
    assert!(page.contains("<pre>curl "), "a reproducer per cause");
}

/// The Chromium binary, if installed (CI installs Debian's `chromium`).
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let names = ["chromium", "chromium-browser", "google-chrome"];
    std::env::split_paths(&path).flat_map(|d| names.map(|n| d.join(n))).find(|p| p.is_file())
}

/// Runs headless Chromium on `page` with `args`, at most a minute; returns its stdout.
fn headless(chromium: &Path, profile: &Path, page: &Path, args: &[String]) -> String {
    let mut child = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("chromium took over a minute");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "chromium: {:?}", output.status);
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Where CI keeps what a run leaves to look at; a temporary directory elsewhere.
fn artifacts(temp: &Path) -> PathBuf {
    let dir = std::env::var_os("STACKSPEC_ARTIFACTS").map_or(temp.to_path_buf(), PathBuf::from);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn headless_chromium_loads_the_page_runs_no_server_script_and_screenshots_it() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var_os("STACKSPEC_REQUIRE_CHROMIUM").is_none(),
            "STACKSPEC_REQUIRE_CHROMIUM is set but no chromium is on PATH"
        );
        eprintln!(
            "skipped: no chromium on PATH (CI installs it and sets STACKSPEC_REQUIRE_CHROMIUM)"
        );
        return;
    };
    let temp = tempfile::tempdir().unwrap();
    let out = artifacts(temp.path());
    // A server's script in the page would rename it; the DOM must show it as text only.
    let hostile = out.join("conform-report-hostile.html");
    let report = Report::of(&hostile_run().await);
    std::fs::write(&hostile, html::render(&report)).unwrap();
    let dom = headless(&chromium, &temp.path().join("profile"), &hostile, &["--dump-dom".into()]);
    assert!(dom.contains("<title>stackspec conform: "), "{dom}");
    assert!(!dom.contains("pwned</title>"), "a server's script ran");
    assert!(!dom.contains("<img"), "a server's element was parsed");
    let rows = dom.matches("<tr class=\"failed\" data-operation=").count();
    assert_eq!(rows, report.operations.values().filter(|t| t.failed > 0).count());
    // What people see: a realistic failing run, kept as an artifact.
    let fixture = start(Some(Defect::SizeAsString)).await;
    let outcome = stackspec_conformance::run(spec(), settings(&fixture.url)).await.unwrap();
    let page = out.join("conform-report.html");
    std::fs::write(&page, html::render(&Report::of(&outcome))).unwrap();
    let shot = out.join("conform-report.png");
    let args = [format!("--screenshot={}", shot.display()), "--window-size=1280,1400".into()];
    headless(&chromium, &temp.path().join("profile2"), &page, &args);
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "{} bytes", png.len());
    let dom = headless(&chromium, &temp.path().join("profile3"), &page, &["--dump-dom".into()]);
    assert!(dom.contains("class=\"badge failed\">FAILED</span>"));
    assert!(dom.contains("<svg id=\"chart\""));
}
