# rows_peer.sh - sourced by the benchmark scripts: the yardstick for
# recording, bench/peer/sqlite_rows.c, SQLite alone writing the rows that
# a run of sarhad wrote (the disk and all of sarhad's other work left out).

# rows_peer STORE GROUP DIR [RUNS]: prints the peer's figures for its
# median run of RUNS (3) and sets peer_rate (crossings per second).
rows_peer() {
    local store=$1 group=$2 dir=$3 runs=${4:-3} i best
    peer_rate=
    # The project's own C dialect (Makefile CFLAGS), so that its sources
    # build here as they do there.
    if ! cc -O2 -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
        -Iinclude -o "$dir/sqlite_rows" bench/peer/sqlite_rows.c \
        src/store_pcache.c src/store_vfs.c -lsqlite3 \
        2>"$dir/rows-cc.err"; then
        echo "peer: bench/peer/sqlite_rows.c did not build ($(head -1 "$dir/rows-cc.err"))"
        return 1
    fi
    for i in $(seq 1 "$runs"); do
        "$dir/sqlite_rows" "$store" "$dir/rows-peer.db" "$group" \
            >"$dir/rows-peer.$i" || return 1
    done
    best=$(for i in $(seq 1 "$runs"); do
        echo "$(rate_of "$dir/rows-peer.$i") $i"
    done | sort -n | awk '{v[NR] = $2} END {print v[int((NR + 1) / 2)]}')
    cat "$dir/rows-peer.$best"
    peer_rate=$(rate_of "$dir/rows-peer.$best")
    rm -f "$dir"/rows-peer.*
}

rate_of() { sed -n 's/.* \([0-9]*\) crossings\/s$/\1/p' "$1"; }
