/*
 * gen.c - synthetic but realistic traffic for demos and benchmarks.  A
 * pool of travellers comes and goes: Afghans on passports and visas of the
 * real categories (some single-entry visas used twice, some expired, some
 * stays overrun), Pakistanis leaving on an Afghan visa and coming home,
 * drivers on old documents during the 2023-24 grace period, Afghans turned
 * away for bringing only a tazkira, and returns in households in the 2023
 * proportions (UNHCR-IOM flash updates, late 2023: mostly undocumented,
 * about one in ten each with an ACC or PoR card; about one in fourteen a
 * deportation; a few assisted).  Every passport and visa carries a valid
 * MRZ made by sarhad_mrz_format, except the few deliberately misread ones
 * that exercise referrals.  Decisions are whatever the policy in force
 * says: the generator never chooses an outcome.
 */
#include "gen.h"
#include "ledger.h"

#include <stdio.h>
#include <string.h>

#define POOL_CAP 200000
#define BATCH    1000

struct person {
    char nat[4];
    char sex;
    struct sarhad_date birth;
    char surname[24];
    char given[24];
    char passport[10];
    char cnic[16];
    char tazkira[16];
    char occupation[12];
    /* the visa in hand (passport holders) */
    char visa[10];
    char visa_category[12];
    enum sarhad_visa_entries visa_entries;
    int stay_days;
    struct sarhad_date visa_issued;
    struct sarhad_date visa_expiry;
    bool inside; /* last admitted movement was an entry */
};

struct gen {
    uint64_t rng;
    struct person *pool;
    unsigned pool_count;
    uint64_t serial;
    /* the household being returned together */
    char household[24];
    unsigned household_left;
    unsigned household_size;
    const char *household_doc;
    enum sarhad_movement household_move;
    int household_vehicles;
    const char *household_crossing; /* a family crosses together */
    /* a deported household was arrested together (none: not on the
     * handover papers) */
    enum sarhad_province household_province;
    struct sarhad_date household_arrested;
};

static uint64_t
next(struct gen *g)
{
    /* xorshift64*: fast, and the same seed gives the same traffic. */
    g->rng ^= g->rng >> 12;
    g->rng ^= g->rng << 25;
    g->rng ^= g->rng >> 27;
    return g->rng * 2685821657736338717ULL;
}

static unsigned
pick(struct gen *g, unsigned n)
{
    return (unsigned)((next(g) >> 33) % n);
}

/* A probability in thousandths. */
static bool
chance(struct gen *g, unsigned per_mille)
{
    return pick(g, 1000) < per_mille;
}

static void
digits(struct gen *g, char *out, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        out[i] = (char)('0' + pick(g, 10));
    out[n] = '\0';
}

static void
new_person(struct gen *g, struct person *p, const char *nat,
           struct sarhad_date day)
{
    bool afg = strcmp(nat, "AFG") == 0;
    bool male = chance(g, 560);
    int age = 1 + (int)pick(g, 70);

    memset(p, 0, sizeof(*p));
    sarhad__strlcpy(p->nat, nat, sizeof(p->nat));
    p->sex = male ? 'M' : 'F';
    p->birth = sarhad_date_add_days(day, -(age * 365 + (int)pick(g, 365)));
    sarhad__strlcpy(
        p->surname,
        afg ? sarhad__afg_surnames[pick(g, sarhad__afg_surname_count)]
            : sarhad__pak_surnames[pick(g, sarhad__pak_surname_count)],
        sizeof(p->surname));
    if (afg)
        sarhad__strlcpy(
            p->given,
            male ? sarhad__afg_male[pick(g, sarhad__afg_male_count)]
                 : sarhad__afg_female[pick(g, sarhad__afg_female_count)],
            sizeof(p->given));
    else
        sarhad__strlcpy(
            p->given,
            male ? sarhad__pak_male[pick(g, sarhad__pak_male_count)]
                 : sarhad__pak_female[pick(g, sarhad__pak_female_count)],
            sizeof(p->given));
    g->serial++;
    if (afg) {
        /* Afghan passport numbers: a letter and digits (assumption). */
        snprintf(p->passport, sizeof(p->passport), "P%08llu",
                 (unsigned long long)(g->serial % 100000000));
        digits(g, p->tazkira, 12);
    } else {
        /* DOMAIN.md 2: two letters and seven digits. */
        snprintf(p->passport, sizeof(p->passport), "%c%c%07llu",
                 'A' + pick(g, 26), 'A' + pick(g, 26),
                 (unsigned long long)(g->serial % 10000000));
    }
    {
        /* CNIC: province digit first, odd last digit for men. */
        char d[14];
        digits(g, d, 13);
        d[0] = (char)('1' + pick(g, 7));
        d[12] = (char)('0' + 2 * pick(g, 5) + (male ? 1 : 0));
        snprintf(p->cnic, sizeof(p->cnic), "%.5s-%.7s-%c", d, d + 5, d[12]);
    }
    sarhad__strlcpy(p->occupation,
                    chance(g, 120)   ? "driver"
                    : chance(g, 300) ? "trader"
                                     : "",
                    sizeof(p->occupation));
}

static void
new_visa(struct gen *g, struct person *p, struct sarhad_date day)
{
    static const char *const categories[] = {
        "visit",    "visit",   "family",  "family", "business",
        "business", "medical", "medical", "work",   "study",
        "transit",  "ngo",     "official"};
    unsigned e = pick(g, 10);

    g->serial++;
    snprintf(p->visa, sizeof(p->visa), "V%08llu",
             (unsigned long long)(g->serial % 100000000));
    sarhad__strlcpy(p->visa_category,
                    categories[pick(g, SARHAD_COUNT_OF(categories))],
                    sizeof(p->visa_category));
    p->visa_entries = e < 4   ? SARHAD_ENTRIES_SINGLE
                      : e < 6 ? SARHAD_ENTRIES_DOUBLE
                              : SARHAD_ENTRIES_MULTIPLE;
    p->stay_days = chance(g, 500) ? 60 : 30;
    p->visa_issued = sarhad_date_add_days(day, -(int)pick(g, 60));
    /* A few visas have run out by the time they are shown. */
    p->visa_expiry = sarhad_date_add_days(
        day, chance(g, 30) ? -1 - (int)pick(g, 30) : 60 + (int)pick(g, 300));
}

static void
mrz_doc(struct sarhad_document *d, enum sarhad_doc_kind kind,
        enum sarhad_mrz_format format, const char *code, const char *issuer,
        const struct person *p, const char *number, struct sarhad_date expiry,
        const char *optional, bool misread)
{
    struct sarhad_mrz f;
    char text[128];

    memset(&f, 0, sizeof(f));
    f.format = format;
    sarhad__strlcpy(f.document_code, code, sizeof(f.document_code));
    sarhad__strlcpy(f.issuing_state, issuer, sizeof(f.issuing_state));
    sarhad__strlcpy(f.surname, p->surname, sizeof(f.surname));
    sarhad__strlcpy(f.given_names, p->given, sizeof(f.given_names));
    sarhad__strlcpy(f.document_number, number, sizeof(f.document_number));
    sarhad__strlcpy(f.nationality, p->nat, sizeof(f.nationality));
    f.birth_date = p->birth;
    f.sex = p->sex;
    f.expiry_date = expiry;
    if (optional != NULL)
        sarhad__strlcpy(f.optional_data, optional, sizeof(f.optional_data));
    d->kind = kind;
    if (sarhad_mrz_format(text, sizeof(text), &f, NULL) != SARHAD_OK)
        return;
    if (misread) { /* an OCR slip in the document number's check digit */
        char *c = strchr(text, '\n') + 10;
        *c = *c == '0' ? '8' : '0';
    }
    d->has_mrz =
        sarhad_mrz_parse(&d->mrz, text, strlen(text), NULL) == SARHAD_OK;
}

static void
passport(struct sarhad_presentation *pr, const struct person *p,
         struct sarhad_date day, bool misread)
{
    struct sarhad_document *d = &pr->documents[pr->document_count++];
    char cnic[14] = "";

    if (strcmp(p->nat, "PAK") == 0) { /* the CNIC in the personal number */
        size_t n = 0;
        for (const char *s = p->cnic; *s != '\0'; s++)
            if (*s != '-')
                cnic[n++] = *s;
        cnic[n] = '\0';
    }
    mrz_doc(d, SARHAD_DOC_PASSPORT, SARHAD_MRZ_TD3, "P", p->nat, p, p->passport,
            sarhad_date_add_days(day, 400 + (int)(p->birth.day) * 20),
            cnic[0] != '\0' ? cnic : NULL, misread);
}

static void
visa(struct sarhad_presentation *pr, const struct person *p, const char *issuer)
{
    struct sarhad_document *d = &pr->documents[pr->document_count++];

    mrz_doc(d, SARHAD_DOC_VISA, SARHAD_MRZ_MRVA, "V", issuer, p, p->visa,
            p->visa_expiry, NULL, false);
    sarhad__strlcpy(d->category, p->visa_category, sizeof(d->category));
    d->entries = p->visa_entries;
    d->stay_days = p->stay_days;
    d->issued = p->visa_issued;
}

static void
number_doc(struct sarhad_presentation *pr, enum sarhad_doc_kind kind,
           const char *number, struct sarhad_date expiry)
{
    struct sarhad_document *d = &pr->documents[pr->document_count++];

    d->kind = kind;
    sarhad__strlcpy(d->number, number, sizeof(d->number));
    d->expiry = expiry;
}

static void
fill_traveller(struct sarhad_presentation *pr, const struct person *p)
{
    sarhad__strlcpy(pr->traveller.nationality, p->nat,
                    sizeof(pr->traveller.nationality));
    pr->traveller.sex = p->sex;
    pr->traveller.birth_date = p->birth;
    sarhad__strlcpy(pr->traveller.occupation, p->occupation,
                    sizeof(pr->traveller.occupation));
}

/* A pool member in the wanted state: inside Pakistan or not.  A new
 * traveller starts at home (Pakistanis inside, others outside), so one is
 * made when that is the state wanted; NULL when none can be had. */
static struct person *
pool_person(struct gen *g, const char *nat, bool inside, struct sarhad_date day)
{
    struct person *p;

    for (int tries = 0; g->pool_count > 64 && tries < 8; tries++) {
        p = &g->pool[pick(g, g->pool_count)];
        if (p->inside == inside && strcmp(p->nat, nat) == 0)
            return p;
    }
    if (inside != (strcmp(nat, "PAK") == 0))
        return NULL;
    p = g->pool_count < POOL_CAP ? &g->pool[g->pool_count++]
                                 : &g->pool[pick(g, POOL_CAP)];
    new_person(g, p, nat, day);
    p->inside = inside;
    return p;
}

/* Where a deported household was arrested: most in Sindh (Karachi),
 * Balochistan and Punjab, as the flash updates of late 2023 report; one
 * in eight handed over without the province on its papers.  Held one to
 * twenty days before the day it is deported. */
static void
arrest(struct gen *g, struct sarhad_date day)
{
    static const struct {
        enum sarhad_province province;
        unsigned upto; /* cumulative per mille */
    } where[] = {{SARHAD_PROVINCE_NONE, 125},
                 {SARHAD_PROVINCE_SINDH, 430},
                 {SARHAD_PROVINCE_BALOCHISTAN, 650},
                 {SARHAD_PROVINCE_PUNJAB, 840},
                 {SARHAD_PROVINCE_KHYBER_PAKHTUNKHWA, 940},
                 {SARHAD_PROVINCE_ISLAMABAD, 985},
                 {SARHAD_PROVINCE_GILGIT_BALTISTAN, 993},
                 {SARHAD_PROVINCE_AZAD_KASHMIR, 1000}};
    unsigned r = pick(g, 1000);
    size_t i = 0;

    while (r >= where[i].upto)
        i++;
    g->household_province = where[i].province;
    g->household_arrested =
        where[i].province == SARHAD_PROVINCE_NONE
            ? (struct sarhad_date){0, 0, 0}
            : sarhad_date_from_days(sarhad_date_to_days(day) -
                                    (int32_t)(1 + pick(g, 20)));
}

/* Afghans returning in households: the 2023 proportions. */
static void
afghan_return(struct gen *g, struct sarhad_presentation *pr,
              struct sarhad_date day, const char *crossing)
{
    struct person p;
    struct sarhad_movement_info *m = &pr->movement;
    char number[16];

    if (g->household_left == 0) {
        unsigned d = pick(g, 100), c = pick(g, 100);
        g->household_size = 1 + pick(g, 7);
        g->household_left = g->household_size;
        g->serial++;
        snprintf(g->household, sizeof(g->household), "HH-%llu",
                 (unsigned long long)g->serial);
        g->household_doc = d < 80 ? "undocumented" : d < 90 ? "acc" : "por";
        g->household_move = c < 7    ? SARHAD_MOVE_DEPORTATION
                            : c < 12 ? SARHAD_MOVE_ASSISTED_RETURN
                                     : SARHAD_MOVE_SPONTANEOUS_RETURN;
        g->household_vehicles = chance(g, 350) ? 1 : 0;
        g->household_crossing = crossing;
        if (g->household_move == SARHAD_MOVE_DEPORTATION)
            arrest(g, day);
    }
    new_person(g, &p, "AFG", day);
    fill_traveller(pr, &p);
    pr->direction = SARHAD_EXIT;
    m->category = g->household_move;
    if (m->category == SARHAD_MOVE_DEPORTATION) {
        m->arrest_province = g->household_province;
        m->arrested_on = g->household_arrested;
    }
    sarhad__strlcpy(m->household, g->household, sizeof(m->household));
    m->household_size = (int)g->household_size;
    /* The household's vehicle is counted once, with its first member. */
    m->vehicles =
        g->household_left == g->household_size ? g->household_vehicles : 0;
    if (chance(g, 40))
        m->vulnerabilities |= SARHAD_VULN_MEDICAL;
    if (chance(g, 20))
        m->vulnerabilities |= SARHAD_VULN_ELDERLY;
    if (chance(g, 15) && p.sex == 'F' && g->household_size == 1)
        m->vulnerabilities |= SARHAD_VULN_SINGLE_WOMAN;
    sarhad__strlcpy(m->intended_stay, "permanent", sizeof(m->intended_stay));
    sarhad__strlcpy(pr->traveller.purpose, "return",
                    sizeof(pr->traveller.purpose));
    g->serial++;
    snprintf(number, sizeof(number), "%c%09llu",
             g->household_doc[0] == 'p' ? 'P' : 'A',
             (unsigned long long)(g->serial % 1000000000));
    if (strcmp(g->household_doc, "por") == 0)
        number_doc(pr, SARHAD_DOC_POR, number,
                   (struct sarhad_date){2025, 6, 30});
    else if (strcmp(g->household_doc, "acc") == 0)
        number_doc(pr, SARHAD_DOC_ACC, number, (struct sarhad_date){0, 0, 0});
    else if (chance(g, 400))
        number_doc(pr, SARHAD_DOC_TAZKIRA, p.tazkira,
                   (struct sarhad_date){0, 0, 0});
    g->household_left--;
}

/* An Afghan visitor arriving on a passport and a Pakistani visa. */
static struct person *
afghan_visitor_in(struct gen *g, struct sarhad_presentation *pr,
                  struct sarhad_date day)
{
    struct person *p = pool_person(g, "AFG", false, day);

    if (p->visa[0] == '\0' || chance(g, 300))
        new_visa(g, p, day);
    pr->direction = SARHAD_ENTRY;
    passport(pr, p, day, chance(g, 20));
    visa(pr, p, "PAK");
    sarhad__strlcpy(pr->traveller.purpose, p->visa_category,
                    sizeof(pr->traveller.purpose));
    return p;
}

/* An Afghan visitor leaving; with none inside, a returnee instead (NULL:
 * the presentation is made). */
static struct person *
afghan_visitor_out(struct gen *g, struct sarhad_presentation *pr,
                   struct sarhad_date day, const char *crossing)
{
    struct person *p = pool_person(g, "AFG", true, day);

    if (p == NULL) {
        afghan_return(g, pr, day, crossing);
        return NULL;
    }
    pr->direction = SARHAD_EXIT;
    passport(pr, p, day, false);
    visa(pr, p, "PAK");
    return p;
}

/* An Afghan arriving on a tazkira only, someone new each time. */
static void
afghan_on_tazkira(struct gen *g, struct sarhad_presentation *pr,
                  struct sarhad_date day)
{
    struct person one;

    new_person(g, &one, "AFG", day);
    fill_traveller(pr, &one);
    pr->direction = SARHAD_ENTRY;
    number_doc(pr, SARHAD_DOC_TAZKIRA, one.tazkira,
               (struct sarhad_date){0, 0, 0});
}

/* A Pakistani leaving, most with an Afghan visa. */
static struct person *
pakistani_out(struct gen *g, struct sarhad_presentation *pr,
              struct sarhad_date day)
{
    struct person *p = pool_person(g, "PAK", true, day);

    if (p->visa[0] == '\0' || chance(g, 200))
        new_visa(g, p, day);
    pr->direction = SARHAD_EXIT;
    passport(pr, p, day, false);
    if (!chance(g, 50))
        visa(pr, p, "AFG");
    return p;
}

/* A Pakistani coming home; with nobody abroad yet, someone leaves instead
 * (NULL: the presentation is made). */
static struct person *
pakistani_home(struct gen *g, struct sarhad_presentation *pr,
               struct sarhad_date day, const char *crossing)
{
    struct person *p = pool_person(g, "PAK", false, day);

    if (p == NULL) {
        afghan_return(g, pr, day, crossing);
        return NULL;
    }
    pr->direction = SARHAD_ENTRY;
    if (chance(g, 30))
        number_doc(pr, SARHAD_DOC_CNIC, p->cnic, (struct sarhad_date){0, 0, 0});
    else
        passport(pr, p, day, false);
    return p;
}

/* Drivers and crews on their old documents. */
static struct person *
driver(struct gen *g, struct sarhad_presentation *pr, struct sarhad_date day)
{
    bool afg = chance(g, 500), in = chance(g, 500);
    struct person *p = pool_person(g, afg ? "AFG" : "PAK", in, day);

    if (p == NULL)
        p = pool_person(g, afg ? "AFG" : "PAK", !in, day);
    sarhad__strlcpy(p->occupation, "driver", sizeof(p->occupation));
    pr->direction = p->inside ? SARHAD_EXIT : SARHAD_ENTRY;
    if (strcmp(p->nat, "AFG") == 0)
        number_doc(pr, SARHAD_DOC_TAZKIRA, p->tazkira,
                   (struct sarhad_date){0, 0, 0});
    else
        number_doc(pr, SARHAD_DOC_CNIC, p->cnic, (struct sarhad_date){0, 0, 0});
    return p;
}

/* One synthetic presentation for day; *who_moved is the pool member whose
 * state changes if admitted (NULL for one-off travellers). */
static void
make(struct gen *g, struct sarhad_presentation *pr, struct sarhad_date day,
     struct person **who_moved)
{
    static const char *const crossings[] = {
        "TORKHAM",     "TORKHAM",   "TORKHAM",     "CHAMAN",  "CHAMAN",
        "GHULAM_KHAN", "KHARLACHI", "ANGOOR_ADDA", "BARABCHA"};
    unsigned r = g->household_left > 0 ? 0 : pick(g, 1000);
    const char *crossing = crossings[pick(g, 9)];
    struct person *p;

    *who_moved = NULL;
    if (g->household_left > 0)
        crossing = g->household_crossing;
    sarhad__strlcpy(pr->crossing, crossing, sizeof(pr->crossing));
    if (r < 380) {
        afghan_return(g, pr, day, crossing);
        return;
    }
    if (r < 560)
        p = afghan_visitor_in(g, pr, day);
    else if (r < 660)
        p = afghan_visitor_out(g, pr, day, crossing);
    else if (r < 740) {
        afghan_on_tazkira(g, pr, day);
        return;
    } else if (r < 870)
        p = pakistani_out(g, pr, day);
    else if (r < 970)
        p = pakistani_home(g, pr, day, crossing);
    else
        p = driver(g, pr, day);
    if (p == NULL)
        return;
    fill_traveller(pr, p);
    *who_moved = p;
}

enum sarhad_status
sarhad_ledger_generate(
    struct sarhad_ledger *ledger, struct sarhad_date first_day, unsigned days,
    unsigned per_day, uint64_t seed, const struct sarhad_actor *who,
    void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx,
    struct sarhad_error *err)
{
    uint64_t total = (uint64_t)days * per_day, done = 0;
    struct sarhad_presentation pr;
    struct sarhad_decision d;
    struct gen g;
    enum sarhad_status s = SARHAD_OK;
    unsigned in_batch = 0;

    if (ledger == NULL || who == NULL || first_day.year == 0)
        return sarhad__fail(err, SARHAD_EINVAL, "generate", SIZE_MAX,
                            "ledger, actor and first day are required");
    memset(&g, 0, sizeof(g));
    g.rng = seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
    if (g.rng == 0)
        g.rng = 1;
    g.pool = sarhad__calloc(POOL_CAP, sizeof(*g.pool));
    if (g.pool == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "generate", SIZE_MAX, NULL);
    for (unsigned day_i = 0; s == SARHAD_OK && day_i < days; day_i++) {
        struct sarhad_date day = sarhad_date_add_days(first_day, (int)day_i);
        for (unsigned i = 0; s == SARHAD_OK && i < per_day; i++) {
            struct person *moved;
            memset(&pr, 0, sizeof(pr));
            pr.time.date = day;
            pr.time.utc_offset_min = 300;
            /* Counters are open 06:00-20:00. */
            pr.time.seconds =
                6 * 3600 + (int32_t)((uint64_t)i * 14 * 3600 / per_day);
            snprintf(pr.counter, sizeof(pr.counter), "C%02u", 1 + pick(&g, 12));
            make(&g, &pr, day, &moved);
            if (in_batch == 0)
                s = sarhad_store_begin(ledger->store, err);
            if (s != SARHAD_OK)
                break;
            s = sarhad_ledger_cross(
                ledger, &pr, who, sarhad_time_to_unix(&pr.time), &d, NULL, err);
            if (s == SARHAD_OK && moved != NULL && d.outcome == SARHAD_ADMIT)
                moved->inside = pr.direction == SARHAD_ENTRY;
            done++;
            if (s == SARHAD_OK && (++in_batch == BATCH || done == total)) {
                s = sarhad_store_commit(ledger->store, err);
                in_batch = 0;
                if (s == SARHAD_OK && progress != NULL)
                    progress(ctx, done, total);
            }
        }
    }
    if (s != SARHAD_OK && in_batch > 0)
        sarhad_store_rollback(ledger->store);
    sarhad__free(g.pool);
    return s;
}
