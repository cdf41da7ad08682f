/*
 * store.c - opening a post's SQLite file and versioning its schema.  Every
 * component that keeps tables in the store (ledger, watchlist, auth, audit)
 * brings them up to date with sarhad__store_migrate, each under its own
 * version number, so components evolve independently and a store made by
 * an older sarhad is upgraded in place, step by step, never half-way.
 */
#include "internal.h"

#include <errno.h>
#include <string.h>
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

    /* A busy store answers within a second rather than hanging a counter. */
    sqlite3_busy_timeout(db, 1000);
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
    strcpy(sql, "PRAGMA synchronous=");
    strcat(sql, synchronous);
    return sarhad__store_exec(db, sql, err);
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
    for (size_t i = (size_t)version; i < step_count; i++) {
        s = sarhad__store_exec(db, "BEGIN IMMEDIATE", err);
        if (s != SARHAD_OK)
            return s;
        s = sarhad__store_exec(db, steps[i], err);
        if (s == SARHAD_OK)
            s = set_version(db, component, (int)i + 1, err);
        if (s == SARHAD_OK)
            s = sarhad__store_exec(db, "COMMIT", err);
        if (s != SARHAD_OK) {
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return s;
        }
    }
    return SARHAD_OK;
}
