/*
 * init.c - `sarhad init`: make a new store a post's, with the shipped
 * policy (or another) published as version 1, and optionally a demo
 * history of synthetic crossings.
 */
#include "ledger_cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

SARHAD_VERB(init, "create a post's store and publish its policy")

static void
usage(FILE *out)
{
    fputs("usage: sarhad init --db FILE --post CODE [--policy FILE] "
          "[--demo] [--as USER]\n"
          "                   [--ministry-key PUBLIC]\n"
          "Creates the store FILE for post CODE (A-Z 0-9 _ -, at most 15)\n"
          "and publishes the policy (policies/pakistan.policy by default)\n"
          "as its version 1.  --demo adds a week of synthetic crossings\n"
          "from 2023-11-01.  --ministry-key makes the post trust the\n"
          "ministry's key: from then on policies and watchlists come only\n"
          "as bundles signed by it (docs/BUNDLES.md).  Refuses a store\n"
          "that already has a post.\n",
          out);
}

int
cmd_init(int argc, char **argv)
{
    const char *db = NULL, *post = NULL, *policy_path = NULL, *user = NULL;
    const char *key_path = NULL;
    char key_hex[65];
    unsigned char key[32];
    struct sarhad_store *store;
    struct sarhad_ledger *ledger = NULL;
    struct sarhad_actor who;
    struct sarhad_error err;
    bool demo = false, missing = false;
    size_t len = 0;
    char *text;
    int rc = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &db, &missing) ||
                   cli_opt(argc, argv, &i, "--post", &post, &missing) ||
                   cli_opt(argc, argv, &i, "--policy", &policy_path,
                           &missing) ||
                   cli_opt(argc, argv, &i, "--as", &user, &missing) ||
                   cli_opt(argc, argv, &i, "--ministry-key", &key_path,
                           &missing)) {
            if (missing)
                return usage_error("init", "%s needs a value", argv[i]);
        } else if (strcmp(argv[i], "--demo") == 0) {
            demo = true;
        } else {
            return usage_error("init", "unknown argument '%s'", argv[i]);
        }
    }
    if (db == NULL || post == NULL)
        return usage_error("init", "--db and --post are required");
    if (key_path != NULL && !cli_public_key(key_path, key, key_hex))
        return 1;
    if (policy_path != NULL) {
        text = read_input(policy_path, SARHAD_POLICY_MAX_LEN, &len);
    } else {
        text = cli_shipped_policy(&len, &policy_path);
        if (text == NULL)
            fprintf(stderr, "sarhad init: cannot find the shipped "
                            "policies/pakistan.policy; give --policy FILE\n");
    }
    if (text == NULL)
        return 1;
    store = cli_open_store("init", db, true, false, NULL);
    if (store == NULL) {
        free(text);
        return 1;
    }
    cli_actor(&who, user, "admin", post);
    if (sarhad_ledger_init(store, post, policy_path, text, len, &who,
                           (int64_t)time(NULL), &err) != SARHAD_OK) {
        cli_fail("init", err.line > 0 ? policy_path : db, &err);
        rc = 1;
    } else {
        printf("initialised post %s in %s with policy %s\n", post, db,
               policy_path);
    }
    if (rc == 0 && demo) {
        struct sarhad_date first = {2023, 11, 1};
        ledger = cli_open_ledger("init", store);
        cli_actor(&who, user, "officer", post);
        if (ledger == NULL) {
            rc = 1;
        } else if (sarhad_ledger_generate(ledger, first, 7, 300, 1, &who, NULL,
                                          NULL, &err) != SARHAD_OK) {
            cli_fail("init", db, &err);
            rc = 1;
        } else {
            printf("added a demo history: 7 days x 300 crossings from "
                   "2023-11-01\n");
        }
    }
    if (rc == 0 && key_path != NULL) {
        cli_actor(&who, user, "admin", post);
        if (sarhad_store_trust_key(store, key_hex, &who, (int64_t)time(NULL),
                                   &err) != SARHAD_OK) {
            cli_fail("init", db, &err);
            rc = 1;
        } else {
            printf("trusted the ministry key in %s: policies and watchlists "
                   "come only as bundles signed by it\n",
                   key_path);
        }
    }
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
    free(text);
    return rc;
}
