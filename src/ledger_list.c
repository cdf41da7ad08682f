/*
 * ledger_list.c - the post's attempts, newest first, as a supervisor
 * reviews a shift ("what was refused at Torkham today, and under which
 * rule?") or an auditor follows one officer's decisions.  A line says what
 * was decided, where, by whom and why, but not who crossed: opening the
 * attempt shows that, and is audited as a lookup.  The list walks the
 * attempts by id, a stretch at a time, so a call over ten million of them
 * stays short; filters narrow what the stretch gives.
 */
#include "ledger.h"

#include <string.h>

/* ?1 the first id past the stretch (below it, newest first), ?2 the
 * stretch's floor; ?3 day, ?4 crossing, ?5 officer, ?6 direction, ?7
 * final outcome ('' for any); ?8 the most rows. */
static const char sql_attempts[] =
    "SELECT a.id, a.time, a.crossing, a.counter, a.officer, a.direction,"
    " a.nationality, a.decision, coalesce(r.decision, a.decision),"
    " r.attempt_id IS NOT NULL, a.rule,"
    " (SELECT coalesce(group_concat(x.value ->> 'code', ','), '')"
    " FROM json_each(a.decision_json, '$.reasons') x)"
    " FROM attempt a LEFT JOIN resolution r ON r.attempt_id = a.id"
    " WHERE a.id < ?1 AND a.id >= ?2"
    " AND (?3 = '' OR a.day = ?3) AND (?4 = '' OR a.crossing = ?4)"
    " AND (?5 = '' OR a.officer = ?5) AND (?6 = '' OR a.direction = ?6)"
    " AND (?7 = '' OR coalesce(r.decision, a.decision) = ?7)"
    " ORDER BY a.id DESC LIMIT ?8";
static const char sql_newest[] = "SELECT coalesce(max(id), 0) FROM attempt";

static enum sarhad_outcome
outcome_of(const char *name)
{
    return strcmp(name, "admit") == 0    ? SARHAD_ADMIT
           : strcmp(name, "refuse") == 0 ? SARHAD_REFUSE
                                         : SARHAD_REFER;
}

/* The filter's values as bound, "" for any; false (with *err) for one
 * that is not a value of its kind. */
static bool
filter_values(const struct sarhad_attempt_filter *f, const char *v[5],
              struct sarhad_error *err)
{
    static const char *const names[5] = {"day", "crossing", "officer",
                                         "direction", "outcome"};
    struct sarhad_date d;

    v[0] = f != NULL && f->day != NULL ? f->day : "";
    v[1] = f != NULL && f->crossing != NULL ? f->crossing : "";
    v[2] = f != NULL && f->officer != NULL ? f->officer : "";
    v[3] = f != NULL && f->direction != NULL ? f->direction : "";
    v[4] = f != NULL && f->outcome != NULL ? f->outcome : "";
    for (int i = 0; i < 5; i++)
        if (strlen(v[i]) > 64) {
            sarhad__fail(err, SARHAD_EINVAL, names[i], SIZE_MAX, "too long");
            return false;
        }
    if (v[0][0] != '\0' &&
        (strlen(v[0]) != 10 ||
         sarhad_date_parse(&d, v[0], strlen(v[0]), NULL) != SARHAD_OK)) {
        sarhad__fail(err, SARHAD_EINVAL, "day", SIZE_MAX,
                     "expected a day YYYY-MM-DD");
        return false;
    }
    if (v[3][0] != '\0' && strcmp(v[3], "entry") != 0 &&
        strcmp(v[3], "exit") != 0) {
        sarhad__fail(err, SARHAD_EINVAL, "direction", SIZE_MAX,
                     "expected entry or exit");
        return false;
    }
    if (v[4][0] != '\0' && strcmp(v[4], "admit") != 0 &&
        strcmp(v[4], "refuse") != 0 && strcmp(v[4], "refer") != 0) {
        sarhad__fail(err, SARHAD_EINVAL, "outcome", SIZE_MAX,
                     "expected admit, refuse or refer");
        return false;
    }
    return true;
}

static void
read_line(sqlite3_stmt *st, struct sarhad_attempt_line *a)
{
    memset(a, 0, sizeof(*a));
    a->id = sqlite3_column_int64(st, 0);
    sarhad__strlcpy(a->time, sarhad__col_text(st, 1), sizeof(a->time));
    sarhad__strlcpy(a->crossing, sarhad__col_text(st, 2), sizeof(a->crossing));
    sarhad__strlcpy(a->counter, sarhad__col_text(st, 3), sizeof(a->counter));
    sarhad__strlcpy(a->officer, sarhad__col_text(st, 4), sizeof(a->officer));
    a->direction = strcmp(sarhad__col_text(st, 5), "exit") == 0 ? SARHAD_EXIT
                                                                : SARHAD_ENTRY;
    sarhad__strlcpy(a->nationality, sarhad__col_text(st, 6),
                    sizeof(a->nationality));
    a->decided = outcome_of(sarhad__col_text(st, 7));
    a->outcome = outcome_of(sarhad__col_text(st, 8));
    a->reviewed = sqlite3_column_int(st, 9) != 0;
    sarhad__strlcpy(a->rule, sarhad__col_text(st, 10), sizeof(a->rule));
    sarhad__strlcpy(a->reasons, sarhad__col_text(st, 11), sizeof(a->reasons));
}

enum sarhad_status
sarhad_ledger_attempts(struct sarhad_store *store,
                       const struct sarhad_attempt_filter *filter,
                       int64_t before, unsigned limit,
                       bool (*fn)(void *ctx,
                                  const struct sarhad_attempt_line *a),
                       void *ctx, int64_t *next, struct sarhad_error *err)
{
    const char *v[5];
    struct sarhad_attempt_line line;
    sqlite3_stmt *st;
    int64_t floor, last = 0;
    unsigned given = 0;
    bool stopped = false;
    enum sarhad_status s;
    int rc;

    if (next != NULL)
        *next = 0;
    if (store == NULL || fn == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "attempts", SIZE_MAX,
                            "no store or callback");
    if (!filter_values(filter, v, err))
        return SARHAD_EINVAL;
    if (before <= 0) { /* from past the newest */
        s = sarhad__store_read_int(store, sql_newest, "read the attempts",
                                   &before, err);
        if (s != SARHAD_OK)
            return s;
        before++;
    }
    floor = before > SARHAD_ATTEMPT_LIST_STRETCH
                ? before - SARHAD_ATTEMPT_LIST_STRETCH
                : 1;
    st = sarhad__store_prepare(store, sql_attempts, err);
    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int64(st, 1, before);
    sqlite3_bind_int64(st, 2, floor);
    for (int i = 0; i < 5; i++)
        sqlite3_bind_text(st, 3 + i, v[i], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_line(st, &line);
        last = line.id;
        given++;
        if (!fn(ctx, &line)) {
            stopped = true;
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "list the attempts", err);
    if (next != NULL)
        *next = stopped || (limit > 0 && given >= limit) ? last
                : floor > 1                              ? floor
                                                         : 0;
    return SARHAD_OK;
}
