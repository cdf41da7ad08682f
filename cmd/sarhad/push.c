/*
 * push.c - `sarhad push`: send a post's audit log, with the ledger rows
 * and checkpoints that go with it, to the national central store.  Opens
 * the store read-only, so it runs beside a live server (from cron or a
 * systemd timer); pushing again sends only what is new, and a push that
 * was cut off resumes where the central is.
 */
#include "ledger_cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

SARHAD_VERB(push, "send a post's audit log to the national central store")

static void
usage(FILE *out)
{
    fprintf(out,
            "usage: sarhad push --db FILE [--central CONNINFO] [--batch N]\n"
            "Sends the entries of the store's audit log that the central"
            " lacks, with\n"
            "the attempts, resolutions, overrides, policies and signed"
            " checkpoints\n"
            "they record, in transactions of N entries (default %d, at most"
            " %d).\n"
            "CONNINFO is a libpq connection string or URI; without --central"
            " it is\n"
            "read from $SARHAD_CENTRAL.  Prints"
            " {\"post\",\"pushed\",\"from\",\"to\",...};\n"
            "exits 1 when the central cannot be reached, or refuses a log"
            " that was\n"
            "altered or has diverged from the central's copy.\n",
            SARHAD_PUSH_BATCH_DEFAULT, SARHAD_PUSH_BATCH_MAX);
}

static void
print_result(const struct sarhad_push_result *r)
{
    json_t *doc = json_pack(
        "{s:s, s:I, s:o, s:o, s:I, s:I}", "post", r->post, "pushed",
        (json_int_t)r->pushed, "from",
        r->pushed > 0 ? json_integer(r->from) : json_null(), "to",
        r->pushed > 0 ? json_integer(r->to) : json_null(), "checkpoints",
        (json_int_t)r->checkpoints, "central_seq", (json_int_t)r->central_seq);

    json_dumpf(doc, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(doc);
}

static int
push(const char *db, const char *conninfo, size_t batch)
{
    struct sarhad_push_options opt = {batch, 0};
    struct sarhad_push_result result;
    struct sarhad_central *central;
    struct sarhad_store *store;
    struct sarhad_error err;
    enum sarhad_status s;

    store = cli_open_store("push", db, false, true, NULL);
    if (store == NULL)
        return 1;
    central = central_connect("push", conninfo);
    if (central == NULL) {
        sarhad_store_close(store);
        return 1;
    }
    sarhad_error_clear(&err);
    s = sarhad_central_push(central, store, &opt, &result, &err);
    sarhad_central_close(central);
    sarhad_store_close(store);
    if (s != SARHAD_OK) {
        cli_fail("push", db, &err);
        if (result.pushed > 0)
            fprintf(stderr,
                    "sarhad push: entries %lld to %lld reached the central "
                    "before the failure\n",
                    (long long)result.from, (long long)result.to);
        return 1;
    }
    print_result(&result);
    return 0;
}

int
cmd_push(int argc, char **argv)
{
    const char *db = NULL, *option = NULL, *batch_text = NULL, *conninfo;
    bool missing = false;
    long batch = 0;
    char *end;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &db, &missing) ||
                   cli_opt(argc, argv, &i, "--central", &option, &missing) ||
                   cli_opt(argc, argv, &i, "--batch", &batch_text, &missing)) {
            if (missing)
                return usage_error("push", "%s needs a value", argv[i]);
        } else {
            return usage_error("push", "unknown argument '%s'", argv[i]);
        }
    }
    if (db == NULL)
        return usage_error("push", "--db is required");
    conninfo = central_conninfo(option);
    if (conninfo == NULL)
        return usage_error("push",
                           "--central CONNINFO or $SARHAD_CENTRAL is required");
    if (batch_text != NULL) {
        batch = strtol(batch_text, &end, 10);
        if (*batch_text == '\0' || *end != '\0' || batch < 1 ||
            batch > SARHAD_PUSH_BATCH_MAX)
            return usage_error("push", "--batch takes 1 to %d",
                               SARHAD_PUSH_BATCH_MAX);
    }
    return push(db, conninfo, (size_t)batch);
}
