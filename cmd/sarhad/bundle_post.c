/*
 * bundle_post.c - a post's side of `sarhad bundle`: trust the ministry's
 * key, apply a bundle (a policy published, a list imported, the next key
 * trusted), and list what was applied.  Audited as the command's user in
 * the role of admin, as `sarhad policy publish` is; while `sarhad serve`
 * runs, the store is its own: apply through POST /v1/bundles then.
 */
#include "ledger_cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define APPLY_MAX_ISSUES 500

/* --db FILE [--as USER] ARG: the common shape of trust and apply. */
static int
store_args(const char *sub, int argc, char **argv, const char **db,
           const char **user, const char **arg)
{
    bool missing = false;

    for (int i = 2; i < argc; i++) {
        if (cli_opt(argc, argv, &i, "--db", db, &missing) ||
            cli_opt(argc, argv, &i, "--as", user, &missing)) {
            if (missing)
                return usage_error("bundle", "%s: an option needs a value",
                                   sub);
        } else if ((argv[i][0] == '-' && argv[i][1] != '\0') || *arg != NULL) {
            return usage_error("bundle", "%s: unknown argument '%s'", sub,
                               argv[i]);
        } else {
            *arg = argv[i];
        }
    }
    if (*db == NULL || *arg == NULL)
        return usage_error("bundle", "%s needs --db FILE and a file", sub);
    return 0;
}

int
bundle_trust(int argc, char **argv)
{
    const char *db = NULL, *user = NULL, *path = NULL;
    char hex[65], id[SARHAD_BUNDLE_KEY_ID_LEN + 1];
    struct sarhad_store *store;
    struct sarhad_actor who;
    struct sarhad_error err;
    unsigned char pub[32];
    int rc = store_args("trust", argc, argv, &db, &user, &path);

    if (rc != 0)
        return rc;
    if (!cli_public_key(path, pub, hex))
        return 1;
    store = cli_open_store("bundle", db, false, false, NULL);
    if (store == NULL)
        return 1;
    cli_actor(&who, user, "admin", "");
    if (sarhad_store_trust_key(store, hex, &who, (int64_t)time(NULL), &err) !=
        SARHAD_OK) {
        cli_fail("bundle", db, &err);
        rc = 1;
    } else {
        sarhad_bundle_key_id(id, pub);
        printf("trusted ministry key %s: policies and watchlists now come "
               "only as bundles signed by it\n",
               id);
    }
    sarhad_store_close(store);
    return rc;
}

static void
print_issues(const char *path, const struct sarhad_lint_issue *issues,
             unsigned count)
{
    for (unsigned i = 0; i < count && i < APPLY_MAX_ISSUES; i++)
        fprintf(stderr, "%s:%u:%u: %s: %s: %s\n", path, issues[i].line,
                issues[i].col, issues[i].is_error ? "error" : "warning",
                issues[i].code, issues[i].message);
}

int
bundle_apply(int argc, char **argv)
{
    const char *db = NULL, *user = NULL, *path = NULL;
    struct sarhad_lint_issue *issues;
    struct sarhad_bundle_applied done;
    struct sarhad_ledger *ledger;
    struct sarhad_store *store;
    struct sarhad_actor who;
    struct sarhad_error err;
    unsigned count = 0;
    size_t len;
    char *data;
    int rc = store_args("apply", argc, argv, &db, &user, &path);

    if (rc != 0)
        return rc;
    data = read_input(
        path, SARHAD_BUNDLE_PAYLOAD_MAX + SARHAD_BUNDLE_HEADER_MAX, &len);
    if (data == NULL)
        return 1;
    store = cli_open_store("bundle", db, false, false, NULL);
    ledger = store != NULL ? cli_open_ledger("bundle", store) : NULL;
    if (ledger == NULL) {
        sarhad_store_close(store);
        free(data);
        return 1;
    }
    cli_actor(&who, user, "admin", "");
    issues = xmalloc(APPLY_MAX_ISSUES * sizeof(*issues));
    sarhad_error_clear(&err);
    if (sarhad_bundle_apply(ledger, data, len, &who, (int64_t)time(NULL), &done,
                            issues, APPLY_MAX_ISSUES, &count,
                            &err) != SARHAD_OK) {
        print_issues(path, issues, count);
        cli_fail("bundle", path, &err);
        rc = 1;
    } else {
        print_issues(path, issues, count);
        printf("applied %s bundle %" PRId64 " (%s) from key %s: %s\n",
               sarhad_bundle_kind_name(done.info.kind), done.info.serial,
               done.info.name, done.info.issuer, done.result);
    }
    free(issues);
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
    free(data);
    return rc;
}

static bool
print_applied(void *ctx, const struct sarhad_bundle_applied *b)
{
    (void)ctx;
    printf("%-9s %-6" PRId64 " %-20s %-16s %-20s %-16s %.16s  %s\n",
           sarhad_bundle_kind_name(b->info.kind), b->info.serial,
           b->info.issued, b->info.issuer, b->applied_at, b->result,
           b->info.sha256, b->info.name);
    return true;
}

int
bundle_list(int argc, char **argv)
{
    const char *db = NULL;
    struct sarhad_store *store;
    struct sarhad_error err;
    char key[SARHAD_BUNDLE_KEY_ID_LEN + 1], problem[160];
    bool missing = false, verify = false;
    int64_t bad = 0;
    int rc = 0;

    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--verify") == 0)
            verify = true;
        else if (!cli_opt(argc, argv, &i, "--db", &db, &missing) || missing)
            return usage_error("bundle", "list: unknown argument '%s'",
                               argv[i]);
    }
    if (db == NULL)
        return usage_error("bundle", "list needs --db FILE");
    store = cli_open_store("bundle", db, false, true, NULL);
    if (store == NULL)
        return 1;
    sarhad_error_clear(&err);
    if (sarhad_store_trusted_key(store, NULL, key, &err) == SARHAD_OK)
        printf("trusted ministry key: %s\n", key);
    else
        printf("trusted ministry key: none (policies and watchlists are "
               "published locally)\n");
    if (sarhad_bundle_list(store, print_applied, NULL, &err) != SARHAD_OK ||
        (verify && sarhad_bundle_verify_applied(store, &bad, problem, &err) !=
                       SARHAD_OK)) {
        cli_fail("bundle", db, &err);
        rc = 1;
    } else if (verify && bad != 0) {
        fprintf(stderr, "sarhad bundle: %s: %s\n", db, problem);
        rc = 1;
    } else if (verify) {
        printf("every applied bundle's signature holds\n");
    }
    sarhad_store_close(store);
    return rc;
}
