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

#[cfg(test)]
mod tests {
    use super::*;

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
