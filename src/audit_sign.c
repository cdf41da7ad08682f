/*
 * audit_sign.c - signed checkpoints of the audit chain.  The hash chain
 * alone catches an edited, inserted or reordered entry, but not the last
 * entries cut off the end, nor a chain recomputed from an edit onwards (its
 * hashes are unkeyed).  So the post signs the chain's head from time to
 * time with an ed25519 key that lives in a file beside the store (0600);
 * the store records the public half at the first checkpoint.  Verify then
 * checks that every checkpoint's signature holds and that the entry it
 * names still exists with the hash that was signed.
 */
#include "auth.h"
#include "internal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define CHECKPOINT_DOMAIN "sarhad-checkpoint-v1"
#define META_PUBLIC_KEY   "audit_public_key"

const char *const sarhad__audit_sign_steps[] = {
    "CREATE TABLE audit_checkpoint ("
    " seq INTEGER PRIMARY KEY,"
    " hash BLOB NOT NULL,"
    " at TEXT NOT NULL,"
    " signature BLOB NOT NULL) STRICT;"
    "CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON"
    " audit_checkpoint BEGIN SELECT RAISE(ABORT, 'checkpoints are"
    " append-only'); END;"
    "CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON"
    " audit_checkpoint BEGIN SELECT RAISE(ABORT, 'checkpoints are"
    " append-only'); END;",
};
const size_t sarhad__audit_sign_step_count =
    SARHAD_COUNT_OF(sarhad__audit_sign_steps);

struct sarhad_audit_key {
    unsigned char secret[crypto_sign_SECRETKEYBYTES];
    unsigned char public[crypto_sign_PUBLICKEYBYTES];
};

static enum sarhad_status
key_path(char out[4096], const char *store_path, struct sarhad_error *err)
{
    if (snprintf(out, 4096, "%s.key", store_path) >= 4096)
        return sarhad__fail(err, SARHAD_EINVAL, "key", SIZE_MAX,
                            "the store's path is too long");
    return SARHAD_OK;
}

enum sarhad_status
sarhad_audit_key_load(struct sarhad_audit_key **out, const char *store_path,
                      bool create, struct sarhad_error *err)
{
    struct sarhad_audit_key *key;
    char path[4096];
    enum sarhad_status s;

    if (sodium_init() < 0)
        return sarhad__fail(err, SARHAD_EINVAL, "key", SIZE_MAX,
                            "libsodium cannot initialise");
    s = key_path(path, store_path, err);
    if (s != SARHAD_OK)
        return s;
    key = sarhad__calloc(1, sizeof(*key));
    if (key == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "key", SIZE_MAX, NULL);
    s = sarhad__keyfile_read(path, key->secret, key->public, "signing key",
                             err);
    if (s == SARHAD_ENOTFOUND && create)
        s = sarhad__keyfile_create(path, key->secret, key->public,
                                   "signing key", err);
    else if (s == SARHAD_ENOTFOUND && err != NULL)
        err->code = SARHAD_EIO; /* no key where one was expected */
    if (s == SARHAD_ENOTFOUND)
        s = SARHAD_EIO;
    if (s != SARHAD_OK) {
        sarhad_audit_key_free(key);
        return s;
    }
    *out = key;
    return SARHAD_OK;
}

void
sarhad_audit_key_free(struct sarhad_audit_key *key)
{
    if (key == NULL)
        return;
    sodium_memzero(key, sizeof(*key));
    sarhad__free(key);
}

/* The signed message: domain, seq, the entry's hash (which commits to the
 * entry's post and everything before it) and the time. */
void
sarhad__audit_checkpoint_digest(unsigned char out[32], int64_t seq,
                                const unsigned char hash[32], const char *at)
{
    crypto_generichash_state h;
    unsigned char seq_le[8];
    uint64_t u = (uint64_t)seq;
    unsigned char len;

    for (int i = 0; i < 8; i++)
        seq_le[i] = (unsigned char)(u >> (8 * i));
    crypto_generichash_init(&h, NULL, 0, 32);
    crypto_generichash_update(&h, (const unsigned char *)CHECKPOINT_DOMAIN,
                              sizeof(CHECKPOINT_DOMAIN) - 1);
    crypto_generichash_update(&h, seq_le, sizeof(seq_le));
    crypto_generichash_update(&h, hash, 32);
    len = (unsigned char)strlen(at);
    crypto_generichash_update(&h, &len, 1);
    crypto_generichash_update(&h, (const unsigned char *)at, len);
    crypto_generichash_final(&h, out, 32);
}

static const char sql_head[] =
    "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
static const char sql_last_checkpoint[] =
    "SELECT coalesce(max(seq), 0) FROM audit_checkpoint";
static const char sql_checkpoint_insert[] =
    "INSERT INTO audit_checkpoint(seq, hash, at, signature)"
    " VALUES (?1, ?2, ?3, ?4)";

static enum sarhad_status
prepared(sqlite3_stmt **st, struct sarhad_store *store, const char *sql,
         struct sarhad_error *err)
{
    *st = sarhad__store_prepare(store, sql, err);
    if (*st == NULL)
        return err != NULL && err->code != SARHAD_OK ? err->code : SARHAD_EDB;
    return SARHAD_OK;
}

/* The log's last seq and hash, and the last checkpointed seq. */
static enum sarhad_status
heads(struct sarhad_store *store, int64_t *seq, unsigned char hash[32],
      int64_t *checkpointed, struct sarhad_error *err)
{
    sqlite3_stmt *st;
    enum sarhad_status s = prepared(&st, store, sql_head, err);
    int rc;

    if (s != SARHAD_OK)
        return s;
    *seq = 0;
    memset(hash, 0, 32);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        if (sqlite3_column_bytes(st, 1) == 32)
            memcpy(hash, sqlite3_column_blob(st, 1), 32);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "read the audit log", err);
    s = prepared(&st, store, sql_last_checkpoint, err);
    if (s != SARHAD_OK)
        return s;
    rc = sqlite3_step(st);
    *checkpointed = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return sarhad__store_fail(store->db, rc, "read the checkpoints", err);
    return SARHAD_OK;
}

/* Record the key's public half at the first checkpoint; refuse another. */
static enum sarhad_status
check_public_key(struct sarhad_store *store, const struct sarhad_audit_key *key,
                 struct sarhad_error *err)
{
    char have[2 * crypto_sign_PUBLICKEYBYTES + 1];
    char want[2 * crypto_sign_PUBLICKEYBYTES + 1];
    enum sarhad_status s;

    sodium_bin2hex(want, sizeof(want), key->public, sizeof(key->public));
    s = sarhad__store_meta_get(store, META_PUBLIC_KEY, have, sizeof(have),
                               NULL);
    if (s == SARHAD_ENOTFOUND)
        return sarhad__store_meta_set(store, META_PUBLIC_KEY, want, err);
    if (s != SARHAD_OK)
        return sarhad__fail(err, s, "key", SIZE_MAX,
                            "cannot read the store's public key");
    if (strcmp(have, want) != 0)
        return sarhad__fail(err, SARHAD_ESIGN, "key", SIZE_MAX,
                            "the signing key is not the one this store's "
                            "checkpoints were signed with");
    return SARHAD_OK;
}

enum sarhad_status
sarhad_audit_checkpoint(struct sarhad_store *store,
                        const struct sarhad_audit_key *key, int64_t now,
                        struct sarhad_error *err)
{
    unsigned char hash[32], digest[32], sig[crypto_sign_BYTES];
    struct sarhad_time t = sarhad_time_from_unix(now, 0);
    int64_t seq, checkpointed;
    char at[26];
    sqlite3_stmt *st;
    enum sarhad_status s = sarhad__store_write_begin(store, err);

    if (s != SARHAD_OK)
        return s;
    s = heads(store, &seq, hash, &checkpointed, err);
    if (s == SARHAD_OK && (seq == 0 || seq == checkpointed))
        return sarhad__store_write_end(store, true, err);
    if (s == SARHAD_OK)
        s = check_public_key(store, key, err);
    if (s == SARHAD_OK)
        s = prepared(&st, store, sql_checkpoint_insert, err);
    if (s == SARHAD_OK) {
        sarhad_time_format(at, &t);
        sarhad__audit_checkpoint_digest(digest, seq, hash, at);
        crypto_sign_detached(sig, NULL, digest, sizeof(digest), key->secret);
        sqlite3_bind_int64(st, 1, seq);
        sqlite3_bind_blob(st, 2, hash, 32, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 4, sig, sizeof(sig), SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            s = sarhad__store_fail(store->db, sqlite3_errcode(store->db),
                                   "sign a checkpoint", err);
        sqlite3_reset(st);
    }
    if (s != SARHAD_OK) {
        sarhad__store_write_end(store, false, NULL);
        return s;
    }
    return sarhad__store_write_end(store, true, err);
}

static const char sql_checkpoints[] =
    "SELECT c.seq, c.hash, c.at, c.signature, a.hash"
    " FROM audit_checkpoint c LEFT JOIN audit_log a ON a.seq = c.seq"
    " ORDER BY c.seq";

/* Keep the earliest finding. */
static void
finding(struct sarhad_audit_report *r, int64_t seq, const char *problem)
{
    if (!r->ok && r->first_bad <= seq)
        return;
    r->ok = false;
    r->first_bad = seq;
    sarhad__strlcpy(r->problem, problem, sizeof(r->problem));
}

/* Check one checkpoint row of sql_checkpoints against the key and log. */
static void
check_checkpoint(struct sarhad_audit_report *r, sqlite3_stmt *st,
                 const unsigned char pk[32], int64_t last_seq, bool *sound)
{
    int64_t seq = sqlite3_column_int64(st, 0);
    const unsigned char *at = sqlite3_column_text(st, 2);
    unsigned char digest[32];
    char problem[160];

    *sound = false;
    if (sqlite3_column_bytes(st, 1) != 32 ||
        sqlite3_column_bytes(st, 3) != crypto_sign_BYTES || at == NULL) {
        finding(r, seq, "checkpoint is malformed");
        return;
    }
    sarhad__audit_checkpoint_digest(digest, seq, sqlite3_column_blob(st, 1),
                                    (const char *)at);
    if (crypto_sign_verify_detached(sqlite3_column_blob(st, 3), digest,
                                    sizeof(digest), pk) != 0) {
        finding(r, seq, "checkpoint signature is not valid: forged or edited");
        return;
    }
    if (seq > last_seq) {
        snprintf(problem, sizeof(problem),
                 "entry is missing: the log ends at %lld but a signed "
                 "checkpoint covers entry %lld (tail deleted)",
                 (long long)last_seq, (long long)seq);
        finding(r, last_seq + 1, problem);
        return;
    }
    if (sqlite3_column_bytes(st, 4) != 32 ||
        sodium_memcmp(sqlite3_column_blob(st, 4), sqlite3_column_blob(st, 1),
                      32) != 0) {
        finding(r, seq,
                "entry differs from the one a signed checkpoint covers "
                "(the chain was rewritten)");
        return;
    }
    *sound = true;
}

enum sarhad_status
sarhad_audit_verify_signed(struct sarhad_store *store,
                           struct sarhad_audit_report *report,
                           int64_t *checkpoints, struct sarhad_error *err)
{
    unsigned char head_hash[32], pk[crypto_sign_PUBLICKEYBYTES];
    char pk_hex[2 * crypto_sign_PUBLICKEYBYTES + 1];
    int64_t last_seq, checkpointed, count = 0;
    bool have_key, sound;
    sqlite3_stmt *st;
    size_t pk_len = 0;
    enum sarhad_status s;
    int rc;

    s = sarhad_audit_verify(store, report, err);
    if (s == SARHAD_OK)
        s = heads(store, &last_seq, head_hash, &checkpointed, err);
    if (s != SARHAD_OK)
        return s;
    s = sarhad__store_meta_get(store, META_PUBLIC_KEY, pk_hex, sizeof(pk_hex),
                               NULL);
    have_key = s == SARHAD_OK &&
               sodium_hex2bin(pk, sizeof(pk), pk_hex, strlen(pk_hex), NULL,
                              &pk_len, NULL) == 0 &&
               pk_len == sizeof(pk);
    if (s != SARHAD_OK && s != SARHAD_ENOTFOUND)
        return sarhad__fail(err, s, "key", SIZE_MAX,
                            "cannot read the store's public key");
    s = prepared(&st, store, sql_checkpoints, err);
    if (s != SARHAD_OK)
        return s;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!have_key) {
            finding(report, sqlite3_column_int64(st, 0),
                    "checkpoint present but the store's public key is "
                    "missing or damaged");
            break;
        }
        check_checkpoint(report, st, pk, last_seq, &sound);
        if (!sound)
            break;
        count++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sarhad__store_fail(store->db, rc, "read the checkpoints", err);
    if (!report->ok && report->checked >= report->first_bad)
        report->checked = report->first_bad - 1;
    if (!report->ok)
        memset(report->head_hash, 0, sizeof(report->head_hash));
    if (checkpoints != NULL)
        *checkpoints = count;
    return SARHAD_OK;
}
