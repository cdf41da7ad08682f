/*
 * backup.c - `sarhad backup`: copy a post's store to a new file while the
 * post goes on working (the server or `sarhad cross` may be writing it),
 * then check the copy as `sarhad verify` would, so that what is kept is
 * known to be sound.  With --with-key the audit signing key (FILE.key) is
 * copied too, as TO.key: a store restored without it can no longer sign
 * checkpoints of its chain under the key its earlier ones name.
 */
#include "ledger_cli.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

SARHAD_VERB(backup, "copy a store, online and whole, and check the copy")

#define SHOWN        20
#define KEY_MAX      4096
#define OTHER_SCHEMA (-2)

/* Copy the file at from to a new file at to (0600), flushed. */
static bool
copy_key(const char *from, const char *to)
{
    char buf[KEY_MAX];
    ssize_t n;
    int in, out;
    bool ok;

    in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        fprintf(stderr, "sarhad backup: %s: %s\n", from, strerror(errno));
        return false;
    }
    n = read(in, buf, sizeof(buf));
    close(in);
    if (n < 0 || n == (ssize_t)sizeof(buf)) {
        fprintf(stderr, "sarhad backup: %s: %s\n", from,
                n < 0 ? strerror(errno) : "too large to be a key");
        return false;
    }
    out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
        fprintf(stderr, "sarhad backup: %s: %s\n", to, strerror(errno));
        return false;
    }
    ok = write(out, buf, (size_t)n) == n && fsync(out) == 0;
    if (!ok)
        fprintf(stderr, "sarhad backup: %s: %s\n", to, strerror(errno));
    if (close(out) != 0)
        ok = false;
    sodium_memzero(buf, sizeof(buf));
    if (!ok)
        unlink(to);
    return ok;
}

static char *
with_suffix(const char *path, const char *suffix)
{
    size_t n = strlen(path), m = strlen(suffix);
    char *out = xmalloc(n + m + 1);

    memcpy(out, path, n);
    memcpy(out + n, suffix, m);
    out[n + m] = '\0';
    return out;
}

/* Check the copy at path; prints what is wrong.  Returns the number of
 * problems, -1 when the copy could not be checked, or OTHER_SCHEMA. */
static long
check_copy(const char *path, int64_t *entries, int64_t *checkpoints,
           char head[SARHAD_AUDIT_ANCHOR_MAX])
{
    struct sarhad_verify_problem problems[SHOWN];
    struct sarhad_audit_report report;
    static const struct sarhad_store_options read_only = {false, true, NULL};
    struct sarhad_store *copy;
    struct sarhad_error err;
    unsigned count = 0;

    if (sarhad_store_open(&copy, path, &read_only, &err) != SARHAD_OK) {
        /* A store of another schema version is copied as it is, but only
         * the sarhad that wrote it can check it. */
        if (err.code == SARHAD_EDB && strstr(err.message, "out of date"))
            return OTHER_SCHEMA;
        cli_fail("backup", path, &err);
        return -1;
    }
    if (sarhad_ledger_verify(copy, problems, SHOWN, &count, &err) !=
            SARHAD_OK ||
        sarhad_audit_verify_signed(copy, &report, checkpoints, &err) !=
            SARHAD_OK) {
        cli_fail("backup", path, &err);
        sarhad_store_close(copy);
        return -1;
    }
    sarhad_store_close(copy);
    for (unsigned i = 0; i < count && i < SHOWN; i++)
        printf("%s: %s: %s\n", path, problems[i].check, problems[i].message);
    if (!report.ok) {
        printf("%s: audit: %s (entry %lld)\n", path, report.problem,
               (long long)report.first_bad);
        count++;
    }
    *entries = report.checked;
    sarhad_audit_anchor_format(head, report.checked, report.head_hash);
    return (long)count;
}

/* What the command line asked for. */
struct backup_options {
    const char *db, *to;
    bool verify, with_key;
};

/* Read the command line into *o.  Returns -1 to go on, else the exit
 * status: 0 after --help, EXIT_USAGE after saying what is wrong. */
static int
parse_options(struct backup_options *o, int argc, char **argv)
{
    bool missing = false;

    o->db = o->to = NULL;
    o->verify = true;
    o->with_key = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            puts("usage: sarhad backup --db FILE --to NEWFILE [--with-key] "
                 "[--no-verify]\n"
                 "Copies the store as it was after one commit, while its "
                 "writer goes on,\n"
                 "into NEWFILE (which must not exist; written whole or not "
                 "at all), then\n"
                 "checks the copy as `sarhad verify` does.  --with-key also "
                 "copies the\n"
                 "audit signing key FILE.key to NEWFILE.key.  Exit 0 when "
                 "the copy is\n"
                 "made and sound, 1 otherwise.");
            return 0;
        } else if (strcmp(argv[i], "--with-key") == 0) {
            o->with_key = true;
        } else if (strcmp(argv[i], "--no-verify") == 0) {
            o->verify = false;
        } else if (cli_opt(argc, argv, &i, "--db", &o->db, &missing) ||
                   cli_opt(argc, argv, &i, "--to", &o->to, &missing)) {
            if (missing)
                return usage_error("backup", "%s needs a value", argv[i]);
        } else {
            return usage_error("backup", "unknown argument '%s'", argv[i]);
        }
    }
    return -1;
}

/* Copy the store, and with --with-key its signing key (checked readable
 * before anything is copied); false after saying why not. */
static bool
copy_store(const struct backup_options *o,
           struct sarhad_store_backup_info *info)
{
    char *from_key = NULL, *to_key = NULL;
    struct sarhad_error err;
    bool ok;

    if (o->with_key) {
        from_key = with_suffix(o->db, ".key");
        to_key = with_suffix(o->to, ".key");
        if (access(from_key, R_OK) != 0) {
            fprintf(stderr, "sarhad backup: %s: %s (nothing copied)\n",
                    from_key, strerror(errno));
            free(from_key);
            free(to_key);
            return false;
        }
    }
    ok = sarhad_store_backup(o->db, o->to, isatty(2) ? cli_progress_bar : NULL,
                             NULL, info, &err) == SARHAD_OK;
    if (!ok)
        cli_fail("backup", strcmp(err.field, "target") == 0 ? o->to : o->db,
                 &err);
    else if (from_key != NULL)
        ok = copy_key(from_key, to_key);
    free(from_key);
    free(to_key);
    return ok;
}

/* Check the copy unless --no-verify and say how it went; the exit
 * status. */
static int
report_copy(const struct backup_options *o,
            const struct sarhad_store_backup_info *info)
{
    int64_t entries = 0, checkpoints = 0;
    char head[SARHAD_AUDIT_ANCHOR_MAX] = "";
    long problems = 0;

    if (o->verify)
        problems = check_copy(o->to, &entries, &checkpoints, head);
    printf("%s -> %s: %llu pages, %.1f MiB", o->db, o->to,
           (unsigned long long)info->pages, (double)info->bytes / 1048576.0);
    if (!o->verify) {
        puts(", not checked");
        return 0;
    }
    if (problems == OTHER_SCHEMA) {
        puts(", not checked: its schema is not this sarhad's (check it with "
             "the sarhad that wrote it)");
        return 0;
    }
    if (problems < 0) {
        puts(", could not be checked");
        return 1;
    }
    printf(", %lld audit entries, %lld signed checkpoints; %s\n",
           (long long)entries, (long long)checkpoints,
           problems == 0 ? "the copy is sound" : "the copy has problems");
    if (problems == 0)
        printf("head: %s\n", head);
    if (problems > 0)
        fprintf(stderr,
                "sarhad backup: %s: %ld problem%s found in the copy (it "
                "holds what the store held: run sarhad verify --db %s)\n",
                o->to, problems, problems == 1 ? "" : "s", o->db);
    return problems == 0 ? 0 : 1;
}

int
cmd_backup(int argc, char **argv)
{
    struct backup_options o;
    struct sarhad_store_backup_info info;
    int rc = parse_options(&o, argc, argv);

    if (rc >= 0)
        return rc;
    if (o.db == NULL || o.to == NULL)
        return usage_error("backup", "--db and --to are required");
    if (!copy_store(&o, &info))
        return 1;
    return report_copy(&o, &info);
}
