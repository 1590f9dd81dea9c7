//! RST substitutions (`.. |name| replace:: text`) expanded in parameter descriptions, within
//! fixed bounds. Definitions may use other substitutions (glance's `|p-start|`), so expansion
//! recurses; unbounded, 2.3 KB of definitions that each use the next one ten times expanded
//! to gigabytes.

use std::collections::BTreeMap;

/// Deepest chain of substitutions used inside substitutions. Real api-refs nest two deep.
pub const MAX_DEPTH: usize = 8;

/// Longest expansion of one text, in bytes. The longest real parameter description is a
/// few kilobytes; a description is one paragraph of an OpenAPI document.
pub const MAX_EXPANDED_BYTES: usize = 64 * 1024;

/// Most substitutions expanded in one text. Bounds the work when definitions are empty (a
/// `raw` substitution expands to nothing, so the length bound alone would not stop a bomb
/// built from them).
pub const MAX_EXPANSIONS: usize = 10_000;

/// Why a text's substitutions were not expanded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubstitutionError {
    #[error("`|{name}|` nests substitutions more than {MAX_DEPTH} deep (a cycle?)")]
    TooDeep { name: String },
    #[error("`|{name}|` makes the text longer than {MAX_EXPANDED_BYTES} bytes")]
    TooLong { name: String },
    #[error("`|{name}|` makes the text use more than {MAX_EXPANSIONS} substitutions")]
    TooMany { name: String },
}

/// Replaces `|name|` with its definition, recursively; `\ ` (RST's escaped space) then
/// disappears. A text without `|` is returned as it is.
pub fn substitute(
    text: &str,
    subs: &BTreeMap<String, String>,
) -> Result<String, SubstitutionError> {
    if !text.contains('|') {
        return Ok(text.to_string());
    }
    let mut expander = Expander { subs, out: String::new(), expansions: 0 };
    expander.expand(text, 0, "")?;
    Ok(expander.out.replace("\\ ", ""))
}

struct Expander<'a> {
    subs: &'a BTreeMap<String, String>,
    out: String,
    expansions: usize,
}

impl Expander<'_> {
    /// Appends `text` expanded; `depth` substitutions enclose it, the innermost `within`.
    fn expand(&mut self, text: &str, depth: usize, within: &str) -> Result<(), SubstitutionError> {
        let mut rest = text;
        while let Some(start) = rest.find('|') {
            self.push(&rest[..start], within)?;
            let after = &rest[start + 1..];
            let reference = after.split_once('|');
            match reference.and_then(|(name, tail)| Some((name, self.subs.get(name)?, tail))) {
                Some((name, value, tail)) => {
                    self.enter(name, depth)?;
                    self.expand(value, depth + 1, name)?;
                    rest = tail;
                }
                // Not a known name: the bar is text, and the next bar may open one.
                None => {
                    self.push("|", within)?;
                    rest = after;
                }
            }
        }
        self.push(rest, within)
    }

    fn enter(&mut self, name: &str, depth: usize) -> Result<(), SubstitutionError> {
        self.expansions += 1;
        if depth >= MAX_DEPTH {
            return Err(SubstitutionError::TooDeep { name: name.to_string() });
        }
        if self.expansions > MAX_EXPANSIONS {
            return Err(SubstitutionError::TooMany { name: name.to_string() });
        }
        Ok(())
    }

    fn push(&mut self, text: &str, within: &str) -> Result<(), SubstitutionError> {
        if self.out.len() + text.len() > MAX_EXPANDED_BYTES {
            return Err(SubstitutionError::TooLong { name: within.to_string() });
        }
        self.out.push_str(text);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subs(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn nested_definitions_expand_and_escaped_spaces_vanish() {
        let s = subs(&[("p-start", "|since| 2.1,"), ("since", "New in"), ("html", "")]);
        assert_eq!(substitute("|p-start|\\ |html| x", &s).unwrap(), "New in 2.1, x");
    }

    #[test]
    fn unknown_names_and_lone_bars_stay_text() {
        let s = subs(&[("b", "B")]);
        assert_eq!(substitute("a | c |a||b|", &s).unwrap(), "a | c |a|B");
        assert_eq!(substitute("no bars\\ here", &s).unwrap(), "no bars\\ here");
    }

    #[test]
    fn a_cycle_is_too_deep() {
        let s = subs(&[("a", "x |a|")]);
        assert_eq!(substitute("|a|", &s), Err(SubstitutionError::TooDeep { name: "a".into() }));
    }

    /// `|s0|` uses `|s1|` ten times, which uses `|s2|` ten times...: 10^7 copies of `lol`.
    fn bomb(last: &str) -> BTreeMap<String, String> {
        let mut s: BTreeMap<String, String> =
            (0..7).map(|i| (format!("s{i}"), format!("|s{}|", i + 1).repeat(10))).collect();
        s.insert("s7".into(), last.into());
        s
    }

    #[test]
    fn a_bomb_is_too_long() {
        let err = substitute("|s0|", &bomb("lol lol lol lol lol")).unwrap_err();
        assert_eq!(err, SubstitutionError::TooLong { name: "s7".into() });
    }

    #[test]
    fn a_bomb_of_empty_definitions_is_too_many() {
        let err = substitute("|s0|", &bomb("")).unwrap_err();
        assert!(matches!(err, SubstitutionError::TooMany { .. }), "{err:?}");
    }
}
