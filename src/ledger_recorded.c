/*
 * ledger_recorded.c - the recorded attempts read back, in order, as the
 * presentations that were decided, so that a draft policy can decide them
 * again (`sarhad replay`).  An attempt keeps its presentation as it was
 * read: each MRZ rebuilt from its fields, with whether it read cleanly.
 * One whose MRZ did not read cleanly cannot be decided again from the
 * record (rebuilt, it would read cleanly now), nor one kept by its fields
 * alone; those are passed on marked as not replayable.
 */
#include "ledger.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* A chunk at a time, each in a read transaction of its own, so that a
 * replay beside a running server does not hold its log from rewinding. */
#define CHUNK 1000

static const char sql_recorded[] =
    "SELECT id, day, crossing, decision, rule, presentation FROM attempt"
    " WHERE id >= ?1 ORDER BY id LIMIT ?2";

/* The stored presentation as a presentation reader takes it: without the
 * MRZs' "mrz_valid", which only the record holds; false when a document
 * did not read cleanly or has no MRZ text to read again. */
static bool
as_input(const char *stored, size_t len, char **out)
{
    json_t *root = json_loadb(stored, len, JSON_REJECT_DUPLICATES, NULL);
    json_t *docs = json_object_get(root, "documents"), *d;
    bool clean = root != NULL;
    size_t i;

    *out = NULL;
    json_array_foreach(docs, i, d)
    {
        json_t *valid = json_object_get(d, "mrz_valid");
        if (valid == NULL)
            continue;
        if (!json_is_true(valid) || json_object_get(d, "mrz") == NULL)
            clean = false;
        json_object_del(d, "mrz_valid");
    }
    if (clean)
        *out = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return *out != NULL;
}

static enum sarhad_outcome
outcome_of(const char *name)
{
    return strcmp(name, "admit") == 0    ? SARHAD_ADMIT
           : strcmp(name, "refuse") == 0 ? SARHAD_REFUSE
                                         : SARHAD_REFER;
}

/* Read one chunk from *next on into fn; *next moves past it, 0 at the
 * end. */
static enum sarhad_status
chunk(struct sarhad_store *store, struct sarhad_presentation *p,
      bool (*fn)(void *ctx, const struct sarhad_recorded_attempt *a), void *ctx,
      int64_t *next, struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_recorded, err);
    struct sarhad_recorded_attempt a;
    int rc, rows = 0;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int64(st, 1, *next);
    sqlite3_bind_int(st, 2, CHUNK);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(st, 5);
        char *input = NULL;
        rows++;
        memset(&a, 0, sizeof(a));
        a.id = sqlite3_column_int64(st, 0);
        sarhad__strlcpy(a.day, sarhad__col_text(st, 1), sizeof(a.day));
        sarhad__strlcpy(a.crossing, sarhad__col_text(st, 2),
                        sizeof(a.crossing));
        a.outcome = outcome_of(sarhad__col_text(st, 3));
        sarhad__strlcpy(a.rule, sarhad__col_text(st, 4), sizeof(a.rule));
        a.replayable =
            text != NULL &&
            as_input(text, (size_t)sqlite3_column_bytes(st, 5), &input) &&
            sarhad_presentation_parse(p, input, strlen(input), NULL) ==
                SARHAD_OK;
        free(input);
        a.p = a.replayable ? p : NULL;
        *next = a.id + 1;
        if (!fn(ctx, &a)) {
            rc = SQLITE_DONE;
            rows = 0; /* stopped: no more chunks */
            break;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "read the attempts", err);
    if (rows < CHUNK)
        *next = 0;
    return SARHAD_OK;
}

enum sarhad_status
sarhad_ledger_each_recorded(struct sarhad_store *store,
                            bool (*fn)(void *ctx,
                                       const struct sarhad_recorded_attempt *a),
                            void *ctx, struct sarhad_error *err)
{
    struct sarhad_presentation *p;
    enum sarhad_status s = SARHAD_OK;
    int64_t next = 1;

    if (store == NULL || fn == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "recorded", SIZE_MAX,
                            "a store and a callback are required");
    p = sarhad__malloc(sizeof(*p));
    if (p == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "recorded", SIZE_MAX, NULL);
    while (s == SARHAD_OK && next > 0)
        s = chunk(store, p, fn, ctx, &next, err);
    sarhad__free(p);
    return s;
}
