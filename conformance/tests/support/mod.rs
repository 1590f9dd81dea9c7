//! A local widget service implementing `fixtures/widgets.yaml`, correctly or with one
//! deliberate defect, on 127.0.0.1:0. Validation is written by hand (not with the
//! conformance crate's validators) so that the server and the checks are independent.

// Each test binary uses part of this module.
#![allow(dead_code)]

pub mod fragile;
pub mod keystone;
pub mod tls;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use stackspec_conformance::{Outcome, Settings};
use stackspec_model::Spec;

/// One thing the server gets wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defect {
    /// create_widget answers 200 where 201 is documented.
    WrongCreateStatus,
    /// show_widget returns `size` as a string.
    SizeAsString,
    /// create_widget fails with a 500 when `size` is above 5.
    ServerErrorAboveFive,
    /// send_events answers 207 although every item is 200.
    MultiStatusAllOk,
    /// send_events answers 200 although an item is 404.
    OkHidingA404,
    /// No `x-openstack-request-id` header.
    NoRequestId,
    /// The microversion header is not echoed.
    NoVersionEcho,
    /// create_widget accepts any body.
    AcceptsInvalid,
    /// list_widgets is served as `text/plain`.
    TextPlainList,
    /// create_widget rejects a (valid) `color` with 400.
    RejectsColor,
    /// 404 bodies are not the documented fault.
    BareNotFound,
    /// create_widget answers 201 but keeps nothing.
    ForgetsCreated,
    /// delete_widget answers 204 but keeps the widget.
    KeepsDeleted,
    /// delete_widget never answers.
    DeleteStalls,
    /// A started job never finishes.
    JobNeverFinishes,
    /// Every job id, even one never started, is shown as running (a stateless stand-in).
    EveryJobRunning,
    /// start_job answers 201 (documented, but not what its sample documents).
    JobDoneAtOnce,
    /// Invalid events get a 422, which is not documented.
    Undocumented422,
    /// list_widgets leaves out `color`, which its sample shows.
    ListWithoutColor,
    /// (guarded) Requests without a token are served.
    OpenWithoutToken,
    /// (guarded) A token it does not know makes it fail with 500.
    BogusTokenCrash,
    /// (guarded) A member may start and read jobs, which are admin-only.
    MemberRunsJobs,
}

#[derive(Debug)]
struct Server {
    defect: Option<Defect>,
    widgets: Mutex<HashMap<String, Value>>,
    jobs: Mutex<HashMap<String, u32>>,
    next: AtomicU64,
    /// Every request's method and headers, in arrival order (unless only counting).
    seen: Mutex<Vec<(String, HeaderMap)>>,
    /// Keep only `count` (long benchmark runs would fill `seen`).
    count_only: bool,
    count: AtomicU64,
    /// Validate tokens: `admin-*` and `fresh-*` are admins, `short-*` admins for
    /// `SHORT_TOKEN_USES` requests, `member-*` members (jobs are admin-only), anything else
    /// or nothing gets 401.
    guarded: bool,
    /// (guarded) Requests made with each `short-*` token.
    uses: Mutex<HashMap<String, u32>>,
}

/// A running server.
pub struct Fixture {
    pub url: String,
    server: Shared,
}

impl Fixture {
    /// The ids of the widgets the server holds now.
    pub fn widget_ids(&self) -> BTreeSet<String> {
        self.server.widgets.lock().unwrap().keys().cloned().collect()
    }

    /// The methods of the requests received so far.
    pub fn methods(&self) -> BTreeSet<String> {
        let seen = self.server.seen.lock().unwrap();
        seen.iter().map(|(m, _)| m.clone()).collect()
    }

    /// The microversions asked for so far (`OpenStack-API-Version` values that name one;
    /// the negative phase also sends some that name none).
    pub fn versions_asked(&self) -> BTreeSet<String> {
        let named = |v: &String| {
            let version = v.strip_prefix("widget ")?;
            version.parse::<stackspec_model::version::Microversion>().ok()
        };
        self.header_values("openstack-api-version")
            .into_iter()
            .filter(|v| named(v).is_some())
            .collect()
    }

    /// The values of header `name` received so far.
    pub fn header_values(&self, name: &str) -> BTreeSet<String> {
        let seen = self.server.seen.lock().unwrap();
        seen.iter().filter_map(|(_, h)| h.get(name)?.to_str().ok().map(str::to_string)).collect()
    }
}

type Shared = Arc<Server>;

/// A token the server treats as expired (answers 401).
pub const EXPIRED_TOKEN: &str = "expired-token";

/// (guarded) How many requests a `short-*` token is good for before it expires.
pub const SHORT_TOKEN_USES: u32 = 10;

/// Starts the server.
pub async fn start(defect: Option<Defect>) -> Fixture {
    start_with(defect, false).await
}

/// Starts the server validating tokens (see `Server::guarded`).
pub async fn start_guarded(defect: Option<Defect>) -> Fixture {
    serve(defect, false, true).await
}

/// Starts the server; with `count_only`, requests are counted (`GET /_count`) but not kept.
pub async fn start_with(defect: Option<Defect>, count_only: bool) -> Fixture {
    serve(defect, count_only, false).await
}

/// Starts the correct server over TLS with `config` (see [`tls::Pki`]).
pub async fn start_tls(config: rustls::ServerConfig) -> Fixture {
    let (app, server) = app(None, false, false);
    let url = tls::serve(app, config).await;
    Fixture { url, server }
}

async fn serve(defect: Option<Defect>, count_only: bool, guarded: bool) -> Fixture {
    let (app, server) = app(defect, count_only, guarded);
    Fixture { url: serve_plain(app).await, server }
}

/// Serves `app` over plain HTTP on 127.0.0.1:0; returns its URL.
pub async fn serve_plain(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

fn app(defect: Option<Defect>, count_only: bool, guarded: bool) -> (Router, Shared) {
    let first = json!({"id": "w1", "name": "first", "size": 3, "color": "red"});
    let server = Arc::new(Server {
        defect,
        widgets: Mutex::new(HashMap::from([("w1".to_string(), first)])),
        jobs: Mutex::new(HashMap::new()),
        next: AtomicU64::new(100),
        seen: Mutex::new(Vec::new()),
        count_only,
        count: AtomicU64::new(0),
        guarded,
        uses: Mutex::new(HashMap::new()),
    });
    let app = Router::new()
        .route("/v1/widgets", get(list_widgets).post(create_widget))
        .route("/v1/widgets/{id}", get(show_widget).delete(delete_widget))
        .route("/v1/events", post(send_events))
        .route("/v1/jobs", post(start_job))
        .route("/v1/jobs/{id}", get(show_job))
        .route("/_count", get(count))
        .route("/", get(versions))
        .layer(middleware::from_fn_with_state(server.clone(), headers))
        .with_state(server.clone());
    (app, server)
}

/// The fixture spec.
pub fn spec() -> Spec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/widgets.yaml");
    Spec::load(&path).unwrap()
}

/// Settings every test starts from: all phases, mutations allowed, a fixed seed.
pub fn settings(url: &str) -> Settings {
    Settings::new(url)
        .allow_mutations(true)
        .max_cases(25)
        .seed(7)
        .workers(4)
        .poll_timeout(std::time::Duration::from_secs(1))
}

/// Runs every phase against a server with `defect`.
pub async fn conform(defect: Option<Defect>) -> Outcome {
    let fixture = start(defect).await;
    stackspec_conformance::run(spec(), settings(&fixture.url)).await.unwrap()
}

/// The names of the checks that failed.
pub fn failing_checks(outcome: &Outcome) -> BTreeSet<&'static str> {
    outcome.records.iter().flat_map(|r| r.failures().map(|f| f.check)).collect()
}

async fn headers(State(s): State<Shared>, request: Request, next: Next) -> Response {
    let version = request.headers().get("openstack-api-version").cloned();
    s.count.fetch_add(1, Ordering::Relaxed);
    if !s.count_only {
        let method = request.method().to_string();
        let headers = request.headers().clone();
        s.seen.lock().unwrap().push((method, headers));
    }
    if request.headers().get("x-auth-token").is_some_and(|t| t == EXPIRED_TOKEN) {
        return fault(&s, 401, "token expired");
    }
    let refused = if s.guarded { guard(&s, &request) } else { None };
    let mut response = match refused {
        Some(refusal) => refusal,
        None => as_fault(&s, next.run(request).await).await,
    };
    let h = response.headers_mut();
    if s.defect != Some(Defect::NoRequestId) {
        let id = format!("req-{}", s.next.fetch_add(1, Ordering::Relaxed));
        h.insert("x-openstack-request-id", HeaderValue::from_str(&id).unwrap());
    }
    if let (Some(v), false) = (version, s.defect == Some(Defect::NoVersionEcho)) {
        h.insert("openstack-api-version", v);
    }
    response
}

/// The refusal of a request whose token is missing, unknown, or a member's on a job.
fn guard(s: &Server, request: &Request) -> Option<Response> {
    let token = request.headers().get("x-auth-token").and_then(|t| t.to_str().ok());
    let member = match token {
        None if s.defect == Some(Defect::OpenWithoutToken) => false,
        None => return Some(fault(s, 401, "authentication required")),
        Some(t) if t.starts_with("member-") => true,
        Some(t) if t.starts_with("admin-") || t.starts_with("fresh-") => false,
        Some(t) if t.starts_with("short-") => {
            let mut uses = s.uses.lock().unwrap();
            let used = uses.entry(t.to_string()).or_default();
            *used += 1;
            if *used > SHORT_TOKEN_USES {
                return Some(fault(s, 401, "token expired"));
            }
            false
        }
        Some(_) if s.defect == Some(Defect::BogusTokenCrash) => {
            return Some(fault(s, 500, "token backend failed"))
        }
        Some(_) => return Some(fault(s, 401, "invalid token")),
    };
    let admin_only = request.uri().path().starts_with("/v1/jobs");
    let refused = member && admin_only && s.defect != Some(Defect::MemberRunsJobs);
    refused.then(|| fault(s, 403, "jobs are admin-only"))
}

/// The version document: microversions up to 1.2 (the spec goes to 1.3).
async fn versions() -> Response {
    reply(200, json!({"versions": [{"id": "v1", "max_version": "1.2"}]}))
}

async fn count(State(s): State<Shared>) -> String {
    // This request was counted too.
    (s.count.load(Ordering::Relaxed) - 1).to_string()
}

fn reply(status: u16, body: Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap();
    (status, [("content-type", "application/json")], body.to_string()).into_response()
}

/// axum's own refusals (a 405 for a method a path lacks, a body it cannot read) in the
/// service's fault shape, as an OpenStack service's framework answers them.
async fn as_fault(s: &Server, response: Response) -> Response {
    let json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let status = response.status().as_u16();
    if status < 400 || json {
        return response;
    }
    let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024).await.unwrap_or_default();
    fault(s, status, &String::from_utf8_lossy(&bytes))
}

fn fault(s: &Server, status: u16, message: &str) -> Response {
    if status == 404 && s.defect == Some(Defect::BareNotFound) {
        return reply(404, json!({"message": message}));
    }
    reply(status, json!({"error": {"code": status, "message": message}}))
}

async fn list_widgets(
    State(s): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let limit = match query.get("limit").map(|l| l.parse::<usize>()) {
        None => 100,
        Some(Ok(l)) if (1..=100).contains(&l) => l,
        Some(_) => return fault(&s, 400, "limit must be 1..100"),
    };
    let mut widgets: Vec<Value> = s.widgets.lock().unwrap().values().cloned().collect();
    widgets.sort_by_key(|w| w["id"].as_str().map(str::to_string));
    widgets.truncate(limit);
    if s.defect == Some(Defect::ListWithoutColor) {
        widgets.iter_mut().for_each(|w| {
            w.as_object_mut().unwrap().remove("color");
        });
    }
    let body = json!({"widgets": widgets});
    if s.defect == Some(Defect::TextPlainList) {
        return (StatusCode::OK, [("content-type", "text/plain")], body.to_string())
            .into_response();
    }
    reply(200, body)
}

/// The widget in a create body, or what is wrong with it.
fn valid_widget(body: &Value) -> Result<&serde_json::Map<String, Value>, &'static str> {
    let w = body.get("widget").and_then(Value::as_object).ok_or("widget must be an object")?;
    if w.keys().any(|k| !["name", "size", "color"].contains(&k.as_str())) {
        return Err("unknown field");
    }
    let name = w.get("name").and_then(Value::as_str).ok_or("name must be a string")?;
    if name.is_empty() || name.chars().count() > 20 {
        return Err("name must be 1..20 characters");
    }
    let size = w.get("size").and_then(Value::as_i64).ok_or("size must be an integer")?;
    if !(1..=10).contains(&size) {
        return Err("size must be 1..10");
    }
    match w.get("color") {
        None => Ok(w),
        Some(c) if c == "red" || c == "blue" => Ok(w),
        Some(_) => Err("color must be red or blue"),
    }
}

async fn create_widget(State(s): State<Shared>, body: String) -> Response {
    let body: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let fallback = json!({"widget": {"name": "accepted", "size": 1}});
    let widget = match (valid_widget(&body), s.defect) {
        (Ok(w), _) => w,
        // Stores a valid widget, so only the acceptance itself is wrong.
        (Err(_), Some(Defect::AcceptsInvalid)) => valid_widget(&fallback).unwrap(),
        (Err(why), _) => return fault(&s, 400, why),
    };
    if s.defect == Some(Defect::RejectsColor) && widget.contains_key("color") {
        return fault(&s, 400, "color not supported");
    }
    if s.defect == Some(Defect::ServerErrorAboveFive) && widget["size"].as_i64() > Some(5) {
        return fault(&s, 500, "size overflow");
    }
    let id = format!("w{}", s.next.fetch_add(1, Ordering::Relaxed));
    let mut stored = widget.clone();
    stored.insert("id".into(), json!(id));
    let stored = Value::Object(stored);
    if s.defect != Some(Defect::ForgetsCreated) {
        s.widgets.lock().unwrap().insert(id, stored.clone());
    }
    let status = if s.defect == Some(Defect::WrongCreateStatus) { 200 } else { 201 };
    reply(status, json!({"widget": stored}))
}

async fn show_widget(State(s): State<Shared>, UrlPath(id): UrlPath<String>) -> Response {
    let Some(mut widget) = s.widgets.lock().unwrap().get(&id).cloned() else {
        return fault(&s, 404, "no such widget");
    };
    if s.defect == Some(Defect::SizeAsString) {
        widget["size"] = json!(widget["size"].to_string());
    }
    reply(200, json!({"widget": widget}))
}

async fn delete_widget(State(s): State<Shared>, UrlPath(id): UrlPath<String>) -> Response {
    if s.defect == Some(Defect::DeleteStalls) {
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    }
    let mut widgets = s.widgets.lock().unwrap();
    let gone = match s.defect {
        Some(Defect::KeepsDeleted) => widgets.get(&id).cloned(),
        _ => widgets.remove(&id),
    };
    match gone {
        Some(_) => StatusCode::NO_CONTENT.into_response(),
        None => fault(&s, 404, "no such widget"),
    }
}

async fn send_events(State(s): State<Shared>, body: String) -> Response {
    let body: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let names: Option<Vec<&str>> = body
        .get("events")
        .and_then(Value::as_array)
        .filter(|e| (1..=3).contains(&e.len()))
        .and_then(|e| e.iter().map(|i| i.get("name")?.as_str()).collect());
    let names = match names {
        Some(n) if n.iter().all(|n| ["ping", "pong"].contains(n)) => n,
        _ if s.defect == Some(Defect::Undocumented422) => {
            return fault(&s, 422, "bad events");
        }
        _ => return fault(&s, 400, "bad events"),
    };
    let items: Vec<Value> = names
        .iter()
        .map(|n| json!({"name": n, "code": if *n == "ping" { 200 } else { 404 }}))
        .collect();
    let all_ok = names.iter().all(|n| *n == "ping");
    let status = match (all_ok, s.defect) {
        (true, Some(Defect::MultiStatusAllOk)) => 207,
        (false, Some(Defect::OkHidingA404)) => 200,
        (true, _) => 200,
        (false, _) => 207,
    };
    reply(status, json!({"events": items}))
}

async fn start_job(State(s): State<Shared>, body: String) -> Response {
    let body: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let kind = body["job"]["kind"].as_str();
    if kind.is_none_or(|k| k.chars().count() > 10) {
        return fault(&s, 400, "job.kind must be a string of at most 10 characters");
    }
    let id = format!("j{}", s.next.fetch_add(1, Ordering::Relaxed));
    s.jobs.lock().unwrap().insert(id.clone(), 0);
    if s.defect == Some(Defect::JobDoneAtOnce) {
        return reply(201, json!({"job": {"id": id, "status": "running"}}));
    }
    reply(202, json!({"job": {"id": id, "status": "running"}}))
}

async fn show_job(State(s): State<Shared>, UrlPath(id): UrlPath<String>, _: HeaderMap) -> Response {
    if s.defect == Some(Defect::EveryJobRunning) {
        return reply(200, json!({"job": {"id": id, "status": "running"}}));
    }
    let mut jobs = s.jobs.lock().unwrap();
    let Some(reads) = jobs.get_mut(&id) else {
        drop(jobs);
        return fault(&s, 404, "no such job");
    };
    *reads += 1;
    let done = *reads > 1 && s.defect != Some(Defect::JobNeverFinishes);
    let status = if done { "done" } else { "running" };
    reply(200, json!({"job": {"id": id, "status": status}}))
}
