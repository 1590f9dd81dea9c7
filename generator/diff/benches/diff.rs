//! Time to diff a full spec against itself and against a modified copy, in process (median
//! of repeated runs). `scripts/bench-diff` runs this and then the same comparisons end to end
//! against a peer tool.
//!
//! `cargo bench -p stackspec-diff --bench diff -- [SPEC.yaml ...] [--write-modified DIR]`
//! (default: `spec/compute.yaml`). With `--write-modified`, each modified copy is written to
//! DIR under the spec's file name, for end-to-end runs.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use stackspec_diff::{self as diff, Severity};
use stackspec_model::Spec;

const RUNS: usize = 21;
const LOAD_RUNS: usize = 5;

fn main() {
    let (specs, write_to) = parse_args();
    println!("spec\tcase\tmedian_ms\tmin_ms\truns\tchanges");
    for path in specs {
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (load, old) = median(LOAD_RUNS, || Spec::parse(&path, &text).unwrap());
        let mut raw = old.raw.clone();
        modify(&mut raw);
        if let Some(dir) = &write_to {
            let out = dir.join(path.file_name().unwrap());
            std::fs::write(&out, serde_norway::to_string(&raw).unwrap()).unwrap();
        }
        let new = Spec::from_value(&path, raw).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        row(&name, "load", load, LOAD_RUNS, "");
        for (case, other) in [("diff-self", &old), ("diff-modified", &new)] {
            let (time, report) = median(RUNS, || diff::diff(&old, other).unwrap());
            let counts = [Severity::Breaking, Severity::Warning, Severity::Info]
                .map(|s| report.count(s).to_string())
                .join("/");
            let changes = format!("{counts} (breaking/warning/info)");
            row(&name, case, time, RUNS, &changes);
        }
    }
}

fn row(spec: &str, case: &str, (median, min): (Duration, Duration), runs: usize, changes: &str) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("{spec}\t{case}\t{:.2}\t{:.2}\t{runs}\t{changes}", ms(median), ms(min));
}

/// Runs `f` `runs` times; the median and fastest durations, and the last result.
fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> ((Duration, Duration), T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        last = Some(std::hint::black_box(f()));
        times.push(start.elapsed());
    }
    times.sort();
    ((times[runs / 2], times[0]), last.unwrap())
}

fn parse_args() -> (Vec<PathBuf>, Option<PathBuf>) {
    let mut specs = Vec::new();
    let mut write_to = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bench" => {}
            "--write-modified" => write_to = args.next().map(PathBuf::from),
            _ => specs.push(PathBuf::from(arg)),
        }
    }
    if specs.is_empty() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        specs.push(root.join("spec/compute.yaml"));
    }
    (specs, write_to)
}

/// Edits a document the way releases do, spread evenly over it: every 20th object schema
/// loses its first property and every 20th (offset by 10) gains one, every 4th enum gains a
/// value, every 15th operation gains a required query parameter. Examples are left alone.
fn modify(doc: &mut Value) {
    walk(doc, &mut Seen::default());
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    let operations = paths.values_mut().filter_map(Value::as_object_mut).flat_map(|item| {
        item.iter_mut()
            .filter(|(k, _)| ["get", "put", "post", "delete", "patch"].contains(&k.as_str()))
            .map(|(_, op)| op)
    });
    for operation in operations.step_by(15) {
        let parameter = json!({"name": "bench_filter", "in": "query", "required": true, "schema": {"type": "string"}});
        let list = operation.as_object_mut().unwrap().entry("parameters").or_insert(json!([]));
        list.as_array_mut().unwrap().push(parameter);
    }
}

/// How many object schemas and enums the walk has seen so far.
#[derive(Default)]
struct Seen {
    objects: usize,
    enums: usize,
}

fn walk(node: &mut Value, seen: &mut Seen) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get_mut("properties") {
                seen.objects += 1;
                match seen.objects % 20 {
                    0 if props.len() > 1 => {
                        let first = props.keys().next().cloned().unwrap_or_default();
                        props.shift_remove(&first);
                    }
                    10 => {
                        props.insert("bench_added".into(), json!({"type": "string"}));
                    }
                    _ => {}
                }
            }
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                seen.enums += 1;
                if seen.enums % 4 == 0 {
                    values.push(json!("bench-value"));
                }
            }
            for (key, value) in map.iter_mut() {
                if key != "examples" && key != "example" {
                    walk(value, seen);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| walk(v, seen)),
        _ => {}
    }
}
