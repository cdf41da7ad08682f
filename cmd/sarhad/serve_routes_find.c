/*
 * serve_routes_find.c - GET /v1/travellers: finding a traveller by a
 * document number or a name (sarhad_ledger_find_travellers), so that a
 * counter or a supervisor can open the history of someone standing in
 * front of them without knowing the ledger's ids.  The query arguments
 * are checked for length and form before the store is touched.
 */
#include "serve.h"

#include "cmd.h"

#include <string.h>

/* Copy query argument name into dst (cap bytes); false after an error
 * answer when it does not fit. */
static bool
query_arg(struct request *req, const char *name, char *dst, size_t cap)
{
    const char *v = serve_query(req, name);

    dst[0] = '\0';
    if (v == NULL)
        return true;
    if (strlen(v) >= cap) {
        serve_reply_error(req, 400, "invalid", name, "the value is too long");
        return false;
    }
    memcpy(dst, v, strlen(v) + 1);
    return true;
}

static bool
read_query(struct request *req, struct sarhad_traveller_query *q)
{
    const char *born = serve_query(req, "birth_date");

    memset(q, 0, sizeof(*q));
    if (!query_arg(req, "document", q->document, sizeof(q->document)) ||
        !query_arg(req, "kind", q->kind, sizeof(q->kind)) ||
        !query_arg(req, "issuing_state", q->issuing_state,
                   sizeof(q->issuing_state)) ||
        !query_arg(req, "surname", q->surname, sizeof(q->surname)) ||
        !query_arg(req, "given_names", q->given_names,
                   sizeof(q->given_names)) ||
        !query_arg(req, "nationality", q->nationality, sizeof(q->nationality)))
        return false;
    if (born != NULL && sarhad_date_parse(&q->birth_date, born, strlen(born),
                                          NULL) != SARHAD_OK) {
        serve_reply_error(req, 400, "invalid", "birth_date",
                          "a date is YYYY-MM-DD");
        return false;
    }
    return true;
}

struct found {
    json_t *list;
    int64_t ids[SARHAD_FIND_MAX];
    unsigned n;
};

static void
add_match(void *ctx, const struct sarhad_traveller_match *m)
{
    struct found *f = ctx;

    if (f->n < SARHAD_FIND_MAX)
        f->ids[f->n++] = m->traveller_id;
    json_array_append_new(f->list, traveller_match_json(m));
}

void
route_travellers(struct server *srv, struct request *req)
{
    struct sarhad_store *ro = serve_reader(srv);
    struct sarhad_traveller_query q;
    struct sarhad_error err;
    struct found f;
    json_t *doc;
    char *text;
    bool more = false;

    if (!read_query(req, &q))
        return;
    if (ro == NULL) {
        serve_reply_error(req, 503, "store_unavailable", NULL,
                          "the store cannot be read");
        return;
    }
    memset(&f, 0, sizeof(f));
    f.list = json_array();
    sarhad_error_clear(&err);
    if (sarhad_ledger_find_travellers(ro, &q, add_match, &f, &more, &err) !=
        SARHAD_OK) {
        json_decref(f.list);
        serve_reply_status(req, err.code, &err);
        return;
    }
    doc = json_pack("{s:o, s:b}", "travellers", f.list, "more", more);
    text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (text == NULL) {
        serve_reply_error(req, 500, "internal", NULL, "out of memory");
        return;
    }
    serve_answer_lookup(srv, req, SARHAD_LOOKUP_SEARCH, f.ids, f.n,
                        q.document[0] != '\0' ? "document" : "name", text,
                        strlen(text));
}
