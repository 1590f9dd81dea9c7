//! The mock's request path, in process: one request, read from the input as text
//!
//! ```text
//! SERVICE METHOD TARGET
//! Header-Name: value
//!
//! BODY
//! ```
//!
//! (`SERVICE` a built-in service, `image`, served by the generated stubs, or `image+spec`,
//! the same spec interpreted as `stackspec mock --spec` serves it; `TARGET` a path and
//! query), sent through the router's tower service on a current-thread runtime, no socket.
//! Whatever the request, the answer is not a server error and its body can be read, and
//! parses when it says it is JSON. Inputs that HTTP/1.1 itself would refuse before the
//! router sees them (an invalid method, target or header) are skipped; so are
//! `Content-Length` and `Transfer-Encoding`, which hyper consumes to frame the body.
#![no_main]

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{header, HeaderName, HeaderValue, Method, Request, Uri};
use libfuzzer_sys::fuzz_target;
use stackspec_mock::{Auth, Mock, BUILTIN_MOCKS};
use stackspec_model::Spec;
use tower::ServiceExt as _;

/// The routers built once per process, by service name, and the runtime serving them.
struct Mocks {
    runtime: tokio::runtime::Runtime,
    routers: Vec<(String, axum::Router)>,
}

fn mocks() -> &'static Mocks {
    static MOCKS: OnceLock<Mocks> = OnceLock::new();
    MOCKS.get_or_init(|| {
        let mut routers = Vec::new();
        for builtin in BUILTIN_MOCKS {
            // Without auth: the seeds carry no token, and a 401 would end every path early.
            let generated =
                stackspec_mock::builtin_with(builtin.service, Auth::Off).expect("a built-in mock");
            let path = format!("spec/{}.yaml", builtin.service);
            let spec = Spec::parse(std::path::Path::new(&path), builtin.spec).expect("its spec");
            let interpreted =
                Mock::new(&spec).expect("an interpretable spec").with_auth(Auth::Off).router();
            routers.push((builtin.service.to_string(), generated));
            routers.push((format!("{}+spec", builtin.service), interpreted));
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        Mocks { runtime, routers }
    })
}

/// The service named on the first line and the request the input describes, if HTTP/1.1
/// would hand such a request to the router.
fn request(data: &[u8]) -> Option<(&str, Request<Body>)> {
    let split = data.windows(2).position(|w| w == b"\n\n");
    let (head, body) = match split {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[][..]),
    };
    let head = std::str::from_utf8(head).ok()?;
    let mut lines = head.lines();
    let mut first = lines.next()?.split(' ');
    let service = first.next()?;
    let method = Method::from_bytes(first.next()?.as_bytes()).ok()?;
    let uri = Uri::try_from(first.next()?).ok()?;
    let mut request = Request::builder().method(method).uri(uri);
    for line in lines {
        let (name, value) = line.split_once(':')?;
        let name = HeaderName::from_bytes(name.as_bytes()).ok()?;
        if name == header::CONTENT_LENGTH || name == header::TRANSFER_ENCODING {
            continue;
        }
        request = request.header(name, HeaderValue::from_str(value.trim()).ok()?);
    }
    Some((service, request.body(Body::from(body.to_vec())).ok()?))
}

// The routers are built before the first input: building them takes seconds of CPU, which
// on a loaded machine outlasted libFuzzer's per-input timeout and was reported as a hang of
// whatever input happened to come first.
fuzz_target!(init: { mocks(); }, |data: &[u8]| {
    let Some((service, request)) = request(data) else { return };
    // A HEAD answer carries the GET's headers (its JSON content type) and no body.
    let bodiless = request.method() == Method::HEAD;
    let mocks = mocks();
    let Some((_, router)) = mocks.routers.iter().find(|(name, _)| name == service) else {
        return;
    };
    let (status, json, body) = mocks.runtime.block_on(async {
        let response = router.clone().oneshot(request).await.expect("routers are infallible");
        let json = response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await;
        (status, json, body.expect("a readable answer body"))
    });
    let text = String::from_utf8_lossy(&body);
    assert!(!status.is_server_error(), "{service}: {status}: {text}");
    if json && !bodiless && !matches!(status.as_u16(), 204 | 304) {
        assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok(), "not JSON: {text}");
    }
});
