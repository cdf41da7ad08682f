/*
 * test_scenarios.c - walks the DOMAIN.md timeline through the shipped
 * policies: the same travellers on different dates and at different
 * crossings.  Each expectation quotes the line of /work/shared/DOMAIN.md
 * (section 1 unless said) that it rests on, so that a reviewer can check
 * the policy against the facts, not against itself.
 */
#include "policy_fixtures.h"
#include "test.h"

static struct sarhad_policy *pk, *whatif;

static void
unload(void)
{
    sarhad_policy_free(pk);
    sarhad_policy_free(whatif);
    pk = whatif = NULL;
}

/* Each test compiles the policies afresh and frees them when done (the
 * store tests count live allocations). */
static bool
load(void)
{
    unload();
    pk = fx_load("policies/pakistan.policy");
    whatif = fx_load("policies/what-if-easement-restored.policy");
    return pk != NULL && whatif != NULL;
}

/* The Afghan with only a tazkira, at Torkham (entry). */
static struct sarhad_decision
tazkira_at(const char *crossing, const char *date, const char *district)
{
    struct sarhad_presentation p;
    fx_pres(&p, crossing, SARHAD_ENTRY, date, "AFG");
    fx_simple(&p, SARHAD_DOC_TAZKIRA, "1400-0101-12345", district);
    return fx_decide(pk, &p, NULL);
}

TEST(scenario_afghan_tazkira_at_torkham)
{
    struct sarhad_decision d;

    ASSERT(load());
    /* "2016-06 | Afghans need passport + visa, or a Rahdari pass ...
     *  crossings fall from ~20,000/day to ~2,500 | Torkham": before it a
     * tazkira was enough (the policy marks this as an assumption). */
    d = tazkira_at("TORKHAM", "2016-03-01", "Nangarhar");
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_STR("torkham-open-afg", d.rule);
    d = tazkira_at("TORKHAM", "2016-07-01", "Nangarhar");
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT_EQ_STR("torkham-afg-2016", d.rule);
    ASSERT(fx_has_reason(&d, "passport_visa_required"));
    /* "2023-11-01 | One-document regime: passport + valid visa is the
     *  only accepted document for everyone; tazkira, CNIC and special
     *  permits refused | all" */
    d = tazkira_at("TORKHAM", "2023-12-01", "Nangarhar");
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT_EQ_STR("one-document", d.rule);
    ASSERT(fx_has_reason(&d, "missing_passport"));
    ASSERT_EQ_STR("pakistan", d.policy_name);
    ASSERT_EQ_INT(1, d.policy_version);
    unload();
}

TEST(scenario_afghan_tazkira_at_chaman)
{
    struct sarhad_decision d;
    struct sarhad_presentation p;

    ASSERT(load());
    /* "before 2023-11 | Chaman: a Chaman-district (earlier Qila Abdullah)
     *  CNIC or a Kandahar tazkira is enough ("easement") | Chaman" */
    d = tazkira_at("CHAMAN", "2023-10-15", "Kandahar");
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_STR("chaman-easement-afg", d.rule);
    /* ... the easement is Chaman's alone: the same day at Torkham the
     * 2016 rule applies ("2016-06 | Afghans need passport + visa"). */
    d = tazkira_at("TORKHAM", "2023-10-15", "Kandahar");
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    /* ... and only for a Kandahar tazkira. */
    d = tazkira_at("CHAMAN", "2023-10-15", "Nangarhar");
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT(fx_has_reason(&d, "tazkira_district"));
    /* "2023-11-01 | One-document regime ... tazkira ... refused | all" */
    d = tazkira_at("CHAMAN", "2023-11-02", "Kandahar");
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT_EQ_STR("one-document", d.rule);
    /* "2024-07 (Chaman deal) | ... Afghans with a tazkira (Spin Boldak
     *  residents, registered labourers) only from the Friendship Gate to
     *  the parking area" */
    fx_pres(&p, "CHAMAN", SARHAD_ENTRY, "2024-08-01", "AFG");
    snprintf(p.traveller.residence, sizeof(p.traveller.residence),
             "Spin Boldak");
    fx_simple(&p, SARHAD_DOC_TAZKIRA, "1400-0101-12345", "Kandahar");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_STR("parking", d.zone);
    fx_pres(&p, "CHAMAN", SARHAD_ENTRY, "2024-08-01", "AFG");
    snprintf(p.traveller.occupation, sizeof(p.traveller.occupation),
             "labourer");
    fx_simple(&p, SARHAD_DOC_TAZKIRA, "1400-0101-12345", "Kandahar");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_STR("chaman-deal-afg-labourer", d.rule);
    ASSERT_EQ_STR("parking", d.zone);
    /* ... other Afghans still need passport and visa. */
    d = tazkira_at("CHAMAN", "2024-08-01", "Kandahar");
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    /* "tokens for under-18s | Chaman" */
    fx_pres(&p, "CHAMAN", SARHAD_ENTRY, "2024-08-01", "AFG");
    p.traveller.birth_date = fx_date("2012-05-01");
    fx_doc(&p, SARHAD_DOC_TOKEN);
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_STR("chaman-deal-afg-token", d.rule);
    ASSERT_EQ_STR("parking", d.zone);
    p.traveller.birth_date = fx_date("2000-05-01");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    unload();
}

TEST(scenario_afghan_passport_and_visa)
{
    struct sarhad_presentation p;
    struct sarhad_decision d;

    ASSERT(load());
    /* "2019-01-03 | 30-day visa on arrival for Afghans ends" (so before
     * it a passport alone got a visa on arrival). */
    fx_pres(&p, "TORKHAM", SARHAD_ENTRY, "2018-05-01", "AFG");
    fx_passport(&p, "2028-01-01");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_STR("visa-on-arrival", d.rule);
    ASSERT(fx_has_flag(&d, "visa_on_arrival"));
    p.time.date = fx_date("2019-02-01");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT(fx_has_reason(&d, "missing_visa"));
    /* "2019-01-03 | ... "Form C" on entry | all" */
    fx_visa(&p, "PAK", "2026-12-31", SARHAD_ENTRIES_MULTIPLE);
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_STR("passport-visa-form-c", d.rule);
    ASSERT(fx_has_flag(&d, "form_c"));
    /* "2023-11-01 | passport + valid visa is the only accepted document
     *  for everyone | all": the same documents, any crossing. */
    p.time.date = fx_date("2024-01-10");
    snprintf(p.crossing, sizeof(p.crossing), "GHULAM_KHAN");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    /* "valid visa": an expired one is refused with the date said. */
    fx_pres(&p, "TORKHAM", SARHAD_ENTRY, "2024-01-10", "AFG");
    fx_passport(&p, "2028-01-01");
    fx_visa(&p, "PAK", "2023-10-01", SARHAD_ENTRIES_MULTIPLE);
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT(fx_has_reason(&d, "visa_expired"));
    ASSERT(strstr(d.reasons[1].message, "2023-10-01") != NULL);
    /* DOMAIN.md 2: visas are "issued by Pakistan": an Afghan visa is no
     * visa for Pakistan. */
    fx_pres(&p, "TORKHAM", SARHAD_ENTRY, "2024-01-10", "AFG");
    fx_passport(&p, "2028-01-01");
    fx_visa(&p, "AFG", "2026-01-01", SARHAD_ENTRIES_MULTIPLE);
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT(fx_has_reason(&d, "visa_issuer"));
    unload();
}

TEST(scenario_single_entry_visa_used)
{
    struct sarhad_presentation p;
    struct sarhad_history h;
    struct sarhad_decision d;

    ASSERT(load());
    /* DOMAIN.md 2: "Entries: single / double / multiple" */
    fx_pres(&p, "TORKHAM", SARHAD_ENTRY, "2024-01-10", "AFG");
    fx_passport(&p, "2028-01-01");
    fx_visa(&p, "PAK", "2026-12-31", SARHAD_ENTRIES_SINGLE);
    memset(&h, 0, sizeof(h));
    h.known = true;
    d = fx_decide(pk, &p, &h);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    h.visa_entries_used = 1;
    d = fx_decide(pk, &p, &h);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT(fx_has_reason(&d, "visa_entries_used"));
    /* A double-entry visa has one more. */
    p.documents[1].entries = SARHAD_ENTRIES_DOUBLE;
    d = fx_decide(pk, &p, &h);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    unload();
}

static struct sarhad_decision
driver_at(const char *date)
{
    struct sarhad_presentation p;
    fx_pres(&p, "TORKHAM", SARHAD_ENTRY, date, "AFG");
    snprintf(p.traveller.occupation, sizeof(p.traveller.occupation), "driver");
    fx_simple(&p, SARHAD_DOC_TAZKIRA, "1400-0101-12345", "Nangarhar");
    return fx_decide(pk, &p, NULL);
}

TEST(scenario_truck_driver_grace)
{
    struct sarhad_decision d;

    ASSERT(load());
    /* "2023-11-21 -> 2024-03-31 | truck drivers and crews: first told to
     *  bring passport + visa, then given a grace period: until 2024-03-31
     *  they may still cross on their old documents (tazkira, CNIC); from
     *  2024-04-01 passport + visa | all" */
    d = driver_at("2023-11-10");
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    d = driver_at("2023-11-21");
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_STR("drivers-grace", d.rule);
    d = driver_at("2024-03-31");
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    d = driver_at("2024-04-01");
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT_EQ_STR("one-document", d.rule);
    unload();
}

TEST(scenario_patients_and_cancer_card)
{
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_document *card;

    ASSERT(load());
    /* "2020-10 | ... 3-month treatment visa on arrival at Torkham" and
     * "~2024-03-10 | patients on an Afghan health-commission letter
     *  stopped; holders of a "six-month cancer card" let in without visa" */
    fx_pres(&p, "TORKHAM", SARHAD_ENTRY, "2024-02-01", "AFG");
    snprintf(p.traveller.purpose, sizeof(p.traveller.purpose), "medical");
    fx_passport(&p, "2028-01-01");
    fx_doc(&p, SARHAD_DOC_MEDICAL_LETTER);
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_STR("health-letter", d.rule);
    ASSERT(fx_has_flag(&d, "treatment_visa"));
    p.time.date = fx_date("2024-03-15");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT_EQ_STR("health-letter-stopped", d.rule);
    card = fx_doc(&p, SARHAD_DOC_CANCER_CARD);
    card->expiry = fx_date("2024-06-30");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_STR("cancer-card", d.rule);
    /* "six-month" card: once expired it no longer helps. */
    p.time.date = fx_date("2024-07-01");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT(fx_has_reason(&d, "cancer_card_expired"));
    /* The cancer card is a Torkham exception ("| Torkham"). */
    p.time.date = fx_date("2024-04-01");
    snprintf(p.crossing, sizeof(p.crossing), "CHAMAN");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    unload();
}

TEST(scenario_pakistani_at_torkham_and_chaman)
{
    struct sarhad_presentation p;
    struct sarhad_decision d;

    ASSERT(load());
    /* "2017-01-01 | Pakistanis need passport + Afghan visa; Shinwari/Afridi
     *  exempt | Torkham" */
    fx_pres(&p, "TORKHAM", SARHAD_EXIT, "2016-10-01", "PAK");
    fx_simple(&p, SARHAD_DOC_CNIC, "17301-1234567-1", "Peshawar");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    p.time.date = fx_date("2017-02-01");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT_EQ_STR("torkham-pak-exit-refuse", d.rule);
    snprintf(p.traveller.tribe, sizeof(p.traveller.tribe), "Afridi");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_STR("torkham-tribes-pak", d.rule);
    fx_pres(&p, "TORKHAM", SARHAD_EXIT, "2017-02-01", "PAK");
    fx_passport(&p, "2029-01-01");
    fx_visa(&p, "AFG", "2018-01-01", SARHAD_ENTRIES_SINGLE);
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_STR("torkham-pak-exit", d.rule);
    /* "before 2023-11 | Chaman: a Chaman-district (earlier Qila Abdullah)
     *  CNIC ... is enough" */
    fx_pres(&p, "CHAMAN", SARHAD_EXIT, "2022-06-01", "PAK");
    fx_simple(&p, SARHAD_DOC_CNIC, "54201-1234567-3", "Qila Abdullah");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_STR("chaman-easement-pak", d.rule);
    /* "2024-07 (Chaman deal) | Pakistanis with a Chaman CNIC may go as far
     *  as Pul-i-Takhta" */
    fx_pres(&p, "CHAMAN", SARHAD_EXIT, "2024-08-01", "PAK");
    fx_simple(&p, SARHAD_DOC_CNIC, "54201-1234567-3", "Chaman");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_STR("pul-i-takhta", d.zone);
    /* ... the deal is Chaman's: at Torkham the one-document regime. */
    snprintf(p.crossing, sizeof(p.crossing), "TORKHAM");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT(fx_has_reason(&d, "missing_passport"));
    /* Between the easement and the deal (2023-11 to 2024-06) the CNIC
     * is refused at Chaman too. */
    snprintf(p.crossing, sizeof(p.crossing), "CHAMAN");
    p.time.date = fx_date("2024-02-01");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    unload();
}

TEST(scenario_returns_recorded_not_refused)
{
    struct sarhad_presentation p;
    struct sarhad_decision d;

    ASSERT(load());
    /* "2023-09 onward | exits: Afghans may leave (return) on a tazkira, a
     *  PoR or ACC card, or with no document at all; returns and
     *  deportations are recorded and categorised, not refused" */
    fx_pres(&p, "BARABCHA", SARHAD_EXIT, "2023-11-01", "AFG");
    p.movement.category = SARHAD_MOVE_DEPORTATION;
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_STR("afghan-return", d.rule);
    ASSERT(fx_has_flag(&d, "movement"));
    /* "a PoR card is cancelled ("punched") when its holder returns" */
    fx_simple(&p, SARHAD_DOC_POR, "POR123", "");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_STR("por-return", d.rule);
    ASSERT(fx_has_flag(&d, "por_punch"));
    /* Before 2023-09 an Afghan without documents could not leave at
     * Torkham ("2016-06 | Afghans need passport + visa, or a Rahdari
     * pass") ... */
    fx_pres(&p, "TORKHAM", SARHAD_EXIT, "2023-06-01", "AFG");
    fx_simple(&p, SARHAD_DOC_TAZKIRA, "1400-0101-12345", "Nangarhar");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    /* ... except in an Eid window: "Eid windows (e.g. 2023-06) | Afghans
     *  may *exit* on a tazkira or registration card without visa for
     *  fixed days | Torkham" */
    p.time.date = fx_date("2023-06-28");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_STR("eid-exit-2023", d.rule);
    /* The window is an exit window only. */
    p.direction = SARHAD_ENTRY;
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    unload();
}

TEST(scenario_rahdari)
{
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_document *r;

    ASSERT(load());
    /* "2015-09 | Rahdari passes (border-resident permits, renewed every 6
     *  months ...) for Shinwari and Afridi tribes | Torkham"; DOMAIN.md 2:
     * "zone-limited border-resident permit with expiry and tribe" */
    fx_pres(&p, "TORKHAM", SARHAD_ENTRY, "2020-05-01", "AFG");
    r = fx_simple(&p, SARHAD_DOC_RAHDARI, "R-1", "Nangarhar");
    snprintf(r->tribe, sizeof(r->tribe), "Shinwari");
    r->expiry = fx_date("2020-09-30");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_STR("border-districts", d.zone);
    /* renewed every 6 months: an expired pass fails */
    p.time.date = fx_date("2020-10-05");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    ASSERT(fx_has_reason(&d, "rahdari_expired"));
    /* "tazkira, CNIC and special permits refused" from 2023-11-01 */
    r->expiry = fx_date("2024-03-31");
    p.time.date = fx_date("2023-11-05");
    d = fx_decide(pk, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFUSE, d.outcome);
    unload();
}

TEST(scenario_overstay_on_exit)
{
    struct sarhad_presentation p;
    struct sarhad_history h;
    struct sarhad_decision d;
    static const struct {
        const char *exit;
        int days, fine;
    } table[] = {
        /* DOMAIN.md 4: "Overstay fines (2020 table): under 2 weeks free;
         * 2-4 weeks US$50; 4 weeks-3 months $200; 3 months-1 year $400 a
         * year."  Entry 2022-03-01 with 30 days: last day 2022-03-30. */
        {"2022-03-30", 0, 0},     {"2022-04-12", 13, 0},
        {"2022-04-13", 14, 50},   {"2022-04-26", 27, 50},
        {"2022-04-27", 28, 200},  {"2022-06-28", 90, 200},
        {"2022-06-29", 91, 400},  {"2023-03-30", 365, 400},
        {"2023-03-31", 366, 800},
    };

    ASSERT(load());
    memset(&h, 0, sizeof(h));
    h.known = true;
    h.stay_count = 1;
    h.stays[0].entry = fx_date("2022-03-01");
    h.stays[0].allowed_days = 30;
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        fx_pres(&p, "TORKHAM", SARHAD_EXIT, table[i].exit, "AFG");
        fx_passport(&p, "2028-01-01");
        d = fx_decide(pk, &p, &h);
        ASSERT_EQ_INT(table[i].days, d.overstay_days);
        ASSERT_EQ_INT(table[i].fine, d.fine_usd);
        /* DOMAIN.md 2: "overstayers leave with an exit permit and a
         * fine": without one, to the immigration office. */
        ASSERT_EQ_INT(table[i].days > 0 ? SARHAD_REFER : SARHAD_ADMIT,
                      d.outcome);
        if (table[i].days > 0)
            ASSERT(fx_has_flag(&d, "overstay"));
    }
    fx_doc(&p, SARHAD_DOC_EXIT_PERMIT);
    d = fx_decide(pk, &p, &h);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT_EQ_STR("overstay-exit-permit", d.rule);
    /* "Overstays over a year may be blacklisted." */
    ASSERT(fx_has_flag(&d, "blacklist_review"));
    /* From 2023-09 an Afghan's exit is a return: recorded, not referred,
     * the overstay still flagged. */
    fx_pres(&p, "TORKHAM", SARHAD_EXIT, "2023-12-01", "AFG");
    d = fx_decide(pk, &p, &h);
    ASSERT_EQ_INT(SARHAD_ADMIT, d.outcome);
    ASSERT(d.overstay_days > 365);
    unload();
}

TEST(scenario_what_if_easement_restored)
{
    struct sarhad_presentation p;
    struct sarhad_decision a, b;
    static const char *const dates[] = {"2016-03-01", "2023-10-15",
                                        "2023-12-01", "2024-08-01"};

    ASSERT(load());
    /* Up to 2024-12-31 the what-if is the law as it was: same decisions. */
    for (size_t i = 0; i < 4; i++) {
        fx_pres(&p, "CHAMAN", SARHAD_ENTRY, dates[i], "AFG");
        fx_simple(&p, SARHAD_DOC_TAZKIRA, "1400-0101-12345", "Kandahar");
        a = fx_decide(pk, &p, NULL);
        b = fx_decide(whatif, &p, NULL);
        ASSERT_EQ_INT(a.outcome, b.outcome);
        ASSERT_EQ_STR(a.rule, b.rule);
    }
    /* From 2025-01-01 the Kandahar tazkira is enough again at Chaman
     * ("before 2023-11 | Chaman: ... a Kandahar tazkira is enough"). */
    fx_pres(&p, "CHAMAN", SARHAD_ENTRY, "2025-02-01", "AFG");
    fx_simple(&p, SARHAD_DOC_TAZKIRA, "1400-0101-12345", "Kandahar");
    a = fx_decide(pk, &p, NULL);
    b = fx_decide(whatif, &p, NULL);
    ASSERT_EQ_INT(SARHAD_REFUSE, a.outcome);
    ASSERT_EQ_INT(SARHAD_ADMIT, b.outcome);
    ASSERT_EQ_STR("whatif-chaman-afg", b.rule);
    ASSERT_EQ_STR("what-if-easement-restored", b.policy_name);
    unload();
}
