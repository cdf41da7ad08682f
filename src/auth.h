/*
 * auth.h - private declarations of the accounts and audit-signing
 * components (src/auth.c, src/audit_sign.c): their schema migrations, and
 * the session lookup the session cache shares.
 */
#ifndef SARHAD_AUTH_H
#define SARHAD_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "sarhad.h"

extern const char *const sarhad__auth_steps[];
extern const size_t sarhad__auth_step_count;

extern const char *const sarhad__audit_sign_steps[];
extern const size_t sarhad__audit_sign_step_count;

/* sarhad_session_lookup by the token's hash (auth_session.c); the session
 * cache (auth_cache.c) calls it on a miss. */
enum sarhad_status sarhad__session_lookup_hash(struct sarhad_store *store,
                                               const unsigned char hash[32],
                                               int64_t now,
                                               struct sarhad_session *out,
                                               struct sarhad_error *err);

#endif /* SARHAD_AUTH_H */
