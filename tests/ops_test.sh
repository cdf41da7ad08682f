#!/usr/bin/env bash
# ops_test.sh - running a post as docs/OPERATIONS.md says: `make install`
# into a staging root; the installed command finds the shipped policy
# beside itself; the systemd units pass `systemd-analyze verify` and an
# offline security review with an exposure of at most 2.0 (of 10); and their
# command lines, run as systemd would run them, start the server (health
# answers, SIGTERM ends it cleanly) and take a backup whose printed anchor
# the live store holds; and, where a tmpfs can be mounted, the server on a
# full disk refuses decisions and goes on once there is room.  Run by
# tests/run-all.sh; exits 0 when every check passed.
set -u
S=${SARHAD:-build/sarhad}
BUILD=${BUILD:-build}
T=$(mktemp -d)
PID=""
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
failed=0
. "$(dirname "$0")/lib.sh"
# The command line of a unit's ExecStart, with the staged binary.
exec_start() { sed -n 's/^ExecStart=//p' "$1" | sed "s|/opt/sarhad/bin/sarhad|$R/bin/sarhad|g"; }

make -s --no-print-directory install BUILD="$BUILD" DESTDIR="$T/root" \
    PREFIX=/opt/sarhad >"$T/out" 2>&1
expect "make install" $? 0 "$T/out"
R=$T/root/opt/sarhad
U=$R/lib/systemd/system
for f in bin/sarhad share/sarhad/pakistan.policy share/doc/sarhad/OPERATIONS.md \
    lib/systemd/system/sarhad.service \
    lib/systemd/system/sarhad-backup.service lib/systemd/system/sarhad-backup.timer; do
    [ -e "$R/$f" ] && ok "installed $f" || bad "installed $f"
done
grep -q '^ExecStart=/opt/sarhad/bin/sarhad serve' "$U/sarhad.service" &&
    ok "the unit runs the installed command" || bad "the unit runs the installed command"
grep -q '^Documentation=file:/opt/sarhad/share/doc/sarhad/OPERATIONS.md$' "$U/sarhad.service" &&
    ok "... and names the installed guide" || bad "... and names the installed guide"

# The installed command, run away from the source tree, finds its policy.
mkdir -p "$T/var" "$T/backups"
(cd "$T" && "$R/bin/sarhad" init --db "$T/var/post.db" --post TORKHAM) >"$T/out" 2>&1
expect "installed sarhad init finds the shipped policy" $? 0 "$T/out" "initialised post TORKHAM"
"$R/bin/sarhad" policy list --db "$T/var/post.db" >"$T/out" 2>&1
expect "... the one from PREFIX/share/sarhad" $? 0 "$T/out" "share/sarhad/pakistan.policy"

# The units, as systemd reads them (pointing at the staged command).
mkdir -p "$T/units"
for u in sarhad.service sarhad-backup.service sarhad-backup.timer; do
    sed "s|/opt/sarhad/bin/sarhad|$R/bin/sarhad|g" "$U/$u" >"$T/units/$u"
done
systemd-analyze verify "$T/units/sarhad.service" "$T/units/sarhad-backup.service" \
    "$T/units/sarhad-backup.timer" >"$T/out" 2>&1
status=$?
[ -s "$T/out" ] && status=1 # warnings (an unknown key) count too
expect "systemd-analyze verify: the units are sound" $status 0 "$T/out"
for u in sarhad.service sarhad-backup.service; do
    systemd-analyze security --offline=yes --threshold=20 "$T/units/$u" >"$T/out" 2>&1
    expect "systemd-analyze security: $u exposure at most 2.0" $? 0 "$T/out"
done

# The server's command line, with the unit's variables.
(
    export SARHAD_DB=$T/var/post.db SARHAD_LISTEN=127.0.0.1:0 SARHAD_SERVE_ARGS=--quiet
    eval "exec $(exec_start "$U/sarhad.service")"
) >"$T/serve.out" 2>&1 &
PID=$!
port=$(served_port "$T/serve.out")
curl -s -o "$T/out" -w '%{http_code}' "http://127.0.0.1:$port/v1/health" >"$T/code"
expect "the service's command line serves" 0 0 "$T/code" "200"

# The backup's command line (systemd's %% is a %), beside the running server.
line=$(exec_start "$U/sarhad-backup.service" | sed 's/%%/%/g')
(export SARHAD_DB=$T/var/post.db SARHAD_BACKUP_DIR=$T/backups; eval "$line") >"$T/out" 2>&1
expect "the backup's command line copies the store beside the server" $? 0 "$T/out" "head: "
n=$(ls "$T/backups"/post-*Z.db 2>/dev/null | wc -l)
[ "$n" -eq 1 ] && ok "... one copy, named by the time" || bad "... one copy, named by the time ($n)"
[ -e "$(ls "$T/backups"/post-*Z.db).key" ] && ok "... with its key" || bad "... with its key"
anchor=$(sed -n 's/^head: //p' "$T/out")
"$R/bin/sarhad" audit verify --db "$T/var/post.db" --anchor "$anchor" >"$T/out" 2>&1
expect "... whose anchor the live store holds" $? 0 "$T/out" "sound"

kill -TERM "$PID"
wait "$PID"
expect "SIGTERM stops the service cleanly" $? 0
PID=""

# A full disk under the running server: decisions are refused (503) and
# nothing is half-written; once there is room again it goes on, unrestarted.
# Only where this machine lets us mount a small tmpfs (as root).
MNT=$T/mnt
mkdir -p "$MNT"
if mount -t tmpfs -o size=6m tmpfs "$MNT" 2>/dev/null; then
    cleanup_mount() { umount "$MNT" 2>/dev/null; }
    trap 'cleanup_mount; cleanup' EXIT
    "$S" init --db "$MNT/post.db" --post TORKHAM >/dev/null 2>&1
    echo "pass-officer-123" | "$S" user add --db "$MNT/post.db" off --role officer \
        --post TORKHAM --password-stdin >/dev/null 2>&1
    "$S" serve --db "$MNT/post.db" --listen 127.0.0.1:0 --quiet >"$T/serve2.out" 2>&1 &
    PID=$!
    port=$(served_port "$T/serve2.out")
    B=http://127.0.0.1:$port
    tok=$(curl -s -X POST "$B/v1/sessions" -d '{"username":"off","password":"pass-officer-123"}' | jq -r .token)
    decide() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" \
        -X POST --data-binary @tests/e2e/presentation.json "$B/v1/decisions"; }
    [ "$(decide)" = 201 ] && ok "full disk: a decision before" || bad "full disk: a decision before"
    dd if=/dev/zero of="$MNT/fill" bs=64k 2>/dev/null
    [ "$(decide)$(decide)" = 503503 ] && ok "full disk: decisions refused with 503" ||
        bad "full disk: decisions refused with 503"
    rm -f "$MNT/fill"
    [ "$(decide)$(decide)" = 201201 ] && ok "full disk: room again, the server goes on" ||
        bad "full disk: room again, the server goes on"
    kill -TERM "$PID"
    wait "$PID"
    PID=""
    "$S" verify --db "$MNT/post.db" >"$T/out" 2>&1
    expect "full disk: the store is sound, three decisions in it" $? 0 "$T/out" "sound"
    [ "$(sqlite3 "$MNT/post.db" 'SELECT count(*) FROM attempt')" = 3 ] &&
        ok "... exactly the three answered" || bad "... exactly the three answered"
    umount "$MNT"
else
    echo "skip full disk (cannot mount tmpfs here)"
fi
exit $failed
