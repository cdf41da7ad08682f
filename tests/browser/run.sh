#!/usr/bin/env bash
# Browser tests of the web console: Debian's chromium (never a downloaded
# browser) driven by playwright-core from npm, against the real server.
# Installs the npm packages when they are missing (npm ci), makes a demo
# store with one account per role, pushes it to a throwaway PostgreSQL
# central, starts `sarhad serve` on a free loopback port (its push failing,
# its national view reading that central), runs tests/browser/*.test.js with node's test runner, stops the
# server, and closes with "N passed, N failed" (what scripts/test reads).
# A test that has not finished in two minutes fails rather than holding up
# the suite.
# SARHAD (default build/sarhad) picks the binary; SCREENSHOTS=DIR keeps
# screenshots of the screens (never committed).
set -u
cd "$(dirname "$0")/../.."
root=$PWD
SARHAD=${SARHAD:-build/sarhad}
here=tests/browser
. tests/lib.sh
. tests/pg_cluster.sh
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

fail() { echo "browser tests: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

[ -x "$SARHAD" ] || make -j2 "$SARHAD" >/dev/null || fail "cannot build $SARHAD"
[ -x "$CHROMIUM" ] || fail "$CHROMIUM is missing (apt-get install chromium; see scripts/deps.sh)"
command -v node >/dev/null || fail "node is missing (scripts/deps.sh)"
if [ ! -d "$here/node_modules/playwright-core" ]; then
    # playwright-core never downloads a browser; the lock file pins it.
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) ||
        fail "npm ci failed in $here"
fi

dir=$(mktemp -d)
pid=""
cleanup() {
    if [ -n "$pid" ]; then
        kill -TERM "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    fi
    pg_cluster_drop
    rm -rf "$dir"
}
trap cleanup EXIT

"$SARHAD" init --db "$dir/post.db" --post TORKHAM \
    --policy policies/pakistan.policy --demo >/dev/null || fail "sarhad init"
for spec in officer:officer:TORKHAM supervisor:supervisor:TORKHAM \
    analyst:analyst: admin:admin: auditor:auditor:; do
    IFS=: read -r name role post <<<"$spec"
    echo "pass-$name-123" | "$SARHAD" user add --db "$dir/post.db" "$name" \
        --role "$role" ${post:+--post "$post"} --password-stdin >/dev/null ||
        fail "user add $name"
done

# The ministry's key and a signed policy (version 3: the admin's test
# publishes version 2 before the bundle test runs).
"$SARHAD" bundle keygen --out "$dir/ministry" >/dev/null || fail "bundle keygen"
sed 's/^policy "pakistan" version 1$/policy "pakistan" version 3/' \
    policies/pakistan.policy >"$dir/v3.policy"
"$SARHAD" bundle sign --key "$dir/ministry.key" --kind policy --serial 1 \
    --out "$dir/v3.bundle" "$dir/v3.policy" >/dev/null || fail "bundle sign"

# The ministry's central store (a throwaway PostgreSQL cluster), holding
# what this post pushed before its network went down.
pg_cluster_init "-c fsync=off" >"$dir/pg.out" || { cat "$dir/pg.out" >&2; fail "PostgreSQL"; }
"$PSQL" -h "$PG" -U postgres -d postgres -X -q -c "CREATE DATABASE central" ||
    fail "create the central database"
central="host=$PG user=postgres dbname=central"
"$SARHAD" central init --central "$central" >/dev/null || fail "central init"
"$SARHAD" push --db "$dir/post.db" --central "$central" >/dev/null || fail "push"

# A post whose network is down: it pushes to a central store it cannot
# reach (a socket directory that does not exist), and works on offline;
# its analysts also read the national figures from the ministry's copy.
env -u SARHAD_CENTRAL "$SARHAD" serve --db "$dir/post.db" --listen 127.0.0.1:0 --quiet \
    --central "host=$dir/no-network dbname=sarhad connect_timeout=2" \
    --national "$central" >"$dir/out" 2>"$dir/err" &
pid=$!
port=$(served_port "$dir/out")
[ -n "$port" ] || { cat "$dir/err" >&2; fail "the server did not start"; }

SARHAD_URL=http://127.0.0.1:$port CHROMIUM=$CHROMIUM \
    POLICY_FILE=$root/policies/pakistan.policy BUNDLE_DIR=$dir \
    node --test --test-concurrency=1 --test-timeout=120000 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$dir/tap" \
    "$here"/*.test.js
status=$?

passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$dir/tap" | tail -n 1)
failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$dir/tap" | tail -n 1)
passed=${passed:-0}
failed=${failed:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    echo "browser tests: node --test exited with $status" >&2
    failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
