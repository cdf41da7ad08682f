/*
 * serve.h - what the files of `sarhad serve` share: the server, one
 * request, the route table, the writer thread's jobs, the JSON helpers and
 * the metrics.
 *
 * How a request flows: libmicrohttpd (epoll, a thread pool the size of the
 * core count) calls serve_http.c, which finds the route, checks the token
 * and the role, and reads the body up to the route's limit.  Reads run on
 * the pool thread with that thread's own read-only store handle.  Writes
 * become a job for the one writer thread (serve_writer.c): the connection
 * is suspended, the writer runs every queued job in one transaction, commits
 * (one fsync for the group), and resumes each connection, whose handler
 * then answers from the job's result.
 */
#ifndef SARHAD_SERVE_H
#define SARHAD_SERVE_H

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sarhad.h"

/* Roles as bits, for the route table. */
enum {
    ROLE_OFFICER = 1 << 0,
    ROLE_SUPERVISOR = 1 << 1,
    ROLE_ANALYST = 1 << 2,
    ROLE_ADMIN = 1 << 3,
    ROLE_AUDITOR = 1 << 4,
    ROLE_ANY = 0x1f,
    ROLE_PUBLIC = 0 /* no token needed */
};

#define SERVE_MAX_BODY_DEFAULT (16 * 1024)
#define SERVE_MAX_URL          1024
#define SERVE_MAX_BATCH        1024
/* libmicrohttpd's memory per connection: the request line and headers,
 * the read buffer the body streams through, the answer's headers.  It
 * zeroes all of it between two requests of a connection, so it costs on
 * every request.  16 KiB takes about 15 KiB of headers, several times what
 * a browser sends (more gets 431); bodies stream through in pieces. */
#ifndef SERVE_CONN_MEMORY
#define SERVE_CONN_MEMORY (16 * 1024)
#endif

struct server;
struct request;
struct serve_push;
struct serve_national;

/* A route's handler: fills the request's response (serve_reply*), or
 * queues a write job (serve_submit) and returns. */
typedef void (*route_fn)(struct server *srv, struct request *req);

struct route {
    const char *method;
    const char *pattern; /* "/v1/users/{name}/disable": one {param} */
    unsigned roles;
    size_t body_max; /* 0: the route takes no body */
    route_fn fn;
    bool csrf_exempt;    /* login: there is no session yet */
    const char *summary; /* for the OpenAPI document */
    const char *schema;  /* request body schema (components), or NULL */
    const char *query;   /* query arguments, comma-separated, or NULL */
};

extern const struct route serve_routes[];
extern const size_t serve_route_count;

/* A write job: run on the writer thread inside the batch transaction;
 * then (after the commit) the connection resumes and done builds the
 * answer on a pool thread. */
struct job {
    void (*run)(struct server *srv, struct request *req);
    void (*done)(struct server *srv, struct request *req);
    struct job *next;
    enum sarhad_status status;
    struct sarhad_error err;
    bool is_write_error; /* a store failure: the whole batch is undone */
    bool alone;    /* runs outside any batch, in a transaction of its own */
    bool finished; /* an internal job is durable or failed (under mu) */
};

struct request {
    struct MHD_Connection *conn;
    const struct route *route;
    char method[8];
    char param[128]; /* the {param} of the route, URL-decoded */
    struct sarhad_actor actor;
    struct sarhad_session session; /* when authenticated */
    bool authenticated;
    bool by_cookie;
    char token[SARHAD_TOKEN_LEN + 1];
    /* body */
    char *body;
    size_t body_len, body_cap;
    bool too_big;
    bool started; /* the handler ran (body complete) */
    /* response */
    unsigned status;
    char *reply;
    size_t reply_len;
    const char *content_type;
    char *set_cookie;
    bool answered;
    /* write job */
    struct job job;
    bool suspended;
    bool resumed;
    /* per-route scratch shared by run and done */
    void *data;
    void (*free_data)(void *data);
    int64_t start_ns;
    size_t route_index;
    /* headers of the embedded console's files (serve_routes_web.c); the
     * JSON answers keep no-store and the API's strict policy */
    const char *csp;
    const char *cache_control;
    char etag[24];
};

struct metrics {
    _Atomic uint64_t requests[64][6]; /* route x status class 1xx..5xx, other */
    _Atomic uint64_t unmatched;
    _Atomic uint64_t latency_bucket[16];
    _Atomic uint64_t latency_sum_us;
    _Atomic uint64_t latency_count;
    _Atomic uint64_t decisions[3]; /* admit, refuse, refer */
    _Atomic uint64_t batches;
    _Atomic uint64_t batch_items;
    _Atomic uint64_t batch_failures;
    _Atomic uint64_t logins_failed;
};

struct server {
    char db_path[4096];
    char post[16];
    int utc_offset; /* the post's, in minutes (health tells the console) */
    struct sarhad_store *store; /* the writer's handle */
    struct sarhad_ledger *ledger;
    struct sarhad_audit_key *key;
    struct sarhad_login_limits limits;
    struct MHD_Daemon *daemon;
    bool tls;
    char *cert_pem, *key_pem;
    _Atomic int in_flight; /* requests begun and not yet completed */
    bool echo;
    bool quiet;
    int64_t last_checkpoint;
    /* the writer's queue */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct job *head, *tail;
    size_t queued;
    bool stopping;
    pthread_t writer;
    /* jobs committed and waiting for the flusher's fdatasync (under mu) */
    pthread_cond_t flush_cv;
    struct job *flush_head, *flush_tail;
    bool flush_stopping;
    bool flusher_idle; /* nothing handed over is waiting for the disk */
    pthread_t flusher;
    pthread_cond_t internal_cv; /* an internal job finished (under mu) */
    pthread_key_t reader_key;   /* a read-only store per pool thread */
    struct metrics metrics;
    /* screening (serve_routes_watchlist.c) */
    struct sarhad_screener *screener; /* swapped under screen_lock */
    pthread_rwlock_t screen_lock;
    _Atomic int screen_threshold; /* the published policy's */
    struct serve_replay *replay;  /* serve_replay.c */
    /* the push to the central store (serve_push.c), or NULL */
    struct serve_push *push;
    /* the ministry's view of the central store (serve_national.c), or
     * NULL */
    struct serve_national *national;
};

/* serve_http.c */
struct MHD_Daemon *serve_http_start(struct server *srv, const char *host,
                                    unsigned port, const char *cert,
                                    const char *key, unsigned *bound_port);
struct sarhad_store *serve_reader(struct server *srv);
/* req->actor.address from the connection (done for every authenticated
 * request; a public route that records the address asks for it). */
void serve_client_address(struct request *req);
int64_t serve_now(void);

/* serve_routes_watchlist.c */
int serve_open_screener(struct server *srv);
void serve_close_screener(struct server *srv);
void serve_screen_threshold_changed(struct server *srv);
void route_screen(struct server *srv, struct request *req);
void route_watchlists(struct server *srv, struct request *req);
void route_watchlist_import(struct server *srv, struct request *req);
/* On the writer, after a new list version committed: screen with it from
 * now on (req->job says whether the screener could be built). */
void serve_screener_reload(struct server *srv, struct request *req);

/* serve_routes_report.c: lint findings as JSON, the first count of them;
 * a policy's compile error with its line and column. */
json_t *serve_issues_json(const struct sarhad_lint_issue *issues,
                          unsigned count);
json_t *serve_compile_error_json(const struct sarhad_error *err);
/* 400 for a policy that does not compile (with its compile_error) or has
 * lint errors (with the first count findings); field names the part of
 * the body that held it. */
void serve_reply_uncompiled(struct request *req, const char *field,
                            const struct sarhad_error *err);
void serve_reply_lint_refused(struct request *req, const char *field,
                              const char *message,
                              const struct sarhad_lint_issue *issues,
                              unsigned count);

/* serve_replay.c: a draft policy replayed over the record, off the writer,
 * one at a time (serve_replay_start before serving; at shutdown _halt
 * while the writer runs, to keep one cut short, and _stop at the end). */
void serve_replay_start(struct server *srv);
void serve_replay_halt(struct server *srv);
void serve_replay_stop(struct server *srv);
void route_replay_start(struct server *srv, struct request *req);
void route_replay(struct server *srv, struct request *req);
void route_attempts(struct server *srv, struct request *req);
void route_replays(struct server *srv, struct request *req);

/* serve_routes_bundle.c */
void route_bundles(struct server *srv, struct request *req);
void route_bundle_apply(struct server *srv, struct request *req);
void route_bundle_trust(struct server *srv, struct request *req);
/* Apply a bundle through the writer, from a thread of the server's own
 * (the push thread taking the ministry's bundles from the central). */
enum sarhad_status serve_apply_bundle(struct server *srv, const char *data,
                                      size_t len,
                                      const struct sarhad_actor *who,
                                      struct sarhad_bundle_applied *out,
                                      struct sarhad_error *err);

/* serve_writer.c */
int serve_writer_start(struct server *srv);
void serve_writer_stop(struct server *srv);
/* Suspend the request and queue its job (run on the writer, then done). */
void serve_submit(struct server *srv, struct request *req,
                  void (*run)(struct server *, struct request *),
                  void (*done)(struct server *, struct request *));
/* The same, for a job that runs outside any batch (policy publication). */
void serve_submit_alone(struct server *srv, struct request *req,
                        void (*run)(struct server *, struct request *),
                        void (*done)(struct server *, struct request *));
/* A job of the server's own (req->conn is set NULL), run alone on the
 * writer; waits until it is durable or failed and returns its status
 * (req->job.err).  SARHAD_EIO when the server is stopping. */
enum sarhad_status serve_run_internal(struct server *srv, struct request *req,
                                      void (*run)(struct server *,
                                                  struct request *));

/* serve_push.c: the background push to the central store (--central),
 * every `every` seconds; its state for health and metrics. */
int serve_push_start(struct server *srv, const char *conninfo, int every);
void serve_push_stop(struct server *srv);
json_t *serve_push_health(struct server *srv);
void serve_push_metrics(struct server *srv, FILE *f);

/* serve_national.c: the national reports and the posts as the central
 * knows them (--national). */
/* silent_after: seconds without a push after which a post is silent. */
int serve_national_start(struct server *srv, const char *conninfo,
                         int64_t silent_after);
void serve_national_stop(struct server *srv);
bool serve_national_on(const struct server *srv);
void route_national_report(struct server *srv, struct request *req);
void route_national_posts(struct server *srv, struct request *req);

/* serve_routes_report.c: a report answered as JSON or CSV, its rows from
 * source (the post's store or the central), its failures told by failed. */
typedef enum sarhad_status (*serve_report_source)(
    struct server *srv, enum sarhad_report_kind kind,
    const struct sarhad_report_filter *filter,
    bool (*fn)(void *ctx, const struct sarhad_report_row *row), void *ctx,
    struct sarhad_error *err);
typedef void (*serve_report_failure)(struct request *req, enum sarhad_status s,
                                     const struct sarhad_error *err);
void serve_report(struct server *srv, struct request *req,
                  serve_report_source source, serve_report_failure failed);

/* serve_json.c: answers and bodies. */
void serve_reply_json(struct request *req, unsigned status, json_t *doc);
void serve_reply_text(struct request *req, unsigned status,
                      const char *content_type, const char *text, size_t len);
void serve_reply_owned(struct request *req, unsigned status,
                       const char *content_type, char *text, size_t len);
void serve_reply_error(struct request *req, unsigned status, const char *code,
                       const char *field, const char *message);
/* An error from the library, mapped to its HTTP status and code. */
void serve_reply_status(struct request *req, enum sarhad_status s,
                        const struct sarhad_error *err);

/*
 * The request's body as a JSON object with exactly the allowed fields
 * (NULL-terminated list), the required ones present.  Answers 400 and
 * returns NULL when it is not; the caller owns the result.
 */
json_t *serve_body_object(struct request *req, const char *const *allowed,
                          const char *const *required);
/* A string member of length 1..max (answers 400 naming it otherwise). */
const char *serve_str(struct request *req, json_t *obj, const char *name,
                      size_t max, bool required);

/* The strict parse behind serve_body_object, without a request (fuzzed):
 * NULL with *code, *field and msg filled when the body is not acceptable. */
json_t *serve_parse_object(const char *body, size_t len,
                           const char *const *allowed,
                           const char *const *required, const char **code,
                           char field[64], char msg[160]);

/* Whether body is one JSON array or object, well-formed UTF-8 JSON as the
 * strict parse would take it (duplicate keys aside: no tree is built).
 * *offset (may be NULL): where reading stopped, for the error. */
bool serve_json_check(const char *body, size_t len, size_t *offset);

/* A query argument, or NULL. */
const char *serve_query(struct request *req, const char *name);
/* A whole-number query argument from 0 to max, def when absent; -1 when
 * it is not one. */
long long serve_query_int(struct request *req, const char *name, long long def,
                          long long max);

/* serve_metrics.c */
void serve_metrics_request(struct server *srv, struct request *req,
                           unsigned status, int64_t elapsed_ns);
void serve_metrics_render(struct server *srv, struct request *req);

/* serve_openapi.c */
void serve_openapi(struct server *srv, struct request *req);

/* The route handlers (serve_routes_*.c). */
void route_health(struct server *srv, struct request *req);
void route_metrics(struct server *srv, struct request *req);
void route_echo(struct server *srv, struct request *req);
void route_login(struct server *srv, struct request *req);
void route_logout(struct server *srv, struct request *req);
void route_whoami(struct server *srv, struct request *req);
void route_users(struct server *srv, struct request *req);
void route_user_add(struct server *srv, struct request *req);
void route_user_disable(struct server *srv, struct request *req);
void route_user_enable(struct server *srv, struct request *req);
void route_user_passwd(struct server *srv, struct request *req);
void route_audit(struct server *srv, struct request *req);
void route_audit_verify(struct server *srv, struct request *req);
void route_decide(struct server *srv, struct request *req);
void route_attempt(struct server *srv, struct request *req);
void route_traveller(struct server *srv, struct request *req);
void route_travellers(struct server *srv, struct request *req);
/* Answer req with text (JSON, taken over) once the lookup of the records
 * ids (a traveller, an attempt, or what a search by "by" found) is in the
 * audit log (serve_lookup.c). */
void serve_answer_lookup(struct server *srv, struct request *req,
                         enum sarhad_lookup what, const int64_t *ids,
                         unsigned n, const char *by, char *text, size_t len);
void route_referrals(struct server *srv, struct request *req);
void route_resolve(struct server *srv, struct request *req);
void route_override(struct server *srv, struct request *req);
void route_report(struct server *srv, struct request *req);
void route_policies(struct server *srv, struct request *req);
void route_policy(struct server *srv, struct request *req);
void route_policy_lint(struct server *srv, struct request *req);
void route_policy_publish(struct server *srv, struct request *req);
void route_web(struct server *srv, struct request *req);

/* serve_routes_ledger.c: the ledger of an initialised store (none before
 * sarhad init: ledger routes answer 503 no_ledger). */
int serve_open_ledger(struct server *srv);
void serve_close_ledger(struct server *srv);
/* serve_http.c: the destructor of a pool thread's read-only store. */
void serve_close_reader(void *reader);

#endif /* SARHAD_SERVE_H */
