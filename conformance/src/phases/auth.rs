//! The auth phase (opt-in): every operation sent once with no token and once with a bogus
//! one, which must be refused with 401; and, with a member-only user's token, once more,
//! which the operation's documented policy decides (`x-openstack: {policy: admin}`: 403).
//!
//! Unauthenticated requests carry no microversion header: the 401 comes before version
//! negotiation, so there is nothing for the service to echo.

use super::negative::valid_body;
use super::values::{placeholder, Values};
use super::Phase;
use super::{choose_version, query_pairs, request_for, Case, CaseOptions, Intent, Skip};
use crate::http::{Credentials, Request};
use crate::plan::{Model, Operation};
use stackspec_model::version::Microversion;

/// The cases for operation `index`.
pub fn cases(
    model: &Model,
    index: usize,
    options: &CaseOptions,
    values: &Values,
) -> Result<Vec<Case>, Skip> {
    let op = &model.operations[index];
    let version = match options.member {
        true => choose_version(model, op, options, None)?,
        false => None,
    };
    let body = valid_body(model, op, version, options.seed).map(|(_, b)| b);
    let case = |credentials, version, intent| Case {
        operation: index,
        phase: Phase::Auth,
        request: request(op, values, version, credentials, body.clone()),
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
    if options.member {
        out.push(case(Credentials::Member, version, Intent::AsMember));
    }
    Ok(out)
}

/// The request as the examples phase would make it: learned path values, required query
/// parameters, and a body that validates (a service may check the body before its policy,
/// and an invalid one would get 400 where 403 is the point).
fn request(
    op: &Operation,
    values: &Values,
    version: Option<Microversion>,
    credentials: Credentials,
    body: Option<serde_json::Value>,
) -> Request {
    let mut request = request_for(op, &values.path_values(op), version);
    for p in op.query_parameters().filter(|p| p.required) {
        request.query.extend(query_pairs(p, &placeholder(p).into()));
    }
    request.body = body;
    request.credentials = credentials;
    request
}
