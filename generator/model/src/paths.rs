//! Path templates (`/servers/{server_id}/tags/{tag}`): the names of their parameters, and
//! their shape with the names left out, which is what makes two templates the same route.

/// `/servers/{server_id}/tags/{tag}` → `/servers/{}/tags/{}`.
pub fn route_shape(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut in_name = false;
    for c in template.chars() {
        match c {
            '{' => in_name = true,
            '}' => in_name = false,
            _ if in_name => continue,
            _ => {}
        }
        out.push(c);
    }
    out
}

/// `/servers/{server_id}/tags/{tag}` → `["server_id", "tag"]`.
pub fn parameter_names(template: &str) -> Vec<&str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// A piece of one `/`-separated segment of a path template: literal text, or a parameter's
/// name (`{region}:{floatingip_id}` is three pieces).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Piece {
    pub text: String,
    pub is_param: bool,
}

/// A path template that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("a `}}` closing the path template expression at `{0}`")]
    Unclosed(String),
    #[error("no `}}` outside a path template expression: `{0}`")]
    StrayBrace(String),
}

/// A template's segments as literal and `{name}` pieces, split at the `/`s outside braces: a
/// template expression is read up to its `}`, so a parameter name may hold a `/` (neutron's
/// `{tap_service_id/name}`), as OpenAPI's path-templating grammar allows. A trailing slash
/// is kept as an empty segment (`/v1/introspection/` is not `/v1/introspection`); an empty
/// segment inside the path (`//`) is dropped.
pub fn segments(template: &str) -> Result<Vec<Vec<Piece>>, TemplateError> {
    let mut segments = Vec::new();
    let mut pieces = Vec::new();
    let mut rest = template.strip_prefix('/').unwrap_or(template);
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('{') {
            let end = after.find('}').filter(|&end| !after[..end].contains('{'));
            let end = end.ok_or_else(|| TemplateError::Unclosed(rest.to_string()))?;
            pieces.push(Piece { text: after[..end].to_string(), is_param: true });
            rest = &after[end + 1..];
        } else if let Some(after) = rest.strip_prefix('/') {
            if !pieces.is_empty() {
                segments.push(std::mem::take(&mut pieces));
            }
            rest = after;
        } else {
            let end = rest.find(['{', '/']).unwrap_or(rest.len());
            if rest[..end].contains('}') {
                return Err(TemplateError::StrayBrace(rest[..end].to_string()));
            }
            pieces.push(Piece { text: rest[..end].to_string(), is_param: false });
            rest = &rest[end..];
        }
    }
    if !pieces.is_empty() || (template.len() > 1 && template.ends_with('/')) {
        segments.push(pieces);
    }
    Ok(segments)
}

/// The literal texts before, between and after a segment's parameters, one more than there
/// are parameters (`{region}:{id}` → `["", ":", ""]`): where a router cuts the segment.
pub fn literals(pieces: &[Piece]) -> Vec<String> {
    let mut out = vec![String::new()];
    for piece in pieces {
        if piece.is_param {
            out.push(String::new());
        } else {
            out.last_mut().expect("starts with one").push_str(&piece.text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(path: &str) -> Vec<Vec<(String, bool)>> {
        let segments = segments(path).unwrap();
        segments
            .into_iter()
            .map(|s| s.into_iter().map(|p| (p.text, p.is_param)).collect())
            .collect()
    }

    fn piece(text: &str, is_param: bool) -> (String, bool) {
        (text.to_string(), is_param)
    }

    #[test]
    fn a_path_segment_mixing_text_and_parameters_is_split_into_pieces() {
        let expected = vec![
            vec![piece("floatingips", false)],
            vec![piece("region", true), piece(":", false), piece("floatingip_id", true)],
        ];
        assert_eq!(pieces("/floatingips/{region}:{floatingip_id}"), expected);
        let wrapped = pieces("/led-{ind}@{component}.json");
        let expected = ["led-", "ind", "@", "component", ".json"];
        assert_eq!(wrapped[0].iter().map(|p| p.0.as_str()).collect::<Vec<_>>(), expected);
    }

    #[test]
    fn a_path_parameter_name_may_hold_a_slash() {
        let expected = vec![vec![piece("tap_services", false)], vec![piece("id/name", true)]];
        assert_eq!(pieces("/tap_services/{id/name}"), expected);
    }

    #[test]
    fn a_trailing_slash_is_an_empty_segment_and_an_inner_empty_one_is_dropped() {
        assert_eq!(
            pieces("/a//b/"),
            vec![vec![piece("a", false)], vec![piece("b", false)], vec![]]
        );
        assert!(pieces("/").is_empty());
    }

    #[test]
    fn an_unclosed_or_stray_brace_is_an_error_naming_it() {
        assert_eq!(segments("/a/{id"), Err(TemplateError::Unclosed("{id".into())));
        assert_eq!(segments("/a/{x{y}"), Err(TemplateError::Unclosed("{x{y}".into())));
        assert_eq!(segments("/a/b}"), Err(TemplateError::StrayBrace("b}".into())));
    }

    #[test]
    fn the_literals_of_a_mixed_segment_surround_its_parameters() {
        let region = &segments("/{region}:{id}").unwrap()[0];
        assert_eq!(literals(region), ["", ":", ""]);
        let wrapped = &segments("/led-{ind}@{c}.json").unwrap()[0];
        assert_eq!(literals(wrapped), ["led-", "@", ".json"]);
    }

    #[test]
    fn shapes_and_names() {
        assert_eq!(route_shape("/servers/{server_id}/tags/{tag}"), "/servers/{}/tags/{}");
        assert_eq!(
            route_shape("/servers/{id}/tags/{t}"),
            route_shape("/servers/{server_id}/tags/{tag}")
        );
        assert_eq!(parameter_names("/servers/{server_id}/tags/{tag}"), ["server_id", "tag"]);
        assert!(parameter_names("/v2/tasks").is_empty());
        assert_eq!(route_shape("/servers/detail"), "/servers/detail");
    }
}
