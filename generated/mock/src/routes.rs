//! Matching a request path against the spec's path templates. Literal segments beat
//! parameters, as in OpenStack's own routers (`/servers/detail` is not `/servers/{id}`).

/// One segment of a path template: a literal, or a parameter's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    Param(String),
}

/// Splits a template (`/v2/tasks/{task_id}`) into segments; a trailing `/` is a segment of
/// its own, so `/v1/introspection/` and `/v1/introspection` stay distinct.
pub fn template(path: &str) -> Vec<Segment> {
    split(path)
        .map(|s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => Segment::Param(name.to_string()),
            None => Segment::Literal(s.to_string()),
        })
        .collect()
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.strip_prefix('/').unwrap_or(path).split('/')
}

/// The parameters of `path` if it matches `template`, with the number of literal segments
/// matched (the higher, the more specific).
pub fn matches(template: &[Segment], path: &str) -> Option<(usize, Vec<(String, String)>)> {
    let segments: Vec<&str> = split(path).collect();
    if segments.len() != template.len() {
        return None;
    }
    let mut literals = 0;
    let mut params = Vec::new();
    for (segment, expected) in segments.iter().zip(template) {
        match expected {
            Segment::Literal(l) if l == segment => literals += 1,
            Segment::Literal(_) => return None,
            Segment::Param(_) if segment.is_empty() => return None,
            Segment::Param(name) => params.push((name.clone(), decode(segment))),
        }
    }
    Some((literals, params))
}

/// Whether a path segment names an API version (`v2`, `v2.1`), as a versioned endpoint's
/// first segment does.
pub fn is_version(segment: &str) -> bool {
    segment.strip_prefix('v').is_some_and(|rest| {
        !rest.is_empty()
            && rest.split('.').all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// `path` without its leading version segment (`/v2.1/servers` → `/servers`), or `None`
/// when it has none or nothing follows it.
pub fn below_version(path: &str) -> Option<&str> {
    let rest = path.strip_prefix('/')?;
    let (first, rest) = rest.split_once('/')?;
    (is_version(first) && !rest.is_empty()).then(|| &path[first.len() + 1..])
}

/// Whether `longer` is `shorter` with one parameter segment inserted somewhere (parameters
/// match whatever their names: heat's `{stack_identity}` is the `{stack_name}` of the
/// stack's own path).
pub fn adds_one_parameter(shorter: &[Segment], longer: &[Segment]) -> bool {
    inserted_at(shorter, longer).is_some()
}

/// Where `longer` inserts its one extra parameter into `shorter`: the last place that fits
/// (next to a parameter, the added one is taken to follow it: `{name}` → `{name}/{id}`).
fn inserted_at(shorter: &[Segment], longer: &[Segment]) -> Option<usize> {
    let alike = |a: &[Segment], b: &[Segment]| {
        a.len() == b.len()
            && a.iter().zip(b).all(|pair| match pair {
                (Segment::Param(_), Segment::Param(_)) => true,
                (a, b) => a == b,
            })
    };
    if longer.len() != shorter.len() + 1 {
        return None;
    }
    (0..longer.len()).rev().find(|&i| {
        matches!(longer[i], Segment::Param(_))
            && alike(&longer[..i], &shorter[..i])
            && alike(&longer[i + 1..], &shorter[i..])
    })
}

/// The path of `target`, which inserts one parameter into `source`: `source`'s parameters
/// from `params`, in order, and `otherwise` for the inserted one.
pub fn fill(
    target: &[Segment],
    source: &[Segment],
    params: &[(String, String)],
    otherwise: &str,
) -> String {
    let inserted = inserted_at(source, target);
    let value = |name: &str| params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let mut values = source.iter().filter_map(|s| match s {
        Segment::Param(name) => Some(value(name).unwrap_or(otherwise)),
        Segment::Literal(_) => None,
    });
    let mut segment = |(i, s): (usize, &Segment)| match s {
        Segment::Literal(l) => l.clone(),
        Segment::Param(_) if Some(i) == inserted => encode(otherwise),
        Segment::Param(_) => encode(values.next().unwrap_or(otherwise)),
    };
    target.iter().enumerate().map(|s| format!("/{}", segment(s))).collect()
}

/// Percent-encodes what a path segment (or a query value) cannot hold as is.
pub(super) fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Percent-decodes a path segment (invalid UTF-8 is replaced, not refused: ids in the
/// mock are only compared).
pub(super) fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_counted_and_params_decoded() {
        let t = template("/v2/tasks/{task_id}");
        assert_eq!(
            matches(&t, "/v2/tasks/a%2Fb"),
            Some((2, vec![("task_id".into(), "a/b".into())]))
        );
        assert_eq!(matches(&t, "/v2/tasks/"), None);
        assert_eq!(matches(&t, "/v2/tasks"), None);
        assert_eq!(matches(&template("/servers/detail"), "/servers/detail").map(|m| m.0), Some(2));
        assert_eq!(matches(&template("/v1/introspection/"), "/v1/introspection"), None);
        assert_eq!(decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn only_a_leading_version_segment_is_taken_off() {
        assert_eq!(below_version("/v2.1/servers/x"), Some("/servers/x"));
        assert_eq!(below_version("/v2/servers"), Some("/servers"));
        assert_eq!(below_version("/v2.1/"), None);
        assert_eq!(below_version("/v2.1"), None);
        assert_eq!(below_version("/servers/x"), None);
        assert_eq!(below_version("/version/x"), None);
        assert_eq!(below_version("/v2./x"), None);
        assert_eq!(below_version("/v/x"), None);
    }

    #[test]
    fn a_redirect_target_adds_one_parameter_and_is_filled_from_the_request() {
        let find = template("/v1/{t}/stacks/{name}/events");
        let list = template("/v1/{t}/stacks/{name}/{id}/events");
        assert!(adds_one_parameter(&find, &list));
        assert!(!adds_one_parameter(&find, &template("/v1/{t}/stacks/{name}/x/events")));
        assert!(!adds_one_parameter(&list, &find));
        let params = [("t".to_string(), "p 1".to_string()), ("name".to_string(), "s".to_string())];
        assert_eq!(fill(&list, &find, &params, "ID"), "/v1/p%201/stacks/s/ID/events");
    }

    #[test]
    fn a_redirect_target_may_name_its_parameters_otherwise() {
        let find = template("/v1/{t}/stacks/{stack_identity}");
        let show = template("/v1/{t}/stacks/{stack_name}/{stack_id}");
        assert!(adds_one_parameter(&find, &show));
        let params =
            [("t".to_string(), "p".to_string()), ("stack_identity".to_string(), "s".to_string())];
        assert_eq!(fill(&show, &find, &params, "ID"), "/v1/p/stacks/s/ID");
    }
}
