//! Path templates (`/v2/zones/{zone_id}`) as the client and the router need them: the
//! `/`-separated segments, each a literal, one parameter, or text and parameters mixed
//! (designate's `{region}:{floatingip_id}`). A template expression is read up to its `}`,
//! so a parameter name may hold a `/` (neutron's `{tap_service_id/name}`), as OpenAPI's
//! path-templating grammar allows: every character but the braces.

use serde::Serialize;
use stackspec_model::paths::literals;
pub use stackspec_model::paths::Piece;

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

/// A template's segments as literal and `{name}` pieces ([`stackspec_model::paths::segments`]).
fn split(path: &str, pointer: &str) -> Result<Vec<Vec<Piece>>> {
    stackspec_model::paths::segments(path)
        .map_err(|e| GenerateError::invalid(pointer, e.to_string()))
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
