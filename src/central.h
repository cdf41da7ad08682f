/*
 * central.h - what the central store's files share (never exported): the
 * connection handle, statements prepared once per connection by name,
 * libpq failures turned into statuses, and the reader of a post's side of
 * a push (central_local.c), which knows nothing of PostgreSQL so that it
 * can be tested without one.
 */
#ifndef SARHAD_CENTRAL_H
#define SARHAD_CENTRAL_H

#include "internal.h"

#include <libpq-fe.h>

/* The central's schema version this code writes (central_schema.c). */
extern const char *const *const sarhad__central_steps[];
extern const size_t sarhad__central_step_count;

#define SARHAD__CENTRAL_MAX_STMTS 32

struct sarhad_central {
    PGconn *conn;
    /* Statements prepared on this connection, by the address of their
     * static SQL text (as sarhad__store_prepare keys SQLite's). */
    size_t stmt_count;
    const char *stmt_sql[SARHAD__CENTRAL_MAX_STMTS];
    /* The post whose whole log a push through this handle has verified,
     * so that a server pushing every few seconds verifies it once. */
    char verified_post[16];
};

/*
 * Parameters of one statement: text values (NULL for SQL NULL) or bytes
 * sent as binary.  Numbers are written into num, which the parameter
 * points at, so a set of parameters is filled and sent in one go.
 */
#define SARHAD__PG_MAX_PARAMS 32
struct sarhad__pg_params {
    int n;
    const char *value[SARHAD__PG_MAX_PARAMS];
    int len[SARHAD__PG_MAX_PARAMS];
    int format[SARHAD__PG_MAX_PARAMS];
    char num[SARHAD__PG_MAX_PARAMS][24];
};
void sarhad__pg_text(struct sarhad__pg_params *p, const char *s);
void sarhad__pg_int(struct sarhad__pg_params *p, int64_t v);
void sarhad__pg_bytes(struct sarhad__pg_params *p, const void *b, size_t len);

/*
 * The name under which sql (static storage) is prepared on the central's
 * connection, preparing it on first use; NULL with *err filled when it
 * cannot be.  name has room for "sN".
 */
const char *sarhad__central_stmt(struct sarhad_central *central,
                                 const char *sql, char name[8],
                                 struct sarhad_error *err);

/*
 * Run a prepared statement and wait for its result.  Returns the result
 * (the caller PQclears it) when it is PGRES_COMMAND_OK or PGRES_TUPLES_OK;
 * otherwise NULL with *err saying what failed, in the words of what.
 */
PGresult *sarhad__central_run(struct sarhad_central *central, const char *sql,
                              const struct sarhad__pg_params *p,
                              const char *what, struct sarhad_error *err);

/* Run static SQL without parameters ("BEGIN", "ROLLBACK", migrations). */
enum sarhad_status sarhad__central_exec(struct sarhad_central *central,
                                        const char *sql, const char *what,
                                        struct sarhad_error *err);

/*
 * Fill *err from a failed result (NULL: the connection's failure).  A lost
 * connection is SARHAD_EIO; a statement the server refused is SARHAD_EDB
 * with its primary message, except for data errors (SQLSTATE class 22),
 * whose messages may quote a value and so are given by code only.
 */
enum sarhad_status sarhad__central_fail(struct sarhad_central *central,
                                        const PGresult *res, const char *what,
                                        struct sarhad_error *err);

/* SARHAD_OK when the central's schema is this code's; SARHAD_EDB saying
 * to run `sarhad central init` otherwise. */
enum sarhad_status
sarhad__central_require_schema(struct sarhad_central *central,
                               struct sarhad_error *err);

/* A bytea column of a text-format result ("\x..." hex) into out (cap
 * bytes); false when it is not that long. */
bool sarhad__pg_bytea(unsigned char *out, size_t cap, const PGresult *res,
                      int row, int col);

/* ---- the post's side of a push (central_local.c) ---------------------- */

/* Which ledger row an audit entry stands for. */
enum sarhad__push_row {
    SARHAD__ROW_NONE,       /* logins, user changes, lookups, ... */
    SARHAD__ROW_ATTEMPT,    /* "decision": the attempt */
    SARHAD__ROW_RESOLUTION, /* "resolution", "override" */
    SARHAD__ROW_POLICY      /* "policy_published": the policy version */
};

/* One entry read for pushing: the entry, its predecessor's hash, and the
 * statement positioned on its ledger row (columns as central_local.c's
 * queries list them), valid until the next read. */
struct sarhad__push_entry {
    struct sarhad_audit_entry e;
    unsigned char prev[32];
    enum sarhad__push_row row_kind;
    sqlite3_stmt *row;
};

/*
 * Reads a batch of a post's entries after the central's head, inside one
 * read transaction of the store (a snapshot; the writer goes on).
 */
struct sarhad__push_reader {
    struct sarhad_store *store;
    sqlite3_stmt *log;
    sqlite3_stmt *checkpoints;
    sqlite3_stmt *row;      /* the last entry's ledger row */
    int64_t next_seq;       /* the seq the next entry must have */
    unsigned char prev[32]; /* the hash it must link to */
    size_t left;            /* entries the batch may still take */
    bool in_read;
};

/*
 * Begin a batch of at most batch entries after entry after_seq, which the
 * central holds with hash after_hash (0 and zeros: from the start).  The
 * post's entry there must exist with that hash, else SARHAD_ETAMPER with
 * *bad_seq = after_seq: the post and the central have diverged.
 */
enum sarhad_status sarhad__push_read_begin(struct sarhad__push_reader *r,
                                           struct sarhad_store *store,
                                           int64_t after_seq,
                                           const unsigned char after_hash[32],
                                           size_t batch, int64_t *bad_seq,
                                           struct sarhad_error *err);

/*
 * The next entry of the batch into *out, checked: its seq follows, it
 * links to the one before, its content matches its hash, it is the post's
 * own, and the ledger row it stands for exists and names it.  *done when
 * the batch or the log has ended.  SARHAD_ETAMPER (*bad_seq set) for an
 * entry that fails a check, store errors.
 */
enum sarhad_status sarhad__push_read_next(struct sarhad__push_reader *r,
                                          struct sarhad__push_entry *out,
                                          bool *done, int64_t *bad_seq,
                                          struct sarhad_error *err);

/* The central's INSERT of an entry, and its parameters from x. */
extern const char sarhad__push_event_sql[];
void sarhad__push_event_params(const struct sarhad__push_entry *x,
                               struct sarhad__pg_params *p);

/* The central's INSERT of a kind of ledger row (NULL for none). */
const char *sarhad__push_row_sql(enum sarhad__push_row kind);

/* The central's INSERT of the ledger row x stands for, with its
 * parameters; NULL (and no parameters) when it stands for none. */
const char *sarhad__push_row_params(const struct sarhad__push_entry *x,
                                    struct sarhad__pg_params *p);

/*
 * The post's signed checkpoints of entries after..upto, in the batch's
 * read transaction: each checked against the entry it signed (the same
 * hash) and turned into the parameters of sarhad__push_checkpoint_sql.
 */
extern const char sarhad__push_checkpoint_sql[];
enum sarhad_status sarhad__push_checkpoints_begin(struct sarhad__push_reader *r,
                                                  int64_t after, int64_t upto,
                                                  struct sarhad_error *err);
enum sarhad_status sarhad__push_checkpoint_next(struct sarhad__push_reader *r,
                                                struct sarhad__pg_params *p,
                                                int64_t *seq, bool *done,
                                                int64_t *bad_seq,
                                                struct sarhad_error *err);

/* The store's audit public key (store_meta), if it has one yet. */
enum sarhad_status sarhad__push_local_key(struct sarhad_store *store,
                                          unsigned char pk[32], bool *has_key,
                                          struct sarhad_error *err);

/* End the batch's read transaction (safe to call twice). */
void sarhad__push_read_end(struct sarhad__push_reader *r);

/* The post's last seq (0 for an empty log). */
enum sarhad_status sarhad__push_local_head(struct sarhad_store *store,
                                           int64_t *seq,
                                           struct sarhad_error *err);

#endif /* SARHAD_CENTRAL_H */
