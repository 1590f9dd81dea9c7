//! A report as text (one line per change, for terminals and logs), JSON (for tools) or
//! Markdown (a table for review comments). All three list changes in the report's order
//! and end with, or start with, the same counts. Acknowledged changes stay listed, marked
//! with their class and reason; stale acknowledgements are listed after the changes.

use std::fmt::Write;

use serde::Serialize;

use super::{Acknowledgement, Change, Report, Severity};

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

/// "3 breaking (2 acknowledged), 1 warning, 0 info; 1 stale acknowledgement".
fn summary(report: &Report) -> String {
    let mut out = match report.changes.is_empty() {
        true => "no changes".to_string(),
        false => {
            let counts = [Severity::Breaking, Severity::Warning, Severity::Info].map(|s| {
                let (all, acknowledged) = (report.count(s), report.acknowledged(s));
                match acknowledged {
                    0 => format!("{all} {}", s.as_str()),
                    _ => format!("{all} {} ({acknowledged} acknowledged)", s.as_str()),
                }
            });
            counts.join(", ")
        }
    };
    match report.stale.len() {
        0 => {}
        1 => out.push_str("; 1 stale acknowledgement"),
        n => out.push_str(&format!("; {n} stale acknowledgements")),
    }
    out
}

/// "doc-correction (acks.yaml:12): the docs now say what nova always did".
fn acknowledgement(a: &Acknowledgement) -> String {
    format!("{} ({}:{}): {}", a.class.as_str(), a.file.display(), a.line, a.reason.trim())
}

/// "acks.yaml:12 `id` matches no change".
fn stale(a: &Acknowledgement) -> String {
    format!("{}:{} `{}` matches no change", a.file.display(), a.line, a.id)
}

fn text(report: &Report) -> String {
    let mut out = String::new();
    for c in &report.changes {
        let severity = c.severity.as_str();
        let (id, operation, message, pointer) = (c.rule.id, &c.operation, &c.message, &c.pointer);
        let _ = writeln!(out, "{severity:<8} {id}  {operation}: {message}  [{pointer}]");
        if let Some(a) = &c.acknowledged {
            let _ = writeln!(out, "         acknowledged {}", acknowledgement(a));
        }
    }
    for a in &report.stale {
        let _ = writeln!(out, "stale    acknowledgement {}", stale(a));
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    summary: JsonSummary,
    changes: Vec<JsonChange<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    stale_acknowledgements: Vec<JsonAcknowledgement<'a>>,
}

#[derive(Serialize)]
struct JsonSummary {
    breaking: usize,
    warning: usize,
    info: usize,
    /// Of the above, how many a reviewer acknowledged.
    acknowledged: usize,
    stale_acknowledgements: usize,
}

#[derive(Serialize)]
struct JsonAcknowledgement<'a> {
    id: &'a str,
    class: super::Class,
    reason: &'a str,
    file: String,
    line: usize,
}

impl<'a> From<&'a Acknowledgement> for JsonAcknowledgement<'a> {
    fn from(a: &'a Acknowledgement) -> Self {
        let (id, class, reason) = (&a.id, a.class, a.reason.trim());
        Self { id, class, reason, file: a.file.display().to_string(), line: a.line }
    }
}

#[derive(Serialize)]
struct JsonChange<'a> {
    /// The change's stable id, as an acknowledgement names it.
    change_id: String,
    id: &'static str,
    severity: Severity,
    operation: String,
    pointer: &'a str,
    message: &'a str,
    explanation: &'static str,
    microversion_gated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    acknowledged: Option<JsonAcknowledgement<'a>>,
}

impl<'a> From<&'a Change> for JsonChange<'a> {
    fn from(c: &'a Change) -> Self {
        Self {
            change_id: c.id(),
            id: c.rule.id,
            severity: c.severity,
            operation: c.operation.to_string(),
            pointer: &c.pointer,
            message: &c.message,
            explanation: c.rule.explanation,
            microversion_gated: c.microversion_gated,
            acknowledged: c.acknowledged.as_ref().map(JsonAcknowledgement::from),
        }
    }
}

fn json(report: &Report) -> String {
    let value = JsonReport {
        summary: JsonSummary {
            breaking: report.count(Severity::Breaking),
            warning: report.count(Severity::Warning),
            info: report.count(Severity::Info),
            acknowledged: report.changes.iter().filter(|c| c.acknowledged.is_some()).count(),
            stale_acknowledgements: report.stale.len(),
        },
        changes: report.changes.iter().map(JsonChange::from).collect(),
        stale_acknowledgements: report.stale.iter().map(JsonAcknowledgement::from).collect(),
    };
    let mut out = serde_json::to_string_pretty(&value).expect("a report always serializes");
    out.push('\n');
    out
}

/// A table of changes (with a column for acknowledgements when there are any), the stale
/// acknowledgements, then what each check that fired means.
fn markdown(report: &Report) -> String {
    let mut out = format!("## API changes: {}\n", summary(report));
    for a in &report.stale {
        let _ = writeln!(out, "\n**Stale acknowledgement**: {}", stale(a).replace('|', "\\|"));
    }
    if report.changes.is_empty() {
        return out;
    }
    let reviewed = report.changes.iter().any(|c| c.acknowledged.is_some());
    let (extra, rule) = if reviewed { (" Acknowledged |", "---|") } else { ("", "") };
    let _ = write!(out, "\n| Severity | Check | Operation | Change | Where |{extra}\n");
    let _ = writeln!(out, "|---|---|---|---|---|{rule}");
    for c in &report.changes {
        let mut cells = vec![
            format!("**{}**", c.severity.as_str()),
            format!("`{}`", c.rule.id),
            format!("`{}`", c.operation),
            c.message.clone(),
            format!("`{}`", c.pointer),
        ];
        if reviewed {
            cells.push(c.acknowledged.as_ref().map(acknowledgement).unwrap_or_default());
        }
        let cells: Vec<_> = cells.iter().map(|cell| cell.replace('|', "\\|")).collect();
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
