/*
 * serve_routes_watchlist.c - watchlists over HTTP: admins import a list
 * (CSV or the UN consolidated XML) as a new version, officers and
 * supervisors screen a name, and the versions can be listed.  The server
 * holds one in-memory screener of the current version: the ledger screens
 * every decision with it on the writer thread, and POST /v1/screen queries
 * it from the pool threads under a read lock.  An import runs on the
 * writer alone, builds the new screener and swaps it in under the write
 * lock, so a query never sees a half-built index.
 */
#include "serve.h"

#include "cmd.h"

#include <stdlib.h>
#include <string.h>

/* The threshold screening uses: the published policy's. */
static int
policy_threshold(struct server *srv)
{
    return srv->ledger != NULL ? sarhad_policy_screen_threshold(
                                     sarhad_ledger_policy(srv->ledger))
                               : SARHAD_SCREEN_DEFAULT_THRESHOLD;
}

void
serve_screen_threshold_changed(struct server *srv)
{
    atomic_store(&srv->screen_threshold, policy_threshold(srv));
}

int
serve_open_screener(struct server *srv)
{
    struct sarhad_error err;

    sarhad_error_clear(&err);
    pthread_rwlock_init(&srv->screen_lock, NULL);
    serve_screen_threshold_changed(srv);
    if (sarhad_screener_open(&srv->screener, srv->store, &err) != SARHAD_OK) {
        print_error(srv->db_path, &err);
        return 1;
    }
    if (srv->ledger != NULL && sarhad_screener_version(srv->screener)[0])
        sarhad_ledger_set_screener(srv->ledger, srv->screener);
    return 0;
}

void
serve_close_screener(struct server *srv)
{
    sarhad_screener_close(srv->screener);
    srv->screener = NULL;
    pthread_rwlock_destroy(&srv->screen_lock);
}

static json_t *
hits_json(const struct sarhad_screening *out)
{
    json_t *hits = json_array();

    for (unsigned i = 0; i < out->hit_count; i++)
        json_array_append_new(
            hits, json_pack("{s:s, s:s, s:i, s:s}", "id", out->hits[i].entry_id,
                            "name", out->hits[i].name, "score",
                            out->hits[i].score, "why", out->hits[i].why));
    return hits;
}

/* Fill q from the body; false (with the reply sent) on a bad field. */
static bool
screen_query(struct request *req, json_t *body, struct sarhad_screen_query *q,
             char nationality[4])
{
    const char *name = serve_str(req, body, "name", 200, true);
    const char *dob =
        name ? serve_str(req, body, "birth_date", 10, false) : NULL;
    const char *nat =
        dob ? serve_str(req, body, "nationality", 64, false) : NULL;
    const char *father =
        nat ? serve_str(req, body, "father_name", 200, false) : NULL;
    struct sarhad_error err;

    if (father == NULL)
        return false;
    memset(q, 0, sizeof(*q));
    q->name = name;
    q->father_name = father[0] ? father : NULL;
    if (nat[0] != '\0') {
        if (!sarhad_nationality_code(nationality, nat, strlen(nat))) {
            serve_reply_error(req, 400, "invalid", "nationality",
                              "not a known country code or name");
            return false;
        }
        q->nationality = nationality;
    }
    if (strlen(dob) == 4) {
        struct sarhad_birth b;
        if (sarhad_birth_parse(&b, dob, 4, &err) != SARHAD_OK) {
            serve_reply_error(req, 400, "invalid", "birth_date",
                              "a birth date is YYYY-MM-DD or YYYY");
            return false;
        }
        q->birth_year = b.from.year;
    } else if (dob[0] != '\0' &&
               sarhad_date_parse(&q->birth_date, dob, strlen(dob), &err) !=
                   SARHAD_OK) {
        serve_reply_error(req, 400, "invalid", "birth_date",
                          "a birth date is YYYY-MM-DD or YYYY");
        return false;
    }
    return true;
}

void
route_screen(struct server *srv, struct request *req)
{
    static const char *const fields[] = {"name", "birth_date", "nationality",
                                         "father_name", NULL};
    static const char *const required[] = {"name", NULL};
    json_t *body = serve_body_object(req, fields, required);
    struct sarhad_screen_query q;
    struct sarhad_screening out;
    struct sarhad_error err;
    char nationality[4];
    enum sarhad_status s;

    if (body == NULL)
        return;
    if (!screen_query(req, body, &q, nationality)) {
        json_decref(body);
        return;
    }
    sarhad_error_clear(&err);
    pthread_rwlock_rdlock(&srv->screen_lock);
    s = sarhad_screener_query(srv->screener, &q,
                              atomic_load(&srv->screen_threshold), &out, &err);
    pthread_rwlock_unlock(&srv->screen_lock);
    json_decref(body);
    if (s != SARHAD_OK) {
        serve_reply_status(req, s, &err);
        return;
    }
    serve_reply_json(req, 200,
                     json_pack("{s:s, s:o}", "list_version", out.list_version,
                               "hits", hits_json(&out)));
}

static json_t *
version_json(const struct sarhad_watchlist_version *v)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:b}", "label", v->label,
                     "source", v->source, "format", v->format, "imported",
                     v->imported, "entries", (int)v->entry_count, "names",
                     (int)v->name_count, "current", v->is_current);
}

void
route_watchlists(struct server *srv, struct request *req)
{
    struct sarhad_store *ro = serve_reader(srv);
    struct sarhad_watchlist_version v[64];
    struct sarhad_error err;
    size_t count = 0;
    json_t *list;

    sarhad_error_clear(&err);
    if (ro == NULL ||
        sarhad_watchlist_versions(ro, v, 64, &count, &err) != SARHAD_OK) {
        serve_reply_status(req, ro ? err.code : SARHAD_EIO, &err);
        return;
    }
    list = json_array();
    for (size_t i = 0; i < count && i < 64; i++)
        json_array_append_new(list, version_json(&v[i]));
    serve_reply_json(req, 200, json_pack("{s:o}", "versions", list));
}

struct import_data {
    enum sarhad_wl_format format;
    char source[96];
    char *text;
    size_t len;
    struct sarhad_watchlist_version version;
};

static void
free_import_data(void *p)
{
    struct import_data *d = p;

    free(d->text);
    free(d);
}

/* On the writer, alone: store the version, then swap the screener. */
static void
import_run(struct server *srv, struct request *req)
{
    struct import_data *d = req->data;

    req->job.status = sarhad_watchlist_import(
        srv->store, d->text, d->len, d->format, d->source, &req->actor,
        serve_now(), &d->version, &req->job.err);
    if (req->job.status == SARHAD_OK)
        serve_screener_reload(srv, req);
}

void
serve_screener_reload(struct server *srv, struct request *req)
{
    struct sarhad_screener *fresh = NULL, *old;

    /* The version is committed; a screener that cannot be built now is
     * reported, and the old one keeps screening until a restart. */
    req->job.status = sarhad_screener_open(&fresh, srv->store, &req->job.err);
    if (req->job.status != SARHAD_OK)
        return;
    pthread_rwlock_wrlock(&srv->screen_lock);
    old = srv->screener;
    srv->screener = fresh;
    if (srv->ledger != NULL)
        sarhad_ledger_set_screener(srv->ledger, fresh);
    pthread_rwlock_unlock(&srv->screen_lock);
    sarhad_screener_close(old);
}

static void
import_done(struct server *srv, struct request *req)
{
    struct import_data *d = req->data;

    (void)srv;
    if (req->job.status != SARHAD_OK) {
        serve_reply_status(req, req->job.status, &req->job.err);
        return;
    }
    serve_reply_json(req, 201,
                     json_pack("{s:o}", "version", version_json(&d->version)));
}

void
route_watchlist_import(struct server *srv, struct request *req)
{
    static const char *const fields[] = {"format", "source", "text", NULL};
    static const char *const required[] = {"text", NULL};
    json_t *body = serve_body_object(req, fields, required);
    const char *format, *source = NULL;
    json_t *text;
    struct import_data *d;

    if (body == NULL)
        return;
    format = serve_str(req, body, "format", 8, false);
    if (format != NULL)
        source = serve_str(req, body, "source", 95, false);
    text = json_object_get(body, "text");
    if (source != NULL &&
        (!json_is_string(text) || json_string_length(text) == 0 ||
         json_string_length(text) > SARHAD_WL_MAX_INPUT)) {
        serve_reply_error(req, 400, "invalid", "text",
                          "the list is a non-empty string of at most 64 MiB");
        source = NULL;
    }
    if (source == NULL) {
        json_decref(body);
        return;
    }
    d = xmalloc(sizeof(*d));
    memset(d, 0, sizeof(*d));
    req->data = d;
    req->free_data = free_import_data;
    if (format[0] == '\0' || strcmp(format, "auto") == 0)
        d->format = SARHAD_WL_AUTO;
    else if (strcmp(format, "csv") == 0)
        d->format = SARHAD_WL_CSV;
    else if (strcmp(format, "un-xml") == 0)
        d->format = SARHAD_WL_UN_XML;
    else {
        serve_reply_error(req, 400, "invalid", "format",
                          "format is csv, un-xml or auto");
        json_decref(body);
        return;
    }
    snprintf(d->source, sizeof(d->source), "%s",
             source[0] ? source : "uploaded list");
    d->len = json_string_length(text);
    d->text = xmalloc(d->len + 1);
    memcpy(d->text, json_string_value(text), d->len + 1);
    json_decref(body);
    serve_submit_alone(srv, req, import_run, import_done);
}
