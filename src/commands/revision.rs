//! A file as committed at a git revision, read with `git show REV:./FILE` in the checkout
//! that holds it, so that `stackspec diff --base REV SPEC` compares a pull request's spec
//! with its base branch's without a second checkout.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context};

/// The text of `path` at `revision`, from the git repository around `path`.
pub fn read_at(path: &Path, revision: &str) -> anyhow::Result<String> {
    if revision.is_empty() || revision.starts_with('-') {
        bail!("--base: `{revision}` is not a git revision");
    }
    let file = path.file_name().with_context(|| format!("{}: not a file", path.display()))?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let object = format!("{revision}:./{}", file.to_string_lossy());
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["show", "--end-of-options", &object])
        .output()
        .context("--base needs git, which could not be run")?;
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr);
        bail!("{} at {revision}: git show failed: {}", path.display(), why.trim());
    }
    String::from_utf8(output.stdout)
        .with_context(|| format!("{} at {revision}: not UTF-8", path.display()))
}
