//! `stackspec mock`: serve a mock of one service from its spec on a local address.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use stackspec_generated::mock::{self, Mock};
use stackspec_model::Spec;

/// Serve a spec-backed mock of an OpenStack service.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The built-in service to mock, served by the code generated from its file in `spec/`
    /// (compute, image, orchestration, baremetal-introspection) as that file was at build
    /// time.
    #[arg(long, required_unless_present = "spec", conflicts_with = "spec")]
    service: Option<String>,
    /// Serve this spec instead, by interpreting it (answers from its examples, errors in
    /// the fault style its `info.x-stackspec` names).
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:9292")]
    listen: SocketAddr,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (router, service, source) = match (&args.spec, &args.service) {
        (Some(path), _) => {
            let spec = Spec::load(path)?;
            let service = spec.service_type().unwrap_or("service").to_string();
            (Mock::new(&spec)?.router(), service, path.display().to_string())
        }
        (None, Some(service)) => (mock::builtin(service)?, service.clone(), "built-in spec".into()),
        (None, None) => anyhow::bail!("give --service or --spec"),
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        eprintln!("mocking {service} from {source} on http://{}", args.listen);
        axum::serve(listener, router).await.context("server failed")
    })?;
    Ok(ExitCode::SUCCESS)
}
