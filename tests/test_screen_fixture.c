/*
 * test_screen_fixture.c - a small screener built from a list of names,
 * and one entry's score for a query name, for the screening rule tests.
 */
#include "screen_fixture.h"

#include <stdio.h>
#include <string.h>

struct sarhad_screener *
screen_list(const char *prefix, const char *const *names, size_t count)
{
    struct sarhad_screener *s = NULL;

    if (sarhad_screener_new(&s, "v1", NULL) != SARHAD_OK)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        struct sarhad_watchlist_entry e;
        memset(&e, 0, sizeof(e));
        snprintf(e.id, sizeof(e.id), "%s-%zu", prefix, i + 1);
        snprintf(e.names[e.name_count++], SARHAD_WL_NAME_LEN, "%s", names[i]);
        if (sarhad_screener_add(s, &e, NULL) != SARHAD_OK) {
            sarhad_screener_close(s);
            return NULL;
        }
    }
    if (sarhad_screener_finish(s, NULL) != SARHAD_OK) {
        sarhad_screener_close(s);
        return NULL;
    }
    return s;
}

int
screen_score(const struct sarhad_screener *s, const char *name, const char *id,
             char *why, size_t cap)
{
    struct sarhad_screen_query q;
    struct sarhad_screening out;

    memset(&q, 0, sizeof(q));
    q.name = name;
    if (sarhad_screener_query(s, &q, 0, &out, NULL) != SARHAD_OK)
        return -3;
    for (unsigned i = 0; i < out.hit_count; i++)
        if (strcmp(out.hits[i].entry_id, id) == 0) {
            if (why != NULL)
                snprintf(why, cap, "%s", out.hits[i].why);
            return out.hits[i].score;
        }
    return -1;
}
