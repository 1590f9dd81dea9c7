//! The microversion range a service announces: its version document (`{"version": {...}}`
//! at the endpoint, or `{"versions": [...]}` at its root) carries `version` (or
//! `max_version`) and `min_version`; some services (ironic-inspector) send the maximum in a
//! `*-Maximum-Version` header instead.

use serde_json::Value;
use stackspec_model::version::Microversion;

use crate::http::Response;

/// The highest microversion a version-document response announces.
pub fn max_version(response: &Response) -> Option<Microversion> {
    let from_header = response
        .headers
        .iter()
        .filter(|(n, _)| n.as_str().ends_with("-maximum-version"))
        .filter_map(|(_, v)| v.to_str().ok()?.parse().ok());
    let body = response.json.as_ref();
    let documents = body
        .and_then(|b| b.get("version"))
        .into_iter()
        .chain(body.and_then(|b| b["versions"].as_array()).into_iter().flatten());
    let from_body = documents.flat_map(|d| {
        ["version", "max_version"]
            .into_iter()
            .filter_map(move |k| d.get(k).and_then(Value::as_str)?.parse().ok())
    });
    from_header.chain(from_body).max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn response(headers: Vec<(&str, &str)>, body: Value) -> Response {
        Response {
            status: 200,
            headers: headers
                .into_iter()
                .map(|(n, v)| (n.parse().unwrap(), v.parse().unwrap()))
                .collect(),
            body: bytes::Bytes::new(),
            json: Some(body),
        }
    }

    #[test]
    fn reads_the_version_document_the_versions_list_and_the_header() {
        let nova = response(vec![], json!({"version": {"version": "2.96", "min_version": "2.1"}}));
        assert_eq!(max_version(&nova), Some(Microversion::new(2, 96)));
        let root = response(
            vec![],
            json!({"versions": [{"max_version": "1.9"}, {"max_version": "1.18", "version": ""}]}),
        );
        assert_eq!(max_version(&root), Some(Microversion::new(1, 18)));
        let inspector = response(
            vec![("x-openstack-ironic-inspector-api-maximum-version", "1.18")],
            json!({"versions": [{"id": "1"}]}),
        );
        assert_eq!(max_version(&inspector), Some(Microversion::new(1, 18)));
    }
}
