/*
 * user.c - `sarhad user add|disable|enable|passwd|list`: accounts on the
 * command line, for the first admin and for recovery.  Passwords are read from
 * standard input (never from the command line, where other users could
 * see them in the process list).  Each change is audited like one made
 * over the API, with an empty actor (the system), and the audit chain's
 * head is signed afterwards.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

SARHAD_VERB(user, "add, disable, enable, list accounts or set a password")

static void
usage(FILE *out)
{
    fprintf(out,
            "usage: sarhad user add --db FILE NAME --role ROLE [--post CODE]"
            " --password-stdin\n"
            "       sarhad user passwd --db FILE NAME --password-stdin\n"
            "       sarhad user disable --db FILE NAME\n"
            "       sarhad user enable --db FILE NAME\n"
            "       sarhad user list --db FILE\n"
            "roles: officer, supervisor (both need --post), analyst, admin,"
            " auditor\n");
}

struct args {
    const char *db, *name, *role, *post;
    bool password_stdin;
};

static int
parse(struct args *a, int argc, char **argv)
{
    memset(a, 0, sizeof(*a));
    a->post = "";
    for (int i = 2; i < argc; i++) {
        bool valued = i + 1 < argc;
        const char *v = valued ? argv[i + 1] : "";
        if (strcmp(argv[i], "--password-stdin") == 0)
            a->password_stdin = true;
        else if (strcmp(argv[i], "--db") == 0 && valued)
            a->db = v, i++;
        else if (strcmp(argv[i], "--role") == 0 && valued)
            a->role = v, i++;
        else if (strcmp(argv[i], "--post") == 0 && valued)
            a->post = v, i++;
        else if (argv[i][0] == '-' || a->name != NULL)
            return usage_error("user", "unexpected argument: %s", argv[i]);
        else
            a->name = argv[i];
    }
    if (a->db == NULL)
        return usage_error("user", "--db FILE is required");
    return 0;
}

/* The first line of standard input, without its line end. */
static char *
read_password(void)
{
    size_t len = 0;
    char *text = read_input(NULL, 4096, &len);

    if (text == NULL)
        return NULL;
    text[strcspn(text, "\r\n")] = '\0';
    return text;
}

static struct sarhad_store *
open_rw(const char *db, bool create)
{
    struct sarhad_store_options opt = {create, false, NULL};
    struct sarhad_store *store = NULL;
    struct sarhad_error err;

    sarhad_error_clear(&err);
    if (sarhad_store_open(&store, db, &opt, &err) != SARHAD_OK) {
        print_error(db, &err);
        return NULL;
    }
    return store;
}

/* Sign the chain's head so a later truncation is caught. */
static void
checkpoint(struct sarhad_store *store, const char *db)
{
    struct sarhad_audit_key *key = NULL;
    struct sarhad_error err;

    sarhad_error_clear(&err);
    if (sarhad_audit_key_load(&key, db, true, &err) != SARHAD_OK ||
        sarhad_audit_checkpoint(store, key, (int64_t)time(NULL), &err) !=
            SARHAD_OK)
        print_error(db, &err);
    sarhad_audit_key_free(key);
}

static bool
print_user(void *ctx, const struct sarhad_user *u)
{
    (void)ctx;
    printf("%-24s %-10s %-12s %s%s\n", u->name, u->role,
           u->post[0] ? u->post : "-", u->created,
           u->is_disabled ? "  disabled" : "");
    return true;
}

static int
run(const char *verb, const struct args *a)
{
    static const struct sarhad_actor system_actor = {"", "", "", ""};
    char hash[SARHAD_PWHASH_LEN];
    struct sarhad_store *store;
    struct sarhad_error err;
    enum sarhad_status s = SARHAD_OK;
    bool add = strcmp(verb, "add") == 0;
    bool passwd = strcmp(verb, "passwd") == 0;
    int64_t now = (int64_t)time(NULL);

    sarhad_error_clear(&err);
    if (add && !sarhad_role_is_valid(a->role)) {
        fprintf(stderr, "sarhad user: role: the role must be officer, "
                        "supervisor, analyst, admin or auditor\n");
        return 1;
    }
    if (add || passwd) {
        char *pw = read_password();
        if (pw == NULL)
            return 1;
        s = sarhad_password_hash(hash, pw, strlen(pw), &err);
        sarhad_wipe(pw, strlen(pw));
        free(pw);
        if (s != SARHAD_OK) {
            print_error(NULL, &err);
            return 1;
        }
    }
    store = open_rw(a->db, add);
    if (store == NULL)
        return 1;
    if (add) {
        struct sarhad_user u;
        memset(&u, 0, sizeof(u));
        if (snprintf(u.name, sizeof(u.name), "%s", a->name) >=
            (int)sizeof(u.name))
            u.name[0] = '\0'; /* refused as a bad name below */
        snprintf(u.role, sizeof(u.role), "%s", a->role);
        snprintf(u.post, sizeof(u.post), "%s", a->post);
        s = sarhad_user_add(store, &system_actor, &u, hash, now, &err);
    } else if (passwd) {
        s = sarhad_user_set_password(store, &system_actor, a->name, hash, now,
                                     &err);
    } else if (strcmp(verb, "disable") == 0) {
        s = sarhad_user_disable(store, &system_actor, a->name, now, &err);
    } else if (strcmp(verb, "enable") == 0) {
        s = sarhad_user_enable(store, &system_actor, a->name, now, &err);
    } else {
        s = sarhad_user_list(store, print_user, NULL, &err);
    }
    sarhad_wipe(hash, sizeof(hash));
    if (s == SARHAD_OK && strcmp(verb, "list") != 0)
        checkpoint(store, a->db);
    if (s != SARHAD_OK)
        print_error(a->db, &err);
    sarhad_store_close(store);
    return s == SARHAD_OK ? 0 : 1;
}

int
cmd_user(int argc, char **argv)
{
    struct args a;
    const char *verb = argc > 1 ? argv[1] : "";
    int rc;

    if (strcmp(verb, "--help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(verb, "add") != 0 && strcmp(verb, "passwd") != 0 &&
        strcmp(verb, "disable") != 0 && strcmp(verb, "enable") != 0 &&
        strcmp(verb, "list") != 0)
        return usage_error("user", "say add, passwd, disable, enable or list");
    rc = parse(&a, argc, argv);
    if (rc != 0)
        return rc;
    if (strcmp(verb, "list") != 0 && a.name == NULL)
        return usage_error("user", "which user? give a NAME");
    if (strcmp(verb, "add") == 0 && a.role == NULL)
        return usage_error("user", "--role ROLE is required");
    if ((strcmp(verb, "add") == 0 || strcmp(verb, "passwd") == 0) &&
        !a.password_stdin)
        return usage_error("user", "give the password on standard input "
                                   "with --password-stdin");
    return run(verb, &a);
}
