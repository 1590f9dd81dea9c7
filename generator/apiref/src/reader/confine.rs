//! Reads of files that an api-ref names, kept inside its project. Directives name files by
//! relative path (`../../doc/api_samples/...`), so a hostile source tree could otherwise read
//! anything (`../../../../etc/shadow`), follow a symlink out, or read `/dev/zero` or a FIFO
//! forever.
//!
//! The confinement root is the project that holds the api-ref: os-api-ref sources live in
//! `<project>/api-ref/source[/vN]`, and nova includes samples from `<project>/doc/`, so the
//! root is the parent of the nearest enclosing `api-ref` directory; a source directory outside
//! any `api-ref` directory is its own root. Symlinks are followed, but their target must be
//! inside the root too.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest file read, in bytes: about 40 times the largest real one (nova's
/// parameters.yaml, 215 KB), so that a huge file fails at once instead of filling memory.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Why a named file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ConfineError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("it is outside {} (the api-ref's project)", root.display())]
    Outside { root: PathBuf },
    #[error("it is not a regular file")]
    NotAFile,
    #[error("it is larger than {MAX_FILE_BYTES} bytes")]
    TooLarge,
}

/// The directory that reads are confined to.
#[derive(Debug, Clone, Default)]
pub struct Confinement {
    root: PathBuf,
}

impl Confinement {
    /// The confinement of the api-ref source directory `source`.
    pub fn of_source(source: &Path) -> std::io::Result<Self> {
        let source = source.canonicalize()?;
        let project = source
            .ancestors()
            .find(|dir| dir.file_name().is_some_and(|name| name == "api-ref"))
            .and_then(Path::parent);
        Ok(Self { root: project.unwrap_or(&source).to_path_buf() })
    }

    /// The bytes of `path`, if it resolves inside the root to a regular file of at most
    /// [`MAX_FILE_BYTES`]. Bytes, not text: whether they are UTF-8 is `text`'s to say, per
    /// byte, so that one bad byte does not make the whole file unreadable.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, ConfineError> {
        let real = path.canonicalize()?;
        if !real.starts_with(&self.root) {
            return Err(ConfineError::Outside { root: self.root.clone() });
        }
        // Checked before opening: opening a FIFO blocks until a writer comes.
        check_regular(&std::fs::metadata(&real)?)?;
        let file = std::fs::File::open(&real)?;
        // Checked again on the handle, in case the path changed in between.
        check_regular(&file.metadata()?)?;
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(ConfineError::TooLarge);
        }
        Ok(bytes)
    }
}

fn check_regular(meta: &std::fs::Metadata) -> Result<(), ConfineError> {
    if !meta.is_file() {
        return Err(ConfineError::NotAFile);
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ConfineError::TooLarge);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_the_project_above_api_ref() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("nova/api-ref/source/v2");
        std::fs::create_dir_all(&source).unwrap();
        let root = dir.path().canonicalize().unwrap();
        assert_eq!(Confinement::of_source(&source).unwrap().root, root.join("nova"));
        assert_eq!(Confinement::of_source(dir.path()).unwrap().root, root);
    }

    #[test]
    fn reads_inside_the_root_and_refuses_what_leaves_it() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("p/api-ref/source");
        std::fs::create_dir_all(&source).unwrap();
        std::fs::write(dir.path().join("p/sample.json"), "{}").unwrap();
        std::fs::write(dir.path().join("secret"), "s").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), source.join("link.json")).unwrap();
        let confined = Confinement::of_source(&source).unwrap();
        assert_eq!(confined.read(&source.join("../../sample.json")).unwrap(), b"{}");
        let outside = |p: &Path| matches!(confined.read(p), Err(ConfineError::Outside { .. }));
        assert!(outside(&source.join("../../../secret")));
        assert!(outside(&source.join("link.json")));
    }

    #[test]
    fn refuses_special_files_and_large_files() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero")).unwrap();
        let big = std::fs::File::create(dir.path().join("big")).unwrap();
        big.set_len(MAX_FILE_BYTES + 1).unwrap();
        let confined = Confinement { root: PathBuf::from("/") };
        assert!(matches!(confined.read(&dir.path().join("zero")), Err(ConfineError::NotAFile)));
        assert!(matches!(confined.read(&dir.path().join("big")), Err(ConfineError::TooLarge)));
        assert!(matches!(confined.read(dir.path()), Err(ConfineError::NotAFile)));
    }
}
