/*
 * resolve.c - `sarhad resolve`: a supervisor admits or refuses a referred
 * traveller with a written reason; recorded as a new event.
 */
#include "ledger_cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

SARHAD_VERB(resolve, "resolve a referral: admit or refuse, with a reason")

int
cmd_resolve(int argc, char **argv)
{
    const char *db = NULL, *reason = NULL, *user = NULL, *id_text = NULL;
    struct sarhad_store *store;
    struct sarhad_ledger *ledger;
    struct sarhad_actor who;
    struct sarhad_error err;
    enum sarhad_outcome outcome = SARHAD_REFER;
    bool missing = false;
    long long id;
    int64_t seq = 0;
    char *end;
    int rc = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            puts("usage: sarhad resolve --db FILE ID --admit|--refuse "
                 "--reason TEXT [--as USER]\n"
                 "Resolves the open referral of attempt ID as a supervisor\n"
                 "(USER, by default $USER).  An admitted entry opens a stay,\n"
                 "an admitted exit closes one.  The reason is required.");
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &db, &missing) ||
                   cli_opt(argc, argv, &i, "--reason", &reason, &missing) ||
                   cli_opt(argc, argv, &i, "--as", &user, &missing)) {
            if (missing)
                return usage_error("resolve", "%s needs a value", argv[i]);
        } else if (strcmp(argv[i], "--admit") == 0 ||
                   strcmp(argv[i], "--refuse") == 0) {
            if (outcome != SARHAD_REFER)
                return usage_error("resolve", "give --admit or --refuse once");
            outcome = argv[i][2] == 'a' ? SARHAD_ADMIT : SARHAD_REFUSE;
        } else if (argv[i][0] != '-' && id_text == NULL) {
            id_text = argv[i];
        } else {
            return usage_error("resolve", "unknown argument '%s'", argv[i]);
        }
    }
    if (db == NULL || id_text == NULL)
        return usage_error("resolve", "--db and the attempt ID are required");
    if (outcome == SARHAD_REFER)
        return usage_error("resolve", "--admit or --refuse is required");
    if (reason == NULL)
        return usage_error("resolve", "--reason is required");
    id = strtoll(id_text, &end, 10);
    if (*end != '\0' || id <= 0)
        return usage_error("resolve", "ID must be an attempt number");
    store = cli_open_store("resolve", db, false, false, NULL);
    if (store == NULL)
        return 1;
    ledger = cli_open_ledger("resolve", store);
    if (ledger == NULL) {
        sarhad_store_close(store);
        return 1;
    }
    cli_actor(&who, user, "supervisor", "");
    if (sarhad_ledger_resolve(ledger, id, outcome, reason, &who,
                              (int64_t)time(NULL), &seq, &err) != SARHAD_OK) {
        cli_fail("resolve", NULL, &err);
        rc = 1;
    } else {
        printf("attempt %lld resolved: %s (audit entry %lld)\n", id,
               sarhad_outcome_name(outcome), (long long)seq);
    }
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
    return rc;
}
