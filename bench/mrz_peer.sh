#!/usr/bin/env bash
# Peer benchmark: the npm `mrz` package (bench/peer, installed with npm ci
# when missing) parsing the same kind of documents as build/bench_mrz, in
# parses per CPU-second.  100,000 documents per format keep it near 10 s.
set -eu
BUILD=${BUILD:-build}
cd "$(dirname "$0")/.."
N=${MRZ_PEER_DOCS:-100000}
if ! command -v node >/dev/null; then
    echo "mrz_peer: node is not installed (apt-get install nodejs npm)"; exit 0
fi
if [ ! -d bench/peer/node_modules/mrz ]; then
    (cd bench/peer && npm ci --silent)
fi
docs=$(mktemp)
trap 'rm -f "$docs"' EXIT
"$BUILD/bench_mrz" --write "$N" >"$docs"
node bench/peer/bench.mjs "$docs"
