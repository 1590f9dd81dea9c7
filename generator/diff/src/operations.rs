//! Paths and operations: which exist on each side, their microversion ranges and deprecation,
//! request bodies, media types, response statuses and headers. Parameters and schemas are
//! compared by their own modules.

use std::collections::BTreeMap;

use super::direction::Direction;
use super::parameters::{self, Site};
use super::resolve::Node;
use super::rules::{self, Rule};
use super::schemas::Walk;
use super::versions::{lowest, within};
use super::{pair_up, DiffError, Operation, Paired, Recorder};
use stackspec_model::paths::route_shape;
use stackspec_model::version::VersionRange;
use stackspec_model::view::range_of;
use stackspec_model::{Spec, METHODS};

/// A path template and its path item, resolved.
type PathEntry<'a> = (&'a str, Node<'a>);

pub(crate) fn compare(old: &Spec, new: &Spec, recorder: &mut Recorder) -> Result<(), DiffError> {
    let (old_paths, new_paths) = (index(old)?, index(new)?);
    let unbounded = VersionRange::default();
    for (_, paired) in pair_up(&old_paths, &new_paths) {
        let (rule, (template, item)) = match paired {
            Paired::Old(entry) => (&rules::PATH_REMOVED, entry),
            Paired::New(entry) => (&rules::PATH_ADDED, entry),
            Paired::Both(was, is) => {
                compare_path(was, is, recorder)?;
                continue;
            }
        };
        recorder.enter(Operation { path: template.to_string(), method: None });
        let message = format!("path {}", verb(rule));
        recorder.record(rule, &item.pointer, message, unbounded, lowest(unbounded));
    }
    Ok(())
}

/// "added" or "removed", for the messages of presence rules.
fn verb(rule: &Rule) -> &'static str {
    match rule.id.ends_with("-added") {
        true => "added",
        false => "removed",
    }
}

/// Paths keyed by their template with parameter names blanked (`/servers/{}`).
fn index(spec: &Spec) -> Result<BTreeMap<String, PathEntry<'_>>, DiffError> {
    let mut paths: BTreeMap<String, PathEntry> = BTreeMap::new();
    for (template, item) in Node::root(spec).members("paths") {
        let normalized = route_shape(template);
        if let Some((first, _)) = paths.get(&normalized) {
            return Err(DiffError::AmbiguousPath {
                file: spec.path.clone(),
                first: first.to_string(),
                second: template.to_string(),
            });
        }
        paths.insert(normalized, (template, item));
    }
    Ok(paths)
}

fn compare_path(
    (old_template, old_item): &PathEntry,
    (new_template, new_item): &PathEntry,
    recorder: &mut Recorder,
) -> Result<(), DiffError> {
    let (old_item, new_item) = (old_item.resolve()?, new_item.resolve()?);
    for method in METHODS {
        recorder.enter(Operation {
            path: new_template.to_string(),
            method: Some(method.to_ascii_uppercase()),
        });
        let (rule, operation) = match (old_item.child(method), new_item.child(method)) {
            (None, None) => continue,
            (Some(was), None) => (&rules::OPERATION_REMOVED, was),
            (None, Some(is)) => (&rules::OPERATION_ADDED, is),
            (Some(was), Some(is)) => {
                let site = |template, item, operation| Site { template, item, operation };
                let old_site = site(old_template, &old_item, &was);
                compare_operation(recorder, old_site, site(new_template, &new_item, &is))?;
                continue;
            }
        };
        let message = format!("operation {}", verb(rule));
        let (scope, affected) = (VersionRange::default(), lowest(range_of(operation.value)));
        recorder.record(rule, &operation.pointer, message, scope, affected);
    }
    Ok(())
}

fn compare_operation(recorder: &mut Recorder, old: Site, new: Site) -> Result<(), DiffError> {
    let (was, is) = (old.operation.clone(), new.operation.clone());
    let scope = range_of(is.value);
    let rules = (&rules::OPERATION_VERSION_RANGE_NARROWED, &rules::OPERATION_VERSION_RANGE_WIDENED);
    let ranges = (range_of(was.value), scope);
    let unbounded = VersionRange::default();
    recorder.record_range(rules, "operation", &is.pointer, ranges, unbounded);
    if is.flag("deprecated") && !was.flag("deprecated") {
        let message = "operation now deprecated".to_string();
        recorder.record(&rules::OPERATION_DEPRECATED, &is.pointer, message, scope, lowest(scope));
    }
    policy(recorder, &was, &is, scope);
    parameters::compare(recorder, old, new, scope)?;
    request_body(recorder, &was, &is, scope)?;
    responses(recorder, &was, &is, scope)
}

/// Compares the default policies the docs state (`x-openstack.policy`). A policy stated
/// where none was counts as a restriction: the docs now reserve the operation. A policy no
/// longer stated is unknown, not relaxed: the docs merely stopped saying, so nothing is
/// reported.
fn policy(recorder: &mut Recorder, was: &Node, is: &Node, scope: VersionRange) {
    let (old, new) = (policy_of(was), policy_of(is));
    let Some(now) = new.map(breadth) else { return };
    let rule = match (old.map_or(UNSTATED, breadth), now) {
        (o, n) if n < o => &rules::OPERATION_POLICY_RESTRICTED,
        (o, n) if n > o => &rules::OPERATION_POLICY_RELAXED,
        _ => return,
    };
    let name = |p: Option<&str>| p.unwrap_or("unstated").to_string();
    let message = format!("default policy {} -> {}", name(old), name(new));
    recorder.record(rule, &is.pointer, message, scope, lowest(scope));
}

fn policy_of<'a>(operation: &Node<'a>) -> Option<&'a str> {
    operation.value.get("x-openstack")?.get("policy")?.as_str()
}

/// The breadth of an operation no policy is stated for: wider than any stated one.
const UNSTATED: u8 = 3;

/// How many users a policy admits, in order: the service role (for service-to-service
/// calls) admits not even admins, so admin -> service is a narrowing. Unknown values sort
/// with unstated.
fn breadth(policy: &str) -> u8 {
    match policy {
        "service" => 0,
        "admin" => 1,
        "admin-or-owner" => 2,
        _ => UNSTATED,
    }
}

fn request_body(
    recorder: &mut Recorder,
    was: &Node,
    is: &Node,
    scope: VersionRange,
) -> Result<(), DiffError> {
    let (rule, pointer, message): (&Rule, _, _) = match (body(was)?, body(is)?) {
        (None, None) => return Ok(()),
        (None, Some(body)) if body.flag("required") => {
            (&rules::REQUEST_BODY_MADE_REQUIRED, body.pointer, "required request body added")
        }
        (None, Some(body)) => {
            (&rules::REQUEST_BODY_ADDED, body.pointer, "optional request body added")
        }
        (Some(body), None) => (&rules::REQUEST_BODY_REMOVED, body.pointer, "request body removed"),
        (Some(old), Some(new)) => {
            content(recorder, Direction::Request, &old, &new, scope)?;
            match (old.flag("required"), new.flag("required")) {
                (false, true) => {
                    (&rules::REQUEST_BODY_MADE_REQUIRED, new.pointer, "request body now required")
                }
                (true, false) => {
                    (&rules::REQUEST_BODY_MADE_OPTIONAL, new.pointer, "request body now optional")
                }
                _ => return Ok(()),
            }
        }
    };
    recorder.record(rule, &pointer, message.into(), scope, lowest(scope));
    Ok(())
}

fn body<'a>(operation: &Node<'a>) -> Result<Option<Node<'a>>, DiffError> {
    operation.child("requestBody").map(|b| b.resolve()).transpose()
}

fn responses(
    recorder: &mut Recorder,
    was: &Node,
    is: &Node,
    scope: VersionRange,
) -> Result<(), DiffError> {
    let old_responses: BTreeMap<&str, Node> = was.members("responses").into_iter().collect();
    let new_responses: BTreeMap<&str, Node> = is.members("responses").into_iter().collect();
    for (status, paired) in pair_up(&old_responses, &new_responses) {
        let success = status.starts_with('2');
        let (rule, response) = match (paired, success) {
            (Paired::Old(response), true) => (&rules::SUCCESS_STATUS_REMOVED, response),
            (Paired::Old(response), false) => (&rules::ERROR_STATUS_REMOVED, response),
            (Paired::New(response), true) => (&rules::SUCCESS_STATUS_ADDED, response),
            (Paired::New(response), false) => (&rules::ERROR_STATUS_ADDED, response),
            (Paired::Both(old, new), _) => {
                let (old, new) = (old.resolve()?, new.resolve()?);
                headers(recorder, &old, &new, scope)?;
                content(recorder, Direction::Response, &old, &new, scope)?;
                continue;
            }
        };
        let message = format!("status {status} {}", verb(rule));
        // A status answered only from some microversion on (`202 (microversion 2.101 - )`)
        // affects no client below it.
        let affected = lowest(within(scope, range_of(response.resolve()?.value)));
        recorder.record(rule, &response.pointer, message, scope, affected);
    }
    Ok(())
}

/// The headers of a response (names without regard to case), and their schemas.
fn headers(
    recorder: &mut Recorder,
    was: &Node,
    is: &Node,
    scope: VersionRange,
) -> Result<(), DiffError> {
    let (old_headers, new_headers) = (headers_by_name(was), headers_by_name(is));
    for (name, paired) in pair_up(&old_headers, &new_headers) {
        let (rule, header) = match paired {
            Paired::Old(header) => (&rules::RESPONSE_HEADER_REMOVED, header),
            Paired::New(header) => (&rules::RESPONSE_HEADER_ADDED, header),
            Paired::Both(old, new) => {
                let (old, new) = (old.resolve()?, new.resolve()?);
                header_requiredness(recorder, name, &old, &new, scope);
                if let (Some(old), Some(new)) = (old.child("schema"), new.child("schema")) {
                    Walk::new(recorder, Direction::Response).compare(&old, &new, scope)?;
                }
                continue;
            }
        };
        let message = format!("header `{name}` {}", verb(rule));
        recorder.record(rule, &header.pointer, message, scope, lowest(scope));
    }
    Ok(())
}

/// A response header's `required`: a header no longer promised may be missing where clients
/// read it.
fn header_requiredness(
    recorder: &mut Recorder,
    name: &str,
    was: &Node,
    is: &Node,
    scope: VersionRange,
) {
    let (rule, now) = match (was.flag("required"), is.flag("required")) {
        (true, false) => (&rules::RESPONSE_HEADER_MADE_OPTIONAL, "optional"),
        (false, true) => (&rules::RESPONSE_HEADER_MADE_REQUIRED, "required"),
        _ => return,
    };
    let message = format!("header `{name}` now {now}");
    recorder.record(rule, &is.pointer, message, scope, lowest(scope));
}

fn headers_by_name<'a>(response: &Node<'a>) -> BTreeMap<String, Node<'a>> {
    let headers = response.members("headers").into_iter();
    headers.map(|(name, header)| (name.to_ascii_lowercase(), header)).collect()
}

/// The media types of a request body or response, and their schemas.
fn content(
    recorder: &mut Recorder,
    direction: Direction,
    was: &Node,
    is: &Node,
    scope: VersionRange,
) -> Result<(), DiffError> {
    let old_media: BTreeMap<&str, Node> = was.members("content").into_iter().collect();
    let new_media: BTreeMap<&str, Node> = is.members("content").into_iter().collect();
    for (media, paired) in pair_up(&old_media, &new_media) {
        let (rule, node) = match paired {
            Paired::Old(old) => (
                direction
                    .pick(&rules::REQUEST_MEDIA_TYPE_REMOVED, &rules::RESPONSE_MEDIA_TYPE_REMOVED),
                old,
            ),
            Paired::New(new) => (
                direction.pick(&rules::REQUEST_MEDIA_TYPE_ADDED, &rules::RESPONSE_MEDIA_TYPE_ADDED),
                new,
            ),
            Paired::Both(old, new) => {
                if let (Some(old), Some(new)) = (old.child("schema"), new.child("schema")) {
                    Walk::new(recorder, direction).compare(&old, &new, scope)?;
                }
                continue;
            }
        };
        let message = format!("media type `{media}` {}", verb(rule));
        recorder.record(rule, &node.pointer, message, scope, lowest(scope));
    }
    Ok(())
}
