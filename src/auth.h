/*
 * auth.h - private declarations of the accounts and audit-signing
 * components (src/auth.c, src/audit_sign.c): their schema migrations.
 */
#ifndef SARHAD_AUTH_H
#define SARHAD_AUTH_H

#include <stddef.h>

extern const char *const sarhad__auth_steps[];
extern const size_t sarhad__auth_step_count;

extern const char *const sarhad__audit_sign_steps[];
extern const size_t sarhad__audit_sign_step_count;

#endif /* SARHAD_AUTH_H */
