//! The exchanges one block documents. A block usually documents one request and its answer,
//! but it may document a conversation: keystone's multi-factor login is one `rest_method`
//! whose first request is answered 401 with a receipt and whose second, carrying the receipt,
//! is answered 201 with a token. Each exchange has its own response parameters, success codes
//! and samples; merged into one, every answer would have to carry both bodies' fields.
//!
//! An exchange starts where the block returns to request items (request parameters or
//! samples) after response items (response parameters or samples). Status code lists do not
//! start or end an exchange: most blocks list every code first, then the request, then the
//! response.

use crate::reader::{MethodBlock, Section};

/// The lines at which each exchange of a block after the first starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchanges {
    starts: Vec<usize>,
}

impl Exchanges {
    /// The exchanges of `block`, from the lines of its parameters and samples.
    pub fn of(block: &MethodBlock) -> Self {
        let params = block.parameters.iter().map(|r| (r.location.line, r.section));
        let samples = block.samples.iter().map(|s| (s.location.line, s.section()));
        let mut items: Vec<(usize, Section)> = params.chain(samples).collect();
        items.sort_by_key(|(line, _)| *line);
        let mut starts = Vec::new();
        let mut answered = false;
        for (line, section) in items {
            match section {
                Section::Request if answered => {
                    starts.push(line);
                    answered = false;
                }
                Section::Request => {}
                Section::Response => answered = true,
            }
        }
        Self { starts }
    }

    /// The exchange (0-based) an item at `line` belongs to.
    pub fn at(&self, line: usize) -> usize {
        self.starts.partition_point(|start| *start <= line)
    }

    /// How many exchanges the block documents.
    pub fn count(&self) -> usize {
        self.starts.len() + 1
    }

    /// How many exchanges list success codes of their own: only when more than one does
    /// does each answer get its own body.
    pub fn answered(&self, block: &MethodBlock) -> usize {
        let mut with_codes: Vec<usize> =
            block.success.iter().map(|c| self.at(c.location.line)).collect();
        with_codes.dedup();
        with_codes.len()
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::diagnostics::Location;
    use crate::reader::{ParamRef, SampleRef, StatusCode};
    use stackspec_model::version::VersionRange;

    fn loc(line: usize) -> Location {
        Location::new("login.inc", line)
    }

    fn param(line: usize, section: Section) -> ParamRef {
        ParamRef {
            section,
            wire_name: "x".into(),
            key: "x".into(),
            file: PathBuf::from("parameters.yaml"),
            location: loc(line),
            heading_range: VersionRange::default(),
        }
    }

    fn sample(line: usize, section: Section) -> SampleRef {
        SampleRef {
            section: Some(section),
            path: PathBuf::from("x.json"),
            caption: String::new(),
            language: None,
            location: loc(line),
        }
    }

    fn code(code: u16, line: usize) -> StatusCode {
        let range = VersionRange::default();
        StatusCode { code, description: String::new(), status: None, range, location: loc(line) }
    }

    fn block(
        parameters: Vec<ParamRef>,
        samples: Vec<SampleRef>,
        success: Vec<StatusCode>,
    ) -> MethodBlock {
        MethodBlock {
            title: "Log in".into(),
            verb: "POST".into(),
            path: "/login".into(),
            range: VersionRange::default(),
            location: loc(1),
            description: String::new(),
            success,
            errors: Vec::new(),
            parameters,
            samples,
            added: Vec::new(),
            notes: String::new(),
        }
    }

    #[test]
    fn codes_listed_first_then_request_then_response_is_one_exchange() {
        use Section::*;
        let b = block(
            vec![param(10, Request), param(20, Response)],
            vec![sample(15, Request), sample(25, Response)],
            vec![code(200, 5), code(202, 6)],
        );
        let x = Exchanges::of(&b);
        assert_eq!(x.starts, Vec::<usize>::new());
        assert_eq!(x.answered(&b), 1);
    }

    #[test]
    fn a_second_request_after_an_answer_starts_a_second_exchange() {
        use Section::*;
        let b = block(
            vec![param(10, Request), param(20, Response), param(40, Request), param(50, Response)],
            vec![
                sample(12, Request),
                sample(30, Response),
                sample(42, Request),
                sample(60, Response),
            ],
            vec![code(401, 25), code(201, 55)],
        );
        let x = Exchanges::of(&b);
        assert_eq!(x.starts, vec![40]);
        assert_eq!((x.at(25), x.at(30), x.at(40), x.at(55)), (0, 0, 1, 1));
        assert_eq!(x.answered(&b), 2);
    }
}
