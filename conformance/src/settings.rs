//! What a run is asked to do. Built with chained setters so that the CLI, tests and the
//! benchmark spell out only what differs from the defaults.

use std::sync::Arc;
use std::time::Duration;

use stackspec_model::version::Microversion;

use crate::cloud::CloudAuth;
use crate::events::Events;
use crate::http::ClientConfig;
use crate::overrides::{OverrideFile, Target};
use crate::phases::{CaseOptions, Phase, VersionChoice};
use crate::secrets;
use crate::shard::Shard;
use crate::tls::Tls;
use crate::token::TokenSource;

/// Everything a run needs besides the spec.
#[derive(Debug, Clone)]
pub struct Settings {
    pub base_url: String,
    /// Sent with every request (authentication, typically).
    pub headers: Vec<(String, String)>,
    pub microversion: VersionChoice,
    /// The highest microversion the server announced, when discovered.
    pub server_max: Option<Microversion>,
    /// Authenticates requests with a token (Keystone's, renewed on 401).
    pub token: Option<Arc<dyn TokenSource>>,
    /// A member-only user's token, for the auth phase's policy checks.
    pub member: Option<Arc<dyn TokenSource>>,
    pub phases: Vec<Phase>,
    /// Only these operation ids (all when empty).
    pub operations: Vec<String>,
    /// Only operations carrying one of these tags (all when empty).
    pub tags: Vec<String>,
    /// Operations the endpoint is declared unable to serve (a cloud without a compute host
    /// cannot boot a server), with the reason: shown as skipped in every phase, never sent,
    /// never counted as passed. An id `OPERATION/SAMPLE` declares one request sample of the
    /// examples phase instead (a cloud without internet access cannot import from the
    /// sample's URL); the operation's other cases still run.
    pub skips: Vec<(String, String)>,
    /// Path parameter values given by the user (ids of resources seeded for the run), used
    /// before anything learned, by every method: the user vouches for them.
    pub path_values: Vec<(String, String)>,
    /// Upper bound on requests per operation and phase.
    pub max_cases: u32,
    pub seed: u64,
    pub workers: usize,
    /// Send methods other than GET and HEAD.
    pub allow_mutations: bool,
    pub timeout: Duration,
    /// The largest response body read; a larger one fails its case, read no further.
    pub max_body_size: usize,
    /// How long the whole run may take; cases not started by then are reported not tried.
    pub deadline: Duration,
    /// How long one operation's cases may take, from its first request.
    pub operation_deadline: Duration,
    /// Retries after a 429 or 503.
    pub retries: u32,
    /// The longest wait before a retry; a `Retry-After` asking for more is not retried.
    pub max_retry_wait: Duration,
    /// Requests per second, at most.
    pub rate: Option<f64>,
    /// How long a 202's resource may take to reach a final state.
    pub poll_timeout: Duration,
    /// Draw a progress bar (only sensible on a terminal).
    pub progress: bool,
    /// Stop sending at the first failure (`-x`); the cases left are reported not tried.
    pub exit_first: bool,
    /// Reviewed corrections for findings in the docs.
    pub overrides: Option<Arc<OverrideFile>>,
    /// The kind of server tested, which decides which overrides apply.
    pub target: Target,
    /// Whom to trust over TLS, and which client certificate to present.
    pub tls: Tls,
    /// Only this part of the selected operations (`--shard I/N`).
    pub shard: Option<Shard>,
    /// Told of the run's start and of each case's records as they are settled.
    pub events: Option<Arc<dyn Events>>,
    /// Keep every exchange as HAR in this directory (`--record`).
    pub record: Option<std::path::PathBuf>,
    /// Notified to stop the run early (the CLI's Ctrl-C): nothing more is sent but the
    /// clean-up of what the run created.
    pub interrupt: Option<Arc<tokio::sync::Notify>>,
}

impl Settings {
    /// Settings for `base_url`; the password of its userinfo, if any, is a secret.
    pub fn new(base_url: impl Into<String>) -> Self {
        let base_url = base_url.into();
        secrets::learn_url(&base_url);
        // The client's bounds default as any client's do, the cases as the phases' do.
        let client = ClientConfig::new(base_url);
        let cases = CaseOptions::default();
        Self {
            base_url: client.base_url,
            headers: Vec::new(),
            microversion: cases.microversion,
            server_max: cases.server_max,
            token: None,
            member: None,
            phases: Phase::DEFAULT.to_vec(),
            operations: Vec::new(),
            tags: Vec::new(),
            skips: Vec::new(),
            path_values: Vec::new(),
            max_cases: cases.max_cases,
            seed: cases.seed,
            workers: client.workers,
            allow_mutations: cases.allow_mutations,
            timeout: client.timeout,
            max_body_size: client.max_body_size,
            deadline: Duration::from_secs(30 * 60),
            operation_deadline: Duration::from_secs(5 * 60),
            retries: client.retries,
            max_retry_wait: client.max_retry_wait,
            rate: None,
            poll_timeout: Duration::from_secs(60),
            progress: false,
            exit_first: false,
            overrides: None,
            target: Target::default(),
            tls: client.tls,
            shard: None,
            events: None,
            record: None,
            interrupt: None,
        }
    }

    /// Adds a header sent with every request; the value of one whose name looks like a
    /// credential's is a secret.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let (name, value) = (name.into(), value.into());
        if secrets::is_secret_name(&name) {
            secrets::learn(&value);
        }
        self.headers.push((name, value));
        self
    }

    pub fn microversion(mut self, choice: VersionChoice) -> Self {
        self.microversion = choice;
        self
    }

    pub fn server_max(mut self, version: Option<Microversion>) -> Self {
        self.server_max = version;
        self
    }

    /// Authenticates the run's requests with `source`'s token (a cloud's Keystone).
    pub fn token_source(mut self, source: Arc<dyn TokenSource>) -> Self {
        self.token = Some(source);
        self
    }

    /// Authenticates the run's requests as `auth`, a cloud's, says: Keystone's token, or
    /// the fixed headers of a standalone service.
    pub fn cloud_auth(self, auth: CloudAuth) -> Self {
        match auth {
            CloudAuth::Keystone(keystone) => self.token_source(keystone),
            CloudAuth::Headers(headers) => {
                headers.into_iter().fold(self, |s, (name, value)| s.header(name, value))
            }
        }
    }

    /// Adds the auth phase's member cases, authenticated by `source`'s token.
    pub fn member(mut self, source: Arc<dyn TokenSource>) -> Self {
        self.member = Some(source);
        self
    }

    pub fn phases(mut self, phases: impl IntoIterator<Item = Phase>) -> Self {
        self.phases = phases.into_iter().collect();
        self
    }

    pub fn operation(mut self, id: impl Into<String>) -> Self {
        self.operations.push(id.into());
        self
    }

    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    /// Declares that the endpoint cannot serve operation `id`, and why (see [`Settings::skips`]).
    pub fn skip(mut self, id: impl Into<String>, reason: impl Into<String>) -> Self {
        self.skips.push((id.into(), reason.into()));
        self
    }

    /// Why request sample `sample` of operation `operation` is declared not servable
    /// (`--skip OPERATION/SAMPLE=REASON`), if it is.
    pub fn declared_sample(&self, operation: &str, sample: &str) -> Option<&str> {
        self.skips
            .iter()
            .find(|(id, _)| id.split_once('/') == Some((operation, sample)))
            .map(|(_, reason)| reason.as_str())
    }

    pub fn path_value(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.path_values.push((name.into(), value.into()));
        self
    }

    pub fn max_cases(mut self, n: u32) -> Self {
        self.max_cases = n;
        self
    }

    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    pub fn workers(mut self, n: usize) -> Self {
        self.workers = n.max(1);
        self
    }

    pub fn allow_mutations(mut self, allow: bool) -> Self {
        self.allow_mutations = allow;
        self
    }

    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn retries(mut self, n: u32) -> Self {
        self.retries = n;
        self
    }

    pub fn max_retry_wait(mut self, wait: Duration) -> Self {
        self.max_retry_wait = wait;
        self
    }

    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    pub fn operation_deadline(mut self, deadline: Duration) -> Self {
        self.operation_deadline = deadline;
        self
    }

    pub fn rate(mut self, per_second: Option<f64>) -> Self {
        self.rate = per_second.filter(|r| *r > 0.0);
        self
    }

    pub fn poll_timeout(mut self, timeout: Duration) -> Self {
        self.poll_timeout = timeout;
        self
    }

    pub fn progress(mut self, on: bool) -> Self {
        self.progress = on;
        self
    }

    pub fn exit_first(mut self, on: bool) -> Self {
        self.exit_first = on;
        self
    }

    pub fn overrides(mut self, file: Arc<OverrideFile>) -> Self {
        self.overrides = Some(file);
        self
    }

    pub fn target(mut self, target: Target) -> Self {
        self.target = target;
        self
    }

    pub fn tls(mut self, tls: Tls) -> Self {
        self.tls = tls;
        self
    }

    pub fn shard(mut self, shard: Option<Shard>) -> Self {
        self.shard = shard;
        self
    }

    pub fn events(mut self, events: Option<Arc<dyn Events>>) -> Self {
        self.events = events;
        self
    }

    /// Keeps every exchange as a HAR file in `dir` ([`crate::record_har`]).
    pub fn record(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.record = Some(dir.into());
        self
    }

    pub fn interrupt(mut self, interrupt: Arc<tokio::sync::Notify>) -> Self {
        self.interrupt = Some(interrupt);
        self
    }

    /// What the run's HTTP client is made from.
    pub fn client_config(&self) -> ClientConfig {
        ClientConfig {
            base_url: self.base_url.clone(),
            headers: self.headers.clone(),
            tls: self.tls.clone(),
            timeout: self.timeout,
            max_body_size: self.max_body_size,
            retries: self.retries,
            max_retry_wait: self.max_retry_wait,
            rate: self.rate,
            workers: self.workers,
            token: self.token.clone(),
            member: self.member.clone(),
        }
    }

    /// What the phases are told of the run.
    pub fn case_options(&self) -> CaseOptions {
        CaseOptions {
            microversion: self.microversion,
            server_max: self.server_max,
            max_cases: self.max_cases,
            seed: self.seed,
            member: self.member.is_some(),
            allow_mutations: self.allow_mutations,
        }
    }
}
