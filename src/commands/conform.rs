//! `stackspec conform`: hold a live endpoint to a spec. Parses flags into
//! `stackspec_conformance::Settings`, runs, prints the summary and writes the reports.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use anyhow::{anyhow, bail, Context};
use clap::ArgMatches;
use stackspec_conformance::cloud::{connect_to, login, CloudConfig};
use stackspec_conformance::overrides::{OverrideFile, Target};
use stackspec_conformance::report::output::Reports;
use stackspec_conformance::tls::{Tls, TlsFiles};
use stackspec_conformance::{checks, Phase, Settings, VersionChoice, DEFAULT_MAX_BODY_SIZE};
use stackspec_conformance::{report, secrets};
use stackspec_model::Spec;

/// Replay documented samples, generated requests and invalid requests against a live
/// endpoint; exit 0 when every check passed, 1 when any failed, 2 for a usage or spec error.
#[derive(Debug, clap::Args)]
#[command(after_help = format!("Checks:\n{}", checks::describe()))]
pub struct Args {
    /// The OpenAPI spec to hold the endpoint to.
    #[arg(long)]
    spec: PathBuf,
    /// The endpoint's base URL (paths in the spec are appended to it); with a cloud,
    /// overrides the catalog's.
    #[arg(long)]
    url: Option<String>,
    /// A cloud from clouds.yaml (and secure.yaml): Keystone v3 token, the endpoint from the
    /// catalog, microversions discovered. When neither this nor `--url` is given: `OS_CLOUD`,
    /// else the `OS_AUTH_URL`, `OS_USERNAME`, ... environment variables.
    #[arg(long, value_name = "NAME")]
    os_cloud: Option<String>,
    /// A PEM bundle of the CAs to trust for TLS, instead of the built-in ones (a private
    /// cloud's CA); over the cloud's `cacert`.
    #[arg(long, value_name = "FILE", env = "OS_CACERT")]
    os_cacert: Option<PathBuf>,
    /// A PEM client certificate for TLS (with its key, unless `--os-key` is given); over
    /// the cloud's `cert`.
    #[arg(long, value_name = "FILE", env = "OS_CERT")]
    os_cert: Option<PathBuf>,
    /// The PEM private key of `--os-cert`; over the cloud's `key`.
    #[arg(long, value_name = "FILE", env = "OS_KEY")]
    os_key: Option<PathBuf>,
    /// Do not verify servers' TLS certificates (as the cloud's `verify: false`).
    #[arg(long)]
    insecure: bool,
    /// A header sent with every request, `Name: value` (repeatable).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// `X.Y`, or `latest` for the spec's highest; default: each sample's own version.
    #[arg(long)]
    microversion: Option<String>,
    /// Comma-separated phases to run.
    #[arg(long, value_delimiter = ',', default_value = "examples,property,negative")]
    phases: Vec<Phase>,
    /// Only this operation id (repeatable).
    #[arg(long = "operation", value_name = "ID")]
    operations: Vec<String>,
    /// Only operations with this tag (repeatable).
    #[arg(long = "tag", value_name = "T")]
    tags: Vec<String>,
    /// A value for a path parameter, `NAME=VALUE` (repeatable): the id of a resource that
    /// exists for the run (seeded), used by every method, also those that change state.
    #[arg(long = "path-value", value_name = "NAME=VALUE")]
    path_values: Vec<String>,
    /// Requests per operation and phase, at most.
    #[arg(long, default_value_t = 50)]
    max_cases: u32,
    /// Seed for generated cases; printed with every failure (default: from the clock).
    #[arg(long)]
    seed: Option<u64>,
    /// Requests in flight at once (up to 8 times as many cases are under way, so that
    /// checking responses and waiting between polls leave no connection idle).
    #[arg(long, default_value_t = 8)]
    workers: usize,
    /// Also send methods that change state (POST, PUT, PATCH, DELETE).
    #[arg(long)]
    allow_mutations: bool,
    /// Reports to write, e.g. `junit=out.xml,json=out.json`; `-` is standard output (the
    /// summary then goes to standard error). Every path is opened before the first request.
    #[arg(long, value_delimiter = ',', value_name = "KIND=PATH")]
    report: Vec<String>,
    /// Keep every exchange (request and response, secrets redacted) as a HAR 1.2 file in
    /// this directory, one file per run (`stackspec compare --observed DIR` reads them).
    #[arg(long, value_name = "DIR")]
    record: Option<PathBuf>,
    /// Per-request timeout in seconds (the whole exchange, body included).
    #[arg(long, default_value_t = 30.0)]
    timeout: f64,
    /// The largest response body read, in bytes; a larger one fails its case ("body larger
    /// than N bytes") and is read no further.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BODY_SIZE)]
    max_body_size: usize,
    /// Seconds the whole run may take (and, before it, reaching the cloud); cases not sent
    /// by then are reported as not tried and fail the run.
    #[arg(long, value_name = "SECONDS", default_value_t = 1800.0)]
    deadline: f64,
    /// Seconds one operation's cases may take, from its first request; the rest are
    /// reported as not tried.
    #[arg(long, value_name = "SECONDS", default_value_t = 300.0)]
    operation_deadline: f64,
    /// Retries after a 429 or 503 (honouring Retry-After).
    #[arg(long, default_value_t = 3)]
    retries: u32,
    /// The longest wait before a retry, in seconds; a 429 or 503 whose Retry-After asks
    /// for more is taken as the answer, not retried.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    max_retry_wait: f64,
    /// Requests per second, at most.
    #[arg(long)]
    rate: Option<f64>,
    /// Seconds a resource created with 202 may take to reach a final state.
    #[arg(long, default_value_t = 60.0)]
    poll_timeout: f64,
    /// Reviewed overrides for findings in the docs (e.g. `conformance/overrides.yaml`):
    /// each turns a documented defect into an acknowledged finding; one that matches
    /// nothing in the run is stale and fails it.
    #[arg(long, value_name = "FILE")]
    overrides: Option<PathBuf>,
    /// What is tested: `service` (a real service: every override applies) or `mock` (a
    /// mock built from the docs: only overrides `seen-on: docs` apply).
    #[arg(long, default_value = "service", value_name = "service|mock")]
    against: Target,
    /// Add the auth phase: every selected operation once with no token and once with a
    /// bogus one; each must get 401.
    #[arg(long)]
    auth_checks: bool,
    /// A clouds.yaml entry for a member-only user: the auth phase also sends every
    /// operation with its token; operations the spec reserves for admins must get 403, and
    /// the report says which role each needed. Implies `--auth-checks`.
    #[arg(long, value_name = "CLOUD")]
    as_member: Option<String>,
}

/// Runs conform (`matches`: the options as given, for the rerun command); an error's
/// message has every known secret replaced, like the reports.
pub fn run(args: Args, matches: &ArgMatches) -> anyhow::Result<ExitCode> {
    conform(args, matches).map_err(|e| anyhow!("{}", secrets::redact(&format!("{e:#}"))))
}

fn conform(args: Args, matches: &ArgMatches) -> anyhow::Result<ExitCode> {
    let spec = Spec::load(&args.spec)?;
    let mut reports = Reports::open(&args.report)?;
    // One thread: a request costs the client little, and handing each one between threads
    // (the run's futures and hyper's connection tasks) cost more than a second thread
    // brought; the server under test, often on the same machine, gets the other cores.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let mut settings = settings(&args)?;
    if let Some(cloud) = cloud(&args)? {
        let service_type = spec.service_type().with_context(|| {
            format!("{}: no service type in info.description", spec.path.display())
        })?;
        let tls = tls_flags(&args);
        let connect = connect_to(&cloud, service_type, &tls, settings.timeout);
        let connection = within(&runtime, settings.deadline, "cannot reach the cloud", connect)?;
        let url = args.url.clone().unwrap_or(connection.endpoint);
        settings = Settings { base_url: url.trim_end_matches('/').to_string(), ..settings }
            .token_source(connection.keystone)
            .server_max(connection.server_max)
            .tls(connection.tls);
    } else {
        settings = settings.tls(Tls::load(&tls_flags(&args))?);
    }
    if let Some(name) = &args.as_member {
        let paths = CloudConfig::standard_paths();
        let tls = tls_flags(&args);
        let what = format!("cannot log in as {name}");
        let member = within(
            &runtime,
            settings.deadline,
            &what,
            login(name, &paths, &tls, settings.timeout),
        )?;
        settings = settings.member(member);
    }
    let seed = settings.seed;
    let mut outcome = runtime.block_on(stackspec_conformance::run(spec, settings))?;
    let options = <Args as clap::Args>::augment_args(clap::Command::new("conform"));
    outcome.rerun = super::rerun::rerun(&options, matches, cloud_from_env(&args).as_deref());
    let summary = report::terminal::render(&outcome);
    if reports.uses_stdout() {
        eprint!("{summary}");
    } else {
        print!("{summary}");
        std::io::stdout().flush()?;
    }
    reports.write(&outcome)?;
    if let Some(har) = &outcome.recorded {
        eprintln!("conform: exchanges recorded in {}", har.display());
    }
    if let Some(why) = report::coverage::nothing_sent(&outcome) {
        eprintln!("conform: {why}");
        return Ok(ExitCode::from(2));
    }
    if outcome.failed() {
        eprintln!("conform: failures found; rerun with --seed {seed} to reproduce");
    }
    Ok(ExitCode::from(outcome.exit_code()))
}

/// Runs `future` to its end, unless `deadline` passes first (a cloud that never answers).
fn within<T, E>(
    runtime: &tokio::runtime::Runtime,
    deadline: Duration,
    what: &str,
    future: impl std::future::Future<Output = Result<T, E>>,
) -> anyhow::Result<T>
where
    anyhow::Error: From<E>,
{
    let result = runtime.block_on(async { tokio::time::timeout(deadline, future).await });
    let result = result.map_err(|_| anyhow!("{what}: no answer within --deadline {deadline:?}"))?;
    Ok(result?)
}

/// The cloud to test: `--os-cloud`; else, without `--url`, `OS_CLOUD` or the `OS_*`
/// variables.
fn cloud(args: &Args) -> anyhow::Result<Option<CloudConfig>> {
    let paths = CloudConfig::standard_paths();
    let named = args.os_cloud.clone().or_else(|| cloud_from_env(args));
    match (named, &args.url) {
        (Some(name), _) => Ok(Some(CloudConfig::load(&name, &paths)?)),
        (None, Some(_)) => Ok(None),
        (None, None) => match CloudConfig::from_env() {
            Some(cloud) => Ok(Some(cloud)),
            None => bail!("give --url, --os-cloud, OS_CLOUD or OS_AUTH_URL"),
        },
    }
}

/// The cloud `OS_CLOUD` names, when no option names one (nor `--url`).
fn cloud_from_env(args: &Args) -> Option<String> {
    let given = args.os_cloud.is_some() || args.url.is_some();
    std::env::var("OS_CLOUD").ok().filter(|_| !given)
}

/// The TLS settings given on the command line (or by `OS_CACERT`, `OS_CERT`, `OS_KEY`).
fn tls_flags(args: &Args) -> TlsFiles {
    TlsFiles {
        cacert: args.os_cacert.clone(),
        insecure: args.insecure,
        cert: args.os_cert.clone(),
        key: args.os_key.clone(),
    }
}

fn settings(args: &Args) -> anyhow::Result<Settings> {
    let seed = args.seed.unwrap_or_else(|| {
        let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH);
        now.map_or(0, |d| d.as_nanos() as u64)
    });
    let auth = (args.auth_checks || args.as_member.is_some()).then_some(Phase::Auth);
    let mut s = Settings::new(args.url.as_deref().unwrap_or_default())
        .phases(args.phases.iter().copied().chain(auth))
        .max_cases(args.max_cases)
        .seed(seed)
        .workers(args.workers)
        .allow_mutations(args.allow_mutations)
        .timeout(seconds(args.timeout, "--timeout")?)
        .max_body_size(args.max_body_size)
        .deadline(seconds(args.deadline, "--deadline")?)
        .operation_deadline(seconds(args.operation_deadline, "--operation-deadline")?)
        .retries(args.retries)
        .max_retry_wait(seconds(args.max_retry_wait, "--max-retry-wait")?)
        .rate(args.rate)
        .poll_timeout(seconds(args.poll_timeout, "--poll-timeout")?)
        .progress(std::io::stderr().is_terminal())
        .target(args.against);
    if let Some(dir) = &args.record {
        s = s.record(dir);
    }
    if let Some(path) = &args.overrides {
        s = s.overrides(std::sync::Arc::new(OverrideFile::load(path)?));
    }
    if let Some(v) = &args.microversion {
        s = s.microversion(match v.as_str() {
            "latest" => VersionChoice::Latest,
            v => VersionChoice::Fixed(v.parse()?),
        });
    }
    for h in &args.headers {
        // Not echoed: a header given as `X-Auth-Token=...` carries a token all the same.
        let Some((name, value)) = h.split_once(':') else {
            bail!("-H: expected `Name: value`, got no colon (the value is not shown: it may be a secret)");
        };
        s = s.header(name.trim(), value.trim());
    }
    for id in &args.operations {
        s = s.operation(id);
    }
    for tag in &args.tags {
        s = s.tag(tag);
    }
    for pair in &args.path_values {
        let Some((name, value)) = pair.split_once('=') else {
            bail!("--path-value `{pair}`: expected `NAME=VALUE`");
        };
        s = s.path_value(name.trim(), value.trim());
    }
    Ok(s)
}

fn seconds(value: f64, flag: &str) -> anyhow::Result<Duration> {
    Duration::try_from_secs_f64(value).with_context(|| format!("{flag} {value}: not a duration"))
}
