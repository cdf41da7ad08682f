/*
 * serve_lookup.c - answering with a person's record only once the access
 * is in the audit log (sarhad_audit_lookup): the record is read on the
 * pool thread, the lookup entry is written by the writer like any change,
 * and the answer goes out after that commit is durable.  When the entry
 * cannot be written, the record is not shown.
 */
#include "serve.h"

#include "cmd.h"

#include <stdlib.h>
#include <string.h>

struct lookup {
    enum sarhad_lookup what;
    const char *by;
    int64_t ids[SARHAD_FIND_MAX];
    unsigned n;
    char *text; /* the answer, JSON */
    size_t len;
};

static void
lookup_free(void *data)
{
    struct lookup *l = data;

    free(l->text);
    free(l);
}

static void
lookup_run(struct server *srv, struct request *req)
{
    struct lookup *l = req->data;

    req->job.status =
        sarhad_audit_lookup(srv->store, &req->actor, serve_now(), l->what,
                            l->ids, l->n, l->by, NULL, &req->job.err);
}

static void
lookup_done(struct server *srv, struct request *req)
{
    struct lookup *l = req->data;

    (void)srv;
    if (req->job.status != SARHAD_OK) {
        serve_reply_error(req, 503, "store_unavailable", NULL,
                          "the lookup could not be recorded, so it is not "
                          "shown");
        return;
    }
    serve_reply_owned(req, 200, "application/json", l->text, l->len);
    l->text = NULL;
}

void
serve_answer_lookup(struct server *srv, struct request *req,
                    enum sarhad_lookup what, const int64_t *ids, unsigned n,
                    const char *by, char *text, size_t len)
{
    struct lookup *l = xmalloc(sizeof(*l));

    memset(l, 0, sizeof(*l));
    l->what = what;
    l->by = by;
    l->n = n < SARHAD_FIND_MAX ? n : SARHAD_FIND_MAX;
    if (l->n > 0)
        memcpy(l->ids, ids, sizeof(*ids) * l->n);
    l->text = text;
    l->len = len;
    req->data = l;
    req->free_data = lookup_free;
    serve_submit(srv, req, lookup_run, lookup_done);
}
