//! The api-ref corpus this project is measured on (`../shared/openstack-api-ref`): which
//! source directory is which service, and which tags are the seed APIs that must be right
//! first.

use std::path::{Path, PathBuf};

use stackspec_model::corrections::CorrectionFile;

use crate::transcribe::{ServiceProfile, TranscribeError, Transcriber, Transcription};

/// One service of the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorpusService {
    /// The service type, which is also the `spec/` file stem.
    pub service_type: &'static str,
    /// The api-ref source directory, relative to the corpus root.
    pub source: &'static str,
    /// The tags (`.inc` file stems) of the seed APIs.
    pub seed_tags: &'static [&'static str],
}

/// Every service the project transcribes into `spec/`.
pub const SERVICES: [CorpusService; 14] = [
    CorpusService {
        service_type: "compute",
        source: "nova/api-ref/source",
        seed_tags: &["os-server-external-events", "os-instance-actions"],
    },
    CorpusService {
        service_type: "image",
        source: "glance/api-ref/source/v2",
        seed_tags: &["tasks"],
    },
    CorpusService {
        service_type: "orchestration",
        source: "heat/api-ref/source/v1",
        seed_tags: &["events"],
    },
    CorpusService {
        service_type: "baremetal-introspection",
        source: "ironic-inspector/api-ref/source",
        seed_tags: &["introspection-api-v1-introspection-management"],
    },
    CorpusService {
        service_type: "identity",
        source: "keystone/api-ref/source/v3",
        seed_tags: &[],
    },
    CorpusService {
        service_type: "block-storage",
        source: "cinder/api-ref/source/v3",
        seed_tags: &[],
    },
    CorpusService {
        service_type: "network",
        source: "neutron-lib/api-ref/source/v2",
        seed_tags: &[],
    },
    CorpusService { service_type: "baremetal", source: "ironic/api-ref/source", seed_tags: &[] },
    CorpusService { service_type: "placement", source: "placement/api-ref/source", seed_tags: &[] },
    CorpusService {
        service_type: "load-balancer",
        source: "octavia/api-ref/source/v2",
        seed_tags: &[],
    },
    CorpusService {
        service_type: "shared-file-system",
        source: "manila/api-ref/source",
        seed_tags: &[],
    },
    CorpusService { service_type: "dns", source: "designate/api-ref/source", seed_tags: &[] },
    CorpusService { service_type: "object-store", source: "swift/api-ref/source", seed_tags: &[] },
    CorpusService {
        service_type: "container-infrastructure-management",
        source: "magnum/api-ref/source",
        seed_tags: &[],
    },
];

/// Where the corpus is by default, relative to the repository root.
pub const DEFAULT_CORPUS: &str = "../shared/openstack-api-ref";

impl CorpusService {
    /// Looks a service up by its type.
    pub fn named(service_type: &str) -> Option<Self> {
        SERVICES.iter().copied().find(|s| s.service_type == service_type)
    }

    pub fn source_in(&self, corpus: &Path) -> PathBuf {
        corpus.join(self.source)
    }

    /// The file name of this service's spec in `spec/`.
    pub fn spec_file(&self) -> String {
        format!("{}.yaml", self.service_type)
    }

    /// Transcribes this service from `corpus`, labelling the document with the corpus-relative
    /// source so that it is the same wherever the corpus lives.
    pub fn transcribe(&self, corpus: &Path) -> Result<Transcription, TranscribeError> {
        let profile =
            ServiceProfile::builtin(self.service_type).expect("every corpus service has a profile");
        let label = format!(
            "{}/{}",
            self.repository(),
            self.source.split_once('/').map_or("", |(_, rest)| rest)
        );
        Transcriber::new(profile).label(label).transcribe(&self.source_in(corpus))
    }

    /// Applies this service's reviewed corrections to `t`, if `corrections` (a directory
    /// such as `spec/corrections`) holds a file for it: the docs plus the corrections is what
    /// `spec/` holds. Says whether there was a file.
    pub fn correct(
        &self,
        t: &mut Transcription,
        corrections: &Path,
    ) -> Result<bool, TranscribeError> {
        let file = corrections.join(self.spec_file());
        if !file.is_file() {
            return Ok(false);
        }
        t.correct(&CorrectionFile::load(&file)?)?;
        Ok(true)
    }

    /// The upstream repository (`openstack/nova`).
    pub fn repository(&self) -> String {
        format!("openstack/{}", self.source.split('/').next().unwrap_or(""))
    }
}
