//! The property phase: proptest generates valid path, query and body values from the
//! schemas; every response goes through the checks. The first failing input is shrunk to a
//! minimal one, which is what gets reported, with the seed that regenerates it.

use std::sync::Mutex;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde_json::Value;
use stackspec_generator::model::view::at_version;
use stackspec_generator::version::Microversion;

use super::strategy::{for_path, for_schema};
use super::{choose_version, in_version, query_pairs, request_for, Case, Intent};
use crate::plan::{Model, Operation};
use crate::run::Record;
use crate::settings::{Phase, Settings};

/// One generated input.
#[derive(Debug, Clone, PartialEq)]
struct Generated {
    path: Vec<(String, Value)>,
    query: Vec<(String, Option<Value>)>,
    body: Option<Value>,
}

/// Runs the phase for operation `index`, sending each case through `execute`; returns every
/// record (passing ones, and the shrunk failure if any) or why the operation was skipped.
pub fn run(
    model: &Model,
    index: usize,
    settings: &Settings,
    execute: impl Fn(Case) -> Vec<Record>,
) -> Result<Vec<Record>, String> {
    let op = &model.operations[index];
    let spec_max = model.spec.max_microversion();
    let version = choose_version(op, settings, None, spec_max)?;
    let strategy = generated(model, index, version);
    let config = Config {
        cases: settings.max_cases,
        failure_persistence: None,
        max_shrink_iters: 256,
        max_global_rejects: settings.max_cases.saturating_mul(4).max(64),
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes(settings.seed, &op.id));
    let mut runner = TestRunner::new_with_rng(config, rng);
    let passed = Mutex::new(Vec::new());
    let failed = Mutex::new(Vec::new());
    let result = runner.run(&strategy, |g| {
        if let (Some(pointer), Some(body)) = (&op.body_schema, &g.body) {
            let valid = model.violations(pointer, version, body).is_ok_and(|v| v.is_empty());
            if !valid {
                return Err(TestCaseError::reject("generated body does not validate"));
            }
        }
        let records = execute(case(op, index, settings, version, &g));
        if let Some(bad) = records.iter().find(|r| r.failed()) {
            let reason = bad.summary();
            failed.lock().unwrap_or_else(|e| e.into_inner()).push((g, records));
            return Err(TestCaseError::fail(reason));
        }
        passed.lock().unwrap_or_else(|e| e.into_inner()).extend(records);
        Ok(())
    });
    let mut records = passed.into_inner().unwrap_or_else(|e| e.into_inner());
    match result {
        Ok(()) => Ok(records),
        Err(TestError::Fail(_, minimal)) => {
            let failed = failed.into_inner().unwrap_or_else(|e| e.into_inner());
            let shrunk = failed.into_iter().rev().find(|(g, _)| *g == minimal);
            records.extend(shrunk.map(|(_, r)| r).unwrap_or_default());
            Ok(records)
        }
        Err(TestError::Abort(reason)) if records.is_empty() => Err(reason.to_string()),
        Err(TestError::Abort(_)) => Ok(records),
    }
}

fn case(
    op: &Operation,
    index: usize,
    settings: &Settings,
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
        if let Some(value) = value {
            request.query.extend(query_pairs(name, value));
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
        seed: Some(settings.seed),
    }
}

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
        .map(|p| {
            let name = p.name.clone();
            let value = for_schema(model, &p.schema, 0);
            let value = if p.required {
                value.prop_map(Some).boxed()
            } else {
                proptest::option::of(value).boxed()
            };
            value.prop_map(move |v| (name.clone(), v)).boxed()
        })
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
    (path, query, body).prop_map(|(path, query, body)| Generated { path, query, body }).boxed()
}

/// A per-operation seed, so that `--operation` does not change what another operation gets.
fn seed_bytes(seed: u64, operation: &str) -> [u8; 32] {
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
