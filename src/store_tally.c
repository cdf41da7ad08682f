/*
 * store_tally.c - summary-table increments held in memory for the length
 * of a group-commit batch.  Every recorded crossing adds one to a few
 * summary rows (daily counts, returns, refusals); a batch of a thousand
 * crossings touches only a few dozen distinct rows, so the increments are
 * summed here and each row is upserted once, just before COMMIT, in the
 * same transaction: the summaries still change atomically with the events
 * they count.  A crossing hands its tallies over only once it has been
 * recorded, so a failed item never counts.
 */
#include "internal.h"

#include <string.h>

static uint32_t
tally_hash(const char *sql, const char *key, size_t len)
{
    uint32_t h = 2166136261u ^ (uint32_t)(uintptr_t)sql;

    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)key[i]) * 16777619u;
    return h;
}

bool
sarhad__tally_set(struct sarhad__tally *t, const char *sql,
                  const char *const *texts, unsigned ntext, const int64_t *v,
                  unsigned nint)
{
    size_t len = 0;

    if (nint > SARHAD__TALLY_INTS)
        return false;
    for (unsigned i = 0; i < ntext; i++) {
        size_t n = strlen(texts[i]) + 1;
        if (len + n > sizeof(t->key))
            return false;
        memcpy(t->key + len, texts[i], n);
        len += n;
    }
    t->sql = sql;
    t->ntext = ntext;
    t->nint = nint;
    t->key_len = len;
    t->hash = tally_hash(sql, t->key, len);
    memcpy(t->v, v, nint * sizeof(v[0]));
    return true;
}

void
sarhad__store_tally(struct sarhad_store *store, const struct sarhad__tally *t)
{
    const size_t mask = SARHAD_COUNT_OF(store->tally_slot) - 1;
    size_t i = t->hash & mask;

    for (; store->tally_slot[i] != 0; i = (i + 1) & mask) {
        struct sarhad__tally *e = &store->tallies[store->tally_slot[i] - 1];
        if (e->hash == t->hash && e->sql == t->sql &&
            e->key_len == t->key_len &&
            memcmp(e->key, t->key, t->key_len) == 0) {
            for (unsigned k = 0; k < t->nint; k++)
                e->v[k] += t->v[k];
            return;
        }
    }
    store->tallies[store->tally_count++] = *t;
    store->tally_slot[i] = (uint16_t)store->tally_count;
}

enum sarhad_status
sarhad__tally_write(struct sarhad_store *store, const struct sarhad__tally *t,
                    struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, t->sql, err);
    const char *k = t->key;
    int rc;

    if (st == NULL)
        return err != NULL ? err->code : SARHAD_EDB;
    for (unsigned j = 0; j < t->ntext; j++) {
        sqlite3_bind_text(st, (int)j + 1, k, -1, SQLITE_STATIC);
        k += strlen(k) + 1;
    }
    for (unsigned j = 0; j < t->nint; j++)
        sqlite3_bind_int64(st, (int)(t->ntext + j) + 1, t->v[j]);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "update the summaries", err);
    return SARHAD_OK;
}

enum sarhad_status
sarhad__store_tally_flush(struct sarhad_store *store, struct sarhad_error *err)
{
    for (size_t i = 0; i < store->tally_count; i++) {
        enum sarhad_status s =
            sarhad__tally_write(store, &store->tallies[i], err);
        if (s != SARHAD_OK)
            return s;
    }
    store->tally_count = 0;
    memset(store->tally_slot, 0, sizeof(store->tally_slot));
    return SARHAD_OK;
}

enum sarhad_status
sarhad__store_tally_room(struct sarhad_store *store, size_t n,
                         struct sarhad_error *err)
{
    if (store->tally_count + n <= SARHAD__TALLY_MAX)
        return SARHAD_OK;
    return sarhad__store_tally_flush(store, err);
}
