/*
 * serve.c - `sarhad serve`: opens the post's store (the writer's handle,
 * synchronous=FULL) and its ledger, loads the audit signing key, starts
 * the writer thread, the push to the central store when asked for
 * (--central), the ministry's national view (--national) and libmicrohttpd,
 * prints the address, and waits for SIGTERM or SIGINT.  Shutdown is graceful:
 * no new connections are taken, requests already in flight finish (their writes
 * are committed by the writer), a last checkpoint is signed, and the store is
 * closed.
 */
#include "serve.h"

#include "cmd.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

SARHAD_VERB(serve, "run the post's HTTP JSON API")

static void
usage(FILE *out)
{
    fprintf(
        out,
        "usage: sarhad serve --db FILE [--listen HOST:PORT] "
        "[--tls-cert FILE --tls-key FILE]\n"
        "                    [--session-ttl SECONDS] [--login-failures N]"
        " [--address-failures N]\n"
        "                    [--central CONNINFO [--push-every SECONDS]]"
        " [--national CONNINFO\n"
        "                    [--silent-after MINUTES]]\n"
        "                    [--echo] [--quiet]\n"
        "  --listen        address and port (default 127.0.0.1:8080; port"
        " 0 picks a free one)\n"
        "  --tls-cert/key  serve HTTPS with this PEM certificate and key\n"
        "  --session-ttl   session lifetime (default 43200)\n"
        "  --login-failures, --address-failures\n"
        "                  failed logins before an account or an address"
        " is locked out (5, 20)\n"
        "  --central       push the audit log to the national central store\n"
        "                  in the background (a libpq connection string;"
        " or set\n"
        "                  $SARHAD_CENTRAL)\n"
        "  --push-every    seconds between pushes (default 60)\n"
        "  --national      the ministry's view: national reports and the\n"
        "                  posts, read from this central store\n"
        "  --silent-after  minutes without a push after which the posts\n"
        "                  list calls a post silent (default 10)\n"
        "  --echo          enable POST /v1/echo (benchmark baseline)\n"
        "  --quiet         no log lines on standard error\n");
}

struct options {
    const char *db, *listen, *cert, *key, *central, *national;
    long ttl, account_failures, address_failures, push_every, silent_after;
    bool echo, quiet, push_every_given, silent_after_given;
};

static long
number(const char *s, long min, long max)
{
    char *end;
    long n = strtol(s, &end, 10);

    return *s != '\0' && *end == '\0' && n >= min && n <= max ? n : -1;
}

/* Read the command line into *o, which holds the defaults; exits 0 after
 * --help.  0, or EXIT_USAGE after saying what is wrong. */
static int
read_arguments(struct options *o, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "--echo") == 0) {
            o->echo = true;
        } else if (strcmp(a, "--quiet") == 0) {
            o->quiet = true;
        } else if (v == NULL) {
            return usage_error("serve", "unknown option or missing value: %s",
                               a);
        } else if (strcmp(a, "--db") == 0) {
            o->db = v, i++;
        } else if (strcmp(a, "--listen") == 0) {
            o->listen = v, i++;
        } else if (strcmp(a, "--tls-cert") == 0) {
            o->cert = v, i++;
        } else if (strcmp(a, "--tls-key") == 0) {
            o->key = v, i++;
        } else if (strcmp(a, "--central") == 0) {
            o->central = v, i++;
        } else if (strcmp(a, "--national") == 0) {
            o->national = v, i++;
        } else if (strcmp(a, "--push-every") == 0) {
            o->push_every = number(v, 1, 86400), i++;
            o->push_every_given = true;
        } else if (strcmp(a, "--silent-after") == 0) {
            o->silent_after = number(v, 1, 7L * 24 * 60), i++;
            o->silent_after_given = true;
        } else if (strcmp(a, "--session-ttl") == 0) {
            o->ttl = number(v, 1, 30L * 86400), i++;
        } else if (strcmp(a, "--login-failures") == 0) {
            o->account_failures = number(v, 1, 1000), i++;
        } else if (strcmp(a, "--address-failures") == 0) {
            o->address_failures = number(v, 1, 100000), i++;
        } else {
            return usage_error("serve", "unknown option: %s", a);
        }
    }
    return 0;
}

/* Check the options that go together and the numbers' ranges, and take
 * $SARHAD_CENTRAL when --central is not given; 0, or EXIT_USAGE. */
static int
check_options(struct options *o)
{
    if (o->db == NULL)
        return usage_error("serve", "--db FILE is required");
    if ((o->cert == NULL) != (o->key == NULL))
        return usage_error("serve", "--tls-cert and --tls-key go together");
    o->central = central_conninfo(o->central);
    if (o->push_every_given && o->central == NULL)
        return usage_error("serve", "--push-every goes with --central (or "
                                    "$SARHAD_CENTRAL)");
    if (o->silent_after_given && o->national == NULL)
        return usage_error("serve", "--silent-after goes with --national");
    if (o->ttl < 0 || o->account_failures < 0 || o->address_failures < 0 ||
        o->push_every < 0 || o->silent_after < 0)
        return usage_error("serve", "a number option is out of range");
    return 0;
}

/* The options: the defaults, then what the command line says, checked;
 * 0, or EXIT_USAGE. */
static int
parse_options(struct options *o, int argc, char **argv)
{
    int rc;

    memset(o, 0, sizeof(*o));
    o->listen = "127.0.0.1:8080";
    o->ttl = 43200;
    o->account_failures = 5;
    o->address_failures = 20;
    o->push_every = 60;
    o->silent_after = 10;
    rc = read_arguments(o, argc, argv);
    return rc != 0 ? rc : check_options(o);
}

/* Split "HOST:PORT". */
static int
split_listen(const char *listen, char host[64], unsigned *port)
{
    const char *colon = strrchr(listen, ':');
    long p;

    if (colon == NULL || (size_t)(colon - listen) >= 64)
        return usage_error("serve", "--listen takes HOST:PORT");
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    p = number(colon + 1, 0, 65535);
    if (p < 0)
        return usage_error("serve", "--listen: bad port '%s'", colon + 1);
    *port = (unsigned)p;
    return 0;
}

static int
open_store(struct server *srv, const struct options *o)
{
    /* NORMAL: a commit does not wait for the disk; the flusher thread's
     * fdatasync does, before anyone is answered (serve_writer.c). */
    struct sarhad_store_options rw = {false, false, "NORMAL"};
    struct sarhad_error err;
    enum sarhad_status s;

    sarhad_error_clear(&err);
    snprintf(srv->db_path, sizeof(srv->db_path), "%s", o->db);
    s = sarhad_store_open(&srv->store, o->db, &rw, &err);
    if (s == SARHAD_OK)
        s = sarhad_audit_key_load(&srv->key, o->db, true, &err);
    if (s != SARHAD_OK) {
        print_error(o->db, &err);
        return 1;
    }
    snprintf(srv->post, sizeof(srv->post), "%s", sarhad_store_post(srv->store));
    srv->utc_offset = sarhad_store_utc_offset(srv->store);
    /* WAL checkpoints run on the store's own thread, never inside a
     * commit that decisions are waiting on. */
    if (sarhad_store_checkpoint_in_background(srv->store, &err) != SARHAD_OK) {
        print_error(o->db, &err);
        return 1;
    }
    if (serve_open_ledger(srv) != 0)
        return 1;
    return serve_open_screener(srv);
}

static void
wait_for_signal(void)
{
    sigset_t set;
    int sig = 0;

    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigwait(&set, &sig);
}

/* Let the requests in flight finish (at most 30 s). */
static void
drain(struct server *srv)
{
    struct timespec pause = {0, 10L * 1000 * 1000};

    for (int i = 0; i < 3000 && atomic_load(&srv->in_flight) > 0; i++)
        nanosleep(&pause, NULL);
}

static void
shut_down(struct server *srv)
{
    struct sarhad_error err;

    if (srv->daemon != NULL) {
        MHD_socket fd = MHD_quiesce_daemon(srv->daemon);
        drain(srv);
        serve_replay_halt(srv); /* kept by the writer, so before it stops */
        serve_writer_stop(srv);
        MHD_stop_daemon(srv->daemon);
        if (fd != MHD_INVALID_SOCKET)
            close(fd);
    }
    serve_replay_stop(srv);
    serve_push_stop(srv);
    serve_national_stop(srv);
    sarhad_error_clear(&err);
    if (srv->key != NULL &&
        (sarhad_audit_checkpoint(srv->store, srv->key, serve_now(), &err) !=
             SARHAD_OK ||
         sarhad_store_flush(srv->store, &err) != SARHAD_OK) &&
        !srv->quiet)
        fprintf(stderr, "sarhad serve: final checkpoint: %s\n", err.message);
    serve_close_ledger(srv);
    serve_close_screener(srv);
    sarhad_audit_key_free(srv->key);
    sarhad_store_close(srv->store);
    free(srv->cert_pem);
    if (srv->key_pem != NULL)
        sarhad_wipe(srv->key_pem, strlen(srv->key_pem));
    free(srv->key_pem);
    pthread_key_delete(srv->reader_key);
    pthread_mutex_destroy(&srv->mu);
    pthread_cond_destroy(&srv->cv);
}

/* Block the signals that stop the server (sigwait takes them in this
 * thread only; a closed peer is not a reason to die) and set up what the
 * server's threads share, with the limits of the options. */
static void
init_server(struct server *srv, const struct options *o)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    pthread_mutex_init(&srv->mu, NULL);
    pthread_cond_init(&srv->cv, NULL);
    pthread_key_create(&srv->reader_key, serve_close_reader);
    sarhad_login_limits_default(&srv->limits);
    srv->limits.session_lifetime = o->ttl;
    srv->limits.account_failures = (unsigned)o->account_failures;
    srv->limits.address_failures = (unsigned)o->address_failures;
    srv->echo = o->echo;
    srv->quiet = o->quiet;
}

/* Open the store and start the writer, the push and the national view
 * when asked for, then libmicrohttpd on host:port (*bound: the port it
 * got).  0, or 1 after saying why not and shutting down. */
static int
start_server(struct server *srv, const struct options *o, const char *host,
             unsigned port, unsigned *bound)
{
    if (open_store(srv, o) != 0) {
        shut_down(srv);
        return 1;
    }
    if (serve_writer_start(srv) != 0) {
        fprintf(stderr, "sarhad serve: cannot start the writer thread\n");
        shut_down(srv);
        return 1;
    }
    if (o->central != NULL &&
        serve_push_start(srv, o->central, (int)o->push_every) != 0) {
        fprintf(stderr, "sarhad serve: cannot start the push thread\n");
        serve_writer_stop(srv);
        shut_down(srv);
        return 1;
    }
    if (o->national != NULL &&
        serve_national_start(srv, o->national, o->silent_after * 60) != 0) {
        fprintf(stderr, "sarhad serve: out of memory\n");
        serve_push_stop(srv);
        serve_writer_stop(srv);
        shut_down(srv);
        return 1;
    }
    srv->daemon = serve_http_start(srv, host, port, o->cert, o->key, bound);
    if (srv->daemon == NULL) {
        serve_push_stop(srv);
        serve_writer_stop(srv);
        shut_down(srv);
        return 1;
    }
    return 0;
}

int
cmd_serve(int argc, char **argv)
{
    static struct server srv; /* large (metrics); lives for the run */
    struct options o;
    char host[64];
    unsigned port = 0, bound = 0;
    int rc;

    rc = parse_options(&o, argc, argv);
    if (rc == 0)
        rc = split_listen(o.listen, host, &port);
    if (rc != 0)
        return rc;
    init_server(&srv, &o);
    serve_replay_start(&srv);
    if (start_server(&srv, &o, host, port, &bound) != 0)
        return 1;
    printf("sarhad serve: listening on %s://%s:%u/ (post %s)\n",
           srv.tls ? "https" : "http", host, bound,
           srv.post[0] ? srv.post : "not set");
    fflush(stdout);
    wait_for_signal();
    if (!srv.quiet)
        fprintf(stderr, "sarhad serve: stopping\n");
    shut_down(&srv);
    return 0;
}
