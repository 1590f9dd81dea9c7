#!/usr/bin/env bash
# Seeds each target's corpus (corpus/TARGET/) from the real api-refs, read at run time
# from ../shared (upstream text is never committed), and from this repository's own specs
# and test fixtures. Usage: seed.sh [API_REF_CORPUS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
corpus="${1:-$repo/../shared/openstack-api-ref}"
[ -d "$corpus" ] || { echo "seed.sh: no api-ref corpus at $corpus" >&2; exit 2; }

# Copies each file named on stdin into corpus/$1/, named after its path.
collect() {
  local dir="$here/corpus/$1"
  mkdir -p "$dir"
  while IFS= read -r file; do
    cp "$file" "$dir/$(echo "${file#"$corpus"/}" | tr '/' '_')"
  done
}

find "$corpus" -name '*.inc' | collect rst
find "$corpus" -name '*.yaml' | collect parameters_yaml
find "$corpus" -name '*.json' -size -64k | collect samples
find "$repo/spec" "$repo"/generator/*/tests/fixtures -name '*.yaml' | collect spec_loader

# transcribe: an .inc file and its directory's parameters and status files, NUL-separated
# as the target splits them (w.inc, parameters.yaml, status.yaml, samples/x.json).
mkdir -p "$here/corpus/transcribe"
n=0
while IFS= read -r inc; do
  dir="$(dirname "$inc")"
  out="$here/corpus/transcribe/$(echo "${inc#"$corpus"/}" | tr '/' '_')"
  {
    cat "$inc"; printf '\0'
    cat "$dir/parameters.yaml" 2>/dev/null || true; printf '\0'
    cat "$dir/status.yaml" "$dir/../status.yaml" 2>/dev/null | head -c 4096 || true; printf '\0'
    echo '{"widget": {"name": "w"}}'
  } > "$out"
  n=$((n + 1))
done < <(find "$corpus" -name '*.inc' -size -32k | sort)
for target in rst parameters_yaml samples spec_loader transcribe; do
  echo "corpus/$target: $(ls "$here/corpus/$target" | wc -l) seeds"
done
