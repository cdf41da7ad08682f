#!/usr/bin/env bash
# ledger_kill_test.sh - durability: a `sarhad cross` writer streaming
# decisions is killed with SIGKILL at random moments, again and again.
# After each kill every decision it printed must be in the store with the
# same outcome (a decision is printed only after its commit), and
# `sarhad verify` must find the store sound (no half-written attempt: the
# summaries, audit chain and referrals all agree with the events).
# Run by tests/run-all.sh; exits 0 when every round passed.
set -u
S=${SARHAD:-build/sarhad}
case $S in /*) ;; *) S=$PWD/$S ;; esac
ROUNDS=${ROUNDS:-5}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failed=0

"$S" init --db "$T/k.db" --post TORKHAM >/dev/null || exit 1
PASSPORT='P<AFGNOORI<<AHMAD<<<<<<<<<<<<<<<<<<<<<<<<<<<\nP012345673AFG9001011M3001019<<<<<<<<<<<<<<<0'
VISA='V<PAKNOORI<<AHMAD<<<<<<<<<<<<<<<<<<<<<<<<<<<\nV1234567<3AFG9001011M2406019<<<<<<<<<<<<<<<<'
for i in $(seq 1 2400); do
    d=$(printf '2023-11-%02d' $((1 + i % 28)))
    case $((i % 4)) in
    0) printf '{"crossing":"TORKHAM","direction":"entry","time":"%sT09:30:00+05:00","traveller":{"nationality":"AFG","sex":"M","birth_date":"1990-01-01"},"documents":[{"kind":"passport","mrz":"%s"},{"kind":"visa","mrz":"%s","category":"visit","entries":"multiple","stay_days":30}]}\n' "$d" "$PASSPORT" "$VISA" ;;
    1) printf '{"crossing":"TORKHAM","direction":"exit","time":"%sT10:30:00+05:00","traveller":{"nationality":"AFG","sex":"M","birth_date":"1990-01-01"},"documents":[{"kind":"passport","mrz":"%s"}]}\n' "$d" "$PASSPORT" ;;
    2) printf '{"crossing":"CHAMAN","direction":"entry","time":"%sT08:00:00+05:00","traveller":{"nationality":"PAK","sex":"M","birth_date":"1980-02-02"},"documents":[{"kind":"cnic","number":"17301-1234567-1"}]}\n' "$d" ;;
    3) printf '{"crossing":"BARABCHA","direction":"exit","time":"%sT11:00:00+05:00","traveller":{"nationality":"AFG","sex":"F","birth_date":"2010-01-01"},"movement":{"category":"deportation","household":"H%d"},"documents":[{"kind":"por","number":"POR%06d"}]}\n' "$d" "$i" "$i" ;;
    esac
done >"$T/lines"

for round in $(seq 1 "$ROUNDS"); do
    "$S" cross --db "$T/k.db" --group 50 <"$T/lines" >"$T/out" 2>"$T/err" &
    pid=$!
    sleep "0.$((RANDOM % 4 + 1))"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    # Only whole lines were surely printed; a torn last line is ignored.
    complete=$(grep -c '}$' "$T/out")
    sed -n 's/^{"attempt":\([0-9]*\),"decision":"\([a-z]*\)".*}$/\1|\2/p' "$T/out" >"$T/printed"
    sqlite3 "$T/k.db" "SELECT id || '|' || decision FROM attempt" | sort >"$T/stored"
    lost=$(sort "$T/printed" | comm -23 - "$T/stored" | wc -l)
    if ! "$S" verify --db "$T/k.db" >"$T/verify" 2>&1; then
        echo "FAIL round $round: verify"; cat "$T/verify"; failed=1
    elif [ "$lost" -ne 0 ]; then
        echo "FAIL round $round: $lost printed decisions not in the store"; failed=1
    else
        echo "ok   round $round: killed after $complete decisions; all recorded, store sound"
    fi
done
exit $failed
