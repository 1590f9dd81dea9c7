//! The reStructuredText inline markup of api-ref descriptions as Markdown, for doc comments:
//! ``` ``literal`` ``` → `` `literal` ``, `:ref:`/`:doc:` (any role) → its text, `` `link
//! <url>`_ `` → `[link](url)`. Emphasis (`*x*`, `**x**`) reads the same in both. Until the
//! specs' descriptions are Markdown themselves, this is what rustdoc shows.

use std::sync::LazyLock;

use regex::Regex;

/// ``` ``text`` ```: an inline literal.
static LITERAL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"``([^`]+)``").unwrap());
/// `` :role:`text <target>` `` or `` :role:`target` ``.
static ROLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r":[a-z][a-z:-]*:`([^`<]*?)\s*(?:<([^`>]*)>)?`").unwrap());
/// `` `text <url>`_ `` (or `__`), and a plain reference `` `text`_ ``.
static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"`([^`<]+?)\s*(?:<([^`>]+)>)?`__?").unwrap());

/// `text` with its RST inline markup in Markdown.
pub fn to_markdown(text: &str) -> String {
    let text = ROLE.replace_all(text, |c: &regex::Captures| {
        let shown = c.get(1).map_or("", |m| m.as_str());
        if shown.is_empty() {
            c.get(2).map_or("", |m| m.as_str()).to_string()
        } else {
            shown.to_string()
        }
    });
    let text = LINK.replace_all(&text, |c: &regex::Captures| match c.get(2) {
        Some(url) => format!("[{}]({})", &c[1], url.as_str()),
        None => c[1].to_string(),
    });
    LITERAL.replace_all(&text, "`$1`").into_owned()
}

#[cfg(test)]
mod tests {
    use super::to_markdown;

    #[test]
    fn literals_lose_one_pair_of_backticks() {
        assert_eq!(to_markdown("set ``status`` to ``ACTIVE``"), "set `status` to `ACTIVE`");
    }

    #[test]
    fn roles_become_their_text() {
        assert_eq!(
            to_markdown("see :ref:`the guide <guide-x>` and :doc:`api-guide`"),
            "see the guide and api-guide"
        );
        assert_eq!(to_markdown(":nova-doc:`flavors <user/flavors.html>`"), "flavors");
    }

    #[test]
    fn links_become_markdown_links_and_plain_references_their_text() {
        assert_eq!(
            to_markdown("read `Image API <https://example.invalid/image>`_ or `this`__"),
            "read [Image API](https://example.invalid/image) or this"
        );
    }

    #[test]
    fn markdown_and_plain_text_pass_unchanged() {
        let text = "a `code` span, *emphasis* and a price of 5$";
        assert_eq!(to_markdown(text), text);
    }
}
