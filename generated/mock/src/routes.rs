//! Matching a request path against the spec's path templates. Literal segments beat
//! parameters, as in OpenStack's own routers (`/servers/detail` is not `/servers/{id}`).

use stackspec_model::paths::{self, Piece, TemplateError};

/// One segment of a path template: a literal, a parameter's name, or text and parameters
/// mixed (designate's `{region}:{floatingip_id}`, ironic's `{ind_ident}@{component}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    Param(String),
    /// The literal texts around the parameters (one more than there are: `["", ":", ""]`)
    /// and the parameters' names; the segment is cut as the generated server cuts it
    /// ([`stackspec_runtime::param::cut`]).
    Mixed {
        literals: Vec<String>,
        names: Vec<String>,
    },
}

/// Splits a template (`/v2/tasks/{task_id}`) into segments at the `/`s outside braces
/// ([`paths::segments`]: a parameter name may hold a `/`); a trailing `/` is a segment of
/// its own, so `/v1/introspection/` and `/v1/introspection` stay distinct.
pub fn template(path: &str) -> Result<Vec<Segment>, TemplateError> {
    let segments = paths::segments(path)?;
    if segments.is_empty() {
        // `/` itself: the one empty segment a request for `/` has.
        return Ok(vec![Segment::Literal(String::new())]);
    }
    Ok(segments.iter().map(|pieces| segment(pieces)).collect())
}

fn segment(pieces: &[Piece]) -> Segment {
    match pieces {
        [] => Segment::Literal(String::new()),
        [only] if only.is_param => Segment::Param(only.text.clone()),
        [only] => Segment::Literal(only.text.clone()),
        _ => Segment::Mixed {
            literals: paths::literals(pieces),
            names: pieces.iter().filter(|p| p.is_param).map(|p| p.text.clone()).collect(),
        },
    }
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.strip_prefix('/').unwrap_or(path).split('/')
}

/// The parameters of `path` if it matches `template`, with the number of segments that
/// hold literal text (the higher, the more specific).
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
            Segment::Mixed { literals: texts, names } => {
                let decoded = decode(segment);
                let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
                let values = stackspec_runtime::param::cut(&decoded, &texts)?;
                let named = names.iter().cloned().zip(values.into_iter().map(String::from));
                params.extend(named);
                literals += 1;
            }
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
        Segment::Literal(_) | Segment::Mixed { .. } => None,
    });
    let mut segment = |(i, s): (usize, &Segment)| match s {
        Segment::Literal(l) => l.clone(),
        Segment::Param(_) if Some(i) == inserted => encode(otherwise),
        Segment::Param(_) => encode(values.next().unwrap_or(otherwise)),
        Segment::Mixed { literals, names } => mixed(literals, names, &value, otherwise),
    };
    target.iter().enumerate().map(|s| format!("/{}", segment(s))).collect()
}

/// A mixed segment with its parameters' values from the request (`otherwise` for one it
/// lacks), each encoded, the literal text between them as it is.
fn mixed<'v>(
    literals: &[String],
    names: &[String],
    value: &impl Fn(&str) -> Option<&'v str>,
    otherwise: &'v str,
) -> String {
    let mut out = literals[0].clone();
    for (name, literal) in names.iter().zip(&literals[1..]) {
        out.push_str(&encode(value(name).unwrap_or(otherwise)));
        out.push_str(literal);
    }
    out
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

    fn template_ok(path: &str) -> Vec<Segment> {
        template(path).unwrap()
    }

    #[test]
    fn a_mixed_segment_is_cut_into_its_parameters_and_refilled() {
        let t = template_ok("/v2/reverse/floatingips/{region}:{floatingip_id}");
        let params = |region: &str, id: &str| {
            vec![
                ("region".to_string(), region.to_string()),
                ("floatingip_id".to_string(), id.to_string()),
            ]
        };
        assert_eq!(
            matches(&t, "/v2/reverse/floatingips/east:f-1:x"),
            Some((4, params("east", "f-1:x")))
        );
        assert_eq!(
            matches(&t, "/v2/reverse/floatingips/east%3Af1"),
            Some((4, params("east", "f1")))
        );
        assert_eq!(matches(&t, "/v2/reverse/floatingips/eastf1"), None);
        assert_eq!(matches(&t, "/v2/reverse/floatingips/:f1"), None);
        let led = template_ok("/v1/{node}/led-{ind}@{c}.json");
        assert_eq!(matches(&led, "/v1/n/led-a@b.json").map(|m| m.1.len()), Some(3));
        assert_eq!(matches(&led, "/v1/n/led-a@b.txt"), None);
        let source = template_ok("/v2/reverse/{region}:{floatingip_id}");
        assert_eq!(fill(&source, &source, &params("e st", "f1"), "ID"), "/v2/reverse/e%20st:f1");
    }

    #[test]
    fn a_parameter_name_holding_a_slash_is_one_segment_and_root_is_one_empty_segment() {
        let t = template_ok("/v2.0/taas/tap_services/{tap_service_id/name}");
        assert_eq!(
            matches(&t, "/v2.0/taas/tap_services/t1").map(|m| m.1),
            Some(vec![("tap_service_id/name".to_string(), "t1".to_string())])
        );
        assert_eq!(matches(&template_ok("/"), "/").map(|m| m.0), Some(1));
        assert_eq!(template("/a/{id"), Err(TemplateError::Unclosed("{id".into())));
    }

    #[test]
    fn literals_are_counted_and_params_decoded() {
        let t = template_ok("/v2/tasks/{task_id}");
        assert_eq!(
            matches(&t, "/v2/tasks/a%2Fb"),
            Some((2, vec![("task_id".into(), "a/b".into())]))
        );
        assert_eq!(matches(&t, "/v2/tasks/"), None);
        assert_eq!(matches(&t, "/v2/tasks"), None);
        assert_eq!(
            matches(&template_ok("/servers/detail"), "/servers/detail").map(|m| m.0),
            Some(2)
        );
        assert_eq!(matches(&template_ok("/v1/introspection/"), "/v1/introspection"), None);
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
        let find = template_ok("/v1/{t}/stacks/{name}/events");
        let list = template_ok("/v1/{t}/stacks/{name}/{id}/events");
        assert!(adds_one_parameter(&find, &list));
        assert!(!adds_one_parameter(&find, &template_ok("/v1/{t}/stacks/{name}/x/events")));
        assert!(!adds_one_parameter(&list, &find));
        let params = [("t".to_string(), "p 1".to_string()), ("name".to_string(), "s".to_string())];
        assert_eq!(fill(&list, &find, &params, "ID"), "/v1/p%201/stacks/s/ID/events");
    }

    #[test]
    fn a_redirect_target_may_name_its_parameters_otherwise() {
        let find = template_ok("/v1/{t}/stacks/{stack_identity}");
        let show = template_ok("/v1/{t}/stacks/{stack_name}/{stack_id}");
        assert!(adds_one_parameter(&find, &show));
        let params =
            [("t".to_string(), "p".to_string()), ("stack_identity".to_string(), "s".to_string())];
        assert_eq!(fill(&show, &find, &params, "ID"), "/v1/p/stacks/s/ID");
    }
}
