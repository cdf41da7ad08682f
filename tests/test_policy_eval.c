/*
 * test_policy_eval.c - the evaluator on small policies written for each
 * behaviour: the document check before anything else, the watchlist
 * threshold, scope (age, negated lists, windows, movement), rolling stay
 * limits, near-miss reasons, the fallback, purity, and the decision JSON.
 */
#include "policy_fixtures.h"
#include "test.h"

static struct sarhad_policy *
compile(const char *text)
{
    struct sarhad_policy *p = NULL;
    struct sarhad_error err;

    if (sarhad_policy_compile(&p, "t", text, strlen(text), &err) != SARHAD_OK) {
        fprintf(stderr, "%s\n", err.message);
        return NULL;
    }
    return p;
}

static const char basic[] =
    "policy \"basic\" version 7\n"
    "screen-threshold 80\n"
    "number-format tazkira \"9999-*\"\n"
    "rule visa\n"
    "  direction entry\n"
    "  accept passport (not-expired) and visa (issued-by PAK; not-expired)\n"
    "  admit\n"
    "end\n"
    "rule taz\n"
    "  accept tazkira\n"
    "  admit zone parking\n"
    "end\n"
    "rule cnic\n"
    "  accept cnic\n"
    "  admit\n"
    "end\n";

TEST(eval_mrz_failure_refers_never_admits)
{
    struct sarhad_policy *pol = compile(basic);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_document *pass;

    ASSERT(pol != NULL);
    fx_pres(&p, "TORKHAM", SARHAD_ENTRY, "2024-01-10", "AFG");
    pass = fx_passport(&p, "2028-01-01");
    fx_visa(&p, "PAK", "2026-01-01", SARHAD_ENTRIES_MULTIPLE);
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_STR("visa", d.rule);
    /* A check digit that failed: refer, with the MRZ problems flagged. */
    pass->mrz.valid = false;
    pass->mrz.issue_count = 1;
    snprintf(pass->mrz.issues[0].field, sizeof(pass->mrz.issues[0].field),
             "birth_date_check");
    snprintf(pass->mrz.issues[0].code, sizeof(pass->mrz.issues[0].code),
             "check_digit");
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFER, d.outcome);
    ASSERT_EQ_STR("document-check", d.rule);
    ASSERT(fx_has_reason(&d, "mrz_check_failed"));
    ASSERT_EQ_STR("passport: birth_date_check (check_digit)",
                  d.flags[0].detail);
    /* Also when the rules would have refused. */
    p.documents[1].mrz.expiry_date = fx_date("2020-01-01");
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFER, d.outcome);
    sarhad_policy_free(pol);
}

TEST(eval_visa_must_match_passport_holder)
{
    struct sarhad_policy *pol = compile(basic);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_document *visa;

    ASSERT(pol != NULL);
    fx_pres(&p, "TORKHAM", SARHAD_ENTRY, "2024-01-10", "AFG");
    fx_passport(&p, "2028-01-01");
    visa = fx_visa(&p, "PAK", "2026-01-01", SARHAD_ENTRIES_MULTIPLE);
    snprintf(visa->mrz.surname, sizeof(visa->mrz.surname), "KHAAN");
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFER, d.outcome);
    ASSERT(fx_has_reason(&d, "visa_holder_mismatch"));
    snprintf(visa->mrz.surname, sizeof(visa->mrz.surname), "KHAN");
    visa->mrz.birth_date = fx_date("1990-01-02");
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFER, d.outcome);
    sarhad_policy_free(pol);
}

TEST(eval_cnic_and_number_layouts_refer)
{
    struct sarhad_policy *pol = compile(basic);
    struct sarhad_presentation p;
    struct sarhad_decision d;

    ASSERT(pol != NULL);
    fx_pres(&p, "CHAMAN", SARHAD_ENTRY, "2024-01-10", "PAK");
    fx_simple(&p, SARHAD_DOC_CNIC, "54201-1234567-3", "Chaman");
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    p.traveller.sex = 'F'; /* odd last digit: a man's number */
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFER, d.outcome);
    ASSERT(fx_has_reason(&d, "cnic_sex_mismatch"));
    snprintf(p.documents[0].number, sizeof(p.documents[0].number),
             "94201-1234567-3");
    d = fx_decide(pol, &p, NULL);
    ASSERT(fx_has_reason(&d, "cnic_invalid"));
    /* number-format tazkira "9999-*" */
    fx_pres(&p, "CHAMAN", SARHAD_ENTRY, "2024-01-10", "AFG");
    fx_simple(&p, SARHAD_DOC_TAZKIRA, "1400-abc", "Kandahar");
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_STR("parking", d.zone);
    snprintf(p.documents[0].number, sizeof(p.documents[0].number), "14-00");
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFER, d.outcome);
    ASSERT(fx_has_reason(&d, "number_format"));
    sarhad_policy_free(pol);
}

TEST(eval_watchlist_threshold)
{
    struct sarhad_policy *pol = compile(basic);
    struct sarhad_presentation p;
    struct sarhad_screening s;
    struct sarhad_decision d;

    ASSERT(pol != NULL);
    ASSERT_EQ_INT(80, sarhad_policy_screen_threshold(pol));
    fx_pres(&p, "TORKHAM", SARHAD_ENTRY, "2024-01-10", "AFG");
    fx_simple(&p, SARHAD_DOC_TAZKIRA, "1400-1", "");
    memset(&s, 0, sizeof(s));
    s.screened = true;
    s.hit_count = 2;
    s.hits[0].score = 79;
    snprintf(s.hits[0].entry_id, sizeof(s.hits[0].entry_id), "W-1");
    s.hits[1].score = 80;
    snprintf(s.hits[1].entry_id, sizeof(s.hits[1].entry_id), "W-2");
    snprintf(s.hits[1].why, sizeof(s.hits[1].why),
             "surname KHAN = KHAAN (one letter), birth year equal");
    ASSERT_OK(sarhad_policy_decide(&d, pol, &p, NULL, &s, NULL));
    ASSERT_EQ_INT(SARHAD_REFER, d.outcome);
    ASSERT_EQ_STR("watchlist", d.rule);
    ASSERT_EQ_INT(1, d.hit_count);
    ASSERT_EQ_STR("W-2", d.hits[0].entry_id);
    ASSERT(strstr(d.hits[0].why, "one letter") != NULL);
    s.hits[1].score = 79;
    ASSERT_OK(sarhad_policy_decide(&d, pol, &p, NULL, &s, NULL));
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_INT(0, d.hit_count);
    sarhad_policy_free(pol);
}

TEST(eval_scope_age_lists_windows_movement)
{
    struct sarhad_policy *pol = compile(
        "policy \"s\" version 1\n"
        "rule minors\n  age under 18\n  admit zone kids\nend\n"
        "rule elders\n  age 60 or-over\n  admit zone elders\nend\n"
        "rule eid\n  during 2023-06-26..2023-07-02, 2024-04-09..2024-04-12\n"
        "  admit zone eid\nend\n"
        "rule deport\n  direction exit\n  movement deportation\n"
        "  admit zone deport\nend\n"
        "rule notpak\n  nationality not PAK\n  residence \"Spin Boldak\"\n"
        "  admit zone spin\nend\n");
    struct sarhad_presentation p;
    struct sarhad_decision d;

    ASSERT(pol != NULL);
    fx_pres(&p, "CHAMAN", SARHAD_ENTRY, "2024-01-10", "AFG");
    p.traveller.birth_date = fx_date("2006-01-11"); /* 17 until tomorrow */
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_STR("kids", d.zone);
    p.traveller.birth_date = fx_date("2006-01-10"); /* 18 today */
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_STR("no-rule", d.rule);
    ASSERT(fx_has_reason(&d, "no_rule"));
    p.traveller.birth_date = fx_date("1964-01-10");
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_STR("elders", d.zone);
    /* nationality and birth date from a passport that read cleanly when
     * the officer did not state them */
    p.traveller.birth_date.year = 0;
    p.traveller.nationality[0] = '\0';
    fx_passport(&p, "2030-01-01"); /* born 1990-01-01, nationality "" */
    snprintf(p.documents[0].mrz.nationality,
             sizeof(p.documents[0].mrz.nationality), "PAK");
    snprintf(p.traveller.residence, sizeof(p.traveller.residence),
             "Spin Boldak");
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome); /* PAK: "notpak" misses */
    snprintf(p.documents[0].mrz.nationality,
             sizeof(p.documents[0].mrz.nationality), "AFG");
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_STR("spin", d.zone);
    p.document_count = 0;
    p.traveller.residence[0] = '\0';
    snprintf(p.traveller.nationality, sizeof(p.traveller.nationality), "AFG");
    /* no birth date known: age rules do not apply */
    p.traveller.birth_date.year = 0;
    p.time.date = fx_date("2024-04-12");
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_STR("eid", d.zone);
    p.time.date = fx_date("2024-04-13");
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    p.direction = SARHAD_EXIT;
    p.movement.category = SARHAD_MOVE_DEPORTATION;
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_STR("deport", d.zone);
    ASSERT(fx_has_flag(&d, "movement"));
    p.direction = SARHAD_ENTRY;
    p.movement.category = SARHAD_MOVE_REGULAR;
    snprintf(p.traveller.residence, sizeof(p.traveller.residence),
             "spin boldak"); /* case does not matter */
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_STR("spin", d.zone);
    snprintf(p.traveller.nationality, sizeof(p.traveller.nationality), "PAK");
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    sarhad_policy_free(pol);
}

TEST(eval_rolling_limit_90_in_180)
{
    struct sarhad_policy *pol =
        compile("policy \"r\" version 1\n"
                "rule schengen-like\n  direction entry\n"
                "  limit 90 days in any 180 days\n  admit\nend\n"
                "rule otherwise\n  refuse\n  reason over \"Over the limit.\"\n"
                "end\n");
    struct sarhad_presentation p;
    struct sarhad_history h;
    struct sarhad_decision d;

    ASSERT(pol != NULL);
    memset(&h, 0, sizeof(h));
    h.known = true;
    h.stay_count = 1;
    /* DOMAIN.md 4: "the entry day and the exit day both count ... window
     * for reference day R is [R-179, R]".  89 days inside, plus today. */
    h.stays[0].entry = fx_date("2024-01-01");
    h.stays[0].exit = fx_date("2024-03-29"); /* 89 days with both ends */
    fx_pres(&p, "TORKHAM", SARHAD_ENTRY, "2024-04-10", "AFG");
    d = fx_decide(pol, &p, &h);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    h.stays[0].exit = fx_date("2024-03-30"); /* 90 + today = 91 */
    d = fx_decide(pol, &p, &h);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT(fx_has_reason(&d, "stay_limit"));
    /* Once the first days fall out of the window, entry is possible. */
    p.time.date = fx_date("2024-06-29"); /* window starts 2024-01-02 */
    d = fx_decide(pol, &p, &h);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    /* A same-day entry and exit is one day. */
    h.stays[0].entry = h.stays[0].exit = fx_date("2024-06-01");
    d = fx_decide(pol, &p, &h);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    sarhad_policy_free(pol);
}

TEST(eval_near_miss_reasons_say_what_was_wrong)
{
    struct sarhad_policy *pol = compile(
        "policy \"n\" version 1\n"
        "rule v\n"
        "  accept passport (not-expired) and visa (issued-by PAK; "
        "category visit, business; entries multiple; stay-days up-to 60)\n"
        "  admit\nend\n"
        "rule r\n  accept rahdari (tribe Shinwari; district not Kabul; "
        "not-expired)\n  admit\nend\n"
        "rule no\n  refuse\n  reason none \"Not accepted.\"\nend\n");
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_document *visa, *r;

    ASSERT(pol != NULL);
    fx_pres(&p, "TORKHAM", SARHAD_ENTRY, "2024-01-10", "AFG");
    fx_passport(&p, "2028-01-01");
    visa = fx_visa(&p, "PAK", "2026-01-01", SARHAD_ENTRIES_MULTIPLE);
    snprintf(visa->category, sizeof(visa->category), "study");
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_STR("no", d.rule);
    ASSERT(fx_has_reason(&d, "none"));
    ASSERT(fx_has_reason(&d, "visa_category"));
    ASSERT(fx_has_reason(&d, "missing_rahdari"));
    snprintf(visa->category, sizeof(visa->category), "visit");
    visa->entries = SARHAD_ENTRIES_SINGLE;
    d = fx_decide(pol, &p, NULL);
    ASSERT(fx_has_reason(&d, "visa_entries"));
    visa->entries = SARHAD_ENTRIES_MULTIPLE;
    visa->stay_days = 90;
    d = fx_decide(pol, &p, NULL);
    ASSERT(fx_has_reason(&d, "visa_stay_days"));
    visa->stay_days = 60;
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    fx_pres(&p, "TORKHAM", SARHAD_ENTRY, "2024-01-10", "AFG");
    r = fx_simple(&p, SARHAD_DOC_RAHDARI, "R1", "Kabul");
    snprintf(r->tribe, sizeof(r->tribe), "Shinwari");
    d = fx_decide(pol, &p, NULL);
    ASSERT(fx_has_reason(&d, "rahdari_district"));
    snprintf(r->district, sizeof(r->district), "Nangarhar");
    d = fx_decide(pol, &p, NULL);
    ASSERT(fx_has_reason(&d, "rahdari_no_expiry"));
    snprintf(r->tribe, sizeof(r->tribe), "Mohmand");
    d = fx_decide(pol, &p, NULL);
    ASSERT(fx_has_reason(&d, "rahdari_tribe"));
    sarhad_policy_free(pol);
}

TEST(eval_is_pure_and_checks_arguments)
{
    struct sarhad_policy *pol = compile(basic);
    struct sarhad_presentation p;
    struct sarhad_decision a, b;
    long live = test_alloc_live();

    ASSERT(pol != NULL);
    fx_pres(&p, "TORKHAM", SARHAD_ENTRY, "2024-01-10", "AFG");
    fx_simple(&p, SARHAD_DOC_POR, "X", "");
    test_alloc_fail_at(1); /* deciding must not allocate at all */
    a = fx_decide(pol, &p, NULL);
    b = fx_decide(pol, &p, NULL);
    test_alloc_fail_at(0);
    ASSERT(!test_alloc_failed());
    ASSERT_EQ_INT(live, test_alloc_live());
    ASSERT(memcmp(&a, &b, sizeof(a)) == 0);
    ASSERT_EQ_INT(SARHAD_EINVAL,
                  sarhad_policy_decide(&a, NULL, &p, NULL, NULL, NULL));
    snprintf(p.crossing, sizeof(p.crossing), "NOWHERE");
    ASSERT_EQ_INT(SARHAD_EINVAL,
                  sarhad_policy_decide(&a, pol, &p, NULL, NULL, NULL));
    sarhad_policy_free(pol);
}

TEST(eval_decision_json)
{
    struct sarhad_decision d;
    char buf[2048], small[16];
    size_t n;

    memset(&d, 0, sizeof(d));
    d.outcome = SARHAD_REFUSE;
    snprintf(d.rule, sizeof(d.rule), "one-document");
    snprintf(d.policy_name, sizeof(d.policy_name), "pakistan");
    d.policy_version = 2;
    d.reason_count = 1;
    snprintf(d.reasons[0].code, sizeof(d.reasons[0].code), "x");
    snprintf(d.reasons[0].message, sizeof(d.reasons[0].message),
             "say \"no\"\\\n");
    d.flag_count = 2;
    snprintf(d.flags[0].code, sizeof(d.flags[0].code), "mrz_check_failed");
    snprintf(d.flags[0].detail, sizeof(d.flags[0].detail), "passport: c");
    snprintf(d.flags[1].code, sizeof(d.flags[1].code), "form_c");
    snprintf(d.flags[1].detail, sizeof(d.flags[1].detail), "\x01");
    d.hit_count = 1;
    d.hits[0].score = 91;
    snprintf(d.hits[0].name, sizeof(d.hits[0].name), "KHAN");
    n = sarhad_decision_json(buf, sizeof(buf), &d);
    ASSERT_EQ_STR(
        "{\"decision\":\"refuse\",\"zone\":null,\"rule\":\"one-document\","
        "\"policy\":{\"name\":\"pakistan\",\"version\":2},"
        "\"reasons\":[{\"code\":\"x\",\"message\":\"say \\\"no\\\"\\\\\\n\"}],"
        "\"flags\":{\"overstay_days\":0,\"fine_usd\":0,"
        "\"watchlist_hits\":[{\"list_version\":\"\",\"entry_id\":\"\","
        "\"name\":\"KHAN\",\"score\":91,\"why\":\"\"}],"
        "\"mrz_problems\":[{\"code\":\"mrz_check_failed\",\"detail\":"
        "\"passport: c\"}],"
        "\"notes\":[{\"code\":\"form_c\",\"detail\":\"\\u0001\"}]}}",
        buf);
    ASSERT_EQ_INT(strlen(buf), n);
    ASSERT_EQ_INT(n, sarhad_decision_json(small, sizeof(small), &d));
    ASSERT_EQ_INT(15, strlen(small));
    ASSERT_EQ_INT(n, sarhad_decision_json(NULL, 0, &d));
    d.outcome = SARHAD_ADMIT;
    snprintf(d.zone, sizeof(d.zone), "parking");
    sarhad_decision_json(buf, sizeof(buf), &d);
    ASSERT(strncmp(buf, "{\"decision\":\"admit\",\"zone\":\"parking\"", 36) ==
           0);
}

TEST(eval_rules_take_effect_at_a_local_time)
{
    struct sarhad_policy *pol =
        compile("policy \"t\" version 1\n"
                "rule closed\n  from 2023-11-01T06:00\n  until "
                "2023-11-01T17:59\n  refuse\n  reason closed \"Closed.\"\n"
                "end\n"
                "rule open\n  admit\nend\n");
    struct sarhad_presentation p;
    struct sarhad_decision d;

    ASSERT(pol != NULL);
    fx_pres(&p, "TORKHAM", SARHAD_ENTRY, "2023-11-01", "AFG");
    p.time.seconds = 5 * 3600 + 59 * 60 + 59; /* 05:59:59 */
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_STR("open", d.rule);
    p.time.seconds = 6 * 3600; /* 06:00 */
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_STR("closed", d.rule);
    p.time.seconds = 17 * 3600 + 59 * 60 + 59; /* until is inclusive */
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_STR("closed", d.rule);
    p.time.seconds = 18 * 3600;
    d = fx_decide(pol, &p, NULL);
    ASSERT_EQ_STR("open", d.rule);
    sarhad_policy_free(pol);
    ASSERT(compile("policy \"t\" version 1\nrule a\n  from 2023-11-01T24:00\n"
                   "  admit\nend\n") == NULL);
    ASSERT(compile("policy \"t\" version 1\nrule a\n  from 2023-11-01T6:00\n"
                   "  admit\nend\n") == NULL);
}

TEST(eval_overstay_fine_saturates)
{
    struct sarhad_policy *pol =
        compile("policy \"f\" version 1\ndefault-stay 10 days\n"
                "fines\n  up-to 0 days usd 0\n"
                "  beyond usd 1000000 per 1 days\nend\n"
                "rule out\n  admit\nend\n");
    struct sarhad_presentation p;
    struct sarhad_history h;
    struct sarhad_decision d;

    ASSERT(pol != NULL);
    memset(&h, 0, sizeof(h));
    h.known = true;
    h.stay_count = 2;
    h.stays[0].entry = fx_date("1990-01-01"); /* closed: ignored */
    h.stays[0].exit = fx_date("1990-02-01");
    h.stays[1].entry = fx_date("1900-01-01"); /* open, default 10 days */
    fx_pres(&p, "TORKHAM", SARHAD_EXIT, "2024-01-10", "AFG");
    d = fx_decide(pol, &p, &h);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT(d.overstay_days > 45000);
    ASSERT_EQ_INT(2147483647, d.fine_usd);
    /* on entry there is no overstay to compute */
    p.direction = SARHAD_ENTRY;
    d = fx_decide(pol, &p, &h);
    ASSERT_EQ_INT(0, d.overstay_days);
    sarhad_policy_free(pol);
}
