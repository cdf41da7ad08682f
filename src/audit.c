/*
 * audit.c - the store's append-only, hash-chained audit log.  Every state
 * change (a decision, a resolution, a policy publication, a login) appends
 * one entry in the same transaction as the change itself, so an entry
 * exists exactly when its change does.  Each entry's hash commits to its
 * content and to the previous entry's hash (BLAKE2b-256, libsodium), so an
 * edited, deleted, inserted or reordered entry breaks the chain from that
 * point on, and sarhad_audit_verify names the first bad entry.  Triggers
 * refuse UPDATE and DELETE through SQLite; the chain catches changes made
 * around it (by editing the file).
 */
#include "internal.h"

#include <sodium.h>
#include <string.h>

#define AUDIT_DOMAIN "sarhad-audit-v1"

const char *const sarhad__audit_steps[] = {
    "CREATE TABLE audit_log ("
    " seq INTEGER PRIMARY KEY,"
    " post TEXT NOT NULL,"
    " at TEXT NOT NULL,"
    " actor_user TEXT NOT NULL,"
    " actor_role TEXT NOT NULL,"
    " actor_post TEXT NOT NULL,"
    " actor_address TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " subject TEXT NOT NULL,"
    " detail TEXT NOT NULL,"
    " prev_hash BLOB NOT NULL,"
    " hash BLOB NOT NULL) STRICT;"
    "CREATE INDEX audit_log_kind ON audit_log(kind, seq);"
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    /* Version 2: nothing reads the log by kind, and the index cost every
     * decision an extra b-tree insert. */
    "DROP INDEX IF EXISTS audit_log_kind;",
};
const size_t sarhad__audit_step_count = SARHAD_COUNT_OF(sarhad__audit_steps);

static void
hash_field(crypto_generichash_state *h, const char *s)
{
    size_t len = strlen(s);
    unsigned char prefix[4];

    /* Length prefixes keep ("ab","c") and ("a","bc") apart. */
    prefix[0] = (unsigned char)(len & 0xff);
    prefix[1] = (unsigned char)((len >> 8) & 0xff);
    prefix[2] = (unsigned char)((len >> 16) & 0xff);
    prefix[3] = (unsigned char)((len >> 24) & 0xff);
    crypto_generichash_update(h, prefix, sizeof(prefix));
    crypto_generichash_update(h, (const unsigned char *)s, len);
}

/* The hash of an entry: its content and its predecessor's hash. */
void
sarhad__audit_entry_hash(unsigned char out[32], const unsigned char prev[32],
                         int64_t seq, const struct sarhad_audit_entry *e)
{
    crypto_generichash_state h;
    unsigned char seq_le[8];
    uint64_t u = (uint64_t)seq;

    for (int i = 0; i < 8; i++)
        seq_le[i] = (unsigned char)(u >> (8 * i));
    crypto_generichash_init(&h, NULL, 0, 32);
    hash_field(&h, AUDIT_DOMAIN);
    crypto_generichash_update(&h, prev, 32);
    crypto_generichash_update(&h, seq_le, sizeof(seq_le));
    hash_field(&h, e->post);
    hash_field(&h, e->at);
    hash_field(&h, e->actor.user);
    hash_field(&h, e->actor.role);
    hash_field(&h, e->actor.post);
    hash_field(&h, e->actor.address);
    hash_field(&h, e->kind);
    hash_field(&h, e->subject);
    hash_field(&h, e->detail);
    crypto_generichash_final(&h, out, 32);
}

static const char sql_head[] =
    "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
static const char sql_insert[] =
    "INSERT INTO audit_log(seq, post, at, actor_user, actor_role, actor_post,"
    " actor_address, kind, subject, detail, prev_hash, hash)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

/* The last entry's seq and hash (0 and zeros for an empty log). */
static enum sarhad_status
chain_head(struct sarhad_store *store, int64_t *seq, unsigned char hash[32],
           struct sarhad_error *err)
{
    sqlite3_stmt *st;
    int rc;

    if (store->in_batch && store->audit_head_known) {
        *seq = store->audit_head_seq;
        memcpy(hash, store->audit_head_hash, 32);
        return SARHAD_OK;
    }
    st = sarhad__store_prepare(store, sql_head, err);
    if (st == NULL)
        return err != NULL ? err->code : SARHAD_EDB;
    *seq = 0;
    memset(hash, 0, 32);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        if (sqlite3_column_bytes(st, 1) == 32)
            memcpy(hash, sqlite3_column_blob(st, 1), 32);
        rc = sqlite3_step(st);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "read the audit log", err);
    return SARHAD_OK;
}

static enum sarhad_status
check_text(const char *what, const char *s, size_t cap,
           struct sarhad_error *err)
{
    if (s == NULL || strlen(s) >= cap)
        return sarhad__fail(err, SARHAD_EINVAL, what, SIZE_MAX,
                            "%s is missing or longer than %zu bytes", what,
                            cap - 1);
    return SARHAD_OK;
}

enum sarhad_status
sarhad__audit_append(struct sarhad_store *store,
                     const struct sarhad_actor *actor, int64_t at_unix,
                     const char *kind, const char *subject,
                     const char *detail_json, int64_t *seq_out,
                     struct sarhad_error *err)
{
    struct sarhad_audit_entry e;
    struct sarhad_time t = sarhad_time_from_unix(at_unix, 0);
    unsigned char prev[32];
    int64_t seq = 0;
    sqlite3_stmt *st;
    enum sarhad_status s;
    int rc;

    memset(&e, 0, sizeof(e));
    s = check_text("kind", kind, sizeof(e.kind), err);
    if (s == SARHAD_OK)
        s = check_text("subject", subject, sizeof(e.subject), err);
    if (s != SARHAD_OK)
        return s;
    e.actor = *actor;
    sarhad__strlcpy(e.post, store->post, sizeof(e.post));
    sarhad_time_format(e.at, &t);
    sarhad__strlcpy(e.kind, kind, sizeof(e.kind));
    sarhad__strlcpy(e.subject, subject, sizeof(e.subject));
    e.detail = detail_json != NULL ? detail_json : "{}";

    s = chain_head(store, &seq, prev, err);
    if (s != SARHAD_OK)
        return s;
    seq++;
    sarhad__audit_entry_hash(e.hash, prev, seq, &e);

    st = sarhad__store_prepare(store, sql_insert, err);
    if (st == NULL)
        return err != NULL ? err->code : SARHAD_EDB;
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_text(st, 2, e.post, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, e.at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, e.actor.user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, e.actor.role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, e.actor.post, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, e.actor.address, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, e.kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, e.subject, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, e.detail, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 11, prev, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 12, e.hash, 32, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "append to the audit log",
                                  err);
    if (store->in_batch) {
        store->audit_head_known = true;
        store->audit_head_seq = seq;
        memcpy(store->audit_head_hash, e.hash, 32);
    }
    if (seq_out != NULL)
        *seq_out = seq;
    return SARHAD_OK;
}

static const char sql_read[] =
    "SELECT seq, post, at, actor_user, actor_role, actor_post,"
    " actor_address, kind, subject, detail, prev_hash, hash"
    " FROM audit_log WHERE seq >= ?1 ORDER BY seq";

static void
column_text(char *out, size_t cap, sqlite3_stmt *st, int col)
{
    const unsigned char *v = sqlite3_column_text(st, col);

    sarhad__strlcpy(out, v != NULL ? (const char *)v : "", cap);
}

/* Fill e from the current row of sql_read; prev receives prev_hash. */
void
sarhad__audit_row(struct sarhad_audit_entry *e, unsigned char prev[32],
                  sqlite3_stmt *st)
{
    const unsigned char *detail = sqlite3_column_text(st, 9);

    e->seq = sqlite3_column_int64(st, 0);
    column_text(e->post, sizeof(e->post), st, 1);
    column_text(e->at, sizeof(e->at), st, 2);
    column_text(e->actor.user, sizeof(e->actor.user), st, 3);
    column_text(e->actor.role, sizeof(e->actor.role), st, 4);
    column_text(e->actor.post, sizeof(e->actor.post), st, 5);
    column_text(e->actor.address, sizeof(e->actor.address), st, 6);
    column_text(e->kind, sizeof(e->kind), st, 7);
    column_text(e->subject, sizeof(e->subject), st, 8);
    e->detail = detail != NULL ? (const char *)detail : "";
    memset(prev, 0, 32);
    if (sqlite3_column_bytes(st, 10) == 32)
        memcpy(prev, sqlite3_column_blob(st, 10), 32);
    memset(e->hash, 0, 32);
    if (sqlite3_column_bytes(st, 11) == 32)
        memcpy(e->hash, sqlite3_column_blob(st, 11), 32);
}

enum sarhad_status
sarhad_audit_read(struct sarhad_store *store, int64_t from_seq, size_t limit,
                  bool (*fn)(void *ctx, const struct sarhad_audit_entry *e),
                  void *ctx, struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_read, err);
    struct sarhad_audit_entry e;
    unsigned char prev[32];
    size_t n = 0;
    int rc;

    if (st == NULL)
        return err != NULL ? err->code : SARHAD_EDB;
    sqlite3_bind_int64(st, 1, from_seq);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sarhad__audit_row(&e, prev, st);
        if (!fn(ctx, &e) || (limit != 0 && ++n >= limit)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "read the audit log", err);
    return SARHAD_OK;
}

/* Record the first problem found and stop the walk. */
static bool
found(struct sarhad_audit_report *r, int64_t seq, const char *problem)
{
    r->ok = false;
    r->first_bad = seq;
    sarhad__strlcpy(r->problem, problem, sizeof(r->problem));
    return false;
}

enum sarhad_status
sarhad_audit_verify(struct sarhad_store *store,
                    struct sarhad_audit_report *report,
                    struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_read, err);
    struct sarhad_audit_entry e;
    struct sarhad_audit_report r;
    unsigned char prev[32], want_prev[32], computed[32];
    int64_t expect = 1;
    int rc;

    if (st == NULL)
        return err != NULL ? err->code : SARHAD_EDB;
    memset(&r, 0, sizeof(r));
    r.ok = true;
    memset(want_prev, 0, sizeof(want_prev));
    sqlite3_bind_int64(st, 1, 0);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sarhad__audit_row(&e, prev, st);
        if (e.seq != expect) {
            found(&r, expect,
                  e.seq > expect ? "entry is missing: deleted from the log"
                                 : "entry number is out of sequence");
            break;
        }
        sarhad__audit_entry_hash(computed, prev, e.seq, &e);
        if (sodium_memcmp(computed, e.hash, 32) != 0) {
            found(&r, e.seq,
                  "entry was altered: its content does not match its hash");
            break;
        }
        if (sodium_memcmp(prev, want_prev, 32) != 0) {
            found(&r, e.seq,
                  "entry does not follow its predecessor: inserted, "
                  "reordered, or the one before it was removed");
            break;
        }
        memcpy(want_prev, e.hash, 32);
        r.checked++;
        expect++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sarhad__store_fail(store->db, rc, "read the audit log", err);
    if (r.ok)
        memcpy(r.head_hash, want_prev, 32);
    *report = r;
    return SARHAD_OK;
}
