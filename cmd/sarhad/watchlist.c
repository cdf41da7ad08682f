/*
 * watchlist.c - `sarhad watchlist import|list|versions`: importing a list
 * (CSV or the UN consolidated XML) as a new version of the post's
 * watchlist, and showing what is stored.
 */
#include "cmd.h"

#include <stdio.h>

#include <time.h>

#include <stdlib.h>
#include <string.h>

/* The command line acts as the operating-system user, with the admin role
 * (whoever can write the store's file administers it). */
static enum sarhad_status
import(struct sarhad_store *store, const char *data, size_t len,
       const char *list, struct sarhad_watchlist_version *v,
       struct sarhad_error *err)
{
    struct sarhad_actor who;
    const char *user = getenv("USER");

    memset(&who, 0, sizeof(who));
    snprintf(who.user, sizeof(who.user), "%s",
             user != NULL && user[0] != '\0' ? user : "cli");
    snprintf(who.role, sizeof(who.role), "admin");
    return sarhad_watchlist_import(store, data, len, SARHAD_WL_AUTO, list, &who,
                                   (int64_t)time(NULL), v, err);
}

SARHAD_VERB(watchlist, "import and show watchlists (CSV, UN XML)")

static void
help(FILE *out)
{
    fprintf(out,
            "usage: sarhad watchlist import --db FILE LIST\n"
            "       sarhad watchlist versions --db FILE\n"
            "       sarhad watchlist list --db FILE [--version vN]\n"
            "\n"
            "LIST is the UN consolidated list XML or a CSV with the header\n"
            "  id,name,aliases,birth_date,nationality,father_name[,sex]\n"
            "aliases, birth dates and nationalities separated by ';'; birth\n"
            "dates YYYY-MM-DD, YYYY or YYYY..YYYY ('~' before one: circa).\n"
            "Each import is a new version; the newest is current.\n");
}

static int
print_entry(void *ctx, const struct sarhad_watchlist_entry *e)
{
    (void)ctx;
    printf("%s\t%s\t", e->id, e->names[0]);
    for (unsigned i = 1; i < e->name_count; i++)
        printf("%s%s", i > 1 ? "; " : "", e->names[i]);
    putchar('\t');
    for (unsigned i = 0; i < e->birth_count; i++) {
        char text[32];
        sarhad_birth_format(text, sizeof(text), &e->births[i]);
        printf("%s%s", i ? ";" : "", text);
    }
    putchar('\t');
    for (unsigned i = 0; i < e->nationality_count; i++)
        printf("%s%s", i ? ";" : "", e->nationalities[i]);
    printf("\t%s\n", e->father_name);
    return 0;
}

/* What the command line asked for. */
struct watchlist_options {
    const char *sub; /* import, list or versions */
    const char *db, *version, *list;
    struct sarhad_store_options store; /* as sub needs the store */
};

/* Read the options after the subcommand (argv[2] on) into *o and check
 * them against it.  Returns -1 to go on, else the exit status: 0 after
 * --help, EXIT_USAGE after saying what is wrong. */
static int
parse_options(struct watchlist_options *o, int argc, char **argv)
{
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            o->db = argv[++i];
        else if (strcmp(argv[i], "--version") == 0 && i + 1 < argc)
            o->version = argv[++i];
        else if (strcmp(argv[i], "--help") == 0) {
            help(stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return usage_error("watchlist", "unknown option %s", argv[i]);
        else if (o->list == NULL)
            o->list = argv[i];
        else
            return usage_error("watchlist", "one list at a time");
    }
    if (o->db == NULL)
        return usage_error("watchlist", "--db FILE is required");
    if (strcmp(o->sub, "import") == 0) {
        if (o->list == NULL)
            return usage_error("watchlist", "import needs a LIST file");
        o->store.create = true;
    } else if (strcmp(o->sub, "list") == 0 || strcmp(o->sub, "versions") == 0) {
        if (o->list != NULL)
            return usage_error("watchlist", "%s takes no file", o->sub);
        o->store.read_only = true;
    } else {
        return usage_error("watchlist", "unknown subcommand '%s'", o->sub);
    }
    return -1;
}

/* import: the file at list as the store's new current version; the exit
 * status. */
static int
import_list(struct sarhad_store *store, const char *list)
{
    struct sarhad_watchlist_version v;
    struct sarhad_error err;
    size_t len;
    char *data = read_input(list, SARHAD_WL_MAX_INPUT, &len);
    int rc = 0;

    if (data == NULL) {
        rc = 1;
    } else if (import(store, data, len, list, &v, &err) != SARHAD_OK) {
        print_error(list, &err);
        rc = 1;
    } else {
        printf("imported %s: %u entries, %u names (%s) from %s\n", v.label,
               v.entry_count, v.name_count, v.format, list);
    }
    free(data);
    return rc;
}

/* versions: one line for each version of the list; the exit status. */
static int
print_versions(struct sarhad_store *store, const char *db)
{
    struct sarhad_watchlist_version v[64];
    struct sarhad_error err;
    size_t count = 0;

    if (sarhad_watchlist_versions(store, v, 64, &count, &err) != SARHAD_OK) {
        print_error(db, &err);
        return 1;
    }
    for (size_t i = 0; i < count && i < 64; i++)
        printf("%s\t%s\t%s\t%s\t%u entries\t%u names\t%s\n", v[i].label,
               v[i].is_current ? "current" : "old", v[i].imported, v[i].format,
               v[i].entry_count, v[i].name_count, v[i].source);
    return 0;
}

/* list: the entries of --version (default: the current one), a line
 * each; the exit status. */
static int
print_entries(struct sarhad_store *store, const struct watchlist_options *o)
{
    struct sarhad_error err;

    if (sarhad_watchlist_entries(store, o->version, print_entry, NULL, &err) !=
        SARHAD_OK) {
        print_error(o->db, &err);
        return 1;
    }
    return 0;
}

int
cmd_watchlist(int argc, char **argv)
{
    struct watchlist_options o;
    struct sarhad_store *store = NULL;
    struct sarhad_error err;
    int rc;

    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        help(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    memset(&o, 0, sizeof(o));
    o.sub = argv[1];
    rc = parse_options(&o, argc, argv);
    if (rc >= 0)
        return rc;
    if (sarhad_store_open(&store, o.db, &o.store, &err) != SARHAD_OK) {
        print_error(o.db, &err);
        return 1;
    }
    if (strcmp(o.sub, "import") == 0)
        rc = import_list(store, o.list);
    else if (strcmp(o.sub, "versions") == 0)
        rc = print_versions(store, o.db);
    else
        rc = print_entries(store, &o);
    sarhad_store_close(store);
    return rc;
}
