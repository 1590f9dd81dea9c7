//! `stackspec generate`: the Rust modules (`types`, `client`, `server`) of one spec, the same
//! as `generated/build.rs` produces; `--side` keeps the client's or the server's alone.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use stackspec_codegen::{Generator, Side};
use stackspec_model::Spec;

/// Generate Rust types, an async client and axum server stubs from an OpenAPI spec.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  stackspec generate --spec spec/image.yaml -o src/image\n  stackspec generate --spec spec/compute.yaml -o src/compute --side client\n"
)]
pub struct Args {
    /// The OpenAPI 3.0 document (YAML or JSON).
    #[arg(long)]
    spec: PathBuf,
    /// Directory to write `mod.rs`, `types.rs`, `client.rs` and/or `server.rs` (by `--side`),
    /// and with a server `schemas.json` (the request bodies' JSON Schemas, which `server.rs`
    /// includes) into. The code depends on the `stackspec-runtime` crate
    /// (`generated/runtime`), with its `client` or `server` feature for each side.
    #[arg(short, long)]
    output: PathBuf,
    /// Directory whose `*.rs.j2` files replace the embedded templates of the same name.
    #[arg(long)]
    templates: Option<PathBuf>,
    /// The service type sent in `OpenStack-API-Version` (default: the spec's
    /// `info.x-stackspec.service-type`, else its file stem).
    #[arg(long)]
    service_type: Option<String>,
    /// Which modules besides `types`: the client's, the server's or both.
    #[arg(long, value_enum, default_value_t = SideArg::Both)]
    side: SideArg,
}

/// `--side`: the command line's spelling of [`Side`].
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum SideArg {
    Client,
    Server,
    Both,
}

impl From<SideArg> for Side {
    fn from(side: SideArg) -> Self {
        match side {
            SideArg::Client => Side::Client,
            SideArg::Server => Side::Server,
            SideArg::Both => Side::Both,
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut spec = Spec::load(&args.spec)?;
    if args.service_type.is_some() {
        spec.facts.service_type = args.service_type;
    }
    let service_type = match spec.service_type() {
        Some(s) => s.to_string(),
        None => args
            .spec
            .file_stem()
            .and_then(|s| s.to_str())
            .context("the spec's file name is not UTF-8; pass --service-type")?
            .to_string(),
    };
    let mut generator = Generator::new().with_side(args.side.into());
    if let Some(dir) = args.templates {
        generator = generator.templates(dir);
    }
    let generated = generator
        .generate(&spec, &service_type)
        .with_context(|| format!("{}", args.spec.display()))?;
    generated.write(&args.output)?;
    println!("wrote {}", args.output.display());
    Ok(ExitCode::SUCCESS)
}
