//! A run: selects operations, drives the phases in order, sends every case through the
//! checks, follows up on creates, and collects the records the reports are made from.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use futures::stream::{self, StreamExt};
use indicatif::{ProgressBar, ProgressStyle};
use stackspec_model::Spec;

use crate::checks;
use crate::cleanup::{Leftover, Registry, Resource};
use crate::deadline::{Deadlines, NotTried};
use crate::errors::error_chain;
use crate::events::Start;
use crate::http::{Client, HttpError, Request, Response};
use crate::overrides::{Active, OverrideError, OverrideStatus};
use crate::phases::links;
use crate::phases::property::{Draw, Origin};
use crate::phases::values::{first_id, Values};
use crate::phases::{self, allowed, choose_version, request_for, Case, CaseOptions, Intent};
use crate::phases::{Phase, ReadBack, Skip};
use crate::plan::{Model, Operation, PlanError};
use crate::reach::{self, Unreachable};
pub use crate::record::Record;

mod lifecycle;
use crate::record_har::{self, HarError, HarRecorder};
use crate::reproduce::Reproducers;
use crate::rerun::Rerun;
use crate::settings::Settings;
use crate::shard::{self as sharding, Shard};

/// States a resource passes through on its way to a final one.
const TRANSITIONAL: [&str; 12] = [
    "building",
    "build",
    "pending",
    "saving",
    "importing",
    "uploading",
    "processing",
    "creating",
    "running",
    "in-progress",
    "in_progress",
    "scheduling",
];

/// The first wait between polls; it doubles up to [`LAST_POLL`]. Short, because most
/// resources settle within a few round trips on a test server, and the doubling keeps a
/// slow cloud from being polled often.
const FIRST_POLL: Duration = Duration::from_millis(10);
const LAST_POLL: Duration = Duration::from_secs(2);

/// Cases in progress per request in flight. A case spends part of its time not sending:
/// checking its response, and waiting between polls of a resource it created (which holds
/// no request slot, see `Client::send`); with more cases under way than `--workers`, the
/// connections stay busy meanwhile. The bound also caps how many resources a run has being
/// built at once (each is read back and deleted by its case). 8 kept the benchmark's server
/// busiest: 4 left connections idle behind polling cases, 16 was no faster.
const CASES_PER_WORKER: usize = 8;

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("no operation `{0}` in the spec")]
    UnknownOperation(String),
    #[error("--skip {operation}/{sample}: `{operation}` has no request sample `{sample}` (its samples: {known})")]
    UnknownSample { operation: String, sample: String, known: String },
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error(transparent)]
    Overrides(#[from] OverrideError),
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The filters leave nothing to test: a run that sends nothing must not pass.
    #[error("nothing to test: no operation {filters} (the spec's tags: {tags})")]
    NothingSelected { filters: String, tags: String },
    #[error(transparent)]
    Unreachable(#[from] Unreachable),
    /// More shards than families of operations that share ids (`crate::shard`).
    #[error("nothing to test: shard {shard} has no operation to send ({families} families of operations that share ids were selected; use fewer shards)")]
    EmptyShard { shard: Shard, families: usize },
    #[error(transparent)]
    Record(#[from] HarError),
}

/// Everything a run found.
#[derive(Debug)]
pub struct Outcome {
    pub spec: String,
    pub base_url: String,
    pub seed: u64,
    pub records: Vec<Record>,
    /// Operation, phase and why it was not exercised.
    pub skipped: Vec<(String, Phase, String)>,
    /// Cases a deadline kept from being sent, by operation and phase.
    pub not_tried: Vec<NotTried>,
    /// What became of each override that applied to this run.
    pub overrides: Vec<OverrideStatus>,
    /// The documented policy of each selected operation that has one.
    pub policies: std::collections::BTreeMap<String, String>,
    /// The path template of each selected operation (for reruns to pin the ids a case used).
    pub templates: std::collections::BTreeMap<String, String>,
    /// What reruns one of its cases (the command line sets the options it was given).
    pub rerun: Rerun,
    /// The HAR file the exchanges were kept in (`--record`).
    pub recorded: Option<std::path::PathBuf>,
    /// When the run started sending, and how long it took.
    pub started: SystemTime,
    pub elapsed: Duration,
    /// The part of the selection this run was (`--shard`), if only a part.
    pub shard: Option<Shard>,
    /// What the run created and could not delete at its end.
    pub leftovers: Vec<Leftover>,
}

impl Outcome {
    /// Whether any check failed, any override was stale, or a deadline left cases untried
    /// (the verdict is then incomplete).
    pub fn failed(&self) -> bool {
        self.records.iter().any(Record::failed)
            || self.overrides.iter().any(OverrideStatus::stale)
            || !self.not_tried.is_empty()
    }

    /// 0 when every check passed, 1 when any failed; warnings never count.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.failed())
    }
}

/// Sends cases and checks their responses.
struct Executor {
    model: Arc<Model>,
    client: Client,
    values: Values,
    settings: Settings,
    /// What the phases are told of the run (from `settings`).
    cases: CaseOptions,
    /// What reproduces each identity's requests in the reports.
    reproducers: Reproducers,
    progress: ProgressBar,
    overrides: Active,
    deadlines: Deadlines,
    /// Set at the first failure when the run stops there (`--exitfirst`).
    stopped: AtomicBool,
    /// Keeps every exchange, with `--record`.
    har: Option<HarRecorder>,
    /// What the run created and has not deleted yet.
    created: Registry,
    /// Set when the run is interrupted (Ctrl-C): nothing more is sent but the clean-up.
    interrupted: AtomicBool,
    /// Deletes of resources the user gave (`--path-value`), held back until every phase is
    /// done with them (see [`Executor::later`]).
    deferred: std::sync::Mutex<Vec<Case>>,
}

/// Why a case was not sent after the run was interrupted.
const INTERRUPTED: &str = "interrupted (Ctrl-C): nothing more was sent but the clean-up";

/// Why a case was not sent after the first failure of an `--exitfirst` run.
const STOPPED_AT_FIRST_FAILURE: &str = "stopped at the first failure (--exitfirst)";

/// Runs every selected phase against `settings.base_url`.
pub async fn run(spec: Spec, settings: Settings) -> Result<Outcome, RunError> {
    let (spec, overrides) = match &settings.overrides {
        Some(file) => Active::new(file, spec, settings.target)?,
        None => (spec, Active::default()),
    };
    let model = Arc::new(Model::new(spec));
    model.check_schemas()?;
    let selected = select(&model, &settings)?;
    let client_config = settings.client_config();
    let client = Client::new(&client_config)?;
    reach::probe(&settings.base_url, settings.timeout).await?;
    let (started, clock) = (SystemTime::now(), Instant::now());
    let progress = if settings.progress {
        let bar = ProgressBar::new(0);
        let style = ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} ETA {eta} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar
    } else {
        ProgressBar::hidden()
    };
    let exec = Arc::new(Executor {
        model: model.clone(),
        client,
        values: Values::given(&settings.path_values),
        settings: settings.clone(),
        cases: settings.case_options(),
        reproducers: Reproducers::new(&client_config),
        progress,
        overrides,
        deadlines: Deadlines::start(&settings),
        stopped: AtomicBool::new(false),
        har: settings.record.as_deref().map(|dir| HarRecorder::new(dir, &client_config)),
        created: Registry::default(),
        interrupted: AtomicBool::new(false),
        deferred: std::sync::Mutex::new(Vec::new()),
    });
    let watcher = settings.interrupt.clone().map(|interrupt| {
        let exec = exec.clone();
        tokio::spawn(async move {
            interrupt.notified().await;
            exec.interrupted.store(true, Ordering::Relaxed);
        })
    });
    let mut outcome = Outcome {
        spec: model.spec.path.display().to_string(),
        base_url: settings.base_url.clone(),
        seed: settings.seed,
        records: Vec::new(),
        skipped: Vec::new(),
        not_tried: Vec::new(),
        overrides: Vec::new(),
        policies: selected
            .iter()
            .map(|&i| &model.operations[i])
            .filter_map(|o| Some((o.id.clone(), o.policy.as_ref()?.name().to_string())))
            .collect(),
        templates: selected
            .iter()
            .map(|&i| &model.operations[i])
            .map(|o| (o.id.clone(), o.path.clone()))
            .collect(),
        rerun: Rerun::minimal(&model.spec.path.display().to_string(), &settings.base_url),
        recorded: None,
        started,
        elapsed: Duration::ZERO,
        shard: settings.shard,
        leftovers: Vec::new(),
    };
    let mut phases = settings.phases.clone();
    phases.sort();
    phases.dedup();
    if let Some(events) = &settings.events {
        events.started(&Start {
            spec: &outcome.spec,
            url: &outcome.base_url,
            seed: outcome.seed,
            started,
            phases: &phases,
            operations: &outcome.templates,
            shard: outcome.shard,
        });
    }
    for phase in phases {
        let mut runnable = Vec::new();
        for &i in &selected {
            let op = &model.operations[i];
            match skip_reason(op, &settings) {
                None => runnable.push(i),
                Some(why) => outcome.skipped.push((op.id.clone(), phase, why.to_string())),
            }
        }
        match phase {
            Phase::Examples => exec.examples(&runnable, &mut outcome).await,
            Phase::Property => exec.property(&runnable, &mut outcome).await,
            Phase::Negative => exec.negative(&runnable, &mut outcome).await,
            Phase::Auth => exec.auth(&runnable, &mut outcome).await,
        }
    }
    exec.send_deferred(&mut outcome).await;
    // Also after a failure, a deadline or an interruption: every case has settled by now.
    exec.clean_up(&mut outcome).await;
    if let Some(watcher) = watcher {
        watcher.abort();
    }
    exec.progress.finish_and_clear();
    outcome.not_tried = exec.deadlines.take_not_tried();
    outcome.overrides = exec.overrides.statuses(&outcome.records);
    outcome.elapsed = clock.elapsed();
    if let Some(har) = &exec.har {
        outcome.recorded = Some(har.finish(&har_name(&model.spec.path, started))?);
    }
    Ok(outcome)
}

/// Why `op` is not sent in any phase, if it is not: declared not servable, or a mutation
/// that was not allowed.
pub(crate) fn skip_reason(op: &Operation, settings: &Settings) -> Option<Skip> {
    if let Some((_, reason)) = settings.skips.iter().find(|(id, _)| *id == op.id) {
        return Some(Skip::Declared(reason.clone()));
    }
    (!allowed(op, settings.allow_mutations)).then(|| Skip::Mutation(op.method.clone()))
}

/// Why `case` is not sent, if its request sample is declared not servable
/// (`--skip OPERATION/SAMPLE=REASON`).
pub(crate) fn declared_sample(model: &Model, settings: &Settings, case: &Case) -> Option<Skip> {
    let sample = case.example.as_deref()?;
    let reason = settings.declared_sample(&model.operations[case.operation].id, sample)?;
    Some(Skip::Declared(format!("request sample `{sample}`: {reason}")))
}

/// Appends numbered records to the outcome in their cases' order, not the order they came
/// in, so that a case's place among its operation's (its name in JUnit) does not depend on
/// timing.
fn keep_in_case_order(mut records: Vec<(usize, Vec<Record>)>, outcome: &mut Outcome) {
    records.sort_unstable_by_key(|(k, _)| *k);
    outcome.records.reserve(records.iter().map(|(_, r)| r.len()).sum());
    outcome.records.extend(records.into_iter().flat_map(|(_, r)| r));
}

/// `compute-1767651300`: the spec's file stem and the second the run started, so that
/// runs recorded into one directory keep their own files.
fn har_name(spec: &std::path::Path, started: SystemTime) -> String {
    let stem = spec.file_stem().map_or("run".into(), |s| s.to_string_lossy());
    let at = started.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    format!("{stem}-{at}")
}

/// Every `--skip OPERATION/SAMPLE` names a request sample of its operation.
fn check_declared_samples(model: &Model, settings: &Settings) -> Result<(), RunError> {
    for (operation, sample) in settings.skips.iter().filter_map(|(id, _)| id.split_once('/')) {
        let Some(op) = model.operation(operation) else { continue };
        let names: Vec<&str> = op.request_examples.iter().map(|e| e.name.as_str()).collect();
        if !names.contains(&sample) {
            let known = if names.is_empty() { "none".to_string() } else { names.join(", ") };
            let (operation, sample) = (operation.to_string(), sample.to_string());
            return Err(RunError::UnknownSample { operation, sample, known });
        }
    }
    Ok(())
}

/// Indexes of the operations the filters keep, in document order.
pub(crate) fn select(model: &Model, settings: &Settings) -> Result<Vec<usize>, RunError> {
    let skipped =
        settings.skips.iter().map(|(id, _)| id.split_once('/').map_or(id.as_str(), |(o, _)| o));
    let named = settings.operations.iter().map(String::as_str).chain(skipped);
    if let Some(unknown) = named.into_iter().find(|id| model.operation(id).is_none()) {
        return Err(RunError::UnknownOperation(unknown.to_string()));
    }
    check_declared_samples(model, settings)?;
    let selected: Vec<usize> = model
        .operations
        .iter()
        .enumerate()
        .filter(|(_, o)| settings.operations.is_empty() || settings.operations.contains(&o.id))
        .filter(|(_, o)| {
            settings.tags.is_empty() || o.tags.iter().any(|t| settings.tags.contains(t))
        })
        .map(|(i, _)| i)
        .collect();
    if selected.is_empty() {
        return Err(nothing_selected(model, settings));
    }
    let Some(shard) = settings.shard else {
        return Ok(selected);
    };
    let runs = |i: usize| allowed(&model.operations[i], settings.allow_mutations);
    let part = shard.select(model, &selected, runs);
    if !part.iter().any(|&i| runs(i)) {
        let families = sharding::families(model, &selected).len();
        return Err(RunError::EmptyShard { shard, families });
    }
    Ok(part)
}

/// Names the filters that together match no operation, and the tags there are.
fn nothing_selected(model: &Model, settings: &Settings) -> RunError {
    let mut filters = Vec::new();
    if !settings.operations.is_empty() {
        filters.push(format!("is --operation {}", settings.operations.join(", ")));
    }
    if !settings.tags.is_empty() {
        filters.push(format!("has --tag {}", settings.tags.join(", ")));
    }
    if filters.is_empty() {
        filters.push("is in the spec".into());
    }
    let mut tags: Vec<&str> =
        model.operations.iter().flat_map(|o| &o.tags).map(String::as_str).collect();
    tags.sort_unstable();
    tags.dedup();
    let tags = if tags.is_empty() { "none".to_string() } else { tags.join(", ") };
    RunError::NothingSelected { filters: filters.join(" and "), tags }
}

impl Executor {
    /// Operations with fewer path parameters go first, so that ids learned from lists and
    /// creates fill the paths below them.
    async fn examples(self: &Arc<Self>, ops: &[usize], outcome: &mut Outcome) {
        let depth = |i: &usize| self.model.operations[*i].path_parameters().count();
        let max = ops.iter().map(depth).max().unwrap_or(0);
        for level in 0..=max {
            let wave: Vec<usize> = ops.iter().copied().filter(|i| depth(i) == level).collect();
            let mut cases = self.plan(&wave, outcome, Phase::Examples, |i| {
                phases::examples::cases(&self.model, i, &self.cases, &self.values)
            });
            self.drop_declared_samples(&mut cases, outcome);
            for &i in &wave {
                let id = &self.model.operations[i].id;
                for why in phases::examples::samples_outside(&self.model, i, &self.cases) {
                    outcome.skipped.push((id.clone(), Phase::Examples, why.to_string()));
                }
            }
            for case in &mut cases {
                self.overrides.expect(&self.model, case);
            }
            self.execute_all(cases, outcome).await;
        }
    }

    /// Takes the cases of request samples declared not servable (`--skip OPERATION/SAMPLE`)
    /// out of `cases`, reporting each as skipped with its reason.
    fn drop_declared_samples(&self, cases: &mut Vec<Case>, outcome: &mut Outcome) {
        cases.retain(|case| {
            let Some(why) = declared_sample(&self.model, &self.settings, case) else {
                return true;
            };
            let id = self.model.operations[case.operation].id.clone();
            outcome.skipped.push((id, Phase::Examples, why.to_string()));
            self.progress.dec_length(1);
            false
        });
    }

    async fn negative(self: &Arc<Self>, ops: &[usize], outcome: &mut Outcome) {
        let cases = self.plan(ops, outcome, Phase::Negative, |i| {
            phases::negative::cases(&self.model, i, &self.cases, &self.values)
        });
        self.execute_all(cases, outcome).await;
    }

    async fn auth(self: &Arc<Self>, ops: &[usize], outcome: &mut Outcome) {
        let cases = self.plan(ops, outcome, Phase::Auth, |i| {
            phases::auth::cases(&self.model, i, &self.cases, &self.values)
        });
        self.execute_all(cases, outcome).await;
    }

    /// Every operation's draws go out concurrently; then the first draw (in draw order, so
    /// the seed decides which) of each distinct failure is shrunk toward a simpler input
    /// failing the same way.
    async fn property(self: &Arc<Self>, ops: &[usize], outcome: &mut Outcome) {
        let mut draws = Vec::new();
        for &i in ops {
            match phases::property::draw(&self.model, i, &self.cases) {
                Ok(d) => draws.extend(d),
                Err(why) => {
                    let id = self.model.operations[i].id.clone();
                    outcome.skipped.push((id, Phase::Property, why.to_string()));
                }
            }
        }
        self.progress.inc_length(draws.len() as u64);
        let (origins, queue) = in_sending_order(draws);
        let mut results = Vec::new();
        for stage in self.stages(queue) {
            results.extend(self.send_each(stage).await);
        }
        results.sort_by_key(|(k, _)| *k);
        // Records are large: grown by doubling, the list would be copied a dozen times.
        outcome.records.reserve(results.iter().map(|(_, r)| r.len()).sum());
        let mut distinct = phases::property::Distinct::default();
        let mut failing: Vec<(Origin, Vec<Record>, String)> = Vec::new();
        for (k, records) in results {
            let origin = origins[k];
            match (records.iter().any(Record::failed), distinct.first_of(origin, &records)) {
                (false, _) => outcome.records.extend(records),
                (true, Some(target)) => failing.push((origin, records, target)),
                // A failure already found by an earlier draw: only its shrunk first is
                // reported.
                (true, None) => {}
            }
        }
        let shrunk = stream::iter(failing)
            .then(|(origin, records, target)| async move {
                // Shrinking reports the failure found, so `--exitfirst` does not stop it.
                let execute = |case| self.send_case(case);
                let cases = &self.cases;
                phases::property::shrink(&self.model, cases, origin, records, &target, execute)
                    .await
            })
            .collect::<Vec<_>>()
            .await;
        for records in &shrunk {
            self.settled(records);
        }
        outcome.records.extend(shrunk.into_iter().flatten());
    }

    fn plan(
        &self,
        ops: &[usize],
        outcome: &mut Outcome,
        phase: Phase,
        cases: impl Fn(usize) -> Result<Vec<Case>, Skip>,
    ) -> Vec<Case> {
        let mut out = Vec::new();
        for &i in ops {
            match cases(i) {
                Ok(c) => out.extend(c),
                Err(why) => {
                    let id = self.model.operations[i].id.clone();
                    outcome.skipped.push((id, phase, why.to_string()));
                }
            }
        }
        self.progress.inc_length(out.len() as u64);
        out
    }

    /// How many cases may be in progress at once (see [`CASES_PER_WORKER`]).
    fn window(&self) -> usize {
        self.settings.workers * CASES_PER_WORKER
    }

    /// Sends `cases` concurrently; their records are kept in the cases' order, so that a
    /// case's place among its operation's (its name in JUnit) does not depend on timing.
    async fn execute_all(self: &Arc<Self>, cases: Vec<Case>, outcome: &mut Outcome) {
        let mut records = Vec::new();
        let numbered = cases.into_iter().enumerate().collect();
        for stage in self.stages(numbered) {
            records.extend(self.send_each(stage).await);
        }
        keep_in_case_order(records, outcome);
    }

    /// A phase's numbered cases in the stages they go out in ([`links::stages`]), without the
    /// deletes of resources the user gave, which wait for the end of the run.
    fn stages(&self, numbered: Vec<(usize, Case)>) -> [Vec<(usize, Case)>; 3] {
        let [creates, others, deletes] = links::stages(&self.model, numbered, |(_, case)| case);
        let (later, now): (Vec<_>, Vec<_>) = deletes
            .into_iter()
            .partition(|(_, c)| self.values.names_given(c.operation_in(&self.model)));
        self.later(later.into_iter().map(|(_, c)| c));
        [creates, others, now]
    }

    /// Holds back deletes of what the user gave (`--path-value`: a seeded server, a stack)
    /// until the last phase is done: sent at once, the examples phase would delete what every
    /// later phase is told exists, and those would test a 404. The user vouched for the
    /// resource for the whole run, so the run deletes it at its end, as a user would.
    fn later(&self, cases: impl IntoIterator<Item = Case>) {
        self.deferred.lock().unwrap_or_else(|e| e.into_inner()).extend(cases);
    }

    /// Sends the held-back deletes, after every phase.
    async fn send_deferred(&self, outcome: &mut Outcome) {
        let cases = std::mem::take(&mut *self.deferred.lock().unwrap_or_else(|e| e.into_inner()));
        let records = self.send_each(cases.into_iter().enumerate().collect()).await;
        keep_in_case_order(records, outcome);
    }

    /// Sends numbered cases concurrently; their records with their numbers, as they come.
    async fn send_each(&self, cases: Vec<(usize, Case)>) -> Vec<(usize, Vec<Record>)> {
        stream::iter(cases)
            .map(|(k, case)| async move { (k, self.execute(case).await) })
            .buffer_unordered(self.window())
            .collect()
            .await
    }

    /// Sends one case (or counts it as not tried once its deadline has passed).
    async fn execute(&self, case: Case) -> Vec<Record> {
        let (operation, phase) = (case.operation, case.phase);
        match self.try_execute(case).await {
            Ok(records) => {
                // A failing draw is told once shrunk (or dropped as a later failure).
                if !(phase == Phase::Property && records.iter().any(Record::failed)) {
                    self.settled(&records);
                }
                records
            }
            Err(why) => {
                self.progress.inc(1);
                self.deadlines.not_tried(&self.model.operations[operation].id, phase, why);
                Vec::new()
            }
        }
    }

    /// Tells the run's events receiver, if any, of one case's final records.
    fn settled(&self, records: &[Record]) {
        if let Some(events) = &self.settings.events {
            events.recorded(records);
        }
    }

    /// Sends one case within its deadline, checks the response, learns ids from it, and
    /// reads back what it created; or says why it is too late to send it (its deadline
    /// passed, or an `--exitfirst` run failed already).
    async fn try_execute(&self, case: Case) -> Result<Vec<Record>, String> {
        if self.stopped.load(Ordering::Relaxed) {
            return Err(STOPPED_AT_FIRST_FAILURE.to_string());
        }
        let records = self.send_case(case).await?;
        if self.settings.exit_first && records.iter().any(Record::failed) {
            self.stopped.store(true, Ordering::Relaxed);
        }
        Ok(records)
    }

    /// [`Self::try_execute`] without the `--exitfirst` stop.
    async fn send_case(&self, case: Case) -> Result<Vec<Record>, String> {
        if self.interrupted.load(Ordering::Relaxed) {
            return Err(INTERRUPTED.to_string());
        }
        let deadline = self.deadlines.start_case(case.operation)?;
        let case = links::bind(&self.model, &self.values, case);
        let start = Instant::now();
        let sent = tokio::time::timeout_at(deadline.at, self.client.send(&case.request));
        let result = sent.await.unwrap_or_else(|_| {
            let request = &case.request;
            let (method, path) = (request.method.clone(), request.path.clone());
            Err(HttpError::Stopped { method, path, why: deadline.why })
        });
        self.progress.inc(1);
        self.deadlines.end_case(case.operation);
        let (created, deleted) = match &result {
            Ok(response) => (self.after(&case, response), self.deleted(&case, response)),
            Err(_) => (None, None),
        };
        let origin = (case.operation, case.phase, case.microversion, case.seed);
        // The create's own path values (its parents: a stack's snapshots live under the
        // stack's tenant, name and id) are the read-back's too.
        let parents = created.as_ref().map(|_| {
            links::sent_values(&self.model.operations[case.operation].path, &case.request.path)
        });
        // The response is checked and dropped before any read-back: a case waiting between
        // polls holds no body, so memory stays bounded by the requests in flight.
        let mut out = vec![self.record(case, result, start.elapsed())];
        if let Some((created, parents)) = created.zip(parents) {
            out.extend(self.read_back(origin, created, parents).await);
        }
        if let Some((resource, status)) = deleted {
            out.push(self.read_after_delete(resource, status).await);
        }
        Ok(out)
    }

    fn record(&self, case: Case, result: Result<Response, HttpError>, elapsed: Duration) -> Record {
        let op = case.operation_in(&self.model);
        let reproducer = self.reproducers.get(case.request.credentials).clone();
        let timed_out = result.as_ref().is_err_and(HttpError::timed_out);
        if let Some(har) = &self.har {
            let source = record_har::Source { operation: &op.id, phase: case.phase.name() };
            let now = SystemTime::now();
            let started = now.checked_sub(elapsed).unwrap_or(now);
            har.exchange(source, &case.request, &result, started, elapsed);
        }
        let (status, (findings, acknowledged), error) = match result {
            Ok(r) => {
                let findings = checks::run_all(&case, &r, &self.model);
                (Some(r.status), self.overrides.acknowledge(&self.model, &case, &r, findings), None)
            }
            Err(e) => (None, (Vec::new(), Vec::new()), Some(error_chain(&e))),
        };
        let operation = op.id.clone();
        Record {
            operation,
            case,
            status,
            findings,
            acknowledged,
            error,
            elapsed,
            timed_out,
            reproducer,
        }
    }

    /// Learns ids from a successful response; returns what a valid POST created, when the
    /// run reads back what it creates.
    fn after(&self, case: &Case, response: &Response) -> Option<Created> {
        let op = case.operation_in(&self.model);
        let success = (200..300).contains(&response.status);
        if success {
            links::learn(&self.model, &self.values, op, response, op.method == "POST");
            self.follow_rename(case, response);
        }
        // A create at a placeholder path that succeeded made something all the same, and
        // unusual input may well be accepted: what either created is read back and deleted.
        let meant =
            matches!(case.intent, Intent::Valid | Intent::Placeholder | Intent::Unusual { .. });
        let creates = op.method == "POST" && meant;
        if !(success && creates && self.settings.allow_mutations) {
            return None;
        }
        let id = response
            .json
            .as_ref()
            .and_then(first_id)
            .or_else(|| links::location_id(&response.header("location")?))?;
        Some(Created { id, status: response.status })
    }

    /// After an update that renamed its resource ([`links::renamed`]): the old value is
    /// forgotten, the new one learned (as made by the run when the old one was), and the
    /// clean-up deletes the resource under its new path.
    fn follow_rename(&self, case: &Case, response: &Response) {
        let op = case.operation_in(&self.model);
        let Some(r) = links::renamed(op, &self.model, &case.request.path, response) else {
            return;
        };
        let created = self.values.made_by_run(&r.param, &r.old);
        self.values.forget(&r.old);
        self.values.learn_pairs([(r.param, r.new.clone())], created);
        self.created.rename(&case.request.path, &r.path, &r.new);
    }

    /// Reads back what a POST of the case `origin` (operation, phase, microversion, seed)
    /// created (polling a 202 until a final state), and registers it for deletion at the
    /// end of the run, so that later cases can use it.
    async fn read_back(
        &self,
        origin: CaseOrigin,
        created: Created,
        mut path: Vec<(String, String)>,
    ) -> Option<Record> {
        let (operation, phase, microversion, seed) = origin;
        let op = &self.model.operations[operation];
        let (index, param) = links::item_read(&self.model, op)?;
        let Created { id, status } = created;
        let read_op = &self.model.operations[index];
        let version = choose_version(&self.model, read_op, &self.cases, microversion).ok()?;
        path.retain(|(name, _)| *name != param);
        path.push((param, id.clone()));
        let request = request_for(read_op, &path, version);
        let resource = Resource {
            read: request.clone(),
            read_operation: index,
            id: id.clone(),
            created_status: status,
            phase,
            microversion: version,
            seed,
        };
        let start = Instant::now();
        let (result, polls, state, settled) = self.poll(&request, status == 202).await;
        let elapsed = start.elapsed();
        // Still building: unless an id that never existed is just as "found" (a server, or a
        // mock, that does not tell ids apart: then it is not judged).
        let control = match settled {
            true => None,
            false => self.control(&resource).await,
        };
        self.created.register(resource);
        let read = Case {
            operation: index,
            phase,
            request,
            microversion: version,
            intent: Intent::ReadBack(ReadBack {
                id,
                created_status: status,
                polls,
                settled,
                state,
                control,
            }),
            sample: None,
            example: None,
            seed,
        };
        Some(self.record(read, result, elapsed))
    }

    /// GETs until the resource leaves its transitional state (only when `wait`), within
    /// the poll timeout.
    async fn poll(
        &self,
        request: &Request,
        wait: bool,
    ) -> (Result<Response, HttpError>, u32, Option<String>, bool) {
        let deadline = Instant::now() + self.settings.poll_timeout;
        let mut interval = FIRST_POLL;
        let mut polls = 0;
        loop {
            let result = self.client.send(request).await;
            polls += 1;
            let state = result.as_ref().ok().and_then(state_of);
            let moving = state.as_deref().is_some_and(|s| {
                TRANSITIONAL.contains(&s.to_ascii_lowercase().as_str())
                    || s.to_ascii_lowercase().ends_with("_in_progress")
            });
            let ok = result.as_ref().is_ok_and(|r| (200..300).contains(&r.status));
            if !(wait && ok && moving) {
                return (result, polls, state, true);
            }
            if Instant::now() + interval > deadline {
                return (result, polls, state, false);
            }
            tokio::time::sleep(interval).await;
            interval = (interval * 2).min(LAST_POLL);
        }
    }
}

/// A resource a case created: its id and the status of the create.
struct Created {
    id: String,
    status: u16,
}

/// What a read-back takes over from the case that created: operation index, phase,
/// microversion and seed.
type CaseOrigin = (usize, Phase, Option<stackspec_model::version::Microversion>, Option<u64>);

/// The indexes of draws (given by the operation each is for) taking each operation in turn:
/// every operation's first draw, then every operation's second, ..., so that operations
/// whose cases wait (polling a resource being built) are spread over the run instead of
/// filling every slot at once.
fn round_robin(operations: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut drawn: HashMap<usize, usize> = HashMap::new();
    let mut order: Vec<(usize, usize)> = operations
        .enumerate()
        .map(|(k, operation)| {
            let rank = drawn.entry(operation).or_default();
            *rank += 1;
            (*rank, k)
        })
        .collect();
    order.sort_unstable();
    order.into_iter().map(|(_, k)| k).collect()
}

/// The draws' origins by draw index, and their cases in [`round_robin`] order, each with
/// its draw index. Each case moves into the request that sends it and then into its record.
fn in_sending_order(draws: Vec<Draw>) -> (Vec<Origin>, Vec<(usize, Case)>) {
    let order = round_robin(draws.iter().map(|d| d.origin.operation));
    let origins = draws.iter().map(|d| d.origin).collect();
    let mut cases: Vec<Option<Case>> = draws.into_iter().map(|d| Some(d.case)).collect();
    let queue = order.into_iter().filter_map(|k| Some((k, cases[k].take()?))).collect();
    (origins, queue)
}

/// A resource's `status` (top level or under its single key).
fn state_of(response: &Response) -> Option<String> {
    let body = response.json.as_ref()?;
    let direct = body.get("status");
    let nested = || body.as_object()?.values().find_map(|v| v.get("status"));
    direct.or_else(nested)?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::round_robin;

    #[test]
    fn round_robin_takes_each_operation_in_turn_in_draw_order() {
        // Draws 0-2 are for operation 0, 3-4 for operation 1, 5 for operation 2.
        let order = round_robin([0, 0, 0, 1, 1, 2].into_iter());
        assert_eq!(order, [0, 3, 5, 1, 4, 2]);
    }
}
