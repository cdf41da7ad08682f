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

/* Print text (len bytes of cap malloc'd, count decisions, already
 * committed) once the disk has it; takes ownership of text.  False when an
 * earlier flush failed: nothing more is printed. */
bool durable_out_put(struct durable_out *d, char *text, size_t len, size_t cap,
                     size_t count);

/* A buffer already printed, to fill again (its size in *cap), or NULL with
 * *cap 0; the caller owns it. */
char *durable_out_spare(struct durable_out *d, size_t *cap);

/* Print what is waiting, stop the thread and free everything; false when
 * a flush failed (what it would have confirmed was not printed). */
bool durable_out_stop(struct durable_out *d);

#endif /* SARHAD_DURABLE_OUT_H */
