/*
 * ledger_replay.c - what a draft policy would have decided.  Every
 * recorded attempt of a store is decided again, oldest first, under the
 * draft, into a scratch ledger built as it goes (so stays, visa entries
 * and identity links follow the draft's own decisions, as they would
 * have), screening against the store's watchlist; the store itself is
 * only read.  The scratch ledger lives in a fresh directory of its own,
 * without fsyncs (it is thrown away), and is removed at the end whatever
 * happens.  Under the policy in force nothing moves: the decisions are
 * reproducible from the record.
 */
#include "internal.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REPLAY_BATCH 1000

struct replay {
    const struct sarhad_replay_options *opt;
    struct sarhad_store *scratch;
    struct sarhad_ledger *ledger;
    struct sarhad_actor who;
    int64_t now;
    long in_batch;
    int64_t read;
    bool cancelled;
    struct sarhad_replay_result *out;
    enum sarhad_status status;
    struct sarhad_error *err;
};

static bool
in_range(const struct sarhad_replay_options *o, const char *day)
{
    return (o->from == NULL || o->from[0] == '\0' ||
            strcmp(day, o->from) >= 0) &&
           (o->to == NULL || o->to[0] == '\0' || strcmp(day, o->to) <= 0);
}

/* Decide a again in the scratch ledger, REPLAY_BATCH to a transaction. */
static bool
replay_one(void *ctx, const struct sarhad_recorded_attempt *a)
{
    struct replay *r = ctx;
    struct sarhad_decision d;
    bool counted = in_range(r->opt, a->day);

    if (++r->read % REPLAY_BATCH == 0 && r->opt->progress != NULL &&
        !r->opt->progress(r->opt->ctx, r->read)) {
        r->cancelled = true;
        return false;
    }
    if (!a->replayable) {
        r->out->not_replayable += counted;
        return true;
    }
    if (r->in_batch == 0)
        r->status = sarhad_store_begin(r->scratch, r->err);
    if (r->status == SARHAD_OK)
        r->status = sarhad_ledger_cross(r->ledger, a->p, &r->who, r->now, &d,
                                        NULL, r->err);
    if (r->status == SARHAD_EINVAL || r->status == SARHAD_EFORMAT ||
        r->status == SARHAD_ECHECK) {
        /* The attempt's own fault: dropped alone, the batch goes on. */
        r->status = SARHAD_OK;
        r->out->not_replayable += counted;
        return true;
    }
    if (r->status == SARHAD_OK && ++r->in_batch == REPLAY_BATCH) {
        r->in_batch = 0;
        r->status = sarhad_store_commit(r->scratch, r->err);
    }
    if (r->status != SARHAD_OK)
        return false;
    if (!counted)
        return true;
    r->out->counted++;
    r->out->moved[a->outcome][d.outcome]++;
    if (a->outcome != d.outcome || strcmp(a->rule, d.rule) != 0) {
        r->out->changed++;
        if (r->opt->changed != NULL)
            r->opt->changed(r->opt->ctx, a, &d);
    }
    return true;
}

/* Remove the scratch directory and what the store left in it. */
static void
remove_scratch(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096 + 300];

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d != NULL)
        closedir(d);
    rmdir(dir);
}

/* The scratch ledger, under the draft, in dir. */
static enum sarhad_status
open_scratch(struct replay *r, const char *dir, const char *post,
             const char *draft_name, const char *text, size_t len)
{
    struct sarhad_store_options opt = {true, false, "OFF"};
    char path[4200];
    enum sarhad_status s;

    snprintf(path, sizeof(path), "%s/replay.db", dir);
    s = sarhad_store_open(&r->scratch, path, &opt, r->err);
    if (s == SARHAD_OK)
        s = sarhad_ledger_init(r->scratch, post, draft_name, text, len, &r->who,
                               r->now, r->err);
    if (s == SARHAD_OK)
        s = sarhad_ledger_open(&r->ledger, r->scratch, r->err);
    return s;
}

static enum sarhad_status
run(struct replay *r, struct sarhad_store *source, const char *dir,
    const char *draft_name, const char *text, size_t len)
{
    struct sarhad_screener *screener = NULL;
    enum sarhad_status s;

    s = open_scratch(r, dir, sarhad_store_post(source), draft_name, text, len);
    if (s == SARHAD_OK)
        s = sarhad_screener_open(&screener, source, r->err);
    if (s == SARHAD_OK && sarhad_screener_version(screener)[0] != '\0')
        sarhad_ledger_set_screener(r->ledger, screener);
    if (s == SARHAD_OK)
        s = sarhad_ledger_each_recorded(source, replay_one, r, r->err);
    if (s == SARHAD_OK && r->status != SARHAD_OK)
        s = r->status;
    if (s == SARHAD_OK && r->cancelled)
        s = sarhad__fail(r->err, SARHAD_EIO, "replay", SIZE_MAX,
                         "the replay was stopped");
    sarhad_screener_close(screener);
    sarhad_ledger_close(r->ledger);
    sarhad_store_close(r->scratch);
    return s;
}

enum sarhad_status
sarhad_replay(struct sarhad_store *source, const char *draft_name,
              const char *text, size_t len,
              const struct sarhad_replay_options *opt, int64_t now,
              struct sarhad_replay_result *out, struct sarhad_error *err)
{
    static const struct sarhad_replay_options none = {0};
    const char *tmp = opt != NULL ? opt->tmp_dir : NULL;
    struct replay r;
    char dir[4096];
    enum sarhad_status s;

    if (source == NULL || text == NULL || out == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "replay", SIZE_MAX,
                            "store, draft and result are required");
    if (tmp == NULL || tmp[0] == '\0')
        tmp = getenv("TMPDIR");
    if (snprintf(dir, sizeof(dir), "%s/sarhad-replay-XXXXXX",
                 tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp") >=
        (int)sizeof(dir))
        return sarhad__fail(err, SARHAD_EINVAL, "tmp_dir", SIZE_MAX,
                            "the scratch directory's path is too long");
    if (mkdtemp(dir) == NULL)
        return sarhad__fail(err, SARHAD_EIO, "tmp_dir", SIZE_MAX,
                            "cannot make a scratch directory in %s",
                            tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
    memset(&r, 0, sizeof(r));
    memset(out, 0, sizeof(*out));
    r.opt = opt != NULL ? opt : &none;
    r.out = out;
    r.err = err;
    r.now = now;
    sarhad__strlcpy(r.who.user, "replay", sizeof(r.who.user));
    sarhad__strlcpy(r.who.role, "officer", sizeof(r.who.role));
    s = run(&r, source, dir, draft_name != NULL ? draft_name : "draft", text,
            len);
    remove_scratch(dir);
    out->read = r.read;
    return s;
}
