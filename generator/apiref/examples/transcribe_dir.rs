//! `transcribe_dir SOURCE_DIR... [-o OUT.yaml] [--service-type TYPE]`: what
//! `stackspec transcribe` does (OpenAPI 3.0 output), built from this crate alone, so that the
//! scale benchmark (`scripts/bench-transcribe-scale` with `STACKSPEC_TRANSCRIBE=example`) can
//! measure a release build without compiling every generated service of the `stackspec` binary.

use std::path::PathBuf;
use std::process::ExitCode;

use stackspec_apiref::transcribe::{ServiceProfile, Transcriber};

/// The allocator the `stackspec` binary uses (src/main.rs), so that figures match the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: transcribe_dir SOURCE_DIR... [-o OUT.yaml|-] [--service-type TYPE]";

fn main() -> ExitCode {
    let mut sources: Vec<PathBuf> = Vec::new();
    let mut output = PathBuf::from("-");
    let mut service_type = String::from("generic");
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        let value = match arg.to_str() {
            Some("-o" | "--output" | "--service-type") => args.next(),
            _ => None,
        };
        match (arg.to_str(), value) {
            (Some("-o" | "--output"), Some(v)) => output = v.into(),
            (Some("--service-type"), Some(v)) => service_type = v.to_string_lossy().into_owned(),
            (Some(a), _) if !a.starts_with('-') => sources.push(arg.into()),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    if sources.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let profile = ServiceProfile::for_service(&service_type);
    let t = match Transcriber::new(profile).transcribe_dirs(&sources) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let yaml = t.to_yaml();
    if output.as_os_str() == "-" {
        print!("{yaml}");
    } else if let Err(e) = std::fs::write(&output, yaml) {
        eprintln!("error: cannot write {}: {e}", output.display());
        return ExitCode::from(2);
    }
    eprintln!(
        "transcribed {} operations; {} diagnostics",
        t.spec.operations().count(),
        t.diagnostics.len()
    );
    ExitCode::SUCCESS
}
