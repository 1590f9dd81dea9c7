//! What a block's `.. versionadded::` notes say was added, as ironic writes them: "Allocation
//! API was introduced." (the operation exists from that version) and "Introduced the
//! ``owner`` field." / "Added the ``detail`` boolean request parameter." (a listed parameter
//! exists from that version). Notes that only describe behaviour ("Added support for
//! backfilling allocations.", "A node with the same ``name`` is moved ...") limit nothing.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::reader::MethodBlock;
use stackspec_model::version::Microversion;

static API_INTRODUCED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:API|endpoint)\s+(?:was|were|is)\s+(?:introduced|added)\b")
        .expect("valid regex")
});
static NAMES_ADDED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:introduced|added)\b").expect("valid regex"));
static LITERAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"``([^`]+)``").expect("valid regex"));

/// The first microversion of the operation, when a note says its API was introduced.
pub fn operation_min(block: &MethodBlock) -> Option<Microversion> {
    block.added.iter().filter(|n| API_INTRODUCED.is_match(&n.text)).map(|n| n.version).min()
}

/// For each listed parameter a note says was added ("Introduced the ``owner`` field."), the
/// first microversion that has it.
pub fn parameter_mins(block: &MethodBlock) -> BTreeMap<&str, Microversion> {
    let mut mins: BTreeMap<&str, Microversion> = BTreeMap::new();
    for note in block.added.iter().filter(|n| NAMES_ADDED.is_match(&n.text)) {
        for literal in LITERAL.captures_iter(&note.text) {
            let listed = block.parameters.iter().find(|r| r.wire_name == literal[1]);
            if let Some(r) = listed {
                let min = mins.entry(r.wire_name.as_str()).or_insert(note.version);
                *min = (*min).min(note.version);
            }
        }
    }
    mins
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::reader::rst::parse_inc;

    const INC: &str = "\
Allocations
===========

.. versionadded:: 1.50
    Allocation API was introduced.

Create Allocation
=================

.. rest_method::  POST /v1/allocations

Creates an allocation.

.. versionadded:: 1.52
    Allocation API was introduced.

.. versionadded:: 1.58
    Added support for backfilling allocations.

.. versionadded:: 1.60
    Introduced the ``owner`` field.

.. versionadded:: 1.79
    A node with the same name as the allocation ``name`` is moved to the
    start of the derived candidate list.

Request
-------

.. rest_parameters:: parameters.yaml

   - name: req_allocation_name
   - owner: req_owner

List Allocations
================

.. versionadded:: 1.90
    Introduced the ``name`` field.

.. rest_method::  GET /v1/allocations
";

    fn blocks() -> Vec<MethodBlock> {
        let mut diagnostics = Vec::new();
        let file = parse_inc(Path::new("/src/a.inc"), Path::new("/src"), INC, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        file.methods
    }

    #[test]
    fn a_note_that_the_api_was_introduced_starts_the_operation() {
        let blocks = blocks();
        assert_eq!(operation_min(&blocks[0]), Some(Microversion::new(1, 52)));
        assert_eq!(
            operation_min(&blocks[1]),
            None,
            "a note above the next block is not the last one's"
        );
    }

    #[test]
    fn a_note_introducing_a_listed_field_starts_that_field_and_no_other() {
        let blocks = blocks();
        let mins = parameter_mins(&blocks[0]);
        assert_eq!(mins.into_iter().collect::<Vec<_>>(), [("owner", Microversion::new(1, 60))]);
        assert!(parameter_mins(&blocks[1]).is_empty());
    }

    #[test]
    fn a_versionadded_that_is_not_a_version_is_reported_with_its_line() {
        let mut diagnostics = Vec::new();
        let text = "A\n=\n\n.. rest_method:: GET /a\n\n.. versionadded:: soon\n   Added ``x``.\n";
        parse_inc(Path::new("/src/a.inc"), Path::new("/src"), text, &mut diagnostics);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].location.line, 6);
        assert!(diagnostics[0].message.contains("found `soon`"), "{}", diagnostics[0].message);
    }
}
