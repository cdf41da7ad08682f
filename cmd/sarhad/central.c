/*
 * central.c - `sarhad central init|status|verify|publish`: the national
 * central store (PostgreSQL) as an operator sees it.  init creates or
 * upgrades its tables (safe to run again), status says how far each post
 * has pushed, verify recomputes every post's chain from the central's
 * copy, publish puts the ministry's signed bundles there for the posts to
 * take (`sarhad pull`, or a server's push thread).  The
 * connection string comes from --central or from $SARHAD_CENTRAL, so a
 * password need not be on the command line.
 */
#include "ledger_cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

SARHAD_VERB(central, "the national store: init, status, verify, publish")

static void
usage(FILE *out)
{
    fputs("usage: sarhad central init   [--central CONNINFO]\n"
          "       sarhad central status [--central CONNINFO] [--table]\n"
          "       sarhad central verify [--central CONNINFO]\n"
          "       sarhad central publish [--central CONNINFO] [--key PUBLIC]"
          " BUNDLE...\n"
          "CONNINFO is a libpq connection string (\"host=central.example"
          " dbname=sarhad\n"
          "user=post\") or URI; without --central it is read from"
          " $SARHAD_CENTRAL.\n"
          "init creates or upgrades the central's tables (run it again"
          " freely).\n"
          "status prints each post as a JSON line (or a table): its last"
          " entry,\n"
          "when that was recorded and when the post last pushed.\n"
          "verify recomputes every post's audit chain from the central's"
          " copy and\n"
          "exits 1 naming the first bad (post, entry).\n"
          "publish puts signed bundles in the central for every post to take"
          " (each\n"
          "post checks the signature against the key it trusts); with --key,"
          " only\n"
          "bundles that key signed are published.\n",
          out);
}

const char *
central_conninfo(const char *option)
{
    const char *env = getenv("SARHAD_CENTRAL");

    if (option != NULL)
        return option;
    return env != NULL && env[0] != '\0' ? env : NULL;
}

struct sarhad_central *
central_connect(const char *verb, const char *conninfo)
{
    struct sarhad_central *central = NULL;
    struct sarhad_error err;

    sarhad_error_clear(&err);
    if (sarhad_central_open(&central, conninfo, &err) != SARHAD_OK) {
        cli_fail(verb, NULL, &err);
        return NULL;
    }
    return central;
}

static int
central_init(struct sarhad_central *central)
{
    struct sarhad_error err;
    int version = 0;

    sarhad_error_clear(&err);
    if (sarhad_central_migrate(central, &version, &err) != SARHAD_OK) {
        cli_fail("central init", NULL, &err);
        return 1;
    }
    printf("central schema at version %d\n", version);
    return 0;
}

static bool
print_post_json(void *ctx, const struct sarhad_central_post *p)
{
    json_t *doc = json_pack(
        "{s:s, s:I, s:s?, s:s, s:I, s:I, s:b, s:s?, s:I, s:I}", "post", p->post,
        "last_seq", (json_int_t)p->last_seq, "last_event_at",
        p->last_event_at[0] ? p->last_event_at : NULL, "last_push_at",
        p->last_push_at, "since_push", (json_int_t)p->since_push, "checkpoints",
        (json_int_t)p->checkpoints, "key", p->has_key, "policy",
        p->policy[0] ? p->policy : NULL, "policy_bundle",
        (json_int_t)p->policy_bundle, "watchlist_bundle",
        (json_int_t)p->watchlist_bundle);

    (void)ctx;
    json_dumpf(doc, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(doc);
    return true;
}

static bool
print_post_row(void *ctx, const struct sarhad_central_post *p)
{
    bool *header = ctx;

    if (!*header) {
        printf("%-15s %10s  %-20s  %-20s  %11s  %-16s %s\n", "post", "last seq",
               "last event (UTC)", "last push (UTC)", "checkpoints", "policy",
               "bundles (policy, list)");
        *header = true;
    }
    printf("%-15s %10lld  %-20s  %-20s  %11lld  %-16s %lld, %lld\n", p->post,
           (long long)p->last_seq, p->last_event_at[0] ? p->last_event_at : "-",
           p->last_push_at, (long long)p->checkpoints,
           p->policy[0] ? p->policy : "-", (long long)p->policy_bundle,
           (long long)p->watchlist_bundle);
    return true;
}

static int
central_status(struct sarhad_central *central, bool table)
{
    struct sarhad_error err;
    bool header = false;
    enum sarhad_status s;

    sarhad_error_clear(&err);
    s = sarhad_central_status(central, table ? print_post_row : print_post_json,
                              &header, &err);
    if (s != SARHAD_OK) {
        cli_fail("central status", NULL, &err);
        return 1;
    }
    return 0;
}

static int
central_verify(struct sarhad_central *central)
{
    struct sarhad_central_report r;
    struct sarhad_error err;

    sarhad_error_clear(&err);
    if (sarhad_central_verify(central, &r, &err) != SARHAD_OK) {
        cli_fail("central verify", NULL, &err);
        return 1;
    }
    if (!r.ok) {
        fprintf(stderr, "sarhad central verify: post %s entry %lld: %s\n",
                r.post, (long long)r.first_bad, r.problem);
        return 1;
    }
    printf("central: sound (%lld posts, %lld entries, %lld checkpoints)\n",
           (long long)r.posts, (long long)r.checked, (long long)r.checkpoints);
    return 0;
}

static int
central_publish(struct sarhad_central *central, const char *key_path,
                char **files, int nfiles)
{
    unsigned char pub[32];
    struct sarhad_bundle_info b;
    struct sarhad_error err;
    bool added = false;
    int rc = 0;

    if (key_path != NULL && !cli_public_key(key_path, pub, NULL))
        return 1;
    for (int i = 0; i < nfiles; i++) {
        size_t len;
        char *data = read_input(
            files[i], SARHAD_BUNDLE_PAYLOAD_MAX + SARHAD_BUNDLE_HEADER_MAX,
            &len);

        if (data == NULL) {
            rc = 1;
            continue;
        }
        sarhad_error_clear(&err);
        if (sarhad_central_publish(central, data, len,
                                   key_path != NULL ? pub : NULL, &b, &added,
                                   &err) != SARHAD_OK) {
            cli_fail("central publish", files[i], &err);
            rc = 1;
        } else {
            printf("%s %s bundle %lld (%s) from key %s\n",
                   added ? "published" : "already published",
                   sarhad_bundle_kind_name(b.kind), (long long)b.serial, b.name,
                   b.issuer);
        }
        free(data);
    }
    return rc;
}

/* What the command line asked for. */
struct central_options {
    const char *what; /* init, status, verify or publish */
    const char *conninfo, *key;
    bool table;
    char **files; /* publish's bundles */
    int nfiles;
};

/* Read the options after the command (argv[2] on) into *o, which holds
 * room for the files.  Returns 0 to go on, -1 after --help, else
 * EXIT_USAGE after saying what is wrong. */
static int
parse_options(struct central_options *o, int argc, char **argv)
{
    const char *option = NULL;
    bool publish = strcmp(o->what, "publish") == 0, missing = false;

    if (strcmp(o->what, "init") != 0 && strcmp(o->what, "status") != 0 &&
        strcmp(o->what, "verify") != 0 && !publish)
        return usage_error("central", "unknown command '%s'", o->what);
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return -1;
        } else if (cli_opt(argc, argv, &i, "--central", &option, &missing) ||
                   (publish &&
                    cli_opt(argc, argv, &i, "--key", &o->key, &missing))) {
            if (missing)
                return usage_error("central", "%s needs a value", argv[i]);
        } else if (strcmp(argv[i], "--table") == 0 &&
                   strcmp(o->what, "status") == 0) {
            o->table = true;
        } else if (publish && argv[i][0] != '-') {
            o->files[o->nfiles++] = argv[i];
        } else {
            return usage_error("central", "unknown argument '%s'", argv[i]);
        }
    }
    if (publish && o->nfiles == 0)
        return usage_error("central", "publish needs a BUNDLE file");
    o->conninfo = central_conninfo(option);
    if (o->conninfo == NULL)
        return usage_error("central", "--central CONNINFO or $SARHAD_CENTRAL"
                                      " is required");
    return 0;
}

/* Connect and do the command; the exit status. */
static int
run(const struct central_options *o)
{
    struct sarhad_central *central = central_connect("central", o->conninfo);
    int rc;

    if (central == NULL)
        return 1;
    if (strcmp(o->what, "init") == 0)
        rc = central_init(central);
    else if (strcmp(o->what, "status") == 0)
        rc = central_status(central, o->table);
    else if (strcmp(o->what, "verify") == 0)
        rc = central_verify(central);
    else
        rc = central_publish(central, o->key, o->files, o->nfiles);
    sarhad_central_close(central);
    return rc;
}

int
cmd_central(int argc, char **argv)
{
    struct central_options o;
    int rc;

    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    memset(&o, 0, sizeof(o));
    o.what = argv[1];
    o.files = xmalloc((size_t)argc * sizeof(*o.files));
    rc = parse_options(&o, argc, argv);
    if (rc == 0)
        rc = run(&o);
    free(o.files);
    return rc < 0 ? 0 : rc;
}
