/*
 * internal.h - declarations shared between the library's source files and
 * never exported.  Non-static cross-file functions carry the sarhad__ prefix.
 */
#ifndef SARHAD_INTERNAL_H
#define SARHAD_INTERNAL_H

#include "sarhad.h"

#include <stdarg.h>

#define SARHAD_COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__) || defined(__clang__)
#define SARHAD_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define SARHAD_PRINTF(fmt, args)
#endif

/*
 * Fill *err (if not NULL) and return code, so a failing path reads
 *   return sarhad__fail(err, SARHAD_EFORMAT, "surname", off, "...");
 * The message is formatted into the fixed buffer; it never allocates.
 */
enum sarhad_status sarhad__fail(struct sarhad_error *err,
                                enum sarhad_status code, const char *field,
                                size_t offset, const char *fmt, ...)
    SARHAD_PRINTF(5, 6);

/* As sarhad__fail, with a 1-based line and column for text files. */
enum sarhad_status sarhad__fail_at(struct sarhad_error *err,
                                   enum sarhad_status code, const char *field,
                                   unsigned line, unsigned col, const char *fmt,
                                   ...) SARHAD_PRINTF(6, 7);

#ifdef __clang_analyzer__
/* clang-tidy's analyzer reads one file at a time and cannot see that these
 * return their code: told here, it stops walking failure paths as if they
 * had succeeded (and reporting the out-parameters they leave unset). */
#define sarhad__fail(err, code, ...)                                           \
    (sarhad__fail((err), (code), __VA_ARGS__), (code))
#define sarhad__fail_at(err, code, ...)                                        \
    (sarhad__fail_at((err), (code), __VA_ARGS__), (code))
#endif

/* Allocation through the configured hooks.  NULL on failure. */
void *sarhad__malloc(size_t size);
void *sarhad__calloc(size_t count, size_t size);
void *sarhad__realloc(void *ptr, size_t size);
void sarhad__free(void *ptr);
char *sarhad__strndup(const char *s, size_t len);

/* Copy at most dst_cap - 1 bytes of src and terminate; returns the length. */
size_t sarhad__strlcpy(char *dst, const char *src, size_t dst_cap);

/* Append src to the string in dst, a buffer of dst_cap bytes, as far as it
 * fits, and terminate; returns the new length.  A dst with no terminator
 * within dst_cap is left alone. */
size_t sarhad__strlcat(char *dst, const char *src, size_t dst_cap);

/* ---- SQLite stores (src/store.c) -------------------------------------- */

#include <pthread.h>
#include <sqlite3.h>

/* How sarhad__store_open opens a file. */
enum sarhad__store_mode {
    SARHAD__STORE_CREATE,    /* create if missing, read-write */
    SARHAD__STORE_READWRITE, /* must exist */
    SARHAD__STORE_READONLY   /* must exist; never written */
};

/* SQLite set up as every store uses it (the page cache and log files
 * below), once per process; sarhad__store_open does it first. */
void sarhad__store_configure(void);

/*
 * Open the SQLite file at path in WAL mode with foreign keys on and the
 * given synchronous level ("FULL", "NORMAL", "OFF"; NULL means FULL).
 * Checks that an existing file really is a SQLite database.  Errors name
 * the cause: SARHAD_EBUSY (locked), SARHAD_EIO (missing, unreadable, disk
 * full, read-only), SARHAD_EDB (not a database, corrupt).
 */
enum sarhad_status sarhad__store_open(sqlite3 **out, const char *path,
                                      enum sarhad__store_mode mode,
                                      const char *synchronous,
                                      struct sarhad_error *err);

/*
 * Put SQLite's default page cache behind one whose truncations cost what
 * they remove (src/store_pcache.c).  Call before SQLite initialises;
 * afterwards it does nothing.
 */
void sarhad__store_pcache_install(void);

/* Whether it was installed, and how many truncations it skipped (nothing
 * to remove) and passed on since the process began. */
struct sarhad__pcache_stats {
    bool installed;
    uint64_t truncations_skipped, truncations_passed;
};
void sarhad__store_pcache_stats(struct sarhad__pcache_stats *out);

/* SQLite's unix VFS with each commit's log frames written in one call
 * (src/store_vfs.c), registered as the default.  Call before opening. */
void sarhad__store_vfs_install(void);
struct sarhad__vfs_stats {
    bool installed;
    uint64_t frames_gathered; /* frame headers held to be written together */
    uint64_t writes_out;      /* the calls that wrote them */
};
void sarhad__store_vfs_stats(struct sarhad__vfs_stats *out);

/*
 * Bring one component's schema (e.g. "ledger", "watchlist", "auth") up to
 * date.  steps[i] is the SQL that takes version i to i + 1; each step runs
 * in its own transaction together with the version bump, so a crash leaves
 * the store at a whole version.  A store newer than the code is refused.
 */
enum sarhad_status sarhad__store_migrate(sqlite3 *db, const char *component,
                                         const char *const *steps,
                                         size_t step_count,
                                         struct sarhad_error *err);

/* The schema version of component in db (0 when absent). */
int sarhad__store_version(sqlite3 *db, const char *component);

/*
 * Map a SQLite failure to a status and fill *err with the operation named
 * in what ("record the attempt") and SQLite's message, which never holds
 * bound values and so no traveller data.
 */
enum sarhad_status sarhad__store_fail(sqlite3 *db, int rc, const char *what,
                                      struct sarhad_error *err);

/*
 * Step a prepared statement that changes rows (a row it returns is not an
 * error), then reset it.  A failure is reported as what failed.
 */
enum sarhad_status sarhad__store_step_done(struct sarhad_store *store,
                                           sqlite3_stmt *st, const char *what,
                                           struct sarhad_error *err);

/* Run a statement with no parameters whose first row's first column is
 * an integer (a count, a max) into *out. */
enum sarhad_status sarhad__store_read_int(struct sarhad_store *store,
                                          const char *sql, const char *what,
                                          int64_t *out,
                                          struct sarhad_error *err);

/* Run SQL without results ("BEGIN IMMEDIATE", "COMMIT"). */
enum sarhad_status sarhad__store_exec(sqlite3 *db, const char *sql,
                                      struct sarhad_error *err);

/* How long a store's statement waits for a lock another connection holds:
 * a busy store answers within a second rather than hanging a counter. */
#define SARHAD__STORE_BUSY_MS 1000

/*
 * The post's store.  Components reach the database through db; in_batch is
 * set between sarhad_store_begin and sarhad_store_commit so that a recording
 * call knows whether to wrap itself in a transaction (sarhad__store_write_*).
 */
#define SARHAD__STORE_MAX_STMTS 128
/* The vulnerabilities' flags and names as an SQL table v(bit, name), for
 * the statements that count an exit's vulnerabilities one by one (the
 * names are sarhad_vulnerability_name's; PostgreSQL reads it too). */
#define SARHAD__VULNERABILITY_TABLE                                            \
    "(SELECT 1 AS bit, 'unaccompanied_child' AS name"                          \
    " UNION ALL SELECT 2, 'medical' UNION ALL SELECT 4, 'single_woman'"        \
    " UNION ALL SELECT 8, 'elderly' UNION ALL SELECT 16, 'disabled'"           \
    " UNION ALL SELECT 32, 'specific_needs') AS v"

/*
 * One pending increment of a summary row: the upsert that applies it (its
 * static text is the identity, like sarhad__store_prepare's key), the row's
 * key texts bound as ?1..?ntext, and the amounts bound after them.
 */
#define SARHAD__TALLY_MAX  2048
#define SARHAD__TALLY_KEY  128
#define SARHAD__TALLY_INTS 6
struct sarhad__tally {
    const char *sql;
    uint32_t hash;
    unsigned ntext, nint;
    size_t key_len;
    char key[SARHAD__TALLY_KEY]; /* the texts, each NUL-terminated */
    int64_t v[SARHAD__TALLY_INTS];
};

struct sarhad_store {
    sqlite3 *db;
    bool read_only;
    bool in_batch;
    int lock_fd;   /* the writer's exclusive lock on PATH.lock, or -1 */
    char post[16]; /* this store's post code (store_meta 'post'), or "" */
    /* Prepared statements, keyed by the address of their static SQL text
     * so each is prepared once per handle (sarhad__store_prepare). */
    size_t stmt_count;
    const char *stmt_sql[SARHAD__STORE_MAX_STMTS];
    sqlite3_stmt *stmts[SARHAD__STORE_MAX_STMTS];
    /* Facts the writer learnt inside the open batch, so a crossing need
     * not read them back: the audit chain head (audit.c) and the next
     * attempt and traveller ids (ledger_cross.c).  Trusted only while
     * in_batch, and forgotten (sarhad__store_forget) whenever a
     * transaction begins or ends. */
    bool audit_head_known;
    int64_t audit_head_seq;
    unsigned char audit_head_hash[32];
    int64_t next_attempt;   /* 0 = not known */
    int64_t next_traveller; /* 0 = not known */
    /* Summary-table increments of the open batch, written once each at
     * commit (store_tally.c). */
    size_t tally_count;
    struct sarhad__tally tallies[SARHAD__TALLY_MAX];
    /* Open-addressing index over tallies by hash: slot value i + 1, 0 for
     * empty (a crossing adds to a few of up to 2,048 rows). */
    uint16_t tally_slot[2 * SARHAD__TALLY_MAX];
    /* Moves on whenever what a handle remembers across transactions may
     * no longer match the file: a rollback, or a commit by another
     * connection (seen when the next write transaction begins).  Caches
     * of the store (ledger_memo.c) hold only while it stands still. */
    uint64_t generation;
    int64_t data_version; /* PRAGMA data_version at the last check */
    /* Items of a batch run without savepoints (a savepoint copies every
     * page an item touches).  An item that fails before writing a row is
     * simply dropped; one that fails after it has written (the store's
     * change count moved since sarhad__store_write_begin) cannot be undone
     * alone, so it abandons the batch: later items are refused and the
     * commit rolls everything back. */
    int64_t item_mark; /* sqlite3_total_changes64 when the item began */
    bool batch_abandoned;
    /* WAL checkpoints on their own thread (store_checkpoint.c), or NULL. */
    struct sarhad__checkpointer *checkpointer;
    /* The write-ahead log, flushed by sarhad_store_flush from any thread
     * (store_flush.c): its path, and a descriptor opened on first use. */
    char wal_path[4096];
    int wal_fd;
    pthread_mutex_t flush_mu;
};

/* Close what sarhad_store_flush opened. */
void sarhad__store_flush_close(struct sarhad_store *store);

/* fsync the directory holding path (store_flush.c), so that a name just
 * made in it survives a crash; 0, or -1 with errno (ENAMETOOLONG past
 * 4095 bytes). */
int sarhad__sync_parent_dir(const char *path);

/* Stop the background checkpointer, if any (before the handle closes). */
void sarhad__store_checkpointer_stop(struct sarhad_store *store);
/* The background checkpointer's thresholds, in log pages: a checkpoint
 * every `every` pages written, the log emptied past `restart_at` (tests use
 * small ones; call on the writing thread). */
void sarhad__store_checkpoint_pages(struct sarhad_store *store, int every,
                                    int restart_at);

/* Move the generation on (see above). */
void sarhad__store_invalidate(struct sarhad_store *store);

/* What the store's write-ahead log index says of the last commit, by any
 * connection or process (store_stamp.c): two equal stamps mean nothing
 * was committed between them.  False when there is no index to read (call
 * only after the handle has read the store once). */
struct sarhad__stamp {
    uint64_t w[6];
};
bool sarhad__store_stamp(struct sarhad_store *store, struct sarhad__stamp *out);

/* Forget what the handle remembered of the open batch (see above),
 * pending tallies included. */
void sarhad__store_forget(struct sarhad_store *store);

/* Fill t: sql, the ntext key texts (false if they do not fit), nint
 * amounts. */
bool sarhad__tally_set(struct sarhad__tally *t, const char *sql,
                       const char *const *texts, unsigned ntext,
                       const int64_t *v, unsigned nint);
/* Upsert one summary increment now (outside a batch). */
enum sarhad_status sarhad__tally_write(struct sarhad_store *store,
                                       const struct sarhad__tally *t,
                                       struct sarhad_error *err);
/* Add t to the batch's pending tallies.  The caller makes room first
 * (sarhad__store_tally_room), so this cannot fail. */
void sarhad__store_tally(struct sarhad_store *store,
                         const struct sarhad__tally *t);
/* Make room for n more tallies, writing the pending ones if needed. */
enum sarhad_status sarhad__store_tally_room(struct sarhad_store *store,
                                            size_t n, struct sarhad_error *err);
/* Write the pending tallies into the open transaction. */
enum sarhad_status sarhad__store_tally_flush(struct sarhad_store *store,
                                             struct sarhad_error *err);

/*
 * The statement for sql, prepared on first use and reset (bindings
 * cleared) on every later one.  sql must be a string with static storage:
 * its address is the cache key.  NULL (with *err filled) on failure.  The
 * store owns the statement; do not finalize it.
 */
sqlite3_stmt *sarhad__store_prepare(struct sarhad_store *store, const char *sql,
                                    struct sarhad_error *err);

/*
 * A component's schema: its name and its migration steps.  The table of
 * components is in store_schema.c; a component adds one line there and
 * defines `const char *const sarhad__<name>_steps[]` and
 * `const size_t sarhad__<name>_step_count` in its own file.
 */
struct sarhad__component {
    const char *name;
    const char *const *steps;
    const size_t *step_count; /* a pointer: counts live in other files */
};
extern const struct sarhad__component sarhad__components[];
extern const size_t sarhad__component_count;

/*
 * Start and end a write: outside a batch they BEGIN IMMEDIATE and COMMIT
 * (or ROLLBACK when ok is false) around it.  Inside a batch the batch's
 * commit makes the write durable; a write that fails (ok false) after it
 * changed a row abandons the batch (see batch_abandoned), and begin then
 * refuses with SARHAD_EIO.  So validate before the first row is written.
 */
enum sarhad_status sarhad__store_write_begin(struct sarhad_store *store,
                                             struct sarhad_error *err);
enum sarhad_status sarhad__store_write_end(struct sarhad_store *store, bool ok,
                                           struct sarhad_error *err);

/* Read a store_meta value into out (cap bytes); SARHAD_ENOTFOUND if unset. */
enum sarhad_status sarhad__store_meta_get(struct sarhad_store *store,
                                          const char *key, char *out,
                                          size_t cap, struct sarhad_error *err);
/* Set a store_meta value; call inside a write (sarhad__store_write_begin). */
enum sarhad_status sarhad__store_meta_set(struct sarhad_store *store,
                                          const char *key, const char *value,
                                          struct sarhad_error *err);

/* How many leading columns of a report are text (report.c); the rest are
 * numbers. */
unsigned sarhad__report_text_columns(enum sarhad_report_kind kind);

/* ---- key files (src/keyfile.c) ---------------------------------------- */

/* Make a new ed25519 key pair and write its secret half to path (hex, mode
 * 0600, never over an existing file: SARHAD_EEXIST).  what names the key in
 * messages ("signing key"). */
enum sarhad_status sarhad__keyfile_create(const char *path,
                                          unsigned char secret[64],
                                          unsigned char public_key[32],
                                          const char *what,
                                          struct sarhad_error *err);
/* Read the key pair at path: SARHAD_ENOTFOUND when there is no file,
 * SARHAD_EIO when it cannot be read or others may read it, SARHAD_EFORMAT
 * when it holds no key. */
enum sarhad_status sarhad__keyfile_read(const char *path,
                                        unsigned char secret[64],
                                        unsigned char public_key[32],
                                        const char *what,
                                        struct sarhad_error *err);

/* ---- signed bundles (src/bundle.c, src/bundle_store.c) ---------------- */

extern const char *const sarhad__bundle_steps[];
extern const size_t sarhad__bundle_step_count;

/* The serial of the last bundle of kind the store applied (0: none). */
enum sarhad_status sarhad__bundle_last_serial(struct sarhad_store *store,
                                              enum sarhad_bundle_kind kind,
                                              int64_t *out,
                                              struct sarhad_error *err);

/* Whether b's recorded signature holds under public_key (its header is
 * rebuilt from the fields, as sarhad_bundle_sign wrote it). */
bool sarhad__bundle_signature_holds(const struct sarhad_bundle_info *b,
                                    const unsigned char public_key[32]);

/*
 * The gate of every policy publication and watchlist import, called inside
 * its write once the change is made: with origin NULL (a local change) it
 * refuses (SARHAD_EPERM, naming what: "policies") when the store trusts a
 * ministry key; with the bundle the change came in, it checks the bundle
 * may still be applied and records it as making result ("policy:3"), with
 * its audit entry.
 */
enum sarhad_status sarhad__bundle_gate(struct sarhad_store *store,
                                       const struct sarhad_bundle_info *origin,
                                       const char *what, const char *result,
                                       const struct sarhad_actor *who,
                                       int64_t now, struct sarhad_error *err);

/* ---- audit log (src/audit.c) ------------------------------------------ */

extern const char *const sarhad__audit_steps[];
extern const size_t sarhad__audit_step_count;

/*
 * Append one entry to the audit log, inside the caller's write (between
 * sarhad__store_write_begin and _end, or in a batch), so that the change it
 * records and the entry commit together or not at all.  at_unix is the
 * time of the change; detail_json is a JSON object (or NULL for {}).
 * *seq_out (may be NULL) receives the entry's seq.
 */
enum sarhad_status sarhad__audit_append(
    struct sarhad_store *store, const struct sarhad_actor *actor,
    int64_t at_unix, const char *kind, const char *subject,
    const char *detail_json, int64_t *seq_out, struct sarhad_error *err);

/* Fill e from a row of audit_log's columns in their order (seq, post, at,
 * actor_user, actor_role, actor_post, actor_address, kind, subject, detail,
 * prev_hash, hash); prev receives prev_hash.  e->detail points into the
 * row. */
void sarhad__audit_row(struct sarhad_audit_entry *e, unsigned char prev[32],
                       sqlite3_stmt *st);

/* The hash of entry seq with predecessor hash prev: what the log stores in
 * its hash column, and what verifying anywhere (the post, the central)
 * recomputes.  Reads e's text fields, not e->seq or e->hash. */
void sarhad__audit_entry_hash(unsigned char out[32],
                              const unsigned char prev[32], int64_t seq,
                              const struct sarhad_audit_entry *e);

/* The message a checkpoint of entry seq (with hash, signed at the time at)
 * signs (src/audit_sign.c): checked wherever checkpoints are copied to. */
void sarhad__audit_checkpoint_digest(unsigned char out[32], int64_t seq,
                                     const unsigned char hash[32],
                                     const char *at);

#endif /* SARHAD_INTERNAL_H */
