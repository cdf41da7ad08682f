/*
 * serve_http.c - the HTTP side of `sarhad serve`: libmicrohttpd's access
 * handler.  For each request it finds the route, authenticates the bearer
 * token or session cookie (and the CSRF token of a cookie-borne write),
 * checks the role and the post, reads the body up to the route's limit
 * (413 past it, before reading more than it must), runs the handler, and
 * sends the answer, resuming connections that waited for the writer.
 * Nothing here logs a request's content.
 */
#include "serve.h"

#include "cmd.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int64_t
serve_now(void)
{
    return (int64_t)time(NULL);
}

static int64_t
mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* What each pool thread keeps: its read-only store handle and the session
 * cache that answers for it (one per handle, never shared). */
struct reader {
    struct sarhad_store *store;
    struct sarhad_session_cache *sessions;
};

void
serve_close_reader(void *reader)
{
    struct reader *r = reader;

    sarhad_session_cache_free(r->sessions);
    sarhad_store_close(r->store);
    free(r);
}

static struct reader *
thread_reader(struct server *srv)
{
    static const struct sarhad_store_options ro = {false, true, NULL};
    struct reader *r = pthread_getspecific(srv->reader_key);

    if (r != NULL)
        return r;
    r = calloc(1, sizeof(*r));
    if (r == NULL)
        return NULL;
    if (sarhad_store_open(&r->store, srv->db_path, &ro, NULL) != SARHAD_OK) {
        free(r);
        return NULL;
    }
    /* A post has tens of sessions open (80 KiB of table for 256; more only
     * empties it now and then).  NULL (out of memory) only means every
     * lookup reads the store. */
    r->sessions = sarhad_session_cache_new(256);
    pthread_setspecific(srv->reader_key, r);
    return r;
}

struct sarhad_store *
serve_reader(struct server *srv)
{
    struct reader *r = thread_reader(srv);

    return r != NULL ? r->store : NULL;
}

/* Match path against pattern; a "{name}" segment captures into param. */
static bool
match(const char *pattern, const char *path, char *param, size_t cap)
{
    while (*pattern != '\0') {
        if (*pattern == '{') {
            const char *end = strchr(path, '/');
            size_t n = end != NULL ? (size_t)(end - path) : strlen(path);
            if (n == 0 || n >= cap)
                return false;
            memcpy(param, path, n);
            param[n] = '\0';
            path += n;
            pattern = strchr(pattern, '}') + 1;
            continue;
        }
        if (*pattern++ != *path++)
            return false;
    }
    return *path == '\0';
}

/* HEAD is GET without the body (libmicrohttpd leaves the body out and
 * keeps its Content-Length): every GET route answers it, after the same
 * token and role checks. */
static bool
same_method(const char *route_method, const char *method)
{
    return strcmp(route_method, method) == 0 ||
           (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

static const struct route *
find_route(const char *method, const char *url, char *param, size_t cap,
           bool *path_known, size_t *index)
{
    *path_known = false;
    for (size_t i = 0; i < serve_route_count; i++) {
        if (!match(serve_routes[i].pattern, url, param, cap))
            continue;
        *path_known = true;
        if (same_method(serve_routes[i].method, method)) {
            *index = i;
            return &serve_routes[i];
        }
    }
    return NULL;
}

struct query_check {
    const char *allowed; /* the route's names, comma-separated, or NULL */
    char unknown[48];    /* the first name it does not take */
};

static enum MHD_Result
check_query_name(void *cls, enum MHD_ValueKind kind, const char *key,
                 const char *value)
{
    struct query_check *c = cls;
    size_t n = strlen(key);
    bool plain = true;

    (void)kind;
    (void)value;
    for (const char *a = c->allowed; a != NULL && *a != '\0';) {
        size_t len = strcspn(a, ",");
        if (len == n && strncmp(a, key, n) == 0)
            return MHD_YES;
        a += len + (a[len] == ',');
    }
    /* Named back only when it is plain printable ASCII. */
    for (size_t i = 0; i < n; i++)
        plain = plain && (unsigned char)key[i] > 0x20 &&
                (unsigned char)key[i] < 0x7f;
    snprintf(c->unknown, sizeof(c->unknown), "%s", plain ? key : "query");
    return MHD_NO;
}

/* A query argument the route does not take is refused, as an unknown
 * field of a body is: a misspelt filter must not silently widen a search. */
static bool
query_known(struct request *req)
{
    struct query_check c = {req->route->query, ""};

    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND,
                              check_query_name, &c);
    if (c.unknown[0] == '\0')
        return true;
    serve_reply_error(req, 400, "unknown_field", c.unknown,
                      "this route takes no such query argument");
    return false;
}

static unsigned
role_bit(const char *role)
{
    static const char *const names[] = {"officer", "supervisor", "analyst",
                                        "admin", "auditor"};

    for (unsigned i = 0; i < 5; i++)
        if (strcmp(role, names[i]) == 0)
            return 1u << i;
    return 0;
}

/* "a.b.c.d" without inet_ntop's sprintf (it was one of the larger costs
 * of a small request). */
static void
ipv4_text(const unsigned char *a, char *out)
{
    for (int i = 0; i < 4; i++) {
        unsigned v = a[i];
        if (v >= 100)
            *out++ = (char)('0' + v / 100);
        if (v >= 10)
            *out++ = (char)('0' + v / 10 % 10);
        *out++ = (char)('0' + v % 10);
        *out++ = i < 3 ? '.' : '\0';
    }
}

void
serve_client_address(struct request *req)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;
    char *out = req->actor.address;

    out[0] = '\0';
    if (sa == NULL)
        return;
    if (sa->sa_family == AF_INET)
        ipv4_text((const unsigned char *)&(
                      (const struct sockaddr_in *)(const void *)sa)
                      ->sin_addr,
                  out);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6,
                  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                  out, (socklen_t)sizeof(req->actor.address));
}

/* The session token from "Authorization: Bearer T" or the cookie. */
static bool
find_token(struct request *req)
{
    const char *h = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
                                                MHD_HTTP_HEADER_AUTHORIZATION);
    const char *c;

    if (h != NULL && strncmp(h, "Bearer ", 7) == 0 &&
        strlen(h + 7) == SARHAD_TOKEN_LEN) {
        memcpy(req->token, h + 7, SARHAD_TOKEN_LEN + 1);
        return true;
    }
    c = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND,
                                    "sarhad_session");
    if (h == NULL && c != NULL && strlen(c) == SARHAD_TOKEN_LEN) {
        memcpy(req->token, c, SARHAD_TOKEN_LEN + 1);
        req->by_cookie = true;
        return true;
    }
    return false;
}

/* Authenticate and authorise; false when an error answer was made. */
static bool
admit_request(struct server *srv, struct request *req)
{
    struct reader *ro;
    struct sarhad_error err;
    const char *csrf;
    char want[SARHAD_TOKEN_LEN + 1];

    /* Only an account's requests (and a login, which asks for it) record
     * where they came from. */
    if (req->route->roles == ROLE_PUBLIC)
        return true;
    serve_client_address(req);
    if (!find_token(req)) {
        serve_reply_error(req, 401, "unauthorized", "Authorization",
                          "log in first: send Authorization: Bearer TOKEN");
        return false;
    }
    ro = thread_reader(srv);
    if (ro == NULL) {
        serve_reply_error(req, 503, "store_unavailable", NULL,
                          "the store cannot be read");
        return false;
    }
    sarhad_error_clear(&err);
    if (sarhad_session_cached(ro->sessions, ro->store, req->token,
                              SARHAD_TOKEN_LEN, serve_now(), &req->session,
                              NULL, &err) != SARHAD_OK) {
        serve_reply_status(req, err.code == SARHAD_OK ? SARHAD_EAUTH : err.code,
                           &err);
        return false;
    }
    req->authenticated = true;
    /* The actor is the session's account, seen from this address. */
    memcpy(req->actor.user, req->session.actor.user, sizeof(req->actor.user));
    memcpy(req->actor.role, req->session.actor.role, sizeof(req->actor.role));
    memcpy(req->actor.post, req->session.actor.post, sizeof(req->actor.post));
    if ((role_bit(req->actor.role) & req->route->roles) == 0) {
        serve_reply_error(req, 403, "forbidden", NULL,
                          "your role may not do this");
        return false;
    }
    if (sarhad_role_needs_post(req->actor.role) && srv->post[0] != '\0' &&
        strcmp(req->actor.post, srv->post) != 0) {
        serve_reply_error(req, 403, "forbidden", "post",
                          "your account belongs to another post");
        return false;
    }
    if (req->by_cookie && strcmp(req->route->method, "GET") != 0 &&
        !req->route->csrf_exempt) {
        csrf = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
                                           "X-CSRF-Token");
        sarhad_session_csrf(want, req->token, SARHAD_TOKEN_LEN);
        if (csrf == NULL || strcmp(csrf, want) != 0) {
            serve_reply_error(req, 403, "csrf", "X-CSRF-Token",
                              "a cookie-authenticated change needs the "
                              "session's CSRF token");
            return false;
        }
    }
    return true;
}

static enum MHD_Result
send_reply(struct request *req)
{
    struct MHD_Response *resp;
    enum MHD_Result r;

    if (req->reply == NULL)
        serve_reply_error(req, 500, "internal", NULL, "no answer was made");
    resp = MHD_create_response_from_buffer(req->reply_len, req->reply,
                                           MHD_RESPMEM_MUST_FREE);
    if (resp == NULL)
        return MHD_NO;
    req->reply = NULL; /* the response owns it now */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            req->content_type ? req->content_type
                                              : "application/json");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
                            req->cache_control ? req->cache_control
                                               : "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    /* Nothing the API answers is a document to render or frame. */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_SECURITY_POLICY,
                            req->csp ? req->csp
                                     : "default-src 'none'; "
                                       "frame-ancestors 'none'");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    if (req->etag[0] != '\0')
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, req->etag);
    if (req->set_cookie != NULL)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE,
                                req->set_cookie);
    r = MHD_queue_response(req->conn, req->status, resp);
    MHD_destroy_response(resp);
    return r;
}

static bool
content_too_long(struct request *req)
{
    const char *cl = MHD_lookup_connection_value(
        req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    char *end;
    unsigned long long n;

    if (cl == NULL)
        return false;
    n = strtoull(cl, &end, 10);
    return *end != '\0' || n > req->route->body_max;
}

static struct request *
new_request(struct server *srv, struct MHD_Connection *conn, const char *url,
            const char *method)
{
    struct request *req = calloc(1, sizeof(*req));
    bool known = false;
    size_t n;

    if (req == NULL)
        return NULL;
    req->conn = conn;
    req->start_ns = mono_ns();
    req->route_index = SIZE_MAX;
    n = strnlen(method, sizeof(req->method) - 1);
    memcpy(req->method, method, n);
    req->method[n] = '\0';
    if (strlen(url) > SERVE_MAX_URL) {
        serve_reply_error(req, 414, "too_large", "url", "the URL is too long");
        return req;
    }
    req->route = find_route(method, url, req->param, sizeof(req->param), &known,
                            &req->route_index);
    if (req->route == NULL) {
        if (known)
            serve_reply_error(req, 405, "method_not_allowed", NULL,
                              "this path does not take that method");
        else
            serve_reply_error(req, 404, "not_found", NULL, "no such route");
        return req;
    }
    if (!admit_request(srv, req) || !query_known(req))
        return req;
    if (content_too_long(req))
        serve_reply_error(req, 413, "too_large", "body",
                          req->route->body_max == 0
                              ? "this request takes no body"
                              : "the body is larger than this route allows");
    return req;
}

static void
take_chunk(struct request *req, const char *data, size_t size)
{
    if (req->too_big || req->body_len + size > req->route->body_max) {
        req->too_big = true;
        return;
    }
    if (req->body_len + size + 1 > req->body_cap) {
        size_t cap = req->body_cap ? req->body_cap : 1024;
        while (cap < req->body_len + size + 1)
            cap *= 2;
        req->body = xrealloc(req->body, cap);
        req->body_cap = cap;
    }
    memcpy(req->body + req->body_len, data, size);
    req->body_len += size;
    req->body[req->body_len] = '\0';
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
           const char *method, const char *version, const char *upload_data,
           size_t *upload_data_size, void **con_cls)
{
    struct server *srv = cls;
    struct request *req = *con_cls;

    (void)version;
    if (req == NULL) {
        req = new_request(srv, conn, url, method);
        if (req == NULL)
            return MHD_NO;
        *con_cls = req;
        atomic_fetch_add(&srv->in_flight, 1);
        if (req->answered)
            return send_reply(req);
        return MHD_YES;
    }
    if (req->resumed) {
        req->resumed = false;
        req->job.done(srv, req);
        return send_reply(req);
    }
    if (*upload_data_size != 0) {
        take_chunk(req, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (req->started)
        return MHD_YES; /* woken while still waiting for the writer */
    req->started = true;
    if (req->too_big) {
        serve_reply_error(req, 413, "too_large", "body",
                          "the body is larger than this route allows");
        return send_reply(req);
    }
    if (req->body == NULL) {
        req->body = xmalloc(1);
        req->body[0] = '\0';
    }
    req->route->fn(srv, req);
    if (req->answered)
        return send_reply(req);
    return MHD_YES; /* suspended until the writer has committed its job */
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
    struct server *srv = cls;
    struct request *req = *con_cls;

    (void)conn;
    (void)toe;
    if (req == NULL)
        return;
    serve_metrics_request(srv, req, req->status, mono_ns() - req->start_ns);
    if (req->free_data != NULL)
        req->free_data(req->data);
    sarhad_wipe(req->token, sizeof(req->token));
    free(req->body);
    free(req->reply);
    free(req->set_cookie);
    free(req);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->in_flight, 1);
}

static char *
slurp(const char *path)
{
    size_t len;

    return read_input(path, 1 << 20, &len);
}

struct MHD_Daemon *
serve_http_start(struct server *srv, const char *host, unsigned port,
                 const char *cert, const char *key, unsigned *bound_port)
{
    struct sockaddr_in addr;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
                     MHD_ALLOW_SUSPEND_RESUME;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    char *cert_pem = NULL, *key_pem = NULL;
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *info;

    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr,
                "sarhad serve: --listen: '%s' is not an IPv4 "
                "address\n",
                host);
        return NULL;
    }
    if (cert != NULL) {
        cert_pem = slurp(cert);
        key_pem = slurp(key);
        if (cert_pem == NULL || key_pem == NULL) {
            free(cert_pem);
            free(key_pem);
            return NULL;
        }
        flags |= MHD_USE_TLS;
        srv->tls = true;
    }
    d = MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, on_request, srv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cores > 0 ? cores : 1),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SERVE_CONN_MEMORY,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        cert_pem != NULL ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert_pem,
        MHD_OPTION_HTTPS_MEM_KEY, key_pem, MHD_OPTION_END);
    if (d == NULL)
        fprintf(stderr, "sarhad serve: cannot listen on %s:%u\n", host, port);
    if (d == NULL) {
        free(cert_pem);
        free(key_pem);
        return NULL;
    }
    /* Kept until the daemon stops (serve.c frees them). */
    srv->cert_pem = cert_pem;
    srv->key_pem = key_pem;
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    *bound_port = info != NULL ? info->port : port;
    return d;
}
