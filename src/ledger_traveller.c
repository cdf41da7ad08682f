/*
 * ledger_traveller.c - a traveller's history as one JSON document for the
 * supervisor's screen: who they are, every document key they are known by
 * (and which attempt first showed it), why documents were linked, their
 * stays and their most recent attempts.
 */
#include "ledger.h"

#include <string.h>

static const char sql_traveller_get[] =
    "SELECT id, nationality, surname, given_names, birth_date, sex"
    " FROM traveller WHERE id = ?1";
static const char sql_traveller_keys[] =
    "SELECT kind, value, first_attempt FROM traveller_key"
    " WHERE traveller_id = ?1 ORDER BY first_attempt, kind";
/* Links: a key given to a known traveller names the key that justified
 * it (schema 9); conflicts, and links recorded before, are rows of their
 * own. */
static const char sql_traveller_links[] =
    "SELECT attempt_id, by_kind, why FROM ("
    " SELECT attempt_id, by_kind, why, rowid AS n FROM traveller_link"
    " WHERE traveller_id = ?1"
    " UNION ALL SELECT first_attempt, by_kind, 'new ' || kind || ' ' || value"
    " || ' linked: ' || by_kind || ' ' || by_value"
    " || ' matches the one first seen in attempt ' || by_first, 0"
    " FROM traveller_key WHERE traveller_id = ?1 AND by_kind IS NOT NULL)"
    " ORDER BY attempt_id, n";
static const char sql_traveller_stays[] =
    "SELECT entry_day, exit_day, allowed_days, state, entry_attempt,"
    " exit_attempt FROM stay WHERE traveller_id = ?1 ORDER BY id";
/* "final": the outcome after a referral's resolution or an override. */
static const char sql_traveller_attempts[] =
    "SELECT a.id, a.time, a.crossing, a.direction, a.decision, a.rule,"
    " coalesce(r.decision, a.decision) FROM attempt a"
    " LEFT JOIN resolution r ON r.attempt_id = a.id"
    " WHERE a.traveller_id = ?1 ORDER BY a.id DESC LIMIT 200";

/* Write "name":[{...},...] from the rows of sql; keys name the columns. */
static enum sarhad_status
rows(struct sarhad_store *store, struct sarhad__buf *b, const char *name,
     const char *sql, int64_t id, const char *const *keys, int ncols,
     struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql, err);
    bool first = true;
    int rc;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int64(st, 1, id);
    sarhad__buf_printf(b, ",\"%s\":[", name);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sarhad__buf_puts(b, first ? "{" : ",{");
        first = false;
        for (int i = 0; i < ncols; i++) {
            sarhad__buf_printf(b, "%s\"%s\":", i ? "," : "", keys[i]);
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_INTEGER:
                sarhad__buf_printf(b, "%lld",
                                   (long long)sqlite3_column_int64(st, i));
                break;
            case SQLITE_NULL:
                sarhad__buf_puts(b, "null");
                break;
            default:
                sarhad__buf_json_str(b, sarhad__col_text(st, i));
            }
        }
        sarhad__buf_puts(b, "}");
    }
    sqlite3_reset(st);
    sarhad__buf_puts(b, "]");
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "read the traveller", err);
    return SARHAD_OK;
}

enum sarhad_status
sarhad_ledger_traveller(struct sarhad_store *store, int64_t traveller_id,
                        void (*fn)(void *ctx, const char *json, size_t len),
                        void *ctx, struct sarhad_error *err)
{
    static const char *const key_cols[] = {"kind", "value", "first_attempt"};
    static const char *const link_cols[] = {"attempt", "by", "why"};
    static const char *const stay_cols[] = {"entry",         "exit",
                                            "allowed_days",  "state",
                                            "entry_attempt", "exit_attempt"};
    static const char *const attempt_cols[] = {
        "id", "time", "crossing", "direction", "decision", "rule", "final"};
    static const char *const who_cols[] = {
        "id", "nationality", "surname", "given_names", "birth_date", "sex"};
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_traveller_get, err);
    struct sarhad__buf b = {0};
    enum sarhad_status s = SARHAD_OK;
    int rc;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int64(st, 1, traveller_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        sarhad__buf_printf(&b, "{\"id\":%lld", (long long)traveller_id);
        for (int i = 1; i < 6; i++) {
            const char *v = sarhad__col_text(st, i);
            sarhad__buf_printf(&b, ",\"%s\":", who_cols[i]);
            sarhad__buf_json_str(&b, v[0] != '\0' ? v : NULL);
        }
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return sarhad__fail(err, SARHAD_ENOTFOUND, "traveller", SIZE_MAX,
                            "no traveller %lld", (long long)traveller_id);
    if (rc != SQLITE_ROW)
        s = sarhad__store_fail(store->db, rc, "read the traveller", err);
    if (s == SARHAD_OK)
        s = rows(store, &b, "documents", sql_traveller_keys, traveller_id,
                 key_cols, 3, err);
    if (s == SARHAD_OK)
        s = rows(store, &b, "links", sql_traveller_links, traveller_id,
                 link_cols, 3, err);
    if (s == SARHAD_OK)
        s = rows(store, &b, "stays", sql_traveller_stays, traveller_id,
                 stay_cols, 6, err);
    if (s == SARHAD_OK)
        s = rows(store, &b, "attempts", sql_traveller_attempts, traveller_id,
                 attempt_cols, 7, err);
    sarhad__buf_puts(&b, "}");
    if (s == SARHAD_OK && b.failed)
        s = sarhad__fail(err, SARHAD_ENOMEM, "traveller", SIZE_MAX, NULL);
    if (s == SARHAD_OK)
        fn(ctx, b.data, b.len);
    sarhad__buf_free(&b);
    return s;
}
