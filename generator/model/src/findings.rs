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
    fn a_missing_findings_file_is_an_error_naming_it() {
        let err = read(Path::new("no/such/findings.md")).unwrap_err();
        assert!(err.to_string().starts_with("no/such/findings.md: cannot read"), "{err}");
    }
}
