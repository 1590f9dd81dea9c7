//! Recursive types: a struct that contains itself, directly or through other types, by value
//! has no size. Such fields are boxed; fields behind a `Vec` or a map already live on the heap
//! and stay as they are.

use std::collections::{HashMap, HashSet};

use super::{RustType, TypeDef, TypeKind};

pub(crate) fn box_recursive_fields(types: &mut [TypeDef]) {
    let edges: HashMap<String, Vec<String>> =
        types.iter().map(|t| (t.name.clone(), inline_members(&t.kind))).collect();
    for def in types.iter_mut() {
        let owner = def.name.clone();
        for ty in member_types_mut(&mut def.kind) {
            if let Some(target) = inline_name(ty) {
                if reaches(&edges, target, &owner) {
                    box_in_place(ty);
                }
            }
        }
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

fn reaches(edges: &HashMap<String, Vec<String>>, from: &str, to: &str) -> bool {
    let mut seen = HashSet::new();
    let mut stack = vec![from];
    while let Some(name) = stack.pop() {
        if name == to {
            return true;
        }
        if seen.insert(name) {
            stack.extend(edges.get(name).into_iter().flatten().map(String::as_str));
        }
    }
    false
}
