/*
 * central_local.c - the post's side of a push: which entries the central
 * lacks, read from the store in one read transaction (a WAL snapshot, so
 * the writer is never held up), each checked before it may leave the post
 * (it follows the one before, links to its hash, matches its own hash, and
 * the ledger row it stands for exists and names it back), and how each
 * maps onto the central's rows.  Nothing here talks to PostgreSQL: the
 * rows become parameter lists that central_push.c sends, so the checks can
 * be tested without a server.
 */
#include "central.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char sql_head[] = "SELECT coalesce(max(seq), 0) FROM audit_log";
static const char sql_entry_hash[] =
    "SELECT hash FROM audit_log WHERE seq = ?1";
static const char sql_log[] =
    "SELECT seq, post, at, actor_user, actor_role, actor_post,"
    " actor_address, kind, subject, detail, prev_hash, hash"
    " FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2";

/* The ledger rows, their columns in the order the central's INSERTs take
 * them after the post (and, for a resolution, the entry's kind); the last
 * column is the audit entry the row was recorded with. */
static const char sql_attempt[] =
    "SELECT a.id, a.crossing, a.counter, a.officer, a.direction, a.time,"
    " a.day, a.recorded_at, a.traveller_id, a.nationality, a.decision,"
    " a.rule, a.policy_name, a.policy_version, a.overstay_days, a.fine_usd,"
    " a.allowed_days, a.presentation, a.decision_json, m.category,"
    " m.documentation, m.household, m.household_size, m.sex, m.age_band,"
    " m.vulnerabilities, m.vehicles, m.intended_stay, a.audit_seq"
    " FROM attempt a LEFT JOIN movement m ON m.attempt_id = a.id"
    " WHERE a.id = ?1";
static const char sql_resolution[] =
    "SELECT attempt_id, decision, reason, by_user, by_role, at, audit_seq"
    " FROM resolution WHERE attempt_id = ?1";
static const char sql_policy[] =
    "SELECT number, name, version, filename, text, sha256, published_at,"
    " published_by, audit_seq FROM policy_version WHERE number = ?1";

const char sarhad__push_event_sql[] =
    "INSERT INTO event (post, seq, at, at_text, actor_user, actor_role,"
    " actor_post, actor_address, kind, subject, detail, detail_json,"
    " prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
    " $11, $12, $13, $14)";
static const char sql_put_attempt[] =
    "INSERT INTO attempt (post, id, crossing, counter, officer, direction,"
    " time, day, recorded_at, traveller_id, nationality, decision, rule,"
    " policy_name, policy_version, overstay_days, fine_usd, allowed_days,"
    " presentation, decision_json, return_category, return_documentation,"
    " return_household, return_household_size, return_sex, return_age_band,"
    " return_vulnerabilities, return_vehicles, return_intended_stay,"
    " audit_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
    " to_timestamp($9::bigint), $10, $11, $12, $13, $14, $15, $16, $17, $18,"
    " $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30)";
static const char sql_put_resolution[] =
    "INSERT INTO resolution (post, kind, attempt_id, decision, reason,"
    " by_user, by_role, at, audit_seq) VALUES ($1, $2, $3, $4, $5, $6, $7,"
    " to_timestamp($8::bigint), $9)";
static const char sql_put_policy[] =
    "INSERT INTO policy_version (post, number, name, version, filename,"
    " text, sha256, published_at, published_by, audit_seq) VALUES ($1, $2,"
    " $3, $4, $5, $6, $7, to_timestamp($8::bigint), $9, $10)";

static const char sql_checkpoints[] =
    "SELECT c.seq, c.hash, c.at, c.signature, a.hash"
    " FROM audit_checkpoint c LEFT JOIN audit_log a ON a.seq = c.seq"
    " WHERE c.seq > ?1 AND c.seq <= ?2 ORDER BY c.seq";
const char sarhad__push_checkpoint_sql[] =
    "INSERT INTO audit_checkpoint (post, seq, hash, at, at_text, signature)"
    " VALUES ($1, $2, $3, $4, $5, $6)";

#define PREPARED(st, store, sql, err)                                          \
    do {                                                                       \
        (st) = sarhad__store_prepare((store), (sql), (err));                   \
        if ((st) == NULL)                                                      \
            return (err) != NULL && (err)->code != SARHAD_OK ? (err)->code     \
                                                             : SARHAD_EDB;     \
    } while (0)

static enum sarhad_status
tampered(int64_t *bad_seq, int64_t seq, struct sarhad_error *err,
         const char *problem)
{
    *bad_seq = seq;
    return sarhad__fail(err, SARHAD_ETAMPER, "seq", SIZE_MAX,
                        "entry %lld: %s; nothing was pushed", (long long)seq,
                        problem);
}

enum sarhad_status
sarhad__push_local_head(struct sarhad_store *store, int64_t *seq,
                        struct sarhad_error *err)
{
    sqlite3_stmt *st;
    int rc;

    PREPARED(st, store, sql_head, err);
    rc = sqlite3_step(st);
    *seq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return sarhad__store_fail(store->db, rc, "read the audit log", err);
    return SARHAD_OK;
}

/* The post's entry after_seq must be the one the central holds. */
static enum sarhad_status
check_anchor(struct sarhad_store *store, int64_t after_seq,
             const unsigned char after_hash[32], int64_t *bad_seq,
             struct sarhad_error *err)
{
    sqlite3_stmt *st;
    bool same;
    int rc;

    if (after_seq == 0)
        return SARHAD_OK;
    PREPARED(st, store, sql_entry_hash, err);
    sqlite3_bind_int64(st, 1, after_seq);
    rc = sqlite3_step(st);
    same = rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32 &&
           sodium_memcmp(sqlite3_column_blob(st, 0), after_hash, 32) == 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "read the audit log", err);
    if (rc == SQLITE_DONE)
        return tampered(bad_seq, after_seq, err,
                        "the central has it but the post's log ends before "
                        "it (a store older than what it pushed, or another "
                        "post's): the post and the central have diverged");
    if (!same)
        return tampered(bad_seq, after_seq, err,
                        "its hash differs from the central's copy: the post "
                        "and the central have diverged");
    return SARHAD_OK;
}

enum sarhad_status
sarhad__push_read_begin(struct sarhad__push_reader *r,
                        struct sarhad_store *store, int64_t after_seq,
                        const unsigned char after_hash[32], size_t batch,
                        int64_t *bad_seq, struct sarhad_error *err)
{
    enum sarhad_status s;

    memset(r, 0, sizeof(*r));
    r->store = store;
    /* One snapshot for the batch: the entries and the rows they name are
     * committed together, so the rows of every entry read are there. */
    s = sarhad__store_exec(store->db, "BEGIN", err);
    if (s != SARHAD_OK)
        return s;
    r->in_read = true;
    s = check_anchor(store, after_seq, after_hash, bad_seq, err);
    if (s == SARHAD_OK) {
        r->log = sarhad__store_prepare(store, sql_log, err);
        if (r->log == NULL)
            s = err != NULL && err->code != SARHAD_OK ? err->code : SARHAD_EDB;
    }
    if (s != SARHAD_OK) {
        sarhad__push_read_end(r);
        return s;
    }
    sqlite3_bind_int64(r->log, 1, after_seq);
    sqlite3_bind_int64(r->log, 2, (sqlite3_int64)batch);
    r->next_seq = after_seq + 1;
    memcpy(r->prev, after_hash, 32);
    r->left = batch;
    return SARHAD_OK;
}

void
sarhad__push_read_end(struct sarhad__push_reader *r)
{
    if (r->log != NULL)
        sqlite3_reset(r->log);
    if (r->checkpoints != NULL)
        sqlite3_reset(r->checkpoints);
    /* A statement left on a row would hold the snapshot open, and a
     * long-lived reader (the server's push thread) would never see the
     * writer's later commits. */
    if (r->row != NULL)
        sqlite3_reset(r->row);
    r->log = r->checkpoints = r->row = NULL;
    if (r->in_read)
        sqlite3_exec(r->store->db, "COMMIT", NULL, NULL, NULL);
    r->in_read = false;
}

/* The ledger row kind stands for, and the statement that reads it. */
static enum sarhad__push_row
row_kind(const char *kind, const char **sql)
{
    if (strcmp(kind, "decision") == 0) {
        *sql = sql_attempt;
        return SARHAD__ROW_ATTEMPT;
    }
    if (strcmp(kind, "resolution") == 0 || strcmp(kind, "override") == 0) {
        *sql = sql_resolution;
        return SARHAD__ROW_RESOLUTION;
    }
    if (strcmp(kind, "policy_published") == 0) {
        *sql = sql_policy;
        return SARHAD__ROW_POLICY;
    }
    *sql = NULL;
    return SARHAD__ROW_NONE;
}

/* The id in a subject "attempt:12" or "policy:3", or -1. */
static int64_t
subject_id(const char *subject)
{
    const char *colon = strchr(subject, ':');
    char *end;
    long long id;

    if (colon == NULL || colon[1] < '0' || colon[1] > '9')
        return -1;
    id = strtoll(colon + 1, &end, 10);
    return *end == '\0' ? (int64_t)id : -1;
}

/* Position x->row on the ledger row the entry stands for. */
static enum sarhad_status
load_row(struct sarhad__push_reader *r, struct sarhad__push_entry *x,
         int64_t *bad_seq, struct sarhad_error *err)
{
    const char *sql;
    int64_t id;
    int rc, last;

    x->row = NULL;
    x->row_kind = row_kind(x->e.kind, &sql);
    if (x->row_kind == SARHAD__ROW_NONE)
        return SARHAD_OK;
    id = subject_id(x->e.subject);
    if (id < 0)
        return tampered(bad_seq, x->e.seq, err,
                        "its subject names no ledger row");
    PREPARED(x->row, r->store, sql, err);
    r->row = x->row;
    sqlite3_bind_int64(x->row, 1, id);
    rc = sqlite3_step(x->row);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sarhad__store_fail(r->store->db, rc, "read a ledger row", err);
    last = sqlite3_column_count(x->row) - 1;
    if (rc == SQLITE_DONE || sqlite3_column_int64(x->row, last) != x->e.seq)
        return tampered(bad_seq, x->e.seq, err,
                        "the ledger row it records is missing or names "
                        "another entry");
    return SARHAD_OK;
}

enum sarhad_status
sarhad__push_read_next(struct sarhad__push_reader *r,
                       struct sarhad__push_entry *out, bool *done,
                       int64_t *bad_seq, struct sarhad_error *err)
{
    unsigned char computed[32];
    int rc;

    *done = true;
    if (r->row != NULL)
        sqlite3_reset(r->row);
    r->row = NULL;
    if (r->log == NULL || r->left == 0)
        return SARHAD_OK;
    rc = sqlite3_step(r->log);
    if (rc == SQLITE_DONE)
        return SARHAD_OK;
    if (rc != SQLITE_ROW)
        return sarhad__store_fail(r->store->db, rc, "read the audit log", err);
    sarhad__audit_row(&out->e, out->prev, r->log);
    if (out->e.seq != r->next_seq)
        return tampered(bad_seq, r->next_seq, err,
                        "it is missing from the post's log (deleted)");
    if (sodium_memcmp(out->prev, r->prev, 32) != 0)
        return tampered(bad_seq, out->e.seq, err,
                        "it does not link to the entry before it");
    sarhad__audit_entry_hash(computed, out->prev, out->e.seq, &out->e);
    if (sodium_memcmp(computed, out->e.hash, 32) != 0)
        return tampered(bad_seq, out->e.seq, err,
                        "its content does not match its hash (altered)");
    if (strcmp(out->e.post, r->store->post) != 0)
        return tampered(bad_seq, out->e.seq, err,
                        "it belongs to another post's log");
    memcpy(r->prev, out->e.hash, 32);
    r->next_seq++;
    r->left--;
    *done = false;
    return load_row(r, out, bad_seq, err);
}

void
sarhad__push_event_params(const struct sarhad__push_entry *x,
                          struct sarhad__pg_params *p)
{
    const struct sarhad_audit_entry *e = &x->e;

    p->n = 0;
    sarhad__pg_text(p, e->post);
    sarhad__pg_int(p, e->seq);
    sarhad__pg_text(p, e->at); /* as timestamptz */
    sarhad__pg_text(p, e->at); /* as hashed */
    sarhad__pg_text(p, e->actor.user);
    sarhad__pg_text(p, e->actor.role);
    sarhad__pg_text(p, e->actor.post);
    sarhad__pg_text(p, e->actor.address);
    sarhad__pg_text(p, e->kind);
    sarhad__pg_text(p, e->subject);
    sarhad__pg_text(p, e->detail); /* as hashed */
    sarhad__pg_text(p, e->detail); /* as jsonb */
    sarhad__pg_bytes(p, x->prev, 32);
    sarhad__pg_bytes(p, e->hash, 32);
}

const char *
sarhad__push_row_sql(enum sarhad__push_row kind)
{
    static const char *const sql[] = {NULL, sql_put_attempt, sql_put_resolution,
                                      sql_put_policy};

    return sql[kind];
}

const char *
sarhad__push_row_params(const struct sarhad__push_entry *x,
                        struct sarhad__pg_params *p)
{
    int cols;

    p->n = 0;
    if (x->row_kind == SARHAD__ROW_NONE)
        return NULL;
    cols = sqlite3_column_count(x->row);
    sarhad__pg_text(p, x->e.post);
    if (x->row_kind == SARHAD__ROW_RESOLUTION)
        sarhad__pg_text(p, x->e.kind);
    /* The tables are STRICT, so a column's type is its declared one. */
    for (int c = 0; c < cols && p->n < SARHAD__PG_MAX_PARAMS; c++) {
        if (sqlite3_column_type(x->row, c) == SQLITE_INTEGER)
            sarhad__pg_int(p, sqlite3_column_int64(x->row, c));
        else /* a NULL (no returns details) stays NULL */
            sarhad__pg_text(p, (const char *)sqlite3_column_text(x->row, c));
    }
    return sarhad__push_row_sql(x->row_kind);
}

enum sarhad_status
sarhad__push_checkpoints_begin(struct sarhad__push_reader *r, int64_t after,
                               int64_t upto, struct sarhad_error *err)
{
    PREPARED(r->checkpoints, r->store, sql_checkpoints, err);
    sqlite3_bind_int64(r->checkpoints, 1, after);
    sqlite3_bind_int64(r->checkpoints, 2, upto);
    return SARHAD_OK;
}

enum sarhad_status
sarhad__push_checkpoint_next(struct sarhad__push_reader *r,
                             struct sarhad__pg_params *p, int64_t *seq,
                             bool *done, int64_t *bad_seq,
                             struct sarhad_error *err)
{
    int rc =
        r->checkpoints != NULL ? sqlite3_step(r->checkpoints) : SQLITE_DONE;

    *done = true;
    if (rc == SQLITE_DONE)
        return SARHAD_OK;
    if (rc != SQLITE_ROW)
        return sarhad__store_fail(r->store->db, rc, "read the checkpoints",
                                  err);
    *seq = sqlite3_column_int64(r->checkpoints, 0);
    /* A checkpoint is sent only with the entry it signed, as it is. */
    if (sqlite3_column_bytes(r->checkpoints, 1) != 32 ||
        sqlite3_column_bytes(r->checkpoints, 4) != 32 ||
        sodium_memcmp(sqlite3_column_blob(r->checkpoints, 1),
                      sqlite3_column_blob(r->checkpoints, 4), 32) != 0 ||
        sqlite3_column_bytes(r->checkpoints, 3) != crypto_sign_BYTES)
        return tampered(bad_seq, *seq, err,
                        "its signed checkpoint does not match it");
    p->n = 0;
    sarhad__pg_text(p, r->store->post);
    sarhad__pg_int(p, *seq);
    sarhad__pg_bytes(p, sqlite3_column_blob(r->checkpoints, 1), 32);
    sarhad__pg_text(p, (const char *)sqlite3_column_text(r->checkpoints, 2));
    sarhad__pg_text(p, (const char *)sqlite3_column_text(r->checkpoints, 2));
    sarhad__pg_bytes(p, sqlite3_column_blob(r->checkpoints, 3),
                     crypto_sign_BYTES);
    *done = false;
    return SARHAD_OK;
}

enum sarhad_status
sarhad__push_local_key(struct sarhad_store *store, unsigned char pk[32],
                       bool *has_key, struct sarhad_error *err)
{
    char hex[2 * crypto_sign_PUBLICKEYBYTES + 2];
    size_t len = 0;
    enum sarhad_status s;

    *has_key = false;
    s = sarhad__store_meta_get(store, "audit_public_key", hex, sizeof(hex),
                               NULL);
    if (s == SARHAD_ENOTFOUND)
        return SARHAD_OK;
    if (s != SARHAD_OK)
        return sarhad__fail(err, s, "key", SIZE_MAX,
                            "cannot read the store's audit public key");
    if (sodium_hex2bin(pk, 32, hex, strlen(hex), NULL, &len, NULL) != 0 ||
        len != 32)
        return sarhad__fail(err, SARHAD_ESIGN, "key", SIZE_MAX,
                            "the store's audit public key is damaged");
    *has_key = true;
    return SARHAD_OK;
}
