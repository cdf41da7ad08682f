/*
 * serve_push.c - `sarhad serve --central`: a thread that pushes the post's
 * audit log to the national central store every --push-every seconds, and
 * takes from it the ministry's bundles the post has not applied (signed by
 * the key it trusts; applied through the writer, like an administrator's).  It
 * has its own read-only store handle and its own PostgreSQL connection and
 * never touches the writer: a slow or absent central costs the counters
 * nothing.  While the central cannot be reached it retries with a backoff
 * (1, 2, 4 ... seconds, at most the push interval or a minute), so a post
 * whose link was down catches up soon after the link returns.  Each call
 * sends one batch, so stopping waits for at most one batch in flight (or
 * PostgreSQL rolls it back when the connection goes): either is safe.
 *
 * What it knows is kept in atomics that the health and metrics routes
 * read: the state, entries not yet in the central, the last successful
 * push, failures.  Failures are logged (unless --quiet) when the state
 * changes; library messages hold no traveller data.
 */
#include "serve.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

struct serve_push {
    const char *conninfo;
    int every; /* seconds between pushes when up to date */
    pthread_t thread;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping; /* under mu */
    _Atomic int state;
    _Atomic int64_t pending;      /* -1 until the central was reached */
    _Atomic int64_t last_success; /* Unix seconds, 0 for never */
    _Atomic int64_t central_seq;  /* -1 until the central was reached */
    _Atomic uint64_t failures;
    _Atomic uint64_t pushed;
    _Atomic uint64_t bundles; /* bundles taken from the central, applied */
    /* The highest serial of each kind whose refusal was logged (the push
     * thread's own), so a refused bundle is told of once, not each pull. */
    int64_t refusal_logged[SARHAD_BUNDLE_KEY + 1];
};

enum { PUSH_STARTING, PUSH_OK, PUSH_FAILING };
static const char *const state_names[] = {"starting", "ok", "failing"};

/* Sleep up to seconds, or until the server stops; false when stopping. */
static bool
pause_for(struct serve_push *p, int seconds)
{
    struct timespec until;
    bool go_on;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += seconds;
    pthread_mutex_lock(&p->mu);
    while (!p->stopping && pthread_cond_timedwait(&p->cv, &p->mu, &until) == 0)
        ;
    go_on = !p->stopping;
    pthread_mutex_unlock(&p->mu);
    return go_on;
}

static bool
stopping(struct serve_push *p)
{
    bool stop;

    pthread_mutex_lock(&p->mu);
    stop = p->stopping;
    pthread_mutex_unlock(&p->mu);
    return stop;
}

static bool
count_entry(void *ctx, const struct sarhad_audit_entry *e)
{
    (void)e;
    ++*(int64_t *)ctx;
    return true;
}

/* While the central is away: the entries after the last it had. */
static void
count_pending(struct serve_push *p, struct sarhad_store *store)
{
    int64_t since = atomic_load(&p->central_seq), n = 0;

    if (store != NULL && since >= 0 &&
        sarhad_audit_read(store, since + 1, 0, count_entry, &n, NULL) ==
            SARHAD_OK)
        atomic_store(&p->pending, n);
}

static void
note_failure(struct server *srv, struct serve_push *p,
             const struct sarhad_error *err)
{
    atomic_fetch_add(&p->failures, 1);
    if (atomic_exchange(&p->state, PUSH_FAILING) != PUSH_FAILING && !srv->quiet)
        fprintf(stderr, "sarhad serve: push to the central failed: %s\n",
                err->message[0] ? err->message : sarhad_strerror(err->code));
}

/* Push until up to date (a batch per call, so a stop waits for one). */
static enum sarhad_status
push_all(struct serve_push *p, struct sarhad_central *central,
         struct sarhad_store *store, struct sarhad_error *err)
{
    struct sarhad_push_options opt = {SARHAD_PUSH_BATCH_DEFAULT, 1};
    struct sarhad_push_result r;
    enum sarhad_status s;

    do {
        s = sarhad_central_push(central, store, &opt, &r, err);
        if (r.central_seq >= 0)
            atomic_store(&p->central_seq, r.central_seq);
        if (s != SARHAD_OK)
            return s;
        atomic_fetch_add(&p->pushed, (uint64_t)r.pushed);
        atomic_store(&p->pending, r.local_seq > r.central_seq
                                      ? r.local_seq - r.central_seq
                                      : 0);
    } while (r.pushed == (int64_t)opt.batch && !stopping(p));
    return SARHAD_OK;
}

/* The ministry's bundles the central carries come in through the writer,
 * as an administrator's would, audited as applied by "central". */
static enum sarhad_status
apply_on_writer(void *ctx, const char *data, size_t len,
                struct sarhad_bundle_applied *out, struct sarhad_error *err)
{
    static const struct sarhad_actor central = {"central", "system", "", ""};

    return serve_apply_bundle(ctx, data, len, &central, out, err);
}

static void
tell_bundle(void *ctx, enum sarhad_bundle_kind kind, int64_t serial,
            const struct sarhad_bundle_applied *applied,
            enum sarhad_status status, const struct sarhad_error *why)
{
    struct server *srv = ctx;
    struct serve_push *p = srv->push;

    if (status == SARHAD_OK) {
        atomic_fetch_add(&p->bundles, 1);
        if (!srv->quiet)
            fprintf(stderr,
                    "sarhad serve: applied %s bundle %lld from the central: "
                    "%s\n",
                    sarhad_bundle_kind_name(kind), (long long)serial,
                    applied->result);
        return;
    }
    if (serial <= p->refusal_logged[kind])
        return;
    p->refusal_logged[kind] = serial;
    if (!srv->quiet)
        fprintf(stderr,
                "sarhad serve: %s bundle %lld from the central refused: "
                "%s%s%s\n",
                sarhad_bundle_kind_name(kind), (long long)serial, why->field,
                why->field[0] ? ": " : "",
                why->message[0] ? why->message : sarhad_strerror(status));
}

/* Take what the central carries for this post; nothing when it trusts no
 * ministry key (its policies and lists are published locally). */
static enum sarhad_status
pull_bundles(struct server *srv, struct sarhad_central *central,
             struct sarhad_store *store, struct sarhad_error *err)
{
    struct sarhad_pull_hooks hooks = {apply_on_writer, tell_bundle, srv};
    struct sarhad_pull_result result;
    enum sarhad_status s;

    if (srv->ledger == NULL)
        return SARHAD_OK;
    s = sarhad_central_pull(central, store, &hooks, &result, err);
    if (s == SARHAD_ENOTFOUND) {
        sarhad_error_clear(err);
        return SARHAD_OK;
    }
    return s;
}

static void *
push_main(void *arg)
{
    struct server *srv = arg;
    struct serve_push *p = srv->push;
    struct sarhad_store_options ro = {false, true, NULL};
    struct sarhad_store *store = NULL;
    struct sarhad_central *central = NULL;
    struct sarhad_error err;
    enum sarhad_status s;
    int backoff = 1, cap = p->every < 60 ? p->every : 60;

    do {
        sarhad_error_clear(&err);
        s = store != NULL ? SARHAD_OK
                          : sarhad_store_open(&store, srv->db_path, &ro, &err);
        if (s == SARHAD_OK && central == NULL)
            s = sarhad_central_open(&central, p->conninfo, &err);
        if (s == SARHAD_OK)
            s = push_all(p, central, store, &err);
        if (s == SARHAD_OK && !stopping(p))
            s = pull_bundles(srv, central, store, &err);
        if (s == SARHAD_OK) {
            if (atomic_exchange(&p->state, PUSH_OK) == PUSH_FAILING &&
                !srv->quiet)
                fprintf(stderr, "sarhad serve: push to the central "
                                "works again\n");
            atomic_store(&p->last_success, (int64_t)time(NULL));
            backoff = 1;
            continue;
        }
        note_failure(srv, p, &err);
        count_pending(p, store);
        /* A fresh connection next time: this one may be dead. */
        sarhad_central_close(central);
        central = NULL;
        if (!pause_for(p, backoff))
            break;
        backoff = backoff * 2 < cap ? backoff * 2 : cap;
    } while (s != SARHAD_OK || pause_for(p, p->every));
    sarhad_central_close(central);
    sarhad_store_close(store);
    return NULL;
}

int
serve_push_start(struct server *srv, const char *conninfo, int every)
{
    static struct serve_push push; /* one per server, for the run */
    struct serve_push *p = &push;

    memset(p, 0, sizeof(*p));
    p->conninfo = conninfo;
    p->every = every;
    atomic_store(&p->pending, -1);
    atomic_store(&p->central_seq, -1);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    srv->push = p;
    if (pthread_create(&p->thread, NULL, push_main, srv) != 0) {
        srv->push = NULL;
        return 1;
    }
    p->started = true;
    return 0;
}

void
serve_push_stop(struct server *srv)
{
    struct serve_push *p = srv->push;

    if (p == NULL || !p->started)
        return;
    pthread_mutex_lock(&p->mu);
    p->stopping = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    p->started = false;
}

json_t *
serve_push_health(struct server *srv)
{
    struct serve_push *p = srv->push;
    int64_t pending, last;
    char at[26];
    struct sarhad_time t;

    if (p == NULL)
        return json_pack("{s:s}", "state", "off");
    pending = atomic_load(&p->pending);
    last = atomic_load(&p->last_success);
    /* In the post's local time, as everything the console shows. */
    t = sarhad_time_from_unix(last, srv->utc_offset);
    sarhad_time_format(at, &t);
    return json_pack("{s:s, s:o, s:o}", "state",
                     state_names[atomic_load(&p->state)], "pending",
                     pending >= 0 ? json_integer(pending) : json_null(),
                     "last_success", last > 0 ? json_string(at) : json_null());
}

void
serve_push_metrics(struct server *srv, FILE *f)
{
    struct serve_push *p = srv->push;
    int64_t pending;

    if (p == NULL)
        return;
    pending = atomic_load(&p->pending);
    fputs("# HELP sarhad_push_pending_entries Audit entries the central "
          "store does not have yet (NaN before it was first reached).\n"
          "# TYPE sarhad_push_pending_entries gauge\n",
          f);
    if (pending >= 0)
        fprintf(f, "sarhad_push_pending_entries %lld\n", (long long)pending);
    else
        fputs("sarhad_push_pending_entries NaN\n", f);
    fprintf(f,
            "# HELP sarhad_push_last_success_timestamp_seconds When a push "
            "to the central last succeeded (0: never).\n"
            "# TYPE sarhad_push_last_success_timestamp_seconds gauge\n"
            "sarhad_push_last_success_timestamp_seconds %lld\n"
            "# HELP sarhad_push_failures_total Pushes to the central that "
            "failed.\n"
            "# TYPE sarhad_push_failures_total counter\n"
            "sarhad_push_failures_total %llu\n"
            "# HELP sarhad_push_entries_total Audit entries pushed to the "
            "central.\n"
            "# TYPE sarhad_push_entries_total counter\n"
            "sarhad_push_entries_total %llu\n"
            "# HELP sarhad_pull_bundles_total The ministry's bundles taken "
            "from the central and applied.\n"
            "# TYPE sarhad_pull_bundles_total counter\n"
            "sarhad_pull_bundles_total %llu\n",
            (long long)atomic_load(&p->last_success),
            (unsigned long long)atomic_load(&p->failures),
            (unsigned long long)atomic_load(&p->pushed),
            (unsigned long long)atomic_load(&p->bundles));
}
