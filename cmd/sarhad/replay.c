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

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

#define BATCH 1000

struct replay {
    struct sarhad_store *scratch;
    struct sarhad_ledger *ledger;
    struct sarhad_actor who;
    char from[11], to[11]; /* "" for no bound */
    bool changes;
    long moved[3][3];
    long counted, changed, not_replayable, in_batch;
    enum sarhad_status status;
    struct sarhad_error err;
};

static bool
in_range(const struct replay *r, const char *day)
{
    return (r->from[0] == '\0' || strcmp(day, r->from) >= 0) &&
           (r->to[0] == '\0' || strcmp(day, r->to) <= 0);
}

static void
print_change(const struct sarhad_recorded_attempt *a,
             const struct sarhad_decision *d)
{
    printf("{\"attempt\":%lld,\"day\":\"%s\",\"crossing\":\"%s\","
           "\"recorded\":{\"decision\":\"%s\",\"rule\":\"%s\"},"
           "\"replayed\":{\"decision\":\"%s\",\"rule\":\"%s\"}}\n",
           (long long)a->id, a->day, a->crossing,
           sarhad_outcome_name(a->outcome), a->rule,
           sarhad_outcome_name(d->outcome), d->rule);
}

/* Decide a again in the scratch ledger, a batch of BATCH at a time. */
static bool
replay_one(void *ctx, const struct sarhad_recorded_attempt *a)
{
    struct replay *r = ctx;
    struct sarhad_decision d;
    bool counted = in_range(r, a->day);

    if (!a->replayable) {
        r->not_replayable += counted;
        return true;
    }
    if (r->in_batch == 0)
        r->status = sarhad_store_begin(r->scratch, &r->err);
    if (r->status == SARHAD_OK)
        r->status = sarhad_ledger_cross(r->ledger, a->p, &r->who,
                                        (int64_t)time(NULL), &d, NULL, &r->err);
    if (r->status == SARHAD_EINVAL || r->status == SARHAD_EFORMAT ||
        r->status == SARHAD_ECHECK) {
        /* The attempt's own fault: dropped alone, the batch goes on. */
        r->status = SARHAD_OK;
        r->not_replayable += counted;
        return true;
    }
    if (r->status == SARHAD_OK && ++r->in_batch == BATCH) {
        r->in_batch = 0;
        r->status = sarhad_store_commit(r->scratch, &r->err);
    }
    if (r->status != SARHAD_OK)
        return false;
    if (!counted)
        return true;
    r->counted++;
    r->moved[a->outcome][d.outcome]++;
    if (a->outcome != d.outcome || strcmp(a->rule, d.rule) != 0) {
        r->changed++;
        if (r->changes)
            print_change(a, &d);
    }
    return true;
}

/* The scratch ledger: a store of its own in a fresh directory, made
 * without fsyncs (it is thrown away), under the draft policy. */
static bool
open_scratch(struct replay *r, const char *dir, const char *post,
             const char *draft_path, const char *text, size_t len)
{
    struct sarhad_store_options opt = {true, false, "OFF"};
    char path[4200];
    struct sarhad_error err;

    snprintf(path, sizeof(path), "%s/replay.db", dir);
    sarhad_error_clear(&err);
    if (sarhad_store_open(&r->scratch, path, &opt, &err) != SARHAD_OK ||
        sarhad_ledger_init(r->scratch, post, draft_path, text, len, &r->who,
                           (int64_t)time(NULL), &err) != SARHAD_OK ||
        sarhad_ledger_open(&r->ledger, r->scratch, &err) != SARHAD_OK) {
        if (err.code == SARHAD_EFORMAT && err.line > 0)
            fprintf(stderr, "sarhad replay: %s\n", err.message); /* F:L:C */
        else
            cli_fail("replay", draft_path, &err);
        return false;
    }
    return true;
}

/* Remove the scratch directory and what the store left in it. */
static void
remove_scratch(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096 + 300];

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d != NULL)
        closedir(d);
    rmdir(dir);
}

static void
print_summary(const struct replay *r)
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
    const char *db = NULL, *draft = NULL, *tmp = getenv("TMPDIR");
    struct sarhad_screener *screener = NULL;
    struct sarhad_store *source = NULL;
    struct replay *r = xmalloc(sizeof(*r));
    struct sarhad_error err;
    char dir[4096];
    bool made = false;
    int rc = 1;
    size_t len = 0;
    char *text = NULL;

    memset(r, 0, sizeof(*r));
    rc = parse(argc, argv, r, &db, &draft);
    if (rc != 0) {
        free(r);
        return rc < 0 ? 0 : rc;
    }
    rc = 1;
    cli_actor(&r->who, "replay", "officer", "");
    snprintf(dir, sizeof(dir), "%s/sarhad-replay-XXXXXX",
             tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
    text = read_input(draft, SARHAD_POLICY_MAX_LEN, &len);
    source =
        text != NULL ? cli_open_store("replay", db, false, true, NULL) : NULL;
    sarhad_error_clear(&err);
    if (source != NULL && !(made = mkdtemp(dir) != NULL)) {
        perror("sarhad replay: a scratch directory");
    } else if (source != NULL &&
               open_scratch(r, dir, sarhad_store_post(source), draft, text,
                            len) &&
               sarhad_screener_open(&screener, source, &err) == SARHAD_OK) {
        if (sarhad_screener_version(screener)[0] != '\0')
            sarhad_ledger_set_screener(r->ledger, screener);
        if (sarhad_ledger_each_recorded(source, replay_one, r, &err) ==
                SARHAD_OK &&
            r->status == SARHAD_OK) {
            print_summary(r);
            rc = 0;
        } else {
            cli_fail("replay", db, r->status != SARHAD_OK ? &r->err : &err);
        }
    } else if (source != NULL && r->ledger != NULL) {
        cli_fail("replay", db, &err);
    }
    sarhad_screener_close(screener);
    sarhad_ledger_close(r->ledger);
    sarhad_store_close(r->scratch);
    sarhad_store_close(source);
    if (made)
        remove_scratch(dir);
    free(text);
    free(r);
    return rc;
}
