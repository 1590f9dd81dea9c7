//! The overrides of one run: those of the spec's service that apply to the kind of server
//! tested, the corrected spec they make, and, per response, what they acknowledged.
//!
//! A patch's effect is measured, not assumed: each response is checked a second time
//! against the spec with every patch but that one, and the findings that only that spec
//! produces are the ones the patch acknowledged.

use std::path::PathBuf;

use serde_json::Value;
use stackspec_model::Spec;

pub use crate::record::Acknowledgement;

use super::{Accept, Change, Override, OverrideError, OverrideFile, PatchOp, Target};
use crate::checks::{self, Finding, Severity};
use crate::http::Response;
use crate::phases::Phase;
use crate::phases::{Case, Intent};
use crate::plan::Model;
use crate::record::Record;

/// What became of one override in a run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum OverrideState {
    /// It changed the verdict on this many responses.
    Acknowledged { responses: usize },
    /// Its operation was exercised but it changed nothing: a failure.
    Stale,
    /// Its operation (or sample) was not part of this run.
    NotExercised,
}

/// An override and what became of it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OverrideStatus {
    pub finding: String,
    pub title: String,
    pub operation: String,
    /// `overrides.yaml:12`.
    pub at: String,
    pub why: String,
    #[serde(flatten)]
    pub state: OverrideState,
}

impl OverrideStatus {
    pub fn stale(&self) -> bool {
        self.state == OverrideState::Stale
    }
}

struct Applied {
    entry: Override,
    title: String,
    /// For patches that touch responses: the model with every patch but this one.
    without: Option<Model>,
    /// The patch constrains generated input (which no response check can confirm).
    request_side: bool,
}

/// Whether `r` gave patch `op` a chance to matter: a response of the status it patches (a
/// patch of `/responses/200/…` cannot show on a 404, so a run whose ids all went missing
/// does not make it stale), a generated case for a patch of what is sent (an examples-only
/// run sends the samples as written), any response otherwise.
fn could_show(op: &PatchOp, r: &Record) -> bool {
    let path = op.path();
    if let Some(rest) = path.strip_prefix("/responses/") {
        let status = rest.split('/').next().and_then(|s| s.parse::<u16>().ok());
        return status.is_none_or(|s| r.status == Some(s));
    }
    !op.is_request_side() || r.case.phase != Phase::Examples
}

impl Accept {
    /// Whether `r` gave the entry a chance to show: a response of its status (if it names
    /// one) to a case its check judges (`valid_input_accepted` judges valid input only:
    /// the 409s glance gives every import of an image that is importing already cannot
    /// show a refusal of valid input).
    fn could_show(&self, r: &Record) -> bool {
        self.status.is_none_or(|s| r.status == Some(s))
            && crate::checks::judges(&self.check, &r.case)
    }
}

/// `case` as a spec without the patch would have made it, where that differs: its response
/// sample as that spec documents it (a patch that moves keystone's domain-configuration
/// sample from 200 to the 201 keystone answers fixed the verdict, and was called stale
/// because the case was checked again with the sample where the patch had put it).
fn as_documented(case: &Case, model: &Model) -> Option<Case> {
    let sample = case.sample.as_ref()?;
    let documented =
        crate::phases::examples::documented_sample(case.operation_in(model), &sample.name)?;
    (documented != *sample).then(|| Case { sample: Some(documented), ..case.clone() })
}

/// The overrides in force for a run (none by default).
#[derive(Default)]
pub struct Active {
    file: PathBuf,
    applied: Vec<Applied>,
}

impl std::fmt::Debug for Active {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Active")
            .field("file", &self.file)
            .field("count", &self.applied.len())
            .finish()
    }
}

impl Active {
    /// Selects the overrides of `spec`'s service that apply to `target`, checks each
    /// against the spec (operation, sample, check and patch pointers exist) and returns
    /// the spec with every patch applied.
    pub fn new(
        file: &OverrideFile,
        spec: Spec,
        target: Target,
    ) -> Result<(Spec, Self), OverrideError> {
        let service = spec.service_type().unwrap_or_default().to_string();
        let entries: Vec<&Override> = file
            .entries
            .iter()
            .filter(|o| o.service == service)
            .filter(|o| o.seen_on.shows_on(target))
            .collect();
        let base = Model::new(spec);
        for o in &entries {
            validate(file, &base, o)?;
        }
        let corrected = |skip: Option<usize>| -> Result<Spec, OverrideError> {
            let raw = patched(file, &base, &entries, skip)?;
            Spec::from_value(&base.spec.path, raw).map_err(|e| {
                let o = entries[skip.unwrap_or(0)];
                file.error(o, "/patch", format!("the patched spec is not OpenAPI 3.0: {e}"))
            })
        };
        let mut applied = Vec::new();
        for (i, o) in entries.iter().enumerate() {
            let (without, request_side) = match &o.change {
                Change::Patch(ops) => {
                    let responses = ops.iter().any(|op| !op.is_request_side());
                    let without =
                        if responses { Some(Model::new(corrected(Some(i))?)) } else { None };
                    (without, ops.iter().any(PatchOp::is_request_side))
                }
                _ => (None, false),
            };
            let title = file.findings.get(&o.finding).cloned().unwrap_or_default();
            applied.push(Applied { entry: (*o).clone(), title, without, request_side });
        }
        let spec = if applied.iter().any(|a| matches!(a.entry.change, Change::Patch(_))) {
            corrected(None)?
        } else {
            base.spec
        };
        Ok((spec, Self { file: file.path.clone(), applied }))
    }

    /// How many overrides are in force.
    pub fn len(&self) -> usize {
        self.applied.len()
    }

    pub fn is_empty(&self) -> bool {
        self.applied.is_empty()
    }

    fn for_operation<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Applied> + 'a {
        self.applied.iter().filter(move |a| a.entry.operation == id)
    }

    /// Turns a documented request sample that an override says is invalid into a case
    /// expecting a 4xx.
    pub fn expect(&self, model: &Model, case: &mut Case) {
        let op = case.operation_in(model);
        for a in self.for_operation(&op.id) {
            if let Change::RejectedExample(name) = &a.entry.change {
                if case.example.as_deref() == Some(name.as_str()) {
                    case.intent = Intent::Invalid {
                        what: format!(
                            "documented sample `{name}` violates the documented schema ({})",
                            a.entry.finding
                        ),
                    };
                    case.sample = None;
                }
            }
        }
    }

    /// The findings left once the overrides of `case`'s operation have taken what they
    /// explain, and what they took.
    pub fn acknowledge(
        &self,
        model: &Model,
        case: &Case,
        response: &Response,
        mut findings: Vec<Finding>,
    ) -> (Vec<Finding>, Vec<Acknowledgement>) {
        let op = case.operation_in(model);
        let mut out = Vec::new();
        for a in self.for_operation(&op.id) {
            let ack = |check: &str, message: String| Acknowledgement {
                finding: a.entry.finding.clone(),
                line: a.entry.line,
                check: check.to_string(),
                message,
            };
            match &a.entry.change {
                Change::Patch(_) => {
                    let Some(without) = &a.without else { continue };
                    let documented = as_documented(case, without);
                    let before =
                        checks::run_all(documented.as_ref().unwrap_or(case), response, without);
                    let explained = before.into_iter().filter(|f| !findings.contains(f));
                    out.extend(explained.map(|f| ack(f.check, f.message)));
                }
                Change::Accept(accept) => findings.retain(|f| {
                    let taken = accept.status.is_none_or(|s| s == response.status)
                        && f.severity == Severity::Failure
                        && f.check == accept.check
                        && f.message.contains(&accept.matching);
                    if taken {
                        out.push(ack(f.check, f.message.clone()));
                    }
                    !taken
                }),
                Change::RejectedExample(name) => {
                    let sent = case.example.as_deref() == Some(name.as_str());
                    if sent && (400..500).contains(&response.status) {
                        let message = format!("sample `{name}` rejected with {}", response.status);
                        out.push(ack("examples", message));
                    }
                }
            }
        }
        (findings, out)
    }

    /// What became of every override, given the run's records.
    pub fn statuses(&self, records: &[Record]) -> Vec<OverrideStatus> {
        self.applied
            .iter()
            .map(|a| {
                let o = &a.entry;
                let mine = || records.iter().filter(|r| r.operation == o.operation);
                let mut matched =
                    mine().filter(|r| r.acknowledged.iter().any(|k| k.line == o.line)).count();
                let exercised = match &o.change {
                    Change::RejectedExample(name) => {
                        mine().any(|r| r.case.example.as_deref() == Some(name.as_str()))
                    }
                    Change::Accept(accept) => mine().any(|r| accept.could_show(r)),
                    Change::Patch(ops) => mine().any(|r| ops.iter().any(|op| could_show(op, r))),
                };
                if a.request_side {
                    let generated = |r: &&Record| r.case.phase != Phase::Examples;
                    matched += mine().filter(generated).count();
                }
                let state = match (matched, exercised) {
                    (0, true) => OverrideState::Stale,
                    (0, false) => OverrideState::NotExercised,
                    (n, _) => OverrideState::Acknowledged { responses: n },
                };
                OverrideStatus {
                    finding: o.finding.clone(),
                    title: a.title.clone(),
                    operation: o.operation.clone(),
                    at: format!("{}:{}", self.file.display(), o.line),
                    why: o.why.clone(),
                    state,
                }
            })
            .collect()
    }
}

/// Checks that what `o` names exists in the spec.
fn validate(file: &OverrideFile, model: &Model, o: &Override) -> Result<(), OverrideError> {
    let Some(op) = model.operation(&o.operation) else {
        let message = format!("no operation `{}` in {}", o.operation, model.spec.path.display());
        return Err(file.error(o, "/operation", message));
    };
    match &o.change {
        Change::RejectedExample(name) if !op.request_examples.iter().any(|e| &e.name == name) => {
            let known: Vec<&str> = op.request_examples.iter().map(|e| e.name.as_str()).collect();
            let message = format!(
                "`{}` has no request sample `{name}` (it has: {})",
                o.operation,
                known.join(", ")
            );
            Err(file.error(o, "/rejected-example", message))
        }
        Change::Accept(a) if !checks::ALL.iter().any(|c| c.name == a.check) => {
            Err(file.error(o, "/accept/check", format!("no check `{}`", a.check)))
        }
        _ => Ok(()),
    }
}

/// The spec's raw document with the patches of `entries` applied, but the one at `skip`.
fn patched(
    file: &OverrideFile,
    model: &Model,
    entries: &[&Override],
    skip: Option<usize>,
) -> Result<Value, OverrideError> {
    let mut raw = model.spec.raw.clone();
    for (i, o) in entries.iter().enumerate() {
        let Change::Patch(ops) = &o.change else { continue };
        if Some(i) == skip {
            continue;
        }
        let pointer =
            model.operation(&o.operation).map(|op| op.pointer.clone()).unwrap_or_default();
        let Some(target) = raw.pointer_mut(&pointer) else { continue };
        for (j, op) in ops.iter().enumerate() {
            stackspec_model::patch::apply(target, op)
                .map_err(|m| file.error(o, &format!("/patch/{j}/path"), m))?;
        }
    }
    Ok(raw)
}
