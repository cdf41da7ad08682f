/*
 * test_ledger.c - the crossing ledger: stays and the 90/180 rule, visa use,
 * overstays on exit, identity linking, PoR cancellation, referrals and
 * their resolution, group-commit batches, policy
 * publication, reports, verification, and failures (read-only store, full
 * disk, allocation failures) that must leave the store unchanged.
 */
#include "ledger_fixture.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

TEST(stays_eu_90_180_worked_example)
{
    /* The EU's published example: 19-21 April 2014 and 18 June to 11
     * September 2014 make 89 days on 11 September. */
    struct sarhad_stay stays[2] = {{D(2014, 4, 19), D(2014, 4, 21), 90},
                                   {D(2014, 6, 18), D(2014, 9, 11), 90}};
    struct sarhad_stay open = {D(2014, 6, 18), {0, 0, 0}, 90};
    struct sarhad_stay same_day = {D(2014, 5, 1), D(2014, 5, 1), 90};

    ASSERT_EQ_INT(89,
                  sarhad_stays_days_in_window(stays, 2, D(2014, 9, 11), 180));
    /* The window is [R-179, R]: on 17 October it starts on 21 April, on
     * 18 October April has left it. */
    ASSERT_EQ_INT(87,
                  sarhad_stays_days_in_window(stays, 2, D(2014, 10, 17), 180));
    ASSERT_EQ_INT(86,
                  sarhad_stays_days_in_window(stays, 2, D(2014, 10, 18), 180));
    ASSERT_EQ_INT(0, sarhad_stays_days_in_window(stays, 2, D(2015, 6, 1), 180));
    /* An open stay counts to the reference day, entry day included. */
    ASSERT_EQ_INT(86,
                  sarhad_stays_days_in_window(&open, 1, D(2014, 9, 11), 180));
    ASSERT_EQ_INT(
        1, sarhad_stays_days_in_window(&same_day, 1, D(2014, 5, 1), 180));
    ASSERT_EQ_INT(
        0, sarhad_stay_overstay_days(D(2023, 11, 5), 30, D(2023, 12, 4)));
    ASSERT_EQ_INT(
        1, sarhad_stay_overstay_days(D(2023, 11, 5), 30, D(2023, 12, 5)));
    ASSERT_EQ_INT(0,
                  sarhad_stay_overstay_days(D(2023, 11, 5), 0, D(2024, 12, 5)));
}

TEST(ledger_init_once)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("init.db", &ledger);
    struct sarhad_error err;

    ASSERT(store != NULL);
    ASSERT_EQ_STR("ledger-test",
                  sarhad_policy_name(sarhad_ledger_policy(ledger)));
    ASSERT_EQ_INT(SARHAD_EEXIST, sarhad_ledger_init(store, "TK", "x", "policy",
                                                    6, &officer, 0, &err));
    ASSERT_EQ_INT(14, sarhad__store_version(store->db, "ledger"));
    ASSERT_EQ_INT(0, problems(store));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

TEST(ledger_visa_use_and_overstay)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("visa.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_history h;
    int64_t id, traveller;

    ASSERT(store != NULL);
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 5), "AFG");
    passport(&p, "P01234567");
    visa(&p, "V1234567", SARHAD_ENTRIES_SINGLE, 30);
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, &id, NULL));
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_INT(1, id);
    ASSERT_OK(sarhad_ledger_history(ledger, &p, &h, &traveller, NULL));
    ASSERT(traveller > 0);
    ASSERT_EQ_INT(1, h.visa_entries_used);
    ASSERT_EQ_INT(1, h.stay_count);
    ASSERT_EQ_INT(30, h.stays[0].allowed_days);
    ASSERT_EQ_INT(0, h.stays[0].exit.year);

    /* Overstays report, as of 2024-01-20: 47 days over, band 4w-3m. */
    {
        struct sarhad_report_filter f;
        memset(&f, 0, sizeof(f));
        f.to = D(2024, 1, 20);
        ASSERT_EQ_INT(1, scalar(store, "SELECT count(*) FROM stay WHERE "
                                       "state = 'open'"));
    }

    /* Exit 47 days past the 30 allowed: flagged with the fine. */
    p.direction = SARHAD_EXIT;
    p.time.date = D(2024, 1, 20);
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1705000000, &d, &id, NULL));
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_INT(47, d.overstay_days);
    ASSERT_EQ_INT(200, d.fine_usd);
    ASSERT(!has_flag(&d, "no_entry_on_record"));
    ASSERT_EQ_INT(1, scalar(store, "SELECT count(*) FROM stay WHERE state = "
                                   "'closed' AND exit_day = '2024-01-20'"));

    /* The single-entry visa is used: the next entry is refused. */
    p.direction = SARHAD_ENTRY;
    p.time.date = D(2024, 2, 1);
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1706000000, &d, &id, NULL));
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT_EQ_INT(1, scalar(store, "SELECT entries_used FROM visa"));
    ASSERT_EQ_INT(0, problems(store));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

TEST(ledger_exit_without_entry_is_flagged)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("noentry.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;

    ASSERT(store != NULL);
    begin(&p, "CHAMAN", SARHAD_EXIT, D(2023, 11, 5), "IRN");
    passport(&p, "X7654321");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, NULL, NULL));
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT(has_flag(&d, "no_entry_on_record"));
    /* Citizens live here: their exits are not flagged. */
    begin(&p, "CHAMAN", SARHAD_EXIT, D(2023, 11, 5), "PAK");
    passport(&p, "AB1234567");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, NULL, NULL));
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT(!has_flag(&d, "no_entry_on_record"));
    ASSERT_EQ_INT(0, problems(store));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

struct text {
    char buf[8192];
};

static void
keep(void *ctx, const char *json, size_t len)
{
    struct text *t = ctx;

    if (len >= sizeof(t->buf))
        len = sizeof(t->buf) - 1;
    memcpy(t->buf, json, len);
    t->buf[len] = '\0';
}

/* A passport of one traveller with the tazkira of another: nothing is
 * merged or moved, the clash is kept for a supervisor, and the officer is
 * told at the counter. */
TEST(ledger_identity_conflict_flagged_not_merged)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("conflict.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct text t;
    int64_t id;

    ASSERT(store != NULL);
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 5), "AFG");
    passport(&p, "P01111111");
    visa(&p, "V1111111", SARHAD_ENTRIES_MULTIPLE, 60);
    numbered(&p, SARHAD_DOC_TAZKIRA, "1400-0101-11111");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, &id, NULL));
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 6), "AFG");
    mrz_doc(&p, SARHAD_DOC_PASSPORT, SARHAD_MRZ_TD3, "AFG", "AFG", "DURRANI",
            "P02222222", D(2030, 1, 1)); /* not a namesake of the first */
    visa(&p, "V2222222", SARHAD_ENTRIES_MULTIPLE, 60);
    numbered(&p, SARHAD_DOC_TAZKIRA, "1400-0101-22222");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699100000, &d, &id, NULL));
    ASSERT(!has_flag(&d, "identity_conflict"));
    /* The first passport, the second traveller's tazkira. */
    begin(&p, "TORKHAM", SARHAD_EXIT, D(2023, 11, 20), "AFG");
    passport(&p, "P01111111");
    numbered(&p, SARHAD_DOC_TAZKIRA, "1400 0101 22222");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1700400000, &d, &id, NULL));
    ASSERT(has_flag(&d, "identity_conflict"));
    ASSERT(!has_flag(&d, "identity_linked"));
    ASSERT(!has_flag(&d, "no_entry_on_record")); /* the passport's stay */
    ASSERT_EQ_INT(2, scalar(store, "SELECT count(*) FROM traveller"));
    ASSERT_EQ_INT(2, scalar(store, "SELECT traveller_id FROM traveller_key"
                                   " WHERE kind = 'tazkira'"
                                   " AND value = '1400010122222'"));
    ASSERT_EQ_INT(1, scalar(store, "SELECT count(*) FROM traveller_link"
                                   " WHERE by_kind = 'conflict'"
                                   " AND traveller_id = 1"));
    ASSERT_OK(sarhad_ledger_traveller(store, 1, keep, &t, NULL));
    ASSERT(strstr(t.buf, "tazkira 1400010122222 is held by traveller 2") !=
           NULL);
    ASSERT(strstr(t.buf, "not merged") != NULL);
    ASSERT_OK(sarhad_ledger_attempt(store, id, keep, &t, NULL));
    ASSERT(strstr(t.buf, "the tazkira presented is on record for another "
                         "traveller") != NULL);
    ASSERT_EQ_INT(0, problems(store));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

TEST(ledger_identity_linked_by_national_id)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("link.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct text t;
    int64_t id;

    ASSERT(store != NULL);
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 5), "AFG");
    passport(&p, "P01111111");
    visa(&p, "V1111111", SARHAD_ENTRIES_MULTIPLE, 60);
    numbered(&p, SARHAD_DOC_TAZKIRA, "1400-0101-12345");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, &id, NULL));
    ASSERT(!has_flag(&d, "identity_linked"));
    /* A new passport, the same tazkira (written differently). */
    begin(&p, "TORKHAM", SARHAD_EXIT, D(2023, 12, 1), "AFG");
    passport(&p, "P02222222");
    numbered(&p, SARHAD_DOC_TAZKIRA, "1400 0101 12345");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1701000000, &d, &id, NULL));
    ASSERT(has_flag(&d, "identity_linked"));
    ASSERT(!has_flag(&d, "no_entry_on_record")); /* the stay was found */
    ASSERT_EQ_INT(1, scalar(store, "SELECT count(*) FROM traveller"));
    ASSERT_OK(sarhad_ledger_traveller(store, 1, keep, &t, NULL));
    ASSERT(strstr(t.buf, "new passport AFG:P02222222 linked: tazkira "
                         "140001011234") != NULL);
    ASSERT(strstr(t.buf, "\"exit\":\"2023-12-01\"") != NULL);
    ASSERT_OK(sarhad_ledger_attempt(store, id, keep, &t, NULL));
    ASSERT(strstr(t.buf, "\"direction\":\"exit\"") != NULL);
    ASSERT(strstr(t.buf, "\"movement\":{\"category\":\"regular\"") != NULL);
    /* It names the audit entry that recorded it, by seq and hash. */
    {
        json_t *j = json_loads(t.buf, 0, NULL), *audit;
        const char *hash;
        char sql[256];
        ASSERT(j != NULL);
        audit = json_object_get(j, "audit");
        hash = json_string_value(json_object_get(audit, "hash"));
        ASSERT(hash != NULL);
        ASSERT_EQ_INT(64, strlen(hash));
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM attempt a JOIN audit_log l"
                 " ON l.seq = a.audit_seq WHERE a.id = %lld AND l.seq = %lld"
                 " AND lower(hex(l.hash)) = '%s' AND l.kind = 'decision'",
                 (long long)id,
                 (long long)json_integer_value(json_object_get(audit, "seq")),
                 hash);
        ASSERT_EQ_INT(1, scalar(store, sql));
        json_decref(j);
    }
    ASSERT_EQ_INT(SARHAD_ENOTFOUND,
                  sarhad_ledger_attempt(store, 99, keep, &t, NULL));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

struct rows {
    int count;
    long long total;
    char last[512];
};

static bool
collect(void *ctx, const struct sarhad_report_row *r)
{
    struct rows *rows = ctx;
    size_t n = 0;

    rows->count++;
    rows->total += atoll(r->values[r->column_count - 1]);
    rows->last[0] = '\0';
    for (unsigned i = 0; i < r->column_count; i++)
        n += (size_t)snprintf(rows->last + n, sizeof(rows->last) - n, "%s%s",
                              i ? "|" : "", r->values[i] ? r->values[i] : "");
    return true;
}

TEST(ledger_returns_and_por_cancelled)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("por.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_report_filter f;
    struct rows rows;

    ASSERT(store != NULL);
    begin(&p, "TORKHAM", SARHAD_EXIT, D(2023, 11, 2), "AFG");
    numbered(&p, SARHAD_DOC_POR, "por-123456");
    p.traveller.sex = 'F';
    p.movement.category = SARHAD_MOVE_SPONTANEOUS_RETURN;
    strcpy(p.movement.household, "H1");
    p.movement.household_size = 2;
    p.movement.vehicles = 1;
    p.movement.vulnerabilities = SARHAD_VULN_SINGLE_WOMAN;
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1698900000, &d, NULL, NULL));
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_INT(1, scalar(store, "SELECT count(*) FROM por_cancelled "
                                   "WHERE number = 'POR123456'"));
    /* An undocumented child of the same household. */
    begin(&p, "TORKHAM", SARHAD_EXIT, D(2023, 11, 2), "AFG");
    p.traveller.birth_date = D(2015, 3, 3);
    p.movement.category = SARHAD_MOVE_SPONTANEOUS_RETURN;
    strcpy(p.movement.household, "H1");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1698900000, &d, NULL, NULL));
    /* The card shown again is known to be cancelled. */
    begin(&p, "TORKHAM", SARHAD_EXIT, D(2023, 11, 9), "AFG");
    numbered(&p, SARHAD_DOC_POR, "POR123456");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699500000, &d, NULL, NULL));
    ASSERT(has_flag(&d, "por_cancelled"));

    memset(&f, 0, sizeof(f));
    memset(&rows, 0, sizeof(rows));
    f.to = D(2023, 11, 5);
    ASSERT_OK(sarhad_ledger_report(store, SARHAD_REPORT_RETURNS, &f, collect,
                                   &rows, NULL));
    ASSERT_EQ_INT(2, rows.count);
    ASSERT_EQ_INT(2, rows.total);
    ASSERT_EQ_STR("2023-10-30|TK|TORKHAM|undocumented|spontaneous_return|1|0|"
                  "0|0|1|1",
                  rows.last);
    memset(&rows, 0, sizeof(rows));
    memset(&f, 0, sizeof(f));
    ASSERT_OK(sarhad_ledger_report(store, SARHAD_REPORT_RETURNS, &f, collect,
                                   &rows, NULL));
    ASSERT_EQ_INT(3, rows.total);
    ASSERT_EQ_INT(0, problems(store));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

struct queue {
    int count;
    int64_t first;
};

static bool
count_referral(void *ctx, const struct sarhad_referral *r)
{
    struct queue *q = ctx;

    if (q->count++ == 0)
        q->first = r->attempt_id;
    return true;
}

TEST(ledger_referral_resolution)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("refer.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_report_filter f;
    struct queue q = {0, 0};
    struct rows rows;
    struct sarhad_error err;
    int64_t id, seq;

    ASSERT(store != NULL);
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 5), "PAK");
    numbered(&p, SARHAD_DOC_CNIC, "17301-1234567-1");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, &id, NULL));
    ASSERT_EQ_INT(SARHAD_REFER, d.outcome);
    ASSERT_OK(sarhad_ledger_referrals(store, "TK", count_referral, &q, NULL));
    ASSERT_EQ_INT(1, q.count);
    ASSERT_EQ_INT(id, q.first);
    ASSERT_EQ_INT(SARHAD_EPERM,
                  sarhad_ledger_resolve(ledger, id, SARHAD_ADMIT, "ok",
                                        &officer, 1699000100, &seq, &err));
    ASSERT_EQ_INT(SARHAD_EINVAL,
                  sarhad_ledger_resolve(ledger, id, SARHAD_ADMIT, " ",
                                        &supervisor, 1699000100, &seq, &err));
    ASSERT_EQ_INT(SARHAD_ENOTFOUND,
                  sarhad_ledger_resolve(ledger, id + 1, SARHAD_ADMIT, "ok",
                                        &supervisor, 1699000100, &seq, &err));
    ASSERT_EQ_INT(0, scalar(store, "SELECT coalesce(sum(count), 0)"
                                   " FROM purpose_daily"));
    ASSERT_OK(sarhad_ledger_resolve(ledger, id, SARHAD_ADMIT,
                                    "Identity confirmed with NADRA",
                                    &supervisor, 1699000100, &seq, NULL));
    ASSERT(seq > 0);
    /* Admitted on review, the crossing counts by its purpose. */
    ASSERT_EQ_INT(1, scalar(store, "SELECT count FROM purpose_daily"
                                   " WHERE purpose = 'not stated'"
                                   " AND direction = 'entry'"));
    ASSERT_EQ_INT(SARHAD_EEXIST,
                  sarhad_ledger_resolve(ledger, id, SARHAD_REFUSE, "no",
                                        &supervisor, 1699000200, &seq, &err));
    q.count = 0;
    ASSERT_OK(sarhad_ledger_referrals(store, NULL, count_referral, &q, NULL));
    ASSERT_EQ_INT(0, q.count);
    /* The daily figures count the attempt once, by its final outcome. */
    memset(&f, 0, sizeof(f));
    memset(&rows, 0, sizeof(rows));
    ASSERT_OK(sarhad_ledger_report(store, SARHAD_REPORT_DAILY, &f, collect,
                                   &rows, NULL));
    ASSERT_EQ_INT(1, rows.count);
    ASSERT_EQ_STR("2023-11-05|TK|TORKHAM|entry|PAK|admit|1", rows.last);
    ASSERT_EQ_INT(1, scalar(store, "SELECT count(*) FROM audit_log WHERE "
                                   "kind = 'resolution'"));
    ASSERT_EQ_INT(0, problems(store));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

static enum sarhad_status
failing_screen(void *ctx, const struct sarhad_presentation *p,
               struct sarhad_screening *out, struct sarhad_error *err)
{
    (void)ctx;
    out->screened = true;
    if (strcmp(p->traveller.nationality, "IRN") == 0)
        return sarhad__fail(err, SARHAD_EIO, "screen", SIZE_MAX,
                            "watchlist unavailable");
    return SARHAD_OK;
}

TEST(ledger_batch_item_failure_spares_the_rest)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("batch.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    int64_t id;

    ASSERT(store != NULL);
    sarhad_ledger_set_screen(ledger, failing_screen, NULL);
    ASSERT_OK(sarhad_store_begin(store, NULL));
    begin(&p, "TORKHAM", SARHAD_EXIT, D(2023, 11, 5), "AFG");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, &id, NULL));
    begin(&p, "TORKHAM", SARHAD_EXIT, D(2023, 11, 5), "IRN");
    passport(&p, "X1234567");
    ASSERT_EQ_INT(SARHAD_EIO, sarhad_ledger_cross(ledger, &p, &officer,
                                                  1699000000, &d, &id, NULL));
    begin(&p, "TORKHAM", SARHAD_EXIT, D(2023, 11, 5), "AFG");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, &id, NULL));
    ASSERT_EQ_INT(2, id);
    ASSERT_OK(sarhad_store_commit(store, NULL));
    ASSERT_EQ_INT(2, scalar(store, "SELECT count(*) FROM attempt"));
    ASSERT_EQ_INT(0, scalar(store, "SELECT count(*) FROM traveller"));
    ASSERT_EQ_INT(0, problems(store));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

struct listed {
    int count;
    int last_version;
    char text[64];
};

static bool
list_policy(void *ctx, const struct sarhad_policy_info *pi)
{
    struct listed *l = ctx;

    l->count++;
    l->last_version = pi->version;
    return true;
}

static void
policy_text(void *ctx, const struct sarhad_policy_info *pi, const char *text,
            size_t len)
{
    struct listed *l = ctx;

    (void)pi;
    snprintf(l->text, sizeof(l->text), "%.*s", (int)(len < 60 ? len : 60),
             text);
}

TEST(ledger_policy_publication)
{
    static const char v2[] = "policy \"ledger-test\" version 2\n"
                             "rule everyone \"Everyone is refused\"\n"
                             "  refuse\n"
                             "  reason closed \"The crossing is closed.\"\n"
                             "end\n";
    static const char bad[] = "policy \"x\" version 3\nrule\n";
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("publish.db", &ledger);
    struct sarhad_policy_info pi;
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_error err;
    struct listed l;

    ASSERT(store != NULL);
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_ledger_policy_publish(
                      ledger, "bad", bad, sizeof(bad) - 1, &supervisor,
                      1700000100, NULL, NULL, 0, NULL, &err));
    ASSERT(err.line == 2);
    ASSERT_OK(sarhad_ledger_policy_publish(ledger, "v2", v2, sizeof(v2) - 1,
                                           &supervisor, 1700000100, &pi, NULL,
                                           0, NULL, NULL));
    ASSERT_EQ_INT(2, pi.number);
    ASSERT_EQ_INT(SARHAD_EEXIST,
                  sarhad_ledger_policy_publish(ledger, "v2", v2, sizeof(v2) - 1,
                                               &supervisor, 1700000100, NULL,
                                               NULL, 0, NULL, &err));
    memset(&l, 0, sizeof(l));
    ASSERT_OK(sarhad_ledger_policy_list(store, list_policy, &l, NULL));
    ASSERT_EQ_INT(2, l.count);
    ASSERT_EQ_INT(2, l.last_version);
    ASSERT_OK(sarhad_ledger_policy_text(store, 1, policy_text, &l, NULL));
    ASSERT(strncmp(l.text, "# ledger_test.policy", 20) == 0);
    ASSERT_EQ_INT(SARHAD_ENOTFOUND,
                  sarhad_ledger_policy_text(store, 3, policy_text, &l, &err));
    /* Decisions now cite version 2. */
    begin(&p, "TORKHAM", SARHAD_EXIT, D(2023, 11, 5), "AFG");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1700000200, &d, NULL, NULL));
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT_EQ_INT(2, d.policy_version);
    sarhad_ledger_close(ledger);
    /* A reopened ledger decides by the latest publication. */
    ASSERT_OK(sarhad_ledger_open(&ledger, store, NULL));
    ASSERT_EQ_INT(2, sarhad_policy_version(sarhad_ledger_policy(ledger)));
    ASSERT_EQ_INT(0, problems(store));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

TEST(ledger_verify_finds_drift_and_tampering)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("drift.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;

    ASSERT(store != NULL);
    begin(&p, "TORKHAM", SARHAD_EXIT, D(2023, 11, 5), "AFG");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, NULL, NULL));
    ASSERT_EQ_INT(0, problems(store));
    ASSERT_OK(sarhad__store_exec(store->db,
                                 "UPDATE daily_summary SET count = 5", NULL));
    ASSERT_EQ_INT(2, problems_shown(store, false)); /* differs both ways */
    ASSERT_OK(sarhad__store_exec(store->db,
                                 "UPDATE daily_summary SET count = 1", NULL));
    ASSERT_EQ_INT(0, problems(store));
    /* An attempt cannot be edited through SQLite at all. */
    ASSERT(sarhad__store_exec(store->db,
                              "UPDATE attempt SET decision = 'refuse'",
                              NULL) != SARHAD_OK);
    ASSERT(sarhad__store_exec(store->db, "DELETE FROM attempt", NULL) !=
           SARHAD_OK);
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

TEST(ledger_full_disk_and_read_only)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("full.db", &ledger);
    struct sarhad_store_options ro = {false, true, NULL};
    struct sarhad_store *reader = NULL;
    struct sarhad_ledger *rl = NULL;
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_error err;
    enum sarhad_status s = SARHAD_OK;
    long long before;
    char path[300];
    int i;

    ASSERT(store != NULL);
    /* Cap the file at its current size plus a little: a full disk. */
    ASSERT_OK(
        sarhad__store_exec(store->db, "PRAGMA journal_mode=DELETE", NULL));
    ASSERT(scalar(store, "PRAGMA max_page_count = 60") > 0);
    for (i = 0; i < 5000 && s == SARHAD_OK; i++) {
        begin(&p, "TORKHAM", SARHAD_EXIT, D(2023, 11, 5), "AFG");
        s = sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, NULL,
                                &err);
    }
    ASSERT_EQ_INT(SARHAD_EIO, s);
    ASSERT(strstr(err.message, "disk is full") != NULL);
    before = scalar(store, "SELECT count(*) FROM attempt");
    ASSERT_EQ_INT(i - 1, before);
    ASSERT_EQ_INT(0, problems(store));

    /* A read-only store refuses to record, and says so. */
    snprintf(path, sizeof(path), "%s/full.db", test_tmpdir());
    ASSERT_OK(sarhad_store_open(&reader, path, &ro, NULL));
    ASSERT_OK(sarhad_ledger_open(&rl, reader, NULL));
    ASSERT_EQ_INT(
        SARHAD_EPERM,
        sarhad_ledger_cross(rl, &p, &officer, 1699000000, &d, NULL, &err));
    sarhad_ledger_close(rl);
    sarhad_store_close(reader);
    ASSERT_EQ_INT(before, scalar(store, "SELECT count(*) FROM attempt"));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

TEST(ledger_cross_allocation_failures)
{
    long before = test_alloc_live();
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("oom.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    enum sarhad_status s = SARHAD_ENOMEM;

    ASSERT(store != NULL);
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 5), "AFG");
    passport(&p, "P01234567");
    visa(&p, "V1234567", SARHAD_ENTRIES_DOUBLE, 30);
    for (long n = 1; s == SARHAD_ENOMEM && n < 100; n++) {
        test_alloc_fail_at(n);
        s = sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, NULL,
                                NULL);
        test_alloc_fail_at(0);
        ASSERT(s == SARHAD_OK || s == SARHAD_ENOMEM);
        if (s == SARHAD_ENOMEM)
            ASSERT_EQ_INT(0, scalar(store, "SELECT count(*) FROM attempt"));
    }
    ASSERT_EQ_INT(SARHAD_OK, s);
    ASSERT_EQ_INT(1, scalar(store, "SELECT count(*) FROM attempt"));
    ASSERT_EQ_INT(0, problems(store));
    /* The ledger keeps a memo of its store between crossings; nothing else
     * may outlive it. */
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
    ASSERT_EQ_INT(before, test_alloc_live());
}

TEST(ledger_generate_and_report)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("gen.db", &ledger);
    struct sarhad_report_filter f;
    struct rows rows;
    struct sarhad_error err;

    ASSERT(store != NULL);
    ASSERT_OK(sarhad_ledger_generate(ledger, D(2023, 11, 1), 3, 200, 7,
                                     &officer, NULL, NULL, NULL));
    ASSERT_EQ_INT(600, scalar(store, "SELECT count(*) FROM attempt"));
    memset(&f, 0, sizeof(f));
    memset(&rows, 0, sizeof(rows));
    ASSERT_OK(sarhad_ledger_report(store, SARHAD_REPORT_DAILY, &f, collect,
                                   &rows, NULL));
    ASSERT_EQ_INT(600, rows.total);
    f.from = D(2023, 11, 2);
    f.to = D(2023, 11, 2);
    memset(&rows, 0, sizeof(rows));
    ASSERT_OK(sarhad_ledger_report(store, SARHAD_REPORT_DAILY, &f, collect,
                                   &rows, NULL));
    ASSERT_EQ_INT(200, rows.total);
    strcpy(f.post, "ELSEWHERE");
    memset(&rows, 0, sizeof(rows));
    ASSERT_OK(sarhad_ledger_report(store, SARHAD_REPORT_REFUSALS, &f, collect,
                                   &rows, NULL));
    ASSERT_EQ_INT(0, rows.count);
    f.from = D(2023, 11, 3);
    ASSERT_EQ_INT(SARHAD_EINVAL,
                  sarhad_ledger_report(store, SARHAD_REPORT_DAILY, &f, collect,
                                       &rows, &err));
    /* Returns in the 2023 proportions: mostly undocumented. */
    ASSERT(scalar(store, "SELECT count(*) FROM movement WHERE "
                         "documentation = 'undocumented'") >
           scalar(store, "SELECT count(*) FROM movement WHERE "
                         "documentation IN ('por', 'acc')"));
    ASSERT(scalar(store, "SELECT count(*) FROM attempt WHERE "
                         "decision = 'refuse'") > 0);
    ASSERT_EQ_INT(0, problems(store));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

/* Undo the ledger's schema steps after `version` that a test of an
 * earlier step does not undo itself, as an older sarhad left the store. */
static void
rewind_ledger(struct sarhad_store *store, int version)
{
    if (version < 14)
        ASSERT_OK(
            sarhad__store_exec(store->db, "DROP TABLE replay_kept;", NULL));
    if (version < 13)
        ASSERT_OK(sarhad__store_exec(
            store->db,
            "DROP TABLE detention_daily;"
            "ALTER TABLE movement DROP COLUMN arrest_province;"
            "ALTER TABLE movement DROP COLUMN days_held;",
            NULL));
    if (version < 12)
        ASSERT_OK(sarhad__store_exec(store->db,
                                     "DROP TABLE vulnerability_daily;", NULL));
    if (version < 11)
        ASSERT_OK(
            sarhad__store_exec(store->db, "DROP TABLE purpose_daily;", NULL));
    if (version < 10)
        ASSERT_OK(sarhad__store_exec(store->db,
                                     "DROP TABLE household_day;"
                                     "DROP TABLE family_daily;",
                                     NULL));
    /* A test from before version 5 drops returns_daily itself. */
    if (version < 10 && version >= 5)
        ASSERT_OK(sarhad__store_exec(
            store->db, "ALTER TABLE returns_daily DROP COLUMN men;", NULL));
    if (version < 9)
        ASSERT_OK(sarhad__store_exec(
            store->db,
            "ALTER TABLE traveller_key DROP COLUMN by_kind;"
            "ALTER TABLE traveller_key DROP COLUMN by_value;"
            "ALTER TABLE traveller_key DROP COLUMN by_first;",
            NULL));
    if (version < 8)
        ASSERT_OK(sarhad__store_exec(
            store->db,
            "CREATE TABLE attempt_reason (attempt_id INTEGER NOT NULL,"
            " code TEXT NOT NULL) STRICT;"
            "INSERT INTO attempt_reason SELECT a.id, r.value ->> 'code'"
            " FROM attempt a, json_each(a.decision_json, '$.reasons') r"
            " WHERE a.decision = 'refuse';",
            NULL));
}

/* Leave the store at `version` (rewound by rewind_ledger, after whatever
 * the test undid itself), close it and open it again: the steps since are
 * applied. */
static void
migrate_from(struct sarhad_store **store, struct sarhad_ledger *ledger,
             const char *name, int version)
{
    char path[300], sql[96];

    rewind_ledger(*store, version);
    snprintf(sql, sizeof(sql),
             "UPDATE schema_version SET version = %d"
             " WHERE component = 'ledger'",
             version);
    ASSERT_OK(sarhad__store_exec((*store)->db, sql, NULL));
    sarhad_ledger_close(ledger);
    sarhad_store_close(*store);
    *store = NULL;
    snprintf(path, sizeof(path), "%s/%s", test_tmpdir(), name);
    ASSERT_OK(sarhad_store_open(store, path, NULL, NULL));
    ASSERT_EQ_INT((int)sarhad__ledger_step_count,
                  sarhad__store_version((*store)->db, "ledger"));
}

TEST(ledger_migration_5_fills_returns_daily)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("migrate5.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_report_filter f;
    struct rows before, after;

    ASSERT(store != NULL);
    begin(&p, "BARABCHA", SARHAD_EXIT, D(2023, 11, 2), "AFG");
    p.movement.category = SARHAD_MOVE_DEPORTATION;
    p.movement.vehicles = 2;
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1698900000, &d, NULL, NULL));
    memset(&f, 0, sizeof(f));
    memset(&before, 0, sizeof(before));
    ASSERT_OK(sarhad_ledger_report(store, SARHAD_REPORT_RETURNS, &f, collect,
                                   &before, NULL));
    /* Take the store back to version 4, as an older sarhad left it. */
    ASSERT_OK(sarhad__store_exec(store->db, "DROP TABLE returns_daily;", NULL));
    migrate_from(&store, ledger, "migrate5.db", 4);
    ASSERT(store != NULL);
    memset(&after, 0, sizeof(after));
    ASSERT_OK(sarhad_ledger_report(store, SARHAD_REPORT_RETURNS, &f, collect,
                                   &after, NULL));
    ASSERT_EQ_INT(1, after.count);
    ASSERT_EQ_STR(before.last, after.last);
    ASSERT_EQ_INT(0, problems(store));
    sarhad_store_close(store);
}

/* Version 7 rebuilds the stay table with its state check written without
 * an IN list: the stays, their ids and the open-stay rules survive it. */
TEST(ledger_migration_7_keeps_stays)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("migrate7.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_history h;
    int64_t id;

    ASSERT(store != NULL);
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 5), "AFG");
    passport(&p, "P07777777");
    visa(&p, "V7777777", SARHAD_ENTRIES_MULTIPLE, 30);
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, &id, NULL));
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    /* Take the store back to version 6: the table as it was shipped. */
    ASSERT_OK(sarhad__store_exec(
        store->db,
        "CREATE TABLE stay_v6 (id INTEGER PRIMARY KEY,"
        " traveller_id INTEGER NOT NULL, entry_attempt INTEGER NOT NULL,"
        " entry_day TEXT NOT NULL, allowed_days INTEGER NOT NULL,"
        " visa_key TEXT NOT NULL, post TEXT NOT NULL, crossing TEXT NOT NULL,"
        " nationality TEXT NOT NULL, state TEXT NOT NULL"
        " CHECK (state IN ('open', 'closed', 'lost')),"
        " exit_attempt INTEGER, exit_day TEXT) STRICT;"
        "INSERT INTO stay_v6 SELECT * FROM stay;"
        "DROP TABLE stay; ALTER TABLE stay_v6 RENAME TO stay;"
        "CREATE INDEX stay_traveller ON stay(traveller_id, id);"
        "CREATE UNIQUE INDEX stay_one_open ON stay(traveller_id)"
        " WHERE state = 'open';"
        "CREATE INDEX stay_open_day ON stay(entry_day) WHERE state = 'open';",
        NULL));
    migrate_from(&store, ledger, "migrate7.db", 6);
    ASSERT(store != NULL);
    ASSERT_EQ_INT(1, scalar(store, "SELECT count(*) FROM stay WHERE id = 1"
                                   " AND state = 'open'"));
    ASSERT_EQ_INT(0, scalar(store, "SELECT count(*) FROM sqlite_schema"
                                   " WHERE sql LIKE '%state IN%'"));
    ASSERT_EQ_INT(3, scalar(store, "SELECT count(*) FROM sqlite_schema"
                                   " WHERE type = 'index'"
                                   " AND tbl_name = 'stay'"));
    ASSERT(sarhad__store_exec(store->db,
                              "UPDATE stay SET state = 'gone' WHERE id = 1",
                              NULL) != SARHAD_OK);
    ASSERT_OK(sarhad_ledger_open(&ledger, store, NULL));
    /* The open stay is still the one an exit closes. */
    p.direction = SARHAD_EXIT;
    p.time.date = D(2023, 11, 20);
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1700000000, &d, &id, NULL));
    ASSERT(!has_flag(&d, "no_entry_on_record"));
    ASSERT_OK(sarhad_ledger_history(ledger, &p, &h, NULL, NULL));
    ASSERT_EQ_INT(1, h.stay_count);
    ASSERT_EQ_INT(20, h.stays[0].exit.day);
    ASSERT_EQ_INT(0, problems(store));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

/* Version 8 drops the reason rows: verify reads a refusal's reasons from
 * its decision text, so a store migrated with refusals on it checks clean,
 * and a refusal summary that disagrees with those reasons is still found. */
TEST(ledger_migration_8_reads_reasons_from_decisions)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("migrate8.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;

    ASSERT(store != NULL);
    /* No documents: refused with reasons; a second refusal on another
     * day and crossing, so the summary has more than one row. */
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 5), "AFG");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, NULL, NULL));
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT(d.reason_count > 0);
    begin(&p, "CHAMAN", SARHAD_ENTRY, D(2023, 11, 6), "AFG");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699100000, &d, NULL, NULL));
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT_EQ_INT(0, scalar(store, "SELECT count(*) FROM sqlite_schema"
                                   " WHERE name = 'attempt_reason'"));
    /* Take the store back to version 7, reason rows and all. */
    ASSERT(scalar(store, "SELECT count(*) FROM attempt a,"
                         " json_each(a.decision_json, '$.reasons')") >= 2);
    migrate_from(&store, ledger, "migrate8.db", 7);
    ASSERT(store != NULL);
    ASSERT_EQ_INT(0, scalar(store, "SELECT count(*) FROM sqlite_schema"
                                   " WHERE name = 'attempt_reason'"));
    ASSERT_EQ_INT(0, problems(store));
    /* One reason's count changed: found, both ways. */
    ASSERT_OK(sarhad__store_exec(store->db,
                                 "UPDATE refusal_summary SET count = 9"
                                 " WHERE crossing = 'CHAMAN' AND code ="
                                 " (SELECT min(code) FROM refusal_summary"
                                 " WHERE crossing = 'CHAMAN')",
                                 NULL));
    ASSERT_EQ_INT(2, problems_shown(store, false));
    sarhad_store_close(store);
}

/* Version 9 keeps a link in the key it gave: links written as rows
 * before it are still shown, beside the ones read from the keys. */
TEST(ledger_migration_9_keeps_old_links)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("migrate9.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct text t;

    ASSERT(store != NULL);
    begin(&p, "TORKHAM", SARHAD_EXIT, D(2023, 11, 5), "AFG");
    passport(&p, "P01111111");
    numbered(&p, SARHAD_DOC_TAZKIRA, "1400-0101-12345");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, NULL, NULL));
    ASSERT_OK(
        sarhad__store_exec(store->db,
                           "INSERT INTO traveller_link VALUES (1, 1, 'tazkira',"
                           " 'written as a row before version 9');",
                           NULL));
    migrate_from(&store, ledger, "migrate9.db", 8);
    ASSERT(store != NULL);
    ASSERT_OK(sarhad_ledger_open(&ledger, store, NULL));
    /* A new passport with the same tazkira: linked in the key's row. */
    begin(&p, "TORKHAM", SARHAD_EXIT, D(2023, 12, 1), "AFG");
    passport(&p, "P02222222");
    numbered(&p, SARHAD_DOC_TAZKIRA, "1400 0101 12345");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1701000000, &d, NULL, NULL));
    ASSERT(has_flag(&d, "identity_linked"));
    ASSERT_EQ_INT(1, scalar(store, "SELECT count(*) FROM traveller_link"));
    ASSERT_EQ_INT(1, scalar(store, "SELECT count(*) FROM traveller_key"
                                   " WHERE by_kind = 'tazkira'"));
    ASSERT_OK(sarhad_ledger_traveller(store, 1, keep, &t, NULL));
    ASSERT(strstr(t.buf, "{\"attempt\":1,\"by\":\"tazkira\",\"why\":"
                         "\"written as a row before version 9\"},"
                         "{\"attempt\":2,\"by\":\"tazkira\",\"why\":"
                         "\"new passport AFG:P02222222 linked: tazkira "
                         "1400010112345 matches the one first seen in "
                         "attempt 1\"}") != NULL);
    ASSERT_EQ_INT(0, problems(store));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

/* Version 10 counts the households of the exits recorded before it: the
 * admitted ones, each once a day and crossing. */
TEST(ledger_migration_10_counts_recorded_households)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("migrate10.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;

    ASSERT(store != NULL);
    for (int i = 0; i < 3; i++) {
        begin(&p, i < 2 ? "TORKHAM" : "CHAMAN", SARHAD_EXIT, D(2023, 11, 5),
              "AFG");
        p.movement.category = SARHAD_MOVE_DEPORTATION;
        strcpy(p.movement.household, "HH-1");
        ASSERT_OK(sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d,
                                      NULL, NULL));
    }
    migrate_from(&store, ledger, "migrate10.db", 9);
    ASSERT(store != NULL);
    ASSERT_EQ_INT(2, scalar(store, "SELECT count(*) FROM household_day"));
    ASSERT_EQ_INT(2, scalar(store, "SELECT members FROM household_day"
                                   " WHERE crossing = 'TORKHAM'"));
    ASSERT_EQ_INT(2, scalar(store, "SELECT sum(families) FROM family_daily"));
    ASSERT_EQ_INT(3, scalar(store, "SELECT sum(men) FROM returns_daily"));
    ASSERT_EQ_INT(0, problems(store));
    sarhad_store_close(store);
}

/* Version 11 counts the admitted crossings recorded before it by purpose
 * and intended stay; a refusal does not count. */
TEST(ledger_migration_11_counts_purposes)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("migrate11.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;

    ASSERT(store != NULL);
    begin(&p, "TORKHAM", SARHAD_EXIT, D(2023, 11, 5), "AFG");
    strcpy(p.traveller.purpose, "return");
    strcpy(p.movement.intended_stay, "permanent");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, NULL, NULL));
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 5), "AFG");
    strcpy(p.traveller.purpose, "visit");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, NULL, NULL));
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    migrate_from(&store, ledger, "migrate11.db", 10);
    ASSERT(store != NULL);
    ASSERT_EQ_INT(1, scalar(store, "SELECT count FROM purpose_daily"
                                   " WHERE purpose = 'return'"
                                   " AND intended_stay = 'permanent'"));
    ASSERT_EQ_INT(1, scalar(store, "SELECT count(*) FROM purpose_daily"));
    ASSERT_EQ_INT(0, problems(store));
    sarhad_store_close(store);
}

/* Version 12 counts the vulnerabilities of the exits recorded before it,
 * each flagged one apart. */
TEST(ledger_migration_12_counts_vulnerabilities)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("migrate12.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;

    ASSERT(store != NULL);
    begin(&p, "TORKHAM", SARHAD_EXIT, D(2023, 11, 5), "AFG");
    p.movement.category = SARHAD_MOVE_DEPORTATION;
    p.movement.vulnerabilities = SARHAD_VULN_MEDICAL | SARHAD_VULN_DISABLED;
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, NULL, NULL));
    migrate_from(&store, ledger, "migrate12.db", 11);
    ASSERT(store != NULL);
    ASSERT_EQ_INT(2, scalar(store, "SELECT count(*) FROM vulnerability_daily"
                                   " WHERE category = 'deportation'"
                                   " AND vulnerability IN ('medical',"
                                   " 'disabled') AND count = 1"));
    ASSERT_EQ_INT(0, problems(store));
    sarhad_store_close(store);
}

/* Version 13 counts the deportations recorded before it among the
 * arrests and detentions, their province not stated; an admitted return
 * that was no deportation is not among them, nor is a refused
 * deportation. */
TEST(ledger_migration_13_counts_deportations_as_detentions)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("migrate13.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;

    ASSERT(store != NULL);
    begin(&p, "TORKHAM", SARHAD_EXIT, D(2023, 11, 5), "AFG");
    p.movement.category = SARHAD_MOVE_DEPORTATION;
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699000000, &d, NULL, NULL));
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699000100, &d, NULL, NULL));
    p.movement.category = SARHAD_MOVE_SPONTANEOUS_RETURN;
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1699000200, &d, NULL, NULL));
    migrate_from(&store, ledger, "migrate13.db", 12);
    ASSERT(store != NULL);
    ASSERT_EQ_INT(1, scalar(store, "SELECT count(*) FROM detention_daily"));
    ASSERT_EQ_INT(2, scalar(store, "SELECT count FROM detention_daily"
                                   " WHERE province = 'not stated'"
                                   " AND category = 'deportation'"
                                   " AND held_days = 0 AND dated = 0"));
    ASSERT_EQ_INT(0, problems(store));
    sarhad_store_close(store);
}

static int screen_calls;

static enum sarhad_status
counting_screen(void *ctx, const struct sarhad_presentation *p,
                struct sarhad_screening *out, struct sarhad_error *err)
{
    (void)ctx;
    (void)p;
    (void)err;
    screen_calls++;
    out->screened = true;
    strcpy(out->list_version, "test-1");
    return SARHAD_OK;
}

TEST(ledger_screening_made_beforehand)
{
    static const char v2[] = "policy \"ledger-test\" version 2\n"
                             "screen-threshold 60\n"
                             "rule everyone \"Everyone is refused\"\n"
                             "  refuse\n"
                             "  reason closed \"The crossing is closed.\"\n"
                             "end\n";
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("screened.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_prepared *prep;
    struct sarhad_decision d;
    struct sarhad_error err;

    ASSERT(store != NULL);
    ASSERT_OK(sarhad_prepared_new(&prep, NULL));
    /* Never prepared: refused, nothing recorded. */
    ASSERT_EQ_INT(SARHAD_EINVAL,
                  sarhad_ledger_cross_prepared(ledger, prep, &officer,
                                               1700000000, &d, NULL, &err));
    screen_calls = 0;
    sarhad_ledger_set_screen(ledger, counting_screen, NULL);
    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 5), "AFG");
    passport(&p, "P01234567");
    visa(&p, "V1234567", SARHAD_ENTRIES_DOUBLE, 30);
    /* Screened on another thread's time: the recording trusts it. */
    ASSERT_OK(sarhad_ledger_prepare(ledger, &p, prep, NULL));
    ASSERT_EQ_INT(1, screen_calls);
    ASSERT_EQ_INT(SARHAD_SCREEN_DEFAULT_THRESHOLD, prep->screening.floor);
    ASSERT_OK(sarhad_ledger_cross_prepared(ledger, prep, &officer, 1700000000,
                                           &d, NULL, NULL));
    ASSERT_EQ_INT(1, screen_calls);
    /* A publication lowering the floor makes that screening stale. */
    ASSERT_OK(sarhad_ledger_policy_publish(ledger, "v2", v2, sizeof(v2) - 1,
                                           &supervisor, 1700000100, NULL, NULL,
                                           0, NULL, NULL));
    ASSERT_OK(sarhad_ledger_cross_prepared(ledger, prep, &officer, 1700000200,
                                           &d, NULL, NULL));
    ASSERT_EQ_INT(2, screen_calls);
    ASSERT_OK(sarhad_ledger_prepare(ledger, &p, prep, NULL));
    ASSERT_EQ_INT(60, prep->screening.floor);
    ASSERT_OK(sarhad_ledger_cross_prepared(ledger, prep, &officer, 1700000300,
                                           &d, NULL, NULL));
    ASSERT_EQ_INT(3, screen_calls);
    ASSERT_EQ_INT(3, scalar(store, "SELECT count(*) FROM attempt"));
    sarhad_prepared_free(prep);
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}
