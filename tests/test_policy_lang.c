/*
 * test_policy_lang.c - the policy language: what compiles, what does not
 * and where the error points (line:col and the words of the message), the
 * checker's findings, and that a failed compile under any allocation
 * failure leaks nothing.
 */
#include <stdlib.h>

#include "policy_fixtures.h"
#include "test.h"

#define HEADER "policy \"t\" version 3\n"

static enum sarhad_status
compile(const char *text, struct sarhad_error *err)
{
    struct sarhad_policy *p = NULL;
    enum sarhad_status st;

    sarhad_error_clear(err);
    st = sarhad_policy_compile(&p, "t.policy", text, strlen(text), err);
    if (st == SARHAD_OK && p == NULL)
        return SARHAD_EINVAL;
    if (st != SARHAD_OK && p != NULL)
        return SARHAD_EINVAL;
    sarhad_policy_free(p);
    return st;
}

/* The compile error of text is at line:col and its message holds want. */
static int
error_is(const char *text, unsigned line, unsigned col, const char *want)
{
    struct sarhad_error err;
    enum sarhad_status st = compile(text, &err);

    if (st != SARHAD_EFORMAT && st != SARHAD_ETOOBIG) {
        fprintf(stderr, "compiled: %s\n", text);
        return 0;
    }
    if (err.line != line || err.col != col ||
        strstr(err.message, want) == NULL) {
        fprintf(stderr, "got %u:%u %s\n", err.line, err.col, err.message);
        return 0;
    }
    return 1;
}

TEST(policy_compiles_header_and_rule)
{
    struct sarhad_policy *p = NULL;
    const char *text = HEADER "screen-threshold 70\n"
                              "rule r1 \"title\"\n"
                              "  at TORKHAM, CHAMAN   # comment\n"
                              "  accept passport (not-expired) and visa\n"
                              "  admit zone parking\n"
                              "end\n";

    ASSERT_OK(sarhad_policy_compile(&p, "t", text, strlen(text), NULL));
    ASSERT_EQ_STR("t", sarhad_policy_name(p));
    ASSERT_EQ_INT(3, sarhad_policy_version(p));
    ASSERT_EQ_INT(70, sarhad_policy_screen_threshold(p));
    ASSERT_EQ_INT(1, sarhad_policy_rule_count(p));
    sarhad_policy_free(p);
    sarhad_policy_free(NULL);
}

TEST(policy_errors_point_at_line_and_column)
{
    ASSERT(error_is("", 1, 1, "expected 'policy \"NAME\" version N'"));
    ASSERT(
        error_is("rule x\nend\n", 1, 1, "'policy \"NAME\" version N' first"));
    ASSERT(error_is("policy t version 1\n", 1, 8, "policy's name in double"));
    ASSERT(error_is("policy \"t\" version x\n", 1, 20, "a version number"));
    ASSERT(error_is(HEADER "rule a\n  from 2023-02-30\n  admit\nend\n", 3, 8,
                    "expected a date YYYY-MM-DD"));
    ASSERT(error_is(HEADER "rule a\n  at TORKHUM\n  admit\nend\n", 3, 6,
                    "unknown crossing code 'TORKHUM'"));
    ASSERT(error_is(HEADER "rule a\n  accept pasport\n  admit\nend\n", 3, 10,
                    "unknown document kind 'pasport'"));
    ASSERT(error_is(HEADER "rule a\n  accept visa (colour red)\n  admit\nend\n",
                    3, 16, "expected a document condition"));
    ASSERT(error_is(HEADER "rule a\n  accept visa (not-expired\n  admit\nend\n",
                    3, 27, "expected ';' between conditions or ')'"));
    ASSERT(
        error_is(HEADER "rule a\n  admit\n", 2, 1, "this rule has no 'end'"));
    ASSERT(error_is(HEADER "rule a\n  at TORKHAM\nend\n", 4, 1,
                    "expected an outcome"));
    ASSERT(error_is(HEADER "rule a\n  refuse\nend\n", 4, 1,
                    "needs a reason line"));
    ASSERT(error_is(HEADER "rule a\n  admit\n  refuse\nend\n", 4, 3,
                    "one outcome"));
    ASSERT(error_is(HEADER "rule a\n  admit\nend\nrule a\n  admit\nend\n", 5, 6,
                    "rule id 'a' is already used"));
    ASSERT(error_is(HEADER "rule a\n  reason x \"unterminated\n  admit\nend\n",
                    3, 12, "unterminated string"));
    ASSERT(error_is(HEADER "rule a\n  colour red\n  admit\nend\n", 3, 3,
                    "expected a rule clause"));
    ASSERT(error_is(HEADER "rule a\n  from 2020-01-01 2021-01-01\n  admit\n"
                           "end\n",
                    3, 19, "expected the end of the line"));
    ASSERT(error_is(HEADER "rule a\n  during 2023-06-26 2023-07-02\n  admit\n"
                           "end\n",
                    3, 21, "'..' between the first and last day"));
    ASSERT(error_is(HEADER "rule a\n  age 18 or-under\n  admit\nend\n", 3, 10,
                    "'or-over' or '..'"));
    ASSERT(error_is(HEADER "rule a\n  at TORKHAM\n  at CHAMAN\n  admit\nend\n",
                    4, 6, "'at' was already given"));
    ASSERT(error_is(HEADER "fines\n  up-to 27 days usd 50\n  up-to 13 days "
                           "usd 0\nend\n",
                    4, 9, "fine rows must go up"));
    ASSERT(error_is(HEADER "screen-threshold 101\n", 2, 18, "out of range"));
    ASSERT(error_is(HEADER "number-format tazkira \"***\"\n", 2, 23,
                    "at most two '*'"));
    ASSERT(error_is(HEADER "rule a\n  reason x \"\xd8\xb3\" y\n  admit\nend\n",
                    3, 16, "expected the end of the line"));
    ASSERT(error_is(HEADER "rule a\n  admit zone this-zone-name-is-too-long\n"
                           "end\n",
                    3, 3, "at most 23"));
}

TEST(policy_error_names_file_and_rule)
{
    struct sarhad_error err;

    ASSERT_EQ_INT(
        SARHAD_EFORMAT,
        compile(HEADER "rule chaman-x\n  at CHAMEN\n  admit\nend\n", &err));
    ASSERT_EQ_STR("chaman-x", err.field);
    ASSERT(strncmp(err.message, "t.policy:3:6: ", 14) == 0);
}

TEST(policy_compile_rejects_bad_arguments_and_sizes)
{
    struct sarhad_policy *p = (struct sarhad_policy *)&p;
    struct sarhad_error err;

    ASSERT_EQ_INT(SARHAD_EINVAL, sarhad_policy_compile(NULL, "t", "", 0, &err));
    ASSERT_EQ_INT(SARHAD_ETOOBIG,
                  sarhad_policy_compile(&p, "t", HEADER,
                                        SARHAD_POLICY_MAX_LEN + 1, &err));
    ASSERT(p == NULL);
}

static unsigned
lint(const char *text, struct sarhad_lint_issue *issues, unsigned cap)
{
    struct sarhad_policy *p = NULL;
    unsigned n;

    if (sarhad_policy_compile(&p, "t", text, strlen(text), NULL) != SARHAD_OK)
        return 999;
    n = sarhad_policy_lint(p, issues, cap);
    sarhad_policy_free(p);
    return n;
}

TEST(policy_lint_finds_backwards_dates_and_unreachable_rules)
{
    struct sarhad_lint_issue is[8];

    ASSERT_EQ_INT(1, lint(HEADER "rule a\n  from 2024-01-01\n  until "
                                 "2023-01-01\n  admit\nend\n",
                          is, 8));
    ASSERT_EQ_STR("dates_backwards", is[0].code);
    ASSERT_EQ_INT(4, is[0].line);
    ASSERT(is[0].is_error);
    ASSERT_EQ_INT(1, lint(HEADER "rule a\n  during 2023-07-02..2023-06-26\n"
                                 "  admit\nend\n",
                          is, 8));
    ASSERT_EQ_STR("dates_backwards", is[0].code);
    ASSERT_EQ_INT(1, lint(HEADER "rule a\n  until 2020-01-01\n  during "
                                 "2023-06-26..2023-07-02\n  admit\nend\n",
                          is, 8));
    ASSERT_EQ_STR("never_in_force", is[0].code);
    /* A blanket refusal shadows a narrower rule below it. */
    ASSERT_EQ_INT(1, lint(HEADER "rule all\n  from 2023-11-01\n  refuse\n"
                                 "  reason r \"no\"\nend\n"
                                 "rule later\n  at CHAMAN\n  from 2024-07-01\n"
                                 "  accept cnic\n  admit\nend\n",
                          is, 8));
    ASSERT_EQ_STR("unreachable", is[0].code);
    ASSERT_EQ_INT(7, is[0].line);
    ASSERT(strstr(is[0].message, "rule all (line 2)") != NULL);
    /* ... but not when the blanket rule is narrower in one respect. */
    ASSERT_EQ_INT(0, lint(HEADER "rule all\n  from 2023-11-01\n  direction "
                                 "entry\n  refuse\n  reason r \"no\"\nend\n"
                                 "rule later\n  from 2024-07-01\n"
                                 "  direction exit\n  admit\nend\n",
                          is, 8));
}

TEST(policy_lint_finds_order_dependent_overlaps)
{
    struct sarhad_lint_issue is[8];
    const char *overlap = HEADER "rule a\n  at TORKHAM\n  refuse\n"
                                 "  reason r \"no\"\nend\n"
                                 "rule b\n  nationality AFG\n"
                                 "  admit\nend\n";
    const char *exception = HEADER "rule a\n  at TORKHAM\n  exception\n"
                                   "  refuse\n  reason r \"no\"\nend\n"
                                   "rule b\n  nationality AFG\n"
                                   "  admit\nend\n";
    const char *specific_first = HEADER "rule a\n  at TORKHAM\n"
                                        "  nationality AFG\n  refuse\n"
                                        "  reason r \"no\"\nend\n"
                                        "rule b\n  nationality AFG\n"
                                        "  admit\nend\n";
    const char *same_docs = HEADER "rule a\n  at TORKHAM\n  accept cnic\n"
                                   "  refuse\n  reason r \"no\"\nend\n"
                                   "rule b\n  nationality not AFG\n"
                                   "  accept cnic\n  admit\nend\n";

    ASSERT_EQ_INT(1, lint(overlap, is, 8));
    ASSERT_EQ_STR("overlap", is[0].code);
    ASSERT(!is[0].is_error);
    ASSERT_EQ_INT(7, is[0].line);
    ASSERT_EQ_INT(0, lint(exception, is, 8));
    ASSERT_EQ_INT(0, lint(specific_first, is, 8));
    ASSERT_EQ_INT(1, lint(same_docs, is, 8));
    /* the count is complete even when the buffer is short */
    ASSERT_EQ_INT(1, lint(same_docs, is, 0));
}

TEST(policy_shipped_policies_lint_clean)
{
    struct sarhad_policy *p = fx_load("policies/pakistan.policy");
    struct sarhad_lint_issue is[4];

    ASSERT(p != NULL);
    ASSERT_EQ_INT(0, sarhad_policy_lint(p, is, 4));
    ASSERT(sarhad_policy_rule_count(p) > 30);
    sarhad_policy_free(p);
    p = fx_load("policies/what-if-easement-restored.policy");
    ASSERT(p != NULL);
    ASSERT_EQ_INT(0, sarhad_policy_lint(p, is, 4));
    sarhad_policy_free(p);
}

TEST(policy_compile_alloc_failure_sweep)
{
    static char text[1 << 20];
    FILE *f = fopen("policies/pakistan.policy", "rb");
    size_t len;
    long live = test_alloc_live();
    long n;

    ASSERT(f != NULL);
    len = fread(text, 1, sizeof(text), f);
    fclose(f);
    for (n = 1;; n++) {
        struct sarhad_policy *p = NULL;
        struct sarhad_error err;
        enum sarhad_status st;
        test_alloc_fail_at(n);
        st = sarhad_policy_compile(&p, "p", text, len, &err);
        test_alloc_fail_at(0);
        if (st == SARHAD_OK) {
            ASSERT(p != NULL);
            sarhad_policy_free(p);
            ASSERT_EQ_INT(live, test_alloc_live());
            break;
        }
        ASSERT_EQ_INT(SARHAD_ENOMEM, st);
        ASSERT(p == NULL);
        ASSERT_EQ_INT(live, test_alloc_live());
    }
    ASSERT(n > 2);
}
