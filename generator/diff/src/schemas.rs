//! Two schemas walked side by side: types, properties and their requiredness
//! and microversions, `oneOf`/`anyOf` branches, and the subschemas below (`items`,
//! `additionalProperties`, `allOf`). Constraints and enums have their own modules. Whether a
//! difference hurts depends on the direction: requests must not get stricter, responses must
//! not get looser.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::direction::{Differences, Direction};
use super::resolve::Node;
use super::rules::{self, Rule};
use super::versions::{lowest, within, Lowest};
use super::{constraints, enums, pair_up, Change, DiffError, Paired, Recorder};
use stackspec_model::version::VersionRange;
use stackspec_model::view::{range_of, EXTENSION};

/// One side-by-side walk. `stack` holds the (OLD, NEW) schema pairs being compared, so that
/// recursive components (a server's `links` of servers) are compared once.
pub(crate) struct Walk<'r> {
    recorder: &'r mut Recorder,
    direction: Direction,
    stack: Vec<(String, String)>,
}

impl<'r> Walk<'r> {
    pub fn new(recorder: &'r mut Recorder, direction: Direction) -> Self {
        Self { recorder, direction, stack: Vec::new() }
    }

    /// Compares two schemas that may be `$ref`s.
    pub fn compare(
        &mut self,
        old: &Node,
        new: &Node,
        scope: VersionRange,
    ) -> Result<(), DiffError> {
        let (old, new) = (old.resolve()?, new.resolve()?);
        let pair = (old.pointer.clone(), new.pointer.clone());
        if self.stack.contains(&pair) {
            return Ok(());
        }
        self.stack.push(pair);
        let result = self.compare_resolved(&old, &new, scope);
        self.stack.pop();
        result
    }

    fn compare_resolved(
        &mut self,
        old: &Node,
        new: &Node,
        scope: VersionRange,
    ) -> Result<(), DiffError> {
        if let (Some(was), Some(is)) = (kind(old), kind(new)) {
            if was != is {
                let message = format!("{}type {was} -> {is}", new.label());
                let (request, response) =
                    (&rules::REQUEST_TYPE_CHANGED, &rules::RESPONSE_TYPE_CHANGED);
                // Every integer is a number: widening is harmless in requests, narrowing in
                // responses, and numeric constraints still compare across the two.
                let (rules, numeric) = match (was, is) {
                    ("integer", "number") => ((&rules::REQUEST_TYPE_GENERALIZED, response), true),
                    ("number", "integer") => ((request, &rules::RESPONSE_TYPE_SPECIALIZED), true),
                    _ => ((request, response), false),
                };
                self.record(rules, &new.pointer, message, scope, lowest(scope));
                if !numeric {
                    return Ok(());
                }
            }
        }
        if self.against_branches(old, new, scope)? {
            return Ok(());
        }
        constraints::compare(self, old, new, scope);
        enums::compare(self, old, new, scope);
        self.properties(old, new, scope)?;
        self.branches(old, new, scope)?;
        for key in ["items", "additionalProperties"] {
            if let (Some(o), Some(n)) = (old.child(key), new.child(key)) {
                if o.value.is_object() && n.value.is_object() {
                    self.compare(&o, &n, scope)?;
                }
            }
        }
        self.all_of(old, new, scope)
    }

    /// `allOf` members, keyed as branches are: a member a value must also match.
    fn all_of(&mut self, old: &Node, new: &Node, scope: VersionRange) -> Result<(), DiffError> {
        let old_members = keyed_branches(&old.items("allOf"))?;
        let new_members = keyed_branches(&new.items("allOf"))?;
        for (key, paired) in pair_up(&old_members, &new_members) {
            let (rules, member, verb) = match paired {
                Paired::Old(was) => (
                    (&rules::REQUEST_ALL_OF_MEMBER_REMOVED, &rules::RESPONSE_ALL_OF_MEMBER_REMOVED),
                    was,
                    "removed",
                ),
                Paired::New(is) => (
                    (&rules::REQUEST_ALL_OF_MEMBER_ADDED, &rules::RESPONSE_ALL_OF_MEMBER_ADDED),
                    is,
                    "added",
                ),
                Paired::Both(was, is) => {
                    self.compare(was, is, scope)?;
                    continue;
                }
            };
            let message = format!("{}allOf member `{key}` {verb}", new.label());
            self.record_presence(rules, member, message, scope)?;
        }
        Ok(())
    }

    /// Records the twin of a rule for a property, branch or value that only one side has,
    /// at the microversions that side gives it.
    fn record_presence(
        &mut self,
        rules: (&'static Rule, &'static Rule),
        node: &Node,
        message: String,
        scope: VersionRange,
    ) -> Result<(), DiffError> {
        let affected = lowest(declared_range(node)?);
        self.record(rules, &node.pointer, message, scope, affected);
        Ok(())
    }

    fn properties(&mut self, old: &Node, new: &Node, scope: VersionRange) -> Result<(), DiffError> {
        let required = (required(old), required(new));
        let old_props: BTreeMap<&str, Node> = old.members("properties").into_iter().collect();
        let new_props: BTreeMap<&str, Node> = new.members("properties").into_iter().collect();
        for (name, paired) in pair_up(&old_props, &new_props) {
            if self.off_the_wire(&paired)? {
                continue;
            }
            match paired {
                Paired::Old(was) => {
                    let rules =
                        (&rules::REQUEST_PROPERTY_REMOVED, &rules::RESPONSE_PROPERTY_REMOVED);
                    let message = format!("property `{name}` removed");
                    self.record_presence(rules, was, message, scope)?;
                }
                Paired::New(is) if required.1.contains(name) => {
                    let rules =
                        (&rules::REQUEST_REQUIRED_PROPERTY_ADDED, &rules::RESPONSE_PROPERTY_ADDED);
                    let message = format!("property `{name}` added, required");
                    self.record_presence(rules, is, message, scope)?;
                }
                Paired::New(is) => {
                    let rules = (&rules::REQUEST_PROPERTY_ADDED, &rules::RESPONSE_PROPERTY_ADDED);
                    let message = format!("property `{name}` added");
                    self.record_presence(rules, is, message, scope)?;
                }
                Paired::Both(was, is) => {
                    let requiredness = (required.0.contains(name), required.1.contains(name));
                    self.property(name, (was, is), requiredness, scope)?;
                }
            }
        }
        Ok(())
    }

    /// Whether a property never travels this way on either side that has it: a `readOnly`
    /// one is not sent in requests, a `writeOnly` one not returned in responses, so its
    /// presence and requiredness there concern no client. A property that gains or loses the
    /// flag is still compared (`constraints` reports the flip).
    fn off_the_wire(&self, paired: &Paired<Node>) -> Result<bool, DiffError> {
        let keyword = self.direction.pick("readOnly", "writeOnly");
        let off = |node: &Node| flagged(node, keyword);
        Ok(match paired {
            Paired::Old(node) | Paired::New(node) => off(node)?,
            Paired::Both(was, is) => off(was)? && off(is)?,
        })
    }

    /// A property both sides have: its requiredness, its microversions and its schema.
    fn property(
        &mut self,
        name: &str,
        (was, is): (&Node, &Node),
        (was_required, is_required): (bool, bool),
        scope: VersionRange,
    ) -> Result<(), DiffError> {
        let range = declared_range(is)?;
        let requiredness = match (was_required, is_required) {
            (false, true) => Some((
                (&rules::REQUEST_PROPERTY_MADE_REQUIRED, &rules::RESPONSE_PROPERTY_MADE_REQUIRED),
                "required",
            )),
            (true, false) => Some((
                (&rules::REQUEST_PROPERTY_MADE_OPTIONAL, &rules::RESPONSE_PROPERTY_MADE_OPTIONAL),
                "optional",
            )),
            _ => None,
        };
        if let Some((rules, now)) = requiredness {
            let message = format!("property `{name}` now {now}");
            self.record(rules, &is.pointer, message, scope, lowest(range));
        }
        if flagged(is, "deprecated")? && !flagged(was, "deprecated")? {
            let rules = (&rules::REQUEST_PROPERTY_DEPRECATED, &rules::RESPONSE_PROPERTY_DEPRECATED);
            let message = format!("property `{name}` now deprecated");
            self.record(rules, &is.pointer, message, scope, lowest(range));
        }
        let range_rules = match (self.direction, is_required) {
            (Direction::Request, false) => (
                &rules::REQUEST_PROPERTY_VERSION_RANGE_NARROWED,
                &rules::REQUEST_PROPERTY_VERSION_RANGE_WIDENED,
            ),
            (Direction::Request, true) => (
                &rules::REQUEST_PROPERTY_VERSION_RANGE_NARROWED,
                &rules::REQUEST_REQUIRED_PROPERTY_VERSION_RANGE_WIDENED,
            ),
            (Direction::Response, _) => (
                &rules::RESPONSE_PROPERTY_VERSION_RANGE_NARROWED,
                &rules::RESPONSE_PROPERTY_VERSION_RANGE_WIDENED,
            ),
        };
        let subject = format!("property `{name}`");
        let ranges = (declared_range(was)?, range);
        self.record_range(range_rules, &subject, &is.pointer, ranges, scope);
        self.compare(was, is, within(scope, range))
    }

    /// `oneOf` and `anyOf` branches, paired across the two keywords: a list of alternatives
    /// that moves from one keyword to the other keeps its branches.
    fn branches(&mut self, old: &Node, new: &Node, scope: VersionRange) -> Result<(), DiffError> {
        let old_branches = keyed_branches(&alternatives(old))?;
        let new_branches = keyed_branches(&alternatives(new))?;
        for (key, paired) in pair_up(&old_branches, &new_branches) {
            match paired {
                Paired::Old(was) => {
                    let rules = (
                        &rules::REQUEST_ONE_OF_BRANCH_REMOVED,
                        &rules::RESPONSE_ONE_OF_BRANCH_REMOVED,
                    );
                    let message = format!("{} removed", branch_subject(was, key));
                    self.record_presence(rules, was, message, scope)?;
                }
                Paired::New(is) => {
                    let rules =
                        (&rules::REQUEST_ONE_OF_BRANCH_ADDED, &rules::RESPONSE_ONE_OF_BRANCH_ADDED);
                    let message = format!("{} added", branch_subject(is, key));
                    self.record_presence(rules, is, message, scope)?;
                }
                Paired::Both(was, is) => self.branch(&branch_subject(is, key), (was, is), scope)?,
            }
        }
        Ok(())
    }

    /// A branch both sides have: its microversions and its schema.
    fn branch(
        &mut self,
        subject: &str,
        (was, is): (&Node, &Node),
        scope: VersionRange,
    ) -> Result<(), DiffError> {
        let range_rules = self.direction.pick(
            (
                &rules::REQUEST_ONE_OF_BRANCH_VERSION_RANGE_NARROWED,
                &rules::REQUEST_ONE_OF_BRANCH_VERSION_RANGE_WIDENED,
            ),
            (
                &rules::RESPONSE_ONE_OF_BRANCH_VERSION_RANGE_NARROWED,
                &rules::RESPONSE_ONE_OF_BRANCH_VERSION_RANGE_WIDENED,
            ),
        );
        let range = declared_range(is)?;
        let ranges = (declared_range(was)?, range);
        self.record_range(range_rules, subject, &is.pointer, ranges, scope);
        self.compare(was, is, within(scope, range))
    }

    /// An object on one side and `oneOf`/`anyOf` alternatives on the other (two blocks came
    /// to document one route): the object is compared with each branch, and a change counts
    /// by what the alternatives still accept or return. Where any branch will do (a request
    /// that now has alternatives, an old response that had them) a change counts only if
    /// every branch has it; otherwise (a response that now has alternatives, a request that
    /// had them) a change in any branch counts. Returns whether the pair was such a pair.
    fn against_branches(
        &mut self,
        old: &Node,
        new: &Node,
        scope: VersionRange,
    ) -> Result<bool, DiffError> {
        let (old_branches, new_branches) = (alternatives(old), alternatives(new));
        let branched_new = match (old_branches.is_empty(), new_branches.is_empty()) {
            (true, false) if old.value.get("properties").is_some() => true,
            (false, true) if new.value.get("properties").is_some() => false,
            _ => return Ok(false),
        };
        let mut per_branch = Vec::new();
        for branch in if branched_new { &new_branches } else { &old_branches } {
            let mut scratch = self.recorder.scratch();
            let mut walk = Walk {
                recorder: &mut scratch,
                direction: self.direction,
                stack: self.stack.clone(),
            };
            match branched_new {
                true => walk.compare(old, branch, scope)?,
                false => walk.compare(branch, new, scope)?,
            }
            per_branch.push(scratch.into_changes());
        }
        let every = branched_new == (self.direction == Direction::Request);
        let same = |a: &Change, b: &Change| a.rule.id == b.rule.id && a.message == b.message;
        let (first, others) = per_branch.split_first().expect("alternatives are not empty");
        let kept = match every {
            true => first
                .iter()
                .filter(|c| others.iter().all(|o| o.iter().any(|d| same(c, d))))
                .cloned()
                .collect(),
            false => per_branch.concat(),
        };
        kept.into_iter().for_each(|c| self.recorder.keep(c));
        Ok(true)
    }
}

impl Differences for Walk<'_> {
    fn direction(&self) -> Direction {
        self.direction
    }

    /// Records the request or response twin of a rule.
    fn record(
        &mut self,
        rules: (&'static Rule, &'static Rule),
        pointer: &str,
        message: String,
        scope: VersionRange,
        affected: Lowest,
    ) {
        let rule = self.direction.pick(rules.0, rules.1);
        self.recorder.record(rule, pointer, message, scope, affected);
    }

    /// Records a range change with the (narrowed, widened) rules already picked for the
    /// direction.
    fn record_range(
        &mut self,
        rules: (&'static Rule, &'static Rule),
        subject: &str,
        pointer: &str,
        ranges: (VersionRange, VersionRange),
        scope: VersionRange,
    ) {
        self.recorder.record_range(rules, subject, pointer, ranges, scope);
    }
}

/// The microversion range a schema declares: on the reference itself (`x-openstack` beside a
/// `$ref`), else on what it refers to.
pub(crate) fn declared_range(node: &Node) -> Result<VersionRange, DiffError> {
    if node.value.get(EXTENSION).is_some() {
        return Ok(range_of(node.value));
    }
    Ok(range_of(node.resolve()?.value))
}

/// A schema's type, inferred from its shape when `type` is left out.
fn kind<'a>(node: &Node<'a>) -> Option<&'a str> {
    node.str("type").or_else(|| {
        let has = |key| node.value.get(key).is_some();
        (has("properties").then_some("object")).or(has("items").then_some("array"))
    })
}

/// Whether a property's flag (`deprecated`, `readOnly`...) is set, beside its `$ref` or on
/// what it refers to.
fn flagged(node: &Node, keyword: &str) -> Result<bool, DiffError> {
    Ok(node.flag(keyword) || node.resolve()?.flag(keyword))
}

fn required<'a>(node: &Node<'a>) -> BTreeSet<&'a str> {
    let items = node.value.get("required").and_then(Value::as_array);
    items.into_iter().flatten().filter_map(Value::as_str).collect()
}

/// The branches of `oneOf`, then those of `anyOf`.
fn alternatives<'a>(node: &Node<'a>) -> Vec<Node<'a>> {
    let mut branches = node.items("oneOf");
    branches.extend(node.items("anyOf"));
    branches
}

/// "oneOf branch `{reboot}`", with the keyword the branch is listed under.
fn branch_subject(branch: &Node, key: &str) -> String {
    let keyword = branch.pointer.rsplit('/').nth(1).unwrap_or("oneOf");
    format!("{keyword} branch `{key}`")
}

/// Branches keyed by what identifies them across versions: the component they refer to, or
/// the property names they require (the nova action body is a `oneOf` of single-key objects
/// such as `{reboot}`), before a title, which is documentation and changes more freely; the
/// position only as a last resort.
fn keyed_branches<'a>(branches: &[Node<'a>]) -> Result<BTreeMap<String, Node<'a>>, DiffError> {
    let mut keyed = BTreeMap::new();
    for (index, branch) in branches.iter().enumerate() {
        let resolved = branch.resolve()?;
        let reference = branch.str("$ref").and_then(|r| r.rsplit('/').next());
        let names = || {
            let required = required(&resolved);
            let names: Vec<&str> = match required.is_empty() {
                false => required.into_iter().collect(),
                true => resolved.members("properties").into_iter().map(|(k, _)| k).collect(),
            };
            (!names.is_empty()).then(|| format!("{{{}}}", names.join(", ")))
        };
        let key = reference
            .map(str::to_string)
            .or_else(names)
            .or_else(|| resolved.str("title").map(str::to_string))
            .or_else(|| resolved.str("type").map(str::to_string))
            .unwrap_or_else(|| format!("#{index}"));
        let key = match keyed.contains_key(&key) {
            true => format!("{key} #{index}"),
            false => key,
        };
        keyed.insert(key, branch.clone());
    }
    Ok(keyed)
}
