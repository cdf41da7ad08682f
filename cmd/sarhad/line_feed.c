/*
 * line_feed.c - a thread that reads JSON lines from a file descriptor and
 * parses each into a presentation, ahead of the thread that records them.
 * Reading the JSON costs about as much as recording a crossing, so on two
 * cores `sarhad cross` parses one line while it records the one before.
 *
 * A prepare step given by the consumer (sarhad cross screens the traveller
 * and writes the text the ledger keeps there, into the slot's
 * sarhad_prepared) runs on the reader thread too.  The lines wait, parsed, in a
 * ring of slots in input order; the consumer takes them one at a time and hands
 * each slot back as soon as it is done with the presentation, so the reader
 * runs on while a group commits.
 */
#include "line_feed.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK ((size_t)256 * 1024)

struct line_feed {
    int fd;
    size_t line_cap;
    feed_prepare_fn prepare;
    void *prepare_ctx;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t filled, freed;
    size_t ring;
    struct feed_line *slots;
    size_t head, tail; /* taken / published, counting from the start */
    bool end;          /* no more lines will be published */
    bool stopping;     /* the consumer wants no more */
    /* Who sleeps: each side wakes the other only when it must, and the
     * reader only once a quarter of the ring is free again, so the two
     * threads do not trade a wake-up (a system call) for every line. */
    bool reader_waits, consumer_waits;
    int read_errno;
    char *buf; /* the reader's; freed by line_feed_stop, since a reader
                  cancelled in read() cannot free it itself */
};

/* The slot for the next line, once the consumer has freed one; NULL when
 * the consumer has stopped. */
static struct feed_line *
free_slot(struct line_feed *f)
{
    struct feed_line *slot = NULL;

    pthread_mutex_lock(&f->mu);
    while (f->tail - f->head == f->ring && !f->stopping) {
        f->reader_waits = true;
        pthread_cond_wait(&f->freed, &f->mu);
    }
    if (!f->stopping)
        slot = &f->slots[f->tail % f->ring];
    pthread_mutex_unlock(&f->mu);
    return slot;
}

static void
publish(struct line_feed *f)
{
    pthread_mutex_lock(&f->mu);
    f->tail++;
    if (f->consumer_waits) {
        f->consumer_waits = false;
        pthread_cond_signal(&f->filled);
    }
    pthread_mutex_unlock(&f->mu);
}

/* Parse one line into the next slot; false when the consumer stopped. */
static bool
feed(struct line_feed *f, const char *text, size_t len, unsigned long line_no,
     bool overlong)
{
    struct feed_line *slot = free_slot(f);

    if (slot == NULL)
        return false;
    slot->line_no = line_no;
    sarhad_error_clear(&slot->err);
    if (overlong) {
        slot->ok = false;
        slot->err.code = SARHAD_ETOOBIG;
        snprintf(slot->err.message, sizeof(slot->err.message),
                 "longer than %zu bytes", f->line_cap);
    } else {
        slot->ok = sarhad_presentation_parse(&slot->p, text, len, &slot->err) ==
                   SARHAD_OK;
        if (slot->ok && f->prepare != NULL)
            slot->ok =
                f->prepare(f->prepare_ctx, slot, &slot->err) == SARHAD_OK;
    }
    publish(f);
    return true;
}

static bool
blank(const char *s, size_t len)
{
    return len == 0 || (len == 1 && s[0] == '\r');
}

static void *
reader_main(void *arg)
{
    struct line_feed *f = arg;
    size_t cap = READ_CHUNK + f->line_cap, len = 0;
    char *buf = f->buf;
    unsigned long line_no = 0;
    bool going = true, skipping = false;

    /* line_feed_stop may cancel the thread, but only while it waits for
     * input (a terminal may never send more). */
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
    while (going) {
        ssize_t n;
        size_t start = 0;
        pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
        n = read(f->fd, buf + len, cap - len);
        pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            f->read_errno = errno;
            break;
        }
        len += (size_t)n;
        for (;;) {
            char *nl = memchr(buf + start, '\n', len - start);
            size_t end = nl != NULL ? (size_t)(nl - buf) : len;
            if (nl == NULL && (n > 0 || start == len))
                break;
            line_no++;
            buf[end] = '\0';
            if (skipping) /* the tail of a line already reported overlong */
                skipping = false;
            else if (!blank(buf + start, end - start))
                going = feed(f, buf + start, end - start, line_no, false);
            start = nl != NULL ? end + 1 : len;
            if (!going)
                break;
        }
        memmove(buf, buf + start, len - start);
        len -= start;
        if (going && len == cap) { /* a line longer than the cap */
            if (!skipping)
                going = feed(f, NULL, 0, line_no + 1, true);
            skipping = true; /* drop it up to its newline */
            len = 0;
        }
        if (n == 0)
            break;
    }
    pthread_mutex_lock(&f->mu);
    f->end = true;
    f->consumer_waits = false;
    pthread_cond_signal(&f->filled);
    pthread_mutex_unlock(&f->mu);
    return NULL;
}

static void
free_all(struct line_feed *f)
{
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->filled);
    pthread_cond_destroy(&f->freed);
    for (size_t i = 0; f->slots != NULL && i < f->ring; i++)
        sarhad_prepared_free(f->slots[i].prep);
    free(f->slots);
    free(f->buf);
    free(f);
}

struct line_feed *
line_feed_start(int fd, size_t ring, size_t line_cap, feed_prepare_fn prepare,
                void *ctx)
{
    struct line_feed *f = calloc(1, sizeof(*f));
    bool ok;

    if (f == NULL)
        return NULL;
    f->prepare = prepare;
    f->prepare_ctx = ctx;
    f->fd = fd;
    f->ring = ring;
    f->line_cap = line_cap;
    f->slots = calloc(ring, sizeof(*f->slots));
    f->buf = malloc(READ_CHUNK + line_cap + 1);
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->filled, NULL);
    pthread_cond_init(&f->freed, NULL);
    ok = f->slots != NULL && f->buf != NULL;
    for (size_t i = 0; ok && i < ring; i++)
        ok = sarhad_prepared_new(&f->slots[i].prep, NULL) == SARHAD_OK;
    if (!ok || pthread_create(&f->thread, NULL, reader_main, f) != 0) {
        free_all(f);
        return NULL;
    }
    return f;
}

const struct feed_line *
line_feed_next(struct line_feed *f, bool wait, bool *end)
{
    const struct feed_line *line = NULL;

    pthread_mutex_lock(&f->mu);
    while (wait && f->head == f->tail && !f->end) {
        f->consumer_waits = true;
        pthread_cond_wait(&f->filled, &f->mu);
    }
    if (f->head != f->tail)
        line = &f->slots[f->head % f->ring];
    *end = line == NULL && f->end;
    pthread_mutex_unlock(&f->mu);
    return line;
}

void
line_feed_done(struct line_feed *f)
{
    pthread_mutex_lock(&f->mu);
    f->head++;
    if (f->reader_waits && f->ring - (f->tail - f->head) >= f->ring / 4) {
        f->reader_waits = false;
        pthread_cond_signal(&f->freed);
    }
    pthread_mutex_unlock(&f->mu);
}

int
line_feed_stop(struct line_feed *f)
{
    bool end;
    int e;

    pthread_mutex_lock(&f->mu);
    f->stopping = true;
    end = f->end;
    f->reader_waits = false;
    pthread_cond_signal(&f->freed);
    pthread_mutex_unlock(&f->mu);
    /* Stopped early, the reader may be blocked reading a terminal. */
    if (!end)
        pthread_cancel(f->thread);
    pthread_join(f->thread, NULL);
    e = f->read_errno;
    free_all(f);
    return e;
}
