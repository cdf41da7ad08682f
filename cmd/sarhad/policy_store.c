/*
 * policy_store.c - `sarhad policy publish` and `sarhad policy list`: a
 * post's policy publications from the command line, as POST /v1/policies
 * and GET /v1/policies make them over HTTP.  A publication is checked
 * first (a lint error refuses it, warnings are shown), gets the next
 * number, is never edited afterwards, and is audited as made by the
 * command's user in the role of admin.  While `sarhad serve` runs, the
 * store is its own and the command says so: publish through the API then.
 */
#include "ledger_cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PUBLISH_MAX_ISSUES 500

static int
publish_usage(const char *why)
{
    if (why != NULL)
        return usage_error("policy", "%s", why);
    puts("usage: sarhad policy publish --db FILE [--as USER] POLICY\n"
         "Checks POLICY as `sarhad policy lint` does and publishes it as the\n"
         "post's next policy version: its declared version must be newer\n"
         "than the current one's.  Audited as USER (default $USER), admin.\n"
         "Exit 0 when published, 1 when refused (compile or lint errors, a\n"
         "version not newer, the store busy), 2 on usage errors.");
    return 0;
}

static void
print_issues(const char *path, const struct sarhad_lint_issue *issues,
             unsigned count)
{
    for (unsigned i = 0; i < count && i < PUBLISH_MAX_ISSUES; i++)
        printf("%s:%u:%u: %s: %s: %s\n", path, issues[i].line, issues[i].col,
               issues[i].is_error ? "error" : "warning", issues[i].code,
               issues[i].message);
    if (count > PUBLISH_MAX_ISSUES)
        printf("%s: %u more findings not shown\n", path,
               count - PUBLISH_MAX_ISSUES);
}

int
policy_publish(int argc, char **argv)
{
    const char *db = NULL, *user = NULL, *path = NULL;
    struct sarhad_lint_issue *issues;
    struct sarhad_policy_info info;
    struct sarhad_ledger *ledger;
    struct sarhad_store *store;
    struct sarhad_actor who;
    struct sarhad_error err;
    unsigned count = 0;
    enum sarhad_status s;
    bool missing = false;
    size_t len;
    char *text;

    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0)
            return publish_usage(NULL);
        if (cli_opt(argc, argv, &i, "--db", &db, &missing) ||
            cli_opt(argc, argv, &i, "--as", &user, &missing)) {
            if (missing)
                return publish_usage("publish: an option needs a value");
        } else if (argv[i][0] == '-' || path != NULL) {
            return usage_error("policy", "publish: unknown argument '%s'",
                               argv[i]);
        } else {
            path = argv[i];
        }
    }
    if (db == NULL || path == NULL)
        return publish_usage("publish needs --db FILE and a POLICY file");
    text = read_input(path, SARHAD_POLICY_MAX_LEN, &len);
    if (text == NULL)
        return 1;
    store = cli_open_store("policy", db, false, false, NULL);
    ledger = store != NULL ? cli_open_ledger("policy", store) : NULL;
    if (ledger == NULL) {
        sarhad_store_close(store);
        free(text);
        return 1;
    }
    cli_actor(&who, user, "admin", "");
    issues = xmalloc(PUBLISH_MAX_ISSUES * sizeof(*issues));
    sarhad_error_clear(&err);
    s = sarhad_ledger_policy_publish(ledger, path, text, len, &who,
                                     (int64_t)time(NULL), &info, issues,
                                     PUBLISH_MAX_ISSUES, &count, &err);
    print_issues(path, issues, count);
    if (s == SARHAD_OK)
        printf("published %s version %d as publication %d (sha256 %.16s...)\n",
               info.name, info.version, info.number, info.sha256);
    else if (s == SARHAD_EFORMAT && err.line > 0)
        fprintf(stderr, "sarhad policy: %s\n", err.message); /* FILE:L:C */
    else
        cli_fail("policy", path, &err);
    free(issues);
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
    free(text);
    return s == SARHAD_OK ? 0 : 1;
}

static bool
print_publication(void *ctx, const struct sarhad_policy_info *p)
{
    (void)ctx;
    printf("%-4d %-24s %-7d %-25s %-16s %-7s %.16s  %s\n", p->number, p->name,
           p->version, p->published_at, p->published_by,
           p->is_current ? "current" : "", p->sha256, p->filename);
    return true;
}

int
policy_list(int argc, char **argv)
{
    const char *db = NULL;
    struct sarhad_store *store;
    struct sarhad_error err;
    enum sarhad_status s;
    bool missing = false;

    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            puts("usage: sarhad policy list --db FILE\n"
                 "The post's policy publications, oldest first: number, "
                 "name,\nversion, when and by whom, which is current, the "
                 "text's\nSHA-256 and the file it was published from.");
            return 0;
        }
        if (!cli_opt(argc, argv, &i, "--db", &db, &missing) || missing)
            return usage_error("policy", "list: unknown argument '%s'",
                               argv[i]);
    }
    if (db == NULL)
        return usage_error("policy", "list needs --db FILE");
    store = cli_open_store("policy", db, false, true, NULL);
    if (store == NULL)
        return 1;
    printf("%-4s %-24s %-7s %-25s %-16s %-7s %-16s  %s\n", "no", "name",
           "version", "published", "by", "", "sha256", "file");
    sarhad_error_clear(&err);
    s = sarhad_ledger_policy_list(store, print_publication, NULL, &err);
    sarhad_store_close(store);
    if (s != SARHAD_OK) {
        cli_fail("policy", db, &err);
        return 1;
    }
    return 0;
}
