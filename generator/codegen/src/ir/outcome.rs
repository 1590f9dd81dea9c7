//! What a client method returns: `Ok` with the value of a documented success (the response
//! enum only where an operation documents several), `Err` with the typed fault body of a
//! documented error status. The server keeps the response enum of every status.

use serde::Serialize;

use super::operation::{BodyKind, Response};
use super::schema::TypeBuilder;
use super::RustType;

/// Statuses from this one on are errors: a client returns them as `Err`.
const FIRST_ERROR_STATUS: u16 = 400;

#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The `Ok` value's type: the success's body type, `()` without one, or the response
    /// enum where several successes are documented (then `arms` is empty and the client
    /// decodes with the enum's `from_status`).
    pub ok_type: String,
    pub arms: Vec<Arm>,
    /// The fault body type of `Error<F>`: `serde_json::Value` where no error status has one.
    pub fault_type: String,
    pub fault_arms: Vec<Arm>,
}

/// A `match` arm decoding statuses that share a body type.
#[derive(Debug, Clone, Serialize)]
pub struct Arm {
    /// `400 | 404`.
    pub pattern: String,
    /// `400, 404`.
    pub statuses: String,
    /// `json`, `bytes` or `empty`.
    pub kind: &'static str,
    /// The variant of a fault union the body is wrapped in.
    pub variant: Option<String>,
}

impl Outcome {
    pub(crate) fn of(responses: &[Response], response_enum: &str, types: &mut TypeBuilder) -> Self {
        let (errors, successes): (Vec<&Response>, Vec<&Response>) =
            responses.iter().partition(|r| r.status >= FIRST_ERROR_STATUS);
        let (ok_type, arms) = match successes.as_slice() {
            [only] => {
                let ty = only.ty.as_ref().map_or("()".to_string(), ToString::to_string);
                (ty, vec![arm(&[only], None)])
            }
            _ => (RustType::Named(response_enum.to_string()).to_string(), Vec::new()),
        };
        let (fault_type, fault_arms) = faults(&errors, types);
        Self { ok_type, arms, fault_type, fault_arms }
    }
}

/// The fault type of the documented error statuses with a body, and their arms: one type,
/// or the union of several (each status decoded as its own).
fn faults(errors: &[&Response], types: &mut TypeBuilder) -> (String, Vec<Arm>) {
    let mut distinct: Vec<&RustType> = Vec::new();
    for ty in errors.iter().filter_map(|r| r.ty.as_ref()) {
        if !distinct.contains(&ty) {
            distinct.push(ty);
        }
    }
    let groups = |ty: &RustType| -> Vec<&Response> {
        errors.iter().copied().filter(|r| r.ty.as_ref() == Some(ty)).collect()
    };
    match distinct.as_slice() {
        [] => (RustType::Json.to_string(), Vec::new()),
        [only] => (only.to_string(), vec![arm(&groups(only), None)]),
        several => {
            let owned: Vec<RustType> = several.iter().map(|t| (*t).clone()).collect();
            let union = types.union_of(&owned);
            let arms = owned.iter().map(|ty| arm(&groups(ty), Some(variant_of(ty)))).collect();
            (union.to_string(), arms)
        }
    }
}

fn variant_of(ty: &RustType) -> String {
    match ty {
        RustType::Named(name) => name.clone(),
        other => crate::names::camel(&other.to_string().replace("::", " ")),
    }
}

fn arm(responses: &[&Response], variant: Option<String>) -> Arm {
    let codes: Vec<String> = responses.iter().map(|r| r.status.to_string()).collect();
    let (pattern, statuses) = (codes.join(" | "), codes.join(", "));
    let kind = match responses.first() {
        Some(r) if r.ty.is_none() => "empty",
        Some(r) if r.kind == BodyKind::Bytes => "bytes",
        _ => "json",
    };
    Arm { pattern, statuses, kind, variant }
}
