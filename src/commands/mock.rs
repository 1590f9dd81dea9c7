//! `stackspec mock`: serve a mock of one service from its spec on a local address.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use stackspec_mock::{self as mock, Mock};
use stackspec_model::Spec;

/// Serve a spec-backed mock of an OpenStack service.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  stackspec mock --service image --listen 127.0.0.1:9292\n  stackspec mock --spec my-service.yaml --listen 127.0.0.1:8080 --max-connections 64\n"
)]
pub struct Args {
    /// The built-in service to mock (any file stem of `spec/`), from that file as it was at
    /// build time: compute, image, orchestration and baremetal-introspection through the
    /// code generated from it, the others by interpreting it.
    #[arg(long, required_unless_present = "spec", conflicts_with = "spec")]
    service: Option<String>,
    /// Serve this spec instead, by interpreting it (answers from its examples, errors in
    /// the fault style its `info.x-stackspec` names).
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Serve requests without a token too (local use): by default a request without
    /// `X-Auth-Token` gets 401 with the service's fault body, as the services answer (any
    /// token is accepted; public operations such as version documents need none).
    #[arg(long)]
    no_auth: bool,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:9292")]
    listen: SocketAddr,
    /// Seconds a request's head may take to arrive, counted from when the mock waits for
    /// it; a kept-alive connection left idle is closed after this time too.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = seconds)]
    header_timeout: Duration,
    /// Seconds for reading a request's body and answering it (408 after them).
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = seconds)]
    request_timeout: Duration,
    /// Seconds a connection may move no byte while the mock waits to read from it or write
    /// to it (a client that stops reading its answers) before it is closed.
    #[arg(long, value_name = "SECONDS", default_value = "60", value_parser = seconds)]
    idle_timeout: Duration,
    /// Connections served at once; further ones wait in the listen backlog until one
    /// closes.
    #[arg(long, value_name = "N", default_value_t = 1024,
          value_parser = clap::value_parser!(u32).range(1..))]
    max_connections: u32,
}

impl Args {
    fn limits(&self) -> mock::Limits {
        mock::Limits {
            header_read: self.header_timeout,
            request: self.request_timeout,
            idle: self.idle_timeout,
            max_connections: self.max_connections as usize,
        }
    }
}

/// A positive number of seconds (fractions allowed) as a duration.
fn seconds(text: &str) -> Result<Duration, String> {
    let value: f64 = text.parse().map_err(|_| format!("`{text}` is not a number of seconds"))?;
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("`{text}`: expected a positive number of seconds"))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let auth = if args.no_auth { mock::Auth::Off } else { mock::Auth::Required };
    let (router, service, source) = match (&args.spec, &args.service) {
        (Some(path), _) => {
            let spec = Spec::load(path)?;
            let service = spec.service_type().unwrap_or("service").to_string();
            (Mock::new(&spec)?.with_auth(auth).router(), service, path.display().to_string())
        }
        (None, Some(service)) => {
            (mock::builtin_with(service, auth)?, service.clone(), "built-in spec".into())
        }
        (None, None) => anyhow::bail!("give --service or --spec"),
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        eprintln!("mocking {service} from {source} on http://{}", args.listen);
        mock::serve(listener, router, args.limits()).await;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
