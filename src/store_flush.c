/*
 * store_flush.c - making commits durable apart from committing them.  A
 * writer whose store runs with synchronous=NORMAL (in WAL mode: always
 * consistent, but a commit does not wait for the disk) hands what it
 * committed to another thread, which calls sarhad_store_flush: one
 * fdatasync of the write-ahead log makes every commit made so far durable,
 * and only then are they reported.  Meanwhile the writer records the next
 * group, so recording and waiting for the disk overlap instead of taking
 * turns, which is what synchronous=FULL makes them do.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
sarhad__sync_parent_dir(const char *path)
{
    char dir[4096];
    int fd, rc;

    if (sarhad__strlcpy(dir, path, sizeof(dir)) != strlen(path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

enum sarhad_status
sarhad_store_flush(struct sarhad_store *store, struct sarhad_error *err)
{
    enum sarhad_status s = SARHAD_OK;

    if (store == NULL || store->read_only)
        return SARHAD_OK;
    pthread_mutex_lock(&store->flush_mu);
    /* The log exists once something was committed; the handle keeps it
     * open, so this descriptor names the same file for the store's life
     * (Linux flushes a file's pages whichever descriptor asks). */
    if (store->wal_fd < 0) {
        store->wal_fd = open(store->wal_path, O_RDWR | O_CLOEXEC);
        /* A log file created since the store was opened must also be in
         * its directory for good (SQLite syncs the directory only at the
         * log's first sync of its own, which NORMAL defers). */
        if (store->wal_fd >= 0 &&
            sarhad__sync_parent_dir(store->wal_path) != 0) {
            int e = errno;
            close(store->wal_fd);
            store->wal_fd = -1;
            errno = e;
        }
    }
    if (store->wal_fd < 0 && errno != ENOENT)
        s = sarhad__fail(err, SARHAD_EIO, "store", SIZE_MAX,
                         "cannot make the write-ahead log durable: %s",
                         strerror(errno));
    else if (store->wal_fd >= 0 && fdatasync(store->wal_fd) != 0)
        s = sarhad__fail(err, SARHAD_EIO, "store", SIZE_MAX,
                         "the disk did not confirm the write-ahead log: %s",
                         strerror(errno));
    pthread_mutex_unlock(&store->flush_mu);
    return s;
}

void
sarhad__store_flush_close(struct sarhad_store *store)
{
    if (store->wal_fd >= 0)
        close(store->wal_fd);
    store->wal_fd = -1;
    pthread_mutex_destroy(&store->flush_mu);
}
