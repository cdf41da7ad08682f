/*
 * attempts.c - `sarhad attempts`: the post's attempts, newest first, as a
 * supervisor reviews a shift or an auditor follows an officer: what was
 * decided, where, by whom and under which rule, narrowed by day, crossing,
 * officer, direction and final outcome.  No line names the traveller; the
 * history (`sarhad traveller`) does.
 */
#include "ledger_cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

SARHAD_VERB(attempts, "list the post's attempts, newest first, with filters")

struct out {
    bool json;
    bool header; /* the table's header printed */
};

/* The table's header, printed before its first line (so that a filter
 * refused prints nothing but the error). */
static void
header(struct out *o)
{
    if (o->json || o->header)
        return;
    printf("%-9s %-25s %-12s %-8s %-12s %-5s %-3s %-6s %-7s %-24s %s\n",
           "attempt", "time", "crossing", "counter", "officer", "dir", "nat",
           "decided", "review", "rule", "reasons");
    o->header = true;
}

static bool
print_line(void *ctx, const struct sarhad_attempt_line *a)
{
    struct out *o = ctx;
    const char *dir = a->direction == SARHAD_EXIT ? "exit" : "entry";

    header(o);
    if (o->json) {
        json_t *doc = json_pack(
            "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s}",
            "id", (json_int_t)a->id, "time", a->time, "crossing", a->crossing,
            "counter", a->counter, "officer", a->officer, "direction", dir,
            "nationality", a->nationality, "decided",
            sarhad_outcome_name(a->decided), "outcome",
            sarhad_outcome_name(a->outcome), "reviewed", a->reviewed, "rule",
            a->rule, "reasons", a->reasons);
        json_dumpf(doc, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(doc);
        putchar('\n');
    } else {
        printf("%-9lld %-25s %-12s %-8s %-12s %-5s %-3s %-6s %-7s %-24s %s\n",
               (long long)a->id, a->time, a->crossing, a->counter, a->officer,
               dir, a->nationality, sarhad_outcome_name(a->decided),
               a->reviewed ? sarhad_outcome_name(a->outcome) : "", a->rule,
               a->reasons);
    }
    return true;
}

static long long
whole(const char *s, long long max)
{
    char *end;
    long long n;

    if (s == NULL)
        return 0;
    n = strtoll(s, &end, 10);
    return *s != '\0' && *end == '\0' && n >= 1 && n <= max ? n : -1;
}

int
cmd_attempts(int argc, char **argv)
{
    const char *db = NULL, *before_arg = NULL, *limit_arg = NULL;
    struct sarhad_attempt_filter f = {NULL, NULL, NULL, NULL, NULL};
    struct sarhad_store *store;
    struct sarhad_error err;
    struct out o = {false, false};
    bool missing = false;
    long long before, limit;
    int64_t next = 0;
    enum sarhad_status s;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            puts("usage: sarhad attempts --db FILE [--day DATE] [--crossing "
                 "CODE]\n"
                 "       [--officer USER] [--direction entry|exit]\n"
                 "       [--outcome admit|refuse|refer] [--before ID] "
                 "[--limit N] [--json]\n"
                 "The post's attempts, newest first (50 unless --limit, at "
                 "most 500):\n"
                 "id, time, crossing, counter, officer, direction, "
                 "nationality, the\n"
                 "decision at the counter, the outcome after a review "
                 "(resolution or\n"
                 "override), rule and reason codes.  --outcome keeps the "
                 "final outcome.\n"
                 "A page reads at most 100,000 attempts; where older ones "
                 "remain, the\n"
                 "--before of the next page is printed on standard error.");
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &db, &missing) ||
                   cli_opt(argc, argv, &i, "--day", &f.day, &missing) ||
                   cli_opt(argc, argv, &i, "--crossing", &f.crossing,
                           &missing) ||
                   cli_opt(argc, argv, &i, "--officer", &f.officer, &missing) ||
                   cli_opt(argc, argv, &i, "--direction", &f.direction,
                           &missing) ||
                   cli_opt(argc, argv, &i, "--outcome", &f.outcome, &missing) ||
                   cli_opt(argc, argv, &i, "--before", &before_arg, &missing) ||
                   cli_opt(argc, argv, &i, "--limit", &limit_arg, &missing)) {
            if (missing)
                return usage_error("attempts", "%s needs a value", argv[i]);
        } else if (strcmp(argv[i], "--json") == 0) {
            o.json = true;
        } else {
            return usage_error("attempts", "unknown argument '%s'", argv[i]);
        }
    }
    if (db == NULL)
        return usage_error("attempts", "--db is required");
    before = whole(before_arg, INT64_MAX / 2);
    limit = limit_arg != NULL ? whole(limit_arg, 500) : 50;
    if (before < 0)
        return usage_error("attempts", "--before takes an attempt's id");
    if (limit < 0)
        return usage_error("attempts", "--limit takes 1 to 500");
    store = cli_open_store("attempts", db, false, true, NULL);
    if (store == NULL)
        return 1;
    s = sarhad_ledger_attempts(store, &f, before, (unsigned)limit, print_line,
                               &o, &next, &err);
    sarhad_store_close(store);
    if (s != SARHAD_OK) {
        cli_fail("attempts", db, &err);
        return s == SARHAD_EINVAL ? 2 : 1;
    }
    header(&o);
    if (next > 0)
        fprintf(stderr, "sarhad attempts: older attempts: --before %lld\n",
                (long long)next);
    return 0;
}
