/*
 * serve_routes_audit.c - the audit log over HTTP: reading entries in
 * order, and verifying the chain and its signed checkpoints.  Both read
 * through the pool thread's read-only store handle and change nothing.
 */
#include "serve.h"

#include <stdlib.h>
#include <string.h>

struct audit_page {
    json_t *entries;
    int64_t last;
};

static bool
add_entry(void *ctx, const struct sarhad_audit_entry *e)
{
    struct audit_page *page = ctx;
    char hash[65];
    json_t *detail = json_loads(e->detail, 0, NULL);
    static const char hex[] = "0123456789abcdef";

    for (size_t i = 0; i < 32; i++) {
        hash[2 * i] = hex[e->hash[i] >> 4];
        hash[2 * i + 1] = hex[e->hash[i] & 15];
    }
    hash[64] = '\0';
    json_array_append_new(
        page->entries,
        json_pack("{s:I, s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:s, s:s, s:o, "
                  "s:s}",
                  "seq", (json_int_t)e->seq, "post", e->post, "at", e->at,
                  "actor", "user", e->actor.user, "role", e->actor.role, "post",
                  e->actor.post, "address", e->actor.address, "kind", e->kind,
                  "subject", e->subject, "detail",
                  detail != NULL ? detail : json_string(e->detail), "hash",
                  hash));
    page->last = e->seq;
    return true;
}

/* Entries a search reads at most per request: a stretch of the log, by
 * entry number (it has no other index), so that one request stays short;
 * "next" says where to go on. */
#define SEARCH_STRETCH 100000

void
route_audit(struct server *srv, struct request *req)
{
    struct sarhad_store *ro = serve_reader(srv);
    struct audit_page page = {NULL, 0};
    struct sarhad_audit_filter filter = {serve_query(req, "kind"),
                                         serve_query(req, "user"),
                                         serve_query(req, "subject"), 0};
    struct sarhad_error err;
    long long from = serve_query_int(req, "from", 1, INT64_MAX / 2);
    long long limit = serve_query_int(req, "limit", 100, 1000);
    long long traveller = serve_query_int(req, "traveller", 0, INT64_MAX / 2);
    bool filtered;
    int64_t next = 0;

    if (from <= 0 || limit <= 0 || traveller < 0) {
        serve_reply_error(req, 400, "invalid",
                          from <= 0    ? "from"
                          : limit <= 0 ? "limit"
                                       : "traveller",
                          "from and traveller are entry and traveller "
                          "numbers, limit 1 to 1000");
        return;
    }
    if (ro == NULL) {
        serve_reply_error(req, 503, "store_unavailable", NULL,
                          "the store cannot be read");
        return;
    }
    filter.traveller = traveller;
    filtered = filter.kind != NULL || filter.user != NULL ||
               filter.subject != NULL || traveller > 0;
    page.entries = json_array();
    sarhad_error_clear(&err);
    if (sarhad_audit_search(ro, from, (size_t)limit,
                            filtered ? SEARCH_STRETCH : limit, &filter,
                            add_entry, &page, &next, &err) != SARHAD_OK) {
        json_decref(page.entries);
        serve_reply_status(req, err.code, &err);
        return;
    }
    serve_reply_json(req, 200,
                     json_pack("{s:o, s:o}", "entries", page.entries, "next",
                               next > 0 ? json_integer(next) : json_null()));
}

void
route_audit_verify(struct server *srv, struct request *req)
{
    struct sarhad_store *ro = serve_reader(srv);
    const char *anchor = serve_query(req, "anchor");
    struct sarhad_audit_report r;
    struct sarhad_error err;
    int64_t checkpoints = 0, anchor_seq = 0;
    unsigned char anchor_hash[32];
    char head[SARHAD_AUDIT_ANCHOR_MAX];

    sarhad_error_clear(&err);
    if (anchor != NULL &&
        sarhad_audit_anchor_parse(anchor, &anchor_seq, anchor_hash, &err) !=
            SARHAD_OK) {
        serve_reply_error(req, 400, "invalid", "anchor", err.message);
        return;
    }
    if (ro == NULL ||
        sarhad_audit_verify_signed(ro, &r, &checkpoints, &err) != SARHAD_OK ||
        (anchor != NULL &&
         sarhad_audit_check_anchor(ro, anchor_seq, anchor_hash, &r, &err) !=
             SARHAD_OK)) {
        serve_reply_status(req, ro ? err.code : SARHAD_EIO, &err);
        return;
    }
    sarhad_audit_anchor_format(head, r.checked, r.head_hash);
    serve_reply_json(
        req, 200,
        json_pack("{s:b, s:I, s:I, s:o, s:o, s:o}", "ok", r.ok, "checked",
                  (json_int_t)r.checked, "checkpoints", (json_int_t)checkpoints,
                  "first_bad", r.ok ? json_null() : json_integer(r.first_bad),
                  "problem", r.ok ? json_null() : json_string(r.problem),
                  "head", r.ok ? json_string(head) : json_null()));
}
