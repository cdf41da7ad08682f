/*
 * serve_routes_ops.c - the routes for operating the server rather than
 * the post: health (for load balancers and the demo, no token), the
 * Prometheus metrics, and the bare echo route the benchmark compares
 * decisions with (only with --echo).
 */
#include "serve.h"

#include <stdio.h>
#include <string.h>

void
route_health(struct server *srv, struct request *req)
{
    struct sarhad_store *ro = serve_reader(srv);
    int off = srv->utc_offset < 0 ? -srv->utc_offset : srv->utc_offset;
    char zone[8];

    /* The post's UTC offset, so that the console proposes the post's local
     * time for a new presentation whatever the browser's clock says. */
    snprintf(zone, sizeof(zone), "%c%02d:%02d", srv->utc_offset < 0 ? '-' : '+',
             off / 60 % 24, off % 60);
    serve_reply_json(req, ro != NULL ? 200 : 503,
                     json_pack("{s:s, s:s, s:s, s:b, s:s, s:o, s:b}", "status",
                               ro != NULL ? "ok" : "store_unavailable",
                               "version", SARHAD_VERSION, "post", srv->post,
                               "ledger", srv->ledger != NULL, "utc_offset",
                               zone, "push", serve_push_health(srv), "national",
                               serve_national_on(srv)));
}

void
route_metrics(struct server *srv, struct request *req)
{
    serve_metrics_render(srv, req);
}

/*
 * The echo route measures what every request costs the server (routing,
 * the body, the answer's headers, the metrics), so it does no more than
 * the strict body rules ask: the body must be one well-formed UTF-8 JSON
 * array or object, checked in one pass, and the same bytes go back (the
 * body's buffer becomes the answer; nothing is copied or re-encoded).
 */
void
route_echo(struct server *srv, struct request *req)
{
    size_t at = 0;
    char msg[96];

    if (!srv->echo) {
        serve_reply_error(req, 404, "not_found", NULL,
                          "the echo route is off (sarhad serve --echo)");
        return;
    }
    if (!serve_json_check(req->body, req->body_len, &at)) {
        snprintf(msg, sizeof(msg),
                 "not one well-formed JSON array or object (byte %zu)", at);
        serve_reply_error(req, 400, "bad_json", NULL, msg);
        return;
    }
    serve_reply_owned(req, 200, "application/json", req->body, req->body_len);
    req->body = NULL;
    req->body_len = req->body_cap = 0;
}
