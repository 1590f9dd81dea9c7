//! `stackspec conform` against the mock of each built-in service (served in-process on
//! 127.0.0.1) passes every check, in every phase, with mutations allowed: for the seed APIs,
//! and for the whole spec; and the only findings it acknowledges are those the docs
//! contradict themselves on (`seen-on: docs` in `conformance/overrides.yaml`), which a mock
//! built from them shows too.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use stackspec_apiref::corpus::{CorpusService, SERVICES};
use stackspec_conformance::overrides::{OverrideFile, Target};
use stackspec_conformance::report::terminal;
use stackspec_conformance::{run, Settings};
use stackspec_mock as mock;
use stackspec_model::Spec;

/// The findings each service's seed APIs must acknowledge against the mock.
fn expected(service: &str) -> BTreeSet<&'static str> {
    match service {
        // The external events request sample names an event outside the documented enum.
        "compute" => BTreeSet::from(["F1"]),
        _ => BTreeSet::new(),
    }
}

async fn serve(service: &str) -> String {
    let router = mock::builtin(service).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    url
}

/// What every run here sends and allows, against the mock of `service`.
async fn settings(service: CorpusService) -> Settings {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let overrides = OverrideFile::load(&root.join("conformance/overrides.yaml")).unwrap();
    let url = serve(service.service_type).await;
    // A token, as a cloud's client sends one (the mock asks for one and accepts any), and
    // JSON errors asked for, as keystoneauth asks (glance answers HTML otherwise).
    Settings::new(&url)
        .header("X-Auth-Token", "mock-token")
        .header("Accept", "application/json")
        .allow_mutations(true)
        .max_cases(10)
        .seed(11)
        .workers(4)
        .timeout(std::time::Duration::from_secs(10))
        .poll_timeout(std::time::Duration::from_secs(2))
        .overrides(Arc::new(overrides))
        .target(Target::Mock)
}

fn spec(service: CorpusService) -> Spec {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Spec::load(&root.join("spec").join(service.spec_file())).unwrap()
}

async fn conform_seed_apis(service: CorpusService) {
    let mut settings = settings(service).await;
    for tag in service.seed_tags {
        settings = settings.tag(*tag);
    }
    let outcome = run(spec(service), settings).await.unwrap();
    let report = terminal::render(&outcome);
    assert!(!outcome.records.is_empty(), "{report}");
    assert_eq!(outcome.exit_code(), 0, "{}:\n{report}", service.service_type);
    let acknowledged: BTreeSet<&str> =
        outcome.records.iter().flat_map(|r| &r.acknowledged).map(|a| a.finding.as_str()).collect();
    assert_eq!(acknowledged, expected(service.service_type), "{report}");
    // The per-API figures, for CI logs.
    let summary = report.lines().last().unwrap_or_default();
    eprintln!(
        "{} {:?}: {summary}, acknowledged {acknowledged:?}",
        service.service_type, service.seed_tags
    );
}

#[tokio::test]
async fn the_compute_seed_apis_pass_against_the_mock() {
    conform_seed_apis(SERVICES[0]).await;
}

#[tokio::test]
async fn the_image_seed_api_passes_against_the_mock() {
    conform_seed_apis(SERVICES[1]).await;
}

#[tokio::test]
async fn the_orchestration_seed_api_passes_against_the_mock() {
    conform_seed_apis(SERVICES[2]).await;
}

#[tokio::test]
async fn the_baremetal_introspection_seed_api_passes_against_the_mock() {
    conform_seed_apis(SERVICES[3]).await;
}

/// Every operation of `service`'s spec, in every phase: the mock never answers what its
/// spec forbids (a 500, a body that does not fit, an undocumented status).
async fn conform_whole_spec(service: CorpusService) {
    let outcome = run(spec(service), settings(service).await).await.unwrap();
    let report = terminal::render(&outcome);
    let operations = spec(service).operations().count();
    let exercised: BTreeSet<&str> = outcome.records.iter().map(|r| r.operation.as_str()).collect();
    assert_eq!(exercised.len(), operations, "{report}");
    assert_eq!(outcome.exit_code(), 0, "{}:\n{report}", service.service_type);
    let summary = report.lines().last().unwrap_or_default();
    eprintln!("{} whole spec: {summary}", service.service_type);
}

#[tokio::test]
async fn the_whole_compute_spec_passes_against_the_mock() {
    conform_whole_spec(SERVICES[0]).await;
}

#[tokio::test]
async fn the_whole_image_spec_passes_against_the_mock() {
    conform_whole_spec(SERVICES[1]).await;
}

#[tokio::test]
async fn the_whole_orchestration_spec_passes_against_the_mock() {
    conform_whole_spec(SERVICES[2]).await;
}

#[tokio::test]
async fn the_whole_baremetal_introspection_spec_passes_against_the_mock() {
    conform_whole_spec(SERVICES[3]).await;
}
