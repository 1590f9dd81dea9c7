//! Every corpus service has a profile, and the error bodies a server or mock renders in the
//! profile's fault style are instances of the fault schema the spec documents for it: the
//! style (how stackspec answers) and the schema (what conform holds answers to) are two
//! spellings of one fact and must not drift apart.

use serde_json::Value;
use stackspec_apiref::corpus::SERVICES;
use stackspec_apiref::transcribe::profile::Fault;
use stackspec_apiref::transcribe::ServiceProfile;
use stackspec_model::json_schema::{self, Options};

/// What `fault`'s schema says is wrong with `body` (empty when it fits).
fn misfits(fault: &Fault, body: &Value) -> Vec<String> {
    let validator = json_schema::validator(&fault.schema, None, Options::default()).unwrap();
    json_schema::violations(&validator, body)
        .into_iter()
        .map(|v| format!("{}: {}", v.instance_pointer, v.message))
        .collect()
}

#[test]
fn every_corpus_service_has_a_profile_naming_its_type() {
    for service in SERVICES {
        let profile = ServiceProfile::builtin(service.service_type)
            .unwrap_or_else(|| panic!("{}: no profile", service.service_type));
        assert_eq!(profile.facts().service_type.as_deref(), Some(service.service_type));
        assert!(!profile.request_id_headers.is_empty(), "{}", service.service_type);
    }
}

#[test]
fn the_errors_a_fault_style_renders_fit_the_fault_schema_of_the_same_profile() {
    let mut problems = Vec::new();
    for service in SERVICES {
        let profile = ServiceProfile::builtin(service.service_type).unwrap();
        for fault in profile.fault.iter().chain(&profile.unauthorized) {
            for status in [400, 401, 404, 409, 500] {
                let body = fault.style.render(status, "no such thing");
                for misfit in misfits(fault, &body) {
                    problems.push(format!(
                        "{} {} {status}: {misfit}",
                        service.service_type, fault.name
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn a_body_in_another_services_style_does_not_fit_a_fault_schema() {
    let neutron = ServiceProfile::builtin("network").unwrap().fault.unwrap();
    let octavia = ServiceProfile::builtin("load-balancer").unwrap().fault.unwrap();
    assert!(!misfits(&neutron, &octavia.style.render(404, "m")).is_empty());
    assert!(!misfits(&octavia, &neutron.style.render(404, "m")).is_empty());
}
