//! The examples phase: every documented request sample, sent as written, at the
//! microversion it was written for (or the one chosen on the command line), expecting the
//! documented response sample back. Operations without a request body are sent once per
//! documented response sample's microversion.

use stackspec_model::version::Microversion;

use super::values::{placeholder, Values};
use super::Phase;
use super::{choose_version, query_pairs, request_for, Case, CaseOptions, Intent, Sample, Skip};
use crate::plan::{Example, Model, Operation};

/// The cases for operation `index`, or why there are none.
pub fn cases(
    model: &Model,
    index: usize,
    options: &CaseOptions,
    values: &Values,
) -> Result<Vec<Case>, Skip> {
    let op = &model.operations[index];
    let bodies: Vec<(Option<&Example>, Option<Microversion>)> = if op.request_examples.is_empty() {
        if op.body_required {
            return Err(Skip::NoSample);
        }
        let mut versions: Vec<Option<Microversion>> =
            success_samples(op).map(|(_, e)| e.microversion).collect();
        versions.sort();
        versions.dedup();
        if versions.is_empty() {
            versions.push(None);
        }
        versions.into_iter().map(|v| (None, v)).collect()
    } else {
        op.request_examples.iter().map(|e| (Some(e), e.microversion)).collect()
    };
    let mut out = Vec::new();
    let mut skipped = None;
    for (example, sample_version) in bodies {
        let version = match choose_version(model, op, options, sample_version) {
            Ok(v) => v,
            Err(reason) => {
                skipped = Some(reason);
                continue;
            }
        };
        let mut request = request_for(op, &values.path_values(op), version);
        for p in op.query_parameters().filter(|p| p.required) {
            request.query.extend(query_pairs(&p.name, &placeholder(p).into()));
        }
        request.body = example.map(|e| e.value.clone());
        out.push(Case {
            operation: index,
            phase: Phase::Examples,
            request,
            microversion: version,
            intent: Intent::Valid,
            sample: sample_for(op, version),
            example: example.map(|e| e.name.clone()),
            seed: None,
        });
    }
    out.truncate(options.max_cases as usize);
    match (out.is_empty(), skipped) {
        (true, Some(reason)) => Err(reason),
        _ => Ok(out),
    }
}

/// Documented samples of success statuses, with the status.
fn success_samples(op: &Operation) -> impl Iterator<Item = (u16, &Example)> {
    op.responses.iter().flat_map(|r| {
        let status = r.status.parse::<u16>().ok().filter(|s| (200..300).contains(s));
        status.into_iter().flat_map(move |s| r.examples.iter().map(move |e| (s, e)))
    })
}

/// The success sample written for `version`, else the first one.
fn sample_for(op: &Operation, version: Option<Microversion>) -> Option<Sample> {
    let matching = success_samples(op).find(|(_, e)| e.microversion == version);
    let (status, example) = matching.or_else(|| success_samples(op).next())?;
    Some(Sample { name: example.name.clone(), status, value: example.value.clone() })
}
