/*
 * serve_replay.c - an analyst's what-if over the API: POST /v1/replays
 * decides every recorded attempt again under a draft policy, and GET
 * /v1/replays/{id} follows it and gives the result.  A replay reads the
 * whole record and takes seconds to minutes (about 7 s a hundred thousand
 * attempts), so it runs on a thread of its own with its own read-only
 * handle, never on the writer or a request's thread, and one at a time:
 * decisions at the counters go on beside it.  The draft is checked before
 * the replay starts, so its errors come back at once with line and column.
 * Who ran which draft over which days goes into the audit log (written by
 * the writer, like a lookup) before the replay reads anything; one that
 * cannot be recorded does not run.  The seq of that entry is the replay's
 * id.  Once it ends, done or failed, the replay is kept in the store
 * under that id (sarhad_replay_keep, by the writer), so GET /v1/replays
 * lists every replay run and GET /v1/replays/{id} gives any of them after
 * a restart.  One still running when the server is told to stop is
 * stopped at its next thousand attempts and kept as "stopped", with how
 * far it read, before the writer stops: the analyst sees that it did not
 * end, rather than finding it gone.
 */
#include "serve.h"

#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#define REPLAY_CHANGES_KEPT 500
#define REPLAY_MAX_ISSUES   64
#define REPLAY_LIST_MAX     50

enum replay_state {
    REPLAY_NONE,
    REPLAY_RUNNING,
    REPLAY_DONE,
    REPLAY_FAILED,
    REPLAY_STOPPED /* the server stopped before it ended */
};

static const char *const state_names[] = {"none", "running", "done", "failed",
                                          "stopped"};

/* The server's one running (or last) replay, under mu. */
struct serve_replay {
    struct server *srv;
    pthread_mutex_t mu;
    int64_t id;
    enum replay_state state;
    bool stop; /* shutdown asks the replay to end */
    bool joinable;
    pthread_t thread;
    /* what was asked */
    char by[32];
    char started[26], finished[26];
    char filename[128];
    char policy[48];
    int version;
    char from[11], to[11];
    char *text;
    size_t len;
    char db_path[4096];
    /* how it went */
    int64_t read;
    struct sarhad_replay_result result;
    json_t *changes; /* the first REPLAY_CHANGES_KEPT */
    struct sarhad_error err;
    bool keeping; /* ended, being kept: no other replay starts yet */
    bool kept;    /* in the store (sarhad_replay_keep) */
};

static json_t *state_json(const struct serve_replay *r);

static void
now_text(char out[26])
{
    struct sarhad_time t = sarhad_time_from_unix(serve_now(), 0);

    sarhad_time_format(out, &t);
}

/* What the writer keeps: the ended replay's id and document. */
struct kept_doc {
    int64_t id;
    char *doc;
};

/* On the writer: keep the ended replay. */
static void
keep_run(struct server *srv, struct request *req)
{
    const struct kept_doc *k = req->data;

    req->job.status =
        sarhad_replay_keep(srv->store, k->id, k->doc, &req->job.err);
}

/* The replay has ended: keep it in the store, as GET shows it.  Until
 * then no other replay starts (keeping), so the state stands still. */
static void
keep(struct serve_replay *r)
{
    struct kept_doc k;
    struct request req;
    json_t *state;
    bool kept = false;

    pthread_mutex_lock(&r->mu);
    k.id = r->id;
    state = state_json(r);
    k.doc = json_dumps(state, JSON_COMPACT);
    json_decref(state);
    pthread_mutex_unlock(&r->mu);
    memset(&req, 0, sizeof(req));
    req.data = &k;
    snprintf(req.actor.user, sizeof(req.actor.user), "%s", r->by);
    if (k.doc != NULL)
        kept = serve_run_internal(r->srv, &req, keep_run) == SARHAD_OK;
    if (!kept && !r->srv->quiet)
        fprintf(stderr, "sarhad serve: replay %lld not kept: %s\n",
                (long long)k.id,
                k.doc != NULL ? req.job.err.message : "out of memory");
    free(k.doc);
    pthread_mutex_lock(&r->mu);
    r->kept = kept;
    r->keeping = false;
    pthread_mutex_unlock(&r->mu);
}

static void
keep_change(void *ctx, const struct sarhad_recorded_attempt *a,
            const struct sarhad_decision *d)
{
    struct serve_replay *r = ctx;

    pthread_mutex_lock(&r->mu);
    if (json_array_size(r->changes) < REPLAY_CHANGES_KEPT)
        json_array_append_new(
            r->changes,
            json_pack("{s:I, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}}", "attempt",
                      (json_int_t)a->id, "day", a->day, "crossing", a->crossing,
                      "recorded", "decision", sarhad_outcome_name(a->outcome),
                      "rule", a->rule, "replayed", "decision",
                      sarhad_outcome_name(d->outcome), "rule", d->rule));
    pthread_mutex_unlock(&r->mu);
}

static bool
report_progress(void *ctx, int64_t read)
{
    struct serve_replay *r = ctx;
    bool go_on;

    pthread_mutex_lock(&r->mu);
    r->read = read;
    go_on = !r->stop;
    pthread_mutex_unlock(&r->mu);
    return go_on;
}

static void *
replay_thread(void *arg)
{
    struct serve_replay *r = arg;
    struct sarhad_store_options ro = {false, true, NULL};
    struct sarhad_replay_options opt;
    struct sarhad_replay_result result;
    struct sarhad_store *store = NULL;
    struct sarhad_error err;
    enum sarhad_status s;

    memset(&opt, 0, sizeof(opt));
    opt.from = r->from;
    opt.to = r->to;
    opt.changed = keep_change;
    opt.progress = report_progress;
    opt.ctx = r;
    sarhad_error_clear(&err);
    memset(&result, 0, sizeof(result));
    s = sarhad_store_open(&store, r->db_path, &ro, &err);
    if (s == SARHAD_OK)
        s = sarhad_replay(store, r->filename, r->text, r->len, &opt,
                          serve_now(), &result, &err);
    sarhad_store_close(store);
    pthread_mutex_lock(&r->mu);
    r->state = s == SARHAD_OK ? REPLAY_DONE : REPLAY_FAILED;
    r->result = result;
    r->read = result.read;
    r->err = err;
    if (s != SARHAD_OK && r->stop) {
        /* Cut short by the shutdown (progress said stop), not failed. */
        r->state = REPLAY_STOPPED;
        r->read = r->read > result.read ? r->read : result.read;
        sarhad_error_clear(&r->err);
        snprintf(r->err.message, sizeof(r->err.message),
                 "the server stopped after %lld attempts were read; run "
                 "the replay again",
                 (long long)r->read);
    }
    now_text(r->finished);
    r->keeping = true;
    free(r->text);
    r->text = NULL;
    pthread_mutex_unlock(&r->mu);
    keep(r);
    return NULL;
}

/* Check the draft as publication would; false after answering why. */
static bool
draft_sound(struct request *req, const char *filename, const char *text,
            size_t len, char name[48], int *version)
{
    struct sarhad_lint_issue issues[REPLAY_MAX_ISSUES];
    struct sarhad_policy *policy = NULL;
    struct sarhad_error err;
    unsigned n;
    bool errors = false;

    if (sarhad_policy_compile(&policy, filename, text, len, &err) !=
        SARHAD_OK) {
        serve_reply_uncompiled(req, "text", &err);
        return false;
    }
    n = sarhad_policy_lint(policy, issues, REPLAY_MAX_ISSUES);
    for (unsigned i = 0; i < n && i < REPLAY_MAX_ISSUES; i++)
        errors |= issues[i].is_error;
    snprintf(name, 48, "%s", sarhad_policy_name(policy));
    *version = sarhad_policy_version(policy);
    sarhad_policy_free(policy);
    if (!errors)
        return true;
    serve_reply_lint_refused(req, "text", "the draft has lint errors", issues,
                             n < REPLAY_MAX_ISSUES ? n : REPLAY_MAX_ISSUES);
    return false;
}

/* A day argument: "" or YYYY-MM-DD; false after answering why. */
static bool
day_arg(struct request *req, json_t *body, const char *name, char out[11])
{
    const char *v = serve_str(req, body, name, 10, false);
    struct sarhad_date d;
    struct sarhad_error err;

    if (v == NULL)
        return false;
    if (v[0] != '\0' &&
        sarhad_date_parse(&d, v, strlen(v), &err) != SARHAD_OK) {
        serve_reply_error(req, 400, "invalid", name, "a day is YYYY-MM-DD");
        return false;
    }
    snprintf(out, 11, "%s", v);
    return true;
}

static json_t *
moved_json(const struct sarhad_replay_result *res)
{
    json_t *moved = json_array();

    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            if (res->moved[i][j] > 0)
                json_array_append_new(
                    moved,
                    json_pack("{s:s, s:s, s:I}", "recorded",
                              sarhad_outcome_name((enum sarhad_outcome)i),
                              "replayed",
                              sarhad_outcome_name((enum sarhad_outcome)j),
                              "count", (json_int_t)res->moved[i][j]));
    return moved;
}

/* The replay as GET /v1/replays/{id} shows it (under mu). */
static json_t *
state_json(const struct serve_replay *r)
{
    bool done = r->state == REPLAY_DONE;

    return json_pack(
        "{s:I, s:s, s:s, s:s, s:s?, s:{s:s, s:s, s:i}, s:s?, s:s?, s:I, s:o*, "
        "s:O*, s:o*}",
        "id", (json_int_t)r->id, "state", state_names[r->state], "by", r->by,
        "started", r->started, "finished", r->finished[0] ? r->finished : NULL,
        "draft", "filename", r->filename, "policy", r->policy, "version",
        r->version, "from", r->from[0] ? r->from : NULL, "to",
        r->to[0] ? r->to : NULL, "read", (json_int_t)r->read, "result",
        done ? json_pack("{s:I, s:I, s:I, s:o}", "counted",
                         (json_int_t)r->result.counted, "changed",
                         (json_int_t)r->result.changed, "not_replayable",
                         (json_int_t)r->result.not_replayable, "moved",
                         moved_json(&r->result))
             : NULL,
        "changes", done ? r->changes : NULL, "error",
        r->state == REPLAY_FAILED || r->state == REPLAY_STOPPED
            ? json_pack("{s:s, s:s}", "field", r->err.field, "message",
                        r->err.message)
            : NULL);
}

/* On the writer: the replay's audit entry.  The draft's fields stand still
 * meanwhile: the replay is "running" (no other can start) and its thread
 * not yet started. */
static void
replay_audit_run(struct server *srv, struct request *req)
{
    struct serve_replay *r = srv->replay;
    struct sarhad_replay_options opt;
    int64_t seq = 0;

    memset(&opt, 0, sizeof(opt));
    opt.from = r->from[0] ? r->from : NULL;
    opt.to = r->to[0] ? r->to : NULL;
    req->job.status = sarhad_audit_replay(
        srv->store, &req->actor, serve_now(), r->policy, r->version,
        r->filename, r->text, r->len, &opt, &seq, &req->job.err);
    pthread_mutex_lock(&r->mu);
    r->id = seq; /* 0 when not recorded: no replay has that id */
    pthread_mutex_unlock(&r->mu);
}

/* Recorded: start the replay's thread and answer 202. */
static void
replay_audit_done(struct server *srv, struct request *req)
{
    struct serve_replay *r = srv->replay;
    bool recorded = req->job.status == SARHAD_OK;

    pthread_mutex_lock(&r->mu);
    if (recorded && r->stop) {
        /* The server is stopping: nothing was read, nothing is kept. */
        r->state = REPLAY_STOPPED;
        snprintf(r->err.message, sizeof(r->err.message),
                 "the server stopped before the replay began; run it again");
        free(r->text);
        r->text = NULL;
    } else if (recorded &&
               pthread_create(&r->thread, NULL, replay_thread, r) == 0) {
        r->joinable = true;
    } else {
        r->state = REPLAY_FAILED;
        snprintf(r->err.message, sizeof(r->err.message), "%s",
                 recorded ? "cannot start a thread for the replay"
                          : "the replay could not be recorded in the audit "
                            "log, so it did not run");
        free(r->text);
        r->text = NULL;
    }
    if (recorded)
        serve_reply_json(req, 202, state_json(r));
    else
        serve_reply_error(req, 503, "store_unavailable", NULL, r->err.message);
    pthread_mutex_unlock(&r->mu);
}

/* The draft POST /v1/replays asks to replay, checked. */
struct replay_draft {
    const char *filename; /* in the body; "draft.policy" when not given */
    json_t *text;         /* the body's */
    char from[11], to[11];
    char name[48]; /* the name the policy gives itself */
    int version;
};

/* Read the body's draft into *d and check it as a publication would be;
 * false after an error answer. */
static bool
read_draft(struct request *req, json_t *body, struct replay_draft *d)
{
    const char *filename = serve_str(req, body, "filename", 127, false);

    memset(d, 0, sizeof(*d));
    d->text = json_object_get(body, "text");
    if (filename != NULL &&
        (!json_is_string(d->text) ||
         json_string_length(d->text) > SARHAD_POLICY_MAX_LEN)) {
        serve_reply_error(req, 400, "invalid", "text",
                          "the draft is a string of at most 4 MiB");
        filename = NULL;
    }
    if (filename == NULL || !day_arg(req, body, "from", d->from) ||
        !day_arg(req, body, "to", d->to) ||
        !draft_sound(req, filename[0] ? filename : "draft.policy",
                     json_string_value(d->text), json_string_length(d->text),
                     d->name, &d->version))
        return false;
    d->filename = filename[0] ? filename : "draft.policy";
    return true;
}

/* Make the draft r's replay, asked for by req's user, in place of the
 * last one (joined, since it has ended); under r->mu.  It runs once its
 * audit entry is written. */
static void
reset_replay(struct serve_replay *r, const struct server *srv,
             const struct request *req, const struct replay_draft *d)
{
    if (r->joinable)
        pthread_join(r->thread, NULL); /* finished: state says so */
    r->joinable = false;
    json_decref(r->changes);
    memset(&r->result, 0, sizeof(r->result));
    sarhad_error_clear(&r->err);
    r->changes = json_array();
    r->id = 0; /* the seq of its audit entry, once written */
    r->state = REPLAY_RUNNING;
    r->read = 0;
    r->kept = false;
    r->finished[0] = '\0';
    snprintf(r->by, sizeof(r->by), "%s", req->actor.user);
    now_text(r->started);
    snprintf(r->filename, sizeof(r->filename), "%s", d->filename);
    snprintf(r->policy, sizeof(r->policy), "%s", d->name);
    r->version = d->version;
    memcpy(r->from, d->from, sizeof(d->from));
    memcpy(r->to, d->to, sizeof(d->to));
    r->len = json_string_length(d->text);
    r->text = xmalloc(r->len + 1);
    memcpy(r->text, json_string_value(d->text), r->len + 1);
    snprintf(r->db_path, sizeof(r->db_path), "%s", srv->db_path);
}

/* Answer 409: a replay is running (or starting, before it has an id). */
static void
reply_busy(struct request *req, const struct serve_replay *r)
{
    char msg[128];

    snprintf(msg, sizeof(msg),
             "replay %lld is running; follow it at /v1/replays/%lld and "
             "start the next when it ends",
             (long long)r->id, (long long)r->id);
    if (r->id == 0)
        snprintf(msg, sizeof(msg),
                 "a replay is starting; start the "
                 "next when it ends");
    serve_reply_error(req, 409, "conflict", NULL, msg);
}

void
route_replay_start(struct server *srv, struct request *req)
{
    static const char *const fields[] = {"filename", "text", "from", "to",
                                         NULL};
    static const char *const required[] = {"text", NULL};
    json_t *body = serve_body_object(req, fields, required);
    struct replay_draft draft;
    struct serve_replay *r = srv->replay;
    bool busy;

    if (body == NULL)
        return;
    if (!read_draft(req, body, &draft)) {
        json_decref(body);
        return;
    }
    pthread_mutex_lock(&r->mu);
    if (r->stop) {
        pthread_mutex_unlock(&r->mu);
        json_decref(body);
        serve_reply_error(req, 503, "shutting_down", NULL,
                          "the server is stopping; start the replay once it "
                          "is back");
        return;
    }
    busy = r->state == REPLAY_RUNNING || r->keeping;
    if (busy)
        reply_busy(req, r);
    else
        reset_replay(r, srv, req, &draft);
    pthread_mutex_unlock(&r->mu);
    json_decref(body);
    if (!busy)
        serve_submit(srv, req, replay_audit_run, replay_audit_done);
}

/* The running or last replay while it is not kept yet, else the kept
 * one read back from the store. */
void
route_replay(struct server *srv, struct request *req)
{
    struct serve_replay *r = srv->replay;
    struct sarhad_store *ro;
    struct sarhad_error err;
    enum sarhad_status s;
    char *end, *doc = NULL;
    long long id = strtoll(req->param, &end, 10);
    bool live;

    if (*end != '\0' || id < 1) {
        serve_reply_error(req, 404, "not_found", "id", "no such replay");
        return;
    }
    pthread_mutex_lock(&r->mu);
    live = id == r->id && !r->kept;
    if (live)
        serve_reply_json(req, 200, state_json(r));
    pthread_mutex_unlock(&r->mu);
    if (live)
        return;
    ro = serve_reader(srv);
    s = ro != NULL ? sarhad_replay_find(ro, id, &doc, &err) : SARHAD_EIO;
    if (s == SARHAD_OK)
        serve_reply_owned(req, 200, "application/json", doc, strlen(doc));
    else if (s == SARHAD_ENOTFOUND)
        serve_reply_error(req, 404, "not_found", "id", "no such replay");
    else
        serve_reply_status(req, s, &err);
}

static bool
add_kept(void *ctx, int64_t id, const char *doc)
{
    json_t *item = json_loads(doc, 0, NULL);

    (void)id;
    if (item != NULL)
        json_array_append_new(ctx, item);
    return true;
}

/* GET /v1/replays[?before=ID]: the replays run, newest first, without
 * their changes: the one running (or not yet kept) first, then the kept
 * ones, REPLAY_LIST_MAX at a time; "next" pages on. */
void
route_replays(struct server *srv, struct request *req)
{
    struct serve_replay *r = srv->replay;
    const char *before_arg = serve_query(req, "before");
    struct sarhad_store *ro;
    struct sarhad_error err;
    enum sarhad_status s;
    json_t *list = json_array(), *last;
    long long before = 0;
    char *end = NULL;

    if (before_arg != NULL) {
        before = strtoll(before_arg, &end, 10);
        if (*before_arg == '\0' || *end != '\0' || before < 1) {
            json_decref(list);
            serve_reply_error(req, 400, "invalid", "before",
                              "expected a replay's id");
            return;
        }
    }
    pthread_mutex_lock(&r->mu);
    if (r->state != REPLAY_NONE && r->id > 0 && !r->kept &&
        (before == 0 || r->id < before)) {
        json_t *item = state_json(r);
        json_object_del(item, "changes");
        json_array_append_new(list, item);
    }
    pthread_mutex_unlock(&r->mu);
    ro = serve_reader(srv);
    s = ro != NULL ? sarhad_replay_list(ro, before, REPLAY_LIST_MAX, add_kept,
                                        list, &err)
                   : SARHAD_EIO;
    if (s != SARHAD_OK) {
        json_decref(list);
        serve_reply_status(req, s, &err);
        return;
    }
    last = json_array_get(list, json_array_size(list) - 1);
    serve_reply_json(req, 200,
                     json_pack("{s:o, s:O?}", "replays", list, "next",
                               json_array_size(list) >= REPLAY_LIST_MAX
                                   ? json_object_get(last, "id")
                                   : NULL));
}

void
serve_replay_start(struct server *srv)
{
    srv->replay = xmalloc(sizeof(*srv->replay));
    memset(srv->replay, 0, sizeof(*srv->replay));
    srv->replay->srv = srv;
    pthread_mutex_init(&srv->replay->mu, NULL);
}

/* Shutdown, while the writer still runs: a replay under way stops at its
 * next thousand attempts and is kept; no other starts. */
void
serve_replay_halt(struct server *srv)
{
    struct serve_replay *r = srv->replay;
    bool joinable;

    if (r == NULL)
        return;
    pthread_mutex_lock(&r->mu);
    r->stop = true;
    joinable = r->joinable;
    r->joinable = false;
    pthread_mutex_unlock(&r->mu);
    if (joinable)
        pthread_join(r->thread, NULL);
}

void
serve_replay_stop(struct server *srv)
{
    struct serve_replay *r = srv->replay;

    if (r == NULL)
        return;
    serve_replay_halt(srv); /* one whose audit entry was written late */
    json_decref(r->changes);
    free(r->text);
    pthread_mutex_destroy(&r->mu);
    free(r);
    srv->replay = NULL;
}
