//! Parameters of one operation (path-item parameters overridden by the operation's own).
//! Path parameters are matched by their position in the template, since renaming
//! `{id}` to `{server_id}` changes nothing on the wire; the others by location and name
//! (header names without regard to case).

use std::collections::BTreeMap;

use super::direction::Direction;
use super::resolve::Node;
use super::rules;
use super::schemas::{declared_range, Walk};
use super::versions::{lowest, within};
use super::{pair_up, DiffError, Paired, Recorder};
use stackspec_model::version::VersionRange;

/// What identifies a parameter across versions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    /// The n-th `{...}` of the path template.
    Path(usize),
    Named {
        location: String,
        name: String,
    },
}

/// One parameter: where the operation lists it, and what that resolves to.
struct Parameter<'a> {
    listed: Node<'a>,
    resolved: Node<'a>,
}

impl<'a> Parameter<'a> {
    fn describe(&self) -> String {
        let location = self.resolved.str("in").unwrap_or("?");
        let name = self.resolved.str("name").unwrap_or("?");
        format!("{location} parameter `{name}`")
    }

    fn required(&self) -> bool {
        self.resolved.str("in") == Some("path") || self.resolved.flag("required")
    }

    /// The style and explode in effect: OpenAPI's defaults are `form` for query and cookie
    /// parameters, `simple` for path and header ones, and explode only for `form`.
    fn serialization(&self) -> (&str, bool) {
        if self.resolved.child("content").is_some() {
            // The whole value as its media type writes it: no style applies.
            return ("content", false);
        }
        let style = self.resolved.str("style").unwrap_or(match self.resolved.str("in") {
            Some("query" | "cookie") => "form",
            _ => "simple",
        });
        let explode = self.resolved.value.get("explode").and_then(serde_json::Value::as_bool);
        (style, explode.unwrap_or(style == "form"))
    }

    /// The schema: the parameter's own, or its JSON content's (`content` parameters).
    fn schema(&self) -> Option<Node<'a>> {
        let media = || self.resolved.child("content")?.child("application/json");
        self.resolved.child("schema").or_else(|| media()?.child("schema"))
    }

    /// Whether every value the schema allows is a single one (a schema without a type may
    /// be a list).
    fn scalar(&self) -> Result<bool, DiffError> {
        let Some(schema) = self.schema() else { return Ok(false) };
        let schema = schema.resolve()?;
        let branched = ["oneOf", "anyOf", "allOf"].iter().any(|k| schema.value.get(*k).is_some());
        let scalar_type =
            matches!(schema.str("type"), Some("string" | "number" | "integer" | "boolean"));
        Ok(scalar_type && !branched)
    }
}

/// Where an operation sits: its path template, path item and operation object.
pub(crate) struct Site<'s, 'a> {
    pub template: &'s str,
    pub item: &'s Node<'a>,
    pub operation: &'s Node<'a>,
}

pub(crate) fn compare(
    recorder: &mut Recorder,
    old: Site,
    new: Site,
    scope: VersionRange,
) -> Result<(), DiffError> {
    let (old_params, new_params) = (collect(&old)?, collect(&new)?);
    for (_, paired) in pair_up(&old_params, &new_params) {
        let (rule, parameter, verb) = match paired {
            Paired::Old(was) => (&rules::PARAMETER_REMOVED, was, "removed"),
            Paired::New(is) if is.required() => (&rules::REQUIRED_PARAMETER_ADDED, is, "added"),
            Paired::New(is) => (&rules::OPTIONAL_PARAMETER_ADDED, is, "added"),
            Paired::Both(was, is) => {
                compare_one(recorder, was, is, scope)?;
                continue;
            }
        };
        let message = format!("{} {verb}", parameter.describe());
        let affected = lowest(declared_range(&parameter.listed)?);
        recorder.record(rule, &parameter.listed.pointer, message, scope, affected);
    }
    Ok(())
}

fn compare_one(
    recorder: &mut Recorder,
    was: &Parameter,
    is: &Parameter,
    scope: VersionRange,
) -> Result<(), DiffError> {
    let range = declared_range(&is.listed)?;
    let pointer = &is.resolved.pointer;
    let requiredness = match (was.required(), is.required()) {
        (false, true) => Some((&rules::PARAMETER_MADE_REQUIRED, "required")),
        (true, false) => Some((&rules::PARAMETER_MADE_OPTIONAL, "optional")),
        _ => None,
    };
    if let Some((rule, now)) = requiredness {
        let message = format!("{} now {now}", is.describe());
        recorder.record(rule, pointer, message, scope, lowest(range));
    }
    let widened = match is.required() {
        true => &rules::REQUIRED_PARAMETER_VERSION_RANGE_WIDENED,
        false => &rules::PARAMETER_VERSION_RANGE_WIDENED,
    };
    let rules = (&rules::PARAMETER_VERSION_RANGE_NARROWED, widened);
    let ranges = (declared_range(&was.listed)?, range);
    recorder.record_range(rules, &is.describe(), pointer, ranges, scope);
    if is.resolved.flag("deprecated") && !was.resolved.flag("deprecated") {
        let message = format!("{} now deprecated", is.describe());
        recorder.record(&rules::PARAMETER_DEPRECATED, pointer, message, scope, lowest(range));
    }
    serialization(recorder, was, is, scope, range)?;
    allow_reserved(recorder, was, is, scope, range);
    if let (Some(old), Some(new)) = (was.schema(), is.schema()) {
        Walk::new(recorder, Direction::Request).compare(&old, &new, within(scope, range))?;
    }
    Ok(())
}

/// How a parameter is written on the wire: the style and explode in effect, defaults filled
/// in, so that writing out a default changes nothing. A scalar is written the same exploded
/// or not, so explode only counts for a schema that may be a list or an object.
fn serialization(
    recorder: &mut Recorder,
    was: &Parameter,
    is: &Parameter,
    scope: VersionRange,
    range: VersionRange,
) -> Result<(), DiffError> {
    let (old, new) = (was.serialization(), is.serialization());
    let (rule, keyword, before, after) = if old.0 != new.0 {
        (&rules::PARAMETER_STYLE_CHANGED, "style", old.0.to_string(), new.0.to_string())
    } else if old.1 != new.1 && !(was.scalar()? && is.scalar()?) {
        (&rules::PARAMETER_EXPLODE_CHANGED, "explode", old.1.to_string(), new.1.to_string())
    } else {
        return Ok(());
    };
    let message = format!("{} `{keyword}` {before} -> {after}", is.describe());
    recorder.record(rule, &is.resolved.pointer, message, scope, lowest(range));
    Ok(())
}

/// `allowReserved`, which only query parameters have: without it, a `/` or `&` a client
/// sends unencoded is read as a separator.
fn allow_reserved(
    recorder: &mut Recorder,
    was: &Parameter,
    is: &Parameter,
    scope: VersionRange,
    range: VersionRange,
) {
    let allowed =
        |p: &Parameter| p.resolved.str("in") == Some("query") && p.resolved.flag("allowReserved");
    let (rule, now) = match (allowed(was), allowed(is)) {
        (true, false) => (&rules::PARAMETER_ALLOW_RESERVED_REMOVED, "no longer"),
        (false, true) => (&rules::PARAMETER_ALLOW_RESERVED_ADDED, "now"),
        _ => return,
    };
    let message = format!("{} {now} allows reserved characters", is.describe());
    recorder.record(rule, &is.resolved.pointer, message, scope, lowest(range));
}

fn collect<'a>(site: &Site<'_, 'a>) -> Result<BTreeMap<Key, Parameter<'a>>, DiffError> {
    let path_names = stackspec_model::paths::parameter_names(site.template);
    let mut params = BTreeMap::new();
    let listed = site.item.items("parameters").into_iter();
    for listed in listed.chain(site.operation.items("parameters")) {
        let resolved = listed.resolve()?;
        let location = resolved.str("in").unwrap_or_default();
        let name = resolved.str("name").unwrap_or_default();
        let position = path_names.iter().position(|n| *n == name);
        let key = match (location, position) {
            ("path", Some(index)) => Key::Path(index),
            ("header", _) => {
                Key::Named { location: location.into(), name: name.to_ascii_lowercase() }
            }
            _ => Key::Named { location: location.into(), name: name.into() },
        };
        params.insert(key, Parameter { listed, resolved });
    }
    Ok(params)
}
