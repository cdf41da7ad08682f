/*
 * ledger_cli.c - helpers shared by the ledger's verbs: opening stores and
 * ledgers with messages an operator can act on, the command-line actor,
 * option parsing, and finding the shipped policy file.
 */
#include "ledger_cli.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

/* What a supervisor's command line asked for. */
struct outcome_options {
    const char *db, *reason, *user;
    long long id;
    enum sarhad_outcome outcome;
};

/* Read verb's command line into *o.  Returns -1 to go on, else the exit
 * status: 0 after --help (usage, then help), EXIT_USAGE after saying what
 * is wrong. */
static int
parse_outcome_options(struct outcome_options *o, const char *verb, int argc,
                      char **argv, const char *help)
{
    const char *id_text = NULL;
    bool missing = false;
    char *end;

    memset(o, 0, sizeof(*o));
    o->outcome = SARHAD_REFER;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            printf("usage: sarhad %s --db FILE ID --admit|--refuse "
                   "--reason TEXT [--as USER]\n%s",
                   verb, help);
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &o->db, &missing) ||
                   cli_opt(argc, argv, &i, "--reason", &o->reason, &missing) ||
                   cli_opt(argc, argv, &i, "--as", &o->user, &missing)) {
            if (missing)
                return usage_error(verb, "%s needs a value", argv[i]);
        } else if (strcmp(argv[i], "--admit") == 0 ||
                   strcmp(argv[i], "--refuse") == 0) {
            if (o->outcome != SARHAD_REFER)
                return usage_error(verb, "give --admit or --refuse once");
            o->outcome = argv[i][2] == 'a' ? SARHAD_ADMIT : SARHAD_REFUSE;
        } else if (argv[i][0] != '-' && id_text == NULL) {
            id_text = argv[i];
        } else {
            return usage_error(verb, "unknown argument '%s'", argv[i]);
        }
    }
    if (o->db == NULL || id_text == NULL)
        return usage_error(verb, "--db and the attempt ID are required");
    if (o->outcome == SARHAD_REFER)
        return usage_error(verb, "--admit or --refuse is required");
    if (o->reason == NULL)
        return usage_error(verb, "--reason is required");
    o->id = strtoll(id_text, &end, 10);
    if (*end != '\0' || o->id <= 0)
        return usage_error(verb, "ID must be an attempt number");
    return -1;
}

int
cli_supervisor_outcome(const char *verb, int argc, char **argv,
                       const char *help, supervisor_outcome_fn apply,
                       const char *done)
{
    struct outcome_options o;
    struct sarhad_store *store;
    struct sarhad_ledger *ledger;
    struct sarhad_actor who;
    struct sarhad_error err;
    int64_t seq = 0;
    int rc = parse_outcome_options(&o, verb, argc, argv, help);

    if (rc >= 0)
        return rc;
    rc = 0;
    store = cli_open_store(verb, o.db, false, false, NULL);
    if (store == NULL)
        return 1;
    ledger = cli_open_ledger(verb, store);
    if (ledger == NULL) {
        sarhad_store_close(store);
        return 1;
    }
    cli_actor(&who, o.user, "supervisor", "");
    if (apply(ledger, o.id, o.outcome, o.reason, &who, (int64_t)time(NULL),
              &seq, &err) != SARHAD_OK) {
        cli_fail(verb, NULL, &err);
        rc = 1;
    } else {
        printf("attempt %lld %s: %s (audit entry %lld)\n", o.id, done,
               sarhad_outcome_name(o.outcome), (long long)seq);
    }
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
    return rc;
}
