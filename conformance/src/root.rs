//! Version discovery lives at a service's unversioned root. A catalog gives an endpoint
//! that already ends in the API's version (nova's `http://host/compute/v2.1`) and the spec's
//! paths are relative to it (`/servers`), but the spec's version-discovery operations
//! (`/`, `/{api_version}/`, `/v2/`) name the root above that version: joined onto the
//! endpoint, `GET /` would ask for `.../v2.1/`, another document. Such operations are sent
//! to the endpoint without its version suffix; every other one to the endpoint as given.

/// Whether `template` is a version-discovery path: the root, or one segment that is a
/// version (`/v2/`, `/v2.1`) or a parameter naming one (`/{api_version}/`).
pub fn is_version_discovery(template: &str) -> bool {
    let segments: Vec<&str> = template.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [] => true,
        [one] => {
            let parameter = one.strip_prefix('{').and_then(|s| s.strip_suffix('}'));
            parameter.map_or_else(|| is_version(one), |name| name.contains("version"))
        }
        _ => false,
    }
}

/// `base` without a trailing version segment (`http://h/compute/v2.1` → `http://h/compute`);
/// `base` itself when it has none (or the version is its host's only path).
pub fn unversioned(base: &str) -> &str {
    let trimmed = base.trim_end_matches('/');
    let Some((rest, last)) = trimmed.rsplit_once('/') else {
        return base;
    };
    if rest.ends_with('/') || rest.ends_with(':') || !is_version(last) {
        return base;
    }
    rest
}

/// `v1`, `v2.1`, `v3.0`: how OpenStack endpoints spell an API version.
fn is_version(segment: &str) -> bool {
    let Some(number) = segment.strip_prefix('v') else {
        return false;
    };
    !number.is_empty()
        && number
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_suffix_of_an_endpoint_is_stripped_for_version_discovery_only() {
        assert_eq!(unversioned("http://h:8774/v2.1"), "http://h:8774");
        assert_eq!(unversioned("http://h/compute/v2.1/"), "http://h/compute");
        assert_eq!(unversioned("http://h:9292"), "http://h:9292");
        assert_eq!(unversioned("http://h/compute/versions"), "http://h/compute/versions");
        assert!(is_version_discovery("/"));
        assert!(is_version_discovery("/{api_version}/"));
        assert!(is_version_discovery("/v2/"));
        assert!(!is_version_discovery("/servers"));
        assert!(!is_version_discovery("/{account}"));
        assert!(!is_version_discovery("/v2/images"));
    }
}
