/*
 * serve_writer.c - the one thread that writes the store, and the one that
 * makes its writes durable.  Requests that change something (a decision,
 * a resolution, a login, a policy) are queued here while their
 * connections wait, suspended.  The writer runs the jobs in one
 * transaction as they come (a decision that fails for its own reasons
 * writes nothing, so the others go on) and keeps it open while the flusher
 * is busy; once the flusher is free it signs an audit checkpoint (at most
 * once a second) and commits.  The store runs with synchronous=NORMAL, so
 * the commit does not wait for the disk: the group goes to the flusher,
 * whose one fdatasync of the log makes it durable, and only then are its
 * connections resumed and answered.  So a client never hears of a decision
 * that a power cut could take back, the writer records while the disk
 * works, and each group holds everything that arrived during the last
 * flush.  The server's own threads queue work the same way (the push
 * thread applying a bundle from the central): such a job has no
 * connection, and its thread waits until the flusher says it is durable.
 */
#include "serve.h"

#include <stdio.h>
#include <string.h>

/* Queue req's job; false when the server is stopping (nothing queued).
 * A request from a connection (conn not NULL) is suspended until done. */
static bool
submit(struct server *srv, struct request *req,
       void (*run)(struct server *, struct request *),
       void (*done)(struct server *, struct request *), bool alone)
{
    req->job.alone = alone;
    req->job.run = run;
    req->job.done = done;
    req->job.next = NULL;
    req->job.status = SARHAD_OK;
    req->job.is_write_error = false;
    req->job.finished = false;
    sarhad_error_clear(&req->job.err);
    pthread_mutex_lock(&srv->mu);
    if (srv->stopping) {
        /* The writer has drained its queue and gone (shutdown): a job that
         * arrived after the drain is refused, not left waiting for ever. */
        pthread_mutex_unlock(&srv->mu);
        if (req->conn != NULL)
            serve_reply_error(req, 503, "shutting_down", NULL,
                              "the server is stopping; nothing was recorded");
        return false;
    }
    /* Suspend before queueing: the writer may resume it at once.  Under
     * the lock, so the writer cannot stop in between; the writer never
     * calls libmicrohttpd while it holds the lock. */
    if (req->conn != NULL) {
        MHD_suspend_connection(req->conn);
        req->suspended = true;
    }
    if (srv->tail != NULL)
        srv->tail->next = &req->job;
    else
        srv->head = &req->job;
    srv->tail = &req->job;
    srv->queued++;
    pthread_cond_signal(&srv->cv);
    pthread_mutex_unlock(&srv->mu);
    return true;
}

void
serve_submit(struct server *srv, struct request *req,
             void (*run)(struct server *, struct request *),
             void (*done)(struct server *, struct request *))
{
    submit(srv, req, run, done, false);
}

void
serve_submit_alone(struct server *srv, struct request *req,
                   void (*run)(struct server *, struct request *),
                   void (*done)(struct server *, struct request *))
{
    submit(srv, req, run, done, true);
}

enum sarhad_status
serve_run_internal(struct server *srv, struct request *req,
                   void (*run)(struct server *, struct request *))
{
    req->conn = NULL;
    if (!submit(srv, req, run, NULL, true)) {
        req->job.err.code = SARHAD_EIO;
        snprintf(req->job.err.message, sizeof(req->job.err.message),
                 "the server is stopping; nothing was recorded");
        return SARHAD_EIO;
    }
    pthread_mutex_lock(&srv->mu);
    while (!req->job.finished)
        pthread_cond_wait(&srv->internal_cv, &srv->mu);
    pthread_mutex_unlock(&srv->mu);
    return req->job.status;
}

static struct request *
job_request(struct job *job)
{
    return (struct request *)(void *)((char *)job -
                                      offsetof(struct request, job));
}

static bool
is_store_failure(enum sarhad_status s)
{
    return s == SARHAD_EIO || s == SARHAD_EDB || s == SARHAD_EBUSY ||
           s == SARHAD_ENOMEM;
}

/* The job is durable (or failed): answer its connection, or wake the
 * server's own thread waiting for it (serve_run_internal). */
static void
resume(struct server *srv, struct job *j)
{
    struct request *req = job_request(j);

    if (req->conn == NULL) {
        pthread_mutex_lock(&srv->mu);
        j->finished = true;
        pthread_cond_broadcast(&srv->internal_cv);
        pthread_mutex_unlock(&srv->mu);
        return;
    }
    req->resumed = true;
    MHD_resume_connection(req->conn);
}

/* Jobs done (committed, or failed with nothing written) go to the
 * flusher; they are answered once the disk has what they committed. */
static void
hand_over(struct server *srv, struct job *list)
{
    struct job *last = list;

    if (list == NULL)
        return;
    while (last->next != NULL)
        last = last->next;
    pthread_mutex_lock(&srv->mu);
    if (srv->flush_tail != NULL)
        srv->flush_tail->next = list;
    else
        srv->flush_head = list;
    srv->flush_tail = last;
    srv->flusher_idle = false; /* work is waiting for it */
    pthread_cond_signal(&srv->flush_cv);
    pthread_mutex_unlock(&srv->mu);
}

/* One fdatasync covers every job handed over before it began. */
static void *
flusher_main(void *arg)
{
    struct server *srv = arg;

    pthread_mutex_lock(&srv->mu);
    for (;;) {
        struct job *list;
        struct sarhad_error err;
        if (srv->flush_head == NULL) {
            /* Free again: the writer may commit its open group now. */
            srv->flusher_idle = true;
            pthread_cond_signal(&srv->cv);
        }
        while (srv->flush_head == NULL && !srv->flush_stopping)
            pthread_cond_wait(&srv->flush_cv, &srv->mu);
        if (srv->flush_head == NULL)
            break;
        list = srv->flush_head;
        srv->flush_head = srv->flush_tail = NULL;
        pthread_mutex_unlock(&srv->mu);
        sarhad_error_clear(&err);
        if (sarhad_store_flush(srv->store, &err) != SARHAD_OK) {
            if (!srv->quiet)
                fprintf(stderr, "sarhad serve: %s\n", err.message);
            for (struct job *j = list; j != NULL; j = j->next)
                if (j->status == SARHAD_OK) {
                    j->status = SARHAD_EIO;
                    j->err = err;
                }
        }
        for (struct job *j = list, *next; j != NULL; j = next) {
            next = j->next;
            resume(srv, j);
        }
        pthread_mutex_lock(&srv->mu);
    }
    pthread_mutex_unlock(&srv->mu);
    return NULL;
}

/* The group being recorded.  Its transaction stays open, taking in the
 * jobs that arrive, while the flusher waits for the disk; it commits when
 * the flusher is free, so one fsync covers everything that came meanwhile. */
struct group {
    struct job *head, *tail;
    size_t count;
    bool open, failed;
    struct sarhad_error err;
};

/* Run list's jobs in the group's transaction (begun on first use). */
static void
group_run(struct server *srv, struct group *g, struct job *list)
{
    if (!g->open) {
        sarhad_error_clear(&g->err);
        g->failed = sarhad_store_begin(srv->store, &g->err) != SARHAD_OK;
        g->open = true;
    }
    for (struct job *j = list, *next; j != NULL; j = next) {
        next = j->next;
        j->next = NULL;
        if (g->tail != NULL)
            g->tail->next = j;
        else
            g->head = j;
        g->tail = j;
        g->count++;
        if (g->failed)
            continue;
        j->run(srv, job_request(j));
        if (j->status != SARHAD_OK && is_store_failure(j->status)) {
            j->is_write_error = true;
            g->failed = true;
        }
    }
}

/* Commit the group (or roll it back) and hand it to the flusher. */
static void
group_end(struct server *srv, struct group *g)
{
    int64_t now = serve_now();
    bool failed = g->failed;

    if (!failed && srv->key != NULL && now - srv->last_checkpoint >= 1) {
        if (sarhad_audit_checkpoint(srv->store, srv->key, now, &g->err) ==
            SARHAD_OK)
            srv->last_checkpoint = now;
        else if (!srv->quiet)
            fprintf(stderr, "sarhad serve: checkpoint: %s\n", g->err.message);
    }
    if (!failed)
        failed = sarhad_store_commit(srv->store, &g->err) != SARHAD_OK;
    else
        sarhad_store_rollback(srv->store);
    atomic_fetch_add(&srv->metrics.batches, 1);
    atomic_fetch_add(&srv->metrics.batch_items, g->count);
    if (failed) {
        atomic_fetch_add(&srv->metrics.batch_failures, 1);
        if (!srv->quiet)
            fprintf(stderr, "sarhad serve: a write batch of %zu failed: %s\n",
                    g->count,
                    g->err.message[0] ? g->err.message : "store error");
    }
    for (struct job *j = g->head; failed && j != NULL; j = j->next) {
        if (j->status == SARHAD_OK || j->is_write_error ||
            j->status == SARHAD_EAUTH) {
            j->status = SARHAD_EIO;
            sarhad_error_clear(&j->err);
            j->err.code = SARHAD_EIO;
            snprintf(j->err.message, sizeof(j->err.message),
                     "the store could not record this; nothing was "
                     "changed, try again");
        }
    }
    hand_over(srv, g->head);
    memset(g, 0, sizeof(*g));
}

/*
 * A job that must not share a transaction (a policy publication switches
 * the ledger's policy when it commits) runs on its own between batches.
 */
static void
run_alone(struct server *srv, struct job *j)
{
    struct request *req = job_request(j);

    j->run(srv, req);
    atomic_fetch_add(&srv->metrics.batches, 1);
    atomic_fetch_add(&srv->metrics.batch_items, 1);
    j->next = NULL;
    hand_over(srv, j);
}

static void *
writer_main(void *arg)
{
    struct server *srv = arg;
    struct group g;

    memset(&g, 0, sizeof(g));
    for (;;) {
        struct job *take, *last;
        bool flusher_idle, stopping;

        pthread_mutex_lock(&srv->mu);
        while (srv->head == NULL && !srv->stopping &&
               !(g.open && srv->flusher_idle))
            pthread_cond_wait(&srv->cv, &srv->mu);
        stopping = srv->stopping;
        if (srv->head == NULL && stopping && !g.open) {
            pthread_mutex_unlock(&srv->mu);
            break;
        }
        /* What is queued, up to a job that must run alone (or that job,
         * when it comes first). */
        take = last = srv->head;
        if (take != NULL) {
            size_t n = 1;
            while (!take->alone && last->next != NULL && !last->next->alone)
                last = last->next, n++;
            srv->head = last->next;
            if (srv->head == NULL)
                srv->tail = NULL;
            last->next = NULL;
            srv->queued -= n;
        }
        flusher_idle = srv->flusher_idle;
        pthread_mutex_unlock(&srv->mu);
        if (take != NULL && take->alone) {
            if (g.open)
                group_end(srv, &g);
            run_alone(srv, take);
            continue;
        }
        if (take != NULL)
            group_run(srv, &g, take);
        if (g.open && (flusher_idle || stopping || take == NULL ||
                       g.count >= SERVE_MAX_BATCH))
            group_end(srv, &g);
    }
    return NULL;
}

int
serve_writer_start(struct server *srv)
{
    pthread_cond_init(&srv->flush_cv, NULL);
    pthread_cond_init(&srv->internal_cv, NULL);
    srv->flusher_idle = true;
    if (pthread_create(&srv->flusher, NULL, flusher_main, srv) != 0)
        return -1;
    if (pthread_create(&srv->writer, NULL, writer_main, srv) != 0) {
        pthread_mutex_lock(&srv->mu);
        srv->flush_stopping = true;
        pthread_cond_signal(&srv->flush_cv);
        pthread_mutex_unlock(&srv->mu);
        pthread_join(srv->flusher, NULL);
        return -1;
    }
    return 0;
}

void
serve_writer_stop(struct server *srv)
{
    pthread_mutex_lock(&srv->mu);
    srv->stopping = true;
    pthread_cond_signal(&srv->cv);
    pthread_mutex_unlock(&srv->mu);
    pthread_join(srv->writer, NULL);
    /* The flusher answers what the writer handed it, then stops. */
    pthread_mutex_lock(&srv->mu);
    srv->flush_stopping = true;
    pthread_cond_signal(&srv->flush_cv);
    pthread_mutex_unlock(&srv->mu);
    pthread_join(srv->flusher, NULL);
    pthread_cond_destroy(&srv->flush_cv);
}
