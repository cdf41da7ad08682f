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

/* What the command line asked for. */
struct audit_options {
    bool log; /* log, else verify */
    const char *db;
    long long from, limit;
    struct sarhad_audit_filter filter;
    int anchor_count;
    int64_t anchor_seq[MAX_ANCHORS];
    unsigned char anchor_hash[MAX_ANCHORS][32];
};

/* Take one --anchor SEQ:HASH; EXIT_USAGE after saying why not. */
static int
add_anchor(struct audit_options *o, const char *text)
{
    struct sarhad_error err;

    if (o->anchor_count == MAX_ANCHORS)
        return usage_error("audit", "at most %d anchors", MAX_ANCHORS);
    if (sarhad_audit_anchor_parse(text, &o->anchor_seq[o->anchor_count],
                                  o->anchor_hash[o->anchor_count],
                                  &err) != SARHAD_OK)
        return usage_error("audit", "--anchor %s: %s (at %zu)", text,
                           err.message, err.offset);
    o->anchor_count++;
    return 0;
}

/* Read the options after the verb (argv[2] on) into *o; 0, or EXIT_USAGE
 * after saying why. */
static int
parse_options(struct audit_options *o, int argc, char **argv)
{
    long long traveller = 0, *n;

    for (int i = 2; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (v == NULL)
            return usage_error("audit", "missing value for %s", argv[i]);
        if (strcmp(argv[i], "--db") == 0)
            o->db = v;
        else if (strcmp(argv[i], "--anchor") == 0 && !o->log) {
            if (add_anchor(o, v) != 0)
                return EXIT_USAGE;
        } else if (o->log && strcmp(argv[i], "--kind") == 0)
            o->filter.kind = v;
        else if (o->log && strcmp(argv[i], "--user") == 0)
            o->filter.user = v;
        else if (o->log && strcmp(argv[i], "--subject") == 0)
            o->filter.subject = v;
        else if (o->log && (n = whole_option(argv[i], &o->from, &o->limit,
                                             &traveller)) != NULL) {
            char *end;
            *n = strtoll(v, &end, 10);
            if (*v == '\0' || *end != '\0' || *n < 0)
                return usage_error("audit", "%s takes a whole number", argv[i]);
        } else
            return usage_error("audit", "unknown option: %s", argv[i]);
        i++;
    }
    if (o->db == NULL)
        return usage_error("audit", "--db FILE is required");
    if (o->from < 1)
        return usage_error("audit", "--from is an entry number, 1 or more");
    o->filter.traveller = traveller;
    return 0;
}

/* Open the store read-only and print its log, or verify its chain, its
 * checkpoints and each anchor into *r. */
static enum sarhad_status
read_log(const struct audit_options *o, struct sarhad_audit_report *r,
         int64_t *checkpoints, struct sarhad_error *err)
{
    static const struct sarhad_store_options ro = {false, true, NULL};
    struct sarhad_store *store = NULL;
    enum sarhad_status s;

    sarhad_error_clear(err);
    s = sarhad_store_open(&store, o->db, &ro, err);
    if (s == SARHAD_OK && o->log)
        s = print_log(store, o->from, o->limit, &o->filter, err);
    else if (s == SARHAD_OK)
        s = sarhad_audit_verify_signed(store, r, checkpoints, err);
    for (int k = 0; s == SARHAD_OK && !o->log && k < o->anchor_count; k++)
        s = sarhad_audit_check_anchor(store, o->anchor_seq[k],
                                      o->anchor_hash[k], r, err);
    sarhad_store_close(store);
    return s;
}

/* Say whether the log verified, and its head; the exit status. */
static int
print_verdict(const struct audit_options *o,
              const struct sarhad_audit_report *r, int64_t checkpoints)
{
    char head[SARHAD_AUDIT_ANCHOR_MAX];

    if (!r->ok) {
        printf("audit log BROKEN at entry %lld: %s\n", (long long)r->first_bad,
               r->problem);
        fprintf(stderr, "sarhad audit: %s: entry %lld: %s\n", o->db,
                (long long)r->first_bad, r->problem);
        return 1;
    }
    sarhad_audit_anchor_format(head, r->checked, r->head_hash);
    printf("audit log sound: %lld entries, %lld signed checkpoints",
           (long long)r->checked, (long long)checkpoints);
    if (o->anchor_count > 0)
        printf(", %d anchor%s held", o->anchor_count,
               o->anchor_count == 1 ? "" : "s");
    printf("\nhead: %s\n", head);
    return 0;
}

int
cmd_audit(int argc, char **argv)
{
    const char *verb = argc > 1 ? argv[1] : "";
    struct audit_options o = {0};
    struct sarhad_audit_report r = {0};
    struct sarhad_error err;
    int64_t checkpoints = 0;

    if (strcmp(verb, "--help") == 0) {
        usage(stdout);
        return 0;
    }
    o.log = strcmp(verb, "log") == 0;
    if (strcmp(verb, "verify") != 0 && !o.log)
        return usage_error("audit", "say verify or log");
    o.from = 1;
    if (parse_options(&o, argc, argv) != 0)
        return EXIT_USAGE;
    if (read_log(&o, &r, &checkpoints, &err) != SARHAD_OK) {
        print_error(o.db, &err);
        return 1;
    }
    if (o.log)
        return 0;
    return print_verdict(&o, &r, checkpoints);
}
