/*
 * screen.c - `sarhad screen`: screening people against the store's current
 * watchlist.  With --name it screens one person and prints the whole
 * explanation; otherwise it reads JSON lines {"name", "birth_date",
 * "nationality", "father_name", "sex"} from stdin and prints one line
 * {"hits": [{"id", "name", "score", "why"}, ...]} for each, holding the
 * entries at or above the threshold, best first.
 */
#include "cmd.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

SARHAD_VERB(screen, "screen names against the watchlist")

#define LINE_MAX_BYTES 4096

static void
help(FILE *out)
{
    fprintf(out,
            "usage: sarhad screen --db FILE [--threshold N] < queries.jsonl\n"
            "       sarhad screen --db FILE --name NAME [--dob DATE]\n"
            "             [--nationality CODE] [--father NAME] [--sex M|F]\n"
            "             [--threshold N]\n"
            "\n"
            "Each input line is {\"name\": ..., \"birth_date\": ...,\n"
            "\"nationality\": ..., \"father_name\": ...} (all but name\n"
            "optional); each output line is {\"hits\": [...]}.  DATE is\n"
            "YYYY-MM-DD or YYYY.  The default threshold is %d.\n",
            SARHAD_SCREEN_DEFAULT_THRESHOLD);
}

/* A birth date as YYYY-MM-DD or a bare year. */
static int
parse_dob(struct sarhad_screen_query *q, const char *text,
          struct sarhad_error *err)
{
    size_t len = strlen(text);

    if (len == 0)
        return 0;
    if (len == 4) {
        struct sarhad_birth b;
        if (sarhad_birth_parse(&b, text, len, err) != SARHAD_OK)
            return -1;
        q->birth_year = b.from.year;
        return 0;
    }
    return sarhad_date_parse(&q->birth_date, text, len, err) == SARHAD_OK ? 0
                                                                          : -1;
}

static void
print_explanation(const struct sarhad_explanation *x)
{
    const struct sarhad_name *n = &x->query;

    printf("query: %s (%s%s)\n", n->latin, sarhad_script_name(n->script),
           n->from_mrz ? ", MRZ" : "");
    printf("tokens:");
    for (unsigned i = 0; i < n->token_count; i++)
        printf(" %s[%s]", n->tokens[i].text, n->tokens[i].key);
    if (n->removed[0] != '\0')
        printf("  (left out: %s)", n->removed);
    printf("\nlist version %s, threshold %d, %zu candidates scored\n",
           x->list_version[0] ? x->list_version : "(none)", x->threshold,
           x->scored);
    if (x->candidate_count == 0)
        printf("no listed name resembles this one\n");
    for (unsigned i = 0; i < x->candidate_count; i++) {
        const struct sarhad_candidate *c = &x->candidates[i];
        printf("\n%u. %s  %s  score %d  %s\n", i + 1, c->hit.entry_id,
               c->hit.name, c->hit.score,
               c->above_threshold ? "HIT: refer to secondary inspection"
                                  : "below threshold");
        printf("   matched name: %s\n   name score %d:\n", c->matched_name,
               c->name_score);
        for (unsigned k = 0; k < c->match_count; k++)
            printf("     %-20s %s %-20s %3d  %s\n", c->matches[k].query,
                   c->matches[k].similarity == 100 ? "=" : "~",
                   c->matches[k].listed, c->matches[k].similarity,
                   c->matches[k].why);
        if (c->unmatched[0] != '\0')
            printf("     unmatched: %s\n", c->unmatched);
        printf("   evidence:%s\n", c->evidence_count ? "" : " none given");
        for (unsigned k = 0; k < c->evidence_count; k++)
            printf("     %+4d  %-12s %s\n", c->evidence[k].points,
                   c->evidence[k].what, c->evidence[k].detail);
    }
}

static int
one(const struct sarhad_screener *s, struct sarhad_screen_query *q,
    int threshold)
{
    struct sarhad_explanation *x = xmalloc(sizeof(*x));
    struct sarhad_error err;
    int rc = 0;

    if (sarhad_screener_explain(s, q, threshold, x, &err) != SARHAD_OK) {
        print_error(NULL, &err);
        rc = 1;
    } else {
        print_explanation(x);
    }
    free(x);
    return rc;
}

static const char *
str_field(json_t *obj, const char *key, bool *bad)
{
    json_t *v = json_object_get(obj, key);

    if (v == NULL || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        *bad = true;
        return NULL;
    }
    return json_string_value(v);
}

static void
print_error_line(const char *message)
{
    json_t *o = json_pack("{s:s}", "error", message);
    char *text = json_dumps(o, JSON_COMPACT);

    printf("%s\n", text);
    free(text);
    json_decref(o);
}

/* One JSON line: screen it and print the hits (or an error line). */
static int
line_query(const struct sarhad_screener *s, const char *line, unsigned lineno,
           int threshold)
{
    struct sarhad_screen_query q;
    struct sarhad_screening out;
    struct sarhad_error err;
    json_error_t jerr;
    json_t *in = json_loads(line, JSON_REJECT_DUPLICATES, &jerr), *res, *hits;
    const char *dob, *sex;
    bool bad = false;
    char *text;

    memset(&q, 0, sizeof(q));
    sarhad_error_clear(&err);
    if (in == NULL || !json_is_object(in)) {
        fprintf(stderr, "sarhad screen: line %u: not a JSON object\n", lineno);
        print_error_line("not a JSON object");
        json_decref(in);
        return 1;
    }
    q.name = str_field(in, "name", &bad);
    dob = str_field(in, "birth_date", &bad);
    q.nationality = str_field(in, "nationality", &bad);
    q.father_name = str_field(in, "father_name", &bad);
    sex = str_field(in, "sex", &bad);
    q.sex = 0;
    if (sex != NULL)
        q.sex = sex[0];
    if (bad || q.name == NULL ||
        (dob != NULL && parse_dob(&q, dob, &err) != 0) ||
        sarhad_screener_query(s, &q, threshold, &out, &err) != SARHAD_OK) {
        const char *why = bad || q.name == NULL
                              ? "name (a string) is required; other fields "
                                "are strings"
                              : err.message;
        fprintf(stderr, "sarhad screen: line %u: %s%s%s\n", lineno,
                err.field[0] ? err.field : "", err.field[0] ? ": " : "", why);
        print_error_line(why);
        json_decref(in);
        return 1;
    }
    res = json_object();
    hits = json_array();
    for (unsigned i = 0; i < out.hit_count; i++)
        json_array_append_new(
            hits, json_pack("{s:s,s:s,s:i,s:s}", "id", out.hits[i].entry_id,
                            "name", out.hits[i].name, "score",
                            out.hits[i].score, "why", out.hits[i].why));
    json_object_set_new(res, "hits", hits);
    text = json_dumps(res, JSON_COMPACT);
    printf("%s\n", text);
    free(text);
    json_decref(res);
    json_decref(in);
    return 0;
}

static int
lines(const struct sarhad_screener *s, int threshold)
{
    char *line = xmalloc(LINE_MAX_BYTES + 2);
    unsigned lineno = 0;
    int rc = 0;

    while (fgets(line, LINE_MAX_BYTES + 2, stdin) != NULL) {
        size_t len = strlen(line);
        lineno++;
        if (len > LINE_MAX_BYTES && line[len - 1] != '\n') {
            int c;
            while ((c = getchar()) != EOF && c != '\n')
                ;
            fprintf(stderr, "sarhad screen: line %u: over %d bytes\n", lineno,
                    LINE_MAX_BYTES);
            print_error_line("line too long");
            rc = 1;
            continue;
        }
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        if (line_query(s, line, lineno, threshold) != 0)
            rc = 1;
        fflush(stdout);
    }
    free(line);
    return rc;
}

/* What the command line asked for: a store, and one person (q.name set)
 * or none (the JSON lines on stdin). */
struct screen_options {
    const char *db, *dob;
    struct sarhad_screen_query q;
    int threshold;
};

/* Read the command line into *o.  Returns -1 to go on, else the exit
 * status: 0 after --help, EXIT_USAGE after saying what is wrong. */
static int
parse_options(struct screen_options *o, int argc, char **argv)
{
    memset(o, 0, sizeof(*o));
    o->threshold = SARHAD_SCREEN_DEFAULT_THRESHOLD;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (strcmp(a, "--help") == 0) {
            help(stdout);
            return 0;
        } else if (strcmp(a, "--db") == 0 && has) {
            o->db = argv[++i];
        } else if (strcmp(a, "--name") == 0 && has) {
            o->q.name = argv[++i];
        } else if (strcmp(a, "--dob") == 0 && has) {
            o->dob = argv[++i];
        } else if (strcmp(a, "--nationality") == 0 && has) {
            o->q.nationality = argv[++i];
        } else if (strcmp(a, "--father") == 0 && has) {
            o->q.father_name = argv[++i];
        } else if (strcmp(a, "--sex") == 0 && has) {
            o->q.sex = argv[++i][0];
        } else if (strcmp(a, "--threshold") == 0 && has) {
            char *end;
            long t = strtol(argv[++i], &end, 10);
            if (*end != '\0' || t < 0 || t > 100)
                return usage_error("screen", "--threshold is 0 to 100");
            o->threshold = (int)t;
        } else {
            return usage_error("screen", "unknown or incomplete option %s", a);
        }
    }
    return -1;
}

/* Check the options that go together and put --dob into the query; 0, or
 * EXIT_USAGE after saying what is wrong. */
static int
check_options(struct screen_options *o)
{
    struct sarhad_error err;

    if (o->db == NULL)
        return usage_error("screen", "--db FILE is required");
    if (o->q.name == NULL &&
        (o->dob || o->q.nationality || o->q.father_name || o->q.sex))
        return usage_error("screen", "--dob and the like go with --name");
    if (o->dob != NULL && parse_dob(&o->q, o->dob, &err) != 0) {
        fprintf(stderr, "sarhad screen: --dob: %s\n", err.message);
        return EXIT_USAGE;
    }
    return 0;
}

/* The current watchlist of the store at db, read through a handle closed
 * again at once; NULL after saying why not. */
static struct sarhad_screener *
open_screener(const char *db)
{
    struct sarhad_store_options opt = {false, true, NULL};
    struct sarhad_store *store = NULL;
    struct sarhad_screener *s = NULL;
    struct sarhad_error err;

    if (sarhad_store_open(&store, db, &opt, &err) != SARHAD_OK) {
        print_error(db, &err);
        return NULL;
    }
    if (sarhad_screener_open(&s, store, &err) != SARHAD_OK) {
        print_error(db, &err);
        sarhad_store_close(store);
        return NULL;
    }
    sarhad_store_close(store);
    return s;
}

int
cmd_screen(int argc, char **argv)
{
    struct screen_options o;
    struct sarhad_screener *s;
    int rc = parse_options(&o, argc, argv);

    if (rc >= 0)
        return rc;
    if (check_options(&o) != 0)
        return EXIT_USAGE;
    s = open_screener(o.db);
    if (s == NULL)
        return 1;
    rc = o.q.name != NULL ? one(s, &o.q, o.threshold) : lines(s, o.threshold);
    sarhad_screener_close(s);
    return rc;
}
