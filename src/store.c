/*
 * store.c - opening a post's SQLite file and versioning its schema.  Every
 * component that keeps tables in the store (ledger, watchlist, auth, audit)
 * brings them up to date with sarhad__store_migrate, each under its own
 * version number, so components evolve independently and a store made by
 * an older sarhad is upgraded in place: a component's pending steps run in
 * order inside one transaction, so an upgrade is never left half-way.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

enum sarhad_status
sarhad__store_fail(sqlite3 *db, int rc, const char *what,
                   struct sarhad_error *err)
{
    const char *msg = db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    enum sarhad_status code;

    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = SARHAD_EBUSY;
        msg = "the store is locked by another process";
        break;
    case SQLITE_FULL:
        code = SARHAD_EIO;
        msg = "the disk is full; nothing was written";
        break;
    case SQLITE_READONLY:
        code = SARHAD_EIO;
        msg = "the store is read-only";
        break;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
        code = SARHAD_EIO;
        break;
    case SQLITE_NOMEM:
        code = SARHAD_ENOMEM;
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        code = SARHAD_EDB;
        msg = "the file is not a sarhad store or is corrupt";
        break;
    case SQLITE_CONSTRAINT:
        code = SARHAD_EEXIST;
        break;
    default:
        code = SARHAD_EDB;
    }
    return sarhad__fail(err, code, "store", SIZE_MAX, "%s: %s", what, msg);
}

enum sarhad_status
sarhad__store_exec(sqlite3 *db, const char *sql, struct sarhad_error *err)
{
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

    if (rc != SQLITE_OK)
        return sarhad__store_fail(db, rc, sql, err);
    return SARHAD_OK;
}

static enum sarhad_status
configure(sqlite3 *db, enum sarhad__store_mode mode, const char *synchronous,
          struct sarhad_error *err)
{
    enum sarhad_status s;
    char sql[64];
    int rc;

    sqlite3_busy_timeout(db, SARHAD__STORE_BUSY_MS);
    /* Reading the schema proves the file is a database before any write. */
    rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL,
                      NULL);
    if (rc != SQLITE_OK)
        return sarhad__store_fail(db, rc, "open the store", err);
    s = sarhad__store_exec(db, "PRAGMA foreign_keys=ON", err);
    if (s != SARHAD_OK || mode == SARHAD__STORE_READONLY)
        return s;
    s = sarhad__store_exec(db, "PRAGMA journal_mode=WAL", err);
    if (s != SARHAD_OK)
        return s;
    if (synchronous == NULL)
        synchronous = "FULL";
    if (strcmp(synchronous, "FULL") != 0 &&
        strcmp(synchronous, "NORMAL") != 0 && strcmp(synchronous, "OFF") != 0 &&
        strcmp(synchronous, "EXTRA") != 0)
        return sarhad__fail(err, SARHAD_EINVAL, "synchronous", SIZE_MAX,
                            "synchronous must be FULL, EXTRA, NORMAL or OFF");
    snprintf(sql, sizeof(sql), "PRAGMA synchronous=%s", synchronous);
    return sarhad__store_exec(db, sql, err);
}

/* SQLite's memory statistics take a global mutex on every allocation,
 * shared by all threads; nothing here reads them.  The page cache is
 * SQLite's own behind store_pcache.c, the files the unix VFS's behind
 * store_vfs.c.  Set once, before SQLite initialises (later the first two
 * are refused, harmlessly). */
static void
configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sarhad__store_pcache_install();
    sarhad__store_vfs_install();
}

void
sarhad__store_configure(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;

    pthread_once(&once, configure_sqlite);
}

enum sarhad_status
sarhad__store_open(sqlite3 **out, const char *path,
                   enum sarhad__store_mode mode, const char *synchronous,
                   struct sarhad_error *err)
{
    sqlite3 *db = NULL;
    struct stat st;
    enum sarhad_status s;
    int flags = SQLITE_OPEN_NOMUTEX;
    int rc;

    sarhad__store_configure();
    if (mode != SARHAD__STORE_CREATE && stat(path, &st) != 0)
        return sarhad__fail(err, SARHAD_EIO, "store", SIZE_MAX,
                            "cannot open the store: %s", strerror(errno));
    if (mode == SARHAD__STORE_READONLY)
        flags |= SQLITE_OPEN_READONLY;
    else if (mode == SARHAD__STORE_CREATE)
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    else
        flags |= SQLITE_OPEN_READWRITE;
    rc = sqlite3_open_v2(path, &db, flags, NULL);
    if (rc != SQLITE_OK) {
        s = sarhad__store_fail(db, rc, "open the store", err);
        sqlite3_close(db);
        return s;
    }
    s = configure(db, mode, synchronous, err);
    if (s != SARHAD_OK) {
        sqlite3_close(db);
        return s;
    }
    *out = db;
    return SARHAD_OK;
}

int
sarhad__store_version(sqlite3 *db, const char *component)
{
    sqlite3_stmt *st = NULL;
    int version = 0;

    if (sqlite3_prepare_v2(db,
                           "SELECT version FROM schema_version "
                           "WHERE component = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return 0; /* no table yet: nothing installed */
    sqlite3_bind_text(st, 1, component, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return version;
}

static enum sarhad_status
set_version(sqlite3 *db, const char *component, int version,
            struct sarhad_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "INSERT INTO schema_version(component, version)"
                                " VALUES (?1, ?2) ON CONFLICT(component)"
                                " DO UPDATE SET version = excluded.version",
                                -1, &st, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, component, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, version);
        rc = sqlite3_step(st);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return sarhad__store_fail(db, rc, "record the schema version", err);
    return SARHAD_OK;
}

enum sarhad_status
sarhad__store_migrate(sqlite3 *db, const char *component,
                      const char *const *steps, size_t step_count,
                      struct sarhad_error *err)
{
    enum sarhad_status s;
    int version;

    s = sarhad__store_exec(db,
                           "CREATE TABLE IF NOT EXISTS schema_version ("
                           " component TEXT PRIMARY KEY,"
                           " version INTEGER NOT NULL) STRICT",
                           err);
    if (s != SARHAD_OK)
        return s;
    version = sarhad__store_version(db, component);
    if (version > (int)step_count)
        return sarhad__fail(err, SARHAD_EDB, component, SIZE_MAX,
                            "the store's %s schema is version %d, newer than "
                            "this sarhad (%zu); upgrade sarhad",
                            component, version, step_count);
    if ((size_t)version == step_count)
        return SARHAD_OK;
    /* The pending steps commit together: an upgrade is all or nothing,
     * and a new store's log holds each schema page once, not once per
     * step (which filled a small disk before the first crossing). */
    s = sarhad__store_exec(db, "BEGIN IMMEDIATE", err);
    for (size_t i = (size_t)version; s == SARHAD_OK && i < step_count; i++) {
        s = sarhad__store_exec(db, steps[i], err);
        if (s == SARHAD_OK)
            s = set_version(db, component, (int)i + 1, err);
    }
    if (s == SARHAD_OK)
        s = sarhad__store_exec(db, "COMMIT", err);
    if (s != SARHAD_OK)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return s;
}

/*
 * A second writer on the same store would interleave its own sequence of
 * events with ours; SQLite alone would let it (WAL serialises writes but
 * does not stop two posts' worth of counters on one file), so writers
 * take an exclusive advisory lock on PATH.lock for as long as they run.
 */
static enum sarhad_status
take_writer_lock(int *fd_out, const char *path, struct sarhad_error *err)
{
    char lock_path[4096];
    int fd;

    if (snprintf(lock_path, sizeof(lock_path), "%s.lock", path) >=
        (int)sizeof(lock_path))
        return sarhad__fail(err, SARHAD_EINVAL, "store", SIZE_MAX,
                            "the store's path is too long");
    fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return sarhad__fail(err, SARHAD_EIO, "store", SIZE_MAX,
                            "cannot create the store's lock file: %s",
                            strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        return sarhad__fail(err, SARHAD_EBUSY, "store", SIZE_MAX,
                            "another sarhad process is writing this store");
    }
    *fd_out = fd;
    return SARHAD_OK;
}

enum sarhad_status
sarhad_store_open(struct sarhad_store **out, const char *path,
                  const struct sarhad_store_options *opt,
                  struct sarhad_error *err)
{
    static const struct sarhad_store_options defaults = {false, false, NULL};
    struct sarhad_store *store;
    enum sarhad__store_mode mode;
    enum sarhad_status s;

    if (opt == NULL)
        opt = &defaults;
    /* libsodium's hashing and signing (audit, auth) need it initialised;
     * the call is idempotent and thread-safe. */
    if (sodium_init() < 0)
        return sarhad__fail(err, SARHAD_EINVAL, "store", SIZE_MAX,
                            "libsodium cannot initialise");
    if (path == NULL || path[0] == '\0')
        return sarhad__fail(err, SARHAD_EINVAL, "store", SIZE_MAX,
                            "no store path given");
    store = sarhad__calloc(1, sizeof(*store));
    if (store == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "store", SIZE_MAX, NULL);
    store->lock_fd = -1;
    store->wal_fd = -1;
    pthread_mutex_init(&store->flush_mu, NULL);
    store->read_only = opt->read_only;
    if (strlen(path) + 5 > sizeof(store->wal_path)) {
        sarhad_store_close(store);
        return sarhad__fail(err, SARHAD_EINVAL, "store", SIZE_MAX,
                            "the store's path is too long");
    }
    snprintf(store->wal_path, sizeof(store->wal_path), "%s-wal", path);
    mode = opt->read_only ? SARHAD__STORE_READONLY
           : opt->create  ? SARHAD__STORE_CREATE
                          : SARHAD__STORE_READWRITE;
    s = SARHAD_OK;
    if (!opt->read_only)
        s = take_writer_lock(&store->lock_fd, path, err);
    if (s == SARHAD_OK)
        s = sarhad__store_open(&store->db, path, mode, opt->synchronous, err);
    for (size_t i = 0; s == SARHAD_OK && i < sarhad__component_count; i++) {
        const struct sarhad__component *c = &sarhad__components[i];
        if (opt->read_only) {
            if (sarhad__store_version(store->db, c->name) < (int)*c->step_count)
                s = sarhad__fail(err, SARHAD_EDB, c->name, SIZE_MAX,
                                 "the store's %s schema is out of date; open "
                                 "it once for writing to upgrade it",
                                 c->name);
        } else {
            s = sarhad__store_migrate(store->db, c->name, c->steps,
                                      *c->step_count, err);
        }
    }
    if (s == SARHAD_OK) {
        s = sarhad__store_meta_get(store, "post", store->post,
                                   sizeof(store->post), err);
        if (s == SARHAD_ENOTFOUND) /* a store not yet given to a post */
            s = SARHAD_OK;
    }
    if (s != SARHAD_OK) {
        sarhad_store_close(store);
        return s;
    }
    *out = store;
    return SARHAD_OK;
}

enum sarhad_status
sarhad__store_meta_get(struct sarhad_store *store, const char *key, char *out,
                       size_t cap, struct sarhad_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(store->db,
                                "SELECT value FROM store_meta WHERE key = ?1",
                                -1, &st, NULL);
    enum sarhad_status s = SARHAD_OK;

    if (rc != SQLITE_OK)
        return sarhad__store_fail(store->db, rc, "read the store's settings",
                                  err);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(st, 0);
        sarhad__strlcpy(out, v ? (const char *)v : "", cap);
    } else if (rc == SQLITE_DONE) {
        s = sarhad__fail(err, SARHAD_ENOTFOUND, key, SIZE_MAX,
                         "the store has no setting '%s'", key);
    } else {
        s = sarhad__store_fail(store->db, rc, "read the store's settings", err);
    }
    sqlite3_finalize(st);
    return s;
}

enum sarhad_status
sarhad__store_meta_set(struct sarhad_store *store, const char *key,
                       const char *value, struct sarhad_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(store->db,
                                "INSERT INTO store_meta(key, value)"
                                " VALUES (?1, ?2) ON CONFLICT(key)"
                                " DO UPDATE SET value = excluded.value",
                                -1, &st, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return sarhad__store_fail(store->db, rc, "write the store's settings",
                                  err);
    if (strcmp(key, "post") == 0)
        sarhad__strlcpy(store->post, value, sizeof(store->post));
    return SARHAD_OK;
}

void
sarhad_store_close(struct sarhad_store *store)
{
    if (store == NULL)
        return;
    if (store->db != NULL) {
        sarhad__store_checkpointer_stop(store);
        if (store->in_batch)
            sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
        /* Cached statements (sarhad__store_prepare) are finalised here. */
        for (sqlite3_stmt *st; (st = sqlite3_next_stmt(store->db, NULL));)
            sqlite3_finalize(st);
        sqlite3_close(store->db);
    }
    if (store->lock_fd >= 0)
        close(store->lock_fd);
    sarhad__store_flush_close(store);
    sarhad__free(store);
}

void
sarhad__store_invalidate(struct sarhad_store *store)
{
    store->generation++;
}

static const char sql_data_version[] = "PRAGMA data_version";

/* Inside a write transaction just begun: has another connection committed
 * since this handle last looked?  Then nothing it remembers holds. */
static void
notice_others(struct sarhad_store *store)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_data_version, NULL);
    int64_t v = -1;

    if (st != NULL && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    if (st != NULL)
        sqlite3_reset(st);
    if (v < 0 || v != store->data_version)
        sarhad__store_invalidate(store);
    store->data_version = v;
}

void
sarhad__store_forget(struct sarhad_store *store)
{
    store->audit_head_known = false;
    store->next_attempt = 0;
    store->next_traveller = 0;
    store->tally_count = 0;
    memset(store->tally_slot, 0, sizeof(store->tally_slot));
}

static enum sarhad_status
abandoned(struct sarhad_error *err)
{
    return sarhad__fail(err, SARHAD_EIO, "store", SIZE_MAX,
                        "a store error part-way through an item abandoned "
                        "this batch: nothing in it was recorded");
}

enum sarhad_status
sarhad_store_begin(struct sarhad_store *store, struct sarhad_error *err)
{
    enum sarhad_status s;

    if (store->in_batch)
        return sarhad__fail(err, SARHAD_EINVAL, "store", SIZE_MAX,
                            "a batch is already open");
    sarhad__store_forget(store);
    s = sarhad__store_exec(store->db, "BEGIN IMMEDIATE", err);
    if (s == SARHAD_OK) {
        store->in_batch = true;
        store->batch_abandoned = false;
        notice_others(store);
    }
    return s;
}

enum sarhad_status
sarhad_store_commit(struct sarhad_store *store, struct sarhad_error *err)
{
    enum sarhad_status s;

    if (!store->in_batch)
        return sarhad__fail(err, SARHAD_EINVAL, "store", SIZE_MAX,
                            "no batch is open");
    s = store->batch_abandoned ? abandoned(err)
                               : sarhad__store_tally_flush(store, err);
    sarhad__store_forget(store);
    if (s == SARHAD_OK)
        s = sarhad__store_exec(store->db, "COMMIT", err);
    if (s != SARHAD_OK) {
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
        sarhad__store_invalidate(store);
    }
    store->in_batch = false;
    return s;
}

void
sarhad_store_rollback(struct sarhad_store *store)
{
    sarhad__store_forget(store);
    if (store->in_batch) {
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
        sarhad__store_invalidate(store);
    }
    store->in_batch = false;
}

enum sarhad_status
sarhad__store_write_begin(struct sarhad_store *store, struct sarhad_error *err)
{
    enum sarhad_status s;

    if (store->read_only)
        return sarhad__fail(err, SARHAD_EPERM, "store", SIZE_MAX,
                            "the store was opened read-only");
    if (store->in_batch) {
        if (store->batch_abandoned)
            return abandoned(err);
        store->item_mark = sqlite3_total_changes64(store->db);
        return SARHAD_OK;
    }
    sarhad__store_forget(store);
    s = sarhad__store_exec(store->db, "BEGIN IMMEDIATE", err);
    if (s == SARHAD_OK)
        notice_others(store);
    store->item_mark = sqlite3_total_changes64(store->db);
    return s;
}

enum sarhad_status
sarhad__store_write_end(struct sarhad_store *store, bool ok,
                        struct sarhad_error *err)
{
    enum sarhad_status s;

    if (store->in_batch) {
        if (!ok && sqlite3_total_changes64(store->db) != store->item_mark) {
            store->batch_abandoned = true;
            sarhad__store_invalidate(store);
        }
        return SARHAD_OK;
    }
    if (!ok) {
        /* Undoing nothing leaves what the handle remembers true. */
        if (sqlite3_total_changes64(store->db) != store->item_mark)
            sarhad__store_invalidate(store);
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
        return SARHAD_OK;
    }
    s = sarhad__store_exec(store->db, "COMMIT", err);
    if (s != SARHAD_OK) {
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
        sarhad__store_invalidate(store);
    }
    return s;
}

sqlite3_stmt *
sarhad__store_prepare(struct sarhad_store *store, const char *sql,
                      struct sarhad_error *err)
{
    size_t i;
    int rc;

    for (i = 0; i < store->stmt_count; i++) {
        if (store->stmt_sql[i] == sql) {
            sqlite3_reset(store->stmts[i]);
            sqlite3_clear_bindings(store->stmts[i]);
            return store->stmts[i];
        }
    }
    if (store->stmt_count == SARHAD__STORE_MAX_STMTS) {
        sarhad__fail(err, SARHAD_ENOMEM, "store", SIZE_MAX,
                     "too many distinct statements for the cache");
        return NULL;
    }
    rc = sqlite3_prepare_v3(store->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                            &store->stmts[i], NULL);
    if (rc != SQLITE_OK) {
        sarhad__store_fail(store->db, rc, "prepare a statement", err);
        return NULL;
    }
    store->stmt_sql[i] = sql;
    store->stmt_count++;
    return store->stmts[i];
}

enum sarhad_status
sarhad__store_step_done(struct sarhad_store *store, sqlite3_stmt *st,
                        const char *what, struct sarhad_error *err)
{
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sarhad__store_fail(store->db, rc, what, err);
    return SARHAD_OK;
}

enum sarhad_status
sarhad__store_read_int(struct sarhad_store *store, const char *sql,
                       const char *what, int64_t *out, struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql, err);
    int rc;

    if (st == NULL)
        return err != NULL ? err->code : SARHAD_EDB;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return sarhad__store_fail(store->db, rc, what, err);
    return SARHAD_OK;
}
