//! One module per subcommand. A subcommand returns its exit code; errors (bad input, usage)
//! are printed by `main` and exit with 2.

mod generate;

use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Generate(generate::Args),
}

impl Command {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        match self {
            Self::Generate(args) => generate::run(args),
        }
    }
}
