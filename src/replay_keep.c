/*
 * replay_keep.c - the replays the server ran, kept in the store
 * (replay_kept, ledger schema step 14): an analyst's what-if is read again
 * after a restart, and one analyst's replay never replaces another's.  A
 * replay is kept under the seq of its audit entry, which says who ran
 * which draft over which days, and only when that entry is there; a kept
 * replay is never changed (the table's triggers refuse it).
 */
#include "ledger.h"

#include <stdlib.h>
#include <string.h>

static const char sql_keep[] =
    "INSERT INTO replay_kept(id, doc) SELECT ?1, json(?2)"
    " WHERE EXISTS (SELECT 1 FROM audit_log WHERE seq = ?1"
    " AND kind = 'replay')";
static const char sql_find[] = "SELECT doc FROM replay_kept WHERE id = ?1";
static const char sql_list[] =
    "SELECT id, json_remove(doc, '$.changes') FROM replay_kept"
    " WHERE ?1 = 0 OR id < ?1 ORDER BY id DESC LIMIT ?2";

enum sarhad_status
sarhad_replay_keep(struct sarhad_store *store, int64_t id, const char *doc,
                   struct sarhad_error *err)
{
    sqlite3_stmt *st;
    size_t len;
    enum sarhad_status s;

    if (store == NULL || doc == NULL || id < 1)
        return sarhad__fail(err, SARHAD_EINVAL, "replay", SIZE_MAX,
                            "no replay given");
    len = strlen(doc);
    if (len > SARHAD_REPLAY_DOC_MAX)
        return sarhad__fail(err, SARHAD_ETOOBIG, "doc", SIZE_MAX,
                            "a kept replay is at most %d bytes",
                            SARHAD_REPLAY_DOC_MAX);
    st = sarhad__store_prepare(store, sql_keep, err);
    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, doc, (int)len, SQLITE_STATIC);
    s = sarhad__store_step_done(store, st, "keep the replay", err);
    if (s == SARHAD_EEXIST)
        return sarhad__fail(err, SARHAD_EEXIST, "id", SIZE_MAX,
                            "replay %lld is kept already", (long long)id);
    if (s == SARHAD_OK && sqlite3_changes(store->db) == 0)
        return sarhad__fail(err, SARHAD_ENOTFOUND, "id", SIZE_MAX,
                            "entry %lld of the audit log is not a replay",
                            (long long)id);
    return s;
}

enum sarhad_status
sarhad_replay_find(struct sarhad_store *store, int64_t id, char **doc,
                   struct sarhad_error *err)
{
    sqlite3_stmt *st;
    int rc;

    if (store == NULL || doc == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "replay", SIZE_MAX,
                            "no replay asked for");
    *doc = NULL;
    st = sarhad__store_prepare(store, sql_find, err);
    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *doc = strdup(sarhad__col_text(st, 0));
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return sarhad__fail(err, SARHAD_ENOTFOUND, "id", SIZE_MAX,
                            "no replay %lld is kept", (long long)id);
    if (rc != SQLITE_ROW)
        return sarhad__store_fail(store->db, rc, "read the replay", err);
    if (*doc == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "replay", SIZE_MAX, NULL);
    return SARHAD_OK;
}

enum sarhad_status
sarhad_replay_list(struct sarhad_store *store, int64_t before, unsigned limit,
                   bool (*fn)(void *ctx, int64_t id, const char *doc),
                   void *ctx, struct sarhad_error *err)
{
    sqlite3_stmt *st;
    int rc;

    if (store == NULL || fn == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "replay", SIZE_MAX,
                            "no store or callback");
    st = sarhad__store_prepare(store, sql_list, err);
    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int64(st, 1, before > 0 ? before : 0);
    sqlite3_bind_int64(st, 2, limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!fn(ctx, sqlite3_column_int64(st, 0), sarhad__col_text(st, 1))) {
            rc = SQLITE_DONE;
            break;
        }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "list the replays", err);
    return SARHAD_OK;
}
