/*
 * serve_national.c - the ministry's view (--national CONNINFO): the
 * national reports over every post that pushed to the central store, and
 * the posts as the central knows them (their last push, the policy they
 * published, the bundles they applied), for the ministry's analysts,
 * administrators and auditors at the console.  Officers and supervisors
 * belong to a post and see only its own figures.
 *
 * One libpq connection, opened on first use and shared under a mutex (the
 * pool threads take turns; a report is a single query): a connection that
 * failed is closed and the next request connects again, so a central that
 * was down is used as soon as it is back.  The pool threads serve the
 * post's other routes too, so none of them waits long here: a request
 * that cannot have the connection within a few seconds, or comes within
 * RETRY_AFTER seconds of a failed attempt to connect, is answered 503 at
 * once.  A server without --national answers these routes 404
 * "not_national".
 */
#include "serve.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WAIT_SECONDS 3 /* for the connection another request holds */
#define RETRY_AFTER  5 /* after a failed attempt to connect */

struct serve_national {
    pthread_mutex_t lock;
    char *conninfo;
    struct sarhad_central *central; /* NULL until connected, or after a
                                       failure */
    int64_t retry_at;               /* no new attempt before (unix s) */
    int64_t silent_after;           /* seconds without a push: a silent post */
};

int
serve_national_start(struct server *srv, const char *conninfo,
                     int64_t silent_after)
{
    struct serve_national *n = calloc(1, sizeof(*n));

    if (n == NULL || (n->conninfo = strdup(conninfo)) == NULL) {
        free(n);
        return -1;
    }
    pthread_mutex_init(&n->lock, NULL);
    n->silent_after = silent_after;
    srv->national = n;
    return 0;
}

void
serve_national_stop(struct server *srv)
{
    struct serve_national *n = srv->national;

    if (n == NULL)
        return;
    sarhad_central_close(n->central);
    sarhad_wipe(n->conninfo, strlen(n->conninfo)); /* may hold a password */
    free(n->conninfo);
    pthread_mutex_destroy(&n->lock);
    free(n);
    srv->national = NULL;
}

bool
serve_national_on(const struct server *srv)
{
    return srv->national != NULL;
}

/* Run fn on the connection, connecting first when there is none; a
 * connection that failed is dropped for the next request to replace. */
static enum sarhad_status
with_central(struct serve_national *n,
             enum sarhad_status (*fn)(struct sarhad_central *c, void *ctx,
                                      struct sarhad_error *err),
             void *ctx, struct sarhad_error *err)
{
    enum sarhad_status s = SARHAD_OK;
    struct timespec until;
    int64_t now;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += WAIT_SECONDS;
    if (pthread_mutex_timedlock(&n->lock, &until) != 0) {
        err->code = SARHAD_EIO;
        snprintf(err->message, sizeof(err->message),
                 "the central store is busy with another request; try again");
        return SARHAD_EIO;
    }
    now = serve_now();
    if (n->central == NULL && now < n->retry_at) {
        s = SARHAD_EIO;
        err->code = s;
        snprintf(err->message, sizeof(err->message),
                 "the central store could not be reached; trying again in "
                 "%lld s",
                 (long long)(n->retry_at - now));
    } else if (n->central == NULL) {
        s = sarhad_central_open(&n->central, n->conninfo, err);
        if (s != SARHAD_OK)
            n->retry_at = now + RETRY_AFTER;
    }
    if (s == SARHAD_OK)
        s = fn(n->central, ctx, err);
    if (s == SARHAD_EIO && n->central != NULL) {
        sarhad_central_close(n->central);
        n->central = NULL;
    }
    pthread_mutex_unlock(&n->lock);
    return s;
}

/* A request for the national view on a server without one. */
static bool
not_national(struct server *srv, struct request *req)
{
    if (srv->national != NULL)
        return false;
    serve_reply_error(req, 404, "not_national", NULL,
                      "this server has no national view: start it with "
                      "--national CONNINFO");
    return true;
}

/* The central's errors as the API says them: unreachable is 503
 * "central_unavailable" (the store is fine), the rest as usual. */
static void
reply_central_status(struct request *req, enum sarhad_status s,
                     const struct sarhad_error *err)
{
    if (s == SARHAD_EIO || s == SARHAD_EDB)
        serve_reply_error(req, 503, "central_unavailable", NULL,
                          err->message[0] ? err->message
                                          : "the central store cannot be "
                                            "reached");
    else
        serve_reply_status(req, s, err);
}

/* ---- reports ---- */

struct report_call {
    enum sarhad_report_kind kind;
    const struct sarhad_report_filter *filter;
    bool (*fn)(void *ctx, const struct sarhad_report_row *row);
    void *ctx;
};

static enum sarhad_status
run_report(struct sarhad_central *c, void *ctx, struct sarhad_error *err)
{
    struct report_call *call = ctx;

    return sarhad_central_report(c, call->kind, call->filter, call->fn,
                                 call->ctx, err);
}

static enum sarhad_status
national_report(struct server *srv, enum sarhad_report_kind kind,
                const struct sarhad_report_filter *filter,
                bool (*fn)(void *ctx, const struct sarhad_report_row *row),
                void *ctx, struct sarhad_error *err)
{
    struct report_call call = {kind, filter, fn, ctx};

    return with_central(srv->national, run_report, &call, err);
}

void
route_national_report(struct server *srv, struct request *req)
{
    if (!not_national(srv, req))
        serve_report(srv, req, national_report, reply_central_status);
}

/* ---- the posts ---- */

struct posts {
    json_t *list;
    int64_t silent_after;
};

/* A post as the ministry's console lists it: silent when the central has
 * not heard from it for silent_after seconds, by the central's clock. */
static bool
add_post(void *ctx, const struct sarhad_central_post *p)
{
    struct posts *out = ctx;

    json_array_append_new(
        out->list,
        json_pack("{s:s, s:I, s:s?, s:s?, s:I, s:b, s:I, s:b, s:s?, s:I, s:I}",
                  "post", p->post, "last_seq", (json_int_t)p->last_seq,
                  "last_event_at",
                  p->last_event_at[0] ? p->last_event_at : NULL, "last_push_at",
                  p->last_push_at[0] ? p->last_push_at : NULL, "since_push",
                  (json_int_t)p->since_push, "silent",
                  p->since_push >= out->silent_after, "checkpoints",
                  (json_int_t)p->checkpoints, "has_key", p->has_key, "policy",
                  p->policy[0] ? p->policy : NULL, "policy_bundle",
                  (json_int_t)p->policy_bundle, "watchlist_bundle",
                  (json_int_t)p->watchlist_bundle));
    return true;
}

static enum sarhad_status
run_posts(struct sarhad_central *c, void *ctx, struct sarhad_error *err)
{
    return sarhad_central_status(c, add_post, ctx, err);
}

void
route_national_posts(struct server *srv, struct request *req)
{
    struct sarhad_error err;
    struct posts posts;
    enum sarhad_status s;

    if (not_national(srv, req))
        return;
    posts.list = json_array();
    posts.silent_after = srv->national->silent_after;
    sarhad_error_clear(&err);
    s = with_central(srv->national, run_posts, &posts, &err);
    if (s != SARHAD_OK) {
        json_decref(posts.list);
        reply_central_status(req, s, &err);
        return;
    }
    serve_reply_json(req, 200,
                     json_pack("{s:o, s:I}", "posts", posts.list,
                               "silent_after", (json_int_t)posts.silent_after));
}
