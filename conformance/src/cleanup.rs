//! What a run created, kept until it is deleted. A resource is registered as soon as the
//! response to its create arrives (before it is read back), so that a run stopped by a
//! failure, a deadline or Ctrl-C still knows it; a DELETE the phases send takes it off the
//! list; at the end of the run every one left is deleted, newest first (a resource made
//! under another goes before it), and what could not be deleted is reported.

use std::sync::Mutex;

use stackspec_model::version::Microversion;

use crate::http::Request;
use crate::phases::Phase;
use crate::plan::Model;

/// A resource this run created.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The `GET` of the resource (its path, microversion header and credentials): a
    /// DELETE is the same request with another method.
    pub read: Request,
    /// Index of the operation that reads it.
    pub read_operation: usize,
    pub id: String,
    pub created_status: u16,
    /// The phase, microversion and seed of the case that created it.
    pub phase: Phase,
    pub microversion: Option<Microversion>,
    pub seed: Option<u64>,
}

impl Resource {
    /// Whether the spec documents a DELETE at the path that reads it.
    pub fn deletable(&self, model: &Model) -> bool {
        let path = &model.operations[self.read_operation].path;
        model.operations.iter().any(|o| o.method == "DELETE" && &o.path == path)
    }

    /// The DELETE of the resource.
    pub fn delete_request(&self) -> Request {
        let mut request = self.read.clone();
        request.method = "DELETE".into();
        request
    }
}

/// A resource the run created and could not delete.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Leftover {
    /// The operation that reads it.
    pub operation: String,
    pub path: String,
    pub id: String,
    pub why: String,
}

/// The resources created and not yet deleted, oldest first; one per path.
#[derive(Debug, Default)]
pub struct Registry {
    live: Mutex<Vec<Resource>>,
}

impl Registry {
    pub fn register(&self, resource: Resource) {
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        if !live.iter().any(|r| r.read.path == resource.read.path) {
            live.push(resource);
        }
    }

    /// The resource at `path`, taken off the list (a DELETE of it succeeded).
    pub fn take(&self, path: &str) -> Option<Resource> {
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        let at = live.iter().position(|r| r.read.path == path)?;
        Some(live.remove(at))
    }

    /// The resource at `path` is now at `new_path`, with id `new_id` (an update renamed it).
    pub fn rename(&self, path: &str, new_path: &str, new_id: &str) {
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(resource) = live.iter_mut().find(|r| r.read.path == path) {
            resource.read.path = new_path.to_string();
            resource.id = new_id.to_string();
        }
    }

    /// Every resource left, newest first.
    pub fn drain(&self) -> Vec<Resource> {
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<Resource> = live.drain(..).collect();
        out.reverse();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(path: &str) -> Resource {
        Resource {
            read: Request::new("GET", path),
            read_operation: 0,
            id: path.rsplit('/').next().unwrap().into(),
            created_status: 201,
            phase: Phase::Property,
            microversion: None,
            seed: None,
        }
    }

    #[test]
    fn the_registry_keeps_one_resource_per_path_and_gives_the_newest_first() {
        let registry = Registry::default();
        for path in ["/a/1", "/a/2", "/a/1", "/a/3"] {
            registry.register(resource(path));
        }
        assert_eq!(registry.take("/a/2").map(|r| r.id), Some("2".into()));
        assert!(registry.take("/a/2").is_none());
        let left: Vec<String> = registry.drain().into_iter().map(|r| r.id).collect();
        assert_eq!(left, ["3", "1"]);
        assert!(registry.drain().is_empty());
    }
}
