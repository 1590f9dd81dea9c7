//! Recursive types: a struct that contains itself, directly or through other types, by value
//! has no size. Such fields are boxed; fields behind a `Vec` or a map already live on the heap
//! and stay as they are.

use std::collections::HashMap;

use petgraph::algo::kosaraju_scc;
use petgraph::graphmap::DiGraphMap;

use super::{RustType, TypeDef, TypeKind};

pub(crate) fn box_recursive_fields(types: &mut [TypeDef]) {
    let cycles = Cycles::of(types);
    for def in types.iter_mut() {
        let owner = def.name.clone();
        for ty in member_types_mut(&mut def.kind) {
            if inline_name(ty).is_some_and(|target| cycles.same(target, &owner)) {
                box_in_place(ty);
            }
        }
    }
}

/// Which types hold each other by value, directly or not: the strongly connected components
/// of the "holds by value" graph. A member of type `T` in `Owner` must be boxed when `T`
/// reaches `Owner`, that is when both are in one component. Computed once, in linear time
/// and without recursion (Kosaraju; petgraph's Tarjan recurses, and overflowed the stack
/// on a chain of 20,000 references): asking "does `T` reach `Owner`" per member took
/// quadratic time, over two minutes for a chain of 50,000.
struct Cycles {
    component: HashMap<String, usize>,
}

impl Cycles {
    fn of(types: &[TypeDef]) -> Self {
        let edges: Vec<(String, Vec<String>)> =
            types.iter().map(|t| (t.name.clone(), inline_members(&t.kind))).collect();
        let mut graph = DiGraphMap::<&str, ()>::new();
        for (owner, members) in &edges {
            graph.add_node(owner);
            for member in members {
                // A self-reference is a one-node cycle: keep the edge so it counts as one.
                graph.add_edge(owner, member, ());
            }
        }
        let mut component = HashMap::new();
        for (index, names) in kosaraju_scc(&graph).into_iter().enumerate() {
            let cyclic = names.len() > 1 || graph.contains_edge(names[0], names[0]);
            if cyclic {
                component.extend(names.into_iter().map(|name| (name.to_string(), index)));
            }
        }
        Self { component }
    }

    /// Whether `a` and `b` are on one cycle (`a` and `a`: whether `a` holds itself).
    fn same(&self, a: &str, b: &str) -> bool {
        self.component.get(a).is_some_and(|c| self.component.get(b) == Some(c))
    }
}

/// The named types a type holds by value.
fn inline_members(kind: &TypeKind) -> Vec<String> {
    let mut kind = kind.clone();
    member_types_mut(&mut kind)
        .into_iter()
        .filter_map(|ty| inline_name(ty).map(String::from))
        .collect()
}

fn member_types_mut(kind: &mut TypeKind) -> Vec<&mut RustType> {
    match kind {
        TypeKind::Struct { fields, .. } => fields.iter_mut().map(|f| &mut f.ty).collect(),
        TypeKind::Tagged { variants } | TypeKind::Untagged { variants } => {
            variants.iter_mut().map(|v| &mut v.ty).collect()
        }
        TypeKind::Alias { ty } => vec![ty],
        TypeKind::StringEnum { .. } => Vec::new(),
    }
}

/// The named type held by value: `T` or `Option<T>`.
fn inline_name(ty: &RustType) -> Option<&str> {
    match ty {
        RustType::Named(name) => Some(name),
        RustType::Option(inner) => inline_name(inner),
        _ => None,
    }
}

fn box_in_place(ty: &mut RustType) {
    match ty {
        RustType::Option(inner) => box_in_place(inner),
        named => *named = RustType::Box(Box::new(named.clone())),
    }
}
