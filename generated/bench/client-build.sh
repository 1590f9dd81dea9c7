#!/usr/bin/env bash
# Build cost of a generated client, next to progenitor's, and the generator's own figures:
#  1. clean release build (fresh target directory, dependencies included) of the example
#     client-only crate for image (generated/example-client), and of a temporary crate
#     whose build.rs runs progenitor (crates.io) over the same spec: medians of REPEATS,
#     and seconds per operation generated;
#  2. generated lines per service (`stackspec generate`, both sides and client only);
#  3. release `stackspec generate` of every spec in spec/: median total of REPEATS.
# Progenitor gets the whole spec/image.yaml (as JSON) if it accepts it; if its build script
# refuses it, it gets the task paths only (/v2/tasks...) with the components they use.
# Usage: generated/bench/client-build.sh [all|builds|generator]   (default all: 1-3;
#        builds: 1 only; generator: 2 and 3 only). REPEATS=3 by default; honours
#        CARGO_TARGET_DIR.
# Writes nothing in the repository: builds go under $CARGO_TARGET_DIR/bench-client-build/.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
repeats="${REPEATS:-3}"
part="${1:-all}"
case "${part}" in all|builds|generator) ;; *) echo "usage: $0 [all|builds|generator]" >&2; exit 2 ;; esac
target="${CARGO_TARGET_DIR:-${root}/target}"
work="${target}/bench-client-build"
progenitor_version="0.15.1"
mkdir -p "${work}"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
operations() { # operations in an OpenAPI document (JSON or YAML)
  python3 -c '
import json, sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
verbs = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
print(sum(1 for item in doc["paths"].values() for verb in item if verb in verbs))' "$1"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start (shared with other jobs)"

builds() {
# --- the progenitor crate, outside the repository --------------------------------------
crate="${work}/progenitor-image"
mkdir -p "${crate}/src"
python3 -c 'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2], "w"), default=str)' \
  spec/image.yaml "${crate}/image.json"
cat > "${crate}/Cargo.toml" <<TOML
[package]
name = "progenitor-image"
version = "0.1.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
futures = "0.3"
progenitor-client = "${progenitor_version}"
# The reqwest progenitor-client ${progenitor_version} uses, with the client's TLS stack (rustls, ring).
reqwest = { version = "0.13", default-features = false, features = ["json", "stream", "query", "rustls-no-provider"] }
rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
uuid = { version = "1", features = ["serde", "v4"] }
regress = "0.10"
tokio = { version = "1", features = ["rt", "macros"] }

[build-dependencies]
progenitor = "${progenitor_version}"
prettyplease = "0.2"
serde_json = "1"
syn = "2"

[profile.release]
debug = "line-tables-only"
TOML
cat > "${crate}/build.rs" <<'RS'
fn main() {
    let src = "image.json";
    println!("cargo::rerun-if-changed={src}");
    let spec = serde_json::from_reader(std::fs::File::open(src).unwrap()).unwrap();
    let mut generator = progenitor::Generator::default();
    let tokens = generator.generate_tokens(&spec).unwrap();
    let text = prettyplease::unparse(&syn::parse2(tokens).unwrap());
    let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("codegen.rs");
    std::fs::write(out, text).unwrap();
}
RS
cat > "${crate}/src/main.rs" <<'RS'
#![allow(dead_code)]
include!(concat!(env!("OUT_DIR"), "/codegen.rs"));

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let _client = Client::new("http://127.0.0.1:9");
    println!("built");
}
RS

echo "probing progenitor ${progenitor_version} on spec/image.yaml (debug build) ..." >&2
progenitor_input="spec/image.yaml (whole)"
if ! CARGO_TARGET_DIR="${work}/probe" cargo build --quiet --manifest-path "${crate}/Cargo.toml" 2>"${work}/probe.log"; then
  grep -m3 -E "panicked|error" "${work}/probe.log" | sed 's/^/  progenitor: /' >&2 || true
  python3 -c '
import json, sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
doc["paths"] = {p: v for p, v in doc["paths"].items() if p.startswith("/v2/tasks")}
json.dump(doc, open(sys.argv[2], "w"), default=str)' spec/image.yaml "${crate}/image.json"
  progenitor_input="the /v2/tasks paths of spec/image.yaml"
  CARGO_TARGET_DIR="${work}/probe" cargo build --quiet --manifest-path "${crate}/Cargo.toml" \
    || { echo "progenitor refuses the task paths too" >&2; exit 1; }
fi
progenitor_ops="$(operations "${crate}/image.json")"
ours_ops="$(operations spec/image.yaml)"

clean_build() { # label, then the cargo arguments; prints seconds
  local dir="${work}/clean-$1"; shift
  rm -rf "${dir}"
  local start; start="$(now)"
  CARGO_TARGET_DIR="${dir}" cargo build --quiet --release "$@" >&2
  local seconds; seconds="$(elapsed "${start}" "$(now)")"
  echo "  ${dir##*/}: ${seconds} s (load average $(cut -d' ' -f1-3 /proc/loadavg) at the end)" >&2
  echo "${seconds}"
  rm -rf "${dir}"
}
ours_times=(); progenitor_times=()
for i in $(seq 1 "${repeats}"); do
  echo "clean release builds, round ${i}/${repeats} ..." >&2
  ours_times+=("$(clean_build ours -p stackspec-example-client)")
  progenitor_times+=("$(clean_build progenitor --manifest-path "${crate}/Cargo.toml")")
done
ours="$(printf '%s\n' "${ours_times[@]}" | median)"
theirs="$(printf '%s\n' "${progenitor_times[@]}" | median)"

echo "clean release build of a client-only crate, median of ${repeats} (runs: ours ${ours_times[*]} s; progenitor ${progenitor_times[*]} s)"
printf '  %-58s %7s s  %4s ops  %6.2f s/op\n' "stackspec example-client (spec/image.yaml, client only)" \
  "${ours}" "${ours_ops}" "$(awk -v t="${ours}" -v n="${ours_ops}" 'BEGIN { print t / n }')"
printf '  %-58s %7s s  %4s ops  %6.2f s/op\n' "progenitor ${progenitor_version} (${progenitor_input})" \
  "${theirs}" "${progenitor_ops}" "$(awk -v t="${theirs}" -v n="${progenitor_ops}" 'BEGIN { print t / n }')"
awk -v a="${ours}" -v n="${ours_ops}" -v b="${theirs}" -v m="${progenitor_ops}" \
  'BEGIN { printf "  per operation: stackspec / progenitor = %.2f (below 1: cheaper per operation)\n", (a / n) / (b / m) }'

}

# --- the generator's own figures --------------------------------------------------------
generator() {
cargo build --quiet --release --bin stackspec
stackspec="${target}/release/stackspec"
echo "generated lines per service (stackspec generate; types + client + server, and client only)"
for spec in spec/*.yaml; do
  name="$(basename "${spec}" .yaml)"
  for side in both client; do
    out="${work}/lines/${name}-${side}"; rm -rf "${out}"
    "${stackspec}" generate --spec "${spec}" -o "${out}" --side "${side}" >/dev/null
  done
  both="$(cat "${work}/lines/${name}-both"/*.rs | wc -l)"
  client="$(cat "${work}/lines/${name}-client"/*.rs | wc -l)"
  printf '  %-26s %7s lines  (client only: %s)\n' "${name}" "${both}" "${client}"
done
totals=()
for _ in $(seq 1 "${repeats}"); do
  start="$(now)"
  for spec in spec/*.yaml; do
    "${stackspec}" generate --spec "${spec}" -o "${work}/gen/$(basename "${spec}" .yaml)" >/dev/null
  done
  totals+=("$(awk -v a="${start}" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')")
done
echo "release stackspec generate of all $(ls spec/*.yaml | wc -l) specs, one process each: median $(printf '%s\n' "${totals[@]}" | median) s of ${repeats} (${totals[*]}; goal < 1 s)"
}

case "${part}" in
  builds) builds ;;
  generator) generator ;;
  all) builds; generator ;;
esac
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
