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
    let mut out = Vec::new();
    // A public operation (a version document) answers without a token: no 401 to expect.
    if !op.public {
        out.push(case(Credentials::None, None, Intent::Unauthenticated { how: "no token" }));
        out.push(case(Credentials::Bogus, None, Intent::Unauthenticated { how: "a bogus token" }));
    }
    if options.member {
        out.push(case(Credentials::Member, version, Intent::AsMember));
    }
    if out.is_empty() {
        return Err(Skip::Public);
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

#[cfg(test)]
mod tests {
    use super::*;
    use stackspec_model::Spec;

    /// `GET /` is a version document (`security: []`); `GET /a` needs a token.
    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity: [{token: []}]\npaths:\n  /:\n    get:\n      operationId: versions\n      security: []\n      responses: {'300': {description: versions}}\n  /a:\n    get:\n      operationId: a\n      responses: {'200': {description: ok}}\ncomponents:\n  securitySchemes:\n    token: {type: apiKey, in: header, name: X-Auth-Token}\n";

    #[test]
    fn a_public_operation_gets_no_unauthenticated_cases() {
        let model = Model::new(Spec::parse(std::path::Path::new("t.yaml"), SPEC).unwrap());
        let (values, mut options) = (Values::default(), CaseOptions::default());
        let intents = |index, options: &CaseOptions| {
            let cases = cases(&model, index, options, &values);
            cases.map(|c| c.into_iter().map(|c| format!("{:?}", c.intent)).collect::<Vec<_>>())
        };
        assert!(matches!(intents(0, &options), Err(Skip::Public)));
        assert_eq!(intents(1, &options).unwrap().len(), 2, "no token, a bogus one");
        options.member = true;
        let member_only = intents(0, &options).unwrap();
        assert_eq!(member_only.len(), 1, "{member_only:?}");
    }
}
