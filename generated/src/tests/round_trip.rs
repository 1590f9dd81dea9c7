use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use crate::fixtures::operations::client::Client;
use crate::fixtures::operations::server::{self, router, Api};
use crate::fixtures::operations::types::*;
use stackspec_runtime::Error;

/// A small stateful implementation of the fixture's operations.
#[derive(Default)]
struct Tasks {
    tasks: Mutex<Vec<Task>>,
}

const KNOWN_SERVER: &str = "s-known";

impl Api for Tasks {
    async fn list_tasks(
        &self,
        params: ListTasksParams,
    ) -> Result<ListTasksResponse, server::Fault> {
        let wanted = params.status.unwrap_or_default();
        let tasks = self.tasks.lock().unwrap().clone();
        let tasks = tasks
            .into_iter()
            .filter(|t| wanted.is_empty() || wanted.iter().any(|w| w == t.status.as_str()))
            .take(params.limit.map_or(usize::MAX, |l| l as usize))
            .collect();
        Ok(ListTasksResponse::Ok200(ListTasksOutput { tasks }))
    }

    async fn create_task(
        &self,
        body: CreateTaskRequest,
    ) -> Result<CreateTaskResponse, server::Fault> {
        if let CreateTaskRequestType::Other(kind) = body.r#type {
            return Ok(CreateTaskResponse::BadRequest400(Fault {
                message: Some(format!("unknown task type {kind}")),
                code: Some(400),
            }));
        }
        let mut tasks = self.tasks.lock().unwrap();
        let task =
            Task { id: format!("t{}", tasks.len() + 1), status: TaskStatus::Pending, result: None };
        tasks.push(task.clone());
        Ok(CreateTaskResponse::Created201(task))
    }

    async fn show_task(&self, task_id: String) -> Result<ShowTaskResponse, server::Fault> {
        let tasks = self.tasks.lock().unwrap();
        Ok(match tasks.iter().find(|t| t.id == task_id) {
            Some(task) => ShowTaskResponse::Ok200(task.clone()),
            None => ShowTaskResponse::NotFound404(Fault {
                message: Some(format!("no task {task_id}")),
                code: Some(404),
            }),
        })
    }

    async fn list_introspections(&self) -> Result<ListIntrospectionsResponse, server::Fault> {
        Ok(ListIntrospectionsResponse::Ok200)
    }

    async fn post_v1_introspection_node_id_abort(
        &self,
        _node_id: String,
    ) -> Result<PostV1IntrospectionNodeIdAbortResponse, server::Fault> {
        Ok(PostV1IntrospectionNodeIdAbortResponse::Accepted202)
    }

    async fn create_external_events(
        &self,
        mut body: Events,
    ) -> Result<CreateExternalEventsResponse, server::Fault> {
        let mut all_known = true;
        for event in &mut body.events {
            let known = event.server_uuid == KNOWN_SERVER;
            all_known &= known;
            event.code = Some(if known { 200 } else { 404 });
        }
        Ok(if all_known {
            CreateExternalEventsResponse::Ok200(body)
        } else {
            CreateExternalEventsResponse::MultiStatus207(body)
        })
    }

    async fn download_image(
        &self,
        image_id: String,
    ) -> Result<DownloadImageResponse, server::Fault> {
        Ok(DownloadImageResponse::Ok200(image_id.into_bytes()))
    }

    async fn upload_image(
        &self,
        _image_id: String,
        body: Vec<u8>,
    ) -> Result<UploadImageResponse, server::Fault> {
        // A status the fixture does not document, answered in its fault format.
        if body.is_empty() {
            return Err(server::Fault::new(422, "an image needs data"));
        }
        Ok(UploadImageResponse::NoContent204)
    }
}

/// Serves `app` on an ephemeral port of 127.0.0.1 for the rest of the test's runtime.
async fn serve(app: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

async fn client() -> (Client, SocketAddr) {
    let app = router(Arc::new(Tasks::default())).layer(axum::middleware::map_response(
        |mut response: axum::response::Response| async move {
            let id = axum::http::HeaderValue::from_static("req-1");
            response.headers_mut().insert("x-openstack-request-id", id);
            response
        },
    ));
    let addr = serve(app).await;
    (Client::new(&format!("http://{addr}")).unwrap(), addr)
}

fn import() -> CreateTaskRequest {
    CreateTaskRequest { r#type: CreateTaskRequestType::Import, input: serde_json::Map::new() }
}

#[tokio::test]
async fn documented_successes_are_ok_and_documented_errors_err_with_their_typed_fault() {
    let (client, addr) = client().await;
    let created = client.create_task(&import()).await.unwrap();
    assert_eq!((created.status(), created.request_id()), (201, Some("req-1")));
    let task = created.into_inner();
    let shown = client.show_task(&task.id).await.unwrap();
    assert_eq!((shown.status(), shown.into_inner()), (200, task));
    match client.show_task("nope/../x").await {
        Err(Error::ErrorResponse(fault)) => {
            assert_eq!(fault.status(), 404);
            assert_eq!(fault.request_id(), Some("req-1"));
            assert_eq!(fault.into_inner().message.as_deref(), Some("no task nope/../x"));
        }
        other => panic!("{other:?}"),
    }
    let mut bad = import();
    bad.r#type = CreateTaskRequestType::Other("export".into());
    let refused = client.create_task(&bad).await.unwrap_err();
    assert!(matches!(refused, Error::ErrorResponse(ref f) if f.status() == 400), "{refused:?}");
    let listed = client.list_introspections().await.unwrap();
    assert_eq!((listed.status(), listed.into_inner()), (200, ()));
    let slash = reqwest::get(format!("http://{addr}/v1/introspection/")).await.unwrap();
    assert_eq!(slash.status().as_u16(), 200, "the trailing slash is kept in the route");
    let aborted = client.post_v1_introspection_node_id_abort("n1").await.unwrap();
    assert_eq!(aborted.status(), 202);
}

#[tokio::test]
async fn external_events_answer_200_or_207_with_per_event_codes() {
    let (client, _) = client().await;
    let event = |server: &str| Event {
        name: "network-changed".into(),
        server_uuid: server.into(),
        code: None,
        status: None,
    };
    let all_known = Events { events: vec![event(KNOWN_SERVER)] };
    let reply = client.create_external_events(&all_known).await.unwrap();
    assert_eq!(reply.status(), 200);
    let mixed = Events { events: vec![event(KNOWN_SERVER), event("s-unknown")] };
    let reply = client.create_external_events(&mixed).await.unwrap();
    let CreateExternalEventsResponse::MultiStatus207(events) = reply.into_inner() else {
        panic!("not 207")
    };
    let codes: Vec<_> = events.events.iter().map(|e| e.code).collect();
    assert_eq!(codes, [Some(200), Some(404)]);
}

#[tokio::test]
async fn query_arrays_repeat_their_key_and_bytes_bodies_pass_through() {
    let (client, _) = client().await;
    client.create_task(&import()).await.unwrap();
    let params = ListTasksParams {
        limit: Some(5),
        status: Some(vec!["failure".into(), "pending".into()]),
        since: None,
        x_openstack_request_id: Some("req-client".into()),
    };
    let listed = client.list_tasks(&params).await.unwrap().into_inner();
    assert_eq!(listed.tasks.len(), 1);
    let params =
        ListTasksParams { status: Some(vec!["success".into()]), ..ListTasksParams::default() };
    let listed = client.list_tasks(&params).await.unwrap().into_inner();
    assert!(listed.tasks.is_empty());
    let data = client.download_image("img").await.unwrap().into_inner();
    assert_eq!(data, DownloadImageResponse::Ok200(b"img".to_vec()));
    let uploaded = client.upload_image("img", b"\x00\x01").await.unwrap();
    assert_eq!(uploaded.status(), 204);
}

#[tokio::test]
async fn an_implementation_fault_is_answered_in_the_fault_format_even_when_undocumented() {
    let (client, _) = client().await;
    match client.upload_image("img", b"").await {
        Err(Error::UnexpectedResponse(response)) if response.status == 422 => {
            let body: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
            assert_eq!(body["error"]["message"], "an image needs data");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_router_refuses_bad_input_with_the_fault_body() {
    let (_, addr) = client().await;
    let http = reqwest::Client::new();
    let url = |path: &str| format!("http://{addr}{path}");
    let post = |body: &'static str, content_type: &'static str| {
        http.post(url("/v2/tasks")).header("content-type", content_type).body(body).send()
    };
    let fault = |response: reqwest::Response| async move {
        let status = response.status().as_u16();
        let body: serde_json::Value = response.json().await.unwrap();
        let message = body["error"]["message"].as_str();
        (status, message.expect("a fault body").to_string())
    };
    let (status, message) = fault(post("{not json", "application/json").await.unwrap()).await;
    assert_eq!((status, message.starts_with("malformed JSON")), (400, true));
    let (status, message) =
        fault(post(r#"{"type": "import"}"#, "application/json").await.unwrap()).await;
    assert_eq!(status, 400);
    assert!(message.contains(r#""input" is a required property"#), "{message}");
    // serde reads an unknown type as `Other`; the schema's enum refuses it first.
    let serde_accepts = r#"{"type": "export", "input": {}}"#;
    assert!(serde_json::from_str::<CreateTaskRequest>(serde_accepts).is_ok());
    let (status, message) = fault(post(serde_accepts, "application/json").await.unwrap()).await;
    assert_eq!(status, 400);
    assert!(message.starts_with("invalid body at `/type`"), "{message}");
    let (status, _) = fault(post("{}", "text/plain").await.unwrap()).await;
    assert_eq!(status, 415);
    let big = vec![b' '; crate::fixtures::operations::server::MAX_BODY_BYTES + 1];
    let response = http
        .post(url("/v2/tasks"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(fault(response).await.0, 413);
    let (status, _) = fault(http.get(url("/v3/nothing")).send().await.unwrap()).await;
    assert_eq!(status, 404);
    let response = http.delete(url("/v2/tasks")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(response.headers()["allow"], "GET,HEAD,POST");
    assert_eq!(fault(response).await.1, "DELETE is not allowed on /v2/tasks");
    let bad_limit = http.get(url("/v2/tasks?limit=ten")).send().await.unwrap();
    assert_eq!(fault(bad_limit).await.0, 400);
}

/// `since` exists from 2.5: below (and with no version header, the lowest) the router reads
/// it as absent, as the services ignore it; from 2.5 on it is held to its type.
#[tokio::test]
async fn a_query_parameter_is_read_only_at_the_microversions_it_exists_at() {
    let (_, addr) = client().await;
    let get = |version: Option<&'static str>| {
        let mut request = reqwest::Client::new().get(format!("http://{addr}/v2/tasks?since=ten"));
        if let Some(version) = version {
            request = request.header("OpenStack-API-Version", format!("operations {version}"));
        }
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(get(None).await, 200);
    assert_eq!(get(Some("2.4")).await, 200);
    assert_eq!(get(Some("2.5")).await, 400);
    assert_eq!(get(Some("latest")).await, 400);
}

#[tokio::test]
async fn undocumented_statuses_and_mismatched_bodies_are_errors_keeping_the_raw_body() {
    use axum::routing::get;
    let app = axum::Router::new()
        .route(
            "/v2/tasks/{id}",
            get(|| async { (axum::http::StatusCode::IM_A_TEAPOT, "short and stout") }),
        )
        .route("/v2/tasks", get(|| async { r#"{"tasks": "not a list"}"# }));
    let addr = serve(app).await;
    let client = Client::new(&format!("http://{addr}")).unwrap();
    match client.show_task("t1").await {
        Err(Error::UnexpectedResponse(response)) if response.status == 418 => {
            assert_eq!(response.body, b"short and stout")
        }
        other => panic!("{other:?}"),
    }
    match client.list_tasks(&ListTasksParams::default()).await {
        Err(Error::InvalidResponse { response, .. }) if response.status == 200 => {
            assert_eq!(response.body, br#"{"tasks": "not a list"}"#)
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_client_sends_token_and_microversion_headers() {
    use axum::http::HeaderMap;
    let echo = |headers: HeaderMap| async move {
        let get =
            |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("-").to_string();
        axum::Json(serde_json::json!({
            "id": format!("{}|{}", get("x-auth-token"), get("openstack-api-version")),
            "status": "pending",
        }))
    };
    let addr = serve(axum::Router::new().route("/v2/tasks/{id}", axum::routing::get(echo))).await;
    let client =
        Client::new(&format!("http://{addr}")).unwrap().with_token("tok").with_microversion("2.5");
    let task = client.show_task("t").await.unwrap().into_inner();
    assert_eq!(task.id, "tok|operations 2.5");
}
