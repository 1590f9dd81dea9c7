//! Operations that two of the source directories merged into one document both document.
//! Within one directory, blocks on one route are parts of one operation (a microversion
//! range each) and equal titles get numbered ids; across directories nothing says which
//! block is meant, or which operation the id names, so either is an error naming both places.

use crate::diagnostics::Location;

/// Two source directories document the same thing.
#[derive(Debug, thiserror::Error)]
pub enum Conflict {
    #[error(
        "`{method} {path}` is documented at {first} and again at {second}, in another of the \
         source directories merged: one of them must go"
    )]
    Route { method: String, path: String, first: Location, second: Location },
    #[error(
        "the operation id `{id}` is given by {first} and again by {second}, in another of the \
         source directories merged: retitle one of them"
    )]
    OperationId { id: String, first: Location, second: Location },
}

/// Whether `a` and `b` are in different source directories: every `.inc` file read sits
/// directly in its source directory.
pub fn apart(a: &Location, b: &Location) -> bool {
    a.file.parent() != b.file.parent()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_of_one_directory_are_together_and_of_siblings_apart() {
        let at = |file: &str| Location::new(file, 1);
        assert!(!apart(&at("src/v2/a.inc"), &at("src/v2/b.inc")));
        assert!(apart(&at("src/v2/a.inc"), &at("src/versions/a.inc")));
    }
}
