/*
 * audit.c - `sarhad audit verify|log`: check a store's audit log (the hash
 * chain and the signed checkpoints) and print its entries.  Both open the
 * store read-only, so they can run beside a live server.
 */
#include "cmd.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

SARHAD_VERB(audit, "verify or print a store's audit log")

#define MAX_ANCHORS 16

static void
usage(FILE *out)
{
    fprintf(out, "usage: sarhad audit verify --db FILE [--anchor SEQ:HASH]...\n"
                 "       sarhad audit log --db FILE [--from SEQ] "
                 "[--limit N]\n"
                 "                        [--kind K] [--user NAME] "
                 "[--subject S] [--traveller ID]\n"
                 "verify exits 1 and names the first bad entry when the log "
                 "was altered.\n"
                 "It prints the chain's head as an anchor, SEQ:HASH: keep it "
                 "away from the\n"
                 "post, and a later --anchor SEQ:HASH proves the log up to "
                 "SEQ unchanged\n"
                 "even against someone who could rewrite and re-sign it.\n"
                 "log prints entries as JSON lines, all or those of a kind, "
                 "by a user, about\n"
                 "a subject (attempt:12) or about a traveller: their "
                 "decisions, resolutions,\n"
                 "overrides, and every lookup that showed them.\n");
}

static bool
print_entry(void *ctx, const struct sarhad_audit_entry *e)
{
    json_t *detail = json_loads(e->detail, 0, NULL);
    json_t *doc = json_pack(
        "{s:I, s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:s, s:s, s:o}", "seq",
        (json_int_t)e->seq, "post", e->post, "at", e->at, "actor", "user",
        e->actor.user, "role", e->actor.role, "post", e->actor.post, "address",
        e->actor.address, "kind", e->kind, "subject", e->subject, "detail",
        detail != NULL ? detail : json_string(e->detail));

    (void)ctx;
    json_dumpf(doc, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(doc);
    return true;
}

static bool
count_entry(void *ctx, const struct sarhad_audit_entry *e)
{
    ++*(size_t *)ctx;
    return print_entry(NULL, e);
}

/* Print the entries from `from` on that the filter keeps, at most limit (0:
 * all), reading the log a stretch at a time. */
static enum sarhad_status
print_log(struct sarhad_store *store, int64_t from, long long limit,
          const struct sarhad_audit_filter *filter, struct sarhad_error *err)
{
    enum sarhad_status s = SARHAD_OK;
    size_t printed = 0;

    while (s == SARHAD_OK && from > 0 &&
           (limit == 0 || printed < (size_t)limit)) {
        size_t want = limit == 0 ? 100000 : (size_t)limit - printed;
        int64_t next = 0;
        s = sarhad_audit_search(store, from, want, 1000000, filter, count_entry,
                                &printed, &next, err);
        from = next;
    }
    return s;
}

/* Which of the log's whole-number options name is, NULL for none. */
static long long *
whole_option(const char *name, long long *from, long long *limit,
             long long *traveller)
{
    if (strcmp(name, "--from") == 0)
        return from;
    if (strcmp(name, "--limit") == 0)
        return limit;
    if (strcmp(name, "--traveller") == 0)
        return traveller;
    return NULL;
}

int
cmd_audit(int argc, char **argv)
{
    static const struct sarhad_store_options ro = {false, true, NULL};
    const char *verb = argc > 1 ? argv[1] : "", *db = NULL;
    long long from = 1, limit = 0;
    struct sarhad_store *store = NULL;
    struct sarhad_audit_report r = {0};
    struct sarhad_error err;
    int64_t checkpoints = 0, anchor_seq[MAX_ANCHORS];
    unsigned char anchor_hash[MAX_ANCHORS][32];
    char head[SARHAD_AUDIT_ANCHOR_MAX];
    struct sarhad_audit_filter filter = {NULL, NULL, NULL, 0};
    long long traveller = 0, *n;
    int anchors = 0;
    bool log;
    enum sarhad_status s;

    if (strcmp(verb, "--help") == 0) {
        usage(stdout);
        return 0;
    }
    log = strcmp(verb, "log") == 0;
    if (strcmp(verb, "verify") != 0 && !log)
        return usage_error("audit", "say verify or log");
    for (int i = 2; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (v == NULL)
            return usage_error("audit", "missing value for %s", argv[i]);
        if (strcmp(argv[i], "--db") == 0)
            db = v;
        else if (strcmp(argv[i], "--anchor") == 0 && !log) {
            if (anchors == MAX_ANCHORS)
                return usage_error("audit", "at most %d anchors", MAX_ANCHORS);
            if (sarhad_audit_anchor_parse(v, &anchor_seq[anchors],
                                          anchor_hash[anchors],
                                          &err) != SARHAD_OK)
                return usage_error("audit", "--anchor %s: %s (at %zu)", v,
                                   err.message, err.offset);
            anchors++;
        } else if (log && strcmp(argv[i], "--kind") == 0)
            filter.kind = v;
        else if (log && strcmp(argv[i], "--user") == 0)
            filter.user = v;
        else if (log && strcmp(argv[i], "--subject") == 0)
            filter.subject = v;
        else if (log && (n = whole_option(argv[i], &from, &limit,
                                          &traveller)) != NULL) {
            char *end;
            *n = strtoll(v, &end, 10);
            if (*v == '\0' || *end != '\0' || *n < 0)
                return usage_error("audit", "%s takes a whole number", argv[i]);
        } else
            return usage_error("audit", "unknown option: %s", argv[i]);
        i++;
    }
    if (db == NULL)
        return usage_error("audit", "--db FILE is required");
    if (from < 1)
        return usage_error("audit", "--from is an entry number, 1 or more");
    filter.traveller = traveller;
    sarhad_error_clear(&err);
    s = sarhad_store_open(&store, db, &ro, &err);
    if (s == SARHAD_OK && log)
        s = print_log(store, from, limit, &filter, &err);
    else if (s == SARHAD_OK)
        s = sarhad_audit_verify_signed(store, &r, &checkpoints, &err);
    for (int k = 0; s == SARHAD_OK && !log && k < anchors; k++)
        s = sarhad_audit_check_anchor(store, anchor_seq[k], anchor_hash[k], &r,
                                      &err);
    sarhad_store_close(store);
    if (s != SARHAD_OK) {
        print_error(db, &err);
        return 1;
    }
    if (log)
        return 0;
    if (!r.ok) {
        printf("audit log BROKEN at entry %lld: %s\n", (long long)r.first_bad,
               r.problem);
        fprintf(stderr, "sarhad audit: %s: entry %lld: %s\n", db,
                (long long)r.first_bad, r.problem);
        return 1;
    }
    sarhad_audit_anchor_format(head, r.checked, r.head_hash);
    printf("audit log sound: %lld entries, %lld signed checkpoints",
           (long long)r.checked, (long long)checkpoints);
    if (anchors > 0)
        printf(", %d anchor%s held", anchors, anchors == 1 ? "" : "s");
    printf("\nhead: %s\n", head);
    return 0;
}
