//! The api-ref corpus this project is measured on (`../shared/openstack-api-ref`): which
//! source directories are which service, and which tags are the seed APIs that must be right
//! first.

use std::path::{Path, PathBuf};

use stackspec_model::corrections::CorrectionFile;

use crate::transcribe::{ServiceProfile, TranscribeError, Transcriber, Transcription};

/// One service of the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorpusService {
    /// The service type, which is also the `spec/` file stem.
    pub service_type: &'static str,
    /// The api-ref source directories, relative to the corpus root, all in one repository
    /// and merged in this order (see [`Transcriber::transcribe_dirs`]). Most services have
    /// one; glance documents version discovery in a sibling of its `v2/`.
    pub sources: &'static [&'static str],
    /// The tags (`.inc` file stems) of the seed APIs.
    pub seed_tags: &'static [&'static str],
}

/// Every service the project transcribes into `spec/`.
pub const SERVICES: [CorpusService; 14] = [
    CorpusService {
        service_type: "compute",
        sources: &["nova/api-ref/source"],
        seed_tags: &["os-server-external-events", "os-instance-actions"],
    },
    CorpusService {
        service_type: "image",
        sources: &["glance/api-ref/source/v2", "glance/api-ref/source/versions"],
        seed_tags: &["tasks"],
    },
    CorpusService {
        service_type: "orchestration",
        sources: &["heat/api-ref/source/v1"],
        seed_tags: &["events"],
    },
    CorpusService {
        service_type: "baremetal-introspection",
        sources: &["ironic-inspector/api-ref/source"],
        seed_tags: &["introspection-api-v1-introspection-management"],
    },
    CorpusService {
        service_type: "identity",
        sources: &["keystone/api-ref/source/v3"],
        seed_tags: &[],
    },
    CorpusService {
        service_type: "block-storage",
        sources: &["cinder/api-ref/source/v3"],
        seed_tags: &[],
    },
    CorpusService {
        service_type: "network",
        sources: &["neutron-lib/api-ref/source/v2"],
        seed_tags: &[],
    },
    CorpusService {
        service_type: "baremetal",
        sources: &["ironic/api-ref/source"],
        seed_tags: &[],
    },
    CorpusService {
        service_type: "placement",
        sources: &["placement/api-ref/source"],
        seed_tags: &[],
    },
    CorpusService {
        service_type: "load-balancer",
        sources: &["octavia/api-ref/source/v2"],
        seed_tags: &[],
    },
    CorpusService {
        service_type: "shared-file-system",
        sources: &["manila/api-ref/source"],
        seed_tags: &[],
    },
    CorpusService { service_type: "dns", sources: &["designate/api-ref/source"], seed_tags: &[] },
    CorpusService {
        service_type: "object-store",
        sources: &["swift/api-ref/source"],
        seed_tags: &[],
    },
    CorpusService {
        service_type: "container-infrastructure-management",
        sources: &["magnum/api-ref/source"],
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

    /// The source directories inside `corpus`.
    pub fn sources_in(&self, corpus: &Path) -> Vec<PathBuf> {
        self.sources.iter().map(|s| corpus.join(s)).collect()
    }

    /// The file name of this service's spec in `spec/`.
    pub fn spec_file(&self) -> String {
        format!("{}.yaml", self.service_type)
    }

    /// Transcribes this service from `corpus`, labelling the document with the corpus-relative
    /// sources so that it is the same wherever the corpus lives.
    pub fn transcribe(&self, corpus: &Path) -> Result<Transcription, TranscribeError> {
        let profile =
            ServiceProfile::builtin(self.service_type).expect("every corpus service has a profile");
        Transcriber::new(profile).label(self.label()).transcribe_dirs(&self.sources_in(corpus))
    }

    /// How the document names its sources: `openstack/nova/api-ref/source`, or several of
    /// these separated by commas.
    fn label(&self) -> String {
        let named = |source: &&str| format!("openstack/{source}");
        self.sources.iter().map(named).collect::<Vec<_>>().join(", ")
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

    /// The upstream repository (`openstack/nova`), which holds every source directory.
    pub fn repository(&self) -> String {
        let first = self.sources.first().copied().unwrap_or("");
        format!("openstack/{}", first.split('/').next().unwrap_or(""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_has_sources_in_its_one_repository() {
        for service in SERVICES {
            let project = service.repository().trim_start_matches("openstack/").to_string();
            assert!(!service.sources.is_empty(), "{}", service.service_type);
            for source in service.sources {
                assert!(source.starts_with(&format!("{project}/")), "{source}");
            }
        }
    }

    #[test]
    fn the_label_names_every_source_with_its_repository() {
        let image = CorpusService::named("image").unwrap();
        assert_eq!(image.repository(), "openstack/glance");
        assert_eq!(
            image.label(),
            "openstack/glance/api-ref/source/v2, openstack/glance/api-ref/source/versions"
        );
        let compute = CorpusService::named("compute").unwrap();
        assert_eq!(compute.label(), "openstack/nova/api-ref/source");
    }
}
