/*
 * serve_routes_bundle.c - the ministry's signed bundles over the API: the
 * key a post trusts and the bundles it applied (GET /v1/bundles), trusting
 * the key once (POST /v1/bundles/key), and applying a bundle (POST
 * /v1/bundles), which publishes a policy, imports a watchlist or moves to
 * the next key on the writer, like any other change, and makes the server
 * decide and screen by it at once.
 */
#include "serve.h"

#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ISSUES 200
#define SHOWN(n)   ((n) < MAX_ISSUES ? (n) : MAX_ISSUES)

static json_t *
applied_json(const struct sarhad_bundle_applied *b)
{
    return json_pack(
        "{s:s, s:s, s:s, s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:I}", "kind",
        sarhad_bundle_kind_name(b->info.kind), "name", b->info.name, "format",
        b->info.format, "serial", (json_int_t)b->info.serial, "issued",
        b->info.issued, "issuer", b->info.issuer, "length",
        (json_int_t)b->info.length, "sha256", b->info.sha256, "result",
        b->result, "applied_at", b->applied_at, "applied_by", b->applied_by,
        "audit_seq", (json_int_t)b->audit_seq);
}

static bool
add_applied(void *ctx, const struct sarhad_bundle_applied *b)
{
    json_array_append_new(ctx, applied_json(b));
    return true;
}

void
route_bundles(struct server *srv, struct request *req)
{
    struct sarhad_store *ro = serve_reader(srv);
    char id[SARHAD_BUNDLE_KEY_ID_LEN + 1];
    struct sarhad_error err;
    enum sarhad_status s;
    json_t *list;

    sarhad_error_clear(&err);
    if (ro == NULL) {
        serve_reply_status(req, SARHAD_EIO, NULL);
        return;
    }
    s = sarhad_store_trusted_key(ro, NULL, id, &err);
    if (s != SARHAD_OK && s != SARHAD_ENOTFOUND) {
        serve_reply_status(req, s, &err);
        return;
    }
    list = json_array();
    if (sarhad_bundle_list(ro, add_applied, list, &err) != SARHAD_OK) {
        json_decref(list);
        serve_reply_status(req, err.code, &err);
        return;
    }
    serve_reply_json(req, 200,
                     json_pack("{s:s?, s:o}", "trusted_key",
                               s == SARHAD_OK ? id : NULL, "bundles", list));
}

/* ---- trusting the ministry's key ------------------------------------- */

struct trust_data {
    char hex[65];
};

static void
trust_run(struct server *srv, struct request *req)
{
    struct trust_data *d = req->data;

    req->job.status = sarhad_store_trust_key(srv->store, d->hex, &req->actor,
                                             serve_now(), &req->job.err);
}

static void
trust_done(struct server *srv, struct request *req)
{
    struct trust_data *d = req->data;
    char id[SARHAD_BUNDLE_KEY_ID_LEN + 1];
    unsigned char pub[32];

    (void)srv;
    if (req->job.status != SARHAD_OK ||
        sarhad_bundle_public_key_parse(d->hex, 64, pub, NULL) != SARHAD_OK) {
        serve_reply_status(req, req->job.status, &req->job.err);
        return;
    }
    sarhad_bundle_key_id(id, pub);
    serve_reply_json(req, 201, json_pack("{s:s}", "trusted_key", id));
}

void
route_bundle_trust(struct server *srv, struct request *req)
{
    static const char *const fields[] = {"public_key", NULL};
    json_t *body = serve_body_object(req, fields, fields);
    struct sarhad_error err;
    struct trust_data *d;
    unsigned char pub[32];
    const char *hex;

    if (body == NULL)
        return;
    hex = serve_str(req, body, "public_key", 80, true);
    if (hex != NULL && sarhad_bundle_public_key_parse(hex, strlen(hex), pub,
                                                      &err) != SARHAD_OK) {
        serve_reply_error(req, 400, "invalid", "public_key", err.message);
        hex = NULL;
    }
    if (hex == NULL) {
        json_decref(body);
        return;
    }
    d = xmalloc(sizeof(*d));
    snprintf(d->hex, sizeof(d->hex), "%.64s", hex);
    req->data = d;
    req->free_data = free;
    json_decref(body);
    serve_submit_alone(srv, req, trust_run, trust_done);
}

/* ---- applying a bundle ------------------------------------------------ */

struct apply_data {
    char *bundle;
    size_t len;
    struct sarhad_bundle_applied applied;
    struct sarhad_lint_issue issues[MAX_ISSUES];
    unsigned issue_count;
};

static void
free_apply_data(void *p)
{
    struct apply_data *d = p;

    free(d->bundle);
    free(d);
}

/* On the writer, alone: apply, then decide or screen by what it made. */
static void
apply_run(struct server *srv, struct request *req)
{
    struct apply_data *d = req->data;

    req->job.status = sarhad_bundle_apply(
        srv->ledger, d->bundle, d->len, &req->actor, serve_now(), &d->applied,
        d->issues, MAX_ISSUES, &d->issue_count, &req->job.err);
    if (req->job.status != SARHAD_OK)
        return;
    if (d->applied.info.kind == SARHAD_BUNDLE_POLICY)
        serve_screen_threshold_changed(srv);
    else if (d->applied.info.kind == SARHAD_BUNDLE_WATCHLIST)
        serve_screener_reload(srv, req);
}

static void
apply_done(struct server *srv, struct request *req)
{
    struct apply_data *d = req->data;
    const struct sarhad_error *err = &req->job.err;

    (void)srv;
    if (req->job.status == SARHAD_EFORMAT && err->line > 0) {
        serve_reply_json(req, 400,
                         json_pack("{s:s, s:s, s:s, s:i, s:i}", "code",
                                   "invalid", "field", err->field, "message",
                                   err->message, "line", (int)err->line, "col",
                                   (int)err->col));
        return;
    }
    if (req->job.status == SARHAD_EINVAL && d->issue_count > 0) {
        serve_reply_lint_refused(req, "bundle", err->message, d->issues,
                                 SHOWN(d->issue_count));
        return;
    }
    if (req->job.status != SARHAD_OK) {
        serve_reply_status(req, req->job.status, err);
        return;
    }
    serve_reply_json(
        req, 201,
        json_pack("{s:o, s:o}", "bundle", applied_json(&d->applied), "issues",
                  serve_issues_json(d->issues, SHOWN(d->issue_count))));
}

enum sarhad_status
serve_apply_bundle(struct server *srv, const char *data, size_t len,
                   const struct sarhad_actor *who,
                   struct sarhad_bundle_applied *out, struct sarhad_error *err)
{
    struct apply_data *d = xmalloc(sizeof(*d));
    struct request req;
    enum sarhad_status s;

    memset(&req, 0, sizeof(req));
    memset(d, 0, sizeof(*d));
    d->bundle = xmalloc(len + 1);
    memcpy(d->bundle, data, len);
    d->bundle[len] = '\0';
    d->len = len;
    req.actor = *who;
    req.data = d;
    s = serve_run_internal(srv, &req, apply_run);
    *out = d->applied;
    *err = req.job.err;
    free_apply_data(d);
    return s;
}

void
route_bundle_apply(struct server *srv, struct request *req)
{
    static const char *const fields[] = {"bundle", NULL};
    json_t *body;
    json_t *text;
    struct apply_data *d;

    if (srv->ledger == NULL) {
        serve_reply_error(req, 503, "no_ledger", NULL,
                          "the store belongs to no post yet: run sarhad init");
        return;
    }
    body = serve_body_object(req, fields, fields);
    if (body == NULL)
        return;
    text = json_object_get(body, "bundle");
    if (!json_is_string(text) ||
        json_string_length(text) >
            SARHAD_BUNDLE_PAYLOAD_MAX + SARHAD_BUNDLE_HEADER_MAX) {
        serve_reply_error(req, json_is_string(text) ? 413 : 400,
                          json_is_string(text) ? "too_large" : "invalid",
                          "bundle",
                          "the bundle is a string: its header and a payload "
                          "of at most 64 MiB");
        json_decref(body);
        return;
    }
    d = xmalloc(sizeof(*d));
    memset(d, 0, sizeof(*d));
    d->len = json_string_length(text);
    d->bundle = xmalloc(d->len + 1);
    memcpy(d->bundle, json_string_value(text), d->len + 1);
    req->data = d;
    req->free_data = free_apply_data;
    json_decref(body);
    serve_submit_alone(srv, req, apply_run, apply_done);
}
