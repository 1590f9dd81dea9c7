//! The checked-in `spec/` is exactly what the transcriber produces from the corpus now plus
//! the reviewed corrections of `spec/corrections/`, and producing it twice gives the same
//! bytes.

use std::path::Path;

use stackspec_apiref::corpus::{DEFAULT_CORPUS, SERVICES};

#[test]
fn checked_in_specs_match_a_fresh_transcription() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut stale = Vec::new();
    for service in SERVICES {
        let mut t = service.transcribe(&repo.join(DEFAULT_CORPUS)).unwrap();
        service.correct(&mut t, &repo.join("spec/corrections")).unwrap();
        let yaml = t.to_yaml();
        let path = repo.join("spec").join(service.spec_file());
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != yaml {
            stale.push(service.spec_file());
        }
    }
    assert!(stale.is_empty(), "spec/ is out of date, run `cargo run -- spec`: {stale:?}");
}

#[test]
fn transcription_is_byte_identical_on_rerun() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let service = SERVICES[3];
    let once = service.transcribe(&repo.join(DEFAULT_CORPUS)).unwrap().to_yaml();
    let twice = service.transcribe(&repo.join(DEFAULT_CORPUS)).unwrap().to_yaml();
    assert_eq!(once, twice);
}
