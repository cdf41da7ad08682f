/*
 * ledger_cli.h - what the ledger's verbs (init, cross, verify, referrals,
 * resolve, report, gen) share: opening a store with a clear message,
 * the actor a command-line user acts as, and option parsing helpers.
 */
#ifndef SARHAD_LEDGER_CLI_H
#define SARHAD_LEDGER_CLI_H

#include "cmd.h"

#include <stdbool.h>
#include <stdint.h>

/* Open the store at path; prints "sarhad VERB: PATH: why" and returns
 * NULL on failure. */
struct sarhad_store *cli_open_store(const char *verb, const char *path,
                                    bool create, bool read_only,
                                    const char *sync);

/* Open the ledger of an open store, printing why not. */
struct sarhad_ledger *cli_open_ledger(const char *verb,
                                      struct sarhad_store *store);

/* The actor for this command: user (or $USER, or "cli"), role, the post. */
void cli_actor(struct sarhad_actor *out, const char *user, const char *role,
               const char *post);

/* Print "sarhad VERB: message" for a failed library call. */
void cli_fail(const char *verb, const char *path,
              const struct sarhad_error *err);

/* Parse a YYYY-MM-DD option value; prints and returns false when bad. */
bool cli_date(const char *verb, const char *opt, const char *text,
              struct sarhad_date *out);

/* Is argv[*i] the option name (with its value in argv[*i + 1])?  Advances
 * *i and sets *value; a missing value is a usage error (*missing set). */
bool cli_opt(int argc, char **argv, int *i, const char *name,
             const char **value, bool *missing);

/* A progress bar on stderr, "[####    ] done/total", ended by a newline
 * when done reaches total (for a terminal: callers check isatty(2)). */
void cli_progress_bar(void *ctx, uint64_t done, uint64_t total);

/* How a supervisor gives a recorded attempt its outcome: the signature of
 * sarhad_ledger_resolve and sarhad_ledger_override. */
typedef enum sarhad_status (*supervisor_outcome_fn)(
    struct sarhad_ledger *ledger, int64_t attempt_id,
    enum sarhad_outcome outcome, const char *reason,
    const struct sarhad_actor *who, int64_t now, int64_t *seq,
    struct sarhad_error *err);

/* The verbs by which a supervisor does it (resolve, override): reads
 * "--db FILE ID --admit|--refuse --reason TEXT [--as USER]", applies the
 * outcome as USER (by default $USER) and says "attempt ID DONE: ...";
 * help ends the usage. */
int cli_supervisor_outcome(const char *verb, int argc, char **argv,
                           const char *help, supervisor_outcome_fn apply,
                           const char *done);

/* `sarhad policy publish` and `sarhad policy list` (policy_store.c); argv
 * as the policy verb got it. */
int policy_publish(int argc, char **argv);
int policy_list(int argc, char **argv);

/* The text of the shipped policy file (policies/pakistan.policy, found
 * beside the working directory or the binary), or NULL; *path_out names
 * where it was found. */
char *cli_shipped_policy(size_t *len, const char **path_out);

/* `sarhad bundle trust|apply|list` (bundle_post.c); argv as the bundle
 * verb got it. */
int bundle_trust(int argc, char **argv);
int bundle_apply(int argc, char **argv);
int bundle_list(int argc, char **argv);
/* Read a public key file into pub and, when hex is not NULL, its 64 hex
 * digits; false after saying why. */
bool cli_public_key(const char *path, unsigned char pub[32], char hex[65]);

#endif /* SARHAD_LEDGER_CLI_H */
