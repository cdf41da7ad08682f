/*
 * store_schema.c - the components that keep tables in a post's store, in
 * the order their schemas are brought up to date when the store opens.
 * Each component defines its migration steps in its own file; adding a
 * component means adding one line here.
 */
#include "auth.h"
#include "internal.h"
#include "watchlist.h"

extern const char *const sarhad__ledger_steps[];
extern const size_t sarhad__ledger_step_count;

/* The store's own bookkeeping: which post this is and when it was made. */
static const char *const store_steps[] = {
    "CREATE TABLE store_meta ("
    " key TEXT PRIMARY KEY,"
    " value TEXT NOT NULL) STRICT;"
    "INSERT INTO store_meta(key, value)"
    " VALUES ('created', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));",
};

static const size_t store_step_count = SARHAD_COUNT_OF(store_steps);
static const size_t watchlist_step_count = SARHAD__WATCHLIST_STEPS;

const struct sarhad__component sarhad__components[] = {
    {"store", store_steps, &store_step_count},
    {"audit", sarhad__audit_steps, &sarhad__audit_step_count},
    {"audit_sign", sarhad__audit_sign_steps, &sarhad__audit_sign_step_count},
    {"auth", sarhad__auth_steps, &sarhad__auth_step_count},
    {"ledger", sarhad__ledger_steps, &sarhad__ledger_step_count},
    {"watchlist", sarhad__watchlist_steps, &watchlist_step_count},
    {"bundle", sarhad__bundle_steps, &sarhad__bundle_step_count},
};
const size_t sarhad__component_count = SARHAD_COUNT_OF(sarhad__components);
