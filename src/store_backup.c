/*
 * store_backup.c - an online copy of a store, whole and consistent, while
 * its writer goes on.
 *
 * Consistent: the copy reads one snapshot of the store, a read transaction
 * held from the first page to the last.  WAL lets the writer commit
 * meanwhile, and none of its later commits show in the copy, so the copy
 * is the store as it was after one commit: every attempt with its audit
 * entry, summaries equal to the events.  (SQLite's backup restarts when the
 * source changes between steps only if each step opens a transaction of
 * its own; here the snapshot stays open across them.)
 *
 * Whole: the copy is written under a temporary name beside the target
 * (mode 0600: it holds what the store holds), flushed, linked to the
 * target's name (which fails rather than replace a file that appeared
 * meanwhile), and the directory flushed.  So the target either does not
 * exist or is a complete copy on disk; a killed backup leaves only its
 * temporary file (PATH.partial- and six random characters), never a
 * half-copy under PATH.
 *
 * One file: the copy is in rollback-journal mode, with no -wal or -shm to
 * carry along; a store opened on it for writing goes back to WAL.
 *
 * Any version: pages are copied as they are, so a store whose schema this
 * library would upgrade (or does not know yet) is copied too; a backup
 * before an upgrade is the one most wanted.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Pages copied between two progress reports (4 MiB of 4 KiB pages). */
#define STEP_PAGES 1024

/* Errors name the target ("PATH: target: ..."), whose name the caller
 * prints, and what failed with it. */
static enum sarhad_status
io_fail(struct sarhad_error *err, const char *what)
{
    return sarhad__fail(err, SARHAD_EIO, "target", SIZE_MAX, "%s: %s", what,
                        strerror(errno));
}

/* Flush the directory holding path, so a new name in it survives a crash. */
static enum sarhad_status
sync_dir_of(const char *path, struct sarhad_error *err)
{
    if (sarhad__sync_parent_dir(path) == 0)
        return SARHAD_OK;
    if (errno == ENAMETOOLONG)
        return sarhad__fail(err, SARHAD_EINVAL, "target", SIZE_MAX,
                            "the path is too long");
    return io_fail(err, "cannot flush its directory");
}

/* Copy every page of src's current snapshot into dst. */
static enum sarhad_status
copy_pages(sqlite3 *src, sqlite3 *dst,
           void (*progress)(void *ctx, uint64_t done, uint64_t total),
           void *ctx, uint64_t *pages, struct sarhad_error *err)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    int rc;

    if (b == NULL)
        return sarhad__store_fail(dst, sqlite3_errcode(dst), "start the copy",
                                  err);
    do {
        rc = sqlite3_backup_step(b, STEP_PAGES);
        if (progress != NULL && (rc == SQLITE_OK || rc == SQLITE_DONE)) {
            uint64_t total = (uint64_t)sqlite3_backup_pagecount(b);
            progress(ctx, total - (uint64_t)sqlite3_backup_remaining(b), total);
        }
    } while (rc == SQLITE_OK);
    *pages = (uint64_t)sqlite3_backup_pagecount(b);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(dst, rc, "copy the store", err);
    return SARHAD_OK;
}

/* A failure of the copy's side is the target's (the caller names it). */
static enum sarhad_status
at_target(enum sarhad_status s, struct sarhad_error *err)
{
    if (s != SARHAD_OK && err != NULL)
        sarhad__strlcpy(err->field, "target", sizeof(err->field));
    return s;
}

/* Write the copy into the (empty, new) file at tmp. */
static enum sarhad_status
write_copy(sqlite3 *src, const char *tmp,
           void (*progress)(void *ctx, uint64_t done, uint64_t total),
           void *ctx, uint64_t *pages, struct sarhad_error *err)
{
    sqlite3 *dst = NULL;
    enum sarhad_status s;
    int rc;

    rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                         NULL);
    if (rc != SQLITE_OK) {
        s = at_target(sarhad__store_fail(dst, rc, "open the copy", err), err);
        sqlite3_close(dst);
        return s;
    }
    /* No journal and no syncs of SQLite's: a copy that fails part-way is
     * thrown away, and the finished one is flushed once, by the caller. */
    s = at_target(sarhad__store_exec(dst, "PRAGMA journal_mode=OFF", err), err);
    if (s == SARHAD_OK)
        s = at_target(sarhad__store_exec(dst, "PRAGMA synchronous=OFF", err),
                      err);
    /* The snapshot: a read transaction on the store, open until the last
     * page is copied. */
    if (s == SARHAD_OK)
        s = sarhad__store_exec(src, "BEGIN", err);
    if (s == SARHAD_OK) {
        s = sarhad__store_exec(src, "SELECT count(*) FROM sqlite_schema", err);
        if (s == SARHAD_OK)
            s = at_target(copy_pages(src, dst, progress, ctx, pages, err), err);
        sqlite3_exec(src, "COMMIT", NULL, NULL, NULL); /* ends a read */
    }
    /* The store's header says WAL; the copy is one file on its own. */
    if (s == SARHAD_OK)
        s = at_target(
            sarhad__store_exec(dst, "PRAGMA journal_mode=DELETE", err), err);
    rc = sqlite3_close(dst);
    if (s == SARHAD_OK && rc != SQLITE_OK)
        s = sarhad__fail(err, SARHAD_EIO, "target", SIZE_MAX,
                         "cannot close the copy");
    return s;
}

/* Open the store at store_path for reading, whatever its schema's version
 * (a backup before an upgrade is the one most wanted), but only if it is a
 * sarhad store. */
static enum sarhad_status
open_source(sqlite3 **db, const char *store_path, struct sarhad_error *err)
{
    enum sarhad_status s =
        sarhad__store_open(db, store_path, SARHAD__STORE_READONLY, NULL, err);

    if (s == SARHAD_OK && sarhad__store_version(*db, "store") == 0) {
        sqlite3_close(*db);
        *db = NULL;
        s = sarhad__fail(err, SARHAD_EDB, "store", SIZE_MAX,
                         "the file is not a sarhad store");
    }
    return s;
}

enum sarhad_status
sarhad_store_backup(const char *store_path, const char *path,
                    void (*progress)(void *ctx, uint64_t done, uint64_t total),
                    void *ctx, struct sarhad_store_backup_info *info,
                    struct sarhad_error *err)
{
    struct sarhad_store_backup_info got = {0};
    sqlite3 *src = NULL;
    char tmp[4096];
    struct stat st;
    enum sarhad_status s;
    int fd;

    if (store_path == NULL || path == NULL || path[0] == '\0')
        return sarhad__fail(err, SARHAD_EINVAL, "target", SIZE_MAX,
                            "a store and a target path are required");
    if (lstat(path, &st) == 0)
        return sarhad__fail(err, SARHAD_EEXIST, "target", SIZE_MAX,
                            "already exists; a backup never replaces a "
                            "file");
    if (snprintf(tmp, sizeof(tmp), "%s.partial-XXXXXX", path) >=
        (int)sizeof(tmp))
        return sarhad__fail(err, SARHAD_EINVAL, "target", SIZE_MAX,
                            "the path is too long");
    s = open_source(&src, store_path, err);
    if (s != SARHAD_OK)
        return s;
    fd = mkstemp(tmp);
    if (fd < 0) {
        s = io_fail(err, "cannot create the copy beside it");
        sqlite3_close(src);
        return s;
    }
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    s = write_copy(src, tmp, progress, ctx, &got.pages, err);
    sqlite3_close(src);
    /* The copy's bytes and its size, on disk before it gets its name. */
    if (s == SARHAD_OK && fsync(fd) != 0)
        s = io_fail(err, "cannot flush the copy");
    if (s == SARHAD_OK && fstat(fd, &st) != 0)
        s = io_fail(err, "cannot read the size of the copy");
    close(fd);
    if (s == SARHAD_OK && link(tmp, path) != 0)
        s = errno == EEXIST
                ? sarhad__fail(err, SARHAD_EEXIST, "target", SIZE_MAX,
                               "appeared during the backup and was left as "
                               "it was")
                : io_fail(err, "cannot give the copy its name");
    unlink(tmp);
    if (s == SARHAD_OK)
        s = sync_dir_of(path, err);
    if (s == SARHAD_OK && info != NULL) {
        got.bytes = (uint64_t)st.st_size;
        *info = got;
    }
    return s;
}
