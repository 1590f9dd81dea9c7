//! What the `stackspec conform` tests of the binary share: a server on loopback, the
//! widgets fixture spec, the binary run directly or by a shell, and its output as text.

// Each test binary uses part of this module.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Serves `app` on 127.0.0.1 from a thread of its own (the test's process ends it);
/// returns the base URL.
pub fn serve(app: axum::Router) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    url
}

/// The widgets fixture spec of the conformance crate.
pub fn fixture() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/tests/fixtures/widgets.yaml");
    p.display().to_string()
}

/// `stackspec conform ARGS` from `dir`, with `env` set, its standard input closed.
pub fn conform(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stackspec"));
    command.current_dir(dir).arg("conform").args(args).stdin(std::process::Stdio::null());
    command.envs(env.iter().copied()).output().unwrap()
}

/// `line` run by `sh` from `dir` with `env` set, the binary first on PATH.
pub fn shell(dir: &Path, line: &str, env: &[(&str, &str)]) -> Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_stackspec")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let mut command = Command::new("sh");
    command.args(["-c", line]).current_dir(dir).env("PATH", path);
    command.envs(env.iter().copied()).output().unwrap()
}

/// Standard output then standard error.
pub fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}
