/*
 * line_feed.h - JSON lines parsed into presentations on a reader thread,
 * ahead of the thread that records them (line_feed.c).
 */
#ifndef SARHAD_LINE_FEED_H
#define SARHAD_LINE_FEED_H

#include "cmd.h"

#include <stdbool.h>
#include <stddef.h>

/* One non-blank input line, parsed. */
struct feed_line {
    unsigned long line_no;
    bool ok;                 /* parsed: p holds it */
    struct sarhad_error err; /* why not */
    struct sarhad_presentation p;
};

struct line_feed;

/* Start reading fd on a new thread, keeping up to ring parsed lines
 * waiting; a line over line_cap bytes becomes an ETOOBIG error.  NULL
 * when out of memory or threads. */
struct line_feed *line_feed_start(int fd, size_t ring, size_t line_cap);

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
