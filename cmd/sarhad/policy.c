/*
 * policy.c - `sarhad policy lint FILE`: compiles a policy and runs the
 * checker over it, printing every finding as FILE:LINE:COL: severity: code:
 * message, the form editors and CI understand.  `policy publish` and
 * `policy list` work on a post's store (policy_store.c).
 */
#include "ledger_cli.h"

#include <stdlib.h>
#include <string.h>

SARHAD_VERB(policy, "check, publish and list policies (lint|publish|list)")

#define LINT_MAX_ISSUES 500

struct sarhad_policy *load_policy(const char *path);

static void
usage(FILE *out)
{
    fputs("usage: sarhad policy lint [--strict] FILE\n"
          "       sarhad policy publish --db FILE [--as USER] POLICY\n"
          "       sarhad policy list --db FILE\n"
          "lint compiles the policy and reports, as FILE:LINE:COL, syntax "
          "errors,\n"
          "unknown crossing codes and document kinds, dates that run\n"
          "backwards, rules that can never fire (errors) and rules whose\n"
          "order decides between different outcomes (warnings).\n"
          "Exit 0 when clean (warnings allowed unless --strict), 1 when not,\n"
          "2 on usage errors.  publish and list: see their --help.\n",
          out);
}

int
cmd_policy(int argc, char **argv)
{
    const char *path = NULL;
    bool strict = false;
    struct sarhad_policy *policy;
    struct sarhad_lint_issue *issues;
    unsigned count, errors = 0;

    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "publish") == 0)
        return policy_publish(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return policy_list(argc, argv);
    if (argc < 2 || strcmp(argv[1], "lint") != 0)
        return usage_error("policy", "expected lint, publish or list");
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--strict") == 0)
            strict = true;
        else if (path == NULL)
            path = argv[i];
        else
            return usage_error("policy", "one policy file at a time");
    }
    if (path == NULL)
        return usage_error("policy", "lint needs a FILE");
    policy = load_policy(path);
    if (policy == NULL)
        return 1;
    issues = xmalloc(LINT_MAX_ISSUES * sizeof(*issues));
    count = sarhad_policy_lint(policy, issues, LINT_MAX_ISSUES);
    for (unsigned i = 0; i < count && i < LINT_MAX_ISSUES; i++) {
        printf("%s:%u:%u: %s: %s: %s\n", path, issues[i].line, issues[i].col,
               issues[i].is_error ? "error" : "warning", issues[i].code,
               issues[i].message);
        if (issues[i].is_error || strict)
            errors++;
    }
    if (count > LINT_MAX_ISSUES)
        printf("%s: %u more findings not shown\n", path,
               count - LINT_MAX_ISSUES);
    if (count == 0)
        printf("%s: %u rules, no findings\n", path,
               sarhad_policy_rule_count(policy));
    free(issues);
    sarhad_policy_free(policy);
    return errors > 0 ? 1 : 0;
}
