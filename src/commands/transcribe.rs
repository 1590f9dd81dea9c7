//! `stackspec transcribe SOURCE_DIR... -o OUT.yaml`: one api-ref, in one source directory or
//! spread over several, to one OpenAPI file.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use stackspec_apiref::transcribe::{ServiceProfile, Transcriber};

use super::spec::OpenApi;

/// Transcribe an os-api-ref source directory, or several that one api-ref is spread over,
/// into one OpenAPI 3.0.3 YAML document.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  stackspec transcribe ../shared/openstack-api-ref/glance/api-ref/source/v2 \\\n      ../shared/openstack-api-ref/glance/api-ref/source/versions -o image.yaml \\\n      --service-type image\n"
)]
pub struct Args {
    /// The api-ref source directory (the one holding the `.inc` files); several when one
    /// api-ref is spread over sibling directories, merged in the order given (the same
    /// operation documented in two of them is an error).
    #[arg(required = true)]
    sources: Vec<PathBuf>,
    /// Where to write the YAML document (`-` for standard output).
    #[arg(short, long, default_value = "-")]
    output: PathBuf,
    /// The service type, which selects error shapes and microversion headers
    /// (compute, image, orchestration, baremetal-introspection; any other name gets none).
    #[arg(long, default_value = "generic")]
    service_type: String,
    /// Print every diagnostic, not only a count.
    #[arg(short, long)]
    verbose: bool,
    /// The OpenAPI version written (3.0 is 3.0.3, 3.1 is 3.1.0).
    #[arg(long, value_enum, default_value_t = OpenApi::V3_0)]
    openapi: OpenApi,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let profile = ServiceProfile::for_service(&args.service_type);
    let t = Transcriber::new(profile).transcribe_dirs(&args.sources)?;
    let yaml = args.openapi.to_yaml(&t.document);
    if args.output.as_os_str() == "-" {
        print!("{yaml}");
    } else {
        std::fs::write(&args.output, yaml)
            .with_context(|| format!("cannot write {}", args.output.display()))?;
    }
    if args.verbose {
        for d in &t.diagnostics {
            eprintln!("{}: {d}", if d.is_warning() { "warning" } else { "note" });
        }
    }
    let warnings = t.diagnostics.iter().filter(|d| d.is_warning()).count();
    let notes = t.diagnostics.len() - warnings;
    eprintln!(
        "transcribed {} operations from {} rest_method blocks; {warnings} warnings, {notes} notes{}",
        t.spec.operations().count(),
        t.api.methods().count(),
        if args.verbose || t.diagnostics.is_empty() { "" } else { " (--verbose lists them)" }
    );
    Ok(ExitCode::SUCCESS)
}
