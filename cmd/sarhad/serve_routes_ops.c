/*
 * serve_routes_ops.c - the routes for operating the server rather than
 * the post: health (for load balancers and the demo, no token), the
 * Prometheus metrics, and the bare echo route the benchmark compares
 * decisions with (only with --echo).
 */
#include "serve.h"

#include <string.h>

void
route_health(struct server *srv, struct request *req)
{
    struct sarhad_store *ro = serve_reader(srv);

    serve_reply_json(req, ro != NULL ? 200 : 503,
                     json_pack("{s:s, s:s, s:s, s:b}", "status",
                               ro != NULL ? "ok" : "store_unavailable",
                               "version", SARHAD_VERSION, "post", srv->post,
                               "ledger", srv->ledger != NULL));
}

void
route_metrics(struct server *srv, struct request *req)
{
    serve_metrics_render(srv, req);
}

void
route_echo(struct server *srv, struct request *req)
{
    json_error_t jerr;
    json_t *doc;

    if (!srv->echo) {
        serve_reply_error(req, 404, "not_found", NULL,
                          "the echo route is off (sarhad serve --echo)");
        return;
    }
    doc = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (doc == NULL) {
        serve_reply_error(req, 400, "bad_json", NULL, jerr.text);
        return;
    }
    serve_reply_json(req, 200, doc);
}
