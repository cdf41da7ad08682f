/*
 * test_ledger_override.c - a supervisor's override of a decision: the final
 * outcome moves, what the admission changed is made or unmade exactly
 * (stays, visa entries, returns, PoR cards), only the traveller's latest
 * attempt can be overridden, and sarhad verify finds the store sound after.
 */
#include "ledger_fixture.h"

#include <string.h>

static void
traveller_with_visa(struct sarhad_presentation *p, enum sarhad_direction dir,
                    struct sarhad_date day, enum sarhad_visa_entries entries)
{
    begin(p, "TORKHAM", dir, day, "AFG");
    passport(p, "P01234567");
    visa(p, "V1234567", entries, 30);
}

static enum sarhad_status
cross_at(struct sarhad_ledger *ledger, struct sarhad_presentation *p,
         struct sarhad_decision *d, int64_t *id)
{
    return sarhad_ledger_cross(ledger, p, &officer, 1700000000, d, id, NULL);
}

static long long
daily(struct sarhad_store *store, const char *day, const char *decision)
{
    char sql[200];

    snprintf(sql, sizeof(sql),
             "SELECT coalesce(sum(count), 0) FROM daily_summary"
             " WHERE day = '%s' AND decision = '%s'",
             day, decision);
    return scalar(store, sql);
}

TEST(ledger_override_admits_a_refusal)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("override_admit.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_error err;
    int64_t entry, exit_id, refused, seq = 0;

    ASSERT(store != NULL);
    traveller_with_visa(&p, SARHAD_ENTRY, D(2023, 11, 5),
                        SARHAD_ENTRIES_SINGLE);
    ASSERT_OK(cross_at(ledger, &p, &d, &entry));
    p.direction = SARHAD_EXIT;
    p.time.date = D(2023, 11, 20);
    ASSERT_OK(cross_at(ledger, &p, &d, &exit_id));
    /* The single-entry visa is used: refused. */
    p.direction = SARHAD_ENTRY;
    p.time.date = D(2023, 12, 1);
    ASSERT_OK(cross_at(ledger, &p, &d, &refused));
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT_EQ_INT(1, (int)daily(store, "2023-12-01", "refuse"));
    ASSERT(scalar(store, "SELECT count(*) FROM refusal_summary"
                         " WHERE day = '2023-12-01' AND count > 0") > 0);

    /* Only a supervisor, only with a reason, only the latest attempt. */
    ASSERT_EQ_INT(SARHAD_EPERM, sarhad_ledger_override(
                                    ledger, refused, SARHAD_ADMIT, "medical",
                                    &officer, 1700001000, NULL, &err));
    ASSERT_EQ_INT(SARHAD_EINVAL,
                  sarhad_ledger_override(ledger, refused, SARHAD_ADMIT, "  ",
                                         &supervisor, 1700001000, NULL, &err));
    ASSERT_EQ_STR("reason", err.field);
    ASSERT_EQ_INT(SARHAD_EINVAL, sarhad_ledger_override(
                                     ledger, exit_id, SARHAD_REFUSE, "wrong",
                                     &supervisor, 1700001000, NULL, &err));
    ASSERT(strstr(err.message, "later crossing") != NULL);
    ASSERT_EQ_INT(SARHAD_EINVAL, sarhad_ledger_override(
                                     ledger, refused, SARHAD_REFUSE, "again",
                                     &supervisor, 1700001000, NULL, &err));
    ASSERT_EQ_INT(SARHAD_ENOTFOUND,
                  sarhad_ledger_override(ledger, 999, SARHAD_ADMIT, "x",
                                         &supervisor, 1700001000, NULL, &err));

    ASSERT_OK(sarhad_ledger_override(ledger, refused, SARHAD_ADMIT,
                                     "medical exception: hospital referral",
                                     &supervisor, 1700001000, &seq, NULL));
    ASSERT(seq > 0);
    /* The final outcome moved, with everything an admission makes. */
    ASSERT_EQ_INT(0, (int)daily(store, "2023-12-01", "refuse"));
    ASSERT_EQ_INT(1, (int)daily(store, "2023-12-01", "admit"));
    ASSERT_EQ_INT(0, (int)scalar(store, "SELECT coalesce(sum(count), 0)"
                                        " FROM refusal_summary"
                                        " WHERE day = '2023-12-01'"));
    ASSERT_EQ_INT(2, (int)scalar(store, "SELECT entries_used FROM visa"));
    ASSERT_EQ_INT(1, (int)scalar(store, "SELECT count(*) FROM stay"
                                        " WHERE state = 'open'"
                                        " AND entry_day = '2023-12-01'"));
    ASSERT_EQ_INT(1, (int)scalar(store, "SELECT count(*) FROM audit_log"
                                        " WHERE kind = 'override'"));
    /* The attempt itself is as recorded; the override is its own event. */
    ASSERT_EQ_INT(1, (int)scalar(store, "SELECT count(*) FROM attempt"
                                        " WHERE decision = 'refuse'"));
    ASSERT_EQ_INT(SARHAD_EEXIST,
                  sarhad_ledger_override(ledger, refused, SARHAD_REFUSE,
                                         "changed my mind", &supervisor,
                                         1700002000, NULL, &err));
    ASSERT_EQ_INT(0, (int)problems_shown(store, true));
    /* The traveller's next crossing sees the stay the override opened. */
    p.direction = SARHAD_EXIT;
    p.time.date = D(2023, 12, 10);
    ASSERT_OK(cross_at(ledger, &p, &d, &exit_id));
    ASSERT(!has_flag(&d, "no_entry_on_record"));
    ASSERT_EQ_INT(0, (int)scalar(store, "SELECT count(*) FROM stay"
                                        " WHERE state = 'open'"));
    ASSERT_EQ_INT(0, (int)problems_shown(store, true));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

TEST(ledger_override_refuses_an_admitted_entry)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("override_refuse.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    int64_t first, second;

    ASSERT(store != NULL);
    /* Two entries with no exit between: the second marks the first stay
     * lost and opens its own. */
    traveller_with_visa(&p, SARHAD_ENTRY, D(2023, 11, 5),
                        SARHAD_ENTRIES_MULTIPLE);
    ASSERT_OK(cross_at(ledger, &p, &d, &first));
    p.time.date = D(2023, 11, 25);
    ASSERT_OK(cross_at(ledger, &p, &d, &second));
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_INT(1, (int)scalar(store, "SELECT count(*) FROM stay"
                                        " WHERE state = 'lost'"));
    ASSERT_OK(sarhad_ledger_override(ledger, second, SARHAD_REFUSE,
                                     "visa forged, seen at secondary",
                                     &supervisor, 1700001000, NULL, NULL));
    /* Unmade: its stay gone, the first one open again, one entry used,
     * the last entry the first one's day. */
    ASSERT_EQ_INT(1, (int)scalar(store, "SELECT count(*) FROM stay"));
    ASSERT_EQ_INT(1, (int)scalar(store, "SELECT count(*) FROM stay"
                                        " WHERE state = 'open'"
                                        " AND entry_day = '2023-11-05'"));
    ASSERT_EQ_INT(1, (int)scalar(store, "SELECT entries_used FROM visa"));
    ASSERT_EQ_INT(1, (int)scalar(store, "SELECT count(*) FROM visa"
                                        " WHERE last_entry = '2023-11-05'"));
    ASSERT_EQ_INT(0, (int)daily(store, "2023-11-25", "admit"));
    ASSERT_EQ_INT(1, (int)daily(store, "2023-11-25", "refuse"));
    ASSERT_EQ_INT(1, (int)scalar(store, "SELECT count FROM refusal_summary"
                                        " WHERE code = 'override_refused'"));
    ASSERT_EQ_INT(0, (int)problems_shown(store, true));
    /* The next crossing is decided on the history as it now stands. */
    p.direction = SARHAD_EXIT;
    p.time.date = D(2023, 11, 30);
    ASSERT_OK(cross_at(ledger, &p, &d, &second));
    ASSERT(!has_flag(&d, "no_entry_on_record"));
    ASSERT_EQ_INT(1, (int)scalar(store, "SELECT count(*) FROM stay"
                                        " WHERE state = 'closed'"
                                        " AND entry_day = '2023-11-05'"));
    ASSERT_EQ_INT(0, (int)problems_shown(store, true));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

TEST(ledger_override_refuses_an_admitted_return)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("override_return.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    int64_t entry, exit_id;

    ASSERT(store != NULL);
    traveller_with_visa(&p, SARHAD_ENTRY, D(2023, 11, 5),
                        SARHAD_ENTRIES_MULTIPLE);
    ASSERT_OK(cross_at(ledger, &p, &d, &entry));
    p.direction = SARHAD_EXIT;
    p.time.date = D(2023, 11, 9);
    numbered(&p, SARHAD_DOC_POR, "POR-654321");
    p.movement.category = SARHAD_MOVE_SPONTANEOUS_RETURN;
    strcpy(p.movement.household, "H9");
    p.movement.household_size = 1;
    p.movement.vehicles = 2;
    strcpy(p.traveller.purpose, "return");
    strcpy(p.movement.intended_stay, "permanent");
    p.movement.vulnerabilities = SARHAD_VULN_MEDICAL | SARHAD_VULN_ELDERLY;
    ASSERT_OK(cross_at(ledger, &p, &d, &exit_id));
    ASSERT_EQ_INT(2, (int)scalar(store, "SELECT sum(count)"
                                        " FROM vulnerability_daily"));
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_INT(1, (int)scalar(store, "SELECT count FROM purpose_daily"
                                        " WHERE purpose = 'return'"
                                        " AND intended_stay = 'permanent'"));
    ASSERT_EQ_INT(1, (int)scalar(store, "SELECT count(*) FROM por_cancelled"));
    ASSERT_EQ_INT(1,
                  (int)scalar(store, "SELECT sum(count) FROM returns_daily"));
    ASSERT_OK(sarhad_ledger_override(ledger, exit_id, SARHAD_REFUSE,
                                     "turned back: exit stamp missing",
                                     &supervisor, 1700001000, NULL, NULL));
    ASSERT_EQ_INT(0, (int)scalar(store, "SELECT count(*) FROM por_cancelled"));
    ASSERT_EQ_INT(0,
                  (int)scalar(store, "SELECT sum(count) FROM returns_daily"));
    ASSERT_EQ_INT(0, (int)scalar(store, "SELECT sum(vehicles)"
                                        " FROM returns_summary"));
    ASSERT_EQ_INT(0, (int)scalar(store, "SELECT count FROM purpose_daily"
                                        " WHERE purpose = 'return'"));
    ASSERT_EQ_INT(0, (int)scalar(store, "SELECT sum(count)"
                                        " FROM vulnerability_daily"));
    ASSERT_EQ_INT(1, (int)scalar(store, "SELECT count(*) FROM stay"
                                        " WHERE state = 'open'"));
    ASSERT_EQ_INT(0, (int)problems_shown(store, true));
    /* The card is not cancelled any more: shown again, it is punched. */
    p.time.date = D(2023, 11, 10);
    ASSERT_OK(cross_at(ledger, &p, &d, &exit_id));
    ASSERT(!has_flag(&d, "por_cancelled"));
    ASSERT_EQ_INT(1, (int)scalar(store, "SELECT count(*) FROM por_cancelled"));
    ASSERT_EQ_INT(0, (int)scalar(store, "SELECT count(*) FROM stay"
                                        " WHERE state = 'open'"));
    ASSERT_EQ_INT(0, (int)problems_shown(store, true));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

/* An exit refused at the counter and admitted by a supervisor counts, from
 * then on, in every figure an admitted exit feeds: the returns, its
 * household and family, its vulnerabilities and its purpose. */
TEST(ledger_override_admits_a_refused_exit)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("override_exit.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    int64_t exit_id;

    ASSERT(store != NULL);
    begin(&p, "TORKHAM", SARHAD_EXIT, D(2023, 11, 9), "IRN");
    p.movement.category = SARHAD_MOVE_SPONTANEOUS_RETURN;
    strcpy(p.movement.household, "H5");
    p.movement.vulnerabilities = SARHAD_VULN_MEDICAL;
    strcpy(p.traveller.purpose, "return");
    ASSERT_OK(cross_at(ledger, &p, &d, &exit_id));
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT_EQ_INT(0, (int)scalar(store, "SELECT count(*) FROM household_day"));
    ASSERT_OK(sarhad_ledger_override(ledger, exit_id, SARHAD_ADMIT,
                                     "travelling home for treatment",
                                     &supervisor, 1700001000, NULL, NULL));
    ASSERT_EQ_INT(1,
                  (int)scalar(store, "SELECT sum(count) FROM returns_daily"));
    ASSERT_EQ_INT(1, (int)scalar(store, "SELECT members FROM household_day"
                                        " WHERE household = 'H5'"));
    ASSERT_EQ_INT(1, (int)scalar(store, "SELECT families FROM family_daily"));
    ASSERT_EQ_INT(1, (int)scalar(store, "SELECT count FROM vulnerability_daily"
                                        " WHERE vulnerability = 'medical'"));
    ASSERT_EQ_INT(1, (int)scalar(store, "SELECT count FROM purpose_daily"
                                        " WHERE purpose = 'return'"));
    ASSERT_EQ_INT(0, (int)problems_shown(store, true));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}
