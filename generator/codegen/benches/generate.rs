//! Time to generate the Rust modules of each spec in `spec/` and of all of them, from
//! loading the document to formatted code: medians over several runs of the wall time and
//! of the process's CPU time (on a shared machine the CPU time says more about the work,
//! the wall time about what a user waits), and a fingerprint of the output, so that a
//! change meant to be faster shows that it generates the same bytes.
//! Run: `cargo bench -p stackspec-codegen --bench generate`. Figures: README.md. Files
//! named after `--` are measured instead of `spec/` (OpenStack's published compute spec:
//! `-- ../shared/openstack-published-specs/compute/v2.yaml`, relative to the workspace).

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::time::{Duration, Instant};

use stackspec_codegen::{GeneratedService, Generator};
use stackspec_model::Spec;

/// The allocator of the `stackspec` binary, so that the figures are those of
/// `stackspec generate`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 7;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn generated(path: &Path) -> GeneratedService {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("service");
    let spec = Spec::load(path).unwrap_or_else(|e| panic!("{e}"));
    Generator::new().generate(&spec, stem).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Loads and generates one spec, returning the generated size to keep the work observable.
fn generate(path: &Path) -> usize {
    generated(path).modules().map(|(_, text)| text.len()).sum()
}

/// A hash of every generated module and file, names included: equal before and after a
/// change (same toolchain) means the same output.
fn fingerprint(path: &Path) -> u64 {
    let generated = generated(path);
    let mut hasher = DefaultHasher::new();
    generated.modules().chain(generated.files()).for_each(|part| part.hash(&mut hasher));
    hasher.finish()
}

/// User + system time of this process, every thread included (`/proc/self/stat`, in
/// Linux's fixed 100 ticks a second); zero where there is no such file.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split(' ').collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    // utime and stime are fields 14 and 15 of proc(5); field n is `fields[n - 2]`.
    Duration::from_millis((ticks(12) + ticks(13)) * 10)
}

/// Medians of the wall time and the CPU time of `RUNS` runs of `f`.
fn time(f: &dyn Fn() -> usize) -> (Duration, Duration) {
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let (start, start_cpu) = (Instant::now(), cpu_time());
        std::hint::black_box(f());
        wall.push(start.elapsed());
        cpu.push(cpu_time().saturating_sub(start_cpu));
    }
    (median(wall), median(cpu))
}

/// The specs named on the command line (cargo passes `--bench` too), else those of `spec/`.
fn specs() -> Vec<std::path::PathBuf> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let named: Vec<_> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(|a| workspace.join(a))
        .collect();
    if !named.is_empty() {
        return named;
    }
    let dir = workspace.join("spec");
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    specs.sort();
    specs
}

fn main() {
    let specs = specs();
    let ms = |t: Duration| t.as_secs_f64() * 1e3;
    println!("generate: median of {RUNS} runs (load + IR + render + format), wall and CPU");
    for path in &specs {
        let bytes = generate(path);
        // `spec/compute.yaml`, `compute/v2.yaml`: the published specs share file names.
        let name = path.iter().rev().take(2).collect::<Vec<_>>();
        let name = name.iter().rev().map(|p| p.to_string_lossy()).collect::<Vec<_>>().join("/");
        let (wall, cpu) = time(&|| generate(path));
        let hash = fingerprint(path);
        println!(
            "  {name:<30} {:>7.1} ms wall {:>7.1} ms CPU  ({} KiB of Rust, output {hash:016x})",
            ms(wall),
            ms(cpu),
            bytes / 1024
        );
    }
    let (wall, cpu) = time(&|| specs.iter().map(|p| generate(p)).sum());
    println!("  {:<30} {:>7.1} ms wall {:>7.1} ms CPU", "all", ms(wall), ms(cpu));
    println!(
        "load average {}",
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim()
    );
}
