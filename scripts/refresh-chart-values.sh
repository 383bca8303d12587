#!/usr/bin/env bash
# Records a chart's default values for the values-keys test:
#   scripts/refresh-chart-values.sh <repository-url|oci://...> <chart> <version>
# Needs helm and network access; writes test/fixtures/chart-values/<chart>-<version>.values.json.
# Keys a chart documents only in comments go in <chart>-<version>.documented-keys.json (a JSON list
# of dotted paths), written by hand after reading the chart's values.yaml.
set -euo pipefail
repo=$1 chart=$2 version=$3
out="$(dirname "$0")/../test/fixtures/chart-values/${chart}-${version}.values.json"
if [[ $repo == oci://* ]]; then
  helm show values "${repo%/}/${chart}" --version "$version" > /tmp/values.yaml
else
  helm show values "$chart" --repo "$repo" --version "$version" > /tmp/values.yaml
fi
node -e 'const y=require("yaml");const fs=require("fs");fs.writeFileSync(process.argv[2], JSON.stringify(y.parse(fs.readFileSync("/tmp/values.yaml","utf8"),{version:"1.1"})??{},null,1)+"\n")' "$out"
[ -f "${out%.values.json}.documented-keys.json" ] || echo "[]" > "${out%.values.json}.documented-keys.json"
echo "wrote $out"
