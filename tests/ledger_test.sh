#!/usr/bin/env bash
# ledger_test.sh - the ledger's verbs end to end: init, cross (a file and a
# stream with a bad line), the single-entry visa used twice, referrals and
# their resolution, reports in three formats, verify; and the bad inputs a
# post meets: a corrupt file, a damaged store, a second writer, a read-only
# file and a full disk (the last two only where this machine lets us mount).
# Run by tests/run-all.sh; exits 0 when every check passed.
set -u
S=${SARHAD:-build/sarhad}
case $S in /*) ;; *) S=$PWD/$S ;; esac
T=$(mktemp -d)
MNT=""
cleanup() {
    [ -n "$MNT" ] && umount "$MNT" 2>/dev/null
    [ -n "${HOLD:-}" ] && kill "$HOLD" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
failed=0
. "$(dirname "$0")/lib.sh"

PASSPORT='P<AFGNOORI<<AHMAD<<<<<<<<<<<<<<<<<<<<<<<<<<<\nP012345673AFG9001011M3001019<<<<<<<<<<<<<<<0'
VISA='V<PAKNOORI<<AHMAD<<<<<<<<<<<<<<<<<<<<<<<<<<<\nV1234567<3AFG9001011M2406019<<<<<<<<<<<<<<<<'
entry() { # entry DATE
    printf '{"crossing":"TORKHAM","direction":"entry","time":"%sT09:30:00+05:00","traveller":{"nationality":"AFG","sex":"M","birth_date":"1990-01-01","purpose":"visit"},"documents":[{"kind":"passport","mrz":"%s"},{"kind":"visa","mrz":"%s","category":"visit","entries":"single","stay_days":30}]}\n' "$1" "$PASSPORT" "$VISA"
}
ret() { # ret DATE CATEGORY
    printf '{"crossing":"CHAMAN","direction":"exit","time":"%sT10:00:00+05:00","traveller":{"nationality":"AFG","sex":"F","birth_date":"1985-05-05"},"movement":{"category":"%s","household":"H7","household_size":2,"vehicles":1,"vulnerabilities":["single_woman"]},"documents":[]}\n' "$1" "$2"
}
cnic_entry() {
    printf '{"crossing":"TORKHAM","direction":"entry","time":"2023-11-06T08:00:00+05:00","traveller":{"nationality":"PAK","sex":"M","birth_date":"1980-02-02"},"documents":[{"kind":"cnic","number":"17301-1234567-1"}]}\n'
}

DB=$T/post.db
"$S" init --db "$DB" --post TORKHAM >"$T/out" 2>&1
expect "init creates the store" $? 0 "$T/out" "initialised post TORKHAM"
"$S" init --db "$DB" --post TORKHAM >"$T/out" 2>&1
expect "init refuses a store that has a post" $? 1 "$T/out" "already belongs to a post"

entry 2023-11-05 >"$T/p1.json"
"$S" cross --db "$DB" "$T/p1.json" >"$T/out" 2>&1
expect "cross a file: admitted on passport and visa" $? 0 "$T/out" '{"attempt":1,"decision":"admit"'
{ entry 2023-12-20; echo '{"crossing":"NOWHERE"}'; ret 2023-11-07 spontaneous_return; cnic_entry; } |
    "$S" cross --db "$DB" >"$T/out" 2>"$T/err"
expect "a stream with a bad line exits 1" $? 1 "$T/err" "<stdin> line 2"
expect "the single-entry visa used is refused" 0 0 "$T/out" '{"attempt":2,"decision":"refuse"'
grep -q '"code":"visa_entries_used"' "$T/out" && ok "the refusal says why" || bad "the refusal says why"
expect "the lines after the bad one are recorded" 0 0 "$T/out" '{"attempt":4,"decision":"refer"'
[ "$(wc -l <"$T/out")" -eq 3 ] && ok "three decisions printed" || bad "three decisions printed"

"$S" referrals --db "$DB" >"$T/out" 2>&1
expect "the referral is queued" $? 0 "$T/out" "pak-entry-refer"
"$S" resolve --db "$DB" 4 --admit >"$T/out" 2>&1
expect "resolve needs a reason" $? 2 "$T/out" "--reason is required"
"$S" resolve --db "$DB" 4 --admit --reason "Identity confirmed with NADRA" --as sup1 >"$T/out" 2>&1
expect "resolve admits with a reason" $? 0 "$T/out" "attempt 4 resolved: admit"
"$S" resolve --db "$DB" 4 --refuse --reason "again" >"$T/out" 2>&1
expect "a referral is resolved once" $? 1 "$T/out" "already resolved"
"$S" referrals --db "$DB" --json >"$T/out" 2>&1
[ ! -s "$T/out" ] && ok "the queue is empty" || bad "the queue is empty"

"$S" attempts --db "$DB" --json >"$T/out" 2>&1
expect "attempts: newest first" $? 0 "$T/out" '{"id":4,"time":"2023-11-06T08:00:00+05:00","crossing":"TORKHAM"'
[ "$(jq -r .id "$T/out" | tr '\n' ' ')" = "4 3 2 1 " ] && ok "... all four" || bad "... all four: $(jq -r .id "$T/out" | tr '\n' ' ')"
expect "... the referral: decided refer, admitted on review" 0 0 "$T/out" '"decided":"refer","outcome":"admit","reviewed":true,"rule":"pak-entry-refer"'
"$S" attempts --db "$DB" --outcome refuse --json >"$T/out" 2>&1
[ "$(jq -r '"\(.id) \(.reasons)"' "$T/out")" = "2 one_document,visa_entries_used" ] && ok "attempts --outcome refuse: the used visa, with its reason" ||
    bad "attempts --outcome refuse: the used visa, with its reason ($(cat "$T/out"))"
"$S" attempts --db "$DB" --direction exit --limit 1 >"$T/out" 2>&1
expect "attempts as a table, narrowed" $? 0 "$T/out" "CHAMAN"
"$S" attempts --db "$DB" --outcome deported >"$T/out" 2>&1
expect "attempts: a filter that is not one is named" $? 2 "$T/out" "outcome: expected admit, refuse or refer"
"$S" traveller --db "$DB" --document 'p-0123 4567' >"$T/out" 2>&1
expect "traveller: found by passport number" $? 0 "$T/out" "AFG:P01234567"
expect "... with the last attempt's final outcome" 0 0 "$T/out" "refuse"
"$S" traveller --db "$DB" --surname noori --birth-date 1990-01-01 --json >"$T/out" 2>&1
expect "traveller: found by name" $? 0 "$T/out" '"matched":{"kind":"name","value":"AFG:NOORIAHMAD19900101"}'
"$S" traveller --db "$DB" "$(jq -r .id "$T/out")" >"$T/out" 2>&1
expect "traveller: the history by id" $? 0 "$T/out" '{"kind":"passport","value":"AFG:P01234567","first_attempt":1}'
"$S" audit log --db "$DB" --traveller 1 >"$T/out" 2>&1
expect "audit log --traveller: their decisions" $? 0 "$T/out" '"kind":"decision","subject":"attempt:2"'
[ "$(grep -c '"kind":"decision"' "$T/out")" -eq 2 ] && ok "... both, and no one else's" ||
    bad "... both, and no one else's"
"$S" audit log --db "$DB" --kind policy_published --limit 1 >"$T/out" 2>&1
expect "audit log --kind" $? 0 "$T/out" '"kind":"policy_published"'
"$S" traveller --db "$DB" --document 17301-1234567-1 --kind cnic >"$T/out" 2>&1
expect "traveller: a CNIC finds the resolved referral" $? 0 "$T/out" "admit"
"$S" traveller --db "$DB" --surname NOBODY >"$T/out" 2>&1
expect "traveller: none found is said" $? 0 "$T/out" "no traveller matches"
"$S" traveller --db "$DB" --document P1 --kind licence >"$T/out" 2>&1
expect "traveller: an unknown kind is a usage error" $? 2 "$T/out" "kind is passport, visa"

"$S" report --db "$DB" daily --format json >"$T/out" 2>&1
expect "daily report as JSON lines" $? 0 "$T/out" '{"day":"2023-11-06","post":"TORKHAM","crossing":"TORKHAM","direction":"entry","nationality":"PAK","decision":"admit","count":1}'
"$S" report --db "$DB" returns --format csv >"$T/out" 2>&1
expect "returns report as CSV" $? 0 "$T/out" "2023-11-06,TORKHAM,CHAMAN,undocumented,spontaneous_return,0,1,1,1,1,1"
# Week by week, and cumulative from the report's first day.
"$S" init --db "$T/weeks.db" --post TORKHAM >/dev/null
{ ret 2023-11-07 spontaneous_return; ret 2023-11-14 spontaneous_return; ret 2023-11-15 spontaneous_return; } |
    "$S" cross --db "$T/weeks.db" >/dev/null
"$S" report --db "$T/weeks.db" returns --format csv | cut -d, -f1,10,11 | tr '\n' ' ' >"$T/out"
expect "returns report: each week's and the cumulative count" 0 0 "$T/out" "week,cumulative,count 2023-11-06,1,1 2023-11-13,3,2 "
"$S" report --db "$T/weeks.db" returns --from 2023-11-13 --format csv | cut -d, -f1,10,11 | tr '\n' ' ' >"$T/out"
expect "... cumulative from the first day asked for" 0 0 "$T/out" "week,cumulative,count 2023-11-13,2,2 "
"$S" report --db "$DB" flows --format json >"$T/out" 2>&1
expect "flows report: each day's returns by sex and age band" $? 0 "$T/out" '{"day":"2023-11-07","post":"TORKHAM","crossing":"CHAMAN","movement":"spontaneous_return","sex":"F","age_band":"18-59","vehicles":1,"vulnerable":1,"count":1}'
flows=$(jq -s 'map(.count) | add' "$T/out")
returns=$("$S" report --db "$DB" returns --format json | jq -s 'map(.count) | add')
[ "$flows" = "$returns" ] && ok "... the same returns as the weekly report ($flows)" ||
    bad "... the same returns as the weekly report ($flows against $returns)"
"$S" report --db "$DB" tallies --format json >"$T/out" 2>&1
expect "tallies report: families, men, women, children, vehicles a day" $? 0 "$T/out" '{"day":"2023-11-07","post":"TORKHAM","crossing":"CHAMAN","families":1,"men":0,"women":1,"children":0,"vehicles":1,"count":1}'
tallies=$(jq -s 'map(.count) | add' "$T/out")
"$S" report --db "$DB" vulnerabilities --format json >"$T/out" 2>&1
expect "vulnerabilities report: returns by each vulnerability flagged" $? 0 "$T/out" '{"day":"2023-11-07","post":"TORKHAM","crossing":"CHAMAN","movement":"spontaneous_return","vulnerability":"single_woman","count":1}'
"$S" report --db "$DB" purposes --format csv >"$T/out" 2>&1
expect "purposes report: admitted crossings by purpose and intended stay" $? 0 "$T/out" "2023-11-05,TORKHAM,TORKHAM,entry,visit,not stated,1"
[ "$tallies" = "$returns" ] && ok "... the same returns as the weekly report ($tallies)" ||
    bad "... the same returns as the weekly report ($tallies against $returns)"
# Arrests and detentions: deportees handed over with where and when they
# were arrested, by week, province and documentation status.
deport() { # deport DATE PROVINCE ARRESTED
    printf '{"crossing":"TORKHAM","direction":"exit","time":"%sT11:00:00+05:00","traveller":{"nationality":"AFG","sex":"M","birth_date":"1990-03-03"},"movement":{"category":"deportation","arrest_province":"%s","arrested_on":"%s"},"documents":[]}\n' "$1" "$2" "$3"
}
"$S" init --db "$T/held.db" --post TORKHAM >/dev/null
{ deport 2023-11-07 sindh 2023-11-01; deport 2023-11-08 sindh 2023-10-30; deport 2023-11-14 punjab 2023-11-13; } |
    "$S" cross --db "$T/held.db" >/dev/null
"$S" report --db "$T/held.db" detentions --format csv >"$T/out" 2>&1
expect "detentions report: arrests by week, province and status, mean days held" $? 0 "$T/out" "2023-11-06,TORKHAM,TORKHAM,sindh,undocumented,deportation,8,2,2"
expect "... a week later, cumulative per province" 0 0 "$T/out" "2023-11-13,TORKHAM,TORKHAM,punjab,undocumented,deportation,1,1,1"
deport 2023-11-14 sindh 2023-11-15 | "$S" cross --db "$T/held.db" >"$T/out" 2>&1
expect "an arrest after the crossing is refused as input" $? 1 "$T/out" "movement.arrested_on: after the day of the crossing"
deport 2023-11-14 karachi 2023-11-10 | "$S" cross --db "$T/held.db" >"$T/out" 2>&1
expect "... and a province that is not one" $? 1 "$T/out" "movement.arrest_province: expected khyber_pakhtunkhwa"
"$S" verify --db "$T/held.db" >"$T/out" 2>&1
expect "... and nothing of them recorded" $? 0 "$T/out" "sound"
[ "$(sqlite3 "$T/held.db" "SELECT count(*) FROM attempt")" = 3 ] && ok "... three attempts, as before" ||
    bad "... three attempts, as before"
"$S" report --db "$DB" refusals --from 2023-12-01 --to 2023-12-31 >"$T/out" 2>&1
expect "refusals report as a table" $? 0 "$T/out" "visa_entries_used"
"$S" report --db "$DB" overstays --to 2024-01-20 --format json >"$T/out" 2>&1
expect "overstays report" $? 0 "$T/out" '"overstay":"4 weeks-3 months","count":1}'
# Without --to, the stays still open on the last day the ledger recorded.
last=$(sqlite3 "$DB" "SELECT max(day) FROM daily_summary")
"$S" report --db "$DB" overstays --to "$last" --format json >"$T/want" 2>&1
"$S" report --db "$DB" overstays --format json >"$T/out" 2>&1
expect "... without --to: on the last day recorded ($last)" $? 0 "$T/out" '"overstay":"2-4 weeks","count":1}'
cmp -s "$T/want" "$T/out" && ok "... the same rows as --to $last" ||
    bad "... the same rows as --to $last"
"$S" init --db "$T/empty.db" --post TORKHAM >/dev/null
"$S" report --db "$T/empty.db" overstays --format csv >"$T/out" 2>&1
expect "... and on an empty ledger only the header" $? 0 "$T/out" "post,crossing,nationality,overstay,count"
[ "$(wc -l <"$T/out")" = 1 ] && ok "... no rows" || bad "... no rows ($(wc -l <"$T/out") lines)"
"$S" report --db "$DB" weekly >"$T/out" 2>&1
expect "an unknown report is a usage error" $? 2 "$T/out" "unknown report"
"$S" report --db "$DB" daily --from 2023-13-01 >"$T/out" 2>&1
expect "a bad date is a usage error" $? 2 "$T/out" "expected a date"
"$S" verify --db "$DB" >"$T/out" 2>&1
expect "verify: sound" $? 0 "$T/out" "sound"

# Replays: the policy in force decides every attempt as it was decided; a
# draft that refers everyone moves every other decision; the store is only
# read and the scratch ledger is gone afterwards.
mkdir -p "$T/tmp"
n_before=$(sqlite3 "$DB" 'SELECT count(*) FROM attempt')
TMPDIR=$T/tmp "$S" replay --db "$DB" --policy policies/pakistan.policy >"$T/out" 2>&1
expect "replay under the policy in force: nothing decided otherwise" $? 0 "$T/out" "decided otherwise: 0 of $n_before attempts"
printf 'policy "draft" version 1\nrule everyone "Everyone to secondary inspection"\n  refer\n  reason draft_refer "Referred under the draft."\nend\n' >"$T/draft.policy"
TMPDIR=$T/tmp "$S" replay --db "$DB" --policy "$T/draft.policy" --changes >"$T/out" 2>&1
expect "replay under a draft: every decision moves (or its rule)" $? 0 "$T/out" "decided otherwise: $n_before of $n_before attempts"
expect "... a refer stays a refer, under another rule" 0 0 "$T/out" "refer     refer     1"
expect "... each change shown with both rules" 0 0 "$T/out" '"recorded":{"decision":"admit","rule":"passport-visa-form-c"},"replayed":{"decision":"refer","rule":"everyone"}'
TMPDIR=$T/tmp "$S" replay --db "$DB" --policy "$T/draft.policy" --from 2023-12-01 --to 2023-12-31 >"$T/out" 2>&1
expect "replay --from/--to counts only those days" $? 0 "$T/out" "decided otherwise: 1 of 1 attempts"
printf 'policy "draft" version 1\nrule ??\n' >"$T/bad.policy"
TMPDIR=$T/tmp "$S" replay --db "$DB" --policy "$T/bad.policy" >"$T/out" 2>&1
expect "replay of a draft that does not compile: FILE:LINE:COL" $? 1 "$T/out" "bad.policy:2:6:"
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM attempt')" = "$n_before" ] && [ -z "$(ls "$T/tmp")" ] &&
    ok "replay: the store only read, no scratch left" || bad "replay: the store only read, no scratch left"

# Policies published from the command line: checked, numbered, audited.
"$S" policy publish --db "$DB" policies/pakistan.policy >"$T/out" 2>&1
expect "policy publish: the same version again is refused" $? 1 "$T/out" "is not newer than the published version"
sed 's/^policy "pakistan" version 1$/policy "pakistan" version 2/' policies/pakistan.policy >"$T/v2.policy"
"$S" policy publish --db "$DB" --as zarghuna "$T/v2.policy" >"$T/out" 2>&1
expect "policy publish: a newer version" $? 0 "$T/out" "published pakistan version 2 as publication 2"
"$S" policy list --db "$DB" >"$T/out" 2>&1
expect "policy list: the new version is current" $? 0 "$T/out" "zarghuna         current"
printf 'policy "pakistan" version 3\nrule a "A"\n  refuse\n  reason r "R."\nend\nrule b "B"\n  admit\n  reason x "X."\nend\n' >"$T/v3.policy"
"$S" policy publish --db "$DB" "$T/v3.policy" >"$T/out" 2>&1
expect "policy publish: a lint error refuses it, at FILE:LINE:COL" $? 1 "$T/out" "v3.policy:6:1: error: unreachable"
"$S" audit log --db "$DB" | grep -c '"kind":"policy_published"' >"$T/out"
expect "policy publish: audited once" 0 0 "$T/out" "2"

# Screening: a watchlisted name is referred, with the hit explained.
printf 'id,name,aliases,birth_date,nationality,father_name,sex\nW1,Ahmad Noori,,1990-01-01,AFG,,M\n' >"$T/wl.csv"
"$S" init --db "$T/screen.db" --post TK >/dev/null 2>&1
"$S" watchlist import --db "$T/screen.db" "$T/wl.csv" >/dev/null 2>&1
"$S" cross --db "$T/screen.db" "$T/p1.json" >"$T/out" 2>&1
expect "a watchlist hit is referred" $? 0 "$T/out" '"rule":"watchlist"'
expect "the hit says why" 0 0 "$T/out" '"entry_id":"W1"'
"$S" cross --db "$T/screen.db" --no-screen "$T/p1.json" >"$T/out" 2>&1
expect "--no-screen decides without the list" $? 0 "$T/out" '"decision":"admit"'

# A second writer is refused while the first holds the store.
mkfifo "$T/fifo"
"$S" cross --db "$DB" <"$T/fifo" >/dev/null 2>&1 &
HOLD_CROSS=$!
exec 7>"$T/fifo"
sleep 0.3
"$S" cross --db "$DB" "$T/p1.json" >"$T/out" 2>&1
expect "a second writer is refused" $? 1 "$T/out" "another sarhad process is writing this store"
"$S" verify --db "$DB" >"$T/out" 2>&1
expect "verify runs beside a writer" $? 0 "$T/out" "sound"
"$S" policy publish --db "$DB" "$T/v2.policy" >"$T/out" 2>&1
expect "policy publish beside a writer is refused" $? 1 "$T/out" "another sarhad process is writing this store"

# A backup beside the writer: the copy holds what was committed when it was
# taken, is sound and a single file; the writer goes on; a second backup to
# the same name is refused.
for i in $(seq 1 40); do ret 2023-11-09 spontaneous_return; done >&7
for i in $(seq 1 50); do
    [ "$(sqlite3 "$DB" "SELECT count(*) FROM attempt WHERE day = '2023-11-09'")" = 40 ] && break
    sleep 0.1
done
"$S" backup --db "$DB" --to "$T/backup.db" >"$T/out" 2>&1
expect "a backup beside a writer" $? 0 "$T/out" "the copy is sound"
[ -e "$T/backup.db-wal" ] && bad "the backup is one file" || ok "the backup is one file"
anchor=$(sed -n 's/^head: //p' "$T/out")
for i in $(seq 1 10); do ret 2023-11-10 spontaneous_return; done >&7
exec 7>&-
wait "$HOLD_CROSS"
expect "the writer went on" $? 0
copied=$(sqlite3 "$T/backup.db" "SELECT count(*) FROM attempt")
stored=$(sqlite3 "$DB" "SELECT count(*) FROM attempt")
[ "$(sqlite3 "$T/backup.db" "SELECT count(*) FROM attempt WHERE day = '2023-11-09'")" = 40 ] &&
    [ "$stored" -eq $((copied + 10)) ] &&
    ok "the copy holds what was committed before it ($copied of $stored)" ||
    bad "the copy holds what was committed before it ($copied of $stored)"
"$S" verify --db "$T/backup.db" >"$T/out" 2>&1
expect "verify finds the copy sound" $? 0 "$T/out" "sound"
"$S" backup --db "$DB" --to "$T/backup.db" >"$T/out" 2>&1
expect "a backup never replaces a file" $? 1 "$T/out" "already exists"
"$S" audit verify --db "$DB" --anchor "$anchor" >"$T/out" 2>&1
expect "the store still holds the copy's head ($anchor)" $? 0 "$T/out" "1 anchor held"
# A store an older sarhad wrote is backed up before the upgrade, as it is.
cp "$T/backup.db" "$T/older.db"
sqlite3 "$T/older.db" "UPDATE schema_version SET version = version - 1 WHERE component = 'ledger'"
"$S" backup --db "$T/older.db" --to "$T/older-copy.db" >"$T/out" 2>&1
expect "a store of an older schema is backed up" $? 0 "$T/out" "not checked: its schema is not this sarhad's"
[ "$(sqlite3 "$T/older-copy.db" "SELECT count(*) FROM attempt")" = "$copied" ] &&
    ok "... with every attempt" || bad "... with every attempt"

# A file that is not a store: a clear error and the file untouched.
head -c 8192 /dev/urandom >"$T/junk.db"
sum=$(cksum <"$T/junk.db")
"$S" cross --db "$T/junk.db" "$T/p1.json" >"$T/out" 2>&1
expect "cross refuses a corrupt file" $? 1 "$T/out" "not a sarhad store or is corrupt"
"$S" verify --db "$T/junk.db" >"$T/out" 2>&1
expect "verify refuses a corrupt file" $? 1 "$T/out" "not a sarhad store or is corrupt"
[ "$(cksum <"$T/junk.db")" = "$sum" ] && ok "the corrupt file is unchanged" || bad "the corrupt file is unchanged"

# A store damaged inside: verify says so.
cp "$DB" "$T/damaged.db"
size=$(stat -c %s "$T/damaged.db")
dd if=/dev/urandom of="$T/damaged.db" bs=4096 seek=$((size / 4096 - 2)) count=1 conv=notrunc 2>/dev/null
"$S" verify --db "$T/damaged.db" >"$T/out" 2>&1
expect "verify finds a damaged store" $? 1 "$T/out" "problem"

# Read-only file and full disk, where mounting is allowed (as root).
mkdir -p "$T/mnt"
if mount -t tmpfs -o size=640k tmpfs "$T/mnt" 2>/dev/null; then
    MNT=$T/mnt
    "$S" init --db "$MNT/full.db" --post TK >"$T/out" 2>&1
    expect "init on a small disk" $? 0 "$T/out" "initialised"
    for i in $(seq 1 3000); do ret 2023-11-08 deportation; done >"$T/many"
    "$S" cross --db "$MNT/full.db" --group 20 <"$T/many" >"$T/out" 2>"$T/err"
    expect "a full disk is a clear error" $? 1 "$T/err" "disk is full"
    mkdir -p "$T/copy" && cp "$MNT"/full.db* "$T/copy/"
    "$S" backup --db "$DB" --to "$MNT/backup.db" >"$T/bout" 2>&1
    expect "a backup onto a full disk is a clear error" $? 1 "$T/bout" "$MNT/backup.db: target: copy the store: the disk is full"
    ls "$MNT" | grep -q '^backup' && bad "... and leaves nothing behind" || ok "... and leaves nothing behind"
    umount "$MNT"; MNT=""
    "$S" verify --db "$T/copy/full.db" >"$T/vout" 2>&1
    expect "the full store is sound" $? 0 "$T/vout" "sound"
    printed=$(wc -l <"$T/out")
    missing=0
    for id in $(sed 's/^{"attempt":\([0-9]*\),.*/\1/' "$T/out"); do
        [ "$(sqlite3 "$T/copy/full.db" "SELECT count(*) FROM attempt WHERE id = $id")" = 1 ] || missing=$((missing + 1))
    done
    [ "$printed" -gt 0 ] && [ "$missing" -eq 0 ] &&
        ok "all $printed decisions printed before the disk filled are recorded" ||
        bad "printed $printed decisions, $missing not recorded"
else
    echo "skip full disk (cannot mount tmpfs here)"
fi
if mount --bind "$T" "$T/mnt" 2>/dev/null && mount -o remount,bind,ro "$T/mnt" 2>/dev/null; then
    MNT=$T/mnt
    "$S" cross --db "$MNT/post.db" "$T/p1.json" >"$T/out" 2>&1
    expect "a read-only file is a clear error" $? 1 "$T/out" "Read-only file system"
    umount "$MNT"; MNT=""
else
    echo "skip read-only file (cannot bind-mount here)"
fi
"$S" verify --db "$DB" >"$T/out" 2>&1
expect "the store is sound after it all" $? 0 "$T/out" "sound"
exit $failed
