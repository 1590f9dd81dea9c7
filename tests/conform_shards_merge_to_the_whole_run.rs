//! `stackspec conform --shard I/N` and `stackspec report merge`, as a CI matrix uses them:
//! four shards of a run against the image mock (in-process, 127.0.0.1) run in parallel,
//! every operation lands in exactly one shard, and the merge of their JSON reports has the
//! verdicts, statuses, findings, skips and JUnit test names of the same run unsharded. A merge
//! of an incomplete set of shards is refused.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Serves the built-in image mock on 127.0.0.1 from a thread of its own; returns its URL.
fn serve_image_mock() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let router = stackspec_mock::builtin_with("image", stackspec_mock::Auth::Off).unwrap();
            axum::serve(listener, router).await.unwrap();
        });
    });
    url
}

fn stackspec() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stackspec"))
}

/// `conform` against `url` with a fixed seed, plus `extra`.
fn conform(url: &str, extra: &[String]) -> Command {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/image.yaml");
    let mut command = stackspec();
    command
        .args(["conform", "--spec", spec.to_str().unwrap(), "--url", url])
        .args(["--seed", "5", "--max-cases", "3", "--workers", "2", "--timeout", "20"])
        .args(extra);
    command
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Per (operation, test name): what the case found and what came back. Not the path: an id
/// learnt from a response (`phases::values`) is the first that arrives, which varies from
/// run to run when two responses teach one (a list of images and a task naming its image).
fn verdicts(report: &Value) -> BTreeMap<(String, String), String> {
    let records = report["records"].as_array().unwrap();
    let keys = ["method", "status", "failed", "error"];
    records
        .iter()
        .map(|r| {
            let id = (r["operation"].as_str().unwrap().into(), r["name"].as_str().unwrap().into());
            let mut what: Vec<String> = keys.iter().map(|k| r[k].to_string()).collect();
            let mut checks: Vec<String> =
                r["findings"].as_array().unwrap().iter().map(|f| f["check"].to_string()).collect();
            checks.sort();
            what.extend(checks);
            (id, what.join(" "))
        })
        .collect()
}

/// The operations a report covers (sent or skipped).
fn operations(report: &Value) -> BTreeSet<String> {
    let sent = report["operations"].as_object().unwrap().keys().cloned();
    let skipped = report["skipped"].as_array().unwrap().iter();
    sent.chain(skipped.map(|s| s["operation"].as_str().unwrap().to_string())).collect()
}

/// The (classname, name, failed) of every JUnit test case, in document order.
fn junit_cases(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in xml.split("<testcase ").skip(1) {
        let head = piece.split('>').next().unwrap();
        let attr = |name: &str| {
            let start = head.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            head[start..].split('"').next().unwrap().to_string()
        };
        let failed = piece.split("</testcase>").next().unwrap().contains("<failure");
        out.push(format!("{} | {} | {failed}", attr("classname"), attr("name")));
    }
    out
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

#[test]
fn four_parallel_shards_merge_into_the_verdicts_of_the_unsharded_run() {
    let url = serve_image_mock();
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name).display().to_string();
    let whole =
        conform(&url, &[format!("--report=json={},junit={}", at("whole.json"), at("whole.xml"))])
            .output()
            .unwrap();
    assert!(matches!(code(&whole), 0 | 1), "{}", String::from_utf8_lossy(&whole.stderr));
    let shards: Vec<PathBuf> =
        (1..=4).map(|i| dir.path().join(format!("shard-{i}.json"))).collect();
    let children: Vec<_> = shards
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let args =
                [format!("--shard={}/4", i + 1), format!("--report=json={}", path.display())];
            conform(&url, &args).stdout(std::process::Stdio::null()).spawn().unwrap()
        })
        .collect();
    for child in children {
        let done = child.wait_with_output().unwrap();
        assert!(matches!(code(&done), 0 | 1), "{}", String::from_utf8_lossy(&done.stderr));
    }
    let merged_reports =
        format!("json={},junit={},html={}", at("merged.json"), at("merged.xml"), at("merged.html"));
    let merge = stackspec()
        .args(["report", "merge"])
        .args(&shards)
        .args(["--report", &merged_reports])
        .output()
        .unwrap();
    assert_eq!(code(&merge), code(&whole), "{}", String::from_utf8_lossy(&merge.stderr));

    let parts: Vec<Value> = shards.iter().map(|p| read(p)).collect();
    let (whole, merged) = (read(Path::new(&at("whole.json"))), read(Path::new(&at("merged.json"))));
    // Every operation in exactly one shard.
    let mut seen = BTreeSet::new();
    for part in &parts {
        for op in operations(part) {
            assert!(seen.insert(op.clone()), "{op} in two shards");
        }
    }
    assert_eq!(seen, operations(&whole));
    assert!(parts.iter().all(|p| !p["records"].as_array().unwrap().is_empty()));
    // The same verdicts, case by case, and the same totals.
    let (expected, found) = (verdicts(&whole), verdicts(&merged));
    assert!(expected.len() > 100, "{} cases", expected.len());
    assert_eq!(found, expected);
    assert_eq!(merged["operations"], whole["operations"]);
    assert_eq!(merged["checks"], whole["checks"]);
    assert_eq!(merged["failed"], whole["failed"]);
    let skips = |r: &Value| -> BTreeSet<String> {
        r["skipped"].as_array().unwrap().iter().map(Value::to_string).collect()
    };
    assert_eq!(skips(&merged), skips(&whole));
    assert!(merged.get("shard").is_none(), "the merge is the whole run");
    // JUnit: the same test cases with the same outcomes.
    let xml = |name: &str| std::fs::read_to_string(at(name)).unwrap();
    assert_eq!(junit_cases(&xml("merged.xml")), junit_cases(&xml("whole.xml")));
    assert!(xml("merged.html").contains("<svg id=\"chart\""));
}

#[test]
fn a_merge_without_every_shard_is_exit_2_naming_the_missing_ones() {
    let url = serve_image_mock();
    let dir = tempfile::tempdir().unwrap();
    let shard = dir.path().join("shard-2.json");
    let args = ["--shard=2/3".to_string(), format!("--report=json={}", shard.display())];
    let run = conform(&url, &args).arg("--phases=examples").output().unwrap();
    assert!(matches!(code(&run), 0 | 1), "{}", String::from_utf8_lossy(&run.stderr));
    let out = dir.path().join("merged.json");
    let merge = stackspec()
        .args(["report", "merge", shard.to_str().unwrap()])
        .args(["--report", &format!("json={}", out.display())])
        .output()
        .unwrap();
    assert_eq!(code(&merge), 2);
    let stderr = String::from_utf8_lossy(&merge.stderr);
    assert!(stderr.contains("shards 1, 3 of 3 are missing"), "{stderr}");
    assert!(!out.exists(), "no report of a partial run");
}

#[test]
fn a_shard_without_a_seed_is_a_usage_error() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/image.yaml");
    let run = stackspec()
        .args(["conform", "--spec", spec.to_str().unwrap(), "--url", "http://127.0.0.1:9"])
        .args(["--shard", "1/2"])
        .output()
        .unwrap();
    assert_eq!(code(&run), 2);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("--seed"), "{stderr}");
}
