//! The comparison itself: per paired operation and sampled microversion, every field's
//! aspects from the docs, the published spec and what was observed, and the verdict on
//! each difference; equal differences at neighbouring microversions are one, with the range
//! they hold at.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use stackspec_model::version::Microversion;
use stackspec_model::Spec;

use crate::difference::{Aspect, Difference, Side, Verdict};
use crate::fields::Facts;
use crate::known::Known;
use crate::observed::{Observations, Observed};
use crate::operations::{self, Field, Location, Site};
use crate::proposal::{self, Evidence, Proposal, UNFILED};
use crate::CompareError;

/// One operation of the docs and what was found about it.
#[derive(Debug, Clone, Serialize)]
pub struct OperationReport {
    /// The docs' `operationId`.
    pub operation: String,
    pub method: String,
    pub path: String,
    /// The published spec's operation it was paired with (`operationId` and path).
    pub published: Option<(String, String)>,
    /// How many (field, aspect) pairs were compared and agree at every microversion.
    pub agree: usize,
    pub differences: Vec<Difference>,
}

/// The whole comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub docs: String,
    pub published: Option<String>,
    pub observed: Option<String>,
    pub operations: Vec<OperationReport>,
    /// Operations only one document has (`METHOD path (operationId)`).
    pub docs_only: Vec<String>,
    pub published_only: Vec<String>,
}

impl Comparison {
    pub fn differences(&self) -> impl Iterator<Item = (&OperationReport, &Difference)> {
        self.operations.iter().flat_map(|o| o.differences.iter().map(move |d| (o, d)))
    }
}

/// Compares the docs with the published spec (when given) and what was observed (when
/// given); `known` says which differences findings already record.
pub fn compare(
    docs: &Spec,
    published: Option<&Spec>,
    mut observed: Option<Observations>,
    known: &Known,
) -> Result<Comparison, CompareError> {
    let docs_sites = operations::sites(docs);
    if let Some(o) = observed.as_mut() {
        o.route(docs_sites.iter().map(|s| (s.method, s.path)));
    }
    let (pairs, docs_only, published_only) = match published {
        Some(p) => {
            let pairing = operations::pair(docs_sites, operations::sites(p));
            let pairs: Vec<(Site, Option<Site>)> =
                pairing.pairs.into_iter().map(|(d, p)| (d, Some(p))).collect();
            (pairs, pairing.docs_only, pairing.published_only)
        }
        None => (docs_sites.into_iter().map(|d| (d, None)).collect(), Vec::new(), Vec::new()),
    };
    let mut reports = Vec::new();
    for (d, p) in &pairs {
        let seen = observed.as_ref().and_then(|o| o.of(d.method, d.path));
        reports.push(operation(d, p.as_ref(), seen, known)?);
    }
    // An operation only the docs have is still held to what the service answered.
    for d in &docs_only {
        if let Some(seen) = observed.as_ref().and_then(|o| o.of(d.method, d.path)) {
            reports.push(operation(d, None, Some(seen), known)?);
        }
    }
    let name = |s: &Site| format!("{} {} ({})", s.method.to_uppercase(), s.path, s.id());
    Ok(Comparison {
        docs: docs.path.display().to_string(),
        published: published.map(|p| p.path.display().to_string()),
        observed: observed.as_ref().map(|o| o.source.clone()),
        operations: reports,
        docs_only: docs_only.iter().map(name).collect(),
        published_only: published_only.iter().map(name).collect(),
    })
}

/// A difference before its microversions are known: what differs, and each side's word.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    field: Field,
    aspect: Aspect,
    docs: String,
    published: Option<String>,
    observed: Option<String>,
}

/// A difference found at some sampled versions, with the facts of its first sighting.
struct Sighting {
    samples: Vec<usize>,
    verdict: Verdict,
    docs: Option<Facts>,
    published: Option<Facts>,
    observed: Option<Facts>,
    /// What the docs say of the field's parent object (where a missing field goes).
    docs_parent: Option<Facts>,
    docs_pointer: Option<String>,
    published_pointer: Option<String>,
}

/// What each source says at one sampled version.
struct Sources<'a> {
    docs: &'a BTreeMap<Field, Facts>,
    published: Option<&'a BTreeMap<Field, Facts>>,
    observed: Option<&'a BTreeMap<Field, Facts>>,
}

fn operation(
    d: &Site,
    p: Option<&Site>,
    seen: Option<&Observed>,
    known: &Known,
) -> Result<OperationReport, CompareError> {
    let samples = match p {
        Some(p) => operations::samples(d, p),
        None => operations::samples(d, d),
    };
    let mut sightings: BTreeMap<Key, Sighting> = BTreeMap::new();
    let mut compared: BTreeSet<(Field, Aspect)> = BTreeSet::new();
    for (i, version) in samples.iter().enumerate() {
        let next = samples.get(i + 1).copied().flatten();
        let docs = operations::fields(d, *version)?;
        let mut published = p.map(|p| operations::fields(p, *version)).transpose()?;
        if let Some(published) = published.as_mut() {
            align_success_bodies(&docs, published);
        }
        let observed = seen.and_then(|s| s.fields(*version, next));
        let sources =
            Sources { docs: &docs, published: published.as_ref(), observed: observed.as_ref() };
        for (key, sighting) in field_differences(&sources, &mut compared) {
            sightings.entry(key).or_insert(sighting).samples.push(i);
        }
    }
    let statuses = status_differences(d, p, seen, &mut compared)?;
    let mut differences: Vec<Difference> = Vec::new();
    let differing: BTreeSet<(Field, Aspect)> =
        sightings.keys().chain(statuses.keys()).map(|k| (k.field.clone(), k.aspect)).collect();
    for (key, sighting) in sightings.into_iter().chain(statuses) {
        differences.push(difference(d, key, sighting, &samples, known));
    }
    differences.sort_by(|a, b| (&a.field, a.aspect).cmp(&(&b.field, b.aspect)));
    Ok(OperationReport {
        operation: d.id(),
        method: d.method.to_uppercase(),
        path: d.path.to_string(),
        published: p.map(|p| (p.id(), p.path.to_string())),
        agree: compared.len() - differing.len(),
        differences,
    })
}

/// The 2xx statuses whose bodies `fields` describes.
fn success_bodies(fields: &BTreeMap<Field, Facts>) -> BTreeSet<String> {
    fields
        .keys()
        .filter_map(|f| match &f.location {
            Location::Response(s) if f.path.is_empty() && s.starts_with('2') => Some(s.clone()),
            _ => None,
        })
        .collect()
}

/// Where the two documents give the success body under different statuses (nova's external
/// events: 200 and 207 in the docs, 201 in the published spec), the published body is
/// compared with the docs' first: the status difference is reported once, as a status, not
/// again as every field of two bodies each side lacks.
fn align_success_bodies(docs: &BTreeMap<Field, Facts>, published: &mut BTreeMap<Field, Facts>) {
    let (d, p) = (success_bodies(docs), success_bodies(published));
    let docs_only: Vec<&String> = d.difference(&p).collect();
    let published_only: Vec<&String> = p.difference(&d).collect();
    let ([from], Some(to)) = (published_only.as_slice(), docs_only.first()) else { return };
    let moved: Vec<Field> = published
        .keys()
        .filter(|f| f.location == Location::Response((*from).clone()))
        .cloned()
        .collect();
    for field in moved {
        if let Some(facts) = published.remove(&field) {
            published.insert(
                Field { location: Location::Response((*to).clone()), path: field.path },
                facts,
            );
        }
    }
}

/// The differences among the sources at one sampled version.
fn field_differences(
    s: &Sources,
    compared: &mut BTreeSet<(Field, Aspect)>,
) -> Vec<(Key, Sighting)> {
    let mut fields: BTreeSet<&Field> = s.docs.keys().collect();
    fields.extend(s.published.into_iter().flat_map(BTreeMap::keys));
    fields.extend(s.observed.into_iter().flat_map(BTreeMap::keys));
    let mut out = Vec::new();
    for field in fields {
        let (d, p, o) = (
            s.docs.get(field),
            s.published.and_then(|m| m.get(field)),
            s.observed.and_then(|m| m.get(field)),
        );
        for aspect in Aspect::OF_FIELDS {
            if !comparable(aspect, field, s, d, p) {
                continue;
            }
            compared.insert((field.clone(), aspect));
            let documents_differ = s.published.is_some() && differ(aspect, d, p);
            let verdict = verdict(
                documents_differ,
                o.map(|o| {
                    (contradicts(aspect, d, o), s.published.is_some() && contradicts(aspect, p, o))
                }),
            );
            let Some(verdict) = verdict else { continue };
            let key = Key {
                field: field.clone(),
                aspect,
                docs: aspect.value(d),
                published: s.published.map(|_| aspect.value(p)),
                observed: o.map(|o| observed_value(aspect, o)),
            };
            let sighting = Sighting {
                samples: Vec::new(),
                verdict,
                docs: d.cloned(),
                published: p.cloned(),
                observed: o.cloned(),
                docs_parent: parent(field).and_then(|f| s.docs.get(&f)).cloned(),
                docs_pointer: d.map(|f| f.pointer.clone()),
                published_pointer: p.map(|f| f.pointer.clone()),
            };
            out.push((key, sighting));
        }
    }
    out
}

/// Whether an aspect of a field is worth comparing: presence only at the topmost missing
/// field (the children of a missing object are not differences of their own), the other
/// aspects only where every declaring side has the field.
fn comparable(
    aspect: Aspect,
    field: &Field,
    s: &Sources,
    d: Option<&Facts>,
    p: Option<&Facts>,
) -> bool {
    // The parent is missing too, or says nothing of its members.
    let parent_missing = |side: Option<&BTreeMap<Field, Facts>>| {
        let parent = parent(field);
        side.is_some_and(|m| parent.is_some_and(|p| m.get(&p).is_none_or(|f| f.open)))
    };
    if aspect == Aspect::Presence {
        let absent_here = |side: Option<&BTreeMap<Field, Facts>>, f: Option<&Facts>| {
            side.is_some() && f.is_none() && !parent_missing(side)
        };
        return absent_here(Some(s.docs), d) || absent_here(s.published, p);
    }
    let declared = d.is_some() && (s.published.is_none() || p.is_some());
    // Whether a field is required means nothing for the body itself and array items.
    let trivially_required = aspect == Aspect::Required
        && (field.path.is_empty() || field.path.ends_with(crate::fields::ITEMS));
    declared && !trivially_required
}

/// The object a field is in (`None` for a body or a query parameter).
fn parent(field: &Field) -> Option<Field> {
    if field.location == Location::Query {
        return None;
    }
    let (parent, _) = field.path.rsplit_once('/')?;
    Some(Field { location: field.location.clone(), path: parent.to_string() })
}

/// Whether two declarations differ in one aspect.
fn differ(aspect: Aspect, a: Option<&Facts>, b: Option<&Facts>) -> bool {
    match (a, b) {
        (None, None) => false,
        (None, Some(_)) | (Some(_), None) => aspect == Aspect::Presence,
        (Some(a), Some(b)) => match aspect {
            Aspect::Status | Aspect::Presence => false,
            // A side that declares no type says nothing against the other's.
            Aspect::Type => !a.types.is_empty() && !b.types.is_empty() && a.types != b.types,
            Aspect::Nullable => a.nullable != b.nullable,
            Aspect::Required => a.required != b.required,
            Aspect::Enum => a.enumeration != b.enumeration,
            Aspect::Format => a.format.is_some() && b.format.is_some() && a.format != b.format,
            Aspect::MinItems => a.min_items != b.min_items,
        },
    }
}

/// Whether what was observed contradicts a declaration: a field seen that is not declared,
/// a type or `null` it does not allow, a required field missing. What was not seen
/// contradicts nothing (an optional field may be absent, an enum value unused).
fn contradicts(aspect: Aspect, declared: Option<&Facts>, seen: &Facts) -> bool {
    let Some(declared) = declared else { return aspect == Aspect::Presence };
    match aspect {
        Aspect::Type => {
            let allows = |t: &String| {
                declared.types.contains(t) || (t == "integer" && declared.types.contains("number"))
            };
            !declared.types.is_empty() && !seen.types.iter().all(allows)
        }
        Aspect::Nullable => seen.nullable && !declared.nullable,
        Aspect::Required => declared.required && !seen.required,
        _ => false,
    }
}

/// The verdict on one aspect: `None` when everyone agrees. `observed` is whether the
/// observation contradicts the docs and the published spec.
fn verdict(documents_differ: bool, observed: Option<(bool, bool)>) -> Option<Verdict> {
    match observed {
        Some((true, false)) => Some(Verdict::DocsDiffer),
        Some((false, true)) => Some(Verdict::PublishedDiffers),
        Some((true, true)) => Some(Verdict::BothDiffer),
        _ if documents_differ => Some(Verdict::Differ),
        _ => None,
    }
}

/// How an observation reads for one aspect.
fn observed_value(aspect: Aspect, seen: &Facts) -> String {
    match aspect {
        Aspect::Required => {
            if seen.required { "always present" } else { "sometimes absent" }.into()
        }
        Aspect::Nullable => if seen.nullable { "null" } else { "never null" }.into(),
        _ => aspect.value(Some(seen)),
    }
}

/// Statuses one source documents (or was answered with) that another does not.
fn status_differences(
    d: &Site,
    p: Option<&Site>,
    seen: Option<&Observed>,
    compared: &mut BTreeSet<(Field, Aspect)>,
) -> Result<BTreeMap<Key, Sighting>, CompareError> {
    let docs = operations::statuses(d)?;
    let published = p.map(operations::statuses).transpose()?;
    let observed = seen.map(Observed::statuses);
    let mut all: BTreeSet<&String> = docs.keys().collect();
    all.extend(published.iter().flat_map(BTreeMap::keys));
    all.extend(observed.iter().flat_map(BTreeMap::keys));
    let mut out = BTreeMap::new();
    for status in all {
        let field = Field { location: Location::Response(status.clone()), path: String::new() };
        compared.insert((field.clone(), Aspect::Status));
        let (dp, pp) = (docs.get(status), published.as_ref().and_then(|m| m.get(status)));
        let o = observed.as_ref().and_then(|m| m.get(status));
        let documents_differ = published.is_some() && dp.is_some() != pp.is_some();
        // A status seen contradicts a side that does not document it.
        let contradiction = o.map(|_| (dp.is_none(), published.is_some() && pp.is_none()));
        let Some(verdict) = verdict(documents_differ, contradiction) else { continue };
        let word = |x: Option<&String>| {
            if x.is_some() { "documented" } else { "not documented" }.to_string()
        };
        let key = Key {
            field,
            aspect: Aspect::Status,
            docs: word(dp),
            published: published.as_ref().map(|_| word(pp)),
            observed: o.map(|_| "answered".to_string()),
        };
        let observed_facts = o.map(|pointer| Facts::seen_at(pointer));
        out.insert(
            key,
            Sighting {
                samples: Vec::new(),
                verdict,
                docs: None,
                published: None,
                observed: observed_facts,
                docs_parent: None,
                docs_pointer: dp.cloned(),
                published_pointer: pp.cloned(),
            },
        );
    }
    Ok(out)
}

/// The reported difference: its versions from the samples it was seen at, whether a
/// finding knows it, and a correction where the docs are the side to correct.
fn difference(
    d: &Site,
    key: Key,
    s: Sighting,
    samples: &[Option<Microversion>],
    known: &Known,
) -> Difference {
    let versions = ranges(&s.samples, samples);
    let docs = Side { value: key.docs, pointer: s.docs_pointer.clone() };
    let published = key.published.map(|value| Side { value, pointer: s.published_pointer.clone() });
    let observed = key
        .observed
        .map(|value| Side { value, pointer: s.observed.as_ref().map(|o| o.pointer.clone()) });
    let truth = match s.verdict {
        Verdict::Differ => s.published.as_ref(),
        Verdict::DocsDiffer | Verdict::BothDiffer => s.observed.as_ref().or(s.published.as_ref()),
        Verdict::PublishedDiffers => None,
    };
    let evidence = Evidence {
        site: d,
        field: &key.field,
        aspect: key.aspect,
        docs: s.docs.as_ref(),
        parent: s.docs_parent.as_ref(),
        truth,
        observed: s.observed.is_some() && truth == s.observed.as_ref(),
    };
    let why = why(key.aspect, &docs, published.as_ref(), observed.as_ref(), s.verdict);
    let correction = proposal::patch(&evidence).map(|patch| Proposal {
        finding: UNFILED.to_string(),
        operation: d.id(),
        why,
        patch,
    });
    let mut difference = Difference {
        field: key.field,
        aspect: key.aspect,
        versions,
        verdict: s.verdict,
        docs,
        published,
        observed,
        known: Vec::new(),
        correction,
    };
    difference.known = known.findings_for(d, &difference, s.docs.as_ref());
    if let Some(c) = difference.correction.as_mut() {
        if let Some(first) = difference.known.first() {
            c.finding = first.clone();
        }
    }
    difference
}

/// One line for a proposal: what the evidence says against what the docs say.
fn why(
    aspect: Aspect,
    docs: &Side,
    published: Option<&Side>,
    observed: Option<&Side>,
    verdict: Verdict,
) -> String {
    if aspect == Aspect::Status {
        return "the service answered with this status; the docs do not list it".to_string();
    }
    let source = match (verdict, observed, published) {
        (Verdict::DocsDiffer | Verdict::BothDiffer, Some(o), _) => {
            format!("the service answered {}", o.value)
        }
        (_, _, Some(p)) => format!("the published spec says {}", p.value),
        _ => "the evidence differs".to_string(),
    };
    format!("{source}; the docs say {}", docs.value)
}

/// The sampled versions a difference was seen at, as ranges (`2.1-2.50, 2.60-`): a sample
/// stands for the versions up to the next sample.
fn ranges(seen: &[usize], samples: &[Option<Microversion>]) -> Option<String> {
    if samples.first().is_none_or(Option::is_none) || seen.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    let mut i = 0;
    while i < seen.len() {
        let start = seen[i];
        let mut end = start;
        while i + 1 < seen.len() && seen[i + 1] == end + 1 {
            i += 1;
            end = seen[i];
        }
        let from = samples[start].map(|v| v.to_string()).unwrap_or_default();
        let to = match samples.get(end + 1).copied().flatten() {
            Some(next) if next.minor > 0 => {
                Microversion::new(next.major, next.minor - 1).to_string()
            }
            _ => String::new(),
        };
        parts.push(if from == to { from } else { format!("{from}-{to}") });
        i += 1;
    }
    Some(parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Option<Microversion> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn neighbouring_samples_are_one_range_and_the_last_is_open() {
        let samples = [v("2.0"), v("2.51"), v("2.60"), v("2.61")];
        assert_eq!(ranges(&[0, 1], &samples).unwrap(), "2.0-2.59");
        assert_eq!(ranges(&[0, 2, 3], &samples).unwrap(), "2.0-2.50, 2.60-");
        assert_eq!(ranges(&[2], &samples).unwrap(), "2.60");
        assert_eq!(ranges(&[0], &[None]), None);
    }

    #[test]
    fn the_service_decides_who_differs() {
        assert_eq!(verdict(true, None), Some(Verdict::Differ));
        assert_eq!(verdict(false, None), None);
        assert_eq!(verdict(true, Some((true, false))), Some(Verdict::DocsDiffer));
        assert_eq!(verdict(false, Some((true, true))), Some(Verdict::BothDiffer));
        assert_eq!(verdict(true, Some((false, true))), Some(Verdict::PublishedDiffers));
        assert_eq!(verdict(false, Some((false, false))), None);
    }
}
