/*
 * verify.c - `sarhad verify`: check a store (SQLite's integrity check, the
 * audit chain, the ledger's invariants) and say what is wrong; exit 1 when
 * anything is.  Opens the store read-only, so it may run beside a writer.
 */
#include "ledger_cli.h"

#include <string.h>

SARHAD_VERB(verify, "check a store's integrity, audit chain and ledger")

#define SHOWN 50

int
cmd_verify(int argc, char **argv)
{
    struct sarhad_verify_problem problems[SHOWN];
    const char *db = NULL;
    struct sarhad_store *store;
    struct sarhad_error err;
    unsigned count = 0;
    bool missing = false;
    enum sarhad_status s;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            puts("usage: sarhad verify --db FILE\n"
                 "Checks the store: SQLite's integrity check, the audit\n"
                 "chain, and the ledger's invariants (summaries equal the\n"
                 "events, every attempt audited, stays, visa use,\n"
                 "referrals, the signatures of the applied ministry\n"
                 "bundles).  Exit 0 when sound, 1 on any problem.");
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &db, &missing)) {
            if (missing)
                return usage_error("verify", "--db needs a value");
        } else {
            return usage_error("verify", "unknown argument '%s'", argv[i]);
        }
    }
    if (db == NULL)
        return usage_error("verify", "--db is required");
    store = cli_open_store("verify", db, false, true, NULL);
    if (store == NULL)
        return 1;
    s = sarhad_ledger_verify(store, problems, SHOWN, &count, &err);
    sarhad_store_close(store);
    if (s != SARHAD_OK) {
        cli_fail("verify", db, &err);
        return 1;
    }
    for (unsigned i = 0; i < count && i < SHOWN; i++) {
        if (problems[i].subject != 0)
            printf("%s: %s (%lld)\n", problems[i].check, problems[i].message,
                   (long long)problems[i].subject);
        else
            printf("%s: %s\n", problems[i].check, problems[i].message);
    }
    if (count > SHOWN)
        printf("... and %u more\n", count - SHOWN);
    if (count > 0) {
        fprintf(stderr, "sarhad verify: %s: %u problem%s found\n", db, count,
                count == 1 ? "" : "s");
        return 1;
    }
    printf("%s: sound\n", db);
    return 0;
}
