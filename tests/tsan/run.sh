#!/usr/bin/env bash
# tsan/run.sh - the threaded paths under ThreadSanitizer: `sarhad cross`
# (a reader thread parsing and screening, the writer, the printer that
# flushes the log, the checkpoint thread) and `sarhad serve` (pool
# threads, writer, flusher, checkpointer, the per-thread session caches,
# the replay thread, the push thread), driven by the HTTP end-to-end tests,
# the national push's tests, the SIGKILL loops and a screened stream.  A data race anywhere is a failure.  Run by scripts/test; closes
# with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
make -s SANITIZE=thread "$BUILD/san-thread/sarhad" >/dev/null || {
    echo "0 passed, 1 failed"
    exit 1
}
S=$PWD/$BUILD/san-thread/sarhad
reports=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$reports" "$work"' EXIT
export TSAN_OPTIONS="log_path=$reports/race halt_on_error=0"
passed=0
failed=0
check() { # check NAME STATUS
    if [ "$2" -eq 0 ]; then
        echo "ok   $1"
        passed=$((passed + 1))
    else
        echo "FAIL $1"
        failed=$((failed + 1))
    fi
}

# A screened stream: the reader thread screens while the writer records.
"$S" init --db "$work/s.db" --post TORKHAM >/dev/null 2>&1 &&
    "$S" watchlist import --db "$work/s.db" ../shared/data/un-consolidated-list.xml \
        >/dev/null 2>&1
status=$?
if [ $status -eq 0 ]; then
    for i in $(seq 1 600); do
        printf '{"crossing":"TORKHAM","direction":"entry","time":"2023-10-%02dT09:30:00+05:00","traveller":{"nationality":"AFG","sex":"M","birth_date":"1990-01-01"},"documents":[{"kind":"passport","mrz":"P<AFGHAQQANI<<SIRAJUDDIN<<<<<<<<<<<<<<<<<<<<\\nP0000000%02dAFG9001011M3001019<<<<<<<<<<<<<<00"}]}\n' \
            $((1 + i % 28)) $((i % 100))
    done >"$work/lines"
    "$S" cross --db "$work/s.db" --group 50 <"$work/lines" >"$work/out" 2>/dev/null
    [ "$(wc -l <"$work/out")" -gt 0 ]
    status=$?
fi
check "a screened stream through sarhad cross" $status

SARHAD=$S bash tests/ledger_kill_test.sh >"$work/kill" 2>&1
check "sarhad cross killed in a loop" $?
SARHAD=$S bash tests/serve_kill_test.sh >"$work/skill" 2>&1
check "sarhad serve killed in a loop" $?
# The push thread beside the server's own (serve --central), and replays.
SARHAD=$S bash tests/central_test.sh >"$work/central" 2>&1
check "the national push, the server's push thread included" $?
(
    SARHAD=$S
    source tests/e2e/server.sh >"$work/e2e" 2>&1
    [ "$e2e_failed" -eq 0 ] && [ "$e2e_passed" -gt 0 ]
)
check "the HTTP end-to-end tests" $?

races=$(cat "$reports"/race* 2>/dev/null | grep -c '^WARNING: ThreadSanitizer')
if [ "$races" -gt 0 ]; then
    cat "$reports"/race* | head -n 80
fi
check "no data race reported ($races reports)" "$races"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
