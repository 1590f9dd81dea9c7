//! How faithful a transcription is to its source: every `rest_method` is an operation, every
//! parameter reference resolved, and every sample validates against the schema of the
//! operation and status it documents, at the microversion it documents.

use std::fmt::Write as _;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, DiagnosticKind};
use crate::transcribe::member;
use crate::transcribe::operation::STACKSPEC_EXTENSION;
use crate::transcribe::target::{Method, Target, EXTENSION_METHODS};
use crate::transcribe::Transcription;
use stackspec_model::json_schema::{self, Options, Violation};
use stackspec_model::paths::route_shape;
use stackspec_model::version::Microversion;
use stackspec_model::OperationRef;

/// A sample that does not validate (or could not be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleFailure {
    pub operation_id: String,
    pub tag: String,
    /// `request` or the response status.
    pub status: String,
    /// The sample path, relative to the api-ref source root.
    pub sample: String,
    pub microversion: Option<String>,
    pub violations: Vec<Violation>,
}

/// The fidelity of one transcription.
#[derive(Debug, Clone, Default)]
pub struct Fidelity {
    pub rest_methods: usize,
    pub operations: usize,
    /// `rest_method` blocks with no operation in the document (must be empty).
    pub missing_methods: Vec<String>,
    pub samples: usize,
    pub validating: usize,
    pub failures: Vec<SampleFailure>,
    /// Samples that could not be read or parsed, and unresolved parameter references.
    pub unreadable: Vec<Diagnostic>,
    pub unresolved: Vec<Diagnostic>,
}

impl Fidelity {
    /// Share of samples that validate, in percent (100 when there are none).
    pub fn rate(&self) -> f64 {
        if self.samples == 0 {
            100.0
        } else {
            self.validating as f64 * 100.0 / self.samples as f64
        }
    }

    /// The failures whose operation carries one of `tags`.
    pub fn failures_in<'a>(&'a self, tags: &'a [&str]) -> impl Iterator<Item = &'a SampleFailure> {
        self.failures.iter().filter(move |f| tags.contains(&f.tag.as_str()))
    }
}

/// Measures `t`.
pub fn measure(t: &Transcription) -> Fidelity {
    let mut fidelity = Fidelity {
        rest_methods: t.api.methods().count(),
        operations: t.spec.operations().count(),
        ..Fidelity::default()
    };
    for (_, block) in t.api.methods() {
        if !has_operation(t, &Target::of(&block.verb, &block.path)) {
            fidelity
                .missing_methods
                .push(format!("{} {} ({})", block.verb, block.path, block.location));
        }
    }
    for d in &t.diagnostics {
        match d.kind {
            DiagnosticKind::InvalidSample | DiagnosticKind::MissingSample => {
                fidelity.unreadable.push(d.clone())
            }
            DiagnosticKind::UnresolvedParameter => fidelity.unresolved.push(d.clone()),
            _ => {}
        }
    }
    let components = t.spec.component_schemas();
    for op in t.spec.operations() {
        for (status, media) in bodies(t, &op) {
            check_media(&mut fidelity, &op, &status, media, components);
        }
    }
    fidelity.samples += fidelity.unreadable.len();
    fidelity
}

/// Whether the document has the operation a `rest_method` names: a path item's method, or
/// an entry of its extension for verbs OpenAPI does not have.
fn has_operation(t: &Transcription, target: &Target) -> bool {
    let route = route_shape(&target.path);
    match &target.method {
        Method::OpenApi(method) => {
            t.spec.operations().any(|op| op.method == method && route_shape(op.path) == route)
        }
        Method::Extension(verb) => {
            let paths = t.document.get("paths").and_then(Value::as_object);
            paths.into_iter().flatten().any(|(path, item)| {
                route_shape(path) == route
                    && item.get(EXTENSION_METHODS).and_then(|m| m.get(verb.as_str())).is_some()
            })
        }
    }
}

/// Every `(status, media type object)` of an operation: `request`, then each response.
fn bodies<'a>(t: &'a Transcription, op: &OperationRef<'_>) -> Vec<(String, &'a Value)> {
    let mut out = Vec::new();
    let Some(raw) = t.spec.at(&op.pointer()) else {
        return out;
    };
    let media = |content: Option<&'a Value>| -> Vec<&'a Value> {
        content.and_then(Value::as_object).map(|m| m.values().collect()).unwrap_or_default()
    };
    for m in media(raw.pointer("/requestBody/content")) {
        out.push(("request".to_string(), m));
    }
    for (status, response) in raw.get("responses").and_then(Value::as_object).into_iter().flatten()
    {
        for m in media(response.get("content")) {
            out.push((status.clone(), m));
        }
    }
    out
}

fn check_media(
    fidelity: &mut Fidelity,
    op: &OperationRef<'_>,
    status: &str,
    media: &Value,
    components: Option<&serde_json::Map<String, Value>>,
) {
    let schema = media.get("schema").cloned().unwrap_or(Value::Bool(true));
    let examples = media.get("examples").and_then(Value::as_object).into_iter().flatten();
    for (_, example) in examples {
        let value = example.get("value").unwrap_or(&Value::Null);
        let meta = example.get(STACKSPEC_EXTENSION).unwrap_or(&Value::Null);
        check_example(fidelity, op, status, (&schema, value, meta), components);
    }
    // A sample of one member is that member's example (`transcribe::member`).
    for found in member::examples(&schema) {
        check_example(fidelity, op, status, found, components);
    }
}

/// Validates one sample (`schema`, `value`, and where it came from) and counts it.
fn check_example(
    fidelity: &mut Fidelity,
    op: &OperationRef<'_>,
    status: &str,
    (schema, value, meta): (&Value, &Value, &Value),
    components: Option<&serde_json::Map<String, Value>>,
) {
    let version = meta.get("microversion").and_then(Value::as_str);
    let sample = meta.get("sample").and_then(Value::as_str).unwrap_or("");
    let options =
        Options { version: version.and_then(|v| v.parse::<Microversion>().ok()), formats: false };
    let violations = match json_schema::validator(schema, components, options) {
        Ok(v) => json_schema::violations(&v, value),
        Err(e) => vec![Violation {
            instance_pointer: String::new(),
            message: format!("schema does not compile: {e}"),
        }],
    };
    fidelity.samples += 1;
    if violations.is_empty() {
        fidelity.validating += 1;
        return;
    }
    fidelity.failures.push(SampleFailure {
        operation_id: op.operation.operation_id.clone().unwrap_or_default(),
        tag: op.operation.tags.first().cloned().unwrap_or_default(),
        status: status.to_string(),
        sample: sample.to_string(),
        microversion: version.map(str::to_string),
        violations,
    });
}

/// The table row header for `row`.
pub const TABLE_HEADER: &str = "| service | rest_methods | operations | samples | validating | rate | unresolved refs |\n|---|---:|---:|---:|---:|---:|---:|\n";

/// One markdown table row.
pub fn row(service: &str, f: &Fidelity) -> String {
    format!(
        "| {service} | {} | {} | {} | {} | {:.1}% | {} |\n",
        f.rest_methods,
        f.operations,
        f.samples,
        f.validating,
        f.rate(),
        f.unresolved.len()
    )
}

/// Every exception, one line each: the sample, where, and why.
pub fn exceptions(f: &Fidelity) -> String {
    let mut out = String::new();
    for x in &f.failures {
        let version = x.microversion.as_deref().map(|v| format!(" @{v}")).unwrap_or_default();
        let why: Vec<String> = x
            .violations
            .iter()
            .take(3)
            .map(|v| format!("{}: {}", v.instance_pointer, v.message))
            .collect();
        let _ = writeln!(
            out,
            "- {} {} {}{}: {}",
            x.operation_id,
            x.status,
            x.sample,
            version,
            why.join("; ")
        );
    }
    for d in &f.unreadable {
        let _ = writeln!(out, "- unreadable: {d}");
    }
    out
}
