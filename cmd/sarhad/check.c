/*
 * check.c - `sarhad check --policy FILE [PRESENTATION.json]`: decides
 * presentations without recording them.  The input is one presentation
 * (pretty-printed or not) or JSON lines of them; each decision is printed as
 * one line of JSON.  A refusal is an answer (exit 0); bad input is reported
 * with its line and field and makes the exit status 1, the other lines
 * being decided all the same.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

SARHAD_VERB(check, "decide presentations against a policy (no record)")

/* A stream of presentations; each one is capped by the library. */
#define CHECK_INPUT_CAP (256u << 20)

static void
usage(FILE *out)
{
    fputs("usage: sarhad check --policy FILE [PRESENTATION.json]\n"
          "Reads one presentation, or JSON lines of them, from the file\n"
          "(stdin when absent or '-') and prints one decision JSON per\n"
          "presentation.  Exit 0 when every input was decided (whatever the\n"
          "decisions), 1 when the policy or an input was bad, 2 on usage\n"
          "errors.\n",
          out);
}

struct sarhad_policy *load_policy(const char *path);

/* Read and compile a policy file; prints the error and returns NULL. */
struct sarhad_policy *
load_policy(const char *path)
{
    struct sarhad_policy *policy = NULL;
    struct sarhad_error err;
    size_t len;
    char *text = read_input(path, SARHAD_POLICY_MAX_LEN, &len);

    if (text == NULL)
        return NULL;
    sarhad_error_clear(&err);
    if (sarhad_policy_compile(&policy, path, text, len, &err) != SARHAD_OK) {
        fprintf(stderr, "%s\n",
                err.line > 0 ? err.message : sarhad_strerror(err.code));
        if (err.line == 0)
            fprintf(stderr, "sarhad: %s: %s\n", path, err.message);
    }
    free(text);
    return policy;
}

static int
decide_one(const struct sarhad_policy *policy, const char *name, unsigned line,
           const char *json, size_t len, char **buf, size_t *cap)
{
    struct sarhad_presentation pr;
    struct sarhad_decision d;
    struct sarhad_error err;
    size_t need;

    sarhad_error_clear(&err);
    if (sarhad_presentation_parse(&pr, json, len, &err) != SARHAD_OK) {
        if (line > 0) {
            fprintf(stderr, "%s:%u", name, line);
            if (err.col > 0)
                fprintf(stderr, ":%u", err.col);
            if (err.field[0] != '\0')
                fprintf(stderr, ": %s", err.field);
            fprintf(stderr, ": %s\n", err.message);
        } else {
            print_error(name, &err);
        }
        return 1;
    }
    if (sarhad_policy_decide(&d, policy, &pr, NULL, NULL, &err) != SARHAD_OK) {
        print_error(name, &err);
        return 1;
    }
    need = sarhad_decision_json(*buf, *cap, &d);
    if (need >= *cap) {
        *cap = need + 1;
        *buf = xrealloc(*buf, *cap);
        sarhad_decision_json(*buf, *cap, &d);
    }
    fputs(*buf, stdout);
    fputc('\n', stdout);
    return 0;
}

/* JSON lines when the first non-blank line is a whole object by itself. */
static bool
is_json_lines(const char *text, size_t len)
{
    size_t i = 0, end;

    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' ||
                       text[i] == '\r'))
        i++;
    end = i;
    while (end < len && text[end] != '\n')
        end++;
    while (end > i && (text[end - 1] == ' ' || text[end - 1] == '\r' ||
                       text[end - 1] == '\t'))
        end--;
    return end - i >= 2 && text[i] == '{' && text[end - 1] == '}' && end < len;
}

int
cmd_check(int argc, char **argv)
{
    const char *policy_path = NULL, *input = NULL;
    struct sarhad_policy *policy;
    char *text, *buf;
    size_t len, cap = 4096;
    int status = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--policy") == 0 && i + 1 < argc) {
            policy_path = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage_error("check", "unknown option '%s'", argv[i]);
        } else if (input == NULL) {
            input = argv[i];
        } else {
            return usage_error("check", "one input file at most");
        }
    }
    if (policy_path == NULL)
        return usage_error("check", "--policy FILE is required");
    policy = load_policy(policy_path);
    if (policy == NULL)
        return 1;
    text = read_input(input, CHECK_INPUT_CAP, &len);
    if (text == NULL) {
        sarhad_policy_free(policy);
        return 1;
    }
    buf = xmalloc(cap);
    if (!is_json_lines(text, len)) {
        status = decide_one(policy, input ? input : "<stdin>", 0, text, len,
                            &buf, &cap);
    } else {
        size_t start = 0;
        unsigned line = 1;
        while (start < len) {
            size_t end = start;
            bool blank = true;
            while (end < len && text[end] != '\n') {
                if (text[end] != ' ' && text[end] != '\t' && text[end] != '\r')
                    blank = false;
                end++;
            }
            if (!blank &&
                decide_one(policy, input ? input : "<stdin>", line,
                           text + start, end - start, &buf, &cap) != 0)
                status = 1;
            start = end + 1;
            line++;
        }
    }
    free(buf);
    free(text);
    sarhad_policy_free(policy);
    return status;
}
