/*
 * test_ledger_detentions.c - the arrests and detentions report (the
 * UNHCR-IOM flash updates' "by province and status"): deportations and
 * exits that name an arrest count by the week of the exit, the province
 * of arrest and the documentation status, with the mean days held over
 * the dated arrests and each row's cumulative count; a return that names
 * no arrest is not among them.  The same figures outside a batch and
 * inside one, through overrides either way, and sarhad verify recomputes
 * them.
 */
#include "ledger_fixture.h"

#include <string.h>

struct lines {
    int rows;
    char text[8][160];
};

static bool
line_row(void *ctx, const struct sarhad_report_row *r)
{
    struct lines *l = ctx;
    size_t n = 0;

    if (l->rows < 8) {
        char *t = l->text[l->rows];
        t[0] = '\0';
        for (unsigned i = 0; i < r->column_count; i++)
            n += (size_t)snprintf(t + n, sizeof(l->text[0]) - n, "%s%s",
                                  i ? "|" : "",
                                  r->values[i] ? r->values[i] : "-");
    }
    l->rows++;
    return true;
}

/* The detentions report from `from` on; rows is -1 when it fails. */
static struct lines
detentions(struct sarhad_store *store, struct sarhad_date from)
{
    struct sarhad_report_filter f;
    struct lines l;

    memset(&f, 0, sizeof(f));
    memset(&l, 0, sizeof(l));
    f.from = from;
    if (sarhad_ledger_report(store, SARHAD_REPORT_DETENTIONS, &f, line_row, &l,
                             NULL) != SARHAD_OK)
        l.rows = -1;
    return l;
}

/* An Afghan leaving BARABCHA on day as category, arrested in province
 * (NONE: not stated) on arrested (year 0: not stated). */
static void
leaving(struct sarhad_presentation *p, struct sarhad_date day,
        enum sarhad_movement category, enum sarhad_province province,
        struct sarhad_date arrested)
{
    begin(p, "BARABCHA", SARHAD_EXIT, day, "AFG");
    p->movement.category = category;
    p->movement.arrest_province = province;
    p->movement.arrested_on = arrested;
}

static void
keep_text(void *ctx, const char *json, size_t len)
{
    char *out = ctx;

    snprintf(out, 4096, "%.*s", (int)len, json);
}

static int64_t
cross(struct sarhad_ledger *ledger, struct sarhad_presentation *p,
      enum sarhad_outcome want)
{
    struct sarhad_decision d;
    int64_t id = 0;

    if (sarhad_ledger_cross(ledger, p, &officer, 1699000000, &d, &id, NULL) !=
            SARHAD_OK ||
        d.outcome != want)
        return 0;
    return id;
}

/* The week of 6 Nov 2023 (a Monday) and the next. */
static void
record_two_weeks(struct sarhad_ledger *ledger)
{
    static const struct sarhad_date none;
    struct sarhad_presentation p;

    /* Held 7 and 6 days: a mean of 6.5, rounded to 7. */
    leaving(&p, D(2023, 11, 6), SARHAD_MOVE_DEPORTATION, SARHAD_PROVINCE_SINDH,
            D(2023, 10, 30));
    ASSERT(cross(ledger, &p, SARHAD_ADMIT) > 0);
    leaving(&p, D(2023, 11, 7), SARHAD_MOVE_DEPORTATION, SARHAD_PROVINCE_SINDH,
            D(2023, 11, 1));
    ASSERT(cross(ledger, &p, SARHAD_ADMIT) > 0);
    /* A deportee whose arrest is not on the handover papers. */
    leaving(&p, D(2023, 11, 8), SARHAD_MOVE_DEPORTATION, SARHAD_PROVINCE_NONE,
            none);
    ASSERT(cross(ledger, &p, SARHAD_ADMIT) > 0);
    /* A PoR holder deported: another documentation status. */
    leaving(&p, D(2023, 11, 8), SARHAD_MOVE_DEPORTATION, SARHAD_PROVINCE_SINDH,
            D(2023, 11, 8));
    numbered(&p, SARHAD_DOC_POR, "POR-77");
    ASSERT(cross(ledger, &p, SARHAD_ADMIT) > 0);
    /* Released and leaving of their own accord: counted as arrested. */
    leaving(&p, D(2023, 11, 13), SARHAD_MOVE_SPONTANEOUS_RETURN,
            SARHAD_PROVINCE_PUNJAB, none);
    ASSERT(cross(ledger, &p, SARHAD_ADMIT) > 0);
    /* A return with no arrest is not. */
    leaving(&p, D(2023, 11, 13), SARHAD_MOVE_SPONTANEOUS_RETURN,
            SARHAD_PROVINCE_NONE, none);
    ASSERT(cross(ledger, &p, SARHAD_ADMIT) > 0);
    leaving(&p, D(2023, 11, 14), SARHAD_MOVE_DEPORTATION, SARHAD_PROVINCE_SINDH,
            D(2023, 11, 10));
    ASSERT(cross(ledger, &p, SARHAD_ADMIT) > 0);
}

static void
expect_two_weeks(struct sarhad_store *store)
{
    struct lines l = detentions(store, D(2023, 11, 1));

    ASSERT_EQ_INT(5, l.rows);
    ASSERT_EQ_STR("2023-11-06|TK|BARABCHA|not stated|undocumented|deportation"
                  "|-|1|1",
                  l.text[0]);
    ASSERT_EQ_STR("2023-11-06|TK|BARABCHA|sindh|por|deportation|0|1|1",
                  l.text[1]);
    ASSERT_EQ_STR("2023-11-06|TK|BARABCHA|sindh|undocumented|deportation"
                  "|7|2|2",
                  l.text[2]);
    ASSERT_EQ_STR("2023-11-13|TK|BARABCHA|punjab|undocumented"
                  "|spontaneous_return|-|1|1",
                  l.text[3]);
    ASSERT_EQ_STR("2023-11-13|TK|BARABCHA|sindh|undocumented|deportation"
                  "|4|3|1",
                  l.text[4]);
    /* Asked from the second week, the cumulative count starts there. */
    l = detentions(store, D(2023, 11, 13));
    ASSERT_EQ_INT(2, l.rows);
    ASSERT_EQ_STR("2023-11-13|TK|BARABCHA|sindh|undocumented|deportation"
                  "|4|1|1",
                  l.text[1]);
    ASSERT_EQ_INT(0, problems(store));
}

TEST(ledger_detentions_by_province_and_status)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("detentions.db", &ledger);

    ASSERT(store != NULL);
    record_two_weeks(ledger);
    expect_two_weeks(store);
    /* The recorded presentation keeps the arrest, so the national store
     * (which reads it) sees what the post does. */
    ASSERT_EQ_INT(4, (int)scalar(store, "SELECT count(*) FROM attempt"
                                        " WHERE presentation ->>"
                                        " '$.movement.arrest_province'"
                                        " = 'sindh'"));
    ASSERT_EQ_INT(3, (int)scalar(store, "SELECT count(*) FROM attempt"
                                        " WHERE presentation ->>"
                                        " '$.movement.arrested_on'"
                                        " IS NOT NULL AND presentation ->>"
                                        " '$.movement.arrest_province'"
                                        " = 'sindh' AND day != '2023-11-08'"));
    /* An edit made around sarhad is found. */
    ASSERT_OK(sarhad__store_exec(store->db,
                                 "UPDATE detention_daily SET held_days = 99"
                                 " WHERE province = 'punjab'",
                                 NULL));
    ASSERT(problems(store) > 0);
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

TEST(ledger_detentions_inside_a_batch)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("detentions_batch.db", &ledger);

    ASSERT(store != NULL);
    ASSERT_OK(sarhad_store_begin(store, NULL));
    record_two_weeks(ledger);
    ASSERT_OK(sarhad_store_commit(store, NULL));
    expect_two_weeks(store);
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

TEST(ledger_detentions_follow_overrides)
{
    static const struct sarhad_date none;
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("detentions_override.db", &ledger);
    struct sarhad_presentation p;
    struct lines l;
    static char text[4096];
    int64_t deported, refused;

    ASSERT(store != NULL);
    leaving(&p, D(2023, 11, 6), SARHAD_MOVE_DEPORTATION,
            SARHAD_PROVINCE_KHYBER_PAKHTUNKHWA, D(2023, 11, 2));
    ASSERT((deported = cross(ledger, &p, SARHAD_ADMIT)) > 0);
    /* The attempt shows the arrest as recorded, and the days held. */
    ASSERT_OK(sarhad_ledger_attempt(store, deported, keep_text, text, NULL));
    ASSERT(strstr(text, "\"arrest_province\":\"khyber_pakhtunkhwa\","
                        "\"days_held\":4}") != NULL);
    ASSERT(strstr(text, "\"arrested_on\":\"2023-11-02\"") != NULL);
    /* An Iranian deportee with no passport is refused by the rules... */
    leaving(&p, D(2023, 11, 6), SARHAD_MOVE_DEPORTATION,
            SARHAD_PROVINCE_KHYBER_PAKHTUNKHWA, D(2023, 10, 27));
    strcpy(p.traveller.nationality, "IRN");
    ASSERT((refused = cross(ledger, &p, SARHAD_REFUSE)) > 0);
    l = detentions(store, none);
    ASSERT_EQ_INT(1, l.rows);
    ASSERT_EQ_STR("2023-11-06|TK|BARABCHA|khyber_pakhtunkhwa|undocumented"
                  "|deportation|4|1|1",
                  l.text[0]);
    /* ...and admitted by a supervisor: held 4 and 10 days. */
    ASSERT_OK(sarhad_ledger_override(ledger, refused, SARHAD_ADMIT,
                                     "handed over by the FIA", &supervisor,
                                     1699000100, NULL, NULL));
    l = detentions(store, none);
    ASSERT_EQ_STR("2023-11-06|TK|BARABCHA|khyber_pakhtunkhwa|undocumented"
                  "|deportation|7|2|2",
                  l.text[0]);
    ASSERT_EQ_INT(0, problems(store));
    /* The first turned back: only the second's 10 days remain. */
    ASSERT_OK(sarhad_ledger_override(ledger, deported, SARHAD_REFUSE,
                                     "wrong person handed over", &supervisor,
                                     1699000200, NULL, NULL));
    l = detentions(store, none);
    ASSERT_EQ_INT(1, l.rows);
    ASSERT_EQ_STR("2023-11-06|TK|BARABCHA|khyber_pakhtunkhwa|undocumented"
                  "|deportation|10|1|1",
                  l.text[0]);
    ASSERT_EQ_INT(0, problems(store));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}
