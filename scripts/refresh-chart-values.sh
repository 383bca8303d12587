#!/usr/bin/env bash
# Records a chart's default values for the values-keys test, in the reference directory (never in
# the repository: upstream data is read, not copied):
#   scripts/refresh-chart-values.sh <repository-url|oci://...> <chart> <version>
# Needs helm and network access; writes <reference>/chart-values/<chart>-<version>.values.json, where
# <reference> is $ODP_SHARED_DIR or ../shared (scripts/lib/reference-dir.ts). Keys a chart documents
# only in comments go in <chart>-<version>.documented-keys.json (a JSON list of dotted paths).
set -euo pipefail
repo=$1 chart=$2 version=$3
root="$(cd "$(dirname "$0")/.." && pwd)"
reference="$(cd "$root" && npx --no-install tsx scripts/lib/reference-dir.ts)"
mkdir -p "$reference/chart-values"
out="$reference/chart-values/${chart}-${version}.values.json"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
if [[ $repo == oci://* ]]; then
  helm show values "${repo%/}/${chart}" --version "$version" > "$tmp"
else
  helm show values "$chart" --repo "$repo" --version "$version" > "$tmp"
fi
node -e 'const y=require("yaml");const fs=require("fs");fs.writeFileSync(process.argv[2], JSON.stringify(y.parse(fs.readFileSync(process.argv[1],"utf8"),{version:"1.1"})??{},null,1)+"\n")' "$tmp" "$out"
[ -f "${out%.values.json}.documented-keys.json" ] || echo "[]" > "${out%.values.json}.documented-keys.json"
echo "wrote $out"
