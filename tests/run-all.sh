#!/usr/bin/env bash
# Everything `make test` runs: the unit tests, every fuzz corpus and crasher
# replayed without libFuzzer, and the command-line cases.  Each part counts as
# passed or failed; the closing line "N passed, N failed" is what CI reads.
set -u
BUILD=${BUILD:-build}
passed=0
failed=0

count() { # count NAME STATUS
    if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else
        failed=$((failed + 1)); echo "FAIL $1"; fi
}

# Unit tests: add the runner's own counts.
out=$("$BUILD/run-tests" 2>&1)
status=$?
echo "$out" | grep -v '^[0-9]* passed, [0-9]* failed$'
line=$(echo "$out" | tail -n 1)
if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    passed=$((passed + BASH_REMATCH[1]))
    failed=$((failed + BASH_REMATCH[2]))
    [ $status -ne 0 ] && [ "${BASH_REMATCH[2]}" -eq 0 ] && count "unit tests (crashed)" 1
else
    count "unit tests (no summary: crashed?)" 1
fi
echo "unit: $line"

# Fuzz corpora (the seeds and what fuzzing found) and regressions.
for replay in "$BUILD"/replay_*; do
    [ -x "$replay" ] || continue
    t=${replay##*/replay_}
    if r=$("$replay" "fuzz/corpus/$t" "fuzz/found/$t" "fuzz/regression/$t" 2>&1); then
        echo "fuzz replay $t: ${r##*$'\n'}"
        count "fuzz replay $t" 0
    else
        echo "$r" | tail -n 20
        count "fuzz replay $t" 1
    fi
done

# Shell test scripts (tests/*_test.sh): each exits 0 when all its checks
# passed and prints its own "ok"/"FAIL" lines.
for t in tests/*_test.sh; do
    [ -f "$t" ] || continue
    if r=$(BUILD="$BUILD" SARHAD="$BUILD/sarhad" bash "$t" 2>&1); then
        echo "$t: $(echo "$r" | grep -c '^ok') checks passed"
        count "$t" 0
    else
        echo "$r" | grep -v '^ok' | tail -n 20
        count "$t" 1
    fi
done

# Command-line cases.
export SARHAD="$BUILD/sarhad"
source tests/cases.sh
run_cases
passed=$((passed + cases_passed))
failed=$((failed + cases_failed))
echo "cases: $cases_passed passed, $cases_failed failed"

# End-to-end tests of the HTTP server (tests/e2e/server.sh).
source tests/e2e/server.sh
passed=$((passed + e2e_passed))
failed=$((failed + e2e_failed))
echo "e2e: $e2e_passed passed, $e2e_failed failed"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
