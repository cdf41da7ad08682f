/*
 * bundle_store.c - a post's side of the signed bundles: the ministry key
 * it trusts, the bundles it has applied, and the gate every policy
 * publication and watchlist import passes through.  Once a store trusts a
 * key, the gate refuses a publication or import that did not come in a
 * bundle signed by it; a bundle's own publication is recorded, with the
 * serial that keeps an old bundle from being applied again, in the same
 * transaction as what it changed.  Keys and applied bundles are kept for
 * good (triggers refuse edits), so an auditor can check later that every
 * policy in force came signed from the ministry.
 */
#include "internal.h"
#include "ledger.h"
#include "watchlist.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const sarhad__bundle_steps[] = {
    "CREATE TABLE ministry_key ("
    " id INTEGER PRIMARY KEY,"
    " key_id TEXT NOT NULL,"
    " public_key TEXT NOT NULL,"
    " trusted_at TEXT NOT NULL,"
    " by_bundle INTEGER NOT NULL," /* 0: trusted by hand */
    " audit_seq INTEGER NOT NULL) STRICT;"
    "CREATE TABLE bundle_applied ("
    " id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " format TEXT NOT NULL,"
    " serial INTEGER NOT NULL,"
    " issued TEXT NOT NULL,"
    " issuer TEXT NOT NULL,"
    " length INTEGER NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " signature TEXT NOT NULL,"
    " result TEXT NOT NULL,"
    " applied_at TEXT NOT NULL,"
    " applied_by TEXT NOT NULL,"
    " audit_seq INTEGER NOT NULL,"
    " UNIQUE (kind, serial)) STRICT;"
    "CREATE TRIGGER ministry_key_no_update BEFORE UPDATE ON ministry_key"
    " BEGIN SELECT RAISE(ABORT, 'trusted keys are kept as they were'); END;"
    "CREATE TRIGGER ministry_key_no_delete BEFORE DELETE ON ministry_key"
    " BEGIN SELECT RAISE(ABORT, 'trusted keys are kept as they were'); END;"
    "CREATE TRIGGER bundle_applied_no_update BEFORE UPDATE ON bundle_applied"
    " BEGIN SELECT RAISE(ABORT, 'applied bundles are append-only'); END;"
    "CREATE TRIGGER bundle_applied_no_delete BEFORE DELETE ON bundle_applied"
    " BEGIN SELECT RAISE(ABORT, 'applied bundles are append-only'); END;",
};
const size_t sarhad__bundle_step_count = SARHAD_COUNT_OF(sarhad__bundle_steps);

static const char sql_key_current[] =
    "SELECT public_key, key_id FROM ministry_key ORDER BY id DESC LIMIT 1";
static const char sql_key_insert[] =
    "INSERT INTO ministry_key(key_id, public_key, trusted_at, by_bundle,"
    " audit_seq) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_last_serial[] =
    "SELECT coalesce(max(serial), 0) FROM bundle_applied WHERE kind = ?1";
static const char sql_applied_insert[] =
    "INSERT INTO bundle_applied(kind, name, format, serial, issued, issuer,"
    " length, sha256, signature, result, applied_at, applied_by, audit_seq)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
static const char sql_applied_list[] =
    "SELECT id, kind, name, format, serial, issued, issuer, length, sha256,"
    " signature, result, applied_at, applied_by, audit_seq"
    " FROM bundle_applied ORDER BY id";

/* now as "YYYY-MM-DDTHH:MM:SSZ", the form bundles carry. */
static void
utc_now(char out[24], int64_t now)
{
    time_t t = (time_t)now;
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

enum sarhad_status
sarhad_store_trusted_key(struct sarhad_store *store, char out[65],
                         char id[SARHAD_BUNDLE_KEY_ID_LEN + 1],
                         struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_key_current, err);
    int rc;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (out != NULL)
            sarhad__strlcpy(out, (const char *)sqlite3_column_text(st, 0), 65);
        if (id != NULL)
            sarhad__strlcpy(id, (const char *)sqlite3_column_text(st, 1),
                            SARHAD_BUNDLE_KEY_ID_LEN + 1);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return sarhad__fail(err, SARHAD_ENOTFOUND, "key", SIZE_MAX,
                            "this post trusts no ministry key");
    if (rc != SQLITE_ROW)
        return sarhad__store_fail(store->db, rc, "read the trusted key", err);
    return SARHAD_OK;
}

/* Record key (64 hex digits) as the one trusted from now on, audited. */
static enum sarhad_status
insert_key(struct sarhad_store *store, const char *hex, int64_t by_bundle,
           const struct sarhad_actor *who, int64_t now,
           struct sarhad_error *err)
{
    unsigned char pub[32];
    char id[SARHAD_BUNDLE_KEY_ID_LEN + 1], subject[24], detail[160], at[24];
    const char *kind =
        by_bundle ? "ministry_key_rotated" : "ministry_key_trusted";
    enum sarhad_status s;
    sqlite3_stmt *st;
    int64_t seq = 0;

    s = sarhad_bundle_public_key_parse(hex, strlen(hex), pub, err);
    if (s != SARHAD_OK)
        return s;
    sarhad_bundle_key_id(id, pub);
    snprintf(subject, sizeof(subject), "key:%s", id);
    snprintf(detail, sizeof(detail),
             "{\"key_id\":\"%s\",\"public_key\":\"%.64s\",\"bundle\":%lld}", id,
             hex, (long long)by_bundle);
    s = sarhad__audit_append(store, who, now, kind, subject, detail, &seq, err);
    if (s != SARHAD_OK)
        return s;
    st = sarhad__store_prepare(store, sql_key_insert, err);
    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    utc_now(at, now);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, hex, 64, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, by_bundle);
    sqlite3_bind_int64(st, 5, seq);
    if (sqlite3_step(st) != SQLITE_DONE)
        s = sarhad__store_fail(store->db, sqlite3_errcode(store->db),
                               "record the trusted key", err);
    sqlite3_reset(st);
    return s;
}

enum sarhad_status
sarhad_store_trust_key(struct sarhad_store *store, const char *public_hex,
                       const struct sarhad_actor *who, int64_t now,
                       struct sarhad_error *err)
{
    unsigned char pub[32];
    enum sarhad_status s;

    if (store == NULL || public_hex == NULL || who == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "key", SIZE_MAX,
                            "store, key and actor are required");
    s = sarhad_bundle_public_key_parse(public_hex, strlen(public_hex), pub,
                                       err);
    if (s != SARHAD_OK)
        return s;
    s = sarhad__store_write_begin(store, err);
    if (s != SARHAD_OK)
        return s;
    s = sarhad_store_trusted_key(store, NULL, NULL, NULL);
    if (s == SARHAD_OK)
        s = sarhad__fail(err, SARHAD_EEXIST, "key", SIZE_MAX,
                         "this post already trusts a ministry key; it "
                         "changes only by a key bundle signed by it");
    else if (s == SARHAD_ENOTFOUND)
        s = insert_key(store, public_hex, 0, who, now, err);
    if (s != SARHAD_OK) {
        sarhad__store_write_end(store, false, NULL);
        return s;
    }
    return sarhad__store_write_end(store, true, err);
}

enum sarhad_status
sarhad__bundle_last_serial(struct sarhad_store *store,
                           enum sarhad_bundle_kind kind, int64_t *out,
                           struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_last_serial, err);
    int rc;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_text(st, 1, sarhad_bundle_kind_name(kind), -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return sarhad__store_fail(store->db, rc, "read the applied bundles",
                                  err);
    return SARHAD_OK;
}

/* The bundle may still be applied: signed by the key trusted now (which
 * may have changed since it was checked), and newer than its kind's last. */
static enum sarhad_status
check_applicable(struct sarhad_store *store, const struct sarhad_bundle_info *b,
                 struct sarhad_error *err)
{
    char id[SARHAD_BUNDLE_KEY_ID_LEN + 1];
    int64_t last;
    enum sarhad_status s = sarhad_store_trusted_key(store, NULL, id, err);

    if (s != SARHAD_OK)
        return s;
    if (strcmp(id, b->issuer) != 0)
        return sarhad__fail(err, SARHAD_ESIGN, "issuer", SIZE_MAX,
                            "the bundle was issued by key %s, not by the "
                            "trusted key %s",
                            b->issuer, id);
    s = sarhad__bundle_last_serial(store, b->kind, &last, err);
    if (s == SARHAD_OK && b->serial <= last)
        s = sarhad__fail(err, SARHAD_EEXIST, "serial", SIZE_MAX,
                         "%s bundle %lld is not newer than the last one "
                         "applied (%lld): an old bundle is never applied "
                         "again",
                         sarhad_bundle_kind_name(b->kind), (long long)b->serial,
                         (long long)last);
    return s;
}

/* The audit entry of an applied bundle, then its row. */
static enum sarhad_status
record_applied(struct sarhad_store *store, const struct sarhad_bundle_info *b,
               const char *result, const struct sarhad_actor *who, int64_t now,
               struct sarhad_error *err)
{
    json_t *detail = json_pack(
        "{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "kind",
        sarhad_bundle_kind_name(b->kind), "name", b->name, "format", b->format,
        "serial", (json_int_t)b->serial, "issued", b->issued, "issuer",
        b->issuer, "sha256", b->sha256, "result", result);
    char *text = detail != NULL ? json_dumps(detail, JSON_COMPACT) : NULL;
    char subject[48], at[24];
    enum sarhad_status s;
    sqlite3_stmt *st;
    int64_t seq = 0;

    json_decref(detail);
    if (text == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "bundle", SIZE_MAX, NULL);
    snprintf(subject, sizeof(subject), "bundle:%s:%lld",
             sarhad_bundle_kind_name(b->kind), (long long)b->serial);
    s = sarhad__audit_append(store, who, now, "bundle_applied", subject, text,
                             &seq, err);
    free(text);
    if (s != SARHAD_OK)
        return s;
    st = sarhad__store_prepare(store, sql_applied_insert, err);
    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    utc_now(at, now);
    sqlite3_bind_text(st, 1, sarhad_bundle_kind_name(b->kind), -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, b->format, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, b->serial);
    sqlite3_bind_text(st, 5, b->issued, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, b->issuer, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)b->length);
    sqlite3_bind_text(st, 8, b->sha256, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 9, b->signature, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 10, result, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 11, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 12, who->user, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 13, seq);
    if (sqlite3_step(st) != SQLITE_DONE)
        s = sarhad__store_fail(store->db, sqlite3_errcode(store->db),
                               "record the bundle", err);
    sqlite3_reset(st);
    return s;
}

enum sarhad_status
sarhad__bundle_gate(struct sarhad_store *store,
                    const struct sarhad_bundle_info *origin, const char *what,
                    const char *result, const struct sarhad_actor *who,
                    int64_t now, struct sarhad_error *err)
{
    enum sarhad_status s;

    if (origin != NULL) {
        s = check_applicable(store, origin, err);
        return s == SARHAD_OK
                   ? record_applied(store, origin, result, who, now, err)
                   : s;
    }
    s = sarhad_store_trusted_key(store, NULL, NULL, NULL);
    if (s == SARHAD_ENOTFOUND)
        return SARHAD_OK;
    if (s == SARHAD_OK)
        return sarhad__fail(err, SARHAD_EPERM, "bundle", SIZE_MAX,
                            "this post takes %s only as bundles signed by "
                            "the ministry's key (sarhad bundle apply)",
                            what);
    return sarhad__fail(err, s, "key", SIZE_MAX, "cannot read the trusted key");
}

/* ---- applying --------------------------------------------------------- */

static enum sarhad_status
apply_key(struct sarhad_store *store, const struct sarhad_bundle_info *b,
          const struct sarhad_actor *who, int64_t now, char *result, size_t cap,
          struct sarhad_error *err)
{
    unsigned char pub[32];
    char hex[65], id[SARHAD_BUNDLE_KEY_ID_LEN + 1];
    enum sarhad_status s;

    s = sarhad_bundle_public_key_parse(b->payload, b->length, pub, err);
    if (s != SARHAD_OK)
        return s;
    sodium_bin2hex(hex, sizeof(hex), pub, sizeof(pub));
    sarhad_bundle_key_id(id, pub);
    snprintf(result, cap, "key:%s", id);
    s = sarhad__store_write_begin(store, err);
    if (s != SARHAD_OK)
        return s;
    s = sarhad__bundle_gate(store, b, "keys", result, who, now, err);
    if (s == SARHAD_OK)
        s = insert_key(store, hex, b->serial, who, now, err);
    if (s != SARHAD_OK) {
        sarhad__store_write_end(store, false, NULL);
        return s;
    }
    return sarhad__store_write_end(store, true, err);
}

static bool
take_last(void *ctx, const struct sarhad_bundle_applied *b)
{
    *(struct sarhad_bundle_applied *)ctx = *b;
    return true;
}

enum sarhad_status
sarhad_bundle_apply(struct sarhad_ledger *ledger, const char *data, size_t len,
                    const struct sarhad_actor *who, int64_t now,
                    struct sarhad_bundle_applied *out,
                    struct sarhad_lint_issue *issues, unsigned issue_cap,
                    unsigned *issue_count, struct sarhad_error *err)
{
    struct sarhad_store *store;
    struct sarhad_bundle_info b;
    struct sarhad_policy_info pi;
    struct sarhad_watchlist_version wv;
    unsigned char pub[32];
    char hex[65], result[40];
    enum sarhad_status s;

    if (issue_count != NULL)
        *issue_count = 0;
    if (ledger == NULL || data == NULL || who == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "bundle", SIZE_MAX,
                            "ledger, bundle and actor are required");
    store = ledger->store;
    s = sarhad_store_trusted_key(store, hex, NULL, err);
    if (s == SARHAD_ENOTFOUND)
        return sarhad__fail(err, s, "key", SIZE_MAX,
                            "this post trusts no ministry key: trust one "
                            "first (sarhad bundle trust)");
    if (s == SARHAD_OK)
        s = sarhad_bundle_public_key_parse(hex, 64, pub, err);
    if (s == SARHAD_OK)
        s = sarhad_bundle_open(data, len, pub, &b, err);
    /* Checked here so an old bundle is refused before a long import; the
     * gate checks again in the transaction that applies it. */
    if (s == SARHAD_OK)
        s = check_applicable(store, &b, err);
    if (s != SARHAD_OK)
        return s;
    switch (b.kind) {
    case SARHAD_BUNDLE_POLICY:
        s = sarhad__ledger_policy_publish(ledger, b.name, b.payload, b.length,
                                          who, now, &b, &pi, issues, issue_cap,
                                          issue_count, err);
        break;
    case SARHAD_BUNDLE_WATCHLIST:
        s = sarhad__watchlist_import(
            store, b.payload, b.length,
            strcmp(b.format, "csv") == 0 ? SARHAD_WL_CSV : SARHAD_WL_UN_XML,
            b.name, who, now, &b, &wv, err);
        break;
    case SARHAD_BUNDLE_KEY:
        s = apply_key(store, &b, who, now, result, sizeof(result), err);
        break;
    }
    if (s == SARHAD_OK && out != NULL)
        s = sarhad_bundle_list(store, take_last, out, err);
    return s;
}

/* ---- reading back ----------------------------------------------------- */

static void
applied_row(struct sarhad_bundle_applied *a, sqlite3_stmt *st, int64_t *id)
{
    const char *kind = (const char *)sqlite3_column_text(st, 1);

    memset(a, 0, sizeof(*a));
    *id = sqlite3_column_int64(st, 0);
    a->info.kind = strcmp(kind, "policy") == 0      ? SARHAD_BUNDLE_POLICY
                   : strcmp(kind, "watchlist") == 0 ? SARHAD_BUNDLE_WATCHLIST
                                                    : SARHAD_BUNDLE_KEY;
#define COPY(dst, col)                                                         \
    sarhad__strlcpy(dst, (const char *)sqlite3_column_text(st, col),           \
                    sizeof(dst))
    COPY(a->info.name, 2);
    COPY(a->info.format, 3);
    a->info.serial = sqlite3_column_int64(st, 4);
    COPY(a->info.issued, 5);
    COPY(a->info.issuer, 6);
    a->info.length = (size_t)sqlite3_column_int64(st, 7);
    COPY(a->info.sha256, 8);
    COPY(a->info.signature, 9);
    COPY(a->result, 10);
    COPY(a->applied_at, 11);
    COPY(a->applied_by, 12);
#undef COPY
    a->audit_seq = sqlite3_column_int64(st, 13);
}

/* Call fn(ctx, bundle, id) for each applied bundle, oldest first. */
static enum sarhad_status
each_applied(struct sarhad_store *store,
             bool (*fn)(void *ctx, const struct sarhad_bundle_applied *b,
                        int64_t id),
             void *ctx, struct sarhad_error *err)
{
    sqlite3_stmt *st = NULL;
    struct sarhad_bundle_applied a;
    int64_t id;
    int rc;

    if (store == NULL || fn == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "bundle", SIZE_MAX,
                            "store and callback are required");
    /* Not cached: listing is rare and may run beside a long read. */
    rc = sqlite3_prepare_v2(store->db, sql_applied_list, -1, &st, NULL);
    if (rc == SQLITE_OK)
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            applied_row(&a, st, &id);
            if (!fn(ctx, &a, id)) {
                rc = SQLITE_DONE;
                break;
            }
        }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "read the applied bundles",
                                  err);
    return SARHAD_OK;
}

struct list_ctx {
    bool (*fn)(void *ctx, const struct sarhad_bundle_applied *b);
    void *ctx;
};

static bool
list_one(void *ctx, const struct sarhad_bundle_applied *b, int64_t id)
{
    struct list_ctx *l = ctx;

    (void)id;
    return l->fn(l->ctx, b);
}

enum sarhad_status
sarhad_bundle_list(struct sarhad_store *store,
                   bool (*fn)(void *ctx, const struct sarhad_bundle_applied *b),
                   void *ctx, struct sarhad_error *err)
{
    struct list_ctx l = {fn, ctx};

    if (fn == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "bundle", SIZE_MAX,
                            "a callback is required");
    return each_applied(store, list_one, &l, err);
}

/* ---- verifying -------------------------------------------------------- */

struct verify_ctx {
    struct sarhad_store *store;
    int64_t bad_id;
    char *problem;
};

static bool
flag(struct verify_ctx *v, int64_t id, const char *problem)
{
    v->bad_id = id;
    snprintf(v->problem, 160, "bundle %lld: %s", (long long)id, problem);
    return false;
}

/* The public key of the key id that was trusted, or false. */
static bool
key_of(struct sarhad_store *store, const char *key_id, unsigned char pub[32])
{
    sqlite3_stmt *st = NULL;
    bool found = false;

    if (sqlite3_prepare_v2(store->db,
                           "SELECT public_key FROM ministry_key"
                           " WHERE key_id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_text(st, 1, key_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        found =
            sarhad_bundle_public_key_parse(
                (const char *)sqlite3_column_text(st, 0),
                (size_t)sqlite3_column_bytes(st, 0), pub, NULL) == SARHAD_OK;
    sqlite3_finalize(st);
    return found;
}

/* A policy bundle's publication still holds the text that was signed. */
static bool
publication_matches(struct sarhad_store *store, const char *result,
                    const char *sha256)
{
    sqlite3_stmt *st = NULL;
    bool same = false;

    if (strncmp(result, "policy:", 7) != 0 ||
        sqlite3_prepare_v2(store->db,
                           "SELECT sha256, text FROM policy_version"
                           " WHERE number = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_int64(st, 1, strtoll(result + 7, NULL, 10));
    if (sqlite3_step(st) == SQLITE_ROW) {
        unsigned char h[crypto_hash_sha256_BYTES];
        char hex[65];

        crypto_hash_sha256(h, sqlite3_column_text(st, 1),
                           (unsigned long long)sqlite3_column_bytes(st, 1));
        sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
        same = strcmp(hex, sha256) == 0 &&
               strcmp((const char *)sqlite3_column_text(st, 0), sha256) == 0;
    }
    sqlite3_finalize(st);
    return same;
}

static bool
verify_one(void *ctx, const struct sarhad_bundle_applied *b, int64_t id)
{
    struct verify_ctx *v = ctx;
    unsigned char pub[32];

    if (!key_of(v->store, b->info.issuer, pub))
        return flag(v, id, "its issuer was never a trusted key");
    if (!sarhad__bundle_signature_holds(&b->info, pub))
        return flag(v, id,
                    "its signature does not hold: the record was "
                    "altered");
    if (b->info.kind == SARHAD_BUNDLE_POLICY &&
        !publication_matches(v->store, b->result, b->info.sha256))
        return flag(v, id,
                    "the policy it published is not the text that "
                    "was signed");
    return true;
}

enum sarhad_status
sarhad_bundle_verify_applied(struct sarhad_store *store, int64_t *bad_id,
                             char problem[160], struct sarhad_error *err)
{
    struct verify_ctx v = {store, 0, problem};
    enum sarhad_status s;

    if (bad_id == NULL || problem == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "bundle", SIZE_MAX,
                            "bad_id and problem are required");
    problem[0] = '\0';
    s = each_applied(store, verify_one, &v, err);
    *bad_id = v.bad_id;
    return s;
}
