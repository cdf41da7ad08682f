#!/usr/bin/env bash
# End-to-end tests of `sarhad serve`: start the real server on a free
# loopback port and drive it over HTTP with curl.  Covers the OpenAPI
# document against the routes, every role against every route, the
# contract (sessions, decisions, policies, audit verify, health), bad and
# oversized bodies, wrong passwords and throttling, cookies and CSRF, the
# embedded web console's files and headers, watchlist import and
# screening, TLS, logout and expiry, referrals, reports, audit tampering, and a graceful
# shutdown that loses nothing.  Sourced by tests/run-all.sh (sets
# e2e_passed and e2e_failed) or run alone: bash tests/e2e/server.sh.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" # served_port

e2e_main() {
    local SARHAD=${SARHAD:-build/sarhad}
    local here=tests/e2e
    local dir pid port B
    e2e_passed=0
    e2e_failed=0
    dir=$(mktemp -d)

    ok() { e2e_passed=$((e2e_passed + 1)); }
    bad() { e2e_failed=$((e2e_failed + 1)); echo "FAIL e2e: $*"; }
    # check NAME WANT GOT
    check() { if [ "$2" = "$3" ]; then ok; else bad "$1: want $2, got $3"; fi; }
    # check_not NAME UNWANTED GOT
    check_not() { if [ "$2" != "$3" ]; then ok; else bad "$1: got $3"; fi; }

    start() { # start [serve options...]
        "$SARHAD" serve --db "$dir/post.db" --listen 127.0.0.1:0 --quiet "$@" \
            >"$dir/out" 2>"$dir/err" &
        pid=$!
        port=$(served_port "$dir/out")
        B=http://127.0.0.1:$port
    }
    stop() { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }

    # req METHOD PATH TOKEN [BODY|@FILE]: prints the status, body in $dir/body
    req() {
        local -a a=(-s -o "$dir/body" -w '%{http_code}' -X "$1")
        [ -n "$3" ] && a+=(-H "Authorization: Bearer $3")
        [ $# -ge 4 ] && a+=(--data-binary "$4")
        curl "${a[@]}" "$B$2"
    }
    field() { jq -r "$1" <"$dir/body" 2>/dev/null; }
    login() { # login USER PASSWORD -> token
        curl -s -X POST "$B/v1/sessions" \
            -d "{\"username\":\"$1\",\"password\":\"$2\"}" | jq -r .token
    }

    # ---- a post with an account for every role -----------------------
    "$SARHAD" init --db "$dir/post.db" --post TORKHAM \
        --policy policies/pakistan.policy >/dev/null || bad "init"
    local u
    for u in "officer:officer:TORKHAM" "supervisor:supervisor:TORKHAM" \
        "analyst:analyst:" "admin:admin:" "auditor:auditor:" \
        "faraway:officer:CHAMAN" "victim:analyst:"; do
        IFS=: read -r name role post <<<"$u"
        echo "pass-$name-123" | "$SARHAD" user add --db "$dir/post.db" \
            "$name" --role "$role" ${post:+--post "$post"} --password-stdin ||
            bad "user add $name"
    done
    # Accounts on the command line: disable, list, enable, audited.
    "$SARHAD" user disable --db "$dir/post.db" victim >/dev/null 2>&1
    check "user disable" 0 "$?"
    check "... listed as disabled" 1 "$("$SARHAD" user list --db "$dir/post.db" | grep -c '^victim .*disabled')"
    "$SARHAD" user enable --db "$dir/post.db" victim >/dev/null 2>&1
    check "user enable" 0 "$?"
    check "... listed as active again" 0 "$("$SARHAD" user list --db "$dir/post.db" | grep -c '^victim .*disabled')"
    check "... both audited" 2 "$("$SARHAD" audit log --db "$dir/post.db" | jq -r .kind | grep -c '^user_\(dis\|en\)abled$')"
    "$SARHAD" user enable --db "$dir/post.db" ghost >"$dir/v" 2>&1
    check "user enable of nobody fails" 1 "$?"
    start --login-failures 3 --echo
    [ -n "$port" ] || { bad "server did not start"; cat "$dir/err"; return; }

    # ---- contract ------------------------------------------------------
    check "health without a token" 200 "$(req GET /v1/health "")"
    check "health says ok" ok "$(field .status)"
    check "login" 201 "$(req POST /v1/sessions "" \
        '{"username":"officer","password":"pass-officer-123"}')"
    check "login gives a 64-char token" 64 "$(field '.token | length')"
    check_not "login gives an expiry" null "$(field .expires)"
    declare -A T
    for u in officer supervisor analyst admin auditor faraway; do
        T[$u]=$(login "$u" "pass-$u-123")
    done
    check "no token: 401" 401 "$(req GET /v1/users "")"
    check "bad token: 401" 401 "$(req GET /v1/users "$(printf 'f%.0s' {1..64})")"
    check "officer decides" 201 "$(req POST /v1/decisions "${T[officer]}" "@$here/presentation.json")"
    check "the decision is admit" admit "$(field .decision)"
    local attempt answered
    attempt=$(field .attempt_id)
    answered=$(jq -cS 'del(.attempt_id)' "$dir/body")
    check "analyst may not decide" 403 "$(req POST /v1/decisions "${T[analyst]}" "@$here/presentation.json")"
    check "auditor may not decide" 403 "$(req POST /v1/decisions "${T[auditor]}" "@$here/presentation.json")"
    check "officer of another post: 403" 403 "$(req POST /v1/decisions "${T[faraway]}" "@$here/presentation.json")"
    check "the recorded attempt is found" 200 "$(req GET "/v1/attempts/$attempt" "${T[supervisor]}")"
    check "... with its decision" admit "$(field .decision.decision)"
    check "... exactly the one answered" "$answered" "$(jq -cS .decision "$dir/body")"
    check "traveller history" 200 "$(req GET "/v1/travellers/$(field .traveller)" "${T[analyst]}")"
    local traveller=$(field .id)
    check "found by passport number" 200 "$(req GET "/v1/travellers?document=PA1234567" "${T[officer]}")"
    check "... the one traveller" "$traveller" "$(field '.travellers | map(.id) | join(",")')"
    check "... by that passport" "passport AFG:PA1234567" "$(field '.travellers[0].matched | "\(.kind) \(.value)"')"
    check "... with the last attempt" "$attempt admit" "$(field '.travellers[0].last_attempt | "\(.id) \(.final)"')"
    check "... and no more" false "$(field .more)"
    check "found by visa in its state" "$traveller" "$(req GET "/v1/travellers?document=va7654321&kind=visa&issuing_state=pak" "${T[supervisor]}" >/dev/null; field '.travellers[0].id')"
    check "found by name and birth date" "$traveller" "$(req GET "/v1/travellers?surname=khan&given_names=amina&birth_date=1990-01-01" "${T[analyst]}" >/dev/null; field '.travellers[0].id')"
    check "a name no one has: none" 0 "$(req GET "/v1/travellers?surname=KHAN&nationality=PAK" "${T[auditor]}" >/dev/null; field '.travellers | length')"
    check "a surname in Arabic script is asked for in Latin letters" "surname Latin" "$(req GET "/v1/travellers?surname=%D8%AE%D8%A7%D9%86" "${T[officer]}" >/dev/null; field '"\(.field) \(.message | capture("(?<l>Latin)").l)"')"
    check "a search needs a document or a name" 400 "$(req GET "/v1/travellers" "${T[officer]}")"
    check "... naming the field" document "$(field .field)"
    check "a bad birth date: 400" birth_date "$(req GET "/v1/travellers?surname=KHAN&birth_date=1990-02-30" "${T[officer]}" >/dev/null; field .field)"
    check "an unknown kind: 400" kind "$(req GET "/v1/travellers?document=A1&kind=licence" "${T[officer]}" >/dev/null; field .field)"
    check "a misspelt query argument: 400" 400 "$(req GET "/v1/travellers?documnet=PA1234567" "${T[officer]}")"
    check "... named, as an unknown field" "unknown_field documnet" "$(field '"\(.code) \(.field)"')"
    check "a query argument that is not text: 400" "400 query" "$(req GET "/v1/travellers?%FF%FE=1" "${T[officer]}") $(field .field)"
    check "an overlong value: 400" 400 "$(req GET "/v1/travellers?document=$(printf 'A%.0s' {1..60})" "${T[officer]}")"
    check "an admin may not search travellers" 403 "$(req GET "/v1/travellers?document=PA1234567" "${T[admin]}")"
    # Who was shown whose record: every lookup is in the audit log.
    req GET "/v1/audit?limit=1000" "${T[auditor]}" >/dev/null
    check "a search is audited: who, by what, whom it showed" "officer document [$traveller]" "$(field '[.entries[] | select(.kind == "lookup" and .subject == "search")][0] | "\(.actor.user) \(.detail.by) \(.detail.travellers)"')"
    check "... a name search too" "analyst name" "$(field '[.entries[] | select(.kind == "lookup" and .detail.by == "name")][0] | "\(.actor.user) \(.detail.by)"')"
    check "... one that found nobody" "[]" "$(field '[.entries[] | select(.kind == "lookup" and .actor.user == "auditor")][0].detail.travellers | tojson')"
    check "... never what was searched for" 0 "$(jq '[.entries[] | select(.kind == "lookup") | tostring | select(test("PA1234567|VA7654321|KHAN|AMINA"; "i"))] | length' "$dir/body")"
    check "... nor a refused search" 4 "$(field '[.entries[] | select(.kind == "lookup" and .subject == "search")] | length')"
    check "a history viewed is audited" "analyst traveller:$traveller" "$(field '[.entries[] | select(.kind == "lookup" and (.subject | startswith("traveller:")))][0] | "\(.actor.user) \(.subject)"')"
    check "an attempt viewed is audited" "supervisor attempt:$attempt" "$(field '[.entries[] | select(.kind == "lookup" and (.subject | startswith("attempt:")))][0] | "\(.actor.user) \(.subject)"')"
    check "the log searched for a traveller: their decision and who saw them" "decision lookup" "$(req GET "/v1/audit?traveller=$traveller" "${T[auditor]}" >/dev/null; field '[.entries[].kind] | unique | join(" ")')"
    check "... every lookup that showed them (three searches, a history, an attempt)" 5 "$(field '[.entries[] | select(.kind == "lookup")] | length')"
    check "... and nothing about anyone else" 0 "$(field '[.entries[] | select(.kind == "login")] | length')"
    check "the log searched by kind and user" "lookup analyst" "$(req GET "/v1/audit?kind=lookup&user=analyst" "${T[admin]}" >/dev/null; field '[.entries[] | "\(.kind) \(.actor.user)"] | unique | join(",")')"
    check "... a page at a time, saying where to go on" true "$(req GET "/v1/audit?kind=lookup&limit=1" "${T[auditor]}" >/dev/null; field '.next == .entries[0].seq + 1')"
    check "a traveller that is not a number: 400" traveller "$(req GET "/v1/audit?traveller=KHAN" "${T[auditor]}" >/dev/null; field .field)"
    check "the log with its lookups verifies" true "$(req GET /v1/audit/verify "${T[auditor]}" >/dev/null; field .ok)"
    check "unknown attempt: 404" 404 "$(req GET /v1/attempts/99999 "${T[analyst]}")"
    check "policy upload needs admin" 403 "$(req POST /v1/policies "${T[officer]}" '{"text":"x"}')"
    jq -Rs '{filename:"pakistan.policy", text:.}' policies/pakistan.policy >"$dir/policy.json"
    check "republishing the same version is refused" 409 "$(req POST /v1/policies "${T[admin]}" "@$dir/policy.json")"
    check "lint by an analyst" 200 "$(req POST /v1/policies/lint "${T[analyst]}" "@$dir/policy.json")"
    check "lint finds no error" true "$(field .ok)"
    check "lint of garbage" 200 "$(req POST /v1/policies/lint "${T[admin]}" '{"text":"rule ??"}')"
    check "lint reports the compile error" false "$(field .ok)"
    check_not "the compile error has a line" null "$(field .compile_error.line)"
    check "publish garbage: 400" 400 "$(req POST /v1/policies "${T[admin]}" '{"text":"rule ??"}')"
    check "policies listed" 1 "$(req GET /v1/policies "${T[officer]}" >/dev/null; field '.policies | length')"
    check "audit verify" 200 "$(req GET /v1/audit/verify "${T[auditor]}")"
    check "audit verify ok" true "$(field .ok)"
    head=$(field .head)
    check "audit verify gives the head as an anchor" 1 "$(echo "$head" | grep -Eq '^[0-9]+:[0-9a-f]{64}$' && echo 1)"
    check "the anchor holds" true "$(req GET "/v1/audit/verify?anchor=$head" "${T[auditor]}" >/dev/null; field .ok)"
    check "an anchor the log does not hold: not ok" false "$(req GET "/v1/audit/verify?anchor=1:$(printf '%064d' 0)" "${T[auditor]}" >/dev/null; field .ok)"
    check "... naming its entry" 1 "$(field .first_bad)"
    check "... and no head" null "$(field .head)"
    check "a malformed anchor: 400" 400 "$(req GET "/v1/audit/verify?anchor=1:zz" "${T[auditor]}")"
    check "... naming the field" anchor "$(field .field)"
    "$SARHAD" audit verify --db "$dir/post.db" --anchor "$head" >"$dir/v" 2>&1
    check "the command holds the server's anchor" 0 "$?"
    req GET "/v1/audit?limit=1000" "${T[auditor]}" >/dev/null
    check "the audit log says where a login came from" 127.0.0.1 "$(field '[.entries[] | select(.kind == "login")][0].actor.address')"
    check "... and a decision" 127.0.0.1 "$(field '[.entries[] | select(.actor.role == "officer" and .kind != "login")][0].actor.address')"

    # ---- watchlists: import, screen, and screening inside a decision ---
    check "no watchlist yet: screen finds nothing" 0 "$(req POST /v1/screen "${T[officer]}" '{"name":"Amina Khan"}' >/dev/null; field '.hits | length')"
    jq -Rs '{format:"un-xml", source:"un-consolidated-list.xml", text:.}' \
        ../shared/data/un-consolidated-list.xml >"$dir/un.json"
    check "an officer may not import a list" 403 "$(req POST /v1/watchlists "${T[officer]}" "@$dir/un.json")"
    check "an admin imports the UN list" 201 "$(req POST /v1/watchlists "${T[admin]}" "@$dir/un.json")"
    check "... all 730 individuals" 730 "$(field .version.entries)"
    check "a bad format is named" invalid "$(req POST /v1/watchlists "${T[admin]}" '{"format":"pdf","text":"x"}' >/dev/null; field .code)"
    check "... with its field" format "$(field .field)"
    check "a malformed CSV is refused" 400 "$(req POST /v1/watchlists "${T[admin]}" '{"format":"csv","text":"id,name\n"}')"
    printf '%s\n' 'id,name,aliases,birth_date,nationality,father_name' \
        'E2E-1,Amina Khan,Amena Khaan,1990-01-01,AFG,' >"$dir/list.csv"
    jq -Rs '{format:"csv", source:"e2e.csv", text:.}' "$dir/list.csv" >"$dir/list.json"
    check "an admin imports a CSV list" 201 "$(req POST /v1/watchlists "${T[admin]}" "@$dir/list.json")"
    check "versions are listed, newest first" v2 "$(req GET /v1/watchlists "${T[auditor]}" >/dev/null; field '.versions[0].label')"
    check "an officer screens a name" 200 "$(req POST /v1/screen "${T[officer]}" '{"name":"AMINA KHAN","birth_date":"1990-01-01","nationality":"AFG"}')"
    check "... and gets the listed entry" E2E-1 "$(field '.hits[0].id')"
    check_not "... with why it matched" "" "$(field '.hits[0].why')"
    check "an analyst may not screen" 403 "$(req POST /v1/screen "${T[analyst]}" '{"name":"Amina Khan"}')"
    check "a bad birth date is named" birth_date "$(req POST /v1/screen "${T[officer]}" '{"name":"A","birth_date":"1990-13-01"}' >/dev/null; field .field)"
    check "a listed traveller is referred" refer "$(req POST /v1/decisions "${T[officer]}" "@$here/presentation.json" >/dev/null; field .decision)"
    check "... by the watchlist rule" watchlist "$(field .rule)"
    check "... with the hit in the decision" E2E-1 "$(field '.flags.watchlist_hits[0].entry_id')"
    check "the import is in the audit log" watchlist_imported "$(req GET '/v1/audit?from=1&limit=500' "${T[auditor]}" >/dev/null; field '[.entries[] | select(.kind == "watchlist_imported")][0].kind')"

    # ---- signed bundles from the ministry --------------------------------
    "$SARHAD" bundle keygen --out "$dir/ministry" >/dev/null
    "$SARHAD" bundle keygen --out "$dir/rogue" >/dev/null
    sed 's/^policy "pakistan" version 1$/policy "pakistan" version 2/' \
        policies/pakistan.policy >"$dir/v2.policy"
    "$SARHAD" bundle sign --key "$dir/ministry.key" --kind policy --serial 1 \
        --out "$dir/v2.bundle" "$dir/v2.policy" >/dev/null
    "$SARHAD" bundle sign --key "$dir/rogue.key" --kind watchlist --serial 1 \
        --out "$dir/rogue.bundle" "$dir/list.csv" >/dev/null
    "$SARHAD" bundle sign --key "$dir/ministry.key" --kind watchlist --serial 1 \
        --out "$dir/list.bundle" "$dir/list.csv" >/dev/null
    for b in v2 rogue list; do jq -Rs '{bundle:.}' "$dir/$b.bundle" >"$dir/$b.bundle.json"; done
    check "no key trusted: nothing listed" null "$(req GET /v1/bundles "${T[auditor]}" >/dev/null; field .trusted_key)"
    check "no key trusted: a bundle is refused" 404 "$(req POST /v1/bundles "${T[admin]}" "@$dir/v2.bundle.json")"
    check "an officer may not trust a key" 403 "$(req POST /v1/bundles/key "${T[officer]}" "{\"public_key\":\"$(cat "$dir/ministry.pub")\"}")"
    check "a key that is not one: 400" public_key "$(req POST /v1/bundles/key "${T[admin]}" '{"public_key":"abc"}' >/dev/null; field .field)"
    check "an admin trusts the ministry key" 201 "$(req POST /v1/bundles/key "${T[admin]}" "{\"public_key\":\"$(tr -d '\n' <"$dir/ministry.pub")\"}")"
    local key_id=$(field .trusted_key)
    check "... once" 409 "$(req POST /v1/bundles/key "${T[admin]}" "{\"public_key\":\"$(tr -d '\n' <"$dir/rogue.pub")\"}")"
    check "now a local publication is refused" 403 "$(req POST /v1/policies "${T[admin]}" "{\"text\":$(jq -Rs . "$dir/v2.policy")}")"
    check "... and a local import" 403 "$(req POST /v1/watchlists "${T[admin]}" "@$dir/list.json")"
    check "a bundle signed by another key: 422" "422 issuer" "$(req POST /v1/bundles "${T[admin]}" "@$dir/rogue.bundle.json") $(field .field)"
    check "an officer may not apply a bundle" 403 "$(req POST /v1/bundles "${T[officer]}" "@$dir/v2.bundle.json")"
    check "an altered bundle: 422" "422 sha256" "$(req POST /v1/bundles "${T[admin]}" "$(jq -c '.bundle |= sub("version 2"; "version 3")' "$dir/v2.bundle.json")") $(field .field)"
    check "a header out of shape names its line" "400 4" "$(req POST /v1/bundles "${T[admin]}" "$(jq -c '.bundle |= sub("format:"; "formal:")' "$dir/v2.bundle.json")") $(field .line)"
    check "the ministry's policy bundle is applied" 201 "$(req POST /v1/bundles "${T[admin]}" "@$dir/v2.bundle.json")"
    check "... as publication 2" policy:2 "$(field .bundle.result)"
    check "... decisions cite it at once" 2 "$(req POST /v1/decisions "${T[officer]}" "@$here/presentation.json" >/dev/null; field .policy.version)"
    check "the same bundle again: 409" "409 serial" "$(req POST /v1/bundles "${T[admin]}" "@$dir/v2.bundle.json") $(field .field)"
    check "the ministry's list bundle is applied" watchlist:v3 "$(req POST /v1/bundles "${T[admin]}" "@$dir/list.bundle.json" >/dev/null; field .bundle.result)"
    check "the auditor sees the key and both bundles" "$key_id 2" "$(req GET /v1/bundles "${T[auditor]}" >/dev/null; field '"\(.trusted_key) \(.bundles | length)"')"
    check "... each audited" 2 "$(req GET '/v1/audit?kind=bundle_applied' "${T[auditor]}" >/dev/null; field '.entries | length')"

    # ---- replaying the record under a draft --------------------------------
    printf '%s\n' 'policy "e2e-draft" version 9' 'rule everyone "Everyone is referred"' \
        '  refer' '  reason check "Checked by hand."' 'end' >"$dir/draft.policy"
    jq -Rs '{filename:"draft.policy", text:.}' "$dir/draft.policy" >"$dir/draft.json"
    check "an officer may not replay" 403 "$(req POST /v1/replays "${T[officer]}" "@$dir/draft.json")"
    check "a draft that does not compile: 400 at once" "400 2" "$(req POST /v1/replays "${T[analyst]}" '{"text":"policy \"x\" version 2\nrule\n"}') $(field .compile_error.line)"
    check "a bad day is named" from "$(req POST /v1/replays "${T[analyst]}" "$(jq -c '.from = "2023-02-30"' "$dir/draft.json")" >/dev/null; field .field)"
    check "an analyst starts a replay" 202 "$(req POST /v1/replays "${T[analyst]}" "@$dir/draft.json")"
    local replay=$(field .id) state=running
    check "... named by its draft" "e2e-draft 9" "$(field '"\(.draft.policy) \(.draft.version)"')"
    for _ in $(seq 200); do
        req GET "/v1/replays/$replay" "${T[analyst]}" >/dev/null
        state=$(field .state)
        [ "$state" = running ] || break
        sleep 0.05
    done
    check "... and it ends" done "$state"
    local recorded=$("$SARHAD" audit log --db "$dir/post.db" --kind decision 2>/dev/null | wc -l)
    check "every recorded decision was replayed" "$recorded" "$(field .result.counted)"
    # Every attempt here is of one traveller, whom the list now names: the
    # replay screens with the current list, before any rule of the draft.
    check "... the admission before the list moves to refer" "admit refer watchlist" "$(field '.changes[0] | "\(.recorded.decision) \(.replayed.decision) \(.replayed.rule)"')"
    check "... each change listed" "$(field .result.changed)" "$(field '.changes | length')"
    check "... the store only read" "$recorded" "$("$SARHAD" audit log --db "$dir/post.db" --kind decision 2>/dev/null | wc -l)"
    check "an unknown replay: 404" 404 "$(req GET "/v1/replays/$((replay + 7))" "${T[admin]}")"
    check "the audit log says who replayed which draft" "analyst policy:e2e-draft 9 64" \
        "$(req GET "/v1/audit?kind=replay" "${T[auditor]}" >/dev/null; field '.entries[-1] | "\(.actor.user) \(.subject) \(.detail.version) \(.detail.sha256 | length)"')"
    check "... and the replay's id is that entry's" "$replay" "$(field '.entries[-1].seq')"
    # Once ended it is kept in the store, and read back from there.
    for _ in $(seq 100); do
        [ "$(sqlite3 "$dir/post.db" "SELECT count(*) FROM replay_kept WHERE id = $replay" 2>/dev/null)" = 1 ] && break
        sleep 0.05
    done
    check "the ended replay is kept in the store" 1 "$(sqlite3 "$dir/post.db" "SELECT count(*) FROM replay_kept WHERE id = $replay")"
    check "... read back whole" "done $recorded true" "$(req GET "/v1/replays/$replay" "${T[admin]}" >/dev/null; field '"\(.state) \(.result.counted) \(.finished != null)"')"
    check "the replays run, newest first, without their changes" "$replay analyst null" \
        "$(req GET /v1/replays "${T[analyst]}" >/dev/null; field '.replays[0] | "\(.id) \(.by) \(.changes)"')"
    check "... paged by id" 0 "$(req GET "/v1/replays?before=$replay" "${T[analyst]}" >/dev/null; field '.replays | length')"
    check "... a bad page: 400" "400 before" "$(req GET "/v1/replays?before=x" "${T[analyst]}") $(field .field)"

    # ---- referrals -----------------------------------------------------
    check "a bad MRZ is referred" refer "$(req POST /v1/decisions "${T[officer]}" "@$here/presentation_refer.json" >/dev/null; field .decision)"
    local ref
    ref=$(field .attempt_id)
    check "supervisor sees the queue" 200 "$(req GET /v1/referrals "${T[supervisor]}")"
    check "the referral is queued" "$ref" "$(field ".referrals[] | select(.attempt_id == $ref) | .attempt_id")"
    check "officer may not resolve" 403 "$(req POST "/v1/referrals/$ref/resolution" "${T[officer]}" '{"decision":"admit","reason":"checked"}')"
    check "resolution needs a reason" 400 "$(req POST "/v1/referrals/$ref/resolution" "${T[supervisor]}" '{"decision":"admit"}')"
    check "... and names it" reason "$(field .field)"
    check "supervisor resolves" 200 "$(req POST "/v1/referrals/$ref/resolution" "${T[supervisor]}" '{"decision":"admit","reason":"passport checked by hand"}')"
    check "a second resolution conflicts" 409 "$(req POST "/v1/referrals/$ref/resolution" "${T[supervisor]}" '{"decision":"refuse","reason":"again"}')"

    # ---- overrides -----------------------------------------------------
    # Someone not on the list (the MRZ's name line has no check digit).
    sed 's/KHAN<<AMINA<<<<</NOORI<<ZAHRA<<<</' "$here/presentation_nodocs.json" >"$dir/novisa.json"
    check "a passport without a visa is refused" refuse "$(req POST /v1/decisions "${T[officer]}" "@$dir/novisa.json" >/dev/null; field .decision)"
    local refused
    refused=$(field .attempt_id)
    check "an officer may not override" 403 "$(req POST "/v1/attempts/$refused/override" "${T[officer]}" '{"decision":"admit","reason":"medical"}')"
    check "an override needs a reason" 400 "$(req POST "/v1/attempts/$refused/override" "${T[supervisor]}" '{"decision":"admit"}')"
    check "a referral is resolved, not overridden" 400 "$(req POST "/v1/attempts/$ref/override" "${T[supervisor]}" '{"decision":"refuse","reason":"x"}')"
    check "a supervisor overrides" 200 "$(req POST "/v1/attempts/$refused/override" "${T[supervisor]}" '{"decision":"admit","reason":"medical exception, hospital letter seen"}')"
    check "... recorded on the attempt" override "$(req GET "/v1/attempts/$refused" "${T[auditor]}" >/dev/null; field .resolution.kind)"
    check "... which stays as decided" refuse "$(field .decision.decision)"
    check "... with the new outcome and reason" "admit medical exception, hospital letter seen" "$(field '.resolution.decision + " " + .resolution.reason')"
    local seq_hash a_seq a_hash r_seq r_hash
    seq_hash=$(req GET "/v1/attempts/$refused" "${T[auditor]}" >/dev/null; field '"\(.audit.seq) \(.audit.hash) \(.resolution.audit.seq) \(.resolution.audit.hash)"')
    read -r a_seq a_hash r_seq r_hash <<<"$seq_hash"
    check "the attempt names the audit entry that recorded it" "decision $a_hash" \
        "$(req GET "/v1/audit?from=$a_seq&limit=1" "${T[auditor]}" >/dev/null; field '.entries[0] | "\(.kind) \(.hash)"')"
    check "... and its override the override's" "override $r_hash" \
        "$(req GET "/v1/audit?from=$r_seq&limit=1" "${T[auditor]}" >/dev/null; field '.entries[0] | "\(.kind) \(.hash)"')"
    check "the traveller's history shows the final outcome" admit "$(req GET "/v1/travellers/$(req GET "/v1/attempts/$refused" "${T[auditor]}" >/dev/null; field .traveller)" "${T[supervisor]}" >/dev/null; field ".attempts[] | select(.id == $refused) | .final")"
    check "a second override conflicts" 409 "$(req POST "/v1/attempts/$refused/override" "${T[supervisor]}" '{"decision":"refuse","reason":"again"}')"
    check "the override is audited" override "$(req GET '/v1/audit?from=1&limit=1000' "${T[auditor]}" >/dev/null; field '[.entries[] | select(.kind == "override")][0].kind')"

    # ---- the post's attempts, as a supervisor reviews them --------------
    local total=$(sqlite3 "$dir/post.db" "SELECT count(*) FROM attempt")
    local newest=$(sqlite3 "$dir/post.db" "SELECT max(id) FROM attempt")
    check "the attempts, newest first" "200 $newest" "$(req GET "/v1/attempts?limit=500" "${T[supervisor]}") $(field '.attempts[0].id')"
    check "... every one of them" "$total" "$(field '.attempts | length')"
    check "... with no traveller's name or document in a line" "" \
        "$(field '[.attempts[] | keys[]] | unique | map(select(test("name|document|passport|presentation"))) | join(",")')"
    check "the refusals only, by their final outcome" \
        "$(sqlite3 "$dir/post.db" "SELECT count(*) FROM attempt a LEFT JOIN resolution r ON r.attempt_id = a.id WHERE coalesce(r.decision, a.decision) = 'refuse'")" \
        "$(req GET "/v1/attempts?outcome=refuse&limit=500" "${T[auditor]}" >/dev/null; field '[.attempts[] | select(.outcome == "refuse")] | length')"
    check "pages of two" "2 true" "$(req GET "/v1/attempts?limit=2" "${T[officer]}" >/dev/null; field '"\(.attempts | length) \(.next == .attempts[1].id)"')"
    check "a day that is not one: 400" "400 day" "$(req GET "/v1/attempts?day=2023-02-30" "${T[supervisor]}") $(field .field)"
    check "a limit out of range: 400" "400 limit" "$(req GET "/v1/attempts?limit=0" "${T[supervisor]}") $(field .field)"

    # ---- reports -------------------------------------------------------
    check "daily report as JSON" 200 "$(req GET "/v1/reports/daily" "${T[analyst]}")"
    check "... has rows" true "$(field '(.rows | length) > 0')"
    check "daily report as CSV" 200 "$(req GET "/v1/reports/daily?format=csv" "${T[analyst]}")"
    check "... with its header" "day,post,crossing,direction,nationality,decision,count" "$(head -n 1 "$dir/body" | tr -d '\r')"
    check "bad report date" 400 "$(req GET "/v1/reports/daily?from=2023-13-01" "${T[analyst]}")"
    check "unknown report" 404 "$(req GET "/v1/reports/weekly" "${T[analyst]}")"
    check "officer may read reports" 200 "$(req GET "/v1/reports/refusals" "${T[officer]}")"
    check "flows report: returns by sex and age band" "200 age_band" "$(req GET "/v1/reports/flows" "${T[analyst]}") $(field '.columns[5]')"
    check "tallies report: families a day and crossing" "200 families" "$(req GET "/v1/reports/tallies" "${T[analyst]}") $(field '.columns[3]')"
    check "purposes report: why people cross" "200 intended_stay" "$(req GET "/v1/reports/purposes" "${T[analyst]}") $(field '.columns[5]')"
    check "vulnerabilities report: returns by each one flagged" "200 vulnerability" "$(req GET "/v1/reports/vulnerabilities" "${T[analyst]}") $(field '.columns[4]')"
    deportee='{"crossing":"TORKHAM","direction":"exit","time":"2023-11-07T11:00:00+05:00","traveller":{"nationality":"AFG","sex":"M"},"movement":{"category":"deportation","arrest_province":"sindh","arrested_on":"2023-11-01"},"documents":[]}'
    check "a deportee handed over with the arrest" "201 admit" "$(req POST /v1/decisions "${T[officer]}" "$deportee") $(field .decision)"
    check "detentions report: arrests by province, mean days held" "200 sindh 6 1" "$(req GET "/v1/reports/detentions?from=2023-11-06&to=2023-11-12" "${T[analyst]}") $(field '.rows[0] | "\(.province) \(.mean_days_held) \(.count)"')"
    check "an arrest on an entry: 400 naming the field" "400 movement.arrest_province" "$(req POST /v1/decisions "${T[officer]}" "${deportee/\"exit\"/\"entry\"}") $(field .field)"
    check "a post's server has no national view" "404 not_national" "$(req GET "/v1/national/reports/daily" "${T[analyst]}") $(field .code)"

    # ---- bad bodies ----------------------------------------------------
    check "not JSON" 400 "$(req POST /v1/sessions "" '{"username":')"
    check "... bad_json" bad_json "$(field .code)"
    check "not an object" 400 "$(req POST /v1/sessions "" '[1,2]')"
    check "duplicate keys" 400 "$(req POST /v1/sessions "" '{"username":"a","username":"b","password":"c"}')"
    check "unknown field" 400 "$(req POST /v1/sessions "" '{"username":"a","password":"b","role":"admin"}')"
    check "... named" role "$(field .field)"
    check "missing field" 400 "$(req POST /v1/sessions "" '{"username":"a"}')"
    check "... named" password "$(field .field)"
    printf '{"username":"\xff\xfe","password":"x"}' >"$dir/latin1"
    check "invalid UTF-8" 400 "$(req POST /v1/sessions "" "@$dir/latin1")"
    check "wrong type" 400 "$(req POST /v1/sessions "" '{"username":5,"password":"x"}')"
    check "bad presentation" 400 "$(req POST /v1/decisions "${T[officer]}" '{"crossing":"NOWHERE"}')"
    check_not "... names the field" null "$(field .field)"
    head -c 70000 /dev/zero | tr '\0' ' ' >"$dir/big"
    check "oversized decision body: 413" 413 "$(req POST /v1/decisions "${T[officer]}" "@$dir/big")"
    check "oversized login body: 413" 413 "$(req POST /v1/sessions "" "@$dir/big")"
    check "chunked oversized body: 413" 413 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Transfer-Encoding: chunked' --data-binary "@$dir/big" "$B/v1/sessions")"
    check "a body where none is taken: 413" 413 "$(req GET /v1/users "${T[admin]}" '{}')"
    check "unknown route: 404" 404 "$(req GET /v1/nothing "")"
    check "wrong method: 405" 405 "$(req PUT /v1/decisions "${T[officer]}")"
    check "no edit of a recorded event" 405 "$(req DELETE "/v1/attempts/$attempt" "${T[admin]}")"

    # ---- every route in the OpenAPI document, every role ---------------
    check "OpenAPI document" 200 "$(req GET /v1/openapi.json "")"
    cp "$dir/body" "$dir/openapi.json"
    local m p roles want got path r province taken=0 listed=0
    # The presentation's schema says what the reader takes: every province
    # of arrest it lists is recorded, and the document kinds are the
    # reader's own.
    for province in $(jq -r '.components.schemas.Movement.properties.arrest_province.enum[]' "$dir/openapi.json"); do
        listed=$((listed + 1))
        [ "$(req POST /v1/decisions "${T[officer]}" "${deportee/\"sindh\"/\"$province\"}")" = 201 ] && taken=$((taken + 1))
    done
    check "every province of arrest the document lists is taken" "7 7" "$listed $taken"
    check "... and the document kinds are the reader's" "passport token 11" "$(jq -r '.components.schemas.Document.properties.kind.enum | "\(.[0]) \(.[-1]) \(length)"' "$dir/openapi.json")"
    for m in "post /v1/sessions" "post /v1/decisions" "post /v1/policies" \
        "get /v1/audit/verify" "get /v1/health" "get /v1/metrics"; do
        set -- $m
        check "documented: $m" true "$(jq --arg p "$2" --arg m "$1" '.paths[$p][$m] != null' "$dir/openapi.json")"
    done
    while IFS=$'\t' read -r m p roles; do
        path=${p//\{username\}/nobody}
        path=${path//\{id\}/$attempt}
        path=${path//\{kind\}/daily}
        path=${path//\{number\}/1}
        [ "$m" = delete ] && continue # logout: tested on its own below
        if [ "$roles" = "" ]; then
            got=$(req "${m^^}" "$path" "" '{}')
            check_not "$m $p answers without a token" 401 "$got"
            check_not "$m $p exists" 404 "$got"
            continue
        fi
        check "$m $p without a token" 401 "$(req "${m^^}" "$path" "")"
        for r in officer supervisor analyst admin auditor; do
            [ "$p" = "/v1/users/{username}/password" ] && path=/v1/users/$r/password
            if [ "$m" = get ]; then got=$(req GET "$path" "${T[$r]}"); else
                got=$(req "${m^^}" "$path" "${T[$r]}" '{}'); fi
            if [[ ",$roles," == *",$r,"* ]]; then
                check_not "$r may $m $p" 403 "$got"
                check_not "$r may $m $p (route exists)" 405 "$got"
            else
                check "$r may not $m $p" 403 "$got"
            fi
        done
    done < <(jq -r '.paths | to_entries[] | .key as $p | .value | to_entries[] |
        [.key, $p, (.value["x-roles"] | join(","))] | @tsv' "$dir/openapi.json")

    # ---- accounts --------------------------------------------------------
    check "admin adds a user" 201 "$(req POST /v1/users "${T[admin]}" '{"username":"newbie","role":"officer","post":"TORKHAM","password":"pass-newbie-123"}')"
    check "a duplicate user conflicts" 409 "$(req POST /v1/users "${T[admin]}" '{"username":"newbie","role":"officer","post":"TORKHAM","password":"pass-newbie-123"}')"
    check "an officer needs a post" 400 "$(req POST /v1/users "${T[admin]}" '{"username":"nopost","role":"officer","password":"pass-nopost-123"}')"
    check "... named" post "$(field .field)"
    check "a short password" 400 "$(req POST /v1/users "${T[admin]}" '{"username":"shorty","role":"analyst","password":"short"}')"
    local newbie
    newbie=$(login newbie pass-newbie-123)
    check "the new user works" 200 "$(req GET /v1/sessions/current "$newbie")"
    check "... as an officer" officer "$(field .role)"
    check "disable" 200 "$(req POST /v1/users/newbie/disable "${T[admin]}")"
    check "a disabled user's session ends" 401 "$(req GET /v1/sessions/current "$newbie")"
    check "a disabled user cannot log in" 401 "$(req POST /v1/sessions "" '{"username":"newbie","password":"pass-newbie-123"}')"
    check "enable" 200 "$(req POST /v1/users/newbie/enable "${T[admin]}")"
    check "... answers the account, enabled" false "$(field .disabled)"
    check "an officer may not enable" 403 "$(req POST /v1/users/newbie/enable "${T[officer]}")"
    check "enabling nobody: 404" 404 "$(req POST /v1/users/nobody/enable "${T[admin]}")"
    check "the enabled user logs in with the password it had" 64 "$(login newbie pass-newbie-123 | tr -d '\n' | wc -c)"
    check "... and is still an officer" officer "$(req GET /v1/sessions/current "$(login newbie pass-newbie-123)" >/dev/null; field .role)"
    check "analyst changes own password" 200 "$(req POST /v1/users/analyst/password "${T[analyst]}" '{"password":"pass-analyst-456"}')"
    check "... which ends the session" 401 "$(req GET /v1/sessions/current "${T[analyst]}")"
    T[analyst]=$(login analyst pass-analyst-456)
    check "analyst logs in with the new password" 64 "${#T[analyst]}"

    # ---- wrong passwords and throttling --------------------------------
    check "wrong password: 401" 401 "$(req POST /v1/sessions "" '{"username":"victim","password":"wrong-password"}')"
    check "... unauthorized" unauthorized "$(field .code)"
    check "unknown user: 401" 401 "$(req POST /v1/sessions "" '{"username":"ghost","password":"wrong-password"}')"
    req POST /v1/sessions "" '{"username":"victim","password":"wrong-password"}' >/dev/null
    req POST /v1/sessions "" '{"username":"victim","password":"wrong-password"}' >/dev/null
    check "throttled after 3 failures: 429" 429 "$(req POST /v1/sessions "" '{"username":"victim","password":"pass-victim-123"}')"
    check "... throttled" throttled "$(field .code)"

    # ---- cookies and CSRF ------------------------------------------------
    curl -s -c "$dir/jar" -o "$dir/body" -X POST "$B/v1/sessions" \
        -d '{"username":"admin","password":"pass-admin-123"}'
    local csrf
    csrf=$(field .csrf)
    check "the cookie is HttpOnly and SameSite" 1 "$(grep -c '#HttpOnly_127.0.0.1' "$dir/jar")"
    check "cookie session reads" 200 "$(curl -s -o /dev/null -w '%{http_code}' -b "$dir/jar" "$B/v1/users")"
    check "cookie write without CSRF: 403" 403 "$(curl -s -o "$dir/body" -w '%{http_code}' -b "$dir/jar" -X POST "$B/v1/users/nobody/disable")"
    check "... csrf" csrf "$(field .code)"
    check "cookie write with CSRF" 404 "$(curl -s -o /dev/null -w '%{http_code}' -b "$dir/jar" -H "X-CSRF-Token: $csrf" -X POST "$B/v1/users/nobody/disable")"
    check "a reloaded console gets its CSRF token back" "$csrf" "$(curl -s -b "$dir/jar" "$B/v1/sessions/current" | jq -r .csrf)"
    check "... but a bearer client does not" null "$(curl -s -H "Authorization: Bearer ${T[admin]}" "$B/v1/sessions/current" | jq -r .csrf)"

    # ---- the embedded web console (not part of /v1) ---------------------
    local hdr="$dir/headers"
    check "console page" 200 "$(curl -s -D "$hdr" -o "$dir/body" -w '%{http_code}' "$B/")"
    check "... is HTML" 1 "$(grep -ci '^Content-Type: text/html; charset=utf-8' "$hdr")"
    check "... with a strict CSP" 1 "$(grep -i '^Content-Security-Policy:' "$hdr" | grep -c "script-src 'self';")"
    check "... no inline script allowed" 0 "$(grep -ci 'unsafe-inline' "$hdr")"
    check "... nosniff" 1 "$(grep -ci '^X-Content-Type-Options: nosniff' "$hdr")"
    check "... revalidated, not stale" 1 "$(grep -ci '^Cache-Control: no-cache' "$hdr")"
    check "... no inline script in it" 0 "$(grep -c '<script>' "$dir/body")"
    check "/index.html is the same page" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$B/index.html")"
    check "console script" 200 "$(curl -s -D "$hdr" -o /dev/null -w '%{http_code}' "$B/app.js")"
    check "... as JavaScript" 1 "$(grep -ci '^Content-Type: text/javascript' "$hdr")"
    local etag
    etag=$(sed -n 's/^ETag: *\([^[:space:]]*\).*/\1/Ip' "$hdr")
    check "an unchanged file: 304" 304 "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$B/app.js")"
    check "console stylesheet as CSS" 1 "$(curl -s -D - -o /dev/null "$B/app.css" | grep -ci '^Content-Type: text/css')"
    check "no such console file: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$B/nothing.js")"
    check "no path out of the console: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "$B/../etc/passwd")"
    check "console files take GET only" 405 "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$B/app.js")"
    check "the console is not in the API document" 0 "$(jq '[.paths | keys[] | select(startswith("/v1/") | not)] | length' "$dir/openapi.json")"
    check "API answers are not documents either" 1 "$(curl -s -D - -o /dev/null "$B/v1/health" | grep -ci "^Content-Security-Policy: default-src 'none'")"

    # ---- HEAD: every GET route answers it, headers only ------------------
    local len_get
    len_get=$(curl -s -o /dev/null -w '%{size_download}' "$B/app.js")
    check "HEAD of a console file" 200 "$(curl -s -I -D "$hdr" -o "$dir/body" -w '%{http_code}' "$B/app.js")"
    check "... announces the GET's length" "$len_get" "$(sed -n 's/^Content-Length: *\([0-9]*\).*/\1/Ip' "$hdr")"
    check "... with the same ETag" "$etag" "$(sed -n 's/^ETag: *\([^[:space:]]*\).*/\1/Ip' "$hdr")"
    check "... and no body" 0 "$(curl -s -I -o /dev/null -w '%{size_download}' "$B/app.js")"
    check "HEAD of the console page" 200 "$(curl -s -I -o /dev/null -w '%{http_code}' "$B/")"
    check "HEAD of a missing console file: 404" 404 "$(curl -s -I -o /dev/null -w '%{http_code}' "$B/nothing.js")"
    check "HEAD of health" 200 "$(curl -s -I -o /dev/null -w '%{http_code}' "$B/v1/health")"
    check "HEAD of an API read needs a token" 401 "$(curl -s -I -o /dev/null -w '%{http_code}' "$B/v1/users")"
    check "HEAD of an API read with one" 200 "$(curl -s -I -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${T[admin]}" "$B/v1/users")"
    check "HEAD of an API read, wrong role" 403 "$(curl -s -I -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${T[officer]}" "$B/v1/users")"
    check "HEAD by cookie needs no CSRF token" 200 "$(curl -s -I -o /dev/null -w '%{http_code}' -b "$dir/jar" "$B/v1/users")"
    check "no HEAD where there is no GET" 405 "$(curl -s -I -o /dev/null -w '%{http_code}' "$B/v1/decisions")"

    # ---- the post's time zone (the console's default time) -------------
    check "health gives the post's UTC offset" "+05:00" "$(req GET /v1/health "" >/dev/null; field .utc_offset)"

    # ---- the echo route: the same bytes back, bad JSON refused ----------
    local echo_body='{"a":[1,-2.5e3,true,null],"b":"\u00e9 \ud83d\ude00"}'
    check "echo answers" 200 "$(req POST /v1/echo "" "$echo_body")"
    check "... the same bytes" "$echo_body" "$(cat "$dir/body")"
    check "echo refuses bad JSON" 400 "$(req POST /v1/echo "" '{"a":01}')"
    check "... as bad_json" bad_json "$(field .code)"
    check "echo refuses a bare string" 400 "$(req POST /v1/echo "" '"x"')"
    check "echo refuses a NUL byte" 400 "$(printf '[1\0]' | curl -s -o /dev/null -w '%{http_code}' --data-binary @- "$B/v1/echo")"
    check "echo refuses bad UTF-8" 400 "$(printf '["\xc0\xaf"]' | curl -s -o /dev/null -w '%{http_code}' --data-binary @- "$B/v1/echo")"

    # ---- sessions cached in memory still see every change at once --------
    # The server holds the store's writer lock, so another process changes
    # accounts and sessions only by hand (sqlite3); that counts on the very
    # next request too.
    local cached
    check "admin adds a user to cache" 201 "$(req POST /v1/users "${T[admin]}" '{"username":"cached","role":"officer","post":"TORKHAM","password":"pass-cached-123"}')"
    cached=$(login cached pass-cached-123)
    check "cached session: first request" 200 "$(req GET /v1/sessions/current "$cached")"
    check "cached session: again" 200 "$(req GET /v1/sessions/current "$cached")"
    check "... an officer may not list users" 403 "$(req GET /v1/users "$cached")"
    sqlite3 "$dir/post.db" "UPDATE users SET role = 'auditor', post = '' WHERE name = 'cached'"
    check "a role changed by another process counts at once" 200 "$(req GET /v1/users "$cached")"
    check "... whoami says so" auditor "$(req GET /v1/sessions/current "$cached" >/dev/null; field .role)"
    sqlite3 "$dir/post.db" "UPDATE sessions SET ended = 1 WHERE user = 'cached'"
    check "a session ended by another process: 401" 401 "$(req GET /v1/sessions/current "$cached")"
    cached=$(login cached pass-cached-123)
    check "a new session" 200 "$(req GET /v1/sessions/current "$cached")"
    check "... cached" 200 "$(req GET /v1/sessions/current "$cached")"
    sqlite3 "$dir/post.db" "UPDATE users SET disabled = 1 WHERE name = 'cached'"
    check "an account disabled by another process: 401" 401 "$(req GET /v1/sessions/current "$cached")"
    sqlite3 "$dir/post.db" "UPDATE users SET disabled = 0 WHERE name = 'cached'"
    check "... enabled again" 200 "$(req GET /v1/sessions/current "$cached")"
    check "a new password through the API ends it" 200 "$(req POST /v1/users/cached/password "${T[admin]}" '{"password":"pass-cached-456"}')"
    check "... at once" 401 "$(req GET /v1/sessions/current "$cached")"

    # ---- logout --------------------------------------------------------
    check "logout" 200 "$(req DELETE /v1/sessions/current "${T[auditor]}")"
    check "after logout: 401" 401 "$(req GET /v1/audit "${T[auditor]}")"
    check "logout twice: 401" 401 "$(req DELETE /v1/sessions/current "${T[auditor]}")"

    # ---- metrics ---------------------------------------------------------
    req GET /v1/metrics "" >/dev/null
    check "metrics count decisions" 1 "$(grep -c '^sarhad_decisions_total{outcome="admit"} [1-9]' "$dir/body")"
    check "metrics give the store size" 1 "$(grep -c '^sarhad_store_bytes [1-9]' "$dir/body")"
    check "metrics hold no traveller data" 0 "$(grep -c -i 'KHAN\|AMINA' "$dir/body")"

    # ---- graceful shutdown loses nothing committed -------------------------
    local i
    for i in $(seq 40); do
        curl -s -o "$dir/d$i" -w '%{http_code}\n' -X POST \
            -H "Authorization: Bearer ${T[officer]}" \
            --data-binary "@$here/presentation.json" "$B/v1/decisions" \
            >"$dir/s$i" &
    done
    sleep 0.05
    kill -TERM "$pid"
    local stopped=0
    wait "$pid" || stopped=$?
    wait
    # Not an abort (libmicrohttpd panics if a connection is still parked
    # when it stops: a write that arrives after the writer has gone is
    # answered 503 instead of being parked).
    check "the server stops cleanly under load" 0 "$stopped"
    check "each is recorded (201), refused (503) or never connected" 0 \
        "$(cat "$dir"/s[0-9]* | grep -cv '^201$\|^503$\|^000$')"
    check "the server logs no traveller data" 0 "$(grep -c -i 'KHAN\|AMINA\|PA1234567' "$dir/err")"
    start --session-ttl 2
    local answered=0 found=0
    for i in $(seq 40); do
        if [ "$(cat "$dir/s$i")" = 201 ]; then
            answered=$((answered + 1))
            [ "$(req GET "/v1/attempts/$(jq -r .attempt_id "$dir/d$i")" "${T[officer]}")" = 200 ] &&
                found=$((found + 1))
        fi
    done
    check "every answered decision survived the shutdown" "$answered" "$found"

    # ---- expiry and address throttling (second server) -----------------
    local short
    short=$(login auditor pass-auditor-123)
    check "fresh session works" 200 "$(req GET /v1/audit/verify "$short")"
    sleep 3.1
    check "expired session: 401" 401 "$(req GET /v1/audit/verify "$short")"
    stop

    # ---- audit tampering ---------------------------------------------------
    check "audit verify (CLI) on a sound log" 0 "$("$SARHAD" audit verify --db "$dir/post.db" >/dev/null; echo $?)"
    cp "$dir/post.db" "$dir/tail.db"
    cp "$dir/post.db.key" "$dir/tail.db.key"
    sqlite3 "$dir/post.db" "DROP TRIGGER audit_log_no_update;
        UPDATE audit_log SET detail = '{}' WHERE seq = 5;"
    "$SARHAD" audit verify --db "$dir/post.db" >"$dir/v" 2>&1
    check "an edited entry fails verify" 1 "$?"
    check "... naming entry 5" 1 "$(grep -q 'entry 5' "$dir/v" && echo 1)"
    sqlite3 "$dir/tail.db" "DROP TRIGGER audit_log_no_delete;
        DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log);"
    "$SARHAD" audit verify --db "$dir/tail.db" >"$dir/v" 2>&1
    check "a deleted tail fails verify" 1 "$?"
    check "... as missing" 1 "$(grep -q 'missing' "$dir/v" && echo 1)"
    start
    check "GET /v1/audit/verify after tampering" 200 "$(req GET /v1/audit/verify "$(login auditor pass-auditor-123)")"
    check "... not ok" false "$(field .ok)"
    check "... first bad entry 5" 5 "$(field .first_bad)"
    stop

    # ---- a replay cut short by a shutdown is kept as stopped -------------
    # A store of its own, long enough that the replay is still reading
    # when SIGTERM comes (100,000 attempts: seconds to replay).
    local long=$dir/long.db analyst_token long_replay
    "$SARHAD" init --db "$long" --post TORKHAM --policy policies/pakistan.policy >/dev/null
    echo "pass-analyst-123" | "$SARHAD" user add --db "$long" analyst --role analyst --password-stdin
    "$SARHAD" gen --db "$long" --days 2 --per-day 50000 >/dev/null 2>&1 || bad "gen for the long replay"
    "$SARHAD" serve --db "$long" --listen 127.0.0.1:0 --quiet >"$dir/out" 2>"$dir/err" &
    pid=$!
    port=$(served_port "$dir/out")
    B=http://127.0.0.1:$port
    analyst_token=$(login analyst pass-analyst-123)
    check "a long replay starts" 202 "$(req POST /v1/replays "$analyst_token" "@$dir/draft.json")"
    long_replay=$(field .id)
    for _ in $(seq 400); do
        req GET "/v1/replays/$long_replay" "$analyst_token" >/dev/null
        [ "$(field .read)" -ge 1000 ] 2>/dev/null && break
        sleep 0.05
    done
    check "... and is under way when the server is told to stop" "running yes" \
        "$(field '"\(.state) \(if .read >= 1000 then "yes" else "no" end)"')"
    kill -TERM "$pid"
    local long_stop=0
    wait "$pid" || long_stop=$?
    check "the server stops cleanly, the replay cut short" 0 "$long_stop"
    check "... and keeps it as stopped" "stopped 1" \
        "$(sqlite3 "$long" "SELECT json_extract(doc, '$.state'), json_extract(doc, '$.read') >= 1000 FROM replay_kept WHERE id = $long_replay" | tr '|' ' ')"
    "$SARHAD" serve --db "$long" --listen 127.0.0.1:0 --quiet >"$dir/out" 2>"$dir/err" &
    pid=$!
    port=$(served_port "$dir/out")
    B=http://127.0.0.1:$port
    analyst_token=$(login analyst pass-analyst-123)
    check "after the restart the replay reads as stopped, saying how far it read" "200 stopped true true" \
        "$(req GET "/v1/replays/$long_replay" "$analyst_token") $(field '"\(.state) \(.read < 100000) \(.error.message | test("stopped after [0-9]+ attempts"))"')"
    check "... listed first" "$long_replay stopped" \
        "$(req GET /v1/replays "$analyst_token" >/dev/null; field '.replays[0] | "\(.id) \(.state)"')"
    check "... and the next replay may start" 202 "$(req POST /v1/replays "$analyst_token" "@$dir/draft.json")"
    stop

    # ---- TLS (GnuTLS through libmicrohttpd) ------------------------------
    openssl req -x509 -newkey ed25519 -nodes -keyout "$dir/tls.key" \
        -out "$dir/tls.crt" -days 2 -subj "/CN=localhost" 2>/dev/null
    start --tls-cert "$dir/tls.crt" --tls-key "$dir/tls.key"
    check "TLS: the server says https" 1 "$(grep -q 'https://' "$dir/out" && echo 1)"
    check "TLS: health over https" 200 "$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/v1/health")"
    check "TLS: the session cookie is Secure" 1 "$(curl -sk -D - -o /dev/null -X POST "https://127.0.0.1:$port/v1/sessions" -d '{"username":"auditor","password":"pass-auditor-123"}' | grep -qi '^set-cookie:.*secure' && echo 1)"
    check "TLS: plain http is not served" 000 "$(curl -s -m 3 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v1/health")"
    stop
    check "TLS: a missing key file is an error" 1 "$("$SARHAD" serve --db "$dir/post.db" --listen 127.0.0.1:0 --tls-cert "$dir/tls.crt" --tls-key "$dir/none.key" >/dev/null 2>&1; echo $?)"
    start --address-failures 2
    req POST /v1/sessions "" '{"username":"nosuch1","password":"wrong-password"}' >/dev/null
    req POST /v1/sessions "" '{"username":"nosuch2","password":"wrong-password"}' >/dev/null
    check "address throttled: 429" 429 "$(req POST /v1/sessions "" '{"username":"admin","password":"pass-admin-123"}')"
    stop

    rm -rf "$dir"
}

e2e_main
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    echo "e2e: $e2e_passed passed, $e2e_failed failed"
    [ "$e2e_failed" -eq 0 ]
fi
