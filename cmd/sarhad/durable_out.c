/*
 * durable_out.c - the decisions of `sarhad cross`, printed only once the
 * disk has them.  The writer commits each group with synchronous=NORMAL
 * (the commit does not wait for the disk) and hands the group's decisions
 * here; this thread's one fdatasync of the log (sarhad_store_flush) makes
 * every group handed so far durable, then prints them in order.  The
 * writer records the next group meanwhile, so waiting for the disk no
 * longer stops recording, and nobody sees a decision a power cut could
 * take back.
 */
#include "durable_out.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct chunk {
    struct chunk *next;
    char *text;
    size_t len, cap, count;
};

/* Printed texts kept for the writer to fill again: a fresh buffer for
 * each group cost the writer a page fault every 4 KiB it wrote. */
#define SPARE_MAX 4

struct durable_out {
    struct sarhad_store *store;
    FILE *out;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct chunk *head, *tail;
    struct chunk *spare; /* printed, for durable_out_spare */
    size_t spare_count;
    bool stop, failed;
};

static void
free_chunks(struct chunk *c)
{
    while (c != NULL) {
        struct chunk *next = c->next;
        free(c->text);
        free(c);
        c = next;
    }
}

static void *
printer_main(void *arg)
{
    struct durable_out *d = arg;

    pthread_mutex_lock(&d->mu);
    for (;;) {
        struct chunk *list;
        struct sarhad_error err;
        size_t count = 0;
        while (d->head == NULL && !d->stop)
            pthread_cond_wait(&d->cv, &d->mu);
        if (d->head == NULL)
            break;
        list = d->head;
        d->head = d->tail = NULL;
        pthread_mutex_unlock(&d->mu);
        sarhad_error_clear(&err);
        if (sarhad_store_flush(d->store, &err) == SARHAD_OK) {
            for (struct chunk *c = list; c != NULL; c = c->next)
                fwrite(c->text, 1, c->len, d->out);
            fflush(d->out);
        } else {
            for (struct chunk *c = list; c != NULL; c = c->next)
                count += c->count;
            fprintf(stderr,
                    "sarhad cross: %s; the last %zu decisions are not "
                    "reported\n",
                    err.message, count);
        }
        pthread_mutex_lock(&d->mu);
        while (list != NULL && d->spare_count < SPARE_MAX) {
            struct chunk *c = list;
            list = c->next;
            c->next = d->spare;
            d->spare = c;
            d->spare_count++;
        }
        if (count > 0)
            d->failed = true;
        pthread_mutex_unlock(&d->mu);
        free_chunks(list);
        pthread_mutex_lock(&d->mu);
    }
    pthread_mutex_unlock(&d->mu);
    return NULL;
}

struct durable_out *
durable_out_start(struct sarhad_store *store, FILE *out)
{
    struct durable_out *d = calloc(1, sizeof(*d));

    if (d == NULL)
        return NULL;
    d->store = store;
    d->out = out;
    pthread_mutex_init(&d->mu, NULL);
    pthread_cond_init(&d->cv, NULL);
    if (pthread_create(&d->thread, NULL, printer_main, d) != 0) {
        pthread_mutex_destroy(&d->mu);
        pthread_cond_destroy(&d->cv);
        free(d);
        return NULL;
    }
    return d;
}

char *
durable_out_spare(struct durable_out *d, size_t *cap)
{
    struct chunk *c;
    char *text = NULL;

    pthread_mutex_lock(&d->mu);
    c = d->spare;
    if (c != NULL) {
        d->spare = c->next;
        d->spare_count--;
    }
    pthread_mutex_unlock(&d->mu);
    *cap = 0;
    if (c != NULL) {
        text = c->text;
        *cap = c->cap;
        free(c);
    }
    return text;
}

bool
durable_out_put(struct durable_out *d, char *text, size_t len, size_t cap,
                size_t count)
{
    struct chunk *c = xmalloc(sizeof(*c));
    bool failed;

    c->next = NULL;
    c->text = text;
    c->len = len;
    c->cap = cap;
    c->count = count;
    pthread_mutex_lock(&d->mu);
    failed = d->failed;
    if (!failed) {
        if (d->tail != NULL)
            d->tail->next = c;
        else
            d->head = c;
        d->tail = c;
        pthread_cond_signal(&d->cv);
    }
    pthread_mutex_unlock(&d->mu);
    if (failed)
        free_chunks(c);
    return !failed;
}

bool
durable_out_stop(struct durable_out *d)
{
    bool ok;

    pthread_mutex_lock(&d->mu);
    d->stop = true;
    pthread_cond_signal(&d->cv);
    pthread_mutex_unlock(&d->mu);
    pthread_join(d->thread, NULL);
    ok = !d->failed;
    free_chunks(d->spare);
    pthread_mutex_destroy(&d->mu);
    pthread_cond_destroy(&d->cv);
    free(d);
    return ok;
}
