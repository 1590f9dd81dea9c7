//! One module per subcommand. A subcommand returns its exit code; errors (bad input, usage)
//! are printed by `main` and exit with 2.

mod diff;

use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Report the changes between two specs and which of them break clients.
    Diff(diff::Args),
}

impl Command {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        match self {
            Self::Diff(args) => args.run(),
        }
    }
}
