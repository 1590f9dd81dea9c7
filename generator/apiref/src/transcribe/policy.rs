//! Who may call an operation by default, as the docs say it in prose. Conformance needs it
//! to expect 403 for a member-only user on admin operations; nothing else in the api-ref
//! says so in a structured way.
//!
//! Recorded as `x-openstack: {policy: admin | admin-or-owner}` on the operation (and on a
//! nova action's `oneOf` branch). Only the docs' own default-policy sentences count:
//! "typically an admin action" and the like are not a statement about the default policy.

use serde_json::{Map, Value};

use crate::reader::plain_words;
use stackspec_model::view::EXTENSION;

/// A default policy the docs state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Only users with the admin role.
    Admin,
    /// Admins, or the project that owns the resource.
    AdminOrOwner,
}

impl Policy {
    /// The value written under `x-openstack.policy`.
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Admin => "admin",
            Policy::AdminOrOwner => "admin-or-owner",
        }
    }

    /// The policy stated by `prose`, if it states one. Line breaks and markup do not matter.
    pub fn stated_in(prose: &str) -> Option<Self> {
        let text = plain_words(prose).to_ascii_lowercase();
        const ADMIN_ROLE: &str = "policy defaults enable only users with the administrative role";
        if let Some(at) = text.find(ADMIN_ROLE) {
            let rest = &text[at + ADMIN_ROLE.len()..];
            return Some(if rest.starts_with(" or the owner") {
                Policy::AdminOrOwner
            } else {
                Policy::Admin
            });
        }
        const ADMIN_ONLY: [&str; 2] = ["made admin-only by default", "is an admin level"];
        ADMIN_ONLY.iter().any(|p| text.contains(p)).then_some(Policy::Admin)
    }
}

/// Records `policy` in `node`'s `x-openstack` extension.
pub fn set_policy(node: &mut Map<String, Value>, policy: Option<Policy>) {
    let Some(policy) = policy else { return };
    let ext = node.entry(EXTENSION).or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(ext) = ext {
        ext.insert("policy".into(), Value::String(policy.as_str().into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owner_clause_widens_the_admin_policy() {
        let admin = "Policy defaults enable only users with the\nadministrative role to do this.";
        let owner = "Policy defaults enable only users with the administrative role or the owner of\nthe widget to do this.";
        assert_eq!(Policy::stated_in(admin), Some(Policy::Admin));
        assert_eq!(Policy::stated_in(owner), Some(Policy::AdminOrOwner));
    }

    #[test]
    fn section_warnings_about_admin_apis_count() {
        let made = "This API was made admin-only by default in some release.";
        let level = "This is an ``admin`` level service API only.";
        assert_eq!(Policy::stated_in(made), Some(Policy::Admin));
        assert_eq!(Policy::stated_in(level), Some(Policy::Admin));
    }

    #[test]
    fn prose_that_does_not_state_the_default_policy_gives_none() {
        assert_eq!(Policy::stated_in("This is typically an admin only action."), None);
        assert_eq!(Policy::stated_in("Lists widgets."), None);
    }

    #[test]
    fn set_policy_adds_to_an_existing_extension() {
        let mut node = Map::new();
        node.insert(EXTENSION.into(), serde_json::json!({"min-ver": "2.1"}));
        set_policy(&mut node, Some(Policy::AdminOrOwner));
        set_policy(&mut node, None);
        assert_eq!(
            node[EXTENSION],
            serde_json::json!({"min-ver": "2.1", "policy": "admin-or-owner"})
        );
    }
}
