//! `stackspec mock`: serve a mock of one service from its spec on a local address.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use stackspec_generated::mock::Mock;
use stackspec_generator::model::Spec;

/// Serve a spec-backed mock of an OpenStack service.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The service to mock: the stem of a file in `spec/` (compute, image, orchestration,
    /// baremetal-introspection).
    #[arg(long, required_unless_present = "spec")]
    service: Option<String>,
    /// Serve this spec instead (answers from its examples; the service name, for the fault
    /// format and stateful behaviours, is the file stem unless `--service` is given).
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Where the specs named by `--service` live.
    #[arg(long, default_value = "spec")]
    spec_dir: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:9292")]
    listen: SocketAddr,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let path = match (&args.spec, &args.service) {
        (Some(path), _) => path.clone(),
        (None, Some(service)) => args.spec_dir.join(format!("{service}.yaml")),
        (None, None) => anyhow::bail!("give --service or --spec"),
    };
    let service = match (&args.service, path.file_stem().and_then(|s| s.to_str())) {
        (Some(service), _) => service.clone(),
        (None, Some(stem)) => stem.to_string(),
        (None, None) => anyhow::bail!("{}: file name is not UTF-8; pass --service", path.display()),
    };
    let spec = Spec::load(&path)?;
    let router = Mock::new(&spec, &service)?.router();
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        eprintln!("mocking {service} from {} on http://{}", path.display(), args.listen);
        axum::serve(listener, router).await.context("server failed")
    })?;
    Ok(ExitCode::SUCCESS)
}
