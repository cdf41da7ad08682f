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
#include "durable_out.h"
#include "ledger_cli.h"
#include "line_feed.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

SARHAD_VERB(cross, "decide and record presentations in the ledger")

#define LINE_CAP  SARHAD_PRESENTATION_MAX_LEN
#define FEED_RING 1024 /* parsed lines waiting, about 19 MiB */

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
          "--sync sets SQLite's synchronous level (default FULL).  At\n"
          "FULL a stream committed in groups prints each group once an\n"
          "fdatasync of the log made it durable, while the next group is\n"
          "recorded.\n"
          "Travellers are screened against the store's current watchlist\n"
          "(when one was imported) unless --no-screen.\n"
          "Exit 0 when every presentation was recorded, 1 when any failed.\n",
          out);
}

struct session {
    struct sarhad_ledger *ledger;
    struct sarhad_store *store;
    struct sarhad_actor who;
    size_t group;
    char *out; /* the open group's decisions, printed once it commits */
    size_t out_len, out_cap, pending;
    /* With synchronous FULL and group commit: prints each group once a
     * flush made it durable, while this thread records the next. */
    struct durable_out *printer;
    int failed;
};

/* Queue the decision just recorded: its JSON with the attempt id first. */
static void
queue_decision(struct session *s, int64_t attempt)
{
    size_t len;
    const char *json = sarhad_ledger_decision_text(s->ledger, &len);
    char head[40];
    int hn =
        snprintf(head, sizeof(head), "{\"attempt\":%lld,", (long long)attempt);

    if (s->out_len + (size_t)hn + len + 1 > s->out_cap) {
        s->out_cap = (s->out_len + (size_t)hn + len + 1) * 2;
        s->out = xrealloc(s->out, s->out_cap);
    }
    memcpy(s->out + s->out_len, head, (size_t)hn);
    memcpy(s->out + s->out_len + hn, json + 1, len - 1); /* without '{' */
    s->out_len += (size_t)hn + len - 1;
    s->out[s->out_len++] = '\n';
    s->pending++;
}

/* Decide and record one presentation, prepared beforehand (prep) or not
 * (p), or report why a line was not read (ok false, with its error); its
 * decision waits in s->out. */
static void
one(struct session *s, const struct sarhad_presentation *p,
    const struct sarhad_prepared *prep, bool ok, struct sarhad_error *err,
    const char *path, unsigned long line_no)
{
    struct sarhad_decision d;
    int64_t attempt, now = (int64_t)time(NULL);
    char where[64];

    if (ok &&
        (prep != NULL ? sarhad_ledger_cross_prepared(s->ledger, prep, &s->who,
                                                     now, &d, &attempt, err)
                      : sarhad_ledger_cross(s->ledger, p, &s->who, now, &d,
                                            &attempt, err)) == SARHAD_OK) {
        queue_decision(s, attempt);
        return;
    }
    if (path == NULL) {
        snprintf(where, sizeof(where), "<stdin> line %lu", line_no);
        path = where;
    }
    fprintf(stderr, "sarhad cross: ");
    print_error(path, err);
    s->failed = 1;
}

/* Print and forget the decisions of a committed group. */
static void
flush_out(struct session *s, bool committed)
{
    if (committed && s->out_len > 0)
        fwrite(s->out, 1, s->out_len, stdout);
    s->out_len = 0;
    s->pending = 0;
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
                s->pending);
        flush_out(s, false);
        return false;
    }
    if (s->printer != NULL) {
        bool ok =
            s->out_len == 0 || durable_out_put(s->printer, s->out, s->out_len,
                                               s->out_cap, s->pending);
        if (s->out_len > 0) /* the printer owns the text now */
            s->out = durable_out_spare(s->printer, &s->out_cap);
        s->out_len = 0;
        s->pending = 0;
        return ok;
    }
    flush_out(s, true);
    return true;
}

/* On the reader thread: screening and the attempt's text, the part of a
 * decision that needs no store. */
static enum sarhad_status
prepare_line(void *ctx, struct feed_line *l, struct sarhad_error *err)
{
    const struct session *s = ctx;

    return sarhad_ledger_prepare(s->ledger, &l->p, l->prep, err);
}

/* JSON lines from stdin, parsed on a reader thread while this one records.
 * A group is what is waiting, up to s->group lines: a lone line on a quiet
 * stream commits at once, a busy stream shares one fsync among many. */
static int
stream(struct session *s)
{
    struct line_feed *feed =
        line_feed_start(0, FEED_RING, LINE_CAP, prepare_line, s);
    const struct feed_line *l;
    bool ok = true, end = false;
    int e;

    if (feed == NULL) {
        fprintf(stderr, "sarhad cross: cannot start the reader thread\n");
        return 1;
    }
    while (ok && (l = line_feed_next(feed, true, &end)) != NULL) {
        size_t n = 0;
        if (!begin_group(s)) {
            ok = false;
            break;
        }
        do {
            struct sarhad_error err = l->err;
            one(s, &l->p, l->prep, l->ok, &err, NULL, l->line_no);
            line_feed_done(feed);
        } while (++n < s->group && (l = line_feed_next(feed, false, &end)));
        ok = end_group(s);
    }
    e = line_feed_stop(feed);
    if (s->printer != NULL && !durable_out_stop(s->printer))
        ok = false;
    if (e != 0) {
        fprintf(stderr, "sarhad cross: <stdin>: %s\n", strerror(e));
        ok = false;
    }
    free(s->out);
    return !ok ? 1 : s->failed;
}

/* What the command line asked for. */
struct cross_options {
    const char *db, *sync, *user;
    const char *path; /* one presentation, or NULL for the stream */
    size_t group;
    bool screen;
};

/* Read the command line into *o.  Returns -1 to go on, else the exit
 * status: 0 after --help, EXIT_USAGE after saying what is wrong. */
static int
parse_options(struct cross_options *o, int argc, char **argv)
{
    const char *group = NULL;
    bool missing = false;

    memset(o, 0, sizeof(*o));
    o->group = 1000;
    o->screen = true;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &o->db, &missing) ||
                   cli_opt(argc, argv, &i, "--sync", &o->sync, &missing) ||
                   cli_opt(argc, argv, &i, "--as", &o->user, &missing) ||
                   cli_opt(argc, argv, &i, "--group", &group, &missing)) {
            if (missing)
                return usage_error("cross", "%s needs a value", argv[i]);
        } else if (strcmp(argv[i], "--no-screen") == 0) {
            o->screen = false;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage_error("cross", "unknown option '%s'", argv[i]);
        } else if (o->path == NULL) {
            o->path = argv[i];
        } else {
            return usage_error("cross", "one presentation file at most");
        }
    }
    if (o->db == NULL)
        return usage_error("cross", "--db is required");
    if (group != NULL) {
        char *end;
        unsigned long g = strtoul(group, &end, 10);
        if (*end != '\0' || g < 1 || g > 100000)
            return usage_error("cross", "--group takes 1 to 100000");
        o->group = g;
    }
    return -1;
}

/* The part of opening a session after its store and ledger: background
 * checkpoints for a stream, the printer, the screener.  False after
 * saying why not; the caller closes the ledger and the store. */
static bool
start_session(struct session *s, const struct cross_options *o, bool durable,
              struct sarhad_screener **screener)
{
    struct sarhad_error err;

    /* A stream's commits should not stop to copy the log back. */
    if (o->path == NULL &&
        sarhad_store_checkpoint_in_background(s->store, &err) != SARHAD_OK) {
        cli_fail("cross", o->db, &err);
        return false;
    }
    if (durable && (s->printer = durable_out_start(s->store, stdout)) == NULL) {
        fprintf(stderr, "sarhad cross: cannot start the printer thread\n");
        return false;
    }
    if (o->screen) {
        if (sarhad_screener_open(screener, s->store, &err) != SARHAD_OK) {
            cli_fail("cross", o->db, &err);
            return false;
        }
        if (sarhad_screener_version(*screener)[0] != '\0')
            sarhad_ledger_set_screener(s->ledger, *screener);
    }
    return true;
}

/* Open the store, its ledger and what a session needs beside them; false
 * after saying why not, with nothing left open but the printer. */
static bool
open_session(struct session *s, const struct cross_options *o,
             struct sarhad_screener **screener)
{
    /* A stream committed in groups at FULL: commits at NORMAL, and the
     * printer flushes the log before it prints (durable_out.c). */
    bool durable = o->path == NULL && s->group > 1 &&
                   (o->sync == NULL || strcmp(o->sync, "FULL") == 0 ||
                    strcmp(o->sync, "EXTRA") == 0);

    s->store = cli_open_store("cross", o->db, false, false,
                              durable ? "NORMAL" : o->sync);
    if (s->store == NULL)
        return false;
    s->ledger = cli_open_ledger("cross", s->store);
    if (s->ledger == NULL) {
        sarhad_store_close(s->store);
        return false;
    }
    if (!start_session(s, o, durable, screener)) {
        sarhad_ledger_close(s->ledger);
        sarhad_store_close(s->store);
        return false;
    }
    return true;
}

/* Decide and record the one presentation in the file at path; the exit
 * status. */
static int
cross_file(struct session *s, const char *path)
{
    struct sarhad_error err;
    size_t len;
    char *text = read_input(path, LINE_CAP, &len);
    struct sarhad_presentation *p = xmalloc(sizeof(*p));
    int rc = 1;

    if (text != NULL) {
        bool ok = sarhad_presentation_parse(p, text, len, &err) == SARHAD_OK;
        s->group = 1;
        one(s, p, NULL, ok, &err, path, 0);
        flush_out(s, true);
        free(s->out);
        rc = s->failed;
        free(text);
    }
    free(p);
    return rc;
}

int
cmd_cross(int argc, char **argv)
{
    struct cross_options o;
    struct session s;
    struct sarhad_screener *screener = NULL;
    int rc = parse_options(&o, argc, argv);

    if (rc >= 0)
        return rc;
    memset(&s, 0, sizeof(s));
    s.group = o.group;
    if (!open_session(&s, &o, &screener))
        return 1;
    cli_actor(&s.who, o.user, "officer", "");
    if (o.path != NULL && strcmp(o.path, "-") != 0)
        rc = cross_file(&s, o.path);
    else
        rc = stream(&s);
    sarhad_ledger_close(s.ledger);
    sarhad_screener_close(screener);
    sarhad_store_close(s.store);
    return rc;
}
