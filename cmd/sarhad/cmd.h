/*
 * cmd.h - what the sarhad command's verbs share: the verb declaration macro,
 * aborting allocation (only the command may abort on OOM, never the
 * library), reading whole inputs with a size cap, and option helpers.
 *
 * A verb lives in cmd/sarhad/<verb>.c and declares itself with
 *   SARHAD_VERB(mrz, "read and check machine-readable zones")
 * on a line of its own, then defines int cmd_mrz(int argc, char **argv).
 * The build collects those lines into the dispatch table (verbs.gen.h).
 * Exit statuses: 0 done, 1 a --strict style failure or a failed operation,
 * 2 usage errors.
 */
#ifndef SARHAD_CMD_H
#define SARHAD_CMD_H

#include <stddef.h>
#include <stdio.h>

#include "sarhad.h"

#define SARHAD_VERB(name, summary) int cmd_##name(int argc, char **argv);

#define EXIT_USAGE 2

void *xmalloc(size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);

/*
 * Read all of FILE (or stdin when path is NULL or "-") into a NUL-terminated
 * heap buffer of at most cap bytes.  On failure prints "sarhad: PATH: why"
 * to stderr and returns NULL.
 */
char *read_input(const char *path, size_t cap, size_t *len_out);

/* Print "sarhad VERB: message" to stderr and return EXIT_USAGE. */
int usage_error(const char *verb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print "PATH:LINE:COL: field: message" (or without the parts it lacks). */
void print_error(const char *path, const struct sarhad_error *err);

/* A traveller found, as `sarhad traveller --json` prints it and GET
 * /v1/travellers lists it (traveller.c); a jansson object. */
struct json_t *traveller_match_json(const struct sarhad_traveller_match *m);

/* The central store's connection string: the --central value (option),
 * else $SARHAD_CENTRAL, else NULL (central.c). */
const char *central_conninfo(const char *option);

/* Connect to the central, printing "sarhad VERB: why" and returning NULL
 * when it cannot be reached. */
struct sarhad_central *central_connect(const char *verb, const char *conninfo);

#endif /* SARHAD_CMD_H */
