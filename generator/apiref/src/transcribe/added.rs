//! What a block's `.. versionadded::` notes say was added, as ironic writes them: "Allocation
//! API was introduced." (the operation exists from that version) and "Introduced the
//! ``owner`` field." / "Added the ``detail`` boolean request parameter." (a listed parameter
//! exists from that version). Notes that only describe behaviour ("Added support for
//! backfilling allocations.", "A node with the same ``name`` is moved ...") limit nothing.
//!
//! And what prose says of an operation's availability, in its section ("This API is
//! available starting with microversion 2.53.", "Method is available starting from version
//! 1.7.") or for every operation of a file under its title ("Traits API requests are
//! available starting from version 1.6."): the sentence must name the API, method, call or
//! request it speaks of, so that a field's "(available starting with API version 2.44)"
//! limits nothing. Likewise the last microversion, from prose saying from when it is gone:
//! "These will fail with a 404 starting from microversion 2.36.", "Requests made with
//! microversion >= 2.43 will result in a 404 error.", "Starting with microversion 2.53 this
//! API is superseded by ...". Of several, the latest wins: a range never leaves out a
//! version the docs say works.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::reader::{plain_words, IncFile, MethodBlock};
use stackspec_model::version::Microversion;

static API_INTRODUCED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:API|endpoint)\s+(?:was|were|is)\s+(?:introduced|added)\b")
        .expect("valid regex")
});
static NAMES_ADDED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:introduced|added)\b").expect("valid regex"));
/// From when, after "available": "starting from version 1.7", "since v1.12", "as of
/// microversion 1.13" (the version is the capture).
const AVAILABLE_FROM: &str = r"\s+(?:starting\s+(?:from|with|in)|since|as\s+of)\s+(?:(?:API\s+|micro)?version\s+)?v?([0-9]+\.[0-9]+)";
static AVAILABLE: LazyLock<Regex> = LazyLock::new(|| {
    let subject = r"\b(?:APIs?|methods?|calls?|requests?|endpoints?|operations?)\b";
    Regex::new(&format!(r"(?i){subject}[^.()]{{0,80}}?\bavailable{AVAILABLE_FROM}"))
        .expect("valid regex")
});
/// A sentence of its own that says only from when (placement: "**Available as of
/// microversion 1.13.**"), capitalized where a sentence starts: a field's "(available
/// starting with API version 1.9)" is neither.
static AVAILABLE_ALONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?m)(?:^|[.!?]\s+)\*{{0,2}}Available{AVAILABLE_FROM}"))
        .expect("valid regex")
});
static GONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \bfail\w*\s+with\s+a\s+404\s+starting\s+(?:from|with)\s+(?:micro)?version\s+([0-9]+\.[0-9]+)
        | \bmicroversion\s*>=\s*([0-9]+\.[0-9]+)\s+will\s+result\s+in\s+a\s+404
        | \bstarting\s+(?:from|with)\s+(?:micro)?version\s+([0-9]+\.[0-9]+),?\s+this\s+API\s+is\s+(?:superseded|removed)",
    )
    .expect("valid regex")
});
static LITERAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"``([^`]+)``").expect("valid regex"));

/// The first microversion of the operation: when a note says its API was introduced, else
/// (for a service with microversions: glance's "available since version 2.0 of this API"
/// names the API's major version) when its section's prose, else its file's overview, says
/// from when it is available.
pub fn operation_min(
    file: &IncFile,
    block: &MethodBlock,
    microversions: bool,
) -> Option<Microversion> {
    let introduced = block.added.iter().filter(|n| API_INTRODUCED.is_match(&n.text));
    let available = || stated(file, block, available_from);
    introduced.map(|n| n.version).min().or_else(|| available().filter(|_| microversions))
}

/// The last microversion of the operation, for a service with microversions: the version
/// before the one its section's prose, else its file's overview, says it is gone from.
pub fn operation_max(
    file: &IncFile,
    block: &MethodBlock,
    microversions: bool,
) -> Option<Microversion> {
    let gone = stated(file, block, gone_from).filter(|_| microversions)?;
    let minor = gone.minor.checked_sub(1)?;
    Some(Microversion::new(gone.major, minor))
}

/// What `read` finds in the block's section (its notes and description), else in its
/// file's overview: the section's own statement wins over the file's.
fn stated(
    file: &IncFile,
    block: &MethodBlock,
    read: fn(&str) -> Option<Microversion>,
) -> Option<Microversion> {
    let section = plain_words(&format!("{}\n{}", block.notes, block.description));
    read(&section).or_else(|| read(&plain_words(&file.overview)))
}

/// The version a sentence of `text` (plain words) says an API is gone from (the latest, if
/// several).
fn gone_from(text: &str) -> Option<Microversion> {
    let found = GONE.captures_iter(text).filter_map(|c| c.iter().skip(1).flatten().next());
    found.filter_map(|m| m.as_str().parse().ok()).max()
}

/// The version a sentence of `text` (plain words) says an API is available from (the
/// lowest, if several).
fn available_from(text: &str) -> Option<Microversion> {
    let stated = AVAILABLE.captures_iter(text).chain(AVAILABLE_ALONE.captures_iter(text));
    stated.filter_map(|c| c[1].parse().ok()).min()
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

    fn file(text: &str) -> IncFile {
        let mut diagnostics = Vec::new();
        let file = parse_inc(Path::new("/src/a.inc"), Path::new("/src"), text, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        file
    }

    fn blocks() -> Vec<MethodBlock> {
        file(INC).methods
    }

    #[test]
    fn a_note_that_the_api_was_introduced_starts_the_operation() {
        let file = file(INC);
        assert_eq!(operation_min(&file, &file.methods[0], true), Some(Microversion::new(1, 52)));
        assert_eq!(
            operation_min(&file, &file.methods[1], true),
            None,
            "a note above the next block is not the last one's"
        );
    }

    /// Availability in prose, as placement, nova and cinder write it: under the file's
    /// title for every operation, in a section before or after its `rest_method` for that
    /// one (the section's own wins), never from a field's "(available starting with ...)".
    const AVAILABLE_INC: &str = "\
Traits
======

Traits mark providers.

.. note:: Traits API requests are available starting from version 1.6.

List traits
===========

Lists them. Each trait has a name
(available starting with API version 1.9).

.. rest_method:: GET /traits

Delete traits
=============

.. note:: Method is available starting from version 1.7.

.. rest_method:: DELETE /traits

Show trait
==========

.. rest_method:: GET /traits/{name}

Shows one. This API is available since
v1.12.

Update trait
============

.. rest_method:: PUT /traits/{name}

.. note:: Method is available starting from version 1.8.

Set traits
==========

Sets them all at once.

**Available as of microversion 1.13.**

.. rest_method:: POST /traits
";

    #[test]
    fn prose_saying_from_when_an_api_is_gone_ends_its_operations_before() {
        let text = "\
Images
======

.. warning::

   All the proxy APIs except image metadata APIs will fail with a 404 starting from
   microversion 2.36. The image metadata APIs will fail with a 404 starting from
   microversion 2.39.

List images
===========

.. rest_method:: GET /images

Hosts
=====

.. rest_method:: GET /os-hosts

Requests made with microversion >= 2.43 will result in a 404 error.

Disable
=======

.. note:: Starting with microversion 2.53 this API is superseded by
          ``PUT /os-services/{service_id}``.

.. rest_method:: PUT /os-services/disable
";
        let file = file(text);
        let maxes: Vec<String> = file
            .methods
            .iter()
            .map(|b| operation_max(&file, b, true).map_or("-".into(), |v| v.to_string()))
            .collect();
        assert_eq!(maxes, ["2.38", "2.42", "2.52"], "the latest of several, then the block's own");
        assert_eq!(operation_max(&file, &file.methods[0], false), None);
    }

    #[test]
    fn prose_saying_from_when_an_api_is_available_starts_its_operations() {
        let file = file(AVAILABLE_INC);
        let mins: Vec<String> = file
            .methods
            .iter()
            .map(|b| operation_min(&file, b, true).map_or("-".into(), |v| v.to_string()))
            .collect();
        assert_eq!(mins, ["1.6", "1.7", "1.12", "1.8", "1.13"]);
        let unversioned = operation_min(&file, &file.methods[0], false);
        assert_eq!(unversioned, None, "without microversions, a version is the API's own");
        let without_overview = AVAILABLE_INC.replace("Traits API requests are", "They are");
        let file = super::tests::file(&without_overview);
        assert_eq!(operation_min(&file, &file.methods[0], true), None, "a field's availability");
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
