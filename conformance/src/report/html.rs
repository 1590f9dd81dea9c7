//! One self-contained HTML page for people who would rather look than read: the run's
//! summary, a chart of each operation's statuses and latencies (inline SVG), the
//! per-operation table, the failures grouped by check and cause with one reproducer each,
//! the warnings, skips and what was not tried. Styles and the one small script (a filter for
//! the table) are inline: the file opens without network access, from a CI artifact store
//! or a mail attachment.
//!
//! Everything a server could have influenced (messages, paths, statuses, even operation ids
//! of a spec) goes through [`esc`]; the page's own script reads only the DOM. Rendered from
//! the JSON report ([`Report`]), for a run and for merged shards alike.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::causes::signature;
use super::doc::{Record, Report};
use crate::secrets;

/// `text` safe in HTML element content and in double- or single-quoted attributes.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/filter.js");

/// The page of `report`.
pub fn render(report: &Report) -> String {
    let mut body = String::new();
    summary(&mut body, report);
    chart(&mut body, report);
    operations(&mut body, report);
    causes(&mut body, report, "failure", "Failures by cause");
    causes(&mut body, report, "warning", "Warnings (documentation gaps, never fail the run)");
    skipped(&mut body, report);
    not_tried(&mut body, report);
    leftovers(&mut body, report);
    let title = format!("stackspec conform: {}", report.spec);
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\
         <script>{SCRIPT}</script>\n</body>\n</html>\n",
        esc(&title)
    );
    secrets::redact(&page).into_owned()
}

/// The verdict and the run's totals.
fn summary(out: &mut String, r: &Report) {
    let cases = r.records.len();
    let failed = r.records.iter().filter(|x| x.failed).count();
    let warnings: usize = r.operations.values().map(|t| t.warnings).sum();
    let verdict = if r.failed { "failed" } else { "passed" };
    let _ = write!(
        out,
        "<header><h1>stackspec conform <span id=\"verdict\" class=\"badge {verdict}\">{}</span></h1>\
         <p class=\"meta\">{} &rarr; {} &middot; seed {} &middot; {:.1} s</p>",
        verdict.to_uppercase(),
        esc(&r.spec),
        esc(&r.url),
        r.seed,
        r.elapsed_ms / 1e3
    );
    let tiles = [
        ("cases", cases, ""),
        ("passed", cases - failed, "good"),
        ("failed", failed, if failed > 0 { "bad" } else { "" }),
        ("warnings", warnings, if warnings > 0 { "warn" } else { "" }),
        ("operations", r.operations.len(), ""),
        ("skipped pairs", r.skipped.len(), ""),
        ("stale overrides", r.stale(), if r.stale() > 0 { "bad" } else { "" }),
        ("not tried", r.not_tried.len(), if r.not_tried.is_empty() { "" } else { "bad" }),
    ];
    out.push_str("<div class=\"tiles\" id=\"totals\">");
    for (name, n, class) in tiles {
        let _ = write!(
            out,
            "<div class=\"tile {class}\" data-total=\"{name}\"><b>{n}</b><span>{name}</span></div>"
        );
    }
    out.push_str("</div></header>\n");
}

/// What a status counts as in the chart and tables.
fn status_class(status: &str) -> &'static str {
    match status.as_bytes().first() {
        Some(b'2' | b'3') => "s2",
        Some(b'4') => "s4",
        Some(b'5') => "s5",
        _ => "se",
    }
}

/// The records of each operation.
fn by_operation(r: &Report) -> BTreeMap<&str, Vec<&Record>> {
    let mut out: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    for x in &r.records {
        out.entry(x.operation.as_str()).or_default().push(x);
    }
    out
}

/// The median and largest latency, in milliseconds.
fn latency(records: &[&Record]) -> (f64, f64) {
    let mut ms: Vec<f64> = records.iter().map(|r| r.elapsed_ms).collect();
    ms.sort_by(f64::total_cmp);
    let median = ms.get(ms.len() / 2).copied().unwrap_or(0.0);
    (median, ms.last().copied().unwrap_or(0.0))
}

/// Per operation, a bar of its responses by status class and a bar of its median latency
/// with a whisker to its slowest.
fn chart(out: &mut String, r: &Report) {
    let ops = by_operation(r);
    if ops.is_empty() {
        return;
    }
    const ROW: usize = 18;
    const BAR: f64 = 300.0;
    const GAP: usize = 40;
    // Room for the longest operation id at the chart's 11 px type (about 6.2 px a letter).
    let longest = ops.keys().map(|k| k.chars().count()).max().unwrap_or(0);
    let label = ((longest as f64 * 6.2) as usize + 12).clamp(120, 480);
    let most = ops.values().map(Vec::len).max().unwrap_or(1).max(1) as f64;
    let slowest = ops.values().map(|v| latency(v).1).fold(1e-3, f64::max);
    let width = label + 2 * BAR as usize + GAP + 20;
    let height = ROW * (ops.len() + 1) + 10;
    let _ = write!(
        out,
        "<section><h2>Statuses and latencies per operation</h2>\
         <svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"responses by status and latency per operation\">\
         <text x=\"{label}\" y=\"12\" class=\"axis\">responses:</text>{}\
         <text x=\"{}\" y=\"12\" class=\"axis\">latency: median, whisker to slowest ({slowest:.1} ms)</text>",
        legend(label + 64),
        label + BAR as usize + GAP
    );
    for (row, (op, records)) in ops.iter().enumerate() {
        let y = ROW * (row + 1) + 4;
        let _ = write!(
            out,
            "<g class=\"row\" data-operation=\"{}\"><text x=\"{}\" y=\"{}\" class=\"label\">{}</text>",
            esc(op),
            label - 6,
            y + 11,
            esc(op)
        );
        let mut x = label as f64;
        for class in ["s2", "s4", "s5", "se"] {
            let n = records.iter().filter(|r| status_class(&status(r)) == class).count();
            if n == 0 {
                continue;
            }
            let w = BAR * n as f64 / most;
            let _ = write!(
                out,
                "<rect class=\"{class}\" x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"13\"><title>{} {class}: {n}</title></rect>",
                esc(op)
            );
            x += w;
        }
        let (median, max) = latency(records);
        let left = (label + BAR as usize + GAP) as f64;
        let (m, top) = (left + BAR * median / slowest, left + BAR * max / slowest);
        let _ = write!(
            out,
            "<rect class=\"lat\" x=\"{left}\" y=\"{}\" width=\"{:.1}\" height=\"9\"><title>{}: median {median:.1} ms, slowest {max:.1} ms</title></rect>\
             <line class=\"whisker\" x1=\"{m:.1}\" x2=\"{top:.1}\" y1=\"{}\" y2=\"{}\"/></g>",
            y + 2,
            (m - left).max(1.0),
            esc(op),
            y + 6,
            y + 6
        );
    }
    out.push_str("</svg></section>\n");
}

/// The colours of the status classes, from `x` on the chart's first line.
fn legend(x: usize) -> String {
    let classes = [("s2", "2xx/3xx"), ("s4", "4xx"), ("s5", "5xx"), ("se", "no response")];
    let mut out = String::new();
    let mut at = x;
    for (class, name) in classes {
        let _ = write!(
            out,
            "<rect class=\"{class}\" x=\"{at}\" y=\"3\" width=\"10\" height=\"10\"/><text x=\"{}\" y=\"12\" class=\"axis\">{name}</text>",
            at + 13
        );
        at += 20 + name.len() * 6;
    }
    out
}

fn status(r: &Record) -> String {
    r.status.map_or_else(|| "error".to_string(), |s| s.to_string())
}

/// One row per operation: its counts, statuses, whether it was exercised, its latencies.
fn operations(out: &mut String, r: &Report) {
    let ops = by_operation(r);
    out.push_str(
        "<section><h2>Operations</h2><input id=\"filter\" type=\"search\" placeholder=\"filter operations\" aria-label=\"filter operations\">\
         <table id=\"operations\"><thead><tr><th>operation</th><th>cases</th><th>passed</th><th>failed</th>\
         <th>warnings</th><th>statuses</th><th>exercised</th><th>median ms</th><th>slowest ms</th></tr></thead><tbody>",
    );
    for (op, t) in &r.operations {
        let statuses: String = t
            .statuses
            .iter()
            .map(|(s, n)| {
                format!("<span class=\"st {}\">{}&times;{n}</span> ", status_class(s), esc(s))
            })
            .collect();
        let exercised = match t.exercised {
            Some(true) => "yes",
            Some(false) => "<span class=\"warn\">no</span>",
            None => "&ndash;",
        };
        let (median, max) = ops.get(op.as_str()).map_or((0.0, 0.0), |v| latency(v));
        let class = if t.failed > 0 { " class=\"failed\"" } else { "" };
        let _ = write!(
            out,
            "<tr{class} data-operation=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{statuses}</td><td>{exercised}</td><td>{median:.1}</td><td>{max:.1}</td></tr>",
            esc(op),
            esc(op),
            t.cases,
            t.passed,
            t.failed,
            t.warnings
        );
    }
    out.push_str("</tbody></table></section>\n");
}

/// One cause: a check failing (or warning) with the same message wherever it did.
struct Cause<'a> {
    responses: usize,
    operations: Vec<&'a str>,
    example: &'a Record,
}

/// Findings of `severity` (and, for failures, transport errors) grouped by check and
/// signature, the most widespread first, each with one example's reproducer.
fn causes(out: &mut String, r: &Report, severity: &str, title: &str) {
    let mut by: BTreeMap<(String, String), Cause> = BTreeMap::new();
    for x in &r.records {
        let error = x.error.as_deref().filter(|_| severity == "failure");
        let transport = error.map(|e| {
            let message = e.split_once(": ").map_or(e, |(_, m)| m);
            (super::causes::TRANSPORT.to_string(), signature(message))
        });
        let findings = x.findings.iter().filter(|f| f.severity == severity);
        for key in
            transport.into_iter().chain(findings.map(|f| (f.check.clone(), signature(&f.message))))
        {
            let cause =
                by.entry(key).or_insert(Cause { responses: 0, operations: Vec::new(), example: x });
            cause.responses += 1;
            if !cause.operations.contains(&x.operation.as_str()) {
                cause.operations.push(&x.operation);
            }
        }
    }
    if by.is_empty() {
        return;
    }
    let mut all: Vec<_> = by.into_iter().collect();
    all.sort_by_key(|(_, c)| {
        (std::cmp::Reverse(c.operations.len()), std::cmp::Reverse(c.responses))
    });
    let id = if severity == "failure" { "failures" } else { "warnings" };
    let _ = write!(out, "<section id=\"{id}\"><h2>{title}</h2>");
    for ((check, sig), c) in all {
        let x = c.example;
        let _ = write!(
            out,
            "<details class=\"cause {severity}\"{}><summary><code>{}</code> {} <span class=\"count\">{} responses, {} operations</span></summary>\
             <p>operations: {}</p><p>e.g. {} [{}] {} {} &rarr; {}</p>",
            if severity == "failure" { " open" } else { "" },
            esc(&check),
            esc(&sig),
            c.responses,
            c.operations.len(),
            esc(&c.operations.join(", ")),
            esc(&x.operation),
            esc(&x.name),
            esc(&x.method),
            esc(&x.path),
            esc(&status(x))
        );
        if severity == "failure" {
            let _ = write!(
                out,
                "<p>reproduce:</p><pre>{}</pre><p>rerun:</p><pre>{}</pre>",
                esc(&x.curl),
                esc(&x.rerun)
            );
        }
        out.push_str("</details>");
    }
    out.push_str("</section>\n");
}

/// The skipped operation-phase pairs with their reasons.
fn skipped(out: &mut String, r: &Report) {
    if r.skipped.is_empty() {
        return;
    }
    let mut by: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for s in &r.skipped {
        by.entry(&s.reason).or_default().push(format!("{} [{}]", s.operation, s.phase));
    }
    let _ = write!(
        out,
        "<section id=\"skipped\"><h2>Skipped ({} operation-phase pairs)</h2><ul>",
        r.skipped.len()
    );
    for (why, pairs) in by {
        let _ = write!(
            out,
            "<li><b>{}&times;</b> {}: <small>{}</small></li>",
            pairs.len(),
            esc(why),
            esc(&pairs.join(", "))
        );
    }
    out.push_str("</ul></section>\n");
}

/// The cases a deadline kept from being sent.
fn not_tried(out: &mut String, r: &Report) {
    if r.not_tried.is_empty() {
        return;
    }
    out.push_str(
        "<section id=\"not-tried\"><h2>Not tried (failures: the verdict is incomplete)</h2><ul>",
    );
    for n in &r.not_tried {
        let _ = write!(
            out,
            "<li>{} [{}]: {} cases, {}</li>",
            esc(&n.operation),
            esc(&n.phase),
            n.cases,
            esc(&n.reason)
        );
    }
    out.push_str("</ul></section>\n");
}

/// What the run created and could not delete.
fn leftovers(out: &mut String, r: &Report) {
    if r.leftovers.is_empty() {
        return;
    }
    out.push_str("<section id=\"not-deleted\"><h2>Not deleted (created by the run)</h2><ul>");
    for l in &r.leftovers {
        let (operation, path, why) = (esc(&l.operation), esc(&l.path), esc(&l.why));
        let _ = write!(out, "<li>{operation}: <code>{path}</code>: {why}</li>");
    }
    out.push_str("</ul></section>\n");
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn escaping_leaves_no_markup_and_no_way_out_of_an_attribute() {
        let hostile = r#"<script>alert('x')</script>" onload="x" &amp;"#;
        let safe = esc(hostile);
        assert!(!safe.contains(['<', '>', '"', '\'']), "{safe}");
        assert_eq!(
            safe,
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot; onload=&quot;x&quot; &amp;amp;"
        );
    }
}
