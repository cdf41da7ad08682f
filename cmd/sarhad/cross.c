/*
 * cross.c - `sarhad cross`: decide and record presentations.  With a FILE
 * it records that one presentation; without one it reads JSON lines from
 * stdin as a stream.  A decision is printed only after the transaction
 * holding it has committed, so a decision anyone saw is never lost.  The
 * stream is recorded with group commit: the lines already waiting are
 * recorded together (a line that fails alone writes nothing) and committed
 * with one fsync, then their decisions are printed; a lone line on a quiet
 * stream is committed at once rather than waiting for company.
 */
#include "ledger_cli.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

SARHAD_VERB(cross, "decide and record presentations in the ledger")

#define LINE_CAP   SARHAD_PRESENTATION_MAX_LEN
#define READ_CHUNK (256u * 1024)

static void
usage(FILE *out)
{
    fputs("usage: sarhad cross --db FILE [--sync FULL|EXTRA|NORMAL|OFF]\n"
          "                    [--group N] [--as USER] [--no-screen]\n"
          "                    [PRESENTATION.json]\n"
          "Decides each presentation by the store's current policy and\n"
          "records it.  With a FILE, that one presentation; without one,\n"
          "JSON lines from stdin, one presentation per line.  Prints one\n"
          "decision JSON per presentation (with its \"attempt\" id) once its\n"
          "transaction has committed.  --group N records at most N waiting\n"
          "lines per commit (default 1000; 1 = one fsync per decision).\n"
          "--sync sets SQLite's synchronous level (default FULL).\n"
          "Travellers are screened against the store's current watchlist\n"
          "(when one was imported) unless --no-screen.\n"
          "Exit 0 when every presentation was recorded, 1 when any failed.\n",
          out);
}

struct pending {
    char *json; /* printed after commit */
    size_t len;
};

struct session {
    struct sarhad_ledger *ledger;
    struct sarhad_store *store;
    struct sarhad_actor who;
    size_t group;
    struct pending *out;
    size_t out_count;
    unsigned long line_no;
    int failed;
};

/* The decision JSON with the attempt id first, and a newline. */
static char *
decision_text(const struct sarhad_decision *d, int64_t attempt, size_t *len)
{
    static char stack[8192];
    size_t need = sarhad_decision_json(stack, sizeof(stack), d);
    char *json = stack, *s;
    char head[40];
    int hn =
        snprintf(head, sizeof(head), "{\"attempt\":%lld,", (long long)attempt);

    if (need >= sizeof(stack)) {
        json = xmalloc(need + 1);
        sarhad_decision_json(json, need + 1, d);
    }
    s = xmalloc((size_t)hn + need + 1);
    memcpy(s, head, (size_t)hn);
    memcpy(s + hn, json + 1, need - 1); /* the decision without its '{' */
    *len = (size_t)hn + need - 1;
    s[(*len)++] = '\n';
    s[*len] = '\0';
    if (json != stack)
        free(json);
    return s;
}

/* Decide and record one line; its decision waits in s->out. */
static void
one(struct session *s, const char *line, size_t len, const char *path)
{
    struct sarhad_presentation p;
    struct sarhad_decision d;
    struct sarhad_error err;
    int64_t attempt;
    char where[64];

    if (sarhad_presentation_parse(&p, line, len, &err) != SARHAD_OK ||
        sarhad_ledger_cross(s->ledger, &p, &s->who, (int64_t)time(NULL), &d,
                            &attempt, &err) != SARHAD_OK) {
        if (path == NULL) {
            snprintf(where, sizeof(where), "<stdin> line %lu", s->line_no);
            path = where;
        }
        fprintf(stderr, "sarhad cross: ");
        print_error(path, &err);
        s->failed = 1;
        return;
    }
    s->out[s->out_count].json =
        decision_text(&d, attempt, &s->out[s->out_count].len);
    s->out_count++;
}

/* Print and forget the decisions of a committed group. */
static void
flush_out(struct session *s, bool committed)
{
    for (size_t i = 0; i < s->out_count; i++) {
        if (committed)
            fwrite(s->out[i].json, 1, s->out[i].len, stdout);
        free(s->out[i].json);
    }
    s->out_count = 0;
    fflush(stdout);
}

static bool
begin_group(struct session *s)
{
    struct sarhad_error err;

    if (s->group <= 1)
        return true; /* each crossing commits itself */
    if (sarhad_store_begin(s->store, &err) != SARHAD_OK) {
        cli_fail("cross", NULL, &err);
        return false;
    }
    return true;
}

static bool
end_group(struct session *s)
{
    struct sarhad_error err;

    if (s->group > 1 && sarhad_store_commit(s->store, &err) != SARHAD_OK) {
        cli_fail("cross", NULL, &err);
        fprintf(stderr,
                "sarhad cross: the last %zu decisions were not "
                "recorded and are not reported\n",
                s->out_count);
        flush_out(s, false);
        return false;
    }
    flush_out(s, true);
    return true;
}

static bool
input_waiting(void)
{
    struct pollfd pfd = {0, POLLIN, 0};

    return poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLIN | POLLHUP));
}

/* Process the complete lines in buf[0..*len); keeps a partial tail.
 * Returns false when a commit failed. */
static bool
lines(struct session *s, char *buf, size_t *len, bool at_eof)
{
    size_t start = 0, in_group = 0;
    bool ok = true, open = false;

    for (;;) {
        char *nl = memchr(buf + start, '\n', *len - start);
        size_t end = nl != NULL ? (size_t)(nl - buf) : *len;
        if (nl == NULL && (!at_eof || start == *len))
            break;
        if (!open) {
            if (!begin_group(s))
                return false;
            open = true;
        }
        s->line_no++;
        buf[end] = '\0';
        if (end > start && !(end - start == 1 && buf[start] == '\r'))
            one(s, buf + start, end - start, NULL);
        start = nl != NULL ? end + 1 : *len;
        if (++in_group >= s->group) {
            ok = end_group(s);
            open = false;
            in_group = 0;
            if (!ok)
                break;
        }
    }
    if (open)
        ok = end_group(s);
    memmove(buf, buf + start, *len - start);
    *len -= start;
    return ok;
}

static int
stream(struct session *s)
{
    size_t cap = READ_CHUNK + LINE_CAP, len = 0;
    char *buf = xmalloc(cap + 1);
    bool ok = true;

    s->out = xmalloc(sizeof(*s->out) * (s->group + 1));
    while (ok) {
        ssize_t n = read(0, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, "sarhad cross: <stdin>: %s\n", strerror(errno));
            ok = false;
            break;
        }
        len += (size_t)n;
        if (n == 0) {
            ok = lines(s, buf, &len, true);
            break;
        }
        /* Keep reading while more is already waiting: a bigger group. */
        if (len < cap && input_waiting())
            continue;
        ok = lines(s, buf, &len, false);
        if (ok && len == cap) {
            fprintf(stderr,
                    "sarhad cross: <stdin> line %lu: longer than "
                    "%u bytes\n",
                    s->line_no + 1, (unsigned)LINE_CAP);
            s->failed = 1;
            len = 0; /* drop the rest of the overlong line's chunk */
        }
    }
    free(buf);
    free(s->out);
    return !ok ? 1 : s->failed;
}

int
cmd_cross(int argc, char **argv)
{
    const char *db = NULL, *sync = NULL, *user = NULL, *group = NULL;
    const char *path = NULL;
    struct session s;
    struct sarhad_screener *screener = NULL;
    struct sarhad_error err;
    bool missing = false, screen = true;
    int rc;

    memset(&s, 0, sizeof(s));
    s.group = 1000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &db, &missing) ||
                   cli_opt(argc, argv, &i, "--sync", &sync, &missing) ||
                   cli_opt(argc, argv, &i, "--as", &user, &missing) ||
                   cli_opt(argc, argv, &i, "--group", &group, &missing)) {
            if (missing)
                return usage_error("cross", "%s needs a value", argv[i]);
        } else if (strcmp(argv[i], "--no-screen") == 0) {
            screen = false;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage_error("cross", "unknown option '%s'", argv[i]);
        } else if (path == NULL) {
            path = argv[i];
        } else {
            return usage_error("cross", "one presentation file at most");
        }
    }
    if (db == NULL)
        return usage_error("cross", "--db is required");
    if (group != NULL) {
        char *end;
        unsigned long g = strtoul(group, &end, 10);
        if (*end != '\0' || g < 1 || g > 100000)
            return usage_error("cross", "--group takes 1 to 100000");
        s.group = g;
    }
    s.store = cli_open_store("cross", db, false, false, sync);
    if (s.store == NULL)
        return 1;
    s.ledger = cli_open_ledger("cross", s.store);
    if (s.ledger == NULL) {
        sarhad_store_close(s.store);
        return 1;
    }
    if (screen) {
        if (sarhad_screener_open(&screener, s.store, &err) != SARHAD_OK) {
            cli_fail("cross", db, &err);
            sarhad_ledger_close(s.ledger);
            sarhad_store_close(s.store);
            return 1;
        }
        if (sarhad_screener_version(screener)[0] != '\0')
            sarhad_ledger_set_screener(s.ledger, screener);
    }
    cli_actor(&s.who, user, "officer", "");
    if (path != NULL && strcmp(path, "-") != 0) {
        size_t len;
        char *text = read_input(path, LINE_CAP, &len);
        struct pending out[1];
        rc = 1;
        if (text != NULL) {
            s.out = out;
            s.group = 1;
            one(&s, text, len, path);
            flush_out(&s, true);
            rc = s.failed;
            free(text);
        }
    } else {
        rc = stream(&s);
    }
    sarhad_ledger_close(s.ledger);
    sarhad_screener_close(screener);
    sarhad_store_close(s.store);
    return rc;
}
