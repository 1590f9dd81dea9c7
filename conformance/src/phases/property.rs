//! The property phase: proptest generates valid path, query and body values from the
//! schemas; every response goes through the checks. The cases are drawn up front and sent
//! concurrently; the first input of each distinct failure (operation and signature, see
//! `crate::signature`) is then shrunk to a minimal one that fails the same way, which is
//! what gets reported, with the seed that regenerates it.

use std::future::Future;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;
use stackspec_model::version::Microversion;
use stackspec_model::view::at_version;

use super::strategy::{for_header, for_path, for_schema};
use super::Phase;
use super::{
    choose_version, header_text, headers_in_version, in_version, query_pairs, request_for, Case,
    CaseOptions, Intent, Skip,
};
use crate::plan::{Model, Operation};

/// One generated input.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    path: Vec<(String, Value)>,
    query: Vec<(String, Option<Value>)>,
    headers: Vec<(String, Option<Value>)>,
    body: Option<Value>,
}

/// How many simplification steps a failure gets.
const MAX_SHRINK_STEPS: u32 = 256;

/// One generated case and where it came from.
#[derive(Debug)]
pub struct Draw {
    pub case: Case,
    pub origin: Origin,
}

/// Where in its operation's random sequence a case was drawn, so that the proptest value
/// tree that can simplify it is made again only if it fails (keeping a tree for every draw
/// of a long run cost more memory than everything else together). The case itself goes to
/// its record once sent.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    pub operation: usize,
    version: Option<Microversion>,
    /// How many trees the operation's runner had made before this one.
    attempt: usize,
}

/// Draws up to `max_cases` valid inputs for operation `index` (drawing is cheap; sending is
/// not, so the draws are sent concurrently by the caller), or why the operation is skipped.
pub fn draw(model: &Model, index: usize, options: &CaseOptions) -> Result<Vec<Draw>, Skip> {
    let op = &model.operations[index];
    let version = choose_version(model, op, options, None)?;
    let wanted = options.max_cases as usize;
    let attempts = wanted.saturating_mul(4).max(64);
    let mut drawn = std::collections::HashSet::new();
    let draws: Vec<Draw> = trees(model, index, options, version)
        .take(attempts)
        .enumerate()
        .filter_map(|(attempt, tree)| {
            let case = valid_case(model, index, options, version, &tree?.current())?;
            Some(Draw { case, origin: Origin { operation: index, version, attempt } })
        })
        // The same request twice tests nothing new, and a DELETE with nothing to draw would
        // delete one more of the run's resources each time, leaving later phases none.
        .filter(|d| drawn.insert(input_of(&d.case.request, op.is_safe())))
        .take(wanted)
        .collect();
    if draws.is_empty() {
        return Err(Skip::NoValidInput);
    }
    Ok(draws)
}

/// What a draw chose: its query, headers and body, and for a read its path. A path's ids
/// are bound to the run's resources when the case is sent, so two draws of a method that
/// changes state and differ only there act on the same resource (or, after a DELETE, on
/// the next one); a read's path values (an enum of schema names, say) are inputs of their own.
fn input_of(request: &crate::http::Request, safe: bool) -> String {
    let path = safe.then_some(&request.path);
    serde_json::to_string(&(path, &request.query, &request.headers, &request.body))
        .unwrap_or_default()
}

/// The value trees of operation `index`, in the order its seeded runner makes them.
fn trees<'a>(
    model: &'a Model,
    index: usize,
    options: &CaseOptions,
    version: Option<Microversion>,
) -> impl Iterator<Item = Option<Box<dyn ValueTree<Value = Generated>>>> + 'a {
    let op = &model.operations[index];
    let strategy = generated(model, index, version);
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes(options.seed, &op.id));
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    std::iter::repeat_with(move || strategy.new_tree(&mut runner).ok())
}

/// What shrinking needs to know of what a sent case produced (the run's records).
pub trait Verdict {
    /// Whether a check failed or no response came.
    fn failed(&self) -> bool;
    /// Whether no response came in time.
    fn timed_out(&self) -> bool;
    /// What tells its failure from others (`crate::signature`), if it failed.
    fn signature(&self) -> Option<String>;
}

/// Simplifies a failing draw step by step, as proptest does (simplify while it still fails
/// the same way, complicate otherwise), sending each step through `execute`; returns the
/// records of the simplest case found that still fails with the `target` signature (so a
/// 500 is never traded for a 400 on the way). Stops at the first step that gets no response in time
/// (each further step would wait as long again) or that `execute` no longer sends (`Err`:
/// a deadline passed); a failure that was itself a timeout is not shrunk.
pub async fn shrink<R, F, Fut>(
    model: &Model,
    options: &CaseOptions,
    origin: Origin,
    failed: Vec<R>,
    target: &str,
    execute: F,
) -> Vec<R>
where
    R: Verdict,
    F: Fn(Case) -> Fut,
    Fut: Future<Output = Result<Vec<R>, String>>,
{
    let Origin { operation, version, attempt } = origin;
    if failed.iter().any(R::timed_out) {
        return failed;
    }
    // Drawing again from the same seed makes the same trees.
    let Some(mut tree) = trees(model, operation, options, version).nth(attempt).flatten() else {
        return failed;
    };
    let mut best = failed;
    let mut more = tree.simplify();
    let mut steps = 0;
    while more && steps < MAX_SHRINK_STEPS {
        steps += 1;
        let candidate = valid_case(model, operation, options, version, &tree.current());
        let records = match candidate {
            Some(c) => match execute(c).await {
                Ok(records) => records,
                Err(_) => break,
            },
            None => Vec::new(),
        };
        if records.iter().any(R::timed_out) {
            break;
        }
        if records.iter().any(|r| r.signature().as_deref() == Some(target)) {
            best = records;
            more = tree.simplify();
        } else {
            more = tree.complicate();
        }
    }
    best
}

/// The case for a generated input, unless its body does not validate (the strategies keep
/// to the schema, but not to every keyword of it).
fn valid_case(
    model: &Model,
    index: usize,
    options: &CaseOptions,
    version: Option<Microversion>,
    g: &Generated,
) -> Option<Case> {
    let op = &model.operations[index];
    if let (Some(pointer), Some(body)) = (&op.body_schema, &g.body) {
        let violations = model.violations(pointer, version, body).ok()?;
        if !violations.is_empty() {
            return None;
        }
    }
    Some(case(op, index, options, version, g))
}

fn case(
    op: &Operation,
    index: usize,
    options: &CaseOptions,
    version: Option<Microversion>,
    g: &Generated,
) -> Case {
    let path: Vec<(String, String)> = g
        .path
        .iter()
        .map(|(n, v)| (n.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string)))
        .collect();
    let mut request = request_for(op, &path, version);
    for (name, value) in &g.query {
        let param = op.query_parameters().find(|p| p.name == *name);
        if let (Some(p), Some(value)) = (param, value) {
            request.query.extend(query_pairs(p, value));
        }
    }
    for (name, value) in &g.headers {
        if let Some(text) = value.as_ref().and_then(header_text) {
            request.headers.push((name.clone(), text));
        }
    }
    request.body = g.body.clone();
    Case {
        operation: index,
        phase: Phase::Property,
        request,
        microversion: version,
        intent: Intent::Valid,
        sample: None,
        example: None,
        seed: Some(options.seed),
    }
}

/// The query parameter OpenStack's list operations page with (the API working group's
/// pagination guideline): the id of the last item of the page before.
const PAGINATION_MARKER: &str = "marker";

/// The strategy for one operation's input at `version`.
fn generated(
    model: &Model,
    index: usize,
    version: Option<Microversion>,
) -> BoxedStrategy<Generated> {
    let op = &model.operations[index];
    let path: Vec<BoxedStrategy<(String, Value)>> = op
        .path_parameters()
        .map(|p| {
            let name = p.name.clone();
            for_path(model, &p.schema).prop_map(move |v| (name.clone(), v)).boxed()
        })
        .collect();
    let query: Vec<BoxedStrategy<(String, Option<Value>)>> = in_version(op, version)
        .into_iter()
        // A pagination cursor must name an item the server listed (OpenStack's `marker`):
        // drawn at random it is refused by design (nova: 400 "Marker … could not be
        // found"), so valid input leaves an optional one out.
        .filter(|p| p.required || p.name != PAGINATION_MARKER)
        .map(|p| named(p, for_schema(model, &p.schema, 0)))
        .collect();
    let headers: Vec<BoxedStrategy<(String, Option<Value>)>> = headers_in_version(op, version)
        .into_iter()
        .map(|p| named(p, for_header(model, &p.name, &p.schema)))
        .collect();
    let body = op.body_schema.as_ref().and_then(|pointer| {
        let schema = model.spec.at(pointer)?;
        let schema = version.map_or_else(|| schema.clone(), |v| at_version(schema, v));
        Some(for_schema(model, &schema, 0))
    });
    let body = match body {
        Some(b) => b.prop_map(Some).boxed(),
        None => Just(None).boxed(),
    };
    (path, query, headers, body)
        .prop_map(|(path, query, headers, body)| Generated { path, query, headers, body })
        .boxed()
}

/// A parameter's name with its drawn value: always one when it is required, else now and
/// then none.
fn named(
    p: &crate::plan::Parameter,
    value: BoxedStrategy<Value>,
) -> BoxedStrategy<(String, Option<Value>)> {
    let name = p.name.clone();
    let value =
        if p.required { value.prop_map(Some).boxed() } else { proptest::option::of(value).boxed() };
    value.prop_map(move |v| (name.clone(), v)).boxed()
}

/// A per-operation seed, so that `--operation` does not change what another operation gets.
pub(super) fn seed_bytes(seed: u64, operation: &str) -> [u8; 32] {
    // FNV-1a: stable across platforms and releases, unlike `DefaultHasher`.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in operation.bytes() {
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut out = [0u8; 32];
    out[..8].copy_from_slice(&seed.to_le_bytes());
    out[8..16].copy_from_slice(&hash.to_le_bytes());
    out
}

/// The failures the draws of a run have shown so far, by operation and signature.
#[derive(Debug, Default)]
pub struct Distinct(std::collections::HashSet<(usize, String)>);

impl Distinct {
    /// The signature to shrink a draw's `records` toward, if they show a failure no earlier
    /// draw of the operation showed: a server error first (a draw whose read-back failed
    /// otherwise may show two). Every new signature of the draw counts as found.
    pub fn first_of<R: Verdict>(&mut self, origin: Origin, records: &[R]) -> Option<String> {
        let mut new: Vec<String> = records
            .iter()
            .filter_map(R::signature)
            .filter(|s| self.0.insert((origin.operation, s.clone())))
            .collect();
        new.sort_by_key(|s| !s.starts_with('5'));
        new.into_iter().next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stackspec_model::Spec;

    const LIST: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1', x-stackspec: {service-type: t}}\npaths:\n  /things:\n    get:\n      operationId: list_things\n      parameters:\n        - {name: marker, in: query, schema: {type: string}}\n        - {name: limit, in: query, schema: {type: integer}}\n      responses: {'200': {description: ok}}\n";

    #[test]
    fn valid_input_never_draws_a_pagination_marker_at_random() {
        let model = Model::new(Spec::parse(std::path::Path::new("t.yaml"), LIST).unwrap());
        let draws = draw(&model, 0, &CaseOptions::default()).unwrap();
        let named = |name: &str| {
            draws.iter().filter(|d| d.case.request.query.iter().any(|(k, _)| k == name)).count()
        };
        assert_eq!(named("marker"), 0);
        assert!(named("limit") > 0, "the other optional parameters are still drawn");
    }

    /// A DELETE with only its path to fill was drawn 10 times, and each draw deleted one
    /// more of the run's namespaces (glance): the negative phase then had none to test.
    #[test]
    fn the_same_request_is_drawn_once() {
        const DELETE: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1', x-stackspec: {service-type: t}}\npaths:\n  /things/{id}:\n    delete:\n      operationId: delete_thing\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n";
        let model = Model::new(Spec::parse(std::path::Path::new("t.yaml"), DELETE).unwrap());
        let options = CaseOptions { max_cases: 10, ..CaseOptions::default() };
        assert_eq!(draw(&model, 0, &options).unwrap().len(), 1);
        let list = Model::new(Spec::parse(std::path::Path::new("t.yaml"), LIST).unwrap());
        let draws = draw(&list, 0, &options).unwrap();
        let inputs: std::collections::HashSet<String> =
            draws.iter().map(|d| input_of(&d.case.request, true)).collect();
        assert_eq!(inputs.len(), draws.len(), "every draw is another input");
        assert!(draws.len() > 1);
    }
}
