/*
 * serve_routes_ledger.c - the crossing ledger over HTTP: decide and record
 * a presentation, look up an attempt and a traveller's history, the
 * referral queue and its resolution, and the reports as JSON or CSV.  The
 * presentation is parsed (strictly) on the pool thread; deciding and
 * recording happen on the writer, inside its batch transaction, so the
 * answer is only sent once the decision is durable.
 */
#include "serve.h"

#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
serve_open_ledger(struct server *srv)
{
    struct sarhad_error err;
    enum sarhad_status s;

    sarhad_error_clear(&err);
    s = sarhad_ledger_open(&srv->ledger, srv->store, &err);
    if (s == SARHAD_ENOTFOUND) {
        /* Accounts and the audit log work; decisions wait for init. */
        if (!srv->quiet)
            fprintf(stderr, "sarhad serve: %s (decisions are off)\n",
                    err.message);
        return 0;
    }
    if (s != SARHAD_OK) {
        print_error(srv->db_path, &err);
        return 1;
    }
    return 0;
}

void
serve_close_ledger(struct server *srv)
{
    sarhad_ledger_close(srv->ledger);
    srv->ledger = NULL;
}

static bool
have_ledger(struct server *srv, struct request *req)
{
    if (srv->ledger != NULL)
        return true;
    serve_reply_error(req, 503, "no_ledger", NULL,
                      "the store belongs to no post yet: run sarhad init");
    return false;
}

struct decide_data {
    struct sarhad_presentation p;
    struct sarhad_prepared *prep; /* made on the request's thread */
    struct sarhad_decision decision;
    int64_t attempt_id;
    char *answer; /* the recorded decision text, with the attempt's id */
    size_t answer_len;
};

static void
decide_free(void *data)
{
    struct decide_data *d = data;

    sarhad_prepared_free(d->prep);
    free(d->answer);
    free(d);
}

/* Room for the answer's head, {"attempt_id":N, with N of up to 20
 * characters. */
#define ANSWER_HEAD 40

/* On the writer: the answer is the decision text just recorded in the
 * attempt, copied (not made again on the pool thread), so what the
 * officer is shown is byte for byte what the ledger keeps. */
static void
decide_run(struct server *srv, struct request *req)
{
    struct decide_data *d = req->data;
    const char *text;
    size_t len;
    int h;

    req->job.status = sarhad_ledger_cross_prepared(
        srv->ledger, d->prep, &req->actor, serve_now(), &d->decision,
        &d->attempt_id, &req->job.err);
    if (req->job.status != SARHAD_OK)
        return;
    /* {"attempt_id":N, followed by the decision object's members. */
    text = sarhad_ledger_decision_text(srv->ledger, &len);
    d->answer = xmalloc(ANSWER_HEAD + len);
    h = snprintf(d->answer, ANSWER_HEAD, "{\"attempt_id\":%lld,",
                 (long long)d->attempt_id);
    memcpy(d->answer + h, text + 1, len - 1); /* without its '{' */
    d->answer_len = (size_t)h + len - 1;
}

static void
decide_done(struct server *srv, struct request *req)
{
    struct decide_data *d = req->data;

    if (req->job.status != SARHAD_OK) {
        serve_reply_status(req, req->job.status, &req->job.err);
        return;
    }
    if ((unsigned)d->decision.outcome < 3)
        atomic_fetch_add_explicit(&srv->metrics.decisions[d->decision.outcome],
                                  1, memory_order_relaxed);
    serve_reply_owned(req, 201, "application/json", d->answer, d->answer_len);
    d->answer = NULL; /* the reply owns it now */
}

void
route_decide(struct server *srv, struct request *req)
{
    struct decide_data *d;
    struct sarhad_error err;
    enum sarhad_status s;

    if (!have_ledger(srv, req))
        return;
    d = xmalloc(sizeof(*d));
    d->prep = NULL;
    d->answer = NULL;
    req->data = d;
    req->free_data = decide_free;
    sarhad_error_clear(&err);
    s = sarhad_presentation_parse(&d->p, req->body, req->body_len, &err);
    if (s == SARHAD_OK)
        s = sarhad_prepared_new(&d->prep, &err);
    if (s != SARHAD_OK) {
        serve_reply_status(req, s, &err);
        return;
    }
    /* Screening and the attempt's text need no store: made here, on one
     * of the pool's threads, so the writer only decides and records.  The
     * lock keeps the screener from being swapped (a list import)
     * meanwhile. */
    pthread_rwlock_rdlock(&srv->screen_lock);
    s = sarhad_ledger_prepare(srv->ledger, &d->p, d->prep, &err);
    pthread_rwlock_unlock(&srv->screen_lock);
    if (s != SARHAD_OK) {
        serve_reply_status(req, s, &err);
        return;
    }
    serve_submit(srv, req, decide_run, decide_done);
}

/* A positive id from the path; false after an error answer. */
static bool
path_id(struct request *req, int64_t *out)
{
    char *end;
    long long n = strtoll(req->param, &end, 10);

    if (req->param[0] == '\0' || *end != '\0' || n <= 0) {
        serve_reply_error(req, 400, "invalid", "id",
                          "the id is a positive whole number");
        return false;
    }
    *out = n;
    return true;
}

/* A record read for the answer, kept until its lookup is logged. */
struct record {
    char *text;
    size_t len;
};

static void
take_record(void *ctx, const char *json, size_t len)
{
    struct record *r = ctx;

    r->text = xmalloc(len + 1);
    memcpy(r->text, json, len);
    r->text[len] = '\0';
    r->len = len;
}

/* Read one record (an attempt or a traveller's history) on this thread
 * and answer with it once the lookup is in the audit log. */
static void
answer_record(struct server *srv, struct request *req, enum sarhad_lookup what,
              enum sarhad_status (*read)(struct sarhad_store *, int64_t,
                                         void (*)(void *, const char *, size_t),
                                         void *, struct sarhad_error *))
{
    struct sarhad_store *ro = serve_reader(srv);
    struct record r = {NULL, 0};
    struct sarhad_error err;
    int64_t id;

    if (!path_id(req, &id))
        return;
    sarhad_error_clear(&err);
    if (ro == NULL || read(ro, id, take_record, &r, &err) != SARHAD_OK) {
        serve_reply_status(req, ro ? err.code : SARHAD_EIO, &err);
        return;
    }
    serve_answer_lookup(srv, req, what, &id, 1, NULL, r.text, r.len);
}

void
route_attempt(struct server *srv, struct request *req)
{
    answer_record(srv, req, SARHAD_LOOKUP_ATTEMPT, sarhad_ledger_attempt);
}

void
route_traveller(struct server *srv, struct request *req)
{
    answer_record(srv, req, SARHAD_LOOKUP_TRAVELLER, sarhad_ledger_traveller);
}

static bool
add_referral(void *ctx, const struct sarhad_referral *r)
{
    json_array_append_new(
        ctx, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
                       "s:s, s:s}",
                       "attempt_id", (json_int_t)r->attempt_id, "traveller_id",
                       (json_int_t)r->traveller_id, "post", r->post, "crossing",
                       r->crossing, "direction",
                       r->direction == SARHAD_EXIT ? "exit" : "entry", "at",
                       r->at, "officer", r->officer, "nationality",
                       r->nationality, "name", r->name, "rule", r->rule,
                       "reason_code", r->reason_code, "reason", r->reason));
    return json_array_size(ctx) < 1000;
}

void
route_referrals(struct server *srv, struct request *req)
{
    struct sarhad_store *ro = serve_reader(srv);
    struct sarhad_error err;
    json_t *list = json_array();

    sarhad_error_clear(&err);
    if (ro == NULL || sarhad_ledger_referrals(ro, srv->post, add_referral, list,
                                              &err) != SARHAD_OK) {
        json_decref(list);
        serve_reply_status(req, ro ? err.code : SARHAD_EIO, &err);
        return;
    }
    serve_reply_json(req, 200, json_pack("{s:o}", "referrals", list));
}

static bool
add_attempt_line(void *ctx, const struct sarhad_attempt_line *a)
{
    json_array_append_new(
        ctx,
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, "
                  "s:s}",
                  "id", (json_int_t)a->id, "time", a->time, "crossing",
                  a->crossing, "counter", a->counter, "officer", a->officer,
                  "direction", a->direction == SARHAD_EXIT ? "exit" : "entry",
                  "nationality", a->nationality, "decided",
                  sarhad_outcome_name(a->decided), "outcome",
                  sarhad_outcome_name(a->outcome), "reviewed", a->reviewed,
                  "rule", a->rule, "reasons", a->reasons));
    return true;
}

/* GET /v1/attempts: the post's attempts, newest first, narrowed by day,
 * crossing, officer, direction and final outcome; no traveller's name or
 * document in a line, so the list is not a lookup (opening one is). */
void
route_attempts(struct server *srv, struct request *req)
{
    struct sarhad_attempt_filter f = {
        serve_query(req, "day"), serve_query(req, "crossing"),
        serve_query(req, "officer"), serve_query(req, "direction"),
        serve_query(req, "outcome")};
    long long before = serve_query_int(req, "before", 0, INT64_MAX / 2);
    long long limit = serve_query_int(req, "limit", 100, 500);
    struct sarhad_store *ro = serve_reader(srv);
    struct sarhad_error err;
    json_t *list;
    int64_t next = 0;

    if (before < 0 || limit < 1) {
        serve_reply_error(req, 400, "invalid", before < 0 ? "before" : "limit",
                          "before is an attempt's id, limit 1 to 500");
        return;
    }
    if (ro == NULL) {
        serve_reply_error(req, 503, "store_unavailable", NULL,
                          "the store cannot be read");
        return;
    }
    list = json_array();
    sarhad_error_clear(&err);
    if (sarhad_ledger_attempts(ro, &f, before, (unsigned)limit,
                               add_attempt_line, list, &next,
                               &err) != SARHAD_OK) {
        json_decref(list);
        serve_reply_status(req, err.code, &err);
        return;
    }
    serve_reply_json(req, 200,
                     json_pack("{s:o, s:o}", "attempts", list, "next",
                               next > 0 ? json_integer(next) : json_null()));
}

struct resolve_data {
    int64_t attempt_id;
    enum sarhad_outcome outcome;
    char reason[SARHAD_LEDGER_REASON_MAX + 1];
    int64_t seq;
};

static void
resolve_run(struct server *srv, struct request *req)
{
    struct resolve_data *d = req->data;

    req->job.status =
        sarhad_ledger_resolve(srv->ledger, d->attempt_id, d->outcome, d->reason,
                              &req->actor, serve_now(), &d->seq, &req->job.err);
}

static void
resolve_done(struct server *srv, struct request *req)
{
    struct resolve_data *d = req->data;

    (void)srv;
    if (req->job.status != SARHAD_OK) {
        serve_reply_status(req, req->job.status, &req->job.err);
        return;
    }
    serve_reply_json(req, 200,
                     json_pack("{s:I, s:s, s:I}", "attempt_id",
                               (json_int_t)d->attempt_id, "decision",
                               sarhad_outcome_name(d->outcome), "audit_seq",
                               (json_int_t)d->seq));
}

static void
override_run(struct server *srv, struct request *req)
{
    struct resolve_data *d = req->data;

    req->job.status = sarhad_ledger_override(
        srv->ledger, d->attempt_id, d->outcome, d->reason, &req->actor,
        serve_now(), &d->seq, &req->job.err);
}

/* A supervisor's outcome for the attempt in the path, {"decision",
 * "reason"}: a referral's resolution or a decision's override. */
static void
supervisor_outcome(struct server *srv, struct request *req,
                   void (*run)(struct server *, struct request *))
{
    static const char *const fields[] = {"decision", "reason", NULL};
    struct resolve_data *d;
    const char *decision, *reason;
    json_t *body;

    if (!have_ledger(srv, req))
        return;
    d = xmalloc(sizeof(*d));
    memset(d, 0, sizeof(*d));
    req->data = d;
    req->free_data = free;
    if (!path_id(req, &d->attempt_id))
        return;
    body = serve_body_object(req, fields, fields);
    if (body == NULL)
        return;
    decision = serve_str(req, body, "decision", 8, true);
    reason = decision ? serve_str(req, body, "reason", SARHAD_LEDGER_REASON_MAX,
                                  true)
                      : NULL;
    if (reason != NULL) {
        snprintf(d->reason, sizeof(d->reason), "%s", reason);
        if (strcmp(decision, "admit") == 0)
            d->outcome = SARHAD_ADMIT;
        else if (strcmp(decision, "refuse") == 0)
            d->outcome = SARHAD_REFUSE;
        else
            decision = NULL;
        if (decision == NULL)
            serve_reply_error(req, 400, "invalid", "decision",
                              "the outcome is admit or refuse");
        else
            serve_submit(srv, req, run, resolve_done);
    }
    json_decref(body);
}

void
route_resolve(struct server *srv, struct request *req)
{
    supervisor_outcome(srv, req, resolve_run);
}

void
route_override(struct server *srv, struct request *req)
{
    supervisor_outcome(srv, req, override_run);
}
