/*
 * test_ledger_list.c - the post's attempts as a supervisor reviews them:
 * newest first, each with its decision at the counter and its final
 * outcome after a resolution or an override, the rule and the reason
 * codes; narrowed by day, crossing, officer, direction and outcome; paged
 * by id; and a filter value that is not one is refused by name.
 */
#include "ledger_fixture.h"

#include <string.h>

struct listed {
    int n;
    int64_t ids[16];
    struct sarhad_attempt_line last;
};

static bool
take(void *ctx, const struct sarhad_attempt_line *a)
{
    struct listed *l = ctx;

    if (l->n < 16)
        l->ids[l->n] = a->id;
    l->n++;
    l->last = *a;
    return true;
}

static struct listed
list(struct sarhad_store *store, const struct sarhad_attempt_filter *f,
     int64_t before, unsigned limit, int64_t *next)
{
    struct listed l;

    memset(&l, 0, sizeof(l));
    if (sarhad_ledger_attempts(store, f, before, limit, take, &l, next, NULL) !=
        SARHAD_OK)
        l.n = -1;
    return l;
}

TEST(ledger_attempts_listed_newest_first_and_narrowed)
{
    static const struct sarhad_actor officer2 = {"ali", "officer", "TK", ""};
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("listed.db", &ledger);
    struct sarhad_attempt_filter f;
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_error err;
    struct listed l;
    int64_t id[6], next;

    ASSERT(store != NULL);
    /* 1: admitted on passport and visa; 2: refused, no visa; 3: a citizen
     * without a passport, referred, then refused on review; 4: a return at
     * CHAMAN by another officer; 5: an entry refused and overridden. */
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 5), "AFG");
    passport(&p, "P01111111");
    visa(&p, "V1111111", SARHAD_ENTRIES_MULTIPLE, 60);
    ASSERT_OK(sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, &id[1],
                                  NULL));
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 5), "AFG");
    passport(&p, "P02222222");
    ASSERT_OK(sarhad_ledger_cross(ledger, &p, &officer, 1699000100, &d, &id[2],
                                  NULL));
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 6), "PAK");
    numbered(&p, SARHAD_DOC_CNIC, "17301-1234567-1");
    ASSERT_OK(sarhad_ledger_cross(ledger, &p, &officer, 1699000200, &d, &id[3],
                                  NULL));
    ASSERT_EQ_INT(SARHAD_REFER, d.outcome);
    ASSERT_OK(sarhad_ledger_resolve(ledger, id[3], SARHAD_REFUSE,
                                    "identity not established", &supervisor,
                                    1699000300, NULL, NULL));
    begin(&p, "CHAMAN", SARHAD_EXIT, D(2023, 11, 6), "AFG");
    p.movement.category = SARHAD_MOVE_SPONTANEOUS_RETURN;
    ASSERT_OK(sarhad_ledger_cross(ledger, &p, &officer2, 1699000400, &d, &id[4],
                                  NULL));
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 6), "AFG");
    passport(&p, "P05555555");
    ASSERT_OK(sarhad_ledger_cross(ledger, &p, &officer, 1699000500, &d, &id[5],
                                  NULL));
    ASSERT_OK(sarhad_ledger_override(ledger, id[5], SARHAD_ADMIT,
                                     "medical exception", &supervisor,
                                     1699000600, NULL, NULL));

    l = list(store, NULL, 0, 100, &next);
    ASSERT_EQ_INT(5, l.n);
    for (int i = 0; i < 5; i++)
        ASSERT_EQ_INT((int)id[5 - i], (int)l.ids[i]);
    ASSERT_EQ_INT(0, (int)next); /* nothing older */
    /* The oldest line: admitted at the counter under its rule. */
    ASSERT_EQ_INT(SARHAD_ADMIT, l.last.outcome);
    ASSERT(!l.last.reviewed);
    ASSERT_EQ_STR("TORKHAM", l.last.crossing);
    ASSERT_EQ_STR("2023-11-05T09:00:00+05:00", l.last.time);

    memset(&f, 0, sizeof(f));
    f.outcome = "refuse"; /* the final outcome: the reviewed referral too */
    l = list(store, &f, 0, 100, NULL);
    ASSERT_EQ_INT(2, l.n);
    ASSERT_EQ_INT((int)id[3], (int)l.ids[0]);
    ASSERT_EQ_INT((int)id[2], (int)l.ids[1]);
    ASSERT_EQ_INT(SARHAD_REFUSE, l.last.decided);
    ASSERT_EQ_STR("no_accepted_document,missing_visa", l.last.reasons);
    f.outcome = "admit";
    f.day = "2023-11-06";
    l = list(store, &f, 0, 100, NULL);
    ASSERT_EQ_INT(2, l.n); /* the return, and the overridden refusal */
    ASSERT_EQ_INT((int)id[5], (int)l.ids[0]);
    memset(&f, 0, sizeof(f));
    f.officer = "ali";
    l = list(store, &f, 0, 100, NULL);
    ASSERT_EQ_INT(1, l.n);
    ASSERT_EQ_STR("CHAMAN", l.last.crossing);
    ASSERT_EQ_INT(SARHAD_EXIT, l.last.direction);
    memset(&f, 0, sizeof(f));
    f.crossing = "TORKHAM";
    f.direction = "entry";
    l = list(store, &f, 0, 100, NULL);
    ASSERT_EQ_INT(4, l.n);
    /* A review shows: decided refer at the counter, refused on review. */
    memset(&f, 0, sizeof(f));
    f.day = "2023-11-06";
    f.officer = "off1";
    l = list(store, &f, id[4], 100, NULL);
    ASSERT_EQ_INT(1, l.n);
    ASSERT_EQ_INT(SARHAD_REFER, l.last.decided);
    ASSERT_EQ_INT(SARHAD_REFUSE, l.last.outcome);
    ASSERT(l.last.reviewed);

    /* Pages of two, newest first, then on from where the last stopped. */
    l = list(store, NULL, 0, 2, &next);
    ASSERT_EQ_INT(2, l.n);
    ASSERT_EQ_INT((int)id[4], (int)next);
    l = list(store, NULL, next, 2, &next);
    ASSERT_EQ_INT((int)id[3], (int)l.ids[0]);
    ASSERT_EQ_INT((int)id[2], (int)next);
    l = list(store, NULL, next, 2, &next);
    ASSERT_EQ_INT(1, l.n);
    ASSERT_EQ_INT(0, (int)next);

    memset(&f, 0, sizeof(f));
    f.day = "2023-13-01";
    ASSERT_EQ_INT(SARHAD_EINVAL, sarhad_ledger_attempts(store, &f, 0, 10, take,
                                                        &l, NULL, &err));
    ASSERT_EQ_STR("day", err.field);
    memset(&f, 0, sizeof(f));
    f.outcome = "deport";
    ASSERT_EQ_INT(SARHAD_EINVAL, sarhad_ledger_attempts(store, &f, 0, 10, take,
                                                        &l, NULL, &err));
    ASSERT_EQ_STR("outcome", err.field);
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}
