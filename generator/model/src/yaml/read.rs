//! YAML parsing with fixed bounds. serde_norway limits nesting and alias expansion only after
//! it has collected every event of the document, and its alias limit grows with the document
//! (100 jumps per event): an 11-line "billion laughs" block appended to a real spec ran for
//! seconds and gigabytes, and 100,000 levels of flow nesting took a minute of CPU in the
//! parser before the depth check ran. [`from_str`] first streams the document through the
//! same parser (libyaml, so both agree on what the text means) and stops at the first event
//! past either limit, before anything is built.

use std::ffi::{c_char, CStr};
use std::mem::MaybeUninit;

use serde::de::DeserializeOwned;
use unsafe_libyaml_norway as unsafe_sys;

/// Deepest nesting of sequences and mappings accepted. serde_norway refuses more than 128
/// anyway; checking it while streaming makes the refusal cost 128 events, not the document.
/// Real specs nest schemas about 20 deep.
pub const MAX_DEPTH: usize = 128;

/// Most nodes that aliases may copy into one stream, counted over every alias (an alias
/// to a mapping of ten scalars copies eleven nodes). Real parameters files share a few
/// small entries through `<<: *base`, a few hundred nodes; a billion-laughs block needs
/// billions. Fixed, so that a bomb appended to a large document fails as fast as alone.
pub const MAX_ALIAS_NODES: u64 = 100_000;

/// A document that breaks one of the fixed limits. The message leaves the line out: the
/// caller names the file and line together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitExceeded {
    #[error("nesting deeper than {MAX_DEPTH} levels")]
    TooDeep { line: usize },
    #[error("aliases expand to more than {MAX_ALIAS_NODES} nodes (an alias bomb?)")]
    TooManyAliasNodes { line: usize },
}

impl LimitExceeded {
    /// The 1-based line of the event that crossed the limit.
    pub fn line(&self) -> usize {
        match self {
            Self::TooDeep { line } | Self::TooManyAliasNodes { line } => *line,
        }
    }
}

/// Why a document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum YamlError {
    #[error(transparent)]
    Limit(#[from] LimitExceeded),
    /// Malformed YAML, or YAML that does not fit `T`: serde_norway's own error.
    #[error(transparent)]
    Syntax(#[from] serde_norway::Error),
}

impl YamlError {
    /// The 1-based line the error points at (1 when the parser gave none).
    pub fn line(&self) -> usize {
        match self {
            Self::Limit(limit) => limit.line(),
            Self::Syntax(e) => e.location().map_or(1, |l| l.line()),
        }
    }
}

/// `serde_norway::from_str`, after [`check_limits`].
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    check_limits(text)?;
    Ok(serde_norway::from_str(text)?)
}

/// Streams `text`'s events and fails at the first one that nests deeper than [`MAX_DEPTH`]
/// or makes aliases copy more than [`MAX_ALIAS_NODES`] nodes. Syntax errors are left to
/// serde_norway, which reports them better: this returns `Ok` at the first one.
pub fn check_limits(text: &str) -> Result<(), LimitExceeded> {
    let mut parser = EventParser::new(text.as_bytes());
    let mut count = NodeCount::default();
    while let Some(event) = parser.next() {
        count.on(event)?;
    }
    Ok(())
}

/// What the limits need to know of one libyaml event.
#[derive(Debug)]
enum Event {
    DocumentStart,
    /// A scalar, or the end of the stream (neither nests nor copies).
    Other,
    Scalar {
        anchor: Option<Vec<u8>>,
    },
    Alias {
        anchor: Vec<u8>,
        line: usize,
    },
    Start {
        anchor: Option<Vec<u8>>,
        line: usize,
    },
    End,
}

/// Sizes of the open collections and of every anchored node, to count what each alias
/// copies without building anything.
#[derive(Default)]
struct NodeCount {
    /// One entry per open collection: its anchor and its size so far (itself included).
    open: Vec<(Option<Vec<u8>>, u64)>,
    anchors: std::collections::HashMap<Vec<u8>, u64>,
    copied: u64,
}

impl NodeCount {
    fn on(&mut self, event: Event) -> Result<(), LimitExceeded> {
        match event {
            Event::DocumentStart => self.anchors.clear(),
            Event::Other => {}
            Event::Scalar { anchor } => self.add(anchor, 1),
            Event::Alias { anchor, line } => {
                // An unknown anchor is serde_norway's error to report.
                let size = self.anchors.get(&anchor).copied().unwrap_or(1);
                self.copied = self.copied.saturating_add(size);
                if self.copied > MAX_ALIAS_NODES {
                    return Err(LimitExceeded::TooManyAliasNodes { line });
                }
                self.add(None, size);
            }
            Event::Start { anchor, line } => {
                if self.open.len() >= MAX_DEPTH {
                    return Err(LimitExceeded::TooDeep { line });
                }
                self.open.push((anchor, 1));
            }
            Event::End => {
                if let Some((anchor, size)) = self.open.pop() {
                    self.add(anchor, size);
                }
            }
        }
        Ok(())
    }

    /// A finished node of `size` nodes: recorded under its anchor, counted in its parent.
    fn add(&mut self, anchor: Option<Vec<u8>>, size: u64) {
        if let Some(anchor) = anchor {
            self.anchors.insert(anchor, size);
        }
        if let Some((_, parent)) = self.open.last_mut() {
            *parent = parent.saturating_add(size);
        }
    }
}

/// libyaml's event parser over a borrowed buffer, one event at a time. serde_norway keeps
/// its own wrapper private, hence this one; the parser state lives in a `Box` because
/// libyaml keeps pointers into it.
struct EventParser<'input> {
    parser: Box<MaybeUninit<unsafe_sys::yaml_parser_t>>,
    /// Borrowed for as long as libyaml reads from it.
    _input: &'input [u8],
    done: bool,
}

impl<'input> EventParser<'input> {
    fn new(input: &'input [u8]) -> Self {
        let mut parser = Box::new(MaybeUninit::<unsafe_sys::yaml_parser_t>::uninit());
        // SAFETY: `parser` points to writable memory that outlives every use (it is
        // dropped with `self`, after `yaml_parser_delete`); `input` outlives `self`.
        let ok = unsafe {
            let p = parser.as_mut_ptr();
            let ok = unsafe_sys::yaml_parser_initialize(p).ok;
            if ok {
                unsafe_sys::yaml_parser_set_encoding(p, unsafe_sys::YAML_UTF8_ENCODING);
                unsafe_sys::yaml_parser_set_input_string(p, input.as_ptr(), input.len() as u64);
            }
            ok
        };
        assert!(ok, "libyaml could not allocate its parser");
        Self { parser, _input: input, done: false }
    }

    /// The next event; `None` at the end of the stream or at the first syntax error.
    fn next(&mut self) -> Option<Event> {
        if self.done {
            return None;
        }
        let mut raw = MaybeUninit::<unsafe_sys::yaml_event_t>::uninit();
        // SAFETY: the parser was initialized in `new`; a successfully parsed event is
        // read, converted to owned data, then deleted exactly once.
        let event = unsafe {
            if !unsafe_sys::yaml_parser_parse(self.parser.as_mut_ptr(), raw.as_mut_ptr()).ok {
                self.done = true;
                return None;
            }
            let event = convert(&*raw.as_ptr());
            unsafe_sys::yaml_event_delete(raw.as_mut_ptr());
            event
        };
        self.done = event.is_none();
        event
    }
}

impl Drop for EventParser<'_> {
    fn drop(&mut self) {
        // SAFETY: initialized in `new` (which panics otherwise) and deleted only here.
        unsafe { unsafe_sys::yaml_parser_delete(self.parser.as_mut_ptr()) }
    }
}

/// The owned summary of a raw event; `None` for the end of the stream.
///
/// # Safety
/// `raw` must be an event that `yaml_parser_parse` just filled in.
unsafe fn convert(raw: &unsafe_sys::yaml_event_t) -> Option<Event> {
    let line = raw.start_mark.line as usize + 1;
    // SAFETY (for each union read): `type_` says which member libyaml filled in.
    Some(match raw.type_ {
        unsafe_sys::YAML_STREAM_END_EVENT => return None,
        unsafe_sys::YAML_DOCUMENT_START_EVENT => Event::DocumentStart,
        unsafe_sys::YAML_ALIAS_EVENT => Event::Alias {
            anchor: unsafe { anchor(raw.data.alias.anchor) }.unwrap_or_default(),
            line,
        },
        unsafe_sys::YAML_SCALAR_EVENT => {
            Event::Scalar { anchor: unsafe { anchor(raw.data.scalar.anchor) } }
        }
        unsafe_sys::YAML_SEQUENCE_START_EVENT => {
            Event::Start { anchor: unsafe { anchor(raw.data.sequence_start.anchor) }, line }
        }
        unsafe_sys::YAML_MAPPING_START_EVENT => {
            Event::Start { anchor: unsafe { anchor(raw.data.mapping_start.anchor) }, line }
        }
        unsafe_sys::YAML_SEQUENCE_END_EVENT | unsafe_sys::YAML_MAPPING_END_EVENT => Event::End,
        _ => Event::Other,
    })
}

/// An anchor name as bytes.
///
/// # Safety
/// `ptr` is null or a NUL-terminated string that libyaml owns for the call.
unsafe fn anchor(ptr: *mut u8) -> Option<Vec<u8>> {
    if ptr.is_null() {
        return None;
    }
    Some(unsafe { CStr::from_ptr(ptr as *const c_char) }.to_bytes().to_vec())
}

/// The 1-based line each item of the top-level list `key:` starts on, in order. YAML keeps
/// no positions after parsing, and an error about one entry of a reviewed file (overrides,
/// acknowledgements) should point at that entry.
pub fn list_item_lines(text: &str, key: &str) -> Vec<usize> {
    let header = format!("{key}:");
    let mut lines = text.lines().enumerate().skip_while(|(_, l)| !l.starts_with(&header));
    lines.next();
    let mut indent = None;
    let mut out = Vec::new();
    for (n, line) in lines {
        if !line.starts_with([' ', '-', '#']) && !line.trim().is_empty() {
            break;
        }
        let trimmed = line.trim_start();
        let here = line.len() - trimmed.len();
        if trimmed.starts_with("- ") && *indent.get_or_insert(here) == here {
            out.push(n + 1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Nine anchors, each referring ten times to the previous one: 10^9 copies.
    fn billion_laughs() -> String {
        let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        text
    }

    #[test]
    fn a_billion_laughs_block_is_refused_at_the_alias_that_crosses_the_limit() {
        let text = format!("openapi: 3.0.3\n{}", billion_laughs());
        let err = from_str::<serde_json::Value>(&text).unwrap_err();
        // a4's aliases copy 10 × 11,111 nodes, crossing 100,000: a4 is on line 6.
        assert!(
            matches!(err, YamlError::Limit(LimitExceeded::TooManyAliasNodes { line: 6 })),
            "{err:?}"
        );
    }

    #[test]
    fn the_alias_limit_does_not_grow_with_the_document() {
        let padding: String = (0..50_000).map(|i| format!("k{i}: v\n")).collect();
        let text = format!("{padding}{}", billion_laughs());
        let err = check_limits(&text).unwrap_err();
        assert!(matches!(err, LimitExceeded::TooManyAliasNodes { .. }), "{err:?}");
    }

    #[test]
    fn deep_flow_nesting_is_refused_at_the_first_level_past_the_limit() {
        for (open, close) in [("[", "]"), ("{a: ", "}")] {
            let text = format!("{}1{}", open.repeat(100_000), close.repeat(100_000));
            let err = from_str::<serde_json::Value>(&text).unwrap_err();
            assert!(matches!(err, YamlError::Limit(LimitExceeded::TooDeep { line: 1 })), "{err:?}");
        }
    }

    #[test]
    fn nesting_at_the_limit_is_accepted() {
        let text = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(check_limits(&text), Ok(()));
        let deeper = format!("[{text}]");
        assert_eq!(check_limits(&deeper), Err(LimitExceeded::TooDeep { line: 1 }));
    }

    #[test]
    fn merge_keys_and_small_aliases_still_load() {
        let text = "base: &base {in: body, type: string}\nname:\n  <<: *base\n  required: true\n";
        let value: serde_norway::Value = from_str(text).unwrap();
        assert_eq!(value["name"]["<<"]["type"].as_str(), Some("string"));
    }

    #[test]
    fn a_syntax_error_is_serde_norways_with_its_line() {
        let err = from_str::<serde_json::Value>("a: 1\nb: [\n").unwrap_err();
        assert!(matches!(err, YamlError::Syntax(_)), "{err:?}");
        assert_eq!(err.line(), 3);
    }

    #[test]
    fn list_items_are_found_at_their_lines_until_the_next_top_level_key() {
        let text = "# x\nitems:\n  - a: 1\n    b: [2]\n\n  - a: 3\n    c:\n      - nested\nother:\n  - d\n";
        assert_eq!(list_item_lines(text, "items"), [3, 6]);
        assert_eq!(list_item_lines(text, "other"), [10]);
        assert!(list_item_lines(text, "missing").is_empty());
    }
}
