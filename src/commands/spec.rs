//! `stackspec spec`: regenerate (or check) `spec/` from the api-ref corpus and print the
//! fidelity table.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use stackspec_apiref::corpus::{DEFAULT_CORPUS, SERVICES};
use stackspec_apiref::fidelity;

/// Transcribe every corpus service into `spec/` and print how faithful each spec is.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  stackspec spec\n  stackspec spec --check --verbose\n")]
pub struct Args {
    /// The corpus root (holding `nova/`, `glance/`, ... one directory per upstream
    /// repository of the fourteen services).
    #[arg(long, default_value = DEFAULT_CORPUS)]
    corpus: PathBuf,
    /// The directory the specs are written to.
    #[arg(long, default_value = "spec")]
    out: PathBuf,
    /// The reviewed corrections, one file per service (`compute.yaml`); default
    /// `<out>/corrections`. Each names a finding of `docs/findings.md`.
    #[arg(long)]
    corrections: Option<PathBuf>,
    /// Write (or check) what the docs say only, without the reviewed corrections.
    #[arg(long)]
    docs_only: bool,
    /// Do not write: exit 1 if any spec in `--out` differs from a fresh transcription (and a
    /// correction that no longer changes anything is an error).
    #[arg(long)]
    check: bool,
    /// List every sample that does not validate, with the reason, under its service.
    #[arg(short, long)]
    verbose: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut table = String::from(fidelity::TABLE_HEADER);
    let mut stale = Vec::new();
    let corrections = args.corrections.clone().unwrap_or_else(|| args.out.join("corrections"));
    for service in SERVICES {
        let mut t = service
            .transcribe(&args.corpus)
            .with_context(|| format!("transcribing {}", service.service_type))?;
        let f = fidelity::measure(&t);
        if !args.docs_only {
            service.correct(&mut t, &corrections)?;
        }
        let yaml = t.to_yaml();
        let path = args.out.join(service.spec_file());
        if args.check {
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            if current != yaml {
                stale.push(path.display().to_string());
            }
        } else {
            std::fs::create_dir_all(&args.out)?;
            std::fs::write(&path, yaml)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        table.push_str(&fidelity::row(service.service_type, &f));
        if args.verbose {
            eprint!("{}:\n{}", service.service_type, fidelity::exceptions(&f));
        }
    }
    print!("{table}");
    if stale.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("out of date (run `stackspec spec` to regenerate): {}", stale.join(", "));
        Ok(ExitCode::from(1))
    }
}
