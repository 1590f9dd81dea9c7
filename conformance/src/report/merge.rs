//! `stackspec report merge`: the JSON reports of every shard of a run (`--shard I/N`) joined
//! into the report of the whole run. Shards run disjoint families of operations
//! (`crate::shard`), so per-operation entries are taken as they are; per-check totals are
//! summed; records are ordered by phase, shard after shard within one; an override listed
//! by every shard takes the state of the shard that ran its operation. The merge refuses
//! reports of different runs (spec, seed, shard count) and an incomplete set of shards:
//! a missing shard would make a run look greener than it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::doc::{phase_rank, Report};
use super::json::SCHEMA_VERSION;

/// Why shard reports cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{path}: cannot read: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: not a stackspec conform JSON report: {source}")]
    Parse { path: PathBuf, source: serde_json::Error },
    #[error("{path}: schema_version {found}, expected {SCHEMA_VERSION}")]
    Version { path: PathBuf, found: u32 },
    #[error("{path}: not the report of a shard (the run had no --shard)")]
    NotSharded { path: PathBuf },
    #[error("{path}: {what} is `{found}`, but `{expected}` in {first}: not the same run")]
    OtherRun { path: PathBuf, what: &'static str, found: String, expected: String, first: PathBuf },
    #[error("{path}: shard {index}/{count} again (also {other})")]
    SameShard { path: PathBuf, index: u32, count: u32, other: PathBuf },
    #[error("shards {missing} of {count} are missing: every shard's report is needed")]
    Missing { missing: String, count: u32 },
    #[error("{path}: operation `{operation}` is also in {other}: shards overlap")]
    Overlap { path: PathBuf, operation: String, other: PathBuf },
    #[error("no report to merge")]
    Nothing,
}

/// Reads the JSON report at `path`.
pub fn read(path: &Path) -> Result<Report, MergeError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| MergeError::Read { path: path.into(), source })?;
    let report: Report = serde_json::from_str(&text)
        .map_err(|source| MergeError::Parse { path: path.into(), source })?;
    if report.schema_version != SCHEMA_VERSION {
        return Err(MergeError::Version { path: path.into(), found: report.schema_version });
    }
    Ok(report)
}

/// The report of the whole run from the reports of all its shards (each with its path, for
/// errors).
pub fn merge(shards: Vec<(PathBuf, Report)>) -> Result<Report, MergeError> {
    let shards = in_shard_order(shards)?;
    let (first_path, first) = shards.first().ok_or(MergeError::Nothing)?;
    let mut merged = Report {
        shard: None,
        records: Vec::new(),
        skipped: Vec::new(),
        not_tried: Vec::new(),
        leftovers: Vec::new(),
        overrides: Vec::new(),
        operations: BTreeMap::new(),
        checks: BTreeMap::new(),
        roles: BTreeMap::new(),
        ..first.clone()
    };
    let mut owner: BTreeMap<String, &PathBuf> = BTreeMap::new();
    let mut urls: Vec<&str> = Vec::new();
    let end = shards.iter().map(|(_, r)| r.started_unix_ms as f64 + r.elapsed_ms);
    let end = end.fold(0.0, f64::max);
    for (path, report) in &shards {
        same_run(first_path, first, path, report)?;
        for operation in report.operations.keys() {
            if let Some(other) = owner.insert(operation.clone(), path) {
                let (path, operation, other) = (path.clone(), operation.clone(), other.clone());
                return Err(MergeError::Overlap { path, operation, other });
            }
        }
        if !urls.contains(&report.url.as_str()) {
            urls.push(&report.url);
        }
        add(&mut merged, report);
    }
    merged.url = urls.join(", ");
    merged.started_unix_ms = shards.iter().map(|(_, r)| r.started_unix_ms).min().unwrap_or(0);
    merged.elapsed_ms = ((end - merged.started_unix_ms as f64) * 1e3).round().max(0.0) / 1e3;
    merged.records.sort_by_key(|r| phase_rank(&r.phase));
    merged.skipped.sort_by_key(|s| phase_rank(&s.phase));
    merged.not_tried.sort_by_key(|n| phase_rank(&n.phase));
    Ok(merged)
}

/// Adds one shard's findings to `merged`.
fn add(merged: &mut Report, report: &Report) {
    merged.failed |= report.failed;
    merged.operations.extend(report.operations.clone());
    merged.roles.extend(report.roles.clone());
    for (check, total) in &report.checks {
        let sum = merged.checks.entry(check.clone()).or_default();
        sum.failed += total.failed;
        sum.warnings += total.warnings;
        sum.operations.extend(total.operations.iter().cloned());
    }
    merged.records.extend(report.records.iter().cloned());
    merged.skipped.extend(report.skipped.iter().cloned());
    merged.not_tried.extend(report.not_tried.iter().cloned());
    merged.leftovers.extend(report.leftovers.iter().cloned());
    for o in &report.overrides {
        let same = |m: &&mut super::doc::Override| {
            (&m.finding, &m.operation, &m.at) == (&o.finding, &o.operation, &o.at)
        };
        match merged.overrides.iter_mut().find(same) {
            Some(m) if m.state == "not-exercised" => *m = o.clone(),
            Some(_) => {}
            None => merged.overrides.push(o.clone()),
        }
    }
}

/// The shards sorted by index, checked to be every shard of one count exactly once.
fn in_shard_order(shards: Vec<(PathBuf, Report)>) -> Result<Vec<(PathBuf, Report)>, MergeError> {
    let mut by_index: BTreeMap<u32, (PathBuf, Report)> = BTreeMap::new();
    let mut first: Option<(PathBuf, u32)> = None;
    for (path, report) in shards {
        let Some(shard) = report.shard else {
            return Err(MergeError::NotSharded { path });
        };
        let (first_path, count) = first.get_or_insert((path.clone(), shard.count)).clone();
        if shard.count != count {
            let (what, found, expected) = ("the shard count", shard.count, count);
            let (found, expected, first) = (found.to_string(), expected.to_string(), first_path);
            return Err(MergeError::OtherRun { path, what, found, expected, first });
        }
        if let Some((other, _)) = by_index.get(&shard.index) {
            let (other, index) = (other.clone(), shard.index);
            return Err(MergeError::SameShard { path, index, count, other });
        }
        by_index.insert(shard.index, (path, report));
    }
    let count = first.map_or(0, |(_, count)| count);
    let missing: Vec<String> =
        (1..=count).filter(|i| !by_index.contains_key(i)).map(|i| i.to_string()).collect();
    if !missing.is_empty() {
        return Err(MergeError::Missing { missing: missing.join(", "), count });
    }
    Ok(by_index.into_values().collect())
}

/// Checks that `report` is a shard of the same run as `first`.
fn same_run(
    first_path: &Path,
    first: &Report,
    path: &Path,
    report: &Report,
) -> Result<(), MergeError> {
    let pairs = [
        ("the spec", first.spec.clone(), report.spec.clone()),
        ("the seed", first.seed.to_string(), report.seed.to_string()),
    ];
    for (what, expected, found) in pairs {
        if expected != found {
            let (path, first) = (path.to_path_buf(), first_path.to_path_buf());
            return Err(MergeError::OtherRun { path, what, found, expected, first });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A shard's report with one passing record of `operation`.
    fn shard(index: u32, count: u32, operation: &str, seed: u64) -> (PathBuf, Report) {
        let record = json!({
            "operation": operation, "name": "examples #0", "phase": "examples",
            "method": "GET", "path": "/x", "microversion": null, "status": 200,
            "elapsed_ms": 1.0, "failed": false, "error": null, "findings": [],
            "acknowledged": [], "curl": "curl http://h/x", "seed": seed,
            "rerun": "stackspec conform --spec s.yaml"
        });
        let report = json!({
            "schema_version": 1, "spec": "s.yaml", "url": "http://h", "seed": seed,
            "failed": index == 2, "started_unix_ms": 1000 + u64::from(index), "elapsed_ms": 10.0,
            "operations": {operation: {"cases": 1, "passed": 1, "failed": 0, "warnings": 0,
                "statuses": {"200": 1}, "acknowledged": {}, "exercised": true}},
            "checks": {"transport": {"failed": 1, "warnings": 0, "operations": [operation]}},
            "records": [record], "skipped": [], "not_tried": [],
            "overrides": [{"finding": "F1", "title": "t", "operation": "b", "at": "o.yaml:1",
                "why": "w", "state": if operation == "b" { "stale" } else { "not-exercised" }}],
            "roles": {}, "shard": {"index": index, "count": count},
            "leftovers": [{"operation": operation, "path": "/x/1", "id": "1", "why": "w"}]
        });
        (format!("shard-{index}.json").into(), serde_json::from_value(report).unwrap())
    }

    #[test]
    fn every_shard_once_merges_into_one_run_in_shard_order() {
        let merged = merge(vec![shard(2, 2, "b", 1), shard(1, 2, "a", 1)]).unwrap();
        let ops: Vec<&str> = merged.records.iter().map(|r| r.operation.as_str()).collect();
        assert_eq!(ops, ["a", "b"]);
        assert!(merged.failed, "a failing shard fails the run");
        assert_eq!(merged.checks["transport"].failed, 2);
        assert_eq!(merged.checks["transport"].operations, ["a".into(), "b".into()].into());
        assert_eq!(merged.overrides.len(), 1);
        assert_eq!(merged.overrides[0].state, "stale", "the shard that ran `b` decides");
        assert_eq!((merged.started_unix_ms, merged.elapsed_ms), (1001, 11.0));
        assert!(merged.shard.is_none());
        let left: Vec<&str> = merged.leftovers.iter().map(|l| l.operation.as_str()).collect();
        assert_eq!(left, ["a", "b"], "every shard's resources not deleted are kept");
    }

    #[test]
    fn an_incomplete_or_mixed_set_of_shards_is_refused() {
        let err = |shards| merge(shards).unwrap_err().to_string();
        assert_eq!(
            err(vec![shard(2, 3, "b", 1)]),
            "shards 1, 3 of 3 are missing: every shard's report is needed"
        );
        assert!(err(vec![shard(1, 2, "a", 1), shard(1, 2, "b", 1)])
            .starts_with("shard-1.json: shard 1/2 again"));
        assert!(err(vec![shard(1, 2, "a", 1), shard(2, 2, "b", 9)])
            .starts_with("shard-2.json: the seed is `9`, but `1` in shard-1.json"));
        assert!(err(vec![shard(1, 2, "a", 1), shard(2, 3, "b", 1)])
            .starts_with("shard-2.json: the shard count is `3`"));
        assert!(err(vec![shard(1, 2, "a", 1), shard(2, 2, "a", 1)])
            .starts_with("shard-2.json: operation `a` is also in shard-1.json"));
        let (path, mut whole) = shard(1, 1, "a", 1);
        whole.shard = None;
        assert!(err(vec![(path, whole)])
            .ends_with("not the report of a shard (the run had no --shard)"));
    }
}
