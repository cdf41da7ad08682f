/*
 * traveller.c - `sarhad traveller`: find travellers by a document number
 * or a name, as a table or JSON lines, or print one traveller's history
 * (documents, links, stays, attempts) as JSON.
 */
#include "ledger_cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

SARHAD_VERB(traveller, "find a traveller by document or name; a history")

static const char usage[] =
    "usage: sarhad traveller --db FILE ID\n"
    "       sarhad traveller --db FILE --document NUMBER [--kind KIND]\n"
    "                        [--state CODE] [--json]\n"
    "       sarhad traveller --db FILE --surname NAME [--given-names NAMES]\n"
    "                        [--nationality CODE] [--birth-date YYYY-MM-DD]\n"
    "                        [--json]\n"
    "With an ID, prints that traveller's history as JSON: who they are,\n"
    "the documents they are known by, why documents were linked, their\n"
    "stays and latest attempts.  Otherwise lists the travellers a document\n"
    "number (any punctuation; KIND passport, visa, cnic, tazkira, por or\n"
    "acc; a passport's or visa's issuing state) or a name as the MRZ spells\n"
    "it finds, at most 50: id, name, nationality, birth date, the key that\n"
    "matched and the last attempt with its final outcome.";

struct options {
    const char *db, *id, *document, *kind, *state, *surname, *given, *nat,
        *born;
    bool json;
    unsigned shown;
};

#define ROW "%-8s %-30.30s %-3s %-10s %-8s %-28.28s %-8s %-10.10s %s\n"

static json_t *
text_or_null(const char *s)
{
    return s[0] != '\0' ? json_string(s) : json_null();
}

json_t *
traveller_match_json(const struct sarhad_traveller_match *m)
{
    json_t *last = json_null();

    if (m->last_attempt != 0)
        last = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
                         (json_int_t)m->last_attempt, "time", m->last_time,
                         "crossing", m->last_crossing, "direction",
                         m->last_direction, "final", m->last_final);
    return json_pack(
        "{s:I, s:o, s:o, s:o, s:o, s:o, s:{s:s, s:s}, s:o}", "id",
        (json_int_t)m->traveller_id, "nationality",
        text_or_null(m->nationality), "surname", text_or_null(m->surname),
        "given_names", text_or_null(m->given_names), "birth_date",
        text_or_null(m->birth_date), "sex", text_or_null(m->sex), "matched",
        "kind", m->by, "value", m->value, "last_attempt", last);
}

static void
print_match(void *ctx, const struct sarhad_traveller_match *m)
{
    struct options *o = ctx;
    char name[170], id[24], last[24];

    if (o->json) {
        json_t *j = traveller_match_json(m);
        json_dumpf(j, stdout, JSON_COMPACT);
        putchar('\n');
        json_decref(j);
        return;
    }
    if (o->shown++ == 0)
        printf(ROW, "id", "name", "nat", "born", "by", "matched", "last", "day",
               "final");
    snprintf(name, sizeof(name), "%s%s%s", m->surname[0] ? m->surname : "-",
             m->given_names[0] ? ", " : "", m->given_names);
    snprintf(id, sizeof(id), "%lld", (long long)m->traveller_id);
    snprintf(last, sizeof(last), "%lld", (long long)m->last_attempt);
    printf(ROW, id, name, m->nationality, m->birth_date, m->by, m->value,
           m->last_attempt ? last : "-", m->last_time[0] ? m->last_time : "-",
           m->last_final[0] ? m->last_final : "-");
}

static void
print_history(void *ctx, const char *json, size_t len)
{
    (void)ctx;
    fwrite(json, 1, len, stdout);
    putchar('\n');
}

/* Copy an option into a query field; false (after a usage message) when
 * it does not fit. */
static bool
put(const char *opt, const char *v, char *dst, size_t cap)
{
    if (v == NULL)
        return true;
    if (strlen(v) >= cap) {
        usage_error("traveller", "%s is longer than %zu characters", opt,
                    cap - 1);
        return false;
    }
    memcpy(dst, v, strlen(v) + 1);
    return true;
}

static int
parse(int argc, char **argv, struct options *o)
{
    static const char *const names[] = {
        "--db",      "--document",    "--kind",        "--state",
        "--surname", "--given-names", "--nationality", "--birth-date"};
    const char **slots[] = {&o->db,      &o->document, &o->kind, &o->state,
                            &o->surname, &o->given,    &o->nat,  &o->born};
    bool missing = false;

    memset(o, 0, sizeof(*o));
    for (int i = 1; i < argc; i++) {
        bool taken = false;
        if (strcmp(argv[i], "--help") == 0) {
            puts(usage);
            return -1;
        }
        for (size_t k = 0; !taken && k < sizeof(names) / sizeof(*names); k++)
            taken = cli_opt(argc, argv, &i, names[k], slots[k], &missing);
        if (missing)
            return usage_error("traveller", "%s needs a value", argv[i]);
        if (taken)
            continue;
        if (strcmp(argv[i], "--json") == 0)
            o->json = true;
        else if (argv[i][0] != '-' && o->id == NULL)
            o->id = argv[i];
        else
            return usage_error("traveller", "unknown argument '%s'", argv[i]);
    }
    if (o->db == NULL)
        return usage_error("traveller", "--db is required");
    if ((o->id != NULL) + (o->document != NULL) + (o->surname != NULL) != 1)
        return usage_error("traveller",
                           "give one of an ID, --document or --surname");
    return 0;
}

static bool
make_query(const struct options *o, struct sarhad_traveller_query *q)
{
    memset(q, 0, sizeof(*q));
    return put("--document", o->document, q->document, sizeof(q->document)) &&
           put("--kind", o->kind, q->kind, sizeof(q->kind)) &&
           put("--state", o->state, q->issuing_state,
               sizeof(q->issuing_state)) &&
           put("--surname", o->surname, q->surname, sizeof(q->surname)) &&
           put("--given-names", o->given, q->given_names,
               sizeof(q->given_names)) &&
           put("--nationality", o->nat, q->nationality,
               sizeof(q->nationality)) &&
           (o->born == NULL ||
            cli_date("traveller", "--birth-date", o->born, &q->birth_date));
}

int
cmd_traveller(int argc, char **argv)
{
    struct sarhad_traveller_query q;
    struct sarhad_store *store;
    struct sarhad_error err;
    struct options o;
    bool more = false;
    enum sarhad_status s;
    long long id = 0;
    char *end = NULL;
    int rc = parse(argc, argv, &o);

    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (o.id != NULL) {
        id = strtoll(o.id, &end, 10);
        if (*end != '\0' || id <= 0)
            return usage_error("traveller",
                               "the ID is a positive whole number");
    } else if (!make_query(&o, &q)) {
        return EXIT_USAGE;
    }
    store = cli_open_store("traveller", o.db, false, true, NULL);
    if (store == NULL)
        return 1;
    sarhad_error_clear(&err);
    if (o.id != NULL) {
        s = sarhad_ledger_traveller(store, id, print_history, NULL, &err);
    } else {
        s = sarhad_ledger_find_travellers(store, &q, print_match, &o, &more,
                                          &err);
        if (s == SARHAD_OK && o.shown == 0 && !o.json)
            puts("no traveller matches");
        if (s == SARHAD_OK && more)
            fprintf(stderr,
                    "sarhad traveller: more than %d travellers match; "
                    "narrow the search\n",
                    SARHAD_FIND_MAX);
    }
    sarhad_store_close(store);
    if (s != SARHAD_OK) {
        cli_fail("traveller", o.db, &err);
        return s == SARHAD_EINVAL ? EXIT_USAGE : 1;
    }
    return 0;
}
