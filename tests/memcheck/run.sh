#!/usr/bin/env bash
# memcheck/run.sh - every fuzz target's corpus (the seeds, what fuzzing
# found, the regressions) and the unit tests run under valgrind's memcheck.  AddressSanitizer
# (make SANITIZE=address,undefined test) does not see a branch on memory
# that was never written; memcheck does, in the normal build and with the
# Debian libraries as they are.  Run by scripts/test; closes with
# "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
command -v valgrind >/dev/null || { echo "valgrind is missing (scripts/deps.sh)"; echo "0 passed, 1 failed"; exit 1; }
make -s "$BUILD/sarhad" "$BUILD/run-tests" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
passed=0
failed=0
for src in fuzz/fuzz_*.c; do
    t=${src#fuzz/fuzz_}
    t=${t%.c}
    make -s "$BUILD/replay_$t" >/dev/null || { failed=$((failed + 1)); continue; }
    if out=$(valgrind -q --error-exitcode=99 --exit-on-first-error=no \
        "$BUILD/replay_$t" "fuzz/corpus/$t" "fuzz/found/$t" "fuzz/regression/$t" 2>&1); then
        echo "ok   $t: ${out##*$'\n'}"
        passed=$((passed + 1))
    else
        echo "$out" | tail -n 30
        echo "FAIL $t"
        failed=$((failed + 1))
    fi
done
# The unit tests: slower under memcheck (minutes), and the ones that found
# the last uninitialised read.  A forked child reports its own errors.
if out=$(valgrind -q --error-exitcode=99 --trace-children=no "$BUILD/run-tests" 2>&1); then
    echo "ok   unit tests: ${out##*$'\n'}"
    passed=$((passed + 1))
else
    echo "$out" | grep -v '^ok ' | tail -n 60
    echo "FAIL unit tests"
    failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
