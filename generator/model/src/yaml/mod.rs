//! YAML in and out: every document stackspec reads is parsed within fixed limits
//! ([`read`]), and every document it writes reads the same under YAML 1.1 and 1.2
//! ([`write`]).

pub mod read;
pub mod write;

pub use read::{from_str, list_item_lines, LimitExceeded, YamlError, MAX_ALIAS_NODES, MAX_DEPTH};
pub use write::to_string;
