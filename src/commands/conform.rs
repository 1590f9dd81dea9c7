//! `stackspec conform`: hold a live endpoint to a spec. Parses flags into
//! `stackspec_conformance::Settings`, runs, prints the summary and writes the reports.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use anyhow::{anyhow, bail, Context};
use clap::parser::ValueSource;
use clap::ArgMatches;
use stackspec_conformance::cloud::{connect_to, login, CloudConfig};
use stackspec_conformance::overrides::{OverrideFile, Target};
use stackspec_conformance::report::output::Reports;
use stackspec_conformance::report::terminal::Verbosity;
use stackspec_conformance::tls::{Tls, TlsFiles};
use stackspec_conformance::{checks, Phase, Settings, VersionChoice, DEFAULT_MAX_BODY_SIZE};
use stackspec_conformance::{report, secrets};
use stackspec_model::Spec;

/// Replay documented samples, generated requests and invalid requests against a live
/// endpoint; exit 0 when every check passed, 1 when any failed, 2 for a usage or spec error.
#[derive(Debug, clap::Args)]
#[command(after_help = after_help())]
pub struct Args {
    /// A built-in service's spec, as built into this binary (compute, image, orchestration,
    /// baremetal-introspection): no checkout needed.
    #[arg(long, help_heading = TARGET, required_unless_present = "spec", conflicts_with = "spec")]
    service: Option<String>,
    /// The OpenAPI spec file to hold the endpoint to (instead of `--service`).
    #[arg(long, help_heading = TARGET)]
    spec: Option<PathBuf>,
    /// The endpoint's base URL (paths in the spec are appended to it); with a cloud, it
    /// replaces the catalog's.
    #[arg(long, help_heading = TARGET)]
    url: Option<String>,
    /// The service's endpoint, bypassing the catalog, as the openstack CLI's: with a cloud,
    /// over its `*_endpoint_override`; without one, as `--url` (which wins over it).
    #[arg(long, value_name = "URL", env = "OS_ENDPOINT", help_heading = TARGET)]
    os_endpoint: Option<String>,
    /// What is tested: `service` (a real service: every override applies) or `mock` (a
    /// mock built from the docs: only overrides `seen-on: docs` apply).
    #[arg(long, default_value = "service", value_name = "service|mock", help_heading = TARGET)]
    against: Target,
    /// Reviewed overrides for findings in the docs (e.g. `conformance/overrides.yaml`):
    /// each turns a documented defect into an acknowledged finding; one that matches
    /// nothing in the run is stale and fails it.
    #[arg(long, value_name = "FILE", help_heading = TARGET)]
    overrides: Option<PathBuf>,

    /// A cloud from clouds.yaml (and secure.yaml): Keystone v3 (or `none`, `noauth`,
    /// `admin_token`, `http_basic`, `token` with an endpoint override), the endpoint from
    /// the catalog, microversions discovered. Without it and `--url`, the `OS_AUTH_URL`,
    /// `OS_USERNAME`, ... environment variables make the cloud.
    #[arg(long, value_name = "NAME", env = "OS_CLOUD", help_heading = AUTH)]
    os_cloud: Option<String>,
    /// The cloud's region, over its `region_name`.
    #[arg(long, value_name = "REGION", env = "OS_REGION_NAME", help_heading = AUTH)]
    os_region_name: Option<String>,
    /// The catalog interface (public, internal, admin), over the cloud's `interface`.
    #[arg(long, value_name = "INTERFACE", env = "OS_INTERFACE", help_heading = AUTH)]
    os_interface: Option<String>,
    /// A header sent with every request, `Name: value` (repeatable).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", help_heading = AUTH)]
    headers: Vec<String>,
    /// A PEM bundle of the CAs to trust for TLS, instead of the built-in ones (a private
    /// cloud's CA); over the cloud's `cacert`.
    #[arg(long, value_name = "FILE", env = "OS_CACERT", help_heading = AUTH)]
    os_cacert: Option<PathBuf>,
    /// A PEM client certificate for TLS (with its key, unless `--os-key` is given); over
    /// the cloud's `cert`.
    #[arg(long, value_name = "FILE", env = "OS_CERT", help_heading = AUTH)]
    os_cert: Option<PathBuf>,
    /// The PEM private key of `--os-cert`; over the cloud's `key`.
    #[arg(long, value_name = "FILE", env = "OS_KEY", help_heading = AUTH)]
    os_key: Option<PathBuf>,
    /// Do not verify servers' TLS certificates (as the cloud's `verify: false`).
    #[arg(long, help_heading = AUTH)]
    insecure: bool,
    /// Add the auth phase: every selected operation once with no token and once with a
    /// bogus one; each must get 401.
    #[arg(long, help_heading = AUTH)]
    auth_checks: bool,
    /// A clouds.yaml entry for a member-only user: the auth phase also sends every
    /// operation with its token; operations the spec reserves for admins must get 403, and
    /// the report says which role each needed. Implies `--auth-checks`.
    #[arg(long, value_name = "CLOUD", help_heading = AUTH)]
    as_member: Option<String>,

    /// Comma-separated phases to run.
    #[arg(long, value_delimiter = ',', default_value = "examples,property,negative",
          value_parser = phase_parser(), help_heading = SELECTION)]
    phases: Vec<Phase>,
    /// Only this operation id (repeatable).
    #[arg(long = "operation", value_name = "ID", help_heading = SELECTION)]
    operations: Vec<String>,
    /// Only operations with this tag (repeatable).
    #[arg(long = "tag", value_name = "T", help_heading = SELECTION)]
    tags: Vec<String>,
    /// Also send methods that change state (POST, PUT, PATCH, DELETE).
    #[arg(long, help_heading = SELECTION)]
    allow_mutations: bool,
    /// `ID=REASON` (repeatable): the endpoint cannot serve operation ID (a cloud without a
    /// compute host cannot boot a server); it is reported as skipped with the reason, in
    /// every phase, never sent and never counted as passed. `OPERATION/SAMPLE=REASON`
    /// declares one request sample of the examples phase instead (a cloud without internet
    /// access cannot import from the sample's URL).
    #[arg(long = "skip", value_name = "ID=REASON", help_heading = SELECTION)]
    skips: Vec<String>,

    /// `X.Y`, or `latest` for the spec's highest; default: each sample's own version.
    #[arg(long, help_heading = GENERATION)]
    microversion: Option<String>,
    /// A value for a path parameter, `NAME=VALUE` (repeatable): the id of a resource that
    /// exists for the run (seeded), used by every method, also those that change state; also
    /// for a header parameter that names one (a store), sent with generated valid input.
    #[arg(long = "path-value", value_name = "NAME=VALUE", help_heading = GENERATION)]
    path_values: Vec<String>,
    /// Requests per operation and phase, at most.
    #[arg(long, default_value_t = 50, help_heading = GENERATION)]
    max_cases: u32,
    /// Seed for generated cases; printed with every failure (default: from the clock).
    #[arg(long, help_heading = GENERATION)]
    seed: Option<u64>,
    /// Run only part I of N of the selected operations (families of operations that share
    /// ids, split the same way on every machine); join the parts' JSON reports with
    /// `stackspec report merge`. Needs `--seed`: every shard must draw the cases of one run.
    #[arg(long, value_name = "I/N", requires = "seed", help_heading = SELECTION)]
    shard: Option<stackspec_conformance::shard::Shard>,

    /// Requests in flight at once (up to 8 times as many cases are under way, so that
    /// checking responses and waiting between polls leave no connection idle).
    #[arg(long, default_value_t = 8, help_heading = LIMITS)]
    workers: usize,
    /// Per-request timeout in seconds (the whole exchange, body included).
    #[arg(long, default_value_t = 30.0, help_heading = LIMITS)]
    timeout: f64,
    /// The largest response body read, in bytes; a larger one fails its case ("body larger
    /// than N bytes") and is read no further.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BODY_SIZE, help_heading = LIMITS)]
    max_body_size: usize,
    /// Seconds the whole run may take (and, before it, reaching the cloud); cases not sent
    /// by then are reported as not tried and fail the run.
    #[arg(long, value_name = "SECONDS", default_value_t = 1800.0, help_heading = LIMITS)]
    deadline: f64,
    /// Seconds one operation's cases may take, from its first request; the rest are
    /// reported as not tried.
    #[arg(long, value_name = "SECONDS", default_value_t = 300.0, help_heading = LIMITS)]
    operation_deadline: f64,
    /// Retries after a 429 or 503 (honouring Retry-After).
    #[arg(long, default_value_t = 3, help_heading = LIMITS)]
    retries: u32,
    /// The longest wait before a retry, in seconds; a 429 or 503 whose Retry-After asks
    /// for more is taken as the answer, not retried.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0, help_heading = LIMITS)]
    max_retry_wait: f64,
    /// Requests per second, at most.
    #[arg(long, help_heading = LIMITS)]
    rate: Option<f64>,
    /// Seconds a resource created with 202 may take to reach a final state.
    #[arg(long, default_value_t = 60.0, help_heading = LIMITS)]
    poll_timeout: f64,

    /// Reports to write, e.g. `junit=out.xml,json=out.json,html=out.html,ndjson=events.ndjson`;
    /// `-` is standard output (the summary then goes to standard error). Every path is
    /// opened before the first request; the ndjson events are written as the run goes.
    #[arg(long, value_delimiter = ',', value_name = "KIND=PATH", help_heading = REPORTS)]
    report: Vec<String>,
    /// Keep every exchange (request and response, secrets redacted) as a HAR 1.2 file in
    /// this directory, one file per run (`stackspec compare --observed DIR` reads them).
    #[arg(long, value_name = "DIR", help_heading = REPORTS)]
    record: Option<PathBuf>,
    /// List the operations and phases a run would send, with their case counts or why
    /// they are skipped; send nothing.
    #[arg(long, help_heading = REPORTS)]
    dry_run: bool,
    /// Stop sending at the first failure; the cases left are reported as not tried.
    #[arg(short = 'x', long, help_heading = REPORTS)]
    exitfirst: bool,
    /// Exit 1 when most valid requests of the run, or of some operation, were rejected
    /// (401, 403, or 404 on a path with ids): a run that tested little.
    #[arg(long, help_heading = REPORTS)]
    fail_on_untested: bool,
    /// Print only the failures, what was not tried, the untested warning and the totals.
    #[arg(short, long, conflicts_with = "verbose", help_heading = REPORTS)]
    quiet: bool,
    /// Also print every failing response, each with its reproducer and rerun command.
    #[arg(short, long, help_heading = REPORTS)]
    verbose: bool,
}

const TARGET: &str = "Target";
const AUTH: &str = "Auth";
const SELECTION: &str = "Selection";
const GENERATION: &str = "Generation";
const LIMITS: &str = "Limits";
const REPORTS: &str = "Reports and output";

/// `--phases`: each phase with what it sends, listed in `--help`.
fn phase_parser() -> impl clap::builder::TypedValueParser<Value = Phase> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new([
        PossibleValue::new("examples").help("every documented request sample, as written"),
        PossibleValue::new("property").help("valid input generated from the schemas"),
        PossibleValue::new("negative").help("valid input broken one way at a time, and hostile input (null, odd strings and numbers, wrong content types, undocumented methods)"),
        PossibleValue::new("auth").help("no token, a bogus one, a member's (--auth-checks)"),
    ])
    .try_map(|name| name.parse::<Phase>())
}

/// The examples and the checks, after the options.
fn after_help() -> String {
    format!(
        "Examples:\n\
         \x20 stackspec conform --service image --url http://127.0.0.1:9292 --phases examples\n\
         \x20 stackspec conform --spec spec/compute.yaml --os-cloud devstack --microversion latest \\\n\
         \x20     --allow-mutations --report junit=conform.xml,json=conform.json\n\
         \x20 stackspec conform --service baremetal-introspection --os-cloud inspector -x -q\n\
         \x20 stackspec conform --service image --url http://127.0.0.1:9292 --dry-run\n\
         \x20 stackspec conform --service image --os-cloud devstack --fail-on-untested --report json=-\n\n\
         Checks:\n{}",
        checks::describe()
    )
}

/// Runs conform (`matches`: the options as given, for the rerun command); an error's
/// message has every known secret replaced, like the reports.
pub fn run(args: Args, matches: &ArgMatches) -> anyhow::Result<ExitCode> {
    conform(args, matches).map_err(|e| anyhow!("{}", secrets::redact(&format!("{e:#}"))))
}

fn conform(args: Args, matches: &ArgMatches) -> anyhow::Result<ExitCode> {
    let spec = load_spec(&args)?;
    if args.dry_run {
        let planned = stackspec_conformance::dry_run::plan(spec, &settings(&args)?)?;
        print!("{}", stackspec_conformance::dry_run::render(&planned));
        return Ok(ExitCode::SUCCESS);
    }
    let mut reports = Reports::open(&args.report)?;
    // One thread: a request costs the client little, and handing each one between threads
    // (the run's futures and hyper's connection tasks) cost more than a second thread
    // brought; the server under test, often on the same machine, gets the other cores.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let mut settings = settings(&args)?;
    let cloud_name = named_cloud(&args, matches);
    if let Some(cloud) = cloud(&args, cloud_name.as_deref(), &spec)? {
        let service_type = service_type(&spec)?;
        let tls = tls_flags(&args);
        let connect = connect_to(&cloud, service_type, &tls, settings.timeout);
        let connection = within(&runtime, settings.deadline, "cannot reach the cloud", connect)?;
        let url = connection.endpoint.trim_end_matches('/').to_string();
        settings = Settings { base_url: url, ..settings }
            .cloud_auth(connection.auth)
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
    let options = <Args as clap::Args>::augment_args(clap::Command::new("conform"));
    // `OS_CLOUD` counts only when no `--url` is given: a run it did not shape omits it.
    let unused: &[&str] = if cloud_name.is_none() { &["os_cloud"] } else { &[] };
    let rerun = super::rerun::rerun(&options, matches, unused);
    let interrupt = std::sync::Arc::new(tokio::sync::Notify::new());
    let settings = settings.events(reports.events(rerun.clone())?).interrupt(interrupt.clone());
    runtime.spawn(on_ctrl_c(interrupt));
    let mut outcome = runtime.block_on(stackspec_conformance::run(spec, settings))?;
    outcome.rerun = rerun;
    let summary = report::terminal::render_as(&outcome, verbosity(&args));
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
    let untested = args.fail_on_untested && report::coverage::untested(&outcome).is_some();
    if untested {
        eprintln!("conform: the run tested little (see UNTESTED above; --fail-on-untested)");
    }
    Ok(ExitCode::from(outcome.exit_code().max(u8::from(untested))))
}

/// The first Ctrl-C stops the run, which then deletes what it created and reports; a
/// second one ends the process at once.
async fn on_ctrl_c(interrupt: std::sync::Arc<tokio::sync::Notify>) {
    if tokio::signal::ctrl_c().await.is_ok() {
        eprintln!("conform: interrupted; deleting what the run created (Ctrl-C again to quit)");
        interrupt.notify_one();
        if tokio::signal::ctrl_c().await.is_ok() {
            std::process::exit(130);
        }
    }
}

/// The spec `--service` names (built into the binary) or `--spec` reads.
fn load_spec(args: &Args) -> anyhow::Result<Spec> {
    match (&args.service, &args.spec) {
        (Some(service), _) => Ok(stackspec_mock::builtin_spec(service)?),
        (None, Some(path)) => Ok(Spec::load(path)?),
        (None, None) => bail!("give --service or --spec"),
    }
}

fn service_type(spec: &Spec) -> anyhow::Result<&str> {
    spec.service_type()
        .with_context(|| format!("{}: no service type in info.description", spec.path.display()))
}

fn verbosity(args: &Args) -> Verbosity {
    match (args.quiet, args.verbose) {
        (true, _) => Verbosity::Quiet,
        (false, true) => Verbosity::Verbose,
        (false, false) => Verbosity::Normal,
    }
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

/// The cloud `--os-cloud` names, or `OS_CLOUD` when no `--url` is given.
fn named_cloud(args: &Args, matches: &ArgMatches) -> Option<String> {
    let from_env = matches.value_source("os_cloud") == Some(ValueSource::EnvVariable);
    args.os_cloud.clone().filter(|_| !(from_env && args.url.is_some()))
}

/// The cloud to test: the one `name`d; else, without `--url` or `--os-endpoint`, the `OS_*`
/// variables'. The region, interface and endpoint given as options go over its own.
fn cloud(args: &Args, name: Option<&str>, spec: &Spec) -> anyhow::Result<Option<CloudConfig>> {
    let endpoint = args.url.as_ref().or(args.os_endpoint.as_ref());
    let mut cloud = match (name, endpoint) {
        (Some(name), _) => CloudConfig::load(name, &CloudConfig::standard_paths())?,
        (None, Some(_)) => return Ok(None),
        (None, None) => match CloudConfig::from_env() {
            Some(cloud) => cloud,
            None => bail!("give --url, --os-cloud, OS_CLOUD or OS_AUTH_URL"),
        },
    };
    if let Some(url) = endpoint {
        cloud.override_endpoint(service_type(spec)?, url);
    }
    for (key, value) in [("region_name", &args.os_region_name), ("interface", &args.os_interface)] {
        if let Some(value) = value {
            cloud.set(key, value);
        }
    }
    Ok(Some(cloud))
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
    let url = args.url.as_deref().or(args.os_endpoint.as_deref());
    let mut s = Settings::new(url.unwrap_or_default())
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
        .exit_first(args.exitfirst)
        .target(args.against)
        .shard(args.shard);
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
    for pair in &args.skips {
        let Some((id, reason)) = pair.split_once('=').filter(|(_, r)| !r.trim().is_empty()) else {
            bail!("--skip `{pair}`: expected `ID=REASON` (the reason is shown in the report)");
        };
        s = s.skip(id.trim(), reason.trim());
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
