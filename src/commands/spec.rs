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
    /// The OpenAPI version written: 3.0 (3.0.3, what every stage reads) or 3.1 (3.1.0,
    /// JSON Schema 2020-12 spellings: `type: [T, "null"]`, schema `examples`).
    #[arg(long, value_enum, default_value_t = OpenApi::V3_0)]
    openapi: OpenApi,
}

/// `--openapi`: which OpenAPI version a command writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OpenApi {
    #[value(name = "3.0")]
    V3_0,
    #[value(name = "3.1")]
    V3_1,
}

impl OpenApi {
    /// `document` as YAML in this version.
    pub fn to_yaml(self, document: &serde_json::Value) -> String {
        match self {
            OpenApi::V3_0 => stackspec_model::yaml::to_string(document),
            OpenApi::V3_1 => stackspec_model::yaml::to_string(
                &stackspec_model::upgrade::to_openapi31(document.clone()),
            ),
        }
    }
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
        let yaml = args.openapi.to_yaml(&t.document);
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
