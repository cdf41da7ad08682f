/*
 * line_feed.h - JSON lines parsed into presentations on a reader thread,
 * ahead of the thread that records them (line_feed.c).
 */
#ifndef SARHAD_LINE_FEED_H
#define SARHAD_LINE_FEED_H

#include "cmd.h"

#include <stdbool.h>
#include <stddef.h>

/* One non-blank input line, parsed (and prepared). */
struct feed_line {
    unsigned long line_no;
    bool ok;                 /* parsed and prepared: p holds it */
    struct sarhad_error err; /* why not */
    struct sarhad_presentation p;
    struct sarhad_prepared *prep; /* the prepare step's, for the ledger */
};

/* Work done on the reader thread on each parsed line (may be NULL):
 * returns SARHAD_OK or fails the line with *err. */
typedef enum sarhad_status (*feed_prepare_fn)(void *ctx, struct feed_line *l,
                                              struct sarhad_error *err);

struct line_feed;

/* Start reading fd on a new thread, keeping up to ring parsed lines
 * waiting; a line over line_cap bytes becomes an ETOOBIG error; prepare
 * (with ctx) runs on each line parsed.  NULL when out of memory or
 * threads. */
struct line_feed *line_feed_start(int fd, size_t ring, size_t line_cap,
                                  feed_prepare_fn prepare, void *ctx);

/* The next line in input order, waiting for it when wait is true; NULL
 * when there is none now, and then *end tells whether there never will
 * be.  The line stays valid until line_feed_done. */
const struct feed_line *line_feed_next(struct line_feed *f, bool wait,
                                       bool *end);

/* The consumer is done with the line line_feed_next gave. */
void line_feed_done(struct line_feed *f);

/* Stop the reader (wherever it is) and free everything; returns the errno
 * of a failed read, 0 when none. */
int line_feed_stop(struct line_feed *f);

#endif /* SARHAD_LINE_FEED_H */
