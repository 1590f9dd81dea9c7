//! The findings file (`docs/findings.md`): every reviewed correction of a spec and every
//! conform override names one of its `## F12: title` headings, so that a change to what
//! stackspec expects always points at the evidence for it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A findings file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{}: cannot read the findings file: {source}", path.display())]
pub struct FindingsError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Finding id (`F12`) to its title, from the `## F12: title` headings of `path`.
pub fn read(path: &Path) -> Result<BTreeMap<String, String>, FindingsError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| FindingsError { path: path.to_path_buf(), source })?;
    Ok(headings(&text))
}

/// Finding id to title, from the headings of a findings file's text.
pub fn headings(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter_map(|h| h.split_once(": "))
        .filter(|(id, _)| is_finding_id(id))
        .map(|(id, title)| (id.to_string(), title.to_string()))
        .collect()
}

/// Why an entry that cites a finding (a correction, an override) is refused: the field of
/// the entry that is wrong (`/finding`, `/why`) and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncited {
    pub field: &'static str,
    pub message: String,
}

/// Every reviewed entry names a heading of the findings file at `findings_path` (`known`, as
/// [`read`] gives it) and says why, so no change to what stackspec expects lacks evidence.
pub fn check_citation(
    known: &BTreeMap<String, String>,
    findings_path: &Path,
    finding: &str,
    why: &str,
) -> Result<(), Uncited> {
    if !known.contains_key(finding) {
        let message =
            format!("finding `{finding}` is not a heading of {}", findings_path.display());
        return Err(Uncited { field: "/finding", message });
    }
    if why.trim().is_empty() {
        return Err(Uncited { field: "/why", message: "say why the docs are wrong".into() });
    }
    Ok(())
}

/// `F` and one or more digits.
fn is_finding_id(id: &str) -> bool {
    id.strip_prefix('F').is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_level_two_headings_with_a_finding_id_are_findings() {
        let text = "# F0: title\n## F2: code is an integer\n## Fx: no\n## F: no\n### F3: deeper\n## F10: ten";
        let found = headings(text);
        assert_eq!(found.keys().collect::<Vec<_>>(), ["F10", "F2"]);
        assert_eq!(found["F2"], "code is an integer");
    }

    #[test]
    fn a_citation_names_a_known_finding_and_says_why() {
        let known = headings("## F2: code is an integer");
        let path = Path::new("docs/findings.md");
        assert_eq!(check_citation(&known, path, "F2", "nova sends integers"), Ok(()));
        let unknown = check_citation(&known, path, "F3", "why").unwrap_err();
        assert_eq!(unknown.field, "/finding");
        assert_eq!(unknown.message, "finding `F3` is not a heading of docs/findings.md");
        let silent = check_citation(&known, path, "F2", "  ").unwrap_err();
        assert_eq!(silent.field, "/why");
    }

    #[test]
    fn a_missing_findings_file_is_an_error_naming_it() {
        let err = read(Path::new("no/such/findings.md")).unwrap_err();
        assert!(err.to_string().starts_with("no/such/findings.md: cannot read"), "{err}");
    }
}
