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

/* What the command line asked for. */
struct init_options {
    const char *db, *post, *policy_path, *user, *key_path;
    bool demo;
};

/* Read the command line into *o.  Returns -1 to go on, else the exit
 * status: 0 after --help, EXIT_USAGE after saying what is wrong. */
static int
parse_options(struct init_options *o, int argc, char **argv)
{
    bool missing = false;

    memset(o, 0, sizeof(*o));
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &o->db, &missing) ||
                   cli_opt(argc, argv, &i, "--post", &o->post, &missing) ||
                   cli_opt(argc, argv, &i, "--policy", &o->policy_path,
                           &missing) ||
                   cli_opt(argc, argv, &i, "--as", &o->user, &missing) ||
                   cli_opt(argc, argv, &i, "--ministry-key", &o->key_path,
                           &missing)) {
            if (missing)
                return usage_error("init", "%s needs a value", argv[i]);
        } else if (strcmp(argv[i], "--demo") == 0) {
            o->demo = true;
        } else {
            return usage_error("init", "unknown argument '%s'", argv[i]);
        }
    }
    if (o->db == NULL || o->post == NULL)
        return usage_error("init", "--db and --post are required");
    return -1;
}

/* The text of --policy FILE, else of the shipped policy (whose path goes
 * to o->policy_path); NULL after saying why not. */
static char *
read_policy(struct init_options *o, size_t *len)
{
    char *text;

    if (o->policy_path != NULL)
        return read_input(o->policy_path, SARHAD_POLICY_MAX_LEN, len);
    text = cli_shipped_policy(len, &o->policy_path);
    if (text == NULL)
        fprintf(stderr, "sarhad init: cannot find the shipped "
                        "policies/pakistan.policy; give --policy FILE\n");
    return text;
}

/* --demo: a week of synthetic crossings; 0, or 1 after saying why not. */
static int
add_demo(struct sarhad_store *store, const struct init_options *o)
{
    struct sarhad_date first = {2023, 11, 1};
    struct sarhad_ledger *ledger = cli_open_ledger("init", store);
    struct sarhad_actor who;
    struct sarhad_error err;
    int rc = 0;

    cli_actor(&who, o->user, "officer", o->post);
    if (ledger == NULL) {
        rc = 1;
    } else if (sarhad_ledger_generate(ledger, first, 7, 300, 1, &who, NULL,
                                      NULL, &err) != SARHAD_OK) {
        cli_fail("init", o->db, &err);
        rc = 1;
    } else {
        printf("added a demo history: 7 days x 300 crossings from "
               "2023-11-01\n");
    }
    sarhad_ledger_close(ledger);
    return rc;
}

/* --ministry-key: trust the key of hex digits key_hex; 0, or 1 after
 * saying why not. */
static int
trust_ministry_key(struct sarhad_store *store, const struct init_options *o,
                   const char *key_hex)
{
    struct sarhad_actor who;
    struct sarhad_error err;

    cli_actor(&who, o->user, "admin", o->post);
    if (sarhad_store_trust_key(store, key_hex, &who, (int64_t)time(NULL),
                               &err) != SARHAD_OK) {
        cli_fail("init", o->db, &err);
        return 1;
    }
    printf("trusted the ministry key in %s: policies and watchlists "
           "come only as bundles signed by it\n",
           o->key_path);
    return 0;
}

/* Make the new store the post's, with the policy text of len bytes as
 * version 1, then add what was asked for; the exit status. */
static int
init_store(struct sarhad_store *store, const struct init_options *o,
           const char *text, size_t len, const char *key_hex)
{
    struct sarhad_actor who;
    struct sarhad_error err;
    int rc = 0;

    cli_actor(&who, o->user, "admin", o->post);
    if (sarhad_ledger_init(store, o->post, o->policy_path, text, len, &who,
                           (int64_t)time(NULL), &err) != SARHAD_OK) {
        cli_fail("init", err.line > 0 ? o->policy_path : o->db, &err);
        return 1;
    }
    printf("initialised post %s in %s with policy %s\n", o->post, o->db,
           o->policy_path);
    if (o->demo)
        rc = add_demo(store, o);
    if (rc == 0 && o->key_path != NULL)
        rc = trust_ministry_key(store, o, key_hex);
    return rc;
}

int
cmd_init(int argc, char **argv)
{
    struct init_options o;
    char key_hex[65];
    unsigned char key[32];
    struct sarhad_store *store;
    size_t len = 0;
    char *text;
    int rc = parse_options(&o, argc, argv);

    if (rc >= 0)
        return rc;
    if (o.key_path != NULL && !cli_public_key(o.key_path, key, key_hex))
        return 1;
    text = read_policy(&o, &len);
    if (text == NULL)
        return 1;
    store = cli_open_store("init", o.db, true, false, NULL);
    if (store == NULL) {
        free(text);
        return 1;
    }
    rc = init_store(store, &o, text, len, key_hex);
    sarhad_store_close(store);
    free(text);
    return rc;
}
