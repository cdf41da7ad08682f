/*
 * test_ledger_find.c - finding travellers by a document number (any
 * punctuation, with or without the issuing state) or by name, each once,
 * with their last attempt's final outcome; a bounded answer; and the
 * query's mistakes named by field.  And the audit log searched for what
 * concerns one traveller.
 */
#include "ledger_fixture.h"

#include <stdio.h>
#include <string.h>

struct found {
    unsigned n;
    struct sarhad_traveller_match m[SARHAD_FIND_MAX];
};

static void
collect(void *ctx, const struct sarhad_traveller_match *m)
{
    struct found *f = ctx;

    if (f->n < SARHAD_FIND_MAX)
        f->m[f->n++] = *m;
}

static enum sarhad_status
find(struct sarhad_store *store, const struct sarhad_traveller_query *q,
     struct found *f, bool *more, struct sarhad_error *err)
{
    memset(f, 0, sizeof(*f));
    return sarhad_ledger_find_travellers(store, q, collect, f, more, err);
}

static struct sarhad_traveller_query
by_document(const char *number, const char *kind, const char *state)
{
    struct sarhad_traveller_query q;

    memset(&q, 0, sizeof(q));
    sarhad__strlcpy(q.document, number, sizeof(q.document));
    sarhad__strlcpy(q.kind, kind, sizeof(q.kind));
    sarhad__strlcpy(q.issuing_state, state, sizeof(q.issuing_state));
    return q;
}

static struct sarhad_traveller_query
by_name(const char *surname, const char *given, const char *nat,
        struct sarhad_date born)
{
    struct sarhad_traveller_query q;

    memset(&q, 0, sizeof(q));
    sarhad__strlcpy(q.surname, surname, sizeof(q.surname));
    sarhad__strlcpy(q.given_names, given, sizeof(q.given_names));
    sarhad__strlcpy(q.nationality, nat, sizeof(q.nationality));
    q.birth_date = born;
    return q;
}

/* An entry on a passport (issuer = nationality) and a visa. */
static int64_t
enter(struct sarhad_ledger *ledger, const char *nat, const char *surname,
      const char *number, const char *visa_number, struct sarhad_date born)
{
    struct sarhad_presentation p;
    struct sarhad_decision d;
    int64_t id = 0;

    begin(&p, "TORKHAM", SARHAD_ENTRY, D(2023, 11, 5), nat);
    p.traveller.birth_date = born;
    mrz_doc(&p, SARHAD_DOC_PASSPORT, SARHAD_MRZ_TD3, nat, nat, surname, number,
            D(2030, 1, 1));
    if (visa_number != NULL)
        visa(&p, visa_number, SARHAD_ENTRIES_MULTIPLE, 30);
    if (sarhad_ledger_cross(ledger, &p, &officer, 1700000000, &d, &id, NULL) !=
        SARHAD_OK)
        return 0;
    return id;
}

static long long
traveller_of(struct sarhad_store *store, int64_t attempt)
{
    char sql[100];

    snprintf(sql, sizeof(sql),
             "SELECT traveller_id FROM attempt WHERE id = %lld",
             (long long)attempt);
    return scalar(store, sql);
}

TEST(ledger_find_by_document)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("find_document.db", &ledger);
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_traveller_query q;
    struct found f;
    bool more = true;
    int64_t afg, pak, cnic;

    ASSERT(store != NULL);
    afg = enter(ledger, "AFG", "NOORI", "P01234567", "V7654321", D(1990, 1, 1));
    /* The same number issued by another state is another traveller. */
    pak = enter(ledger, "PAK", "KHAN", "P01234567", NULL, D(1985, 3, 4));
    begin(&p, "CHAMAN", SARHAD_ENTRY, D(2023, 11, 6), "PAK");
    numbered(&p, SARHAD_DOC_CNIC, "42101-1234567-3");
    ASSERT_OK(
        sarhad_ledger_cross(ledger, &p, &officer, 1700000000, &d, &cnic, NULL));
    ASSERT(afg > 0 && pak > 0);

    q = by_document("P01234567", "", "");
    ASSERT_OK(find(store, &q, &f, &more, NULL));
    ASSERT(!more);
    ASSERT_EQ_INT(2, (int)f.n); /* in both states, in order */
    ASSERT_EQ_INT((int)traveller_of(store, afg), (int)f.m[0].traveller_id);
    ASSERT_EQ_STR("passport", f.m[0].by);
    ASSERT_EQ_STR("AFG:P01234567", f.m[0].value);
    ASSERT_EQ_STR("NOORI", f.m[0].surname);
    ASSERT_EQ_STR("AFG", f.m[0].nationality);
    ASSERT_EQ_STR("1990-01-01", f.m[0].birth_date);
    ASSERT_EQ_INT((int)afg, (int)f.m[0].last_attempt);
    ASSERT_EQ_STR("TORKHAM", f.m[0].last_crossing);
    ASSERT_EQ_STR("entry", f.m[0].last_direction);
    ASSERT_EQ_STR("admit", f.m[0].last_final);
    ASSERT_EQ_STR("PAK:P01234567", f.m[1].value);

    /* The state narrows it; case and punctuation do not matter. */
    q = by_document("p-0123 4567", "passport", "pak");
    ASSERT_OK(find(store, &q, &f, NULL, NULL));
    ASSERT_EQ_INT(1, (int)f.n);
    ASSERT_EQ_INT((int)traveller_of(store, pak), (int)f.m[0].traveller_id);

    /* A visa finds its holder; a CNIC with or without its dashes. */
    q = by_document("V7654321", "", "");
    ASSERT_OK(find(store, &q, &f, NULL, NULL));
    ASSERT_EQ_INT(1, (int)f.n);
    ASSERT_EQ_STR("visa", f.m[0].by);
    ASSERT_EQ_STR("PAK:V7654321", f.m[0].value);
    ASSERT_EQ_INT((int)traveller_of(store, afg), (int)f.m[0].traveller_id);
    q = by_document("4210112345673", "cnic", "");
    ASSERT_OK(find(store, &q, &f, NULL, NULL));
    ASSERT_EQ_INT(1, (int)f.n);
    ASSERT_EQ_INT((int)traveller_of(store, cnic), (int)f.m[0].traveller_id);

    /* A kind or state that does not hold it finds nobody. */
    q = by_document("P01234567", "tazkira", "");
    ASSERT_OK(find(store, &q, &f, NULL, NULL));
    ASSERT_EQ_INT(0, (int)f.n);
    q = by_document("P01234567", "", "IRN");
    ASSERT_OK(find(store, &q, &f, NULL, NULL));
    ASSERT_EQ_INT(0, (int)f.n);
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

TEST(ledger_find_by_name)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("find_name.db", &ledger);
    struct sarhad_traveller_query q;
    struct found f;
    int64_t noori, noori2, noor;

    ASSERT(store != NULL);
    noori = enter(ledger, "AFG", "NOORI", "P00000001", NULL, D(1990, 1, 1));
    noori2 = enter(ledger, "AFG", "NOORI", "P00000002", NULL, D(1975, 6, 30));
    /* Keys run surname and given names together: NOOR's begin as
     * NOORI's do. */
    noor = enter(ledger, "AFG", "NOOR", "P00000003", NULL, D(1990, 1, 1));
    ASSERT(enter(ledger, "PAK", "NOORI", "P00000004", NULL, D(1990, 1, 1)) > 0);
    ASSERT(noori > 0 && noori2 > 0 && noor > 0);

    /* The surname alone, any nationality: the three NOORIs, not NOOR. */
    q = by_name("Noori", "", "", D(0, 0, 0));
    ASSERT_OK(find(store, &q, &f, NULL, NULL));
    ASSERT_EQ_INT(3, (int)f.n);
    for (unsigned i = 0; i < f.n; i++) {
        ASSERT_EQ_STR("NOORI", f.m[i].surname);
        ASSERT_EQ_STR("name", f.m[i].by);
    }
    /* Nationality, birth date and given names narrow it. */
    q = by_name("NOORI", "", "afg", D(0, 0, 0));
    ASSERT_OK(find(store, &q, &f, NULL, NULL));
    ASSERT_EQ_INT(2, (int)f.n);
    q = by_name("NOORI", "", "AFG", D(1975, 6, 30));
    ASSERT_OK(find(store, &q, &f, NULL, NULL));
    ASSERT_EQ_INT(1, (int)f.n);
    ASSERT_EQ_INT((int)traveller_of(store, noori2), (int)f.m[0].traveller_id);
    ASSERT_EQ_STR("AFG:NOORIAHMAD19750630", f.m[0].value);
    q = by_name("NOORI", "Ahmad", "", D(1990, 1, 1));
    ASSERT_OK(find(store, &q, &f, NULL, NULL));
    ASSERT_EQ_INT(2, (int)f.n); /* AFG and PAK */
    q = by_name("NOOR", "", "", D(0, 0, 0));
    ASSERT_OK(find(store, &q, &f, NULL, NULL));
    ASSERT_EQ_INT(1, (int)f.n);
    ASSERT_EQ_INT((int)traveller_of(store, noor), (int)f.m[0].traveller_id);
    q = by_name("NOOR", "AHMAD", "AFG", D(0, 0, 0));
    ASSERT_OK(find(store, &q, &f, NULL, NULL));
    ASSERT_EQ_INT(1, (int)f.n);
    ASSERT_EQ_INT((int)traveller_of(store, noor), (int)f.m[0].traveller_id);
    q = by_name("NOORI", "AHMAD", "AFG", D(2001, 1, 1));
    ASSERT_OK(find(store, &q, &f, NULL, NULL));
    ASSERT_EQ_INT(0, (int)f.n);
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

TEST(ledger_find_is_bounded_and_checks_its_query)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("find_bounded.db", &ledger);
    struct sarhad_traveller_query q;
    struct sarhad_error err;
    struct found f;
    bool more = false;
    char number[16];

    ASSERT(store != NULL);
    /* More than the answer holds, and more than the 2,000 name keys a
     * search reads: the answer is full and says there are more. */
    for (int i = 0; i < 2010; i++) {
        snprintf(number, sizeof(number), "P%08d", i);
        ASSERT(enter(ledger, "AFG", "SAFI", number, NULL,
                     D(1900 + i / 336, 1 + i / 28 % 12, 1 + i % 28)) > 0);
    }
    q = by_name("SAFI", "", "", D(0, 0, 0));
    ASSERT_OK(find(store, &q, &f, &more, NULL));
    ASSERT_EQ_INT(SARHAD_FIND_MAX, (int)f.n);
    ASSERT(more);
    /* The whole name with the birth date is one key: exact, past them all. */
    q = by_name("SAFI", "AHMAD", "AFG", D(1905, 12, 22));
    ASSERT_OK(find(store, &q, &f, &more, NULL));
    ASSERT_EQ_INT(1, (int)f.n);
    ASSERT(!more);
    ASSERT_EQ_STR("AFG:SAFIAHMAD19051222", f.m[0].value);

    sarhad_error_clear(&err);
    q = by_name("", "", "", D(0, 0, 0));
    ASSERT_EQ_INT(SARHAD_EINVAL, find(store, &q, &f, NULL, &err));
    ASSERT_EQ_STR("document", err.field);
    q = by_document("P1", "", "");
    sarhad__strlcpy(q.surname, "SAFI", sizeof(q.surname));
    ASSERT_EQ_INT(SARHAD_EINVAL, find(store, &q, &f, NULL, &err));
    ASSERT_EQ_STR("surname", err.field);
    q = by_document("P1", "driving_licence", "");
    ASSERT_EQ_INT(SARHAD_EINVAL, find(store, &q, &f, NULL, &err));
    ASSERT_EQ_STR("kind", err.field);
    q = by_document("P1", "", "A1");
    ASSERT_EQ_INT(SARHAD_EINVAL, find(store, &q, &f, NULL, &err));
    ASSERT_EQ_STR("issuing_state", err.field);
    q = by_document("--", "", "");
    ASSERT_EQ_INT(SARHAD_EINVAL, find(store, &q, &f, NULL, &err));
    ASSERT_EQ_STR("document", err.field);
    q = by_name("SAFI", "", "A1", D(0, 0, 0));
    ASSERT_EQ_INT(SARHAD_EINVAL, find(store, &q, &f, NULL, &err));
    ASSERT_EQ_STR("nationality", err.field);
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

struct kept {
    unsigned n;
    char kinds[16][24];
    char subjects[16][64];
    int64_t seqs[16];
};

static bool
keep(void *ctx, const struct sarhad_audit_entry *e)
{
    struct kept *k = ctx;

    if (k->n < 16) {
        sarhad__strlcpy(k->kinds[k->n], e->kind, sizeof(k->kinds[0]));
        sarhad__strlcpy(k->subjects[k->n], e->subject, sizeof(k->subjects[0]));
        k->seqs[k->n] = e->seq;
    }
    k->n++;
    return true;
}

TEST(ledger_audit_search_finds_what_concerns_a_traveller)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("audit_search.db", &ledger);
    const struct sarhad_actor other = {"off2", "officer", "TK", ""};
    struct sarhad_audit_filter f;
    struct kept k;
    int64_t a1, a2, b1, ta, tb, ids[2], next = -1;

    ASSERT(store != NULL);
    a1 = enter(ledger, "AFG", "NOORI", "P00000001", NULL, D(1990, 1, 1));
    b1 = enter(ledger, "AFG", "SAFI", "P00000002", NULL, D(1980, 1, 1));
    a2 = enter(ledger, "AFG", "NOORI", "P00000001", NULL, D(1990, 1, 1));
    ASSERT(a1 > 0 && b1 > 0 && a2 > 0);
    ta = traveller_of(store, a1);
    tb = traveller_of(store, b1);
    ASSERT_EQ_INT((int)ta, (int)traveller_of(store, a2));
    /* Who looked at what. */
    ASSERT_OK(sarhad_audit_lookup(store, &other, 1700000100,
                                  SARHAD_LOOKUP_TRAVELLER, &tb, 1, NULL, NULL,
                                  NULL));
    ids[0] = tb;
    ids[1] = ta;
    ASSERT_OK(sarhad_audit_lookup(store, &other, 1700000101,
                                  SARHAD_LOOKUP_SEARCH, ids, 2, "name", NULL,
                                  NULL));
    ASSERT_OK(sarhad_audit_lookup(store, &supervisor, 1700000102,
                                  SARHAD_LOOKUP_ATTEMPT, &a2, 1, NULL, NULL,
                                  NULL));

    /* About traveller A: the two decisions, the search, the attempt. */
    memset(&f, 0, sizeof(f));
    f.traveller = ta;
    memset(&k, 0, sizeof(k));
    ASSERT_OK(
        sarhad_audit_search(store, 1, 100, 100000, &f, keep, &k, &next, NULL));
    ASSERT_EQ_INT(4, (int)k.n);
    ASSERT_EQ_INT(0, (int)next); /* the whole log was read */
    ASSERT_EQ_STR("decision", k.kinds[0]);
    ASSERT_EQ_STR("decision", k.kinds[1]);
    ASSERT_EQ_STR("search", k.subjects[2]);
    ASSERT_EQ_STR("lookup", k.kinds[3]);
    /* About B: the decision, the history shown, the search. */
    f.traveller = tb;
    memset(&k, 0, sizeof(k));
    ASSERT_OK(
        sarhad_audit_search(store, 1, 100, 100000, &f, keep, &k, NULL, NULL));
    ASSERT_EQ_INT(3, (int)k.n);
    /* By kind and user together. */
    memset(&f, 0, sizeof(f));
    f.kind = "lookup";
    f.user = "off2";
    memset(&k, 0, sizeof(k));
    ASSERT_OK(
        sarhad_audit_search(store, 1, 100, 100000, &f, keep, &k, NULL, NULL));
    ASSERT_EQ_INT(2, (int)k.n);
    /* A stretch at a time: limit 1 says where to go on... */
    memset(&k, 0, sizeof(k));
    ASSERT_OK(
        sarhad_audit_search(store, 1, 1, 100000, &f, keep, &k, &next, NULL));
    ASSERT_EQ_INT(1, (int)k.n);
    ASSERT_EQ_INT((int)k.seqs[0] + 1, (int)next);
    /* ...and so does a stretch that ends before the log does. */
    memset(&k, 0, sizeof(k));
    ASSERT_OK(sarhad_audit_search(store, 1, 100, 2, &f, keep, &k, &next, NULL));
    ASSERT_EQ_INT(0, (int)k.n);
    ASSERT_EQ_INT(3, (int)next);
    ASSERT_EQ_INT(SARHAD_EINVAL, sarhad_audit_search(store, 0, 1, 1, &f, keep,
                                                     &k, &next, NULL));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}
