# pg_cluster.sh - a throwaway PostgreSQL cluster for the tests and the
# benchmarks that need a central store (sourced, not run).  PostgreSQL
# refuses to run as root, so the cluster runs as the postgres user, in a
# directory of its own under /tmp (which that user can reach), on a unix
# socket only; nothing listens on the network.  pg_cluster_init makes and
# starts it, pg_stop and pg_start stop and start it again, pg_cluster_drop
# stops it and removes its files.

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
# The version's own binaries: Debian's psql wrapper would pick the port of
# the system's cluster, which is not ours.
PSQL=$PGBIN/psql
PG=""
PG_OPTIONS=""

as_postgres() { runuser -u postgres -- "$@"; }
pg_stop() { as_postgres "$PGBIN/pg_ctl" -D "$PG/data" -m fast -w stop >/dev/null 2>&1; }
pg_start() {
    as_postgres "$PGBIN/pg_ctl" -D "$PG/data" -l "$PG/log" -w \
        -o "-c listen_addresses='' -k $PG $PG_OPTIONS" start >/dev/null
}

# pg_cluster_init [SERVER OPTIONS]: PG names the cluster's directory (and
# its socket's); fails with a message when PostgreSQL is missing or does
# not start.
pg_cluster_init() {
    PG_OPTIONS=${1:-}
    if [ ! -x "$PGBIN/initdb" ] || ! id postgres >/dev/null 2>&1; then
        echo "FAIL PostgreSQL is not installed (scripts/deps.sh installs it)"
        return 1
    fi
    PG=$(mktemp -d /tmp/sarhad-pg.XXXXXX)
    chown postgres "$PG"
    if ! as_postgres "$PGBIN/initdb" -D "$PG/data" --auth=trust -U postgres \
        -E UTF8 >"$PG/initdb.log" 2>&1 || ! pg_start; then
        echo "FAIL the throwaway PostgreSQL cluster did not start"
        cat "$PG/initdb.log" "$PG/log" 2>/dev/null | tail -n 20
        return 1
    fi
}

pg_cluster_drop() {
    [ -n "$PG" ] || return 0
    pg_stop
    rm -rf "$PG"
}

# pg_sql DATABASE SQL: run one statement, unaligned, tuples only.
pg_sql() { "$PSQL" -h "$PG" -U postgres -d "$1" -X -q -tA -c "$2" 2>&1; }
