//! Proof the checks can fail: each deliberately broken server is caught by the right check
//! and by no other, and the correct server passes everything.

mod support;

use std::collections::BTreeSet;

use stackspec_conformance::checks::Severity;
use support::{conform, failing_checks, Defect};

async fn caught_only_by(defect: Defect, check: &'static str) -> stackspec_conformance::Outcome {
    let outcome = conform(Some(defect)).await;
    assert_eq!(
        failing_checks(&outcome),
        BTreeSet::from([check]),
        "{defect:?}:\n{}",
        stackspec_conformance::report::terminal::render(&outcome)
    );
    assert_eq!(outcome.exit_code(), 1);
    outcome
}

#[tokio::test]
async fn a_correct_server_passes_every_check_in_every_phase() {
    let outcome = conform(None).await;
    let report = stackspec_conformance::report::terminal::render(&outcome);
    assert!(failing_checks(&outcome).is_empty(), "{report}");
    assert_eq!(outcome.exit_code(), 0);
    let phases: BTreeSet<_> = outcome.records.iter().map(|r| r.case.phase).collect();
    assert_eq!(phases.len(), 3, "{report}");
    let warnings = outcome.records.iter().flat_map(|r| &r.findings).count();
    assert_eq!(warnings, 0, "{report}");
}

#[tokio::test]
async fn an_undocumented_success_status_fails_status_code_documented() {
    caught_only_by(Defect::WrongCreateStatus, "status_code_documented").await;
}

#[tokio::test]
async fn a_body_violating_its_schema_fails_response_body_matches_schema() {
    caught_only_by(Defect::SizeAsString, "response_body_matches_schema").await;
}

#[tokio::test]
async fn a_500_on_some_inputs_fails_not_a_server_error_with_a_shrunk_case_and_the_seed() {
    let outcome = caught_only_by(Defect::ServerErrorAboveFive, "not_a_server_error").await;
    let property = outcome
        .records
        .iter()
        .find(|r| r.failed() && r.case.phase == stackspec_conformance::Phase::Property)
        .expect("the property phase finds the 500");
    let size = &property.case.request.body.as_ref().unwrap()["widget"]["size"];
    assert_eq!(size, 6, "shrunk to the smallest failing size");
    assert_eq!(property.case.seed, Some(7));
    assert!(property.curl().contains("\"size\":6"), "{}", property.curl());
}

#[tokio::test]
async fn a_207_whose_items_all_succeeded_fails_multi_status_consistency() {
    caught_only_by(Defect::MultiStatusAllOk, "multi_status_consistency").await;
}

#[tokio::test]
async fn a_200_hiding_a_failed_item_fails_multi_status_consistency() {
    caught_only_by(Defect::OkHidingA404, "multi_status_consistency").await;
}

#[tokio::test]
async fn a_missing_request_id_fails_required_response_headers() {
    caught_only_by(Defect::NoRequestId, "required_response_headers").await;
}

#[tokio::test]
async fn an_unechoed_microversion_fails_required_response_headers() {
    let outcome = caught_only_by(Defect::NoVersionEcho, "required_response_headers").await;
    let message = outcome.records.iter().flat_map(|r| r.failures()).next().unwrap();
    assert!(message.message.contains("widget 1.0"), "{}", message.message);
}

#[tokio::test]
async fn a_server_accepting_invalid_bodies_fails_negative_input_rejected() {
    caught_only_by(Defect::AcceptsInvalid, "negative_input_rejected").await;
}

#[tokio::test]
async fn a_wrong_content_type_fails_content_type_documented() {
    caught_only_by(Defect::TextPlainList, "content_type_documented").await;
}

#[tokio::test]
async fn rejecting_a_valid_optional_field_fails_valid_input_accepted() {
    caught_only_by(Defect::RejectsColor, "valid_input_accepted").await;
}

#[tokio::test]
async fn a_documented_status_other_than_the_samples_fails_valid_input_accepted() {
    let outcome = caught_only_by(Defect::JobDoneAtOnce, "valid_input_accepted").await;
    let failure = outcome.records.iter().flat_map(|r| r.failures()).next().unwrap();
    assert!(failure.message.contains("documented with 202, got 201"), "{}", failure.message);
}

#[tokio::test]
async fn a_404_without_the_fault_shape_fails_error_fault_shape() {
    caught_only_by(Defect::BareNotFound, "error_fault_shape").await;
}

#[tokio::test]
async fn a_created_resource_that_cannot_be_read_fails_create_then_read() {
    caught_only_by(Defect::ForgetsCreated, "create_then_read").await;
}

#[tokio::test]
async fn a_202_that_never_settles_fails_create_then_read() {
    let outcome = caught_only_by(Defect::JobNeverFinishes, "create_then_read").await;
    let failure = outcome.records.iter().flat_map(|r| r.failures()).next().unwrap();
    assert!(failure.message.contains("still `running`"), "{}", failure.message);
}

/// A server that shows any job id as running (as a mock without state does) cannot be held
/// to a job it started never finishing: an id that never existed is "running" too. Not
/// judged, a warning; the server above, which tells ids apart, fails.
#[tokio::test]
async fn a_job_never_settling_where_every_id_is_running_is_not_judged() {
    let outcome = conform(Some(Defect::EveryJobRunning)).await;
    assert!(failing_checks(&outcome).is_empty(), "{:?}", failing_checks(&outcome));
    let warning = outcome
        .records
        .iter()
        .flat_map(|r| &r.findings)
        .find(|f| f.check == "create_then_read")
        .expect("a create_then_read warning");
    assert_eq!(warning.severity, Severity::Warning);
    assert!(warning.message.contains("not judged"), "{}", warning.message);
}

#[tokio::test]
async fn an_undocumented_4xx_to_invalid_input_is_a_warning_and_passes() {
    let outcome = conform(Some(Defect::Undocumented422)).await;
    assert!(failing_checks(&outcome).is_empty());
    assert_eq!(outcome.exit_code(), 0);
    let warned: BTreeSet<_> = outcome
        .records
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.severity == Severity::Warning)
        .map(|f| f.check)
        .collect();
    assert_eq!(warned, BTreeSet::from(["status_code_documented"]));
}

#[tokio::test]
async fn a_response_missing_a_sample_key_is_a_sample_shape_warning() {
    let outcome = conform(Some(Defect::ListWithoutColor)).await;
    assert!(failing_checks(&outcome).is_empty());
    let warning = outcome
        .records
        .iter()
        .flat_map(|r| &r.findings)
        .find(|f| f.check == "sample_shape")
        .expect("a sample_shape warning");
    assert!(warning.message.contains("/widgets/0/color"), "{}", warning.message);
}

#[tokio::test]
async fn a_deleted_resource_still_readable_fails_use_after_delete() {
    let outcome = caught_only_by(Defect::KeepsDeleted, "use_after_delete").await;
    let failure = outcome.records.iter().flat_map(|r| r.failures()).next().unwrap();
    assert!(failure.message.contains("reading it again gave 200"), "{}", failure.message);
}
