#!/usr/bin/env bash
# bundle_test.sh - the ministry's signed bundles from the command line, as
# docs/BUNDLES.md walks through them: a key pair (the secret half 0600),
# signing only what a post could apply (a policy without lint errors, a list
# that parses), a post that trusts the key taking policies and lists only
# from it, never the same or an older serial again, every tampering caught
# (payload, header, signature, a key that is not the trusted one), the key
# rotated by a bundle signed with the old one, and `sarhad verify` finding an
# applied bundle's record edited around the triggers.  Run by
# tests/run-all.sh; exits 0 when every check passed.
set -u
. "$(dirname "$0")/lib.sh"
S=${SARHAD:-build/sarhad}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failed=0
DB=$T/post.db

# ---- the ministry's side ---------------------------------------------------
"$S" bundle keygen --out "$T/ministry" >"$T/out" 2>&1
expect "keygen makes a key pair" $? 0 "$T/out" "ministry key "
[ "$(stat -c %a "$T/ministry.key")" = 600 ] && ok "... the secret half is 0600" ||
    bad "... the secret half is $(stat -c %a "$T/ministry.key")"
"$S" bundle keygen --out "$T/ministry" >"$T/out" 2>&1
expect "keygen never overwrites a key" $? 1 "$T/out" "may exist already"
"$S" bundle keygen --out "$T/rogue" >/dev/null 2>&1

sed 's/^policy "pakistan" version 1$/policy "pakistan" version 2/' \
    policies/pakistan.policy >"$T/v2.policy"
sed 's/^policy "pakistan" version 1$/policy "pakistan" version 3/' \
    policies/pakistan.policy >"$T/v3.policy"
"$S" bundle sign --key "$T/ministry.key" --kind policy --serial 1 \
    --out "$T/v2.bundle" "$T/v2.policy" >"$T/out" 2>&1
expect "sign a policy" $? 0 "$T/out" "signed policy bundle 1 (v2.policy"
"$S" bundle sign --key "$T/ministry.key" --kind policy --serial 1 \
    --out "$T/v2.bundle" "$T/v2.policy" >"$T/out" 2>&1
expect "... never over an existing bundle" $? 1 "$T/out" "cannot write the bundle"
printf 'policy "x" version 9\nrule\n' >"$T/broken.policy"
"$S" bundle sign --key "$T/ministry.key" --kind policy --serial 2 \
    --out "$T/broken.bundle" "$T/broken.policy" >"$T/out" 2>&1
expect "a policy that does not compile is not signed" $? 1 "$T/out" "broken.policy:2:"
[ ! -e "$T/broken.bundle" ] && ok "... and nothing is written" || bad "... a bundle was written"
printf 'id,name,aliases,birth_date,nationality,father_name\nB1,Gul Khan,,1990-13-01,AFG,\n' >"$T/bad.csv"
"$S" bundle sign --key "$T/ministry.key" --kind watchlist --serial 1 \
    --out "$T/bad.bundle" "$T/bad.csv" >"$T/out" 2>&1
expect "a list that does not parse is not signed, its fault named" $? 1 "$T/out" "bad.csv:2:"
printf 'id,name,aliases,birth_date,nationality,father_name\nB1,Gul Khan,,1990-01-01,AFG,\n' >"$T/list.csv"
"$S" bundle sign --key "$T/ministry.key" --kind watchlist --serial 1 \
    --out "$T/list.bundle" "$T/list.csv" >/dev/null 2>&1
"$S" bundle sign --key "$T/rogue.key" --kind policy --serial 5 \
    --out "$T/rogue.bundle" "$T/v3.policy" >/dev/null 2>&1
"$S" bundle show --key "$T/ministry.pub" "$T/v2.bundle" >"$T/out" 2>&1
expect "show checks the signature" $? 0 "$T/out" "holds under the given key"
"$S" bundle show --key "$T/ministry.pub" "$T/rogue.bundle" >"$T/out" 2>&1
expect "... and names another issuer" $? 1 "$T/out" "issuer: the bundle was issued by key"

# ---- the post's side -------------------------------------------------------
"$S" init --db "$DB" --post TORKHAM --policy policies/pakistan.policy >/dev/null
"$S" bundle apply --db "$DB" "$T/v2.bundle" >"$T/out" 2>&1
expect "a post that trusts no key applies no bundle" $? 1 "$T/out" "trusts no ministry key"
"$S" bundle trust --db "$DB" --as amina "$T/ministry.pub" >"$T/out" 2>&1
expect "trust the ministry key" $? 0 "$T/out" "trusted ministry key"
"$S" bundle trust --db "$DB" "$T/rogue.pub" >"$T/out" 2>&1
expect "... once: another key is refused" $? 1 "$T/out" "already trusts a ministry key"
"$S" policy publish --db "$DB" "$T/v2.policy" >"$T/out" 2>&1
expect "a local publication is refused" $? 1 "$T/out" "only as bundles signed by the ministry"
"$S" watchlist import --db "$DB" "$T/list.csv" >"$T/out" 2>&1
expect "a local import is refused" $? 1 "$T/out" "only as bundles signed by the ministry"
"$S" bundle apply --db "$DB" "$T/rogue.bundle" >"$T/out" 2>&1
expect "a bundle signed by another key is refused" $? 1 "$T/out" "not by the trusted key"
sed 's/Torkham/Torkhum/' "$T/v2.bundle" >"$T/edited.bundle"
"$S" bundle apply --db "$DB" "$T/edited.bundle" >"$T/out" 2>&1
expect "an edited payload is refused" $? 1 "$T/out" "the payload was altered"
sed 's/^serial: 1$/serial: 4/' "$T/v2.bundle" >"$T/renumbered.bundle"
"$S" bundle apply --db "$DB" "$T/renumbered.bundle" >"$T/out" 2>&1
expect "a renumbered header is refused" $? 1 "$T/out" "the signature does not hold"
head -c -10 "$T/v2.bundle" >"$T/cut.bundle"
"$S" bundle apply --db "$DB" "$T/cut.bundle" >"$T/out" 2>&1
expect "a bundle cut short is refused" $? 1 "$T/out" "the bundle was cut or added to"
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM policy_version')" = 1 ] &&
    ok "... and nothing was published" || bad "a refused bundle published something"
"$S" bundle apply --db "$DB" --as amina "$T/v2.bundle" >"$T/out" 2>&1
expect "the ministry's policy is applied" $? 0 "$T/out" "applied policy bundle 1 (v2.policy) from key"
"$S" bundle apply --db "$DB" "$T/v2.bundle" >"$T/out" 2>&1
expect "... once: the same serial again is refused" $? 1 "$T/out" "is not newer than the last one applied (1)"
"$S" bundle apply --db "$DB" "$T/list.bundle" >"$T/out" 2>&1
expect "the ministry's list is imported" $? 0 "$T/out" "watchlist:v1"
[ "$(sqlite3 "$DB" "SELECT actor_user FROM audit_log WHERE kind = 'bundle_applied' ORDER BY seq LIMIT 1")" = amina ] &&
    ok "each application is audited, with who applied it" || bad "the application is not audited as amina"

# The key rotates by a bundle the key in force signed; then only the new key's.
"$S" bundle keygen --out "$T/next" >/dev/null 2>&1
"$S" bundle sign --key "$T/ministry.key" --kind key --serial 1 \
    --out "$T/next.bundle" "$T/next.pub" >/dev/null 2>&1
"$S" bundle apply --db "$DB" "$T/next.bundle" >"$T/out" 2>&1
expect "the next key is trusted by a key bundle" $? 0 "$T/out" "applied key bundle 1"
"$S" bundle sign --key "$T/ministry.key" --kind policy --serial 2 \
    --out "$T/old-key.bundle" "$T/v3.policy" >/dev/null 2>&1
"$S" bundle apply --db "$DB" "$T/old-key.bundle" >"$T/out" 2>&1
expect "... then the old key's bundles are refused" $? 1 "$T/out" "not by the trusted key"
"$S" bundle sign --key "$T/next.key" --kind policy --serial 2 \
    --out "$T/v3.bundle" "$T/v3.policy" >/dev/null 2>&1
"$S" bundle apply --db "$DB" "$T/v3.bundle" >"$T/out" 2>&1
expect "... and the new key's applied" $? 0 "$T/out" "policy:3"
"$S" bundle list --db "$DB" --verify >"$T/out" 2>&1
expect "list --verify: every signature holds" $? 0 "$T/out" "every applied bundle's signature holds"
[ "$(grep -c '^\(policy\|watchlist\|key\) ' "$T/out")" = 4 ] && ok "... four bundles listed" ||
    bad "... listed $(grep -c '^\(policy\|watchlist\|key\) ' "$T/out") bundles"
"$S" verify --db "$DB" >"$T/out" 2>&1
expect "the store is sound" $? 0 "$T/out" "sound"

# An applied bundle's record edited around the triggers.
cp "$DB" "$T/edited.db"
sqlite3 "$T/edited.db" "DROP TRIGGER bundle_applied_no_update;
    UPDATE bundle_applied SET serial = 9 WHERE id = 2;"
"$S" verify --db "$T/edited.db" >"$T/out" 2>&1
expect "verify finds an edited bundle record" $? 1 "$T/out" "bundle 2: its signature does not hold"
# A published policy's text changed under its bundle.
cp "$DB" "$T/swapped.db"
sqlite3 "$T/swapped.db" "DROP TRIGGER policy_version_no_update;
    UPDATE policy_version SET text = text || ' ' WHERE number = 2;"
"$S" bundle list --db "$T/swapped.db" --verify >"$T/out" 2>&1
expect "list --verify finds a policy that is not the one signed" $? 1 "$T/out" "not the text that was signed"
# A post made to trust the key from its start.
"$S" init --db "$T/chaman.db" --post CHAMAN --ministry-key "$T/next.pub" >"$T/out" 2>&1
expect "init --ministry-key trusts the key at once" $? 0 "$T/out" "trusted the ministry key"
"$S" bundle apply --db "$T/chaman.db" "$T/v3.bundle" >"$T/out" 2>&1
expect "... and takes its bundles" $? 0 "$T/out" "policy:2"
"$S" init --db "$T/bad.db" --post CHAMAN --ministry-key "$T/list.csv" >"$T/out" 2>&1
expect "init --ministry-key with no key in the file" $? 1 "$T/out" "a public key is 64 hex digits"
[ ! -e "$T/bad.db" ] && ok "... makes no store" || bad "... made a store"
exit $failed
