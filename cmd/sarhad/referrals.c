/*
 * referrals.c - `sarhad referrals`: the post's secondary-inspection queue,
 * oldest first, as a table or JSON lines.
 */
#include "ledger_cli.h"

#include <string.h>

SARHAD_VERB(referrals, "list the open referral cases (secondary inspection)")

static bool
print_row(void *ctx, const struct sarhad_referral *r)
{
    bool json = *(bool *)ctx;

    if (json) {
        /* Only the name and reason can hold quotes; escape them. */
        printf("{\"attempt\":%lld,\"traveller\":%lld,\"post\":\"%s\","
               "\"crossing\":\"%s\",\"direction\":\"%s\",\"time\":\"%s\","
               "\"officer\":\"%s\",\"nationality\":\"%s\",\"name\":\"",
               (long long)r->attempt_id, (long long)r->traveller_id, r->post,
               r->crossing, r->direction == SARHAD_EXIT ? "exit" : "entry",
               r->at, r->officer, r->nationality);
        for (const char *s = r->name; *s; s++)
            printf(*s == '"' || *s == '\\' ? "\\%c" : "%c", *s);
        printf("\",\"rule\":\"%s\",\"reason_code\":\"%s\",\"reason\":\"",
               r->rule, r->reason_code);
        for (const char *s = r->reason; *s; s++)
            printf(*s == '"' || *s == '\\' ? "\\%c" : "%c", *s);
        printf("\"}\n");
    } else {
        printf("%-8lld %-25s %-12s %-5s %-3s %-28.28s %-16s %s\n",
               (long long)r->attempt_id, r->at, r->crossing,
               r->direction == SARHAD_EXIT ? "exit" : "entry", r->nationality,
               r->name, r->rule, r->reason_code);
    }
    return true;
}

int
cmd_referrals(int argc, char **argv)
{
    const char *db = NULL, *post = NULL;
    struct sarhad_store *store;
    struct sarhad_error err;
    bool json = false, missing = false;
    enum sarhad_status s;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            puts("usage: sarhad referrals --db FILE [--post CODE] [--json]\n"
                 "Lists the open referral cases, oldest first: attempt id,\n"
                 "time, crossing, direction, nationality, name, rule and\n"
                 "reason.  Resolve one with sarhad resolve.");
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &db, &missing) ||
                   cli_opt(argc, argv, &i, "--post", &post, &missing)) {
            if (missing)
                return usage_error("referrals", "%s needs a value", argv[i]);
        } else if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else {
            return usage_error("referrals", "unknown argument '%s'", argv[i]);
        }
    }
    if (db == NULL)
        return usage_error("referrals", "--db is required");
    store = cli_open_store("referrals", db, false, true, NULL);
    if (store == NULL)
        return 1;
    if (!json)
        printf("%-8s %-25s %-12s %-5s %-3s %-28s %-16s %s\n", "attempt", "time",
               "crossing", "dir", "nat", "name", "rule", "reason");
    s = sarhad_ledger_referrals(store, post, print_row, &json, &err);
    sarhad_store_close(store);
    if (s != SARHAD_OK) {
        cli_fail("referrals", db, &err);
        return 1;
    }
    return 0;
}
