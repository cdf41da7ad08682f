/*
 * store_schema.c - the components that keep tables in a post's store, in
 * the order their schemas are brought up to date when the store opens.
 * Each component defines its migration steps in its own file; adding a
 * component means adding one line here.
 */
#include "internal.h"
#include "watchlist.h"

/* The store's own bookkeeping: which post this is and when it was made. */
static const char *const store_steps[] = {
    "CREATE TABLE store_meta ("
    " key TEXT PRIMARY KEY,"
    " value TEXT NOT NULL) STRICT;"
    "INSERT INTO store_meta(key, value)"
    " VALUES ('created', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));",
};

const struct sarhad__component sarhad__components[] = {
    {"store", store_steps, SARHAD_COUNT_OF(store_steps)},
    {"watchlist", sarhad__watchlist_steps, SARHAD__WATCHLIST_STEPS},
};
const size_t sarhad__component_count = SARHAD_COUNT_OF(sarhad__components);
