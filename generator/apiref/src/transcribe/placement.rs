//! Where each flat body parameter lives. os-api-ref lists body parameters flat and in
//! depth-first order (a container, then its members), so a name is placed where the samples
//! have it, preferring the place nearest the parameter listed before it; a dotted name
//! (`events.event`) is placed exactly; a name the samples never show becomes a sibling of the
//! parameter before it. `x.key`/`x.value` entries document a map's keys and values, as a
//! step written as a template does (`allocations.{consumer_uuid}.project_id`).

use indexmap::IndexMap;

use super::shape::{display, Kind, Path, Seg, Shape};
use crate::diagnostics::{Diagnostic, DiagnosticKind};
use crate::reader::{ParamDef, ParamRef, ParamType};

/// A body parameter as listed: the reference and the definition it resolved to.
pub type Listed<'a> = (&'a ParamRef, &'a ParamDef);

/// The placed parameters: a tree mirroring the body's structure.
#[derive(Debug, Clone, Default)]
pub struct Field<'a> {
    /// Definitions placed here; more than one when a name is listed once per microversion range.
    pub defs: Vec<Listed<'a>>,
    pub children: IndexMap<String, Field<'a>>,
    pub items: Option<Box<Field<'a>>>,
    /// The values of a map (`x.value`).
    pub values: Option<Box<Field<'a>>>,
    /// What a map's keys are (`x.key`).
    pub key_doc: Option<String>,
    /// This field's name is a sample's key standing for any key of its parent map.
    pub placeholder: bool,
}

impl<'a> Field<'a> {
    fn at_mut(&mut self, path: &[Seg]) -> &mut Field<'a> {
        path.iter().fold(self, |field, seg| match seg {
            Seg::Key(k) => field.children.entry(k.clone()).or_default(),
            Seg::Items => field.items.get_or_insert_with(Box::default),
        })
    }

    fn at(&self, path: &[Seg]) -> Option<&Field<'a>> {
        path.iter().try_fold(self, |field, seg| match seg {
            Seg::Key(k) => field.children.get(k),
            Seg::Items => field.items.as_deref(),
        })
    }

    /// The type the definitions placed here declare; none for `Any`, whose kind the samples
    /// decide as they do for an undeclared type.
    pub fn declared_type(&self) -> Option<ParamType> {
        self.defs.last().and_then(|(_, d)| d.ty).filter(|ty| *ty != ParamType::Any)
    }
}

/// Places `params` (in listed order) using the samples' merged `shape`; where the list's
/// order leaves a place open, says so in `diagnostics`.
pub fn place<'a>(
    params: &[Listed<'a>],
    shape: Option<&Shape>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Field<'a> {
    let empty = Shape::default();
    let shape = shape.unwrap_or(&empty);
    let mut root = Field::default();
    let mut prev: Option<Path> = None;
    let listed = listed_names(params);
    for (i, &(r, def)) in params.iter().enumerate() {
        let name = r.wire_name.as_str();
        let placed =
            if name.contains('.') {
                explicit(name, shape, prev.as_deref(), &root)
            } else if let Some(map) = map_entry(name, shape, prev.as_deref(), &root) {
                if name == "key" {
                    Placed::MapKeys(map)
                } else {
                    Placed::MapValues(map)
                }
            } else if let Some(path) = placeholder(i, params, shape, prev.as_deref()) {
                Placed::Placeholder(path)
            } else {
                let known = locate_known(name, shape, prev.as_deref(), &root);
                Placed::At(known.unwrap_or_else(|| {
                    unseen(i, params, shape, prev.as_deref(), &root, diagnostics)
                }))
            };
        match placed {
            Placed::At(path) => {
                let (path, map_key) = through_keyed_map(path, shape, &root, &listed);
                if let Some(map_key) = map_key {
                    root.at_mut(&map_key).placeholder = true;
                }
                for end in template_key_ends(&path) {
                    root.at_mut(&path[..end]).placeholder = true;
                }
                root.at_mut(&path).defs.push((r, def));
                prev = Some(path);
            }
            Placed::Placeholder(path) => {
                let field = root.at_mut(&path);
                field.defs.push((r, def));
                field.placeholder = true;
                prev = Some(path);
            }
            Placed::MapKeys(map) => root.at_mut(&map).key_doc = Some(def.description.clone()),
            Placed::MapValues(map) => {
                let values = root.at_mut(&map).values.get_or_insert_with(Box::default);
                values.defs.push((r, def));
            }
        }
    }
    root
}

/// Where the path's steps written as templates end (`{consumer_uuid}` in
/// `allocations.{consumer_uuid}.project_id`): each stands for any key of its map.
fn template_key_ends(path: &[Seg]) -> Vec<usize> {
    let template = |k: &str| k.len() > 2 && k.starts_with('{') && k.ends_with('}');
    let ends = path.iter().enumerate();
    ends.filter(|(_, s)| matches!(s, Seg::Key(k) if template(k))).map(|(i, _)| i + 1).collect()
}

/// Every name the list mentions, each step of a dotted name included.
fn listed_names<'a>(params: &[Listed<'a>]) -> Vec<&'a str> {
    params.iter().flat_map(|(r, _)| r.wire_name.split('.')).collect()
}

/// A documented object whose sample keys are all undocumented and whose values are all
/// objects is a map keyed by data (host names, UUIDs: `{"log": {"samplehost0": {...}}}` with
/// `log`, `errors`, `state` listed). A member found under one of its keys documents the map's
/// values: the key becomes a placeholder, and always the same one (the first the samples
/// show), so that which hosts a sample names never changes the schema. The body's root is
/// not a documented object: an undocumented key there is a wrapper, not data.
/// Returns the path to place at and, if it goes through such a map, the placeholder's path.
fn through_keyed_map(
    mut path: Path,
    shape: &Shape,
    root: &Field<'_>,
    listed: &[&str],
) -> (Path, Option<Path>) {
    for at in 1..path.len().saturating_sub(1) {
        let container = &path[..at];
        let Seg::Key(key) = &path[at] else { continue };
        let documented = root.at(container).is_some_and(|f| !f.defs.is_empty());
        if !documented || listed.contains(&key.as_str()) {
            continue;
        }
        if let Some(first) = shape.at(container).and_then(|map| keyed_map_first_key(map, listed)) {
            path[at] = Seg::Key(first);
            let placeholder = path[..=at].to_vec();
            return (path, Some(placeholder));
        }
    }
    (path, None)
}

/// For a shape keyed by data, the first key. Its keys are all undocumented, its values all
/// objects, and its entries alike: several entries share a member (keystone's `scope` has
/// `system: {all}` and `project: {id}`, undocumented fixed names, not data), or the one entry
/// has a digit in its key as host names and ids do (`samplehost0`, a UUID).
fn keyed_map_first_key(map: &Shape, listed: &[&str]) -> Option<String> {
    let undocumented = map.props.keys().all(|k| !listed.contains(&k.as_str()));
    let objects = map.props.values().all(|v| v.single_kind() == Some(Kind::Object));
    let first = map.props.values().next()?;
    let alike = match map.props.len() {
        1 => map.props.keys().any(|k| k.chars().any(|c| c.is_ascii_digit())),
        _ => first
            .props
            .keys()
            .any(|member| map.props.values().all(|v| v.props.contains_key(member))),
    };
    (undocumented && objects && alike).then(|| map.props.keys().next().cloned()).flatten()
}

/// A name no sample has, whose following parameters the samples show under a key nobody
/// documents, names that key: it is a placeholder for a map's keys (nova's `network_label`
/// stands for `private`, `public`, ... in `addresses`). Returns the sample key's path.
fn placeholder(
    i: usize,
    params: &[Listed<'_>],
    shape: &Shape,
    prev: Option<&[Seg]>,
) -> Option<Path> {
    let name = params[i].0.wire_name.as_str();
    if !shape.paths_named(name).is_empty() {
        return None;
    }
    let listed: Vec<&str> =
        params.iter().map(|(r, _)| r.wire_name.split('.').next().unwrap_or("")).collect();
    let (_, next) = next_shown(&params[i + 1..], shape)?;
    // The placeholder is a member of the parameter before it, or its sibling.
    let containers = prev.map(<[Seg]>::to_vec).into_iter().chain([sibling_container(prev)]);
    containers.into_iter().find_map(|container| {
        next.iter().find_map(|candidate| match candidate.strip_prefix(container.as_slice())? {
            [Seg::Key(k), _, ..] if !listed.contains(&k.as_str()) && !same_stem(k, name) => {
                let mut path = container.clone();
                path.push(Seg::Key(k.clone()));
                Some(path)
            }
            _ => None,
        })
    })
}

/// The first of `params` that the samples show, with every place they show it.
fn next_shown<'p>(params: &'p [Listed<'_>], shape: &Shape) -> Option<(&'p str, Vec<Path>)> {
    params.iter().find_map(|(r, _)| {
        let found = shape.paths_named(&r.wire_name);
        (!found.is_empty()).then_some((r.wire_name.as_str(), found))
    })
}

/// Where a name no sample shows goes (the `i`th of `params`). os-api-ref lists a container
/// before its members, so a name listed between a container and members the samples show
/// inside it (neutron's `floatingip`, then `tenant_id`, then `floating_network_id`, which
/// the sample has inside `floatingip` only) is a member too; if the next name the samples
/// show would sit beside the container anyway, so does this one. Otherwise it sits beside the
/// parameter before it; when no later name tells, and that one is an object the samples
/// show nothing of and no member is placed in yet, it could as well be its first member,
/// and the warning says so.
fn unseen(
    i: usize,
    params: &[Listed<'_>],
    shape: &Shape,
    prev: Option<&[Seg]>,
    root: &Field<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Path {
    let (r, _) = params[i];
    let mut beside = sibling_container(prev);
    beside.push(Seg::Key(r.wire_name.clone()));
    let Some(prev) = prev else { return beside };
    let mut members = prev.to_vec();
    if is_array(prev, shape, root) {
        members.push(Seg::Items);
    }
    // The next name the samples show goes inside even from beside: so does this one.
    let next = next_shown(&params[i + 1..], shape);
    let next_at =
        next.as_ref().and_then(|(name, _)| locate_known(name, shape, Some(&beside), root));
    let inside = next_at.is_some_and(|p| p.len() > members.len() && p.starts_with(&members));
    let container = is_array(prev, shape, root) || is_object(prev, shape, root);
    if inside || (container && named_after(prev, &r.wire_name, &r.key)) {
        members.push(Seg::Key(r.wire_name.clone()));
        return members;
    }
    let no_members = root.at(prev).is_some_and(|f| f.children.is_empty() && f.items.is_none());
    if next.is_none()
        && is_object(prev, shape, root)
        && no_members
        && !shown_with_content(prev, shape)
    {
        let message = format!(
            "`{}`: no sample shows it and the list does not say whether it is a member of `{}` or beside it; placed beside it",
            r.wire_name,
            display(prev)
        );
        diagnostics.push(Diagnostic::new(DiagnosticKind::Ambiguous, r.location.clone(), message));
    }
    beside
}

/// Whether definition `key` of `name` is named after the container at `prev`: its name, or
/// its singular, then `_name` (cinder's `qos_associations`, then `type: qos_association_type`;
/// keystone's `endpoint`, then `url: endpoint_url`). Parameter files name a container's
/// members so; a name listed after a container with such a definition is one of its members
/// even where no sample shows either.
fn named_after(prev: &[Seg], name: &str, key: &str) -> bool {
    let Some(Seg::Key(container)) = prev.last() else { return false };
    let singular = container.strip_suffix('s').unwrap_or(container);
    [container.as_str(), singular].iter().any(|stem| {
        key.strip_prefix(stem)
            .and_then(|rest| rest.strip_prefix('_'))
            .is_some_and(|rest| rest.starts_with(name))
    })
}

/// `image` and `images`: a documented name that is a misspelling of the sample's key (a
/// documentation error to report), not a placeholder for arbitrary keys.
fn same_stem(a: &str, b: &str) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

/// The container a parameter listed after `prev` sits in when nothing says otherwise: the
/// one `prev` sits in.
fn sibling_container(prev: Option<&[Seg]>) -> Path {
    prev.map(|p| p[..p.iter().rposition(|s| matches!(s, Seg::Key(_))).unwrap_or(0)].to_vec())
        .unwrap_or_default()
}

/// A plain `key` or `value` that no sample has, listed first or after an object (or a member
/// of one): it documents that object's entries, as `extra_specs` then `key`, `value` do.
fn map_entry(name: &str, shape: &Shape, prev: Option<&[Seg]>, root: &Field<'_>) -> Option<Path> {
    if !(name == "key" || name == "value") || !shape.paths_named(name).is_empty() {
        return None;
    }
    let Some(prev) = prev else {
        return Some(Vec::new());
    };
    let is_object = |p: &[Seg]| {
        let declared = root.at(p).and_then(Field::declared_type);
        declared == Some(ParamType::Object) || (declared.is_none() && !p.is_empty())
    };
    if is_object(prev) {
        return Some(prev.to_vec());
    }
    let parent = &prev[..prev.iter().rposition(|s| matches!(s, Seg::Key(_)))?];
    is_object(parent).then(|| parent.to_vec())
}

enum Placed {
    At(Path),
    Placeholder(Path),
    MapKeys(Path),
    MapValues(Path),
}

/// Places `a.b.c`: `a` as a plain name would be, then each further step exactly, stepping
/// into array items wherever the samples or a placed definition say the container is an array.
fn explicit(dotted: &str, shape: &Shape, prev: Option<&[Seg]>, root: &Field<'_>) -> Placed {
    let segments: Vec<&str> = dotted.split('.').collect();
    let mut path: Path = match from_root(&segments, root) {
        Some(first) => first,
        None => locate(segments[0], shape, prev, root),
    };
    if is_array(&path, shape, root) {
        path.push(Seg::Items);
    }
    for (i, seg) in segments.iter().enumerate().skip(1) {
        let last = i + 1 == segments.len();
        if last && (*seg == "key" || *seg == "value") {
            let literal = shape.at(&path).is_some_and(|s| s.props.contains_key(*seg));
            if !literal {
                return if *seg == "key" { Placed::MapKeys(path) } else { Placed::MapValues(path) };
            }
        }
        path.push(Seg::Key((*seg).to_string()));
        if !last && is_array(&path, shape, root) {
            path.push(Seg::Items);
        }
    }
    Placed::At(path)
}

/// The root's `segments[0]`, when the dotted name's first two steps are already placed
/// from the root (`allocations.{consumer_uuid}` before
/// `allocations.{consumer_uuid}.allocations.{resource_provider_uuid}.resources`): the name
/// continues that path, not one of the same name nested nearer the previous parameter.
fn from_root(segments: &[&str], root: &Field<'_>) -> Option<Path> {
    let [first, second, ..] = segments else { return None };
    let field = root.children.get(*first)?;
    let members = [Some(field), field.items.as_deref()];
    let placed = members.into_iter().flatten().any(|f| f.children.contains_key(*second));
    placed.then(|| vec![Seg::Key((*first).to_string())])
}

/// Whether the samples show what the container at `path` holds (members, or items): then a
/// name they do not show there is no more likely inside it than beside it, and the usual
/// choice, beside, needs no warning.
fn shown_with_content(path: &[Seg], shape: &Shape) -> bool {
    shape.at(path).is_some_and(|s| {
        !s.props.is_empty() || s.items.as_ref().is_some_and(|i| !i.kinds.is_empty())
    })
}

/// Whether the parameter at `path` is an object: declared so, else the samples show one.
fn is_object(path: &[Seg], shape: &Shape, root: &Field<'_>) -> bool {
    match root.at(path).and_then(Field::declared_type) {
        Some(declared) => declared == ParamType::Object,
        None => shape.at(path).is_some_and(|s| s.single_kind() == Some(Kind::Object)),
    }
}

fn is_array(path: &[Seg], shape: &Shape, root: &Field<'_>) -> bool {
    let declared = root.at(path).and_then(Field::declared_type);
    match declared {
        Some(ParamType::Array) => true,
        Some(_) => false,
        None => shape.at(path).is_some_and(|s| s.single_kind() == Some(Kind::Array)),
    }
}

/// Places a plain name: where the samples have it nearest the previous parameter, else next
/// to the previous parameter.
fn locate(name: &str, shape: &Shape, prev: Option<&[Seg]>, root: &Field<'_>) -> Path {
    locate_known(name, shape, prev, root).unwrap_or_else(|| {
        let mut sibling = sibling_container(prev);
        sibling.push(Seg::Key(name.to_string()));
        sibling
    })
}

/// Where the samples, or an earlier listing of the same name, put `name`: nearest the
/// previous parameter first.
fn locate_known(name: &str, shape: &Shape, prev: Option<&[Seg]>, root: &Field<'_>) -> Option<Path> {
    let candidates = shape.paths_named(name);
    let prev_keys = prev.map(key_path).unwrap_or_default();
    // Walk from the previous parameter outwards: its members first, then its siblings, ...
    for depth in (0..=prev_keys.len()).rev() {
        let anc = &prev_keys[..depth];
        if let Some(found) = candidates.iter().find(|c| parent_keys(c) == anc) {
            return Some(found.clone());
        }
        // A name listed twice (once per microversion range) goes where it went before.
        let placed = prev
            .and_then(|p| container_of(p, depth))
            .filter(|c| root.at(c).is_some_and(|f| f.children.contains_key(name)));
        if let Some(mut container) = placed {
            container.push(Seg::Key(name.to_string()));
            return Some(container);
        }
    }
    candidates.first().cloned().or_else(|| collection_links(name, shape))
}

/// `servers_links`, which no sample shows, sits beside the `servers` array the samples show:
/// OpenStack's paginated collections put the next-page links of a collection `X` in
/// `X_links` next to it. Without this, where such a field went would depend on whether a
/// sample happened to show it (a newly included sample would move it).
fn collection_links(name: &str, shape: &Shape) -> Option<Path> {
    let collection = name.strip_suffix("_links")?;
    let found = shape.paths_named(collection);
    let array = found.iter().find(|p| shape.at(p).is_some_and(|s| s.items.is_some()))?;
    let mut beside = array[..array.len() - 1].to_vec();
    beside.push(Seg::Key(name.to_string()));
    Some(beside)
}

/// The real path (with `Items` steps) of the container `depth` keys deep on the way to `path`.
fn container_of(path: &[Seg], depth: usize) -> Option<Path> {
    let mut keys = 0;
    let mut out = Vec::new();
    for seg in path {
        if let Seg::Key(_) = seg {
            if keys == depth {
                return Some(out);
            }
            keys += 1;
        }
        out.push(seg.clone());
    }
    (keys == depth).then_some(out)
}

fn key_path(path: &[Seg]) -> Vec<&str> {
    path.iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Items => None,
        })
        .collect()
}

fn parent_keys(path: &[Seg]) -> Vec<&str> {
    let mut keys = key_path(path);
    keys.pop();
    keys
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::diagnostics::Location;
    use crate::reader::{In, Section};
    use serde_json::json;
    use stackspec_model::version::VersionRange;

    /// A required body definition of type `ty` (shared with `body`'s tests).
    pub(in crate::transcribe) fn def(ty: ParamType) -> ParamDef {
        ParamDef {
            key: "k".into(),
            location: In::Body,
            required: true,
            ty: Some(ty),
            description: "d".into(),
            default: None,
            format: None,
            range: VersionRange::default(),
            defined_at: Location::new("p.yaml", 1),
        }
    }

    /// Response references to `names`, in order.
    pub(in crate::transcribe) fn refs(names: &[&str]) -> Vec<ParamRef> {
        names
            .iter()
            .map(|n| ParamRef {
                section: Section::Response,
                wire_name: (*n).into(),
                key: "k".into(),
                file: "p.yaml".into(),
                location: Location::new("x.inc", 1),
                heading_range: VersionRange::default(),
            })
            .collect()
    }

    fn paths(field: &Field<'_>, at: &mut Path, out: &mut Vec<String>) {
        if !field.defs.is_empty() {
            out.push(display(at));
        }
        for (k, child) in &field.children {
            at.push(Seg::Key(k.clone()));
            paths(child, at, out);
            at.pop();
        }
        if let Some(items) = &field.items {
            at.push(Seg::Items);
            paths(items, at, out);
            at.pop();
        }
    }

    fn placed(names: &[&str], types: &[ParamType], sample: serde_json::Value) -> Vec<String> {
        placed_refs(&refs(names), types, Some(&Shape::of(&sample)))
    }

    /// The paths `refs` (of definitions of `types`) are placed at, given the samples' `shape`.
    fn placed_refs(refs: &[ParamRef], types: &[ParamType], shape: Option<&Shape>) -> Vec<String> {
        let defs: Vec<ParamDef> = types.iter().map(|t| def(*t)).collect();
        let listed: Vec<Listed<'_>> = refs.iter().zip(&defs).collect();
        let root = place(&listed, shape, &mut Vec::new());
        let mut out = Vec::new();
        paths(&root, &mut Vec::new(), &mut out);
        out
    }

    #[test]
    fn a_step_written_as_a_template_stands_for_any_key_of_its_map() {
        use ParamType::*;
        let sample = json!({"owners": {"a1": {"name": "x", "pets": {"b2": {"age": 3}}}}});
        let names = ["owners", "owners.{owner_id}.name", "owners.{owner_id}.pets.{pet_id}.age"];
        let refs = refs(&names);
        let defs = [def(Object), def(String), def(Integer)];
        let listed: Vec<Listed<'_>> = refs.iter().zip(&defs).collect();
        let root = place(&listed, Some(&Shape::of(&sample)), &mut Vec::new());
        let owner = &root.children["owners"].children["{owner_id}"];
        assert!(owner.placeholder && owner.children.contains_key("name"));
        let pet = &owner.children["pets"].children["{pet_id}"];
        assert!(pet.placeholder && pet.children.contains_key("age"));
        assert!(!root.children["owners"].placeholder && !owner.children["pets"].placeholder);
    }

    #[test]
    fn a_dotted_name_continues_the_path_its_first_steps_were_placed_at_from_the_root() {
        use ParamType::*;
        let sample = json!({"nodes": {"a1": {"nodes": {"b2": {"size": 3}}}}});
        let names = ["nodes", "nodes.{id}.nodes", "nodes.{id}.nodes.{child}.size"];
        let got = placed(&names, &[Object, Object, Integer], sample);
        assert_eq!(got, ["nodes", "nodes.{id}.nodes", "nodes.{id}.nodes.{child}.size"]);
    }

    #[test]
    fn flat_names_go_inside_the_array_the_sample_shows() {
        use ParamType::*;
        let sample =
            json!({"events": [{"name": "network-changed", "server_uuid": "x", "tag": "t"}]});
        let got = placed(
            &["events", "name", "server_uuid", "tag"],
            &[Array, String, String, String],
            sample,
        );
        assert_eq!(got, ["events", "events[].name", "events[].server_uuid", "events[].tag"]);
    }

    #[test]
    fn the_nearest_occurrence_to_the_previous_parameter_wins() {
        use ParamType::*;
        let sample = json!({"name": "top", "server": {"name": "inner", "id": "1"}, "links": []});
        let got =
            placed(&["server", "id", "name", "links"], &[Object, String, String, Array], sample);
        assert_eq!(got, ["server", "server.id", "server.name", "links"]);
    }

    #[test]
    fn dotted_names_and_names_missing_from_samples() {
        use ParamType::*;
        let sample = json!({"action": {"events": [{"event": "e"}]}});
        let got = placed(
            &["action", "events", "events.event", "events.host"],
            &[Object, Array, String, String],
            sample,
        );
        assert_eq!(
            got,
            ["action", "action.events", "action.events[].event", "action.events[].host"]
        );
    }

    #[test]
    fn plain_key_and_value_after_an_object_document_its_entries() {
        use ParamType::*;
        let refs = refs(&["extra_specs", "key", "value"]);
        let defs = [def(Object), def(String), def(String)];
        let listed: Vec<Listed<'_>> = refs.iter().zip(&defs).collect();
        let root = place(
            &listed,
            Some(&Shape::of(&json!({"extra_specs": {"hw:cpu": "2"}}))),
            &mut Vec::new(),
        );
        let map = &root.children["extra_specs"];
        assert!(map.key_doc.is_some() && map.values.is_some());
        assert_eq!(root.children.len(), 1);
    }

    #[test]
    fn a_name_standing_for_map_keys_is_a_placeholder_but_a_misspelling_is_not() {
        use ParamType::*;
        let sample = json!({"addresses": {"private": [{"addr": "10.0.0.1", "version": 4}]}});
        let names = ["addresses", "network_label", "addr", "version"];
        let refs = refs(&names);
        let defs = [def(Object), def(Array), def(String), def(Integer)];
        let listed: Vec<Listed<'_>> = refs.iter().zip(&defs).collect();
        let root = place(&listed, Some(&Shape::of(&sample)), &mut Vec::new());
        let label = &root.children["addresses"].children["private"];
        assert!(label.placeholder);
        assert_eq!(label.defs[0].0.wire_name, "network_label");
        let got = placed(&["images", "id"], &[Array, String], json!({"image": {"id": "x"}}));
        assert_eq!(got, ["images", "image.id"]);
    }

    /// The response schema of `log` (an object), `errors` and `state` listed, for `sample`.
    fn audit_log_schema(sample: serde_json::Value) -> serde_json::Value {
        use ParamType::*;
        let refs = refs(&["log", "errors", "state"]);
        let defs = [def(Object), def(Integer), def(String)];
        let listed: Vec<Listed<'_>> = refs.iter().zip(&defs).collect();
        let shape = Shape::of(&sample);
        let root = place(&listed, Some(&shape), &mut Vec::new());
        crate::transcribe::body::schema(&root, Some(&shape), Section::Response, &mut Vec::new())
    }

    #[test]
    fn a_documented_object_keyed_by_undocumented_names_is_a_map_of_its_members() {
        let old = json!({"log": {"samplehost0": {"errors": 1, "state": "DONE"}}});
        let new = json!({"log": {
            "2c8ef37b-f0cc": {"errors": 1, "state": "DONE"},
            "60dbe74d-0cf3": {"errors": 2, "state": null}
        }});
        let (old, new) = (audit_log_schema(old), audit_log_schema(new));
        let log = &new["properties"]["log"];
        assert_eq!(log.get("properties"), None, "no host is a fixed property: {log}");
        let values = &log["additionalProperties"];
        assert_eq!(values["properties"]["errors"]["type"], json!("integer"), "{log}");
        assert_eq!(values["properties"]["state"]["nullable"], json!(true), "every host's value");
        assert_eq!(
            old["properties"]["log"]["additionalProperties"]["properties"]["errors"],
            values["properties"]["errors"]
        );
    }

    #[test]
    fn undocumented_keys_that_are_not_data_stay_properties() {
        let wrapper = audit_log_schema(json!({"server": {"log": {"errors": 1, "state": "x"}}}));
        assert!(
            wrapper["properties"]["server"]["properties"]["log"]["properties"]["errors"]
                .is_object(),
            "{wrapper}"
        );
        let mixed = audit_log_schema(json!({"log": {"errors": 1, "extra": {"state": "x"}}}));
        assert!(mixed["properties"]["log"].get("additionalProperties").is_none(), "{mixed}");
        let unlike = json!({"log": {"system": {"state": "x"}, "project": {"errors": 1}}});
        let unlike = audit_log_schema(unlike);
        assert!(unlike["properties"]["log"].get("additionalProperties").is_none(), "{unlike}");
        let named = audit_log_schema(json!({"log": {"current": {"errors": 1, "state": "x"}}}));
        assert!(named["properties"]["log"].get("additionalProperties").is_none(), "{named}");
    }

    #[test]
    fn collection_links_go_beside_their_collection_whether_or_not_a_sample_shows_them() {
        use ParamType::*;
        let names = ["servers", "id", "security_groups", "security_group.name", "servers_links"];
        let types = [Array, String, Array, String, Array];
        let server = json!({"id": "x", "security_groups": [{"name": "default"}]});
        let without = placed(&names, &types, json!({"servers": [server]}));
        let with = placed(&names, &types, json!({"servers": [server], "servers_links": []}));
        assert_eq!(without, with);
        assert_eq!(without.last().map(std::string::String::as_str), Some("servers_links"));
    }

    /// Places `(name, definition key, type)` with no sample at all.
    fn placed_by_keys(list: &[(&str, &str, ParamType)]) -> Vec<String> {
        let names: Vec<&str> = list.iter().map(|(n, ..)| *n).collect();
        let mut refs = refs(&names);
        refs.iter_mut().zip(list).for_each(|(r, (_, key, _))| r.key = (*key).into());
        let types: Vec<ParamType> = list.iter().map(|(.., t)| *t).collect();
        placed_refs(&refs, &types, None)
    }

    #[test]
    fn a_name_whose_definition_is_named_after_the_container_before_it_is_its_member() {
        use ParamType::*;
        let got = placed_by_keys(&[
            ("associations", "associations", Array),
            ("type", "association_type", String),
            ("id", "association_id", String),
        ]);
        assert_eq!(got, ["associations", "associations[].type", "associations[].id"]);
        let got = placed_by_keys(&[
            ("endpoint", "endpoint", Object),
            ("url", "endpoint_url", String),
            ("service_id", "service_id", String),
        ]);
        assert_eq!(got, ["endpoint", "endpoint.url", "endpoint.service_id"]);
        // Named otherwise, or named after it but another name: beside it, as before.
        let got = placed_by_keys(&[
            ("server", "server", Object),
            ("server_groups", "server_groups", Array),
            ("links", "server_links_x", Object),
        ]);
        assert_eq!(got, ["server", "server_groups", "links"]);
    }

    #[test]
    fn a_name_between_a_wrapper_and_members_the_samples_show_in_it_goes_inside() {
        use ParamType::*;
        let sample = json!({"floatingip": {"network_id": "n"}});
        let got = placed(
            &["floatingip", "tenant_id", "project_id", "network_id"],
            &[Object, String, String, String],
            sample,
        );
        assert_eq!(
            got,
            [
                "floatingip",
                "floatingip.tenant_id",
                "floatingip.project_id",
                "floatingip.network_id"
            ]
        );
    }

    #[test]
    fn a_name_whose_next_shown_name_sits_beside_the_container_stays_beside_it() {
        use ParamType::*;
        let sample = json!({"first": "f", "namespaces": [{"schema": "s"}], "schema": "x"});
        let got = placed(
            &["first", "namespaces", "next", "schema"],
            &[String, Array, String, String],
            sample,
        );
        assert_eq!(got, ["first", "namespaces", "next", "schema"]);
    }

    #[test]
    fn a_name_after_an_object_nothing_shows_is_beside_it_with_a_warning() {
        use ParamType::*;
        let refs = refs(&["inventory", "memory"]);
        let defs = [def(Object), def(String)];
        let listed: Vec<Listed<'_>> = refs.iter().zip(&defs).collect();
        let mut diagnostics = Vec::new();
        let root = place(&listed, Some(&Shape::of(&json!({"uuid": "u"}))), &mut diagnostics);
        assert!(root.children.contains_key("memory"));
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].kind, DiagnosticKind::Ambiguous);
        assert!(diagnostics[0].message.contains("member of `inventory` or beside it"));
    }

    #[test]
    fn key_and_value_document_a_map() {
        use ParamType::*;
        let refs = refs(&["extra_specs", "extra_specs.key", "extra_specs.value"]);
        let defs = [def(Object), def(String), def(String)];
        let listed: Vec<Listed<'_>> = refs.iter().zip(&defs).collect();
        let root = place(
            &listed,
            Some(&Shape::of(&json!({"extra_specs": {"hw:cpu": "2"}}))),
            &mut Vec::new(),
        );
        let map = &root.children["extra_specs"];
        assert!(map.key_doc.is_some());
        assert_eq!(map.values.as_ref().unwrap().defs.len(), 1);
        assert!(map.children.is_empty());
    }
}
