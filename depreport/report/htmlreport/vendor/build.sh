#!/usr/bin/env bash
# Rebuild echarts.min.js (and LICENSES.txt) from the npm registry: Apache ECharts with only the parts
# entry.js names, minified into one script that sets window.echarts. The HTML report inlines it.
# Usage: depreport/report/htmlreport/vendor/build.sh   (needs node and npm; nothing is installed globally)
set -euo pipefail
ECHARTS=6.1.0
ESBUILD=0.25.12
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
echo '{"name": "depreport-echarts", "private": true}' > package.json
npm install --silent --no-audit --no-fund "echarts@$ECHARTS" "esbuild@$ESBUILD"
cp "$here/entry.js" .
{
  echo "/*! Apache ECharts $ECHARTS (line and treemap charts, SVG renderer), with ZRender and tslib."
  echo " * Apache License 2.0, BSD 3-Clause and 0BSD: see LICENSES.txt beside this file. */"
} > banner.txt
node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --target=es2019 \
  --legal-comments=none --outfile=bundle.js
cat banner.txt bundle.js > "$here/echarts.min.js"
{
  echo "echarts.min.js bundles Apache ECharts $ECHARTS, ZRender and tslib, built by build.sh."
  for file in echarts/LICENSE echarts/NOTICE echarts/licenses/LICENSE-d3 zrender/LICENSE tslib/LICENSE.txt; do
    printf '\n==== %s ====\n\n' "$file"
    cat "node_modules/$file"
  done
} > "$here/LICENSES.txt"
echo "wrote $here/echarts.min.js ($(wc -c < "$here/echarts.min.js") bytes)"
