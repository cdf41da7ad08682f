/*
 * test_ledger_families.c - the households returned as families, which the
 * tallies report counts per day and crossing: a household is one family
 * however many of its members cross, outside a batch and inside one; a
 * household crossing at two crossings, or on two days, is a family at
 * each; an override that turns back a household's last counted member
 * takes the family out, and a member admitted later brings it back; and
 * sarhad verify recomputes the counts.
 */
#include "ledger_fixture.h"

#include <stdlib.h>
#include <string.h>

struct tally {
    int rows;
    char last[256];
    long long families, count;
};

static bool
tally_row(void *ctx, const struct sarhad_report_row *r)
{
    struct tally *t = ctx;
    size_t n = 0;

    t->rows++;
    t->families += atoll(r->values[3]);
    t->count += atoll(r->values[r->column_count - 1]);
    t->last[0] = '\0';
    for (unsigned i = 0; i < r->column_count; i++)
        n += (size_t)snprintf(t->last + n, sizeof(t->last) - n, "%s%s",
                              i ? "|" : "", r->values[i] ? r->values[i] : "");
    return true;
}

/* The tallies report of one day; rows is -1 when it fails. */
static struct tally
tallies(struct sarhad_store *store, struct sarhad_date day)
{
    struct sarhad_report_filter f;
    struct tally t;

    memset(&f, 0, sizeof(f));
    memset(&t, 0, sizeof(t));
    f.from = day;
    f.to = day;
    if (sarhad_ledger_report(store, SARHAD_REPORT_TALLIES, &f, tally_row, &t,
                             NULL) != SARHAD_OK)
        t.rows = -1;
    return t;
}

/* A member of household hh returning at crossing on day; child when
 * born in 2015, a woman when sex is 'F'. */
static void
member(struct sarhad_presentation *p, const char *crossing,
       struct sarhad_date day, const char *hh, char sex, bool child)
{
    begin(p, crossing, SARHAD_EXIT, day, "AFG");
    p->traveller.sex = sex;
    if (child)
        p->traveller.birth_date = D(2015, 3, 3);
    p->movement.category = SARHAD_MOVE_SPONTANEOUS_RETURN;
    sarhad__strlcpy(p->movement.household, hh, sizeof(p->movement.household));
}

/* Record an exit that is admitted; its attempt id, or 0 when not. */
static int64_t
cross(struct sarhad_ledger *ledger, struct sarhad_presentation *p)
{
    struct sarhad_decision d;
    int64_t id = 0;

    if (sarhad_ledger_cross(ledger, p, &officer, 1698900000, &d, &id, NULL) !=
            SARHAD_OK ||
        d.outcome != SARHAD_ADMIT)
        return 0;
    return id;
}

TEST(ledger_families_counted_once_a_day_and_crossing)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("families.db", &ledger);
    struct sarhad_presentation p;
    struct tally t;

    ASSERT(store != NULL);
    /* H1: a man, a woman and a child at Torkham; H2: one woman there. */
    member(&p, "TORKHAM", D(2023, 11, 2), "H1", 'M', false);
    p.movement.vehicles = 1;
    ASSERT(cross(ledger, &p) > 0);
    member(&p, "TORKHAM", D(2023, 11, 2), "H1", 'F', false);
    ASSERT(cross(ledger, &p) > 0);
    member(&p, "TORKHAM", D(2023, 11, 2), "H1", 'M', true);
    ASSERT(cross(ledger, &p) > 0);
    member(&p, "TORKHAM", D(2023, 11, 2), "H2", 'F', false);
    ASSERT(cross(ledger, &p) > 0);
    /* Someone returning with no household named is no family. */
    member(&p, "TORKHAM", D(2023, 11, 2), "", 'M', false);
    ASSERT(cross(ledger, &p) > 0);
    t = tallies(store, D(2023, 11, 2));
    ASSERT_EQ_INT(1, t.rows);
    ASSERT_EQ_STR("2023-11-02|TK|TORKHAM|2|2|2|1|1|5", t.last);

    /* The rest of H1 at Chaman, and H2 again the next day: a family at
     * each crossing and on each day it crossed. */
    member(&p, "CHAMAN", D(2023, 11, 2), "H1", 'F', true);
    ASSERT(cross(ledger, &p) > 0);
    member(&p, "TORKHAM", D(2023, 11, 3), "H2", 'M', false);
    ASSERT(cross(ledger, &p) > 0);
    t = tallies(store, D(2023, 11, 2));
    ASSERT_EQ_INT(2, t.rows);
    ASSERT_EQ_INT(3, (int)t.families);
    ASSERT_EQ_INT(6, (int)t.count);
    t = tallies(store, D(2023, 11, 3));
    ASSERT_EQ_STR("2023-11-03|TK|TORKHAM|1|1|0|0|0|1", t.last);

    /* Inside a batch the members are summed before the commit: the same
     * figures, one row of household_day per family. */
    ASSERT_OK(sarhad_store_begin(store, NULL));
    for (int i = 0; i < 4; i++) {
        member(&p, "BARABCHA", D(2023, 11, 4), i < 3 ? "H3" : "H4", 'F',
               i == 1);
        ASSERT(cross(ledger, &p) > 0);
    }
    ASSERT_OK(sarhad_store_commit(store, NULL));
    t = tallies(store, D(2023, 11, 4));
    ASSERT_EQ_STR("2023-11-04|TK|BARABCHA|2|0|3|1|0|4", t.last);
    ASSERT_EQ_INT(3, (int)scalar(store, "SELECT members FROM household_day"
                                        " WHERE household = 'H3'"));
    ASSERT_EQ_INT(0, problems(store));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

TEST(ledger_families_follow_overrides)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("families_override.db", &ledger);
    struct sarhad_presentation p;
    int64_t first, second;

    ASSERT(store != NULL);
    member(&p, "TORKHAM", D(2023, 11, 2), "H9", 'M', false);
    ASSERT((first = cross(ledger, &p)) > 0);
    member(&p, "TORKHAM", D(2023, 11, 2), "H9", 'F', false);
    ASSERT((second = cross(ledger, &p)) > 0);
    ASSERT_EQ_INT(1, (int)tallies(store, D(2023, 11, 2)).families);

    /* One member turned back: the family still returned. */
    ASSERT_OK(sarhad_ledger_override(ledger, first, SARHAD_REFUSE,
                                     "held for inquiry", &supervisor,
                                     1698900100, NULL, NULL));
    ASSERT_EQ_INT(1, (int)tallies(store, D(2023, 11, 2)).families);
    ASSERT_EQ_INT(0, problems(store));
    /* Both turned back: no family, and no row of the day left. */
    ASSERT_OK(sarhad_ledger_override(ledger, second, SARHAD_REFUSE,
                                     "held for inquiry", &supervisor,
                                     1698900200, NULL, NULL));
    ASSERT_EQ_INT(0, tallies(store, D(2023, 11, 2)).rows);
    ASSERT_EQ_INT(0, problems(store));

    /* Another member returning that day brings the family back. */
    member(&p, "TORKHAM", D(2023, 11, 2), "H9", 'F', true);
    ASSERT(cross(ledger, &p) > 0);
    ASSERT_EQ_INT(1, (int)tallies(store, D(2023, 11, 2)).families);
    ASSERT_EQ_INT(0, problems(store));

    /* An edit made around sarhad is found. */
    ASSERT_OK(sarhad__store_exec(store->db,
                                 "UPDATE household_day SET members = 2"
                                 " WHERE household = 'H9'",
                                 NULL));
    ASSERT(problems(store) > 0);
    ASSERT_OK(sarhad__store_exec(store->db,
                                 "UPDATE household_day SET members = 1", NULL));
    ASSERT_EQ_INT(0, problems(store));
    ASSERT_OK(sarhad__store_exec(store->db,
                                 "UPDATE family_daily SET families = 5", NULL));
    ASSERT(problems(store) > 0);
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}
