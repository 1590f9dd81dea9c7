//! Rust identifiers from wire names. Wire names come from OpenStack documents and can be
//! anything (`OS-EXT-SRV-ATTR:host`, `2fa`, `type`); what comes out is always a valid,
//! non-keyword identifier, and a [`Namespace`] makes it unique where it has to be.

use std::collections::{HashMap, HashSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that `r#` can escape.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers, so they get a trailing underscore instead.
const PLAIN_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// `snake_case` field, parameter or method name.
pub fn snake(wire: &str) -> String {
    let ident = guard_leading_digit(&wire.to_snake_case(), "n");
    escape_keyword(if ident.is_empty() { "value".into() } else { ident })
}

/// `UpperCamelCase` type or variant name.
pub fn camel(wire: &str) -> String {
    let ident = guard_leading_digit(&wire.to_upper_camel_case(), "V");
    let ident = if ident.is_empty() { "Empty".into() } else { ident };
    // `Self` is the only camel-case keyword.
    if ident == "Self" {
        "Self_".into()
    } else {
        ident
    }
}

fn guard_leading_digit(ident: &str, prefix: &str) -> String {
    // heck keeps non-ASCII letters, which are valid identifiers but awkward to type; keep
    // them, as they are rare and meaningful.
    match ident.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("{prefix}{ident}"),
        _ => ident.to_string(),
    }
}

fn escape_keyword(ident: String) -> String {
    if PLAIN_KEYWORDS.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if RAW_KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// A set of names in one scope (a module's types, a struct's fields, an enum's variants);
/// a name already taken gets the smallest free numeric suffix.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: HashSet<String>,
    /// Per wanted name, the suffix to try first: every smaller one is taken. Without it,
    /// claiming one name n times tried n² candidates (a 1M-value enum of colliding names).
    next_suffix: HashMap<String, usize>,
}

impl Namespace {
    /// A namespace in which `reserved` (names the templates use) are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
            next_suffix: HashMap::new(),
        }
    }

    /// Takes `wanted`, or `wanted2`, `wanted3`, ... if it is taken.
    pub fn claim(&mut self, wanted: &str) -> String {
        let base = wanted.trim_start_matches("r#");
        if self.taken.insert(base.to_string()) {
            return wanted.to_string();
        }
        let n = self.next_suffix.entry(base.to_string()).or_insert(2);
        loop {
            let candidate = format!("{base}{n}");
            *n += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_become_valid_identifiers() {
        assert_eq!(snake("OS-EXT-SRV-ATTR:host"), "os_ext_srv_attr_host");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("2fa"), "n2fa");
        assert_eq!(snake(""), "value");
        assert_eq!(camel("os-start"), "OsStart");
        assert_eq!(camel("2.1"), "V21");
        assert_eq!(camel(""), "Empty");
        assert_eq!(camel("self"), "Self_");
    }

    #[test]
    fn claimed_names_are_unique_and_reserved_names_are_avoided() {
        let mut ns = Namespace::with_reserved(&["Other"]);
        assert_eq!(ns.claim("Other"), "Other2");
        assert_eq!(ns.claim("Task"), "Task");
        assert_eq!(ns.claim("Task"), "Task2");
        assert_eq!(ns.claim("r#type"), "r#type");
        assert_eq!(ns.claim("type"), "type2");
    }
}
