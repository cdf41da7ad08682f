#!/usr/bin/env bash
# central_test.sh - the national push against a throwaway PostgreSQL
# cluster: central init (twice), a demo post pushed whole and checked row
# for row, pushing again (nothing), new decisions, a resolution and an
# override (only the new), a second post, pushes killed with SIGKILL at
# random moments and then finished, the national reports (each post's part
# its own report), the ministry's bundles published in the central and
# taken by a post (key rotation included; never another key's), a post's store altered after its push
# and another post's store under the same code (both refused, the central
# unchanged), the central unreachable, `serve --central` pushing decisions
# made over HTTP in the background, answering while the central is down
# and catching up when it is back, the ministry's server (`serve
# --national`: national reports and posts over HTTP), and an entry altered
# inside the central (found by central verify).
#
# PostgreSQL refuses to run as root, so the cluster runs as the postgres
# user in a directory of its own, on a unix socket only, and is stopped at
# exit.  Run by tests/run-all.sh; exits 0 when every check passed.
set -u
S=${SARHAD:-build/sarhad}
case $S in /*) ;; *) S=$PWD/$S ;; esac
T=$(mktemp -d)
SERVER=""
failed=0
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_cluster.sh"

cleanup() {
    [ -n "$SERVER" ] && kill -KILL "$SERVER" 2>/dev/null
    pg_cluster_drop
    rm -rf "$T"
}
trap cleanup EXIT

pg_cluster_init "-c fsync=off" || exit 1
q() { pg_sql central "$1"; }
"$PSQL" -h "$PG" -U postgres -d postgres -X -q -c "CREATE DATABASE central" || exit 1
C="host=$PG user=postgres dbname=central"
export SARHAD_CENTRAL="$C"

# same NAME WANT GOT
same() { [ "$2" = "$3" ] && ok "$1" || bad "$1 (want '$2', got '$3')"; }
# chain_equal NAME POST DB: the central holds exactly the post's log.
chain_equal() {
    sqlite3 "$3" "SELECT seq || ':' || lower(hex(hash)) FROM audit_log ORDER BY seq" >"$T/local"
    q "SELECT seq || ':' || encode(hash, 'hex') FROM event WHERE post = '$2' ORDER BY seq" >"$T/remote"
    if cmp -s "$T/local" "$T/remote"; then ok "$1"; else
        bad "$1 ($(wc -l <"$T/local") local, $(wc -l <"$T/remote") central entries)"
    fi
}

"$S" central init >"$T/out" 2>&1
expect "central init creates the schema" $? 0 "$T/out" "central schema at version 2"
"$S" central init --central "$C" >"$T/out" 2>&1
expect "central init again changes nothing" $? 0 "$T/out" "central schema at version 2"
same "one schema row" 1 "$(q "SELECT count(*) FROM sarhad_schema")"

A=$T/a.db
"$S" init --db "$A" --post TORKHAM --demo >/dev/null || exit 1
"$S" push --db "$A" >"$T/out" 2>&1
expect "the demo post pushes" $? 0 "$T/out" '"post":"TORKHAM","pushed":2102,"from":1,"to":2102'
same "every audit entry is in the central" "$(sqlite3 "$A" "SELECT count(*) FROM audit_log")" \
    "$(q "SELECT count(*) FROM event WHERE post = 'TORKHAM'")"
same "every attempt is in the central" "$(sqlite3 "$A" "SELECT count(*) FROM attempt")" \
    "$(q "SELECT count(*) FROM attempt WHERE post = 'TORKHAM'")"
same "the policy is in the central" "$(sqlite3 "$A" "SELECT sha256 FROM policy_version")" \
    "$(q "SELECT sha256 FROM policy_version WHERE post = 'TORKHAM'")"
same "decisions are queryable as JSON" "$(sqlite3 "$A" "SELECT count(*) FROM attempt WHERE decision = 'refuse'")" \
    "$(q "SELECT count(*) FROM attempt WHERE decision_json->>'decision' = 'refuse'")"
chain_equal "the central's chain is the post's" TORKHAM "$A"
"$S" central verify >"$T/out" 2>&1
expect "central verify finds it sound" $? 0 "$T/out" "central: sound (1 posts, 2102 entries"
"$S" push --db "$A" --central "$C" >"$T/out" 2>&1
expect "pushing again sends nothing" $? 0 "$T/out" '"pushed":0'

"$S" gen --db "$A" --days 1 --per-day 40 --from 2023-11-08 >/dev/null || exit 1
REF=$("$S" referrals --db "$A" --json | sed -n '1s/{"attempt":\([0-9]*\).*/\1/p')
"$S" resolve --db "$A" "$REF" --admit --reason "identity confirmed" --as sup1 >/dev/null || exit 1
LAST=$(sqlite3 "$A" "SELECT max(id) FROM attempt WHERE decision = 'refuse'")
"$S" override --db "$A" "$LAST" --admit --reason "medical exception" --as sup1 >"$T/ovr" 2>&1
echo "pass-a-0001" | "$S" user add --db "$A" off1 --role officer --post TORKHAM --password-stdin >/dev/null || exit 1
"$S" push --db "$A" --batch 7 >"$T/out" 2>&1
expect "only the new entries are pushed" $? 0 "$T/out" '"from":2103,"to":'
same "they were all pushed" "$(sqlite3 "$A" "SELECT max(seq) FROM audit_log")" \
    "$(sed -n 's/.*"to":\([0-9]*\).*/\1/p' "$T/out")"
same "the resolution and the override are in the central" \
    "$(sqlite3 "$A" "SELECT count(*) FROM resolution")" "$(q "SELECT count(*) FROM resolution WHERE post = 'TORKHAM'")"
same "the signed checkpoint went with its entry" \
    "$(sqlite3 "$A" "SELECT count(*) FROM audit_checkpoint")" "$(q "SELECT count(*) FROM audit_checkpoint")"
same "the post's key is recorded" t "$(q "SELECT public_key IS NOT NULL FROM post WHERE code = 'TORKHAM'")"
chain_equal "the chain still matches" TORKHAM "$A"

# A second post, pushed by pushes killed mid-way, then finished.  Each push
# is killed at a random moment after more of its batches are in than
# before, however fast the machine (or slow, under ThreadSanitizer); a
# store of 60,000 entries is far from pushed by then.
B=$T/b.db
"$S" init --db "$B" --post CHAMAN >/dev/null || exit 1
"$S" gen --db "$B" --days 4 --per-day 15000 >/dev/null || exit 1
pushed() { q "SELECT coalesce(max(seq), 0) FROM event WHERE post = 'CHAMAN'"; }
KILLED=0
for i in 1 2 3; do
    before=$KILLED
    "$S" push --db "$B" --batch 100 >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 600); do
        [ "$(pushed)" -gt "$before" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    sleep "0.0$((RANDOM % 5))"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    KILLED=$(pushed)
    [ $((KILLED % 100)) -eq 0 ] || break # half a batch: failed below
done
TOTAL=$(sqlite3 "$B" "SELECT max(seq) FROM audit_log")
[ $((KILLED % 100)) -eq 0 ] && [ "$KILLED" -gt 0 ] && [ "$KILLED" -lt "$TOTAL" ] &&
    ok "killed pushes left whole batches ($KILLED of $TOTAL entries)" ||
    bad "killed pushes left whole batches, and some to do ($KILLED of $TOTAL entries)"
"$S" push --db "$B" --batch 100 >"$T/out" 2>&1
expect "the push after the kills completes" $? 0 "$T/out" '"post":"CHAMAN"'
chain_equal "the second post's chain is whole in the central" CHAMAN "$B"
same "its attempts too" "$(sqlite3 "$B" "SELECT count(*) FROM attempt")" \
    "$(q "SELECT count(*) FROM attempt WHERE post = 'CHAMAN'")"
"$S" central verify >"$T/out" 2>&1
expect "central verify: both posts sound" $? 0 "$T/out" "sound (2 posts"
"$S" central status >"$T/out" 2>&1
expect "status lists the posts" $? 0 "$T/out" '{"post":"CHAMAN","last_seq":'
grep -q '"post":"TORKHAM"' "$T/out" && ok "status lists the first post" || bad "status lists the first post"

# National reports: each post's part of them is that post's own report
# (resolutions and overrides included), and together they are the sum.
for kind in daily returns refusals flows tallies purposes vulnerabilities detentions; do
    for p in TORKHAM:"$A" CHAMAN:"$B"; do
        "$S" report --db "${p#*:}" "$kind" --format json >"$T/local" 2>&1
        "$S" report --post "${p%%:*}" "$kind" --format json >"$T/national" 2>&1
        [ -s "$T/local" ] && cmp -s "$T/local" "$T/national" &&
            ok "the national $kind report of ${p%%:*} is its own" ||
            bad "the national $kind report of ${p%%:*} is its own ($(wc -l <"$T/local") local rows, $(wc -l <"$T/national") national; $(head -c 200 "$T/national"))"
    done
done
"$S" report daily --from 2023-11-02 --to 2023-11-03 --format csv >"$T/out" 2>&1
expect "a national report over every post, for chosen days" $? 0 "$T/out" "2023-11-02,CHAMAN,"
[ "$(cut -d, -f1 "$T/out" | sort -u | tr '\n' ' ')" = "2023-11-02 2023-11-03 day " ] &&
    ok "... only those days" || bad "... only those days: $(cut -d, -f1 "$T/out" | sort -u | tr '\n' ' ')"
"$S" report overstays >"$T/out" 2>&1
expect "overstays stay a post's report" $? 1 "$T/out" "open stays are not pushed"
"$S" report --db "$A" --central "$C" daily >"$T/out" 2>&1
expect "a post's or the national report, not both" $? 2 "$T/out" "not both"

# The ministry's bundles through the central: published once, taken by a
# post that trusts the key, never what another key signed.
"$S" bundle keygen --out "$T/ministry" >/dev/null
"$S" bundle keygen --out "$T/rogue" >/dev/null
"$S" bundle keygen --out "$T/next" >/dev/null
sed 's/^policy "pakistan" version 1$/policy "pakistan" version 2/' \
    policies/pakistan.policy >"$T/v2.policy"
sed 's/^policy "pakistan" version 1$/policy "pakistan" version 3/' \
    policies/pakistan.policy >"$T/v3.policy"
printf 'id,name,aliases,birth_date,nationality,father_name\nB1,Gul Khan,,1990-01-01,AFG,\n' >"$T/list.csv"
sign() { # sign KEY KIND SERIAL OUT PAYLOAD
    "$S" bundle sign --key "$T/$1.key" --kind "$2" --serial "$3" --out "$T/$4" "$5" >/dev/null
}
sign ministry policy 1 v2.bundle "$T/v2.policy"
sign ministry watchlist 1 list.bundle "$T/list.csv"
sign rogue policy 9 rogue.bundle "$T/v3.policy"
"$S" central publish --key "$T/ministry.pub" "$T/v2.bundle" "$T/list.bundle" >"$T/out" 2>&1
expect "the ministry publishes two bundles" $? 0 "$T/out" "published watchlist bundle 1 (list.csv)"
"$S" central publish --key "$T/ministry.pub" "$T/rogue.bundle" >"$T/out" 2>&1
expect "with --key, another key's bundle is not published" $? 1 "$T/out" "not by the trusted key"
"$S" central publish "$T/rogue.bundle" "$T/v2.bundle" >"$T/out" 2>&1
expect "without it, the central carries anything whole (posts check)" $? 0 "$T/out" "already published policy bundle 1"
sign ministry policy 1 v2-again.bundle "$T/v3.policy"
"$S" central publish "$T/v2-again.bundle" >"$T/out" 2>&1
expect "another bundle under a published serial is refused" $? 1 "$T/out" "a serial is used once"
P=$T/p.db
"$S" init --db "$P" --post ARANDU --ministry-key "$T/ministry.pub" >/dev/null || exit 1
"$S" pull --db "$P" >"$T/out" 2>&1
expect "a post takes the ministry's bundles, not the other key's" $? 0 "$T/out" '{"applied":2,"refused":0}'
same "... its policy now version 2, its list imported" "2 1" \
    "$(sqlite3 "$P" "SELECT max(version) FROM policy_version") $(sqlite3 "$P" "SELECT count(*) FROM watchlist_version")"
"$S" pull --db "$P" >"$T/out" 2>&1
expect "pulling again takes nothing" $? 0 "$T/out" '{"applied":0,"refused":0}'
sign ministry key 1 next.bundle "$T/next.pub"
sign next policy 2 v3.bundle "$T/v3.policy"
sign next policy 3 v2-old.bundle "$T/v2.policy"
"$S" central publish "$T/v3.bundle" "$T/next.bundle" "$T/v2-old.bundle" >/dev/null 2>&1
"$S" pull --db "$P" >"$T/out" 2>&1
expect "the next key first, then its policy; an older version refused and named" $? 1 "$T/out" '{"applied":2,"refused":1}'
grep -q 'policy bundle 3 refused' "$T/out" && ok "... the refusal says which" || bad "... the refusal says which"
same "... the post decides by version 3 under the next key" "3 $(sqlite3 "$P" "SELECT count(*) FROM ministry_key")" \
    "$(sqlite3 "$P" "SELECT max(version) FROM policy_version") 2"
"$S" verify --db "$P" >"$T/out" 2>&1
expect "the post is sound, every bundle's signature holds" $? 0 "$T/out" "sound"
"$S" pull --db "$A" >"$T/out" 2>&1
expect "a post that trusts no key takes nothing" $? 1 "$T/out" "trusts no ministry key"

# A store altered after its push, and another store under the same code.
BEFORE=$(q "SELECT count(*) FROM event")
cp "$A" "$T/tampered.db"
sqlite3 "$T/tampered.db" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = '{}' WHERE seq = 5"
"$S" push --db "$T/tampered.db" >"$T/out" 2>&1
expect "a locally altered, already pushed entry is refused" $? 1 "$T/out" "entry 5"
"$S" init --db "$T/other.db" --post TORKHAM >/dev/null || exit 1
"$S" push --db "$T/other.db" >"$T/out" 2>&1
expect "a store that diverged from the central is refused" $? 1 "$T/out" "diverged"
cp "$A" "$T/rekeyed.db"
sqlite3 "$T/rekeyed.db" "UPDATE store_meta SET value = '$(printf '%064d' 0)' WHERE key = 'audit_public_key'"
"$S" push --db "$T/rekeyed.db" >"$T/out" 2>&1
expect "a store with another audit key is refused" $? 1 "$T/out" "another audit public key"
same "the central is unchanged" "$BEFORE" "$(q "SELECT count(*) FROM event")"

"$S" push --db "$A" --central "host=$T/nowhere user=postgres dbname=central" >"$T/out" 2>&1
expect "an unreachable central is a clear error" $? 1 "$T/out" "cannot connect to the central"
env -u SARHAD_CENTRAL "$S" push --db "$A" >"$T/out" 2>&1
expect "a push needs to know the central" $? 2 "$T/out" "SARHAD_CENTRAL"

# A batch the central refuses (a row already there) is rolled back whole.
"$PSQL" -h "$PG" -U postgres -d postgres -X -q -c "CREATE DATABASE scratch" || exit 1
X="host=$PG user=postgres dbname=scratch"
"$S" central init --central "$X" >/dev/null || exit 1
"$S" init --db "$T/k.db" --post KHARLACHI >/dev/null || exit 1
"$S" push --db "$T/k.db" --central "$X" >/dev/null || exit 1
"$S" gen --db "$T/k.db" --days 1 --per-day 30 >/dev/null || exit 1
"$PSQL" -h "$PG" -U postgres -d scratch -X -q -c "INSERT INTO event (post, seq, at, at_text,
    actor_user, actor_role, actor_post, actor_address, kind, subject, detail, detail_json, prev_hash,
    hash) VALUES ('KHARLACHI', 20, now(), '', '', '', '', '', 'x', 'x', '{}', '{}',
    decode(repeat('00', 32), 'hex'), decode(repeat('00', 32), 'hex'))" || exit 1
"$S" push --db "$T/k.db" --central "$X" >"$T/out" 2>&1
expect "a batch the central refuses fails, naming why" $? 1 "$T/out" "duplicate key"
same "and none of it stays" 3 "$("$PSQL" -h "$PG" -U postgres -d scratch -X -tA -c \
    "SELECT count(*) FROM event WHERE post = 'KHARLACHI'")"

# The server pushes in the background and rides out the central's absence.
SV=$T/s.db
"$S" init --db "$SV" --post GHULAM_KHAN --ministry-key "$T/next.pub" >/dev/null || exit 1
echo "pass-s-0001" | "$S" user add --db "$SV" off --role officer --post GHULAM_KHAN --password-stdin >/dev/null || exit 1
"$S" serve --db "$SV" --listen 127.0.0.1:0 --central "$C" --push-every 1 --quiet >"$T/sout" 2>"$T/serr" &
SERVER=$!
URL=http://127.0.0.1:$(served_port "$T/sout")
TOKEN=$(curl -s -X POST "$URL/v1/sessions" -d '{"username":"off","password":"pass-s-0001"}' |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
decide() { # decide N: N decisions over HTTP; prints how many got 201
    local n=0
    for i in $(seq 1 "$1"); do
        code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/v1/decisions" \
            -H "Authorization: Bearer $TOKEN" \
            -d "{\"crossing\":\"GHULAM_KHAN\",\"direction\":\"exit\",\"time\":\"2023-11-0$((1 + i % 8))T10:00:00+05:00\",\"traveller\":{\"nationality\":\"AFG\",\"sex\":\"F\",\"birth_date\":\"1985-05-05\"},\"movement\":{\"category\":\"spontaneous_return\",\"household\":\"H$RANDOM$i\"},\"documents\":[]}")
        [ "$code" = 201 ] && n=$((n + 1))
    done
    echo "$n"
}
# caught_up: wait up to 20 s for the central to hold the server's whole log.
caught_up() {
    local want have
    for _ in $(seq 1 100); do
        want=$(sqlite3 "$SV" "SELECT max(seq) FROM audit_log")
        have=$(q "SELECT coalesce(max(seq), 0) FROM event WHERE post = 'GHULAM_KHAN'")
        [ "$want" = "$have" ] && return 0
        sleep 0.2
    done
    return 1
}
same "decisions over HTTP" 5 "$(decide 5)"
caught_up && ok "the server pushed them in the background" || bad "the server pushed them in the background"
curl -s "$URL/v1/metrics" | grep -q '^sarhad_push_pending_entries 0' &&
    ok "metrics: nothing pending" || bad "metrics: nothing pending"
# It takes the ministry's bundles too: the policy already in the central
# at once, a list published while it runs soon after; never a refused one.
policy_version() { sqlite3 "$SV" "SELECT max(version) FROM policy_version"; }
lists() { sqlite3 "$SV" "SELECT count(*) FROM watchlist_version"; }
wait_for() { # wait_for COMMAND WANT: up to 20 s
    for _ in $(seq 1 100); do [ "$($1)" = "$2" ] && return 0; sleep 0.2; done
    return 1
}
wait_for policy_version 3 && ok "the server applied the policy bundle the central held" ||
    bad "the server applied the policy bundle the central held (version $(policy_version))"
sign next watchlist 1 next-list.bundle "$T/list.csv"
"$S" central publish "$T/next-list.bundle" >/dev/null 2>&1
wait_for lists 1 && ok "... and a list published while it runs" || bad "... and a list published while it runs"
same "... audited as applied by the central" 2 \
    "$(sqlite3 "$SV" "SELECT count(*) FROM audit_log WHERE kind = 'bundle_applied' AND actor_user = 'central'")"
curl -s "$URL/v1/metrics" | grep -q '^sarhad_pull_bundles_total 2' &&
    ok "metrics count the bundles taken" || bad "metrics count the bundles taken"
same "decisions go on under the signed policy" "2 3" \
    "$(decide 2) $(sqlite3 "$SV" "SELECT policy_version FROM attempt ORDER BY id DESC LIMIT 1")"
pg_stop
same "decisions while the central is down" 4 "$(decide 4)"
sleep 2
curl -s "$URL/v1/health" >"$T/health"
grep -q '"push":{"state":"failing"' "$T/health" && ok "health says the push is failing" ||
    { bad "health says the push is failing"; cat "$T/health"; }
curl -s "$URL/v1/metrics" | grep -q '^sarhad_push_failures_total [1-9]' &&
    ok "metrics count the failures" || bad "metrics count the failures"
pg_start
caught_up && ok "the server caught up when the central came back" ||
    bad "the server caught up when the central came back"
chain_equal "the server's chain is whole in the central" GHULAM_KHAN "$SV"
"$S" central status >"$T/out" 2>&1
expect "status says which policy and bundles each post has" $? 0 "$T/out" \
    '"post":"GHULAM_KHAN","last_seq":'
grep '"post":"GHULAM_KHAN"' "$T/out" | grep -q '"policy":"pakistan 3","policy_bundle":2,"watchlist_bundle":1' &&
    ok "... the signed policy 3 and the list, by their bundles" ||
    bad "... the signed policy 3 and the list, by their bundles: $(grep GHULAM_KHAN "$T/out")"
kill -TERM "$SERVER"
wait "$SERVER"
expect "the server stops cleanly on SIGTERM" $? 0 "$T/serr"
SERVER=""

# The ministry's server: the national reports and the posts over HTTP, for
# the ministry's roles only, through a central that goes away and comes
# back.
HQ=$T/hq.db
"$S" init --db "$HQ" --post HQ >/dev/null || exit 1
echo "pass-m-0001" | "$S" user add --db "$HQ" ana --role analyst --password-stdin >/dev/null || exit 1
echo "pass-m-0002" | "$S" user add --db "$HQ" off2 --role officer --post HQ --password-stdin >/dev/null || exit 1
# (Not a post: it reads the central and pushes nothing of its own.)
env -u SARHAD_CENTRAL "$S" serve --db "$HQ" --listen 127.0.0.1:0 --national "$C" --quiet >"$T/sout" 2>"$T/serr" &
SERVER=$!
URL=http://127.0.0.1:$(served_port "$T/sout")
token() { curl -s -X POST "$URL/v1/sessions" -d "{\"username\":\"$1\",\"password\":\"$2\"}" |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p'; }
ANA=$(token ana pass-m-0001)
OFF=$(token off2 pass-m-0002)
get() { # get TOKEN PATH: the body in $T/body, the status printed
    curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $1" "$URL$2"; }
same "health says the server has the national view" true "$(curl -s "$URL/v1/health" | jq .national)"
same "an analyst reads the national daily report" 200 "$(get "$ANA" /v1/national/reports/daily)"
jq -c '.rows[]' "$T/body" >"$T/api"
"$S" report daily --format json | jq -c . >"$T/cli"
[ -s "$T/api" ] && cmp -s "$T/api" "$T/cli" && ok "... row for row the CLI's national report ($(wc -l <"$T/api") rows)" ||
    bad "... row for row the CLI's national report ($(wc -l <"$T/api") against $(wc -l <"$T/cli"))"
same "one post's part, with families" 200 "$(get "$ANA" "/v1/national/reports/tallies?post=TORKHAM")"
jq -c '.rows[]' "$T/body" >"$T/api"
"$S" report --db "$A" tallies --format json | jq -c . >"$T/cli"
[ -s "$T/api" ] && cmp -s "$T/api" "$T/cli" && ok "... is that post's own tallies report" ||
    bad "... is that post's own tallies report ($(wc -l <"$T/api") against $(wc -l <"$T/cli"))"
same "as CSV" "200 day,post,crossing,families" "$(get "$ANA" "/v1/national/reports/tallies?format=csv") $(head -n 1 "$T/body" | cut -d, -f1-4)"
same "an officer belongs to a post: no national view" 403 "$(get "$OFF" /v1/national/reports/daily)"
same "a bad post code" "400 post" "$(get "$ANA" "/v1/national/reports/daily?post=tork%27ham") $(jq -r .field "$T/body")"
same "overstays are a post's report" 400 "$(get "$ANA" /v1/national/reports/overstays)"
same "the posts as the central knows them" 200 "$(get "$ANA" /v1/national/posts)"
same "... every post that pushed" "CHAMAN GHULAM_KHAN TORKHAM" "$(jq -r '[.posts[].post] | join(" ")' "$T/body")"
same "... with the policy each is on" "pakistan 3" "$(jq -r '.posts[] | select(.post == "GHULAM_KHAN") | .policy' "$T/body")"
same "... each in touch, by the central's clock" "false false false 600" "$(jq -r '[.posts[].silent] + [.silent_after] | join(" ")' "$T/body")"
q "UPDATE post SET last_push_at = now() - interval '2 hours' WHERE code = 'CHAMAN'" >/dev/null
get "$ANA" /v1/national/posts >/dev/null
same "... one not heard from for two hours is silent" "true 2" \
    "$(jq -r '.posts[] | select(.post == "CHAMAN") | "\(.silent) \(.since_push / 3600 | floor)"' "$T/body")"
pg_stop
same "the central down: 503" "503 central_unavailable" "$(get "$ANA" /v1/national/reports/daily) $(jq -r .code "$T/body")"
get "$ANA" /v1/national/reports/daily >/dev/null # tries to connect, and fails
same "... and for a few seconds after a failed attempt, at once" "503 trying again" \
    "$(get "$ANA" /v1/national/posts) $(jq -r .message "$T/body" | grep -o 'trying again')"
pg_start
sleep 5
same "back: the next request connects again" 200 "$(get "$ANA" /v1/national/reports/daily)"
kill -TERM "$SERVER"
wait "$SERVER"
expect "the ministry's server stops cleanly" $? 0 "$T/serr"
SERVER=""

# An entry altered inside the central.
q "UPDATE event SET detail = '{}' WHERE post = 'TORKHAM' AND seq = 7" >"$T/out"
grep -q "append-only" "$T/out" && ok "the central refuses an UPDATE" || bad "the central refuses an UPDATE"
q "DELETE FROM event WHERE post = 'CHAMAN' AND seq = 3" >"$T/out"
grep -q "append-only" "$T/out" && ok "the central refuses a DELETE" || bad "the central refuses a DELETE"
q "ALTER TABLE event DISABLE TRIGGER event_append_only;
   UPDATE event SET detail = '{}' WHERE post = 'TORKHAM' AND seq = 7;
   ALTER TABLE event ENABLE TRIGGER event_append_only" >/dev/null
"$S" central verify >"$T/out" 2>&1
expect "central verify names the altered entry" $? 1 "$T/out" "post TORKHAM entry 7"
exit $failed
