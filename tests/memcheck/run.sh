#!/usr/bin/env bash
# memcheck/run.sh - every fuzz target's corpus (the seeds, what fuzzing
# found, the regressions) replayed under valgrind's memcheck.  AddressSanitizer
# (make SANITIZE=address,undefined test) does not see a branch on memory
# that was never written; memcheck does, in the normal build and with the
# Debian libraries as they are.  Run by scripts/test; closes with
# "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
command -v valgrind >/dev/null || { echo "valgrind is missing (scripts/deps.sh)"; echo "0 passed, 1 failed"; exit 1; }
make -s "$BUILD/sarhad" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
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
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
