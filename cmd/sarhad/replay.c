/*
 * replay.c - `sarhad replay`: what a draft policy would have decided.
 * Every recorded attempt is decided again, oldest first, under the draft,
 * into a scratch ledger built as it goes (so stays, visa entries and
 * identity links follow the draft's own decisions, as they would have),
 * with screening against the store's watchlist; the store itself is only
 * read.  Prints how the decisions of the attempts in the chosen days
 * would have moved, and with --changes each attempt that would have been
 * decided otherwise.  Replaying under the policy in force changes nothing:
 * the decisions are reproducible from the record.
 */
#include "ledger_cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

SARHAD_VERB(replay, "what a draft policy would have decided")

static const char usage[] =
    "usage: sarhad replay --db FILE --policy DRAFT [--from DATE] [--to DATE]\n"
    "                     [--changes]\n"
    "Decides every recorded attempt again under DRAFT, oldest first, in a\n"
    "scratch copy of the ledger built as it goes (stays, visa entries and\n"
    "identity links follow the draft's decisions), and prints how the\n"
    "decisions of the attempts from DATE to DATE would have moved: one\n"
    "line per recorded and replayed decision with its count.  --changes\n"
    "also prints, as JSON lines, each attempt decided otherwise.  The store\n"
    "is only read, so this may run beside the server.  Attempts whose MRZ\n"
    "did not read cleanly cannot be decided again from the record; they\n"
    "are counted as not replayable.";

struct replay {
    char from[11], to[11]; /* "" for no bound */
    bool changes;
};

static void
print_change(void *ctx, const struct sarhad_recorded_attempt *a,
             const struct sarhad_decision *d)
{
    (void)ctx;
    printf("{\"attempt\":%lld,\"day\":\"%s\",\"crossing\":\"%s\","
           "\"recorded\":{\"decision\":\"%s\",\"rule\":\"%s\"},"
           "\"replayed\":{\"decision\":\"%s\",\"rule\":\"%s\"}}\n",
           (long long)a->id, a->day, a->crossing,
           sarhad_outcome_name(a->outcome), a->rule,
           sarhad_outcome_name(d->outcome), d->rule);
}

static void
print_summary(const struct sarhad_replay_result *r)
{
    printf("%-9s %-9s %s\n", "recorded", "replayed", "count");
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            if (r->moved[i][j] > 0)
                printf("%-9s %-9s %ld\n",
                       sarhad_outcome_name((enum sarhad_outcome)i),
                       sarhad_outcome_name((enum sarhad_outcome)j),
                       r->moved[i][j]);
    printf("decided otherwise: %ld of %ld attempts (a decision or its rule); "
           "not replayable: %ld\n",
           r->changed, r->counted, r->not_replayable);
}

static int
parse(int argc, char **argv, struct replay *r, const char **db,
      const char **draft)
{
    const char *from = NULL, *to = NULL;
    struct sarhad_date date;
    bool missing = false;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            puts(usage);
            return -1;
        }
        if (cli_opt(argc, argv, &i, "--db", db, &missing) ||
            cli_opt(argc, argv, &i, "--policy", draft, &missing) ||
            cli_opt(argc, argv, &i, "--from", &from, &missing) ||
            cli_opt(argc, argv, &i, "--to", &to, &missing)) {
            if (missing)
                return usage_error("replay", "%s needs a value", argv[i]);
        } else if (strcmp(argv[i], "--changes") == 0) {
            r->changes = true;
        } else {
            return usage_error("replay", "unknown argument '%s'", argv[i]);
        }
    }
    if (*db == NULL || *draft == NULL)
        return usage_error("replay", "--db and --policy are required");
    if ((from != NULL && !cli_date("replay", "--from", from, &date)) ||
        (to != NULL && !cli_date("replay", "--to", to, &date)))
        return EXIT_USAGE;
    snprintf(r->from, sizeof(r->from), "%s", from != NULL ? from : "");
    snprintf(r->to, sizeof(r->to), "%s", to != NULL ? to : "");
    return 0;
}

int
cmd_replay(int argc, char **argv)
{
    const char *db = NULL, *draft = NULL;
    struct sarhad_replay_options opt;
    struct sarhad_replay_result result;
    struct sarhad_store *source = NULL;
    struct sarhad_error err;
    struct replay r;
    size_t len = 0;
    char *text;
    int rc;

    memset(&r, 0, sizeof(r));
    rc = parse(argc, argv, &r, &db, &draft);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    text = read_input(draft, SARHAD_POLICY_MAX_LEN, &len);
    if (text == NULL)
        return 1;
    source = cli_open_store("replay", db, false, true, NULL);
    if (source == NULL) {
        free(text);
        return 1;
    }
    memset(&opt, 0, sizeof(opt));
    opt.from = r.from;
    opt.to = r.to;
    opt.changed = r.changes ? print_change : NULL;
    sarhad_error_clear(&err);
    rc = 1;
    if (sarhad_replay(source, draft, text, len, &opt, (int64_t)time(NULL),
                      &result, &err) == SARHAD_OK) {
        print_summary(&result);
        rc = 0;
    } else if (err.code == SARHAD_EFORMAT && err.line > 0) {
        fprintf(stderr, "sarhad replay: %s\n", err.message); /* F:L:C */
    } else {
        cli_fail("replay", db, &err);
    }
    sarhad_store_close(source);
    free(text);
    return rc;
}
