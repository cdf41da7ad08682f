#!/usr/bin/env bash
# serve_kill_test.sh - durability through the server: clients post
# decisions over HTTP while `sarhad serve` is killed with SIGKILL at a
# random moment, three times over.  Every decision a client was answered
# with (201 and an attempt id) must be in the store with the same outcome,
# since the server answers only after the group's commit and the flusher's
# fdatasync; and `sarhad verify` must find the store sound.
# Run by tests/run-all.sh; exits 0 when every round passed.
set -u
S=${SARHAD:-build/sarhad}
case $S in /*) ;; *) S=$PWD/$S ;; esac
ROUNDS=${ROUNDS:-3}
CLIENTS=6
T=$(mktemp -d)
trap 'kill -KILL $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT
failed=0
command -v curl >/dev/null || { echo "FAIL: curl is not installed"; exit 1; }
. "$(dirname "$0")/lib.sh"

"$S" init --db "$T/k.db" --post TORKHAM >/dev/null || exit 1
echo "kill-test-pass" | "$S" user add --db "$T/k.db" off --role officer \
    --post TORKHAM --password-stdin >/dev/null || exit 1

# client N ROUND: post decisions until the server is gone, keeping each
# answer's attempt id and outcome.
client() {
    local n=$1 round=$2 i=0 body answer
    while :; do
        i=$((i + 1))
        body=$(printf '{"crossing":"TORKHAM","direction":"exit","time":"2023-11-%02dT10:00:00+05:00","traveller":{"nationality":"AFG","sex":"F","birth_date":"1985-05-05"},"movement":{"category":"spontaneous_return","household":"R%dC%dH%d"},"documents":[{"kind":"por","number":"POR%d%d%05d"}]}' \
            $((1 + i % 28)) "$round" "$n" "$i" "$round" "$n" "$i")
        answer=$(curl -s -f --max-time 5 -X POST "$URL/v1/decisions" \
            -H "Authorization: Bearer $TOKEN" -d "$body") || break
        printf '%s\n' "$answer" |
            sed -n 's/^{"attempt_id":\([0-9]*\),"decision":"\([a-z]*\)".*/\1|\2/p'
    done >"$T/answered.$n"
}

for round in $(seq 1 "$ROUNDS"); do
    "$S" serve --db "$T/k.db" --listen 127.0.0.1:0 --quiet >"$T/out" 2>"$T/err" &
    pid=$!
    port=$(served_port "$T/out")
    URL=http://127.0.0.1:$port
    TOKEN=$(curl -s -X POST "$URL/v1/sessions" \
        -d '{"username":"off","password":"kill-test-pass"}' |
        sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
    if [ -z "$port" ] || [ -z "$TOKEN" ]; then
        echo "FAIL round $round: the server did not start"; cat "$T/err"
        failed=1; kill -KILL "$pid" 2>/dev/null; continue
    fi
    for n in $(seq 1 $CLIENTS); do client "$n" "$round" & done
    sleep "0.$((RANDOM % 6 + 3))"
    kill -KILL "$pid" 2>/dev/null
    wait 2>/dev/null
    cat "$T"/answered.* | sort >"$T/printed"
    sqlite3 "$T/k.db" "SELECT id || '|' || decision FROM attempt" | sort >"$T/stored"
    lost=$(comm -23 "$T/printed" "$T/stored" | wc -l)
    answered=$(wc -l <"$T/printed")
    if ! "$S" verify --db "$T/k.db" >"$T/verify" 2>&1; then
        echo "FAIL round $round: verify"; cat "$T/verify"; failed=1
    elif [ "$answered" -eq 0 ]; then
        echo "FAIL round $round: no decision was answered before the kill"
        failed=1
    elif [ "$lost" -ne 0 ]; then
        echo "FAIL round $round: $lost answered decisions not in the store"
        failed=1
    else
        echo "ok   round $round: killed after $answered answers; all recorded, store sound"
    fi
done
exit $failed
