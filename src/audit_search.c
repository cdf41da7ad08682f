/*
 * audit_search.c - finding entries in the audit log: of a kind, by a user,
 * about a subject, or about a traveller (their history and the searches
 * that showed them, and every attempt of theirs: its decision, resolution,
 * override and who looked at it).  The log has no index but its order
 * (every index would be paid for by every decision), so a search reads a
 * stretch of it at a time, by entry number, and says where to go on.
 */
#include "internal.h"

#include <string.h>

static const char sql_search[] =
    "SELECT seq, post, at, actor_user, actor_role, actor_post,"
    " actor_address, kind, subject, detail, prev_hash, hash"
    " FROM audit_log WHERE seq >= ?1 AND seq < ?2"
    " AND (?3 IS NULL OR kind = ?3)"
    " AND (?4 IS NULL OR actor_user = ?4)"
    " AND (?5 IS NULL OR subject = ?5)"
    " AND (?6 IS NULL OR subject = 'traveller:' || ?6"
    "  OR (kind = 'lookup' AND subject = 'search' AND EXISTS (SELECT 1"
    "   FROM json_each(detail, '$.travellers') WHERE value = ?6))"
    "  OR (subject GLOB 'attempt:*' AND CAST(substr(subject, 9) AS INTEGER)"
    "   IN (SELECT id FROM attempt WHERE traveller_id = ?6)))"
    " ORDER BY seq LIMIT ?7";
static const char sql_head[] = "SELECT coalesce(max(seq), 0) FROM audit_log";

static void
bind_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
    if (v != NULL && v[0] != '\0')
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static enum sarhad_status
head_seq(struct sarhad_store *store, int64_t *out, struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_head, err);
    int rc;

    if (st == NULL)
        return err != NULL ? err->code : SARHAD_EDB;
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return sarhad__store_fail(store->db, rc, "read the audit log", err);
    return SARHAD_OK;
}

enum sarhad_status
sarhad_audit_search(struct sarhad_store *store, int64_t from_seq, size_t limit,
                    int64_t scan, const struct sarhad_audit_filter *filter,
                    bool (*fn)(void *ctx, const struct sarhad_audit_entry *e),
                    void *ctx, int64_t *next, struct sarhad_error *err)
{
    struct sarhad_audit_entry e;
    unsigned char prev[32];
    int64_t last = 0, head = 0;
    size_t kept = 0;
    sqlite3_stmt *st;
    bool stopped = false;
    int rc;

    if (next != NULL)
        *next = 0;
    if (store == NULL || filter == NULL || fn == NULL || limit == 0 ||
        scan <= 0 || from_seq < 1 || from_seq > INT64_MAX - scan)
        return sarhad__fail(err, SARHAD_EINVAL, "search", SIZE_MAX,
                            "a store, a filter, a callback, an entry to start "
                            "from and positive limits are required");
    st = sarhad__store_prepare(store, sql_search, err);
    if (st == NULL)
        return err != NULL ? err->code : SARHAD_EDB;
    sqlite3_bind_int64(st, 1, from_seq);
    sqlite3_bind_int64(st, 2, from_seq + scan);
    bind_text_or_null(st, 3, filter->kind);
    bind_text_or_null(st, 4, filter->user);
    bind_text_or_null(st, 5, filter->subject);
    if (filter->traveller > 0)
        sqlite3_bind_int64(st, 6, filter->traveller);
    else
        sqlite3_bind_null(st, 6);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sarhad__audit_row(&e, prev, st);
        last = e.seq;
        kept++;
        if (!fn(ctx, &e)) {
            stopped = true;
            break;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sarhad__store_fail(store->db, rc, "read the audit log", err);
    if (next == NULL)
        return SARHAD_OK;
    if (stopped || kept == limit) { /* more may follow the last kept */
        *next = last + 1;
        return SARHAD_OK;
    }
    if (head_seq(store, &head, err) != SARHAD_OK)
        return err != NULL ? err->code : SARHAD_EDB;
    *next = from_seq + scan <= head ? from_seq + scan : 0;
    return SARHAD_OK;
}
