#!/usr/bin/env bash
# central.sh - the national push: a post's store of synthetic traffic
# (`sarhad gen`) pushed whole into a fresh central database, on a throwaway
# PostgreSQL cluster on this machine with its durability left as shipped
# (fsync on), median of CENTRAL_BENCH_RUNS runs; and its peer, PostgreSQL's
# own COPY loading exactly the rows the push wrote (the fastest way
# PostgreSQL takes rows) into a fresh central with the same schema,
# constraints and triggers.  Prints entries a second for both and their
# ratio.  Part of `make bench`.
set -u
cd "$(dirname "$0")/.."
S=${SARHAD:-${BUILD:-build}/sarhad}
case $S in /*) ;; *) S=$PWD/$S ;; esac
DAYS=${CENTRAL_BENCH_DAYS:-10}
PER_DAY=${CENTRAL_BENCH_PER_DAY:-5000}
RUNS=${CENTRAL_BENCH_RUNS:-3}
. tests/pg_cluster.sh
T=$(mktemp -d)
trap 'pg_cluster_drop; rm -rf "$T"' EXIT

pg_cluster_init || exit 1
"$S" init --db "$T/post.db" --post TORKHAM >/dev/null || exit 1
"$S" gen --db "$T/post.db" --days "$DAYS" --per-day "$PER_DAY" >/dev/null 2>&1 || exit 1
entries=$(sqlite3 "$T/post.db" "SELECT count(*) FROM audit_log")
echo "store: $((DAYS * PER_DAY)) crossings, $entries audit entries"

median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
seconds() { # seconds COMMAND...: wall time of a command, in seconds
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>"$T/err" || { cat "$T/err" >&2; return 1; }
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}
fresh_central() { # fresh_central NAME: an empty central database
    pg_sql postgres "DROP DATABASE IF EXISTS $1" >/dev/null
    pg_sql postgres "CREATE DATABASE $1" >/dev/null
    "$S" central init --central "host=$PG user=postgres dbname=$1" >/dev/null
}

: >"$T/push"
for run in $(seq "$RUNS"); do
    fresh_central "push$run"
    seconds "$S" push --db "$T/post.db" --central "host=$PG user=postgres dbname=push$run" \
        >>"$T/push" || exit 1
done
push=$(median <"$T/push")

# The peer: the rows the push wrote, out and back in with COPY.
tables="post event attempt resolution policy_version audit_checkpoint"
for t in $tables; do
    pg_sql push1 "COPY $t TO '$PG/$t.copy'" >/dev/null
done
: >"$T/copy"
for run in $(seq "$RUNS"); do
    fresh_central "copy$run"
    {
        echo "BEGIN;"
        for t in $tables; do echo "COPY $t FROM '$PG/$t.copy';"; done
        echo "COMMIT;"
    } >"$T/load.sql"
    seconds "$PSQL" -h "$PG" -U postgres -d "copy$run" -X -q -v ON_ERROR_STOP=1 \
        -f "$T/load.sql" >>"$T/copy" || exit 1
done
copy=$(median <"$T/copy")
[ "$(pg_sql copy1 "SELECT count(*) FROM event")" = "$entries" ] || {
    echo "the peer did not load every entry" >&2
    exit 1
}
awk -v n="$entries" -v p="$push" -v c="$copy" -v r="$RUNS" 'BEGIN {
    printf "push (sarhad push, median of %d): %.2f s, %.0f entries/s\n", r, p, n / p
    printf "PostgreSQL COPY of the same rows (median of %d): %.2f s, %.0f entries/s\n", r, c, n / c
    printf "push / COPY: %.2f\n", c / p
}'
