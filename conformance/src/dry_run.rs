//! `--dry-run`: what a run would send, without sending anything: per selected operation and
//! phase, the number of cases the phase makes, or why it makes none. The same selection,
//! mutation rule and phases as [`crate::run`], so what is listed is what a run sends (but
//! for values a run learns from responses, which change paths, not counts).

use std::fmt::Write;

use stackspec_model::Spec;

use crate::phases::values::Values;
use crate::phases::{self, Phase};
use crate::plan::Model;
use crate::run::{declared_sample, select, skip_reason, RunError};
use crate::settings::Settings;

/// One operation in one phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub operation: String,
    pub method: String,
    pub path: String,
    pub phase: Phase,
    /// The number of cases, or why the phase makes none for the operation.
    pub cases: Result<usize, String>,
}

/// What a run with `settings` would send to hold an endpoint to `spec`; no request is sent.
pub fn plan(spec: Spec, settings: &Settings) -> Result<Vec<Planned>, RunError> {
    let model = Model::new(spec);
    model.check_schemas()?;
    let selected = select(&model, settings)?;
    let options = settings.case_options();
    let values = Values::given(&settings.path_values);
    let mut phases = settings.phases.clone();
    phases.sort();
    phases.dedup();
    let mut out = Vec::new();
    for phase in phases {
        for &i in &selected {
            let op = &model.operations[i];
            let cases = match skip_reason(op, settings) {
                Some(why) => Err(why),
                None => match phase {
                    Phase::Examples => {
                        phases::examples::cases(&model, i, &options, &values).map(|c| {
                            c.iter()
                                .filter(|c| declared_sample(&model, settings, c).is_none())
                                .count()
                        })
                    }
                    Phase::Property => phases::property::draw(&model, i, &options).map(|d| d.len()),
                    Phase::Negative => {
                        phases::negative::cases(&model, i, &options, &values).map(|c| c.len())
                    }
                    Phase::Auth => {
                        phases::auth::cases(&model, i, &options, &values).map(|c| c.len())
                    }
                },
            };
            out.push(Planned {
                operation: op.id.clone(),
                method: op.method.clone(),
                path: op.path.clone(),
                phase,
                cases: cases.map_err(|why| why.to_string()),
            });
        }
    }
    Ok(out)
}

/// The plan as a table, one line per operation and phase, with the totals.
pub fn render(planned: &[Planned]) -> String {
    let width =
        |f: fn(&Planned) -> usize, min: usize| planned.iter().map(f).max().unwrap_or(0).max(min);
    let (op_w, path_w) = (width(|p| p.operation.len(), 9), width(|p| p.path.len(), 4));
    let mut out = String::new();
    let _ = writeln!(out, "{:<op_w$}  method  {:<path_w$}  phase     cases", "operation", "path");
    for p in planned {
        let cases = match &p.cases {
            Ok(n) => n.to_string(),
            Err(why) => format!("skipped: {why}"),
        };
        let _ = writeln!(
            out,
            "{:<op_w$}  {:<6}  {:<path_w$}  {:<8}  {cases}",
            p.operation,
            p.method,
            p.path,
            p.phase.name()
        );
    }
    let cases: usize = planned.iter().filter_map(|p| p.cases.as_ref().ok()).sum();
    let skipped = planned.iter().filter(|p| p.cases.is_err()).count();
    let _ = writeln!(
        out,
        "\n--dry-run: {cases} cases would be sent in {} operation-phase pairs ({skipped} skipped); no request was sent",
        planned.len() - skipped
    );
    out
}
