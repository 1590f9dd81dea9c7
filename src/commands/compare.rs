//! `stackspec compare DOCS [PUBLISHED] [--observed DIR]`: the three-way comparison of the
//! api-ref spec, OpenStack's published spec and what a service answered.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use stackspec_compare::known::Known;
use stackspec_compare::observed::Observations;
use stackspec_compare::report;
use stackspec_model::Spec;

/// Compare the api-ref spec with OpenStack's published spec and with recorded exchanges.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The api-ref spec (`spec/compute.yaml`).
    docs: PathBuf,
    /// OpenStack's published spec of the same service (OpenAPI 3.0 or 3.1).
    published: Option<PathBuf>,
    /// A directory of HAR files (`stackspec conform --record DIR`): what the service
    /// answered decides who differs.
    #[arg(long, value_name = "DIR")]
    observed: Option<PathBuf>,
    /// The reviewed corrections of the docs' service (default: `corrections/<DOCS file>`
    /// beside DOCS, if it exists); differences they already correct are marked known.
    #[arg(long, value_name = "FILE")]
    corrections: Option<PathBuf>,
    /// The findings file whose sections mark differences known (default:
    /// `docs/findings.md`, if it exists).
    #[arg(long, value_name = "FILE")]
    findings: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
    Markdown,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let docs = Spec::load(&args.docs)?;
    let published = args.published.as_deref().map(Spec::load).transpose()?;
    let observed = args.observed.as_deref().map(Observations::load).transpose()?;
    let corrections = args.corrections.clone().or_else(|| default_corrections(&args.docs));
    let findings = args.findings.clone().or_else(|| existing("docs/findings.md"));
    let known =
        Known::load(corrections.as_deref(), findings.as_deref())?.of_projects(projects(&docs));
    let comparison = stackspec_compare::compare(&docs, published.as_ref(), observed, &known)?;
    let text = match args.format {
        Format::Text => report::text(&comparison),
        Format::Json => report::json(&comparison),
        Format::Markdown => report::markdown(&comparison),
    };
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}

/// The api-ref projects of `docs`'s service (`nova` for compute), so that findings about
/// another service's operations of the same name are not taken for its own.
fn projects(docs: &Spec) -> Vec<String> {
    let service = docs.service_type().and_then(stackspec_apiref::corpus::CorpusService::named);
    let sources = service.map(|s| s.sources).unwrap_or_default();
    sources.iter().filter_map(|s| s.split('/').next()).map(String::from).collect()
}

/// `spec/corrections/compute.yaml` for `spec/compute.yaml`, if it exists.
fn default_corrections(docs: &Path) -> Option<PathBuf> {
    let path = docs.parent()?.join("corrections").join(docs.file_name()?);
    path.is_file().then_some(path)
}

fn existing(path: &str) -> Option<PathBuf> {
    Some(PathBuf::from(path)).filter(|p| p.is_file())
}
