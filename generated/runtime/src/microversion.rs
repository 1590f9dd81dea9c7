//! Microversion headers: the standard `OpenStack-API-Version: compute 2.58` (a comma list may
//! name several services) and a service's legacy header (`X-OpenStack-Nova-API-Version: 2.58`).

use std::fmt;

/// The standard header, named in every versioned service.
pub const STANDARD_HEADER: &str = "OpenStack-API-Version";

/// A version as a request asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    /// `latest`: the highest version the server has.
    Latest,
    /// `major.minor`.
    Version(u32, u32),
}

/// A version text that is neither `latest` nor `major.minor`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("microversion `{0}` is neither `latest` nor MAJOR.MINOR")]
pub struct MalformedVersion(pub String);

/// How one service's microversions travel: its service type in the standard header and
/// the legacy header it also reads, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Versioning {
    pub service_type: &'static str,
    pub legacy_header: Option<&'static str>,
}

impl Versioning {
    /// The headers asking for `version` (`2.58`, or `latest`): the standard one, then the
    /// legacy one, so that older clouds see the version too.
    pub fn request_headers(&self, version: &str) -> Vec<(&'static str, String)> {
        let standard = (STANDARD_HEADER, format!("{} {version}", self.service_type));
        let legacy = self.legacy_header.map(|name| (name, version.to_string()));
        std::iter::once(standard).chain(legacy).collect()
    }

    /// The version text a request carries: the standard header's entry for this service
    /// first, else the legacy header's value.
    pub fn requested_text<'h>(&self, headers: &'h http::HeaderMap) -> Option<&'h str> {
        let values = |name: &str| headers.get_all(name).into_iter().filter_map(|v| v.to_str().ok());
        let standard =
            values(STANDARD_HEADER).find_map(|v| version_text(v, Some(self.service_type)));
        standard.or_else(|| values(self.legacy_header?).find_map(|v| version_text(v, None)))
    }
}

/// The version part of a header value: all of a legacy header's value (`service_type`
/// `None`); for the standard header, the entry naming `service_type` (`compute 2.58`,
/// possibly one of a comma list).
pub fn version_text<'v>(value: &'v str, service_type: Option<&str>) -> Option<&'v str> {
    let Some(service) = service_type else {
        return Some(value.trim());
    };
    value.split(',').find_map(|entry| {
        let (named, version) = entry.trim().split_once(' ')?;
        named.eq_ignore_ascii_case(service).then(|| version.trim())
    })
}

/// Reads `latest` or `major.minor`.
pub fn parse(text: &str) -> Result<Requested, MalformedVersion> {
    if text.eq_ignore_ascii_case("latest") {
        return Ok(Requested::Latest);
    }
    let number = |s: &str| s.parse::<u32>().ok().filter(|_| s.bytes().all(|b| b.is_ascii_digit()));
    text.split_once('.')
        .and_then(|(major, minor)| Some(Requested::Version(number(major)?, number(minor)?)))
        .ok_or_else(|| MalformedVersion(text.to_string()))
}

impl fmt::Display for Requested {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Latest => f.write_str("latest"),
            Self::Version(major, minor) => write!(f, "{major}.{minor}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, HeaderValue};

    use super::*;

    const NOVA: Versioning =
        Versioning { service_type: "compute", legacy_header: Some("X-OpenStack-Nova-API-Version") };

    fn ask(pairs: &[(&'static str, &'static str)]) -> Option<String> {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_static(value));
        }
        NOVA.requested_text(&headers).map(String::from)
    }

    #[test]
    fn the_standard_header_wins_and_other_services_entries_are_ignored() {
        let both =
            [("openstack-api-version", "compute 2.5"), ("x-openstack-nova-api-version", "2.3")];
        assert_eq!(ask(&both).as_deref(), Some("2.5"));
        let other =
            [("openstack-api-version", "image 2.5"), ("x-openstack-nova-api-version", "2.3")];
        assert_eq!(ask(&other).as_deref(), Some("2.3"));
        let listed = [("openstack-api-version", "image 2.5, compute latest")];
        assert_eq!(ask(&listed).as_deref(), Some("latest"));
        assert_eq!(ask(&[]), None);
    }

    #[test]
    fn versions_parse_as_latest_or_two_numbers() {
        assert_eq!(parse("LATEST"), Ok(Requested::Latest));
        assert_eq!(parse("2.58"), Ok(Requested::Version(2, 58)));
        for bad in ["2", "2.x", "2.+5", "", "2.5.1"] {
            assert_eq!(parse(bad), Err(MalformedVersion(bad.to_string())), "{bad}");
        }
    }

    #[test]
    fn request_headers_name_the_service_and_repeat_the_legacy_header() {
        assert_eq!(
            NOVA.request_headers("2.58"),
            [
                ("OpenStack-API-Version", "compute 2.58".to_string()),
                ("X-OpenStack-Nova-API-Version", "2.58".to_string())
            ]
        );
        let glance = Versioning { service_type: "image", legacy_header: None };
        assert_eq!(glance.request_headers("2.1").len(), 1);
    }
}
