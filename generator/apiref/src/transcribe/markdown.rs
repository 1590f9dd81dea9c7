//! Descriptions from reStructuredText to CommonMark, which is what OpenAPI says a
//! `description` is. No crate on crates.io converts os-api-ref's RST (the RST parsers there
//! are unmaintained and know no Sphinx directives), so this is a small converter for the
//! constructs api-ref descriptions use:
//!
//! - inline markup (`inline`): literals, roles, hyperlinks, bare URLs;
//! - bullet lists (the same in both), enumerated lists (`#.` → `1.`), definition lists
//!   (`term` then an indented definition) → `- term: definition`;
//! - literal blocks (`text::` or a lone `::`, then an indented block) and `code-block` → fenced
//!   code;
//! - admonitions (`note`, `warning`, `important`, ...) → a blockquote with a bold label;
//!   `versionadded`/`versionchanged`/`deprecated` → a paragraph with a bold label;
//! - grid, simple and `list-table` tables → pipe tables (`table`);
//! - comments and link targets (`.. _name:`) are dropped; any other directive keeps its text.

mod inline;
mod table;

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

/// `.. name:: argument`.
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\s*)\.\.\s+([A-Za-z][\w-]*)::(?:\s+(.*))?$").expect("valid regex")
});
/// `.. anything` that is not a directive: a comment or a hyperlink target.
static COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\s*)\.\.(?:\s|$)").expect("valid regex"));
static GRID_BORDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\+(?:[-=]+\+)+\s*$").expect("valid regex"));
static SIMPLE_BORDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*=+(?:\s+=+)+\s*$").expect("valid regex"));
static ENUMERATED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\s*)#\.(\s)").expect("valid regex"));

/// Converts every description of an OpenAPI `document` (operations, parameters, responses,
/// schemas, tags) from RST to CommonMark. Examples, defaults, enums and extensions are data
/// and left alone, as are the names under `properties` (a property may be called
/// `description`).
pub fn convert_descriptions(document: &mut Value) {
    walk(document, false, &mut HashMap::new());
}

/// CommonMark by RST text. A parameter's description recurs in every operation that lists
/// it, and [`to_commonmark`] depends on the text alone, so each distinct text is converted once.
type Converted = HashMap<String, String>;

/// `names`: the keys of this object are names (of properties, paths, responses ...), not
/// OpenAPI keywords.
fn walk(node: &mut Value, names: bool, converted: &mut Converted) {
    match node {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if names {
                    walk(child, false, converted);
                } else if key == "description" {
                    if let Value::String(text) = child {
                        *text = convert_once(text, converted);
                    }
                } else if !is_data(key) {
                    walk(child, holds_names(key), converted);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| walk(item, false, converted)),
        _ => {}
    }
}

/// [`to_commonmark`] of `rst`, converted the first time `converted` meets the text.
fn convert_once(rst: &str, converted: &mut Converted) -> String {
    if let Some(markdown) = converted.get(rst) {
        return markdown.clone();
    }
    let markdown = to_commonmark(rst);
    converted.insert(rst.to_string(), markdown.clone());
    markdown
}

fn is_data(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum") || key.starts_with("x-")
}

fn holds_names(key: &str) -> bool {
    matches!(
        key,
        "properties"
            | "paths"
            | "responses"
            | "content"
            | "headers"
            | "schemas"
            | "parameters"
            | "requestBodies"
            | "securitySchemes"
            | "links"
            | "callbacks"
    )
}

/// One RST text as CommonMark.
pub fn to_commonmark(rst: &str) -> String {
    let lines: Vec<&str> = rst.lines().collect();
    let mut out = Output::default();
    let mut i = 0;
    while i < lines.len() {
        i = block(&lines, i, &mut out);
    }
    let trailing = if rst.ends_with('\n') { "\n" } else { "" };
    out.finish() + trailing
}

/// Converts the block starting at line `i`; returns the line after it.
fn block(lines: &[&str], i: usize, out: &mut Output) -> usize {
    let line = lines[i];
    if let Some(d) = DIRECTIVE.captures(line) {
        let (body, next) = indented_block(lines, i + 1, d[1].len());
        directive(&d[2], d.get(3).map_or("", |m| m.as_str()).trim(), &body, out);
        return next;
    }
    if let Some(c) = COMMENT.captures(line) {
        return match indented_block(lines, i + 1, c[1].len()) {
            (body, next) if !body.is_empty() => next,
            // Explicit markup must end with a blank line: lines directly after a comment
            // are its text whose indentation a reader lost.
            (_, next) => {
                (next..lines.len()).find(|&n| lines[n].trim().is_empty()).unwrap_or(lines.len())
            }
        };
    }
    if let Some(end) = table_end(lines, i, &GRID_BORDER, |l| {
        matches!(l.trim_start().chars().next(), Some('|' | '+'))
    }) {
        return table_block(table::grid(&lines[i..end]), &lines[i..end], end, out);
    }
    if let Some(end) = simple_table_end(lines, i) {
        return table_block(table::simple(&lines[i..end]), &lines[i..end], end, out);
    }
    if line.trim_end().ends_with("::") {
        return literal_block(lines, i, out);
    }
    if let Some(end) = definition(lines, i, out) {
        return end;
    }
    out.text(&ENUMERATED.replace(line, "${1}1.$2"));
    i + 1
}

/// The lines after `start` indented deeper than `indent` (blank lines inside included),
/// dedented, and the index after them.
fn indented_block<'a>(lines: &[&'a str], start: usize, indent: usize) -> (Vec<&'a str>, usize) {
    let deeper = |l: &str| l.trim().is_empty() || indent_of(l) > indent;
    let mut end = start;
    while end < lines.len() && deeper(lines[end]) {
        end += 1;
    }
    while end > start && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    (dedent(&lines[start..end]), end)
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn dedent<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let least = lines.iter().filter(|l| !l.trim().is_empty()).map(|l| indent_of(l)).min();
    lines.iter().map(|l| l.get(least.unwrap_or(0)..).unwrap_or("")).collect()
}

fn directive(name: &str, argument: &str, body: &[&str], out: &mut Output) {
    let name = name.to_ascii_lowercase();
    match name.as_str() {
        "code-block" | "code" | "sourcecode" => {
            let code: Vec<&str> = body
                .iter()
                .copied()
                .skip_while(|l| l.trim().is_empty() || l.trim_start().starts_with(':'))
                .collect();
            out.fenced(argument, &dedent(&code));
        }
        "list-table" => match table::list(body) {
            Some(rows) => out.verbatim(&table::pipe_table(&rows, inline::convert)),
            None => out.verbatim(&body.join("\n")),
        },
        "versionadded" | "versionchanged" | "deprecated" | "versionremoved" => {
            let label = match name.as_str() {
                "versionadded" => "New in version",
                "versionchanged" => "Changed in version",
                "deprecated" => "Deprecated since version",
                _ => "Removed in version",
            };
            out.paragraph(&format!("**{label} {argument}:** {}", to_commonmark(&body.join("\n"))));
        }
        _ if is_admonition(&name) => {
            let text =
                [argument].into_iter().chain(body.iter().copied()).collect::<Vec<_>>().join("\n");
            let converted = format!("**{}:** {}", label_of(&name), to_commonmark(text.trim()));
            out.paragraph(&blockquote(&converted));
        }
        _ => {
            let text =
                [argument].into_iter().chain(body.iter().copied()).collect::<Vec<_>>().join("\n");
            out.paragraph(&to_commonmark(text.trim()));
        }
    }
}

/// `text` as a blockquote. Lines that merely continue a paragraph stay unmarked (CommonMark's
/// lazy continuation), so that a reader joining a paragraph's lines (as the code generator
/// does for doc comments) does not put a `>` in the middle of a sentence.
fn blockquote(text: &str) -> String {
    let mut previous = "";
    let mut quoted = Vec::new();
    for line in text.lines() {
        let continues =
            !previous.trim().is_empty() && !line.trim().is_empty() && !starts_block(line);
        quoted.push(match line.is_empty() {
            true => ">".to_string(),
            false if continues => line.to_string(),
            false => format!("> {line}"),
        });
        previous = line;
    }
    quoted.join("\n")
}

/// Whether `line` could start a block of its own rather than continue a paragraph.
fn starts_block(line: &str) -> bool {
    let t = line.trim_start();
    let ordered = t
        .split_once(". ")
        .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    ordered
        || line.len() - t.len() >= 4
        || ["- ", "* ", "+ ", "```", "~~~", "|", "#", ">"].iter().any(|m| t.starts_with(m))
}

fn is_admonition(name: &str) -> bool {
    matches!(
        name,
        "note"
            | "warning"
            | "important"
            | "tip"
            | "hint"
            | "caution"
            | "danger"
            | "attention"
            | "error"
            | "seealso"
            | "admonition"
            | "todo"
    )
}

fn label_of(name: &str) -> String {
    if name == "seealso" {
        return "See also".into();
    }
    let mut chars = name.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// A grid table starts at `i`: the index after its last line.
fn table_end(
    lines: &[&str],
    i: usize,
    border: &Regex,
    inside: impl Fn(&str) -> bool,
) -> Option<usize> {
    if !border.is_match(lines[i]) {
        return None;
    }
    let mut end = i + 1;
    while end < lines.len() && inside(lines[end]) {
        end += 1;
    }
    (end > i + 1 && border.is_match(lines[end - 1])).then_some(end)
}

/// A simple table starts at `i`: the index after its closing border (the third border line
/// when the table has a header, else the second), with no blank line before any border.
fn simple_table_end(lines: &[&str], i: usize) -> Option<usize> {
    if !SIMPLE_BORDER.is_match(lines[i]) {
        return None;
    }
    let borders: Vec<usize> =
        (i + 1..lines.len()).filter(|&n| SIMPLE_BORDER.is_match(lines[n])).take(2).collect();
    let closing = match borders.as_slice() {
        [header, last] if lines[header + 1..*last].iter().all(|l| !l.trim().is_empty()) => *last,
        [last, ..] => *last,
        [] => return None,
    };
    Some(closing + 1)
}

fn table_block(
    rows: Option<Vec<Vec<String>>>,
    lines: &[&str],
    end: usize,
    out: &mut Output,
) -> usize {
    match rows.filter(|r| !r.is_empty()) {
        Some(rows) => out.verbatim(&table::pipe_table(&rows, inline::convert)),
        None => out.fenced("", lines),
    }
    end
}

/// `text::` (or a lone `::`) and the indented block after it, as the text with one colon
/// (none after a space or alone) and a fenced code block.
fn literal_block(lines: &[&str], i: usize, out: &mut Output) -> usize {
    let line = lines[i].trim_end();
    let text = &line[..line.len() - 2];
    match text.trim() {
        "" => {}
        _ if text.ends_with(' ') => out.text(text.trim_end()),
        _ => out.text(&format!("{text}:")),
    }
    let (code, next) = indented_block(lines, i + 1, indent_of(line));
    let code: Vec<&str> = code.into_iter().skip_while(|l| l.trim().is_empty()).collect();
    if !code.is_empty() {
        out.fenced("", &code);
        return next;
    }
    // No indented block: RST would reject this, but a reader that lost the indentation
    // leaves the block as the next paragraph, which is the only thing it can be.
    let start = (next..lines.len()).find(|&n| !lines[n].trim().is_empty()).unwrap_or(lines.len());
    let end = (start..lines.len()).find(|&n| lines[n].trim().is_empty()).unwrap_or(lines.len());
    if start < end {
        out.fenced("", &lines[start..end]);
    }
    end
}

/// A definition list item at `i` (a term line directly followed by a deeper-indented
/// definition, after a blank line or another definition): `- term: definition`, the
/// definition's further lines indented under the item. The index after it.
fn definition(lines: &[&str], i: usize, out: &mut Output) -> Option<usize> {
    let term = lines[i];
    let next = lines.get(i + 1)?;
    let indent = indent_of(term);
    let opens = i == 0 || lines[i - 1].trim().is_empty() || indent_of(lines[i - 1]) > indent;
    let is_item = |l: &str| {
        let t = l.trim_start();
        t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") || t.starts_with("#. ")
    };
    if !opens
        || term.trim().is_empty()
        || is_item(term)
        || next.trim().is_empty()
        || indent_of(next) <= indent
    {
        return None;
    }
    let (body, end) = indented_block(lines, i + 1, indent);
    out.text(&format!("{}- {}: {}", &term[..indent], term.trim(), body[0].trim()));
    for line in &body[1..] {
        out.text(&format!("{}  {line}", &term[..indent]));
    }
    Some(end)
}

/// Converted blocks: runs of plain lines (converted inline together, since markup may span
/// lines) and finished blocks.
#[derive(Default)]
struct Output {
    blocks: Vec<String>,
    text: Vec<String>,
}

impl Output {
    fn text(&mut self, line: &str) {
        self.text.push(escape_line_start(line));
    }

    fn flush(&mut self) {
        if !self.text.is_empty() {
            let text = std::mem::take(&mut self.text).join("\n");
            let converted = inline::convert(&text);
            self.blocks.push(converted.trim_matches('\n').to_string());
        }
    }

    /// A block that must stand apart from the text around it (blank lines on both sides).
    fn paragraph(&mut self, block: &str) {
        self.flush();
        self.blocks.push(format!("\n{block}\n"));
    }

    fn verbatim(&mut self, block: &str) {
        self.paragraph(block);
    }

    fn fenced(&mut self, language: &str, code: &[&str]) {
        let fence = if code.iter().any(|l| l.contains("```")) { "~~~~" } else { "```" };
        self.paragraph(&format!("{fence}{language}\n{}\n{fence}", code.join("\n")));
    }

    fn finish(mut self) -> String {
        self.flush();
        let joined = self.blocks.join("\n");
        let mut out = String::new();
        let mut blank = 0;
        for line in joined.trim_matches('\n').lines() {
            blank = if line.trim().is_empty() { blank + 1 } else { 0 };
            if blank < 2 {
                out.push_str(if blank == 1 { "" } else { line.trim_end() });
                out.push('\n');
            }
        }
        out.trim_end().to_string()
    }
}

/// A line that would start a CommonMark heading or blockquote where RST has plain text.
fn escape_line_start(line: &str) -> String {
    let rest = line.trim_start();
    let indent = &line[..line.len() - rest.len()];
    if rest.starts_with('#') || rest.starts_with('>') {
        format!("{indent}\\{rest}")
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests;
