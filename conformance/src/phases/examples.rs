//! The examples phase: every documented request sample, sent as written, at the
//! microversion it was written for (or the one chosen on the command line), expecting the
//! documented response sample back. Operations without a request body are sent once per
//! documented response sample's microversion.

use serde_json::Value;
use stackspec_model::version::Microversion;

use super::values::{placeholder, Values};
use super::Phase;
use super::{
    choose_version, query_pairs, request_for, Case, CaseOptions, Intent, Sample, Skip,
    VersionChoice,
};
use crate::plan::{Example, Model, Operation};

/// The cases for operation `index`, or why there are none.
pub fn cases(
    model: &Model,
    index: usize,
    options: &CaseOptions,
    values: &Values,
) -> Result<Vec<Case>, Skip> {
    let op = &model.operations[index];
    let bodies: Vec<(Option<&Example>, Option<Microversion>)> = if op.request_examples.is_empty() {
        if op.body_required && op.raw_body_media_type.is_none() {
            return Err(Skip::NoSample);
        }
        let mut versions: Vec<Option<Microversion>> =
            success_samples(op).map(|(_, e)| e.microversion).collect();
        versions.sort();
        versions.dedup();
        if versions.is_empty() {
            versions.push(None);
        }
        versions.into_iter().map(|v| (None, v)).collect()
    } else {
        op.request_examples.iter().map(|e| (Some(e), e.microversion)).collect()
    };
    let mut out = Vec::new();
    let mut skipped = None;
    for (example, sample_version) in bodies {
        let version = match choose_version(model, op, options, sample_version) {
            Ok(v) => v,
            Err(reason) => {
                skipped = Some(reason);
                continue;
            }
        };
        if example.is_some_and(|e| outside_version(model, op, options, e, version).is_some()) {
            continue;
        }
        let mut request = request_for(op, &values.path_values(op), version);
        for p in op.query_parameters().filter(|p| p.required) {
            request.query.extend(query_pairs(p, &placeholder(p).into()));
        }
        request.body = example.map(|e| e.value.clone());
        out.push(Case {
            operation: index,
            phase: Phase::Examples,
            request,
            microversion: version,
            intent: Intent::Valid,
            sample: sample_for(op, version, example),
            example: example.map(|e| e.name.clone()),
            seed: None,
        });
    }
    out.truncate(options.max_cases as usize);
    match (out.is_empty(), skipped) {
        (true, Some(reason)) => Err(reason),
        _ => Ok(out),
    }
}

/// Why each documented request sample of operation `index` is not sent at the chosen
/// version (see [`outside_version`]).
pub fn samples_outside(model: &Model, index: usize, options: &CaseOptions) -> Vec<Skip> {
    let op = &model.operations[index];
    op.request_examples
        .iter()
        .filter_map(|e| {
            let version = choose_version(model, op, options, e.microversion).ok()?;
            outside_version(model, op, options, e, version)
        })
        .collect()
}

/// Why request sample `example` is not sent at `version`: a version forced on the command
/// line (`--microversion 2.90` or `latest`) that the sample does not validate at, while it
/// validates at the version it was written for (else it is a documentation error, sent to
/// be judged as one).
fn outside_version(
    model: &Model,
    op: &Operation,
    options: &CaseOptions,
    example: &Example,
    version: Option<Microversion>,
) -> Option<Skip> {
    let chosen = version.filter(|_| options.microversion != VersionChoice::PerOperation)?;
    let pointer = op.body_schema.as_deref()?;
    let own = example.microversion.or(op.range.min).or(model.spec_min);
    let fits = |v| model.violations(pointer, v, &example.value).is_ok_and(|v| v.is_empty());
    let schema = model.spec.at(pointer)?;
    let fits_chosen = fits(Some(chosen)) && !names_gone(model, schema, chosen, &example.value, 0);
    if own == Some(chosen) || fits_chosen || !fits(own) {
        return None;
    }
    let written_for = own.map_or_else(|| "no version".to_string(), |v| v.to_string());
    Some(Skip::SampleOutsideVersion { sample: example.name.clone(), written_for, chosen })
}

/// Whether `value` has a member that `schema` documents for other microversions than
/// `version` only: a schema that leaves other members open still takes the sample at
/// `version`, but a service does not (nova's quota-class sample for 2.50 names
/// `injected_files`, gone from 2.57: 400 at 2.104).
fn names_gone(
    model: &Model,
    schema: &Value,
    version: Microversion,
    value: &Value,
    depth: usize,
) -> bool {
    let schema = model.spec.resolve(schema).unwrap_or(schema);
    if depth > 8 {
        return false;
    }
    match value {
        Value::Object(members) => members.iter().any(|(name, member)| {
            let Some(documented) = schema.get("properties").and_then(|p| p.get(name)) else {
                return false;
            };
            let documented = model.spec.resolve(documented).unwrap_or(documented);
            !stackspec_model::view::range_of(documented).contains(version)
                || names_gone(model, documented, version, member, depth + 1)
        }),
        Value::Array(items) => schema.get("items").is_some_and(|s| {
            items.iter().any(|item| names_gone(model, s, version, item, depth + 1))
        }),
        _ => false,
    }
}

/// Documented samples of success statuses, with the status.
fn success_samples(op: &Operation) -> impl Iterator<Item = (u16, &Example)> {
    op.responses.iter().flat_map(|r| {
        let status = r.status.parse::<u16>().ok().filter(|s| (200..300).contains(s));
        status.into_iter().flat_map(move |s| r.examples.iter().map(move |e| (s, e)))
    })
}

/// The success sample named `name` as `op` documents it (its status and value), if it does.
pub fn documented_sample(op: &Operation, name: &str) -> Option<Sample> {
    let (status, example) = success_samples(op).find(|(_, e)| e.name == name)?;
    Some(Sample { name: example.name.clone(), status, value: example.value.clone() })
}

/// The success sample that answers `request`, written for `version`, else the first one
/// not written for a later version: placement's provider creation answers 201 without a
/// body up to 1.19 and 200 with the provider from 1.20, so its 1.20 sample says nothing of
/// a request sent at 1.14.
fn sample_for(
    op: &Operation,
    version: Option<Microversion>,
    request: Option<&Example>,
) -> Option<Sample> {
    let answers: Vec<(u16, &Example)> = answering(op, request).collect();
    let matching = answers.iter().find(|(_, e)| e.microversion == version);
    let not_later = |e: &Example| match (e.microversion, version) {
        (Some(written), Some(sent)) => written <= sent,
        _ => true,
    };
    let earlier = || answers.iter().find(|(_, e)| not_later(e));
    let (status, example) = matching.or_else(earlier)?;
    Some(Sample { name: example.name.clone(), status: *status, value: example.value.clone() })
}

/// The success samples documented with `request`: those listed under the same
/// `rest_method`, where an operation gathers several blocks (nova's server actions, one
/// block per action, each with its own answer or none); every one otherwise.
fn answering<'a>(
    op: &'a Operation,
    request: Option<&'a Example>,
) -> impl Iterator<Item = (u16, &'a Example)> + 'a {
    let block = request.and_then(|r| r.method.as_ref());
    success_samples(op).filter(move |(_, e)| block.is_none_or(|b| e.method.as_ref() == Some(b)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phases::VersionChoice;
    use stackspec_model::Spec;

    /// Two `rest_method` blocks merged into one operation (as nova's server actions are):
    /// `pause` documents no answer, `show` answers with its own sample.
    const ACTIONS: &str = r#"openapi: 3.0.3
info: {title: t, version: '1', x-stackspec: {service-type: t}}
paths:
  /things/{id}/action:
    post:
      operationId: act
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        content:
          application/json:
            schema: {type: object}
            examples:
              show-req: {value: {show: null}, x-stackspec: {source: a.inc, line: 12, method-line: 3}}
              pause-req: {value: {pause: null}, x-stackspec: {source: a.inc, line: 40, method-line: 30}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object}
              examples:
                show-resp: {value: {output: x}, x-stackspec: {source: a.inc, line: 20, method-line: 3}}
        '202': {description: accepted}
"#;

    #[test]
    fn a_request_sample_is_held_only_to_the_answer_documented_in_its_own_block() {
        let model = Model::new(Spec::parse(std::path::Path::new("t.yaml"), ACTIONS).unwrap());
        let options = CaseOptions::default();
        let cases = cases(&model, 0, &options, &Values::default()).unwrap();
        let expected = |name: &str| {
            let case = cases.iter().find(|c| c.example.as_deref() == Some(name)).unwrap();
            case.sample.as_ref().map(|s| s.name.clone())
        };
        assert_eq!(expected("show-req").as_deref(), Some("show-resp"));
        assert_eq!(expected("pause-req"), None, "pause documents no answer of its own");
    }

    /// `old` exists up to 2.5, `new` from 2.6; each sample is written for its own.
    const VERSIONED: &str = r#"openapi: 3.0.3
info: {title: t, version: '1', x-stackspec: {service-type: t}}
paths:
  /things:
    post:
      operationId: create
      parameters: [{name: OpenStack-API-Version, in: header, schema: {type: string}}]
      x-openstack: {min-ver: '2.1', max-ver: '2.9'}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              properties:
                old: {type: string, x-openstack: {max-ver: '2.5'}}
                new: {type: string, x-openstack: {min-ver: '2.6'}}
            examples:
              old-req: {value: {old: x}, x-stackspec: {microversion: '2.1'}}
              new-req: {value: {new: x}, x-stackspec: {microversion: '2.6'}}
      responses: {'202': {description: ok}}
"#;

    #[test]
    fn a_sample_that_does_not_fit_a_forced_version_is_skipped_with_its_reason() {
        let model = Model::new(Spec::parse(std::path::Path::new("t.yaml"), VERSIONED).unwrap());
        let at = |choice| CaseOptions { microversion: choice, ..CaseOptions::default() };
        let names = |options: &CaseOptions| -> Vec<String> {
            let cases = cases(&model, 0, options, &Values::default()).unwrap();
            cases.into_iter().filter_map(|c| c.example).collect()
        };
        let forced = at(VersionChoice::Fixed("2.9".parse().unwrap()));
        assert_eq!(names(&forced), ["new-req"]);
        let skipped: Vec<String> =
            samples_outside(&model, 0, &forced).iter().map(ToString::to_string).collect();
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert!(skipped[0].contains("`old-req` (written for 2.1)"), "{skipped:?}");
        // At each sample's own version, both are sent and none is skipped.
        let own = at(VersionChoice::PerOperation);
        assert_eq!(names(&own), ["old-req", "new-req"]);
        assert!(samples_outside(&model, 0, &own).is_empty());
    }

    /// nova's quota-class sample for 2.50 names `injected_files`, gone from 2.57; the schema
    /// leaves other members open, so it validated at 2.104 and was sent there (400).
    #[test]
    fn a_sample_naming_a_member_gone_at_a_forced_version_is_skipped_though_the_schema_is_open() {
        let open = VERSIONED.replace("              additionalProperties: false\n", "");
        assert_ne!(open, VERSIONED);
        let model = Model::new(Spec::parse(std::path::Path::new("t.yaml"), &open).unwrap());
        let forced = CaseOptions {
            microversion: VersionChoice::Fixed("2.9".parse().unwrap()),
            ..CaseOptions::default()
        };
        let sent = cases(&model, 0, &forced, &Values::default()).unwrap();
        let sent: Vec<String> = sent.into_iter().filter_map(|c| c.example).collect();
        assert_eq!(sent, ["new-req"]);
        assert_eq!(samples_outside(&model, 0, &forced).len(), 1);
    }

    /// glance's image update takes only `application/openstack-images-v2.1-json-patch`: its
    /// sample goes out labelled so (it was sent unlabelled, and answered 415, before).
    #[test]
    fn a_json_body_of_another_media_type_is_sent_labelled_with_it() {
        const PATCH: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /images/{id}:
    patch:
      operationId: update
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content:
          application/openstack-images-v2.1-json-patch:
            schema: {type: array, items: {type: object}}
            examples:
              patch-req: {value: [{op: remove, path: /x}]}
      responses: {'200': {description: ok}}
"#;
        let model = Model::new(Spec::parse(std::path::Path::new("t.yaml"), PATCH).unwrap());
        let op = &model.operations[0];
        let pointer = op.body_schema.as_deref().unwrap();
        assert!(pointer.ends_with("/application~1openstack-images-v2.1-json-patch/schema"));
        let cases = cases(&model, 0, &CaseOptions::default(), &Values::default()).unwrap();
        let request = &cases[0].request;
        assert_eq!(request.body, Some(serde_json::json!([{"op": "remove", "path": "/x"}])));
        assert_eq!(request.json_media_type(), "application/openstack-images-v2.1-json-patch");
    }

    /// placement's provider creation: sent at its request sample's 1.14, it answers 201
    /// without a body; the 200 sample of 1.20 was expected of it ("documented with 200").
    #[test]
    fn a_response_sample_of_a_later_version_is_not_expected_of_an_earlier_request() {
        const LATER: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1', x-stackspec: {service-type: t}}
paths:
  /providers:
    post:
      operationId: create
      parameters: [{name: OpenStack-API-Version, in: header, schema: {type: string}}]
      x-openstack: {min-ver: '1.0', max-ver: '1.39'}
      requestBody:
        content:
          application/json:
            schema: {type: object}
            examples:
              create-req: {value: {name: x}, x-stackspec: {microversion: '1.14'}}
      responses:
        '201': {description: created, x-openstack: {max-ver: '1.19'}}
        '200':
          description: ok
          x-openstack: {min-ver: '1.20'}
          content:
            application/json:
              schema: {type: object}
              examples:
                create-resp: {value: {uuid: u}, x-stackspec: {microversion: '1.20'}}
"#;
        let model = Model::new(Spec::parse(std::path::Path::new("t.yaml"), LATER).unwrap());
        let sample = |options: &CaseOptions| {
            let cases = cases(&model, 0, options, &Values::default()).unwrap();
            cases[0].sample.as_ref().map(|s| (s.name.clone(), s.status))
        };
        assert_eq!(sample(&CaseOptions::default()), None, "sent at 1.14");
        let at_latest = CaseOptions {
            microversion: VersionChoice::Fixed("1.20".parse().unwrap()),
            ..CaseOptions::default()
        };
        assert_eq!(sample(&at_latest), Some(("create-resp".to_string(), 200)));
    }
}
