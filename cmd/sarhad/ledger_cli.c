/*
 * ledger_cli.c - helpers shared by the ledger's verbs: opening stores and
 * ledgers with messages an operator can act on, the command-line actor,
 * option parsing, and finding the shipped policy file.
 */
#include "ledger_cli.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
cli_fail(const char *verb, const char *path, const struct sarhad_error *err)
{
    fprintf(stderr, "sarhad %s: ", verb);
    print_error(path, err);
}

struct sarhad_store *
cli_open_store(const char *verb, const char *path, bool create, bool read_only,
               const char *sync)
{
    struct sarhad_store_options opt = {create, read_only, sync};
    struct sarhad_store *store = NULL;
    struct sarhad_error err;

    if (sarhad_store_open(&store, path, &opt, &err) != SARHAD_OK) {
        cli_fail(verb, path, &err);
        return NULL;
    }
    return store;
}

struct sarhad_ledger *
cli_open_ledger(const char *verb, struct sarhad_store *store)
{
    struct sarhad_ledger *ledger = NULL;
    struct sarhad_error err;

    if (sarhad_ledger_open(&ledger, store, &err) != SARHAD_OK) {
        cli_fail(verb, NULL, &err);
        return NULL;
    }
    return ledger;
}

void
cli_actor(struct sarhad_actor *out, const char *user, const char *role,
          const char *post)
{
    const char *env = getenv("USER");

    memset(out, 0, sizeof(*out));
    if (user == NULL)
        user = env != NULL && env[0] != '\0' ? env : "cli";
    snprintf(out->user, sizeof(out->user), "%s", user);
    snprintf(out->role, sizeof(out->role), "%s", role);
    snprintf(out->post, sizeof(out->post), "%s", post != NULL ? post : "");
}

bool
cli_date(const char *verb, const char *opt, const char *text,
         struct sarhad_date *out)
{
    struct sarhad_error err;

    if (sarhad_date_parse(out, text, strlen(text), &err) != SARHAD_OK) {
        fprintf(stderr, "sarhad %s: %s: expected a date YYYY-MM-DD\n", verb,
                opt);
        return false;
    }
    return true;
}

bool
cli_opt(int argc, char **argv, int *i, const char *name, const char **value,
        bool *missing)
{
    if (strcmp(argv[*i], name) != 0)
        return false;
    if (*i + 1 >= argc) {
        *missing = true;
        return true;
    }
    *value = argv[++*i];
    return true;
}

static char *
try_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        n > SARHAD_POLICY_MAX_LEN || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = xmalloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

char *
cli_shipped_policy(size_t *len, const char **path_out)
{
    static char found[PATH_MAX + 64];
    static const char *const rel[] = {"/../policies/pakistan.policy",
                                      "/../../policies/pakistan.policy",
                                      "/../share/sarhad/pakistan.policy"};
    char exe[PATH_MAX];
    ssize_t n;
    char *text;

    if ((text = try_read("policies/pakistan.policy", len)) != NULL) {
        *path_out = "policies/pakistan.policy";
        return text;
    }
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        char *slash;
        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (slash != NULL)
            *slash = '\0';
        for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
            snprintf(found, sizeof(found), "%s%s", exe, rel[i]);
            if ((text = try_read(found, len)) != NULL) {
                *path_out = found;
                return text;
            }
        }
    }
    return NULL;
}

void
cli_progress_bar(void *ctx, uint64_t done, uint64_t total)
{
    int width = 40, filled = (int)(total ? done * (uint64_t)width / total : 0);

    (void)ctx;
    fprintf(stderr, "\r[%.*s%*s] %llu/%llu", filled,
            "########################################", width - filled, "",
            (unsigned long long)done, (unsigned long long)total);
    if (done == total)
        fputc('\n', stderr);
}
