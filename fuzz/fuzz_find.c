/*
 * fuzz_find.c - finding travellers with any query, as GET /v1/travellers
 * and `sarhad traveller` pass it on: the input's lines are the document,
 * kind, issuing state, surname, given names, nationality and birth date
 * (YYYY-MM-DD) of a query against a small store made once (travellers
 * with passports of two states, a visa, a CNIC, a tazkira, names sharing
 * their first letters).  Invariants: the search answers or refuses with
 * the name of a query field, never crashes; it reports at most
 * SARHAD_FIND_MAX travellers, each once, each an existing traveller found
 * by a kind of key the ledger has.
 */
#include "sarhad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char policy[] = "policy \"fuzz\" version 1\n"
                             "rule anyone \"Everyone is recorded\"\n"
                             "  admit\n"
                             "  reason recorded \"Recorded.\"\n"
                             "end\n";

static const char *const travellers[] = {
    "{\"crossing\":\"TORKHAM\",\"direction\":\"entry\",\"time\":\"2023-11-05T"
    "09:30:00+05:00\",\"traveller\":{\"nationality\":\"AFG\",\"sex\":\"F\","
    "\"birth_date\":\"1990-01-01\"},\"documents\":[{\"kind\":\"passport\","
    "\"mrz\":\"P<AFGKHAN<<AMINA<<<<<<<<<<<<<<<<<<<<<<<<<<<<\\nPA12345673AFG90"
    "01011F3001019<<<<<<<<<<<<<<00\"},{\"kind\":\"visa\",\"mrz\":\"V<PAKKHAN<<"
    "AMINA<<<<<<<<<<<<<<<<<<<<<<<<<<<<\\nVA76543213AFG9001011F2406019<<<<<<<<"
    "<<<<<<<<\",\"category\":\"visit\",\"entries\":\"multiple\","
    "\"stay_days\":60}]}",
    "{\"crossing\":\"TORKHAM\",\"direction\":\"entry\",\"time\":\"2023-11-05T"
    "09:30:00+05:00\",\"traveller\":{\"nationality\":\"PAK\",\"sex\":\"M\","
    "\"birth_date\":\"1980-02-02\"},\"documents\":[{\"kind\":\"cnic\","
    "\"number\":\"17301-1234567-1\"}]}",
    "{\"crossing\":\"CHAMAN\",\"direction\":\"exit\",\"time\":\"2023-11-06T"
    "09:30:00+05:00\",\"traveller\":{\"nationality\":\"AFG\",\"sex\":\"M\","
    "\"birth_date\":\"1970-03-04\"},\"documents\":[{\"kind\":\"tazkira\","
    "\"number\":\"1400-0101-00001\"}]}",
};

static struct sarhad_store *store;

static struct sarhad_store *
make_store(void)
{
    static const struct sarhad_actor who = {"fuzz", "admin", "", ""};
    struct sarhad_store_options opt = {true, false, "OFF"};
    char dir[] = "/tmp/sarhad-fuzz-find-XXXXXX", path[64];
    struct sarhad_ledger *ledger = NULL;
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_store *s = NULL;

    if (mkdtemp(dir) == NULL)
        abort();
    snprintf(path, sizeof(path), "%s/post.db", dir);
    if (sarhad_store_open(&s, path, &opt, NULL) != SARHAD_OK ||
        sarhad_ledger_init(s, "TORKHAM", "fuzz.policy", policy, strlen(policy),
                           &who, 1700000000, NULL) != SARHAD_OK ||
        sarhad_ledger_open(&ledger, s, NULL) != SARHAD_OK)
        abort();
    for (size_t i = 0; i < sizeof(travellers) / sizeof(*travellers); i++)
        if (sarhad_presentation_parse(&p, travellers[i], strlen(travellers[i]),
                                      NULL) != SARHAD_OK ||
            sarhad_ledger_cross(ledger, &p, &who, 1700000000, &d, NULL, NULL) !=
                SARHAD_OK)
            abort();
    sarhad_ledger_close(ledger);
    return s;
}

struct seen {
    unsigned n;
    int64_t ids[SARHAD_FIND_MAX];
};

static void
check_match(void *ctx, const struct sarhad_traveller_match *m)
{
    static const char *const kinds[] = {"passport", "visa", "cnic", "tazkira",
                                        "por",      "acc",  "name"};
    struct seen *s = ctx;
    bool known = false;

    if (s->n == SARHAD_FIND_MAX || m->traveller_id < 1 || m->traveller_id > 3)
        abort();
    for (unsigned i = 0; i < s->n; i++)
        if (s->ids[i] == m->traveller_id)
            abort();
    for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
        known = known || strcmp(m->by, kinds[i]) == 0;
    if (!known || m->value[0] == '\0')
        abort();
    s->ids[s->n++] = m->traveller_id;
}

/* The next line of the input into dst (cap bytes, cut to fit). */
static const uint8_t *
line(const uint8_t *p, const uint8_t *end, char *dst, size_t cap)
{
    size_t n = 0;

    for (; p < end && *p != '\n'; p++)
        if (n + 1 < cap)
            dst[n++] = (char)*p;
    dst[n] = '\0';
    return p < end ? p + 1 : p;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const fields[] = {
        "document",    "kind",        "issuing_state", "surname",
        "given_names", "nationality", "birth_date",    "find"};
    struct sarhad_traveller_query q;
    const uint8_t *p = data, *end = data + size;
    struct seen seen = {0, {0}};
    struct sarhad_error err;
    char born[16];
    bool more, known = false;

    if (size > 1024)
        return 0;
    if (store == NULL)
        store = make_store();
    memset(&q, 0, sizeof(q));
    p = line(p, end, q.document, sizeof(q.document));
    p = line(p, end, q.kind, sizeof(q.kind));
    p = line(p, end, q.issuing_state, sizeof(q.issuing_state));
    p = line(p, end, q.surname, sizeof(q.surname));
    p = line(p, end, q.given_names, sizeof(q.given_names));
    p = line(p, end, q.nationality, sizeof(q.nationality));
    line(p, end, born, sizeof(born));
    if (born[0] != '\0' &&
        sarhad_date_parse(&q.birth_date, born, strlen(born), NULL) != SARHAD_OK)
        return 0; /* the route refuses it before searching */
    sarhad_error_clear(&err);
    if (sarhad_ledger_find_travellers(store, &q, check_match, &seen, &more,
                                      &err) == SARHAD_OK)
        return 0;
    for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++)
        known = known || strcmp(err.field, fields[i]) == 0;
    if (!known || seen.n != 0)
        abort();
    return 0;
}
