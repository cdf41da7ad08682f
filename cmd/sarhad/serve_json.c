/*
 * serve_json.c - how the server answers: JSON documents, plain text, and
 * errors as {"code", "field", "message"} with a stable code a client can
 * branch on and a message that names the field.  Library statuses map to
 * HTTP statuses here, in one place.  Messages come from the library's
 * error structs, which never hold traveller data.
 */
#include "serve.h"

#include "cmd.h"

#include <stdlib.h>
#include <string.h>

void
serve_reply_owned(struct request *req, unsigned status,
                  const char *content_type, char *text, size_t len)
{
    free(req->reply);
    req->status = status;
    req->content_type = content_type;
    req->reply = text;
    req->reply_len = len;
    req->answered = true;
}

void
serve_reply_text(struct request *req, unsigned status, const char *content_type,
                 const char *text, size_t len)
{
    char *copy = xmalloc(len + 1);

    memcpy(copy, text, len);
    copy[len] = '\0';
    serve_reply_owned(req, status, content_type, copy, len);
}

void
serve_reply_json(struct request *req, unsigned status, json_t *doc)
{
    char *text = json_dumps(doc, JSON_COMPACT);

    json_decref(doc);
    if (text == NULL) {
        static const char oom[] = "{\"code\":\"internal\",\"field\":null,"
                                  "\"message\":\"out of memory\"}";
        serve_reply_text(req, 500, "application/json", oom, sizeof(oom) - 1);
        return;
    }
    /* jansson allocates with malloc, so free() releases it. */
    serve_reply_owned(req, status, "application/json", text, strlen(text));
}

void
serve_reply_error(struct request *req, unsigned status, const char *code,
                  const char *field, const char *message)
{
    json_t *doc = json_pack("{s:s, s:s?, s:s}", "code", code, "field",
                            field != NULL && field[0] != '\0' ? field : NULL,
                            "message", message);

    serve_reply_json(req, status, doc);
}

void
serve_reply_status(struct request *req, enum sarhad_status s,
                   const struct sarhad_error *err)
{
    unsigned status = 500;
    const char *code = "internal";
    const char *msg = err != NULL && err->message[0] != '\0'
                          ? err->message
                          : sarhad_strerror(s);

    switch (s) {
    case SARHAD_EINVAL:
    case SARHAD_EFORMAT:
    case SARHAD_ECHECK:
        status = 400;
        code = "invalid";
        break;
    case SARHAD_ETOOBIG:
        status = 413;
        code = "too_large";
        break;
    case SARHAD_ENOTFOUND:
        status = 404;
        code = "not_found";
        break;
    case SARHAD_EEXIST:
        status = 409;
        code = "conflict";
        break;
    case SARHAD_EPERM:
        status = 403;
        code = "forbidden";
        break;
    case SARHAD_EAUTH:
        status = 401;
        code = "unauthorized";
        break;
    case SARHAD_ESIGN:
    case SARHAD_ETAMPER:
        /* Well-formed, but not what the trusted key signed. */
        status = 422;
        code = "not_authentic";
        break;
    case SARHAD_EBUSY:
    case SARHAD_EIO:
    case SARHAD_EDB:
    case SARHAD_ENOMEM:
        status = 503;
        code = "store_unavailable";
        break;
    default:
        break;
    }
    serve_reply_error(req, status, code, err != NULL ? err->field : NULL, msg);
}

json_t *
serve_body_object(struct request *req, const char *const *allowed,
                  const char *const *required)
{
    const char *code = "bad_json";
    char field[64], msg[160];
    json_t *doc = serve_parse_object(req->body, req->body_len, allowed,
                                     required, &code, field, msg);

    if (doc == NULL)
        serve_reply_error(req, 400, code, field, msg);
    return doc;
}

const char *
serve_str(struct request *req, json_t *obj, const char *name, size_t max,
          bool required)
{
    json_t *v = json_object_get(obj, name);
    char msg[96];

    if (v == NULL && !required)
        return "";
    if (!json_is_string(v) || json_string_length(v) == 0 ||
        json_string_length(v) > max ||
        strlen(json_string_value(v)) != json_string_length(v)) {
        snprintf(msg, sizeof(msg), "must be a string of 1 to %zu characters",
                 max);
        serve_reply_error(req, 400, "invalid", name, msg);
        return NULL;
    }
    return json_string_value(v);
}

const char *
serve_query(struct request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

long long
serve_query_int(struct request *req, const char *name, long long def,
                long long max)
{
    const char *v = serve_query(req, name);
    char *end;
    long long n;

    if (v == NULL)
        return def;
    n = strtoll(v, &end, 10);
    if (*v == '\0' || *end != '\0' || n < 0 || n > max)
        return -1;
    return n;
}
