//! Fidelity over the whole corpus (`../shared/openstack-api-ref`): every `rest_method` is an
//! operation, every parameter reference resolves, and every sample validates against the
//! schema of the operation and status it documents, unless the failure is a reviewed
//! exception in `docs/fidelity-exceptions.yaml` explained by a finding in `docs/findings.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use stackspec_apiref::corpus::{CorpusService, SERVICES};
use stackspec_apiref::fidelity::{self, Fidelity};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corpus() -> PathBuf {
    repo().join(stackspec_apiref::corpus::DEFAULT_CORPUS)
}

/// Each service is transcribed and measured once per test binary.
fn measure(service: &CorpusService) -> &'static Fidelity {
    static MEASURED: OnceLock<Vec<Fidelity>> = OnceLock::new();
    let all = MEASURED.get_or_init(|| {
        let measure = |s: &CorpusService| {
            let t = s.transcribe(&corpus()).unwrap_or_else(|e| panic!("{}: {e}", s.service_type));
            fidelity::measure(&t)
        };
        SERVICES.iter().map(measure).collect()
    });
    let index = SERVICES.iter().position(|s| s == service).expect("a corpus service");
    &all[index]
}

/// `service -> [(key, finding, kind)]` from the reviewed exceptions file.
#[derive(serde::Deserialize)]
struct Exception {
    sample: String,
    finding: String,
    kind: String,
}

fn exceptions() -> BTreeMap<String, Vec<Exception>> {
    let path = repo().join("docs/fidelity-exceptions.yaml");
    let text = std::fs::read_to_string(&path).expect("docs/fidelity-exceptions.yaml");
    serde_norway::from_str(&text).expect("valid exceptions file")
}

/// How a failure is named in the exceptions file.
fn failure_keys(f: &Fidelity) -> Vec<String> {
    let mut keys: Vec<String> = f
        .failures
        .iter()
        .map(|x| format!("{} {} {}", x.operation_id, x.status, x.sample))
        .collect();
    keys.extend(
        f.unreadable.iter().map(|d| {
            format!("unreadable {}", d.location.file.file_name().unwrap().to_string_lossy())
        }),
    );
    keys.sort();
    keys
}

#[test]
fn every_rest_method_is_an_operation_and_every_reference_resolves() {
    for service in SERVICES {
        let f = measure(&service);
        assert!(f.missing_methods.is_empty(), "{}: {:?}", service.service_type, f.missing_methods);
        assert!(f.unresolved.is_empty(), "{}: {:?}", service.service_type, f.unresolved);
        assert!(f.operations > 0 && f.samples > 0, "{}: nothing transcribed", service.service_type);
    }
}

#[test]
fn every_failing_sample_is_a_reviewed_exception_and_every_exception_still_fails() {
    let exceptions = exceptions();
    let findings =
        std::fs::read_to_string(repo().join("docs/findings.md")).expect("docs/findings.md");
    let mut problems = Vec::new();
    for service in SERVICES {
        let failing = failure_keys(measure(&service));
        let listed: Vec<&Exception> =
            exceptions.get(service.service_type).map(|v| v.iter().collect()).unwrap_or_default();
        for key in &failing {
            if !listed.iter().any(|e| &e.sample == key) {
                problems.push(format!("{}: not a reviewed exception: {key}", service.service_type));
            }
        }
        for e in &listed {
            if !failing.contains(&e.sample) {
                problems.push(format!(
                    "{}: exception no longer fails (remove it): {}",
                    service.service_type, e.sample
                ));
            }
            if !findings.contains(&format!("## {}:", e.finding)) {
                problems.push(format!(
                    "{}: finding {} is not in docs/findings.md",
                    service.service_type, e.finding
                ));
            }
            if !["upstream", "limitation"].contains(&e.kind.as_str()) {
                problems.push(format!(
                    "{}: kind must be upstream or limitation: {}",
                    service.service_type, e.sample
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn seed_operations_have_samples_and_fail_only_on_upstream_findings() {
    let exceptions = exceptions();
    for service in SERVICES {
        let f = measure(&service);
        let seeds = f.failures_in(service.seed_tags).count();
        let upstream = exceptions
            .get(service.service_type)
            .into_iter()
            .flatten()
            .filter(|e| e.kind == "upstream")
            .count();
        assert!(
            seeds <= upstream,
            "{}: seed failures beyond upstream findings",
            service.service_type
        );
        for x in f.failures_in(service.seed_tags) {
            let key = format!("{} {} {}", x.operation_id, x.status, x.sample);
            let e =
                exceptions[service.service_type].iter().find(|e| e.sample == key).expect("listed");
            assert_eq!(
                e.kind, "upstream",
                "seed sample fails for a transcription limitation: {key}"
            );
        }
    }
}

#[test]
fn corpus_meets_the_bar_counting_only_upstream_errors_as_explained() {
    let exceptions = exceptions();
    let (mut samples, mut explained) = (0, 0);
    let mut table = String::from(fidelity::TABLE_HEADER);
    for service in SERVICES {
        let f = measure(&service);
        samples += f.samples;
        explained += f.validating;
        explained += exceptions
            .get(service.service_type)
            .into_iter()
            .flatten()
            .filter(|e| e.kind == "upstream")
            .count();
        table.push_str(&fidelity::row(service.service_type, f));
    }
    let rate = explained as f64 * 100.0 / samples as f64;
    println!("{table}\nvalidating or failing only because upstream is wrong: {explained}/{samples} = {rate:.1}%");
    assert!(rate >= 98.0, "{rate:.1}% < 98%\n{table}");
}
