//! One page of a stateful list, as glance pages its lists: `limit` items (25 unless asked,
//! at most 1000: glance's `limit_param_default` and `api_limit_max`), after the item
//! `marker` names, newest first unless `sort_dir=asc`, with a `next` link carrying the
//! request's query and the last item's id as marker while more items follow. A `limit`
//! that is not a count or an unknown `sort_dir` get 400, as glance answers them; a
//! `marker` naming no item (never stored, or forgotten past the cap) 404, the status the
//! tasks list documents for it.

use super::capped::Capped;
use super::query::pairs;
use super::routes::encode;

/// Items on a page when the request gives no `limit`.
pub const DEFAULT_LIMIT: usize = 25;
/// The most items on one page, whatever `limit` asks.
pub const MAX_LIMIT: usize = 1000;

/// What a list request asks of the page it gets.
#[derive(Debug, PartialEq, Eq)]
pub struct PageRequest {
    limit: usize,
    marker: Option<String>,
    ascending: bool,
    /// The other query parameters, repeated in the `next` link.
    others: Vec<(String, String)>,
}

impl PageRequest {
    /// Reads `limit`, `marker` and `sort_dir` from a query string; `Err` says why one of
    /// them is invalid.
    pub fn parse(query: Option<&str>) -> Result<Self, String> {
        let mut request =
            Self { limit: DEFAULT_LIMIT, marker: None, ascending: false, others: Vec::new() };
        for (name, value) in pairs(query) {
            match name.as_str() {
                "limit" => {
                    let limit: usize = value
                        .parse()
                        .map_err(|_| format!("limit `{value}`: expected a non-negative integer"))?;
                    request.limit = limit.min(MAX_LIMIT);
                }
                "marker" => request.marker = Some(value),
                "sort_dir" => {
                    request.ascending = match value.as_str() {
                        "asc" => true,
                        "desc" => false,
                        _ => return Err(format!("sort_dir `{value}`: expected asc or desc")),
                    };
                    request.others.push((name, value));
                }
                _ => request.others.push((name, value)),
            }
        }
        Ok(request)
    }

    /// The page of `store` asked for, each item seen through `view`, and the `next` link
    /// (relative to `path`) while more items follow; `Err` for a marker naming no item (a
    /// 404, where [`PageRequest::parse`]'s errors are 400s).
    pub fn page<T, V>(
        &self,
        store: &mut Capped<T>,
        path: &str,
        mut view: impl FnMut(&mut T) -> V,
    ) -> Result<(Vec<V>, Option<String>), String> {
        let after = match &self.marker {
            Some(marker) => Some(
                store
                    .position(marker)
                    .ok_or_else(|| format!("marker {marker} could not be found"))?,
            ),
            None => None,
        };
        let positions: Vec<usize> = match (self.ascending, after) {
            (true, after) => (after.map_or(0, |a| a + 1)..store.len()).collect(),
            (false, after) => (0..after.unwrap_or(store.len())).rev().collect(),
        };
        let mut items = Vec::new();
        let mut last = None;
        for &position in positions.iter().take(self.limit) {
            if let Some((id, item)) = store.at_mut(position) {
                last = Some(id.clone());
                items.push(view(item));
            }
        }
        let next = last.filter(|_| positions.len() > self.limit).map(|id| self.next(path, &id));
        Ok((items, next))
    }

    /// The link to the page after the item `last`.
    fn next(&self, path: &str, last: &str) -> String {
        let limit = self.limit.to_string();
        let pairs = self.others.iter().map(|(n, v)| (n.as_str(), v.as_str()));
        let pairs = pairs.chain([("limit", limit.as_str()), ("marker", last)]);
        let query: Vec<String> =
            pairs.map(|(n, v)| format!("{}={}", encode(n), encode(v))).collect();
        format!("{path}?{}", query.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(n: usize) -> Capped<usize> {
        let mut store = Capped::default();
        for i in 0..n {
            store.insert(format!("t{i}"), i);
        }
        store
    }

    fn page(
        store: &mut Capped<usize>,
        query: &str,
    ) -> Result<(Vec<usize>, Option<String>), String> {
        PageRequest::parse(Some(query))?.page(store, "/v2/tasks", |i| *i)
    }

    #[test]
    fn a_list_is_paged_newest_first_with_a_next_link_until_the_last_page() {
        let mut tasks = store(5);
        let (first, next) = page(&mut tasks, "limit=2&type=import").unwrap();
        assert_eq!(first, [4, 3]);
        assert_eq!(next.as_deref(), Some("/v2/tasks?type=import&limit=2&marker=t3"));
        let (second, next) = page(&mut tasks, "type=import&limit=2&marker=t3").unwrap();
        assert_eq!(second, [2, 1]);
        let (last, next) = page(&mut tasks, &next.unwrap()["/v2/tasks?".len()..]).unwrap();
        assert_eq!(last, [0]);
        assert_eq!(next, None);
    }

    #[test]
    fn ascending_pages_follow_the_marker_forwards() {
        let mut tasks = store(3);
        let (items, next) = page(&mut tasks, "sort_dir=asc&limit=2&marker=t0").unwrap();
        assert_eq!(items, [1, 2]);
        assert_eq!(next, None);
    }

    #[test]
    fn without_a_limit_a_page_holds_the_default_and_a_limit_is_capped() {
        let mut tasks = store(DEFAULT_LIMIT + 1);
        let (items, next) = page(&mut tasks, "").unwrap();
        assert_eq!(items.len(), DEFAULT_LIMIT);
        assert!(next.is_some());
        let request = PageRequest::parse(Some("limit=999999")).unwrap();
        assert_eq!(request.limit, MAX_LIMIT);
    }

    #[test]
    fn an_unknown_marker_a_bad_limit_or_sort_dir_is_refused() {
        let mut tasks = store(1);
        assert_eq!(page(&mut tasks, "marker=gone"), Err("marker gone could not be found".into()));
        assert!(page(&mut tasks, "limit=-1").unwrap_err().contains("limit `-1`"));
        assert!(page(&mut tasks, "sort_dir=up").unwrap_err().contains("sort_dir `up`"));
    }
}
