//! Which differences a finding already records, so that a report can say what is new.
//!
//! A difference is known to a finding when
//! - the docs node it points at carries the finding's provenance (`x-stackspec: {findings:
//!   [F2]}`: a reviewed correction changed it);
//! - an entry of the service's corrections file names the same operation and patches the
//!   node (or a node above or below it, or where the proposal would);
//! - a finding's section of `docs/findings.md` names the operation (its `operationId` in
//!   backticks, or `METHOD path`) and the field (its name in backticks) or, for a status,
//!   the status.
//!
//! The last is a heuristic on prose; the first two are exact.

use std::path::{Path, PathBuf};

use stackspec_model::corrections::{CorrectionError, CorrectionFile};

use crate::difference::{Aspect, Difference};
use crate::fields::Facts;
use crate::operations::{Location, Site};

/// Why the corrections or findings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum KnownError {
    #[error(transparent)]
    Corrections(#[from] CorrectionError),
    #[error("{}: cannot read: {source}", path.display())]
    Findings {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What the reviewed corrections and the findings file record.
#[derive(Debug, Default)]
pub struct Known {
    /// Per correction: finding, operation, patched paths (relative to the operation).
    corrections: Vec<(String, String, Vec<String>)>,
    /// Per finding: its id and its section's text.
    findings: Vec<(String, String)>,
    /// The api-ref projects of the compared service (`nova`), if given: a section that cites
    /// the api-ref of other projects only is about another service, whatever operation and
    /// status names it shares (heat's and nova's `delete_snapshot`).
    projects: Vec<String>,
}

impl Known {
    /// Reads a corrections file and a findings file (either may be left out).
    pub fn load(corrections: Option<&Path>, findings: Option<&Path>) -> Result<Self, KnownError> {
        let mut known = Known::default();
        if let Some(path) = corrections {
            for c in CorrectionFile::load(path)?.entries {
                let paths = c.patch.iter().map(|op| op.path().to_string()).collect();
                known.corrections.push((c.finding, c.operation, paths));
            }
        }
        if let Some(path) = findings {
            let text = std::fs::read_to_string(path)
                .map_err(|source| KnownError::Findings { path: path.to_path_buf(), source })?;
            known.findings = sections(&text);
        }
        Ok(known)
    }

    /// Limits the findings sections to those about `projects` (see [`Known::projects`]),
    /// once, rather than for every difference.
    pub fn of_projects<S: Into<String>>(mut self, projects: impl IntoIterator<Item = S>) -> Self {
        self.projects = projects.into_iter().map(Into::into).collect();
        let findings = std::mem::take(&mut self.findings);
        self.findings = findings.into_iter().filter(|(_, t)| self.about_the_service(t)).collect();
        self
    }

    /// Whether a findings section may be about the compared service: it cites no api-ref
    /// file (`heat/api-ref/source/...`), or one of the service's projects.
    fn about_the_service(&self, text: &str) -> bool {
        let cited = cited_projects(text);
        self.projects.is_empty()
            || cited.is_empty()
            || cited.iter().any(|c| self.projects.iter().any(|p| p == c))
    }

    /// The findings that record `diff` of operation `site` (`docs`: the docs' facts).
    pub fn findings_for(
        &self,
        site: &Site,
        diff: &Difference,
        docs: Option<&Facts>,
    ) -> Vec<String> {
        let mut out: Vec<String> = docs.map(|f| f.findings.clone()).unwrap_or_default();
        let id = site.id();
        let mut places: Vec<String> = diff
            .docs
            .pointer
            .iter()
            .filter_map(|p| p.strip_prefix(&site.pointer).map(String::from))
            .collect();
        if let Some(c) = &diff.correction {
            places.extend(c.patch.iter().filter_map(|op| op["path"].as_str().map(String::from)));
        }
        for (finding, operation, paths) in &self.corrections {
            let touches = paths.iter().any(|p| {
                let p = p.trim_end_matches("/-");
                places
                    .iter()
                    .any(|place| related(p, place.trim_end_matches("/-"), keyword(diff.aspect)))
            });
            if *operation == id && touches {
                out.push(finding.clone());
            }
        }
        let route = format!("{} {}", site.method.to_uppercase(), site.path);
        // A status is known to a section that says the service answers it.
        let subject = match (&diff.field.location, diff.aspect) {
            (Location::Response(status), Aspect::Status) => Some(format!("answer{status}")),
            _ => diff
                .field
                .path
                .rsplit('/')
                .next()
                .filter(|n| !n.is_empty())
                .map(|n| format!("`{n}`")),
        };
        for (finding, text) in &self.findings {
            let names_operation = text.contains(&format!("`{id}`")) || text.contains(&route);
            let names_subject = subject.as_ref().is_some_and(|s| match s.strip_prefix("answer") {
                Some(status) => text.contains("answer") && text.contains(status),
                None => text.contains(s.as_str()),
            });
            if names_operation && names_subject {
                out.push(finding.clone());
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

/// The projects whose api-ref a findings section cites (`heat` for `heat/api-ref/source/v1/x.inc`).
fn cited_projects(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = text
        .match_indices("/api-ref/")
        .filter_map(|(at, _)| {
            let before = &text[..at];
            let start = before
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .map_or(0, |i| i + 1);
            Some(&before[start..]).filter(|p| !p.is_empty())
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether a correction patching `patched` speaks of the node at `place` (both relative to
/// the operation): the node itself, an ancestor of it (a whole property or response added),
/// or one of the node's own keywords (`.../code/type` for `.../code`), but not a node
/// nested below it (`.../events/items/...` is not about `.../events`), and nothing below a
/// response is about its status.
fn related(patched: &str, place: &str, keyword: Option<&str>) -> bool {
    const NESTING: [&str; 8] = [
        "properties",
        "items",
        "additionalProperties",
        "allOf",
        "oneOf",
        "anyOf",
        "content",
        "schema",
    ];
    if patched.is_empty() || place.is_empty() {
        return false;
    }
    if patched == place || place.starts_with(&format!("{patched}/")) {
        return true;
    }
    let Some(rest) = patched.strip_prefix(&format!("{place}/")) else { return false };
    let response = place.rsplit_once("/responses/").is_some_and(|(_, s)| !s.contains('/'));
    let first = rest.split('/').next().unwrap_or_default();
    !response && !NESTING.contains(&first) && keyword.is_none_or(|k| k == first)
}

/// The schema keyword an aspect is spelled with on the field's own node (`None`: any).
fn keyword(aspect: Aspect) -> Option<&'static str> {
    match aspect {
        Aspect::Type => Some("type"),
        Aspect::Nullable => Some("nullable"),
        Aspect::Enum => Some("enum"),
        Aspect::Format => Some("format"),
        Aspect::MinItems => Some("minItems"),
        // Required is on the parent, a status or a field's presence is the node itself.
        Aspect::Required | Aspect::Status | Aspect::Presence => Some(""),
    }
}

/// The findings file cut at its `## F..:` headings: each finding's id and text.
fn sections(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let heading = line.strip_prefix("## ").and_then(|h| h.split_once(':')).map(|(id, _)| id);
        match heading {
            Some(id) => out.push((id.trim().to_string(), format!("{line}\n"))),
            None => {
                if let Some((_, body)) = out.last_mut() {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_correction_speaks_of_its_node_its_ancestors_and_its_keywords_only() {
        let code = "/responses/200/content/application~1json/schema/properties/code";
        assert!(related(&format!("{code}/type"), code, Some("type")));
        assert!(!related(&format!("{code}/type"), code, Some("enum")));
        assert!(related("/responses/200", code, Some("type")));
        assert!(!related(&format!("{code}/items/properties/x/type"), code, None));
        assert!(!related(&format!("{code}/type"), "/responses/200", None));
        assert!(related("/responses/400", "/responses/400", Some("")));
        assert!(!related("/responses/4", "/responses/400", None));
    }

    /// F209 (heat answers 204 to a snapshot deletion it has only started) names
    /// `delete_snapshot` and its statuses, and was taken as known for nova's proxy
    /// `delete_snapshot`.
    #[test]
    fn a_finding_citing_another_projects_api_ref_is_not_about_this_service() {
        let heat = "## F9: heat\n- Documented: `heat/api-ref/source/v1/stack-snapshots.inc:218`\n";
        let nova = Known::default().of_projects(["nova"]);
        assert!(!nova.about_the_service(heat));
        assert!(Known::default().of_projects(["heat"]).about_the_service(heat));
        assert!(nova.about_the_service("## F1: cites no api-ref file\n"));
        assert!(Known::default().about_the_service(heat), "no projects given: every section");
        assert_eq!(
            cited_projects("`neutron-lib/api-ref/x` and (nova/api-ref/y)"),
            ["neutron-lib", "nova"]
        );
    }

    #[test]
    fn findings_are_cut_at_their_headings() {
        let text = "# Findings\nintro\n## F1: one\n- a `x`\n## F2: two\n- b\n";
        let got = sections(text);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], ("F1".to_string(), "## F1: one\n- a `x`\n".to_string()));
        assert_eq!(got[1].0, "F2");
    }
}
