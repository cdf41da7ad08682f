/*
 * serve_routes_report.c - reports and policies over HTTP.  Reports stream
 * the ledger's rows (or the central's, serve_national.c) into JSON
 * ({"columns", "rows"}) or CSV (RFC 4180 quoting).  Policies: the list of
 * publications, one publication's text, lint (compile and check, change
 * nothing), and publication, which runs on the writer and makes a new version
 * current; a published version is never edited.
 */
#include "serve.h"

#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct report_out {
    bool csv;
    FILE *f;      /* CSV */
    json_t *rows; /* JSON */
    size_t count;
};

static void
csv_field(FILE *f, const char *v)
{
    if (v == NULL)
        return;
    if (strpbrk(v, ",\"\r\n") == NULL) {
        fputs(v, f);
        return;
    }
    fputc('"', f);
    for (; *v != '\0'; v++) {
        if (*v == '"')
            fputc('"', f);
        fputc(*v, f);
    }
    fputc('"', f);
}

static bool
report_row(void *ctx, const struct sarhad_report_row *row)
{
    struct report_out *out = ctx;

    if (out->csv) {
        for (unsigned i = 0; i < row->column_count; i++) {
            if (i > 0)
                fputc(',', out->f);
            csv_field(out->f, row->values[i]);
        }
        fputs("\r\n", out->f);
    } else {
        json_t *obj = json_object();
        for (unsigned i = 0; i < row->column_count; i++) {
            json_t *v = row->values[i] == NULL ? json_null()
                        : row->is_number[i]
                            ? json_integer(strtoll(row->values[i], NULL, 10))
                            : json_string(row->values[i]);
            json_object_set_new(obj, row->names[i], v);
        }
        json_array_append_new(out->rows, obj);
    }
    return ++out->count < 1000000;
}

/* Read ?from= and ?to= (YYYY-MM-DD) and, where the route takes it, ?post=;
 * false after an error answer. */
static bool
report_filter(struct request *req, struct sarhad_report_filter *filter)
{
    const char *names[2] = {"from", "to"};
    struct sarhad_date *dates[2] = {&filter->from, &filter->to};
    const char *post = serve_query(req, "post");
    struct sarhad_error err;

    memset(filter, 0, sizeof(*filter));
    for (int i = 0; i < 2; i++) {
        const char *v = serve_query(req, names[i]);
        if (v != NULL &&
            sarhad_date_parse(dates[i], v, strlen(v), &err) != SARHAD_OK) {
            serve_reply_error(req, 400, "invalid", names[i],
                              "a date is YYYY-MM-DD");
            return false;
        }
    }
    if (post != NULL) {
        size_t len = strlen(post);
        if (len == 0 || len >= sizeof(filter->post) ||
            strspn(post, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != len) {
            serve_reply_error(req, 400, "invalid", "post",
                              "a post code is 1 to 15 of A-Z, 0-9 and _");
            return false;
        }
        memcpy(filter->post, post, len + 1);
    }
    return true;
}

/* The post's own report, from its store. */
static enum sarhad_status
post_report(struct server *srv, enum sarhad_report_kind kind,
            const struct sarhad_report_filter *filter,
            bool (*fn)(void *ctx, const struct sarhad_report_row *row),
            void *ctx, struct sarhad_error *err)
{
    struct sarhad_store *ro = serve_reader(srv);

    if (ro == NULL) {
        err->code = SARHAD_EIO;
        snprintf(err->message, sizeof(err->message),
                 "the store cannot be read");
        return SARHAD_EIO;
    }
    return sarhad_ledger_report(ro, kind, filter, fn, ctx, err);
}

/* Where the rows go: for CSV a text in memory (*text, *len) opened with
 * the header line, else a JSON array. */
static void
start_output(struct report_out *out, const char *const *cols, unsigned ncols,
             char **text, size_t *len)
{
    if (!out->csv) {
        out->rows = json_array();
        return;
    }
    out->f = open_memstream(text, len);
    for (unsigned i = 0; out->f != NULL && i < ncols; i++) {
        if (i > 0)
            fputc(',', out->f);
        csv_field(out->f, cols[i]);
    }
    if (out->f != NULL)
        fputs("\r\n", out->f);
}

/* Answer with the rows: the CSV text (now the answer's), or JSON with
 * the report's name and columns. */
static void
reply_rows(struct request *req, struct report_out *out, const char *const *cols,
           unsigned ncols, char *text, size_t len)
{
    json_t *columns;

    if (out->csv) {
        serve_reply_owned(req, 200, "text/csv; charset=utf-8", text, len);
        return;
    }
    columns = json_array();
    for (unsigned i = 0; i < ncols; i++)
        json_array_append_new(columns, json_string(cols[i]));
    serve_reply_json(req, 200,
                     json_pack("{s:s, s:o, s:o}", "report", req->param,
                               "columns", columns, "rows", out->rows));
}

void
serve_report(struct server *srv, struct request *req,
             serve_report_source source, serve_report_failure failed)
{
    struct sarhad_report_filter filter;
    struct report_out out = {false, NULL, NULL, 0};
    enum sarhad_report_kind kind;
    const char *format = serve_query(req, "format");
    const char *const *cols;
    struct sarhad_error err;
    unsigned ncols = 0;
    char *text = NULL;
    size_t len = 0;
    enum sarhad_status s;

    if (!sarhad_report_kind_parse(&kind, req->param)) {
        char names[128], msg[160];
        sarhad_report_kind_list(names, sizeof(names));
        snprintf(msg, sizeof(msg), "reports are %s", names);
        serve_reply_error(req, 404, "not_found", "kind", msg);
        return;
    }
    if (format != NULL && strcmp(format, "csv") != 0 &&
        strcmp(format, "json") != 0) {
        serve_reply_error(req, 400, "invalid", "format",
                          "format is json or csv");
        return;
    }
    if (!report_filter(req, &filter))
        return;
    out.csv = format != NULL && strcmp(format, "csv") == 0;
    cols = sarhad_report_columns(kind, &ncols);
    start_output(&out, cols, ncols, &text, &len);
    sarhad_error_clear(&err);
    s = source(srv, kind, &filter, report_row, &out, &err);
    if (out.csv && out.f != NULL)
        fclose(out.f);
    if (s != SARHAD_OK) {
        free(text);
        json_decref(out.rows);
        failed(req, s, &err);
        return;
    }
    reply_rows(req, &out, cols, ncols, text, len);
}

void
route_report(struct server *srv, struct request *req)
{
    serve_report(srv, req, post_report, serve_reply_status);
}

static json_t *
policy_info_json(const struct sarhad_policy_info *p)
{
    return json_pack("{s:i, s:s, s:i, s:s, s:s, s:s, s:s, s:b}", "number",
                     p->number, "name", p->name, "version", p->version,
                     "filename", p->filename, "published_at", p->published_at,
                     "published_by", p->published_by, "sha256", p->sha256,
                     "current", p->is_current);
}

static bool
add_policy(void *ctx, const struct sarhad_policy_info *p)
{
    json_array_append_new(ctx, policy_info_json(p));
    return true;
}

void
route_policies(struct server *srv, struct request *req)
{
    struct sarhad_store *ro = serve_reader(srv);
    struct sarhad_error err;
    json_t *list = json_array();

    sarhad_error_clear(&err);
    if (ro == NULL ||
        sarhad_ledger_policy_list(ro, add_policy, list, &err) != SARHAD_OK) {
        json_decref(list);
        serve_reply_status(req, ro ? err.code : SARHAD_EIO, &err);
        return;
    }
    serve_reply_json(req, 200, json_pack("{s:o}", "policies", list));
}

static void
take_policy(void *ctx, const struct sarhad_policy_info *info, const char *text,
            size_t len)
{
    serve_reply_json(ctx, 200,
                     json_pack("{s:o, s:s%}", "policy", policy_info_json(info),
                               "text", text, len));
}

void
route_policy(struct server *srv, struct request *req)
{
    struct sarhad_store *ro = serve_reader(srv);
    struct sarhad_error err;
    char *end;
    long n = strtol(req->param, &end, 10);

    if (*end != '\0' || n <= 0 || n > 1000000) {
        serve_reply_error(req, 400, "invalid", "number",
                          "a publication number is a positive whole number");
        return;
    }
    sarhad_error_clear(&err);
    if (ro == NULL || sarhad_ledger_policy_text(ro, (int)n, take_policy, req,
                                                &err) != SARHAD_OK)
        serve_reply_status(req, ro ? err.code : SARHAD_EIO, &err);
}

#define MAX_ISSUES 64
#define SHOWN(n)   ((n) < MAX_ISSUES ? (n) : MAX_ISSUES)

/* The first count findings (count no more than the array holds). */
json_t *
serve_issues_json(const struct sarhad_lint_issue *issues, unsigned count)
{
    json_t *list = json_array();

    for (unsigned i = 0; i < count; i++)
        json_array_append_new(
            list,
            json_pack("{s:i, s:i, s:s, s:s, s:s}", "line", (int)issues[i].line,
                      "col", (int)issues[i].col, "severity",
                      issues[i].is_error ? "error" : "warning", "code",
                      issues[i].code, "message", issues[i].message));
    return list;
}

json_t *
serve_compile_error_json(const struct sarhad_error *err)
{
    return json_pack("{s:i, s:i, s:s, s:s}", "line", (int)err->line, "col",
                     (int)err->col, "field", err->field, "message",
                     err->message);
}

void
serve_reply_uncompiled(struct request *req, const char *field,
                       const struct sarhad_error *err)
{
    serve_reply_json(req, 400,
                     json_pack("{s:s, s:s, s:s, s:o}", "code", "invalid",
                               "field", field, "message", err->message,
                               "compile_error", serve_compile_error_json(err)));
}

void
serve_reply_lint_refused(struct request *req, const char *field,
                         const char *message,
                         const struct sarhad_lint_issue *issues, unsigned count)
{
    serve_reply_json(req, 400,
                     json_pack("{s:s, s:s, s:s, s:o}", "code", "invalid",
                               "field", field, "message", message, "issues",
                               serve_issues_json(issues, count)));
}

struct policy_data {
    char filename[128];
    char *text;
    size_t len;
    struct sarhad_policy_info info;
    struct sarhad_lint_issue issues[MAX_ISSUES];
    unsigned issue_count;
};

static void
free_policy_data(void *p)
{
    struct policy_data *d = p;

    free(d->text);
    free(d);
}

/* Read {"filename", "text"}; NULL after an error answer. */
static struct policy_data *
policy_body(struct request *req)
{
    static const char *const fields[] = {"filename", "text", NULL};
    static const char *const required[] = {"text", NULL};
    json_t *body = serve_body_object(req, fields, required);
    json_t *text;
    const char *filename;
    struct policy_data *d;

    if (body == NULL)
        return NULL;
    filename = serve_str(req, body, "filename", 127, false);
    text = json_object_get(body, "text");
    if (filename != NULL &&
        (!json_is_string(text) ||
         json_string_length(text) > SARHAD_POLICY_MAX_LEN)) {
        serve_reply_error(req, json_is_string(text) ? 413 : 400,
                          json_is_string(text) ? "too_large" : "invalid",
                          "text",
                          "the policy text is a string of at most 4 MiB");
        filename = NULL;
    }
    if (filename == NULL) {
        json_decref(body);
        return NULL;
    }
    d = xmalloc(sizeof(*d));
    memset(d, 0, sizeof(*d));
    snprintf(d->filename, sizeof(d->filename), "%s",
             filename[0] ? filename : "uploaded.policy");
    d->len = json_string_length(text);
    d->text = xmalloc(d->len + 1);
    memcpy(d->text, json_string_value(text), d->len + 1);
    req->data = d;
    req->free_data = free_policy_data;
    json_decref(body);
    return d;
}

void
route_policy_lint(struct server *srv, struct request *req)
{
    struct policy_data *d = policy_body(req);
    struct sarhad_policy *policy = NULL;
    struct sarhad_error err;
    bool has_error = false;

    (void)srv;
    if (d == NULL)
        return;
    sarhad_error_clear(&err);
    if (sarhad_policy_compile(&policy, d->filename, d->text, d->len, &err) !=
        SARHAD_OK) {
        serve_reply_json(req, 200,
                         json_pack("{s:b, s:o, s:[]}", "ok", 0, "compile_error",
                                   serve_compile_error_json(&err), "issues"));
        return;
    }
    d->issue_count = sarhad_policy_lint(policy, d->issues, MAX_ISSUES);
    for (unsigned i = 0; i < d->issue_count && i < MAX_ISSUES; i++)
        has_error |= d->issues[i].is_error;
    serve_reply_json(
        req, 200,
        json_pack("{s:b, s:n, s:s, s:i, s:i, s:o}", "ok", !has_error,
                  "compile_error", "name", sarhad_policy_name(policy),
                  "version", sarhad_policy_version(policy), "rules",
                  (int)sarhad_policy_rule_count(policy), "issues",
                  serve_issues_json(d->issues, SHOWN(d->issue_count))));
    sarhad_policy_free(policy);
}

static void
publish_run(struct server *srv, struct request *req)
{
    struct policy_data *d = req->data;

    req->job.status = sarhad_ledger_policy_publish(
        srv->ledger, d->filename, d->text, d->len, &req->actor, serve_now(),
        &d->info, d->issues, MAX_ISSUES, &d->issue_count, &req->job.err);
    if (req->job.status == SARHAD_OK)
        serve_screen_threshold_changed(srv);
}

static void
publish_done(struct server *srv, struct request *req)
{
    struct policy_data *d = req->data;
    const struct sarhad_error *err = &req->job.err;

    (void)srv;
    if (req->job.status == SARHAD_EFORMAT) {
        serve_reply_uncompiled(req, "text", err);
        return;
    }
    if (req->job.status == SARHAD_EINVAL && d->issue_count > 0) {
        serve_reply_lint_refused(req, "text", err->message, d->issues,
                                 SHOWN(d->issue_count));
        return;
    }
    if (req->job.status != SARHAD_OK) {
        serve_reply_status(req, req->job.status, err);
        return;
    }
    serve_reply_json(
        req, 201,
        json_pack("{s:o, s:o}", "policy", policy_info_json(&d->info), "issues",
                  serve_issues_json(d->issues, SHOWN(d->issue_count))));
}

void
route_policy_publish(struct server *srv, struct request *req)
{
    struct policy_data *d;

    if (srv->ledger == NULL) {
        serve_reply_error(req, 503, "no_ledger", NULL,
                          "the store belongs to no post yet: run sarhad init");
        return;
    }
    d = policy_body(req);
    if (d != NULL)
        serve_submit_alone(srv, req, publish_run, publish_done);
}
