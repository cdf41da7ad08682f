/*
 * gen.c - `sarhad gen`: record synthetic but realistic traffic for demos
 * and benchmarks, with a progress bar when stderr is a terminal.
 */
#include "ledger_cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

SARHAD_VERB(gen, "record synthetic but realistic traffic (demo, bench)")

static bool
number(const char *text, unsigned long max, unsigned long *out)
{
    char *end;

    *out = strtoul(text, &end, 10);
    return *end == '\0' && text[0] != '\0' && *out >= 1 && *out <= max;
}

int
cmd_gen(int argc, char **argv)
{
    const char *db = NULL, *days_text = NULL, *per_text = NULL;
    const char *from = "2023-11-01", *seed_text = "1", *sync = NULL;
    struct sarhad_date first;
    struct sarhad_store *store;
    struct sarhad_ledger *ledger;
    struct sarhad_actor who;
    struct sarhad_error err;
    unsigned long days, per_day, seed;
    bool missing = false;
    time_t t0 = time(NULL);
    int rc = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            puts("usage: sarhad gen --db FILE --days N --per-day M "
                 "[--from DATE] [--seed S] [--sync LEVEL]\n"
                 "Records N days x M synthetic crossings from DATE "
                 "(default 2023-11-01)\n"
                 "through the ledger, decided by the store's policy.  "
                 "The same seed\n"
                 "gives the same traffic.");
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &db, &missing) ||
                   cli_opt(argc, argv, &i, "--days", &days_text, &missing) ||
                   cli_opt(argc, argv, &i, "--per-day", &per_text, &missing) ||
                   cli_opt(argc, argv, &i, "--from", &from, &missing) ||
                   cli_opt(argc, argv, &i, "--seed", &seed_text, &missing) ||
                   cli_opt(argc, argv, &i, "--sync", &sync, &missing)) {
            if (missing)
                return usage_error("gen", "%s needs a value", argv[i]);
        } else {
            return usage_error("gen", "unknown argument '%s'", argv[i]);
        }
    }
    if (db == NULL || days_text == NULL || per_text == NULL)
        return usage_error("gen", "--db, --days and --per-day are required");
    if (!number(days_text, 36500, &days) ||
        !number(per_text, 10000000, &per_day) ||
        !number(seed_text, 0xffffffffUL, &seed))
        return usage_error("gen", "--days (1-36500), --per-day "
                                  "(1-10000000) and --seed are positive "
                                  "numbers");
    if (!cli_date("gen", "--from", from, &first))
        return EXIT_USAGE;
    store = cli_open_store("gen", db, false, false, sync);
    if (store == NULL)
        return 1;
    ledger = cli_open_ledger("gen", store);
    if (ledger == NULL) {
        sarhad_store_close(store);
        return 1;
    }
    if (sarhad_store_checkpoint_in_background(store, &err) != SARHAD_OK) {
        cli_fail("gen", db, &err);
        sarhad_ledger_close(ledger);
        sarhad_store_close(store);
        return 1;
    }
    cli_actor(&who, "gen", "officer", "");
    if (sarhad_ledger_generate(ledger, first, (unsigned)days, (unsigned)per_day,
                               seed, &who, isatty(2) ? cli_progress_bar : NULL,
                               NULL, &err) != SARHAD_OK) {
        cli_fail("gen", db, &err);
        rc = 1;
    } else {
        printf("recorded %llu crossings in %lld s\n",
               (unsigned long long)days * per_day,
               (long long)(time(NULL) - t0));
    }
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
    return rc;
}
