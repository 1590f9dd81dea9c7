//! The behaviours a mock must remember things for, keyed by `METHOD /path/template` (each
//! route belongs to one service's API, so the route alone selects the behaviour):
//!
//! - image: a task created by `POST /v2/tasks` is listed and shown, and moves
//!   pending → processing → success, one step each time it is read;
//! - baremetal-introspection: `POST .../abort` answers 202 for a node under introspection
//!   and the status then shows the abort; unknown nodes get 404;
//! - compute: external events answer 200 when every server is known (the servers of the
//!   documented samples) and 207 with per-event codes when some are not.
//!
//! Tasks and nodes are kept in [`Capped`] stores (the oldest forgotten past
//! [`super::capped::CAP`]), and the task list is paged as glance pages it ([`paging`]).

use std::sync::Mutex;

use serde_json::{json, Value};

use super::capped::Capped;
use super::paging::PageRequest;
use super::{Answer, MockOperation};

const TASK_STEPS: [&str; 3] = ["pending", "processing", "success"];

#[derive(Default)]
struct Inner {
    /// Task id → the task and its step in `TASK_STEPS`.
    tasks: Capped<(Value, usize)>,
    /// Node id → its introspection status.
    nodes: Capped<Value>,
    created: u64,
}

pub struct State {
    /// Server ids the compute mock knows (from the samples).
    servers: Vec<String>,
    inner: Mutex<Inner>,
}

impl State {
    /// The starting state: for compute, the servers named in the external events samples;
    /// for inspector, the node of the status sample.
    pub fn seeded(operations: &[MockOperation]) -> Self {
        let operation = |key: &str| operations.iter().find(|op| op.key == key);
        let mut inner = Inner::default();
        let mut servers = Vec::new();
        if let Some(op) = operation("POST /os-server-external-events") {
            let samples = op.request_example.iter().chain(op.example_at(None));
            let listed = samples.flat_map(|s| s["events"].as_array().into_iter().flatten());
            servers.extend(listed.filter_map(|e| e["server_uuid"].as_str().map(String::from)));
        }
        if let Some(status) =
            operation("GET /v1/introspection/{node_id}").and_then(|op| op.example_at(None).cloned())
        {
            if let Some(uuid) = status["uuid"].as_str() {
                inner.nodes.insert(uuid.to_string(), status.clone());
            }
        }
        Self { servers, inner: Mutex::new(inner) }
    }

    /// The stateful answer to an operation, or `None` to answer from the document.
    pub fn answer(
        &self,
        key: &str,
        params: &[(String, String)],
        query: Option<&str>,
        body: Option<&Value>,
        example: Option<&Value>,
    ) -> Option<Answer> {
        let param = |name: &str| params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        let mut inner = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match key {
            "POST /v2/tasks" => Some(create_task(&mut inner, body, example)),
            "GET /v2/tasks" => Some(list_tasks(&mut inner, query, example)),
            "GET /v2/tasks/{task_id}" => Some(show_task(&mut inner, param("task_id")?)),
            "POST /v1/introspection/{node_id}" => {
                Some(start_introspection(&mut inner, param("node_id")?))
            }
            "POST /v1/introspection/{node_id}/abort" => {
                Some(abort_introspection(&mut inner, param("node_id")?))
            }
            "GET /v1/introspection/{node_id}" => {
                Some(introspection_status(&inner, param("node_id")?))
            }
            "POST /os-server-external-events" => Some(self.external_events(body?)),
            _ => None,
        }
    }

    fn external_events(&self, body: &Value) -> Answer {
        let mut events = body["events"].as_array().cloned().unwrap_or_default();
        let mut all_known = true;
        for event in &mut events {
            let known =
                event["server_uuid"].as_str().is_some_and(|s| self.servers.iter().any(|k| k == s));
            all_known &= known;
            // An integer, as nova sends it (F2, corrected in spec/corrections/compute.yaml).
            event["code"] = json!(if known { 200 } else { 404 });
            event["status"] = json!(if known { "completed" } else { "failed" });
        }
        Answer::Json(if all_known { 200 } else { 207 }, json!({ "events": events }))
    }
}

fn not_found(what: &str, id: &str) -> Answer {
    Answer::Fault(404, format!("{what} {id} could not be found"))
}

fn create_task(inner: &mut Inner, body: Option<&Value>, example: Option<&Value>) -> Answer {
    inner.created += 1;
    let id = format!("00000000-0000-4000-8000-{:012x}", inner.created);
    let mut task = example.cloned().unwrap_or_else(|| json!({}));
    task["id"] = json!(id);
    task["status"] = json!(TASK_STEPS[0]);
    task["self"] = json!(format!("/v2/tasks/{id}"));
    if let Some(body) = body {
        task["type"] = body["type"].clone();
        task["input"] = body["input"].clone();
    }
    inner.tasks.insert(id, (task.clone(), 0));
    Answer::Json(201, task)
}

/// Moves a task one step on and returns it as now seen.
fn advance(entry: &mut (Value, usize)) -> Value {
    entry.1 = (entry.1 + 1).min(TASK_STEPS.len() - 1);
    entry.0["status"] = json!(TASK_STEPS[entry.1]);
    entry.0.clone()
}

/// A page of the tasks (each moved one step on), with `next` while more follow.
fn list_tasks(inner: &mut Inner, query: Option<&str>, example: Option<&Value>) -> Answer {
    let request = match PageRequest::parse(query) {
        Ok(request) => request,
        Err(message) => return Answer::Fault(400, message),
    };
    let (tasks, next) = match request.page(&mut inner.tasks, "/v2/tasks", advance) {
        Ok(page) => page,
        Err(message) => return Answer::Fault(404, message),
    };
    let mut listing = example.cloned().unwrap_or_else(|| json!({}));
    listing["tasks"] = Value::Array(tasks);
    if let Some(next) = next {
        listing["next"] = json!(next);
    } else if let Some(listing) = listing.as_object_mut() {
        listing.shift_remove("next");
    }
    Answer::Json(200, listing)
}

fn show_task(inner: &mut Inner, id: &str) -> Answer {
    match inner.tasks.get_mut(id) {
        Some(entry) => Answer::Json(200, advance(entry)),
        None => not_found("task", id),
    }
}

fn start_introspection(inner: &mut Inner, node: &str) -> Answer {
    let status = json!({
        "uuid": node,
        "state": "waiting",
        "finished": false,
        "error": null,
        "started_at": "2017-08-16 12:22:01",
        "finished_at": null,
        "links": [{"href": format!("/v1/introspection/{node}"), "rel": "self"}],
    });
    inner.nodes.insert(node.to_string(), status);
    Answer::Empty(202)
}

fn abort_introspection(inner: &mut Inner, node: &str) -> Answer {
    match inner.nodes.get_mut(node) {
        Some(status) => {
            status["state"] = json!("error");
            status["finished"] = json!(true);
            status["error"] = json!("Canceled by operator");
            status["finished_at"] = json!("2017-08-16 12:24:30");
            Answer::Empty(202)
        }
        None => not_found("node", node),
    }
}

fn introspection_status(inner: &Inner, node: &str) -> Answer {
    match inner.nodes.get(node) {
        Some(status) => Answer::Json(200, status.clone()),
        None => not_found("node", node),
    }
}
