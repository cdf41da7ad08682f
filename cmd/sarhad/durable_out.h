/*
 * durable_out.h - text printed only once the store has made durable the
 * commits it reports (durable_out.c).
 */
#ifndef SARHAD_DURABLE_OUT_H
#define SARHAD_DURABLE_OUT_H

#include "cmd.h"

#include <stdbool.h>
#include <stddef.h>

struct durable_out;

/* A thread that flushes store (sarhad_store_flush) and then prints what
 * it was given, in order, to out.  NULL when no thread can be started. */
struct durable_out *durable_out_start(struct sarhad_store *store, FILE *out);

/* Print text (len bytes, count decisions, already committed) once the
 * disk has it; takes ownership of text (malloc'd).  False when an earlier
 * flush failed: nothing more is printed. */
bool durable_out_put(struct durable_out *d, char *text, size_t len,
                     size_t count);

/* Print what is waiting, stop the thread and free everything; false when
 * a flush failed (what it would have confirmed was not printed). */
bool durable_out_stop(struct durable_out *d);

#endif /* SARHAD_DURABLE_OUT_H */
