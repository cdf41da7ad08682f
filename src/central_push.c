/*
 * central_push.c - a post's push to the central: batch after batch, each
 * one PostgreSQL transaction that takes the post's advisory lock, reads
 * how far the central has the post (its last seq and hash), checks the
 * post still has that entry with that hash, and sends what follows.  The
 * post's bookkeeping row moves in the same transaction as the rows, so
 * the central's high-water mark is always exactly what it holds: a push
 * killed at any moment leaves whole batches, and the next one resumes
 * there.  Two pushes of one post at once queue on the lock.
 *
 * The rows of a batch go in libpq's pipeline mode, a few hundred
 * statements in flight at a time, so a post on a slow link pays a round
 * trip per few hundred rows rather than one per row.
 */
#include "central.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* The class of the central's per-post advisory locks ("sarh"). */
static const char sql_lock[] =
    "SELECT pg_advisory_xact_lock(1935766120, hashtext($1))";
static const char sql_post_get[] =
    "SELECT last_seq, last_hash, public_key, last_checkpoint_seq"
    " FROM post WHERE code = $1";
static const char sql_post_add[] =
    "INSERT INTO post (code, last_hash) VALUES ($1, $2)";
static const char sql_post_key[] =
    "UPDATE post SET public_key = $2 WHERE code = $1 AND public_key IS NULL";
static const char sql_post_advance[] =
    "UPDATE post SET last_seq = $2, last_hash = $3,"
    " last_event_at = coalesce($4::timestamptz, last_event_at),"
    " last_checkpoint_seq = $5, last_push_at = now() WHERE code = $1";
static const char sql_commit[] = "COMMIT";

/* Statements in flight before their results are read: a few hundred rows
 * per round trip, and never so many results waiting that the server
 * blocks writing them while we block writing to it. */
#define IN_FLIGHT 256

/* How far the central has the post, read under the post's lock. */
struct central_head {
    int64_t seq;
    unsigned char hash[32];
    bool has_key;
    unsigned char key[32];
    int64_t checkpoint_seq;
};

struct push {
    struct sarhad_central *central;
    struct sarhad_store *store;
    size_t batch;
    bool has_key;
    unsigned char key[32];
    struct sarhad_push_result *result;
};

static enum sarhad_status
run(struct sarhad_central *c, const char *sql, struct sarhad__pg_params *p,
    const char *what, PGresult **out, struct sarhad_error *err)
{
    PGresult *res = sarhad__central_run(c, sql, p, what, err);

    if (res == NULL)
        return err != NULL && err->code != SARHAD_OK ? err->code : SARHAD_EDB;
    if (out != NULL)
        *out = res;
    else
        PQclear(res);
    return SARHAD_OK;
}

/* Lock the post and read its row, adding it at the first push. */
static enum sarhad_status
read_head(struct push *ps, struct central_head *h, struct sarhad_error *err)
{
    struct sarhad__pg_params p = {0};
    static const unsigned char zeros[32];
    PGresult *res = NULL;
    enum sarhad_status s;

    memset(h, 0, sizeof(*h));
    sarhad__pg_text(&p, ps->store->post);
    s = run(ps->central, sql_lock, &p, "lock the post", NULL, err);
    if (s == SARHAD_OK)
        s = run(ps->central, sql_post_get, &p, "read the post", &res, err);
    if (s != SARHAD_OK)
        return s;
    if (PQntuples(res) == 0) {
        PQclear(res);
        sarhad__pg_bytes(&p, zeros, 32);
        return run(ps->central, sql_post_add, &p, "add the post", NULL, err);
    }
    h->seq = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    h->checkpoint_seq = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
    h->has_key = !PQgetisnull(res, 0, 2);
    if (!sarhad__pg_bytea(h->hash, 32, res, 0, 1) ||
        (h->has_key && !sarhad__pg_bytea(h->key, 32, res, 0, 2)))
        s = sarhad__fail(err, SARHAD_EDB, "central", SIZE_MAX,
                         "the central's row for the post is malformed");
    PQclear(res);
    return s;
}

/* The post's key must be the one the central recorded; the first one the
 * post has is recorded now. */
static enum sarhad_status
check_key(struct push *ps, const struct central_head *h,
          struct sarhad_error *err)
{
    struct sarhad__pg_params p = {0};

    if (h->has_key && (!ps->has_key || sodium_memcmp(h->key, ps->key, 32)))
        return sarhad__fail(err, SARHAD_ESIGN, "key", SIZE_MAX,
                            "the central recorded another audit public key "
                            "for post %s than this store has: not the "
                            "post's store, or its key was replaced",
                            ps->store->post);
    if (h->has_key || !ps->has_key)
        return SARHAD_OK;
    sarhad__pg_text(&p, ps->store->post);
    sarhad__pg_bytes(&p, ps->key, 32);
    return run(ps->central, sql_post_key, &p, "record the post's key", NULL,
               err);
}

/* Statements sent in pipeline mode and the results read back. */
struct pipe {
    PGconn *conn;
    long sent, read;
    enum sarhad_status s;
    struct sarhad_central *central;
    struct sarhad_error *err;
};

/* Read results until at most keep statements are in flight, keeping the
 * first failure. */
static void
pipe_read(struct pipe *pp, long keep)
{
    if (pp->sent - pp->read > keep &&
        (PQsendFlushRequest(pp->conn) != 1 || PQflush(pp->conn) != 0)) {
        pp->s =
            sarhad__central_fail(pp->central, NULL, "send a batch", pp->err);
        return;
    }
    while (pp->sent - pp->read > keep) {
        PGresult *res = PQgetResult(pp->conn);
        ExecStatusType st =
            res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;

        if (res == NULL && PQstatus(pp->conn) != CONNECTION_OK) {
            if (pp->s == SARHAD_OK)
                pp->s = sarhad__central_fail(pp->central, NULL, "send a batch",
                                             pp->err);
            return;
        }
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
            st != PGRES_PIPELINE_ABORTED && pp->s == SARHAD_OK)
            pp->s = sarhad__central_fail(pp->central, res, "store a batch",
                                         pp->err);
        if (st == PGRES_PIPELINE_ABORTED && pp->s == SARHAD_OK)
            pp->s = sarhad__fail(pp->err, SARHAD_EDB, "central", SIZE_MAX,
                                 "the central aborted the batch");
        PQclear(res);
        if (res != NULL)
            PQclear(PQgetResult(pp->conn)); /* the NULL ending its results */
        pp->read++;
    }
}

static void
pipe_send(struct pipe *pp, const char *sql, const struct sarhad__pg_params *p)
{
    char name[8];

    if (pp->s != SARHAD_OK)
        return;
    /* Prepared before the pipeline began (prepare_all): only named here. */
    if (sarhad__central_stmt(pp->central, sql, name, pp->err) == NULL) {
        pp->s = pp->err != NULL ? pp->err->code : SARHAD_EDB;
        return;
    }
    if (PQsendQueryPrepared(pp->conn, name, p->n, p->value, p->len, p->format,
                            0) != 1) {
        pp->s =
            sarhad__central_fail(pp->central, NULL, "send a batch", pp->err);
        return;
    }
    pp->sent++;
    pipe_read(pp, IN_FLIGHT);
}

/* Close the pipeline: read every result and the sync, leave the mode. */
static void
pipe_end(struct pipe *pp)
{
    PGresult *res;

    if (PQpipelineSync(pp->conn) != 1) {
        if (pp->s == SARHAD_OK)
            pp->s = sarhad__central_fail(pp->central, NULL, "send a batch",
                                         pp->err);
        return;
    }
    pipe_read(pp, 0);
    while ((res = PQgetResult(pp->conn)) != NULL) {
        bool sync = PQresultStatus(res) == PGRES_PIPELINE_SYNC;
        PQclear(res);
        if (sync)
            break;
    }
    PQexitPipelineMode(pp->conn);
}

static enum sarhad_status
prepare_all(struct sarhad_central *c, struct sarhad_error *err)
{
    static const char *const sqls[] = {sarhad__push_event_sql,
                                       sarhad__push_checkpoint_sql,
                                       sql_post_advance, sql_commit};
    char name[8];

    for (int k = SARHAD__ROW_ATTEMPT; k <= SARHAD__ROW_POLICY; k++)
        if (sarhad__central_stmt(c,
                                 sarhad__push_row_sql((enum sarhad__push_row)k),
                                 name, err) == NULL)
            return err != NULL ? err->code : SARHAD_EDB;
    for (size_t i = 0; i < SARHAD_COUNT_OF(sqls); i++)
        if (sarhad__central_stmt(c, sqls[i], name, err) == NULL)
            return err != NULL ? err->code : SARHAD_EDB;
    return SARHAD_OK;
}

/* What a batch sent. */
struct sent {
    int64_t entries, first, last, checkpoints, checkpoint_seq;
    unsigned char last_hash[32];
    char last_at[26];
};

/* Send the entries after h (and their rows), then the checkpoints. */
static void
send_rows(struct push *ps, struct pipe *pp, struct sarhad__push_reader *r,
          const struct central_head *h, struct sent *out)
{
    struct sarhad__push_entry x;
    struct sarhad__pg_params p;
    const char *sql;
    bool done = false;
    int64_t seq = 0;

    while (pp->s == SARHAD_OK) {
        pp->s =
            sarhad__push_read_next(r, &x, &done, &ps->result->bad_seq, pp->err);
        if (pp->s != SARHAD_OK || done)
            break;
        sarhad__push_event_params(&x, &p);
        pipe_send(pp, sarhad__push_event_sql, &p);
        sql = sarhad__push_row_params(&x, &p);
        if (sql != NULL)
            pipe_send(pp, sql, &p);
        if (out->entries++ == 0)
            out->first = x.e.seq;
        out->last = x.e.seq;
        memcpy(out->last_hash, x.e.hash, 32);
        memcpy(out->last_at, x.e.at, sizeof(out->last_at));
    }
    if (pp->s == SARHAD_OK)
        pp->s = sarhad__push_checkpoints_begin(
            r, h->checkpoint_seq, out->entries > 0 ? out->last : h->seq,
            pp->err);
    while (pp->s == SARHAD_OK) {
        pp->s = sarhad__push_checkpoint_next(r, &p, &seq, &done,
                                             &ps->result->bad_seq, pp->err);
        if (pp->s != SARHAD_OK || done)
            break;
        pipe_send(pp, sarhad__push_checkpoint_sql, &p);
        out->checkpoints++;
        out->checkpoint_seq = seq;
    }
}

/* The rows of one batch, the post's new head and COMMIT, pipelined. */
static enum sarhad_status
send_batch(struct push *ps, const struct central_head *h, struct sent *out,
           struct sarhad_error *err)
{
    struct pipe pp = {ps->central->conn, 0, 0, SARHAD_OK, ps->central, err};
    struct sarhad__push_reader r;
    struct sarhad__pg_params p = {0};

    memset(out, 0, sizeof(*out));
    out->checkpoint_seq = h->checkpoint_seq;
    memcpy(out->last_hash, h->hash, 32);
    pp.s = sarhad__push_read_begin(&r, ps->store, h->seq, h->hash, ps->batch,
                                   &ps->result->bad_seq, err);
    /* After the chain's check: a store that is not the post's is better
     * told it diverged (naming the entry) than that its key differs. */
    if (pp.s == SARHAD_OK)
        pp.s = check_key(ps, h, err);
    if (pp.s != SARHAD_OK) {
        sarhad__push_read_end(&r);
        return pp.s;
    }
    if (PQenterPipelineMode(pp.conn) != 1) {
        sarhad__push_read_end(&r);
        return sarhad__central_fail(ps->central, NULL, "send a batch", err);
    }
    send_rows(ps, &pp, &r, h, out);
    sarhad__push_read_end(&r);
    sarhad__pg_text(&p, ps->store->post);
    sarhad__pg_int(&p, out->entries > 0 ? out->last : h->seq);
    sarhad__pg_bytes(&p, out->last_hash, 32);
    sarhad__pg_text(&p, out->entries > 0 ? out->last_at : NULL);
    sarhad__pg_int(&p, out->checkpoint_seq);
    pipe_send(&pp, sql_post_advance, &p);
    p.n = 0;
    pipe_send(&pp, sql_commit, &p);
    pipe_end(&pp);
    return pp.s;
}

/* One batch in one transaction; *more when a full batch was sent. */
static enum sarhad_status
one_batch(struct push *ps, bool *more, struct sarhad_error *err)
{
    struct sarhad_push_result *res = ps->result;
    struct central_head h;
    struct sent sent;
    enum sarhad_status s;

    *more = false;
    s = sarhad__central_exec(ps->central, "BEGIN", "begin a batch", err);
    if (s == SARHAD_OK)
        s = read_head(ps, &h, err);
    if (s == SARHAD_OK) {
        res->central_seq = h.seq;
        s = send_batch(ps, &h, &sent, err);
    }
    if (PQtransactionStatus(ps->central->conn) != PQTRANS_IDLE)
        PQclear(PQexec(ps->central->conn, "ROLLBACK"));
    if (s != SARHAD_OK)
        return s;
    if (sent.entries > 0) {
        if (res->pushed == 0)
            res->from = sent.first;
        res->to = sent.last;
        res->pushed += sent.entries;
        res->central_seq = sent.last;
    }
    res->checkpoints += sent.checkpoints;
    *more = sent.entries == (int64_t)ps->batch;
    return SARHAD_OK;
}

/* The whole local log, once per handle and post (see central.h). */
static enum sarhad_status
verify_local(struct push *ps, struct sarhad_error *err)
{
    struct sarhad_audit_report report;
    enum sarhad_status s;

    if (strcmp(ps->central->verified_post, ps->store->post) == 0)
        return SARHAD_OK;
    s = sarhad_audit_verify(ps->store, &report, err);
    if (s != SARHAD_OK)
        return s;
    if (!report.ok) {
        ps->result->bad_seq = report.first_bad;
        return sarhad__fail(err, SARHAD_ETAMPER, "seq", SIZE_MAX,
                            "entry %lld of the post's log: %s; nothing was "
                            "pushed",
                            (long long)report.first_bad, report.problem);
    }
    sarhad__strlcpy(ps->central->verified_post, ps->store->post,
                    sizeof(ps->central->verified_post));
    return SARHAD_OK;
}

static enum sarhad_status
start(struct push *ps, const struct sarhad_push_options *opt,
      struct sarhad_error *err)
{
    enum sarhad_status s;

    ps->batch =
        opt != NULL && opt->batch != 0 ? opt->batch : SARHAD_PUSH_BATCH_DEFAULT;
    if (ps->batch > SARHAD_PUSH_BATCH_MAX)
        return sarhad__fail(err, SARHAD_EINVAL, "batch", SIZE_MAX,
                            "a batch is 1 to %d entries",
                            SARHAD_PUSH_BATCH_MAX);
    if (ps->store->post[0] == '\0')
        return sarhad__fail(err, SARHAD_EINVAL, "post", SIZE_MAX,
                            "the store has no post yet (sarhad init)");
    sarhad__strlcpy(ps->result->post, ps->store->post,
                    sizeof(ps->result->post));
    s = sarhad__push_local_head(ps->store, &ps->result->local_seq, err);
    if (s == SARHAD_OK)
        s = sarhad__push_local_key(ps->store, ps->key, &ps->has_key, err);
    if (s == SARHAD_OK)
        s = verify_local(ps, err);
    if (s == SARHAD_OK)
        s = sarhad__central_require_schema(ps->central, err);
    if (s == SARHAD_OK)
        s = prepare_all(ps->central, err);
    return s;
}

enum sarhad_status
sarhad_central_push(struct sarhad_central *central, struct sarhad_store *store,
                    const struct sarhad_push_options *opt,
                    struct sarhad_push_result *result, struct sarhad_error *err)
{
    struct push ps;
    enum sarhad_status s;
    bool more = true;

    memset(result, 0, sizeof(*result));
    result->central_seq = -1;
    memset(&ps, 0, sizeof(ps));
    ps.central = central;
    ps.store = store;
    ps.result = result;
    s = start(&ps, opt, err);
    for (size_t n = 0; s == SARHAD_OK && more; n++) {
        if (opt != NULL && opt->max_batches != 0 && n == opt->max_batches)
            break;
        s = one_batch(&ps, &more, err);
    }
    return s;
}
