//! The `stackspec` command line: argument parsing and printing only. Each subcommand lives
//! in `commands/` and calls into the library crates.

mod commands;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

/// `conform` allocates for every request and response (bodies, parsed JSON, records);
/// mimalloc made those allocations cheaper than the system allocator (see
/// `conformance/bench/run.sh`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns OpenStack's api-ref into OpenAPI contracts and holds clouds to them.
#[derive(Debug, clap::Parser)]
#[command(name = "stackspec", version, about)]
struct Cli {
    #[command(subcommand)]
    command: commands::Command,
}

fn main() -> ExitCode {
    // The matches are kept: `conform` derives its rerun command from what was given.
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match cli.command.run(&matches) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("stackspec: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
