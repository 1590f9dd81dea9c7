use serde_json::json;

use super::*;

#[test]
fn plain_text_is_unchanged() {
    let text = "The name of the server.\nIt may be long.\n\n- one\n- two\n";
    assert_eq!(to_commonmark(text), text);
}

#[test]
fn a_literal_block_after_double_colon_becomes_fenced_code() {
    let rst = "The format is `ISO 8601 <https://example.invalid>`_:\n::\n\n   CCYY-MM-DD\n\nFor example, ``2015-08-27``.";
    assert_eq!(
        to_commonmark(rst),
        "The format is [ISO 8601](https://example.invalid):\n\n```\nCCYY-MM-DD\n```\n\nFor example, `2015-08-27`."
    );
    assert_eq!(to_commonmark("Run this::\n\n    ls -l\n"), "Run this:\n\n```\nls -l\n```\n");
    assert_eq!(to_commonmark("Run this ::\n\n    ls\n"), "Run this\n\n```\nls\n```\n");
}

#[test]
fn code_block_directives_become_fenced_code_with_their_language() {
    let rst = "Like this:\n\n.. code-block:: json\n   :linenos:\n\n   {\"a\": 1}\n\nDone.";
    assert_eq!(to_commonmark(rst), "Like this:\n\n```json\n{\"a\": 1}\n```\n\nDone.");
}

#[test]
fn admonitions_become_labelled_blockquotes() {
    let rst =
        "The pattern.\n\n.. note:: ``limit`` is not\n  supported.\n\n  Nor ``marker``.\n\nAfter.";
    assert_eq!(
        to_commonmark(rst),
        "The pattern.\n\n> **Note:** `limit` is not\nsupported.\n>\n> Nor `marker`.\n\nAfter."
    );
    let rst = ".. warning::\n\n   Fencing matters.";
    assert_eq!(to_commonmark(rst), "> **Warning:** Fencing matters.");
    let rst = ".. note:: Either\n\n   - ``a``\n   - ``b``";
    assert_eq!(to_commonmark(rst), "> **Note:** Either\n>\n> - `a`\n> - `b`");
}

#[test]
fn version_notes_become_labelled_paragraphs() {
    assert_eq!(
        to_commonmark("Lists nodes.\n\n.. versionadded:: 1.76\n   Filter by ``shard``.\n"),
        "Lists nodes.\n\n**New in version 1.76:** Filter by `shard`.\n"
    );
}

#[test]
fn enumerated_lists_with_hash_are_numbered() {
    assert_eq!(to_commonmark("#. first\n#. second"), "1. first\n1. second");
}

#[test]
fn comments_and_targets_are_dropped() {
    assert_eq!(
        to_commonmark("A.\n\n.. _target:\n\n.. a comment\n   on two lines\n\nB."),
        "A.\n\nB."
    );
}

#[test]
fn lines_directly_after_a_comment_belong_to_it() {
    assert_eq!(
        to_commonmark("A.\n\n.. TODO(x) deprecate this as\nit is redundant\n\nB."),
        "A.\n\nB."
    );
    assert_eq!(to_commonmark("A.\n\n..\nTODO(x): later.\n\nB."), "A.\n\nB.");
}

#[test]
fn line_starts_that_commonmark_reads_as_markup_are_escaped() {
    assert_eq!(to_commonmark("# of items\n> 5 means many"), "\\# of items\n\\> 5 means many");
}

#[test]
fn tables_become_pipe_tables() {
    let rst = "See:\n\n+----+-------+\n| A  | B     |\n+====+=======+\n| 1  | ``x`` |\n+----+-------+\n\nEnd.";
    assert_eq!(to_commonmark(rst), "See:\n\n| A | B |\n|---|---|\n| 1 | `x` |\n\nEnd.");
    let rst = "===  ===\nA    B\n===  ===\n1    2\n===  ===";
    assert_eq!(to_commonmark(rst), "| A | B |\n|---|---|\n| 1 | 2 |");
    let rst = ".. list-table::\n   :header-rows: 1\n\n   * - A\n     - B\n   * - 1\n     - 2\n";
    assert_eq!(to_commonmark(rst), "| A | B |\n|---|---|\n| 1 | 2 |\n");
}

#[test]
fn descriptions_are_converted_everywhere_but_data() {
    let mut document = json!({
        "info": {"description": "``a``"},
        "paths": {"/x": {"get": {
            "description": "``op``",
            "parameters": [{"name": "q", "description": "``q``"}],
            "responses": {"200": {"description": "``ok``", "content": {"application/json": {
                "schema": {"properties": {"description": {"type": "string", "description": "``d``"}}},
                "examples": {"e": {"value": {"description": "``kept``"}}},
            }}}},
        }}},
        "components": {"schemas": {"S": {"default": {"description": "``kept``"}, "x-y": {"description": "``kept``"}}}},
    });
    convert_descriptions(&mut document);
    let at = |p: &str| document.pointer(p).unwrap().as_str().unwrap().to_string();
    assert_eq!(at("/info/description"), "`a`");
    assert_eq!(at("/paths/~1x/get/description"), "`op`");
    assert_eq!(at("/paths/~1x/get/parameters/0/description"), "`q`");
    assert_eq!(at("/paths/~1x/get/responses/200/description"), "`ok`");
    let schema = "/paths/~1x/get/responses/200/content/application~1json/schema";
    assert_eq!(at(&format!("{schema}/properties/description/description")), "`d`");
    let example =
        "/paths/~1x/get/responses/200/content/application~1json/examples/e/value/description";
    assert_eq!(at(example), "``kept``");
    assert_eq!(at("/components/schemas/S/default/description"), "``kept``");
    assert_eq!(at("/components/schemas/S/x-y/description"), "``kept``");
}

#[test]
fn a_lone_double_colon_before_an_unindented_paragraph_fences_that_paragraph() {
    let rst = "- Create:\n\n::\n\ncurl -X PUT\n-H x\n\nThen more.";
    assert_eq!(to_commonmark(rst), "- Create:\n\n```\ncurl -X PUT\n-H x\n```\n\nThen more.");
}

#[test]
fn definition_lists_become_bullets() {
    let rst = "Fields:\n\n``id``\n    The identifier.\n``default`` (optional)\n    Only on the default\n    store.\n\nAfter.";
    assert_eq!(
        to_commonmark(rst),
        "Fields:\n\n- `id`: The identifier.\n- `default` (optional): Only on the default\n  store.\n\nAfter."
    );
    let list = "- item\n  continued\n- next";
    assert_eq!(to_commonmark(list), list);
}
