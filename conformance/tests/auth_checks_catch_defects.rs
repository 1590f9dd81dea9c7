//! The auth phase against a token-validating server behind a fake Keystone: a correct
//! server refuses missing and bogus tokens with 401 and members on admin-only operations
//! with 403, and the report says which role each operation needed; each broken server is
//! caught by the right check and by no other.

mod support;

use std::collections::BTreeSet;

use stackspec_conformance::cloud::{connect, login};
use stackspec_conformance::http::DEFAULT_TIMEOUT;
use stackspec_conformance::phases::Intent;
use stackspec_conformance::report::{json, junit, roles, terminal};
use stackspec_conformance::{run, Outcome, Phase};
use support::keystone::{self, password_cloud};
use support::{failing_checks, settings, spec, start_guarded, Defect};

/// Bob is the member-only user; everyone else is an admin.
fn member_or_admin(user: &str, n: u32) -> String {
    if user == "bob" {
        format!("member-{n}")
    } else {
        format!("admin-{n}")
    }
}

async fn conform_auth(defect: Option<Defect>) -> Outcome {
    let service = start_guarded(defect).await;
    let (auth_url, _) = keystone::start(&service.url, member_or_admin).await;
    let clouds = format!(
        "clouds:\n{}{}",
        password_cloud("lab", &auth_url, "alice"),
        password_cloud("lab-member", &auth_url, "bob")
    );
    let secure = "clouds:\n  lab:\n    auth: {password: pw-alice}\n  lab-member:\n    auth: {password: pw-bob}\n";
    let path = keystone::write_clouds(&format!("auth-{defect:?}"), &clouds, secure);
    let admin = connect("lab", "widget", std::slice::from_ref(&path)).await.unwrap();
    let member =
        login("lab-member", std::slice::from_ref(&path), &Default::default(), DEFAULT_TIMEOUT)
            .await
            .unwrap();
    let s = settings(&admin.endpoint).cloud_auth(admin.auth).member(member).phases(Phase::ALL);
    let outcome = run(spec(), s).await.unwrap();
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    outcome
}

async fn caught_only_by(defect: Defect, check: &'static str) {
    let outcome = conform_auth(Some(defect)).await;
    assert_eq!(
        failing_checks(&outcome),
        BTreeSet::from([check]),
        "{defect:?}:\n{}",
        terminal::render(&outcome)
    );
}

#[tokio::test]
async fn a_guarded_server_passes_and_the_report_says_which_role_each_operation_needed() {
    let outcome = conform_auth(None).await;
    let report = terminal::render(&outcome);
    assert_eq!(outcome.exit_code(), 0, "{report}");
    let unauthenticated: Vec<_> = outcome
        .records
        .iter()
        .filter(|r| matches!(r.case.intent, Intent::Unauthenticated { .. }))
        .collect();
    assert!(unauthenticated.len() >= 2 * 7, "{report}");
    assert!(unauthenticated.iter().all(|r| r.status == Some(401)), "{report}");
    let roles = roles(&outcome);
    assert_eq!(roles["start_job"].needed, "admin (403 for a member)", "{report}");
    assert_eq!(roles["show_job"].documented.as_deref(), Some("admin"));
    assert_eq!(roles["list_widgets"].needed, "member (allowed for a member)", "{report}");
    assert!(
        report
            .contains("- start_job: needs admin (403 for a member); member got 403×1; docs: admin"),
        "{report}"
    );
    let json = json::render(&outcome).to_string();
    let xml = junit::render(&outcome);
    assert!(xml.contains("name=\"role\" value=\"admin (403 for a member)\""), "{xml}");
    for secret in ["pw-alice", "pw-bob", "admin-0", "member-1"] {
        assert!(
            !json.contains(secret) && !report.contains(secret) && !xml.contains(secret),
            "{secret}"
        );
    }
    assert!(json.contains("stackspec-bogus-token"), "the bogus token is shown in reproducers");
}

#[tokio::test]
async fn a_server_answering_without_a_token_fails_unauthenticated_rejected() {
    caught_only_by(Defect::OpenWithoutToken, "unauthenticated_rejected").await;
}

#[tokio::test]
async fn a_500_for_a_bogus_token_fails_not_a_server_error_and_nothing_else() {
    caught_only_by(Defect::BogusTokenCrash, "not_a_server_error").await;
}

#[tokio::test]
async fn a_member_allowed_an_admin_only_operation_fails_policy_enforced() {
    caught_only_by(Defect::MemberRunsJobs, "policy_enforced").await;
}

#[test]
fn the_built_in_specs_documented_policies_are_read() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let policy = |file: &str, id: &str| {
        let spec = stackspec_model::Spec::load(&root.join(file)).unwrap();
        let model = stackspec_conformance::plan::Model::new(spec);
        model.operation(id).unwrap().policy.as_ref().map(|p| p.name().to_string())
    };
    assert_eq!(policy("image.yaml", "create_task").as_deref(), Some("admin"));
    assert_eq!(policy("compute.yaml", "run_events").as_deref(), Some("admin"));
    assert_eq!(
        policy("compute.yaml", "list_actions_for_server").as_deref(),
        Some("admin-or-owner")
    );
}
