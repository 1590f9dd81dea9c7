//! Time to generate the Rust modules of each spec in `spec/` and of all of them, from
//! loading the document to formatted code, as medians over several runs.
//! Run: `cargo bench -p stackspec-codegen --bench generate`.

use std::path::Path;
use std::time::{Duration, Instant};

use stackspec_codegen::Generator;
use stackspec_model::Spec;

const RUNS: usize = 7;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Loads and generates one spec, returning the generated size to keep the work observable.
fn generate(path: &Path) -> usize {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("service");
    let spec = Spec::load(path).unwrap_or_else(|e| panic!("{e}"));
    let generated = Generator::new()
        .generate(&spec, stem)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    generated.modules().map(|(_, text)| text.len()).sum()
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec");
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    specs.sort();
    let time = |f: &dyn Fn() -> usize| {
        let runs: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(f());
                start.elapsed()
            })
            .collect();
        median(runs)
    };
    println!("generate: median of {RUNS} runs (load + IR + render + format)");
    for path in &specs {
        let bytes = generate(path);
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let t = time(&|| generate(path));
        println!("  {name:<32} {:>9.1} ms  ({} KiB of Rust)", t.as_secs_f64() * 1e3, bytes / 1024);
    }
    let all = time(&|| specs.iter().map(|p| generate(p)).sum());
    println!("  {:<32} {:>9.1} ms", "all", all.as_secs_f64() * 1e3);
}
