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

/// The singular of an `UpperCamelCase` name whose last word is an English plural
/// (`Tasks` → `Task`, `ServerPolicies` → `ServerPolicy`, `Addresses` → `Address`), or `None`
/// where the last word does not look plural (`Metadata`, `Status`, `Analysis`). A few
/// suffix rules, not a dictionary: the names are OpenStack's JSON keys, and a wrong guess
/// costs only an odd type name, which the naming rules' fallback (`...Item`) avoids when in doubt.
pub fn singular(name: &str) -> Option<String> {
    let (stem, last) = split_last_word(name);
    let lower = last.to_ascii_lowercase();
    let keep = |n: usize| format!("{stem}{}", &last[..last.len() - n]);
    if lower.len() > 3 && lower.ends_with("ies") {
        return Some(format!("{}y", keep(3)));
    }
    if ["sses", "xes", "ches", "shes", "uses"].iter().any(|s| lower.ends_with(s)) {
        return Some(keep(2));
    }
    let before_s = lower.strip_suffix('s')?.chars().last()?;
    (lower.len() > 2 && !matches!(before_s, 's' | 'u' | 'i')).then(|| keep(1))
}

/// `prefix` and `name` joined, the words they share at the seam written once
/// (`Events` + `EventsItem` → `EventsItem`, `ServerFlavor` + `Flavor` → `ServerFlavor`):
/// a name qualified by its parent does not repeat a word.
pub fn join(prefix: &str, name: &str) -> String {
    let (before, after) = (words(prefix), words(name));
    let overlap = (1..=before.len().min(after.len()))
        .rev()
        .find(|&k| before[before.len() - k..] == after[..k])
        .unwrap_or(0);
    format!("{prefix}{}", after[overlap..].concat())
}

/// The `UpperCamelCase` words of `name` (a digit run stays with the word before it).
fn words(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_uppercase() {
            out.push(&name[start..i]);
            start = i;
        }
    }
    if start < name.len() {
        out.push(&name[start..]);
    }
    out
}

fn split_last_word(name: &str) -> (&str, &str) {
    let words = words(name);
    let last = words.last().copied().unwrap_or(name);
    (&name[..name.len() - last.len()], last)
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

    /// Takes the first free name of `candidates` (best first), or the last one with the
    /// smallest free numeric suffix when all are taken.
    pub fn claim_first(&mut self, candidates: &[String]) -> String {
        if let Some(free) =
            candidates.iter().find(|c| !self.taken.contains(c.trim_start_matches("r#")))
        {
            return self.claim(free);
        }
        self.claim(candidates.last().map_or("Type", String::as_str))
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

    #[test]
    fn the_first_free_candidate_is_claimed_and_the_last_is_numbered_when_none_is() {
        let mut ns = Namespace::with_reserved(&["Flavor"]);
        let candidates = ["Flavor".to_string(), "ServerFlavor".to_string()];
        assert_eq!(ns.claim_first(&candidates), "ServerFlavor");
        assert_eq!(ns.claim_first(&candidates), "ServerFlavor2");
        assert_eq!(ns.claim_first(&["Task".to_string()]), "Task");
    }

    #[test]
    fn plural_last_words_become_singular_and_others_are_left_alone() {
        let cases = [
            ("Tasks", Some("Task")),
            ("ServerPolicies", Some("ServerPolicy")),
            ("Addresses", Some("Address")),
            ("Statuses", Some("Status")),
            ("Patches", Some("Patch")),
            ("Boxes", Some("Box")),
            ("VolumeAttachments", Some("VolumeAttachment")),
            ("Metadata", None),
            ("Status", None),
            ("Analysis", None),
            ("Ss", None),
            ("", None),
        ];
        for (plural, expected) in cases {
            assert_eq!(singular(plural).as_deref(), expected, "{plural}");
        }
    }

    #[test]
    fn joined_names_write_shared_words_once() {
        assert_eq!(join("Server", "Flavor"), "ServerFlavor");
        assert_eq!(join("Events", "EventsItem"), "EventsItem");
        assert_eq!(join("ListImages", "ListImagesRequest"), "ListImagesRequest");
        assert_eq!(join("CreateServer", "Server"), "CreateServer");
        assert_eq!(join("Server", "ServerGroup"), "ServerGroup");
        assert_eq!(join("ServerGroup", "Group"), "ServerGroup");
        assert_eq!(join("Flavor", "Server"), "FlavorServer");
    }
}
