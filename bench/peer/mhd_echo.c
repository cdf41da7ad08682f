/*
 * mhd_echo.c - the yardstick of bench/http.sh: a bare libmicrohttpd echo
 * server configured like `sarhad serve` (epoll, a thread pool the size of
 * the core count), which answers each POST with its body and a
 * Content-Type and does nothing else.  What the issue calls "a
 * libmicrohttpd echo server"; bench/http.sh builds it with cc and measures
 * it in the same run as sarhad's echo route, so the two CPU figures share
 * the machine's load of the moment.  Usage: mhd_echo PORT (0: any; the
 * port is printed), stops on SIGTERM.
 */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct body {
    char *data;
    size_t len;
};

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
           const char *method, const char *version, const char *upload,
           size_t *upload_size, void **con_cls)
{
    struct body *b = *con_cls;
    struct MHD_Response *resp;
    enum MHD_Result r;

    (void)cls, (void)url, (void)method, (void)version;
    if (b == NULL) {
        b = calloc(1, sizeof(*b));
        *con_cls = b;
        return b != NULL ? MHD_YES : MHD_NO;
    }
    if (*upload_size != 0) {
        char *grown = realloc(b->data, b->len + *upload_size);
        if (grown == NULL)
            return MHD_NO;
        memcpy(grown + b->len, upload, *upload_size);
        b->data = grown;
        b->len += *upload_size;
        *upload_size = 0;
        return MHD_YES;
    }
    resp =
        MHD_create_response_from_buffer(b->len, b->data, MHD_RESPMEM_MUST_FREE);
    if (resp == NULL)
        return MHD_NO;
    b->data = NULL;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            "application/json");
    r = MHD_queue_response(conn, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return r;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
    struct body *b = *con_cls;

    (void)cls, (void)conn, (void)toe;
    if (b != NULL) {
        free(b->data);
        free(b);
    }
    *con_cls = NULL;
}

int
main(int argc, char **argv)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *info;
    sigset_t set;
    int sig;

    if (argc != 2) {
        fprintf(stderr, "usage: mhd_echo PORT\n");
        return 2;
    }
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL,
        (uint16_t)atoi(argv[1]), NULL, NULL, on_request, NULL,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cores > 0 ? cores : 1),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (d == NULL)
        return 1;
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("mhd_echo listening on 127.0.0.1:%u\n",
           info != NULL ? info->port : 0);
    fflush(stdout);
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    return 0;
}
