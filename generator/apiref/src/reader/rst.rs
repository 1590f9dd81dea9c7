//! Reads one os-api-ref `.inc` file: headings, `rest_method` blocks and, inside each block,
//! the directives and prose lines that describe it. It knows RST only as far as os-api-ref
//! uses it; everything it does not understand is prose.

use std::path::Path;

use super::codes::{self, StatusCode, StatusRef};
use super::{
    normalize, IncFile, MethodBlock, ParamRef, ReadError, SampleRef, Section, VersionNote,
};
use crate::diagnostics::{Diagnostic, DiagnosticKind, Location};
use stackspec_model::version::{Microversion, VersionRange};

/// Parses `text`, the contents of `path`. `root` is the api-ref source root, against which
/// a `literalinclude` path starting with `/` is resolved.
pub fn parse_inc(
    path: &Path,
    root: &Path,
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<IncFile, ReadError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut parser = Parser { path, root, lines: &lines, diagnostics, file: IncFile::new(path) };
    parser.run()?;
    Ok(parser.file)
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
    /// The most recent bold line or heading inside the block: a sample's caption.
    caption: String,
    /// A heading other than a request/response one came after the last block: what follows
    /// introduces the next block, not the last one.
    between_blocks: bool,
}

impl Parser<'_> {
    fn loc(&self, index: usize) -> Location {
        Location::new(self.path, index + 1)
    }

    fn run(&mut self) -> Result<(), ReadError> {
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
                i = self.on_directive(&mut cursor, &d, i)?;
                continue;
            }
            i = self.on_prose(&mut cursor, i);
        }
        Ok(())
    }

    fn on_heading(&mut self, cursor: &mut Cursor, title: String) {
        if self.file.title.is_empty() {
            self.file.title = title.clone();
        }
        if !self.file.methods.is_empty() {
            let lower = title.to_ascii_lowercase();
            if lower.contains("response") {
                cursor.section = Some(Section::Response);
            } else if lower.contains("request") {
                cursor.section = Some(Section::Request);
            } else {
                cursor.between_blocks = true;
            }
        }
        cursor.caption = title.clone();
        cursor.last_heading = title;
    }

    /// Handles the directive starting at line `i`; returns the index of the first line after
    /// its content.
    fn on_directive(
        &mut self,
        cursor: &mut Cursor,
        d: &Directive<'_>,
        i: usize,
    ) -> Result<usize, ReadError> {
        let end = content_end(self.lines, i, d.indent);
        let body = &self.lines[i + 1..end];
        let (argument, rest) = argument_block(d.argument, body);
        match d.name {
            "rest_method" => self.on_rest_method(cursor, d.argument, body, i)?,
            "rest_parameters" => self.on_rest_parameters(cursor, &argument, rest, i)?,
            "rest_status_code" => self.on_rest_status_code(&argument, rest, i)?,
            "literalinclude" => self.on_literalinclude(cursor, &argument, i)?,
            "warning" | "note" | "important" | "caution" | "attention" => {
                self.on_admonition(d.argument, body);
            }
            "versionadded" => self.on_version_added(cursor, d.argument, body, i),
            _ => {}
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
        Ok(end)
    }

    fn on_rest_method(
        &mut self,
        cursor: &mut Cursor,
        argument: &str,
        body: &[&str],
        i: usize,
    ) -> Result<(), ReadError> {
        let mut rest = body.iter().map(|l| l.trim()).filter(|l| !l.is_empty());
        let head = if argument.is_empty() { rest.next().unwrap_or("") } else { argument };
        let mut words = head.split_whitespace();
        let (Some(verb), Some(path)) = (words.next(), words.next()) else {
            return Err(ReadError::Syntax {
                location: self.loc(i),
                message: "`rest_method` needs `VERB /path` on its line or the next".into(),
            });
        };
        let mut range = VersionRange::default();
        for option in rest {
            let (name, value) = option.split_once(':').unwrap_or((option, ""));
            let value = parse_version(value, &self.loc(i))?;
            match name.trim() {
                "min_version" => range.min = Some(value),
                "max_version" => range.max = Some(value),
                other => {
                    return Err(ReadError::Syntax {
                        location: self.loc(i),
                        message: format!("unknown `rest_method` option `{other}`"),
                    })
                }
            }
        }
        let path = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
        let mut block = MethodBlock::new(verb.to_ascii_uppercase(), path, self.loc(i));
        block.title = cursor.last_heading.clone();
        block.range = range;
        self.file.methods.push(block);
        cursor.between_blocks = false;
        cursor.section = None;
        cursor.caption.clear();
        Ok(())
    }

    fn on_rest_parameters(
        &mut self,
        cursor: &Cursor,
        argument: &str,
        body: &[&str],
        i: usize,
    ) -> Result<(), ReadError> {
        if argument.is_empty() {
            return Err(self.syntax(i, "`rest_parameters` needs a parameters file name"));
        }
        let file = self.path.parent().unwrap_or(Path::new("")).join(argument);
        let mut refs = Vec::new();
        for (n, line) in body.iter().enumerate() {
            let item = line.trim();
            if item.is_empty() {
                continue;
            }
            let line_no = i + 1 + n;
            let entry = item.strip_prefix("- ").ok_or_else(|| {
                self.syntax(
                    line_no,
                    &format!("expected `- name: key` in `rest_parameters`, found `{item}`"),
                )
            })?;
            // Wire names may contain colons (`OS-EXT-SRV-ATTR:host`): split on the last `: `.
            let (wire, key) = entry.rsplit_once(": ").ok_or_else(|| {
                self.syntax(line_no, &format!("expected `name: key`, found `{entry}`"))
            })?;
            refs.push(ParamRef {
                section: cursor.section.unwrap_or(Section::Request),
                wire_name: wire.trim().to_string(),
                key: key.trim().to_string(),
                file: file.clone(),
                location: self.loc(line_no),
            });
        }
        if refs.is_empty() {
            return Err(self.syntax(
                i,
                "`rest_parameters` has no `- name: key` entries (unclosed directive?)",
            ));
        }
        match self.file.methods.last_mut() {
            Some(block) => block.parameters.extend(refs),
            None => self.ignored(i, "`rest_parameters` before any `rest_method`"),
        }
        Ok(())
    }

    fn on_rest_status_code(
        &mut self,
        argument: &str,
        body: &[&str],
        i: usize,
    ) -> Result<(), ReadError> {
        let mut words = argument.split_whitespace();
        let (Some(kind), Some(file)) = (words.next(), words.next()) else {
            return Err(self.syntax(i, "`rest_status_code` needs `success|error FILE`"));
        };
        let success = match kind {
            "success" => true,
            "error" => false,
            other => {
                return Err(self.syntax(
                    i,
                    &format!("`rest_status_code` kind must be success or error, found `{other}`"),
                ))
            }
        };
        let file = self.path.parent().unwrap_or(Path::new("")).join(file);
        let mut codes = Vec::new();
        for (n, line) in body.iter().enumerate() {
            let item = line.trim();
            if item.is_empty() {
                continue;
            }
            let location = self.loc(i + 1 + n);
            let entry = item.strip_prefix("- ").unwrap_or(item);
            let (code, key) = match entry.split_once(':') {
                Some((c, k)) => (c.trim(), k.trim()),
                None => (entry.trim(), "default"),
            };
            let code: u16 = code.parse().map_err(|_| ReadError::Syntax {
                location: location.clone(),
                message: format!("expected a status code, found `{code}`"),
            })?;
            let status = StatusRef { file: file.clone(), key: key.to_string() };
            codes.push(StatusCode {
                code,
                description: String::new(),
                status: Some(status),
                range: VersionRange::default(),
                location,
            });
        }
        self.push_codes(i, success, codes);
        Ok(())
    }

    fn on_literalinclude(
        &mut self,
        cursor: &Cursor,
        argument: &str,
        i: usize,
    ) -> Result<(), ReadError> {
        if argument.is_empty() {
            return Err(self.syntax(i, "`literalinclude` needs a file path"));
        }
        let path = match argument.strip_prefix('/') {
            Some(from_root) => self.root.join(from_root),
            None => self.path.parent().unwrap_or(Path::new("")).join(argument),
        };
        let sample = SampleRef {
            section: cursor.section,
            path: normalize(&path),
            caption: cursor.caption.clone(),
            location: self.loc(i),
        };
        match self.file.methods.last_mut() {
            Some(block) => block.samples.push(sample),
            None => self.ignored(i, "`literalinclude` before any `rest_method`"),
        }
        Ok(())
    }

    /// An admonition before the first `rest_method` belongs to the file's preamble; later
    /// ones are notes on a single block and stay out of its description.
    /// `.. versionadded:: 1.60` inside a block, with its text (`Introduced the ``owner``
    /// field.`), kept for the transcriber to read; a version that does not parse is reported.
    fn on_version_added(&mut self, cursor: &Cursor, argument: &str, body: &[&str], i: usize) {
        let Some(block) = self.file.methods.last_mut().filter(|_| !cursor.between_blocks) else {
            return;
        };
        let location = Location::new(self.path, i + 1);
        let Ok(version) = argument.trim().parse::<Microversion>() else {
            let message =
                format!("`versionadded` needs a microversion, found `{}`", argument.trim());
            self.diagnostics.push(Diagnostic::new(DiagnosticKind::Ignored, location, message));
            return;
        };
        let text = body.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
        block.added.push(VersionNote { version, text: text.trim().to_string(), location });
    }

    fn on_admonition(&mut self, argument: &str, body: &[&str]) {
        if self.file.methods.is_empty() {
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
            for b in bad {
                self.diagnostics.push(Diagnostic::new(DiagnosticKind::Ignored, b.0, b.1));
            }
            self.push_codes(i, success, found);
            return end;
        }
        if line.starts_with("**") && line.ends_with("**") && line.len() > 4 {
            cursor.caption = line.trim_matches('*').to_string();
            return i + 1;
        }
        if self.file.methods.is_empty() {
            self.file.preamble.push_str(line);
            self.file.preamble.push('\n');
        }
        if let Some(block) = self.file.methods.last_mut() {
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

    fn push_codes(&mut self, i: usize, success: bool, codes: Vec<StatusCode>) {
        match self.file.methods.last_mut() {
            Some(block) if success => block.success.extend(codes),
            Some(block) => block.errors.extend(codes),
            None => self.ignored(i, "response codes before any `rest_method`"),
        }
    }

    fn ignored(&mut self, i: usize, message: &str) {
        let d = Diagnostic::new(DiagnosticKind::Ignored, self.loc(i), message);
        self.diagnostics.push(d);
    }

    fn syntax(&self, i: usize, message: &str) -> ReadError {
        ReadError::Syntax { location: self.loc(i), message: message.to_string() }
    }
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
    let stops = |l: &str| {
        l.trim().is_empty()
            || l.trim_start().starts_with('*')
            || codes::code_line(l.trim()).is_some()
    };
    while end < lines.len() && !stops(lines[end]) {
        text.push(' ');
        text.push_str(lines[end].trim());
        end += 1;
    }
    (text, end)
}

fn parse_version(value: &str, location: &Location) -> Result<Microversion, ReadError> {
    value.trim().parse().map_err(|e: stackspec_model::version::ParseMicroversionError| {
        ReadError::Syntax { location: location.clone(), message: e.to_string() }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (IncFile, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let file = parse_inc(Path::new("/src/x.inc"), Path::new("/src"), text, &mut diags).unwrap();
        (file, diags)
    }

    fn parse_err(text: &str) -> String {
        let mut diags = Vec::new();
        parse_inc(Path::new("/src/x.inc"), Path::new("/src"), text, &mut diags)
            .unwrap_err()
            .to_string()
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
        let err = parse_inc(Path::new("/src/x.inc"), Path::new("/src"), text, &mut Vec::new());
        assert!(err.unwrap_err().to_string().contains("needs a file path"));
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
    fn a_rest_method_without_a_path_is_an_error_with_its_line() {
        assert_eq!(
            parse_err("\n.. rest_method:: GET\n"),
            "/src/x.inc:2: `rest_method` needs `VERB /path` on its line or the next"
        );
    }

    #[test]
    fn an_unclosed_rest_parameters_is_an_error() {
        let err = parse_err(".. rest_method:: GET /a\n\n.. rest_parameters:: parameters.yaml\n");
        assert!(err.starts_with("/src/x.inc:3: `rest_parameters` has no"), "{err}");
    }

    #[test]
    fn a_malformed_parameter_entry_is_an_error_with_its_line() {
        let err = parse_err(
            ".. rest_method:: GET /a\n\n.. rest_parameters:: parameters.yaml\n\n  - just_a_name\n",
        );
        assert_eq!(err, "/src/x.inc:5: expected `name: key`, found `just_a_name`");
    }

    #[test]
    fn a_bad_microversion_is_an_error() {
        let err = parse_err(".. rest_method:: GET /a\n   min_version: two\n");
        assert!(err.contains("x.inc:1") && err.contains("`two`"), "{err}");
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
