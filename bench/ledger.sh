#!/usr/bin/env bash
# ledger.sh - the ledger's benchmarks (run by `make bench`):
#   1. recorded decisions per second through `sarhad cross` in batch mode,
#      durable (synchronous=FULL), with group commit (--group 1000);
#   2. the same in groups of 32, about what the server commits at a time
#      under load, where a commit's own costs (the log's page writes, the
#      page cache's truncation: src/store_pcache.c) count most, with the
#      yardstick at that size; and with one fsync per decision (--group 1);
#   3. the daily and returns reports over a ledger made by `sarhad gen`
#      (LEDGER_BENCH_DAYS x LEDGER_BENCH_PER_DAY crossings; 400 x 25000 =
#      10 million by default; the store is kept in LEDGER_BENCH_DIR and
#      reused by later runs, since making it takes long).
# Medians of LEDGER_BENCH_RUNS runs.  The store lives on disk, not tmpfs,
# so a commit is a real fsync.
set -u
BUILD=${BUILD:-build}
case $BUILD in /*) S=$BUILD/sarhad ;; *) S=$PWD/$BUILD/sarhad ;; esac
DIR=${LEDGER_BENCH_DIR:-$BUILD/bench-ledger}
LINES=${LEDGER_BENCH_LINES:-100000}
SINGLE=${LEDGER_BENCH_SINGLE:-2000}
DAYS=${LEDGER_BENCH_DAYS:-400}
PER_DAY=${LEDGER_BENCH_PER_DAY:-25000}
RUNS=${LEDGER_BENCH_RUNS:-3}
mkdir -p "$DIR"
. "$(dirname "$0")/lib/disk.sh"
. "$(dirname "$0")/lib/rows_peer.sh"

now() { date +%s.%N; }
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# Presentations: returns in households of one to four (no documents, PoR,
# ACC), each on one day, citizens on a CNIC, and Afghans on passports and
# visas with valid MRZs (made by `sarhad mrz --format` for a pool of 500
# travellers).
make_lines() { # make_lines N
    awk 'BEGIN {
        ng = split("AHMAD MOHAMMAD ABDUL GUL NOOR SHER ZIA JAMAL FARID HAMID KARIM NASIR RAHIM SAMI WALI YAR ZAHIR QADIR BASHIR ASAD", g, " ")
        ns = split("NOORI KHAN AHMADZAI POPAL BARAKZAI ACHAKZAI NOORZAI SAFI MOHMAND SHINWARI WARDAK ZADRAN HOTAK STANIKZAI KAKAR TAREEN DURRANI YUSUFZAI AFRIDI WAZIR MANGAL JADRAN ALKOZAI SULTANI HAQQANI", f, " ")
        for (i = 0; i < 500; i++) {
        given = g[1 + i % ng]; sur = f[1 + int(i / ng) % ns]
        birth = sprintf("%d-%02d-%02d", 1960 + i % 40, 1 + i % 12, 1 + i % 28)
        printf "{\"format\":\"TD3\",\"document_code\":\"P\",\"issuing_state\":\"AFG\",\"surname\":\"%s\",\"given_names\":\"%s\",\"document_number\":\"P%08d\",\"nationality\":\"AFG\",\"birth_date\":\"%s\",\"sex\":\"M\",\"expiry_date\":\"2030-01-01\",\"optional_data\":\"\"}\n", sur, given, i, birth
        printf "{\"format\":\"MRVA\",\"document_code\":\"V\",\"issuing_state\":\"PAK\",\"surname\":\"%s\",\"given_names\":\"%s\",\"document_number\":\"V%07d\",\"nationality\":\"AFG\",\"birth_date\":\"%s\",\"sex\":\"M\",\"expiry_date\":\"2025-06-01\",\"optional_data\":\"\"}\n", sur, given, i, birth } }' |
        "$S" mrz --format | awk -v n="$1" '
        /^$/ { next }
        { m[k++] = $0 }
        END {
            for (i = 0; i < n; i++) {
                day = sprintf("2023-11-%02d", 1 + i % 28)
                r = i % 10; p = int(i / 10) % 500
                if (r < 5) {
                    # A household returns together: one day, one crossing.
                    day = sprintf("2023-11-%02d", 1 + int(i / 4) % 28)
                    doc = (r == 0) ? "[{\"kind\":\"por\",\"number\":\"POR" i "\"}]" : (r == 1) ? "[{\"kind\":\"acc\",\"number\":\"ACC" i "\"}]" : "[]"
                    printf "{\"crossing\":\"TORKHAM\",\"direction\":\"exit\",\"time\":\"%sT10:00:00+05:00\",\"traveller\":{\"nationality\":\"AFG\",\"sex\":\"F\",\"birth_date\":\"1985-05-05\"},\"movement\":{\"category\":\"spontaneous_return\",\"household\":\"H%d\",\"household_size\":4},\"documents\":%s}\n", day, int(i / 4), doc
                } else if (r < 7) {
                    printf "{\"crossing\":\"CHAMAN\",\"direction\":\"entry\",\"time\":\"%sT08:00:00+05:00\",\"traveller\":{\"nationality\":\"PAK\",\"sex\":\"M\",\"birth_date\":\"1980-02-02\"},\"documents\":[{\"kind\":\"cnic\",\"number\":\"17301-%07d-1\"}]}\n", day, i % 10000000
                } else {
                    dir = (r == 9) ? "exit" : "entry"
                    printf "{\"crossing\":\"TORKHAM\",\"direction\":\"%s\",\"time\":\"%sT09:30:00+05:00\",\"traveller\":{\"nationality\":\"AFG\",\"sex\":\"M\",\"birth_date\":\"%s\"},\"documents\":[{\"kind\":\"passport\",\"mrz\":\"%s\\n%s\"},{\"kind\":\"visa\",\"mrz\":\"%s\\n%s\",\"category\":\"visit\",\"entries\":\"multiple\",\"stay_days\":60}]}\n", dir, day, sprintf("%d-%02d-%02d", 1960 + p % 40, 1 + p % 12, 1 + p % 28), m[4 * p], m[4 * p + 1], m[4 * p + 2], m[4 * p + 3]
                }
            } }'
}

cross_rate() { # cross_rate LINESFILE GROUP -> decisions per second
    rm -f "$DIR/cross.db" "$DIR/cross.db-wal" "$DIR/cross.db-shm"
    "$S" init --db "$DIR/cross.db" --post TORKHAM >/dev/null || return 1
    local n t0 t1
    n=$(wc -l <"$1")
    t0=$(now)
    "$S" cross --db "$DIR/cross.db" --group "$2" <"$1" >/dev/null || return 1
    t1=$(now)
    awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f\n", n / (b - a) }'
}

echo "disk: $(fsync_rate "$DIR") 4 KiB O_DSYNC writes/s before the runs"
make_lines "$LINES" >"$DIR/lines"
head -n "$SINGLE" "$DIR/lines" >"$DIR/lines-single"
rate=$(for i in $(seq 1 "$RUNS"); do cross_rate "$DIR/lines" 1000; done | median)
echo "cross, group commit (--group 1000, FULL), $LINES lines: $rate decisions/s"
# The yardstick: SQLite alone writing the rows the last run wrote.
if rows_peer "$DIR/cross.db" 1000 "$DIR" "$RUNS"; then
    echo "cross / sqlite alone: $(awk -v a="$rate" -v b="$peer_rate" 'BEGIN {printf "%.2f", a / b}')"
fi
rate32=$(for i in $(seq 1 "$RUNS"); do cross_rate "$DIR/lines" 32; done | median)
echo "cross, groups of 32 (--group 32, FULL), $LINES lines: $rate32 decisions/s"
if rows_peer "$DIR/cross.db" 32 "$DIR" "$RUNS"; then
    echo "cross / sqlite alone, groups of 32: $(awk -v a="$rate32" -v b="$peer_rate" 'BEGIN {printf "%.2f", a / b}')"
fi
for i in $(seq 1 "$RUNS"); do cross_rate "$DIR/lines-single" 1; done | median |
    awk -v n="$SINGLE" '{ print "cross, one fsync per decision (--group 1, FULL), " n " lines: " $1 " decisions/s" }'

echo "disk: $(fsync_rate "$DIR") 4 KiB O_DSYNC writes/s after them"

DB=$DIR/reports-$DAYS-$PER_DAY.db
if [ ! -f "$DB.done" ]; then
    rm -f "$DB" "$DB-wal" "$DB-shm"
    "$S" init --db "$DB" --post TORKHAM >/dev/null || exit 1
    t0=$(now)
    "$S" gen --db "$DB" --days "$DAYS" --per-day "$PER_DAY" --from 2023-09-01 --sync OFF >/dev/null || exit 1
    t1=$(now)
    touch "$DB.done"
    awk -v n=$((DAYS * PER_DAY)) -v a="$t0" -v b="$t1" 'BEGIN { printf "gen: %d crossings in %.0f s (%.0f/s)\n", n, b - a, n / (b - a) }'
fi
# A store made by an older sarhad is upgraded by the first writer to open
# it; the reports open it read-only, so open it once for writing here.
"$S" cross --db "$DB" </dev/null || exit 1
echo "ledger for reports: $(sqlite3 "$DB" 'SELECT count(*) FROM attempt') crossings, $(du -h "$DB" | cut -f1)"
for kind in daily returns refusals overstays flows tallies purposes vulnerabilities; do
    t=$(for i in $(seq 1 "$RUNS"); do
        t0=$(now)
        "$S" report --db "$DB" "$kind" --format json >"$DIR/report.out" || exit 1
        t1=$(now)
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
    done | median)
    echo "report $kind over the whole ledger: $t s ($(wc -l <"$DIR/report.out") rows)"
done
