//! Path and query parameters beyond one per segment and scalar values, on the fixtures
//! `path_templates` and `object_query`: the generated client against the generated server
//! over 127.0.0.1, and raw requests where the wire form itself is the point.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use crate::fixtures::{object_query, path_templates};

/// Serves `app` on an ephemeral port of 127.0.0.1 for the rest of the test's runtime.
async fn serve(app: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// Answers with the path parameters it was given.
struct Echo;

impl path_templates::server::Api for Echo {
    async fn show_ptr(
        &self,
        floatingip_id: String,
        region: String,
    ) -> Result<path_templates::types::ShowPtrResponse, path_templates::server::Fault> {
        let record = path_templates::types::Floatingip {
            region: Some(region),
            floatingip_id: Some(floatingip_id),
        };
        Ok(path_templates::types::ShowPtrResponse::Ok200(record))
    }

    async fn show_indicator(
        &self,
        component: String,
        node_ident: String,
        ind_ident: i64,
    ) -> Result<path_templates::types::ShowIndicatorResponse, path_templates::server::Fault> {
        let indicator = path_templates::types::Indicator {
            node_ident: Some(node_ident),
            ind_ident: Some(ind_ident),
            component: Some(component),
        };
        Ok(path_templates::types::ShowIndicatorResponse::Ok200(indicator))
    }

    async fn show_tap_service(
        &self,
        tap_service_id_name: String,
    ) -> Result<path_templates::types::ShowTapServiceResponse, path_templates::server::Fault> {
        let tap_service = path_templates::types::TapService { id: Some(tap_service_id_name) };
        let output = path_templates::types::ShowTapServiceOutput { tap_service: Some(tap_service) };
        Ok(path_templates::types::ShowTapServiceResponse::Ok200(output))
    }
}

#[tokio::test]
async fn a_segment_mixing_text_and_parameters_is_built_and_cut_by_its_literals() {
    let addr = serve(path_templates::server::router(Arc::new(Echo))).await;
    let client = path_templates::client::Client::new(&format!("http://{addr}")).unwrap();
    let record = client.show_ptr("f-1", "east").await.unwrap().into_inner();
    assert_eq!(
        (record.region.as_deref(), record.floatingip_id.as_deref()),
        (Some("east"), Some("f-1"))
    );
    let indicator = client.show_indicator("bmc", "n-1", &7).await.unwrap().into_inner();
    let read =
        (indicator.node_ident.as_deref(), indicator.ind_ident, indicator.component.as_deref());
    assert_eq!(read, (Some("n-1"), Some(7), Some("bmc")));
    // The wire form is the template's: `east:f-1`, each parameter ending at its literal.
    let raw =
        reqwest::get(format!("http://{addr}/v2/reverse/floatingips/east:f-1:x")).await.unwrap();
    let body: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(body, serde_json::json!({"region": "east", "floatingip_id": "f-1:x"}));
    for wrong in ["/v2/reverse/floatingips/east", "/v1/nodes/n-1/indicators/led-7.json"] {
        let raw = reqwest::get(format!("http://{addr}{wrong}")).await.unwrap();
        assert_eq!(raw.status().as_u16(), 404, "{wrong}");
    }
    let raw =
        reqwest::get(format!("http://{addr}/v1/nodes/n/indicators/led-x@bmc.json")).await.unwrap();
    assert_eq!(raw.status().as_u16(), 400, "`ind_ident` is an integer");
}

#[tokio::test]
async fn a_parameter_whose_name_holds_a_slash_is_one_segment() {
    let addr = serve(path_templates::server::router(Arc::new(Echo))).await;
    let client = path_templates::client::Client::new(&format!("http://{addr}")).unwrap();
    let id = |output: path_templates::types::ShowTapServiceOutput| output.tap_service.unwrap().id;
    let shown = client.show_tap_service("tap/1").await.unwrap().into_inner();
    assert_eq!(id(shown).as_deref(), Some("tap/1"), "a `/` in the value is encoded, not a segment");
    let raw = reqwest::get(format!("http://{addr}/v2.0/taas/tap_services/tap-1")).await.unwrap();
    let body: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(body, serde_json::json!({"tap_service": {"id": "tap-1"}}));
}

/// Answers with the query parameters it was given.
struct Query;

impl object_query::server::Api for Query {
    async fn list_volumes(
        &self,
        params: object_query::types::ListVolumesParams,
    ) -> Result<object_query::types::ListVolumesResponse, object_query::server::Fault> {
        let read = object_query::types::ListVolumesOutput {
            limit: params.limit,
            metadata: params.metadata,
            sort: params.sort,
        };
        Ok(object_query::types::ListVolumesResponse::Ok200(read))
    }

    async fn list_snapshots(
        &self,
        params: object_query::types::ListSnapshotsParams,
    ) -> Result<object_query::types::ListSnapshotsResponse, object_query::server::Fault> {
        Ok(object_query::types::ListSnapshotsResponse::Ok200(params.sizes.unwrap_or_default()))
    }

    async fn list_backups(
        &self,
        params: object_query::types::ListBackupsParams,
    ) -> Result<object_query::types::ListBackupsResponse, object_query::server::Fault> {
        let read = object_query::types::ListBackupsOutput {
            metadata: params.metadata,
            counts: params.counts,
        };
        Ok(object_query::types::ListBackupsResponse::Ok200(read))
    }
}

#[tokio::test]
async fn an_object_in_the_query_travels_as_one_pair_per_member() {
    let addr = serve(object_query::server::router(Arc::new(Query))).await;
    let client = object_query::client::Client::new(&format!("http://{addr}")).unwrap();
    let metadata = serde_json::json!({"color": "red", "tier": "gold"}).as_object().cloned();
    let params = object_query::types::ListVolumesParams {
        limit: Some(2),
        metadata: metadata.clone(),
        sort: Some(vec!["name".into(), "size".into()]),
    };
    let read = client.list_volumes(&params).await.unwrap().into_inner();
    assert_eq!((read.limit, read.metadata, read.sort), (params.limit, metadata, params.sort));
    let none = client.list_volumes(&Default::default()).await.unwrap().into_inner();
    assert_eq!(none.metadata, None, "no pair but the other parameters' is no object");
    // On the wire, the members are pairs of their own beside the other parameters.
    let raw =
        reqwest::get(format!("http://{addr}/v3/volumes?limit=1&color=red&sort=a")).await.unwrap();
    let body: serde_json::Value = raw.json().await.unwrap();
    let expected = serde_json::json!({"limit": 1, "metadata": {"color": "red"}, "sort": ["a"]});
    assert_eq!(body, expected);
}

#[tokio::test]
async fn an_object_in_the_query_is_typed_and_read_only_inside_its_microversions() {
    let addr = serve(object_query::server::router(Arc::new(Query))).await;
    let base = format!("http://{addr}");
    let sizes = BTreeMap::from([("large".to_string(), 3), ("small".to_string(), 1)]);
    let params = object_query::types::ListSnapshotsParams { sizes: Some(sizes.clone()) };
    let old = object_query::client::Client::new(&base).unwrap();
    assert_eq!(old.list_snapshots(&params).await.unwrap().into_inner(), BTreeMap::new());
    let new = object_query::client::Client::new(&base).unwrap().with_microversion("1.2");
    assert_eq!(new.list_snapshots(&params).await.unwrap().into_inner(), sizes);
    let raw = reqwest::Client::new()
        .get(format!("{base}/v3/snapshots?large=many"))
        .header("OpenStack-API-Version", "object_query 1.2")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 400, "the members are integers");
}

/// A `content` parameter (cinder's `metadata`, "a url encoded dictionary") travels as one
/// pair holding its JSON text, is read only inside its microversions, and text that is not
/// JSON gets 400.
#[tokio::test]
async fn a_json_encoded_parameter_travels_as_one_pair_holding_its_json() {
    let addr = serve(object_query::server::router(Arc::new(Query))).await;
    let base = format!("http://{addr}");
    let metadata = BTreeMap::from([("color".to_string(), "red".to_string())]);
    let counts = BTreeMap::from([("large".to_string(), 3)]);
    let params = object_query::types::ListBackupsParams {
        metadata: Some(metadata.clone()),
        counts: Some(counts.clone()),
    };
    let new = object_query::client::Client::new(&base).unwrap().with_microversion("1.2");
    let read = new.list_backups(&params).await.unwrap().into_inner();
    assert_eq!((read.metadata, read.counts), (Some(metadata.clone()), Some(counts)));
    let old = object_query::client::Client::new(&base).unwrap();
    let read = old.list_backups(&params).await.unwrap().into_inner();
    assert_eq!((read.metadata, read.counts), (Some(metadata), None));
    let get = |query: &str| reqwest::get(format!("{base}/v3/backups?{query}"));
    let raw = get("metadata=%7B%22tier%22%3A%22gold%22%7D").await.unwrap();
    let body: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(body, serde_json::json!({"metadata": {"tier": "gold"}}));
    assert_eq!(get("metadata=tier").await.unwrap().status().as_u16(), 400, "not JSON");
    assert_eq!(get("tier=gold").await.unwrap().status().as_u16(), 200, "no member pairs");
}
