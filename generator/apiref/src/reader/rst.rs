//! Reads one os-api-ref `.inc` file: headings, `rest_method` blocks and, inside each block,
//! the directives and prose lines that describe it. It knows RST only as far as os-api-ref
//! uses it; everything it does not understand is prose.

use std::path::Path;

use super::codes::{self, StatusCode, StatusRef};
use super::{
    entries, invisible, normalize, versions, IncFile, MethodBlock, ParamRef, SampleRef, Section,
    VersionNote,
};
use crate::diagnostics::{Diagnostic, DiagnosticKind, Location};
use stackspec_model::version::{Microversion, VersionRange};

/// Parses `text`, the contents of `path`. `root` is the api-ref source root, against which
/// a `literalinclude` path starting with `/` is resolved. Nothing in one file stops the
/// reading: a directive or entry that does not parse is a warning in `diagnostics`.
pub fn parse_inc(
    path: &Path,
    root: &Path,
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> IncFile {
    let lines: Vec<&str> = text.lines().collect();
    let mut parser = Parser { path, root, lines: &lines, diagnostics, file: IncFile::new(path) };
    parser.run();
    parser.file
}

struct Parser<'a> {
    path: &'a Path,
    root: &'a Path,
    lines: &'a [&'a str],
    diagnostics: &'a mut Vec<Diagnostic>,
    file: IncFile,
}

/// What the parser tracks while walking the lines of one file.
#[derive(Default)]
struct Cursor {
    /// The most recent heading, which titles the next `rest_method`.
    last_heading: String,
    /// The request/response section the current block is in, from its sub-headings.
    section: Option<Section>,
    /// The microversions that section's heading limits it to: `Response (microversions
    /// 1.19 - )`.
    section_range: VersionRange,
    /// The most recent bold line or heading inside the block: a sample's caption.
    caption: String,
    /// A heading other than a request/response one came after the last block: what follows
    /// introduces the next block, not the last one.
    between_blocks: bool,
    /// The current block's `rest_method` did not parse (and was reported): what follows it
    /// up to the next `rest_method` documents nothing that can be transcribed.
    unreadable_block: bool,
    /// Headings so far: text before the second is the file's overview.
    headings: usize,
    /// Prose and notes since the last heading that introduces a block: the next block's.
    intro: String,
}

/// A directive or entry that does not parse: the line index and what was expected.
struct Malformed(usize, String);

impl Parser<'_> {
    fn loc(&self, index: usize) -> Location {
        Location::new(self.path, index + 1)
    }

    fn run(&mut self) {
        let mut cursor = Cursor::default();
        let mut i = 0;
        while i < self.lines.len() {
            if let Some((title, next)) = heading_at(self.lines, i) {
                self.on_heading(&mut cursor, title);
                i = next;
                continue;
            }
            let line = self.lines[i];
            if let Some(d) = Directive::parse(line) {
                i = self.on_directive(&mut cursor, &d, i);
                continue;
            }
            i = self.on_prose(&mut cursor, i);
        }
    }

    fn on_heading(&mut self, cursor: &mut Cursor, title: String) {
        if self.file.title.is_empty() {
            self.file.title = title.clone();
        }
        cursor.headings += 1;
        if self.file.methods.is_empty() {
            cursor.intro.clear();
        }
        if !self.file.methods.is_empty() || cursor.unreadable_block {
            let lower = title.to_ascii_lowercase();
            let range = versions::range_note(&title).unwrap_or_default();
            if lower.contains("response") {
                cursor.section = Some(Section::Response);
                cursor.section_range = range;
            } else if lower.contains("request") {
                cursor.section = Some(Section::Request);
                cursor.section_range = range;
            } else {
                cursor.between_blocks = true;
                cursor.intro.clear();
            }
        }
        cursor.caption = title.clone();
        cursor.last_heading = title;
    }

    /// Text outside a block's description: the file's overview (under its title), the
    /// introduction of the next block (under its heading, before its `rest_method`), or a
    /// note on the current block (an admonition after its `rest_method`).
    fn on_aside(&mut self, cursor: &mut Cursor, text: &str, admonition: bool) {
        if cursor.unreadable_block {
            return;
        }
        let target = if self.file.methods.is_empty() && cursor.headings <= 1 {
            &mut self.file.overview
        } else if self.file.methods.is_empty() || cursor.between_blocks {
            &mut cursor.intro
        } else if let (true, Some(block)) = (admonition, self.file.methods.last_mut()) {
            &mut block.notes
        } else {
            return;
        };
        target.push_str(text.trim());
        target.push('\n');
    }

    /// Handles the directive starting at line `i`; returns the index of the first line after
    /// its content.
    fn on_directive(&mut self, cursor: &mut Cursor, d: &Directive<'_>, i: usize) -> usize {
        let end = content_end(self.lines, i, d.indent);
        let body = &self.lines[i + 1..end];
        let (argument, rest) = argument_block(d.argument, body);
        let handled = match d.name {
            "rest_method" => self.on_rest_method(cursor, d.argument, body, i),
            "rest_parameters" => self.on_rest_parameters(cursor, &argument, rest, i),
            "rest_status_code" => self.on_rest_status_code(cursor, &argument, rest, i),
            "literalinclude" => self.on_literalinclude(cursor, &argument, rest, i),
            "warning" | "note" | "important" | "caution" | "attention" => {
                self.on_admonition(cursor, d.argument, body);
                let text = std::iter::once(d.argument).chain(body.iter().copied());
                self.on_aside(cursor, &text.collect::<Vec<_>>().join("\n"), true);
                Ok(())
            }
            "versionadded" => {
                self.on_version_added(cursor, d.argument, body, i);
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(Malformed(at, message)) = handled {
            self.warn(DiagnosticKind::Malformed, at, message);
        }
        if let Some(sub) = d.substitution {
            let value = std::iter::once(d.argument)
                .chain(body.iter().copied())
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let value = if d.name == "raw" { String::new() } else { value };
            self.file.substitutions.insert(sub.to_string(), value);
        }
        end
    }

    /// A new block. One whose verb and path do not parse is reported and, up to the next
    /// `rest_method`, what it documents is skipped rather than given to the block above.
    fn on_rest_method(
        &mut self,
        cursor: &mut Cursor,
        argument: &str,
        body: &[&str],
        i: usize,
    ) -> Result<(), Malformed> {
        cursor.between_blocks = false;
        cursor.section = None;
        cursor.section_range = VersionRange::default();
        cursor.caption.clear();
        let mut rest = body.iter().map(|l| l.trim()).filter(|l| !l.is_empty());
        let head = if argument.is_empty() { rest.next().unwrap_or("") } else { argument };
        let mut words = head.split_whitespace();
        let (Some(verb), Some(path)) = (words.next(), words.next()) else {
            cursor.unreadable_block = true;
            return Err(Malformed(
                i,
                "`rest_method` needs `VERB /path` on its line or the next; the block is skipped"
                    .into(),
            ));
        };
        cursor.unreadable_block = false;
        let path = self.visible_path(path, i);
        let mut block = MethodBlock::new(verb.to_ascii_uppercase(), path, self.loc(i));
        block.title = cursor.last_heading.clone();
        block.notes = cursor.intro.clone();
        for option in rest {
            if let Err(message) = version_option(&mut block.range, option) {
                self.warn(DiagnosticKind::Malformed, i, message);
            }
        }
        self.file.methods.push(block);
        Ok(())
    }

    /// The path as written, without invisible characters (reported, naming the line), and
    /// starting with `/`.
    fn visible_path(&mut self, path: &str, i: usize) -> String {
        let (path, dropped) = invisible::strip(path);
        if !dropped.is_empty() {
            let message = format!(
                "invisible characters in the `rest_method` path dropped: {}",
                invisible::describe(&dropped)
            );
            self.warn(DiagnosticKind::InvalidText, i, message);
        }
        if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        }
    }

    fn on_rest_parameters(
        &mut self,
        cursor: &Cursor,
        argument: &str,
        body: &[&str],
        i: usize,
    ) -> Result<(), Malformed> {
        if argument.is_empty() {
            return Err(Malformed(i, "`rest_parameters` needs a parameters file name".into()));
        }
        let file = self.path.parent().unwrap_or(Path::new("")).join(argument);
        let mut refs = Vec::new();
        let mut list_indent = None;
        for (n, line) in body.iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let line_no = i + 1 + n;
            let indent = *list_indent.get_or_insert(line.len() - line.trim_start().len());
            match entries::parameter(line, indent) {
                Ok((wire, key)) => refs.push(ParamRef {
                    section: cursor.section.unwrap_or(Section::Request),
                    wire_name: wire.to_string(),
                    key: key.to_string(),
                    file: file.clone(),
                    location: self.loc(line_no),
                    heading_range: cursor.section_range,
                }),
                Err(why) => {
                    self.warn(DiagnosticKind::Malformed, line_no, format!("{why}; skipped"))
                }
            }
        }
        if list_indent.is_none() {
            return Err(Malformed(
                i,
                "`rest_parameters` has no `- name: key` entries (unclosed directive?)".into(),
            ));
        }
        self.attach(cursor, i, "`rest_parameters`", |block| block.parameters.extend(refs));
        Ok(())
    }

    fn on_rest_status_code(
        &mut self,
        cursor: &Cursor,
        argument: &str,
        body: &[&str],
        i: usize,
    ) -> Result<(), Malformed> {
        let mut words = argument.split_whitespace();
        let (Some(kind), Some(file)) = (words.next(), words.next()) else {
            return Err(Malformed(i, "`rest_status_code` needs `success|error FILE`".into()));
        };
        let success = match kind {
            "success" => true,
            "error" => false,
            other => {
                return Err(Malformed(
                    i,
                    format!("`rest_status_code` kind must be success or error, found `{other}`"),
                ))
            }
        };
        let file = self.path.parent().unwrap_or(Path::new("")).join(file);
        let mut codes = Vec::new();
        for (n, line) in body.iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let line_no = i + 1 + n;
            match entries::status(line) {
                Ok((code, key)) => codes.push(StatusCode {
                    code,
                    description: String::new(),
                    status: Some(StatusRef { file: file.clone(), key: key.to_string() }),
                    range: VersionRange::default(),
                    location: self.loc(line_no),
                }),
                Err(why) => {
                    self.warn(DiagnosticKind::Malformed, line_no, format!("{why}; skipped"))
                }
            }
        }
        self.push_codes(cursor, i, success, codes);
        Ok(())
    }

    fn on_literalinclude(
        &mut self,
        cursor: &Cursor,
        argument: &str,
        options: &[&str],
        i: usize,
    ) -> Result<(), Malformed> {
        if argument.is_empty() {
            return Err(Malformed(i, "`literalinclude` needs a file path".into()));
        }
        let path = match argument.strip_prefix('/') {
            Some(from_root) => self.root.join(from_root),
            None => self.path.parent().unwrap_or(Path::new("")).join(argument),
        };
        let sample = SampleRef {
            section: cursor.section,
            path: normalize(&path),
            caption: cursor.caption.clone(),
            language: option(options, "language").map(str::to_string),
            location: self.loc(i),
        };
        self.attach(cursor, i, "`literalinclude`", |block| block.samples.push(sample));
        Ok(())
    }

    /// `.. versionadded:: 1.60` inside a block, with its text (`Introduced the ``owner``
    /// field.`), kept for the transcriber to read; a version that does not parse is reported.
    fn on_version_added(&mut self, cursor: &Cursor, argument: &str, body: &[&str], i: usize) {
        if cursor.between_blocks || cursor.unreadable_block || self.file.methods.is_empty() {
            return;
        }
        let Ok(version) = argument.trim().parse::<Microversion>() else {
            let message =
                format!("`versionadded` needs a microversion, found `{}`", argument.trim());
            return self.warn(DiagnosticKind::Ignored, i, message);
        };
        let text = body.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
        let note = VersionNote { version, text: text.trim().to_string(), location: self.loc(i) };
        self.attach(cursor, i, "`versionadded`", |block| block.added.push(note));
    }

    /// An admonition before the first `rest_method` belongs to the file's preamble; later
    /// ones are notes on a single block and stay out of its description.
    fn on_admonition(&mut self, cursor: &Cursor, argument: &str, body: &[&str]) {
        if self.in_preamble(cursor) {
            for line in std::iter::once(argument).chain(body.iter().copied()) {
                self.file.preamble.push_str(line.trim());
                self.file.preamble.push('\n');
            }
        }
    }

    /// Prose: response-code paragraphs, bold captions, and the block's description.
    fn on_prose(&mut self, cursor: &mut Cursor, i: usize) -> usize {
        let line = self.lines[i].trim();
        if let Some((success, rest)) = codes::code_line(line) {
            let (text, end) = paragraph(self.lines, i, rest);
            let parsed = if text.trim().is_empty() {
                codes::parse_bullets(self.lines, end, |n| self.loc(n))
            } else {
                (codes::parse_inline(&text, &self.loc(i)), end)
            };
            let ((found, bad), end) = parsed;
            for (location, message) in bad {
                self.diagnostics.push(Diagnostic::new(DiagnosticKind::Ignored, location, message));
            }
            self.push_codes(cursor, i, success, found);
            return end;
        }
        // A bold line is a caption ("**Example Show Server Details**"); a bold sentence is
        // prose ("**Available as of microversion 1.13.**", placement).
        let sentence = line.trim_end_matches('*').ends_with('.');
        if line.starts_with("**") && line.ends_with("**") && line.len() > 4 && !sentence {
            cursor.caption = line.trim_matches('*').to_string();
            return i + 1;
        }
        if self.in_preamble(cursor) {
            self.file.preamble.push_str(line);
            self.file.preamble.push('\n');
        }
        self.on_aside(cursor, line, false);
        if let Some(block) = self.file.methods.last_mut().filter(|_| !cursor.unreadable_block) {
            // Prose up to the first parameter list, sample or sub-heading describes the
            // block, including what it says around the response codes (200 versus 207).
            let describing =
                block.samples.is_empty() && block.parameters.is_empty() && cursor.section.is_none();
            if describing && (!line.is_empty() || !block.description.is_empty()) {
                block.description.push_str(line);
                block.description.push('\n');
            }
        }
        i + 1
    }

    fn in_preamble(&self, cursor: &Cursor) -> bool {
        self.file.methods.is_empty() && !cursor.unreadable_block
    }

    fn push_codes(&mut self, cursor: &Cursor, i: usize, success: bool, codes: Vec<StatusCode>) {
        self.attach(cursor, i, "response codes", |block| {
            if success {
                block.success.extend(codes);
            } else {
                block.errors.extend(codes);
            }
        });
    }

    /// Gives what the directive at `i` documents to the current block. Before any block it
    /// is reported; after an unreadable `rest_method` it is dropped (that block was
    /// reported).
    fn attach(
        &mut self,
        cursor: &Cursor,
        i: usize,
        what: &str,
        add: impl FnOnce(&mut MethodBlock),
    ) {
        if cursor.unreadable_block {
            return;
        }
        match self.file.methods.last_mut() {
            Some(block) => add(block),
            None => {
                self.warn(DiagnosticKind::Ignored, i, format!("{what} before any `rest_method`"))
            }
        }
    }

    fn warn(&mut self, kind: DiagnosticKind, i: usize, message: impl Into<String>) {
        let d = Diagnostic::new(kind, self.loc(i), message);
        self.diagnostics.push(d);
    }
}

/// Applies one `min_version: 2.10` / `max_version: 2.20` option line of a `rest_method`.
fn version_option(range: &mut VersionRange, option: &str) -> Result<(), String> {
    let (name, value) = option.split_once(':').unwrap_or((option, ""));
    let bound = match name.trim() {
        "min_version" => &mut range.min,
        "max_version" => &mut range.max,
        other => return Err(format!("unknown `rest_method` option `{other}`; ignored")),
    };
    let version = value.trim().parse::<Microversion>().map_err(|e| format!("{e}; ignored"))?;
    *bound = Some(version);
    Ok(())
}

/// The value of the directive option `:name: value` among `options`.
fn option<'a>(options: &[&'a str], name: &str) -> Option<&'a str> {
    options.iter().find_map(|line| {
        let rest = line.trim().strip_prefix(':')?.strip_prefix(name)?.strip_prefix(':')?;
        Some(rest.trim()).filter(|v| !v.is_empty())
    })
}

/// A directive's argument as docutils reads it: the rest of the directive's line, or, when
/// that is empty, the indented lines after it up to a blank line or the first option
/// (`.. literalinclude::` with the path on the next line is valid RST). Returns the argument
/// and the body lines after it.
fn argument_block<'a, 'b>(first: &str, body: &'b [&'a str]) -> (String, &'b [&'a str]) {
    if !first.is_empty() {
        return (first.to_string(), body);
    }
    let taken = body
        .iter()
        .take_while(|line| {
            let text = line.trim();
            !text.is_empty() && !text.starts_with(':')
        })
        .count();
    let argument = body[..taken].iter().map(|line| line.trim()).collect::<Vec<_>>().join(" ");
    (argument, &body[taken..])
}

/// A directive line: `.. name:: argument`, or a substitution definition
/// `.. |sub| name:: argument`.
struct Directive<'a> {
    indent: usize,
    name: &'a str,
    argument: &'a str,
    substitution: Option<&'a str>,
}

impl<'a> Directive<'a> {
    fn parse(line: &'a str) -> Option<Self> {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let rest = trimmed.strip_prefix(".. ")?;
        let (substitution, rest) = match rest.strip_prefix('|') {
            Some(sub) => {
                let (name, after) = sub.split_once('|')?;
                (Some(name), after.trim_start())
            }
            None => (None, rest),
        };
        let (name, argument) = rest.split_once("::")?;
        if name.is_empty()
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return None;
        }
        Some(Self { indent, name, argument: argument.trim(), substitution })
    }
}

/// Index of the first line after the content of a directive at `start` with `indent`:
/// content is every following line that is blank or indented deeper.
fn content_end(lines: &[&str], start: usize, indent: usize) -> usize {
    let mut end = start + 1;
    let mut last_content = start + 1;
    while end < lines.len() {
        let line = lines[end];
        if line.trim().is_empty() {
            end += 1;
            continue;
        }
        if line.len() - line.trim_start().len() <= indent {
            break;
        }
        end += 1;
        last_content = end;
    }
    last_content
}

/// A heading at `i`: text underlined (optionally also overlined) by one repeated punctuation
/// character. Returns the title and the index after the heading.
fn heading_at(lines: &[&str], i: usize) -> Option<(String, usize)> {
    let is_rule = |l: &str| {
        let l = l.trim_end();
        let Some(first) = l.chars().next() else { return false };
        l.len() >= 3 && "=-~*^\"'#+`".contains(first) && l.chars().all(|c| c == first)
    };
    let text_ok =
        |l: &str| !l.trim().is_empty() && !is_rule(l) && !l.trim_start().starts_with("..");
    // Overline, title (may be indented), underline.
    if is_rule(lines[i])
        && i + 2 < lines.len()
        && text_ok(lines[i + 1])
        && lines[i + 2].trim_end() == lines[i].trim_end()
    {
        return Some((lines[i + 1].trim().to_string(), i + 3));
    }
    let line = lines[i];
    if text_ok(line)
        && !line.starts_with(char::is_whitespace)
        && i + 1 < lines.len()
        && is_rule(lines[i + 1])
    {
        let under = lines[i + 1].trim_end();
        if under.len() + 2 >= line.trim_end().chars().count() {
            return Some((line.trim().to_string(), i + 2));
        }
    }
    None
}

/// The paragraph starting at `i`, whose first line's text (after any label) is `first`:
/// that text plus every following non-blank line. Returns the text and the index after it.
fn paragraph(lines: &[&str], i: usize, first: &str) -> (String, usize) {
    let mut text = first.trim().to_string();
    let mut end = i + 1;
    // A bullet list, a bold caption, a directive, a heading or another code line ends it.
    let stops = |n: usize| {
        let l = lines[n].trim_start();
        l.is_empty()
            || l.starts_with(['*', '-', '+'])
            || l.starts_with("..")
            || codes::code_line(l).is_some()
            || heading_at(lines, n).is_some()
    };
    while end < lines.len() && !stops(end) {
        text.push(' ');
        text.push_str(lines[end].trim());
        end += 1;
    }
    (text, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (IncFile, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let file = parse_inc(Path::new("/src/x.inc"), Path::new("/src"), text, &mut diags);
        (file, diags)
    }

    /// The one warning parsing `text` gives, as `line: message`.
    fn warning(text: &str) -> String {
        let (_, diags) = parse(text);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].kind, DiagnosticKind::Malformed);
        format!("{}: {}", diags[0].location.line, diags[0].message)
    }

    const BLOCK: &str = "\
=====
 Widgets
=====

Make Widget
===========

.. rest_method::  POST widgets/{id}
   min_version: 2.10

Makes a widget.

Normal response codes: 200,
207

Error response codes: badRequest(400),
unauthorized(401)

Request
-------

.. rest_parameters:: parameters.yaml

  - id: widget_id
  - OS-EXT:host: widget_host

**Example Make Widget (v2.12)**

.. literalinclude:: ./samples/v2.12/make-req.json
   :language: javascript

Response
--------

.. literalinclude:: /../doc/make-resp.json
";

    #[test]
    fn reads_a_method_block_with_everything_in_it() {
        let (file, diags) = parse(BLOCK);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(file.title, "Widgets");
        let m = &file.methods[0];
        assert_eq!((m.verb.as_str(), m.path.as_str()), ("POST", "/widgets/{id}"));
        assert_eq!(m.title, "Make Widget");
        assert_eq!(m.range.min, Some(Microversion::new(2, 10)));
        assert_eq!(m.description.trim(), "Makes a widget.");
        let codes = |c: &[StatusCode]| c.iter().map(|s| s.code).collect::<Vec<_>>();
        assert_eq!(codes(&m.success), [200, 207]);
        assert_eq!(codes(&m.errors), [400, 401]);
        let wires: Vec<_> =
            m.parameters.iter().map(|p| (p.wire_name.as_str(), p.key.as_str())).collect();
        assert_eq!(wires, [("id", "widget_id"), ("OS-EXT:host", "widget_host")]);
        assert_eq!(m.parameters[1].location.line, 25);
        assert_eq!(m.samples[0].path, Path::new("/src/samples/v2.12/make-req.json"));
        assert_eq!(m.samples[0].caption, "Example Make Widget (v2.12)");
        assert_eq!(m.samples[0].section, Some(Section::Request));
        assert_eq!(m.samples[1].path, Path::new("/doc/make-resp.json"));
        assert_eq!(m.samples[1].section, Some(Section::Response));
    }

    #[test]
    fn directive_arguments_may_be_on_the_next_line() {
        let text = ".. rest_method:: GET /a\n\n.. rest_parameters::\n   parameters.yaml\n\n   - id: id_path\n\n.. literalinclude::\n   ./samples/a-resp.json\n   :language: javascript\n";
        let (file, diagnostics) = parse(text);
        let m = &file.methods[0];
        assert_eq!(m.samples[0].path, Path::new("/src/samples/a-resp.json"));
        assert_eq!(m.parameters.len(), 1, "{diagnostics:?}");
        // A blank line ends the argument block: nothing after it is taken for the path.
        let text = ".. rest_method:: GET /a\n\n.. literalinclude::\n\n   ./samples/a-resp.json\n";
        assert_eq!(warning(text), "3: `literalinclude` needs a file path");
    }

    #[test]
    fn verb_and_path_may_be_on_the_next_line() {
        let (file, _) = parse(".. rest_method::\n   GET /v2/things\n\nLists.\n");
        assert_eq!(file.methods[0].path, "/v2/things");
    }

    #[test]
    fn error_codes_as_bullets() {
        let text = ".. rest_method:: GET /a\n\nError codes:\n\n* 400 - bad\n* 401, 403 - missing or invalid\n  authentication\n\nRequest\n-------\n";
        let (file, _) = parse(text);
        let codes: Vec<_> =
            file.methods[0].errors.iter().map(|c| (c.code, c.description.as_str())).collect();
        assert_eq!(
            codes,
            [
                (400, "bad"),
                (401, "missing or invalid authentication"),
                (403, "missing or invalid authentication")
            ]
        );
    }

    #[test]
    fn success_bullets_and_code_lines_without_a_blank_between() {
        let text = ".. rest_method:: POST /r\n\nNormal response codes:\n\n* 200 - old\n* 201 - new\n\n.. rest_method:: GET /s\n\nNormal response codes: 200\nError response codes: 400, 401\n";
        let (file, diags) = parse(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(file.methods[0].success.iter().map(|c| c.code).collect::<Vec<_>>(), [200, 201]);
        assert_eq!(file.methods[1].success.iter().map(|c| c.code).collect::<Vec<_>>(), [200]);
        assert_eq!(file.methods[1].errors.iter().map(|c| c.code).collect::<Vec<_>>(), [400, 401]);
    }

    #[test]
    fn status_code_lists_name_their_status_file_keys() {
        let text = ".. rest_method:: GET /a\n\n.. rest_status_code:: error status.yaml\n\n   - 400\n   - 409: dup\n";
        let (file, _) = parse(text);
        let keys: Vec<_> = file.methods[0]
            .errors
            .iter()
            .map(|c| c.status.as_ref().unwrap().key.as_str())
            .collect();
        assert_eq!(keys, ["default", "dup"]);
    }

    #[test]
    fn substitutions_are_collected() {
        let (file, _) = parse(".. |fmt_desc| replace::\n    The format,\n    of a disk.\n\n.. |p| raw:: html\n\n    <p>\n");
        assert_eq!(file.substitutions["fmt_desc"], "The format, of a disk.");
        assert_eq!(file.substitutions["p"], "");
    }

    #[test]
    fn a_rest_method_without_a_path_is_a_warning_and_its_content_is_not_given_to_another() {
        let text = ".. rest_method:: GET /a\n\nFirst.\n\n.. rest_method:: GET\n\nSecond.\n\n\
                    Normal response codes: 200\n\n.. rest_parameters:: p.yaml\n\n  - id: id\n\n\
                    .. literalinclude:: s.json\n\n.. rest_method:: GET /c\n";
        assert_eq!(
            warning(text),
            "5: `rest_method` needs `VERB /path` on its line or the next; the block is skipped"
        );
        let (file, _) = parse(text);
        let a = &file.methods[0];
        assert_eq!(a.description.trim(), "First.");
        assert!(a.success.is_empty() && a.parameters.is_empty() && a.samples.is_empty());
        assert_eq!(file.methods[1].path, "/c", "the next block is read");
    }

    #[test]
    fn an_unclosed_rest_parameters_is_a_warning() {
        let text = ".. rest_method:: GET /a\n\n.. rest_parameters:: parameters.yaml\n";
        assert!(warning(text).starts_with("3: `rest_parameters` has no"));
    }

    #[test]
    fn a_malformed_parameter_entry_is_a_warning_and_the_others_are_read() {
        let text = ".. rest_method:: GET /a\n\n.. rest_parameters:: parameters.yaml\n\n  \
                    - just_a_name\n  - id: id_path\n";
        assert_eq!(warning(text), "5: expected `name: key`, found `just_a_name`; skipped");
        assert_eq!(parse(text).0.methods[0].parameters.len(), 1);
    }

    #[test]
    fn a_mis_indented_entry_with_rst_markup_is_no_parameter() {
        let text = ".. rest_method:: GET /a\n\n.. rest_parameters:: parameters.yaml\n\n   \
                    - name: name\n  - ``broken: limit\n   - ``tick: limit\n";
        let (file, diags) = parse(text);
        let wires: Vec<_> = file.methods[0].parameters.iter().map(|p| &p.wire_name).collect();
        assert_eq!(wires, ["name"]);
        let lines: Vec<_> = diags.iter().map(|d| (d.kind, d.location.line)).collect();
        assert_eq!(lines, [(DiagnosticKind::Malformed, 6), (DiagnosticKind::Malformed, 7)]);
        assert!(diags[0].message.contains("indented by 2, the list above by 3"), "{diags:?}");
        assert!(diags[1].message.contains("```tick` is not a name"), "{diags:?}");
    }

    #[test]
    fn a_bad_microversion_is_a_warning_and_the_block_is_kept() {
        let text = ".. rest_method:: GET /a\n   min_version: two\n   max_version: 2.5\n";
        let (file, diags) = parse(text);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].message.contains("`two`"), "{diags:?}");
        assert_eq!(diags[0].location.line, 1);
        let range = &file.methods[0].range;
        assert_eq!((range.min, range.max), (None, Some(Microversion::new(2, 5))));
    }

    #[test]
    fn a_literalinclude_keeps_its_language() {
        let text = ".. rest_method:: GET /a\n\n.. literalinclude:: examples/a-curl\n   \
                    :linenos:\n   :language: bash\n";
        let (file, _) = parse(text);
        assert_eq!(file.methods[0].samples[0].language.as_deref(), Some("bash"));
    }

    #[test]
    fn indented_dash_error_bullets_after_the_label_line_are_codes() {
        let text = ".. rest_method:: PUT /a\n\nNormal response code: 202 (Accepted)\n\n\
                    Error codes:\n    - 400 (Invalid, NodeLocked)\n    - 404 (NotFound)\n\n\
                    Request\n-------\n";
        let (file, diags) = parse(text);
        assert!(diags.is_empty(), "{diags:?}");
        let m = &file.methods[0];
        let errors: Vec<_> = m.errors.iter().map(|c| (c.code, c.description.as_str())).collect();
        assert_eq!(errors, [(400, "Invalid, NodeLocked"), (404, "NotFound")]);
        assert_eq!(m.success.iter().map(|c| c.code).collect::<Vec<_>>(), [202]);
    }

    #[test]
    fn a_code_paragraph_ends_at_a_directive_or_heading() {
        let text = ".. rest_method:: GET /a\n\nNormal response codes: 200\n\
                    .. rest_parameters:: p.yaml\n\n  - id: id\n\n\
                    .. rest_method:: GET /b\n\nNormal response codes: 200\nRequest\n-------\n";
        let (file, diags) = parse(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(file.methods[0].parameters.len(), 1);
        assert_eq!(file.methods[1].success[0].description, "OK");
    }

    #[test]
    fn prose_and_admonitions_before_the_first_method_are_the_preamble() {
        let text = "Widgets\n=======\n\n.. warning::\n   Admins only.\n\nAbout widgets.\n\n\
                    .. rest_method:: GET /widgets\n\nLists.\n\n.. note:: Later note.\n";
        let (file, _) = parse(text);
        let preamble: Vec<&str> = file.preamble.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(preamble, ["Admins only.", "About widgets."]);
        assert_eq!(file.methods[0].description.trim(), "Lists.");
    }
}
