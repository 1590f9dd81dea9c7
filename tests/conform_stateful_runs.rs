//! Stateful runs against the built-in mocks (served in-process on 127.0.0.1): the id a
//! create returned fills the paths of later cases of every phase (glance `add_image_tag`
//! got 404 on random ids before), a deleted resource is read again, and a sample written
//! for a version other than a forced `--microversion` is skipped with its reason, not sent.

use std::path::Path;
use std::sync::Arc;

use stackspec_conformance::overrides::{OverrideFile, Target};
use stackspec_conformance::phases::Intent;
use stackspec_conformance::report::terminal;
use stackspec_conformance::{run, Phase, Settings, VersionChoice};
use stackspec_mock as mock;
use stackspec_model::Spec;

async fn serve(service: &str) -> String {
    let router = mock::builtin(service).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    url
}

fn spec(file: &str) -> Spec {
    Spec::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("spec").join(file)).unwrap()
}

async fn settings(service: &str) -> Settings {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let overrides = OverrideFile::load(&root.join("conformance/overrides.yaml")).unwrap();
    Settings::new(serve(service).await)
        .header("X-Auth-Token", "mock-token")
        .allow_mutations(true)
        .max_cases(10)
        .seed(1)
        .workers(4)
        .timeout(std::time::Duration::from_secs(10))
        .poll_timeout(std::time::Duration::from_secs(2))
        .overrides(Arc::new(overrides))
        .target(Target::Mock)
}

#[tokio::test]
async fn the_property_phase_fills_path_ids_with_the_id_a_create_returned() {
    let mut settings = settings("image").await.phases(vec![Phase::Examples, Phase::Property]);
    for op in ["create_image", "show_image", "add_image_tag", "delete_image"] {
        settings = settings.operation(op);
    }
    let outcome = run(spec("image.yaml"), settings).await.unwrap();
    let report = terminal::render(&outcome);
    assert_eq!(outcome.exit_code(), 0, "{report}");
    let created: Vec<&str> = outcome
        .records
        .iter()
        .filter_map(|r| match &r.case.intent {
            Intent::ReadBack(read) => Some(read.id.as_str()),
            _ => None,
        })
        .collect();
    let id = created.first().unwrap_or_else(|| panic!("nothing created:\n{report}"));
    let tags: Vec<&str> = outcome
        .records
        .iter()
        .filter(|r| r.operation == "add_image_tag" && r.case.phase == Phase::Property)
        .map(|r| r.case.request.path.as_str())
        .collect();
    assert!(!tags.is_empty(), "{report}");
    let prefix = format!("/v2/images/{id}/tags/");
    let strays: Vec<&&str> = tags.iter().filter(|p| !p.starts_with(&prefix)).collect();
    assert!(strays.is_empty(), "paths without the created id {id}: {strays:?}");
    // The mock answers every id alike, so the read after the delete is not judged.
    let after: Vec<_> = outcome
        .records
        .iter()
        .filter(|r| matches!(r.case.intent, Intent::AfterDelete(_)))
        .collect();
    assert!(!after.is_empty(), "no read after a delete:\n{report}");
    assert!(
        after.iter().flat_map(|r| &r.findings).all(|f| f.message.starts_with("not judged")),
        "{report}"
    );
}

#[tokio::test]
async fn a_sample_outside_a_forced_microversion_is_skipped_not_sent() {
    let settings = settings("compute")
        .await
        .phases(vec![Phase::Examples])
        .max_cases(100)
        .operation("post_servers_action")
        .microversion(VersionChoice::Latest);
    let outcome = run(spec("compute.yaml"), settings).await.unwrap();
    let report = terminal::render(&outcome);
    let rejected: Vec<_> = outcome
        .records
        .iter()
        .flat_map(|r| r.failures())
        .filter(|f| f.message.starts_with("valid input rejected"))
        .collect();
    assert!(rejected.is_empty(), "{report}");
    let skipped: Vec<&str> = outcome
        .skipped
        .iter()
        .filter(|(op, phase, _)| op == "post_servers_action" && *phase == Phase::Examples)
        .map(|(_, _, why)| why.as_str())
        .collect();
    assert!(
        skipped.iter().any(|why| why.contains("`get-vnc-console-post-req` (written for 2.1)")),
        "{skipped:?}"
    );
    let sent: Vec<_> = outcome.records.iter().filter_map(|r| r.case.example.as_deref()).collect();
    assert!(!sent.contains(&"get-vnc-console-post-req"), "{sent:?}");
    assert!(sent.contains(&"create-backup-req"), "samples that fit are still sent: {sent:?}");
}
