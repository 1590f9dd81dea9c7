//! Time to transcribe each corpus service (reading every `.inc`, parameters file and sample,
//! and building the document), and to serialize it. Prints the median of several runs.
//!
//! `cargo bench -p stackspec-apiref --bench transcribe` (set `STACKSPEC_CORPUS` to use
//! another corpus location, `STACKSPEC_BENCH_RUNS` for another run count).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use stackspec_apiref::corpus::{DEFAULT_CORPUS, SERVICES};
use stackspec_apiref::reader::ApiRef;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, Duration) {
    let samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    let (min, max) = (*samples.iter().min().unwrap(), *samples.iter().max().unwrap());
    (median(samples), min, max)
}

fn main() {
    let corpus = std::env::var_os("STACKSPEC_CORPUS").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(DEFAULT_CORPUS)
    });
    let runs: usize =
        std::env::var("STACKSPEC_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(11);
    println!("{runs} runs each; median (min..max)");
    println!(
        "{:<26} {:>22} {:>22} {:>22}",
        "service", "read api-ref", "transcribe", "transcribe + YAML"
    );
    for service in SERVICES {
        let sources = service.sources_in(&corpus);
        let read = time(runs, || ApiRef::read_all(&sources).expect("readable corpus"));
        let full = time(runs, || service.transcribe(&corpus).expect("transcribes"));
        let yaml = time(runs, || service.transcribe(&corpus).expect("transcribes").to_yaml());
        let show = |(m, lo, hi): (Duration, Duration, Duration)| {
            format!("{:.1} ms ({:.1}..{:.1})", ms(m), ms(lo), ms(hi))
        };
        println!(
            "{:<26} {:>22} {:>22} {:>22}",
            service.service_type,
            show(read),
            show(full),
            show(yaml)
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
