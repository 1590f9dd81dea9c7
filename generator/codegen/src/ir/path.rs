//! Path templates (`/v2/zones/{zone_id}`) as the client and the router need them: the
//! `/`-separated segments, each a literal, one parameter, or text and parameters mixed
//! (designate's `{region}:{floatingip_id}`). A template expression is read up to its `}`,
//! so a parameter name may hold a `/` (neutron's `{tap_service_id/name}`), as OpenAPI's
//! path-templating grammar allows: every character but the braces.

use serde::Serialize;

use super::operation::Param;
use crate::error::GenerateError;

type Result<T> = std::result::Result<T, GenerateError>;

/// One `/`-separated piece of a path template. Each segment with a parameter is one capture
/// of the server's route (`{p0}`, `{p1}` in path order).
#[derive(Debug, Clone, Serialize)]
pub struct PathSegment {
    /// A literal segment's text, or the identifier of the parameter that is the whole segment;
    /// empty for a mixed segment, whose `pieces` say it.
    pub text: String,
    /// The segment holds a parameter (is a route capture).
    pub is_param: bool,
    /// A segment mixing text and parameters, piece by piece; empty for any other segment.
    pub pieces: Vec<Piece>,
}

/// A piece of a mixed segment: literal text, or a path parameter's identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub text: String,
    pub is_param: bool,
}

/// Where the router finds a path parameter: the capture (segment with a parameter, in path
/// order) that holds it and, in a mixed segment, the literal texts around the segment's
/// parameters (one more than there are parameters: `["", ":", ""]`) and its position among
/// them. The router cuts a mixed segment at the first occurrence of each literal in turn.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Capture {
    pub index: usize,
    pub literals: Vec<String>,
    pub position: usize,
}

/// The segments of `path`; every `{name}` must be a declared path parameter and every path
/// parameter must appear. Sets each path parameter's [`Capture`].
pub(crate) fn segments(
    path: &str,
    params: &mut [Param],
    pointer: &str,
) -> Result<Vec<PathSegment>> {
    let mut out = Vec::new();
    let mut captures = 0;
    for raw in split(path, pointer)? {
        let pieces = resolve(&raw, params, pointer)?;
        let segment = match pieces.as_slice() {
            [] => PathSegment { text: String::new(), is_param: false, pieces: Vec::new() },
            [only] if !only.is_param => {
                literal_ok(&only.text, pointer)?;
                PathSegment { text: only.text.clone(), is_param: false, pieces: Vec::new() }
            }
            [only] => PathSegment { text: only.text.clone(), is_param: true, pieces: Vec::new() },
            _ => PathSegment { text: String::new(), is_param: true, pieces },
        };
        if segment.is_param {
            place(&segment, captures, params, pointer)?;
            captures += 1;
        }
        out.push(segment);
    }
    if let Some(unused) = params.iter().find(|p| p.capture.is_none()) {
        return Err(GenerateError::invalid(
            pointer,
            format!("path parameter `{}` to appear in the path template", unused.wire),
        ));
    }
    Ok(out)
}

/// A template's segments as literal and `{name}` pieces, split at the `/`s outside braces.
/// A trailing slash is kept as an empty segment (`/v1/introspection/` is not
/// `/v1/introspection`, for the client's URL and the server's route alike).
fn split(path: &str, pointer: &str) -> Result<Vec<Vec<Piece>>> {
    let mut segments = Vec::new();
    let mut pieces = Vec::new();
    let mut rest = path.strip_prefix('/').unwrap_or(path);
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('{') {
            let end = after.find('}').filter(|&end| !after[..end].contains('{'));
            let Some(end) = end else {
                return Err(GenerateError::invalid(
                    pointer,
                    format!("a `}}` closing the path template expression at `{rest}`"),
                ));
            };
            pieces.push(Piece { text: after[..end].to_string(), is_param: true });
            rest = &after[end + 1..];
        } else if let Some(after) = rest.strip_prefix('/') {
            // An empty segment inside the path (`//`) is dropped; only a trailing one is kept.
            if !pieces.is_empty() {
                segments.push(std::mem::take(&mut pieces));
            }
            rest = after;
        } else {
            let end = rest.find(['{', '/']).unwrap_or(rest.len());
            if rest[..end].contains('}') {
                return Err(GenerateError::invalid(
                    pointer,
                    format!("no `}}` outside a path template expression: `{}`", &rest[..end]),
                ));
            }
            pieces.push(Piece { text: rest[..end].to_string(), is_param: false });
            rest = &rest[end..];
        }
    }
    if !pieces.is_empty() || (path.len() > 1 && path.ends_with('/')) {
        segments.push(pieces);
    }
    Ok(segments)
}

/// The pieces of one segment with each parameter's wire name replaced by its identifier.
fn resolve(raw: &[Piece], params: &[Param], pointer: &str) -> Result<Vec<Piece>> {
    let mut pieces = Vec::with_capacity(raw.len());
    for (i, piece) in raw.iter().enumerate() {
        if !piece.is_param {
            pieces.push(piece.clone());
            continue;
        }
        if raw.get(i + 1).is_some_and(|next| next.is_param) {
            return Err(GenerateError::unsupported(
                pointer,
                format!(
                    "path parameters `{}` and `{}` with no text between them: where one ends is unknowable",
                    piece.text,
                    raw[i + 1].text
                ),
            ));
        }
        let param = params.iter().find(|p| p.wire == piece.text).ok_or_else(|| {
            GenerateError::invalid(
                pointer,
                format!("a path parameter named `{}` (it is in the path template)", piece.text),
            )
        })?;
        pieces.push(Piece { text: param.ident.clone(), is_param: true });
    }
    Ok(pieces)
}

/// axum reads `:` and `*` at the start of a segment as its own parameter syntax.
fn literal_ok(text: &str, pointer: &str) -> Result<()> {
    if text.starts_with([':', '*']) {
        return Err(GenerateError::unsupported(
            pointer,
            format!("path segment `{text}` starts with `:` or `*`"),
        ));
    }
    Ok(())
}

/// Records in each parameter of `segment` where the router finds it.
fn place(segment: &PathSegment, index: usize, params: &mut [Param], pointer: &str) -> Result<()> {
    let mixed = !segment.pieces.is_empty();
    let whole = [Piece { text: segment.text.clone(), is_param: true }];
    let pieces = if mixed { segment.pieces.as_slice() } else { &whole };
    let literals = if mixed { literals(pieces) } else { Vec::new() };
    for (position, piece) in pieces.iter().filter(|p| p.is_param).enumerate() {
        let param = params.iter_mut().find(|p| p.ident == piece.text).expect("resolved above");
        if param.capture.is_some() {
            return Err(GenerateError::unsupported(
                pointer,
                format!("path parameter `{}` twice in the path template", param.wire),
            ));
        }
        param.capture = Some(Capture { index, literals: literals.clone(), position });
    }
    Ok(())
}

/// The literal texts before, between and after a mixed segment's parameters.
fn literals(pieces: &[Piece]) -> Vec<String> {
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
        let segments = split(path, "/p").unwrap();
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
    fn an_unclosed_or_stray_brace_is_invalid_naming_it() {
        let error = split("/a/{id", "/paths/x").unwrap_err().to_string();
        assert_eq!(
            error,
            "/paths/x: invalid: expected a `}` closing the path template expression at `{id`"
        );
        let error = split("/a/{x{y}", "/paths/x").unwrap_err().to_string();
        assert!(error.contains("at `{x{y}`"), "{error}");
        let error = split("/a/b}", "/paths/x").unwrap_err().to_string();
        assert!(error.contains("no `}` outside a path template expression: `b}`"), "{error}");
    }

    #[test]
    fn the_literals_of_a_mixed_segment_surround_its_parameters() {
        let segment = |texts: &[(&str, bool)]| {
            texts
                .iter()
                .map(|(t, p)| Piece { text: t.to_string(), is_param: *p })
                .collect::<Vec<_>>()
        };
        let region = segment(&[("region", true), (":", false), ("id", true)]);
        assert_eq!(literals(&region), ["", ":", ""]);
        let wrapped =
            segment(&[("led-", false), ("ind", true), ("@", false), ("c", true), (".json", false)]);
        assert_eq!(literals(&wrapped), ["led-", "@", ".json"]);
    }
}
