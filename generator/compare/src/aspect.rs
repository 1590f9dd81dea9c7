//! The aspects of a field that are compared (type, nullability, presence, ...) and how each
//! reads in a report.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::fields::Facts;

/// What of a field is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aspect {
    /// Whether a status is documented (on [`Location::Response`] with an empty path).
    Status,
    /// Whether the field exists at all.
    Presence,
    Type,
    Nullable,
    Required,
    Enum,
    Format,
    MinItems,
}

impl Aspect {
    pub(crate) const OF_FIELDS: [Aspect; 7] = [
        Aspect::Presence,
        Aspect::Type,
        Aspect::Nullable,
        Aspect::Required,
        Aspect::Enum,
        Aspect::Format,
        Aspect::MinItems,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Aspect::Status => "status",
            Aspect::Presence => "presence",
            Aspect::Type => "type",
            Aspect::Nullable => "nullable",
            Aspect::Required => "required",
            Aspect::Enum => "enum",
            Aspect::Format => "format",
            Aspect::MinItems => "minItems",
        }
    }

    /// How this aspect of `facts` reads in a report.
    pub(crate) fn value(self, facts: Option<&Facts>) -> String {
        let Some(f) = facts else { return "absent".into() };
        let list = |set: &BTreeSet<String>| set.iter().cloned().collect::<Vec<_>>().join(" | ");
        match self {
            Aspect::Status | Aspect::Presence => "present".into(),
            Aspect::Type if f.types.is_empty() => "any".into(),
            Aspect::Type => list(&f.types),
            Aspect::Nullable => if f.nullable { "nullable" } else { "not nullable" }.into(),
            Aspect::Required => if f.required { "required" } else { "optional" }.into(),
            Aspect::Enum => f.enumeration.as_ref().map_or("any value".into(), list),
            Aspect::Format => f.format.clone().unwrap_or_else(|| "none".into()),
            Aspect::MinItems => f.min_items.map_or("none".into(), |n| n.to_string()),
        }
    }
}
