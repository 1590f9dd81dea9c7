//! Inline RST markup as CommonMark: ``` ``literal`` ``` → a code span, roles
//! (`` :ref:`text <target>` ``, `:doc:`, `:term:`, `:rfc:` ...) → their text,
//! `` `text <url>`_ `` → `[text](url)`, `` `text`_ `` → its text, a bare URL → `<url>`.
//! Plain text is escaped where CommonMark (and rustdoc, which reads these descriptions as doc
//! comments) would see markup RST does not have: `[`, `]`, an HTML-like `<tag`.
//! `*emphasis*` and `**strong**` read the same in both.

use std::sync::LazyLock;

use regex::{Captures, Regex};

/// ``` ``text`` ```: an inline literal (it may span lines).
static LITERAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)``(\S|\S.*?\S)``").expect("valid regex"));
/// A role, a hyperlink reference, a default-role interpreted text, or a bare URL.
static MARKUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?s):(?P<role>[a-z][a-z0-9:+-]*):`(?P<rtext>[^`<]*?)\s*(?:<(?P<rtarget>[^`>]*)>)?`",
        r"|`(?P<ltext>[^`<]*?)\s*(?:<(?P<url>[^`>]+)>)?`__?",
        r"|`(?P<code>[^`]+)`",
        r"|(?P<bare>https?://[^\s<>`]*[^\s<>`.,;:!?)'])",
    ))
    .expect("valid regex")
});
/// What CommonMark reads as markup in plain RST text.
static SPECIAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\[\]]|<[A-Za-z/!]|\\ ").expect("valid regex"));

/// `text` (one block's text, line breaks kept) with its inline markup in CommonMark.
pub fn convert(text: &str) -> String {
    let mut out = String::new();
    let mut last = 0;
    for literal in LITERAL.captures_iter(text) {
        let whole = literal.get(0).expect("a match");
        out.push_str(&outside_literals(&text[last..whole.start()]));
        out.push_str(&code_span(&literal[1]));
        last = whole.end();
    }
    out.push_str(&outside_literals(&text[last..]));
    out
}

/// `content` as a code span, with enough backticks around it.
pub fn code_span(content: &str) -> String {
    if content.contains('`') {
        format!("`` {content} ``")
    } else {
        format!("`{content}`")
    }
}

fn outside_literals(text: &str) -> String {
    let mut out = String::new();
    let mut last = 0;
    for c in MARKUP.captures_iter(text) {
        let whole = c.get(0).expect("a match");
        out.push_str(&escape(&text[last..whole.start()]));
        out.push_str(&markup(&c));
        last = whole.end();
    }
    out.push_str(&escape(&text[last..]));
    out
}

fn markup(c: &Captures) -> String {
    let get = |name: &str| c.name(name).map(|m| m.as_str());
    if let Some(role) = get("role") {
        let text = get("rtext").filter(|t| !t.is_empty()).or(get("rtarget")).unwrap_or("");
        let text = text.trim_start_matches('~');
        return match role {
            "rfc" => format!("RFC {}", escape(text)),
            "pep" => format!("PEP {}", escape(text)),
            "code" | "literal" | "samp" | "file" | "command" => code_span(text),
            _ => escape(text),
        };
    }
    if let Some(url) = get("url") {
        let text = get("ltext").unwrap_or("");
        // A target broken over lines is one URL: RST drops the whitespace inside it.
        let url: String = url.split_whitespace().collect();
        return if text.is_empty() {
            format!("<{url}>")
        } else {
            format!("[{}]({url})", escape(text))
        };
    }
    if let Some(text) = get("ltext") {
        return escape(text);
    }
    if let Some(code) = get("code") {
        return code_span(code);
    }
    format!("<{}>", get("bare").unwrap_or(""))
}

/// Plain text with what CommonMark would read as markup escaped; RST's escaped space
/// (`\ `, which only separates markup from a word) is dropped.
fn escape(text: &str) -> String {
    SPECIAL
        .replace_all(text, |c: &Captures| match &c[0] {
            "\\ " => String::new(),
            s => format!("\\{s}"),
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::convert;

    #[test]
    fn literals_become_code_spans() {
        assert_eq!(convert("set ``status`` to ``ACTIVE``"), "set `status` to `ACTIVE`");
        assert_eq!(convert("a ``multi\nline`` literal"), "a `multi\nline` literal");
        assert_eq!(convert("``a`b``"), "`` a`b ``");
        assert_eq!(convert("``1``, ``t`` or ``yes``"), "`1`, `t` or `yes`");
    }

    #[test]
    fn markup_inside_literals_is_left_alone() {
        assert_eq!(convert("``[x] <y> *z*``"), "`[x] <y> *z*`");
    }

    #[test]
    fn roles_become_their_text() {
        assert_eq!(
            convert("see :ref:`the guide <guide-x>` and :doc:`api-guide`"),
            "see the guide and api-guide"
        );
        assert_eq!(convert(":nova-doc:`flavors <user/flavors.html>`"), "flavors");
        assert_eq!(convert("per :rfc:`3986`"), "per RFC 3986");
        assert_eq!(convert("a :term:`token`"), "a token");
    }

    #[test]
    fn hyperlinks_become_commonmark_links() {
        assert_eq!(
            convert("read `Image API <https://example.invalid/image>`_ or `this`__"),
            "read [Image API](https://example.invalid/image) or this"
        );
        assert_eq!(convert("`<https://example.invalid>`__"), "<https://example.invalid>");
        assert_eq!(
            convert("`form <https://example.invalid/a-\nb.html>`_"),
            "[form](https://example.invalid/a-b.html)"
        );
        assert_eq!(
            convert("`ISO 8601\n<https://example.invalid/iso>`_:"),
            "[ISO 8601](https://example.invalid/iso):"
        );
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(convert("see https://example.invalid/a."), "see <https://example.invalid/a>.");
    }

    #[test]
    fn brackets_and_tags_in_plain_text_are_escaped() {
        assert_eq!(convert("a list [1, 2] for <project_id>"), r"a list \[1, 2\] for \<project_id>");
        assert_eq!(convert("``word``\\ s and 1 < 2"), "`word`s and 1 < 2");
    }

    #[test]
    fn emphasis_and_plain_text_pass_unchanged() {
        let text = "*emphasis*, **strong** and a price of 5$";
        assert_eq!(convert(text), text);
    }
}
