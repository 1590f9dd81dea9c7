//! `stackspec diff OLD NEW`: the breaking-change report between two specs.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use stackspec_diff::{self as diff, report, Acknowledgements, Severity};
use stackspec_model::version::Microversion;
use stackspec_model::Spec;

use super::revision;

/// Report what changed between two OpenAPI documents and which changes break clients.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  stackspec diff old/compute.yaml spec/compute.yaml --format markdown\n  stackspec diff --base origin/main spec/compute.yaml --fail-on breaking \\\n      --acknowledged spec/acknowledgements/compute.yaml\n"
)]
pub struct Args {
    /// OLD.yaml (the spec clients were written against) and NEW.yaml (the spec under
    /// review); with `--base`, only the spec under review.
    #[arg(required = true, num_args = 1..=2, value_name = "SPEC")]
    specs: Vec<PathBuf>,
    /// Compare the spec as committed at this git revision (branch, tag or commit) with the
    /// file as it is now, in the git checkout that holds it.
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// How the report is written: `text` for a terminal, `json` for machines (each change
    /// with its `change_id`), `markdown` for a pull-request comment.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit with 1 when an unacknowledged change at least this severe is found (for CI); a
    /// stale acknowledgement counts as a warning.
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// A reviewed YAML file of acknowledged changes (`id`, `class`: doc-correction or
    /// accepted-break, `reason`); see the README.
    #[arg(long, value_name = "FILE")]
    acknowledged: Option<PathBuf>,
    /// The newest microversion released to clients (e.g. 2.101): changes only at newer
    /// microversions are info, even where OLD already documents them.
    #[arg(long, value_name = "VERSION")]
    released_max: Option<Microversion>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FailOn {
    Breaking,
    Warning,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (old, new) = specs(&args)?;
    let acknowledgements = match &args.acknowledged {
        Some(path) => Acknowledgements::load(path)?,
        None => Acknowledgements::default(),
    };
    let options = diff::Options { released_max: args.released_max };
    let mut found = diff::diff_with(&old, &new, options).context("cannot compare the specs")?;
    acknowledgements.apply(&mut found);
    let format = match args.format {
        Format::Text => report::Format::Text,
        Format::Json => report::Format::Json,
        Format::Markdown => report::Format::Markdown,
    };
    print!("{}", report::render(&found, format));
    let threshold = args.fail_on.map(|f| match f {
        FailOn::Breaking => Severity::Breaking,
        FailOn::Warning => Severity::Warning,
    });
    let failed = threshold.is_some_and(|t| found.reaches(t));
    Ok(ExitCode::from(u8::from(failed)))
}

/// OLD and NEW: two files, or one file at `--base` and as it is now.
fn specs(args: &Args) -> anyhow::Result<(Spec, Spec)> {
    match (&args.base, args.specs.as_slice()) {
        (None, [old, new]) => Ok((Spec::load(old)?, Spec::load(new)?)),
        (Some(revision), [spec]) => {
            let text = revision::read_at(spec, revision)?;
            let label = PathBuf::from(format!("{}@{revision}", spec.display()));
            Ok((Spec::parse(&label, &text)?, Spec::load(spec)?))
        }
        (None, _) => bail!("diff needs OLD.yaml and NEW.yaml (or --base REV and one SPEC)"),
        (Some(_), _) => bail!("with --base, diff takes one SPEC (its file now is NEW)"),
    }
}
