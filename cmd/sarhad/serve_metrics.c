/*
 * serve_metrics.c - counters kept with relaxed atomics on the hot path and
 * rendered in the Prometheus text format at /v1/metrics: requests by route
 * and status class, a latency histogram, decisions by outcome, write
 * batches, failed logins, the size of the store on disk, and the push to
 * the central store when there is one (serve_push.c).  No label ever
 * carries a request's content.
 */
#include "serve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Upper bounds of the latency buckets, in microseconds. */
static const uint64_t bounds_us[] = {250,    500,     1000,   2000,   5000,
                                     10000,  25000,   50000,  100000, 250000,
                                     500000, 1000000, 5000000};
#define BUCKETS (sizeof(bounds_us) / sizeof(bounds_us[0]))

void
serve_metrics_request(struct server *srv, struct request *req, unsigned status,
                      int64_t elapsed_ns)
{
    struct metrics *m = &srv->metrics;
    uint64_t us = elapsed_ns > 0 ? (uint64_t)elapsed_ns / 1000 : 0;
    unsigned cls = status >= 100 && status < 600 ? status / 100 - 1 : 5;
    size_t b = 0;

    if (req->route_index < 64)
        atomic_fetch_add_explicit(&m->requests[req->route_index][cls], 1,
                                  memory_order_relaxed);
    else
        atomic_fetch_add_explicit(&m->unmatched, 1, memory_order_relaxed);
    while (b < BUCKETS && us > bounds_us[b])
        b++;
    atomic_fetch_add_explicit(&m->latency_bucket[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->latency_sum_us, us, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->latency_count, 1, memory_order_relaxed);
}

static long long
file_size(const char *path, const char *suffix)
{
    char p[4200];
    struct stat st;

    snprintf(p, sizeof(p), "%s%s", path, suffix);
    return stat(p, &st) == 0 ? (long long)st.st_size : 0;
}

static uint64_t
get(_Atomic uint64_t *v)
{
    return atomic_load_explicit(v, memory_order_relaxed);
}

void
serve_metrics_render(struct server *srv, struct request *req)
{
    static const char *const outcomes[] = {"admit", "refuse", "refer"};
    struct metrics *m = &srv->metrics;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    uint64_t cumulative = 0;

    if (f == NULL) {
        serve_reply_error(req, 503, "internal", NULL, "out of memory");
        return;
    }
    fputs("# HELP sarhad_http_requests_total HTTP requests answered.\n"
          "# TYPE sarhad_http_requests_total counter\n",
          f);
    for (size_t r = 0; r < serve_route_count && r < 64; r++)
        for (unsigned c = 0; c < 5; c++)
            if (get(&m->requests[r][c]) != 0)
                fprintf(f,
                        "sarhad_http_requests_total{method=\"%s\","
                        "route=\"%s\",status=\"%uxx\"} %llu\n",
                        serve_routes[r].method, serve_routes[r].pattern, c + 1,
                        (unsigned long long)get(&m->requests[r][c]));
    fprintf(f,
            "sarhad_http_requests_total{method=\"\",route=\"unmatched\","
            "status=\"4xx\"} %llu\n",
            (unsigned long long)get(&m->unmatched));
    fputs("# HELP sarhad_http_request_duration_seconds Time from the first "
          "byte of a request to its answer.\n"
          "# TYPE sarhad_http_request_duration_seconds histogram\n",
          f);
    for (size_t b = 0; b < BUCKETS; b++) {
        cumulative += get(&m->latency_bucket[b]);
        fprintf(f,
                "sarhad_http_request_duration_seconds_bucket{le=\"%g\"} "
                "%llu\n",
                (double)bounds_us[b] / 1e6, (unsigned long long)cumulative);
    }
    cumulative += get(&m->latency_bucket[BUCKETS]);
    fprintf(f,
            "sarhad_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
            "sarhad_http_request_duration_seconds_sum %.6f\n"
            "sarhad_http_request_duration_seconds_count %llu\n",
            (unsigned long long)cumulative,
            (double)get(&m->latency_sum_us) / 1e6,
            (unsigned long long)get(&m->latency_count));
    fputs("# HELP sarhad_decisions_total Decisions recorded, by outcome.\n"
          "# TYPE sarhad_decisions_total counter\n",
          f);
    for (int i = 0; i < 3; i++)
        fprintf(f, "sarhad_decisions_total{outcome=\"%s\"} %llu\n", outcomes[i],
                (unsigned long long)get(&m->decisions[i]));
    fprintf(f,
            "# HELP sarhad_write_batches_total Write transactions committed "
            "(or failed) by the writer thread.\n"
            "# TYPE sarhad_write_batches_total counter\n"
            "sarhad_write_batches_total %llu\n"
            "# TYPE sarhad_write_batch_items_total counter\n"
            "sarhad_write_batch_items_total %llu\n"
            "# TYPE sarhad_write_batch_failures_total counter\n"
            "sarhad_write_batch_failures_total %llu\n"
            "# TYPE sarhad_logins_failed_total counter\n"
            "sarhad_logins_failed_total %llu\n"
            "# HELP sarhad_store_bytes Size of the store on disk (main file "
            "and write-ahead log).\n"
            "# TYPE sarhad_store_bytes gauge\n"
            "sarhad_store_bytes %lld\n"
            "# TYPE sarhad_http_in_flight gauge\n"
            "sarhad_http_in_flight %d\n",
            (unsigned long long)get(&m->batches),
            (unsigned long long)get(&m->batch_items),
            (unsigned long long)get(&m->batch_failures),
            (unsigned long long)get(&m->logins_failed),
            file_size(srv->db_path, "") + file_size(srv->db_path, "-wal"),
            atomic_load(&srv->in_flight));
    serve_push_metrics(srv, f);
    fclose(f);
    serve_reply_owned(req, 200, "text/plain; version=0.0.4", text, len);
}
