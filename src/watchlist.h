/*
 * watchlist.h - private declarations shared by the watchlist importers
 * (src/watchlist_csv.c, src/watchlist_un.c), the store part
 * (src/watchlist.c) and the screener (src/screen*.c).
 */
#ifndef SARHAD_WATCHLIST_H
#define SARHAD_WATCHLIST_H

#include "internal.h"

typedef int (*sarhad__entry_fn)(void *ctx,
                                const struct sarhad_watchlist_entry *entry);

/* Parse a CSV list; errors carry line and column. */
enum sarhad_status sarhad__watchlist_csv(const char *data, size_t len,
                                         sarhad__entry_fn fn, void *ctx,
                                         struct sarhad_error *err);

/* Parse the UN consolidated list XML (individuals). */
enum sarhad_status sarhad__watchlist_un(const char *data, size_t len,
                                        sarhad__entry_fn fn, void *ctx,
                                        struct sarhad_error *err);

/* Check and add one name to an entry (trimmed, valid UTF-8, with letters,
 * within SARHAD_WL_NAME_LEN, not a duplicate).  Returns a status with
 * err->offset relative to text. */
enum sarhad_status sarhad__entry_add_name(struct sarhad_watchlist_entry *e,
                                          const char *text, size_t len,
                                          struct sarhad_error *err);

/* The watchlist component's migrations (store_schema.c lists them). */
#define SARHAD__WATCHLIST_STEPS 1
extern const char *const sarhad__watchlist_steps[SARHAD__WATCHLIST_STEPS];

/* sarhad_watchlist_import for a list that came in a bundle (origin,
 * recorded by the bundle gate), or a local one (origin NULL). */
enum sarhad_status
sarhad__watchlist_import(struct sarhad_store *store, const char *data,
                         size_t len, enum sarhad_wl_format format,
                         const char *source, const struct sarhad_actor *who,
                         int64_t now, const struct sarhad_bundle_info *origin,
                         struct sarhad_watchlist_version *out,
                         struct sarhad_error *err);

#endif /* SARHAD_WATCHLIST_H */
