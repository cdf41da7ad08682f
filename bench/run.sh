#!/usr/bin/env bash
# `make bench`: runs every benchmark binary (build/bench_*) and every peer or
# end-to-end benchmark script (bench/*.sh other than this one), printing
# their figures.  Record the medians in docs/BENCHMARKS.md with the machine
# and the date.
set -u
BUILD=${BUILD:-build}
cd "$(dirname "$0")/.."
echo "# sarhad benchmarks, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m)"
status=0
for b in "$BUILD"/bench_*; do
    [ -x "$b" ] || continue
    echo "## ${b##*/}"
    "$b" || status=1
done
for s in bench/*.sh; do
    [ "$s" = bench/run.sh ] && continue
    [ -f "$s" ] || continue
    echo "## ${s##*/}"
    BUILD=$BUILD bash "$s" || status=1
done
exit $status
