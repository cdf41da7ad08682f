/*
 * test_ledger_replay.c - the recorded attempts read back in order as the
 * presentations that were decided: deciding them again under the same
 * policy gives the same decisions; an attempt whose MRZ did not read
 * cleanly is marked as not replayable rather than read back as clean.
 */
#include "ledger_fixture.h"

#include <string.h>

struct seen {
    struct sarhad_ledger *ledger; /* decides again, without recording */
    unsigned n, replayable, same;
    int64_t ids[8];
};

static bool
decide_again(void *ctx, const struct sarhad_recorded_attempt *a)
{
    struct seen *s = ctx;
    struct sarhad_history h;
    struct sarhad_decision d;

    if (s->n < 8)
        s->ids[s->n] = a->id;
    s->n++;
    if (!a->replayable)
        return true;
    s->replayable++;
    /* The first sighting of each: no history, as when it was decided. */
    memset(&h, 0, sizeof(h));
    h.known = true;
    if (sarhad_policy_decide(&d, sarhad_ledger_policy(s->ledger), a->p, &h,
                             NULL, NULL) == SARHAD_OK &&
        d.outcome == a->outcome && strcmp(d.rule, a->rule) == 0)
        s->same++;
    return true;
}

TEST(ledger_recorded_attempts_read_back_as_decided)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("recorded.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct seen s;

    ASSERT(store != NULL);
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 5), "AFG");
    passport(&p, "P01234567");
    visa(&p, "V1234567", SARHAD_ENTRIES_MULTIPLE, 30);
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1700000000, &d, NULL, NULL));
    begin(&p, "CHAMAN", SARHAD_EXIT, D(2023, 11, 6), "AFG");
    numbered(&p, SARHAD_DOC_POR, "POR-123456");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1700000000, &d, NULL, NULL));
    /* A passport whose MRZ did not read cleanly (a check digit failed). */
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 7), "AFG");
    passport(&p, "P07654321");
    p.documents[0].mrz.valid = false;
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1700000000, &d, NULL, NULL));

    memset(&s, 0, sizeof(s));
    s.ledger = ledger;
    ASSERT_OK(sarhad_ledger_each_recorded(store, decide_again, &s, NULL));
    ASSERT_EQ_INT(3, (int)s.n);
    ASSERT_EQ_INT(1, (int)s.ids[0]); /* oldest first */
    ASSERT_EQ_INT(3, (int)s.ids[2]);
    ASSERT_EQ_INT(2, (int)s.replayable);
    ASSERT_EQ_INT(2, (int)s.same);
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}
