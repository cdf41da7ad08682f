/*
 * test_perf_batch.c - what a group-commit batch keeps in memory
 * (store_tally.c, and the audit head and attempt number the store handle
 * remembers) must leave exactly the store that recording one crossing at
 * a time leaves: the same summary rows, a sound audit chain, consecutive
 * attempt ids, also when an item fails in the middle and when a batch
 * touches more summary rows than the tally table holds.
 */
#include "test.h"

#include "../src/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct sarhad_actor clerk = {"off1", "officer", "TK", ""};

static struct sarhad_store *
open_fresh(const char *name, struct sarhad_ledger **ledger)
{
    struct sarhad_store_options opt = {true, false, "OFF"};
    struct sarhad_store *store = NULL;
    char path[300], policy[8192];
    FILE *f = fopen("tests/data/ledger_test.policy", "rb");
    size_t len = f != NULL ? fread(policy, 1, sizeof(policy) - 1, f) : 0;

    if (f != NULL)
        fclose(f);
    policy[len] = '\0';

    snprintf(path, sizeof(path), "%s/%s", test_tmpdir(), name);
    remove(path);
    if (sarhad_store_open(&store, path, &opt, NULL) != SARHAD_OK ||
        sarhad_ledger_init(store, "TK", "ledger_test.policy", policy, len,
                           &clerk, 1700000000, NULL) != SARHAD_OK ||
        sarhad_ledger_open(ledger, store, NULL) != SARHAD_OK) {
        sarhad_store_close(store);
        return NULL;
    }
    return store;
}

static enum sarhad_status
fail_irn(void *ctx, const struct sarhad_presentation *p,
         struct sarhad_screening *out, struct sarhad_error *err)
{
    (void)ctx;
    out->screened = true;
    if (strcmp(p->traveller.nationality, "IRN") == 0)
        return sarhad__fail(err, SARHAD_EIO, "screen", SIZE_MAX,
                            "watchlist unavailable");
    return SARHAD_OK;
}

/* Crossing i: twelve a day, so that a batch both adds to the same summary
 * rows several times and, over 58 days, touches more of them than
 * SARHAD__TALLY_MAX; some entries; every 37th one failing. */
static void
crossing(struct sarhad_presentation *p, int i)
{
    memset(p, 0, sizeof(*p));
    sarhad__strlcpy(p->crossing, i % 3 ? "TORKHAM" : "CHAMAN",
                    sizeof(p->crossing));
    p->direction = i % 4 == 3 ? SARHAD_ENTRY : SARHAD_EXIT;
    p->time.date.year = 2023;
    p->time.date.month = (uint8_t)(1 + (i / 12) / 28);
    p->time.date.day = (uint8_t)(1 + (i / 12) % 28);
    p->time.seconds = 9 * 3600;
    p->time.utc_offset_min = 300;
    sarhad__strlcpy(p->traveller.nationality, i % 37 == 5 ? "IRN" : "AFG", 4);
    p->traveller.sex = i % 2 ? 'F' : 'M';
    p->traveller.birth_date.year = (int16_t)(1950 + i % 2 * 60);
    p->traveller.birth_date.month = 1;
    p->traveller.birth_date.day = 1;
    p->movement.category = (enum sarhad_movement)(i % 3);
    p->movement.vehicles = i % 2;
}

/* The summary tables as one text, to compare two stores. */
static char *
summaries(struct sarhad_store *store)
{
    static const char *const sql[] = {
        "SELECT group_concat(t, ';') FROM (SELECT day || ',' || post || ','"
        " || crossing || ',' || direction || ',' || nationality || ','"
        " || decision || ',' || count AS t FROM daily_summary"
        " WHERE count != 0 ORDER BY 1)",
        "SELECT group_concat(t, ';') FROM (SELECT day || ',' || post || ','"
        " || crossing || ',' || documentation || ',' || category || ','"
        " || sex || ',' || age_band || ',' || count || ',' || vehicles"
        " || ',' || vulnerable AS t FROM returns_summary ORDER BY 1)",
        "SELECT group_concat(t, ';') FROM (SELECT day || ',' || post || ','"
        " || crossing || ',' || documentation || ',' || category || ','"
        " || count || ',' || children || ',' || women || ',' || vehicles"
        " || ',' || vulnerable AS t FROM returns_daily ORDER BY 1)",
        "SELECT group_concat(t, ';') FROM (SELECT day || ',' || post || ','"
        " || crossing || ',' || nationality || ',' || code || ',' || count"
        " AS t FROM refusal_summary ORDER BY 1)",
    };
    size_t cap = 1 << 20, len = 0;
    char *out = calloc(1, cap);

    for (size_t i = 0; out != NULL && i < sizeof(sql) / sizeof(sql[0]); i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(store->db, sql[i], -1, &st, NULL) != SQLITE_OK)
            break;
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            len += (size_t)snprintf(out + len, cap - len, "%s|",
                                    (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    return out;
}

static unsigned
problem_count(struct sarhad_store *store)
{
    struct sarhad_verify_problem found[4];
    unsigned n = 99;

    if (sarhad_ledger_verify(store, found, 4, &n, NULL) != SARHAD_OK)
        return 98;
    return n;
}

TEST(batch_tallies_match_one_at_a_time)
{
    struct sarhad_ledger *one_l, *batch_l;
    struct sarhad_store *one = open_fresh("perf_one.db", &one_l);
    struct sarhad_store *batch = open_fresh("perf_batch.db", &batch_l);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    int64_t id, expect = 0;
    enum sarhad_status s1, s2;
    char *a, *b;

    ASSERT(one != NULL && batch != NULL);
    sarhad_ledger_set_screen(one_l, fail_irn, NULL);
    sarhad_ledger_set_screen(batch_l, fail_irn, NULL);
    ASSERT_OK(sarhad_store_begin(batch, NULL));
    for (int i = 0; i < 700; i++) {
        crossing(&p, i);
        s1 = sarhad_ledger_cross(one_l, &p, &clerk, 1700000000 + i, &d, NULL,
                                 NULL);
        s2 = sarhad_ledger_cross(batch_l, &p, &clerk, 1700000000 + i, &d, &id,
                                 NULL);
        ASSERT_EQ_INT(s1, s2);
        if (s2 == SARHAD_OK)
            ASSERT_EQ_INT(++expect, id); /* no gap after a failed item */
        if (i == 350) /* verify inside the batch sees what it holds */
            ASSERT_EQ_INT(0, problem_count(batch));
    }
    ASSERT_OK(sarhad_store_commit(batch, NULL));
    ASSERT(expect > 600 && expect < 700);
    ASSERT_EQ_INT(0, problem_count(one));
    ASSERT_EQ_INT(0, problem_count(batch));
    a = summaries(one);
    b = summaries(batch);
    ASSERT(a != NULL && b != NULL && strlen(a) > 1000);
    ASSERT(strcmp(a, b) == 0);
    free(a);
    free(b);
    sarhad_ledger_close(one_l);
    sarhad_ledger_close(batch_l);
    sarhad_store_close(one);
    sarhad_store_close(batch);
}
