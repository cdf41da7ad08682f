/*
 * serve_routes_auth.c - sessions and accounts over HTTP.  A login checks
 * the password (argon2id, deliberately slow) on the pool thread, and only
 * the recording of its outcome goes to the writer.  The token goes back in
 * the body (for API clients, as a bearer token) and in an HttpOnly,
 * SameSite=Strict cookie with a CSRF token (for the browser console).
 * Passwords never leave this file except as argon2id hashes.
 */
#include "serve.h"

#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct login_data {
    struct sarhad_login login;
    struct sarhad_session session;
    int64_t now;
};

static void
free_login(void *p)
{
    sarhad_wipe(p, sizeof(struct login_data));
    free(p);
}

static void
login_run(struct server *srv, struct request *req)
{
    struct login_data *d = req->data;

    req->job.status =
        sarhad_login_finish(srv->store, &d->login, d->now, &srv->limits,
                            &d->session, &req->job.err);
}

static json_t *
time_json(int64_t unix_seconds)
{
    struct sarhad_time t = sarhad_time_from_unix(unix_seconds, 0);
    char text[26];

    sarhad_time_format(text, &t);
    return json_string(text);
}

static void
login_done(struct server *srv, struct request *req)
{
    struct login_data *d = req->data;
    char cookie[256];

    if (req->job.status != SARHAD_OK) {
        if (req->job.status == SARHAD_EAUTH) {
            atomic_fetch_add(&srv->metrics.logins_failed, 1);
            if (strcmp(req->job.err.field, "throttled") == 0) {
                serve_reply_error(req, 429, "throttled", "username",
                                  req->job.err.message);
                return;
            }
            serve_reply_error(req, 401, "unauthorized", "password",
                              req->job.err.message);
            return;
        }
        serve_reply_status(req, req->job.status, &req->job.err);
        return;
    }
    snprintf(cookie, sizeof(cookie),
             "sarhad_session=%s; Path=/; HttpOnly; SameSite=Strict; "
             "Max-Age=%lld%s",
             d->session.token, (long long)srv->limits.session_lifetime,
             srv->tls ? "; Secure" : "");
    req->set_cookie = xstrdup(cookie);
    serve_reply_json(
        req, 201,
        json_pack("{s:s, s:o, s:s, s:s, s:s, s:s}", "token", d->session.token,
                  "expires", time_json(d->session.expires), "csrf",
                  d->session.csrf, "user", d->session.actor.user, "role",
                  d->session.actor.role, "post", d->session.actor.post));
}

void
route_login(struct server *srv, struct request *req)
{
    static const char *const fields[] = {"username", "password", NULL};
    json_t *body = serve_body_object(req, fields, fields);
    const char *user, *pass;
    struct sarhad_store *ro;
    struct login_data *d;
    struct sarhad_error err;

    if (body == NULL)
        return;
    user = serve_str(req, body, "username", 64, true);
    pass = user
               ? serve_str(req, body, "password", SARHAD_PASSWORD_MAX_LEN, true)
               : NULL;
    ro = serve_reader(srv);
    if (user == NULL || pass == NULL || ro == NULL) {
        if (ro == NULL && !req->answered)
            serve_reply_error(req, 503, "store_unavailable", NULL,
                              "the store cannot be read");
        json_decref(body);
        return;
    }
    d = xmalloc(sizeof(*d));
    memset(d, 0, sizeof(*d));
    req->data = d;
    req->free_data = free_login;
    d->now = serve_now();
    serve_client_address(req); /* throttled per address */
    sarhad_error_clear(&err);
    if (sarhad_login_begin(ro, &d->login, user, req->actor.address, d->now,
                           &srv->limits, &err) != SARHAD_OK) {
        serve_reply_status(req, err.code, &err);
        json_decref(body);
        return;
    }
    sarhad_login_check(&d->login, pass, strlen(pass), d->now);
    /* jansson's copy of the password goes with the document. */
    /* NOLINTNEXTLINE(performance-no-int-to-ptr): jansson's string is const */
    sarhad_wipe((void *)(uintptr_t)pass, strlen(pass));
    json_decref(body);
    serve_submit(srv, req, login_run, login_done);
}

static void
logout_run(struct server *srv, struct request *req)
{
    req->job.status =
        sarhad_session_end(srv->store, &req->actor, req->token,
                           SARHAD_TOKEN_LEN, serve_now(), &req->job.err);
}

static void
logout_done(struct server *srv, struct request *req)
{
    (void)srv;
    if (req->job.status != SARHAD_OK) {
        serve_reply_status(req, req->job.status, &req->job.err);
        return;
    }
    req->set_cookie = xstrdup("sarhad_session=; Path=/; HttpOnly; "
                              "SameSite=Strict; Max-Age=0");
    serve_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
}

void
route_logout(struct server *srv, struct request *req)
{
    serve_submit(srv, req, logout_run, logout_done);
}

void
route_whoami(struct server *srv, struct request *req)
{
    json_t *doc = json_pack("{s:s, s:s, s:s, s:o}", "user", req->actor.user,
                            "role", req->actor.role, "post", req->actor.post,
                            "expires", time_json(req->session.expires));
    char csrf[SARHAD_TOKEN_LEN + 1];

    (void)srv;
    /* The web console reloaded: its cookie session still needs the CSRF
     * token for writes.  Only a same-site page sends the cookie
     * (SameSite=Strict) and only a same-origin page can read this. */
    if (req->by_cookie) {
        sarhad_session_csrf(csrf, req->token, SARHAD_TOKEN_LEN);
        json_object_set_new(doc, "csrf", json_string(csrf));
    }
    serve_reply_json(req, 200, doc);
}

static json_t *
user_json(const struct sarhad_user *u)
{
    return json_pack("{s:s, s:s, s:s, s:b, s:s}", "username", u->name, "role",
                     u->role, "post", u->post, "disabled", u->is_disabled,
                     "created", u->created);
}

static bool
add_user(void *ctx, const struct sarhad_user *u)
{
    json_array_append_new(ctx, user_json(u));
    return true;
}

void
route_users(struct server *srv, struct request *req)
{
    struct sarhad_store *ro = serve_reader(srv);
    struct sarhad_error err;
    json_t *list = json_array();

    sarhad_error_clear(&err);
    if (ro == NULL || sarhad_user_list(ro, add_user, list, &err) != SARHAD_OK) {
        json_decref(list);
        serve_reply_status(req, ro ? err.code : SARHAD_EIO, &err);
        return;
    }
    serve_reply_json(req, 200, json_pack("{s:o}", "users", list));
}

struct user_data {
    struct sarhad_user user;
    char pwhash[SARHAD_PWHASH_LEN];
};

static void
free_user_data(void *p)
{
    sarhad_wipe(p, sizeof(struct user_data));
    free(p);
}

static void
user_add_run(struct server *srv, struct request *req)
{
    struct user_data *d = req->data;

    req->job.status = sarhad_user_add(srv->store, &req->actor, &d->user,
                                      d->pwhash, serve_now(), &req->job.err);
}

static void
user_done(struct server *srv, struct request *req)
{
    struct user_data *d = req->data;
    struct sarhad_store *ro = serve_reader(srv);
    struct sarhad_user u;

    if (req->job.status != SARHAD_OK) {
        serve_reply_status(req, req->job.status, &req->job.err);
        return;
    }
    if (ro != NULL && sarhad_user_get(ro, d->user.name, &u, NULL) == SARHAD_OK)
        serve_reply_json(
            req,
            strcmp(req->method, "POST") == 0 && req->param[0] == '\0' ? 201
                                                                      : 200,
            user_json(&u));
    else
        serve_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
}

/* Hash the body's password into d->pwhash; false after an error answer. */
static bool
hash_password(struct request *req, json_t *body, struct user_data *d)
{
    const char *pass =
        serve_str(req, body, "password", SARHAD_PASSWORD_MAX_LEN, true);
    struct sarhad_error err;
    enum sarhad_status s;

    if (pass == NULL)
        return false;
    sarhad_error_clear(&err);
    s = sarhad_password_hash(d->pwhash, pass, strlen(pass), &err);
    /* NOLINTNEXTLINE(performance-no-int-to-ptr): jansson's string is const */
    sarhad_wipe((void *)(uintptr_t)pass, strlen(pass));
    if (s != SARHAD_OK) {
        serve_reply_status(req, s, &err);
        return false;
    }
    return true;
}

static struct user_data *
new_user_data(struct request *req)
{
    struct user_data *d = xmalloc(sizeof(*d));

    memset(d, 0, sizeof(*d));
    req->data = d;
    req->free_data = free_user_data;
    return d;
}

void
route_user_add(struct server *srv, struct request *req)
{
    static const char *const fields[] = {"username", "role", "post", "password",
                                         NULL};
    static const char *const required[] = {"username", "role", "password",
                                           NULL};
    json_t *body = serve_body_object(req, fields, required);
    struct user_data *d;
    const char *name, *role, *post;

    if (body == NULL)
        return;
    d = new_user_data(req);
    name = serve_str(req, body, "username", sizeof(d->user.name) - 1, true);
    role = name ? serve_str(req, body, "role", sizeof(d->user.role) - 1, true)
                : NULL;
    post = role ? serve_str(req, body, "post", sizeof(d->user.post) - 1, false)
                : NULL;
    if (post != NULL) {
        snprintf(d->user.name, sizeof(d->user.name), "%s", name);
        snprintf(d->user.role, sizeof(d->user.role), "%s", role);
        snprintf(d->user.post, sizeof(d->user.post), "%s", post);
        if (!sarhad_role_is_valid(role))
            serve_reply_error(req, 400, "invalid", "role",
                              "the role must be officer, supervisor, "
                              "analyst, admin or auditor");
        else if (hash_password(req, body, d))
            serve_submit(srv, req, user_add_run, user_done);
    }
    json_decref(body);
}

static void
user_disable_run(struct server *srv, struct request *req)
{
    struct user_data *d = req->data;

    req->job.status = sarhad_user_disable(srv->store, &req->actor, d->user.name,
                                          serve_now(), &req->job.err);
}

/* The account named in the path, into d; false after a 404 answer. */
static bool
path_user(struct request *req, struct user_data *d)
{
    if (strlen(req->param) >= sizeof(d->user.name)) {
        serve_reply_error(req, 404, "not_found", "username", "no such user");
        return false;
    }
    memcpy(d->user.name, req->param, strlen(req->param) + 1);
    return true;
}

void
route_user_disable(struct server *srv, struct request *req)
{
    struct user_data *d = new_user_data(req);

    if (!path_user(req, d))
        return;
    if (strcmp(req->param, req->actor.user) == 0) {
        serve_reply_error(req, 409, "conflict", "username",
                          "you cannot disable your own account");
        return;
    }
    serve_submit(srv, req, user_disable_run, user_done);
}

static void
user_enable_run(struct server *srv, struct request *req)
{
    struct user_data *d = req->data;

    req->job.status = sarhad_user_enable(srv->store, &req->actor, d->user.name,
                                         serve_now(), &req->job.err);
}

void
route_user_enable(struct server *srv, struct request *req)
{
    struct user_data *d = new_user_data(req);

    if (path_user(req, d))
        serve_submit(srv, req, user_enable_run, user_done);
}

static void
user_passwd_run(struct server *srv, struct request *req)
{
    struct user_data *d = req->data;

    req->job.status =
        sarhad_user_set_password(srv->store, &req->actor, d->user.name,
                                 d->pwhash, serve_now(), &req->job.err);
}

void
route_user_passwd(struct server *srv, struct request *req)
{
    static const char *const fields[] = {"password", NULL};
    json_t *body;
    struct user_data *d;

    if (strcmp(req->actor.role, "admin") != 0 &&
        strcmp(req->param, req->actor.user) != 0) {
        serve_reply_error(req, 403, "forbidden", "username",
                          "only an admin may set another user's password");
        return;
    }
    body = serve_body_object(req, fields, fields);
    if (body == NULL)
        return;
    d = new_user_data(req);
    if (strlen(req->param) >= sizeof(d->user.name))
        serve_reply_error(req, 404, "not_found", "username", "no such user");
    else if (memcpy(d->user.name, req->param, strlen(req->param) + 1),
             hash_password(req, body, d))
        serve_submit(srv, req, user_passwd_run, user_done);
    json_decref(body);
}
