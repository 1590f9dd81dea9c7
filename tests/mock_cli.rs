//! `stackspec mock` as a user runs it: a spec whose schema cannot compile, and bad bound
//! options, are exit 2 naming the problem; the bounds given on the command line are the
//! ones served with.

use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn stackspec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stackspec")).args(args).output().expect("runs")
}

/// A document whose `POST /things` request body has a pattern no regex engine compiles.
const UNCOMPILABLE: &str = r#"openapi: 3.0.3
info: {title: things, version: "1"}
paths:
  /things:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string, pattern: "(["}}}
      responses:
        "201": {description: created}
"#;

#[test]
fn a_schema_that_does_not_compile_is_exit_2_naming_the_file_and_pointer() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("things.yaml");
    std::fs::write(&spec, UNCOMPILABLE).unwrap();
    let run = stackspec(&["mock", "--spec", spec.to_str().unwrap(), "--listen", "127.0.0.1:0"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    let expected = format!("{}: at /paths/~1things/post/requestBody", spec.display());
    assert!(stderr.contains(&expected), "{stderr}");
}

#[test]
fn bound_options_that_are_not_positive_are_exit_2() {
    for (flag, value) in [
        ("--header-timeout", "0"),
        ("--request-timeout", "-1"),
        ("--idle-timeout", "soon"),
        ("--max-connections", "0"),
    ] {
        let run = stackspec(&["mock", "--service", "image", &format!("{flag}={value}")]);
        assert_eq!(run.status.code(), Some(2), "{flag} {value}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains(flag) && stderr.contains(value), "{stderr}");
    }
}

/// A `stackspec mock` process, stopped by its PID when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Connects to `addr` once the process listens there (within 30 s).
fn connect(addr: SocketAddr) -> TcpStream {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match TcpStream::connect(addr) {
            Ok(stream) => return stream,
            Err(e) if Instant::now() > deadline => panic!("the mock never listened: {e}"),
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

#[test]
fn the_header_timeout_given_closes_a_silent_connection() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_stackspec"))
        .args(["mock", "--service", "image", "--listen", &addr.to_string()])
        .args(["--header-timeout", "0.3"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _mock = Running(child);
    let mut silent = connect(addr);
    silent.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut seen = Vec::new();
    let closed = silent.read_to_end(&mut seen);
    assert!(closed.is_ok(), "still open after 10 s: {closed:?}");
    assert!(seen.is_empty());
}
