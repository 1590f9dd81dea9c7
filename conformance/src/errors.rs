//! Errors rendered for people: one line with every source.

/// `e` and each of its sources, joined by `: ` (as anyhow's `{:#}` shows a chain): for
/// records and messages that keep one line where the error itself keeps its sources.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
