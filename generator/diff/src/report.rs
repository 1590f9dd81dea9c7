//! A report as text (one line per change, for terminals and logs), JSON (for tools) or
//! Markdown (a table for review comments). All three list changes in the report's order
//! and end with, or start with, the same counts.

use std::fmt::Write;

use serde::Serialize;

use super::{Change, Report, Severity};

/// How to render a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Json => json(report),
        Format::Markdown => markdown(report),
    }
}

fn summary(report: &Report) -> String {
    if report.changes.is_empty() {
        return "no changes".to_string();
    }
    let [b, w, i] =
        [Severity::Breaking, Severity::Warning, Severity::Info].map(|s| report.count(s));
    format!("{b} breaking, {w} warning, {i} info")
}

fn text(report: &Report) -> String {
    let mut out = String::new();
    for c in &report.changes {
        let severity = c.severity.as_str();
        let (id, operation, message, pointer) = (c.rule.id, &c.operation, &c.message, &c.pointer);
        let _ = writeln!(out, "{severity:<8} {id}  {operation}: {message}  [{pointer}]");
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    summary: JsonSummary,
    changes: Vec<JsonChange<'a>>,
}

#[derive(Serialize)]
struct JsonSummary {
    breaking: usize,
    warning: usize,
    info: usize,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    id: &'static str,
    severity: Severity,
    operation: String,
    pointer: &'a str,
    message: &'a str,
    explanation: &'static str,
    microversion_gated: bool,
}

impl<'a> From<&'a Change> for JsonChange<'a> {
    fn from(c: &'a Change) -> Self {
        Self {
            id: c.rule.id,
            severity: c.severity,
            operation: c.operation.to_string(),
            pointer: &c.pointer,
            message: &c.message,
            explanation: c.rule.explanation,
            microversion_gated: c.microversion_gated,
        }
    }
}

fn json(report: &Report) -> String {
    let value = JsonReport {
        summary: JsonSummary {
            breaking: report.count(Severity::Breaking),
            warning: report.count(Severity::Warning),
            info: report.count(Severity::Info),
        },
        changes: report.changes.iter().map(JsonChange::from).collect(),
    };
    let mut out = serde_json::to_string_pretty(&value).expect("a report always serializes");
    out.push('\n');
    out
}

/// A table of changes, then what each check that fired means.
fn markdown(report: &Report) -> String {
    let mut out = format!("## API changes: {}\n", summary(report));
    if report.changes.is_empty() {
        return out;
    }
    out.push_str("\n| Severity | Check | Operation | Change | Where |\n|---|---|---|---|---|\n");
    for c in &report.changes {
        let cells = [
            format!("**{}**", c.severity.as_str()),
            format!("`{}`", c.rule.id),
            format!("`{}`", c.operation),
            c.message.clone(),
            format!("`{}`", c.pointer),
        ];
        let cells = cells.map(|cell| cell.replace('|', "\\|"));
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    let mut fired: Vec<_> = report.changes.iter().map(|c| c.rule).collect();
    fired.sort_by_key(|r| r.id);
    fired.dedup();
    out.push_str("\nChecks:\n");
    for rule in fired {
        let _ = writeln!(out, "- `{}` ({}): {}", rule.id, rule.severity.as_str(), rule.explanation);
    }
    out
}
