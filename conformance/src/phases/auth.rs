//! The auth phase (opt-in): every operation sent once with no token and once with a bogus
//! one, which must be refused with 401; and, with a member-only user's token, once more,
//! which the operation's documented policy decides (`x-openstack: {policy: admin}`: 403).
//!
//! Unauthenticated requests carry no microversion header: the 401 comes before version
//! negotiation, so there is nothing for the service to echo.

use super::values::{placeholder, Values};
use super::{choose_version, query_pairs, request_for, Case, Intent};
use crate::http::{Credentials, Request};
use crate::plan::{Model, Operation};
use crate::settings::{Phase, Settings};
use stackspec_generator::version::Microversion;

/// The cases for operation `index`.
pub fn cases(
    model: &Model,
    index: usize,
    settings: &Settings,
    values: &Values,
) -> Result<Vec<Case>, String> {
    let op = &model.operations[index];
    let case = |credentials, version, intent| Case {
        operation: index,
        phase: Phase::Auth,
        request: request(op, values, version, credentials),
        microversion: version,
        intent,
        sample: None,
        example: None,
        seed: None,
    };
    let mut out = vec![
        case(Credentials::None, None, Intent::Unauthenticated { how: "no token" }),
        case(Credentials::Bogus, None, Intent::Unauthenticated { how: "a bogus token" }),
    ];
    if settings.member.is_some() {
        let version = choose_version(op, settings, None, model.spec_max)?;
        out.push(case(Credentials::Member, version, Intent::AsMember));
    }
    Ok(out)
}

/// The request as the examples phase would make it: learned path values, required query
/// parameters, the first documented body.
fn request(
    op: &Operation,
    values: &Values,
    version: Option<Microversion>,
    credentials: Credentials,
) -> Request {
    let mut request = request_for(op, &values.path_values(op), version);
    for p in op.query_parameters().filter(|p| p.required) {
        request.query.extend(query_pairs(&p.name, &placeholder(p).into()));
    }
    request.body = op.request_examples.first().map(|e| e.value.clone());
    request.credentials = credentials;
    request
}
