//! The end of a created resource's life: a DELETE of it (by a phase, or by the clean-up at
//! the end of the run) is followed by a read of it, which must find it gone (the
//! `use_after_delete` check); what the clean-up cannot delete is kept as a [`Leftover`].

use std::time::Instant;

use super::Record;
use super::{Executor, Outcome, FIRST_POLL, LAST_POLL};
use crate::cleanup::{Leftover, Resource};
use crate::errors::error_chain;
use crate::http::{HttpError, Request, Response};
use crate::phases::links;
use crate::phases::{AfterDelete, Case, Intent};

/// An id no server has: what the control read asks for (a number where ids are numbers).
const NEVER_CREATED: &str = "7e57ab1e-0000-4000-8000-000000000000";
const NEVER_CREATED_NUMBER: &str = "987654321";

impl Executor {
    /// The resource a successful DELETE case removed, if this run created it (it is then
    /// forgotten, so that later cases do not use it); with the DELETE's status.
    pub(super) fn deleted(&self, case: &Case, response: &Response) -> Option<(Resource, u16)> {
        if case.request.method != "DELETE" || !(200..300).contains(&response.status) {
            return None;
        }
        let op = case.operation_in(&self.model);
        if let Some((_, id)) = links::sent_values(&op.path, &case.request.path).last() {
            self.values.forget(id);
        }
        Some((self.created.take(&case.request.path)?, response.status))
    }

    /// Reads `resource` again after a DELETE that answered `deleted_status`; after a 202
    /// (deleted in the background), until it is gone or the poll timeout passes.
    pub(super) async fn read_after_delete(
        &self,
        resource: Resource,
        deleted_status: u16,
    ) -> Record {
        let start = Instant::now();
        let wait = deleted_status == 202;
        let result = self.read_until_gone(&resource.read, wait).await;
        let elapsed = start.elapsed();
        let found = result.as_ref().is_ok_and(|r| (200..300).contains(&r.status));
        let control = match found {
            true => self.control(&resource).await,
            false => None,
        };
        let intent = AfterDelete { id: resource.id, deleted_status, control };
        let case = Case {
            operation: resource.read_operation,
            phase: resource.phase,
            request: resource.read,
            microversion: resource.microversion,
            intent: Intent::AfterDelete(intent),
            sample: None,
            example: None,
            seed: resource.seed,
        };
        self.record(case, result, elapsed)
    }

    /// GETs `request` until it is no longer a success (only when `wait`), within the poll
    /// timeout.
    async fn read_until_gone(&self, request: &Request, wait: bool) -> Result<Response, HttpError> {
        let deadline = Instant::now() + self.settings.poll_timeout;
        let mut interval = FIRST_POLL;
        loop {
            let result = self.client.send(request).await;
            let found = result.as_ref().is_ok_and(|r| (200..300).contains(&r.status));
            if !(wait && found) || Instant::now() + interval > deadline {
                return result;
            }
            tokio::time::sleep(interval).await;
            interval = (interval * 2).min(LAST_POLL);
        }
    }

    /// The status a read of an id that never existed (of the id's type) gets, beside
    /// `resource`.
    pub(super) async fn control(&self, resource: &Resource) -> Option<u16> {
        let op = &self.model.operations[resource.read_operation];
        let mut pairs = links::sent_values(&op.path, &resource.read.path);
        let (name, value) = pairs.last_mut()?;
        let parameter = op.path_parameters().find(|p| p.name == *name)?;
        *value = match parameter.schema.get("type").and_then(serde_json::Value::as_str) {
            Some("integer" | "number") => NEVER_CREATED_NUMBER,
            _ => NEVER_CREATED,
        }
        .to_string();
        let template = &op.path;
        let mut request = resource.read.clone();
        request.path = links::fill(template, &pairs);
        self.client.send(&request).await.ok().map(|r| r.status)
    }

    /// Deletes every resource the run created and still has, newest first, each followed
    /// by a read that must find it gone; what cannot be deleted becomes a leftover.
    pub(super) async fn clean_up(&self, outcome: &mut Outcome) {
        // The clean-up's own time, the per-operation deadline from now: a server that stops
        // answering cannot make it wait out a request timeout per resource.
        let time = self.settings.operation_deadline;
        let until = tokio::time::Instant::now() + time;
        for resource in self.created.drain() {
            let operation = self.model.operations[resource.read_operation].id.clone();
            let leftover = |why: String| Leftover {
                operation: operation.clone(),
                path: resource.read.path.clone(),
                id: resource.id.clone(),
                why,
            };
            if !resource.deletable(&self.model) {
                outcome.leftovers.push(leftover("the spec documents no DELETE for it".into()));
                continue;
            }
            // Nothing is sent once the time is out; a DELETE under way is given up at it.
            let delete = resource.delete_request();
            let in_time = tokio::time::Instant::now() < until;
            let sent = match in_time {
                true => tokio::time::timeout_at(until, self.client.send(&delete)).await.ok(),
                false => None,
            };
            let Some(sent) = sent else {
                let seconds = time.as_secs_f64();
                let why = format!(
                    "not deleted: the clean-up's time ({seconds}s, --operation-deadline) ran out"
                );
                outcome.leftovers.push(leftover(why));
                continue;
            };
            let why = match sent {
                Ok(r) if (200..300).contains(&r.status) => {
                    self.values.forget(&resource.id);
                    let record = self.read_after_delete(resource, r.status).await;
                    self.settled(std::slice::from_ref(&record));
                    outcome.records.push(record);
                    continue;
                }
                // Gone already (a case deleted it without this run knowing).
                Ok(r) if r.status == 404 => continue,
                Ok(r) => format!("DELETE answered {}: {}", r.status, r.excerpt()),
                Err(e) => error_chain(&e),
            };
            outcome.leftovers.push(leftover(why));
        }
    }
}
