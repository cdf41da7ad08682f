/*
 * pull.c - `sarhad pull`: take from the national central store the
 * ministry's bundles this post has not applied (signed by the key it
 * trusts, newer than what it has) and apply them, key bundles first.  The
 * command writes the store, so it is for a post whose server is stopped or
 * that runs none; a server given --central takes them by itself.
 */
#include "ledger_cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

SARHAD_VERB(pull, "take the ministry's new bundles from the central store")

static void
usage(FILE *out)
{
    fputs("usage: sarhad pull --db FILE [--central CONNINFO] [--as USER]\n"
          "Applies, oldest first, the bundles the central holds that this"
          " post has\n"
          "not: signed by the ministry key it trusts (sarhad bundle trust),"
          " with\n"
          "serials above the last it applied of each kind; key bundles first."
          "\n"
          "A bundle that is refused (a signature that does not hold, a"
          " policy with\n"
          "lint errors) is named and passed over.  CONNINFO as for sarhad"
          " push, or\n"
          "$SARHAD_CENTRAL.  Exit 0 when every bundle taken was applied, 1"
          " when one\n"
          "was refused or on errors, 2 on usage errors.\n",
          out);
}

struct pull {
    struct sarhad_ledger *ledger;
    struct sarhad_actor who;
};

static enum sarhad_status
apply(void *ctx, const char *data, size_t len,
      struct sarhad_bundle_applied *out, struct sarhad_error *err)
{
    struct pull *p = ctx;

    return sarhad_bundle_apply(p->ledger, data, len, &p->who,
                               (int64_t)time(NULL), out, NULL, 0, NULL, err);
}

static void
seen(void *ctx, enum sarhad_bundle_kind kind, int64_t serial,
     const struct sarhad_bundle_applied *applied, enum sarhad_status status,
     const struct sarhad_error *why)
{
    (void)ctx;
    if (status == SARHAD_OK)
        printf("applied %s bundle %lld (%s) from key %s: %s\n",
               sarhad_bundle_kind_name(kind), (long long)serial,
               applied->info.name, applied->info.issuer, applied->result);
    else
        fprintf(stderr, "sarhad pull: %s bundle %lld refused: %s%s%s\n",
                sarhad_bundle_kind_name(kind), (long long)serial, why->field,
                why->field[0] ? ": " : "",
                why->message[0] ? why->message : sarhad_strerror(status));
}

int
cmd_pull(int argc, char **argv)
{
    const char *db = NULL, *option = NULL, *user = NULL, *conninfo;
    struct sarhad_pull_hooks hooks;
    struct sarhad_pull_result result;
    struct sarhad_central *central;
    struct sarhad_store *store;
    struct sarhad_error err;
    struct pull p;
    bool missing = false;
    enum sarhad_status s;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &db, &missing) ||
                   cli_opt(argc, argv, &i, "--central", &option, &missing) ||
                   cli_opt(argc, argv, &i, "--as", &user, &missing)) {
            if (missing)
                return usage_error("pull", "%s needs a value", argv[i]);
        } else {
            return usage_error("pull", "unknown argument '%s'", argv[i]);
        }
    }
    if (db == NULL)
        return usage_error("pull", "--db is required");
    conninfo = central_conninfo(option);
    if (conninfo == NULL)
        return usage_error("pull",
                           "--central CONNINFO or $SARHAD_CENTRAL is required");
    store = cli_open_store("pull", db, false, false, NULL);
    p.ledger = store != NULL ? cli_open_ledger("pull", store) : NULL;
    central = p.ledger != NULL ? central_connect("pull", conninfo) : NULL;
    if (central == NULL) {
        sarhad_ledger_close(p.ledger);
        sarhad_store_close(store);
        return 1;
    }
    cli_actor(&p.who, user, "admin", "");
    hooks.apply = apply;
    hooks.seen = seen;
    hooks.ctx = &p;
    sarhad_error_clear(&err);
    s = sarhad_central_pull(central, store, &hooks, &result, &err);
    sarhad_central_close(central);
    sarhad_ledger_close(p.ledger);
    sarhad_store_close(store);
    if (s != SARHAD_OK) {
        cli_fail("pull", db, &err);
        return 1;
    }
    printf("{\"applied\":%lld,\"refused\":%lld}\n", (long long)result.applied,
           (long long)result.refused);
    return result.refused > 0 ? 1 : 0;
}
