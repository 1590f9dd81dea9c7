//! Samples of paginated lists document one page of a longer list: nova's, from 2.58 on,
//! end with `links: [{"rel": "next", "href": "http://openstack.example.com/..."}]`. The
//! mock answers a sample as the whole list, so it drops the `next` links: a client that
//! pages (openstacksdk does) would otherwise follow them off the mock to the docs' host.

use serde_json::Value;

/// `example` without `next` links in its top-level link lists (`links`, `servers_links`,
/// ...); a list left empty by that is dropped, as nova leaves it out on a last page.
pub fn whole_list(mut example: Value) -> Value {
    if let Some(object) = example.as_object_mut() {
        object.retain(|key, value| {
            let Some(links) = value.as_array_mut().filter(|_| key.ends_with("links")) else {
                return true;
            };
            let before = links.len();
            links.retain(|link| link.get("rel").and_then(Value::as_str) != Some("next"));
            links.len() == before || !links.is_empty()
        });
    }
    example
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn next_links_go_and_other_links_stay() {
        let page = json!({
            "items": [{"links": [{"rel": "next", "href": "nested, not a page link"}]}],
            "items_links": [{"rel": "next", "href": "http://docs.example/items?marker=1"}],
            "links": [{"rel": "self", "href": "/a"}, {"rel": "next", "href": "/a?marker=1"}],
            "empty_links": [],
        });
        assert_eq!(
            whole_list(page),
            json!({
                "items": [{"links": [{"rel": "next", "href": "nested, not a page link"}]}],
                "links": [{"rel": "self", "href": "/a"}],
                "empty_links": [],
            })
        );
        assert_eq!(whole_list(json!([1])), json!([1]));
    }
}
