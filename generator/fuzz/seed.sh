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
# mock_request: one request per operation of each spec/ file, for the generated mock and the
# interpreted one (SERVICE[+spec] METHOD TARGET, headers, a blank line, the body; see the
# target), with each documented request example as a body at the microversion it was
# written for. Without PyYAML, one bodiless request per operation, read from the paths.
mkdir -p "$here/corpus/mock_request"
if python3 -c 'import yaml' 2>/dev/null; then
  python3 - "$repo/spec" "$here/corpus/mock_request" <<'PY'
import json, pathlib, re, sys, yaml
specs, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
ID = "00000000-0000-4000-8000-000000000000"
for file in sorted(specs.glob("*.yaml")):
    doc = yaml.safe_load(file.read_text())
    facts = doc.get("info", {}).get("x-stackspec", {})
    versioned = "OpenStack-API-Version" in facts.get("microversion-headers", [])
    n = 0
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            target = re.sub(r"\{[^}]*\}", ID, path)
            requests = [([], b"")]
            for media, entry in (op.get("requestBody") or {}).get("content", {}).items():
                examples = list((entry.get("examples") or {}).values())
                if "example" in entry:
                    examples.append({"value": entry["example"]})
                for example in examples:
                    headers = [f"Content-Type: {media}"]
                    version = (example.get("x-stackspec") or {}).get("microversion")
                    if versioned and version:
                        headers.append(f"OpenStack-API-Version: {facts['service-type']} {version}")
                    requests.append((headers, json.dumps(example.get("value")).encode()))
            for service in (file.stem, file.stem + "+spec"):
                for headers, body in requests:
                    head = "\n".join([f"{service} {method.upper()} {target}", *headers])
                    (out / f"{service}-{n}").write_bytes(head.encode() + b"\n\n" + body)
                    n += 1
PY
else
  echo "seed.sh: no PyYAML (python3-yaml): mock_request seeds without bodies" >&2
  for spec in "$repo"/spec/*.yaml; do
    service="$(basename "$spec" .yaml)"
    awk -v s="$service" -v dir="$here/corpus/mock_request" '/^paths:/ {p = 1; next} /^[^ ]/ {p = 0}
      p && /^  \/.*:$/ {path = substr($0, 3, length($0) - 3); gsub(/\{[^}]*\}/, "x", path)}
      p && /^    (get|put|post|delete|patch|head):$/ {
        f = dir "/" s "-" NR; print s " " toupper(substr($1, 1, length($1) - 1)) " " path > f; close(f) }' "$spec"
  done
fi

for target in rst parameters_yaml samples spec_loader transcribe mock_request; do
  echo "corpus/$target: $(ls "$here/corpus/$target" | wc -l) seeds"
done
