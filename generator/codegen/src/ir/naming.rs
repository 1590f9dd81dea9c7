//! How declared types are named and shared (the rules are in the crate's README, "Naming
//! rules"). A schema that needs a declaration is named after what it is: the property,
//! list or key it sits under (`flavor` → `Flavor`, the items of `tasks` → `Task`), the
//! resource its operation's path names, or, for an operation's own request and response
//! bodies, the operation. Parts that are structurally equal (the same Rust type, doc
//! comments aside) are declared once.
//!
//! Where parts of different shapes want one plain name (nova's `flavor` is sparse in a
//! list and full in a show), the fullest shape gets it and the others are qualified. That
//! takes knowing every shape first, so the model is built twice: the first build
//! [`Survey`]s who wants what, and the second names by the resulting [`Owners`].

use std::collections::HashMap;

use super::TypeKind;
use crate::names::{join, singular};

/// How a schema that needs a declaration wants to be named.
#[derive(Debug, Clone)]
pub(crate) enum Hint {
    /// A part of something else (a property, the items of a list, a map's values, a union's
    /// branch), named after its key: shared with every structurally equal part, and
    /// qualified by its parents' names where another shape took the plain one.
    Part(String),
    /// An operation's own body (`CreateTaskRequest`): exactly this name, never shared, so
    /// that the body a method takes or returns is always named after that method.
    Own(String),
    /// A body that is the resource its path names (glance's `GET /v2/tasks/{task_id}`
    /// answers a task): shared like a part, named `base`, else `fallback`.
    Resource { base: String, fallback: String },
}

impl Hint {
    /// The name the members of the type are qualified with when they need qualifying.
    pub fn base(&self) -> &str {
        match self {
            Self::Part(base) | Self::Own(base) | Self::Resource { base, .. } => base,
        }
    }

    /// The hint for the items of a list this hint names: the singular of the name (`tasks`
    /// → `Task`), or `...Item` where the name does not read as a plural.
    pub fn items(&self) -> Self {
        let base = self.base();
        Self::Part(singular(base).unwrap_or_else(|| format!("{base}Item")))
    }

    /// The hint for the values of a map this hint names.
    pub fn values(&self) -> Self {
        Self::Part(format!("{}Value", self.base()))
    }

    fn shared(&self) -> bool {
        !matches!(self, Self::Own(_))
    }

    /// The names to try, best first. A part's plain name comes first, then the name
    /// qualified by each enclosing name in turn (`ServerFlavor`, `ShowServerFlavor`); a
    /// string enum starts qualified, as `Status` or `Type` alone says little.
    fn candidates(&self, context: &[String], kind: &TypeKind) -> Vec<String> {
        match self {
            Self::Own(name) => vec![name.clone()],
            Self::Resource { base, fallback } => vec![base.clone(), fallback.clone()],
            Self::Part(base) => {
                let mut out = Vec::with_capacity(context.len() + 1);
                if !matches!(kind, TypeKind::StringEnum { .. }) || context.is_empty() {
                    out.push(base.clone());
                }
                let mut qualified = base.clone();
                for parent in context.iter().rev() {
                    qualified = join(parent, &qualified);
                    if !out.contains(&qualified) {
                        out.push(qualified.clone());
                    }
                }
                out
            }
        }
    }
}

/// The declared types' names by shape, and the names of the types being built around the
/// current one (outermost first), which qualify a name another shape already took.
#[derive(Debug, Default)]
pub(crate) struct Naming {
    by_shape: HashMap<String, String>,
    context: Vec<String>,
    owners: Owners,
    survey: Survey,
}

/// What the first build saw: the type each pointer was declared as, and for each type the
/// plain name it wanted, how many members it has, and in which order it came.
#[derive(Debug, Default)]
pub(crate) struct Survey {
    type_at: HashMap<String, String>,
    wants: Vec<(String, String, usize)>,
}

/// Which type of the first build owns each contested plain name, and which first-build
/// type each pointer is.
#[derive(Debug, Default, Clone)]
pub(crate) struct Owners {
    type_at: HashMap<String, String>,
    owner: HashMap<String, String>,
}

impl Survey {
    /// The owner of each plain name: the wanting type with the most members, the first of
    /// them on a tie (document order), so that names are deterministic.
    pub fn owners(self) -> Owners {
        let mut owner: HashMap<String, (String, usize)> = HashMap::new();
        for (base, name, size) in self.wants {
            let best = owner.entry(base).or_insert_with(|| (name.clone(), size));
            if size > best.1 {
                *best = (name, size);
            }
        }
        let owner = owner.into_iter().map(|(base, (name, _))| (base, name)).collect();
        Owners { type_at: self.type_at, owner }
    }
}

/// What to declare a type as: an existing type of the same shape, or a new one to claim
/// one of these names for.
pub(crate) enum Decision {
    Existing(String),
    New(Vec<String>),
}

impl Naming {
    /// Naming by the owners a first build found ([`Survey::owners`]).
    pub fn with_owners(owners: Owners) -> Self {
        Self { owners, ..Self::default() }
    }

    pub fn into_survey(self) -> Survey {
        self.survey
    }

    /// Members built from here on are inside `name`.
    pub fn enter(&mut self, name: &str) {
        self.context.push(name.to_string());
    }

    pub fn leave(&mut self) {
        self.context.pop();
    }

    /// How to declare `kind`, found at `pointer`: as the existing type of its shape, or as
    /// a new type under the first free of some names (its plain name only if no fuller
    /// shape owns it).
    pub fn decide(&self, hint: &Hint, kind: &TypeKind, pointer: &str) -> Decision {
        if let Some(name) = self.by_shape.get(&shape(kind)).filter(|_| hint.shared()) {
            return Decision::Existing(name.clone());
        }
        let mut candidates = hint.candidates(&self.context, kind);
        let first_build_type = self.owners.type_at.get(pointer);
        let owned_by_other = |name: &String| {
            self.owners.owner.get(name).is_some_and(|owner| Some(owner) != first_build_type)
        };
        if candidates.len() > 1 && owned_by_other(&candidates[0]) {
            candidates.remove(0);
        }
        Decision::New(candidates)
    }

    /// Records that the type at `pointer` is `name`, declared as `kind` (`new`) or found
    /// declared; a new shared one is there for parts of the same shape to share.
    pub fn declared(&mut self, hint: &Hint, kind: &TypeKind, pointer: &str, name: &str, new: bool) {
        self.survey.type_at.insert(pointer.to_string(), name.to_string());
        if !new || !hint.shared() {
            return;
        }
        self.by_shape.entry(shape(kind)).or_insert_with(|| name.to_string());
        let plain = hint.candidates(&[], kind).into_iter().next();
        if let Some(plain) =
            plain.filter(|p| hint.candidates(&self.context, kind).first() == Some(p))
        {
            self.survey.wants.push((plain, name.to_string(), size(kind)));
        }
    }

    /// Records a component schema, which a structurally equal part becomes.
    pub fn component(&mut self, kind: &TypeKind, name: &str) {
        self.by_shape.entry(shape(kind)).or_insert_with(|| name.to_string());
    }
}

/// How many members a type has: the measure of the fullest shape.
fn size(kind: &TypeKind) -> usize {
    match kind {
        TypeKind::Struct { fields, .. } => fields.len(),
        TypeKind::StringEnum { variants } => variants.len(),
        TypeKind::Tagged { variants } | TypeKind::Untagged { variants } => variants.len(),
        TypeKind::Alias { .. } => 0,
    }
}

/// The type's shape: everything the Rust type is made of except its doc comments.
fn shape(kind: &TypeKind) -> String {
    let mut kind = kind.clone();
    match &mut kind {
        TypeKind::Struct { fields, .. } => fields.iter_mut().for_each(|f| f.doc.clear()),
        TypeKind::StringEnum { variants } => variants.iter_mut().for_each(|v| v.doc.clear()),
        TypeKind::Tagged { variants } | TypeKind::Untagged { variants } => {
            variants.iter_mut().for_each(|v| v.doc.clear())
        }
        TypeKind::Alias { .. } => {}
    }
    format!("{kind:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey(wants: &[(&str, &str, usize)]) -> Owners {
        let wants = wants.iter().map(|(b, n, s)| (b.to_string(), n.to_string(), *s)).collect();
        Survey { type_at: HashMap::new(), wants }.owners()
    }

    #[test]
    fn the_fullest_shape_owns_a_plain_name_and_the_first_wins_a_tie() {
        let owners = survey(&[
            ("Flavor", "Flavor", 3),
            ("Flavor", "ShowFlavorOutputFlavor", 9),
            ("Flavor", "ListFlavorsOutputFlavor", 9),
            ("Server", "Server", 2),
            ("Server", "UpdateServerOutputServer", 2),
        ]);
        assert_eq!(owners.owner["Flavor"], "ShowFlavorOutputFlavor");
        assert_eq!(owners.owner["Server"], "Server");
    }
}
