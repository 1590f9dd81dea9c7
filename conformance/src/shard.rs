//! `--shard I/N`: one of N disjoint parts of a run, for spreading it over machines (a CI
//! matrix, a Kubernetes Indexed Job) and joining the parts' reports afterwards
//! (`stackspec report merge`).
//!
//! The unit split is a family of operations that share ids: a list teaches the `{id}` of
//! the paths below it, and any response teaches the `*_id` path parameters named like its
//! fields (`phases::values`). An operation whose cases ran on another machine than the one
//! that learnt its ids would get a placeholder's 404 instead, and the sharded verdicts would
//! differ from the unsharded ones. So operations are joined into a family when one path is
//! below the other's collection (the same path up to the first `{param}`) or when they share
//! a path parameter's name; every case of a family (every phase, every draw) runs in one
//! shard, in the order the unsharded run would send it.
//!
//! Ids a response teaches by a field's name (`image_id` in a task) do not join families:
//! that would make most of compute one family (`tenant_id`, `server_id` are everywhere).
//! An operation then learns its id from its own family (the list above it) where the
//! unsharded run may have learnt another one first from elsewhere; which one comes first
//! varies between unsharded runs too, so verdicts, not paths, are what shards keep.
//!
//! Families go to shards by longest-first greedy balancing of their operation counts, ties
//! broken by document order: the split depends only on the spec and the selection (not on
//! the seed or the clock), so every machine computes the same split and the shards'
//! union is the unsharded run.

use std::collections::HashMap;
use std::fmt;

use crate::plan::Model;

/// One part of a run: `index` of `count`, counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

/// Why `--shard` cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--shard `{given}`: expected I/N with 1 <= I <= N (e.g. 2/4; JOB_COMPLETION_INDEX counts from 0, so pass $((JOB_COMPLETION_INDEX + 1))/N)")]
pub struct ShardError {
    given: String,
}

impl std::str::FromStr for Shard {
    type Err = ShardError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let error = || ShardError { given: s.to_string() };
        let (index, count) = s.split_once('/').ok_or_else(error)?;
        let index: u32 = index.trim().parse().map_err(|_| error())?;
        let count: u32 = count.trim().parse().map_err(|_| error())?;
        if index == 0 || index > count {
            return Err(error());
        }
        Ok(Self { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// The operations of `selected` (indexes into `model.operations`, in document order)
    /// that this shard runs, in the same order; `runs(i)`: whether operation `i` is sent at
    /// all (those that change state are not without `--allow-mutations`), what balances.
    pub fn select(
        self,
        model: &Model,
        selected: &[usize],
        runs: impl Fn(usize) -> bool,
    ) -> Vec<usize> {
        let owner = assign(model, selected, self.count, runs);
        selected.iter().copied().filter(|i| owner[i] == self.index - 1).collect()
    }
}

/// The shard (from 0) of each selected operation when split `count` ways, balancing the
/// operations `runs` says are sent.
pub fn assign(
    model: &Model,
    selected: &[usize],
    count: u32,
    runs: impl Fn(usize) -> bool,
) -> HashMap<usize, u32> {
    let weighed: Vec<(usize, Vec<usize>)> = families(model, selected)
        .into_iter()
        .map(|f| (f.iter().filter(|&&i| runs(i)).count(), f))
        .collect();
    let mut weighed = weighed;
    // Heaviest first; among equals, the one whose first operation comes first.
    weighed.sort_by_key(|(weight, f)| (std::cmp::Reverse(*weight), f[0]));
    let mut load = vec![0usize; count.max(1) as usize];
    let mut owner = HashMap::new();
    for (weight, family) in weighed {
        let lightest = (0..load.len()).min_by_key(|&s| (load[s], s)).unwrap_or(0);
        load[lightest] += weight;
        owner.extend(family.into_iter().map(|i| (i, lightest as u32)));
    }
    owner
}

/// The selected operations grouped into families that share ids (see the module's doc),
/// each in document order.
pub fn families(model: &Model, selected: &[usize]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..selected.len()).collect();
    let mut first_with: HashMap<String, usize> = HashMap::new();
    for (k, &i) in selected.iter().enumerate() {
        let op = &model.operations[i];
        let collection = op.path.split("/{").next().unwrap_or_default();
        let keys = std::iter::once(format!("path {collection}"))
            .chain(op.path_parameters().map(|p| format!("param {}", p.name)));
        for key in keys {
            let other = *first_with.entry(key).or_insert(k);
            union(&mut parent, k, other);
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of_root: HashMap<usize, usize> = HashMap::new();
    for (k, &i) in selected.iter().enumerate() {
        let root = find(&mut parent, k);
        let g = *group_of_root.entry(root).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    groups
}

fn find(parent: &mut [usize], mut k: usize) -> usize {
    while parent[k] != k {
        parent[k] = parent[parent[k]];
        k = parent[k];
    }
    k
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    parent[ra.max(rb)] = ra.min(rb);
}

#[cfg(test)]
mod tests {
    use super::*;
    use stackspec_model::Spec;

    /// Three families: things (a list, a show and a sub-resource), a thing's owner
    /// reached by `{thing_id}` from elsewhere, and an unrelated info document.
    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    get: {operationId: list, responses: {'200': {description: ok}}}\n  /things/{thing_id}:\n    get: {operationId: show, parameters: [{name: thing_id, in: path, required: true, schema: {type: string}}], responses: {'200': {description: ok}}}\n  /owners/{thing_id}:\n    get: {operationId: owner, parameters: [{name: thing_id, in: path, required: true, schema: {type: string}}], responses: {'200': {description: ok}}}\n  /info:\n    get: {operationId: info, responses: {'200': {description: ok}}}\n  /other:\n    get: {operationId: other, responses: {'200': {description: ok}}}\n";

    fn model() -> Model {
        Model::new(Spec::parse(std::path::Path::new("t.yaml"), SPEC).unwrap())
    }

    #[test]
    fn operations_that_share_ids_are_one_family() {
        let model = model();
        let all: Vec<usize> = (0..model.operations.len()).collect();
        let ids = |f: &Vec<usize>| -> Vec<&str> {
            f.iter().map(|&i| model.operations[i].id.as_str()).collect()
        };
        let families: Vec<Vec<&str>> = families(&model, &all).iter().map(ids).collect();
        assert_eq!(families, [vec!["list", "show", "owner"], vec!["info"], vec!["other"]]);
    }

    #[test]
    fn every_operation_is_in_exactly_one_shard_and_the_split_is_stable() {
        let model = model();
        let all: Vec<usize> = (0..model.operations.len()).collect();
        for count in 1..=4 {
            let shards: Vec<Vec<usize>> = (1..=count)
                .map(|index| Shard { index, count }.select(&model, &all, |_| true))
                .collect();
            let mut union: Vec<usize> = shards.concat();
            union.sort_unstable();
            assert_eq!(union, all, "{count} shards: {shards:?}");
            let again: Vec<Vec<usize>> = (1..=count)
                .map(|index| Shard { index, count }.select(&model, &all, |_| true))
                .collect();
            assert_eq!(shards, again);
        }
        // The biggest family fills the first shard, the next ones the lightest.
        let two: Vec<Vec<usize>> =
            (1..=2).map(|index| Shard { index, count: 2 }.select(&model, &all, |_| true)).collect();
        assert_eq!(two, [vec![0, 1, 2], vec![3, 4]]);
        // Operations that are not sent weigh nothing: the three-operation family, of
        // which only `list` runs, no longer fills a shard alone.
        let list_runs = |i: usize| i == 0 || i >= 3;
        let two: Vec<Vec<usize>> = (1..=2)
            .map(|index| Shard { index, count: 2 }.select(&model, &all, list_runs))
            .collect();
        assert_eq!(two, [vec![0, 1, 2, 4], vec![3]]);
    }

    #[test]
    fn a_shard_reads_as_i_of_n_counted_from_one() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        for bad in ["0/4", "5/4", "2", "a/4", "2/", "1/0"] {
            let err = bad.parse::<Shard>().unwrap_err().to_string();
            assert!(err.starts_with(&format!("--shard `{bad}`: expected I/N")), "{err}");
        }
    }
}
