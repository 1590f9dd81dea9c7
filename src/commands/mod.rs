//! One module per subcommand. A subcommand returns its exit code; errors (bad input, usage)
//! are printed by `main` and exit with 2.

mod compare;
mod conform;
mod diff;
mod generate;
mod mock;
mod report;
mod rerun;
mod revision;
mod spec;
mod transcribe;

use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Compare the api-ref spec with OpenStack's published spec and recorded exchanges.
    Compare(compare::Args),
    /// Report the changes between two specs and which of them break clients.
    Diff(diff::Args),
    /// Generate Rust types, an async client and axum server stubs from a spec.
    Generate(generate::Args),
    /// Serve a spec-backed mock of a service on a local address.
    Mock(mock::Args),
    /// Transcribe one api-ref source directory into an OpenAPI document.
    Transcribe(transcribe::Args),
    /// Regenerate (or `--check`) spec/ from the api-ref corpus, with the fidelity table.
    Spec(spec::Args),
    /// Hold a live endpoint to a spec: replay samples, generated and invalid requests.
    Conform(Box<conform::Args>),
    /// Work with conform's reports: `merge` joins the JSON reports of a sharded run.
    Report(report::Args),
}

impl Command {
    /// Runs the subcommand; `matches` are the whole command line's.
    pub fn run(self, matches: &clap::ArgMatches) -> anyhow::Result<ExitCode> {
        match self {
            Command::Compare(args) => compare::run(args),
            Command::Diff(args) => diff::run(args),
            Command::Generate(args) => generate::run(args),
            Command::Mock(args) => mock::run(args),
            Command::Transcribe(args) => transcribe::run(args),
            Command::Spec(args) => spec::run(args),
            Command::Report(args) => report::run(args),
            Command::Conform(args) => {
                let conform = matches.subcommand_matches("conform").unwrap_or(matches);
                conform::run(*args, conform)
            }
        }
    }
}
