#!/usr/bin/env bash
# HTTP benchmark of `sarhad serve` (run by `make bench`): wrk on loopback,
# 64 connections, against (0) a bare libmicrohttpd echo server configured
# like sarhad's (bench/peer/mhd_echo.c, the yardstick), (1) sarhad's echo
# route and (2) POST /v1/decisions, which decides and records each
# presentation durably (synchronous=FULL, one fsync per group commit), on a
# fresh server and then again on the same one, warmed.
# Prints requests/s, p50/p99 latency, server CPU per request (from
# /proc/PID/stat), the echo route's CPU over the bare server's, and the
# ratio of decisions to echo, with the disk's fsync rate measured before
# and after.  The store lives under build/ (the real disk, not tmpfs).
set -u
. "$(dirname "$0")/lib/disk.sh"
. "$(dirname "$0")/lib/rows_peer.sh"
BUILD=${BUILD:-build}
SARHAD=$BUILD/sarhad
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
dir=$BUILD/bench-http
rm -rf "$dir" && mkdir -p "$dir"
command -v wrk >/dev/null || { echo "wrk is not installed"; exit 1; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# The CPU of one process's pool threads (libmicrohttpd names them
# MHD-worker): the share of a request spent outside the writer thread.
pool_ticks() {
    cat /proc/"$1"/task/*/stat 2>/dev/null |
        awk '$2 == "(MHD-worker)" {t += $14 + $15} END {print t + 0}'
}

# run NAME SCRIPT [PID PORT] -> sets rps p50 p99 cpu_us
run() {
    local before after pool0 pool1 out requests p=${3:-$pid} at=${4:-$port}
    before=$(cpu_ticks "$p")
    pool0=$(pool_ticks "$p")
    # `times` in the same subshell: wrk's own CPU (it shares the cores).
    out=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$2" \
        "http://127.0.0.1:$at" 2>&1; times)
    after=$(cpu_ticks "$p")
    pool1=$(pool_ticks "$p")
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%d", $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    errors=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    cpu_us=$(awk -v t=$((after - before)) -v n="$requests" \
        -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t * 1e6 / hz / n}')
    pool_us=$(awk -v t=$((pool1 - pool0)) -v n="$requests" \
        -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t * 1e6 / hz / n}')
    wrk_us=$(echo "$out" | tail -1 | awk -v n="$requests" '
        function secs(x, m) { m = x; sub(/m.*/, "", m); sub(/^[0-9]*m/, "", x); sub(/s$/, "", x); return m * 60 + x }
        {printf "%.1f", (secs($1) + secs($2)) * 1e6 / n}')
    printf '%-10s %8s req/s  p50 %-8s p99 %-8s server CPU %6s us/req (pool threads %s), wrk %s  %s\n' \
        "$1" "$rps" "$p50" "$p99" "$cpu_us" "$pool_us" "$wrk_us" "${errors:+non-2xx: $errors}"
}

"$SARHAD" init --db "$dir/post.db" --post TORKHAM \
    --policy policies/pakistan.policy >/dev/null || exit 1
echo "bench-officer-pass" | "$SARHAD" user add --db "$dir/post.db" bench \
    --role officer --post TORKHAM --password-stdin || exit 1
"$SARHAD" serve --db "$dir/post.db" --listen 127.0.0.1:0 --echo --quiet \
    >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 100); do
    port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/out")
    [ -n "$port" ] && break
    sleep 0.05
done
export SARHAD_TOKEN
SARHAD_TOKEN=$(curl -s -X POST "http://127.0.0.1:$port/v1/sessions" \
    -d '{"username":"bench","password":"bench-officer-pass"}' | jq -r .token)

echo "fsync rate before: $(fsync_rate "$dir")/s (4 KiB O_DSYNC writes)"
echo "wrk -t2 -c$CONNS -d${DURATION}s on loopback; server: $(nproc) pool threads + 1 writer"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
bare_cpu=
if cc -O2 -o "$dir/mhd_echo" bench/peer/mhd_echo.c \
    $(pkg-config --cflags --libs libmicrohttpd) -lpthread 2>"$dir/cc.err"; then
    "$dir/mhd_echo" 0 >"$dir/bare.out" &
    bare_pid=$!
    for _ in $(seq 100); do
        bare_port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/bare.out")
        [ -n "$bare_port" ] && break
        sleep 0.05
    done
    run bare bench/http_echo.lua "$bare_pid" "$bare_port"
    bare_cpu=$cpu_us
    kill -TERM "$bare_pid"
    wait "$bare_pid" 2>/dev/null
else
    echo "bare: bench/peer/mhd_echo.c did not build ($(head -1 "$dir/cc.err"))"
fi
run echo bench/http_echo.lua
echo_rps=$rps
[ -n "$bare_cpu" ] && echo "echo route / bare libmicrohttpd, server CPU: $(awk -v a="$cpu_us" -v b="$bare_cpu" 'BEGIN {printf "%.2f", a / b}')"
run decisions bench/http_decide.lua
echo "decisions / echo: $(awk -v a="$rps" -v b="$echo_rps" 'BEGIN {printf "%.2f", a / b}')"
decide_rps=$rps
# The same server again: a fresh server spends its first seconds filling
# its page cache and memo and growing its files (10-20% more CPU a
# decision); a post's server is past them after a minute.
run warm bench/http_decide.lua
echo "  (warm: a second run on the same server, past its first ${DURATION} s)"
batches=$(curl -s "http://127.0.0.1:$port/v1/metrics" |
    awk '/^sarhad_write_batches_total/ {b=$2} /^sarhad_write_batch_items_total/ {i=$2} END {printf "%d batches, %.1f per batch", b, i / (b ? b : 1)}')
echo "group commits: $batches"
group=$(echo "$batches" | awk '{printf "%d", $3 + 0.5}')
echo "fsync rate after: $(fsync_rate "$dir")/s"
kill -TERM "$pid"
wait "$pid"
"$SARHAD" audit verify --db "$dir/post.db" | sed 's/^/after the run: /'
# The yardstick: SQLite alone writing the rows the decisions wrote, in
# groups of the size the server's were.
if [ "${group:-0}" -ge 1 ] && rows_peer "$dir/post.db" "$group" "$dir"; then
    echo "decisions / sqlite alone: $(awk -v a="$decide_rps" -v b="$peer_rate" 'BEGIN {printf "%.2f", a / b}')"
fi
rm -rf "$dir"
