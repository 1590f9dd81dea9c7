//! A comparison for people (text, Markdown) and machines (JSON).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::compare::{Comparison, OperationReport};
use crate::difference::{Difference, Side};

/// The counts a report starts with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub operations: usize,
    pub docs_only: usize,
    pub published_only: usize,
    pub agree: usize,
    pub differences: usize,
    /// Differences a finding already records.
    pub known: usize,
    /// Differences with a proposed correction.
    pub proposed: usize,
    /// Differences by verdict name.
    pub by_verdict: BTreeMap<String, usize>,
}

impl Summary {
    pub fn of(c: &Comparison) -> Self {
        let mut by_verdict = BTreeMap::new();
        for (_, d) in c.differences() {
            *by_verdict.entry(d.verdict.name().to_string()).or_default() += 1;
        }
        Summary {
            operations: c.operations.len(),
            docs_only: c.docs_only.len(),
            published_only: c.published_only.len(),
            agree: c.operations.iter().map(|o| o.agree).sum(),
            differences: c.differences().count(),
            known: c.differences().filter(|(_, d)| !d.known.is_empty()).count(),
            proposed: c.differences().filter(|(_, d)| d.correction.is_some()).count(),
            by_verdict,
        }
    }

    fn line(&self) -> String {
        let verdicts: Vec<String> =
            self.by_verdict.iter().map(|(v, n)| format!("{n} {v}")).collect();
        format!(
            "{} operations compared ({} only in the docs, {} only in the published spec): {} aspects agree, {} differences ({}), {} already known, {} with a proposed correction",
            self.operations,
            self.docs_only,
            self.published_only,
            self.agree,
            self.differences,
            if verdicts.is_empty() { "none".to_string() } else { verdicts.join(", ") },
            self.known,
            self.proposed,
        )
    }
}

/// The JSON report: the summary and every operation.
pub fn json(c: &Comparison) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        summary: Summary,
        #[serde(flatten)]
        comparison: &'a Comparison,
    }
    let report = Report { summary: Summary::of(c), comparison: c };
    serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
}

fn heading(o: &OperationReport) -> String {
    let paired = match &o.published {
        Some((id, path)) => format!(" <-> {id} ({path})"),
        None => String::new(),
    };
    format!(
        "{} {} ({}){paired}: {} agree, {} differ",
        o.method,
        o.path,
        o.operation,
        o.agree,
        o.differences.len()
    )
}

fn side(name: &str, s: &Side) -> String {
    match &s.pointer {
        Some(p) => format!("{name}: {} at {p}", s.value),
        None => format!("{name}: {}", s.value),
    }
}

fn versions(d: &Difference) -> String {
    d.versions.as_ref().map_or(String::new(), |v| format!(" [{v}]"))
}

/// The text report: per operation with differences, each difference with its evidence.
pub fn text(c: &Comparison) -> String {
    let mut out = format!("docs: {}\n", c.docs);
    for (name, source) in [("published", &c.published), ("observed", &c.observed)] {
        if let Some(s) = source {
            let _ = writeln!(out, "{name}: {s}");
        }
    }
    let _ = writeln!(out, "{}", Summary::of(c).line());
    for o in c.operations.iter().filter(|o| !o.differences.is_empty()) {
        let _ = writeln!(out, "\n{}", heading(o));
        for d in &o.differences {
            let _ = writeln!(
                out,
                "  {} {}{}: {}",
                d.field,
                d.aspect.name(),
                versions(d),
                d.verdict.name()
            );
            let sides = std::iter::once(side("docs", &d.docs))
                .chain(d.published.as_ref().map(|p| side("published", p)))
                .chain(d.observed.as_ref().map(|o| side("observed", o)));
            for s in sides {
                let _ = writeln!(out, "    {s}");
            }
            if !d.known.is_empty() {
                let _ = writeln!(out, "    known: {}", d.known.join(", "));
            }
            if let Some(p) = &d.correction {
                let _ = writeln!(out, "    proposed correction:");
                for line in p.to_yaml().lines() {
                    let _ = writeln!(out, "      {line}");
                }
            }
        }
    }
    only_in(&mut out, c, "");
    out
}

fn only_in(out: &mut String, c: &Comparison, bullet: &str) {
    for (name, list) in
        [("only in the docs", &c.docs_only), ("only in the published spec", &c.published_only)]
    {
        if !list.is_empty() {
            let _ = writeln!(out, "\n{name} ({}):", list.len());
            for op in list {
                let _ = writeln!(out, "{bullet}  {op}");
            }
        }
    }
}

/// Escapes a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The Markdown report: a table of differences and the proposed corrections.
pub fn markdown(c: &Comparison) -> String {
    let mut out = format!("## stackspec compare: `{}`\n\n{}\n", c.docs, Summary::of(c).line());
    if c.differences().next().is_some() {
        out.push_str("\n| operation | field | aspect | versions | verdict | docs | published | observed | known |\n");
        out.push_str("|---|---|---|---|---|---|---|---|---|\n");
        for (o, d) in c.differences() {
            let value = |s: Option<&Side>| s.map_or("–".to_string(), |s| cell(&s.value));
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} | {} | {} | {} | {} | {} | {} |",
                o.operation,
                cell(&d.field.to_string()),
                d.aspect.name(),
                d.versions.as_deref().unwrap_or("all"),
                d.verdict.name(),
                value(Some(&d.docs)),
                value(d.published.as_ref()),
                value(d.observed.as_ref()),
                if d.known.is_empty() { "–".to_string() } else { d.known.join(", ") },
            );
        }
    }
    let proposals: Vec<String> =
        c.differences().filter_map(|(_, d)| d.correction.as_ref()).map(|p| p.to_yaml()).collect();
    if !proposals.is_empty() {
        let _ = write!(
            out,
            "\n### Proposed corrections\n\n```yaml\ncorrections:\n{}\n```\n",
            proposals.join("\n")
        );
    }
    only_in(&mut out, c, "-");
    out
}
