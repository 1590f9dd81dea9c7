//! `stackspec report merge`: the JSON reports of a sharded run's parts (`conform --shard
//! I/N --report json=...`) joined into the reports of the whole run.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use stackspec_conformance::report::{doc::Report, html, junit, merge};

/// Work with the reports of `stackspec conform`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Join every shard's JSON report into one JSON, JUnit and HTML report of the whole
    /// run; exit 0 when the run passed, 1 when it failed, 2 when the reports do not make
    /// one whole run (a shard missing or twice, another spec or seed).
    #[command(after_help = "Example:\n  stackspec report merge shard-*.json \
                            --report json=conform.json,junit=conform.xml,html=conform.html")]
    Merge(MergeArgs),
}

#[derive(Debug, clap::Args)]
struct MergeArgs {
    /// The shards' JSON reports, every shard of one run once.
    #[arg(required = true, value_name = "SHARD.json")]
    shards: Vec<PathBuf>,
    /// Reports of the whole run to write, e.g. `json=all.json,junit=all.xml,html=all.html`
    /// (`-` is standard output, for one of them).
    #[arg(long, value_delimiter = ',', value_name = "KIND=PATH", required = true)]
    report: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let Action::Merge(args) = args.command;
    let outputs = outputs(&args.report)?;
    let shards = args
        .shards
        .iter()
        .map(|path| Ok((path.clone(), merge::read(path)?)))
        .collect::<Result<Vec<_>, merge::MergeError>>()?;
    let merged = merge::merge(shards)?;
    for (kind, path) in outputs {
        let text = render(&kind, &merged)?;
        if path == "-" {
            print!("{text}");
        } else {
            std::fs::write(&path, text).with_context(|| format!("{path}: cannot write"))?;
        }
    }
    let failed = merged.records.iter().filter(|r| r.failed).count();
    eprintln!(
        "merged: {} cases, {failed} failed, {} operations{}",
        merged.records.len(),
        merged.operations.len(),
        if merged.failed { "; the run failed" } else { "" }
    );
    Ok(ExitCode::from(u8::from(merged.failed)))
}

/// The merged report in `kind`.
fn render(kind: &str, merged: &Report) -> anyhow::Result<String> {
    Ok(match kind {
        "json" => serde_json::to_string_pretty(merged)? + "\n",
        "junit" => junit::render_report(merged),
        "html" => html::render(merged),
        other => bail!("--report {other}: unknown kind (expected json, junit or html)"),
    })
}

/// `KIND=PATH` pairs, checked before any shard is read.
fn outputs(specs: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for spec in specs {
        let Some((kind, path)) = spec.split_once('=').filter(|(_, p)| !p.is_empty()) else {
            bail!("--report `{spec}`: expected KIND=PATH (KIND json, junit or html)");
        };
        if !["json", "junit", "html"].contains(&kind) {
            bail!("--report `{spec}`: unknown kind (expected json, junit or html)");
        }
        out.push((kind.to_string(), path.to_string()));
    }
    if out.iter().filter(|(_, p)| p == "-").count() > 1 {
        bail!("--report: only one report can go to standard output (`-`)");
    }
    Ok(out)
}
