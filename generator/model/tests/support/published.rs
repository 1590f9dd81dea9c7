//! The files of OpenStack's published, code-derived specs (`../shared/openstack-published-specs`,
//! one directory per service type), for the tests of every crate that reads them
//! (`#[path]`-included).

use std::path::{Path, PathBuf};

/// Every published spec file, sorted.
pub fn published() -> Vec<PathBuf> {
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/openstack-published-specs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|service| service.is_dir())
        .flat_map(|service| std::fs::read_dir(service).unwrap())
        .map(|file| file.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}
