/*
 * test_screen.c - screening: hits across spellings and scripts, the
 * explanation of a score (which tokens matched which and why), evidence
 * raising and lowering scores, a name without evidence weaker than one
 * with it, the list version recorded, queries from several threads, and
 * allocation failures.
 */
#include "test.h"

#include "../src/screen.h"

static const struct sarhad_actor importer = {"admin", "admin", "", ""};

#include <pthread.h>
#include <stdlib.h>

static struct sarhad_watchlist_entry *
entry(const char *id, const char *name, const char *alias, const char *dob,
      const char *nat, const char *father, char sex)
{
    static struct sarhad_watchlist_entry e;

    memset(&e, 0, sizeof(e));
    snprintf(e.id, sizeof(e.id), "%s", id);
    snprintf(e.names[e.name_count++], SARHAD_WL_NAME_LEN, "%s", name);
    if (alias != NULL)
        snprintf(e.names[e.name_count++], SARHAD_WL_NAME_LEN, "%s", alias);
    if (dob != NULL &&
        sarhad_birth_parse(&e.births[0], dob, strlen(dob), NULL) == SARHAD_OK)
        e.birth_count = 1;
    if (nat != NULL) {
        snprintf(e.nationalities[0], 4, "%s", nat);
        e.nationality_count = 1;
    }
    if (father != NULL)
        snprintf(e.father_name, sizeof(e.father_name), "%s", father);
    e.sex = sex;
    return &e;
}

static struct sarhad_screener *
small_list(void)
{
    struct sarhad_screener *s = NULL;

    if (sarhad_screener_new(&s, "v7", NULL) != SARHAD_OK)
        return NULL;
    if (sarhad_screener_add(s,
                            entry("T-1", "Mohammed Omar",
                                  "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf "
                                  "\xd8\xb9\xd9\x85\xd8\xb1",
                                  "~1960", "AFG", "Ghulam Nabi", 'M'),
                            NULL) != SARHAD_OK ||
        sarhad_screener_add(s,
                            entry("T-2", "Jalaluddin Haqqani", NULL,
                                  "1950..1952", "AFG", NULL, 'M'),
                            NULL) != SARHAD_OK ||
        sarhad_screener_add(s,
                            entry("T-3", "Obaidur Rahman Akhund", NULL,
                                  "1975-03-14", "AFG", "Abdul Ghafoor", 'M'),
                            NULL) != SARHAD_OK ||
        sarhad_screener_add(s,
                            entry("T-4", "Muhammad Yusuf Khan", NULL, "1980",
                                  "PAK", "Sher Khan", 'M'),
                            NULL) != SARHAD_OK ||
        sarhad_screener_finish(s, NULL) != SARHAD_OK) {
        sarhad_screener_close(s);
        return NULL;
    }
    return s;
}

static int
screen_score(const struct sarhad_screener *s, const char *name, const char *dob,
             const char *father, const char *id)
{
    struct sarhad_screen_query q;
    struct sarhad_screening out;

    memset(&q, 0, sizeof(q));
    q.name = name;
    q.father_name = father;
    if (dob != NULL && strlen(dob) == 4)
        q.birth_year = atoi(dob);
    else if (dob != NULL &&
             sarhad_date_parse(&q.birth_date, dob, 10, NULL) != SARHAD_OK)
        return -2;
    if (sarhad_screener_query(s, &q, 0, &out, NULL) != SARHAD_OK)
        return -3;
    for (unsigned i = 0; i < out.hit_count; i++)
        if (strcmp(out.hits[i].entry_id, id) == 0)
            return out.hits[i].score;
    return -1;
}

TEST(screen_variants_hit)
{
    struct sarhad_screener *s = small_list();
    int t = SARHAD_SCREEN_DEFAULT_THRESHOLD;

    ASSERT(s != NULL);
    ASSERT(screen_score(s, "Mullah Muhammad Umar", "1960", NULL, "T-1") >= t);
    ASSERT(screen_score(s, "OMAR<<MOHAMMAD", "1961", NULL, "T-1") >= t);
    ASSERT(screen_score(s,
                        "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf \xd8\xb9\xd9\x85"
                        "\xd8\xb1",
                        "1960", NULL, "T-1") >= t);
    ASSERT(screen_score(s, "Haqani Jalal al-Din", "1951", NULL, "T-2") >= t);
    ASSERT(screen_score(s, "Ubaid-ur-Rehman", "1975-03-14", NULL, "T-3") >= t);
    /* A typo and a dropped name. */
    ASSERT(screen_score(s, "Jalaludin Haqqany", "1950", NULL, "T-2") >= t);
    /* Unrelated people do not hit. */
    ASSERT(screen_score(s, "John Smith", NULL, NULL, "T-1") < 0);
    sarhad_screener_close(s);
}

TEST(screen_evidence_moves_scores)
{
    struct sarhad_screener *s = small_list();
    int none, born, wrong_year, wrong_father, right_father;

    ASSERT(s != NULL);
    none = screen_score(s, "Mohammad Omar", NULL, NULL, "T-1");
    born = screen_score(s, "Mohammad Omar", "1960", NULL, "T-1");
    wrong_year = screen_score(s, "Mohammad Omar", "1995", NULL, "T-1");
    right_father = screen_score(s, "Mohammad Omar", NULL, "Gholam Nabi", "T-1");
    wrong_father = screen_score(s, "Mohammad Omar", NULL, "Sher Ali", "T-1");
    ASSERT(none > 0);
    ASSERT(born > none);       /* evidence makes a hit stronger */
    ASSERT(wrong_year < none); /* and a far birth year weaker */
    ASSERT(wrong_year < SARHAD_SCREEN_DEFAULT_THRESHOLD);
    ASSERT(right_father > none);
    ASSERT(wrong_father < none);
    /* A range: inside it helps, far outside hurts. */
    ASSERT(screen_score(s, "Jalaluddin Haqqani", "1951", NULL, "T-2") >
           screen_score(s, "Jalaluddin Haqqani", "1985", NULL, "T-2"));
    /* "Muhammad Khan" alone shares only common names with T-4. */
    ASSERT(screen_score(s, "Muhammad Khan", NULL, NULL, "T-4") <
           SARHAD_SCREEN_DEFAULT_THRESHOLD);
    sarhad_screener_close(s);
}

TEST(screen_explanation)
{
    struct sarhad_screener *s = small_list();
    struct sarhad_explanation *x = malloc(sizeof(*x));
    struct sarhad_screen_query q;
    const struct sarhad_candidate *c;
    bool vowel = false, same = false, birth = false;

    ASSERT(s != NULL && x != NULL);
    memset(&q, 0, sizeof(q));
    q.name = "Mullah Muhammad Omar";
    q.birth_year = 1961;
    q.nationality = "Afghanistan";
    ASSERT_OK(sarhad_screener_explain(s, &q, 70, x, NULL));
    ASSERT_EQ_STR("v7", x->list_version);
    ASSERT_EQ_STR("mullah", x->query.removed);
    ASSERT(x->candidate_count >= 1);
    c = &x->candidates[0];
    ASSERT_EQ_STR("T-1", c->hit.entry_id);
    ASSERT(c->above_threshold);
    ASSERT_EQ_INT(2, c->match_count);
    for (unsigned i = 0; i < c->match_count; i++) {
        if (strcmp(c->matches[i].query, "muhammad") == 0) {
            ASSERT_EQ_STR("mohammed", c->matches[i].listed);
            ASSERT_EQ_STR("vowel variant", c->matches[i].why);
            vowel = true;
        }
        if (strcmp(c->matches[i].query, "omar") == 0) {
            ASSERT_EQ_INT(100, c->matches[i].similarity);
            same = true;
        }
    }
    ASSERT(vowel && same);
    for (unsigned i = 0; i < c->evidence_count; i++)
        if (strcmp(c->evidence[i].what, "birth_date") == 0) {
            ASSERT(c->evidence[i].points > 0); /* circa 1960 */
            birth = true;
        }
    ASSERT(birth);
    ASSERT(strstr(c->hit.why, "muhammad~mohammed") != NULL);
    ASSERT(strstr(c->hit.why, "nationality AFG is listed") != NULL);
    ASSERT_EQ_INT(c->name_score + 8 > 100 ? 100 : c->name_score + 8,
                  c->hit.score);
    free(x);
    sarhad_screener_close(s);
}

TEST(screen_records_version_from_store)
{
    char path[300];
    struct sarhad_store *store;
    struct sarhad_store_options opt = {true, false, NULL};
    struct sarhad_screener *s = NULL;
    struct sarhad_screening out;
    struct sarhad_screen_query q;
    const char *a = "id,name,aliases,birth_date,nationality,father_name\n"
                    "A,Gulbuddin Hekmatyar,,1949,AFG,\n";
    const char *b = "id,name,aliases,birth_date,nationality,father_name\n"
                    "B,Zabihullah Mujahid,,,AFG,\n";

    snprintf(path, sizeof(path), "%s/screen.db", test_tmpdir());
    ASSERT_OK(sarhad_store_open(&store, path, &opt, NULL));
    ASSERT_OK(sarhad_screener_open(&s, store, NULL));
    ASSERT_EQ_STR("", sarhad_screener_version(s));
    sarhad_screener_close(s);
    ASSERT_OK(sarhad_watchlist_import(store, a, strlen(a), SARHAD_WL_CSV, "a",
                                      &importer, 1700000000, NULL, NULL));
    ASSERT_OK(sarhad_watchlist_import(store, b, strlen(b), SARHAD_WL_CSV, "b",
                                      &importer, 1700000000, NULL, NULL));
    ASSERT_OK(sarhad_screener_open(&s, store, NULL));
    memset(&q, 0, sizeof(q));
    q.name = "\xd8\xb0\xd8\xa8\xd9\x8a\xd8\xad \xd8\xa7\xd9\x84\xd9\x84\xd9"
             "\x87 \xd9\x85\xd8\xac\xd8\xa7\xd9\x87\xd8\xaf"; /* Arabic */
    ASSERT_OK(sarhad_screener_query(s, &q, 60, &out, NULL));
    ASSERT(out.screened);
    ASSERT_EQ_STR("v2", out.list_version);
    ASSERT_EQ_INT(1, out.hit_count);
    ASSERT_EQ_STR("B", out.hits[0].entry_id);
    ASSERT_EQ_STR("v2", out.hits[0].list_version);
    /* The old version's entry is not in the current list. */
    q.name = "Gulbuddin Hekmatyar";
    ASSERT_OK(sarhad_screener_query(s, &q, 60, &out, NULL));
    ASSERT_EQ_INT(0, out.hit_count);
    ASSERT_EQ_INT(SARHAD_EINVAL, sarhad_screener_query(s, &q, 101, &out, NULL));
    q.name = NULL;
    ASSERT_EQ_INT(SARHAD_EINVAL, sarhad_screener_query(s, &q, 60, &out, NULL));
    sarhad_screener_close(s);
    sarhad_store_close(store);
}

struct worker {
    const struct sarhad_screener *s;
    int bad;
};

static void *
work(void *arg)
{
    struct worker *w = arg;
    struct sarhad_screen_query q;
    struct sarhad_screening out;

    memset(&q, 0, sizeof(q));
    for (int i = 0; i < 200; i++) {
        q.name = i % 2 ? "Ubaid ur Rahman"
                       : "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf "
                         "\xd8\xb9\xd9\x85\xd8\xb1";
        if (sarhad_screener_query(w->s, &q, 60, &out, NULL) != SARHAD_OK ||
            out.hit_count == 0 ||
            strcmp(out.hits[0].entry_id, i % 2 ? "T-3" : "T-1") != 0)
            w->bad++;
    }
    return NULL;
}

TEST(screen_threads)
{
    struct sarhad_screener *s = small_list();
    pthread_t th[4];
    struct worker w[4];

    ASSERT(s != NULL);
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){s, 0};
        ASSERT(pthread_create(&th[i], NULL, work, &w[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ASSERT_EQ_INT(0, w[i].bad);
    }
    sarhad_screener_close(s);
}

TEST(screen_alloc_failures)
{
    struct sarhad_screener *s = small_list();
    struct sarhad_screen_query q;
    struct sarhad_screening out;
    struct sarhad_error err;
    enum sarhad_status st = SARHAD_ENOMEM;

    ASSERT(s != NULL);
    memset(&q, 0, sizeof(q));
    q.name = "Mohammad Omar";
    for (long n = 1; st == SARHAD_ENOMEM && n < 50; n++) {
        long live = test_alloc_live();
        test_alloc_fail_at(n);
        st = sarhad_screener_query(s, &q, 60, &out, &err);
        test_alloc_fail_at(0);
        ASSERT(st == SARHAD_OK || st == SARHAD_ENOMEM);
        ASSERT_EQ_INT(live, test_alloc_live());
    }
    ASSERT_OK(st);
    ASSERT_EQ_STR("T-1", out.hits[0].entry_id);
    sarhad_screener_close(s);
    /* Building fails cleanly too. */
    st = SARHAD_ENOMEM;
    for (long n = 1; st == SARHAD_ENOMEM && n < 400; n++) {
        long live = test_alloc_live();
        test_alloc_fail_at(n);
        s = small_list();
        test_alloc_fail_at(0);
        st = s != NULL ? SARHAD_OK : SARHAD_ENOMEM;
        sarhad_screener_close(s);
        ASSERT_EQ_INT(live, test_alloc_live());
    }
    ASSERT_OK(st);
}

/* The upper bound that lets the screener skip a candidate is never below
 * the score the candidate would get: over every listed name of a list of
 * joined, split, abbreviated, Arabic-script and MRZ spellings, and queries
 * with and without evidence. */
TEST(screen_bound_never_below_score)
{
    static const char *const listed[][3] = {
        {"Fazalrahim Akhundzada", "1971-05-02", "Gul Ahmad"},
        {"Fazal Rahim Akhund", "1960", NULL},
        {"Abdul Rahman Haqqani", "1950..1955", "Abdul Ghafoor"},
        {"Muhammad Yusuf Khan", "1980", "Sher Khan"},
        {"Md Yusuf", "~1979", NULL},
        {"Gulagha Ishakzai", "1968-01-01", NULL},
        {"\xd9\x85\xd8\xad\xd9\x85\xd8\xaf \xd8\xb9\xd9\x85\xd8\xb1", "1960",
         NULL},
        {"Hikmat Ullah Zadran", "1985-12-31", "Nur Ullah"},
        {"Zia ul Haq Khan", NULL, NULL},
        {"Amanullah Khan Achakzai", "1990", "Sayed Akbar"},
        {"Qadir Naveed Hotak", NULL, NULL},
        {"Zakir Khan", "1970", NULL},
        {"Fazl Mazloom Momand", NULL, NULL},
        {"Hazrat Najibullah Qureshi", "1975", NULL},
        {"Abdul Wahid Gul", NULL, "Mohammad Essa"},
        {"Mohammad Essa Akhund", "~1962", NULL},
    };
    static const char *const queries[][4] = {
        {"Fazal Rahhim Akhundzada", "1971-05-02", "Gul Ahmed", "AFG"},
        {"Fazalrahim", NULL, NULL, NULL},
        {"Abdurrahman Haqani", "1952", NULL, "PAK"},
        {"Mohd Yousaf Khan", "1979", "Sher Khan", NULL},
        {"Muhammad Khan", NULL, NULL, NULL},
        {"Gul Agha Ishaqzai", "1968-01-01", NULL, "AFG"},
        {"Mohammad Omar", "1961", NULL, NULL},
        {"\xd8\xad\xda\xa9\xd9\x85\xd8\xaa \xd8\xa7\xd9\x84\xd9\x84\xd9\x87",
         NULL, NULL, NULL},
        {"HIKMATULLAH<<ZADRAN", "1985", "Noor Ullah", NULL},
        {"Ziaulhaq", "2001", NULL, "IND"},
        {"Aman Ullah Achakzai Khan", "1990", "Syed Akbar", "AFG"},
        {"Amakrhel Yusuf", NULL, NULL, NULL},
        {"Hotak Qadir Naveed", NULL, NULL, NULL},
        {"Zair Khan", "1970", NULL, NULL},
        {"Fazl Mazloorn Momancl", NULL, NULL, NULL},
        {"Naveed Hotak", NULL, NULL, NULL},
        {"Najibullah Qursehi", "1975", NULL, NULL},
        {"Adul Wahid Gul", NULL, "Mohammad Esa", "AFG"},
        {"Fazal Rhaim Aknund", NULL, NULL, NULL},
        {"Essa Aknund", "1962", NULL, NULL},
    };
    struct sarhad_screener *s = NULL;
    struct scr_query *q = malloc(sizeof(*q));
    unsigned checked = 0, sigs = 0;

    ASSERT(q != NULL);
    ASSERT((sarhad_screener_new(&s, "v1", NULL)) == SARHAD_OK);
    for (size_t i = 0; i < SARHAD_COUNT_OF(listed); i++) {
        char id[8];
        snprintf(id, sizeof(id), "B-%zu", i);
        ASSERT((sarhad_screener_add(s,
                                    entry(id, listed[i][0], NULL, listed[i][1],
                                          "AFG", listed[i][2], 'M'),
                                    NULL)) == SARHAD_OK);
    }
    ASSERT((sarhad_screener_finish(s, NULL)) == SARHAD_OK);
    for (size_t k = 0; k < SARHAD_COUNT_OF(queries); k++) {
        struct sarhad_screen_query in;
        memset(&in, 0, sizeof(in));
        in.name = queries[k][0];
        if (queries[k][1] != NULL && strlen(queries[k][1]) == 4)
            in.birth_year = atoi(queries[k][1]);
        else if (queries[k][1] != NULL)
            ASSERT((sarhad_date_parse(&in.birth_date, queries[k][1], 10,
                                      NULL)) == SARHAD_OK);
        in.father_name = queries[k][2];
        in.nationality = queries[k][3];
        ASSERT((sarhad__screen_prepare(s, &in, 70, q, NULL)) == SARHAD_OK);
        ASSERT(sarhad__screen_bound_init(s, q));
        for (uint32_t n = 0; n < s->name_count; n++) {
            int score = sarhad__screen_score(s, q, n, NULL);
            ASSERT(sarhad__screen_bound(s, q, n) >= score);
            checked += score > 0;
        }
        /* The copy a posting carries bounds its name as well. */
        for (size_t r = 0; r < s->pair_records; r++) {
            const struct scr_sig *g = &s->pair_sigs[r];
            ASSERT(sarhad__screen_bound_sig(s, q, g) >=
                   sarhad__screen_bound(s, q, g->name));
            sigs += g->tok_count > 0;
        }
        sarhad__free(q->bound);
    }
    /* Many of the pairs do score: the bound is tested where it matters. */
    ASSERT(checked >= 20);
    ASSERT(sigs >= 10 * SARHAD_COUNT_OF(queries));
    free(q);
    sarhad_screener_close(s);
}

/* Spellings the index and the scorer now meet: an h that comes and goes
 * between consonants (Mohmand, Momand), a typo that moves the h of a
 * digraph (Ahkund), a compound split by a name written in another order
 * (Basir ... Abdul); and names they keep apart: a moved initial vowel
 * (Ahmed is not Hamid), a birth year that only falls in a wide range or
 * in the year of a circa date. */
TEST(screen_digraphs_reorder_initial_vowel)
{
    struct sarhad_screener *s = NULL;
    int t = SARHAD_SCREEN_DEFAULT_THRESHOLD;

    ASSERT((sarhad_screener_new(&s, "v1", NULL)) == SARHAD_OK);
    ASSERT((sarhad_screener_add(
               s, entry("R-1", "Taj Mohmand", NULL, "1970", NULL, NULL, 0),
               NULL)) == SARHAD_OK);
    ASSERT((sarhad_screener_add(s,
                                entry("R-2", "Baz Mohammad Akhund", NULL,
                                      "1965-01-01", NULL, NULL, 0),
                                NULL)) == SARHAD_OK);
    ASSERT(
        (sarhad_screener_add(
            s, entry("R-3", "Abdul Basir Noorzai", NULL, "1960", NULL, NULL, 0),
            NULL)) == SARHAD_OK);
    ASSERT(
        (sarhad_screener_add(
            s, entry("R-4", "Ahmed Sultan", NULL, "1968..1973", NULL, NULL, 0),
            NULL)) == SARHAD_OK);
    ASSERT((sarhad_screener_add(s,
                                entry("R-5", "Gulbuddin Hekmatyar", NULL,
                                      "~1949", NULL, NULL, 0),
                                NULL)) == SARHAD_OK);
    ASSERT((sarhad_screener_finish(s, NULL)) == SARHAD_OK);
    ASSERT(screen_score(s, "Taj Jalal Momand", NULL, NULL, "R-1") >= t);
    ASSERT(screen_score(s, "Baz Mohammad Ahkund", NULL, NULL, "R-2") >= t);
    ASSERT(screen_score(s, "Basir Noorzai Abdul", NULL, NULL, "R-3") >= t);
    /* A slip in the Abd particle itself. */
    ASSERT(screen_score(s, "Abdlu Basir Noorzai", NULL, NULL, "R-3") >= t);
    ASSERT(screen_score(s, "Abmdul Basir Noorzai", NULL, NULL, "R-3") >= t);
    ASSERT(screen_score(s, "Noorzai Basir Abdul", "1960", NULL, "R-3") >= t);
    /* Hamid Sultan is not Ahmed Sultan, with or without a birth year in
     * the listed range. */
    ASSERT(screen_score(s, "Hamid Sultan", NULL, NULL, "R-4") < t);
    ASSERT(screen_score(s, "Hamid Sultan", "1970", NULL, "R-4") < t);
    /* A birth year in a wide range adds its 5 points but keeps the
     * name-only mark-down (-5); an exact date removes it. */
    ASSERT_EQ_INT(screen_score(s, "Ahmed Sultan Khel", "1970", NULL, "R-4"),
                  screen_score(s, "Ahmed Sultan Khel", NULL, NULL, "R-4") + 5);
    ASSERT_EQ_INT(
        screen_score(s, "Baz Mohammad Akhund", "1965-01-01", NULL, "R-2"), 100);
    /* The year of a circa date is weak evidence too (+4, the -5 kept). */
    ASSERT_EQ_INT(screen_score(s, "Gulbuddin Hekmatyar", NULL, NULL, "R-5") + 4,
                  screen_score(s, "Gulbuddin Hekmatyar", "1949", NULL, "R-5"));
    sarhad_screener_close(s);
}
